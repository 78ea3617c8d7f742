package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// quoteWorld is a buyer with an open demand (a target price set), three
// verified suppliers invited to one round, and a person of each.
type quoteWorld struct {
	buyer, b, c, d                 *sihub.Company
	buyerUser, bUser, cUser, dUser *sihub.User
	demand                         *sihub.Demand
	round                          testRound
	ivB, ivC, ivD                  *sihub.Invitation
}

var quoteRefs atomic.Int64

func newQuoteWorld(t *testing.T, e *testEnv, sealed bool) *quoteWorld {
	t.Helper()
	ctx := context.Background()
	w := &quoteWorld{}
	w.buyer = e.seed(&sihub.Company{TaxCode: taxCode(101), Name: "Power Tools Vietnam", Kind: sihub.Buyer, Sectors: []string{"2790"}})
	w.b = e.seed(&sihub.Company{TaxCode: taxCode(102), Name: "Nhựa Bình Dương", Kind: sihub.Supplier, CapabilitiesText: "ép nhựa"})
	w.c = e.seed(&sihub.Company{TaxCode: taxCode(103), Name: "Cơ khí Đồng Nai", Kind: sihub.Supplier, CapabilitiesText: "ép nhựa"})
	w.d = e.seed(&sihub.Company{TaxCode: taxCode(104), Name: "Khuôn mẫu Long An", Kind: sihub.Supplier, CapabilitiesText: "ép nhựa"})
	for _, c := range []*sihub.Company{w.buyer, w.b, w.c, w.d} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	person := func(c *sihub.Company, lang sihub.Lang) *sihub.User {
		return e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: c.ID, EmailConfirmed: true, Lang: lang})
	}
	w.buyerUser, w.bUser, w.cUser, w.dUser = person(w.buyer, sihub.EN), person(w.b, sihub.EN), person(w.c, sihub.VI), person(w.d, sihub.EN)
	d := &sihub.Demand{BuyerID: w.buyer.ID, BuyerTaxCode: w.buyer.TaxCode, Ref: fmt.Sprintf("Q-%d", quoteRefs.Add(1)),
		Title: "Vỏ pin máy khoan", TitleEn: "Drill battery housing", ProcessesText: "ép phun nhựa", MaterialsText: "PC/ABS",
		AnnualVolume: 5000, Unit: "pcs", TargetPrice: 98765, Currency: "VND",
		Status: sihub.DemandOpen, Visibility: sihub.VisibleVerified}
	if _, err := match.PrepareDemand(d); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateDemand(ctx, d); err != nil {
		t.Fatal(err)
	}
	w.demand = d
	w.round = newRound(e, d, time.Now().Add(72*time.Hour), sealed, w.b, w.c, w.d)
	w.ivB, w.ivC, w.ivD = w.round.invs[0], w.round.invs[1], w.round.invs[2]
	return w
}

// at sets the server's clock.
func at(e *testEnv, t time.Time) { e.s.now = func() time.Time { return t } }

type supplierInvitationOut struct {
	Invitation sihub.Invitation `json:"invitation"`
	State      string           `json:"state"`
	Open       bool             `json:"open"`
	Demand     map[string]any   `json:"demand"`
	Questions  []sihub.Question `json:"questions"`
	Draft      *sihub.Quote     `json:"draft"`
	Revisions  []sihub.Quote    `json:"revisions"`
	CanAnswer  bool             `json:"can_answer"`
}

type invitationListOut struct {
	CompanyID int64 `json:"company_id"`
	Groups    []struct {
		State string           `json:"state"`
		Items []invitationItem `json:"items"`
	} `json:"groups"`
	Total int `json:"total"`
}

// stateOf returns the state the list shows invitation id in, "" when it
// does not list it.
func (l invitationListOut) stateOf(id int64) string {
	for _, g := range l.Groups {
		for _, it := range g.Items {
			if it.ID == id {
				return g.State
			}
		}
	}
	return ""
}

func invPath(iv *sihub.Invitation, suffix string) string {
	return pathf("/api/v1/invitations/%d%s", iv.ID, suffix)
}

