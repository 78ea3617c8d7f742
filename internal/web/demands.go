package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/xuri/excelize/v2"
)

// Demands: a buyer's sourcing requests, one per part. The buyer's people
// and the center manage them and see their ranked suppliers; verified
// suppliers' people see the open ones the buyer showed to verified
// suppliers, never the target price (Demand.For). Every answer asks the
// policy (CanSeeDemand and the rest); a demand the reader may not see is
// not found, so that drafts and center-only demands do not show through.

// demandRoutes are the demand pages and API.
func (s *server) demandRoutes() []route {
	return []route{
		{"GET /demands", s.demandsPage},
		{"GET /demands/new", s.newDemandForm},
		{"POST /demands", s.createDemandForm},
		{"GET /demands/import", s.demandImportForm},
		{"POST /demands/import", s.demandImportPost},
		{"GET /demands/{id}", s.demandPage},
		{"GET /demands/{id}/edit", s.editDemandForm},
		{"POST /demands/{id}", s.updateDemandForm},
		{"POST /demands/{id}/status", s.demandStatusPage},
		{"GET /templates/demands.csv", s.demandTemplate(sheet.FormatCSV)},
		{"GET /templates/demands.xlsx", s.demandTemplate(sheet.FormatXLSX)},

		{"GET /api/v1/demands", s.apiListDemands},
		{"POST /api/v1/demands", s.apiCreateDemand},
		{"GET /api/v1/demands/{id}", s.apiGetDemand},
		{"PUT /api/v1/demands/{id}", s.apiUpdateDemand},
		{"GET /api/v1/demands/{id}/matches", s.apiDemandMatches},
		{"POST /api/v1/imports/demands", s.apiImportDemands},
	}
}

// ---- Reading demands as the reader may

func demandNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy nhu cầu #%d.", "Demand #%d was not found.", id)
}

