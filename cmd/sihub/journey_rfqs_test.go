package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// The demo holds the buyer's rounds at every stage of the pipeline, each
// inviting suppliers the matching qualifies, dated from the moment it was
// loaded; its three supplier accounts are verified and all qualify for the
// fan blade, which is left without rounds for a visitor to try; the audit
// chain still holds after the history written with a past clock.
func TestDemoRounds(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			e := &env{getenv: noEnv, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, log: slogDiscard()}
			db := storetest.Open(t, dialect, store.Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: e.log})
			before := time.Now()
			if err := loadDemo(ctx, e, db); err != nil {
				t.Fatal(err)
			}
			after := time.Now()
			var suppliers []*sihub.Company
			for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				suppliers = append(suppliers, c)
			}
			ix := match.NewIndex(suppliers)
			demand := func(ref string) *sihub.Demand {
				t.Helper()
				d, err := db.DemandByRef(ctx, demoBuyerTaxCode, ref)
				if err != nil {
					t.Fatalf("demand %s: %v", ref, err)
				}
				return d
			}
			// round returns the demand's only round, its invitations and
			// standing quotes, and checks that every invitee qualifies.
			round := func(ref string) (*sihub.Demand, *sihub.RFQ, []*sihub.Invitation, []*sihub.Quote) {
				t.Helper()
				d := demand(ref)
				rs, err := db.RFQs(ctx, d.ID)
				if err != nil || len(rs) != 1 {
					t.Fatalf("%s: rounds %v, %v; want one", ref, rs, err)
				}
				invs, err := db.Invitations(ctx, rs[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				res := ix.Match(d, before, 1000)
				for _, iv := range invs {
					if !slices.ContainsFunc(res.Matches, func(m match.Scored) bool { return m.Company.ID == iv.CompanyID }) {
						t.Errorf("%s: %s is invited but does not qualify", ref, iv.CompanyName)
					}
				}
				qs, err := db.Quotes(ctx, rs[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				return d, rs[0], invs, qs
			}
			states := func(invs []*sihub.Invitation) map[sihub.InvitationState]int {
				m := map[sihub.InvitationState]int{}
				for _, iv := range invs {
					m[iv.State]++
				}
				return m
			}
			within := func(what string, got time.Time, from, to time.Duration) {
				t.Helper()
				if got.Before(before.Add(from)) || got.After(after.Add(to)) {
					t.Errorf("%s is %v; want between %v and %v from the load at %v", what, got, from, to, before)
				}
			}

			// An open round: one quote, one draft, one question answered.
			_, r, invs, qs := round(demoOpenRef)
			within(demoOpenRef+"'s deadline", r.Deadline, 5*24*time.Hour, 7*24*time.Hour)
			if r.Sealed || !r.Open(after) || len(invs) != 3 || len(qs) != 1 {
				t.Errorf("%s: %+v, %d invited, %d quotes; want open, not sealed, 3 invited, 1 quote", demoOpenRef, r, len(invs), len(qs))
			}
			if s := states(invs); s[sihub.InvQuoted] != 1 || s[sihub.InvDraft] != 1 || s[sihub.InvViewed] != 1 {
				t.Errorf("%s: states %v", demoOpenRef, s)
			}
			if qs, err := db.Questions(ctx, r.ID); err != nil || len(qs) != 1 || qs[0].Answer == "" {
				t.Errorf("%s: questions %+v, %v; want one, answered", demoOpenRef, qs, err)
			}

			// An open sealed round.
			_, r, invs, qs = round(demoSealedRef)
			within(demoSealedRef+"'s deadline", r.Deadline, 8*24*time.Hour, 10*24*time.Hour)
			if !r.Sealed || !r.Open(after) || r.QuotesVisible(after) || len(invs) != 3 || len(qs) != 2 {
				t.Errorf("%s: %+v, %d invited, %d quotes; want open and sealed, 3 invited, 2 quotes", demoSealedRef, r, len(invs), len(qs))
			}

			// A closed round, compared and moved on.
			d, r, invs, qs := round(demoClosedRef)
			within(demoClosedRef+"'s deadline", r.Deadline, -17*24*time.Hour, -15*24*time.Hour)
			within(demoClosedRef+"'s opening", r.CreatedAt, -31*24*time.Hour, -29*24*time.Hour)
			if r.Open(after) || !r.QuotesVisible(after) || len(invs) != 6 || len(qs) != 5 {
				t.Errorf("%s: %+v, %d invited, %d quotes standing; want closed, 6 invited, 5 quotes", demoClosedRef, r, len(invs), len(qs))
			}
			currencies := map[string]bool{}
			revised := false
			for _, q := range qs {
				currencies[q.Currency] = true
				if q.SubmittedAt == nil || !q.SubmittedAt.Before(r.Deadline) {
					t.Errorf("%s: a quote submitted at %v, deadline %v", demoClosedRef, q.SubmittedAt, r.Deadline)
				}
				revised = revised || q.Revision == 2
			}
			if len(currencies) != 3 || !revised {
				t.Errorf("%s: currencies %v, a revision: %v", demoClosedRef, currencies, revised)
			}
			if s := states(invs); s[sihub.InvDeclined] != 1 {
				t.Errorf("%s: states %v", demoClosedRef, s)
			}
			if !slices.ContainsFunc(invs, func(iv *sihub.Invitation) bool { return iv.CompanyTaxCode == demoSupplierTaxCode }) {
				t.Errorf("%s: the demo supplier is not invited", demoClosedRef)
			}
			cs, err := db.CasesOf(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			stages := map[sihub.Stage]int{}
			overdue, ahead := 0, 0
			for _, c := range cs {
				stages[c.Stage]++
				switch {
				case c.Stage == sihub.StageAwarded && (c.ContractValue <= 0 || c.Currency == "" || c.ContractVND <= 0 || c.AwardedAt == nil):
					t.Errorf("awarded case without its contract: %+v", c)
				case c.Stage == sihub.StageLost && c.LostReason == "":
					t.Errorf("lost case without a reason: %+v", c)
				case c.NextStepAt != nil && c.NextStepAt.Before(before):
					overdue++
				case c.NextStepAt != nil:
					ahead++
				}
			}
			for _, st := range []sihub.Stage{sihub.StageShortlisted, sihub.StageSampleRequested, sihub.StageFactoryAudit, sihub.StageAwarded} {
				if stages[st] != 1 {
					t.Errorf("%s: %d cases %s; want 1 (stages %v)", demoClosedRef, stages[st], st, stages)
				}
			}
			if stages[sihub.StageLost] != 2 || overdue != 1 || ahead != 2 {
				t.Errorf("%s: %d lost, %d overdue, %d next steps ahead; want 2, 1, 2", demoClosedRef, stages[sihub.StageLost], overdue, ahead)
			}

			// The fan blade is left for the visitor; the three supplier
			// accounts are verified and qualify for it.
			fan := demand("VT-FAN-002")
			if rs, err := db.RFQs(ctx, fan.ID); err != nil || len(rs) != 0 {
				t.Errorf("VT-FAN-002 has rounds: %v %v", rs, err)
			}
			res := ix.Match(fan, before, 1000)
			for _, tax := range []string{demoSupplierTaxCode, demoSupplier2TaxCode, demoSupplier3TaxCode} {
				c, err := db.CompanyByTaxCode(ctx, tax)
				if err != nil || !c.Verified {
					t.Errorf("demo supplier %s: %+v %v; want verified", tax, c, err)
					continue
				}
				if !slices.ContainsFunc(res.Matches, func(m match.Scored) bool { return m.Company.ID == c.ID }) {
					t.Errorf("demo supplier %s does not qualify for the fan blade", c.Name)
				}
				n := 0
				for _, a := range demoAccounts {
					if a.taxCode == tax {
						n++
					}
				}
				if n == 0 {
					t.Errorf("demo supplier %s has no account", c.Name)
				}
			}

			board, err := db.PipelineCounts(ctx)
			if err != nil || board[sihub.StageAwarded] != 1 || board[sihub.StageInvited] == 0 || board[sihub.StageQuoted] == 0 {
				t.Errorf("pipeline counts %v, %v", board, err)
			}
			chk, _, err := db.VerifyAudit(ctx, nil)
			if err != nil || len(chk.Problems) > 0 {
				t.Errorf("the audit chain after the demo: %v %v", chk.Problems, err)
			}
		})
	}
}

// demoCompanyName is the name the demo directory gives tax code tax.
func demoCompanyName(t *testing.T, tax string) string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(demoCompanies)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r[0] == tax {
			return r[1]
		}
	}
	t.Fatalf("no demo company %s", tax)
	return ""
}

