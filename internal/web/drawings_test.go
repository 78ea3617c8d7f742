package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// drawingWorld is a buyer (company A) with a demand, a verified supplier
// company B and the people who act.
type drawingWorld struct {
	e          *testEnv
	A, B       *sihub.Company
	buyer, sup *sihub.User
	d          *sihub.Demand
}

func newDrawingWorld(t *testing.T, e *testEnv) *drawingWorld {
	t.Helper()
	w := &drawingWorld{e: e}
	w.A = e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty TNHH Dụng cụ Điện FDI", Kind: sihub.Buyer, CapabilitiesText: "lắp ráp"})
	w.B = e.seed(&sihub.Company{TaxCode: taxCode(2), Name: "Công ty TNHH Nhựa Bình Dương", CapabilitiesText: "ép phun nhựa"})
	if err := e.db.SetVerified(context.Background(), w.B.ID, true, "test"); err != nil {
		t.Fatal(err)
	}
	w.buyer = e.user(sihub.RoleCompanyAdmin, w.A.ID)
	w.sup = e.user(sihub.RoleCompanyMember, w.B.ID)
	w.d = newDrawingDemand(e, w.A, sihub.VisibleVerified)
	return w
}

func (w *drawingWorld) url(format string, args ...any) string {
	return fmt.Sprintf("/api/v1/demands/%d"+format, append([]any{w.d.ID}, args...)...)
}

// upload posts a file as u to path and returns the response.
func (e *testEnv) uploadDrawing(u *sihub.User, path, name, ctype string, data []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	body, mt := multipartBody(e.t, nil, &filePart{field: "file", name: name, ctype: ctype, data: data})
	return e.do(req{method: "POST", url: path, body: body, ctype: mt, as: u, lang: "en"})
}

const (
	drawingDXF  = "  0\nSECTION\n  2\nENTITIES\n  0\nLINE\n  8\n0\n 10\n0.0\n 20\n0.0\n 11\n10.0\n 21\n5.0\n  0\nENDSEC\n  0\nEOF\n"
	drawingSTEP = "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('housing'),'2;1');\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n"
)

// drawingEXE starts as a Windows executable does.
var drawingEXE = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 64)...)

type downloadsBody struct {
	Items []downloadJSON `json:"items"`
}