// readableDemand loads demand id for r: signed-out readers are asked to
// sign in, and a demand r may not see is not found.
func (s *server) readableDemand(r *http.Request, id int64) (*sihub.Demand, error) {
	p := principal(r)
	if !p.SignedIn() {
		return nil, errSignIn
	}
	d, err := s.db.Demand(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !p.CanSeeDemand(d) {
		return nil, demandNotFound(id)
	}
	return d, err
}

// pathDemand loads the demand the path's {id} names for an action r's
// principal must be allowed (may): not found when they may not see the
// demand, refused when they may see it but not do this.
func (s *server) pathDemand(r *http.Request, may func(*sihub.Principal, *sihub.Demand) bool) (*sihub.Demand, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := s.readableDemand(r, id)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	return d, allow(p, may(p, d))
}

func canSee(p *sihub.Principal, d *sihub.Demand) bool { return p.CanSeeDemand(d) }

// ---- Lists

// Scopes of the list for a company's people, who may see two different
// sets: their own company's demands, and the open demands of other buyers
// (when their company is verified).
const (
	scopeOwn  = "own"
	scopeOpen = "open"
)

// demandQuery is a list request as read from the query string.
type demandQuery struct {
	f     store.DemandFilter
	scope string // for company people: scopeOwn or scopeOpen; "" for staff
	// locked says the reader's company may not see others' demands (it
	// is not verified, or it buys and does not supply), so the open scope
	// is empty; lockedBuyer tells the second reason.
	locked, lockedBuyer bool
	problems            sihub.Problems
}

const (
	defaultDemandLimit = 20
	maxDemandLimit     = 100
)

// parseDemandQuery reads the filters of a demand list (page or API) and
// narrows them to what p may see.
func (s *server) parseDemandQuery(ctx context.Context, p *sihub.Principal, q url.Values) (*demandQuery, error) {
	dq := &demandQuery{f: store.DemandFilter{Query: strings.TrimSpace(q.Get("q")), Ref: strings.TrimSpace(q.Get("ref")), Limit: defaultDemandLimit}}
	if v := q.Get("status"); v != "" {
		if slices.Contains(sihub.DemandStatuses, sihub.DemandStatus(v)) {
			dq.f.Status = sihub.DemandStatus(v)
		} else {
			dq.problems.Add("status", sihub.M("Tham số status: phải là draft, open, closed hoặc fulfilled, không phải %q.",
				"Parameter status: must be draft, open, closed or fulfilled, not %q.", v))
		}
	}
	if v := q.Get("buyer_tax_code"); v != "" {
		if tc, err := sihub.ParseTaxCode(v); err == nil {
			dq.f.BuyerTaxCode = tc
		} else {
			dq.problems.Add("buyer_tax_code", sihub.ErrorMsg(err))
		}
	}
	for _, l := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"limit", &dq.f.Limit, 1, maxDemandLimit}, {"offset", &dq.f.Offset, 0, 1 << 30}} {
		v := q.Get(l.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < l.min || n > l.max {
			dq.problems.Add(l.name, sihub.M("Tham số %s: phải là số nguyên từ %d đến %d, không phải %q.",
				"Parameter %s: must be a whole number from %d to %d, not %q.", l.name, l.min, l.max, v))
			continue
		}
		*l.dst = n
	}
	if p.Staff() {
		return dq, nil
	}
	own := p.CompanyID()
	dq.scope = q.Get("scope")
	if dq.scope != scopeOwn && dq.scope != scopeOpen {
		// A company with demands of its own is first a buyer here.
		dq.scope = scopeOpen
		mine, err := s.db.Demands(ctx, store.DemandFilter{BuyerID: own, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(mine) > 0 {
			dq.scope = scopeOwn
		}
	}
	if dq.scope == scopeOwn {
		dq.f.BuyerID, dq.f.BuyerTaxCode = own, ""
		return dq, nil
	}
	// Others' demands: open and shown to verified suppliers.
	if dq.f.Status != "" && dq.f.Status != sihub.DemandOpen {
		dq.problems.Add("status", sihub.M("Nhu cầu của các bên mua khác chỉ hiện khi đang mở: bỏ tham số status hoặc dùng status=open.",
			"Other buyers' demands are shown only while open: leave out status or use status=open."))
	}
	dq.f.Status, dq.f.Visibility = sihub.DemandOpen, sihub.VisibleVerified
	if !p.CanSeeDemand(&sihub.Demand{Status: sihub.DemandOpen, Visibility: sihub.VisibleVerified}) {
		// Another buyer's open demand: hidden from unverified companies,
		// which may be verified, and from buyers, which never see them.
		dq.locked = true
		dq.lockedBuyer = p.User.CompanyVerified
	}
	return dq, nil
}

// listDemands returns one page of the demands dq selects that p may see,
// and how many dq selects in all.
func (s *server) listDemands(ctx context.Context, p *sihub.Principal, dq *demandQuery) ([]*sihub.Demand, int, error) {
	if dq.locked {
		return nil, 0, nil
	}
	total, err := s.db.CountDemands(ctx, dq.f)
	if err != nil {
		return nil, 0, err
	}
	ds, err := s.db.Demands(ctx, dq.f)
	if err != nil {
		return nil, 0, err
	}
	// The filter already says it; the policy has the last word.
	out := ds[:0]
	for _, d := range ds {
		if p.CanSeeDemand(d) {
			out = append(out, d.For(p))
		}
	}
	return out, total, nil
}

type demandRow struct {
	D          *sihub.Demand
	Title      string
	Processes  []string
	Status     string
	CenterOnly bool
}

type demandsPage struct {
	basePage
	Q, Buyer, Status string
	Staff            bool
	Statuses         []option
	Scopes           []facetLink
	Scope            string
	Locked           bool
	LockedBuyer      bool
	Problems         []string
	Rows             []demandRow
	From, To, Total  int
	Prev, Next       string
	CanCreate        bool
	CanImport        bool
}

func (s *server) demandsPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanListDemands() {
		return refuse(p)
	}
	q := r.URL.Query()
	dq, err := s.parseDemandQuery(r.Context(), p, q)
	if err != nil {
		return err
	}
	ds, total, err := s.listDemands(r.Context(), p, dq)
	if err != nil {
		return err
	}
	pg := &demandsPage{Total: total, basePage: s.base(r, "demand.list.title"), Q: dq.f.Query, Buyer: q.Get("buyer_tax_code"),
		Status: string(dq.f.Status), Staff: p.Staff(), Scope: dq.scope, Locked: dq.locked, LockedBuyer: dq.lockedBuyer,
		CanCreate: p.Staff() || p.CanCreateDemandFor(p.CompanyID()), CanImport: p.CanImportDemands()}
	pg.Nav = "demands"
	lang := pg.Lang
	for _, fe := range dq.problems {
		pg.Problems = append(pg.Problems, fe.Msg.In(lang))
	}
	pg.Statuses = []option{{Value: "", Label: tr(lang, "demand.status.any")}}
	for _, st := range sihub.DemandStatuses {
		pg.Statuses = append(pg.Statuses, option{Value: string(st), Label: tr(lang, "demand.status."+string(st)), Selected: st == dq.f.Status})
	}
	if dq.scope != "" {
		for _, sc := range []string{scopeOwn, scopeOpen} {
			pg.Scopes = append(pg.Scopes, facetLink{Label: tr(lang, "demand.scope."+sc), On: sc == dq.scope,
				URL: "/demands?scope=" + sc})
		}
	}
	for _, d := range ds {
		row := demandRow{D: d, Title: demandTitle(lang, d), Status: tr(lang, "demand.status."+string(d.Status)),
			CenterOnly: d.Visibility == sihub.VisibleCenter}
		for _, code := range d.Processes {
			row.Processes = append(row.Processes, processLabel(lang, code))
		}
		pg.Rows = append(pg.Rows, row)
	}
	page := func(offset int) string {
		v := url.Values{}
		for _, k := range []string{"q", "buyer_tax_code", "status", "ref", "limit"} {
			if x := q.Get(k); x != "" {
				v.Set(k, x)
			}
		}
		if dq.scope != "" {
			v.Set("scope", dq.scope)
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		}
		return pathWith("/demands", v)
	}
	if len(ds) > 0 {
		pg.From, pg.To = dq.f.Offset+1, dq.f.Offset+len(ds)
	}
	if dq.f.Offset > 0 {
		pg.Prev = page(max(dq.f.Offset-dq.f.Limit, 0))
	}
	if dq.f.Offset+dq.f.Limit < total {
		pg.Next = page(dq.f.Offset + dq.f.Limit)
	}
	s.render(w, r, http.StatusOK, "demands", pg)
	return nil
}

// ---- Detail

type reqView struct {
	Title    string // catalogue key
	Items    []string
	Inferred bool
	Text     string // the column as written
}

type matchRow struct {
	ID       int64
	Name     string
	TaxCode  string
	Province string
	Verified bool
	Score    string
	Reasons  []string
	Gaps     []string
}

type demandPage struct {
	basePage
	D             *sihub.Demand // as the reader may see it
	DTitle        string
	OtherTitle    string
	Reqs          []reqView
	Volume        string
	TargetPrice   string
	Province      string
	Deadline      string
	StatusLabel   string
	CenterOnly    bool
	Warnings      []string
	CanManage     bool
	CanSeeMatches bool
	Statuses      []option
	// Matches: the tab shown ("" or "near"), its rows, and the counts of
	// both tabs.
	Tab       string
	Rows      []matchRow
	Total     int // of the tab shown, before the limit
	Qualified int
	NearCount int
	Drawings  any
	RFQs      *rfqRoundsView // the demand's rounds, for those who manage it
}

// matchLimit is how many suppliers each tab of the page lists.
const matchLimit = 50

func (s *server) demandPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSee)
	if err != nil {
		return err
	}
	who := principal(r)
	pg := &demandPage{basePage: s.base(r, ""), CanManage: who.CanManageDemand(d), CanSeeMatches: who.CanSeeMatches(d)}
	pg.Nav = "demands"
	lang := pg.Lang
	s.describeDemand(pg, d.For(who))
	pg.Title = pg.DTitle
	if pg.CanManage {
		// What the buyer should check: the warnings of reading the
		// requirements, recomputed so that they follow the current text.
		cp := *d
		if warns, _ := match.PrepareDemand(&cp); len(warns) > 0 {
			for _, f := range warns {
				pg.Warnings = append(pg.Warnings, f.Msg.In(lang))
			}
		}
		for _, st := range sihub.DemandStatuses {
			pg.Statuses = append(pg.Statuses, option{Value: string(st), Label: tr(lang, "demand.status."+string(st)), Selected: st == d.Status})
		}
	}
	if pg.CanSeeMatches {
		ix, err := s.matcher(r.Context())
		if err != nil {
			return err
		}
		res := ix.Match(d, s.now(), matchLimit)
		pg.Qualified, pg.NearCount, pg.Total = res.Qualified, res.NearMissCount, res.Qualified
		if r.URL.Query().Get("tab") == "near" {
			pg.Tab, pg.Total = "near", res.NearMissCount
			for _, m := range res.NearMisses {
				pg.Rows = append(pg.Rows, newMatchRow(lang, m.Company, m.Score, m.Reasons, m.Gaps))
			}
		} else {
			for _, m := range res.Matches {
				pg.Rows = append(pg.Rows, newMatchRow(lang, m.Company, m.Score, m.Reasons, nil))
			}
		}
	}
	if pg.Drawings, err = s.drawingsView(r, d); err != nil {
		return err
	}
	if pg.CanManage {
		if pg.RFQs, err = s.roundsView(r.Context(), d); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "demand", pg)
	return nil
}

