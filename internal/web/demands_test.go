package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/xuri/excelize/v2"
)

// demandWorld is a buyer with demands in every state, another buyer, and
// Vietnamese suppliers: one that makes the buyer's battery housing and
// one whose presses are too small.
type demandWorld struct {
	buyerA, buyerB   *sihub.Company
	maker, small     *sihub.Company
	unverified       *sihub.Company
	open, center     *sihub.Demand // A's, open; shown to verified suppliers / center only
	draft, ofB       *sihub.Demand // A's draft; B's open demand
	buyer, buyerOfB  *sihub.User   // a person of A, of B
	supplier, notYet *sihub.User   // a person of the maker (verified), of the unverified supplier
	official         *sihub.User
}

// The buyer writes in English; the supplier wrote in Vietnamese.
const housingEN = "Battery housing for cordless drill, PC/ABS, injection press ≥ 350 t"

func newDemandWorld(t *testing.T, e *testEnv) *demandWorld {
	t.Helper()
	ctx := context.Background()
	w := &demandWorld{}
	w.buyerA = e.seed(&sihub.Company{Kind: sihub.Buyer, TaxCode: taxCode(201), Name: "Kotobuki Power Tools Việt Nam", ProvinceInput: "Bình Dương"})
	w.buyerB = e.seed(&sihub.Company{Kind: sihub.Buyer, TaxCode: taxCode(202), Name: "Hanshin Motor Vina"})
	w.maker = e.seed(&sihub.Company{TaxCode: taxCode(203), Name: "Công ty TNHH Nhựa Tân Tiến", ProvinceInput: "Bình Dương",
		CapabilitiesText: "ép nhựa PC/ABS, máy ép 80-450 tấn", MaterialsText: "PC/ABS", EquipmentText: "12 máy ép nhựa 80-450 tấn"})
	w.small = e.seed(&sihub.Company{TaxCode: taxCode(204), Name: "Công ty TNHH Nhựa Bình Minh", ProvinceInput: "TP. Hồ Chí Minh",
		CapabilitiesText: "ép nhựa", EquipmentText: "6 máy ép nhựa 120-280 tấn"})
	w.unverified = e.seed(&sihub.Company{TaxCode: taxCode(205), Name: "Công ty TNHH Cơ khí Mới", CapabilitiesText: "tiện CNC"})
	for _, c := range []*sihub.Company{w.maker, w.small} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	w.open = w.create(t, e, &sihub.Demand{BuyerID: w.buyerA.ID, Ref: "P-100", TitleEn: housingEN,
		TargetPrice: 1.25, Currency: "USD", AnnualVolume: 120000, Unit: "pcs", ProvinceInput: "Bình Dương"})
	w.center = w.create(t, e, &sihub.Demand{BuyerID: w.buyerA.ID, Ref: "P-101", Title: "Khuôn ép vỏ máy mài (bí mật)",
		ProcessesText: "làm khuôn", Visibility: sihub.VisibleCenter})
	w.draft = w.create(t, e, &sihub.Demand{BuyerID: w.buyerA.ID, Ref: "P-102", Title: "Bánh răng nhựa POM (nháp)",
		ProcessesText: "ép nhựa", Status: sihub.DemandDraft})
	w.ofB = w.create(t, e, &sihub.Demand{BuyerID: w.buyerB.ID, Ref: "B-1", Title: "Giá đỡ động cơ dập thép", ProcessesText: "dập kim loại"})
	w.buyer = e.user(sihub.RoleCompanyAdmin, w.buyerA.ID)
	w.buyerOfB = e.user(sihub.RoleCompanyMember, w.buyerB.ID)
	w.supplier = e.user(sihub.RoleCompanyMember, w.maker.ID)
	w.notYet = e.user(sihub.RoleCompanyAdmin, w.unverified.ID)
	w.official = e.user(sihub.RoleOfficial, 0)
	return w
}

func (w *demandWorld) create(t *testing.T, e *testEnv, d *sihub.Demand) *sihub.Demand {
	t.Helper()
	if _, err := match.PrepareDemand(d); err != nil {
		t.Fatalf("PrepareDemand %s: %v", d.Ref, err)
	}
	if err := e.db.CreateDemand(context.Background(), d); err != nil {
		t.Fatalf("CreateDemand %s: %v", d.Ref, err)
	}
	return d
}

