package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// The directory's query parameters, shared by the page, the export and the
// API so that a link, a download and an API call with the same parameters
// select the same companies. Multi-valued filters repeat the parameter
// (process=a&process=b) or separate values by commas (process=a,b).
const (
	pQ        = "q"
	pProcess  = "process"
	pSector   = "sector"
	pCert     = "cert"
	pProvince = "province"
	pPark     = "park"
	pSize     = "size"
	pVerified = "verified"
	pKind     = "kind"
	pSort     = "sort"
	pLimit    = "limit"
	pOffset   = "offset"
	// pArchived includes archived companies (include_archived=1): staff
	// only. The store can include them but not select them alone, so there
	// is no "only archived" mode.
	pArchived = "include_archived"
)

// facetParams are the filters the directory shows as facets, in display order.
var facetParams = []string{pProcess, pSector, pCert, pProvince, pPark, pSize, pVerified}

// errArchivedForbidden refuses include_archived to a reader who is not staff.
var errArchivedForbidden = sihub.Errorf(sihub.ErrForbidden,
	"Chỉ cán bộ Trung tâm mới xem được hồ sơ đã lưu trữ (tham số include_archived).",
	"Only center staff may see archived profiles (parameter include_archived).")

// ParseCompanyFilter reads a directory filter from query parameters, the
// one way the pages, the export, the API and the command line read one, so
// that the same parameters select the same companies everywhere.
// Multi-valued filters repeat the parameter (process=a&process=b) or
// separate values by commas (process=a,b). Codes are checked against the
// taxonomy: processes, certifications, provinces, VSIC 2025 codes (a 2018
// code is translated), size bands, kinds and sort orders. Park names are
// not checked: a park the taxonomy does not know is kept as written and
// still filters.
//
// staff says whether the reader may include archived companies
// (include_archived=1); for anyone else the parameter is an ErrForbidden
// error.
//
// On error the filter is still usable: it holds every value that could be
// read, with the unknown or malformed ones left out, and the error (an
// *sihub.Error with code ErrInvalid) names each parameter and value in its
// Fields and, when there is one problem, in its message. A page can show
// the message above the results of the rest; an API answers 400.
func ParseCompanyFilter(q url.Values, staff bool) (sihub.CompanyFilter, error) {
	var f sihub.CompanyFilter
	var p sihub.Problems
	f.Q = strings.TrimSpace(q.Get(pQ))
	if f.Q != "" {
		f.Terms, f.Words = match.ParseQuery(f.Q)
	}
	unknown := func(param, value, vi, en, vocab string) {
		p.Add(param, sihub.Msg{
			VI: fmt.Sprintf("Tham số %s: không có %s %q (xem /api/v1/taxonomy/%s).", param, vi, value, vocab),
			EN: fmt.Sprintf("Parameter %s: there is no %s %q (see /api/v1/taxonomy/%s).", param, en, value, vocab),
		})
	}
	keep := func(param string, values []string, ok func(string) bool, vi, en, vocab string) []string {
		var out []string
		for _, v := range values {
			if ok(v) {
				out = append(out, v)
			} else {
				unknown(param, v, vi, en, vocab)
			}
		}
		return out
	}
	f.Processes = keep(pProcess, listParam(q, pProcess, true), func(c string) bool {
		_, ok := taxonomy.ProcessByCode(c)
		return ok
	}, "quy trình", "process", "processes")
	for _, c := range listParam(q, pSector, true) {
		code := c
		if _, ok := taxonomy.VSICByCode(code); !ok {
			code, _ = taxonomy.VSICFrom2018(c) // as match.Prepare reads a company's sectors
		}
		// The section letter C is all of manufacturing: not a filter.
		if v, ok := taxonomy.VSICByCode(code); ok && v.Level >= 2 {
			f.Sectors = appendNew(f.Sectors, code)
			continue
		}
		unknown(pSector, c, "mã ngành VSIC 2025 (ngành C)", "VSIC 2025 manufacturing code", "vsic")
	}
	f.Certifications = keep(pCert, listParam(q, pCert, true), func(c string) bool {
		_, ok := taxonomy.CertificationByCode(c)
		return ok
	}, "chứng nhận", "certification", "certifications")
	f.Provinces = keep(pProvince, listParam(q, pProvince, true), func(c string) bool {
		_, ok := taxonomy.ProvinceByCode(c)
		return ok
	}, "tỉnh/thành phố có mã", "province with code", "provinces")
	f.Parks = listParam(q, pPark, false) // park names may contain commas
	for _, b := range listParam(q, pSize, true) {
		if slices.Contains(sihub.SizeBands, b) {
			f.SizeBands = append(f.SizeBands, b)
			continue
		}
		p.Add(pSize, sihub.M("Tham số size: quy mô %q không hợp lệ; dùng %s.",
			"Parameter size: %q is not a size band; use %s.", b, strings.Join(sihub.SizeBands, ", ")))
	}
	if v := q.Get(pVerified); v != "" {
		if b, ok := parseBool(v); ok {
			f.Verified = &b
		} else {
			p.Add(pVerified, sihub.M("Tham số verified: phải là true hoặc false, không phải %q.",
				"Parameter verified: must be true or false, not %q.", v))
		}
	}
	if k := sihub.Kind(q.Get(pKind)); k != "" {
		if slices.Contains(sihub.Kinds, k) {
			f.Kind = k
		} else {
			p.Add(pKind, sihub.M("Tham số kind: loại %q không hợp lệ; dùng supplier, buyer hoặc both.",
				"Parameter kind: %q is not a kind; use supplier, buyer or both.", string(k)))
		}
	}
	if v := q.Get(pSort); v != "" {
		if slices.Contains(sihub.SortOrders, v) {
			f.Sort = v
		} else {
			p.Add(pSort, sihub.M("Tham số sort: cách sắp xếp %q không hợp lệ; dùng %s.",
				"Parameter sort: %q is not a sort order; use %s.", v, strings.Join(sihub.SortOrders, ", ")))
		}
	}
	f.Limit = sihub.DefaultLimit
	if v := q.Get(pLimit); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > sihub.MaxLimit {
			p.Add(pLimit, sihub.M("Tham số limit: phải là số từ 1 đến %d, không phải %q.",
				"Parameter limit: must be a number from 1 to %d, not %q.", sihub.MaxLimit, v))
		} else {
			f.Limit = n
		}
	}
	if v := q.Get(pOffset); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			p.Add(pOffset, sihub.M("Tham số offset: phải là số không âm, không phải %q.",
				"Parameter offset: must be a number, zero or more, not %q.", v))
		} else {
			f.Offset = n
		}
	}
	if v := q.Get(pArchived); v != "" {
		b, ok := parseBool(v)
		switch {
		case !ok:
			p.Add(pArchived, sihub.M("Tham số include_archived: phải là true hoặc false, không phải %q.",
				"Parameter include_archived: must be true or false, not %q.", v))
		case b && !staff:
			return f, errArchivedForbidden
		default:
			f.IncludeArchived = b
		}
	}
	switch len(p) {
	case 0:
		return f, nil
	case 1:
		return f, &sihub.Error{Code: sihub.ErrInvalid, Msg: p[0].Msg, Fields: p}
	}
	var params []string
	for _, x := range p {
		params = appendNew(params, x.Field)
	}
	return f, &sihub.Error{Code: sihub.ErrInvalid, Fields: p, Msg: sihub.M(
		"Bộ lọc có giá trị không hợp lệ ở các tham số: %s.", "The filter has values that are not valid in the parameters: %s.",
		strings.Join(params, ", "))}
}