// TestDrawingsSupplierFlow: the buyer attaches drawings; a verified
// supplier cannot read them until its company accepts the terms, then
// downloads; the buyer and the center see the download, the supplier does
// not see the log; the buyer and the center download without accepting,
// logged too.
func TestDrawingsSupplierFlow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDrawingWorld(t, e)

		// The buyer uploads a PDF through the page and a DXF and a STEP
		// file through the API.
		r := e.uploadDrawing(w.buyer, fmt.Sprintf("/demands/%d/files", w.d.ID), "Bản vẽ vỏ pin.pdf", "application/pdf", drawingPDF)
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != fmt.Sprintf("/demands/%d?done=drawing.uploaded#drawings", w.d.ID) {
			t.Fatalf("page upload: %d %s %s", r.Code, r.Header().Get("Location"), r.Body.String())
		}
		for _, f := range []struct{ name, data, ctype string }{
			{"housing.dxf", drawingDXF, sihub.TypeDXF}, {"housing.stp", drawingSTEP, sihub.TypeSTEP},
		} {
			r := e.uploadDrawing(w.buyer, w.url("/files"), f.name, "application/octet-stream", []byte(f.data))
			if r.Code != http.StatusCreated {
				t.Fatalf("API upload %s: %d %s", f.name, r.Code, r.Body.String())
			}
			got := decode[drawingJSON](t, r)
			if got.ContentType != f.ctype || got.Name != f.name || got.Size != int64(len(f.data)) || r.Header().Get("Location") != got.URL {
				t.Errorf("API upload %s: %+v, Location %s", f.name, got, r.Header().Get("Location"))
			}
		}
		files := decode[struct{ Items []drawingJSON }](t, e.apiJSON("GET", w.url("/files"), nil, w.buyer)).Items
		if len(files) != 3 || files[0].Name != "Bản vẽ vỏ pin.pdf" || files[0].ContentType != sihub.TypePDF {
			t.Fatalf("buyer's file list: %+v", files)
		}
		pdf := files[0]

		// Before accepting, the supplier sees the demand's terms but no
		// file, by page or API.
		for _, u := range []string{fmt.Sprintf("/demands/%d/files/%d", w.d.ID, pdf.ID), pdf.URL, w.url("/files")} {
			r := e.do(req{url: u, as: w.sup, lang: "en"})
			body := r.Body.String()
			if r.Code != http.StatusForbidden || !strings.Contains(body, "confidentiality terms") ||
				!strings.Contains(body, fmt.Sprintf("/demands/%d,", w.d.ID)) || strings.Contains(body, "%PDF") {
				t.Errorf("supplier before accepting, %s: %d %.300s", u, r.Code, r.Body.String())
			}
		}
		terms := decode[termsJSON](t, e.do(req{url: w.url("/terms?lang=en"), as: w.sup}))
		if terms.Accepted || !terms.CanAccept || terms.CanRead || !terms.Standard || terms.SHA256 != termsDigest(terms.Text) ||
			!strings.Contains(terms.Text, "third party") {
			t.Errorf("supplier's terms before accepting: %+v", terms)
		}
		page := drawingsHTML(t, e, w.sup, w.d, "en")
		for _, want := range []string{"3 drawing and specification files", "third party", `name="terms_sha256" value="` + terms.SHA256 + `"`,
			"I accept these terms on behalf of " + htmlEscape(w.B.Name)} {
			if !strings.Contains(page, want) {
				t.Errorf("supplier's section before accepting lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, "housing.dxf") || strings.Contains(page, "Download log") {
			t.Errorf("supplier's section shows files or the log before accepting:\n%s", page)
		}

		// The supplier accepts on the page (in Vietnamese: the digest of
		// either wording binds), then downloads by page and API.
		vi := decode[termsJSON](t, e.do(req{url: w.url("/terms?lang=vi"), as: w.sup}))
		r = e.postAs(w.sup, fmt.Sprintf("/demands/%d/terms", w.d.ID), url.Values{"terms_sha256": {vi.SHA256}}, "vi")
		if r.Code != http.StatusSeeOther || !strings.Contains(r.Header().Get("Location"), "done=terms.accepted") {
			t.Fatalf("accepting the terms: %d %s", r.Code, r.Body.String())
		}
		if got := decode[termsJSON](t, e.do(req{url: w.url("/terms?lang=en"), as: w.sup})); !got.Accepted || !got.CanRead || got.AcceptedAt == nil {
			t.Errorf("terms after accepting: %+v", got)
		}
		r = e.do(req{url: fmt.Sprintf("/demands/%d/files/%d", w.d.ID, pdf.ID), as: w.sup, remote: "198.51.100.77:4000"})
		if r.Code != 200 || !bytes.Equal(r.Body.Bytes(), drawingPDF) || r.Header().Get("Content-Type") != sihub.TypePDF ||
			r.Header().Get("X-Content-Type-Options") != "nosniff" ||
			r.Header().Get("Content-Disposition") != contentDisposition("attachment", "Bản vẽ vỏ pin.pdf") ||
			!strings.Contains(r.Header().Get("Cache-Control"), "no-store") {
			t.Errorf("supplier's download: %d %v", r.Code, r.Header())
		}
		if r := e.do(req{url: files[1].URL, as: w.sup}); r.Code != 200 || r.Body.String() != drawingDXF {
			t.Errorf("supplier's API download: %d %.200s", r.Code, r.Body.String())
		}
		if r := e.apiJSON("GET", w.url("/files"), nil, w.sup); r.Code != 200 || len(decode[struct{ Items []drawingJSON }](t, r).Items) != 3 {
			t.Errorf("supplier's file list after accepting: %d %s", r.Code, r.Body.String())
		}
		// A HEAD request transfers nothing and is not logged.
		if r := e.do(req{method: "HEAD", url: pdf.URL, as: w.sup}); r.Code != 200 {
			t.Errorf("HEAD: %d", r.Code)
		}

		// The buyer and the center download without accepting.
		for _, u := range []*sihub.User{w.buyer, e.staff()} {
			if r := e.do(req{url: pdf.URL, as: u}); r.Code != 200 || !bytes.Equal(r.Body.Bytes(), drawingPDF) {
				t.Errorf("%s's download: %d %.200s", u.Email, r.Code, r.Body.String())
			}
		}

		// The log: newest first, the supplier's two downloads with its
		// company; the buyer sees no addresses, the center does.
		for _, u := range []*sihub.User{w.buyer, e.staff()} {
			r := e.do(req{url: w.url("/downloads"), as: u, lang: "en"})
			if r.Code != 200 {
				t.Fatalf("downloads as %s: %d %s", u.Email, r.Code, r.Body.String())
			}
			log := decode[downloadsBody](t, r).Items
			if len(log) != 4 {
				t.Fatalf("downloads as %s: %d entries, want 4: %+v", u.Email, len(log), log)
			}
			staff := u == e.staff()
			want := []struct {
				email, company, file, ip string
			}{
				{e.staff().Email, "The center", "Bản vẽ vỏ pin.pdf", "203.0.113.5"},
				{w.buyer.Email, w.A.Name, "Bản vẽ vỏ pin.pdf", "203.0.113.5"},
				{w.sup.Email, w.B.Name, "housing.dxf", "203.0.113.5"},
				{w.sup.Email, w.B.Name, "Bản vẽ vỏ pin.pdf", "198.51.100.77"},
			}
			for i, wl := range want {
				got := log[i]
				if !staff {
					wl.ip = ""
				}
				if got.UserEmail != wl.email || got.CompanyName != wl.company || got.FileName != wl.file || got.IP != wl.ip || got.At.IsZero() {
					t.Errorf("downloads as %s, entry %d: %+v, want %+v", u.Email, i, got, wl)
				}
			}
		}
		// The supplier does not see the log.
		if r := e.apiJSON("GET", w.url("/downloads"), nil, w.sup); r.Code != http.StatusForbidden {
			t.Errorf("supplier's downloads: %d", r.Code)
		}
		page = drawingsHTML(t, e, w.sup, w.d, "en")
		if strings.Contains(page, "Download log") || strings.Contains(page, "198.51.100.77") || !strings.Contains(page, "housing.stp") ||
			!strings.Contains(page, "Your company accepted the confidentiality terms") {
			t.Errorf("supplier's section after accepting:\n%s", page)
		}
		// The buyer's page shows the log in Vietnam time, without
		// addresses.
		page = drawingsHTML(t, e, w.buyer, w.d, "en")
		for _, want := range []string{"Download log", htmlEscape(w.sup.Email), htmlEscape(w.B.Name), "Upload", "Delete"} {
			if !strings.Contains(page, want) {
				t.Errorf("buyer's section lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, "198.51.100.77") {
			t.Errorf("buyer's section shows the supplier's address")
		}
		if !strings.Contains(drawingsHTML(t, e, e.staff(), w.d, "vi"), "198.51.100.77") {
			t.Errorf("the center's section lacks the supplier's address")
		}
		if r := e.do(req{url: fmt.Sprintf("/demands/%d", w.d.ID), as: w.buyer, lang: "en"}); r.Code == 200 {
			if !strings.Contains(r.Body.String(), htmlEscape(w.sup.Email)) {
				t.Errorf("the buyer's demand page lacks the download log")
			}
			if r := e.do(req{url: fmt.Sprintf("/demands/%d", w.d.ID), as: w.sup, lang: "en"}); strings.Contains(r.Body.String(), "Download log") {
				t.Errorf("the supplier's demand page shows the download log")
			}
		} else {
			t.Logf("demand page: %d (the section is checked by itself above)", r.Code)
		}

		// The buyer deletes a file: it is gone for everyone.
		if r := e.apiJSON("DELETE", w.url("/files/%d", files[2].ID), nil, w.buyer); r.Code != http.StatusNoContent {
			t.Errorf("delete: %d %s", r.Code, r.Body.String())
		}
		if r := e.do(req{url: files[2].URL, as: w.buyer}); r.Code != http.StatusNotFound {
			t.Errorf("deleted file: %d", r.Code)
		}
		r = e.postAs(w.buyer, fmt.Sprintf("/demands/%d/files/%d/delete", w.d.ID, files[1].ID), url.Values{}, "en")
		if r.Code != http.StatusSeeOther {
			t.Errorf("page delete: %d %s", r.Code, r.Body.String())
		}
		// The supplier may neither upload nor delete.
		if r := e.uploadDrawing(w.sup, w.url("/files"), "x.pdf", "", drawingPDF); r.Code != http.StatusForbidden {
			t.Errorf("supplier's upload: %d", r.Code)
		}
		if r := e.apiJSON("DELETE", w.url("/files/%d", pdf.ID), nil, w.sup); r.Code != http.StatusForbidden {
			t.Errorf("supplier's delete: %d", r.Code)
		}
	})
}

// TestDrawingTermsChanged: an acceptance covers the terms as shown; when
// the buyer changes them, accepting what was shown is refused, the earlier
// acceptance no longer opens the files, and the new terms are accepted
// anew.
func TestDrawingTermsChanged(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDrawingWorld(t, e)
		f := addDrawingFile(e, w.d, "spec.pdf", drawingPDF)
		content := fmt.Sprintf("/demands/%d/files/%d", w.d.ID, f.ID)

		// Another person of the supplier reads the standard terms; then
		// the buyer writes its own.
		colleague := e.user(sihub.RoleCompanyAdmin, w.B.ID)
		shown := decode[termsJSON](t, e.do(req{url: w.url("/terms"), as: colleague}))
		if r := e.apiJSON("POST", w.url("/terms"), map[string]string{"terms_sha256": shown.SHA256}, w.sup); r.Code != 200 {
			t.Fatalf("accepting the standard terms: %d %s", r.Code, r.Body.String())
		}
		if r := e.do(req{url: content, as: w.sup}); r.Code != 200 {
			t.Fatalf("download after accepting: %d", r.Code)
		}
		d, err := e.db.Demand(context.Background(), w.d.ID)
		if err != nil {
			t.Fatal(err)
		}
		d.Terms = "Bên nhận không được tiết lộ bản vẽ cho bên thứ ba và phải tiêu hủy chúng sau 90 ngày.\nThe recipient shall not disclose the drawings and shall destroy them after 90 days."
		if err := e.db.UpdateDemand(context.Background(), d); err != nil {
			t.Fatal(err)
		}

		// The earlier acceptance no longer opens the files.
		if r := e.do(req{url: content, as: w.sup, lang: "en"}); r.Code != http.StatusForbidden {
			t.Errorf("download after the terms changed: %d", r.Code)
		}
		page := drawingsHTML(t, e, w.sup, d, "en")
		if !strings.Contains(page, "have changed since your company accepted them") || !strings.Contains(page, "destroy them after 90 days") ||
			!strings.Contains(page, "The buyer&#39;s confidentiality terms") {
			t.Errorf("supplier's section after the terms changed:\n%s", page)
		}
		// Accepting the terms the colleague was shown is refused, by API
		// and page alike.
		r := e.apiJSON("POST", w.url("/terms?lang=en"), map[string]string{"terms_sha256": shown.SHA256}, colleague)
		if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "Read the current terms again") {
			t.Errorf("accepting old terms by API: %d %s", r.Code, r.Body.String())
		}
		r = e.postAs(colleague, fmt.Sprintf("/demands/%d/terms", w.d.ID), url.Values{"terms_sha256": {shown.SHA256}}, "vi")
		if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "Hãy đọc lại điều khoản hiện hành") {
			t.Errorf("accepting old terms on the page: %d %s", r.Code, r.Body.String())
		}
		if r := e.apiJSON("POST", w.url("/terms"), map[string]string{}, colleague); r.Code != http.StatusBadRequest {
			t.Errorf("accepting without a digest: %d %s", r.Code, r.Body.String())
		}
		// The current terms are accepted and open the files again.
		now := decode[termsJSON](t, e.do(req{url: w.url("/terms"), as: colleague}))
		if now.Standard || now.Text != d.Terms || now.Accepted {
			t.Errorf("terms after the change: %+v", now)
		}
		r = e.apiJSON("POST", w.url("/terms"), map[string]string{"terms_sha256": now.SHA256}, colleague)
		if r.Code != 200 || !decode[termsJSON](t, r).Accepted {
			t.Errorf("accepting the new terms: %d %s", r.Code, r.Body.String())
		}
		if r := e.do(req{url: content, as: w.sup}); r.Code != 200 {
			t.Errorf("download after accepting the new terms: %d", r.Code)
		}
		// The buyer and the center accept nothing: they read anyway.
		for _, u := range []*sihub.User{w.buyer, e.staff()} {
			if r := e.apiJSON("POST", w.url("/terms"), map[string]string{"terms_sha256": now.SHA256}, u); r.Code != http.StatusForbidden {
				t.Errorf("%s accepting: %d", u.Email, r.Code)
			}
		}
	})
}