func TestDemandPagesWhoSeesWhat(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		path := func(d *sihub.Demand, rest string) string { return fmt.Sprintf("/demands/%d%s", d.ID, rest) }
		tests := []struct {
			name      string
			as        *sihub.User
			url       string
			status    int
			want, not []string
		}{
			{"visitor is sent to sign in", nil, "/demands", http.StatusSeeOther, nil, nil},
			{"visitor on a demand", nil, path(w.open, ""), http.StatusSeeOther, nil, nil},
			{"official may not list", w.official, "/demands", http.StatusForbidden, nil, nil},
			{"supplier lists open demands", w.supplier, "/demands", http.StatusOK,
				[]string{"Battery housing", "Giá đỡ động cơ"}, []string{"bí mật", "nháp", "1.25", "USD"}},
			{"unverified company sees none", w.notYet, "/demands", http.StatusOK,
				[]string{"only to companies the center has verified"}, []string{"Battery housing"}},
			{"supplier on the open demand", w.supplier, path(w.open, ""), http.StatusOK,
				[]string{"Battery housing", "Kotobuki", "120,000 pcs", "Injection molding machine ≥ 350 t"},
				[]string{"1.25", "USD", "Target price", "Near misses", "Nhựa Bình Minh"}},
			{"supplier on a center-only demand", w.supplier, path(w.center, ""), http.StatusNotFound, nil, []string{"bí mật"}},
			{"supplier on a draft", w.supplier, path(w.draft, ""), http.StatusNotFound, nil, []string{"nháp"}},
			{"supplier may not edit", w.supplier, path(w.open, "/edit"), http.StatusForbidden, nil, nil},
			{"buyer lists its own", w.buyer, "/demands", http.StatusOK,
				[]string{"Battery housing", "bí mật", "nháp"}, []string{"Giá đỡ động cơ"}},
			{"buyer sees open demands of others", w.buyer, "/demands?scope=open", http.StatusOK,
				nil, []string{"Giá đỡ động cơ", "bí mật"}}, // A is not verified
			{"buyer sees the target price", w.buyer, path(w.open, ""), http.StatusOK,
				[]string{"1.25 USD", "Suppliers (1 qualified)", "Near misses (1)", "Nhựa Tân Tiến"}, nil},
			{"buyer of B may not see A's draft", w.buyerOfB, path(w.draft, ""), http.StatusNotFound, nil, nil},
			{"buyer of B may not edit A's demand", w.buyerOfB, path(w.open, "/edit"), http.StatusNotFound, nil, nil},
			{"staff filter by buyer", e.staff(), "/demands?buyer_tax_code=" + w.buyerB.TaxCode, http.StatusOK,
				[]string{"Giá đỡ động cơ"}, []string{"Battery housing"}},
			{"staff filter by status", e.staff(), "/demands?status=draft", http.StatusOK,
				[]string{"nháp"}, []string{"Battery housing"}},
			{"staff search", e.staff(), "/demands?q=banh+rang", http.StatusOK, []string{"nháp"}, []string{"Battery housing"}},
			{"staff bad status", e.staff(), "/demands?status=lost", http.StatusOK, []string{"Parameter status"}, nil},
			{"staff second page", e.staff(), "/demands?limit=2&offset=2", http.StatusOK,
				[]string{"Demands 3–4 of 4", `href="/demands?limit=2" rel="prev"`, "nháp", "Giá đỡ động cơ"}, []string{"Battery housing", `rel="next"`}},
			{"staff first page", e.staff(), "/demands?limit=2", http.StatusOK,
				[]string{"Demands 1–2 of 4", `href="/demands?limit=2&amp;offset=2" rel="next"`, "Battery housing"}, []string{"nháp"}},
			{"staff for a buyer", e.staff(), "/demands/new?buyer_tax_code=" + w.buyerB.TaxCode, http.StatusOK,
				[]string{`value="` + w.buyerB.TaxCode + `"`}, []string{"readonly"}},
		}
		for _, tt := range tests {
			r := e.do(req{url: tt.url, as: tt.as, lang: "en"})
			if r.Code != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, r.Code, tt.status)
				continue
			}
			if tt.status == http.StatusSeeOther && !strings.HasPrefix(r.Header().Get("Location"), "/signin") {
				t.Errorf("%s: sent to %q", tt.name, r.Header().Get("Location"))
			}
			body := r.Body.String()
			// Text as shown, or markup as written.
			has := func(s string) bool { return strings.Contains(body, htmlEscape(s)) || strings.Contains(body, s) }
			for _, s := range tt.want {
				if !has(s) {
					t.Errorf("%s: %q not on the page", tt.name, s)
				}
			}
			for _, s := range tt.not {
				if has(s) {
					t.Errorf("%s: %q on the page", tt.name, s)
				}
			}
		}
	})
}

// A buyer's English part list finds the Vietnamese supplier, with the
// reasons, and the near-miss tab names what the other lacks.
func TestDemandMatchesPage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		page := e.do(req{url: fmt.Sprintf("/demands/%d", w.open.ID), as: w.buyer, lang: "en"}).Body.String()
		qualified := page[strings.Index(page, `id="matches"`):]
		for _, s := range []string{"Nhựa Tân Tiến", "Plastic injection molding ✓ from", "Injection molding machine 450 t ≥ 350 t ✓", "has worked PC/ABS"} {
			if !strings.Contains(qualified, htmlEscape(s)) {
				t.Errorf("qualified tab lacks %q", s)
			}
		}
		if strings.Contains(qualified, "Nhựa Bình Minh") {
			t.Error("the near miss is among the qualified")
		}
		// What was inferred is marked for the buyer to check.
		if !strings.Contains(page, "Read from the title and description — check it") {
			t.Error("inferred requirements are not marked")
		}
		near := e.do(req{url: fmt.Sprintf("/demands/%d?tab=near", w.open.ID), as: w.buyer, lang: "en"}).Body.String()
		near = near[strings.Index(near, `id="matches"`):]
		if !strings.Contains(near, "Nhựa Bình Minh") || !strings.Contains(near, "Injection molding machine 280 t &lt; 350 t needed") ||
			strings.Contains(near, "Nhựa Tân Tiến") {
			t.Errorf("near-miss tab:\n%s", near[:min(len(near), 3000)])
		}
		// Vietnamese by default.
		vi := e.do(req{url: fmt.Sprintf("/demands/%d?tab=near", w.open.ID), as: w.buyer}).Body.String()
		if !strings.Contains(vi, "Gần đạt (1)") || !strings.Contains(vi, "Máy ép nhựa 280 t &lt; 350 t yêu cầu") {
			t.Error("the Vietnamese near-miss tab is missing its gap")
		}
	})
}