// figures are the ways pages and the API may write an amount: as JSON,
// and grouped in Vietnamese and in English — and, for a fraction with a
// whole part of five digits or more, that whole part followed by a decimal
// mark, however the decimals are written.
func figures(v float64) []string {
	plain := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(plain, ".")
	group := func(sep string) string {
		var b strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	vi, en := group("."), group(",")
	if frac == "" {
		return []string{plain, vi, en}
	}
	forms := []string{plain, vi + "," + frac, en + "." + frac, whole + "," + frac}
	if len(whole) >= 5 { // distinctive enough on its own
		forms = append(forms, whole+".", whole+",", vi+",", en+".")
	}
	return forms
}

// person is someone of the story in a browser context of their own (their
// own cookies), signed in as a demo account in lang.
func person(t *testing.T, browser context.Context, base string, a demoAccount, lang string) *journey {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run creates the tab, which lives as long as the context of
	// that run: run it on ctx itself, not on a step's shorter one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser context for %s: %v", a.email, err)
	}
	j := &journey{t: t, ctx: ctx, base: base}
	j.open("/lang/"+lang+"?next=/signin", "#f-signin-email")
	j.fill("f-signin-email", a.email)
	j.fill("f-signin-password", a.password)
	j.follow("sign in as "+a.email, chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)), `.mainnav form[action="/signout"]`)
	return j
}

