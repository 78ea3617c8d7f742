package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

// oppWorld: two verified molders, A with IATF 16949 and B without, an
// unverified molder C with it, and a buyer with demands: one A qualifies
// for and B nearly does (lacks IATF 16949), a center-only one, one nobody
// can make (die casting), a closed one.
type oppWorld struct {
	A, B, C                          *sihub.Company
	housing, secret, casting, closed *sihub.Demand
	buyerTax                         string
}

const oppPrice = 98765.43 // a target price no page or answer may show

func newOppWorld(t *testing.T, e *testEnv) *oppWorld {
	t.Helper()
	ctx := context.Background()
	w := &oppWorld{buyerTax: taxCode(40)}
	w.A = e.seed(&sihub.Company{TaxCode: taxCode(41), Name: "Công ty TNHH Nhựa An Phát", CapabilitiesText: "Ép phun nhựa",
		CertificationsText: "IATF 16949", ProvinceInput: "TP. Hồ Chí Minh", Employees: 120})
	w.B = e.seed(&sihub.Company{TaxCode: taxCode(42), Name: "Công ty TNHH Nhựa Bình Minh", CapabilitiesText: "Ép phun nhựa",
		CertificationsText: "ISO 9001", ProvinceInput: "Bình Dương", Employees: 80})
	w.C = e.seed(&sihub.Company{TaxCode: taxCode(43), Name: "Công ty TNHH Nhựa Chưa Xác Minh", CapabilitiesText: "Ép phun nhựa",
		CertificationsText: "IATF 16949", ProvinceInput: "Long An"})
	for _, c := range []*sihub.Company{w.A, w.B} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		c.Verified = true
	}
	demand := func(ref, title, titleEn, procs, certs string, edit func(*sihub.Demand)) *sihub.Demand {
		d := &sihub.Demand{BuyerTaxCode: w.buyerTax, BuyerName: "Power Tools Vietnam Co., Ltd", Ref: ref, Title: title, TitleEn: titleEn,
			ProcessesText: procs, CertificationsText: certs, Status: sihub.DemandOpen, Visibility: sihub.VisibleVerified}
		if edit != nil {
			edit(d)
		}
		if _, err := match.PrepareDemand(d); err != nil {
			t.Fatalf("PrepareDemand %s: %v", ref, err)
		}
		return d
	}
	w.housing = demand("PT-001", "Vỏ pin máy khoan", "Drill battery housing", "injection molding", "IATF 16949", func(d *sihub.Demand) {
		d.TargetPrice, d.Currency = oppPrice, "USD"
	})
	w.secret = demand("PT-002", "Nắp công tắc", "Switch cover", "injection molding", "", func(d *sihub.Demand) {
		d.Visibility = sihub.VisibleCenter
		d.TargetPrice, d.Currency = oppPrice, "USD"
	})
	w.casting = demand("PT-003", "Thân hộp số đúc nhôm", "Gearbox casing", "die casting", "", nil)
	w.closed = demand("PT-004", "Tay cầm", "Handle", "injection molding", "", func(d *sihub.Demand) { d.Status = sihub.DemandClosed })
	if _, _, err := e.db.UpsertDemands(ctx, []*sihub.Demand{w.housing, w.secret, w.casting, w.closed}); err != nil {
		t.Fatal(err)
	}
	return w
}

type oppAnswer struct {
	CompanyID int64 `json:"company_id"`
	Items     []struct {
		Demand struct {
			ID    int64  `json:"id"`
			URL   string `json:"url"`
			Title string `json:"title"`
		} `json:"demand"`
		Qualified bool     `json:"qualified"`
		Reasons   []string `json:"reasons"`
		Gaps      []string `json:"gaps"`
	} `json:"items"`
	Qualified  int `json:"qualified"`
	NearMisses int `json:"near_misses"`
}

func (a oppAnswer) ids() []int64 {
	var out []int64
	for _, it := range a.Items {
		out = append(out, it.Demand.ID)
	}
	return out
}

