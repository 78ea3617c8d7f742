package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// Opportunities (the open demands a supplier qualifies or nearly qualifies
// for), the center's supply-gap view (every open demand with its counts of
// qualified and near-miss suppliers), and each person's choice of how new
// opportunities reach them by email (notices.go sends them).

// opportunityRoutes are the opportunities, supply-gap and notification
// settings pages and API.
func (s *server) opportunityRoutes() []route {
	return []route{
		{"GET /companies/{id}/opportunities", s.opportunitiesPage},
		// GET /api/v1/companies/{id}/opportunities, written with a
		// wildcard: a literal last segment would conflict with GET
		// /api/v1/companies/by-tax-code/{tax_code}, which both would
		// match for ".../by-tax-code/opportunities". The by-tax-code
		// route, more specific, still wins for its paths.
		{"GET /api/v1/companies/{id}/{view}", s.apiCompanyView},
		{"GET /gaps", s.gapsPage},
		{"GET /gaps.xlsx", s.gapsXLSX},
		{"GET /api/v1/gaps", s.apiGaps},
		{"POST /account/notify", s.notifyPage},
		{"PUT /api/v1/me/notify", s.apiNotify},
	}
}

// ---- Open demands

// eachOpenDemand calls fn with every open demand f selects, paging through
// them all.
func (s *server) eachOpenDemand(ctx context.Context, f store.DemandFilter, fn func(*sihub.Demand)) error {
	f.Status, f.Limit = sihub.DemandOpen, sihub.MaxLimit
	seen := map[int64]bool{} // a demand written meanwhile may move between pages
	for f.Offset = 0; ; f.Offset += sihub.MaxLimit {
		ds, err := s.db.Demands(ctx, f)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if !seen[d.ID] {
				seen[d.ID] = true
				fn(d)
			}
		}
		if len(ds) < sihub.MaxLimit {
			return nil
		}
	}
}

// current reports whether d is open and its deadline, if any, not past at
// now: an opportunity still worth telling a supplier of.
func current(d *sihub.Demand, now time.Time) bool {
	return d.Status == sihub.DemandOpen && (d.Deadline == nil || !d.Deadline.Before(now))
}

// demandTitle is d's title in lang, or in the other language when it has
// none in lang.
func demandTitle(lang sihub.Lang, d *sihub.Demand) string {
	if lang == sihub.EN && d.TitleEn != "" || d.Title == "" {
		return d.TitleEn
	}
	return d.Title
}

func demandPath(id int64) string { return "/demands/" + strconv.FormatInt(id, 10) }

func msgs(ms []sihub.Msg, lang sihub.Lang) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.In(lang)
	}
	return out
}

// ---- Opportunities

// opportunity is an open demand a company qualifies or nearly qualifies
// for.
type opportunity struct {
	Demand    *sihub.Demand
	Qualified bool
	Score     float64
	Reasons   []sihub.Msg
	Gaps      []sihub.Msg
}

