package web

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// The buyer's side of RFQs: rounds of requests for quotations on a demand,
// the quotes compared side by side, and each supplier's case through the
// pipeline. The buyer's people and the center use these pages; an invited
// supplier has its own (quotes.go) and is refused here, so that it never
// meets another supplier's quote, the other invitees or the target price.
// Sealed quotes stay hidden from everyone until the deadline: only their
// count shows.

// rfqRoutes are the buyer's RFQ pages and API.
func (s *server) rfqRoutes() []route {
	return []route{
		{"GET /demands/{id}/rfqs", s.demandRFQsPage},
		{"POST /demands/{id}/rfqs", s.createRFQPage},
		{"GET /rfqs/{id}", s.rfqPage},
		{"POST /rfqs/{id}/extend", s.extendRFQPage},
		{"POST /rfqs/{id}/questions/{q}/answer", s.answerQuestionPage},
		{"GET /demands/{id}/cases", s.casesPage},
		{"POST /cases/{id}/move", s.moveCasePage},

		{"GET /api/v1/demands/{id}/rfqs", s.apiListRFQs},
		{"POST /api/v1/demands/{id}/rfqs", s.apiCreateRFQ},
		{"GET /api/v1/rfqs/{id}", s.apiGetRFQ},
		{"POST /api/v1/rfqs/{id}/extend", s.apiExtendRFQ},
		{"POST /api/v1/rfqs/{id}/questions/{q}/answer", s.apiAnswerQuestion},
		{"GET /api/v1/demands/{id}/cases", s.apiCases},
		{"POST /api/v1/cases/{id}/move", s.apiMoveCase},
		{"GET /api/v1/cases/{id}/steps", s.apiCaseSteps},
	}
}

// rfqRoundPath is a round's page.
func rfqRoundPath(id int64) string { return "/rfqs/" + strconv.FormatInt(id, 10) }

// ---- Loading as the caller may

func rfqNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy đợt báo giá #%d.", "RFQ round #%d was not found.", id)
}

// errBuyerOnly refuses an invited supplier the buyer's view of a round.
var errBuyerOnly = sihub.Errorf(sihub.ErrForbidden,
	"Trang này dành cho bên mua và Trung tâm. Lời mời báo giá của doanh nghiệp bạn nằm trong danh sách lời mời.",
	"This page is for the buyer and the center. Your company's invitation is in its list of invitations.")