func TestOpportunities(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newOppWorld(t, e)
		memberA, memberB := e.user(sihub.RoleCompanyMember, w.A.ID), e.user(sihub.RoleCompanyAdmin, w.B.ID)
		memberC := e.user(sihub.RoleCompanyMember, w.C.ID)
		api := func(u *sihub.User, c *sihub.Company) (oppAnswer, string) {
			t.Helper()
			r := e.do(req{url: pathf("/api/v1/companies/%d/opportunities", c.ID), as: u, lang: "en"})
			if r.Code != http.StatusOK {
				t.Fatalf("opportunities of %s as %s: %d %s", c.Name, u.Email, r.Code, r.Body)
			}
			return decode[oppAnswer](t, r), r.Body.String()
		}

		// A qualifies for the housing; the center-only demand, which it
		// also qualifies for, stays hidden from its people.
		a, body := api(memberA, w.A)
		if !slices.Equal(a.ids(), []int64{w.housing.ID}) || !a.Items[0].Qualified || a.Qualified != 1 || a.NearMisses != 0 {
			t.Fatalf("A's opportunities %s, want the housing only, qualified", body)
		}
		if it := a.Items[0]; len(it.Reasons) == 0 || len(it.Gaps) != 0 || it.Demand.URL != pathf("/demands/%d", w.housing.ID) ||
			it.Demand.Title != "Vỏ pin máy khoan" {
			t.Errorf("A's housing %+v", it)
		}
		for _, leak := range []string{"98765", "target_price", "Switch cover", "Nắp công tắc"} {
			if strings.Contains(body, leak) {
				t.Errorf("A's opportunities show %q: %s", leak, body)
			}
		}

		// B nearly qualifies: it lacks IATF 16949, and says so.
		b, body := api(memberB, w.B)
		if !slices.Equal(b.ids(), []int64{w.housing.ID}) || b.Items[0].Qualified || b.NearMisses != 1 {
			t.Fatalf("B's opportunities %s, want the housing as a near miss", body)
		}
		if gaps := strings.Join(b.Items[0].Gaps, " | "); !strings.Contains(gaps, "IATF 16949") {
			t.Errorf("B's gaps %q do not name IATF 16949", gaps)
		}

		// The center sees A's center-only opportunity too, never the price.
		s, body := api(e.staff(), w.A)
		ids := s.ids()
		slices.Sort(ids)
		if !slices.Equal(ids, []int64{w.housing.ID, w.secret.ID}) {
			t.Errorf("A's opportunities as staff %v, want housing and the center-only demand", s.ids())
		}
		if strings.Contains(body, "98765") {
			t.Errorf("the opportunities show a target price: %s", body)
		}

		// An unverified company's people see no demand, and the page says why.
		if c, _ := api(memberC, w.C); len(c.Items) != 0 {
			t.Errorf("an unverified company sees %v", c.ids())
		}
		page := e.do(req{url: pathf("/companies/%d/opportunities", w.C.ID), as: memberC, lang: "en"})
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "has not verified the company yet") {
			t.Errorf("C's page: %d %.2000s", page.Code, page.Body)
		}

		// The page, in both languages.
		for _, lang := range []string{"vi", "en"} {
			page := e.do(req{url: pathf("/companies/%d/opportunities", w.B.ID), as: memberB, lang: lang})
			html := page.Body.String()
			title := map[string]string{"vi": "Vỏ pin máy khoan", "en": "Drill battery housing"}[lang]
			if page.Code != http.StatusOK || !strings.Contains(html, title) || !strings.Contains(html, "IATF 16949") ||
				!strings.Contains(html, pathf(`href="/demands/%d"`, w.housing.ID)) || !strings.Contains(html, "Power Tools Vietnam") {
				t.Errorf("B's page in %s: %d %.3000s", lang, page.Code, html)
			}
			for _, leak := range []string{"98765", "98.765", "Switch cover", "Nắp công tắc", "??"} {
				if strings.Contains(html, leak) {
					t.Errorf("B's page in %s shows %q", lang, leak)
				}
			}
		}

		// Others' opportunities are not for other companies.
		if r := e.do(req{url: pathf("/api/v1/companies/%d/opportunities", w.A.ID), as: memberB}); r.Code != http.StatusForbidden {
			t.Errorf("B asking A's opportunities: %d", r.Code)
		}
		if r := e.do(req{url: pathf("/api/v1/companies/%d/other", w.A.ID), as: memberA}); r.Code != http.StatusNotFound {
			t.Errorf("another view: %d", r.Code)
		}
		if r := e.do(req{url: "/api/v1/companies/by-tax-code/" + w.A.TaxCode}); r.Code != http.StatusOK {
			t.Errorf("by tax code next to the opportunities route: %d", r.Code)
		}
	})
}

