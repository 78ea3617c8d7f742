package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// rfqWorld is a buyer with a demand for 10 000 housings a year, three
// verified injection moulders (the second's person reads English) and a
// machining shop that does not match.
type rfqWorld struct {
	buyer                *sihub.Company
	s1, s2, s3, lathe    *sihub.Company
	d                    *sihub.Demand
	buyerUser            *sihub.User
	su1, su2, su3, other *sihub.User
	clock                *atomic.Int64 // the server's clock, in Unix nanoseconds
}

// The store checks deadlines against the real clock, so the server's
// clock starts at the real time and moves on only when a test says so.
func newRFQWorld(t *testing.T, e *testEnv) *rfqWorld {
	t.Helper()
	ctx := context.Background()
	w := &rfqWorld{clock: &atomic.Int64{}}
	w.clock.Store(time.Now().UTC().Truncate(time.Second).UnixNano())
	e.s.now = func() time.Time { return time.Unix(0, w.clock.Load()).UTC() }
	w.buyer = e.seed(&sihub.Company{Kind: sihub.Buyer, TaxCode: taxCode(301), Name: "Kotobuki Power Tools Việt Nam"})
	w.s1 = e.seed(&sihub.Company{TaxCode: taxCode(302), Name: "Công ty TNHH Nhựa Tân Tiến", CapabilitiesText: "ép nhựa PC/ABS"})
	w.s2 = e.seed(&sihub.Company{TaxCode: taxCode(303), Name: "Công ty TNHH Nhựa Bình Minh", CapabilitiesText: "ép nhựa"})
	w.s3 = e.seed(&sihub.Company{TaxCode: taxCode(304), Name: "Công ty TNHH Nhựa Sông Hàn", CapabilitiesText: "ép nhựa"})
	w.lathe = e.seed(&sihub.Company{TaxCode: taxCode(305), Name: "Công ty TNHH Tiện CNC Hòa Bình", CapabilitiesText: "tiện CNC"})
	for _, c := range []*sihub.Company{w.s1, w.s2, w.s3, w.lathe} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	w.d = &sihub.Demand{BuyerID: w.buyer.ID, Ref: "RFQ-1", Title: "Vỏ pin máy khoan", ProcessesText: "ép nhựa",
		AnnualVolume: 10000, Unit: "pcs", TargetPrice: 987654, Currency: "VND"}
	if _, err := match.PrepareDemand(w.d); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateDemand(ctx, w.d); err != nil {
		t.Fatal(err)
	}
	w.buyerUser = e.userWith(store.NewUser{Role: sihub.RoleCompanyAdmin, CompanyID: w.buyer.ID, EmailConfirmed: true, Name: "Bên Mua"})
	w.su1 = e.user(sihub.RoleCompanyAdmin, w.s1.ID)
	w.su2 = e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: w.s2.ID, EmailConfirmed: true, Lang: sihub.EN})
	w.su3 = e.user(sihub.RoleCompanyMember, w.s3.ID)
	w.other = e.user(sihub.RoleCompanyMember, w.lathe.ID)
	return w
}

func (w *rfqWorld) now() time.Time { return time.Unix(0, w.clock.Load()).UTC() }

// round opens a round on the demand through the API as staff.
func (w *rfqWorld) round(t *testing.T, e *testEnv, sealed bool, deadline time.Time, cs ...*sihub.Company) (*sihub.RFQ, []*sihub.Invitation) {
	t.Helper()
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	resp := e.apiJSON("POST", pathf("/api/v1/demands/%d/rfqs", w.d.ID), map[string]any{"company_ids": ids,
		"message": "Báo giá vỏ pin", "deadline": deadline.Format(time.RFC3339), "sealed": sealed}, e.staff())
	if resp.Code != http.StatusCreated {
		t.Fatalf("create round: %d %s", resp.Code, resp.Body)
	}
	out := decode[rfqCreatedJSON](t, resp)
	return out.RFQ, out.Invitations
}

// quote saves and submits q as the supplier of invitation iv at the world's
// clock.
func (w *rfqWorld) quote(t *testing.T, e *testEnv, iv *sihub.Invitation, q sihub.Quote) {
	t.Helper()
	q.InvitationID = iv.ID
	if err := e.db.SaveDraft(context.Background(), &q, w.now()); err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	if _, err := e.db.SubmitQuote(context.Background(), iv.ID, w.now()); err != nil {
		t.Fatalf("SubmitQuote: %v", err)
	}
}

func invitationOf(invs []*sihub.Invitation, c *sihub.Company) *sihub.Invitation {
	for _, iv := range invs {
		if iv.CompanyID == c.ID {
			return iv
		}
	}
	return nil
}

