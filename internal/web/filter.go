package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
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
)

// facetParams are the filters the directory shows as facets, in display order.
var facetParams = []string{pProcess, pSector, pCert, pProvince, pPark, pSize, pVerified}

// parseFilter reads a directory query. Malformed parameters give a 400
// naming each one.
func parseFilter(q url.Values) (sihub.CompanyFilter, error) {
	var f sihub.CompanyFilter
	var p sihub.Problems
	f.Q = strings.TrimSpace(q.Get(pQ))
	if f.Q != "" {
		f.Terms, f.Words = match.ParseQuery(f.Q)
	}
	f.Processes = listParam(q, pProcess, true)
	f.Sectors = listParam(q, pSector, true)
	f.Certifications = listParam(q, pCert, true)
	f.Provinces = listParam(q, pProvince, true)
	f.Parks = listParam(q, pPark, false) // park names may contain commas
	f.SizeBands = listParam(q, pSize, true)
	for _, b := range f.SizeBands {
		if !slices.Contains(sihub.SizeBands, b) {
			p.Add(pSize, sihub.M("Quy mô %q không hợp lệ; dùng micro, small, medium hoặc large.",
				"Size %q is not valid; use micro, small, medium or large.", b))
		}
	}
	switch v := strings.ToLower(q.Get(pVerified)); v {
	case "":
	case "true", "1", "yes":
		t := true
		f.Verified = &t
	case "false", "0", "no":
		t := false
		f.Verified = &t
	default:
		p.Add(pVerified, sihub.M("Giá trị verified phải là true hoặc false, không phải %q.", "verified must be true or false, not %q.", v))
	}
	if k := sihub.Kind(q.Get(pKind)); k != "" {
		if !slices.Contains(sihub.Kinds, k) {
			p.Add(pKind, sihub.M("Loại %q không hợp lệ; dùng supplier, buyer hoặc both.", "Kind %q is not valid; use supplier, buyer or both.", string(k)))
		}
		f.Kind = k
	}
	if s := q.Get(pSort); s != "" {
		if !slices.Contains(sihub.SortOrders, s) {
			p.Add(pSort, sihub.M("Cách sắp xếp %q không hợp lệ; dùng %s.", "Sort order %q is not valid; use %s.", s, strings.Join(sihub.SortOrders, ", ")))
		}
		f.Sort = s
	}
	f.Limit = sihub.DefaultLimit
	if s := q.Get(pLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > sihub.MaxLimit {
			p.Add(pLimit, sihub.M("limit phải là số từ 1 đến %d.", "limit must be a number from 1 to %d.", sihub.MaxLimit))
		} else {
			f.Limit = n
		}
	}
	if s := q.Get(pOffset); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			p.Add(pOffset, sihub.M("offset phải là số không âm.", "offset must be a number, zero or more."))
		} else {
			f.Offset = n
		}
	}
	if err := p.Err(); err != nil {
		return f, badRequest(err)
	}
	return f, nil
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
	return v
}

// toggled returns v with value added to key, or removed if present. A
// yes/no filter (verified) holds one value at most.
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
	if key == pVerified || key == pKind {
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
