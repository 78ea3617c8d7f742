package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// importCSV is a small import file with English headers: one good row and,
// when bad is set, one with a wrong tax code.
func importCSV(n int, bad bool) string {
	var b strings.Builder
	b.WriteString("Tax code,Company name,Province,Capabilities,Email\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,Công ty Nhập %d,Đồng Nai,Ép phun nhựa,info%d@example.vn\n", taxCode(700+i), i, i)
	}
	if bad {
		b.WriteString("0312345678,Công ty Lỗi,Đồng Nai,Dập kim loại,x@example.vn\n")
	}
	return b.String()
}

func (e *testEnv) count() int {
	e.t.Helper()
	return decode[companyList](e.t, e.get("/api/v1/companies?limit=1")).Total
}

func TestAPIImport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		tests := []struct {
			name      string
			query     string
			csv       string
			raw       string // raw body Content-Type; "" for multipart
			status    int
			committed bool
			created   int
			problems  bool
		}{
			{"dry run", "?dry_run=1", importCSV(2, false), "", 200, false, 0, false},
			{"rejected whole", "", importCSV(2, true), "", 422, false, 0, true},
			{"dry run with problems", "?dry_run=1&lang=en", importCSV(2, true), "", 200, false, 0, true},
			{"skip invalid", "?skip_invalid=1", importCSV(2, true), "", 200, true, 2, true},
			{"raw CSV body, updates", "?name=list.csv", importCSV(3, false), "text/csv", 200, true, 1, false},
			{"unsupported type", "", "GIF89a", "image/gif", 415, false, 0, false},
		}
		before := e.count()
		for _, tt := range tests {
			var w = e.do(req{method: "POST", url: "/api/v1/imports/companies" + tt.query, body: strings.NewReader(tt.csv), ctype: tt.raw, as: e.staff()})
			if tt.raw == "" {
				body, ctype := multipartBody(t, nil, &filePart{field: "file", name: "companies.csv", ctype: "text/csv", data: []byte(tt.csv)})
				w = e.do(req{method: "POST", url: "/api/v1/imports/companies" + tt.query, body: body, ctype: ctype, as: e.staff()})
			}
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			if tt.status == 415 {
				continue
			}
			var rep *reportJSON
			if tt.status == 422 {
				b := decode[errBody](t, w)
				if b.Error.Code != "invalid" || b.Report == nil {
					t.Errorf("%s: %s", tt.name, w.Body.String())
					continue
				}
				rep = b.Report
			} else {
				r := decode[reportJSON](t, w)
				rep = &r
			}
			if rep.Committed != tt.committed || rep.Created != tt.created || (len(rep.Problems) > 0) != tt.problems || rep.Format != "csv" {
				t.Errorf("%s: report %+v", tt.name, rep)
			}
			if tt.name == "dry run with problems" && !strings.Contains(rep.Problems[0].Message, "check digit") {
				t.Errorf("%s: problem not in English: %+v", tt.name, rep.Problems)
			}
		}
		if got := e.count(); got != before+3 {
			t.Errorf("directory has %d companies, want %d", got, before+3)
		}
	})
}

// finishedJob imports csv through the page as staff and waits for the job.
func (e *testEnv) finishedJob(t *testing.T, csv string, fields ...string) string {
	t.Helper()
	return e.finishedJobFile(t, "danh-sách.csv", []byte(csv), fields...)
}