func TestRFQCreateAndInvite(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		day := w.now().Add(10 * 24 * time.Hour).In(vietnam).Format(time.DateOnly)
		form := url.Values{"company": {fmt.Sprint(w.s1.ID), fmt.Sprint(w.s2.ID)}, "message": {"Cần 10.000 vỏ/năm"},
			"deadline": {day}, "sealed": {"1"}}
		resp := e.postAs(w.buyerUser, pathf("/demands/%d/rfqs", w.d.ID), form, "vi")
		if resp.Code != http.StatusSeeOther || !strings.HasPrefix(resp.Header().Get("Location"), "/rfqs/") {
			t.Fatalf("create by form: %d %s %s", resp.Code, resp.Header().Get("Location"), resp.Body)
		}
		rs, err := e.db.RFQs(context.Background(), w.d.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("rounds: %v %v", rs, err)
		}
		rq := rs[0]
		if !rq.Sealed || rq.Deadline.In(vietnam).Format("2006-01-02 15:04") != day+" 23:59" {
			t.Errorf("round: sealed %v, deadline %v; want sealed, the end of %s in Vietnam", rq.Sealed, rq.Deadline, day)
		}
		invs, _ := e.db.Invitations(context.Background(), rq.ID)
		// Each invited person gets one email in their language, with the
		// link to their invitation; nobody else hears.
		for _, c := range []struct {
			u       *sihub.User
			iv      *sihub.Invitation
			subject string
		}{{w.su1, invitationOf(invs, w.s1), "Mời báo giá"}, {w.su2, invitationOf(invs, w.s2), "Request for quotation"}} {
			ms := e.mails(c.u.Email)
			if len(ms) != 1 || !strings.HasPrefix(ms[0].Subject, c.subject) ||
				!strings.Contains(ms[0].Body, invitationPath(c.iv.ID)) || !strings.Contains(ms[0].Body, "Cần 10.000 vỏ/năm") {
				t.Errorf("mails to %s: %+v", c.u.Email, ms)
			}
			if len(ms) == 1 && strings.Contains(ms[0].Body, "987") {
				t.Errorf("the invitation tells the target price: %s", ms[0].Body)
			}
		}
		if ms := e.mails(w.su3.Email); len(ms) != 0 {
			t.Errorf("an uninvited supplier was emailed: %+v", ms)
		}
		// The rounds page lists it; the demand page offers the form.
		page := e.do(req{url: pathf("/demands/%d/rfqs", w.d.ID), as: w.buyerUser})
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), pathf(`href="/rfqs/%d"`, rq.ID)) {
			t.Errorf("rounds page: %d", page.Code)
		}
		dp := e.do(req{url: pathf("/demands/%d", w.d.ID), as: w.buyerUser})
		if dp.Code != http.StatusOK || !strings.Contains(dp.Body.String(), pathf(`action="/demands/%d/rfqs"`, w.d.ID)) {
			t.Errorf("demand page lacks the request form: %d", dp.Code)
		}

		// A second round through the API, as staff, may invite any supplier.
		rq2, invs2 := w.round(t, e, false, w.now().Add(48*time.Hour), w.lathe)
		if rq2.Round != 2 || len(invs2) != 1 || invs2[0].CompanyID != w.lathe.ID {
			t.Errorf("second round: %+v %+v", rq2, invs2)
		}

		later := w.now().Add(72 * time.Hour).Format(time.RFC3339)
		for _, c := range []struct {
			name   string
			as     *sihub.User
			body   string
			status int
			msg    string
		}{
			{"no supplier", w.buyerUser, `{"company_ids":[],"deadline":"` + later + `"}`, 422, "Chọn ít nhất một nhà cung cấp"},
			{"deadline passed", w.buyerUser, fmt.Sprintf(`{"company_ids":[%d],"deadline":"2020-01-01"}`, w.s1.ID), 422, "phải sau thời điểm hiện tại"},
			{"deadline unreadable", w.buyerUser, fmt.Sprintf(`{"company_ids":[%d],"deadline":"next week"}`, w.s1.ID), 422, "YYYY-MM-DD"},
			{"buyer invites a non-match", w.buyerUser, fmt.Sprintf(`{"company_ids":[%d],"deadline":%q}`, w.lathe.ID, later), 422, "không nằm trong"},
			{"the buyer itself", e.staff(), fmt.Sprintf(`{"company_ids":[%d],"deadline":%q}`, w.buyer.ID, later), 422, "Bên mua không thể"},
			{"no such company", e.staff(), fmt.Sprintf(`{"company_ids":[999999],"deadline":%q}`, later), 422, "#999999"},
			{"a supplier", w.su1, fmt.Sprintf(`{"company_ids":[%d],"deadline":%q}`, w.s2.ID, later), 403, ""},
			{"not a demand they see", w.other, `{}`, 403, ""},
		} {
			resp := e.apiJSON("POST", pathf("/api/v1/demands/%d/rfqs", w.d.ID), c.body, c.as)
			if resp.Code != c.status || !strings.Contains(resp.Body.String(), c.msg) {
				t.Errorf("%s: %d %s", c.name, resp.Code, resp.Body)
			}
		}
		// The buyer's people may invite a match.
		resp = e.apiJSON("POST", pathf("/api/v1/demands/%d/rfqs", w.d.ID), fmt.Sprintf(`{"company_ids":[%d],"deadline":%q}`, w.s3.ID, later), w.buyerUser)
		if resp.Code != http.StatusCreated {
			t.Errorf("buyer invites a match: %d %s", resp.Code, resp.Body)
		}
		// Errors in English for an English reader.
		en := e.do(req{method: "POST", url: pathf("/demands/%d/rfqs", w.d.ID), body: strings.NewReader("deadline=" + day),
			ctype: "application/x-www-form-urlencoded", as: w.buyerUser, lang: "en"})
		if en.Code != 422 || !strings.Contains(en.Body.String(), "Choose at least one supplier") {
			t.Errorf("form error in English: %d", en.Code)
		}
	})
}