// TestDrawingsHidden: whoever may not see the demand gets 404 for all of
// it, whether the demand exists or not; a file of another demand is not
// found through this one.
func TestDrawingsHidden(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDrawingWorld(t, e)
		f := addDrawingFile(e, w.d, "spec.pdf", drawingPDF)
		unverified := e.seed(&sihub.Company{TaxCode: taxCode(3), Name: "Công ty TNHH Chưa Xác Minh", CapabilitiesText: "ép phun nhựa"})
		outsider := e.user(sihub.RoleCompanyAdmin, unverified.ID)
		official := e.user(sihub.RoleOfficial, 0)
		centerOnly := newDrawingDemand(e, w.A, sihub.VisibleCenter)
		cf := addDrawingFile(e, centerOnly, "secret.pdf", drawingPDF)
		closed := newDrawingDemand(e, w.A, sihub.VisibleVerified)
		closedFile := addDrawingFile(e, closed, "old.pdf", drawingPDF)
		if _, err := e.db.SetDemandStatus(context.Background(), closed.ID, sihub.DemandClosed); err != nil {
			t.Fatal(err)
		}
		// The supplier's company has accepted the terms of all three:
		// acceptance never shows a demand it may not see.
		for _, d := range []*sihub.Demand{w.d, centerOnly, closed} {
			text, _ := drawingTerms(d, sihub.VI)
			if err := e.db.AcceptTerms(context.Background(), &sihub.TermsAcceptance{DemandID: d.ID, CompanyID: w.B.ID, UserID: w.sup.ID, TermsSHA256: termsDigest(text)}); err != nil {
				t.Fatal(err)
			}
		}
		calls := func(id, file int64) []call {
			return []call{
				{method: "GET", path: fmt.Sprintf("/demands/%d/files/%d", id, file)},
				{method: "POST", path: fmt.Sprintf("/demands/%d/terms", id), form: url.Values{"terms_sha256": {"x"}}},
				{method: "GET", path: fmt.Sprintf("/api/v1/demands/%d/files", id)},
				{method: "GET", path: fmt.Sprintf("/api/v1/demands/%d/files/%d/content", id, file)},
				{method: "GET", path: fmt.Sprintf("/api/v1/demands/%d/terms", id)},
				{method: "POST", path: fmt.Sprintf("/api/v1/demands/%d/terms", id), json: `{"terms_sha256":"x"}`},
				{method: "GET", path: fmt.Sprintf("/api/v1/demands/%d/downloads", id)},
				{method: "DELETE", path: fmt.Sprintf("/api/v1/demands/%d/files/%d", id, file)},
				{method: "POST", path: fmt.Sprintf("/demands/%d/files/%d/delete", id, file), form: url.Values{}},
				{method: "POST", path: fmt.Sprintf("/api/v1/demands/%d/files", id), multipart: true},
			}
		}
		mf := &matrixFixture{t: t, e: e, users: map[string]*sihub.User{"unverified": outsider, "official": official, "supplier": w.sup}}
		for _, tc := range []struct {
			name, who string
			id, file  int64
		}{
			{"unverified supplier", "unverified", w.d.ID, f.ID},
			{"official", "official", w.d.ID, f.ID},
			{"center-only demand", "supplier", centerOnly.ID, cf.ID},
			{"closed demand", "supplier", closed.ID, closedFile.ID},
			{"no such demand", "supplier", w.d.ID + 1000, f.ID},
		} {
			for _, c := range calls(tc.id, tc.file) {
				if r := mf.ask(c, tc.who); r.Code != http.StatusNotFound {
					t.Errorf("%s: %s %s: %d, want 404: %.200s", tc.name, c.method, c.path, r.Code, r.Body.String())
				}
			}
		}
		// Nobody signed in is asked to sign in, whatever the id.
		for _, c := range calls(w.d.ID+1000, 1) {
			if r := mf.ask(c, "anonymous"); !denied(r) || r.Code == http.StatusNotFound {
				t.Errorf("anonymous %s %s: %d", c.method, c.path, r.Code)
			}
		}
		// A file is reached only through its own demand.
		if r := e.do(req{url: fmt.Sprintf("/api/v1/demands/%d/files/%d/content", w.d.ID, cf.ID), as: w.buyer}); r.Code != http.StatusNotFound {
			t.Errorf("another demand's file: %d", r.Code)
		}
		if r := e.apiJSON("DELETE", fmt.Sprintf("/api/v1/demands/%d/files/%d", w.d.ID, cf.ID), nil, w.buyer); r.Code != http.StatusNotFound {
			t.Errorf("deleting another demand's file: %d", r.Code)
		}
		if r := e.do(req{url: fmt.Sprintf("/api/v1/demands/%d/files/%d/content", centerOnly.ID, cf.ID), as: w.buyer}); r.Code != 200 {
			t.Errorf("the buyer's own center-only file: %d", r.Code)
		}
		// Nothing was logged for the refused requests.
		for _, d := range []*sihub.Demand{w.d, centerOnly, closed} {
			log, err := e.db.Downloads(context.Background(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[int64]int{centerOnly.ID: 1}[d.ID]; len(log) != want {
				t.Errorf("demand %d: %d downloads logged, want %d: %+v", d.ID, len(log), want, log)
			}
		}
	})
}