func newMatchRow(lang sihub.Lang, c *sihub.Company, score float64, reasons, gaps []sihub.Msg) matchRow {
	row := matchRow{ID: c.ID, Name: c.Name, TaxCode: c.TaxCode, Province: provinceName(lang, c.ProvinceCode),
		Verified: c.Verified, Score: formatScore(score)}
	for _, m := range reasons {
		row.Reasons = append(row.Reasons, m.In(lang))
	}
	for _, m := range gaps {
		row.Gaps = append(row.Gaps, m.In(lang))
	}
	return row
}

// formatScore shows a score in [0, 1] as a percentage.
func formatScore(score float64) string {
	return strconv.Itoa(int(score*100+0.5)) + "%"
}

// describeDemand fills in what the detail page shows of d, which is
// already as the reader may see it.
func (s *server) describeDemand(pg *demandPage, d *sihub.Demand) {
	lang := pg.Lang
	pg.D = d
	pg.DTitle = demandTitle(lang, d)
	if other := d.TitleEn; lang == sihub.EN {
		other = d.Title
		if other != pg.DTitle {
			pg.OtherTitle = other
		}
	} else if other != pg.DTitle {
		pg.OtherTitle = other
	}
	var procs, mats, certs, capacity []string
	for _, c := range d.Processes {
		procs = append(procs, processLabel(lang, c))
	}
	for _, c := range d.Materials {
		mats = append(mats, materialLabel(lang, c))
	}
	for _, c := range d.Certifications {
		label := certLabel(c)
		if t := certTitle(lang, c); t != "" && t != label {
			label += " — " + t
		}
		certs = append(certs, label)
	}
	if c := d.MinCapacity; c != nil {
		capacity = append(capacity, capacityReqLabel(lang, c))
	}
	pg.Reqs = []reqView{
		{"demand.req.processes", procs, d.IsInferred(sihub.ReqProcesses), d.ProcessesText},
		{"demand.req.materials", mats, d.IsInferred(sihub.ReqMaterials), d.MaterialsText},
		{"demand.req.certifications", certs, d.IsInferred(sihub.ReqCertifications), d.CertificationsText},
		{"demand.req.min_capacity", capacity, d.IsInferred(sihub.ReqMinCapacity), d.MinCapacityText},
	}
	if d.AnnualVolume > 0 {
		pg.Volume = formatNumber(lang, d.AnnualVolume)
		if d.Unit != "" {
			pg.Volume += " " + d.Unit
		}
	}
	if d.TargetPrice > 0 {
		pg.TargetPrice = formatNumber(lang, d.TargetPrice) + " " + d.Currency
	}
	pg.Province = provinceName(lang, d.DeliveryProvince)
	if pg.Province == "" {
		pg.Province = d.ProvinceInput
	}
	if d.Deadline != nil {
		pg.Deadline = formatTime(lang, *d.Deadline, false)
	}
	pg.StatusLabel = tr(lang, "demand.status."+string(d.Status))
	pg.CenterOnly = d.Visibility == sihub.VisibleCenter
}

// capacityReqLabel writes a minimum capacity as "Injection press ≥ 350 t".
func capacityReqLabel(lang sihub.Lang, c *sihub.CapacityReq) string {
	out := equipmentLabel(lang, c.Equipment) + " ≥ " + formatNumber(lang, c.Min)
	if c.Unit != "" {
		out += " " + c.Unit
	}
	return out
}

// formatNumber writes v with the language's grouping and decimal marks:
// 12.500,5 in Vietnamese, 12,500.5 in English.
func formatNumber(lang sihub.Lang, v float64) string {
	// Rounded to four decimals, not cut: 23456.78 is held as 23456.7799….
	whole, frac, _ := strings.Cut(strconv.FormatFloat(v, 'f', 4, 64), ".")
	n, _ := strconv.Atoi(whole)
	out := formatInt(lang, n)
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		if lang == sihub.VI {
			out += "," + frac
		} else {
			out += "." + frac
		}
	}
	return out
}

// ---- Status

func (s *server) demandStatusPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanManageDemand)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	st := sihub.DemandStatus(r.PostForm.Get("status"))
	if !slices.Contains(sihub.DemandStatuses, st) {
		return (&sihub.Problems{{Field: "status", Msg: sihub.M("Trạng thái phải là draft, open, closed hoặc fulfilled.",
			"Status must be draft, open, closed or fulfilled.")}}).Err()
	}
	if _, err := s.db.SetDemandStatus(r.Context(), d.ID, st); err != nil {
		return err
	}
	http.Redirect(w, r, "/demands/"+strconv.FormatInt(d.ID, 10)+"?done=demand.status", http.StatusSeeOther)
	return nil
}

// ---- Saving: form and API

// saveDemand is the one way the web layer writes a demand's fields, for
// the form and the API alike: match.PrepareDemand validates it and reads
// its requirements (from their columns, or inferred from the title and
// description), then the store creates or updates it. It returns the
// warnings of reading the requirements; problems name the fields as the
// form and the API body do (demandField).
func (s *server) saveDemand(ctx context.Context, d *sihub.Demand, create bool, extra sihub.Problems) (sihub.Problems, error) {
	problems := extra
	warnings, err := match.PrepareDemand(d)
	if err != nil {
		if sihub.ErrorCode(err) != sihub.ErrInvalid {
			return warnings, err
		}
		problems = append(problems, sihub.FieldsOf(err)...)
	}
	if err := problems.Err(); err != nil {
		return warnings, renameFieldsBy(err, demandField)
	}
	if create {
		err = s.db.CreateDemand(ctx, d)
	} else {
		err = s.db.UpdateDemand(ctx, d)
	}
	var e *sihub.Error
	if create && errors.As(err, &e) && e.Code == sihub.ErrConflict && len(e.Fields) == 0 {
		// On creation a conflict is a reference the buyer already uses.
		return warnings, &sihub.Error{Code: sihub.ErrConflict, Msg: e.Msg, Fields: sihub.Problems{{Field: "ref", Msg: e.Msg}}, Err: e.Err}
	}
	return warnings, renameFieldsBy(err, demandField)
}

