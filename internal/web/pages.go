package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// ---- Home

type homePage struct {
	basePage
	Stats        store.Stats
	TopProcesses []facetLink
}

func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.db.Stats(ctx)
	if err != nil {
		return err
	}
	// The process facet of the whole directory is the count of each process.
	all, err := s.db.FindCompanies(ctx, sihub.CompanyFilter{Limit: 1}, true)
	if err != nil {
		return err
	}
	p := &homePage{basePage: s.base(r, "home.title"), Stats: st}
	p.Nav = "home"
	p.Title = ""
	lang := p.Lang
	if all.Facets != nil {
		for i, fv := range all.Facets.Processes {
			if i == 12 {
				break
			}
			p.TopProcesses = append(p.TopProcesses, facetLink{
				Label: processLabel(lang, fv.Value),
				Count: fv.Count,
				URL:   pathWith("/companies", toggled(nil, pProcess, fv.Value)),
			})
		}
	}
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// ---- Directory

type facetLink struct {
	Label string
	Count int
	On    bool
	URL   string
}

type facetGroup struct {
	Title  string
	Values []facetLink
}

type hiddenInput struct{ Name, Value string }

type pageLink struct {
	Label   string
	URL     string
	Current bool
	Gap     bool
}

type directoryPage struct {
	basePage
	Q                     string
	Understood            []string
	Active                []facetLink
	ClearURL              string
	Facets                []facetGroup
	Hidden                []hiddenInput
	Sorts, Limits         []option
	Companies             []*sihub.Company
	Total, From, To       int
	Pages                 []pageLink
	Prev, Next            string
	ExportCSV, ExportXLSX string
	// Problems are the filter values that could not be read, each named
	// with its parameter; the page shows the results of the rest.
	Problems []string
	// Archived switches archived profiles in and out of the list: staff only.
	Archived *facetLink
	// FirstPage links back when the offset is past the last result.
	FirstPage string
}

func (s *server) directory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	staff := principal(r).CanSeeArchived()
	if !staff {
		q.Del(pArchived) // a staff link shared with the public just shows the public list
	}
	f, ferr := ParseCompanyFilter(q, staff)
	if ferr != nil && sihub.ErrorCode(ferr) != sihub.ErrInvalid {
		return ferr
	}
	res, err := s.db.FindCompanies(r.Context(), f, true)
	if err != nil {
		return err
	}
	p := &directoryPage{basePage: s.base(r, "dir.title"), Q: f.Q, Companies: res.Items, Total: res.Total}
	p.Nav = "companies"
	lang := p.Lang
	for _, fe := range sihub.FieldsOf(ferr) {
		p.Problems = append(p.Problems, fe.Msg.In(lang))
	}
	base := filterQuery(f)

	p.Understood = understood(lang, f.Q)
	for _, key := range facetParams {
		for _, v := range base[key] {
			p.Active = append(p.Active, facetLink{Label: facetLabel(lang, key, v), URL: pathWith("/companies", withPage(toggled(base, key, v), f.Limit, 0))})
		}
	}
	if f.Kind != "" {
		p.Active = append(p.Active, facetLink{Label: tr(lang, "kind."+string(f.Kind)), URL: pathWith("/companies", withPage(toggled(base, pKind, string(f.Kind)), f.Limit, 0))})
	}
	clear := withPage(nil, f.Limit, 0)
	if f.Q != "" {
		clear.Set(pQ, f.Q)
	}
	p.ClearURL = pathWith("/companies", clear)
	// The search form carries the active filters along, so that a new
	// search keeps them; q, sort and limit are its own fields.
	for _, key := range append(slices.Clone(facetParams), pKind, pArchived) {
		for _, v := range base[key] {
			p.Hidden = append(p.Hidden, hiddenInput{key, v})
		}
	}
	if res.Facets != nil {
		p.Facets = s.facetGroups(lang, res.Facets, base, f.Limit)
	}
	if staff {
		p.Archived = &facetLink{Label: tr(lang, "dir.archived.show"), On: f.IncludeArchived,
			URL: pathWith("/companies", withPage(toggled(base, pArchived, "1"), f.Limit, 0))}
	}
	for _, o := range sihub.SortOrders {
		p.Sorts = append(p.Sorts, option{Value: o, Label: tr(lang, "sort."+o), Selected: o == f.Sort || (f.Sort == "" && o == sihub.SortRelevance)})
	}
	for _, n := range []int{20, 50, 100} {
		p.Limits = append(p.Limits, option{Value: strconv.Itoa(n), Label: tr(lang, "dir.perpage.n", n), Selected: n == f.Limit})
	}
	if !slices.ContainsFunc(p.Limits, func(o option) bool { return o.Selected }) {
		p.Limits = append(p.Limits, option{Value: strconv.Itoa(f.Limit), Label: tr(lang, "dir.perpage.n", f.Limit), Selected: true})
	}
	switch {
	case len(res.Items) > 0:
		p.From = f.Offset + 1
		p.To = f.Offset + len(res.Items)
		p.Pages, p.Prev, p.Next = pagination(base, f.Limit, f.Offset, res.Total)
	case res.Total > 0:
		// Past the last result (a stale link, an edited offset): no pager
		// pointing further on, and the way back.
		p.FirstPage = pathWith("/companies", withPage(base, f.Limit, 0))
	}
	p.ExportCSV = pathWith("/export", withFormat(base, "csv"))
	p.ExportXLSX = pathWith("/export", withFormat(base, "xlsx"))
	s.render(w, r, http.StatusOK, "companies", p)
	return nil
}