// loadRFQ loads the round the path's {id} names with its demand and
// invitations, for r's principal who must see it as the buyer (or the
// center) and be allowed may: not found when they may not see the round
// at all, refused when they see it (an invited supplier) but not here.
func (s *server) loadRFQ(r *http.Request, may func(*sihub.Principal, *sihub.Demand) bool) (*sihub.RFQ, *sihub.Demand, []*sihub.Invitation, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	p := principal(r)
	if !p.SignedIn() {
		return nil, nil, nil, errSignIn
	}
	ctx := r.Context()
	rq, err := s.db.RFQ(ctx, id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, nil, nil, rfqNotFound(id)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := s.db.Demand(ctx, rq.DemandID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, nil, nil, rfqNotFound(id)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	invs, err := s.db.Invitations(ctx, rq.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	invited := slices.ContainsFunc(invs, func(iv *sihub.Invitation) bool { return iv.CompanyID == p.CompanyID() })
	switch {
	case !p.CanSeeRFQ(d, invited):
		return nil, nil, nil, rfqNotFound(id)
	case !p.CanSeeMatches(d):
		if !p.User.Active() || p.Scope == sihub.ScopeRead {
			return nil, nil, nil, refuse(p)
		}
		return nil, nil, nil, errBuyerOnly
	case !may(p, d):
		return nil, nil, nil, refuse(p)
	}
	return rq, d, invs, nil
}

func canSeeMatches(p *sihub.Principal, d *sihub.Demand) bool { return p.CanSeeMatches(d) }

func caseNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy hồ sơ #%d.", "Case #%d was not found.", id)
}

// loadCase loads the case the path's {id} names and its demand for r's
// principal, who must see it whole (the buyer or the center) and be
// allowed may. The case's supplier sees its stage elsewhere: refused here.
func (s *server) loadCase(r *http.Request, may func(*sihub.Principal, *sihub.Demand) bool) (*sihub.Case, *sihub.Demand, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	p := principal(r)
	if !p.SignedIn() {
		return nil, nil, errSignIn
	}
	c, err := s.db.Case(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, nil, caseNotFound(id)
	}
	if err != nil {
		return nil, nil, err
	}
	d, err := s.db.Demand(r.Context(), c.DemandID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !p.CanSeeCase(d, c) {
		return nil, nil, caseNotFound(id)
	}
	if err != nil {
		return nil, nil, err
	}
	if !p.CanSeeMatches(d) || !may(p, d) {
		return nil, nil, refuse(p)
	}
	return c, d, nil
}

// ---- Creating a round

// rfqInput is the body of POST /api/v1/demands/{id}/rfqs and what the form
// posts.
type rfqInput struct {
	CompanyIDs []int64 `json:"company_ids"`
	Message    string  `json:"message"`
	// Deadline is YYYY-MM-DD (the end of that day in Vietnam) or an RFC
	// 3339 instant.
	Deadline string `json:"deadline"`
	Sealed   bool   `json:"sealed"`
}

// formDeadline reads a form's deadline: the date field deadline and the
// optional time of day deadline_time (HH:MM, Vietnam time; without it the
// end of the day), as parseRFQDeadline reads them.
func formDeadline(form url.Values) string {
	date, clock := strings.TrimSpace(form.Get("deadline")), strings.TrimSpace(form.Get("deadline_time"))
	if clock == "" || date == "" {
		return date
	}
	if _, err := time.Parse("15:04", clock); err != nil {
		return date + " " + clock // refused by parseRFQDeadline, which names it
	}
	return date + "T" + clock + ":00+07:00"
}

// parseRFQDeadline reads a deadline as the form and the API write it.
func parseRFQDeadline(field, v string) (time.Time, sihub.Problems) {
	var p sihub.Problems
	v = strings.TrimSpace(v)
	if v == "" {
		p.Add(field, sihub.M("Thiếu hạn chót nhận báo giá.", "The deadline for quotes is missing."))
		return time.Time{}, p
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := sihub.ParseDeadline(v); err == nil {
		return t, nil
	}
	p.Add(field, sihub.M("Hạn chót %q phải có dạng YYYY-MM-DD (hết ngày đó, giờ Việt Nam) hoặc thời điểm RFC 3339.",
		"The deadline %q must be written YYYY-MM-DD (the end of that day, Vietnam time) or as an RFC 3339 instant.", v))
	return time.Time{}, p
}

// invitable checks that p may invite the companies ids to quote on d: a
// supplier company, not the buyer; for the buyer's people also one of the
// demand's matches or near misses (the center may invite any supplier it
// knows).
func (s *server) invitable(ctx context.Context, p *sihub.Principal, d *sihub.Demand, ids []int64) (sihub.Problems, error) {
	var probs sihub.Problems
	if len(ids) == 0 {
		probs.Add("company_ids", sihub.M("Chọn ít nhất một nhà cung cấp để mời báo giá.", "Choose at least one supplier to invite."))
		return probs, nil
	}
	ix, err := s.matcher(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, id := range ids {
		c, err := s.db.Company(ctx, id)
		if sihub.ErrorCode(err) == sihub.ErrNotFound {
			probs.Add("company_ids", sihub.M("Không tìm thấy doanh nghiệp #%d.", "Company #%d was not found.", id))
			continue
		}
		if err != nil {
			return nil, err
		}
		switch {
		case c.ID == d.BuyerID:
			probs.Add("company_ids", sihub.M("Bên mua không thể tự báo giá cho nhu cầu của mình.", "The buyer cannot be invited to quote on its own demand."))
		case c.Kind == sihub.Buyer:
			probs.Add("company_ids", sihub.M("%s đăng ký là bên mua, không phải nhà cung cấp.", "%s is registered as a buyer, not a supplier.", c.Name))
		case p.Staff():
		default:
			if a, ok := ix.Assess(d, c.ID, now); !ok || !a.Qualified && !a.Near {
				probs.Add("company_ids", sihub.M("%s không nằm trong danh sách nhà cung cấp phù hợp hay gần phù hợp của nhu cầu này.",
					"%s is not among this demand's matching or nearly matching suppliers.", c.Name))
			}
		}
	}
	return probs, nil
}

// createRFQ opens a round on d for p, with its files, and tells the
// invitees in the same transaction.
func (s *server) createRFQ(ctx context.Context, p *sihub.Principal, d *sihub.Demand, in rfqInput, files ...store.RFQUpload) (*sihub.RFQ, []*sihub.Invitation, error) {
	var ids []int64
	for _, id := range in.CompanyIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	deadline, probs := parseRFQDeadline("deadline", in.Deadline)
	more, err := s.invitable(ctx, p, d, ids)
	if err != nil {
		return nil, nil, err
	}
	probs = append(probs, more...)
	rq := &sihub.RFQ{DemandID: d.ID, Message: in.Message, Deadline: deadline, Sealed: in.Sealed, CreatedBy: p.User.ID}
	if len(probs) == 0 {
		// Checked against the page's clock too, so that the message
		// names the time the user sees.
		if err := rq.Validate(s.now()); err != nil {
			return nil, nil, err
		}
	}
	if err := probs.Err(); err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		f.File.CreatedBy = p.UserID()
	}
	people, err := s.recipients(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	invs, err := s.db.CreateRFQ(ctx, rq, ids, func(rq *sihub.RFQ, iv *sihub.Invitation) []store.Note {
		return notesFor(people[iv.CompanyID], func(u *sihub.User) store.Note {
			lang := u.Lang
			msg := rq.Message
			if msg == "" {
				msg = tr(lang, "rfq.mail.nomessage")
			}
			deadline := formatTime(lang, rq.Deadline, true)
			return store.Note{UserID: u.ID, Kind: store.NoteInvitation, Link: invitationPath(iv.ID),
				Subject: tr(lang, "rfq.mail.invite.subject", demandTitle(lang, d)),
				Body:    tr(lang, "note.invite.body", d.BuyerName, iv.CompanyName, rq.Round, deadline),
				Mail: tr(lang, "rfq.mail.invite.body", greetingName(u), iv.CompanyName, d.BuyerName, demandTitle(lang, d), rq.Round,
					deadline, sealedText(lang, rq), msg, s.link(invitationPath(iv.ID)), s.link("/account#notify"))}
		})
	}, files...)
	if err != nil {
		return nil, nil, err
	}
	return rq, invs, nil
}

func sealedText(lang sihub.Lang, rq *sihub.RFQ) string {
	if rq.Sealed {
		return tr(lang, "rfq.mail.sealed")
	}
	return tr(lang, "rfq.mail.open")
}

// recipients reads the active people of each of companies, who are told
// of a round's news. They are read before the change that brings the news:
// the store writes its notes inside the change's transaction, on the one
// writer connection, where tell must not query the database itself. A
// person who joins meanwhile is not told.
func (s *server) recipients(ctx context.Context, companies []int64) (map[int64][]*sihub.User, error) {
	people := map[int64][]*sihub.User{}
	for _, id := range companies {
		if _, ok := people[id]; ok {
			continue
		}
		us, err := s.db.CompanyRecipients(ctx, id)
		if err != nil {
			return nil, err
		}
		people[id] = us
	}
	return people, nil
}

// inviteeRecipients reads the people of each invitee of a round.
func (s *server) inviteeRecipients(ctx context.Context, invs []*sihub.Invitation) (map[int64][]*sihub.User, error) {
	ids := make([]int64, 0, len(invs))
	for _, iv := range invs {
		ids = append(ids, iv.CompanyID)
	}
	return s.recipients(ctx, ids)
}

// notesFor is note's note for each of us, each written in their language:
// the store lists it in their notifications, and emails it at once, keeps
// it for the daily digest or sends no email as each chose.
func notesFor(us []*sihub.User, note func(*sihub.User) store.Note) []store.Note {
	notes := make([]store.Note, 0, len(us))
	for _, u := range us {
		notes = append(notes, note(u))
	}
	return notes
}

// inviteeNotes is note's note for every person of every invitee of a round.
func inviteeNotes(people map[int64][]*sihub.User, invs []*sihub.Invitation, note func(*sihub.User, *sihub.Invitation) store.Note) []store.Note {
	var notes []store.Note
	for _, iv := range invs {
		notes = append(notes, notesFor(people[iv.CompanyID], func(u *sihub.User) store.Note { return note(u, iv) })...)
	}
	return notes
}

// readRFQForm reads the new-round form: the ticked suppliers (company),
// for staff also ids typed in (more), message, deadline, sealed.
func readRFQForm(form url.Values) (rfqInput, sihub.Problems) {
	in := rfqInput{Message: form.Get("message"), Deadline: formDeadline(form), Sealed: form.Get("sealed") != ""}
	var p sihub.Problems
	vals := form["company"]
	vals = append(vals, strings.FieldsFunc(form.Get("more"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' })...)
	for _, v := range vals {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			p.Add("company_ids", sihub.M("%q không phải mã doanh nghiệp (một số).", "%q is not a company id (a number).", v))
			continue
		}
		in.CompanyIDs = append(in.CompanyIDs, id)
	}
	return in, p
}

// createRFQPage opens a round from the form, with the files chosen on it
// (multipart, rfqfiles.go): every file is checked before anything is
// created, so that a bad one leaves no round behind.
func (s *server) createRFQPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanRequestQuotes)
	if err != nil {
		return err
	}
	form, uploads, err := readRoundForm(w, r)
	if err != nil {
		return err
	}
	in, probs := readRFQForm(form)
	files, fileProbs := checkRoundUploads(uploads)
	probs = append(probs, fileProbs...)
	if err := probs.Err(); err != nil {
		return s.renderDemandRFQs(w, r, d, http.StatusUnprocessableEntity, form, err)
	}
	p := principal(r)
	rq, _, err := s.createRFQ(r.Context(), p, d, in, files...)
	if len(sihub.FieldsOf(err)) > 0 {
		return s.renderDemandRFQs(w, r, d, http.StatusUnprocessableEntity, form, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, rfqRoundPath(rq.ID)+"?done=rfq.created", http.StatusSeeOther)
	return nil
}

func (s *server) apiCreateRFQ(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, (*sihub.Principal).CanRequestQuotes)
	if err != nil {
		return err
	}
	var in rfqInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rq, invs, err := s.createRFQ(r.Context(), principal(r), d, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rfqCreatedJSON{RFQ: rq, Invitations: invs})
	return nil
}

type rfqCreatedJSON struct {
	RFQ         *sihub.RFQ          `json:"rfq"`
	Invitations []*sihub.Invitation `json:"invitations"`
}

// ---- A demand's rounds

// rfqRoundRow is one round in a demand's list.
type rfqRoundRow struct {
	R        *sihub.RFQ
	Open     bool
	Invited  int
	Quoted   int
	Declined int
}

// rfqRoundsView is the list of a demand's rounds (the "rfq-rounds"
// template), for the demand's pages.
type rfqRoundsView struct {
	DemandID int64
	Rounds   []rfqRoundRow
}

func (s *server) roundsView(ctx context.Context, d *sihub.Demand) (*rfqRoundsView, error) {
	rs, err := s.db.RFQs(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := &rfqRoundsView{DemandID: d.ID}
	for i := len(rs) - 1; i >= 0; i-- { // newest first
		rq := rs[i]
		invs, err := s.db.Invitations(ctx, rq.ID)
		if err != nil {
			return nil, err
		}
		row := rfqRoundRow{R: rq, Open: rq.Open(now), Invited: len(invs)}
		for _, iv := range invs {
			switch iv.State {
			case sihub.InvQuoted:
				row.Quoted++
			case sihub.InvDeclined:
				row.Declined++
			}
		}
		v.Rounds = append(v.Rounds, row)
	}
	return v, nil
}

// rfqCandidate is a supplier the new-round form offers.
type rfqCandidate struct {
	ID      int64
	Name    string
	TaxCode string
	Score   string
	Near    bool
	Gaps    []string
	Checked bool
}

type demandRFQsPage struct {
	basePage
	D            *sihub.Demand
	DTitle       string
	Rounds       *rfqRoundsView
	Candidates   []rfqCandidate
	Staff        bool
	Message      string
	Deadline     string
	DeadlineTime string
	Sealed       bool
	More         string
	Errors       []string
}

func (s *server) demandRFQsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSeeMatches)
	if err != nil {
		return err
	}
	return s.renderDemandRFQs(w, r, d, http.StatusOK, nil, nil)
}

// renderDemandRFQs shows a demand's rounds and the form for a new one,
// with what was posted and its problems when form is not nil.
func (s *server) renderDemandRFQs(w http.ResponseWriter, r *http.Request, d *sihub.Demand, status int, form url.Values, formErr error) error {
	p := principal(r)
	pg := &demandRFQsPage{basePage: s.base(r, "rfq.rounds.title"), D: d.For(p), Staff: p.Staff()}
	pg.Nav = "demands"
	lang := pg.Lang
	pg.DTitle = demandTitle(lang, d)
	var err error
	if pg.Rounds, err = s.roundsView(r.Context(), d); err != nil {
		return err
	}
	checked := map[int64]bool{}
	if form != nil {
		pg.Message, pg.Deadline, pg.DeadlineTime = form.Get("message"), form.Get("deadline"), form.Get("deadline_time")
		pg.Sealed, pg.More = form.Get("sealed") != "", form.Get("more")
		for _, v := range form["company"] {
			id, _ := strconv.ParseInt(v, 10, 64)
			checked[id] = true
		}
	}
	pg.Errors = append(pg.Errors, errorLines(lang, formErr)...)
	if p.CanRequestQuotes(d) {
		ix, err := s.matcher(r.Context())
		if err != nil {
			return err
		}
		res := ix.Match(d, s.now(), matchLimit)
		for _, m := range res.Matches {
			pg.Candidates = append(pg.Candidates, rfqCandidate{ID: m.Company.ID, Name: m.Company.Name, TaxCode: m.Company.TaxCode,
				Score: formatScore(m.Score), Checked: checked[m.Company.ID]})
		}
		for _, m := range res.NearMisses {
			c := rfqCandidate{ID: m.Company.ID, Name: m.Company.Name, TaxCode: m.Company.TaxCode, Score: formatScore(m.Score),
				Near: true, Checked: checked[m.Company.ID]}
			for _, g := range m.Gaps {
				c.Gaps = append(c.Gaps, g.In(lang))
			}
			pg.Candidates = append(pg.Candidates, c)
		}
	}
	s.render(w, r, status, "rfq_rounds", pg)
	return nil
}

func (s *server) apiListRFQs(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSeeMatches)
	if err != nil {
		return err
	}
	rs, err := s.db.RFQs(r.Context(), d.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rfqs": rs})
	return nil
}

// ---- A round: invitees, questions, quotes compared

// compareColumns are the comparison's sortable columns.
var compareColumns = []string{"supplier", "unit", "moq", "tooling", "landed", "sample", "mass", "valid"}

// rates are what the buyer entered for a comparison: the currency costs
// are shown in and how many VND one unit of each other currency is worth.
type rates struct {
	To    string
	Rates sihub.Rates
	Input map[string]string // as typed, for the form
}

// readRates reads ?to=USD&rate_USD=25000&rate_JPY=170; by default costs
// are in VND and no rate is known.
func readRates(q url.Values) (rates, sihub.Problems) {
	var p sihub.Problems
	rt := rates{To: "VND", Rates: sihub.Rates{}, Input: map[string]string{}}
	if to := strings.ToUpper(strings.TrimSpace(q.Get("to"))); to != "" {
		if !slices.Contains(sihub.QuoteCurrencies, to) {
			p.Add("to", sihub.M("Đơn vị tiền tệ so sánh phải là một trong %s.", "The comparison currency must be one of %s.",
				strings.Join(sihub.QuoteCurrencies, ", ")))
		} else {
			rt.To = to
		}
	}
	for _, c := range sihub.QuoteCurrencies {
		if c == "VND" {
			continue
		}
		v := strings.TrimSpace(q.Get("rate_" + c))
		rt.Input[c] = v
		if v == "" {
			continue
		}
		f, ok := sheet.ParseAmount(v)
		if !ok || !(f > 0 && f <= sihub.MaxAmount) {
			p.Add("rate_"+c, sihub.M("Tỷ giá %s phải là số VND dương cho một đơn vị, ví dụ 25000.",
				"The rate of %s must be a positive number of VND per unit, e.g. 25000.", c))
			continue
		}
		rt.Rates[c] = f
	}
	return rt, p
}

// compareRow is one standing quote in the comparison.
type compareRow struct {
	Inv       *sihub.Invitation
	Q         *sihub.Quote
	UnitAt    float64 // the unit price at the demand's volume, in the quote's currency
	BelowMOQ  bool
	Landed    float64
	LandedOK  bool
	RateNeed  string  // the currency whose rate is missing, when Landed is unknown
	LandedErr string  // another reason Landed is unknown
	unitTo    float64 // UnitAt, tooling in the comparison currency (for sorting and best)
	unitOK    bool
	toolTo    float64
	toolOK    bool
	Best      map[string]bool
	Revisions []*sihub.Quote // submitted revisions, oldest first
}

// comparison is the quotes of a round side by side.
type comparison struct {
	Rates  rates
	Volume float64
	Sort   string
	Rows   []*compareRow
}

// missingRate names the currency among cs whose rate is unknown.
func missingRate(rs sihub.Rates, cs ...string) string {
	for _, c := range cs {
		if c != "VND" && rs[c] == 0 {
			return c
		}
	}
	return ""
}

// compare builds the comparison of quotes at volume in rt's currency,
// sorted by column sortBy, and marks the best value of each column.
func compare(lang sihub.Lang, invs []*sihub.Invitation, qs []*sihub.Quote, volume float64, rt rates, sortBy string) *comparison {
	cmpn := &comparison{Rates: rt, Volume: volume, Sort: sortBy}
	byID := map[int64]*sihub.Invitation{}
	for _, iv := range invs {
		byID[iv.ID] = iv
	}
	for _, q := range qs {
		row := &compareRow{Inv: byID[q.InvitationID], Q: q, UnitAt: q.UnitPriceAt(volume), BelowMOQ: q.BelowMOQ(volume), Best: map[string]bool{}}
		if row.Inv == nil {
			row.Inv = &sihub.Invitation{ID: q.InvitationID, CompanyID: q.CompanyID}
		}
		if v, err := rt.Rates.Convert(row.UnitAt, q.Currency, rt.To); err == nil {
			row.unitTo, row.unitOK = v, true
		}
		if v, err := rt.Rates.Convert(q.ToolingCost, q.Currency, rt.To); err == nil {
			row.toolTo, row.toolOK = v, true
		}
		if v, err := sihub.LandedUnitCost(q, volume, rt.Rates, rt.To); err == nil {
			row.Landed, row.LandedOK = v, true
		} else if c := missingRate(rt.Rates, q.Currency, rt.To); c != "" && volume > 0 {
			row.RateNeed = c
		} else {
			row.LandedErr = sihub.ErrorMsg(err).In(lang)
		}
		cmpn.Rows = append(cmpn.Rows, row)
	}
	// Each column's value, ok, and whether less is better.
	value := func(row *compareRow, col string) (float64, bool, bool) {
		q := row.Q
		switch col {
		case "unit":
			return row.unitTo, row.unitOK, true
		case "moq":
			return q.MOQ, true, true
		case "tooling":
			return row.toolTo, row.toolOK, true
		case "landed":
			return row.Landed, row.LandedOK, true
		case "sample":
			return float64(q.SampleLeadDays), q.SampleLeadDays > 0, true
		case "mass":
			return float64(q.MassLeadDays), q.MassLeadDays > 0, true
		case "valid":
			if q.ValidUntil == nil {
				return 0, false, false
			}
			return float64(q.ValidUntil.Unix()), true, false
		}
		return 0, false, true
	}
	for _, col := range compareColumns[1:] {
		var best float64
		found := false
		for _, row := range cmpn.Rows {
			v, ok, less := value(row, col)
			if ok && (!found || less && v < best || !less && v > best) {
				best, found = v, true
			}
		}
		// A column where every quote is the same singles nobody out.
		if !found || len(cmpn.Rows) < 2 {
			continue
		}
		same := true
		for _, row := range cmpn.Rows {
			if v, ok, _ := value(row, col); !ok || v != best {
				same = false
			}
		}
		if same {
			continue
		}
		for _, row := range cmpn.Rows {
			if v, ok, _ := value(row, col); ok && v == best {
				row.Best[col] = true
			}
		}
	}
	if !slices.Contains(compareColumns, sortBy) {
		cmpn.Sort = "landed"
	}
	slices.SortStableFunc(cmpn.Rows, func(a, b *compareRow) int {
		if cmpn.Sort == "supplier" {
			return cmp.Compare(strings.ToLower(a.Inv.CompanyName), strings.ToLower(b.Inv.CompanyName))
		}
		va, oka, less := value(a, cmpn.Sort)
		vb, okb, _ := value(b, cmpn.Sort)
		switch {
		case oka != okb: // unknown values last
			if oka {
				return -1
			}
			return 1
		case !oka:
			return 0
		case less:
			return cmp.Compare(va, vb)
		}
		return cmp.Compare(vb, va)
	})
	return cmpn
}

// roundView is everything a round's page and API show.
type roundView struct {
	R            *sihub.RFQ
	D            *sihub.Demand // as the reader may see it
	Invitations  []*sihub.Invitation
	States       map[int64]sihub.InvitationState
	Questions    []*sihub.Question
	Visible      bool // quotes may be shown
	QuotesCount  int  // submitted quotes standing, shown when sealed
	Comparison   *comparison
	RateProblems sihub.Problems
	Deadlines    []store.DeadlineChange
}

// roundFor gathers round rq of demand d as p sees it at now, its quotes
// compared at the rates and sort of q.
func (s *server) roundFor(ctx context.Context, p *sihub.Principal, lang sihub.Lang, rq *sihub.RFQ, d *sihub.Demand,
	invs []*sihub.Invitation, q url.Values) (*roundView, error) {
	now := s.now()
	v := &roundView{R: rq, D: d.For(p), Invitations: invs, States: map[int64]sihub.InvitationState{}, Visible: rq.QuotesVisible(now)}
	for _, iv := range invs {
		v.States[iv.ID] = iv.StateAt(rq, now)
		if iv.State == sihub.InvQuoted {
			v.QuotesCount++
		}
	}
	qs, err := s.db.Questions(ctx, rq.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range qs {
		v.Questions = append(v.Questions, x.For(p, d))
	}
	if v.Deadlines, err = s.db.DeadlineChanges(ctx, rq.ID); err != nil {
		return nil, err
	}
	if !v.Visible {
		return v, nil
	}
	all, err := s.db.Quotes(ctx, rq.ID)
	if err != nil {
		return nil, err
	}
	var shown []*sihub.Quote
	for _, x := range all {
		if p.CanSeeQuote(d, x, rq, now) {
			shown = append(shown, x)
		}
	}
	rt, probs := readRates(q)
	v.RateProblems = probs
	v.Comparison = compare(lang, invs, shown, d.AnnualVolume, rt, q.Get("sort"))
	for _, row := range v.Comparison.Rows {
		revs, err := s.db.QuoteRevisions(ctx, row.Q.InvitationID)
		if err != nil {
			return nil, err
		}
		for _, x := range revs {
			if x.Submitted() && p.CanSeeQuote(d, x, rq, now) {
				row.Revisions = append(row.Revisions, x)
			}
		}
	}
	return v, nil
}

// rfqPageData is the round's page.
type rfqPageData struct {
	basePage
	*roundView
	DTitle      string
	TargetPrice string
	Volume      string
	Open        bool
	CanManage   bool
	ShowRev     int64 // the invitation whose revisions are shown
	Columns     []sortLink
	RateErrors  []string
	RateInputs  []rateInput
	Currencies  []option
	Errors      []string
	ExtendValue string
	// The round's files (rfqfiles.go, fillRFQFiles): the buyer's, and
	// those of each compared quote the reader may see, by invitation.
	Files          []rfqFileRow
	QuoteFileRows  map[int64][]rfqFileRow
	CanChangeFiles bool // the upload form and delete buttons, while open
	MaxFiles       int
}

type sortLink struct {
	Key, Label, URL string
	On              bool
}

type rateInput struct {
	Currency, Value string
}

func (s *server) rfqPage(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, canSeeMatches)
	if err != nil {
		return err
	}
	return s.renderRFQ(w, r, rq, d, invs, http.StatusOK, nil)
}

func (s *server) renderRFQ(w http.ResponseWriter, r *http.Request, rq *sihub.RFQ, d *sihub.Demand, invs []*sihub.Invitation, status int, formErr error) error {
	p := principal(r)
	pg := &rfqPageData{basePage: s.base(r, "")}
	lang := pg.Lang
	q := r.URL.Query()
	v, err := s.roundFor(r.Context(), p, lang, rq, d, invs, q)
	if err != nil {
		return err
	}
	pg.roundView, pg.Nav = v, "demands"
	pg.DTitle = demandTitle(lang, d)
	pg.Title = tr(lang, "rfq.title", rq.Round, pg.DTitle)
	pg.Open = rq.Open(s.now())
	pg.CanManage = p.CanRequestQuotes(d)
	if v.D.TargetPrice > 0 && p.CanSeeTargetPrice(d) {
		pg.TargetPrice = formatNumber(lang, v.D.TargetPrice) + " " + v.D.Currency
	}
	if d.AnnualVolume > 0 {
		pg.Volume = formatNumber(lang, d.AnnualVolume) + " " + d.Unit
	}
	pg.ShowRev, _ = strconv.ParseInt(q.Get("rev"), 10, 64)
	for _, f := range v.RateProblems {
		pg.RateErrors = append(pg.RateErrors, f.Msg.In(lang))
	}
	pg.Errors = append(pg.Errors, errorLines(lang, formErr)...)
	if c := v.Comparison; c != nil {
		for _, cur := range sihub.QuoteCurrencies {
			pg.Currencies = append(pg.Currencies, option{Value: cur, Label: cur, Selected: cur == c.Rates.To})
			if cur != "VND" {
				pg.RateInputs = append(pg.RateInputs, rateInput{cur, c.Rates.Input[cur]})
			}
		}
		for _, col := range compareColumns {
			u := url.Values{}
			for k, vs := range q {
				if k != "sort" && k != "done" {
					u[k] = vs
				}
			}
			u.Set("sort", col)
			pg.Columns = append(pg.Columns, sortLink{Key: col, Label: tr(lang, "rfq.col."+col), URL: pathWith(rfqRoundPath(rq.ID), u) + "#quotes",
				On: col == c.Sort})
		}
	}
	if err := s.fillRFQFiles(r, pg); err != nil {
		return err
	}
	s.render(w, r, status, "rfq", pg)
	return nil
}

// Money and other cells as the page shows them.
func (pg *rfqPageData) Money(v float64, currency string) string {
	return formatNumber(pg.Lang, v) + " " + currency
}

// Cost shows a computed landed cost: in whole đồng when in VND, which has
// no smaller unit.
func (pg *rfqPageData) Cost(v float64, currency string) string {
	if currency == "VND" {
		v = math.Round(v)
	}
	return pg.Money(v, currency)
}

func (pg *rfqPageData) Num(v float64) string { return formatNumber(pg.Lang, v) }

// Company names an invited company, for who asked a question.
func (pg *rfqPageData) Company(id int64) string {
	for _, iv := range pg.Invitations {
		if iv.CompanyID == id {
			return iv.CompanyName
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (pg *rfqPageData) State(iv *sihub.Invitation) string {
	return tr(pg.Lang, "rfq.state."+string(pg.States[iv.ID]))
}

// rfqJSON is a round as the API shows it to the buyer and the center.
type rfqJSON struct {
	RFQ           *sihub.RFQ             `json:"rfq"`
	Demand        *sihub.Demand          `json:"demand"`
	Invitations   []*sihub.Invitation    `json:"invitations"`
	Questions     []*sihub.Question      `json:"questions"`
	Deadlines     []store.DeadlineChange `json:"deadline_changes"`
	QuotesVisible bool                   `json:"quotes_visible"`
	QuotesCount   int                    `json:"quotes_count"`
	// SealedUntil is set while a sealed round's quotes are hidden.
	SealedUntil *time.Time      `json:"sealed_until,omitempty"`
	Comparison  *comparisonJSON `json:"comparison,omitempty"`
}

type comparisonJSON struct {
	Currency     string             `json:"currency"`
	Rates        map[string]float64 `json:"rates_to_vnd"`
	AnnualVolume float64            `json:"annual_volume"`
	Sort         string             `json:"sort"`
	Quotes       []quoteRowJSON     `json:"quotes"`
}

type quoteRowJSON struct {
	CompanyName string `json:"company_name"`
	*sihub.Quote
	UnitPriceAtVolume float64        `json:"unit_price_at_volume"`
	BelowMOQ          bool           `json:"below_moq"`
	LandedUnitCost    *float64       `json:"landed_unit_cost"` // null when unknown
	RateNeeded        string         `json:"rate_needed,omitempty"`
	Best              []string       `json:"best,omitempty"` // the columns where this quote is best
	Revisions         []*sihub.Quote `json:"revisions"`
}

func (s *server) apiGetRFQ(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, canSeeMatches)
	if err != nil {
		return err
	}
	p := principal(r)
	v, err := s.roundFor(r.Context(), p, langFromRequest(r), rq, d, invs, r.URL.Query())
	if err != nil {
		return err
	}
	if err := v.RateProblems.Err(); err != nil {
		return err
	}
	out := rfqJSON{RFQ: rq, Demand: demandJSON(d, p), Questions: v.Questions, Deadlines: v.Deadlines,
		QuotesVisible: v.Visible, QuotesCount: v.QuotesCount}
	for _, iv := range invs {
		x := *iv
		x.State = v.States[iv.ID]
		out.Invitations = append(out.Invitations, &x)
	}
	out.Invitations = nonNilSlice(out.Invitations)
	out.Questions = nonNilSlice(out.Questions)
	if !v.Visible {
		until := rq.Deadline
		out.SealedUntil = &until
	}
	if c := v.Comparison; c != nil {
		cj := &comparisonJSON{Currency: c.Rates.To, Rates: c.Rates.Rates, AnnualVolume: c.Volume, Sort: c.Sort, Quotes: []quoteRowJSON{}}
		for _, row := range c.Rows {
			qj := quoteRowJSON{CompanyName: row.Inv.CompanyName, Quote: row.Q,
				UnitPriceAtVolume: row.UnitAt, BelowMOQ: row.BelowMOQ, RateNeeded: row.RateNeed, Revisions: nonNilSlice(row.Revisions)}
			if row.LandedOK {
				l := row.Landed
				qj.LandedUnitCost = &l
			}
			for _, col := range compareColumns {
				if row.Best[col] {
					qj.Best = append(qj.Best, col)
				}
			}
			cj.Quotes = append(cj.Quotes, qj)
		}
		out.Comparison = cj
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ---- Extending a deadline

// extendRFQ moves round rq's deadline later and tells every invitee.
func (s *server) extendRFQ(ctx context.Context, rq *sihub.RFQ, d *sihub.Demand, invs []*sihub.Invitation, v string) (*sihub.RFQ, error) {
	to, probs := parseRFQDeadline("deadline", v)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	old := rq.Deadline
	// RFQ.Extend on a copy gives the later-only message before the store
	// is asked.
	cp := *rq
	if err := cp.Extend(to); err != nil {
		return nil, err
	}
	people, err := s.inviteeRecipients(ctx, invs)
	if err != nil {
		return nil, err
	}
	return s.db.ExtendRFQ(ctx, rq.ID, to, func(after *sihub.RFQ) []store.Note {
		return inviteeNotes(people, invs, func(u *sihub.User, iv *sihub.Invitation) store.Note {
			lang := u.Lang
			from, to := formatTime(lang, old, true), formatTime(lang, after.Deadline, true)
			return store.Note{UserID: u.ID, Kind: store.NoteExtended, Link: invitationPath(iv.ID),
				Subject: tr(lang, "rfq.mail.extend.subject", demandTitle(lang, d)),
				Body:    tr(lang, "note.extend.body", after.Round, from, to),
				Mail: tr(lang, "rfq.mail.extend.body", greetingName(u), iv.CompanyName, demandTitle(lang, d), after.Round,
					from, to, s.link(invitationPath(iv.ID)), s.link("/account#notify"))}
		})
	})
}

func (s *server) extendRFQPage(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, (*sihub.Principal).CanRequestQuotes)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	if _, err := s.extendRFQ(r.Context(), rq, d, invs, formDeadline(r.PostForm)); err != nil {
		if c := sihub.ErrorCode(err); c == sihub.ErrInvalid || c == sihub.ErrConflict {
			return s.renderRFQ(w, r, rq, d, invs, httpStatus(err), err)
		}
		return err
	}
	http.Redirect(w, r, rfqRoundPath(rq.ID)+"?done=rfq.extended", http.StatusSeeOther)
	return nil
}

func (s *server) apiExtendRFQ(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, (*sihub.Principal).CanRequestQuotes)
	if err != nil {
		return err
	}
	var in struct {
		Deadline string `json:"deadline"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	after, err := s.extendRFQ(r.Context(), rq, d, invs, in.Deadline)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, after)
	return nil
}

// ---- Answering a question

func questionNotFound(id string) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy câu hỏi %s.", "Question %s was not found.", id)
}

// answerQuestion records the answer to question {q} of round rq and sends
// question and answer to every invitee, never saying who asked.
func (s *server) answerQuestion(r *http.Request, rq *sihub.RFQ, d *sihub.Demand, invs []*sihub.Invitation, answer string) (*sihub.Question, error) {
	qid, err := strconv.ParseInt(r.PathValue("q"), 10, 64)
	if err != nil || qid <= 0 {
		return nil, questionNotFound(r.PathValue("q"))
	}
	ctx := r.Context()
	qs, err := s.db.Questions(ctx, rq.ID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(qs, func(q *sihub.Question) bool { return q.ID == qid }) {
		return nil, questionNotFound(r.PathValue("q"))
	}
	people, err := s.inviteeRecipients(ctx, invs)
	if err != nil {
		return nil, err
	}
	q, err := s.db.AnswerQuestion(ctx, qid, answer, principal(r).User.ID, func(q *sihub.Question) []store.Note {
		return inviteeNotes(people, invs, func(u *sihub.User, iv *sihub.Invitation) store.Note {
			lang := u.Lang
			return store.Note{UserID: u.ID, Kind: store.NoteAnswer, Link: invitationPath(iv.ID) + "#questions",
				Subject: tr(lang, "rfq.mail.answer.subject", demandTitle(lang, d)),
				Body:    tr(lang, "note.answer.body", q.Text, q.Answer),
				Mail: tr(lang, "rfq.mail.answer.body", greetingName(u), demandTitle(lang, d), rq.Round, iv.CompanyName,
					q.Text, q.Answer, s.link(invitationPath(iv.ID)), s.link("/account#notify"))}
		})
	})
	if err != nil {
		return nil, err
	}
	return q.For(principal(r), d), nil
}

func (s *server) answerQuestionPage(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, (*sihub.Principal).CanAnswer)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	if _, err := s.answerQuestion(r, rq, d, invs, r.PostForm.Get("answer")); err != nil {
		if sihub.ErrorCode(err) == sihub.ErrInvalid {
			return s.renderRFQ(w, r, rq, d, invs, httpStatus(err), err)
		}
		return err
	}
	http.Redirect(w, r, rfqRoundPath(rq.ID)+"?done=rfq.answered#questions", http.StatusSeeOther)
	return nil
}

func (s *server) apiAnswerQuestion(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, (*sihub.Principal).CanAnswer)
	if err != nil {
		return err
	}
	var in struct {
		Answer string `json:"answer"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	q, err := s.answerQuestion(r, rq, d, invs, in.Answer)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

// ---- The pipeline

// caseJSON is a case with its supplier's name and where it may go next.
type caseJSON struct {
	*sihub.Case
	CompanyName string        `json:"company_name"`
	OwnerName   string        `json:"owner_name,omitempty"`
	NextStages  []sihub.Stage `json:"next_stages"`
}

// casesOf lists demand d's cases with their suppliers' and owners' names.
func (s *server) casesOf(ctx context.Context, d *sihub.Demand) ([]caseJSON, error) {
	cs, err := s.db.CasesOf(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	names, owners := map[int64]string{}, map[int64]string{}
	out := []caseJSON{}
	for _, c := range cs {
		if _, ok := names[c.CompanyID]; !ok {
			co, err := s.db.Company(ctx, c.CompanyID)
			if err != nil && sihub.ErrorCode(err) != sihub.ErrNotFound {
				return nil, err
			}
			if co != nil {
				names[c.CompanyID] = co.Name
			}
		}
		if _, ok := owners[c.Owner]; c.Owner != 0 && !ok {
			u, err := s.db.User(ctx, c.Owner)
			if err != nil && sihub.ErrorCode(err) != sihub.ErrNotFound {
				return nil, err
			}
			if u != nil {
				owners[c.Owner] = greetingName(u)
			}
		}
		out = append(out, caseJSON{Case: c, CompanyName: names[c.CompanyID], OwnerName: owners[c.Owner], NextStages: nonNilSlice(sihub.NextStages(c.Stage))})
	}
	return out, nil
}

type casesPageData struct {
	basePage
	D       *sihub.Demand
	DTitle  string
	Cases   []caseJSON
	Owners  []option
	CanMove bool
	Stages  []sihub.Stage
	Now     time.Time
	Errors  []string
	Failed  int64      // the case whose move was refused
	Form    url.Values // what was entered for it
}

// Val is what was entered in field name for case id when its move was
// refused, so that the form shows it again; "" otherwise.
func (pg *casesPageData) Val(id int64, name string) string {
	if id != pg.Failed {
		return ""
	}
	return pg.Form.Get(name)
}

// Currencies are those a contract may be in.
func (pg *casesPageData) Currencies() []string { return sihub.QuoteCurrencies }

// Overdue reports whether a next step's date has passed.
func (pg *casesPageData) Overdue(at *time.Time) bool { return at != nil && at.Before(pg.Now) }

func (pg *casesPageData) Stage(st sihub.Stage) string { return tr(pg.Lang, "rfq.stage."+string(st)) }

func (pg *casesPageData) Num(v float64) string { return formatNumber(pg.Lang, v) }

// Plain writes a number as a form field takes it back ("" for none).
func (pg *casesPageData) Plain(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// errorLines is what a page lists of err: its message, then each field's
// not already said; nothing for nil.
func errorLines(lang sihub.Lang, err error) []string {
	if err == nil {
		return nil
	}
	out := []string{sihub.ErrorMsg(err).In(lang)}
	for _, f := range sihub.FieldsOf(err) {
		if m := f.Msg.In(lang); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func (s *server) casesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSeeMatches)
	if err != nil {
		return err
	}
	return s.renderCases(w, r, d, nil, nil, nil)
}

// renderCases shows d's cases; after a move refused, failed is the case
// whose form is shown again with what was entered (form) and why (err).
func (s *server) renderCases(w http.ResponseWriter, r *http.Request, d *sihub.Demand, failed *sihub.Case, form url.Values, moveErr error) error {
	var err error
	p := principal(r)
	pg := &casesPageData{basePage: s.base(r, "rfq.cases.title"), D: d.For(p), CanMove: p.CanMoveCase(d), Stages: sihub.Stages,
		Now: s.now(), Form: form}
	status := http.StatusOK
	if failed != nil {
		pg.Failed, status = failed.ID, http.StatusUnprocessableEntity
		pg.Errors = errorLines(pg.Lang, moveErr)
	}
	pg.Nav = "demands"
	pg.DTitle = demandTitle(pg.Lang, d)
	if pg.Cases, err = s.casesOf(r.Context(), d); err != nil {
		return err
	}
	if pg.CanMove {
		us, _, err := s.db.Users(r.Context(), store.UserFilter{CompanyID: d.BuyerID, Status: sihub.StatusActive, Limit: 200})
		if err != nil {
			return err
		}
		pg.Owners = append(pg.Owners, option{Value: "", Label: tr(pg.Lang, "rfq.owner.keep")})
		if p.Staff() {
			pg.Owners = append(pg.Owners, option{Value: strconv.FormatInt(p.User.ID, 10), Label: greetingName(p.User)})
		}
		for _, u := range us {
			if u.ID != p.User.ID || !p.Staff() {
				pg.Owners = append(pg.Owners, option{Value: strconv.FormatInt(u.ID, 10), Label: greetingName(u)})
			}
		}
	}
	s.render(w, r, status, "rfq_cases", pg)
	return nil
}

func (s *server) apiCases(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pathDemand(r, canSeeMatches)
	if err != nil {
		return err
	}
	cs, err := s.casesOf(r.Context(), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cs})
	return nil
}

// moveInput is the body of POST /api/v1/cases/{id}/move and what the
// form posts. Owner nil keeps the case's owner; 0 clears it.
type moveInput struct {
	Stage      sihub.Stage `json:"stage"`
	Note       string      `json:"note"`
	Owner      *int64      `json:"owner"`
	NextStepAt string      `json:"next_step_at"`
	// For awarded.
	ContractValue float64 `json:"contract_value"`
	Currency      string  `json:"currency"`
	RateToVND     float64 `json:"rate_to_vnd"`
	AnnualVolume  float64 `json:"annual_volume"`
	// For lost.
	Reason string `json:"reason"`
}

// moveCase moves case c of demand d as p asks.
func (s *server) moveCase(ctx context.Context, p *sihub.Principal, c *sihub.Case, d *sihub.Demand, in moveInput) (*sihub.Case, error) {
	switch in.Stage {
	case sihub.StageAwarded:
		vol := in.AnnualVolume
		if vol == 0 {
			vol = d.AnnualVolume
		}
		return s.db.AwardCase(ctx, c.ID, in.ContractValue, in.Currency, in.RateToVND, vol, in.Note, p.User.ID, s.now())
	case sihub.StageLost:
		return s.db.LoseCase(ctx, c.ID, in.Reason, in.Note, p.User.ID)
	}
	if err := sihub.CheckMove(c.Stage, in.Stage); err != nil && in.Stage != c.Stage {
		return nil, err
	}
	owner := c.Owner
	if in.Owner != nil {
		owner = *in.Owner
	}
	if owner != 0 && owner != c.Owner {
		// The next step is the buyer's or the center's to take.
		u, err := s.db.User(ctx, owner)
		if err != nil && sihub.ErrorCode(err) != sihub.ErrNotFound {
			return nil, err
		}
		if u == nil || !(u.Role == sihub.RoleCenterAdmin || u.Role == sihub.RoleCenterStaff || u.Role.OfCompany() && u.CompanyID == d.BuyerID) {
			m := sihub.M("Người phụ trách phải là người của bên mua hoặc của Trung tâm.", "The owner must be one of the buyer's people or the center's.")
			return nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "owner", Msg: m}}}
		}
	}
	var next *time.Time
	if v := strings.TrimSpace(in.NextStepAt); v != "" {
		t, probs := parseRFQDeadline("next_step_at", v)
		if err := probs.Err(); err != nil {
			return nil, err
		}
		next = &t
	}
	return s.db.MoveCase(ctx, c.ID, in.Stage, in.Note, owner, next, p.User.ID)
}

// readMoveForm reads the move form; numbers as people type them.
func readMoveForm(form url.Values) (moveInput, sihub.Problems) {
	in := moveInput{Stage: sihub.Stage(strings.TrimSpace(form.Get("stage"))), Note: form.Get("note"),
		NextStepAt: form.Get("next_step_at"), Currency: form.Get("currency"), Reason: form.Get("reason")}
	var p sihub.Problems
	if v := strings.TrimSpace(form.Get("owner")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			p.Add("owner", sihub.M("Người phụ trách không hợp lệ.", "The owner is not valid."))
		}
		in.Owner = &id
	}
	for _, n := range []struct {
		name string
		dst  *float64
	}{{"contract_value", &in.ContractValue}, {"rate_to_vnd", &in.RateToVND}, {"annual_volume", &in.AnnualVolume}} {
		if v := strings.TrimSpace(form.Get(n.name)); v != "" {
			f, ok := sheet.ParseAmount(v)
			if !ok {
				p.Add(n.name, catalogue["demand.notanumber"])
			}
			*n.dst = f
		}
	}
	return in, p
}

func (s *server) moveCasePage(w http.ResponseWriter, r *http.Request) error {
	c, d, err := s.loadCase(r, (*sihub.Principal).CanMoveCase)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	in, probs := readMoveForm(r.PostForm)
	if err := probs.Err(); err != nil {
		return s.renderCases(w, r, d, c, r.PostForm, err)
	}
	if _, err := s.moveCase(r.Context(), principal(r), c, d, in); err != nil {
		if code := sihub.ErrorCode(err); code == sihub.ErrInvalid || code == sihub.ErrConflict {
			return s.renderCases(w, r, d, c, r.PostForm, err)
		}
		return err
	}
	http.Redirect(w, r, "/demands/"+strconv.FormatInt(d.ID, 10)+"/cases?done=rfq.moved#case-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *server) apiMoveCase(w http.ResponseWriter, r *http.Request) error {
	c, d, err := s.loadCase(r, (*sihub.Principal).CanMoveCase)
	if err != nil {
		return err
	}
	var in moveInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	after, err := s.moveCase(r.Context(), principal(r), c, d, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, caseJSON{Case: after, NextStages: nonNilSlice(sihub.NextStages(after.Stage))})
	return nil
}

func (s *server) apiCaseSteps(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.loadCase(r, canSeeMatches)
	if err != nil {
		return err
	}
	ss, err := s.db.CaseSteps(r.Context(), c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"steps": ss})
	return nil
}
