package web

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var missingKey = regexp.MustCompile(`\?\?[a-z0-9_.]+\?\?`)

// TestEveryPageBothLanguages renders every page in Vietnamese and English
// and fails on any catalogue key that is missing.
func TestEveryPageBothLanguages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, _ := e.seedDirectory()
		jobID := e.finishedJob(t, "tax_code,name\n0000000000,X\n")

		pages := []string{
			"/",
			"/companies",
			"/companies?q=ep+nhua&process=injection_molding&verified=false&size=medium",
			"/companies?offset=20",
			"/companies?offset=99999&process=nonsense&cert=xyz&include_archived=1",
			fmt.Sprintf("/companies/%d", plastics.ID),
			fmt.Sprintf("/companies/%d", precision.ID),
			"/companies/new",
			fmt.Sprintf("/companies/%d/edit", plastics.ID),
			"/import",
			"/import/" + jobID,
		}
		// The account pages, as the people who see them: visitors, a
		// member who has just signed up, a company admin, staff.
		official := e.user(sihub.RoleOfficial, 0)
		admin := e.user(sihub.RoleCompanyAdmin, plastics.ID)
		newcomer := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: precision.ID, Status: sihub.StatusPending})
		link := func(purpose string) string {
			secret, err := e.db.CreateOneTimeToken(t.Context(), store.OneTimeToken{Purpose: purpose, UserID: newcomer.ID, ExpiresAt: time.Now().Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}
		reset := link(store.PurposeReset)
		type page struct {
			url    string
			as     *sihub.User
			status int
		}
		var all []page
		for _, p := range pages {
			all = append(all, page{p, e.staff(), 200})
		}
		all = append(all,
			page{"/signin?next=/companies", nil, 200}, page{"/signup", nil, 200}, page{"/password/forgot", nil, 200},
			page{"/privacy", nil, 200}, page{"/reset/" + reset, nil, 200}, page{"/reset/nonsense", nil, 404},
			page{"/confirm/nonsense", nil, 404}, page{"/account", newcomer, 200}, page{"/account", admin, 200},
			page{"/account", e.staff(), 200}, page{"/account", official, 200}, page{fmt.Sprintf("/companies/%d", plastics.ID), admin, 200},
			page{fmt.Sprintf("/companies/%d", plastics.ID), newcomer, 200}, page{fmt.Sprintf("/companies/%d", plastics.ID), nil, 200},
		)
		for _, lang := range []string{"vi", "en"} {
			// A confirmation link works once: one per language.
			for _, p := range append(all, page{"/confirm/" + link(store.PurposeConfirm), nil, 200}) {
				w := e.do(req{url: p.url, as: p.as, lang: lang})
				if w.Code != p.status {
					t.Errorf("%s %s: status %d, want %d\n%s", lang, p.url, w.Code, p.status, w.Body.String())
					continue
				}
				body := w.Body.String()
				if m := missingKey.FindAllString(body, -1); len(m) > 0 {
					t.Errorf("%s %s: missing catalogue keys %v", lang, p.url, m)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s %s: not rendered in %s", lang, p.url, lang)
				}
				if got := w.Header().Get("Content-Language"); got != lang {
					t.Errorf("%s %s: Content-Language %q", lang, p.url, got)
				}
			}
			// Error pages, public and staff.
			for _, p := range []string{"/nope", "/companies/999999", "/companies/abc"} {
				w := e.do(req{url: p, lang: lang})
				if w.Code != http.StatusNotFound {
					t.Errorf("%s %s: status %d, want 404", lang, p, w.Code)
				}
				if m := missingKey.FindAllString(w.Body.String(), -1); len(m) > 0 {
					t.Errorf("%s %s: missing catalogue keys %v", lang, p, m)
				}
			}
			w := e.do(req{url: "/companies/new", lang: lang, as: official})
			if w.Code != http.StatusForbidden || missingKey.MatchString(w.Body.String()) {
				t.Errorf("%s forbidden page: %d %s", lang, w.Code, missingKey.FindString(w.Body.String()))
			}
			// Forms shown again with their problems.
			for _, f := range []struct {
				path string
				form url.Values
				as   *sihub.User
			}{
				{"/signin", url.Values{"email": {"x@example.vn"}, "password": {"sai mật khẩu rồi"}}, nil},
				{"/signup", url.Values{"email": {"x"}, "tax_code": {"123"}}, nil},
				{"/password/forgot", url.Values{"email": {"x"}}, nil},
				{"/reset/" + reset, url.Values{"password": {"ngắn"}}, nil},
				{"/account", url.Values{"name": {strings.Repeat("x", 300)}}, admin},
				{"/account/password", url.Values{"password": {"a"}, "password2": {"b"}}, admin},
				{"/account/tokens", url.Values{"name": {""}}, admin},
				{"/account/tokens", url.Values{"name": {"ok"}, "scope": {"read"}}, admin},
			} {
				w := e.postAs(f.as, f.path, f.form, lang)
				if w.Code == http.StatusSeeOther || w.Code >= 500 {
					t.Errorf("%s POST %s: %d", lang, f.path, w.Code)
				}
				if m := missingKey.FindAllString(w.Body.String(), -1); len(m) > 0 {
					t.Errorf("%s POST %s: missing catalogue keys %v", lang, f.path, m)
				}
			}
			w = e.do(req{method: "POST", url: "/companies", lang: lang})
			if w.Code != http.StatusUnauthorized || missingKey.MatchString(w.Body.String()) || !strings.Contains(w.Body.String(), `href="/signin"`) {
				t.Errorf("%s sign-in page: %d %s", lang, w.Code, missingKey.FindString(w.Body.String()))
			}
		}
	})
}