type demandJSONOut struct {
	sihub.Demand
	Warnings []localField `json:"warnings"`
}

func TestDemandAPIReading(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		refs := func(l demandList) string {
			var out []string
			for _, d := range l.Items {
				out = append(out, d.Ref)
			}
			return strings.Join(out, " ")
		}
		tests := []struct {
			name   string
			as     *sihub.User
			url    string
			status int
			refs   string
		}{
			{"supplier", w.supplier, "/api/v1/demands", 200, "P-100 B-1"},
			{"supplier asking for drafts is told they are not shown", w.supplier, "/api/v1/demands?status=draft", 400, ""},
			{"supplier by buyer", w.supplier, "/api/v1/demands?buyer_tax_code=" + w.buyerA.TaxCode, 200, "P-100"},
			{"buyer", w.buyer, "/api/v1/demands", 200, "P-100 P-101 P-102"},
			{"buyer by ref", w.buyer, "/api/v1/demands?ref=P-101", 200, "P-101"},
			{"staff", e.staff(), "/api/v1/demands?status=open", 200, "P-100 P-101 B-1"},
			{"staff paging", e.staff(), "/api/v1/demands?limit=2&offset=2", 200, "P-102 B-1"},
			{"staff bad limit", e.staff(), "/api/v1/demands?limit=0", 400, ""},
			{"official", w.official, "/api/v1/demands", 403, ""},
			{"visitor", nil, "/api/v1/demands", 401, ""},
		}
		for _, tt := range tests {
			r := e.do(req{url: tt.url, as: tt.as})
			if r.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, r.Code, tt.status, r.Body.String())
				continue
			}
			if tt.status != 200 {
				continue
			}
			l := decode[demandList](t, r)
			// B-1's buyer sorts first or last by tax code: compare as sets.
			got, want := strings.Fields(refs(l)), strings.Fields(tt.refs)
			if len(got) != len(want) || !sameSet(got, want) {
				t.Errorf("%s: %v, want %v", tt.name, got, want)
			}
			if tt.as == w.supplier && strings.Contains(r.Body.String(), "target_price") {
				t.Errorf("%s: the target price reached a supplier: %s", tt.name, r.Body.String())
			}
		}

		// One demand: the target price for the buyer only.
		one := fmt.Sprintf("/api/v1/demands/%d", w.open.ID)
		if r := e.do(req{url: one, as: w.supplier}); r.Code != 200 || strings.Contains(r.Body.String(), "target_price") || strings.Contains(r.Body.String(), "USD") {
			t.Errorf("supplier reads %d %s", r.Code, r.Body.String())
		}
		if d := decode[demandJSONOut](t, e.do(req{url: one, as: w.buyer})); d.TargetPrice != 1.25 || d.Currency != "USD" {
			t.Errorf("buyer reads %+v", d.Demand)
		}
		for _, d := range []*sihub.Demand{w.center, w.draft} {
			if r := e.do(req{url: fmt.Sprintf("/api/v1/demands/%d", d.ID), as: w.supplier}); r.Code != 404 {
				t.Errorf("supplier reads %s: %d", d.Ref, r.Code)
			}
		}

		// Matches: the buyer's and the center's.
		if r := e.do(req{url: one + "/matches", as: w.supplier}); r.Code != 403 {
			t.Errorf("supplier asks for matches: %d", r.Code)
		}
		r := e.do(req{url: one + "/matches?lang=en", as: w.buyer})
		m := decode[matchesJSON](t, r)
		if r.Code != 200 || m.Qualified != 1 || m.NearMissCount != 1 || len(m.Matches) != 1 || len(m.NearMisses) != 1 {
			t.Fatalf("matches: %d %s", r.Code, r.Body.String())
		}
		if got := m.Matches[0]; got.TaxCode != w.maker.TaxCode || got.Score <= 0 || !strings.Contains(strings.Join(got.Reasons, "|"), "Plastic injection molding ✓") {
			t.Errorf("match %+v", got)
		}
		if got := m.NearMisses[0]; got.TaxCode != w.small.TaxCode || strings.Join(got.Gaps, "|") != "Injection molding machine 280 t < 350 t needed" {
			t.Errorf("near miss %+v", got)
		}
		if m.Demand.TargetPrice != 1.25 {
			t.Errorf("the buyer's demand lost its price: %+v", m.Demand)
		}
		if r := e.do(req{url: one + "/matches?limit=101", as: w.buyer}); r.Code != 400 {
			t.Errorf("limit 101: %d", r.Code)
		}
	})
}