func (e *testEnv) finishedJobFile(t *testing.T, name string, data []byte, fields ...string) string {
	t.Helper()
	f := map[string]string{}
	for i := 0; i+1 < len(fields); i += 2 {
		f[fields[i]] = fields[i+1]
	}
	body, ctype := multipartBody(t, f, &filePart{field: "file", name: name, data: data})
	w := e.do(req{method: "POST", url: "/import", body: body, ctype: ctype, as: e.staff()})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/import/") {
		t.Fatalf("POST /import: %d %s %s", w.Code, loc, w.Body.String())
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		page := e.staffGet(loc, "vi").Body.String()
		if !strings.Contains(page, `http-equiv="refresh"`) {
			return strings.TrimPrefix(loc, "/import/")
		}
		if time.Now().After(deadline) {
			t.Fatalf("import job did not finish")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestImportPage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		before := e.count()

		// A file with an invalid row is rejected whole: nothing changes and the
		// report names the row in the reader's language.
		id := e.finishedJob(t, importCSV(2, true))
		if got := e.count(); got != before {
			t.Errorf("a rejected import changed the directory: %d → %d", before, got)
		}
		for lang, want := range map[string][]string{
			"vi": {"không có gì được lưu", "sai chữ số kiểm tra", "Tải báo cáo CSV", "danh-sách.csv"},
			"en": {"nothing was saved", "wrong check digit", "Download report CSV"},
		} {
			page := e.staffGet("/import/"+id, lang).Body.String()
			for _, s := range want {
				if !strings.Contains(page, htmlEscape(s)) {
					t.Errorf("%s job page lacks %q", lang, s)
				}
			}
			w := e.staffGet("/import/"+id+"/report.csv", lang)
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
				!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") || !strings.Contains(w.Body.String(), want[1]) {
				t.Errorf("%s report.csv: %d %v\n%s", lang, w.Code, w.Header(), w.Body.String())
			}
		}

		// Skipping invalid rows saves the good ones.
		id = e.finishedJob(t, importCSV(2, true), "skip_invalid", "1")
		if got := e.count(); got != before+2 {
			t.Errorf("after import: %d companies, want %d", got, before+2)
		}
		if page := e.staffGet("/import/"+id, "en").Body.String(); !strings.Contains(page, "Saved: 2 new companies") {
			t.Errorf("job page does not report the save")
		}

		// A dry run saves nothing.
		e.finishedJob(t, strings.ReplaceAll(importCSV(1, false), "Ép phun", "Đúc"), "dry_run", "1")
		if got := e.count(); got != before+2 {
			t.Errorf("dry run changed the directory")
		}

		// A file that is not a spreadsheet fails with a message.
		id = e.finishedJobFile(t, "x.xlsx", []byte("not a zip"))
		if page := e.staffGet("/import/"+id, "en").Body.String(); !strings.Contains(page, "Nothing was saved.") || !strings.Contains(page, `class="banner banner-error"`) {
			t.Errorf("failed job page:\n%s", page)
		}
		if w := e.staffGet("/import/unknown-job", "en"); w.Code != 404 {
			t.Errorf("unknown job: %d", w.Code)
		}
		// No file at all.
		body, ctype := multipartBody(t, map[string]string{"dry_run": "1"}, nil)
		if w := e.do(req{method: "POST", url: "/import", body: body, ctype: ctype, as: e.staff()}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("import without a file: %d", w.Code)
		}
	})
}

// TestImportsBounded: one instance runs at most maxJobs imports at once.
func TestImportsBounded(t *testing.T) {
	e := newEnv(t, "sqlite")
	for i := 0; i < maxJobs; i++ {
		e.s.jobs.add(fmt.Sprint("busy", i))
	}
	body, ctype := multipartBody(t, nil, &filePart{field: "file", name: "c.csv", data: []byte(importCSV(1, false))})
	if w := e.do(req{method: "POST", url: "/import", body: body, ctype: ctype, as: e.staff()}); w.Code != http.StatusTooManyRequests {
		t.Errorf("import beyond the bound: %d %.300s", w.Code, w.Body.String())
	}
	e.s.jobs.remove("busy0")
	e.finishedJob(t, importCSV(1, false))
}

// TestImportJobsShared: a job started through one instance is served, while
// it runs and once done, by another instance on the same database, as behind
// a load balancer.
func TestImportJobsShared(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			a, b := newEnvDSN(t, dsn), newEnvDSN(t, dsn)

			id := a.finishedJob(t, importCSV(2, true))
			for _, e := range []*testEnv{a, b} {
				page := e.staffGet("/import/"+id, "en").Body.String()
				if !strings.Contains(page, "nothing was saved") || !strings.Contains(page, "wrong check digit") {
					t.Errorf("job page on the second instance:\n%.2000s", page)
				}
				w := e.staffGet("/import/"+id+"/report.csv", "en")
				if w.Code != 200 || !strings.Contains(w.Body.String(), "wrong check digit") {
					t.Errorf("report.csv: %d %.500s", w.Code, w.Body.String())
				}
			}

			// A job still running elsewhere shows its last recorded progress.
			ctx := context.Background()
			j, err := a.db.CreateImportJob(ctx, "lớn.csv", sihub.VI)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.db.UpdateImportJob(ctx, j.ID, "write", 4000); err != nil {
				t.Fatal(err)
			}
			page := b.staffGet("/import/"+j.ID, "en").Body.String()
			if !strings.Contains(page, `http-equiv="refresh"`) || !strings.Contains(page, "saving): 4,000 rows") {
				t.Errorf("running job on the second instance:\n%.2000s", page)
			}
			if w := b.staffGet("/import/"+j.ID+"/report.csv", "en"); w.Code != 404 {
				t.Errorf("report of a running job: %d", w.Code)
			}
			if w := b.staffGet("/import/"+j.ID, ""); w.Code != 200 {
				t.Errorf("job page: %d", w.Code)
			}
			if w := b.get("/import/" + id); w.Code == 200 {
				t.Error("the public sees an import job")
			}
		})
	}
}