// demandField maps the field names validation reports to the names of the
// form inputs and the API body.
func demandField(f string) string {
	switch f {
	case "processes", "materials", "certifications", "min_capacity":
		return f + "_text"
	case "delivery_province":
		return "delivery_province_input"
	}
	return f
}

// demandInput is the body of POST and PUT /api/v1/demands and what the
// form posts: the fields people write. The structured requirements are
// read from them.
type demandInput struct {
	BuyerTaxCode       string  `json:"buyer_tax_code"`
	Ref                string  `json:"ref"`
	Title              string  `json:"title"`
	TitleEn            string  `json:"title_en"`
	Description        string  `json:"description"`
	ProcessesText      string  `json:"processes_text"`
	MaterialsText      string  `json:"materials_text"`
	CertificationsText string  `json:"certifications_text"`
	MinCapacityText    string  `json:"min_capacity_text"`
	AnnualVolume       float64 `json:"annual_volume"`
	Unit               string  `json:"unit"`
	// The target price, its currency and the terms are left as they are
	// when a PUT omits them (nil), as the status and visibility are when
	// empty: an update that does not name them never erases or widens.
	TargetPrice   *float64 `json:"target_price"`
	Currency      *string  `json:"currency"`
	ProvinceInput string   `json:"delivery_province_input"`
	// Deadline is a date, YYYY-MM-DD (the end of that day in Vietnam),
	// or an instant as the API writes it (RFC 3339).
	Deadline   string  `json:"deadline"`
	Status     string  `json:"status"`
	Visibility string  `json:"visibility"`
	Terms      *string `json:"confidentiality_terms"`
	// UpdatedAt, when given, must be the demand's updated_at as last
	// read: a PUT on a demand changed since answers 409.
	UpdatedAt string `json:"updated_at"`
}

// apply copies in onto d (not the buyer, which the caller decides) and
// returns the problems of the fields that did not parse.
func (in *demandInput) apply(d *sihub.Demand) sihub.Problems {
	var p sihub.Problems
	d.Ref, d.Title, d.TitleEn, d.Description = in.Ref, in.Title, in.TitleEn, in.Description
	d.ProcessesText, d.MaterialsText, d.CertificationsText, d.MinCapacityText = in.ProcessesText, in.MaterialsText, in.CertificationsText, in.MinCapacityText
	d.AnnualVolume, d.Unit = in.AnnualVolume, strings.TrimSpace(in.Unit)
	if in.TargetPrice != nil {
		d.TargetPrice = *in.TargetPrice
	}
	if in.Currency != nil {
		d.Currency = *in.Currency
	}
	if in.Terms != nil {
		d.Terms = *in.Terms
	}
	d.ProvinceInput = strings.TrimSpace(in.ProvinceInput)
	d.Status, d.Visibility = sihub.DemandStatus(strings.TrimSpace(in.Status)), sihub.DemandVisibility(strings.TrimSpace(in.Visibility))
	d.Deadline = nil
	if v := strings.TrimSpace(in.Deadline); v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			t = t.UTC()
			d.Deadline = &t
		} else if t, err := sihub.ParseDeadline(v); err == nil {
			d.Deadline = &t
		} else {
			p.Add("deadline", sihub.ErrorMsg(err))
		}
	}
	if v := strings.TrimSpace(in.UpdatedAt); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			p.Add("updated_at", sihub.M("updated_at phải là thời điểm RFC 3339 như API trả về.", "updated_at must be an RFC 3339 instant as the API returns it."))
		}
		d.UpdatedAt = t.UTC()
	} else {
		d.UpdatedAt = time.Time{}
	}
	return p
}

// buyerFor decides the buyer of a new demand for p: the named tax code
// (staff may name any buyer in the directory), or p's own company. It
// returns the buyer's id, or a field problem, or a refusal.
func (s *server) buyerFor(ctx context.Context, p *sihub.Principal, taxCode string) (int64, sihub.Problems, error) {
	taxCode = strings.TrimSpace(taxCode)
	if taxCode == "" {
		if id := p.CompanyID(); id != 0 {
			return id, nil, allow(p, p.CanCreateDemandFor(id))
		}
		if !p.Staff() {
			return 0, nil, refuse(p)
		}
		return 0, sihub.Problems{{Field: "buyer_tax_code", Msg: sihub.M("Thiếu mã số thuế của bên mua.", "The buyer's tax code is missing.")}}, nil
	}
	tc, err := sihub.ParseTaxCode(taxCode)
	if err != nil {
		if !p.Staff() && p.CompanyID() == 0 {
			return 0, nil, refuse(p)
		}
		return 0, sihub.Problems{{Field: "buyer_tax_code", Msg: sihub.ErrorMsg(err)}}, nil
	}
	c, err := s.db.CompanyByTaxCode(ctx, tc)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		if !p.Staff() {
			return 0, nil, refuse(p) // only the center acts for other buyers
		}
		return 0, sihub.Problems{{Field: "buyer_tax_code", Msg: sihub.M(
			"Chưa có doanh nghiệp mã số thuế %s trong danh bạ; hãy thêm bên mua trước, hoặc nhập danh sách nhu cầu (việc nhập tạo bên mua mới).",
			"No company has the tax code %s; add the buyer first, or import the list of demands (an import creates new buyers).",
			sihub.FormatTaxCode(tc))}}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return c.ID, nil, allow(p, p.CanCreateDemandFor(c.ID))
}

// ---- API

// demandOut is a demand as the API shows it, with the warnings of reading
// its requirements after a write.
type demandOut struct {
	*sihub.Demand
	Warnings []localField `json:"warnings,omitempty"`
}

func demandJSON(d *sihub.Demand, p *sihub.Principal) *sihub.Demand {
	d = d.For(p)
	for _, l := range []*[]string{&d.Processes, &d.Materials, &d.Certifications, &d.Inferred} {
		if *l == nil {
			*l = []string{}
		}
	}
	return d
}