// opportunities returns the current demands company companyID qualifies or
// nearly qualifies for that p may see — a center-only demand only when p is
// of the center, so that a supplier never learns of one — qualified first,
// each group best first.
func (s *server) opportunities(ctx context.Context, p *sihub.Principal, companyID int64) ([]opportunity, error) {
	ix, err := s.matcher(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []opportunity
	err = s.eachOpenDemand(ctx, store.DemandFilter{}, func(d *sihub.Demand) {
		if d.BuyerID == companyID || !current(d, now) || !p.CanSeeDemand(d) {
			return
		}
		a, ok := ix.Assess(d, companyID, now)
		if !ok || !a.Qualified && !a.Near {
			return
		}
		out = append(out, opportunity{Demand: d, Qualified: a.Qualified, Score: a.Score, Reasons: a.Reasons, Gaps: a.Gaps})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b opportunity) int {
		if a.Qualified != b.Qualified {
			if a.Qualified {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(len(a.Gaps), len(b.Gaps)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Demand.ID, b.Demand.ID)
	})
	return out, nil
}

// opportunityCompany loads the company of the path for an opportunities
// request.
func (s *server) opportunityCompany(r *http.Request) (*sihub.Company, error) {
	return s.pathCompany(r, func(p *sihub.Principal, c *sihub.Company) bool { return p.CanSeeOpportunities(c.ID) })
}

// demandBrief is a demand as an opportunity or the gap view shows it: what
// a supplier needs to judge it, never the target price or the terms.
type demandBrief struct {
	ID               int64              `json:"id"`
	URL              string             `json:"url"`
	BuyerID          int64              `json:"buyer_id"`
	BuyerTaxCode     string             `json:"buyer_tax_code"`
	BuyerName        string             `json:"buyer_name"`
	Ref              string             `json:"ref"`
	Title            string             `json:"title"`
	TitleEn          string             `json:"title_en"`
	Processes        []string           `json:"processes"`
	Materials        []string           `json:"materials"`
	Certifications   []string           `json:"certifications"`
	MinCapacity      *sihub.CapacityReq `json:"min_capacity,omitempty"`
	AnnualVolume     float64            `json:"annual_volume,omitempty"`
	Unit             string             `json:"unit,omitempty"`
	DeliveryProvince string             `json:"delivery_province,omitempty"`
	Deadline         *time.Time         `json:"deadline,omitempty"`
	Visibility       string             `json:"visibility"`
}

func briefOf(d *sihub.Demand) demandBrief {
	return demandBrief{ID: d.ID, URL: demandPath(d.ID), BuyerID: d.BuyerID, BuyerTaxCode: d.BuyerTaxCode, BuyerName: d.BuyerName,
		Ref: d.Ref, Title: d.Title, TitleEn: d.TitleEn,
		Processes: nonNilStrings(d.Processes), Materials: nonNilStrings(d.Materials), Certifications: nonNilStrings(d.Certifications),
		MinCapacity: d.MinCapacity, AnnualVolume: d.AnnualVolume, Unit: d.Unit, DeliveryProvince: d.DeliveryProvince,
		Deadline: d.Deadline, Visibility: string(d.Visibility)}
}

func nonNilStrings(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

type opportunityJSON struct {
	Demand    demandBrief `json:"demand"`
	Qualified bool        `json:"qualified"`
	Score     float64     `json:"score"`
	Reasons   []string    `json:"reasons"`
	Gaps      []string    `json:"gaps"`
}

type opportunityList struct {
	CompanyID  int64             `json:"company_id"`
	Items      []opportunityJSON `json:"items"`
	Qualified  int               `json:"qualified"`
	NearMisses int               `json:"near_misses"`
}

// apiCompanyView serves GET /api/v1/companies/{id}/{view}; opportunities
// is the only view.
func (s *server) apiCompanyView(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("view") != "opportunities" {
		return s.notFound(w, r)
	}
	c, err := s.opportunityCompany(r)
	if err != nil {
		return err
	}
	ops, err := s.opportunities(r.Context(), principal(r), c.ID)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	out := opportunityList{CompanyID: c.ID, Items: make([]opportunityJSON, len(ops))}
	for i, o := range ops {
		out.Items[i] = opportunityJSON{Demand: briefOf(o.Demand), Qualified: o.Qualified, Score: o.Score,
			Reasons: msgs(o.Reasons, lang), Gaps: msgs(o.Gaps, lang)}
		if o.Qualified {
			out.Qualified++
		} else {
			out.NearMisses++
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type opportunityView struct {
	ID        int64
	Title     string
	Ref       string
	Buyer     string
	Deadline  *time.Time
	Center    bool // shown to the center only
	Qualified bool
	Processes []string
	Reasons   []string
	Gaps      []string
}

type opportunitiesPage struct {
	basePage
	Company   *sihub.Company
	Items     []opportunityView
	Qualified int
	Near      int
	// Unverified: the company's own people see no demand until the center
	// verifies the company, and the page says so.
	Unverified bool
}

func (s *server) opportunitiesPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.opportunityCompany(r)
	if err != nil {
		return err
	}
	p := principal(r)
	ops, err := s.opportunities(r.Context(), p, c.ID)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	page := &opportunitiesPage{basePage: s.base(r, ""), Company: c, Unverified: !c.Verified && !p.Staff()}
	page.Title = tr(lang, "opportunity.title", c.Name)
	page.Nav = "opportunities"
	for _, o := range ops {
		d := o.Demand
		procs := make([]string, len(d.Processes))
		for i, code := range d.Processes {
			procs[i] = processLabel(lang, code)
		}
		page.Items = append(page.Items, opportunityView{ID: d.ID, Title: demandTitle(lang, d), Ref: d.Ref, Buyer: d.BuyerName,
			Deadline: d.Deadline, Center: d.Visibility == sihub.VisibleCenter, Qualified: o.Qualified, Processes: procs,
			Reasons: msgs(o.Reasons, lang), Gaps: msgs(o.Gaps, lang)})
		if o.Qualified {
			page.Qualified++
		} else {
			page.Near++
		}
	}
	s.render(w, r, http.StatusOK, "opportunities", page)
	return nil
}

// ---- Supply gaps

// gapStats is how the suppliers stand towards one demand.
type gapStats struct {
	Qualified int
	Near      int
	Closest   *match.NearMiss // the near miss with the fewest gaps and the best score; nil when none
}

// gapCache keeps gapStats per demand for the index generation and the
// Vietnam day they were computed in (certificates expire by the day), so
// that the gap view, asked again and again, matches only the demands
// changed since. It holds one index's entries — a server has one index —
// and starts over when the index, its generation or the day changes, which
// also bounds its size. Each server has its own (server.gaps).
type gapCache struct {
	mu   sync.Mutex
	ix   *match.Index
	gen  uint64
	day  string
	rows map[gapKey]gapStats
}

type gapKey struct {
	id      int64
	updated time.Time
}

// stats returns d's stats in ix at now, from the cache when it has them.
func (c *gapCache) stats(ix *match.Index, d *sihub.Demand, now time.Time) gapStats {
	gen, day := ix.Generation(), now.In(vietnam).Format(time.DateOnly)
	key := gapKey{d.ID, d.UpdatedAt}
	c.mu.Lock()
	if c.ix != ix || c.gen != gen || c.day != day || c.rows == nil {
		c.ix, c.gen, c.day, c.rows = ix, gen, day, map[gapKey]gapStats{}
	}
	st, ok := c.rows[key]
	c.mu.Unlock()
	if ok {
		return st
	}
	res := ix.Match(d, now, 1)
	st = gapStats{Qualified: res.Qualified, Near: res.NearMissCount}
	if len(res.NearMisses) > 0 {
		st.Closest = &res.NearMisses[0]
	}
	c.mu.Lock()
	// Only when nothing moved meanwhile: an entry of an older generation
	// must not land in a newer one's map.
	if c.ix == ix && c.gen == gen && c.day == day {
		c.rows[key] = st
	}
	c.mu.Unlock()
	return st
}

// demandSectors are the supporting-industry sectors (taxonomy.Sectors) of
// d's required processes: the sector filter of the gap view, since the
// center runs its programs by these sectors, and a buyer's VSIC codes say
// what the buyer makes, not what it needs made.
func demandSectors(d *sihub.Demand) []string {
	var out []string
	for _, code := range d.Processes {
		if p, ok := taxonomy.ProcessByCode(code); ok && !slices.Contains(out, p.Sector) {
			out = append(out, p.Sector)
		}
	}
	return out
}

// gapFilter is what the gap view shows: every open demand, or only those
// with no qualified supplier (None), of one buyer (tax code), of one sector.
type gapFilter struct {
	None   bool
	Buyer  string
	Sector string
}

func (f gapFilter) query() string {
	v := url.Values{}
	if f.None {
		v.Set("none", "1")
	}
	if f.Buyer != "" {
		v.Set("buyer", f.Buyer)
	}
	if f.Sector != "" {
		v.Set("sector", f.Sector)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func parseGapFilter(q url.Values) (gapFilter, error) {
	f := gapFilter{None: isTrue(q.Get("none")), Sector: strings.TrimSpace(q.Get("sector"))}
	var p sihub.Problems
	if b := strings.TrimSpace(q.Get("buyer")); b != "" {
		tc, err := sihub.ParseTaxCode(b)
		if err != nil {
			p.Add("buyer", sihub.ErrorMsg(err))
		}
		f.Buyer = tc
	}
	if f.Sector != "" {
		if _, ok := taxonomy.SectorByCode(f.Sector); !ok {
			var codes []string
			for _, s := range taxonomy.Sectors() {
				codes = append(codes, s.Code)
			}
			p.Add("sector", sihub.M("Ngành %q không có; dùng một trong %s.", "There is no sector %q; use one of %s.",
				f.Sector, strings.Join(codes, ", ")))
		}
	}
	if err := p.Err(); err != nil {
		return f, badRequest(err)
	}
	return f, nil
}

// gapRow is one open demand of the gap view.
type gapRow struct {
	Demand  *sihub.Demand
	Sectors []string
	gapStats
}

// supplyGaps returns the open demands f selects with their stats, those
// with the fewest qualified suppliers first.
func (s *server) supplyGaps(ctx context.Context, f gapFilter) ([]gapRow, error) {
	ix, err := s.matcher(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var rows []gapRow
	err = s.eachOpenDemand(ctx, store.DemandFilter{BuyerTaxCode: f.Buyer}, func(d *sihub.Demand) {
		sectors := demandSectors(d)
		if f.Sector != "" && !slices.Contains(sectors, f.Sector) {
			return
		}
		st := s.gaps.stats(ix, d, now)
		if f.None && st.Qualified > 0 {
			return
		}
		rows = append(rows, gapRow{Demand: d, Sectors: sectors, gapStats: st})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b gapRow) int {
		if c := cmp.Compare(a.Qualified, b.Qualified); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Near, b.Near); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Demand.BuyerTaxCode, b.Demand.BuyerTaxCode); c != 0 {
			return c
		}
		return cmp.Compare(a.Demand.Ref, b.Demand.Ref)
	})
	return rows, nil
}

// gapsRequest checks that r may see the gap view and reads its filter.
func (s *server) gapsRequest(r *http.Request) ([]gapRow, gapFilter, error) {
	if p := principal(r); !p.CanSeeSupplyGaps() {
		return nil, gapFilter{}, refuse(p)
	}
	f, err := parseGapFilter(r.URL.Query())
	if err != nil {
		return nil, f, err
	}
	rows, err := s.supplyGaps(r.Context(), f)
	return rows, f, err
}

type closestJSON struct {
	CompanyID int64    `json:"company_id"`
	TaxCode   string   `json:"tax_code"`
	Name      string   `json:"name"`
	Gaps      []string `json:"gaps"`
}

type gapJSON struct {
	Demand     demandBrief  `json:"demand"`
	Sectors    []string     `json:"sectors"`
	Qualified  int          `json:"qualified"`
	NearMisses int          `json:"near_misses"`
	Closest    *closestJSON `json:"closest,omitempty"`
}

type gapList struct {
	Items []gapJSON `json:"items"`
	Total int       `json:"total"`
}

func (s *server) apiGaps(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := s.gapsRequest(r)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	out := gapList{Items: make([]gapJSON, len(rows)), Total: len(rows)}
	for i, g := range rows {
		out.Items[i] = gapJSON{Demand: briefOf(g.Demand), Sectors: nonNilStrings(g.Sectors), Qualified: g.Qualified, NearMisses: g.Near}
		if c := g.Closest; c != nil {
			out.Items[i].Closest = &closestJSON{CompanyID: c.Company.ID, TaxCode: c.Company.TaxCode, Name: c.Company.Name, Gaps: msgs(c.Gaps, lang)}
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type gapView struct {
	ID          int64
	BuyerID     int64
	Buyer       string
	BuyerTax    string
	Ref         string
	Title       string
	Processes   []string
	Qualified   int
	Near        int
	ClosestID   int64
	ClosestName string
	ClosestGaps []string
}

type gapsPage struct {
	basePage
	Rows    []gapView
	Filter  gapFilter
	Sectors []option
	Export  string
}

func (s *server) gapsPage(w http.ResponseWriter, r *http.Request) error {
	rows, f, err := s.gapsRequest(r)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	page := &gapsPage{basePage: s.base(r, "gaps.title"), Filter: f, Export: "/gaps.xlsx" + f.query()}
	page.Nav = "gaps"
	page.Sectors = append(page.Sectors, option{Value: "", Label: tr(lang, "gaps.sector.all")})
	for _, sec := range taxonomy.Sectors() {
		page.Sectors = append(page.Sectors, option{Value: sec.Code, Label: sec.Label(lang), Selected: sec.Code == f.Sector})
	}
	for _, g := range rows {
		page.Rows = append(page.Rows, gapViewOf(lang, g))
	}
	s.render(w, r, http.StatusOK, "gaps", page)
	return nil
}

func gapViewOf(lang sihub.Lang, g gapRow) gapView {
	d := g.Demand
	v := gapView{ID: d.ID, BuyerID: d.BuyerID, Buyer: d.BuyerName, BuyerTax: d.BuyerTaxCode, Ref: d.Ref, Title: demandTitle(lang, d),
		Qualified: g.Qualified, Near: g.Near}
	for _, code := range d.Processes {
		v.Processes = append(v.Processes, processLabel(lang, code))
	}
	if c := g.Closest; c != nil {
		v.ClosestID, v.ClosestName, v.ClosestGaps = c.Company.ID, c.Company.Name, msgs(c.Gaps, lang)
	}
	return v
}

// gapColumns are the columns of the XLSX export, by catalogue key, and
// their widths.
var gapColumns = []struct {
	key   string
	width float64
}{
	{"gaps.col.buyertax", 16}, {"gaps.col.buyer", 36}, {"gaps.col.ref", 16}, {"gaps.col.title", 44},
	{"gaps.col.processes", 36}, {"gaps.col.qualified", 12}, {"gaps.col.near", 12},
	{"gaps.col.closest", 36}, {"gaps.col.gaps", 50}, {"gaps.col.link", 40},
}

func (s *server) gapsXLSX(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := s.gapsRequest(r)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	f := excelize.NewFile()
	defer f.Close()
	sheet := tr(lang, "gaps.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}) // Text: tax codes keep their zeros
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(gapColumns))
	for i, c := range gapColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		header[i] = excelize.Cell{StyleID: head, Value: tr(lang, c.key)}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, g := range rows {
		v := gapViewOf(lang, g)
		cells := []any{
			excelize.Cell{StyleID: text, Value: v.BuyerTax}, excelize.Cell{StyleID: text, Value: v.Buyer},
			excelize.Cell{StyleID: text, Value: v.Ref}, excelize.Cell{StyleID: text, Value: v.Title},
			excelize.Cell{StyleID: text, Value: strings.Join(v.Processes, ", ")},
			v.Qualified, v.Near,
			excelize.Cell{StyleID: text, Value: v.ClosestName},
			excelize.Cell{StyleID: text, Value: strings.Join(v.ClosestGaps, "; ")},
			excelize.Cell{StyleID: text, Value: s.link(demandPath(v.ID))},
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	name := "sihub-supply-gaps-" + s.now().In(vietnam).Format("2006-01-02") + ".xlsx"
	w.Header().Set("Content-Type", sihub.TypeXLSX)
	w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	w.Header().Set("Cache-Control", "private, no-store")
	return f.Write(w)
}

// ---- How new opportunities reach a person

type notifyInput struct {
	Notify sihub.NotifyMode `json:"notify"`
}

// setNotify stores p's choice m, or says what is wrong with it.
func (s *server) setNotify(ctx context.Context, p *sihub.Principal, m sihub.NotifyMode) error {
	if !m.Valid() {
		msg := sihub.M("Cách nhận thông báo phải là immediate (ngay), daily (bản tin hằng ngày) hoặc none (không nhận).",
			"How you hear of opportunities must be immediate, daily (a daily digest) or none.")
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: msg, Fields: sihub.Problems{{Field: "notify", Msg: msg}}}
	}
	return s.db.SetNotify(ctx, p.UserID(), m)
}

func (s *server) notifyPage(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	if err := s.setNotify(r.Context(), p, sihub.NotifyMode(r.PostForm.Get("notify"))); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=account.notify#notify", http.StatusSeeOther)
	return nil
}

func (s *server) apiNotify(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	var in notifyInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.setNotify(r.Context(), p, in.Notify); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}
