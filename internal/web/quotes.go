package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// The supplier's side of RFQs (issue 6): its company's invitations by
// state, each opened on a page with the round, the demand as a supplier may
// see it (never the target price), its drawings, the answered questions of
// the round, and the company's own draft and submitted revisions; the
// quote form (save a draft, submit, revise by submitting again), declining
// with a reason, and asking a question. An invitation is its company's
// alone: anyone else — the buyer and the center included, who have the
// round's pages — gets 404 for it, so that ids do not tell who was
// invited, and no page or answer here ever holds another supplier's quote.
//
// The invitation's page is /invitations/{id}/quote, not /invitations/{id}:
// GET /invitations/{token} is the account invitation link (invite.go).

// quoteRoutes are the supplier's invitation and quote pages and API, and
// the center board (the end of this file).
func (s *server) quoteRoutes() []route {
	return []route{
		{"GET /invitations", s.invitationsPage},
		{"GET /invitations/{id}/quote", s.invitationQuotePage},
		{"POST /invitations/{id}/quote", s.quotePage},
		{"POST /invitations/{id}/decline", s.declinePage},
		{"POST /invitations/{id}/questions", s.askPage},

		{"GET /api/v1/invitations", s.apiInvitations},
		{"GET /api/v1/invitations/{id}", s.apiInvitation},
		{"PUT /api/v1/invitations/{id}/quote", s.apiSaveQuote},
		{"POST /api/v1/invitations/{id}/quote/submit", s.apiSubmitQuote},
		{"POST /api/v1/invitations/{id}/decline", s.apiDecline},
		{"POST /api/v1/invitations/{id}/questions", s.apiAsk},

		{"GET /board", s.boardPage},
		{"GET /board.xlsx", s.boardXLSX},
		{"GET /api/v1/board", s.apiBoard},
	}
}

func invitationPath(id int64) string { return "/invitations/" + strconv.FormatInt(id, 10) + "/quote" }

func quoteInvitationNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy lời mời báo giá #%d.", "Invitation to quote #%d was not found.", id)
}

// errNoCompany answers a person of no company asking for their
// invitations: invitations are a supplier company's.
var errNoCompany = sihub.Errorf(sihub.ErrForbidden,
	"Lời mời báo giá gửi tới doanh nghiệp; tài khoản của bạn không thuộc doanh nghiệp nào. Trung tâm xem các đợt báo giá trên trang của từng nhu cầu.",
	"Invitations to quote go to companies, and your account belongs to none. The center sees the rounds on each demand's page.")

// invitationCtx is an invitation with its round and demand, loaded for
// its company's person.
type invitationCtx struct {
	iv *sihub.Invitation
	r  *sihub.RFQ
	d  *sihub.Demand
}