type demandList struct {
	Items  []*sihub.Demand `json:"items"`
	Total  int             `json:"total"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
}

func (s *server) apiListDemands(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanListDemands() {
		return refuse(p)
	}
	dq, err := s.parseDemandQuery(r.Context(), p, r.URL.Query())
	if err != nil {
		return err
	}
	if err := dq.problems.Err(); err != nil {
		return badRequest(err)
	}
	ds, total, err := s.listDemands(r.Context(), p, dq)
	if err != nil {
		return err
	}
	out := demandList{Items: make([]*sihub.Demand, len(ds)), Total: total, Limit: dq.f.Limit, Offset: dq.f.Offset}
	for i, d := range ds {
		out.Items[i] = demandJSON(d, p)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiGetDemand(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSee)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, demandOut{Demand: demandJSON(d, principal(r))})
	return nil
}

func (s *server) apiCreateDemand(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !mayCreateDemands(p) {
		return refuse(p)
	}
	var in demandInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	buyerID, problems, err := s.buyerFor(r.Context(), p, in.BuyerTaxCode)
	if err != nil {
		return err
	}
	d := &sihub.Demand{BuyerID: buyerID, BuyerTaxCode: in.BuyerTaxCode}
	if buyerID != 0 && in.BuyerTaxCode == "" {
		d.BuyerTaxCode = p.User.CompanyTaxCode
	}
	problems = append(problems, in.apply(d)...)
	d.UpdatedAt = time.Time{}
	warnings, err := s.saveDemand(r.Context(), d, true, problems)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/demands/"+strconv.FormatInt(d.ID, 10))
	return s.writeDemand(w, r, http.StatusCreated, d.ID, warnings)
}

func (s *server) apiUpdateDemand(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanManageDemand)
	if err != nil {
		return err
	}
	var in demandInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var problems sihub.Problems
	if tc := strings.TrimSpace(in.BuyerTaxCode); tc != "" && sihub.CompactTaxCode(tc) != d.BuyerTaxCode {
		problems.Add("buyer_tax_code", sihub.M("Không đổi được bên mua của một nhu cầu; hãy tạo nhu cầu mới cho bên mua kia.",
			"A demand's buyer cannot be changed; create a new demand for the other buyer."))
	}
	problems = append(problems, in.apply(d)...)
	warnings, err := s.saveDemand(r.Context(), d, false, problems)
	if err != nil {
		return err
	}
	return s.writeDemand(w, r, http.StatusOK, d.ID, warnings)
}

// writeDemand answers with demand id as stored, so that the client sees
// what was read from its text.
func (s *server) writeDemand(w http.ResponseWriter, r *http.Request, status int, id int64, warnings sihub.Problems) error {
	d, err := s.db.Demand(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, demandOut{Demand: demandJSON(d, principal(r)),
		Warnings: localizeFields(renameProblems(warnings), langFromRequest(r))})
	return nil
}

func renameProblems(p sihub.Problems) sihub.Problems {
	out := make(sihub.Problems, len(p))
	for i, f := range p {
		out[i] = sihub.FieldError{Field: demandField(f.Field), Msg: f.Msg}
	}
	return out
}

// supplierJSON is one ranked supplier of a demand.
type supplierJSON struct {
	ID       int64    `json:"id"`
	TaxCode  string   `json:"tax_code"`
	Name     string   `json:"name"`
	Verified bool     `json:"verified"`
	Province string   `json:"province,omitempty"`
	Score    float64  `json:"score"`
	Reasons  []string `json:"reasons"`
	Gaps     []string `json:"gaps,omitempty"`
}

type matchesJSON struct {
	Demand        *sihub.Demand  `json:"demand"`
	Matches       []supplierJSON `json:"matches"`
	NearMisses    []supplierJSON `json:"near_misses"`
	Qualified     int            `json:"qualified"`
	NearMissCount int            `json:"near_miss_count"`
}

func (s *server) apiDemandMatches(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanSeeMatches)
	if err != nil {
		return err
	}
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return badRequest((&sihub.Problems{{Field: "limit", Msg: sihub.M("Tham số limit: phải là số nguyên từ 1 đến 100, không phải %q.",
				"Parameter limit: must be a whole number from 1 to 100, not %q.", v)}}).Err())
		}
		limit = n
	}
	ix, err := s.matcher(r.Context())
	if err != nil {
		return err
	}
	res := ix.Match(d, s.now(), limit)
	lang := langFromRequest(r)
	texts := func(ms []sihub.Msg) []string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = m.In(lang)
		}
		return out
	}
	supplier := func(c *sihub.Company, score float64, reasons []sihub.Msg) supplierJSON {
		return supplierJSON{ID: c.ID, TaxCode: c.TaxCode, Name: c.Name, Verified: c.Verified, Province: c.ProvinceCode,
			Score: score, Reasons: texts(reasons)}
	}
	out := matchesJSON{Demand: demandJSON(d, principal(r)), Matches: make([]supplierJSON, len(res.Matches)),
		NearMisses: make([]supplierJSON, len(res.NearMisses)), Qualified: res.Qualified, NearMissCount: res.NearMissCount}
	for i, m := range res.Matches {
		out.Matches[i] = supplier(m.Company, m.Score, m.Reasons)
	}
	for i, m := range res.NearMisses {
		out.NearMisses[i] = supplier(m.Company, m.Score, m.Reasons)
		out.NearMisses[i].Gaps = texts(m.Gaps)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ---- The form

// demandFields are the inputs of the demand form, in order; their names
// are the API body's.
var demandFields = []string{
	"buyer_tax_code", "ref", "title", "title_en", "description",
	"processes_text", "materials_text", "certifications_text", "min_capacity_text",
	"annual_volume", "unit", "target_price", "currency", "delivery_province_input", "deadline",
	"status", "visibility", "confidentiality_terms",
}

type demandFormPage struct {
	basePage
	ID         int64
	DTitle     string
	UpdatedAt  string
	BuyerFixed bool // the buyer is shown, not chosen
	BuyerName  string
	Values     map[string]string
	Errs       map[string][]string
	Summary    string
	Other      []string
}

// Field describes one input of the demand form for the "dfield" template.
func (p *demandFormPage) Field(name string) fieldView {
	f := fieldView{Name: name, Label: tr(p.Lang, "demand.field."+name), Type: "text", Value: p.Values[name], Errors: p.Errs[name]}
	if hasKey("demand.field." + name + ".hint") {
		f.Hint = tr(p.Lang, "demand.field."+name+".hint")
	}
	switch name {
	case "ref", "buyer_tax_code":
		f.Required = true
	case "description", "confidentiality_terms":
		f.Type, f.Rows = "textarea", 4
	case "processes_text", "materials_text", "certifications_text", "min_capacity_text":
		f.Type, f.Rows = "textarea", 2
	case "annual_volume", "target_price":
		f.InputMode = "decimal"
	case "deadline":
		f.Type = "date"
	case "currency":
		f.Type = "select"
		f.Options = []option{{Value: "", Label: "—"}}
		for _, c := range sihub.Currencies {
			f.Options = append(f.Options, option{Value: c, Label: c, Selected: c == p.Values[name]})
		}
	case "status":
		f.Type = "select"
		for _, st := range sihub.DemandStatuses {
			f.Options = append(f.Options, option{Value: string(st), Label: tr(p.Lang, "demand.status."+string(st)), Selected: string(st) == p.Values[name]})
		}
	case "visibility":
		f.Type = "select"
		for _, v := range sihub.DemandVisibilities {
			f.Options = append(f.Options, option{Value: string(v), Label: tr(p.Lang, "demand.visibility."+string(v)), Selected: string(v) == p.Values[name]})
		}
	}
	if name == "buyer_tax_code" && p.BuyerFixed {
		f.ReadOnly = true
		f.Hint = p.BuyerName
	}
	return f
}

// demandValues are d's fields as the form shows them.
func demandValues(d *sihub.Demand) map[string]string {
	v := map[string]string{
		"buyer_tax_code": sihub.FormatTaxCode(d.BuyerTaxCode), "ref": d.Ref, "title": d.Title, "title_en": d.TitleEn,
		"description": d.Description, "processes_text": d.ProcessesText, "materials_text": d.MaterialsText,
		"certifications_text": d.CertificationsText, "min_capacity_text": d.MinCapacityText, "unit": d.Unit,
		"currency": d.Currency, "delivery_province_input": d.ProvinceInput, "status": string(d.Status),
		"visibility": string(d.Visibility), "confidentiality_terms": d.Terms,
	}
	if d.AnnualVolume != 0 {
		v["annual_volume"] = strconv.FormatFloat(d.AnnualVolume, 'f', -1, 64)
	}
	if d.TargetPrice != 0 {
		v["target_price"] = strconv.FormatFloat(d.TargetPrice, 'f', -1, 64)
	}
	if d.Deadline != nil {
		v["deadline"] = d.Deadline.In(vietnam).Format(time.DateOnly)
	}
	if v["status"] == "" {
		v["status"] = string(sihub.DemandOpen)
	}
	if v["visibility"] == "" {
		v["visibility"] = string(sihub.VisibleVerified)
	}
	return v
}

// readDemandForm reads the posted inputs as an API body would carry them.
// Numbers are read as people type them (sheet.ParseAmount).
func readDemandForm(form url.Values) (map[string]string, demandInput, sihub.Problems) {
	v := map[string]string{}
	for _, name := range demandFields {
		v[name] = strings.TrimSpace(form.Get(name))
	}
	in := demandInput{
		BuyerTaxCode: v["buyer_tax_code"], Ref: v["ref"], Title: v["title"], TitleEn: v["title_en"], Description: v["description"],
		ProcessesText: v["processes_text"], MaterialsText: v["materials_text"], CertificationsText: v["certifications_text"],
		MinCapacityText: v["min_capacity_text"], Unit: v["unit"], ProvinceInput: v["delivery_province_input"],
		Deadline: v["deadline"], Status: v["status"], Visibility: v["visibility"],
	}
	// The form shows every field: what it posts empty is cleared.
	price, currency, terms := 0.0, v["currency"], v["confidentiality_terms"]
	in.TargetPrice, in.Currency, in.Terms = &price, &currency, &terms
	var p sihub.Problems
	for _, n := range []struct {
		name string
		dst  *float64
	}{{"annual_volume", &in.AnnualVolume}, {"target_price", in.TargetPrice}} {
		if s := v[n.name]; s != "" {
			f, ok := sheet.ParseAmount(s)
			if !ok {
				p.Add(n.name, catalogue["demand.notanumber"])
			}
			*n.dst = f
		}
	}
	return v, in, p
}

func (s *server) newDemandFormPage(r *http.Request, d *sihub.Demand, values map[string]string) *demandFormPage {
	p := principal(r)
	pg := &demandFormPage{basePage: s.base(r, "demand.form.new"), Values: values, Errs: map[string][]string{}}
	pg.Nav = "demands"
	if d.ID != 0 {
		pg.ID = d.ID
		pg.DTitle = demandTitle(pg.Lang, d)
		pg.Title = tr(pg.Lang, "demand.form.edit", pg.DTitle)
		pg.UpdatedAt = d.UpdatedAt.UTC().Format(time.RFC3339Nano)
		pg.BuyerFixed, pg.BuyerName = true, d.BuyerName
		values["buyer_tax_code"] = sihub.FormatTaxCode(d.BuyerTaxCode)
	} else if !p.Staff() {
		pg.BuyerFixed, pg.BuyerName = true, p.User.CompanyName
		values["buyer_tax_code"] = sihub.FormatTaxCode(p.User.CompanyTaxCode)
	}
	return pg
}

func (pg *demandFormPage) setErrors(err error) {
	pg.Summary = sihub.ErrorMsg(err).In(pg.Lang)
	for _, f := range sihub.FieldsOf(err) {
		msg := f.Msg.In(pg.Lang)
		if slices.Contains(demandFields, f.Field) {
			pg.Errs[f.Field] = append(pg.Errs[f.Field], msg)
		} else {
			pg.Other = append(pg.Other, msg)
		}
	}
}

// mayCreateDemands tells whether p may create demands for some buyer,
// before the buyer is known (CanCreateDemandFor decides then): those who
// may import a list, staff for any buyer and a company's people for their
// own company.
func mayCreateDemands(p *sihub.Principal) bool { return p.CanImportDemands() }

func (s *server) newDemandForm(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !mayCreateDemands(p) {
		return refuse(p)
	}
	d := &sihub.Demand{}
	values := demandValues(d)
	// Staff may come from a buyer's profile with the buyer chosen.
	values["buyer_tax_code"] = r.URL.Query().Get("buyer_tax_code")
	s.render(w, r, http.StatusOK, "demand_form", s.newDemandFormPage(r, d, values))
	return nil
}

func (s *server) editDemandForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanManageDemand)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "demand_form", s.newDemandFormPage(r, d, demandValues(d)))
	return nil
}

func (s *server) createDemandForm(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !mayCreateDemands(p) {
		return refuse(p)
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	values, in, problems := readDemandForm(r.PostForm)
	taxCode := in.BuyerTaxCode
	if !p.Staff() {
		taxCode = "" // a company's people create for their own company
	}
	buyerID, more, err := s.buyerFor(r.Context(), p, taxCode)
	if err != nil {
		return err
	}
	d := &sihub.Demand{BuyerID: buyerID, BuyerTaxCode: taxCode}
	if d.BuyerTaxCode == "" && buyerID != 0 {
		d.BuyerTaxCode = p.User.CompanyTaxCode
	}
	problems = append(append(problems, more...), in.apply(d)...)
	if _, err := s.saveDemand(r.Context(), d, true, problems); err != nil {
		return s.demandFormError(w, r, &sihub.Demand{}, values, err)
	}
	http.Redirect(w, r, "/demands/"+strconv.FormatInt(d.ID, 10)+"?done=demand.created", http.StatusSeeOther)
	return nil
}

func (s *server) updateDemandForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanManageDemand)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	values, in, problems := readDemandForm(r.PostForm)
	orig := *d
	in.UpdatedAt = r.PostForm.Get("updated_at")
	problems = append(problems, in.apply(d)...)
	if _, err := s.saveDemand(r.Context(), d, false, problems); err != nil {
		if sihub.ErrorCode(err) == sihub.ErrConflict && len(sihub.FieldsOf(err)) == 0 {
			// Changed by someone else meanwhile: keep what the user
			// typed, against the current version, so that saving again
			// — now knowingly — overwrites.
			cur, cerr := s.db.Demand(r.Context(), d.ID)
			if cerr != nil {
				return cerr
			}
			pg := s.newDemandFormPage(r, cur, values)
			pg.Summary = tr(pg.Lang, "demand.form.stale")
			s.render(w, r, http.StatusConflict, "demand_form", pg)
			return nil
		}
		return s.demandFormError(w, r, &orig, values, err)
	}
	http.Redirect(w, r, "/demands/"+strconv.FormatInt(d.ID, 10)+"?done=demand.saved", http.StatusSeeOther)
	return nil
}

// demandFormError shows the form again with what the user typed and each
// problem beside its field, or passes on errors that are not about the
// input.
func (s *server) demandFormError(w http.ResponseWriter, r *http.Request, d *sihub.Demand, values map[string]string, err error) error {
	switch sihub.ErrorCode(err) {
	case sihub.ErrInvalid, sihub.ErrConflict:
	default:
		return err
	}
	pg := s.newDemandFormPage(r, d, values)
	pg.setErrors(err)
	s.render(w, r, httpStatus(err), "demand_form", pg)
	return nil
}

// ---- Import of a buyer's part list

// A part list is some hundreds of rows, so it is imported while the
// request waits, with the company import's rules: every row is checked,
// and nothing is written unless all are valid (or skip_invalid). A
// company's people may import only their own company's demands: a file
// naming another buyer is rejected whole, before anything is written.

var errDemandDryRun = errors.New("demand import: dry run")

// demandGate stands between sheet.ImportDemands and the store. It holds
// the rows back when they name a buyer the importer may not act for, and
// in a dry run predicts what writing would do instead of writing.
type demandGate struct {
	db      *store.DB
	own     string // the tax code every row must name; "" when any buyer may be named
	dryRun  bool
	foreign []*sihub.Demand
	create  int // a dry run's prediction
	update  int
}

func (g *demandGate) UpsertDemands(ctx context.Context, ds []*sihub.Demand) (int, int, error) {
	if g.own != "" {
		for _, d := range ds {
			if sihub.CompactTaxCode(d.BuyerTaxCode) != g.own {
				g.foreign = append(g.foreign, d)
			}
		}
		if len(g.foreign) > 0 {
			return 0, 0, errForeignBuyers
		}
	}
	if g.dryRun {
		for _, d := range ds {
			_, err := g.db.DemandByRef(ctx, d.BuyerTaxCode, d.Ref)
			switch sihub.ErrorCode(err) {
			case "":
				g.update++
			case sihub.ErrNotFound:
				g.create++
			default:
				return 0, 0, err
			}
		}
		return 0, 0, errDemandDryRun
	}
	return g.db.UpsertDemands(ctx, ds)
}

var errForeignBuyers = sihub.Errorf(sihub.ErrInvalid,
	"Tệp có dòng ghi bên mua khác doanh nghiệp của bạn; bạn chỉ nhập được nhu cầu của chính doanh nghiệp mình. Không có gì được lưu.",
	"The file has rows naming a buyer other than your company; you may import only your own company's demands. Nothing was saved.")

// importDemands imports the part list u for r's principal and returns the
// report; the error is for a file rejected whole or that could not be
// read or written (the report, when not nil, says more).
func (s *server) importDemands(r *http.Request, u *upload) (*sheet.Report, error) {
	p := principal(r)
	g := &demandGate{db: s.db, dryRun: u.dryRun}
	if !p.CanCreateBuyers() {
		// Not the center: the importer's own company is the only buyer.
		if g.own = sihub.CompactTaxCode(p.User.CompanyTaxCode); g.own == "" {
			return nil, refuse(p) // never "any buyer" by accident
		}
	}
	ctx, done, err := s.startWork(r.Context())
	if err != nil {
		return nil, err
	}
	rep, err := sheet.ImportDemands(ctx, u.path, sheet.Options{SkipInvalid: u.skipInvalid, Name: u.name}, g)
	err = s.stopped(ctx, err)
	done()
	if rep == nil {
		return nil, err
	}
	rep.DryRun = u.dryRun
	switch {
	case errors.Is(err, errDemandDryRun):
		rep.Committed, rep.WouldCreate, rep.WouldUpdate = false, g.create, g.update
		return rep, nil
	case errors.Is(err, errForeignBuyers):
		rep.Committed = false
		for _, d := range g.foreign {
			rep.Problems = append(rep.Problems, sheet.Problem{Column: "buyer_tax_code", Msg: sihub.M(
				"Nhu cầu %s ghi bên mua %s, không phải doanh nghiệp của bạn (%s).",
				"Demand %s names the buyer %s, not your company (%s).", d.Ref, sihub.FormatTaxCode(d.BuyerTaxCode), sihub.FormatTaxCode(g.own))})
		}
	}
	return rep, err
}

// demandImportOutcome sums up a demand import as outcome does a company
// import, with "foreign" for a file naming other buyers.
func demandImportOutcome(rep *sheet.Report, err error) string {
	if errors.Is(err, errForeignBuyers) {
		return "foreign"
	}
	return outcome(rep, err)
}

type demandImportPage struct {
	basePage
	Report   *sheet.Report
	Problems []problemJSON // the report's, in the page's language
	Outcome  string
	Failed   string
	Own      string // the company a company's person imports for
}

func (s *server) demandImportForm(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanImportDemands() {
		return refuse(p)
	}
	pg := &demandImportPage{basePage: s.base(r, "demand.import.title")}
	pg.Nav = "demands"
	if !p.CanCreateBuyers() {
		pg.Own = p.User.CompanyName + " (" + sihub.FormatTaxCode(p.User.CompanyTaxCode) + ")"
	}
	s.render(w, r, http.StatusOK, "demand_import", pg)
	return nil
}

func (s *server) demandImportPost(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanImportDemands() {
		return refuse(p)
	}
	u, err := readImportUpload(w, r)
	if err != nil {
		return err
	}
	defer u.remove()
	rep, err := s.importDemands(r, u)
	if rep == nil || sihub.ErrorCode(err) == sihub.ErrInternal {
		if err == nil {
			err = errors.New("demand import: no report")
		}
		return err
	}
	pg := &demandImportPage{basePage: s.base(r, "demand.import.title"), Report: rep, Outcome: demandImportOutcome(rep, err)}
	pg.Nav = "demands"
	if !p.CanCreateBuyers() {
		pg.Own = p.User.CompanyName + " (" + sihub.FormatTaxCode(p.User.CompanyTaxCode) + ")"
	}
	for _, pr := range rep.Problems {
		pg.Problems = append(pg.Problems, problemJSON{Row: pr.Row, Column: demandColumnLabel(pg.Lang, pr.Column),
			Message: pr.Msg.In(pg.Lang), Warning: pr.Warning})
	}
	status := http.StatusOK
	if err != nil {
		pg.Failed = sihub.ErrorMsg(err).In(pg.Lang)
		status = httpStatus(err)
	}
	if pg.Outcome == "rejected" || status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "demand_import", pg)
	return nil
}

// apiImportDemands imports a part list synchronously, from a multipart
// "file" or a raw CSV or XLSX body, as POST /api/v1/imports/companies
// does. A file rejected whole answers 422 with the error and the report.
func (s *server) apiImportDemands(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanImportDemands() {
		return refuse(p)
	}
	u, err := readAPIUpload(w, r)
	if err != nil {
		return err
	}
	defer u.remove()
	rep, err := s.importDemands(r, u)
	return writeImportResult(w, r, rep, err)
}

// demandColumnLabel names a part list's column by its header in lang.
func demandColumnLabel(lang sihub.Lang, key string) string {
	for _, c := range sheet.DemandColumns {
		if c.Key == key {
			return c.Label(lang)
		}
	}
	return key
}

// ---- Templates of a part list

// demandTemplate writes an empty part list in the columns of
// sheet.DemandColumns, headed in the request's language: CSV with a BOM,
// or XLSX whose header cells carry each column's explanation in both
// languages and whose columns are formatted as text, so that Excel keeps
// tax codes and references as typed.
func (s *server) demandTemplate(f sheet.Format) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang := langFromRequest(r)
		name := "sihub-mau-nhu-cau." + string(f)
		if lang == sihub.EN {
			name = "sihub-demands-template." + string(f)
		}
		header := make([]string, len(sheet.DemandColumns))
		for i, c := range sheet.DemandColumns {
			header[i] = c.Label(lang)
		}
		w.Header().Set("Content-Type", contentTypeOf(f))
		w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
		if f == sheet.FormatCSV {
			var b strings.Builder
			b.WriteString("\uFEFF") // Excel reads the file as UTF-8
			for i, h := range header {
				if i > 0 {
					b.WriteByte(',')
				}
				if strings.ContainsAny(h, ",\"\n") {
					h = `"` + strings.ReplaceAll(h, `"`, `""`) + `"`
				}
				b.WriteString(h)
			}
			b.WriteString("\r\n")
			_, err := w.Write([]byte(b.String()))
			return err
		}
		return writeDemandXLSX(w, lang, header)
	}
}