func sameSet(a, b []string) bool {
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestDemandAPIWriting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		body := map[string]any{"ref": "P-200", "title_en": housingEN, "target_price": 2.5, "currency": "USD",
			"deadline": "2026-03-31", "delivery_province_input": "Bình Dương"}
		r := e.apiJSON("POST", "/api/v1/demands", body, w.buyer)
		if r.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Code, r.Body.String())
		}
		d := decode[demandJSONOut](t, r)
		if d.BuyerID != w.buyerA.ID || d.Status != sihub.DemandOpen || !d.IsInferred(sihub.ReqProcesses) ||
			len(d.Processes) != 1 || d.Processes[0] != "injection_molding" || d.MinCapacity == nil || d.MinCapacity.Min != 350 {
			t.Errorf("created %+v", d.Demand)
		}
		if want := time.Date(2026, 3, 31, 16, 59, 59, 999999000, time.UTC); d.Deadline == nil || !d.Deadline.Equal(want) {
			t.Errorf("deadline %v, want the end of 31 March in Vietnam", d.Deadline)
		}
		if r.Header().Get("Location") != fmt.Sprintf("/api/v1/demands/%d", d.ID) {
			t.Errorf("Location %q", r.Header().Get("Location"))
		}
		// The buyer corrects what was inferred: a column makes it declared.
		put := map[string]any{"ref": "P-200", "title_en": housingEN, "processes_text": "ép phun nhựa; làm khuôn",
			"target_price": 2.5, "currency": "USD", "status": "open", "updated_at": d.UpdatedAt.Format(time.RFC3339Nano)}
		r = e.apiJSON("PUT", fmt.Sprintf("/api/v1/demands/%d", d.ID), put, w.buyer)
		if r.Code != 200 {
			t.Fatalf("update: %d %s", r.Code, r.Body.String())
		}
		d2 := decode[demandJSONOut](t, r)
		if d2.IsInferred(sihub.ReqProcesses) || len(d2.Processes) != 2 || d2.Deadline != nil {
			t.Errorf("updated %+v", d2.Demand)
		}
		// The same stale updated_at again: someone changed it meanwhile.
		if r := e.apiJSON("PUT", fmt.Sprintf("/api/v1/demands/%d", d.ID), put, w.buyer); r.Code != http.StatusConflict {
			t.Errorf("stale update: %d %s", r.Code, r.Body.String())
		}
		// A PUT that does not name the price, terms, status or visibility
		// keeps them: hidden stays hidden, nothing is erased.
		hide := map[string]any{"ref": "P-200", "title_en": housingEN, "processes_text": "ép phun nhựa; làm khuôn",
			"status": "draft", "visibility": "center_only", "confidentiality_terms": "NDA 2026"}
		if r := e.apiJSON("PUT", fmt.Sprintf("/api/v1/demands/%d", d.ID), hide, w.buyer); r.Code != 200 {
			t.Fatalf("hide: %d %s", r.Code, r.Body.String())
		}
		bare := map[string]any{"ref": "P-200", "title_en": housingEN + " (rev. B)", "processes_text": "ép phun nhựa; làm khuôn"}
		r = e.apiJSON("PUT", fmt.Sprintf("/api/v1/demands/%d", d.ID), bare, w.buyer)
		if r.Code != 200 {
			t.Fatalf("bare update: %d %s", r.Code, r.Body.String())
		}
		if d3 := decode[demandJSONOut](t, r); d3.Status != sihub.DemandDraft || d3.Visibility != sihub.VisibleCenter ||
			d3.TargetPrice != 2.5 || d3.Currency != "USD" || d3.Terms != "NDA 2026" || d3.TitleEn != housingEN+" (rev. B)" {
			t.Errorf("a bare PUT changed what it did not name: %+v", d3.Demand)
		}
		tests := []struct {
			name, method, url string
			as                *sihub.User
			body              any
			status            int
			field             string
		}{
			{"supplier edits", "PUT", fmt.Sprintf("/api/v1/demands/%d", w.open.ID), w.supplier, map[string]any{"ref": "P-100", "title": "x"}, 403, ""},
			{"buyer B edits A's", "PUT", fmt.Sprintf("/api/v1/demands/%d", w.open.ID), w.buyerOfB, map[string]any{"ref": "P-100", "title": "x"}, 404, ""},
			{"buyer moves a demand", "PUT", fmt.Sprintf("/api/v1/demands/%d", w.open.ID), w.buyer,
				map[string]any{"ref": "P-100", "title": "x", "buyer_tax_code": w.buyerB.TaxCode}, 422, "buyer_tax_code"},
			{"buyer creates for B", "POST", "/api/v1/demands", w.buyer, map[string]any{"buyer_tax_code": w.buyerB.TaxCode, "ref": "X", "title": "x"}, 403, ""},
			{"taken ref", "POST", "/api/v1/demands", w.buyer, map[string]any{"ref": "P-100", "title": "x"}, 409, "ref"},
			{"bad deadline", "POST", "/api/v1/demands", w.buyer, map[string]any{"ref": "P-201", "title": "x", "deadline": "31/3"}, 422, "deadline"},
			{"price without currency", "POST", "/api/v1/demands", w.buyer, map[string]any{"ref": "P-201", "title": "x", "target_price": 3}, 422, "currency"},
			{"bad province", "POST", "/api/v1/demands", w.buyer, map[string]any{"ref": "P-201", "title": "x", "delivery_province_input": "Atlantis"}, 422, "delivery_province_input"},
			{"staff, unknown buyer", "POST", "/api/v1/demands", e.staff(), map[string]any{"buyer_tax_code": taxCode(299), "ref": "X", "title": "x"}, 422, "buyer_tax_code"},
			{"staff, no buyer", "POST", "/api/v1/demands", e.staff(), map[string]any{"ref": "X", "title": "x"}, 422, "buyer_tax_code"},
			{"official", "POST", "/api/v1/demands", w.official, map[string]any{"ref": "X", "title": "x"}, 403, ""},
		}
		for _, tt := range tests {
			r := e.apiJSON(tt.method, tt.url, tt.body, tt.as)
			if r.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, r.Code, tt.status, r.Body.String())
				continue
			}
			if tt.field != "" {
				if b := decode[errBody](t, r); b.field(tt.field) == "" {
					t.Errorf("%s: no problem with %s: %+v", tt.name, tt.field, b.Error)
				}
			}
		}
		// Staff act for any buyer.
		r = e.apiJSON("POST", "/api/v1/demands", map[string]any{"buyer_tax_code": w.buyerB.TaxCode, "ref": "B-2",
			"title": "Vỏ hộp số nhôm đúc áp lực", "visibility": "center_only"}, e.staff())
		if d := decode[demandJSONOut](t, r); r.Code != 201 || d.BuyerID != w.buyerB.ID || d.Visibility != sihub.VisibleCenter {
			t.Errorf("staff create: %d %s", r.Code, r.Body.String())
		}
		// Nothing changed A's open demand.
		if d, err := e.db.Demand(context.Background(), w.open.ID); err != nil || d.Title != w.open.Title || d.BuyerID != w.buyerA.ID {
			t.Errorf("open demand now %+v, %v", d, err)
		}
	})
}