func TestRFQSealedUntilDeadline(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		deadline := w.now().Add(24 * time.Hour)
		rq, invs := w.round(t, e, true, deadline, w.s1, w.s2)
		w.quote(t, e, invitationOf(invs, w.s1), sihub.Quote{UnitPrice: 14321, Currency: "VND"})
		w.quote(t, e, invitationOf(invs, w.s2), sihub.Quote{UnitPrice: 13579, Currency: "VND"})
		for _, u := range []*sihub.User{w.buyerUser, e.staff()} {
			page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: u, lang: "en"})
			body := page.Body.String()
			if page.Code != 200 || !strings.Contains(body, "2 quotes received, sealed until") || strings.Contains(body, "14,321") ||
				strings.Contains(body, "13,579") {
				t.Errorf("sealed page for %s: %d", u.Email, page.Code)
			}
			api := decode[rfqJSON](t, e.apiJSON("GET", pathf("/api/v1/rfqs/%d", rq.ID), nil, u))
			if api.QuotesVisible || api.QuotesCount != 2 || api.Comparison != nil || api.SealedUntil == nil {
				t.Errorf("sealed API for %s: %+v", u.Email, api)
			}
		}
		// After the deadline everyone allowed sees them.
		w.clock.Store(deadline.Add(time.Minute).UnixNano())
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser, lang: "en"})
		if body := page.Body.String(); !strings.Contains(body, "14,321") || !strings.Contains(body, "13,579") {
			t.Errorf("quotes hidden after the deadline: %d", page.Code)
		}
		api := decode[rfqJSON](t, e.apiJSON("GET", pathf("/api/v1/rfqs/%d", rq.ID), nil, w.buyerUser))
		if !api.QuotesVisible || api.Comparison == nil || len(api.Comparison.Quotes) != 2 || api.SealedUntil != nil {
			t.Errorf("API after the deadline: %+v", api)
		}
	})
}