// A supplier quotes: it sees its own invitations only, the demand without
// the target price, drafts and every revision it submitted; it never sees
// another supplier's invitation or price, on pages or through the API;
// nothing is accepted after the deadline.
func TestSupplierQuotes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newQuoteWorld(t, e, false)

		// Lists: each company its own.
		list := decode[invitationListOut](t, e.apiJSON("GET", "/api/v1/invitations", nil, w.bUser))
		if list.Total != 1 || list.stateOf(w.ivB.ID) != "new" || list.stateOf(w.ivC.ID) != "" {
			t.Fatalf("B's list: %+v", list)
		}
		if got := decode[invitationListOut](t, e.apiJSON("GET", "/api/v1/invitations", nil, w.cUser)); got.Total != 1 || got.stateOf(w.ivC.ID) != "new" {
			t.Fatalf("C's list: %+v", got)
		}
		if got := e.apiJSON("GET", "/api/v1/invitations", nil, w.buyerUser); got.Code != http.StatusOK || !strings.Contains(got.Body.String(), `"total":0`) {
			t.Errorf("the buyer's own list: %d %s", got.Code, got.Body.String())
		}
		if got := e.apiJSON("GET", "/api/v1/invitations", nil, e.staff()); got.Code != http.StatusForbidden {
			t.Errorf("staff list: %d, want 403", got.Code)
		}

		// Opening marks viewed; the demand shows, never its target price.
		page := e.do(req{url: pathf("/invitations/%d/quote", w.ivB.ID), as: w.bUser, lang: "en"})
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Drill battery housing") ||
			strings.Contains(page.Body.String(), "98,765") || strings.Contains(page.Body.String(), "98765") || strings.Contains(page.Body.String(), "??") {
			t.Fatalf("B's page: %d %s", page.Code, page.Body.String())
		}
		one := e.apiJSON("GET", invPath(w.ivB, ""), nil, w.bUser)
		if one.Code != http.StatusOK || strings.Contains(one.Body.String(), "98765") || strings.Contains(one.Body.String(), "target_price") {
			t.Fatalf("B's invitation: %d %s", one.Code, one.Body.String())
		}
		if v := decode[supplierInvitationOut](t, one); v.State != "viewed" || !v.CanAnswer || !v.Open {
			t.Errorf("after opening: %+v", v)
		}

		// Every text of the pages is in the catalogue, in both languages.
		for _, lang := range []string{"vi", "en"} {
			for _, path := range []string{"/invitations", pathf("/invitations/%d/quote", w.ivB.ID)} {
				if got := e.do(req{url: path, as: w.bUser, lang: lang}); got.Code != http.StatusOK || strings.Contains(got.Body.String(), "??") {
					t.Errorf("%s %s: %d %s", lang, path, got.Code, got.Body.String())
				}
			}
		}

		// Others get 404 for B's invitation: C, the buyer, staff.
		for _, u := range []*sihub.User{w.cUser, w.buyerUser, e.staff()} {
			if got := e.apiJSON("GET", invPath(w.ivB, ""), nil, u); got.Code != http.StatusNotFound {
				t.Errorf("%s reads B's invitation: %d", u.Email, got.Code)
			}
			if got := e.do(req{url: pathf("/invitations/%d/quote", w.ivB.ID), as: u}); got.Code != http.StatusNotFound {
				t.Errorf("%s opens B's page: %d", u.Email, got.Code)
			}
		}

		// A draft, then a submission, then a revision: all kept.
		draft := `{"unit_price":12345.5,"currency":"usd","price_breaks":[{"min_qty":10000,"unit_price":11111},{"min_qty":1000,"unit_price":12000}],
			"moq":500,"tooling_cost":4000,"sample_lead_days":14,"mass_lead_days":45,"valid_until":"2027-01-31","payment_terms":"30 days",
			"incoterm":"fca","delivery_place":"Bình Dương","notes":"PC/ABS UL94"}`
		if got := e.apiJSON("PUT", invPath(w.ivB, "/quote"), draft, w.bUser); got.Code != http.StatusOK {
			t.Fatalf("draft: %d %s", got.Code, got.Body.String())
		}
		v := decode[supplierInvitationOut](t, e.apiJSON("GET", invPath(w.ivB, ""), nil, w.bUser))
		if v.State != "draft" || v.Draft == nil || v.Draft.Currency != "USD" || v.Draft.Incoterm != "FCA" || len(v.Draft.Breaks) != 2 ||
			v.Draft.Breaks[0].MinQty != 1000 || len(v.Revisions) != 0 {
			t.Fatalf("after the draft: %+v", v)
		}
		if got := e.apiJSON("POST", invPath(w.ivB, "/quote/submit"), nil, w.bUser); got.Code != http.StatusCreated ||
			!strings.Contains(got.Body.String(), `"revision":1`) {
			t.Fatalf("submit: %d %s", got.Code, got.Body.String())
		}
		// The revision through the page form, in Vietnamese number style.
		form := url.Values{"action": {"submit"}, "unit_price": {"12.000,5"}, "currency": {"USD"}, "break_qty": {"1.000", "", ""},
			"break_price": {"11.500", "", ""}, "moq": {"500"}, "mass_lead_days": {"40"}, "incoterm": {"FCA"}, "delivery_place": {"Bình Dương"}}
		if got := e.postAs(w.bUser, pathf("/invitations/%d/quote", w.ivB.ID), form, "vi"); got.Code != http.StatusSeeOther {
			t.Fatalf("revise by form: %d %s", got.Code, got.Body.String())
		}
		v = decode[supplierInvitationOut](t, e.apiJSON("GET", invPath(w.ivB, ""), nil, w.bUser))
		if v.State != "quoted" || len(v.Revisions) != 2 || v.Revisions[0].UnitPrice != 12345.5 || v.Revisions[1].UnitPrice != 12000.5 ||
			v.Revisions[1].Breaks[0].MinQty != 1000 || v.Revisions[1].Breaks[0].UnitPrice != 11500 {
			t.Fatalf("after the revision: %+v", v)
		}
		page = e.do(req{url: pathf("/invitations/%d/quote", w.ivB.ID), as: w.bUser, lang: "en"})
		if !strings.Contains(page.Body.String(), "12,000.5 USD") || !strings.Contains(page.Body.String(), "12,345.5 USD") {
			t.Errorf("B's page lists its revisions: %s", page.Body.String())
		}

		// C never sees B's price, on its page or through the API.
		for _, r := range []req{{url: pathf("/invitations/%d/quote", w.ivC.ID), as: w.cUser}, {url: invPath(w.ivC, ""), as: w.cUser},
			{url: "/api/v1/invitations", as: w.cUser}, {url: "/invitations", as: w.cUser}} {
			got := e.do(r)
			if got.Code != http.StatusOK || strings.Contains(got.Body.String(), "12345") || strings.Contains(got.Body.String(), "12.345") ||
				strings.Contains(got.Body.String(), "12000") || strings.Contains(got.Body.String(), "Nhựa Bình Dương") {
				t.Errorf("C's %s: %d %s", r.url, got.Code, got.Body.String())
			}
		}

		// A bad quote is refused with the fields named.
		if got := e.apiJSON("PUT", invPath(w.ivB, "/quote"), `{"unit_price":-1,"currency":"EUR"}`, w.bUser); got.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(got.Body.String(), "currency") {
			t.Errorf("bad quote: %d %s", got.Code, got.Body.String())
		}

		// C declines through the page; declining twice is refused.
		if got := e.postAs(w.cUser, pathf("/invitations/%d/decline", w.ivC.ID), url.Values{"reason": {"capacity"}, "note": {"Kín lịch"}}, "vi"); got.Code != http.StatusSeeOther {
			t.Fatalf("decline: %d %s", got.Code, got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivC, "/decline"), `{"reason":"price"}`, w.cUser); got.Code != http.StatusConflict {
			t.Errorf("declining twice: %d %s", got.Code, got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivD, "/decline"), `{"reason":"cheap"}`, w.dUser); got.Code != http.StatusUnprocessableEntity {
			t.Errorf("a bad reason: %d %s", got.Code, got.Body.String())
		}
		if got := decode[invitationListOut](t, e.apiJSON("GET", "/api/v1/invitations", nil, w.cUser)); got.stateOf(w.ivC.ID) != "declined" {
			t.Errorf("C's list after declining: %+v", got)
		}

		// After the deadline: nothing accepted, D's unanswered invitation
		// has expired, B's stays quoted.
		at(e, w.round.rq.Deadline.Add(time.Minute))
		for _, c := range []struct{ method, path, body string }{
			{"PUT", invPath(w.ivB, "/quote"), `{"unit_price":1,"currency":"VND"}`},
			{"POST", invPath(w.ivB, "/quote/submit"), ""},
			{"POST", invPath(w.ivD, "/decline"), `{"reason":"price"}`},
			{"POST", invPath(w.ivB, "/questions"), `{"text":"Còn kịp không?"}`},
		} {
			var body any
			if c.body != "" {
				body = c.body
			}
			got := e.apiJSON(c.method, c.path, body, w.bUser)
			if c.path == invPath(w.ivD, "/decline") {
				got = e.apiJSON(c.method, c.path, body, w.dUser)
			}
			if got.Code != http.StatusConflict || !strings.Contains(got.Body.String(), "sau hạn chót") {
				t.Errorf("%s %s after the deadline: %d %s", c.method, c.path, got.Code, got.Body.String())
			}
		}
		if got := e.postAs(w.bUser, pathf("/invitations/%d/quote", w.ivB.ID), form, "en"); got.Code != http.StatusConflict {
			t.Errorf("form after the deadline: %d", got.Code)
		}
		if got := decode[invitationListOut](t, e.apiJSON("GET", "/api/v1/invitations", nil, w.dUser)); got.stateOf(w.ivD.ID) != "expired" {
			t.Errorf("D's list after the deadline: %+v", got)
		}
		if got := decode[invitationListOut](t, e.apiJSON("GET", "/api/v1/invitations", nil, w.bUser)); got.stateOf(w.ivB.ID) != "quoted" {
			t.Errorf("B's list after the deadline: %+v", got)
		}
		page = e.do(req{url: pathf("/invitations/%d/quote", w.ivB.ID), as: w.bUser, lang: "en"})
		if !strings.Contains(page.Body.String(), "The round closed at") || strings.Contains(page.Body.String(), `name="action"`) {
			t.Errorf("B's page after the deadline offers no form: %s", page.Body.String())
		}
		revs, err := e.db.QuoteRevisions(context.Background(), w.ivB.ID)
		if err != nil || len(revs) != 3 { // the draft and two revisions
			t.Errorf("revisions kept: %d %v", len(revs), err)
		}
	})
}