// TestCatalogueComplete checks every catalogue entry has both languages.
func TestCatalogueComplete(t *testing.T) {
	for k, m := range catalogue {
		if strings.TrimSpace(m.VI) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s: missing a language: %+v", k, m)
		}
		if strings.Count(m.VI, "%") != strings.Count(m.EN, "%") {
			t.Errorf("%s: the two languages take different arguments: %q / %q", k, m.VI, m.EN)
		}
	}
	if got := tr(sihub.EN, "no.such.key"); got != "??no.such.key??" {
		t.Errorf("unknown key renders %q", got)
	}
}

func TestLanguageChoice(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		tests := []struct {
			name   string
			r      req
			wantVI bool
		}{
			{"default", req{url: "/"}, true},
			{"accept-language en", req{url: "/", header: http.Header{"Accept-Language": {"en-US,en;q=0.9"}}}, false},
			{"accept-language vi first", req{url: "/", header: http.Header{"Accept-Language": {"vi,en;q=0.5"}}}, true},
			{"accept-language other", req{url: "/", header: http.Header{"Accept-Language": {"fr-FR"}}}, true},
			{"cookie beats accept-language", req{url: "/", lang: "vi", header: http.Header{"Accept-Language": {"en"}}}, true},
			{"cookie en", req{url: "/", lang: "en"}, false},
			{"query beats cookie", req{url: "/?lang=en", lang: "vi"}, false},
		}
		for _, tt := range tests {
			w := e.do(tt.r)
			isVI := strings.Contains(w.Body.String(), `<html lang="vi">`)
			if isVI != tt.wantVI {
				t.Errorf("%s: Vietnamese = %v, want %v", tt.name, isVI, tt.wantVI)
			}
		}
	})
}

