package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestCanWrite(t *testing.T) {
	tests := []struct {
		addr, host string
		header     http.Header
		want       bool
	}{
		{"127.0.0.1:1", "localhost:8080", nil, true},
		{"127.8.9.10:1", "localhost", nil, true},
		{"[::1]:1", "[::1]:18190", nil, true},
		{"[::1]:1", "[::1]", nil, true},
		{"[::ffff:127.0.0.1]:1", "127.0.0.1:8080", nil, true},
		{"127.0.0.1:1", "LOCALHOST.:8080", nil, true},
		{"127.0.0.1:1", "127.0.0.1", nil, true},
		// DNS rebinding: a hostile name pointed at 127.0.0.1.
		{"127.0.0.1:1", "evil.example:18190", nil, false},
		{"127.0.0.1:1", "evil.example", nil, false},
		{"127.0.0.1:1", "localhost.evil.example:8080", nil, false},
		{"127.0.0.1:1", "127.0.0.2:8080", nil, false},
		{"127.0.0.1:1", "", nil, false},
		{"127.0.0.1:1", "localhost:8080", http.Header{"X-Forwarded-For": {"198.51.100.7"}}, false},
		{"203.0.113.5:1234", "localhost:8080", nil, false},
		{"[2001:db8::1]:1", "localhost", nil, false},
		{"10.0.0.1:1", "localhost", nil, false},
		{"garbage", "localhost", nil, false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr, r.Host = tt.addr, tt.host
		for k, v := range tt.header {
			r.Header[k] = v
		}
		if got := canWrite(r); got != tt.want {
			t.Errorf("canWrite(from %s, Host %q, %v) = %v", tt.addr, tt.host, tt.header, got)
		}
	}
}

// TestDNSRebindingRefused: a page on a hostile name rebound to 127.0.0.1
// looks same-origin to the browser and comes from loopback, but may not
// write; the same request addressed to localhost may.
func TestDNSRebindingRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		id := plastics.ID
		tests := []struct {
			name, path, host string
			status           int
		}{
			{"page POST, rebinding", fmt.Sprintf("/companies/%d/verify", id), "evil.example:18190", http.StatusForbidden},
			{"API POST, rebinding", fmt.Sprintf("/api/v1/companies/%d/archive", id), "evil.example:18190", http.StatusForbidden},
			{"page POST, localhost", fmt.Sprintf("/companies/%d/verify", id), "localhost:18190", http.StatusSeeOther},
			{"API POST, 127.0.0.1", fmt.Sprintf("/api/v1/companies/%d/archive", id), "127.0.0.1:18190", http.StatusOK},
		}
		for _, tt := range tests {
			origin := "http://" + tt.host
			w := e.do(req{method: "POST", url: tt.path, host: tt.host, remote: staffAddr,
				header: http.Header{"Origin": {origin}, "Sec-Fetch-Site": {"same-origin"}}})
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %.300s", tt.name, w.Code, tt.status, w.Body.String())
			}
			if c, err := e.db.Company(t.Context(), id); err != nil || tt.status == http.StatusForbidden && (c.Verified || c.Archived) {
				t.Fatalf("%s: a refused request changed the company (%v)", tt.name, err)
			}
		}
		// A page seen through the rebound name shows no staff buttons either.
		w := e.do(req{url: fmt.Sprintf("/companies/%d", id), host: "evil.example:18190", remote: staffAddr, lang: "en"})
		if strings.Contains(w.Body.String(), "/edit") {
			t.Error("rebound page shows staff buttons")
		}
	})
}