// A question reaches the buyer's people by email; its answer reaches every
// invitee without saying who asked, and an unanswered question is the
// asker's alone.
func TestSupplierQuestions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newQuoteWorld(t, e, true)
		got := e.apiJSON("POST", invPath(w.ivB, "/questions"), `{"text":"Dung sai lỗ bắt vít là bao nhiêu?"}`, w.bUser)
		if got.Code != http.StatusCreated {
			t.Fatalf("ask: %d %s", got.Code, got.Body.String())
		}
		q := decode[sihub.Question](t, got)
		ms := mailsTo(t, e, w.buyerUser.Email)
		if len(ms) != 1 || !strings.Contains(ms[0].Body, "Dung sai lỗ bắt vít") || !strings.Contains(ms[0].Body, e.s.link(rfqRoundPath(w.round.rq.ID))) {
			t.Fatalf("the buyer's mail: %+v", ms)
		}
		if got := e.apiJSON("POST", invPath(w.ivB, "/questions"), `{"text":"  "}`, w.bUser); got.Code != http.StatusUnprocessableEntity {
			t.Errorf("an empty question: %d %s", got.Code, got.Body.String())
		}
		// Unanswered: B sees it, C does not.
		if v := decode[supplierInvitationOut](t, e.apiJSON("GET", invPath(w.ivB, ""), nil, w.bUser)); len(v.Questions) != 1 {
			t.Errorf("B's questions: %+v", v.Questions)
		}
		if v := decode[supplierInvitationOut](t, e.apiJSON("GET", invPath(w.ivC, ""), nil, w.cUser)); len(v.Questions) != 0 {
			t.Errorf("C sees an unanswered question: %+v", v.Questions)
		}
		if _, err := e.db.AnswerQuestion(context.Background(), q.ID, "±0,05 mm", w.buyerUser.ID, nil); err != nil {
			t.Fatal(err)
		}
		c := e.apiJSON("GET", invPath(w.ivC, ""), nil, w.cUser)
		v := decode[supplierInvitationOut](t, c)
		if len(v.Questions) != 1 || v.Questions[0].Answer != "±0,05 mm" || v.Questions[0].AskedBy != 0 ||
			strings.Contains(c.Body.String(), "asked_by") {
			t.Errorf("C's view of the answer: %s", c.Body.String())
		}
		page := e.do(req{url: pathf("/invitations/%d/quote", w.ivC.ID), as: w.cUser, lang: "en"})
		if !strings.Contains(page.Body.String(), "±0,05 mm") || strings.Contains(page.Body.String(), "Nhựa Bình Dương") {
			t.Errorf("C's page: %s", page.Body.String())
		}
		// A read-only token reads but does not ask.
		secret, _, err := e.db.CreateAPIToken(context.Background(), w.bUser.ID, "ro", sihub.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.do(req{method: "POST", url: invPath(w.ivB, "/questions"), body: strings.NewReader(`{"text":"x"}`), ctype: "application/json", token: secret}); got.Code != http.StatusForbidden {
			t.Errorf("a read-only token asks: %d", got.Code)
		}
	})
}