type gapAnswer struct {
	Items []struct {
		Demand struct {
			ID  int64  `json:"id"`
			Ref string `json:"ref"`
		} `json:"demand"`
		Sectors    []string `json:"sectors"`
		Qualified  int      `json:"qualified"`
		NearMisses int      `json:"near_misses"`
		Closest    *struct {
			CompanyID int64    `json:"company_id"`
			Name      string   `json:"name"`
			Gaps      []string `json:"gaps"`
		} `json:"closest"`
	} `json:"items"`
	Total int `json:"total"`
}

func TestSupplyGaps(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newOppWorld(t, e)
		gaps := func(query string) gapAnswer {
			t.Helper()
			r := e.do(req{url: "/api/v1/gaps" + query, as: e.staff(), lang: "en"})
			if r.Code != http.StatusOK {
				t.Fatalf("gaps%s: %d %s", query, r.Code, r.Body)
			}
			return decode[gapAnswer](t, r)
		}
		all := gaps("")
		var refs []string
		for _, it := range all.Items {
			refs = append(refs, it.Demand.Ref)
		}
		// Open demands only, the fewest qualified first: the casting (none),
		// the center-only cover (A and C qualify: the view counts every
		// supplier), the housing (A, C; B a near miss).
		if !slices.Equal(refs, []string{"PT-003", "PT-001", "PT-002"}) && !slices.Equal(refs, []string{"PT-003", "PT-002", "PT-001"}) || all.Total != 3 {
			t.Fatalf("gaps %v", refs)
		}
		byRef := map[string]int{}
		for i, it := range all.Items {
			byRef[it.Demand.Ref] = i
		}
		housing := all.Items[byRef["PT-001"]]
		if housing.Qualified != 2 || housing.NearMisses != 1 || housing.Closest == nil || housing.Closest.CompanyID != w.B.ID ||
			!strings.Contains(strings.Join(housing.Closest.Gaps, " "), "IATF 16949") || !slices.Contains(housing.Sectors, "rubber_plastic") {
			t.Errorf("housing %+v", housing)
		}
		if c := all.Items[byRef["PT-003"]]; c.Qualified != 0 || c.NearMisses != 0 || c.Closest != nil {
			t.Errorf("casting %+v", c)
		}
		// Filters: none qualified; by buyer; by sector.
		if g := gaps("?none=1"); len(g.Items) != 1 || g.Items[0].Demand.Ref != "PT-003" {
			t.Errorf("none=1: %+v", g)
		}
		if g := gaps("?buyer=" + w.buyerTax); g.Total != 3 {
			t.Errorf("by buyer: %d", g.Total)
		}
		if g := gaps("?buyer=" + taxCode(41)); g.Total != 0 {
			t.Errorf("by a buyer with no demand: %d", g.Total)
		}
		if g := gaps("?sector=rubber_plastic"); g.Total != 2 {
			t.Errorf("by sector rubber_plastic: %d, want the two molded parts", g.Total)
		}
		for _, bad := range []string{"?sector=plastics", "?buyer=123"} {
			if r := e.do(req{url: "/api/v1/gaps" + bad, as: e.staff()}); r.Code != http.StatusBadRequest {
				t.Errorf("gaps%s: %d", bad, r.Code)
			}
		}
		// Asked again, the counts come from the cache and agree.
		if again := gaps(""); again.Total != all.Total || again.Items[byRef["PT-001"]].Qualified != 2 {
			t.Errorf("again: %+v", again)
		}
		// B gets the certificate: the housing has one more qualified
		// supplier and no near miss.
		b, err := e.db.Company(context.Background(), w.B.ID)
		if err != nil {
			t.Fatal(err)
		}
		b.CertificationsText = "ISO 9001, IATF 16949"
		if err := match.Prepare(b); err != nil {
			t.Fatal(err)
		}
		if err := e.db.UpdateCompany(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		for _, it := range gaps("").Items {
			if it.Demand.Ref == "PT-001" && (it.Qualified != 3 || it.NearMisses != 0) {
				t.Errorf("after B's certificate the housing counts %d qualified, %d near", it.Qualified, it.NearMisses)
			}
		}

		// The page, and the XLSX export with a header in the request's language.
		for _, lang := range []string{"vi", "en"} {
			page := e.do(req{url: "/gaps?none=1", as: e.staff(), lang: lang})
			if html := page.Body.String(); page.Code != http.StatusOK || !strings.Contains(html, "PT-003") || strings.Contains(html, "PT-001") || strings.Contains(html, "??") {
				t.Errorf("gaps page in %s: %d %.2000s", lang, page.Code, html)
			}
		}
		x := e.do(req{url: "/gaps.xlsx", as: e.staff(), lang: "en"})
		if x.Code != http.StatusOK || x.Header().Get("Content-Type") != sihub.TypeXLSX {
			t.Fatalf("gaps.xlsx: %d %s", x.Code, x.Header().Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Supply gaps")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][0] != "Buyer tax code" || rows[0][5] != "Qualified" {
			t.Fatalf("xlsx rows %q", rows)
		}
		if r := rows[1]; r[0] != w.buyerTax || r[2] != "PT-003" || r[5] != "0" || r[6] != "0" {
			t.Errorf("first row %q", r)
		}
		var housingRow []string
		for _, r := range rows[1:] {
			if r[2] == "PT-001" {
				housingRow = r
			}
		}
		if housingRow == nil || housingRow[5] != "3" || !strings.HasSuffix(housingRow[9], pathf("/demands/%d", w.housing.ID)) {
			t.Errorf("housing row %q", housingRow)
		}
		vi := e.do(req{url: "/gaps.xlsx?" + url.Values{"none": {"1"}}.Encode(), as: e.staff(), lang: "vi"})
		fv, err := excelize.OpenReader(bytes.NewReader(vi.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer fv.Close()
		if rows, err := fv.GetRows("Thiếu nhà cung cấp"); err != nil || len(rows) != 2 || rows[0][0] != "MST bên mua" {
			t.Errorf("Vietnamese export with none=1: %q %v", rows, err)
		}
	})
}

// The notification setting, by form and API.
func TestNotifySetting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newOppWorld(t, e)
		u := e.user(sihub.RoleCompanyMember, w.A.ID)
		page := e.do(req{url: "/account", as: u, lang: "en"}).Body.String()
		if !strings.Contains(page, `action="/account/notify"`) || !strings.Contains(page, `value="immediate" checked`) ||
			!strings.Contains(page, pathf("/companies/%d/opportunities", w.A.ID)) {
			t.Errorf("account page lacks the notification form: %.3000s", page)
		}
		r := e.postAs(u, "/account/notify", url.Values{"notify": {"daily"}}, "en")
		if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/account?done=account.notify") {
			t.Fatalf("form: %d %s", r.Code, r.Header().Get("Location"))
		}
		if got, _ := e.db.User(context.Background(), u.ID); got.Notify != sihub.NotifyDaily {
			t.Errorf("after the form: %q", got.Notify)
		}
		if page := e.do(req{url: "/account?done=account.notify", as: u, lang: "vi"}).Body.String(); !strings.Contains(page, `value="daily" checked`) ||
			!strings.Contains(page, "Đã lưu cách nhận thông báo") {
			t.Errorf("account page after saving: %.3000s", page)
		}
		r = e.apiJSON(http.MethodPut, "/api/v1/me/notify", map[string]string{"notify": "none"}, u)
		if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `"notify":"none"`) {
			t.Fatalf("API: %d %s", r.Code, r.Body)
		}
		if got, _ := e.db.User(context.Background(), u.ID); got.Notify != sihub.NotifyNone {
			t.Errorf("after the API: %q", got.Notify)
		}
		r = e.apiJSON(http.MethodPut, "/api/v1/me/notify", map[string]string{"notify": "hourly"}, u)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.Body.String(), `"field":"notify"`) {
			t.Errorf("a bad mode: %d %s", r.Code, r.Body)
		}
		if r := e.apiJSON(http.MethodPut, "/api/v1/me/notify", map[string]string{"notify": "daily"}, nil); r.Code != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.Code)
		}
	})
}