func TestRFQComparison(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		rq, invs := w.round(t, e, false, w.now().Add(24*time.Hour), w.s1, w.s2, w.s3)
		valid := w.now().Add(90 * 24 * time.Hour)
		// At 10 000 a year: s1 pays 13 000 (the 5 000 break) + 20 000 000 /
		// 10 000 = 15 000 VND; s2 0.5 + 500 / 10 000 = 0.55 USD; s3 80 JPY.
		w.quote(t, e, invitationOf(invs, w.s1), sihub.Quote{UnitPrice: 14000, Currency: "VND", MOQ: 20000, ToolingCost: 20e6,
			Breaks: []sihub.PriceBreak{{MinQty: 5000, UnitPrice: 13000}, {MinQty: 20000, UnitPrice: 12000}}, MassLeadDays: 30, ValidUntil: &valid})
		w.quote(t, e, invitationOf(invs, w.s2), sihub.Quote{UnitPrice: 0.5, Currency: "USD", MOQ: 1000, ToolingCost: 500, SampleLeadDays: 10,
			MassLeadDays: 45, Incoterm: "FOB", DeliveryPlace: "Cát Lái"})
		w.quote(t, e, invitationOf(invs, w.s3), sihub.Quote{UnitPrice: 80, Currency: "JPY", MassLeadDays: 60})

		get := func(query string) rfqJSON {
			t.Helper()
			resp := e.apiJSON("GET", pathf("/api/v1/rfqs/%d%s", rq.ID, query), nil, w.buyerUser)
			if resp.Code != 200 {
				t.Fatalf("GET %s: %d %s", query, resp.Code, resp.Body)
			}
			return decode[rfqJSON](t, resp)
		}
		order := func(c *comparisonJSON) []int64 {
			var ids []int64
			for _, q := range c.Quotes {
				ids = append(ids, q.CompanyID)
			}
			return ids
		}
		row := func(c *comparisonJSON, co *sihub.Company) quoteRowJSON {
			for _, q := range c.Quotes {
				if q.CompanyID == co.ID {
					return q
				}
			}
			t.Fatalf("no quote of %s", co.Name)
			return quoteRowJSON{}
		}

		// No rates: only VND costs are known.
		c := get("").Comparison
		r1 := row(c, w.s1)
		if r1.UnitPriceAtVolume != 13000 || r1.LandedUnitCost == nil || *r1.LandedUnitCost != 15000 || !r1.BelowMOQ {
			t.Errorf("s1 in VND: %+v", r1)
		}
		if r := row(c, w.s2); r.LandedUnitCost != nil || r.RateNeeded != "USD" || r.BelowMOQ {
			t.Errorf("s2 without rates: %+v", r)
		}
		if r := row(c, w.s3); r.RateNeeded != "JPY" {
			t.Errorf("s3 without rates: %+v", r)
		}
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser, lang: "en"}).Body.String()
		if !strings.Contains(page, "rate needed (USD)") || !strings.Contains(page, "rate needed (JPY)") || !strings.Contains(page, "below MOQ") {
			t.Errorf("page without rates lacks 'rate needed' or the MOQ flag")
		}

		// With rates: s3 13 600, s2 13 750, s1 15 000 VND; sorted by landed cost.
		c = get("?to=VND&rate_USD=25000&rate_JPY=170").Comparison
		if got, want := order(c), []int64{w.s3.ID, w.s2.ID, w.s1.ID}; !slices.Equal(got, want) {
			t.Errorf("sorted by landed cost: %v, want %v", got, want)
		}
		if r := row(c, w.s2); r.LandedUnitCost == nil || math.Abs(*r.LandedUnitCost-13750) > 1e-6 {
			t.Errorf("s2 landed: %+v", r)
		}
		if r := row(c, w.s3); !slices.Contains(r.Best, "landed") || !slices.Contains(r.Best, "tooling") {
			t.Errorf("s3 best: %v", r.Best)
		}
		if r := row(c, w.s2); !slices.Contains(r.Best, "sample") || slices.Contains(r.Best, "landed") {
			t.Errorf("s2 best: %v", r.Best)
		}
		if r := row(c, w.s1); !slices.Contains(r.Best, "mass") || !slices.Contains(r.Best, "valid") {
			t.Errorf("s1 best: %v", r.Best)
		}
		// In USD.
		c = get("?to=USD&rate_USD=25000&rate_JPY=170").Comparison
		if r := row(c, w.s1); r.LandedUnitCost == nil || math.Abs(*r.LandedUnitCost-0.6) > 1e-9 {
			t.Errorf("s1 in USD: %+v", r)
		}
		// Other sorts: sample lead time (unknown last), MOQ, supplier name.
		if got := order(get("?rate_USD=25000&rate_JPY=170&sort=sample").Comparison); got[0] != w.s2.ID {
			t.Errorf("sorted by sample lead time: %v", got)
		}
		if got := order(get("?sort=moq").Comparison); got[0] != w.s3.ID || got[2] != w.s1.ID {
			t.Errorf("sorted by MOQ: %v", got)
		}
		if got := order(get("?sort=supplier").Comparison); !slices.Equal(got, []int64{w.s2.ID, w.s3.ID, w.s1.ID}) {
			t.Errorf("sorted by supplier: %v", got)
		}
		// The page: the same order, the best landed cost highlighted.
		page = e.do(req{url: pathf("/rfqs/%d?to=VND&rate_USD=25000&rate_JPY=170&sort=landed", rq.ID), as: w.buyerUser, lang: "en"}).Body.String()
		i3, i2, i1 := strings.Index(page, w.s3.Name), strings.Index(page, w.s2.Name), strings.Index(page, w.s1.Name)
		if !(i3 < i2 && i2 < i1) {
			t.Errorf("page order: s3 %d, s2 %d, s1 %d", i3, i2, i1)
		}
		if !strings.Contains(page, `class="num best"><strong>13,600 VND</strong>`) {
			t.Errorf("the best landed cost is not highlighted")
		}
		// A bad rate is named.
		if resp := e.apiJSON("GET", pathf("/api/v1/rfqs/%d?rate_USD=abc", rq.ID), nil, w.buyerUser); resp.Code != 422 || !strings.Contains(resp.Body.String(), "rate_USD") {
			t.Errorf("bad rate: %d %s", resp.Code, resp.Body)
		}
		// Revisions: s1 revises; both revisions show, the latest compared.
		w.quote(t, e, invitationOf(invs, w.s1), sihub.Quote{UnitPrice: 13500, Currency: "VND"})
		c = get("").Comparison
		if r := row(c, w.s1); len(r.Revisions) != 2 || r.Revision != 2 || r.UnitPrice != 13500 {
			t.Errorf("s1 after revising: rev %d, %d revisions", r.Revision, len(r.Revisions))
		}
		page = e.do(req{url: pathf("/rfqs/%d?rev=%d", rq.ID, invitationOf(invs, w.s1).ID), as: w.buyerUser, lang: "en"}).Body.String()
		if !strings.Contains(page, `id="revisions"`) || !strings.Contains(page, "14,000 VND") {
			t.Errorf("revisions of s1 not shown")
		}
	})
}