// TestDrawingFileTypes: drawings, models and specifications are accepted
// by their content; anything else, or a name that lies about the content,
// is refused.
func TestDrawingFileTypes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDrawingWorld(t, e)
		tests := []struct {
			name, file, ctype string
			data              []byte
			status            int
			want              string // stored content type, or a word of the message
		}{
			{"DXF", "vỏ pin.dxf", "image/vnd.dxf", []byte(drawingDXF), 201, sihub.TypeDXF},
			{"STEP", "housing.step", "application/step", []byte(drawingSTEP), 201, sihub.TypeSTEP},
			{"STEP as .stp, generic type", "housing.stp", "application/octet-stream", []byte(drawingSTEP), 201, sihub.TypeSTEP},
			{"PDF", "spec.pdf", "application/pdf", drawingPDF, 201, sihub.TypePDF},
			{"PNG", "photo.png", "image/png", pngBytes, 201, sihub.TypePNG},
			{"executable renamed .pdf", "drawing.pdf", "application/pdf", drawingEXE, http.StatusUnsupportedMediaType, "not accepted"},
			{"PDF named .dxf", "drawing.dxf", "", drawingPDF, http.StatusBadRequest, "extension"},
			{"PNG sent as PDF", "x.png", "application/pdf", pngBytes, http.StatusBadRequest, "was sent as"},
			{"empty", "empty.pdf", "", nil, http.StatusUnprocessableEntity, "not empty"},
		}
		for _, tt := range tests {
			r := e.uploadDrawing(w.buyer, w.url("/files"), tt.file, tt.ctype, tt.data)
			if r.Code != tt.status {
				t.Errorf("%s: %d, want %d: %s", tt.name, r.Code, tt.status, r.Body.String())
				continue
			}
			if tt.status == 201 {
				if got := decode[drawingJSON](t, r); got.ContentType != tt.want || got.Name != tt.file {
					t.Errorf("%s: stored %+v", tt.name, got)
				}
			} else if !strings.Contains(r.Body.String(), tt.want) {
				t.Errorf("%s: %s", tt.name, r.Body.String())
			}
		}
		files := decode[struct{ Items []drawingJSON }](t, e.apiJSON("GET", w.url("/files"), nil, w.buyer)).Items
		if len(files) != 5 {
			t.Errorf("%d files stored, want 5: %+v", len(files), files)
		}
		// The page upload shows a refusal as an error page.
		r := e.uploadDrawing(w.buyer, fmt.Sprintf("/demands/%d/files", w.d.ID), "drawing.pdf", "", drawingEXE)
		if r.Code != http.StatusUnsupportedMediaType || !strings.Contains(r.Body.String(), "not accepted") {
			t.Errorf("page upload of an executable: %d", r.Code)
		}
	})
}