func TestLangSwitch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		tests := []struct {
			url, wantLoc string
			wantStatus   int
		}{
			{"/lang/en?next=/companies%3Fq%3Dabs", "/companies?q=abs", http.StatusSeeOther},
			{"/lang/vi", "/", http.StatusSeeOther},
			{"/lang/en?next=//evil.example/x", "/", http.StatusSeeOther},
			{"/lang/en?next=https://evil.example/", "/", http.StatusSeeOther},
			{"/lang/en?next=/%5Cevil.example", "/", http.StatusSeeOther},
			{"/lang/en?next=javascript:alert(1)", "/", http.StatusSeeOther},
			{"/lang/en?next=/ok%0d%0aSet-Cookie:x=y", "/", http.StatusSeeOther},
			{"/lang/fr?next=/", "", http.StatusNotFound},
		}
		for _, tt := range tests {
			w := e.get(tt.url)
			if w.Code != tt.wantStatus {
				t.Errorf("%s: status %d, want %d", tt.url, w.Code, tt.wantStatus)
				continue
			}
			if tt.wantStatus != http.StatusSeeOther {
				continue
			}
			if loc := w.Header().Get("Location"); loc != tt.wantLoc {
				t.Errorf("%s: Location %q, want %q", tt.url, loc, tt.wantLoc)
			}
			c := w.Result().Cookies()
			if len(c) != 1 || c[0].Name != "lang" || c[0].MaxAge < 30*24*3600 || c[0].Path != "/" {
				t.Errorf("%s: cookie %+v", tt.url, c)
			}
		}
		// The switch links on a page come back to it, without ?lang=.
		body := e.get("/companies?q=abs&lang=en").Body.String()
		if !strings.Contains(body, `href="/lang/vi?next=%2Fcompanies%3Fq%3Dabs"`) {
			t.Errorf("language switch link not found in page")
		}
	})
}

func TestHomePage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		body := e.do(req{url: "/", lang: "en"}).Body.String()
		for _, want := range []string{">28<", "companies", `href="/companies?process=`, "Top processes"} {
			if !strings.Contains(body, want) {
				t.Errorf("home page lacks %q", want)
			}
		}
		if strings.Contains(body, `href="/companies/new"`) {
			t.Error("home page shows staff buttons to the public")
		}
		if !strings.Contains(e.staffGet("/", "en").Body.String(), `href="/companies/new"`) {
			t.Error("home page hides staff buttons from staff")
		}
	})
}

func TestDirectoryPage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, casting := e.seedDirectory()
		tests := []struct {
			name, url string
			status    int
			want, not []string
		}{
			{name: "all, first page", url: "/companies", status: 200,
				want: []string{"1–20", "28", `rel="next"`, `href="/companies?offset=20"`}},
			{name: "second page", url: "/companies?offset=20", status: 200,
				want: []string{"21–28", `rel="prev"`}, not: []string{`rel="next"`}},
			{name: "province facet", url: "/companies?province=75", status: 200,
				want: []string{casting.Name}, not: []string{plastics.Name}},
			{name: "verified facet", url: "/companies?verified=true", status: 200,
				want: []string{"No companies match"}, not: []string{plastics.Name}},
			{name: "size facet", url: "/companies?size=large", status: 200,
				want: []string{precision.Name}, not: []string{plastics.Name, casting.Name}},
			{name: "kind", url: "/companies?kind=buyer", status: 200,
				want: []string{casting.Name}, not: []string{plastics.Name}},
			{name: "sort by employees keeps filters in links", url: "/companies?sort=employees&size=small", status: 200,
				want: []string{`<option value="employees" selected>`, "sort=employees"}},
			// Filter values that cannot be read are named above the results
			// of the rest, instead of an error page.
			{name: "limit too large", url: "/companies?limit=501", status: 200,
				want: []string{"were ignored", "Parameter limit", "&#34;501&#34;", "1–20"}},
			{name: "bad sort", url: "/companies?sort=price", status: 200, want: []string{"Parameter sort", "&#34;price&#34;"}},
			{name: "bad verified", url: "/companies?verified=maybe", status: 200, want: []string{"Parameter verified"}},
			{name: "unknown process", url: "/companies?process=nonsense&province=75", status: 200,
				want: []string{`Parameter process: there is no process &#34;nonsense&#34;`, casting.Name}, not: []string{plastics.Name}},
			{name: "unknown cert and province", url: "/companies?cert=xyz&province=999", status: 200,
				want: []string{"Parameter cert", "&#34;xyz&#34;", "Parameter province", "&#34;999&#34;", "1–20"}},
			{name: "valid filters show no problems", url: "/companies?process=die_casting", status: 200,
				want: []string{casting.Name}, not: []string{"were ignored"}},
			// Past the last result: no link further on, and the way back.
			{name: "offset past the end", url: "/companies?offset=99999&size=small", status: 200,
				want: []string{"no results on this page", `href="/companies?size=small">Go to the first page`}, not: []string{"Showing 0", `rel="next"`, `rel="prev"`, "No companies match"}},
		}
		for _, tt := range tests {
			w := e.do(req{url: tt.url, lang: "en"})
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.status)
				continue
			}
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s: page lacks %q", tt.name, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("%s: page has %q", tt.name, s)
				}
			}
		}
		// The filtered page links its exports with the same filters.
		body := e.do(req{url: "/companies?size=large&q=cnc", lang: "en"}).Body.String()
		if !strings.Contains(body, `href="/export?format=csv&amp;q=cnc&amp;size=large"`) {
			t.Errorf("export link does not carry the filters")
		}
		// Staff see their buttons, the public does not.
		if strings.Contains(body, "/companies/new") || strings.Contains(body, `href="/import"`) {
			t.Error("directory shows staff buttons to the public")
		}
		staff := e.staffGet("/companies", "en").Body.String()
		if !strings.Contains(staff, `href="/companies/new"`) || !strings.Contains(staff, `href="/import"`) {
			t.Error("directory hides staff buttons from staff")
		}
	})
}