func withFormat(v url.Values, format string) url.Values {
	out := url.Values{"format": {format}}
	for k, vs := range v {
		out[k] = vs
	}
	return out
}

func (s *server) facetGroups(lang sihub.Lang, fc *sihub.Facets, base url.Values, limit int) []facetGroup {
	lists := map[string][]sihub.FacetValue{
		pProcess: fc.Processes, pSector: fc.Sectors, pCert: fc.Certifications, pProvince: fc.Provinces,
		pPark: fc.Parks, pSize: fc.SizeBands, pVerified: fc.Verified,
	}
	var out []facetGroup
	for _, key := range facetParams {
		g := facetGroup{Title: tr(lang, "facet."+key)}
		seen := map[string]bool{}
		for _, fv := range lists[key] {
			if fv.Value == "" {
				continue
			}
			seen[fv.Value] = true
			g.Values = append(g.Values, facetLink{
				Label: facetLabel(lang, key, fv.Value),
				Count: fv.Count,
				On:    slices.Contains(base[key], fv.Value),
				URL:   pathWith("/companies", withPage(toggled(base, key, fv.Value), limit, 0)),
			})
		}
		// An active filter whose value has no companies left still shows,
		// so that it can be switched off where it was switched on.
		for _, v := range base[key] {
			if !seen[v] {
				g.Values = append(g.Values, facetLink{Label: facetLabel(lang, key, v), On: true,
					URL: pathWith("/companies", withPage(toggled(base, key, v), limit, 0))})
			}
		}
		out = append(out, g)
	}
	return out
}

// pagination returns page links around the current page, the first and
// last pages, and gaps between.
func pagination(base url.Values, limit, offset, total int) (pages []pageLink, prev, next string) {
	if limit <= 0 || total <= limit && offset == 0 {
		return nil, "", ""
	}
	n := (total + limit - 1) / limit
	cur := offset/limit + 1
	link := func(page int) string {
		return pathWith("/companies", withPage(base, limit, (page-1)*limit))
	}
	last := 0
	for i := 1; i <= n; i++ {
		if i != 1 && i != n && (i < cur-2 || i > cur+2) {
			continue
		}
		if last != 0 && i > last+1 {
			pages = append(pages, pageLink{Gap: true})
		}
		pages = append(pages, pageLink{Label: strconv.Itoa(i), URL: link(i), Current: i == cur})
		last = i
	}
	if cur > 1 {
		prev = link(cur - 1)
	}
	if cur < n {
		next = link(cur + 1)
	}
	return pages, prev, next
}

// ---- Profile

type capView struct {
	Label    string
	Core     bool
	Inferred bool
	Evidence string
}

type certView struct {
	Label, Title, Number, Issuer, ValidUntil string
	Status                                   string // "valid", "expired" or "unknown"
	Inferred                                 bool
	Evidence                                 string
}

type equipView struct {
	Label    string
	Count    int
	Capacity string
	Inferred bool
	Evidence string
}

type sectorView struct{ Code, Name string }

type profilePage struct {
	basePage
	C              *sihub.Company
	Parent         *sihub.Company
	ParentTax      string
	ProvinceName   string
	FormerProvince string
	WardName       string
	Sectors        []sectorView
	DocKinds       []option
	// Panels are the recognized-versus-as-written sections, in order.
	Panels []recognizedPanel
	// Contacts says whether the reader may see the contact people, or
	// why not today.
	Contacts contactAccess
	// What the reader may do here, as the policy says.
	CanEdit, CanVerify, CanDocuments, CanHistory, CanEraseContact bool
}

// recognizedPanel is one profile section showing what SIHub recognized
// beside what the company wrote: chips for capabilities and materials, a
// table for certifications and equipment.
type recognizedPanel struct {
	Title     string // catalogue key
	Chips     []capView
	Legend    bool // explain the chip styles (core, supplementary, inferred)
	Certs     []certView
	Equipment []equipView
	Text      string // as written
}