// myInvitation loads the invitation the path's {id} names for r's
// principal, who must be an active person of the invited company; anyone
// else gets 404.
func (s *server) myInvitation(r *http.Request) (*invitationCtx, error) {
	p := principal(r)
	if !p.SignedIn() {
		return nil, errSignIn
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	iv, err := s.db.Invitation(ctx, id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !p.MemberOf(iv.CompanyID) {
		// Only a person of the invited company learns that it is their
		// account, not the invitation, that is missing.
		if err == nil && !p.User.Active() && p.User.CompanyID == iv.CompanyID {
			return nil, notActive(p.User)
		}
		return nil, quoteInvitationNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	rq, err := s.db.RFQ(ctx, iv.RFQID)
	if err != nil {
		return nil, err
	}
	d, err := s.db.Demand(ctx, iv.DemandID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !p.CanSeeRFQ(d, true) {
		return nil, quoteInvitationNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return &invitationCtx{iv: iv, r: rq, d: d}, nil
}

// answerableInvitation loads the invitation for an answer (a quote, a refusal, a
// question): refused when r's principal may not answer for the company
// (a read-only token, say), and when the round has closed, with the
// deadline in Vietnam time.
func (s *server) answerableInvitation(r *http.Request) (*invitationCtx, error) {
	ic, err := s.myInvitation(r)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if !p.CanQuote(ic.d, ic.iv) {
		return nil, refuse(p)
	}
	if !ic.r.Open(s.now()) {
		return nil, deadlinePassedError(ic.r)
	}
	if ic.iv.State == sihub.InvDeclined {
		return nil, sihub.Errorf(sihub.ErrConflict, "Doanh nghiệp của bạn đã từ chối lời mời này; không thể báo giá hay đặt câu hỏi nữa.",
			"Your company declined this invitation; it can no longer quote or ask questions.")
	}
	return ic, nil
}

func deadlinePassedError(rq *sihub.RFQ) error {
	return sihub.Errorf(sihub.ErrConflict,
		"Đợt báo giá %d đã đóng lúc %s (giờ Việt Nam): sau hạn chót không thể gửi, sửa hay rút báo giá, cũng không thể đặt câu hỏi.",
		"Round %d closed at %s (Vietnam time): after the deadline nothing can be submitted, revised or withdrawn, and no question asked.",
		rq.Round, rq.Deadline.In(vietnam).Format("2006-01-02 15:04"))
}

// ---- Lists

// invitationItem is an invitation as the supplier's list shows it.
type invitationItem struct {
	ID           int64                 `json:"id"`
	URL          string                `json:"url"`
	State        sihub.InvitationState `json:"state"`
	RFQID        int64                 `json:"rfq_id"`
	Round        int                   `json:"round"`
	Deadline     time.Time             `json:"deadline"`
	Sealed       bool                  `json:"sealed"`
	DemandID     int64                 `json:"demand_id"`
	DemandRef    string                `json:"demand_ref"`
	DemandTitle  string                `json:"demand_title"`
	BuyerName    string                `json:"buyer_name"`
	BuyerTaxCode string                `json:"buyer_tax_code"`
	CreatedAt    time.Time             `json:"created_at"`
}

type invitationGroup struct {
	State sihub.InvitationState `json:"state"`
	Label string                `json:"label"`
	Items []invitationItem      `json:"items"`
}

// myInvitations returns r's principal's company's invitations grouped by
// state as it stands now (sihub.InvitationStates order), every state
// present.
func (s *server) myInvitations(r *http.Request) ([]invitationGroup, error) {
	p := principal(r)
	if !p.SignedIn() {
		return nil, errSignIn
	}
	if !p.User.Active() {
		return nil, notActive(p.User)
	}
	cid := p.CompanyID()
	if cid == 0 {
		return nil, errNoCompany
	}
	ctx, lang, now := r.Context(), langFromRequest(r), s.now()
	invs, err := s.db.InvitationsOf(ctx, cid)
	if err != nil {
		return nil, err
	}
	groups := make([]invitationGroup, len(sihub.InvitationStates))
	for i, st := range sihub.InvitationStates {
		groups[i] = invitationGroup{State: st, Label: tr(lang, "quote.state."+string(st)), Items: []invitationItem{}}
	}
	rfqs, demands := map[int64]*sihub.RFQ{}, map[int64]*sihub.Demand{}
	for _, iv := range invs {
		rq, ok := rfqs[iv.RFQID]
		if !ok {
			if rq, err = s.db.RFQ(ctx, iv.RFQID); err != nil {
				return nil, err
			}
			rfqs[iv.RFQID] = rq
		}
		d, ok := demands[iv.DemandID]
		if !ok {
			if d, err = s.db.Demand(ctx, iv.DemandID); err != nil {
				return nil, err
			}
			demands[iv.DemandID] = d
		}
		if !p.CanSeeRFQ(d, true) {
			continue
		}
		st := iv.StateAt(rq, now)
		k := slices.Index(sihub.InvitationStates, st)
		if k < 0 {
			continue
		}
		groups[k].Items = append(groups[k].Items, invitationItem{ID: iv.ID, URL: invitationPath(iv.ID), State: st, RFQID: rq.ID,
			Round: rq.Round, Deadline: rq.Deadline, Sealed: rq.Sealed, DemandID: d.ID, DemandRef: d.Ref,
			DemandTitle: demandTitle(lang, d), BuyerName: d.BuyerName, BuyerTaxCode: d.BuyerTaxCode, CreatedAt: iv.CreatedAt})
	}
	return groups, nil
}

func (s *server) apiInvitations(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.myInvitations(r)
	if err != nil {
		return err
	}
	out := struct {
		CompanyID int64             `json:"company_id"`
		Groups    []invitationGroup `json:"groups"`
		Total     int               `json:"total"`
	}{CompanyID: principal(r).CompanyID(), Groups: groups}
	for _, g := range groups {
		out.Total += len(g.Items)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type invitationsPage struct {
	basePage
	Groups []invitationGroup
	Total  int
}

func (s *server) invitationsPage(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.myInvitations(r)
	if err != nil {
		return err
	}
	pg := &invitationsPage{basePage: s.base(r, "quote.list.title"), Groups: groups}
	pg.Nav = "invitations"
	for _, g := range groups {
		pg.Total += len(g.Items)
	}
	s.render(w, r, http.StatusOK, "invitations", pg)
	return nil
}

// ---- One invitation

// invitationView is one invitation as its supplier sees it.
type invitationView struct {
	Invitation *sihub.Invitation     `json:"invitation"`
	State      sihub.InvitationState `json:"state"` // as it stands now
	RFQ        *sihub.RFQ            `json:"rfq"`
	Open       bool                  `json:"open"`           // quotes may still be submitted
	Demand     *sihub.Demand         `json:"demand"`         // as the supplier may see it: no target price
	Questions  []*sihub.Question     `json:"questions"`      // answered ones, and the company's own
	Draft      *sihub.Quote          `json:"draft"`          // the company's draft, null when none
	Revisions  []*sihub.Quote        `json:"revisions"`      // the company's submitted revisions, first first
	CanAnswer  bool                  `json:"can_answer"`     // the caller may quote, decline and ask now
	Case       *sihub.Case           `json:"case,omitempty"` // the company's case: its stage only
}

// viewInvitation gathers what the supplier sees of ic, and marks a new
// invitation viewed.
func (s *server) viewInvitation(r *http.Request, ic *invitationCtx) (*invitationView, error) {
	ctx, p, now := r.Context(), principal(r), s.now()
	if ic.iv.State == sihub.InvNew && ic.r.Open(now) && p.CanQuote(ic.d, ic.iv) {
		if err := s.db.MarkViewed(ctx, ic.iv.ID); err != nil {
			return nil, err
		}
		iv, err := s.db.Invitation(ctx, ic.iv.ID)
		if err != nil {
			return nil, err
		}
		ic.iv = iv
	}
	v := &invitationView{Invitation: ic.iv, State: ic.iv.StateAt(ic.r, now), RFQ: ic.r, Open: ic.r.Open(now),
		Demand: demandJSON(ic.d, p), Questions: []*sihub.Question{}, Revisions: []*sihub.Quote{}}
	v.CanAnswer = v.Open && ic.iv.State != sihub.InvDeclined && p.CanQuote(ic.d, ic.iv)
	qs, err := s.db.Questions(ctx, ic.r.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range qs {
		// Answers go to every invitee; an unanswered question is its
		// asker's alone.
		if q.Answer != "" || p.MemberOf(q.AskedBy) {
			v.Questions = append(v.Questions, q.For(p, ic.d))
		}
	}
	revs, err := s.db.QuoteRevisions(ctx, ic.iv.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range revs {
		if q.InvitationID != ic.iv.ID || !p.CanSeeQuote(ic.d, q, ic.r, now) {
			continue
		}
		if q.Submitted() {
			v.Revisions = append(v.Revisions, q)
		} else if q.Revision == 0 {
			v.Draft = q
		}
	}
	cs, err := s.db.CasesOf(ctx, ic.d.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.CompanyID == ic.iv.CompanyID && p.CanSeeCase(ic.d, c) {
			v.Case = c.For(p, ic.d)
		}
	}
	return v, nil
}

func (s *server) apiInvitation(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.myInvitation(r)
	if err != nil {
		return err
	}
	v, err := s.viewInvitation(r, ic)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// breakRow is a row of the price-break table of the form.
type breakRow struct{ Qty, Price string }

type questionRow struct {
	Text, Answer string
	Mine         bool
	At           time.Time
}

type revisionRow struct {
	Revision    int
	SubmittedAt time.Time
	Price       string
	Breaks      []string
	MOQ         string
	Tooling     string
	Lead        string
	ValidUntil  *time.Time
	Terms       string
	Notes       string
}

type quotePageData struct {
	basePage
	V         *invitationView
	Demand    demandPage // the demand's description, as describeDemand fills it
	StateText string
	Deadline  string // in Vietnam time
	Drawings  any
	Questions []questionRow
	Revisions []revisionRow
	// The form, filled from the draft.
	Form        map[string]string
	Breaks      []breakRow
	Currencies  []option
	Incoterms   []option
	Reasons     []option
	CaseStage   string
	DeclineText string
	// Files: the buyer's files of the round and the company's own, with
	// the form to add more (rfqfiles.go).
	Files *quoteFilesSection
}

func (s *server) invitationQuotePage(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.myInvitation(r)
	if err != nil {
		return err
	}
	v, err := s.viewInvitation(r, ic)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	pg := &quotePageData{basePage: s.base(r, ""), V: v, StateText: tr(lang, "quote.state."+string(v.State)),
		Deadline: formatTime(lang, v.RFQ.Deadline, true) + " (UTC+7)"}
	pg.Nav = "invitations"
	pg.Demand.basePage = pg.basePage
	s.describeDemand(&pg.Demand, v.Demand)
	pg.Title = tr(lang, "quote.page.title", pg.Demand.DTitle, v.RFQ.Round)
	if pg.Drawings, err = s.drawingsView(r, ic.d); err != nil {
		return err
	}
	if pg.Files, err = s.quoteFilesView(r, ic, v.CanAnswer); err != nil {
		return err
	}
	for _, q := range v.Questions {
		pg.Questions = append(pg.Questions, questionRow{Text: q.Text, Answer: q.Answer, Mine: q.AskedBy != 0, At: q.CreatedAt})
	}
	for i := len(v.Revisions) - 1; i >= 0; i-- { // latest first
		pg.Revisions = append(pg.Revisions, revisionRowOf(lang, v.Revisions[i]))
	}
	pg.Form, pg.Breaks = quoteFormValues(v.Draft)
	cur := pg.Form["currency"]
	for _, c := range sihub.QuoteCurrencies {
		pg.Currencies = append(pg.Currencies, option{Value: c, Label: c, Selected: c == cur})
	}
	pg.Incoterms = append(pg.Incoterms, option{Value: "", Label: "—"})
	for _, c := range sihub.Incoterms {
		pg.Incoterms = append(pg.Incoterms, option{Value: c, Label: c, Selected: c == pg.Form["incoterm"]})
	}
	for _, rs := range sihub.DeclineReasons {
		pg.Reasons = append(pg.Reasons, option{Value: string(rs), Label: tr(lang, "quote.reason."+string(rs))})
	}
	if v.Case != nil {
		pg.CaseStage = tr(lang, "rfq.stage."+string(v.Case.Stage))
	}
	if v.Invitation.State == sihub.InvDeclined {
		pg.DeclineText = tr(lang, "quote.reason."+string(v.Invitation.DeclineReason))
	}
	s.render(w, r, http.StatusOK, "quote", pg)
	return nil
}

func revisionRowOf(lang sihub.Lang, q *sihub.Quote) revisionRow {
	row := revisionRow{Revision: q.Revision, Price: formatNumber(lang, q.UnitPrice) + " " + q.Currency,
		ValidUntil: q.ValidUntil, Notes: q.Notes}
	if q.SubmittedAt != nil {
		row.SubmittedAt = *q.SubmittedAt
	}
	for _, b := range q.Breaks {
		row.Breaks = append(row.Breaks, tr(lang, "quote.break", formatNumber(lang, b.MinQty), formatNumber(lang, b.UnitPrice)+" "+q.Currency))
	}
	if q.MOQ > 0 {
		row.MOQ = formatNumber(lang, q.MOQ)
	}
	if q.ToolingCost > 0 {
		row.Tooling = formatNumber(lang, q.ToolingCost) + " " + q.Currency
	}
	row.Lead = tr(lang, "quote.lead.days", q.SampleLeadDays, q.MassLeadDays)
	var terms []string
	if q.Incoterm != "" {
		terms = append(terms, q.Incoterm+" "+q.DeliveryPlace)
	}
	if q.PaymentTerms != "" {
		terms = append(terms, q.PaymentTerms)
	}
	row.Terms = strings.Join(terms, " · ")
	return row
}

// quoteFormValues fills the form from draft q (nil: an empty form), with
// blank price-break rows to add more.
func quoteFormValues(q *sihub.Quote) (map[string]string, []breakRow) {
	f := map[string]string{"currency": "VND"}
	var rows []breakRow
	if q != nil {
		plain := func(v float64) string {
			if v == 0 {
				return ""
			}
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		days := func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		f["unit_price"], f["moq"], f["tooling_cost"] = plain(q.UnitPrice), plain(q.MOQ), plain(q.ToolingCost)
		if q.Currency != "" {
			f["currency"] = q.Currency
		}
		f["sample_lead_days"], f["mass_lead_days"] = days(q.SampleLeadDays), days(q.MassLeadDays)
		if q.ValidUntil != nil {
			f["valid_until"] = q.ValidUntil.In(vietnam).Format(time.DateOnly)
		}
		f["payment_terms"], f["incoterm"], f["delivery_place"], f["notes"] = q.PaymentTerms, q.Incoterm, q.DeliveryPlace, q.Notes
		for _, b := range q.Breaks {
			rows = append(rows, breakRow{plain(b.MinQty), plain(b.UnitPrice)})
		}
	}
	for range 3 {
		rows = append(rows, breakRow{})
	}
	return f, rows
}

// ---- Reading a quote

// quoteInput is a quote as the API takes it; valid_until is a date
// (2006-01-02, the end of that day in Vietnam) or an RFC 3339 instant.
type quoteInput struct {
	UnitPrice      float64            `json:"unit_price"`
	Currency       string             `json:"currency"`
	Breaks         []sihub.PriceBreak `json:"price_breaks"`
	MOQ            float64            `json:"moq"`
	ToolingCost    float64            `json:"tooling_cost"`
	SampleLeadDays int                `json:"sample_lead_days"`
	MassLeadDays   int                `json:"mass_lead_days"`
	ValidUntil     string             `json:"valid_until"`
	PaymentTerms   string             `json:"payment_terms"`
	Incoterm       string             `json:"incoterm"`
	DeliveryPlace  string             `json:"delivery_place"`
	Notes          string             `json:"notes"`
}

// parseValidUntil reads a validity date: a day is valid to its end in
// Vietnam.
func parseValidUntil(s string, p *sihub.Problems) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, vietnam); err == nil {
		t = t.Add(24*time.Hour - time.Second).UTC()
		return &t
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		t = t.UTC()
		return &t
	}
	p.Add("valid_until", sihub.M("Ngày hiệu lực %q phải có dạng YYYY-MM-DD.", "The validity date %q must be written YYYY-MM-DD.", s))
	return nil
}

func (in *quoteInput) quote(invID int64) (*sihub.Quote, sihub.Problems) {
	var p sihub.Problems
	q := &sihub.Quote{InvitationID: invID, UnitPrice: in.UnitPrice, Currency: in.Currency, Breaks: in.Breaks, MOQ: in.MOQ,
		ToolingCost: in.ToolingCost, SampleLeadDays: in.SampleLeadDays, MassLeadDays: in.MassLeadDays,
		ValidUntil: parseValidUntil(in.ValidUntil, &p), PaymentTerms: in.PaymentTerms, Incoterm: in.Incoterm,
		DeliveryPlace: in.DeliveryPlace, Notes: in.Notes}
	if q.Breaks == nil {
		q.Breaks = []sihub.PriceBreak{}
	}
	return q, p
}

// quoteAmount reads a number as people type it in lang: "12.500,5" or
// "12 500,5" in Vietnamese, "12,500.5" in English; a single separator
// followed by exactly three digits groups thousands in the language's way.
func quoteAmount(lang sihub.Lang, s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	group, dec := ".", ","
	if lang == sihub.EN {
		group, dec = ",", "."
	}
	switch {
	case strings.Contains(s, ".") && strings.Contains(s, ","):
		// Both: the last one is the decimal mark.
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			group, dec = ",", "."
		} else {
			group, dec = ".", ","
		}
	case strings.Count(s, group) == 1 && len(s)-strings.Index(s, group)-1 != 3:
		// "1.5" in Vietnamese is read as a decimal, not as a group.
		group, dec = dec, group
	case strings.Count(s, dec) > 1:
		group, dec = dec, group
	}
	s = strings.ReplaceAll(s, group, "")
	s = strings.ReplaceAll(s, dec, ".")
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// readQuoteForm reads the quote form.
func readQuoteForm(lang sihub.Lang, form url.Values, invID int64) (*sihub.Quote, sihub.Problems) {
	var p sihub.Problems
	num := func(field string) float64 {
		v, ok := quoteAmount(lang, form.Get(field))
		if !ok {
			p.Add(field, sihub.M("%q không phải là một số.", "%q is not a number.", form.Get(field)))
		}
		return v
	}
	days := func(field string) int {
		s := strings.TrimSpace(form.Get(field))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			p.Add(field, sihub.M("Số ngày phải là số nguyên (%q).", "The number of days must be a whole number (%q).", s))
		}
		return n
	}
	in := quoteInput{UnitPrice: num("unit_price"), Currency: form.Get("currency"), MOQ: num("moq"), ToolingCost: num("tooling_cost"),
		SampleLeadDays: days("sample_lead_days"), MassLeadDays: days("mass_lead_days"), ValidUntil: form.Get("valid_until"),
		PaymentTerms: form.Get("payment_terms"), Incoterm: form.Get("incoterm"), DeliveryPlace: form.Get("delivery_place"),
		Notes: form.Get("notes")}
	qtys, prices := form["break_qty"], form["break_price"]
	for i := range max(len(qtys), len(prices)) {
		var qs, ps string
		if i < len(qtys) {
			qs = qtys[i]
		}
		if i < len(prices) {
			ps = prices[i]
		}
		if strings.TrimSpace(qs) == "" && strings.TrimSpace(ps) == "" {
			continue // a blank row
		}
		qty, ok1 := quoteAmount(lang, qs)
		price, ok2 := quoteAmount(lang, ps)
		if !ok1 || !ok2 {
			p.Add("price_breaks", sihub.M("Mức giá %q / %q không phải là số.", "Price break %q / %q is not a number.", qs, ps))
			continue
		}
		in.Breaks = append(in.Breaks, sihub.PriceBreak{MinQty: qty, UnitPrice: price})
	}
	q, more := in.quote(invID)
	return q, append(p, more...)
}

// saveQuote saves q as the draft of ic's invitation, and submits it when
// submit is set; it returns the revision submitted (nil for a draft).
func (s *server) saveQuote(ctx context.Context, ic *invitationCtx, q *sihub.Quote, problems sihub.Problems, submit bool) (*sihub.Quote, error) {
	if err := problems.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.db.SaveDraft(ctx, q, now); err != nil {
		return nil, err
	}
	if !submit {
		return nil, nil
	}
	return s.db.SubmitQuote(ctx, ic.iv.ID, now)
}

func (s *server) quotePage(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.answerableInvitation(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	action := r.PostForm.Get("action")
	if action != "draft" && action != "submit" {
		return badRequest(sihub.Errorf(sihub.ErrInvalid, "Hãy chọn lưu nháp hoặc gửi báo giá.", "Choose to save a draft or to submit the quote."))
	}
	q, problems := readQuoteForm(langFromRequest(r), r.PostForm, ic.iv.ID)
	if _, err := s.saveQuote(r.Context(), ic, q, problems, action == "submit"); err != nil {
		return err
	}
	done := "quote.saved"
	if action == "submit" {
		done = "quote.submitted"
	}
	http.Redirect(w, r, invitationPath(ic.iv.ID)+"?done="+done+"#quote", http.StatusSeeOther)
	return nil
}

func (s *server) apiSaveQuote(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.answerableInvitation(r)
	if err != nil {
		return err
	}
	var in quoteInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	q, problems := in.quote(ic.iv.ID)
	if _, err := s.saveQuote(r.Context(), ic, q, problems, false); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

// apiSubmitQuote submits the saved draft as the next revision; a body, if
// any, is saved as the draft first.
func (s *server) apiSubmitQuote(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.answerableInvitation(r)
	if err != nil {
		return err
	}
	var rev *sihub.Quote
	if r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
		var in quoteInput
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		q, problems := in.quote(ic.iv.ID)
		if rev, err = s.saveQuote(r.Context(), ic, q, problems, true); err != nil {
			return err
		}
	} else if rev, err = s.db.SubmitQuote(r.Context(), ic.iv.ID, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rev)
	return nil
}

// ---- Declining

type declineInput struct {
	Reason sihub.DeclineReason `json:"reason"`
	Note   string              `json:"note"`
}

func (s *server) supplierDecline(r *http.Request, in declineInput) (*invitationCtx, error) {
	ic, err := s.answerableInvitation(r)
	if err != nil {
		return nil, err
	}
	if err := s.db.DeclineInvitation(r.Context(), ic.iv.ID, in.Reason, in.Note, s.now()); err != nil {
		return nil, err
	}
	return ic, nil
}

func (s *server) declinePage(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ic, err := s.supplierDecline(r, declineInput{Reason: sihub.DeclineReason(r.PostForm.Get("reason")), Note: r.PostForm.Get("note")})
	if err != nil {
		return err
	}
	http.Redirect(w, r, invitationPath(ic.iv.ID)+"?done=quote.declined", http.StatusSeeOther)
	return nil
}

func (s *server) apiDecline(w http.ResponseWriter, r *http.Request) error {
	var in declineInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ic, err := s.supplierDecline(r, in)
	if err != nil {
		return err
	}
	iv, err := s.db.Invitation(r.Context(), ic.iv.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, iv)
	return nil
}

// ---- Questions

// supplierAsk records the question and tells the buyer's people (and the
// center person who opened the round, when the center runs it for the
// buyer), who answer it on the round's page: a note each, emailed, kept
// for the digest or only listed as each chose, written with the question.
func (s *server) supplierAsk(r *http.Request, text string) (*sihub.Question, error) {
	ic, err := s.answerableInvitation(r)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if !p.CanAsk(ic.iv) {
		return nil, refuse(p)
	}
	ctx := r.Context()
	to, err := s.buyerRecipients(ctx, ic.d, ic.r)
	if err != nil {
		return nil, err
	}
	return s.db.AskQuestion(ctx, ic.r.ID, ic.iv.CompanyID, text, func(q *sihub.Question) []store.Note {
		return notesFor(to, func(u *sihub.User) store.Note {
			lang := u.Lang
			title := demandTitle(lang, ic.d)
			return store.Note{UserID: u.ID, Kind: store.NoteQuestion, Link: rfqRoundPath(ic.r.ID) + "#questions",
				Subject: tr(lang, "mail.quote.question.subject", title, ic.r.Round),
				Body:    tr(lang, "note.question.body", ic.iv.CompanyName, ic.r.Round, q.Text),
				Mail: tr(lang, "mail.quote.question.body", greetingName(u), ic.iv.CompanyName, ic.r.Round, title, q.Text,
					s.link(rfqRoundPath(ic.r.ID)), s.link("/account#notify"))}
		})
	})
}

// buyerRecipients are the people told of a round's news: the buyer's
// active people, and the person who opened the round when they are of the
// center (staff acting for the buyer) — whatever they chose to hear: the
// store emails, keeps for the digest or only lists each note as they chose.
func (s *server) buyerRecipients(ctx context.Context, d *sihub.Demand, rq *sihub.RFQ) ([]*sihub.User, error) {
	us, err := s.db.CompanyRecipients(ctx, d.BuyerID)
	if err != nil {
		return nil, err
	}
	if rq.CreatedBy != 0 {
		u, err := s.db.User(ctx, rq.CreatedBy)
		switch {
		case sihub.ErrorCode(err) == sihub.ErrNotFound:
		case err != nil:
			return nil, err
		case (&sihub.Principal{User: u}).Staff():
			us = append(us, u)
		}
	}
	return us, nil
}

func (s *server) askPage(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	if _, err := s.supplierAsk(r, r.PostForm.Get("text")); err != nil {
		return err
	}
	id, _ := pathID(r, "id")
	http.Redirect(w, r, invitationPath(id)+"?done=quote.asked#questions", http.StatusSeeOther)
	return nil
}

func (s *server) apiAsk(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	q, err := s.supplierAsk(r, in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, q)
	return nil
}

// ---- The center board

// The pipeline across all buyers, for the center (CanSeeBoard): cases per
// stage, cases stalled longer than N days, conversion per stage (the share
// of all cases that ever reached it), and the awarded value in VND by
// buyer and by the buyer's sectors; the same as XLSX.

// defaultStalledDays is how long a case may rest without a step before
// the board calls it stalled, unless ?stalled_days says otherwise.
const defaultStalledDays = 14

type stageRow struct {
	Stage      sihub.Stage `json:"stage"`
	Label      string      `json:"label"`
	Count      int         `json:"count"`      // cases at the stage now
	Reached    int         `json:"reached"`    // cases that ever reached it
	Conversion float64     `json:"conversion"` // Reached / all cases, 0 when there are none
}

type stalledRow struct {
	CaseID      int64       `json:"case_id"`
	DemandID    int64       `json:"demand_id"`
	DemandTitle string      `json:"demand_title"`
	BuyerName   string      `json:"buyer_name"`
	CompanyID   int64       `json:"company_id"`
	CompanyName string      `json:"company_name"`
	Stage       sihub.Stage `json:"stage"`
	StageLabel  string      `json:"stage_label"`
	Since       time.Time   `json:"since"` // the case's last change
	Days        int         `json:"days"`
}

type sectorRow struct {
	Sector   string  `json:"sector"`
	Label    string  `json:"label"`
	Cases    int     `json:"cases"`
	ValueVND float64 `json:"value_vnd"`
}

type boardJSON struct {
	StalledDays int              `json:"stalled_days"`
	Total       int              `json:"total"` // cases
	Stages      []stageRow       `json:"stages"`
	Stalled     []stalledRow     `json:"stalled"`
	ByBuyer     []store.AwardRow `json:"awarded_by_buyer"`
	BySector    []sectorRow      `json:"awarded_by_sector"`
	AwardedVND  float64          `json:"awarded_vnd"`
}

// board reads the board for r, which the center alone may see.
func (s *server) board(r *http.Request) (*boardJSON, error) {
	p := principal(r)
	if !p.CanSeeBoard() {
		return nil, refuse(p)
	}
	days := defaultStalledDays
	if v := strings.TrimSpace(r.URL.Query().Get("stalled_days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			return nil, badRequest((&sihub.Problems{{Field: "stalled_days", Msg: sihub.M(
				"stalled_days phải là số ngày từ 1 đến 3650 (%q).", "stalled_days must be a number of days from 1 to 3650 (%q).", v)}}).Err())
		}
		days = n
	}
	ctx, lang, now := r.Context(), langFromRequest(r), s.now()
	counts, err := s.db.PipelineCounts(ctx)
	if err != nil {
		return nil, err
	}
	reached, total, err := s.db.StagesReached(ctx)
	if err != nil {
		return nil, err
	}
	out := &boardJSON{StalledDays: days, Total: total, Stalled: []stalledRow{}, BySector: []sectorRow{}}
	for _, st := range sihub.Stages {
		row := stageRow{Stage: st, Label: tr(lang, "rfq.stage."+string(st)), Count: counts[st], Reached: reached[st]}
		if total > 0 {
			row.Conversion = float64(row.Reached) / float64(total)
		}
		out.Stages = append(out.Stages, row)
	}
	stalled, err := s.db.StalledCases(ctx, now.Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		return nil, err
	}
	demands, companies := map[int64]*sihub.Demand{}, map[int64]string{}
	for _, c := range stalled {
		d, ok := demands[c.DemandID]
		if !ok {
			if d, err = s.db.Demand(ctx, c.DemandID); err != nil {
				return nil, err
			}
			demands[c.DemandID] = d
		}
		name, ok := companies[c.CompanyID]
		if !ok {
			co, err := s.db.Company(ctx, c.CompanyID)
			if err != nil {
				return nil, err
			}
			name, companies[c.CompanyID] = co.Name, co.Name
		}
		since := c.UpdatedAt
		out.Stalled = append(out.Stalled, stalledRow{CaseID: c.ID, DemandID: d.ID, DemandTitle: demandTitle(lang, d), BuyerName: d.BuyerName,
			CompanyID: c.CompanyID, CompanyName: name, Stage: c.Stage, StageLabel: tr(lang, "rfq.stage."+string(c.Stage)),
			Since: since, Days: int(now.Sub(since).Hours() / 24)})
	}
	if out.ByBuyer, err = s.db.AwardedValue(ctx); err != nil {
		return nil, err
	}
	// A buyer in several sectors counts in each: the sector rows do not
	// add up to the total when buyers span sectors.
	bySector := map[string]*sectorRow{}
	for _, a := range out.ByBuyer {
		out.AwardedVND += a.ValueVND
		sectors := a.Sectors
		if len(sectors) == 0 {
			sectors = []string{""}
		}
		for _, sec := range sectors {
			row := bySector[sec]
			if row == nil {
				label := tr(lang, "board.sector.none")
				if sec != "" {
					label = facetLabel(lang, pSector, sec)
				}
				row = &sectorRow{Sector: sec, Label: label}
				bySector[sec] = row
			}
			row.Cases += a.Cases
			row.ValueVND += a.ValueVND
		}
	}
	for _, row := range bySector {
		out.BySector = append(out.BySector, *row)
	}
	slices.SortFunc(out.BySector, func(a, b sectorRow) int {
		switch {
		case a.ValueVND > b.ValueVND:
			return -1
		case a.ValueVND < b.ValueVND:
			return 1
		}
		return strings.Compare(a.Sector, b.Sector)
	})
	return out, nil
}

func (s *server) apiBoard(w http.ResponseWriter, r *http.Request) error {
	b, err := s.board(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

type boardPage struct {
	basePage
	B      *boardJSON
	Export string
}

func (s *server) boardPage(w http.ResponseWriter, r *http.Request) error {
	b, err := s.board(r)
	if err != nil {
		return err
	}
	pg := &boardPage{basePage: s.base(r, "board.title"), B: b, Export: "/board.xlsx?stalled_days=" + strconv.Itoa(b.StalledDays)}
	pg.Nav = "board"
	s.render(w, r, http.StatusOK, "board", pg)
	return nil
}

// Percent writes a share as a whole percentage.
func (pg *boardPage) Percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// VND writes an amount in VND with the language's grouping.
func (pg *boardPage) VND(v float64) string { return formatNumber(pg.Lang, math.Round(v)) + " VND" }

func (s *server) boardXLSX(w http.ResponseWriter, r *http.Request) error {
	b, err := s.board(r)
	if err != nil {
		return err
	}
	lang := langFromRequest(r)
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // Text: tax codes keep their zeros
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return err
	}
	share, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return err
	}
	type cell struct {
		v     any
		style int
	}
	sheet := func(first bool, key string, header []string, rows [][]cell) error {
		name := tr(lang, key)
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for i, h := range header {
			ref, _ := excelize.CoordinatesToCellName(i+1, 1)
			if err := f.SetCellStr(name, ref, tr(lang, h)); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, ref, ref, bold); err != nil {
				return err
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(name, col, col, 24); err != nil {
				return err
			}
		}
		for j, row := range rows {
			for i, c := range row {
				ref, _ := excelize.CoordinatesToCellName(i+1, j+2)
				if err := f.SetCellValue(name, ref, c.v); err != nil {
					return err
				}
				if c.style != 0 {
					if err := f.SetCellStyle(name, ref, ref, c.style); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	var stages, stalled, buyers, sectors [][]cell
	for _, st := range b.Stages {
		stages = append(stages, []cell{{st.Label, 0}, {st.Count, 0}, {st.Reached, 0}, {st.Conversion, share}})
	}
	for _, c := range b.Stalled {
		stalled = append(stalled, []cell{{c.DemandTitle, 0}, {c.BuyerName, 0}, {c.CompanyName, 0}, {c.StageLabel, 0},
			{c.Since.In(vietnam).Format(time.DateOnly), 0}, {c.Days, 0}, {s.link(demandPath(c.DemandID)), 0}})
	}
	for _, a := range b.ByBuyer {
		buyers = append(buyers, []cell{{a.BuyerTaxCode, text}, {a.BuyerName, 0}, {a.Cases, 0}, {a.ValueVND, money}})
	}
	for _, sec := range b.BySector {
		sectors = append(sectors, []cell{{sec.Label, 0}, {sec.Cases, 0}, {sec.ValueVND, money}})
	}
	for i, sh := range []struct {
		key    string
		header []string
		rows   [][]cell
	}{
		{"board.sheet.stages", []string{"board.col.stage", "board.col.count", "board.col.reached", "board.col.conversion"}, stages},
		{"board.sheet.stalled", []string{"board.col.demand", "board.col.buyer", "board.col.supplier", "board.col.stage", "board.col.since", "board.col.days", "board.col.link"}, stalled},
		{"board.sheet.buyers", []string{"board.col.buyertax", "board.col.buyer", "board.col.awarded", "board.col.vnd"}, buyers},
		{"board.sheet.sectors", []string{"board.col.sector", "board.col.awarded", "board.col.vnd"}, sectors},
	} {
		if err := sheet(i == 0, sh.key, sh.header, sh.rows); err != nil {
			return err
		}
	}
	name := "sihub-board-" + s.now().In(vietnam).Format("2006-01-02") + ".xlsx"
	w.Header().Set("Content-Type", sihub.TypeXLSX)
	w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	w.Header().Set("Cache-Control", "private, no-store")
	return f.Write(w)
}