// TestSearchAcrossLanguages: a supplier who wrote English is found by a
// Vietnamese query typed without diacritics, and the other way round.
func TestSearchAcrossLanguages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, casting := e.seedDirectory()
		tests := []struct {
			q         string
			want, not []string
		}{
			{"ep nhua", []string{plastics.Name, precision.Name}, []string{casting.Name}},
			{"plastic injection", []string{plastics.Name, precision.Name}, []string{casting.Name}},
			{"ÉP NHỰA", []string{plastics.Name, precision.Name}, []string{casting.Name}},
			{"die casting", []string{casting.Name}, []string{plastics.Name}},
		}
		for _, tt := range tests {
			w := e.do(req{url: "/companies?q=" + url.QueryEscape(tt.q), lang: "en"})
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("%q does not find %s", tt.q, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("%q finds %s", tt.q, s)
				}
			}
			if !strings.Contains(body, "Understood as:") {
				t.Errorf("%q: no understood-as chips", tt.q)
			}
		}
		body := e.do(req{url: "/companies?q=ep+nhua", lang: "vi"}).Body.String()
		if !strings.Contains(body, "Hiểu là:") || !strings.Contains(body, `class="chip chip-term"`) {
			t.Errorf("Vietnamese page lacks the understood-as chips")
		}
	})
}

func TestFacetToggle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		body := e.do(req{url: "/companies?size=large", lang: "en"}).Body.String()
		// The active size facet links to the page without it; another value
		// links to both.
		if !strings.Contains(body, `class="facet-link on" href="/companies"`) {
			t.Errorf("active facet does not toggle off:\n%s", facetsOf(body))
		}
		if !strings.Contains(body, `href="/companies?size=large&amp;size=small"`) {
			t.Errorf("inactive facet does not add its value:\n%s", facetsOf(body))
		}
	})
}

func facetsOf(body string) string {
	i := strings.Index(body, `<aside class="facets"`)
	j := strings.Index(body, `</aside>`)
	if i < 0 || j < i {
		return "(no facets)"
	}
	return body[i:j]
}