// TestDrawingsSectionBothLanguages renders the section for each kind of
// reader in both languages, with no catalogue key missing.
func TestDrawingsSectionBothLanguages(t *testing.T) {
	e := newEnv(t, "sqlite")
	w := newDrawingWorld(t, e)
	addDrawingFile(e, w.d, "spec.pdf", drawingPDF)
	for _, lang := range []string{"vi", "en"} {
		for _, u := range []*sihub.User{w.buyer, w.sup, e.staff()} {
			page := drawingsHTML(t, e, u, w.d, sihub.Lang(lang))
			if m := missingKey.FindAllString(page, -1); len(m) > 0 || !strings.Contains(page, `id="drawings"`) {
				t.Errorf("%s as %s: missing keys %v\n%s", lang, u.Email, m, page)
			}
		}
	}
	if text, _ := drawingTerms(w.d, sihub.VI); !strings.Contains(text, "bên thứ ba") || !strings.Contains(text, "tiêu hủy") {
		t.Errorf("Vietnamese standard terms: %s", text)
	}
}

// drawingsHTML renders the drawings section of d's page as u sees it in
// lang, the way the demand page includes it.
func drawingsHTML(t *testing.T, e *testEnv, u *sihub.User, d *sihub.Demand, lang sihub.Lang) string {
	t.Helper()
	// The user as a session loads them, with their company's name and
	// verification.
	user, _, err := e.db.SessionUser(context.Background(), e.session(u))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", fmt.Sprintf("/demands/%d", d.ID), nil)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, &reqState{lang: lang, principal: &sihub.Principal{User: user}}))
	view, err := e.s.drawingsView(r, d)
	if err != nil {
		t.Fatalf("drawingsView as %s: %v", u.Email, err)
	}
	var buf bytes.Buffer
	if err := e.s.pages[lang]["home"].ExecuteTemplate(&buf, "drawings", view); err != nil {
		t.Fatalf("drawings template: %v", err)
	}
	return buf.String()
}

