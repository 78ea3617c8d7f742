package web

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// secretQuote is what a supplier quotes in the journey, with figures no
// other supplier may ever read. The fractions are exact in binary, so that
// the pages' grouped forms can be looked for as well.
type secretQuote struct {
	body    map[string]any
	figures []float64 // every price, tooling cost and price-break figure
}

// figureForms are the ways a page may write v: as the API writes it, and
// grouped in Vietnamese and in English.
func figureForms(v float64) []string {
	forms := []string{strconv.FormatFloat(v, 'f', -1, 64), formatNumber(sihub.VI, v), formatNumber(sihub.EN, v)}
	if whole := int64(v); whole >= 10000 && float64(whole) != v {
		// However the decimals are written.
		forms = append(forms, formatNumber(sihub.VI, float64(whole))+",", formatNumber(sihub.EN, float64(whole))+".")
	}
	return forms
}

// leaks returns the figures among figs that the response shows: a JSON
// document's numbers compared as numbers and its strings (other than
// timestamps) searched for the written forms, any other body searched as
// text.
func leaks(w *httptest.ResponseRecorder, figs []float64) []string {
	var found []string
	body := w.Body.String()
	if strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		var v any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err == nil {
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					for _, y := range x {
						walk(y)
					}
				case []any:
					for _, y := range x {
						walk(y)
					}
				case float64:
					for _, f := range figs {
						if math.Abs(x-f) < 1e-9*math.Max(1, f) {
							found = append(found, strconv.FormatFloat(x, 'f', -1, 64))
						}
					}
				case string:
					if _, err := time.Parse(time.RFC3339Nano, x); err == nil {
						return
					}
					for _, f := range figs {
						for _, form := range figureForms(f) {
							if strings.Contains(x, form) {
								found = append(found, form+" in "+strconv.Quote(x))
							}
						}
					}
				}
			}
			walk(v)
			return found
		}
	}
	for _, f := range figs {
		for _, form := range figureForms(f) {
			if strings.Contains(body, form) {
				found = append(found, form)
			}
		}
	}
	return found
}