func TestProfilePage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, _ := e.seedDirectory()
		tests := []struct {
			lang string
			c    *sihub.Company
			want []string
		}{
			{"vi", plastics, []string{plastics.Name, "Mã số thuế", sihub.FormatTaxCode(plastics.TaxCode), "Chưa xác minh hiệu lực",
				"Doanh nghiệp ghi", "Injection moulding of ABS", "2220", "chip-core"}},
			{"en", plastics, []string{"Tax code", "Validity unverified", "As written by the company", "Recognized by SIHub", "Saigon Technical Plastics"}},
			{"vi", precision, []string{"(trước đây: Bình Dương)", "TP. Hồ Chí Minh", "IATF 16949"}},
			{"en", precision, []string{"(formerly Bình Dương)", "Ho Chi Minh City"}},
		}
		for _, tt := range tests {
			w := e.do(req{url: fmt.Sprintf("/companies/%d", tt.c.ID), lang: tt.lang})
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s profile of %s lacks %q", tt.lang, tt.c.Name, s)
				}
			}
			if strings.Contains(body, "/edit") {
				t.Errorf("profile shows the edit button to the public")
			}
			// Contacts are personal data: not for the public, who are
			// told who may see them.
			for _, s := range []string{"Nguyễn Văn An", "an@saigonplastics.vn", `class="contacts"`} {
				if strings.Contains(body, s) {
					t.Errorf("%s public profile shows contact %q", tt.lang, s)
				}
			}
			if !strings.Contains(body, tr(sihub.Lang(tt.lang), "account.contacts.signin")) {
				t.Errorf("%s public profile does not say who sees contacts", tt.lang)
			}
		}
		staff := e.staffGet(fmt.Sprintf("/companies/%d", plastics.ID), "en").Body.String()
		for _, s := range []string{"/edit", "/verify", "/archive", `enctype="multipart/form-data"`, "Nguyễn Văn An", "an@saigonplastics.vn"} {
			if !strings.Contains(staff, s) {
				t.Errorf("staff profile lacks %q", s)
			}
		}
	})
}

func TestBranchLinksParent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		branch := e.seed(&sihub.Company{TaxCode: plastics.TaxCode + "-002", Name: "Chi nhánh Nhựa Kỹ Thuật Sài Gòn tại Long An", ProvinceInput: "Long An"})
		body := e.do(req{url: fmt.Sprintf("/companies/%d", branch.ID), lang: "en"}).Body.String()
		for _, want := range []string{
			"Parent company", fmt.Sprintf(`<a href="/companies/%d">%s</a>`, plastics.ID, plastics.Name),
			sihub.FormatTaxCode(plastics.TaxCode + "002"), "(formerly Long An)",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("branch profile lacks %q", want)
			}
		}
	})
}

func TestPanicRecovered(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.s.mux.Handle("GET /test-panic", e.s.adapt(func(w http.ResponseWriter, r *http.Request) error { panic("secret detail") }))
		e.s.mux.Handle("GET /api/v1/test-fail", e.s.adapt(func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("SELECT secret FROM x")
		}))
		w := e.do(req{url: "/test-panic", lang: "en"})
		if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || !strings.Contains(w.Body.String(), "An internal error occurred") {
			t.Errorf("panic: %d %s", w.Code, w.Body.String())
		}
		w = e.get("/api/v1/test-fail")
		if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || !strings.Contains(w.Body.String(), `"code":"internal"`) {
			t.Errorf("internal error: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestEditFormValidation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		form := url.Values{
			"name": {"Công ty Thử Nghiệm"}, "tax_code": {"0312345678"}, "kind": {"supplier"},
			"email": {"không-phải-email"}, "capabilities_text": {"Ép phun nhựa ABS"},
			"contacts.0.name": {"Trần Thị B"}, "contacts.0.email": {"b@"},
			"sectors": {"2220", ""},
		}
		tests := []struct {
			lang string
			want []string
		}{
			{"vi", []string{"sai chữ số kiểm tra", "Email \"không-phải-email\" không hợp lệ", "Email \"b@\" không hợp lệ"}},
			{"en", []string{"wrong check digit", "Email \"không-phải-email\" is not valid", "Email \"b@\" is not valid"}},
		}
		for _, tt := range tests {
			for _, path := range []string{"/companies", fmt.Sprintf("/companies/%d", plastics.ID)} {
				w := e.postForm(path, form, tt.lang)
				if w.Code != http.StatusUnprocessableEntity {
					t.Fatalf("%s %s: status %d, want 422", tt.lang, path, w.Code)
				}
				body := w.Body.String()
				for _, s := range tt.want {
					if !strings.Contains(body, htmlEscape(s)) {
						t.Errorf("%s %s: form lacks message %q", tt.lang, path, s)
					}
				}
				// What the user typed is kept.
				for _, s := range []string{`value="0312345678"`, `value="không-phải-email"`, "Ép phun nhựa ABS", `value="Trần Thị B"`, `value="2220"`} {
					if !strings.Contains(body, s) {
						t.Errorf("%s %s: form lost %q", tt.lang, path, s)
					}
				}
				if !strings.Contains(body, `id="e-tax_code"`) || !strings.Contains(body, `id="e-email"`) {
					t.Errorf("%s %s: messages are not next to their fields", tt.lang, path)
				}
			}
		}
		// Nothing was changed.
		c, err := e.db.Company(t.Context(), plastics.ID)
		if err != nil || c.Name != plastics.Name {
			t.Errorf("a rejected edit changed the company: %v %q", err, c.Name)
		}
	})
}