func (s *server) profile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.readableCompany(r, id)
	if err != nil {
		return err
	}
	who := principal(r)
	contacts, err := s.contactsFor(r.Context(), who, c, true)
	if err != nil {
		return err
	}
	p := &profilePage{basePage: s.base(r, ""), C: c, Contacts: contacts,
		CanEdit: who.CanEditCompany(c), CanVerify: who.CanVerify(), CanDocuments: who.CanChangeDocuments(c),
		CanHistory: who.CanSeeHistory(c), CanEraseContact: who.CanEraseContact()}
	p.Title = c.Name
	p.Nav = "companies"
	if who.MemberOf(c.ID) {
		p.Nav = "mycompany"
	}
	lang := p.Lang
	p.ParentTax = sihub.TaxParent(c.TaxCode)
	if c.ParentID != 0 {
		// An archived parent the reader may not see shows as not listed.
		if parent, err := s.readableCompany(r, c.ParentID); err == nil {
			p.Parent = parent
		} else if sihub.ErrorCode(err) != sihub.ErrNotFound {
			return err
		}
	}
	p.ProvinceName = provinceName(lang, c.ProvinceCode)
	p.FormerProvince = formerProvince(c.ProvinceInput, c.ProvinceCode)
	p.WardName = wardName(c.WardCode)
	for _, code := range c.Sectors {
		p.Sectors = append(p.Sectors, sectorView{code, vsicName(lang, code)})
	}
	// Core capabilities first, declared before inferred, keeping the
	// recognizer's order otherwise.
	sorted := slices.Clone(c.Capabilities)
	slices.SortStableFunc(sorted, func(a, b sihub.Capability) int {
		return rank(a.Core, a.Source) - rank(b.Core, b.Source)
	})
	var (
		caps, materials []capView
		certs           []certView
		equipment       []equipView
	)
	for _, x := range sorted {
		caps = append(caps, capView{processLabel(lang, x.Process), x.Core, x.Source == sihub.Inferred, x.Evidence})
	}
	for _, x := range c.Materials {
		materials = append(materials, capView{Label: materialLabel(lang, x.Code), Inferred: x.Source == sihub.Inferred, Evidence: x.Evidence})
	}
	today := s.now().In(vietnam).Format(time.DateOnly)
	for _, x := range c.Certifications {
		cv := certView{Label: certLabel(x.Scheme), Title: certTitle(lang, x.Scheme), Number: x.Number, Issuer: x.Issuer,
			ValidUntil: x.ValidUntil, Status: "unknown", Inferred: x.Source == sihub.Inferred, Evidence: x.Evidence}
		if x.ValidUntil != "" {
			cv.Status = "valid"
			if x.ValidUntil < today {
				cv.Status = "expired"
			}
			if t, err := time.Parse(time.DateOnly, x.ValidUntil); err == nil {
				cv.ValidUntil = formatTime(lang, t, false)
			}
		}
		certs = append(certs, cv)
	}
	for _, x := range c.Equipment {
		equipment = append(equipment, equipView{Label: equipmentLabel(lang, x.Kind), Count: x.Count,
			Capacity: capacity(lang, x), Inferred: x.Source == sihub.Inferred, Evidence: x.Evidence})
	}
	p.Panels = []recognizedPanel{
		{Title: "company.capabilities", Chips: caps, Legend: true, Text: c.CapabilitiesText},
		{Title: "company.materials", Chips: materials, Text: c.MaterialsText},
		{Title: "company.certifications", Certs: certs, Text: c.CertificationsText},
		{Title: "company.equipment", Equipment: equipment, Text: c.EquipmentText},
	}
	for _, k := range sihub.DocumentKinds {
		p.DocKinds = append(p.DocKinds, option{Value: k, Label: tr(lang, "doc.kind."+k)})
	}
	s.render(w, r, http.StatusOK, "company", p)
	return nil
}

func rank(core bool, src sihub.Source) int {
	n := 0
	if !core {
		n += 2
	}
	if src == sihub.Inferred {
		n++
	}
	return n
}

// capacity writes an equipment capacity as "80–450 t" or "450 t".
func capacity(lang sihub.Lang, e sihub.Equipment) string {
	if e.Capacity == 0 {
		return ""
	}
	num := func(f float64) string {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if lang == sihub.VI {
			s = replaceDot(s)
		}
		return s
	}
	out := num(e.Capacity)
	if e.CapacityMin > 0 && e.CapacityMin != e.Capacity {
		out = num(e.CapacityMin) + "–" + out
	}
	if e.Unit != "" {
		out += " " + e.Unit
	}
	return out
}

func replaceDot(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy %q.", "%q was not found.", r.PathValue(name))
	}
	return id, nil
}

// ---- Language switch

func (s *server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang, ok := exactLang(r.PathValue("lang"))
	if !ok {
		return sihub.Errorf(sihub.ErrNotFound, "Ngôn ngữ %q không được hỗ trợ.", "Language %q is not supported.", r.PathValue("lang"))
	}
	s.setLangCookie(w, r, lang)
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}