func TestRFQExtend(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		deadline := w.now().Add(5 * 24 * time.Hour)
		rq, _ := w.round(t, e, false, deadline, w.s1, w.s2)
		before := len(e.mails(w.su1.Email))
		earlier := deadline.Add(-24 * time.Hour).In(vietnam).Format(time.DateOnly)
		resp := e.postAs(w.buyerUser, pathf("/rfqs/%d/extend", rq.ID), url.Values{"deadline": {earlier}}, "vi")
		if resp.Code != 422 || !strings.Contains(resp.Body.String(), "chỉ có thể lùi lại") {
			t.Errorf("extend earlier: %d", resp.Code)
		}
		if n := len(e.mails(w.su1.Email)); n != before {
			t.Errorf("a refused extension emailed the invitees")
		}
		later := deadline.Add(3 * 24 * time.Hour).In(vietnam).Format(time.DateOnly)
		resp = e.postAs(w.buyerUser, pathf("/rfqs/%d/extend", rq.ID), url.Values{"deadline": {later}}, "vi")
		if resp.Code != http.StatusSeeOther {
			t.Fatalf("extend later: %d %s", resp.Code, resp.Body)
		}
		for _, c := range []struct {
			u       *sihub.User
			subject string
		}{{w.su1, "Gia hạn báo giá"}, {w.su2, "Deadline extended"}} {
			ms := e.mails(c.u.Email)
			if len(ms) != 2 || !strings.HasPrefix(ms[0].Subject, c.subject) {
				t.Errorf("mails to %s: %+v", c.u.Email, ms)
			}
		}
		got, _ := e.db.RFQ(context.Background(), rq.ID)
		if got.Deadline.In(vietnam).Format(time.DateOnly) != later {
			t.Errorf("deadline %v, want the end of %s", got.Deadline, later)
		}
		// The API, in English, and refused to a supplier.
		resp = e.apiJSON("POST", pathf("/api/v1/rfqs/%d/extend", rq.ID), `{"deadline":"2020-01-01"}`, w.buyerUser)
		if resp.Code != 422 || !strings.Contains(resp.Body.String(), "deadline") {
			t.Errorf("API extend earlier: %d %s", resp.Code, resp.Body)
		}
		far := deadline.Add(30 * 24 * time.Hour).Format(time.RFC3339)
		if resp := e.apiJSON("POST", pathf("/api/v1/rfqs/%d/extend", rq.ID), `{"deadline":"`+far+`"}`, w.su1); resp.Code != 403 {
			t.Errorf("supplier extends: %d", resp.Code)
		}
		if resp := e.apiJSON("POST", pathf("/api/v1/rfqs/%d/extend", rq.ID), `{"deadline":"`+far+`"}`, e.staff()); resp.Code != 200 {
			t.Errorf("staff extends: %d %s", resp.Code, resp.Body)
		}
	})
}

func TestRFQAnswerGoesToAllWithoutTheAsker(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		rq, _ := w.round(t, e, false, w.now().Add(48*time.Hour), w.s1, w.s2)
		q, err := e.db.AskQuestion(context.Background(), rq.ID, w.s1.ID, "Dung sai lỗ lắp bao nhiêu?", nil)
		if err != nil {
			t.Fatal(err)
		}
		// The buyer sees who asked.
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser}).Body.String()
		if !strings.Contains(page, "Hỏi bởi "+w.s1.Name) {
			t.Errorf("the buyer does not see who asked")
		}
		resp := e.postAs(w.buyerUser, pathf("/rfqs/%d/questions/%d/answer", rq.ID, q.ID), url.Values{"answer": {"±0,05 mm theo bản vẽ."}}, "vi")
		if resp.Code != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", resp.Code, resp.Body)
		}
		for _, u := range []*sihub.User{w.su1, w.su2} {
			ms := e.mails(u.Email)
			if len(ms) != 2 || !strings.Contains(ms[0].Body, "±0,05 mm theo bản vẽ.") || !strings.Contains(ms[0].Body, "Dung sai lỗ lắp") {
				t.Fatalf("answer mail to %s: %+v", u.Email, ms)
			}
		}
		if m := e.mails(w.su2.Email)[0]; strings.Contains(m.Body, w.s1.Name) || strings.Contains(m.Body, w.s1.TaxCode) {
			t.Errorf("the answer names who asked: %s", m.Body)
		}
		// Empty answers are refused; a question of another round is not found.
		if resp := e.apiJSON("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", rq.ID, q.ID), `{"answer":" "}`, w.buyerUser); resp.Code != 422 {
			t.Errorf("empty answer: %d", resp.Code)
		}
		rq2, _ := w.round(t, e, false, w.now().Add(48*time.Hour), w.s3)
		if resp := e.apiJSON("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", rq2.ID, q.ID), `{"answer":"x"}`, w.buyerUser); resp.Code != 404 {
			t.Errorf("question of another round: %d", resp.Code)
		}
		resp = e.apiJSON("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", rq.ID, q.ID), `{"answer":"Xem bản vẽ mới."}`, e.staff())
		if got := decode[sihub.Question](t, resp); resp.Code != 200 || got.Answer != "Xem bản vẽ mới." || got.AskedBy != w.s1.ID {
			t.Errorf("API answer: %d %+v", resp.Code, got)
		}
		if resp := e.apiJSON("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", rq.ID, q.ID), `{"answer":"x"}`, w.su2); resp.Code != 403 {
			t.Errorf("a supplier answers: %d", resp.Code)
		}
	})
}