// TestDrawingsForInvitees: the center invites a supplier to quote on a
// demand the catalogue hides from suppliers (the center's only). The
// invitation opens the terms to that company, and the drawings once it
// accepted them, on the API and on its quote page; a supplier not invited
// still finds nothing.
func TestDrawingsForInvitees(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newDrawingWorld(t, e)
		w.d = newDrawingDemand(e, w.A, sihub.VisibleCenter)
		pdf := addDrawingFile(e, w.d, "Bản vẽ.pdf", drawingPDF)
		C := e.seed(&sihub.Company{TaxCode: taxCode(3), Name: "Công ty TNHH Nhựa Đồng Nai", CapabilitiesText: "ép phun nhựa"})
		if err := e.db.SetVerified(context.Background(), C.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		outsider := e.user(sihub.RoleCompanyAdmin, C.ID)
		file := w.url("/files/%d/content", pdf.ID)

		// Before the invitation the demand does not exist for B.
		for _, u := range []*sihub.User{w.sup, outsider} {
			for _, path := range []string{w.url("/terms"), file} {
				if r := e.do(req{url: path, as: u}); r.Code != http.StatusNotFound {
					t.Errorf("%s before any invitation, %s: %d", u.Email, path, r.Code)
				}
			}
		}

		r := e.apiJSON("POST", w.url("/rfqs"), map[string]any{"company_ids": []int64{w.B.ID},
			"deadline": time.Now().Add(72 * time.Hour).Format(time.RFC3339)}, e.staff())
		if r.Code != http.StatusCreated {
			t.Fatalf("inviting B: %d %s", r.Code, r.Body)
		}
		iv := decode[rfqCreatedJSON](t, r).Invitations[0]

		terms := decode[termsJSON](t, e.do(req{url: w.url("/terms?lang=en"), as: w.sup}))
		if !terms.CanAccept || terms.CanRead || terms.Accepted {
			t.Fatalf("invited supplier's terms before accepting: %+v", terms)
		}
		if r := e.do(req{url: file, as: w.sup}); r.Code != http.StatusForbidden {
			t.Errorf("invited supplier's download before accepting: %d", r.Code)
		}
		// Accepted from the quote page, the way back is the quote page: the
		// demand's own page does not exist for B.
		r = e.postAs(w.sup, fmt.Sprintf("/demands/%d/terms", w.d.ID), url.Values{"terms_sha256": {terms.SHA256}}, "en")
		if want := pathf("/invitations/%d/quote?done=terms.accepted#drawings", iv.ID); r.Code != http.StatusSeeOther || r.Header().Get("Location") != want {
			t.Fatalf("invited supplier accepting: %d %s, want %s", r.Code, r.Header().Get("Location"), want)
		}
		if got := decode[termsJSON](t, e.do(req{url: w.url("/terms"), as: w.sup})); !got.Accepted || !got.CanRead {
			t.Fatalf("invited supplier's terms after accepting: %+v", got)
		}
		if r := e.do(req{url: file, as: w.sup}); r.Code != http.StatusOK || !bytes.Equal(r.Body.Bytes(), drawingPDF) {
			t.Errorf("invited supplier's download: %d", r.Code)
		}
		// The round's own files follow the same rule.
		up := uploadAs(t, e, e.staff(), pathf("/api/v1/rfqs/%d/files", iv.RFQID), "khuôn.pdf", drawingPDF, "")
		if up.Code != http.StatusCreated {
			t.Fatalf("round file: %d %s", up.Code, up.Body)
		}
		roundFile := pathf("/invitations/%d/quote/files/%d", iv.ID, decode[rfqFileJSON](t, up).ID)
		if r := e.do(req{url: roundFile, as: w.sup}); r.Code != http.StatusOK {
			t.Errorf("invited supplier's download of the round's file: %d", r.Code)
		}
		page := e.do(req{url: pathf("/invitations/%d/quote", iv.ID), as: w.sup, lang: "en"})
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Bản vẽ.pdf") {
			t.Errorf("the quote page does not offer the drawing: %d %.500s", page.Code, page.Body.String())
		}
		// The demand stays hidden from the catalogue, and from C.
		if r := e.do(req{url: fmt.Sprintf("/api/v1/demands/%d", w.d.ID), as: w.sup}); r.Code != http.StatusNotFound {
			t.Errorf("invited supplier reads the center-only demand itself: %d", r.Code)
		}
		for _, path := range []string{w.url("/terms"), file} {
			if r := e.do(req{url: path, as: outsider}); r.Code != http.StatusNotFound {
				t.Errorf("a supplier not invited, %s: %d", path, r.Code)
			}
		}
		// Declining gives the access back.
		if r := e.apiJSON("POST", pathf("/api/v1/invitations/%d/decline", iv.ID), `{"reason":"technology"}`, w.sup); r.Code != http.StatusOK {
			t.Fatalf("decline: %d %s", r.Code, r.Body)
		}
		if r := e.do(req{url: file, as: w.sup}); r.Code != http.StatusNotFound {
			t.Errorf("download after declining: %d", r.Code)
		}
		if r := e.do(req{url: roundFile, as: w.sup}); r.Code == http.StatusOK {
			t.Errorf("download of the round's file after declining: %d", r.Code)
		}
	})
}