func TestExport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, casting := e.seedDirectory()
		for _, u := range []string{"/export?format=csv&province=79", "/api/v1/exports/companies?province=79"} {
			w := e.get(u)
			if w.Code != 200 || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("%s: %d %s", u, w.Code, w.Header().Get("Content-Type"))
			}
			if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="sihub-companies-2025-11-20.csv"`) {
				t.Errorf("%s: Content-Disposition %q", u, cd)
			}
			body := w.Body.String()
			if !strings.Contains(body, plastics.Name) || strings.Contains(body, casting.Name) {
				t.Errorf("%s: export does not follow the filter", u)
			}
		}
		w := e.get("/export?format=xlsx&limit=1")
		if w.Code != 200 || w.Header().Get("Content-Type") != sihub.TypeXLSX || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
			t.Errorf("xlsx: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		if w := e.get("/export?format=pdf"); w.Code != 400 || w.Header().Get("Content-Disposition") != "" {
			t.Errorf("pdf export: %d %v", w.Code, w.Header())
		}
		if w := e.get("/api/v1/exports/companies?format=pdf"); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"format"`) {
			t.Errorf("api pdf export: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestTemplates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		for _, tt := range []struct{ url, want string }{
			{"/templates/companies.csv?lang=en", "Tax code"},
			{"/templates/companies.csv?lang=vi", "Mã số thuế"},
		} {
			w := e.get(tt.url)
			if w.Code != 200 || !strings.Contains(w.Body.String(), tt.want) || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
				t.Errorf("%s: %d", tt.url, w.Code)
			}
		}
		w := e.get("/templates/companies.xlsx")
		if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
			t.Errorf("xlsx template: %d", w.Code)
		}
	})
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		pageURL := fmt.Sprintf("/companies/%d/documents", plastics.ID)
		apiURL := fmt.Sprintf("/api/v1/companies/%d/documents", plastics.ID)
		send := func(u string, kind string, f *filePart) *httptest.ResponseRecorder {
			body, ctype := multipartBody(t, map[string]string{"kind": kind}, f)
			return e.do(req{method: "POST", url: u, body: body, ctype: ctype, as: e.staff()})
		}
		tests := []struct {
			name   string
			url    string
			kind   string
			file   filePart
			status int
			code   string
		}{
			{"page upload", pageURL, "photo", filePart{"file", "Ảnh nhà xưởng \"mới\".png", "image/png", pngBytes}, 303, ""},
			{"api upload", apiURL, "photo", filePart{"file", "xuong.png", "", pngBytes}, 201, ""},
			{"declared type differs", apiURL, "photo", filePart{"file", "xuong.png", "application/pdf", pngBytes}, 400, "invalid"},
			{"extension differs", apiURL, "brochure", filePart{"file", "brochure.pdf", "", pngBytes}, 400, "invalid"},
			{"html refused", apiURL, "other", filePart{"file", "x.html", "text/html", []byte("<html><script>alert(1)</script></html>")}, 415, "unsupported"},
			{"bad kind", apiURL, "selfie", filePart{"file", "xuong.png", "", pngBytes}, 422, "invalid"},
			{"too large", apiURL, "photo", filePart{"file", "big.png", "", append(append([]byte{}, pngBytes...), make([]byte, 20<<20)...)}, 413, "too_large"},
		}
		for _, tt := range tests {
			w := send(tt.url, tt.kind, &tt.file)
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			if tt.code != "" && decode[errBody](t, w).Error.Code != tt.code {
				t.Errorf("%s: %s", tt.name, w.Body.String())
			}
		}
		c, err := e.db.Company(t.Context(), plastics.ID)
		if err != nil || len(c.Documents) != 2 {
			t.Fatalf("documents stored: %v %d", err, len(c.Documents))
		}
		var doc sihub.Document
		for _, d := range c.Documents {
			if strings.HasPrefix(d.Name, "Ảnh") {
				doc = d
			}
		}
		w := e.get(fmt.Sprintf("/documents/%d", doc.ID))
		h := w.Header()
		if w.Code != 200 || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(w.Body.Bytes(), pngBytes) {
			t.Errorf("download: %d %v", w.Code, h)
		}
		cd := h.Get("Content-Disposition")
		if !regexp.MustCompile(`^inline; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%!#$&+\-.^_`+"`"+`|~]+$`).MatchString(cd) ||
			!strings.Contains(cd, "%E1%BA%A2nh") || strings.Count(cd, `"`) != 2 {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download CSP %q", h.Get("Content-Security-Policy"))
		}
		// API: details, content, delete.
		info := e.get(fmt.Sprintf("/api/v1/documents/%d", doc.ID))
		if info.Code != 200 || !strings.Contains(info.Body.String(), `"content_type":"image/png"`) {
			t.Errorf("document info: %d %s", info.Code, info.Body.String())
		}
		if w := e.get(fmt.Sprintf("/api/v1/documents/%d/content", doc.ID)); w.Code != 200 || !bytes.Equal(w.Body.Bytes(), pngBytes) {
			t.Errorf("document content: %d", w.Code)
		}
		// The profile lists the document with a download link.
		if !strings.Contains(e.get(fmt.Sprintf("/companies/%d", plastics.ID)).Body.String(), fmt.Sprintf(`href="/documents/%d"`, doc.ID)) {
			t.Error("profile does not link the document")
		}
		w = e.postForm(fmt.Sprintf("/documents/%d/delete", doc.ID), nil, "vi")
		if w.Code != http.StatusSeeOther {
			t.Errorf("delete: %d", w.Code)
		}
		if w := e.get(fmt.Sprintf("/documents/%d", doc.ID)); w.Code != 404 {
			t.Errorf("deleted document: %d", w.Code)
		}
		other := c.Documents[0].ID
		if other == doc.ID {
			other = c.Documents[1].ID
		}
		if w := e.do(req{method: "DELETE", url: fmt.Sprintf("/api/v1/documents/%d", other), as: e.staff()}); w.Code != 204 {
			t.Errorf("api delete: %d", w.Code)
		}
	})
}

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"report.csv":           `attachment; filename="report.csv"; filename*=UTF-8''report.csv`,
		"Báo cáo.csv":          `attachment; filename="B_o c_o.csv"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.csv`,
		"a\"b\r\nSet-Cookie:x": `attachment; filename="a_b__Set-Cookie:x"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3Ax`,
	} {
		if got := contentDisposition("attachment", name); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		w := e.get("/healthz")
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != "ok" {
			t.Errorf("healthz: %d %q", w.Code, w.Body.String())
		}
		e.get("/companies")
		e.get("/api/v1/companies?limit=9999")
		e.get("/nope")
		body := e.get("/metrics").Body.String()
		for _, want := range []string{
			`sihub_build_info{version="test",goversion="go`,
			`sihub_companies{state="listed"} 28`,
			`sihub_http_requests_total{route="GET /companies",code="2xx"} 1`,
			`sihub_http_requests_total{route="GET /api/v1/companies",code="4xx"} 1`,
			`sihub_http_requests_total{route="/",code="4xx"} 1`,
			`sihub_http_request_duration_seconds_bucket{route="GET /companies",le="+Inf"} 1`,
			`sihub_http_request_duration_seconds_count{route="GET /healthz"} 1`,
			"# TYPE sihub_http_request_duration_seconds histogram",
			"go_goroutines ",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		// Every sample line is name{labels} value.
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			if !strings.HasPrefix(line, "#") && !regexp.MustCompile(`^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$`).MatchString(line) {
				t.Errorf("bad metrics line %q", line)
			}
		}
		e.db.Close()
		if w := e.get("/healthz"); w.Code != http.StatusServiceUnavailable {
			t.Errorf("healthz with the database closed: %d", w.Code)
		}
	})
}