func demoAccountByEmail(t *testing.T, email string) demoAccount {
	t.Helper()
	for _, a := range demoAccounts {
		if a.email == email {
			return a
		}
	}
	t.Fatalf("no demo account %s", email)
	return demoAccount{}
}

// html is the page's whole HTML, hidden parts and form values included.
func (j *journey) html() string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		j.fatalf("read the page: %v", err)
	}
	return s
}

// wantNone fails when the page at path (opened when path is not "") shows
// any of the figures.
func (j *journey) wantNone(path, whose string, figs []string) {
	j.t.Helper()
	if path != "" {
		// An API document or an error page has no main: wait for the body.
		j.do("open "+path, chromedp.Navigate(j.base+path), chromedp.WaitReady(chromedp.CSS("body")))
	}
	page := j.html()
	for _, f := range figs {
		if strings.Contains(page, f) {
			j.fatalf("%s shows %s's figure %s", j.path(), whose, f)
		}
	}
}

// typeInto types value into the first element sel finds.
func (j *journey) typeInto(sel, value string) {
	j.t.Helper()
	j.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// setValue replaces the value of the field sel finds, as a person
// selecting the text and typing over it.
func (j *journey) setValue(sel, value string) {
	j.t.Helper()
	j.do("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
	if got, err := chromedp.Run(j.ctx, chromedp.Value(chromedp.CSS(sel))); err != nil || got != value {
		j.fatalf("%s holds %q after setting %q (%v)", sel, got, value, err)
	}
}

// openInvitation opens, from the menu, the company's invitation for the
// demand titled title.
func (j *journey) openInvitation(title string) string {
	j.t.Helper()
	j.follow("open the invitations from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/invitations"]`)), "main h1")
	if !j.mark(`[...document.querySelectorAll('main table a')].find(a => a.textContent.includes(%s))`, title) {
		j.fatalf("no invitation for %q is listed", title)
	}
	j.follow("open the invitation for "+title, chromedp.Click(chromedp.CSS("[data-journey]")), "#round")
	return j.path()
}

// boardCounts reads the board's count of awarded cases and the number of
// awarded cases of the buyer named buyer.
func (j *journey) boardCounts(buyer string) (awarded, ofBuyer int) {
	j.t.Helper()
	k := slices.Index(sihub.Stages, sihub.StageAwarded)
	n, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](jsf(`(() => {
		const row = document.querySelectorAll('#stages tbody tr')[%s];
		const buyer = [...document.querySelectorAll('#awarded table tbody tr')].find(r => r.textContent.includes(%s));
		return [row ? row.cells[1].textContent.trim() : '', buyer ? buyer.cells[1].textContent.trim() : '0'];
	})()`, k, buyer)))
	if err != nil || len(n) != 2 {
		j.fatalf("read the board: %v", err)
	}
	awarded, err1 := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(n[0], ".", ""), ",", ""))
	ofBuyer, err2 := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(n[1], ".", ""), ",", ""))
	if err1 != nil || err2 != nil {
		j.fatalf("the board's counts read %q", n)
	}
	return awarded, ofBuyer
}

// TestJourneyRFQs is issue 6's story through the pages, with the demo's
// accounts, each in a browser of their own: the buyer invites three
// suppliers to a sealed round closing in a minute or two; the first asks a
// question, the buyer answers it on the round's page, and all three read
// the answer without learning who asked; two quote (the second revises),
// the third declines with a reason; nobody sees another's price, and the
// buyer sees none until the deadline; once it has passed the buyer
// compares the quotes on landed cost and awards the first supplier; the
// center's board counts the award.
func TestJourneyRFQs(t *testing.T) {
	browser := newBrowserFor(t, 6*time.Minute)
	base := strings.Replace(startServer(t, "--demo"), "127.0.0.1", "localhost", 1)
	start := time.Now()
	var buyerAcct demoAccount
	for _, a := range demoAccounts {
		if a.taxCode == demoBuyerTaxCode {
			buyerAcct = a
		}
	}
	const (
		titleEN = "Fan blade 400 mm"
		titleVI = "Cánh quạt 400 mm"
	)
	s1Name, s2Name, s3Name := demoCompanyName(t, demoSupplierTaxCode), demoCompanyName(t, demoSupplier2TaxCode), demoCompanyName(t, demoSupplier3TaxCode)
	buyerName := demoBuyer().Name
	// Figures no one else may read: supplier 1's and supplier 2's prices,
	// with fractions exact in binary (formatNumber truncates 23456.78 to
	// "23.456,7799").
	var s1Figs, s2Figs []string
	for _, v := range []float64{23456.75, 87654321, 21987.25} { // unit price, tooling, price break
		s1Figs = append(s1Figs, figures(v)...)
	}
	for _, v := range []float64{34567.5, 33456.25, 76543210, 32109.75} { // first price, revised price, tooling, price break
		s2Figs = append(s2Figs, figures(v)...)
	}

	// The center's board before the story.
	staff := person(t, browser, base, demoAccountByEmail(t, "staff@demo.sihub.vn"), "vi")
	staff.follow("open the board from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/board"]`)), "#stages")
	awardedBefore, buyerBefore := staff.boardCounts(buyerName)

	// 1. The buyer opens the fan blade among its demands and invites the
	// three suppliers that qualify, to a sealed round that closes at the
	// next whole minute at least a minute away (Vietnam time).
	buyer := person(t, browser, base, buyerAcct, "en")
	buyer.follow("open the demands from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/demands"]`)), "main table")
	buyer.openLink(titleEN)
	demandPath := buyer.path()
	for _, name := range []string{s1Name, s2Name, s3Name} {
		if !buyer.mark(`[...document.querySelectorAll('form[action$="/rfqs"] input[name="company"]')].find(i => i.closest('label').textContent.includes(%s))`, name) {
			buyer.fatalf("the request form does not offer %s", name)
		}
		buyer.do("tick "+name, chromedp.Click(chromedp.CSS("[data-journey]")))
	}
	deadline := time.Now().Add(60 * time.Second).Truncate(time.Minute).Add(time.Minute)
	vn := deadline.In(vietnam)
	buyer.fill("rfq-message", "Sealed round for the 400 mm fan blade: 120,000 pcs a year, PP GF20, balanced.")
	buyer.setValue("#rfq-deadline", vn.Format(time.DateOnly))
	buyer.setValue("#rfq-deadline-time", vn.Format("15:04"))
	buyer.do("seal the round", chromedp.Click(chromedp.CSS(`form[action$="/rfqs"] input[name="sealed"]`)))
	buyer.follow("request the quotes", chromedp.Click(chromedp.CSS(`form[action$="/rfqs"] button[type="submit"]`)), "#quotes")
	roundPath := buyer.path()
	if !strings.HasPrefix(roundPath, "/rfqs/") {
		buyer.fatalf("requesting quotes led to %s, not to the round", roundPath)
	}
	for _, name := range []string{s1Name, s2Name, s3Name} {
		buyer.wantText("main", name)
	}
	buyer.wantText("main", vn.Format("15:04"))

	// 2. Supplier 1 finds the invitation in its list and asks a question.
	s1 := person(t, browser, base, demoAccountByEmail(t, "supplier-admin@demo.sihub.vn"), "vi")
	s2 := person(t, browser, base, demoAccountByEmail(t, "supplier2@demo.sihub.vn"), "vi")
	s3 := person(t, browser, base, demoAccountByEmail(t, "supplier3@demo.sihub.vn"), "vi")
	inv1 := s1.openInvitation(titleVI)
	question := "Cánh quạt có cần cân bằng động không, hay chỉ cân bằng tĩnh?"
	s1.fill("f-question", question)
	s1.follow("ask the question", chromedp.Click(chromedp.CSS(`form[action$="/questions"] button[type="submit"]`)), "#questions")
	s1.wantText("#questions", question)

	// 3. The buyer answers on the round's page, where it sees who asked.
	buyer.open(roundPath, "#questions")
	buyer.wantText("#questions", question)
	buyer.wantText("#questions", s1Name)
	answer := "Cân bằng động, cấp G6.3; dung sai khối lượng ±2 g."
	buyer.typeInto(`form[action*="/questions/"][action$="/answer"] textarea[name="answer"]`, answer)
	buyer.follow("answer the question", chromedp.Click(chromedp.CSS(`form[action*="/questions/"][action$="/answer"] button[type="submit"]`)), "#questions")
	buyer.wantText("#questions", answer)

	// 4. Every invitee reads the answer; the others are not told who asked.
	s1.open(inv1, "#questions")
	s1.wantText("#questions", answer)
	inv2 := s2.openInvitation(titleVI)
	inv3 := s3.openInvitation(titleVI)
	for _, s := range []*journey{s2, s3} {
		s.wantText("#questions", question)
		s.wantText("#questions", answer)
		if strings.Contains(s.text("main"), s1Name) {
			s.fatalf("the invitation page names the supplier that asked, %s", s1Name)
		}
	}

	// 5. Supplier 1 quotes, typing numbers the Vietnamese way.
	s1.open(inv1, "#f-unit_price")
	s1.fill("f-unit_price", "23.456,75")
	s1.choose("f-currency", "VND")
	s1.fill("f-tooling_cost", "87.654.321")
	s1.fill("f-moq", "10.000")
	s1.typeInto(`input[name="break_qty"]`, "50.000")
	s1.typeInto(`input[name="break_price"]`, "21.987,25")
	s1.fill("f-sample_lead_days", "25")
	s1.fill("f-mass_lead_days", "30")
	s1.choose("f-incoterm", "DAP")
	s1.fill("f-delivery_place", "Veltrada, KCX Tân Thuận")
	s1.follow("submit the quote", chromedp.Click(chromedp.CSS(`button[name="action"][value="submit"]`)), "#revisions")
	s1.wantText("#revisions", "23.456,75 VND")
	s1.wantText("#revisions", "87.654.321 VND")

	// Supplier 2 sees none of it, on any page or API document it can
	// reach (those of the buyer's side refuse it).
	reach := func(inv string) []string {
		return []string{inv, "/invitations", demandPath, demandPath + "/rfqs", demandPath + "/cases", roundPath, "/board",
			"/api/v1/invitations", "/api/v1" + strings.TrimSuffix(inv, "/quote"), "/api/v1" + demandPath,
			"/api/v1" + demandPath + "/rfqs", "/api/v1" + demandPath + "/cases", "/api/v1" + roundPath, "/api/v1/board"}
	}
	for _, p := range reach(inv2) {
		s2.wantNone(p, s1Name, s1Figs)
	}

	// 6. Supplier 2 quotes, then revises its price down.
	s2.open(inv2, "#f-unit_price")
	s2.fill("f-unit_price", "34.567,5")
	s2.fill("f-tooling_cost", "76.543.210")
	s2.typeInto(`input[name="break_qty"]`, "100.000")
	s2.typeInto(`input[name="break_price"]`, "32.109,75")
	s2.follow("submit the quote", chromedp.Click(chromedp.CSS(`button[name="action"][value="submit"]`)), "#revisions")
	s2.wantText("#revisions", "34.567,5 VND")
	s2.wantNone("", s1Name, s1Figs)
	s2.setValue("#f-unit_price", "33.456,25")
	s2.follow("submit the revision", chromedp.Click(chromedp.CSS(`button[name="action"][value="submit"]`)), "#revisions")
	s2.wantText("#revisions", "33.456,25 VND")
	s2.wantText("#revisions", "34.567,5 VND") // the first revision stays readable
	s2.wantNone("", s1Name, s1Figs)

	// 7. Supplier 3 declines, with a reason.
	s3.open(inv3, "#f-reason")
	s3.choose("f-reason", string(sihub.DeclineCapacity))
	s3.fill("f-note", "Máy ép 250 t kín lịch đến quý sau.")
	s3.follow("decline", chromedp.Click(chromedp.CSS(`form[action$="/decline"] button[type="submit"]`)), "main .banner")
	if s3.exists(`button[name="action"]`) {
		s3.fatalf("after declining the quote form is still offered")
	}
	s3.wantNone("", s1Name, s1Figs)
	s3.wantNone("", s2Name, s2Figs)

	// The round is sealed: before the deadline the buyer and supplier 1
	// see no other figure.
	buyer.open(roundPath, "#quotes")
	buyer.wantNone("", s1Name, s1Figs)
	buyer.wantNone("", s2Name, s2Figs)
	buyer.wantText("#quotes", "2 quotes received")
	s1.wantNone(inv1, s2Name, s2Figs)
	if time.Now().After(deadline) {
		t.Fatalf("the story took until %v, past the deadline %v: the browser is too slow for this journey", time.Now(), deadline)
	}

	// 8. The deadline passes.
	t.Logf("waiting %s for the deadline", time.Until(deadline).Round(time.Second))
	time.Sleep(time.Until(deadline) + 2*time.Second)

	// Nothing more is accepted, and still no supplier sees another's price.
	s2.open(inv2, "#round")
	if s2.exists(`button[name="action"]`) {
		s2.fatalf("after the deadline the quote form is still offered")
	}
	for _, p := range reach(inv2) {
		s2.wantNone(p, s1Name, s1Figs)
	}
	for _, p := range reach(inv1) {
		s1.wantNone(p, s2Name, s2Figs)
	}
	for _, p := range reach(inv3) {
		s3.wantNone(p, s1Name, s1Figs)
		s3.wantNone("", s2Name, s2Figs)
	}

	// 9. The buyer compares: both quotes with their landed cost, the
	// cheapest first, and the second supplier's revisions.
	buyer.open(roundPath, "#quotes table")
	rows, err := chromedp.Run(buyer.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#quotes table tbody tr')].map(r => r.innerText)`))
	if err != nil {
		buyer.fatalf("read the comparison: %v", err)
	}
	if len(rows) != 2 || !strings.Contains(rows[0], s1Name) || !strings.Contains(rows[1], s2Name) {
		buyer.fatalf("the comparison lists %q; want %s (cheapest landed) then %s", rows, s1Name, s2Name)
	}
	// Landed unit cost: the price break at 120,000 pcs a year plus the
	// tooling spread over them, shown in whole đồng.
	landed1, landed2 := 21987.25+87654321.0/120000, 32109.75+76543210.0/120000
	for i, want := range []float64{landed1, landed2} {
		if w := strconv.Itoa(int(math.Round(want))); !strings.Contains(strings.ReplaceAll(rows[i], ",", ""), w) {
			buyer.fatalf("row %d reads %q; want the landed cost %.2f VND", i+1, rows[i], want)
		}
	}
	buyer.wantText("#quotes table", "32,109.75 VND")
	if !buyer.mark(`[...document.querySelectorAll('#quotes table tbody tr')][1].querySelector('a[href*="rev="]')`) {
		buyer.fatalf("no link to the second supplier's revisions")
	}
	buyer.follow("open the revisions", chromedp.Click(chromedp.CSS("[data-journey]")), "#revisions")
	buyer.wantText("#revisions + table", "34,567.5 VND")
	buyer.wantText("#revisions + table", "33,456.25 VND")

	// 10. The buyer awards supplier 1 on the pipeline page.
	buyer.follow("open the pipeline", chromedp.Click(chromedp.CSS(`main a[href$="/cases"]`)), "main table")
	if !buyer.mark(`[...document.querySelectorAll('main table tbody tr')].find(r => r.cells[0].textContent.includes(%s))`, s1Name) {
		buyer.fatalf("the pipeline has no case for %s", s1Name)
	}
	row := buyer.attr("[data-journey]", "id")
	buyer.setValue("#"+row+` select[name="stage"]`, string(sihub.StageAwarded))
	buyer.do("open the contract fields", chromedp.Click(chromedp.CSS("#"+row+" details summary")))
	buyer.typeInto("#"+row+` input[name="contract_value"]`, "2,726,172,000")
	buyer.setValue("#"+row+` select[name="currency"]`, "VND")
	buyer.typeInto("#"+row+` input[name="note"]`, "Best landed cost; PO to follow.")
	buyer.follow("award", chromedp.Click(chromedp.CSS("#"+row+` button[type="submit"]`)), "main table")
	buyer.wantText("#"+row, "2,726,172,000 VND")
	if buyer.exists("#" + row + ` form[action$="/move"]`) {
		buyer.fatalf("an awarded case can still be moved")
	}

	// 11. The center's board counts the award.
	staff.open("/board", "#stages")
	awarded, ofBuyer := staff.boardCounts(buyerName)
	if awarded != awardedBefore+1 || ofBuyer != buyerBefore+1 {
		staff.fatalf("the board counts %d awarded cases (%d of %s); want %d (%d)", awarded, ofBuyer, buyerName, awardedBefore+1, buyerBefore+1)
	}
	t.Logf("journey took %s", time.Since(start).Round(time.Millisecond))
}