func TestDemandForm(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		if r := e.do(req{url: "/demands/new", as: w.buyer, lang: "en"}); r.Code != 200 || !strings.Contains(r.Body.String(), `value="`+sihub.FormatTaxCode(w.buyerA.TaxCode)+`" readonly`) {
			t.Fatalf("new form: %d", r.Code)
		}
		form := url.Values{"ref": {"F-1"}, "title": {"Vỏ pin máy khoan, nhựa PC/ABS, máy ép ≥ 350 tấn"}, "certifications_text": {"ISO 9001"},
			"annual_volume": {"120.000"}, "target_price": {"12.500"}, "currency": {"VND"}, "status": {"open"}, "visibility": {"verified_suppliers"},
			"buyer_tax_code": {w.buyerB.TaxCode}} // ignored: a buyer creates for its own company
		r := e.postAs(w.buyer, "/demands", form, "en")
		if r.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.Code, r.Body.String())
		}
		d, err := e.db.DemandByRef(context.Background(), w.buyerA.TaxCode, "F-1")
		if err != nil {
			t.Fatal(err)
		}
		if d.AnnualVolume != 120000 || d.TargetPrice != 12500 || !d.IsInferred(sihub.ReqProcesses) || d.IsInferred(sihub.ReqCertifications) {
			t.Errorf("created %+v", d)
		}
		if loc := r.Header().Get("Location"); loc != fmt.Sprintf("/demands/%d?done=demand.created", d.ID) {
			t.Errorf("Location %q", loc)
		}
		page := e.do(req{url: fmt.Sprintf("/demands/%d?done=demand.created", d.ID), as: w.buyer, lang: "en"}).Body.String()
		for _, s := range []string{"The demand was added", "Read from the title and description — check it", "From its own field.", "12,500 VND"} {
			if !strings.Contains(page, s) {
				t.Errorf("detail lacks %q", s)
			}
		}
		// The edit form knows the version it edits; a stale one is refused
		// with what the user typed kept.
		edit := e.do(req{url: fmt.Sprintf("/demands/%d/edit", d.ID), as: w.buyer}).Body.String()
		stamp := d.UpdatedAt.UTC().Format(time.RFC3339Nano)
		if !strings.Contains(edit, `name="updated_at" value="`+stamp+`"`) || !strings.Contains(edit, `value="120000"`) {
			t.Errorf("edit form lacks the version or the volume")
		}
		form.Set("processes_text", "ép phun nhựa")
		form.Set("updated_at", stamp)
		if r := e.postAs(w.buyer, fmt.Sprintf("/demands/%d", d.ID), form, "en"); r.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.Code, r.Body.String())
		}
		d2, _ := e.db.Demand(context.Background(), d.ID)
		if d2.IsInferred(sihub.ReqProcesses) || d2.ProcessesText != "ép phun nhựa" {
			t.Errorf("updated %+v", d2)
		}
		form.Set("title", "Vỏ pin (sửa lần hai)")
		r = e.postAs(w.buyer, fmt.Sprintf("/demands/%d", d.ID), form, "en")
		if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "Someone else changed this demand") || !strings.Contains(r.Body.String(), "sửa lần hai") {
			t.Errorf("stale update: %d", r.Code)
		}
		// Problems beside their fields, in the user's language.
		bad := url.Values{"ref": {""}, "title": {""}, "annual_volume": {"nhiều"}, "deadline": {"mai"}}
		r = e.postAs(w.buyer, "/demands", bad, "vi")
		if body := r.Body.String(); r.Code != 422 || !strings.Contains(body, "Thiếu mã tham chiếu") || !strings.Contains(body, `id="e-annual_volume"`) ||
			!strings.Contains(body, `id="e-deadline"`) || !strings.Contains(body, `id="e-title"`) {
			t.Errorf("invalid form: %d", r.Code)
		}
		// Buyer B may not touch A's demand; A's stays as it was.
		if r := e.postAs(w.buyerOfB, fmt.Sprintf("/demands/%d", w.open.ID), url.Values{"ref": {"P-100"}, "title": {"hijacked"}}, "en"); r.Code != 404 {
			t.Errorf("buyer B posts A's demand: %d", r.Code)
		}
		if r := e.postAs(w.buyerOfB, fmt.Sprintf("/demands/%d/status", w.open.ID), url.Values{"status": {"closed"}}, "en"); r.Code != 404 {
			t.Errorf("buyer B closes A's demand: %d", r.Code)
		}
		if d, _ := e.db.Demand(context.Background(), w.open.ID); d.Title != w.open.Title || d.Status != sihub.DemandOpen {
			t.Errorf("A's demand changed: %+v", d)
		}
		// Staff pick the buyer.
		form = url.Values{"buyer_tax_code": {w.buyerB.TaxCode}, "ref": {"S-1"}, "title": {"Trục thép phay CNC"}}
		if r := e.postForm("/demands", form, "en"); r.Code != http.StatusSeeOther {
			t.Errorf("staff create: %d %s", r.Code, r.Body.String())
		}
		if _, err := e.db.DemandByRef(context.Background(), w.buyerB.TaxCode, "S-1"); err != nil {
			t.Error(err)
		}
		// Closing a demand hides it from suppliers.
		if r := e.postAs(w.buyer, fmt.Sprintf("/demands/%d/status", w.open.ID), url.Values{"status": {"closed"}}, "en"); r.Code != http.StatusSeeOther {
			t.Fatalf("close: %d", r.Code)
		}
		if r := e.do(req{url: fmt.Sprintf("/demands/%d", w.open.ID), as: w.supplier}); r.Code != 404 {
			t.Errorf("supplier sees a closed demand: %d", r.Code)
		}
		if r := e.postAs(w.buyer, fmt.Sprintf("/demands/%d/status", w.open.ID), url.Values{"status": {"lost"}}, "en"); r.Code != 422 {
			t.Errorf("bad status: %d", r.Code)
		}
	})
}