// The gap view's counts are kept per index generation, demand version and
// Vietnam day, and only for as long as all three hold.
func TestGapCache(t *testing.T) {
	a := &sihub.Company{ID: 1, TaxCode: taxCode(1), Name: "Nhựa A", CapabilitiesText: "Ép phun nhựa"}
	if err := match.Prepare(a); err != nil {
		t.Fatal(err)
	}
	ix := match.NewIndex([]*sihub.Company{a})
	d := &sihub.Demand{ID: 7, BuyerTaxCode: taxCode(2), Ref: "R-1", TitleEn: "Housing", ProcessesText: "injection molding",
		UpdatedAt: fixedNow}
	if _, err := match.PrepareDemand(d); err != nil {
		t.Fatal(err)
	}
	cache := &gapCache{}
	if st := cache.stats(ix, d, fixedNow); st.Qualified != 1 {
		t.Fatalf("stats %+v", st)
	}
	// A planted entry shows that the second asking reads the cache.
	cache.mu.Lock()
	cache.rows[gapKey{d.ID, d.UpdatedAt}] = gapStats{Qualified: 99}
	cache.mu.Unlock()
	if st := cache.stats(ix, d, fixedNow); st.Qualified != 99 {
		t.Fatalf("not cached: %+v", st)
	}
	// Each case gets its own cache with the stale entry planted, in a fixed
	// order: a map's random order once let one case's planted entry outlive
	// it and fail the last check.
	for _, tc := range []struct {
		name string
		ask  func(c *gapCache) gapStats
	}{
		{"the demand changed", func(c *gapCache) gapStats {
			d2 := *d
			d2.UpdatedAt = d.UpdatedAt.Add(time.Second)
			return c.stats(ix, &d2, fixedNow)
		}},
		{"the next day", func(c *gapCache) gapStats { return c.stats(ix, d, fixedNow.Add(24*time.Hour)) }},
		{"the index changed", func(c *gapCache) gapStats {
			b := &sihub.Company{ID: 2, TaxCode: taxCode(3), Name: "Nhựa B", CapabilitiesText: "Ép phun nhựa"}
			if err := match.Prepare(b); err != nil {
				t.Fatal(err)
			}
			ix.Put(b)
			return c.stats(ix, d, fixedNow)
		}},
	} {
		c := &gapCache{}
		c.stats(ix, d, fixedNow)
		c.mu.Lock()
		c.rows[gapKey{d.ID, d.UpdatedAt}] = gapStats{Qualified: 99}
		c.mu.Unlock()
		if st := tc.ask(c); st.Qualified == 99 {
			t.Errorf("%s: the stale count was served", tc.name)
		}
	}
	if st := cache.stats(ix, d, fixedNow); st.Qualified != 2 {
		t.Errorf("after B joined: %+v", st)
	}
}