// TestContactsForStaffOnly: the people named as contacts are personal data,
// left out of every API answer to the public and shown to staff.
func TestContactsForStaffOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, _ := e.seedDirectory()
		urls := []string{
			fmt.Sprintf("/api/v1/companies/%d", plastics.ID),
			"/api/v1/companies/by-tax-code/" + plastics.TaxCode,
			"/api/v1/companies?q=" + "saigon+technical",
		}
		for _, u := range urls {
			pub := e.get(u)
			if pub.Code != 200 {
				t.Fatalf("%s: %d", u, pub.Code)
			}
			body := pub.Body.String()
			if strings.Contains(body, `"contacts"`) || strings.Contains(body, "Nguyễn Văn An") || strings.Contains(body, "an@saigonplastics.vn") {
				t.Errorf("public %s shows contacts: %.400s", u, body)
			}
			if !strings.Contains(body, "sales@saigonplastics.vn") {
				t.Errorf("public %s lost the company's own email", u)
			}
			staff := e.do(req{url: u, remote: staffAddr}).Body.String()
			if !strings.Contains(staff, `"contacts":[{"name":"Nguyễn Văn An"`) {
				t.Errorf("staff %s lacks contacts: %.400s", u, staff)
			}
		}
		// Staff get [] rather than a missing field for a company without contacts.
		if b := e.do(req{url: fmt.Sprintf("/api/v1/companies/%d", precision.ID), remote: staffAddr}).Body.String(); !strings.Contains(b, `"contacts":[]`) {
			t.Errorf("staff view of a company without contacts: %.300s", b)
		}
	})
}