func writeDemandXLSX(w http.ResponseWriter, lang sihub.Lang, header []string) error {
	x := excelize.NewFile()
	defer x.Close()
	sh := "Nhu cầu"
	if lang == sihub.EN {
		sh = "Demands"
	}
	if err := x.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	if err := x.SetDocProps(&excelize.DocProperties{Creator: "SIHub", Title: "SIHub — mẫu nhập nhu cầu / demand import template"}); err != nil {
		return err
	}
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49})
	if err != nil {
		return err
	}
	textStyle, err := x.NewStyle(&excelize.Style{NumFmt: 49}) // "@": Text
	if err != nil {
		return err
	}
	for i, c := range sheet.DemandColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		first, second := c.NoteVI, c.NoteEN
		if lang == sihub.EN {
			first, second = second, first
		}
		if err := x.SetColStyle(sh, col, textStyle); err != nil {
			return err
		}
		if err := x.SetColWidth(sh, col, col, 22); err != nil {
			return err
		}
		if err := x.SetCellStr(sh, col+"1", header[i]); err != nil {
			return err
		}
		if err := x.SetCellStyle(sh, col+"1", col+"1", head); err != nil {
			return err
		}
		if err := x.AddComment(sh, excelize.Comment{Cell: col + "1", Author: "SIHub", Width: 320, Height: 160,
			Paragraph: []excelize.RichTextRun{{Text: c.Key + "\n", Font: &excelize.Font{Bold: true}}, {Text: first + "\n\n" + second}}}); err != nil {
			return err
		}
	}
	if err := x.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}