func TestDemandImport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		ctx := context.Background()
		header := "buyer_tax_code,buyer_name,ref,title,title_en,description,capabilities,material,certifications,annual_volume,unit,min_capacity,delivery_province,deadline\n"
		own := header +
			w.buyerA.TaxCode + ",Kotobuki,L-1,,\"" + housingEN + "\",,,,,50000,pcs,,Bình Dương,2026-06-30\n" +
			w.buyerA.TaxCode + ",Kotobuki,L-2,Giá đỡ động cơ,,Phay CNC thép SUS304,,,,,,,,\n"
		upload := func(as *sihub.User, csv string, fields map[string]string, lang string) *httptest.ResponseRecorder {
			body, ctype := multipartBody(t, fields, &filePart{field: "file", name: "parts.csv", ctype: "text/csv", data: []byte(csv)})
			return e.do(req{method: "POST", url: "/demands/import", body: body, ctype: ctype, as: as, lang: lang})
		}

		// A dry run writes nothing and says what would be written.
		r := upload(w.buyer, own, map[string]string{"dry_run": "1"}, "en")
		if r.Code != 200 || !strings.Contains(r.Body.String(), "Importing would add 2 demands and update 0") {
			t.Errorf("dry run: %d %s", r.Code, r.Body.String())
		}
		if _, err := e.db.DemandByRef(ctx, w.buyerA.TaxCode, "L-1"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a dry run wrote: %v", err)
		}
		r = upload(w.buyer, own, nil, "en")
		if r.Code != 200 || !strings.Contains(r.Body.String(), "Saved: 2 new demands, 0 updated.") {
			t.Fatalf("import: %d %s", r.Code, r.Body.String())
		}
		d, err := e.db.DemandByRef(ctx, w.buyerA.TaxCode, "L-1")
		if err != nil || d.Status != sihub.DemandOpen || len(d.Processes) == 0 || !d.IsInferred(sihub.ReqProcesses) {
			t.Fatalf("imported %+v %v", d, err)
		}

		// A buyer's file naming another buyer is rejected whole.
		foreign := header + w.buyerA.TaxCode + ",Kotobuki,L-3,Vỏ nhựa,,,,,,,,,,\n" +
			w.buyerB.TaxCode + ",Hanshin,H-9,Trục,,,,,,,,,,\n"
		r = upload(w.buyer, foreign, nil, "en")
		if body := r.Body.String(); r.Code != 422 || !strings.Contains(body, "you may import only your own company") ||
			!strings.Contains(body, "Demand H-9 names the buyer "+sihub.FormatTaxCode(w.buyerB.TaxCode)) {
			t.Errorf("foreign rows: %d %s", r.Code, body)
		}
		for _, ref := range [][2]string{{w.buyerA.TaxCode, "L-3"}, {w.buyerB.TaxCode, "H-9"}} {
			if _, err := e.db.DemandByRef(ctx, ref[0], ref[1]); sihub.ErrorCode(err) != sihub.ErrNotFound {
				t.Errorf("a rejected file wrote %s: %v", ref[1], err)
			}
		}
		// …by the API too, even when skipping invalid rows.
		r = e.do(req{method: "POST", url: "/api/v1/imports/demands?skip_invalid=1", body: strings.NewReader(foreign), ctype: "text/csv", as: w.buyer})
		if b := decode[errBody](t, r); r.Code != 422 || b.Report == nil || b.Report.Committed || !slices.ContainsFunc(b.Report.Problems, func(p problemJSON) bool {
			return !p.Warning && p.Column == "buyer_tax_code" && strings.Contains(p.Message, "H-9")
		}) {
			t.Errorf("API foreign rows: %d %s", r.Code, r.Body.String())
		}
		// Row problems in the user's language; nothing written.
		invalid := header + w.buyerA.TaxCode + ",Kotobuki,L-4,Vỏ nhựa,,,,,,,,,,\n" + w.buyerA.TaxCode + ",Kotobuki,,Không mã,,,,,,,,,,\n"
		r = upload(w.buyer, invalid, nil, "vi")
		if r.Code != 422 || !strings.Contains(r.Body.String(), "Thiếu mã tham chiếu") {
			t.Errorf("invalid rows: %d %s", r.Code, r.Body.String())
		}
		if _, err := e.db.DemandByRef(ctx, w.buyerA.TaxCode, "L-4"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a rejected file wrote L-4: %v", err)
		}
		// Staff import any buyer's list, creating unknown buyers.
		newBuyer := taxCode(250)
		staffList := header + newBuyer + ",Makita Mới,N-1,Vỏ nhựa ép phun,,,,,,,,,,\n" + w.buyerB.TaxCode + ",Hanshin,H-9,Trục phay CNC,,,,,,,,,,\n"
		r = e.do(req{method: "POST", url: "/api/v1/imports/demands", body: strings.NewReader(staffList), ctype: "text/csv", as: e.staff()})
		if rep := decode[reportJSON](t, r); r.Code != 200 || rep.Created != 2 || !rep.Committed {
			t.Errorf("staff import: %d %s", r.Code, r.Body.String())
		}
		if c, err := e.db.CompanyByTaxCode(ctx, newBuyer); err != nil || c.Kind != sihub.Buyer {
			t.Errorf("new buyer %+v %v", c, err)
		}
		// Officials do not import.
		if r := upload(w.official, own, nil, "en"); r.Code != 403 {
			t.Errorf("official import: %d", r.Code)
		}
	})
}