func TestRFQCases(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		_, invs := w.round(t, e, false, w.now().Add(48*time.Hour), w.s1, w.s2)
		w.quote(t, e, invitationOf(invs, w.s1), sihub.Quote{UnitPrice: 1, Currency: "USD"})
		cases := func() map[int64]caseJSON {
			t.Helper()
			resp := e.apiJSON("GET", pathf("/api/v1/demands/%d/cases", w.d.ID), nil, w.buyerUser)
			if resp.Code != 200 {
				t.Fatalf("cases: %d %s", resp.Code, resp.Body)
			}
			out := map[int64]caseJSON{}
			for _, c := range decode[struct{ Cases []caseJSON }](t, resp).Cases {
				out[c.CompanyID] = c
			}
			return out
		}
		cs := cases()
		c1, c2 := cs[w.s1.ID], cs[w.s2.ID]
		if c1.Case == nil || c1.Stage != sihub.StageQuoted || c2.Case == nil || c2.Stage != sihub.StageInvited || c1.CompanyName != w.s1.Name ||
			!slices.Contains(c1.NextStages, sihub.StageAwarded) {
			t.Fatalf("cases: %+v", cs)
		}
		move := func(id int64, body string, as *sihub.User) (int, string) {
			resp := e.apiJSON("POST", pathf("/api/v1/cases/%d/move", id), body, as)
			return resp.Code, resp.Body.String()
		}
		next := w.now().Add(7 * 24 * time.Hour).In(vietnam).Format(time.DateOnly)
		for _, c := range []struct {
			name   string
			id     int64
			body   string
			as     *sihub.User
			status int
			want   string
		}{
			{"not allowed", c1.ID, `{"stage":"sample_approved"}`, w.buyerUser, 409, "sample_requested"},
			{"no such stage", c1.ID, `{"stage":"dreaming"}`, w.buyerUser, 422, "dreaming"},
			{"owner a supplier", c1.ID, fmt.Sprintf(`{"stage":"shortlisted","owner":%d}`, w.su1.ID), w.buyerUser, 422, "owner"},
			{"shortlist", c1.ID, fmt.Sprintf(`{"stage":"shortlisted","owner":%d,"next_step_at":%q,"note":"Gọi mẫu"}`, w.buyerUser.ID, next), w.buyerUser, 200, `"stage":"shortlisted"`},
			{"a supplier moves", c1.ID, `{"stage":"sample_requested"}`, w.su1, 403, ""},
			{"award without rate", c1.ID, `{"stage":"awarded","contract_value":50000,"currency":"USD"}`, w.buyerUser, 422, "rate_to_vnd"},
			{"award", c1.ID, `{"stage":"awarded","contract_value":50000,"currency":"USD","rate_to_vnd":25400}`, w.buyerUser, 200, `"contract_vnd":1270000000`},
			{"after the award", c1.ID, `{"stage":"lost","reason":"x"}`, w.buyerUser, 409, "awarded"},
			{"lost without reason", c2.ID, `{"stage":"lost"}`, w.buyerUser, 422, "lost_reason"},
			{"lost", c2.ID, `{"stage":"lost","reason":"Giá cao"}`, e.staff(), 200, `"lost_reason":"Giá cao"`},
		} {
			if code, body := move(c.id, c.body, c.as); code != c.status || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d %s", c.name, code, body)
			}
		}
		got := cases()[w.s1.ID]
		if got.AnnualVolume != 10000 || got.ContractVND != 1.27e9 || got.AwardedAt == nil || len(got.NextStages) != 0 {
			t.Errorf("awarded case: %+v", got.Case)
		}
		resp := e.apiJSON("GET", pathf("/api/v1/cases/%d/steps", c1.ID), nil, w.buyerUser)
		steps := decode[struct{ Steps []*sihub.CaseStep }](t, resp).Steps
		var path []sihub.Stage
		for _, s := range steps {
			path = append(path, s.To)
		}
		if !slices.Equal(path, []sihub.Stage{sihub.StageInvited, sihub.StageQuoted, sihub.StageShortlisted, sihub.StageAwarded}) {
			t.Errorf("steps: %v", path)
		}
		if steps[2].Note != "Gọi mẫu" || steps[2].Owner != w.buyerUser.ID || steps[2].NextStepAt == nil {
			t.Errorf("shortlist step: %+v", steps[2])
		}
		// The page and its form.
		page := e.do(req{url: pathf("/demands/%d/cases", w.d.ID), as: w.buyerUser, lang: "en"})
		if page.Code != 200 || !strings.Contains(page.Body.String(), "Awarded") || !strings.Contains(page.Body.String(), "1,270,000,000") {
			t.Errorf("cases page: %d", page.Code)
		}
		w.round(t, e, false, w.now().Add(48*time.Hour), w.s3)
		c3 := cases()[w.s3.ID]
		resp = e.postAs(w.buyerUser, pathf("/cases/%d/move", c3.ID), url.Values{"stage": {"shortlisted"}, "note": {"Tốt"}, "next_step_at": {next}}, "vi")
		if resp.Code != http.StatusSeeOther || cases()[w.s3.ID].Stage != sihub.StageShortlisted {
			t.Errorf("move by form: %d %s", resp.Code, resp.Body)
		}
		// A mistake shows the page again, the entries kept and the award
		// fields open; an overdue next step is flagged.
		w.clock.Store(w.now().Add(8 * 24 * time.Hour).UnixNano())
		resp = e.postAs(w.buyerUser, pathf("/cases/%d/move", c3.ID), url.Values{"stage": {"awarded"}, "contract_value": {"50000"},
			"currency": {"USD"}, "note": {"Ký hợp đồng"}}, "en")
		body := resp.Body.String()
		if resp.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "rate") ||
			!strings.Contains(body, `value="50000"`) || !strings.Contains(body, `value="Ký hợp đồng"`) ||
			!strings.Contains(body, "<option selected>USD</option>") || !strings.Contains(body, "<details open>") ||
			!strings.Contains(body, "Overdue") || cases()[w.s3.ID].Stage != sihub.StageShortlisted {
			t.Errorf("a refused award by form: %d %s", resp.Code, body)
		}
		resp = e.postAs(w.buyerUser, pathf("/cases/%d/move", c3.ID), url.Values{"stage": {"awarded"}, "contract_value": {"1.000.000.000"}, "currency": {"VND"}}, "vi")
		if got := cases()[w.s3.ID]; resp.Code != http.StatusSeeOther || got.ContractVND != 1e9 {
			t.Errorf("award by form: %d %+v", resp.Code, got.Case)
		}
	})
}