func TestEditFormSaves(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		page := e.staffGet(fmt.Sprintf("/companies/%d/edit", plastics.ID), "en").Body.String()
		m := regexp.MustCompile(`name="updated_at" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("edit form has no updated_at")
		}
		form := url.Values{
			"updated_at": {m[1]}, "name": {plastics.Name}, "tax_code": {sihub.FormatTaxCode(plastics.TaxCode)}, "kind": {"supplier"},
			"capabilities_text": {"Dập kim loại tấm, sơn tĩnh điện"}, "employees": {"1.200"},
			"contacts.0.name": {"Lê C"}, "contacts.0.email": {"c@example.vn"},
		}
		w := e.postForm(fmt.Sprintf("/companies/%d", plastics.ID), form, "en")
		if w.Code != http.StatusSeeOther || !strings.HasSuffix(w.Header().Get("Location"), "?done=saved") {
			t.Fatalf("save: %d %s\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		c, err := e.db.Company(t.Context(), plastics.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Employees != 1200 || !c.HasProcess("stamping") || c.HasProcess("injection_molding") {
			t.Errorf("saved company: employees %d, capabilities %+v", c.Employees, c.Capabilities)
		}
		if len(c.Contacts) != 1 || c.Contacts[0].Email != "c@example.vn" {
			t.Errorf("contacts %+v", c.Contacts)
		}
		profile := e.get(w.Header().Get("Location") + "&lang=en").Body.String()
		if !strings.Contains(profile, "Changes saved") {
			t.Error("profile does not confirm the save")
		}
		// Posting the old form again is a stale edit.
		w = e.postForm(fmt.Sprintf("/companies/%d", plastics.ID), form, "en")
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Someone else changed") {
			t.Errorf("stale edit: %d", w.Code)
		}
	})
}

func TestCreateViaForm(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		form := url.Values{"name": {"Công ty Mới"}, "tax_code": {sihub.FormatTaxCode(taxCode(99))}, "kind": {"supplier"},
			"capabilities_text": {"injection molding"}, "province_input": {"Bình Dương"}}
		w := e.postForm("/companies", form, "vi")
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", w.Code, w.Body.String())
		}
		profile := e.staffGet(w.Header().Get("Location"), "vi").Body.String()
		if !strings.Contains(profile, "Đã thêm doanh nghiệp") || !strings.Contains(profile, "Công ty Mới") {
			t.Error("new profile not shown")
		}
		// The same tax code again is a conflict shown at the tax-code field.
		w = e.postForm("/companies", form, "en")
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `id="e-tax_code"`) {
			t.Errorf("duplicate tax code: %d", w.Code)
		}
	})
}

func TestStaffActionsOnPages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		id := fmt.Sprint(plastics.ID)
		for _, a := range []struct{ path, done string }{
			{"/companies/" + id + "/verify", "verified"}, {"/companies/" + id + "/unverify", "unverified"},
			{"/companies/" + id + "/archive", "archived"}, {"/companies/" + id + "/unarchive", "unarchived"},
		} {
			w := e.postForm(a.path, nil, "vi")
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/companies/"+id+"?done="+a.done {
				t.Errorf("%s: %d %s", a.path, w.Code, w.Header().Get("Location"))
			}
		}
		e.postForm("/companies/"+id+"/archive", nil, "vi")
		body := e.staffGet("/companies/"+id, "en").Body.String()
		if !strings.Contains(body, "This profile is archived") {
			t.Error("archived banner missing")
		}
		if strings.Contains(e.get("/companies?lang=en").Body.String(), plastics.Name) {
			t.Error("archived company still listed")
		}
	})
}

// TestRefusals: every state-changing route refuses a visitor (401, or the
// sign-in page for a page one can come back to) and a signed-in person
// without the right (403), on pages and in the API.
func TestRefusals(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		id := fmt.Sprint(plastics.ID)
		b, ct := multipartBody(t, map[string]string{"kind": "photo"}, &filePart{"file", "x.png", "image/png", pngBytes})
		w := e.do(req{method: "POST", url: "/api/v1/companies/" + id + "/documents", body: b, ctype: ct, as: e.staff()})
		if w.Code != http.StatusCreated {
			t.Fatalf("upload: %d", w.Code)
		}
		doc := fmt.Sprint(decode[documentJSON](t, w).ID)
		official := e.user(sihub.RoleOfficial, 0)
		tests := []struct{ method, path string }{
			{"GET", "/companies/new"}, {"GET", "/companies/" + id + "/edit"}, {"GET", "/import"},
			{"POST", "/companies"}, {"POST", "/companies/" + id}, {"POST", "/companies/" + id + "/verify"},
			{"POST", "/companies/" + id + "/archive"}, {"POST", "/companies/" + id + "/documents"},
			{"POST", "/documents/" + doc + "/delete"}, {"POST", "/import"}, {"GET", "/import/abc"},
			{"POST", "/api/v1/companies"}, {"PUT", "/api/v1/companies/" + id}, {"POST", "/api/v1/companies/" + id + "/archive"},
			{"POST", "/api/v1/companies/" + id + "/unarchive"}, {"POST", "/api/v1/companies/" + id + "/verify"},
			{"POST", "/api/v1/companies/" + id + "/unverify"}, {"POST", "/api/v1/companies/" + id + "/documents"},
			{"DELETE", "/api/v1/documents/" + doc}, {"POST", "/api/v1/imports/companies"},
		}
		for _, tt := range tests {
			api := strings.HasPrefix(tt.path, "/api/")
			visitor := e.do(req{method: tt.method, url: tt.path, body: strings.NewReader("{}"), ctype: "application/json", lang: "en"})
			switch {
			case tt.method == "GET" && !api:
				if loc := visitor.Header().Get("Location"); visitor.Code != http.StatusSeeOther || loc != "/signin?next="+url.QueryEscape(tt.path) {
					t.Errorf("visitor %s %s: %d to %q, want the sign-in page", tt.method, tt.path, visitor.Code, loc)
				}
			case visitor.Code != http.StatusUnauthorized:
				t.Errorf("visitor %s %s: status %d, want 401", tt.method, tt.path, visitor.Code)
			case api && !strings.Contains(visitor.Body.String(), `"code":"unauthorized"`):
				t.Errorf("visitor %s %s: body %s", tt.method, tt.path, visitor.Body.String())
			case !api && !strings.Contains(visitor.Body.String(), `href="/signin"`):
				t.Errorf("visitor %s %s: the error page has no sign-in link", tt.method, tt.path)
			}
			w := e.do(req{method: tt.method, url: tt.path, body: strings.NewReader("{}"), ctype: "application/json", as: official, lang: "en"})
			if w.Code != http.StatusForbidden {
				t.Errorf("official %s %s: status %d, want 403", tt.method, tt.path, w.Code)
			}
			if api && !strings.Contains(w.Body.String(), `"code":"forbidden"`) {
				t.Errorf("official %s %s: body %s", tt.method, tt.path, w.Body.String())
			}
		}
		if c, _ := e.db.Company(t.Context(), plastics.ID); c.Verified || c.Archived || len(c.Documents) != 1 {
			t.Error("a refused request changed the company")
		}
	})
}

func TestCrossOriginRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		w := e.do(req{method: "POST", url: fmt.Sprintf("/companies/%d/verify", plastics.ID), as: e.staff(),
			header: http.Header{"Sec-Fetch-Site": {"cross-site"}}})
		if w.Code != http.StatusForbidden {
			t.Errorf("cross-site POST: %d", w.Code)
		}
		w = e.do(req{method: "POST", url: fmt.Sprintf("/companies/%d/verify", plastics.ID), as: e.staff(),
			header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
		if w.Code != http.StatusSeeOther {
			t.Errorf("same-origin POST: %d", w.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		for _, p := range []string{"/", "/api/v1/companies", "/nope"} {
			h := e.get(p).Header()
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%s: headers %v", p, h)
			}
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s: CSP %q", p, csp)
			}
		}
		// No inline script or style in any page.
		body := e.get("/companies").Body.String()
		if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(body) || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Error("page has inline script or style")
		}
	})
}

func TestMethodNotAllowed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.do(req{method: "DELETE", url: "/companies"})
		if w.Code != http.StatusMethodNotAllowed || !strings.Contains(w.Header().Get("Allow"), "GET") || !strings.Contains(w.Header().Get("Allow"), "POST") {
			t.Errorf("DELETE /companies: %d Allow=%q", w.Code, w.Header().Get("Allow"))
		}
		w = e.do(req{method: "PATCH", url: "/api/v1/companies/1"})
		if w.Code != http.StatusMethodNotAllowed || !strings.Contains(w.Body.String(), `"code":"method_not_allowed"`) {
			t.Errorf("PATCH api: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestStaticAssets(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		body := e.get("/").Body.String()
		for _, name := range []string{"style.css", "vendor/htmx.min.js", "favicon.svg"} {
			m := regexp.MustCompile(`/static/` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]{12}`).FindString(body)
			if m == "" {
				t.Errorf("page does not link %s with a version", name)
				continue
			}
			w := e.get(m)
			if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
				t.Errorf("%s: %d %q", m, w.Code, w.Header().Get("Cache-Control"))
			}
		}
		if strings.Contains(body, "://") && regexp.MustCompile(`(src|href)="https?://`).MatchString(body) {
			t.Error("page loads something from another site")
		}
		// Directories are not listed.
		for _, p := range []string{"/static/", "/static/vendor/", "/static/vendor", "/static/nope.css", "/static/vendor/?v=1"} {
			w := e.get(p)
			if b := w.Body.String(); w.Code != http.StatusNotFound || strings.Contains(b, `href="htmx.min.js"`) || strings.Contains(b, `href="vendor/"`) {
				t.Errorf("%s: %d\n%.300s", p, w.Code, w.Body.String())
			}
		}
	})
}

// TestGolden compares two pages with files in testdata/; run with -update
// after an intended change.
func TestGolden(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		for _, g := range []struct{ name, url, lang string }{
			{"directory_vi.html", "/companies?size=medium&size=large", "vi"},
			{"home_en.html", "/", "en"},
		} {
			got := e.do(req{url: g.url, lang: g.lang}).Body.Bytes()
			path := filepath.Join("testdata", g.name)
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s; run go test ./internal/web -run TestGolden -update and review the diff", g.url, path)
			}
		}
	})
}

func htmlEscape(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;").Replace(s)
}