// parseFilter is ParseCompanyFilter for a request whose answer cannot show
// a page (the API, the export): any problem is the answer, 400 for an
// unknown value.
func parseFilter(q url.Values, staff bool) (sihub.CompanyFilter, error) {
	f, err := ParseCompanyFilter(q, staff)
	if sihub.ErrorCode(err) == sihub.ErrInvalid {
		return f, badRequest(err)
	}
	return f, err
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func listParam(q url.Values, key string, commas bool) []string {
	var out []string
	for _, v := range q[key] {
		parts := []string{v}
		if commas {
			parts = strings.Split(v, ",")
		}
		for _, s := range parts {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// filterQuery is the canonical query string of a filter, without paging:
// the base for facet toggles, page links and export links.
func filterQuery(f sihub.CompanyFilter) url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set(pQ, f.Q)
	}
	for key, list := range map[string][]string{
		pProcess: f.Processes, pSector: f.Sectors, pCert: f.Certifications,
		pProvince: f.Provinces, pPark: f.Parks, pSize: f.SizeBands,
	} {
		for _, x := range list {
			v.Add(key, x)
		}
	}
	if f.Verified != nil {
		v.Set(pVerified, strconv.FormatBool(*f.Verified))
	}
	if f.Kind != "" {
		v.Set(pKind, string(f.Kind))
	}
	if f.Sort != "" {
		v.Set(pSort, f.Sort)
	}
	if f.IncludeArchived {
		v.Set(pArchived, "1")
	}
	return v
}

// toggled returns v with value added to key, or removed if present. A
// yes/no filter (verified, kind, include_archived) holds one value at most.
func toggled(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	if slices.Contains(out[key], value) {
		out[key] = slices.DeleteFunc(out[key], func(s string) bool { return s == value })
		if len(out[key]) == 0 {
			delete(out, key)
		}
		return out
	}
	if key == pVerified || key == pKind || key == pArchived {
		out.Set(key, value)
	} else {
		out.Add(key, value)
	}
	return out
}

func withPage(v url.Values, limit, offset int) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	if limit != sihub.DefaultLimit {
		out.Set(pLimit, strconv.Itoa(limit))
	}
	if offset > 0 {
		out.Set(pOffset, strconv.Itoa(offset))
	}
	return out
}

func pathWith(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