// TestRFQSuppliersSeeNothingHere holds the buyer's pages and API shut to
// suppliers, invited or not, before and after the deadline: no other
// supplier's price, no target price.
func TestRFQSuppliersSeeNothingHere(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		deadline := w.now().Add(24 * time.Hour)
		rq, invs := w.round(t, e, false, deadline, w.s1, w.s2)
		w.quote(t, e, invitationOf(invs, w.s2), sihub.Quote{UnitPrice: 24681, Currency: "VND"})
		cs, _ := e.db.CasesOf(context.Background(), w.d.ID)
		check := func(when string) {
			for _, c := range []struct {
				as     *sihub.User
				path   string
				status int
			}{
				{w.su1, pathf("/rfqs/%d", rq.ID), 403},
				{w.su1, pathf("/api/v1/rfqs/%d", rq.ID), 403},
				{w.su1, pathf("/demands/%d/rfqs", w.d.ID), 403},
				{w.su1, pathf("/api/v1/demands/%d/rfqs", w.d.ID), 403},
				{w.su1, pathf("/demands/%d/cases", w.d.ID), 403},
				{w.su1, pathf("/api/v1/demands/%d/cases", w.d.ID), 403},
				{w.su1, pathf("/api/v1/cases/%d/steps", cs[0].ID), 403},
				{w.su1, pathf("/api/v1/cases/%d/steps", cs[1].ID), 404},
				{w.su3, pathf("/rfqs/%d", rq.ID), 404}, // not invited: the round is not there for them
				{w.su3, pathf("/api/v1/rfqs/%d", rq.ID), 404},
				{nil, pathf("/api/v1/rfqs/%d", rq.ID), 401},
			} {
				resp := e.do(req{url: c.path, as: c.as})
				body := resp.Body.String()
				if resp.Code != c.status || strings.Contains(body, "24681") || strings.Contains(body, "24.681") || strings.Contains(body, "987") {
					t.Errorf("%s: %s as %v: %d", when, c.path, c.as != nil, resp.Code)
				}
			}
		}
		check("before the deadline")
		w.clock.Store(deadline.Add(time.Hour).UnixNano())
		check("after the deadline")
		// Official and a center-only demand's round: not found.
		off := e.user(sihub.RoleOfficial, 0)
		if resp := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: off}); resp.Code != 404 {
			t.Errorf("official: %d", resp.Code)
		}
		if resp := e.do(req{url: "/rfqs/999999", as: w.buyerUser}); resp.Code != 404 {
			t.Errorf("no such round: %d", resp.Code)
		}
	})
}

func TestFormDeadline(t *testing.T) {
	for _, tc := range []struct {
		date, clock string
		want        time.Time
		bad         bool
	}{
		{"2027-03-01", "", time.Date(2027, 3, 1, 16, 59, 59, 999999999, time.UTC), false}, // the end of the day in Vietnam
		{"2027-03-01", "17:30", time.Date(2027, 3, 1, 10, 30, 0, 0, time.UTC), false},
		{" 2027-03-01 ", " 08:05 ", time.Date(2027, 3, 1, 1, 5, 0, 0, time.UTC), false},
		{"2027-03-01", "25:00", time.Time{}, true},
		{"2027-03-01", "5 pm", time.Time{}, true},
		{"", "17:30", time.Time{}, true},
	} {
		form := url.Values{"deadline": {tc.date}, "deadline_time": {tc.clock}}
		got, probs := parseRFQDeadline("deadline", formDeadline(form))
		if tc.bad {
			if len(probs) == 0 {
				t.Errorf("%q %q: accepted as %v", tc.date, tc.clock, got)
			}
			continue
		}
		if len(probs) > 0 || !got.Equal(tc.want) {
			t.Errorf("%q %q: got %v %v, want %v", tc.date, tc.clock, got, probs, tc.want)
		}
	}
}