// TestArchivedHiddenFromPublic: an archived profile, its API record and its
// documents answer 404 to the public and stay open to staff, who can list
// archived companies with include_archived=1.
func TestArchivedHiddenFromPublic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		body, ctype := multipartBody(t, map[string]string{"kind": "photo"}, &filePart{"file", "xuong.png", "image/png", pngBytes})
		w := e.do(req{method: "POST", url: fmt.Sprintf("/api/v1/companies/%d/documents", plastics.ID), body: body, ctype: ctype, remote: staffAddr})
		if w.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", w.Code, w.Body.String())
		}
		doc := decode[documentJSON](t, w)
		// A branch whose parent will be archived.
		branch := e.seed(&sihub.Company{TaxCode: plastics.TaxCode + "-002", Name: "Chi nhánh Nhựa Sài Gòn", ProvinceInput: "Long An"})

		urls := []string{
			fmt.Sprintf("/companies/%d", plastics.ID),
			fmt.Sprintf("/api/v1/companies/%d", plastics.ID),
			"/api/v1/companies/by-tax-code/" + plastics.TaxCode,
			fmt.Sprintf("/documents/%d", doc.ID),
			fmt.Sprintf("/api/v1/documents/%d", doc.ID),
			fmt.Sprintf("/api/v1/documents/%d/content", doc.ID),
		}
		for _, u := range urls {
			if w := e.get(u); w.Code != 200 {
				t.Errorf("before archiving, public %s: %d", u, w.Code)
			}
		}
		if w := e.apiJSON("POST", fmt.Sprintf("/api/v1/companies/%d/archive", plastics.ID), nil, staffAddr); w.Code != 200 {
			t.Fatalf("archive: %d", w.Code)
		}
		for _, u := range urls {
			if w := e.get(u); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), plastics.Name) {
				t.Errorf("archived, public %s: %d", u, w.Code)
			}
			if w := e.do(req{url: u, remote: staffAddr}); w.Code != 200 {
				t.Errorf("archived, staff %s: %d", u, w.Code)
			}
		}
		// The public cannot tell an archived company from one that never was:
		// the answer is a missing one's, with the id or tax code in its place.
		for _, tt := range []struct{ hidden, missing, from, to string }{
			{fmt.Sprintf("/api/v1/companies/%d", plastics.ID), "/api/v1/companies/999999", "999999", fmt.Sprint(plastics.ID)},
			{"/api/v1/companies/by-tax-code/" + plastics.TaxCode, "/api/v1/companies/by-tax-code/" + taxCode(999),
				sihub.FormatTaxCode(taxCode(999)), sihub.FormatTaxCode(plastics.TaxCode)},
			{fmt.Sprintf("/api/v1/documents/%d", doc.ID), "/api/v1/documents/999999", "999999", fmt.Sprint(doc.ID)},
		} {
			hidden, missing := e.get(tt.hidden).Body.String(), e.get(tt.missing).Body.String()
			if want := strings.ReplaceAll(missing, tt.from, tt.to); hidden != want {
				t.Errorf("%s answers %s, unlike a missing one: %s", tt.hidden, hidden, want)
			}
		}
		// The branch no longer links its archived parent for the public.
		pub := e.do(req{url: fmt.Sprintf("/companies/%d", branch.ID), lang: "en"}).Body.String()
		if strings.Contains(pub, fmt.Sprintf(`href="/companies/%d"`, plastics.ID)) || !strings.Contains(pub, "not in the directory") {
			t.Error("branch profile links its archived parent for the public")
		}
		staff := e.staffGet(fmt.Sprintf("/companies/%d", branch.ID), "en").Body.String()
		if !strings.Contains(staff, fmt.Sprintf(`href="/companies/%d"`, plastics.ID)) {
			t.Error("branch profile hides its archived parent from staff")
		}

		// Listing archived companies: staff only.
		for _, tt := range []struct {
			name, url, remote string
			status, total     int
		}{
			{"public default", "/api/v1/companies", publicAddr, 200, 28},
			{"staff default", "/api/v1/companies", staffAddr, 200, 28},
			{"staff include", "/api/v1/companies?include_archived=1", staffAddr, 200, 29},
			{"staff include false", "/api/v1/companies?include_archived=false", staffAddr, 200, 28},
			{"public include", "/api/v1/companies?include_archived=1", publicAddr, 403, 0},
			{"public include false", "/api/v1/companies?include_archived=0", publicAddr, 200, 28},
			{"staff bad value", "/api/v1/companies?include_archived=maybe", staffAddr, 400, 0},
			{"public export include", "/api/v1/exports/companies?include_archived=1", publicAddr, 403, 0},
		} {
			w := e.do(req{url: tt.url, remote: tt.remote})
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			switch {
			case tt.status == 200 && !strings.Contains(tt.url, "exports"):
				if got := decode[struct{ Total int }](t, w).Total; got != tt.total {
					t.Errorf("%s: total %d, want %d", tt.name, got, tt.total)
				}
			case tt.status == 403:
				if b := decode[errBody](t, w); b.Error.Code != "forbidden" || !strings.Contains(b.Error.Message, "include_archived") {
					t.Errorf("%s: %+v", tt.name, b.Error)
				}
			}
		}
		if w := e.do(req{url: "/api/v1/exports/companies?include_archived=1", remote: staffAddr}); w.Code != 200 || !strings.Contains(w.Body.String(), plastics.Name) {
			t.Errorf("staff export with archived: %d", w.Code)
		}

		// The directory page: staff get a toggle that keeps the other filters;
		// the public neither the toggle nor the archived company, whatever the URL.
		page := e.staffGet("/companies?size=large", "en").Body.String()
		if !strings.Contains(page, "Show archived") || !strings.Contains(page, `href="/companies?include_archived=1&amp;size=large"`) {
			t.Errorf("staff directory lacks the archived toggle:\n%s", facetsOf(page))
		}
		page = e.staffGet("/companies?include_archived=1&q=saigon+technical", "vi").Body.String()
		if !strings.Contains(page, plastics.Name) || !strings.Contains(page, "Hiện cả hồ sơ đã lưu trữ") ||
			!strings.Contains(page, `class="facet-link on" href="/companies?q=saigon&#43;technical"`) ||
			!strings.Contains(page, `<input type="hidden" name="include_archived" value="1">`) {
			t.Errorf("staff directory with archived: toggle or company missing:\n%s", facetsOf(page))
		}
		page = e.do(req{url: "/companies?include_archived=1&q=saigon+technical", lang: "en"}).Body.String()
		if strings.Contains(page, plastics.Name) || strings.Contains(page, "Show archived") || strings.Contains(page, `name="include_archived"`) {
			t.Error("public directory shows archived companies or the toggle")
		}
	})
}