type boardOut struct {
	StalledDays int `json:"stalled_days"`
	Total       int `json:"total"`
	Stages      []struct {
		Stage      string  `json:"stage"`
		Count      int     `json:"count"`
		Reached    int     `json:"reached"`
		Conversion float64 `json:"conversion"`
	} `json:"stages"`
	Stalled    []stalledRow     `json:"stalled"`
	ByBuyer    []store.AwardRow `json:"awarded_by_buyer"`
	BySector   []sectorRow      `json:"awarded_by_sector"`
	AwardedVND float64          `json:"awarded_vnd"`
}

// The board counts cases per stage, their conversion, stalled cases and
// the awarded value in VND.
func TestBoard(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		w := newQuoteWorld(t, e, false)
		if got := e.apiJSON("PUT", invPath(w.ivB, "/quote"), `{"unit_price":2,"currency":"USD"}`, w.bUser); got.Code != http.StatusOK {
			t.Fatal(got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivB, "/quote/submit"), nil, w.bUser); got.Code != http.StatusCreated {
			t.Fatal(got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivC, "/decline"), `{"reason":"technology"}`, w.cUser); got.Code != http.StatusOK {
			t.Fatal(got.Body.String())
		}
		cs, err := e.db.CasesOf(ctx, w.demand.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.CompanyID == w.b.ID {
				if _, err := e.db.AwardCase(ctx, c.ID, 10000, "USD", 25000, 5000, "", 0, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Thirty days on, D's case (still invited) has stalled.
		at(e, time.Now().Add(30*24*time.Hour))
		b := decode[boardOut](t, e.apiJSON("GET", "/api/v1/board?stalled_days=14", nil, e.staff()))
		want := map[string][2]int{"invited": {1, 3}, "quoted": {0, 1}, "awarded": {1, 1}, "lost": {1, 1}, "shortlisted": {0, 0}}
		for _, st := range b.Stages {
			if wv, ok := want[st.Stage]; ok && (st.Count != wv[0] || st.Reached != wv[1]) {
				t.Errorf("stage %s: %d now, %d reached; want %v", st.Stage, st.Count, st.Reached, wv)
			}
			if st.Stage == "awarded" && (st.Conversion < 0.33 || st.Conversion > 0.34) {
				t.Errorf("awarded conversion %v", st.Conversion)
			}
		}
		if b.Total != 3 || len(b.Stalled) != 1 || b.Stalled[0].CompanyID != w.d.ID || b.AwardedVND != 250_000_000 ||
			len(b.ByBuyer) != 1 || b.ByBuyer[0].BuyerID != w.buyer.ID || len(b.BySector) != 1 || b.BySector[0].Sector != "2790" {
			t.Errorf("board: %+v", b)
		}
		if got := decode[boardOut](t, e.apiJSON("GET", "/api/v1/board?stalled_days=60", nil, e.staff())); len(got.Stalled) != 0 {
			t.Errorf("stalled for 60 days: %+v", got.Stalled)
		}
		if got := e.apiJSON("GET", "/api/v1/board?stalled_days=0", nil, e.staff()); got.Code != http.StatusBadRequest {
			t.Errorf("stalled_days=0: %d", got.Code)
		}
		if vi := e.staffGet("/board", "vi"); vi.Code != http.StatusOK || strings.Contains(vi.Body.String(), "??") {
			t.Errorf("board page in Vietnamese: %d %s", vi.Code, vi.Body.String())
		}
		page := e.staffGet("/board", "en")
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "250,000,000 VND") || !strings.Contains(page.Body.String(), "Khuôn mẫu Long An") {
			t.Errorf("board page: %d %s", page.Code, page.Body.String())
		}
		x := e.staffGet("/board.xlsx", "vi")
		if x.Code != http.StatusOK || x.Header().Get("Content-Type") != sihub.TypeXLSX || x.Body.Len() < 1000 {
			t.Errorf("board.xlsx: %d %s", x.Code, x.Header().Get("Content-Type"))
		}
		for _, u := range []*sihub.User{w.buyerUser, w.bUser} {
			if got := e.apiJSON("GET", "/api/v1/board", nil, u); got.Code != http.StatusForbidden {
				t.Errorf("%s reads the board: %d", u.Email, got.Code)
			}
		}
	})
}

func TestQuoteAmount(t *testing.T) {
	tests := []struct {
		lang sihub.Lang
		in   string
		want float64
		ok   bool
	}{
		{sihub.VI, "12.500,5", 12500.5, true},
		{sihub.VI, "12.500", 12500, true},
		{sihub.VI, "1,5", 1.5, true},
		{sihub.VI, "1.5", 1.5, true},
		{sihub.VI, "1 250 000", 1250000, true},
		{sihub.EN, "12,500.5", 12500.5, true},
		{sihub.EN, "12,500", 12500, true},
		{sihub.EN, "1,5", 1.5, true},
		{sihub.EN, "1.234.567", 1234567, true},
		{sihub.EN, "", 0, true},
		{sihub.EN, "abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := quoteAmount(tt.lang, tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("quoteAmount(%s, %q) = %v, %v; want %v, %v", tt.lang, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