func TestDemandTemplates(t *testing.T) {
	e := newEnv(t, "sqlite")
	r := e.do(req{url: "/templates/demands.csv", lang: "en"})
	if r.Code != 200 || !strings.HasPrefix(r.Body.String(), "\uFEFFBuyer tax code,Buyer name,Reference,") ||
		!strings.Contains(r.Header().Get("Content-Disposition"), "sihub-demands-template.csv") {
		t.Errorf("csv: %d %q", r.Code, r.Body.String())
	}
	r = e.do(req{url: "/templates/demands.xlsx"})
	x, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) != 1 || rows[0][0] != "Mã số thuế bên mua" || len(rows[0]) != 16 {
		t.Errorf("xlsx rows %v %v", rows, err)
	}
	// A template filled in imports.
	w := newDemandWorld(t, e)
	csv := e.do(req{url: "/templates/demands.csv", lang: "en"}).Body.String() +
		w.buyerA.TaxCode + ",,T-1,Vỏ pin máy khoan,,,ép nhựa,PC/ABS,,5000,pcs,máy ép 350 tấn,Bình Dương,2026-12-31,open,center_only\r\n"
	r = e.do(req{method: "POST", url: "/api/v1/imports/demands", body: strings.NewReader(csv), ctype: "text/csv", as: w.buyer})
	if rep := decode[reportJSON](t, r); r.Code != 200 || rep.Created != 1 {
		t.Fatalf("filled-in template: %d %s", r.Code, r.Body.String())
	}
	d, err := e.db.DemandByRef(context.Background(), w.buyerA.TaxCode, "T-1")
	if err != nil || d.Visibility != sihub.VisibleCenter || d.MinCapacity == nil || d.MinCapacity.Min != 350 || len(d.Inferred) != 0 {
		t.Errorf("imported %+v %v", d, err)
	}
}