func TestLandedCostCell(t *testing.T) {
	pg := &rfqPageData{basePage: basePage{Lang: sihub.EN}}
	if got := pg.Cost(45733.3333, "VND"); got != "45,733 VND" {
		t.Errorf("VND: %q", got)
	}
	if got := pg.Cost(1.23456, "USD"); got != "1.2346 USD" {
		t.Errorf("USD: %q", got)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v      float64
		vi, en string
	}{
		{23456.78, "23.456,78", "23,456.78"},
		{12500, "12.500", "12,500"},
		{0.5, "0,5", "0.5"},
		{7.43217, "7,4322", "7.4322"},
		{1234567.99995, "1.234.568", "1,234,568"},
		{0, "0", "0"},
	} {
		if got := formatNumber(sihub.VI, tc.v); got != tc.vi {
			t.Errorf("vi %v: %q, want %q", tc.v, got, tc.vi)
		}
		if got := formatNumber(sihub.EN, tc.v); got != tc.en {
			t.Errorf("en %v: %q, want %q", tc.v, got, tc.en)
		}
	}
}

// A buyer whose part no supplier matches is told to ask the center, not
// shown a form with nobody to tick; the center, which may invite any
// supplier, keeps the form.
func TestRFQNobodyToInvite(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		d := &sihub.Demand{BuyerID: w.buyer.ID, Ref: "RFQ-NONE", Title: "Phần tử gia nhiệt gốm", ProcessesText: "thiêu kết gốm kỹ thuật"}
		if _, err := match.PrepareDemand(d); err != nil {
			t.Fatal(err)
		}
		if err := e.db.CreateDemand(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		form := pathf(`action="/demands/%d/rfqs"`, d.ID)
		page := e.do(req{url: pathf("/demands/%d/rfqs", d.ID), as: w.buyerUser, lang: "en"}).Body.String()
		if strings.Contains(page, form) || !strings.Contains(page, "get in touch with it") {
			t.Errorf("the buyer's page with nobody to invite:\n%s", page)
		}
		if page := e.do(req{url: pathf("/demands/%d/rfqs", d.ID), as: e.staff(), lang: "en"}).Body.String(); !strings.Contains(page, form) {
			t.Errorf("the center's page lacks the form")
		}
	})
}

// TestRFQLongestNews: the longest message, question and answer the store
// takes still fit in the notes that carry them (written in the same
// transaction, a note too long would refuse the round or the answer).
func TestRFQLongestNews(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		long := func(s string) string { return strings.Repeat(s, 20000/len([]rune(s))) }
		resp := e.apiJSON("POST", pathf("/api/v1/demands/%d/rfqs", w.d.ID), map[string]any{"company_ids": []int64{w.s1.ID, w.s2.ID},
			"message": long("ép "), "deadline": w.now().Add(72 * time.Hour).Format(time.RFC3339)}, w.buyerUser)
		if resp.Code != http.StatusCreated {
			t.Fatalf("create round: %d %s", resp.Code, resp.Body)
		}
		out := decode[rfqCreatedJSON](t, resp)
		iv := invitationOf(out.Invitations, w.s1)
		resp = e.apiJSON("POST", pathf("/api/v1/invitations/%d/questions", iv.ID), map[string]any{"text": long("hỏi ")}, w.su1)
		if resp.Code != http.StatusCreated && resp.Code != http.StatusOK {
			t.Fatalf("ask: %d %s", resp.Code, resp.Body)
		}
		q := decode[sihub.Question](t, resp)
		resp = e.apiJSON("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", out.RFQ.ID, q.ID), map[string]any{"answer": long("đáp ")}, w.buyerUser)
		if resp.Code != http.StatusOK {
			t.Fatalf("answer: %d %s", resp.Code, resp.Body)
		}
		for _, c := range []struct {
			u    *sihub.User
			kind []string
		}{
			{w.su1, []string{store.NoteInvitation, store.NoteAnswer}},
			{w.su2, []string{store.NoteInvitation, store.NoteAnswer}},
			{w.buyerUser, []string{store.NoteQuestion}},
		} {
			ns, err := e.db.Notifications(context.Background(), c.u.ID, store.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, n := range ns {
				kinds = append(kinds, n.Kind)
			}
			slices.Sort(kinds)
			if want := slices.Sorted(slices.Values(c.kind)); !slices.Equal(kinds, want) {
				t.Errorf("%s: notes %v, want %v", c.u.Email, kinds, want)
			}
		}
	})
}