// TestRFQJourneyAPI is issue 6's story through the JSON API alone, on every
// database: the buyer invites three suppliers to a sealed round; the first
// asks a question and the buyer's answer reaches all three without saying
// who asked; two quote (the second revises), the third declines; the
// deadline passes; the buyer compares the quotes on landed cost at its
// rates and awards the first; the center's board counts the award. On the
// way every document and page a supplier can reach is swept for another
// supplier's figures, before and after the deadline, and the buyer's and
// the center's for any figure before the sealed round closes.
func TestRFQJourneyAPI(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		// The store checks a new round's deadline against the real clock:
		// the server's clock starts there and moves only when told.
		clock := &atomic.Int64{}
		clock.Store(time.Now().UTC().Truncate(time.Second).UnixNano())
		e.s.now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }

		buyer := e.seed(&sihub.Company{Kind: sihub.Buyer, TaxCode: taxCode(701), Name: "Hokuto Appliances Việt Nam", Sectors: []string{"2750"}})
		s1 := e.seed(&sihub.Company{TaxCode: taxCode(702), Name: "Công ty TNHH Nhựa Phương Nam", CapabilitiesText: "ép nhựa PP, ABS"})
		s2 := e.seed(&sihub.Company{TaxCode: taxCode(703), Name: "Công ty TNHH Nhựa Đông Á", CapabilitiesText: "ép nhựa"})
		s3 := e.seed(&sihub.Company{TaxCode: taxCode(704), Name: "Công ty TNHH Nhựa Cửu Long", CapabilitiesText: "ép nhựa"})
		outsider := e.seed(&sihub.Company{TaxCode: taxCode(705), Name: "Công ty TNHH Nhựa Tây Ninh", CapabilitiesText: "ép nhựa"})
		for _, c := range []*sihub.Company{buyer, s1, s2, s3, outsider} {
			if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
				t.Fatal(err)
			}
		}
		d := &sihub.Demand{BuyerID: buyer.ID, Ref: "FAN-9", Title: "Cánh quạt 350 mm", TitleEn: "Fan blade 350 mm", ProcessesText: "ép nhựa",
			MaterialsText: "PP", AnnualVolume: 20000, Unit: "pcs", TargetPrice: 99887766, Currency: "VND",
			Status: sihub.DemandOpen, Visibility: sihub.VisibleVerified}
		if _, err := match.PrepareDemand(d); err != nil {
			t.Fatal(err)
		}
		if err := e.db.CreateDemand(ctx, d); err != nil {
			t.Fatal(err)
		}
		buyerUser := e.userWith(store.NewUser{Role: sihub.RoleCompanyAdmin, CompanyID: buyer.ID, EmailConfirmed: true, Name: "Sato Ken", Lang: sihub.EN})
		u1 := e.userWith(store.NewUser{Role: sihub.RoleCompanyAdmin, CompanyID: s1.ID, EmailConfirmed: true})
		u2 := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: s2.ID, EmailConfirmed: true, Lang: sihub.EN})
		u3 := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: s3.ID, EmailConfirmed: true})
		uOut := e.user(sihub.RoleCompanyMember, outsider.ID)
		admin := e.user(sihub.RoleCenterAdmin, 0)

		call := func(method, path string, body any, u *sihub.User, want int) *httptest.ResponseRecorder {
			t.Helper()
			w := e.apiJSON(method, path, body, u)
			if w.Code != want {
				t.Fatalf("%s %s as %s: %d %s; want %d", method, path, u.Email, w.Code, w.Body.String(), want)
			}
			return w
		}

		// 1. The buyer opens a sealed round for three of the suppliers.
		deadline := now().Add(48 * time.Hour)
		created := decode[rfqCreatedJSON](t, call("POST", pathf("/api/v1/demands/%d/rfqs", d.ID), map[string]any{
			"company_ids": []int64{s1.ID, s2.ID, s3.ID}, "message": "Sealed round for the 350 mm fan blade, 20,000 pcs a year.",
			"deadline": deadline.Format(time.RFC3339), "sealed": true}, buyerUser, http.StatusCreated))
		rq := created.RFQ
		if !rq.Sealed || rq.Round != 1 || len(created.Invitations) != 3 {
			t.Fatalf("created: %+v", created)
		}

		// Each supplier finds its invitation in its list, and opens it.
		invOf := map[int64]int64{}
		for _, u := range []*sihub.User{u1, u2, u3} {
			list := decode[invitationListOut](t, call("GET", "/api/v1/invitations", nil, u, http.StatusOK))
			if list.Total != 1 {
				t.Fatalf("%s's invitations: %+v", u.Email, list)
			}
			for _, g := range list.Groups {
				for _, it := range g.Items {
					invOf[u.CompanyID] = it.ID
					if g.State != "new" || it.RFQID != rq.ID || it.DemandID != d.ID {
						t.Errorf("%s's invitation: %s %+v", u.Email, g.State, it)
					}
				}
			}
			v := decode[supplierInvitationOut](t, call("GET", pathf("/api/v1/invitations/%d", invOf[u.CompanyID]), nil, u, http.StatusOK))
			if v.State != "viewed" || !v.Open || !v.CanAnswer {
				t.Errorf("%s opens its invitation: %+v", u.Email, v)
			}
		}
		inv := func(u *sihub.User) string { return pathf("/api/v1/invitations/%d", invOf[u.CompanyID]) }

		// 2. Supplier 1 asks; the buyer sees who asked, and answers.
		question := "Is dynamic balancing required, or static only?"
		q := decode[sihub.Question](t, call("POST", inv(u1)+"/questions", map[string]string{"text": question}, u1, http.StatusCreated))
		round := decode[map[string]any](t, call("GET", pathf("/api/v1/rfqs/%d", rq.ID), nil, buyerUser, http.StatusOK))
		if qs, _ := round["questions"].([]any); len(qs) != 1 || qs[0].(map[string]any)["asked_by"] != float64(s1.ID) {
			t.Errorf("the buyer's view of the question: %v", round["questions"])
		}
		answer := "Dynamic balancing, grade G6.3."
		call("POST", pathf("/api/v1/rfqs/%d/questions/%d/answer", rq.ID, q.ID), map[string]string{"answer": answer}, buyerUser, http.StatusOK)

		// 3. All three read the answer; none is told who asked.
		for _, u := range []*sihub.User{u1, u2, u3} {
			w := call("GET", inv(u), nil, u, http.StatusOK)
			v := decode[supplierInvitationOut](t, w)
			if len(v.Questions) != 1 || v.Questions[0].Text != question || v.Questions[0].Answer != answer {
				t.Errorf("%s reads the questions %+v", u.Email, v.Questions)
			}
			if u != u1 && (strings.Contains(w.Body.String(), "asked_by") || strings.Contains(w.Body.String(), s1.Name)) {
				t.Errorf("%s learns who asked: %s", u.Email, w.Body.String())
			}
		}

		// 4. Supplier 1 saves a draft and submits it; supplier 2 submits
		// with a body and revises; supplier 3 declines.
		q1 := secretQuote{body: map[string]any{"unit_price": 12345.75, "currency": "VND", "moq": 5000, "tooling_cost": 45678901,
			"price_breaks": []map[string]float64{{"min_qty": 15000, "unit_price": 11987.25}}, "sample_lead_days": 21, "mass_lead_days": 30,
			"incoterm": "DAP", "delivery_place": "Hokuto, KCN Tân Tạo", "payment_terms": "30 ngày"},
			figures: []float64{12345.75, 45678901, 11987.25}}
		q2 := secretQuote{body: map[string]any{"unit_price": 0.6875, "currency": "USD", "moq": 8000, "tooling_cost": 17321.5,
			"price_breaks": []map[string]float64{{"min_qty": 18000, "unit_price": 0.5625}}, "sample_lead_days": 28, "mass_lead_days": 35,
			"incoterm": "FCA", "delivery_place": "Bình Dương"},
			figures: []float64{0.6875, 17321.5, 0.5625, 0.65625}}
		call("PUT", inv(u1)+"/quote", q1.body, u1, http.StatusOK)
		if rev := decode[sihub.Quote](t, call("POST", inv(u1)+"/quote/submit", nil, u1, http.StatusCreated)); rev.Revision != 1 {
			t.Errorf("supplier 1's revision %d", rev.Revision)
		}
		call("POST", inv(u2)+"/quote/submit", q2.body, u2, http.StatusCreated)
		q2.body["unit_price"] = 0.65625 // revised down
		if rev := decode[sihub.Quote](t, call("POST", inv(u2)+"/quote/submit", q2.body, u2, http.StatusCreated)); rev.Revision != 2 {
			t.Errorf("supplier 2's revision %d", rev.Revision)
		}
		call("POST", inv(u3)+"/decline", map[string]string{"reason": "capacity", "note": "Presses booked until next quarter."}, u3, http.StatusOK)

		// The privacy sweep: every document and page a supplier can reach
		// for the round, its own and the others' invitations included.
		cases := decode[struct {
			Cases []caseJSON `json:"cases"`
		}](t, call("GET", pathf("/api/v1/demands/%d/cases", d.ID), nil, buyerUser, http.StatusOK)).Cases
		reachable := func(u *sihub.User) []string {
			paths := []string{"/api/v1/invitations", "/invitations", "/notifications", "/api/v1/notifications", "/api/v1/me/data",
				pathf("/api/v1/demands/%d", d.ID), pathf("/demands/%d", d.ID), pathf("/api/v1/demands/%d/rfqs", d.ID), pathf("/demands/%d/rfqs", d.ID),
				pathf("/api/v1/demands/%d/cases", d.ID), pathf("/demands/%d/cases", d.ID), "/api/v1/demands", "/demands",
				pathf("/api/v1/rfqs/%d", rq.ID), pathf("/rfqs/%d", rq.ID), pathf("/api/v1/rfqs/%d/files", rq.ID),
				"/api/v1/board", "/board", pathf("/companies/%d/opportunities", u.CompanyID), pathf("/api/v1/companies/%d/opportunities", u.CompanyID)}
			for _, id := range invOf {
				paths = append(paths, pathf("/api/v1/invitations/%d", id), pathf("/invitations/%d/quote", id), pathf("/api/v1/invitations/%d/files", id))
			}
			for _, c := range cases {
				paths = append(paths, pathf("/api/v1/cases/%d/steps", c.ID))
			}
			return paths
		}
		// sweep fails when any of what u reaches shows one of figs.
		sweep := func(when string, u *sihub.User, whose string, figs []float64) {
			t.Helper()
			for _, p := range reachable(u) {
				for _, lang := range []string{"vi", "en"} {
					w := e.do(req{url: p, as: u, lang: lang})
					if w.Code >= 500 {
						t.Errorf("%s: %s %s: %d %s", when, u.Email, p, w.Code, w.Body.String())
					}
					if l := leaks(w, figs); len(l) > 0 {
						t.Errorf("%s: %s reads %s's figures %v in %s (%s):\n%s", when, u.Email, whose, l, p, lang, w.Body.String())
					}
				}
			}
			for _, m := range e.mails(u.Email) {
				for _, f := range figs {
					for _, form := range figureForms(f) {
						if strings.Contains(m.Subject+m.Body, form) {
							t.Errorf("%s: a mail to %s tells %s's figure %s: %s", when, u.Email, whose, form, m.Body)
						}
					}
				}
			}
		}
		// The buyer's side refuses suppliers.
		for _, u := range []*sihub.User{u1, u2, u3, uOut} {
			for _, p := range []string{pathf("/api/v1/rfqs/%d", rq.ID), pathf("/api/v1/demands/%d/cases", d.ID), "/api/v1/board"} {
				if w := e.apiJSON("GET", p, nil, u); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
					t.Errorf("%s reads %s: %d %s", u.Email, p, w.Code, w.Body.String())
				}
			}
		}
		all := slices.Concat(q1.figures, q2.figures)
		privacy := func(when string) {
			t.Helper()
			sweep(when, u1, s2.Name, q2.figures)
			sweep(when, u2, s1.Name, q1.figures)
			sweep(when, u3, "the quoting suppliers", all)
			sweep(when, uOut, "the quoting suppliers", all)
		}
		privacy("before the deadline")

		// The round is sealed: before the deadline the buyer and the
		// center read how many quotes came, never a figure.
		for _, u := range []*sihub.User{buyerUser, e.staff()} {
			for _, p := range []string{pathf("/api/v1/rfqs/%d", rq.ID), pathf("/rfqs/%d", rq.ID), pathf("/api/v1/rfqs/%d?to=VND&rate_USD=25000", rq.ID),
				pathf("/api/v1/demands/%d/cases", d.ID), pathf("/demands/%d/cases", d.ID), pathf("/demands/%d", d.ID), pathf("/demands/%d/rfqs", d.ID),
				"/api/v1/board", "/board", "/api/v1/notifications", "/notifications"} {
				w := e.do(req{url: p, as: u, lang: "en"})
				if l := leaks(w, all); len(l) > 0 {
					t.Errorf("before the deadline %s reads figures %v in %s:\n%s", u.Email, l, p, w.Body.String())
				}
			}
			for _, m := range e.mails(u.Email) {
				for _, f := range all {
					if slices.ContainsFunc(figureForms(f), func(s string) bool { return strings.Contains(m.Body, s) }) {
						t.Errorf("a mail to %s tells figure %v: %s", u.Email, f, m.Body)
					}
				}
			}
		}
		sealed := decode[map[string]any](t, call("GET", pathf("/api/v1/rfqs/%d", rq.ID), nil, buyerUser, http.StatusOK))
		if sealed["quotes_visible"] != false || sealed["quotes_count"] != float64(2) || sealed["sealed_until"] == nil || sealed["comparison"] != nil {
			t.Errorf("the sealed round before the deadline: %v", sealed)
		}
		// The audit trail never holds a quote's figures.
		if l := leaks(call("GET", pathf("/api/v1/audit?object_type=demand&object_id=%d", d.ID), nil, admin, http.StatusOK), all); len(l) > 0 {
			t.Errorf("the audit trail holds figures %v", l)
		}

		// 5. The deadline passes: nothing more is accepted.
		clock.Store(deadline.Add(time.Minute).UnixNano())
		for _, c := range []struct {
			u          *sihub.User
			path, body string
		}{{u1, "/quote", `{"unit_price":1,"currency":"VND"}`}, {u2, "/quote/submit", ""}, {u1, "/decline", `{"reason":"price"}`},
			{u2, "/questions", `{"text":"Still time?"}`}} {
			method := "POST"
			if c.path == "/quote" {
				method = "PUT"
			}
			var body any
			if c.body != "" {
				body = c.body
			}
			if w := e.apiJSON(method, inv(c.u)+c.path, body, c.u); w.Code != http.StatusConflict {
				t.Errorf("%s %s after the deadline: %d %s", method, c.path, w.Code, w.Body.String())
			}
		}
		privacy("after the deadline")

		// 6. The buyer compares: without a rate for USD supplier 2's
		// landed cost is unknown; at 25,000 VND a dollar both are known.
		type cmpOut struct {
			QuotesVisible bool `json:"quotes_visible"`
			Comparison    *struct {
				Currency string `json:"currency"`
				Quotes   []struct {
					CompanyName       string   `json:"company_name"`
					CompanyID         int64    `json:"company_id"`
					Revision          int      `json:"revision"`
					UnitPriceAtVolume float64  `json:"unit_price_at_volume"`
					LandedUnitCost    *float64 `json:"landed_unit_cost"`
					RateNeeded        string   `json:"rate_needed"`
					Best              []string `json:"best"`
					Revisions         []any    `json:"revisions"`
				} `json:"quotes"`
			} `json:"comparison"`
		}
		c := decode[cmpOut](t, call("GET", pathf("/api/v1/rfqs/%d", rq.ID), nil, buyerUser, http.StatusOK))
		if !c.QuotesVisible || c.Comparison == nil || len(c.Comparison.Quotes) != 2 {
			t.Fatalf("the comparison after the deadline: %+v", c)
		}
		for _, row := range c.Comparison.Quotes {
			if row.CompanyID == s2.ID && (row.LandedUnitCost != nil || row.RateNeeded != "USD") {
				t.Errorf("supplier 2 without a USD rate: %+v", row)
			}
		}
		c = decode[cmpOut](t, call("GET", pathf("/api/v1/rfqs/%d?to=VND&rate_USD=25000&sort=landed", rq.ID), nil, buyerUser, http.StatusOK))
		// Landed: the price at 20,000 pcs a year (its break) plus the
		// tooling spread over them, in VND.
		landed1 := 11987.25 + 45678901.0/20000
		landed2 := (0.5625 + 17321.5/20000) * 25000
		if cq := c.Comparison.Quotes; len(cq) != 2 || cq[0].CompanyID != s1.ID || cq[1].CompanyID != s2.ID ||
			cq[0].LandedUnitCost == nil || math.Abs(*cq[0].LandedUnitCost-landed1) > 0.01 ||
			cq[1].LandedUnitCost == nil || math.Abs(*cq[1].LandedUnitCost-landed2) > 0.01 ||
			!slices.Contains(cq[0].Best, "landed") || cq[0].UnitPriceAtVolume != 11987.25 ||
			cq[1].Revision != 2 || len(cq[1].Revisions) != 2 || cq[1].UnitPriceAtVolume != 0.5625 {
			t.Errorf("the comparison at 25,000 VND/USD (want %s %.2f then %s %.2f): %+v", s1.Name, landed1, s2.Name, landed2, c.Comparison)
		}
		// The pages show it too, the target price to the buyer alone.
		if w := e.do(req{url: pathf("/rfqs/%d?to=VND&rate_USD=25000", rq.ID), as: buyerUser, lang: "en"}); w.Code != http.StatusOK ||
			!strings.Contains(w.Body.String(), s1.Name) || !strings.Contains(w.Body.String(), "11,987.25 VND") || !strings.Contains(w.Body.String(), "99,887,766") {
			t.Errorf("the round's page for the buyer: %d %s", w.Code, w.Body.String())
		}

		// 7. The buyer awards supplier 1 (the other shall wait); supplier 3,
		// who declined, is lost already.
		boardBefore := decode[boardOut](t, call("GET", "/api/v1/board", nil, e.staff(), http.StatusOK))
		var case1 int64
		for _, k := range cases {
			switch k.CompanyID {
			case s1.ID:
				case1 = k.ID
			}
		}
		for _, k := range decode[struct {
			Cases []caseJSON `json:"cases"`
		}](t, call("GET", pathf("/api/v1/demands/%d/cases", d.ID), nil, buyerUser, http.StatusOK)).Cases {
			want := map[int64]sihub.Stage{s1.ID: sihub.StageQuoted, s2.ID: sihub.StageQuoted, s3.ID: sihub.StageLost}[k.CompanyID]
			if k.Stage != want {
				t.Errorf("%s's case is %s; want %s", k.CompanyName, k.Stage, want)
			}
		}
		awarded := decode[caseJSON](t, call("POST", pathf("/api/v1/cases/%d/move", case1), map[string]any{"stage": "awarded",
			"contract_value": 250_000_000, "currency": "VND", "note": "Best landed cost on the volume."}, buyerUser, http.StatusOK))
		if awarded.Stage != sihub.StageAwarded || awarded.ContractVND != 250_000_000 || awarded.AnnualVolume != 20000 {
			t.Errorf("awarded: %+v", awarded)
		}
		if w := e.apiJSON("POST", pathf("/api/v1/cases/%d/move", case1), map[string]any{"stage": "lost", "reason": "x"}, buyerUser); w.Code != http.StatusConflict {
			t.Errorf("moving an awarded case: %d %s", w.Code, w.Body.String())
		}

		// 8. The center's board counts it.
		b := decode[boardOut](t, call("GET", "/api/v1/board", nil, e.staff(), http.StatusOK))
		count := func(b boardOut, st sihub.Stage) (n, reached int) {
			for _, s := range b.Stages {
				if s.Stage == string(st) {
					return s.Count, s.Reached
				}
			}
			return -1, -1
		}
		if n, r := count(b, sihub.StageAwarded); n != 1 || r != 1 {
			t.Errorf("board: %d awarded (%d reached); want 1", n, r)
		}
		if n0, _ := count(boardBefore, sihub.StageAwarded); n0 != 0 {
			t.Errorf("board before the award: %d awarded", n0)
		}
		if n, _ := count(b, sihub.StageQuoted); n != 1 {
			t.Errorf("board: %d quoted; want 1", n)
		}
		if n, _ := count(b, sihub.StageLost); n != 1 {
			t.Errorf("board: %d lost; want 1", n)
		}
		if b.Total != 3 || b.AwardedVND != 250_000_000 || len(b.ByBuyer) != 1 || b.ByBuyer[0].BuyerID != buyer.ID || b.ByBuyer[0].Cases != 1 ||
			len(b.BySector) != 1 || b.BySector[0].Sector != "2750" {
			t.Errorf("board: %+v", b)
		}

		// And still no supplier reads another's figures, nor the target
		// price.
		privacy("after the award")
		for _, u := range []*sihub.User{u1, u2, u3, uOut} {
			sweep("after the award", u, "the buyer's target price", []float64{99887766})
		}
		// Supplier 1 sees its case awarded, without the contract.
		v := decode[map[string]any](t, call("GET", inv(u1), nil, u1, http.StatusOK))
		if k, _ := v["case"].(map[string]any); k == nil || k["stage"] != "awarded" || k["contract_value"] != nil && k["contract_value"] != float64(0) {
			t.Errorf("supplier 1's view of its case: %v", v["case"])
		}
		if chk, _, err := e.db.VerifyAudit(ctx, nil); err != nil || len(chk.Problems) > 0 {
			t.Errorf("audit chain: %v %v", chk.Problems, err)
		}
	})
}