// The demand pages have every word in both languages.
func TestDemandPagesBothLanguages(t *testing.T) {
	e := newEnv(t, "sqlite")
	w := newDemandWorld(t, e)
	pages := []struct {
		url string
		as  *sihub.User
	}{
		{"/demands", e.staff()}, {"/demands", w.buyer}, {"/demands?scope=open", w.notYet}, {"/demands?status=x&limit=0", w.supplier},
		{fmt.Sprintf("/demands/%d", w.open.ID), w.buyer}, {fmt.Sprintf("/demands/%d?tab=near", w.open.ID), e.staff()},
		{fmt.Sprintf("/demands/%d", w.open.ID), w.supplier}, {fmt.Sprintf("/demands/%d", w.center.ID), e.staff()},
		{"/demands/new", e.staff()}, {"/demands/new", w.buyer}, {fmt.Sprintf("/demands/%d/edit", w.open.ID), w.buyer},
		{"/demands/import", w.buyer}, {"/demands/import", e.staff()},
	}
	for _, lang := range []string{"vi", "en"} {
		for _, p := range pages {
			r := e.do(req{url: p.url, as: p.as, lang: lang})
			if r.Code != 200 {
				t.Errorf("%s %s: %d", lang, p.url, r.Code)
			}
			if m := missingKey.FindAllString(r.Body.String(), -1); len(m) > 0 {
				t.Errorf("%s %s: missing catalogue keys %v", lang, p.url, m)
			}
		}
		body, ctype := multipartBody(t, map[string]string{"dry_run": "1"}, &filePart{field: "file", name: "p.csv", ctype: "text/csv",
			data: []byte("buyer_tax_code,ref,title\n" + w.buyerA.TaxCode + ",Z-1,\n")})
		r := e.do(req{method: "POST", url: "/demands/import", body: body, ctype: ctype, as: w.buyer, lang: lang})
		if m := missingKey.FindAllString(r.Body.String(), -1); len(m) > 0 || r.Code >= 500 {
			t.Errorf("%s import report: %d, missing %v", lang, r.Code, m)
		}
	}
}

// A verified buyer sees no other buyer's demands, by page, API or id: a
// part list tells what a buyer is about to make; and it posts demands for
// itself only, as a supplier posts none.
func TestBuyersDoNotSeeEachOther(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDemandWorld(t, e)
		if err := e.db.SetVerified(context.Background(), w.buyerB.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		buyerOfB := e.user(sihub.RoleCompanyMember, w.buyerB.ID) // read again: now verified
		page := e.do(req{url: "/demands?scope=open", as: buyerOfB, lang: "en"})
		if body := page.Body.String(); page.Code != 200 || strings.Contains(body, "P-100") || !strings.Contains(body, "registered as a buyer") {
			t.Errorf("B's open scope: %d\n%s", page.Code, body)
		}
		r := e.apiJSON("GET", "/api/v1/demands?scope=open", nil, buyerOfB)
		if r.Code != 200 || strings.Contains(r.Body.String(), "P-100") {
			t.Errorf("B's API list: %d %s", r.Code, r.Body.String())
		}
		if r := e.do(req{url: fmt.Sprintf("/demands/%d", w.open.ID), as: buyerOfB}); r.Code != http.StatusNotFound {
			t.Errorf("B opens A's demand: %d", r.Code)
		}
		// A supplier asking for others' drafts is told they are not shown.
		if r := e.apiJSON("GET", "/api/v1/demands?scope=open&status=draft&lang=en", nil, w.supplier); r.Code != http.StatusBadRequest ||
			!strings.Contains(r.Body.String(), "only while open") {
			t.Errorf("a supplier asks for drafts: %d %s", r.Code, r.Body.String())
		}
		// The supplier sees A's open demand but may not post one.
		if r := e.do(req{url: fmt.Sprintf("/demands/%d", w.open.ID), as: w.supplier}); r.Code != 200 {
			t.Errorf("the supplier opens A's open demand: %d", r.Code)
		}
		r = e.apiJSON("POST", "/api/v1/demands", map[string]any{"ref": "S-1", "title": "Cần gia công ép nhựa PP gấp"}, w.supplier)
		if r.Code != http.StatusForbidden {
			t.Errorf("a supplier posts a demand: %d %s", r.Code, r.Body.String())
		}
	})
}
