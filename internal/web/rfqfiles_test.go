package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// uploadAs posts a file to path as u, as the pages' and the API's upload
// forms do.
func uploadAs(t *testing.T, e *testEnv, u *sihub.User, path, name string, data []byte, lang string) *httptest.ResponseRecorder {
	t.Helper()
	body, ctype := multipartBody(t, nil, &filePart{field: "file", name: name, data: data})
	return e.do(req{method: "POST", url: path, body: body, ctype: ctype, as: u, lang: lang})
}

// acceptTermsAs accepts demand d's terms for u's company.
func acceptTermsAs(t *testing.T, e *testEnv, d *sihub.Demand, u *sihub.User) {
	t.Helper()
	text, _ := drawingTerms(d, sihub.VI)
	resp := e.apiJSON("POST", pathf("/api/v1/demands/%d/terms", d.ID), map[string]string{"terms_sha256": termsDigest(text)}, u)
	if resp.Code != http.StatusOK {
		t.Fatalf("accept terms: %d %s", resp.Code, resp.Body)
	}
}

func fileIDs(t *testing.T, resp *httptest.ResponseRecorder) []int64 {
	t.Helper()
	if resp.Code != http.StatusOK {
		t.Fatalf("list: %d %s", resp.Code, resp.Body)
	}
	var ids []int64
	for _, f := range decode[rfqFilesJSON](t, resp).Items {
		ids = append(ids, f.ID)
	}
	return ids
}

// wantDownload checks that resp serves data as an attachment that is never
// sniffed.
func wantDownload(t *testing.T, what string, resp *httptest.ResponseRecorder, data []byte) {
	t.Helper()
	h := resp.Header()
	if resp.Code != http.StatusOK || !bytes.Equal(resp.Body.Bytes(), data) || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "private, no-store" {
		t.Errorf("%s: %d %v", what, resp.Code, h)
	}
}

var quotePDF = []byte("%PDF-1.4\n% báo giá chi tiết\n%%EOF\n")

func TestRFQRoundFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		deadline := w.now().Add(24 * time.Hour)
		rq, invs := w.round(t, e, false, deadline, w.s1, w.s2)
		iv1 := invitationOf(invs, w.s1)

		// The buyer uploads from the round's page and through the API.
		resp := uploadAs(t, e, w.buyerUser, pathf("/rfqs/%d/files", rq.ID), "bản vẽ vỏ.pdf", drawingPDF, "vi")
		if resp.Code != http.StatusSeeOther || resp.Header().Get("Location") != pathf("/rfqs/%d?done=rfqfile.uploaded#files", rq.ID) {
			t.Fatalf("page upload: %d %s %s", resp.Code, resp.Header().Get("Location"), resp.Body)
		}
		resp = uploadAs(t, e, e.staff(), pathf("/api/v1/rfqs/%d/files", rq.ID), "mô hình.png", pngBytes, "")
		if resp.Code != http.StatusCreated {
			t.Fatalf("API upload: %d %s", resp.Code, resp.Body)
		}
		png := decode[rfqFileJSON](t, resp)
		if png.RFQID != rq.ID || png.InvitationID != 0 || png.Name != "mô hình.png" || png.ContentType != sihub.TypePNG ||
			resp.Header().Get("Location") != png.URL || png.URL != pathf("/api/v1/rfqs/%d/files/%d/content", rq.ID, png.ID) {
			t.Errorf("uploaded: %+v", png)
		}
		ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/rfqs/%d/files", rq.ID), nil, w.buyerUser))
		if len(ids) != 2 || ids[1] != png.ID {
			t.Fatalf("files: %v", ids)
		}
		pdfID := ids[0]
		// A bad file is refused.
		if resp := uploadAs(t, e, w.buyerUser, pathf("/api/v1/rfqs/%d/files", rq.ID), "x.pdf", []byte("MZ\x90\x00 not a pdf"), ""); resp.Code < 400 || resp.Code >= 500 {
			t.Errorf("bad file: %d %s", resp.Code, resp.Body)
		}
		// The round's page lists them, with the upload form and delete
		// buttons.
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser}).Body.String()
		for _, want := range []string{"bản vẽ vỏ.pdf", "mô hình.png", pathf(`action="/rfqs/%d/files"`, rq.ID), pathf(`action="/rfqs/%d/files/%d/delete"`, rq.ID, pdfID),
			`enctype="multipart/form-data"`} {
			if !strings.Contains(page, want) {
				t.Errorf("round page lacks %q", want)
			}
		}
		wantDownload(t, "buyer's download", e.do(req{url: pathf("/rfqs/%d/files/%d", rq.ID, pdfID), as: w.buyerUser}), drawingPDF)

		// An invited supplier reads them once its company accepted the
		// terms: before, the page says how many wait behind them.
		if resp := e.apiJSON("GET", pathf("/api/v1/rfqs/%d/files", rq.ID), nil, w.su1); resp.Code != http.StatusForbidden {
			t.Errorf("list before the terms: %d", resp.Code)
		}
		if resp := e.do(req{url: pathf("/invitations/%d/quote/files/%d", iv1.ID, pdfID), as: w.su1}); resp.Code != http.StatusForbidden {
			t.Errorf("download before the terms: %d", resp.Code)
		}
		qp := e.do(req{url: invitationPath(iv1.ID), as: w.su1, lang: "en"}).Body.String()
		if !strings.Contains(qp, "The buyer attached files (2)") || strings.Contains(qp, "bản vẽ vỏ.pdf") || !strings.Contains(qp, `href="#drawings"`) {
			t.Errorf("supplier page before the terms")
		}
		acceptTermsAs(t, e, w.d, w.su1)
		if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/rfqs/%d/files", rq.ID), nil, w.su1)); len(ids) != 2 {
			t.Errorf("supplier's list: %v", ids)
		}
		wantDownload(t, "supplier's page download", e.do(req{url: pathf("/invitations/%d/quote/files/%d", iv1.ID, pdfID), as: w.su1}), drawingPDF)
		wantDownload(t, "supplier's API download", e.do(req{url: pathf("/api/v1/rfqs/%d/files/%d/content", rq.ID, png.ID), as: w.su1}), pngBytes)
		// Both downloads, and the buyer's, are in the demand's download log.
		var logged []string
		for _, dl := range decode[struct{ Items []downloadJSON }](t, e.apiJSON("GET", pathf("/api/v1/demands/%d/downloads", w.d.ID), nil, w.buyerUser)).Items {
			if dl.RFQID != rq.ID {
				t.Errorf("logged download %+v: not of the round", dl)
			}
			logged = append(logged, fmt.Sprintf("%s %d", dl.FileName, dl.CompanyID))
		}
		if want := []string{fmt.Sprintf("mô hình.png %d", w.s1.ID), fmt.Sprintf("bản vẽ vỏ.pdf %d", w.s1.ID), fmt.Sprintf("bản vẽ vỏ.pdf %d", w.buyer.ID)}; !slices.Equal(logged, want) {
			t.Errorf("download log %q, want %q", logged, want)
		}
		qp = e.do(req{url: invitationPath(iv1.ID), as: w.su1}).Body.String()
		if !strings.Contains(qp, "bản vẽ vỏ.pdf") || !strings.Contains(qp, pathf(`href="/invitations/%d/quote/files/%d"`, iv1.ID, pdfID)) {
			t.Errorf("supplier page after the terms lacks the files")
		}
		// The supplier neither adds nor removes the round's files, and
		// the buyer's page of the round stays the buyer's.
		if resp := uploadAs(t, e, w.su1, pathf("/api/v1/rfqs/%d/files", rq.ID), "x.pdf", drawingPDF, ""); resp.Code != http.StatusForbidden {
			t.Errorf("supplier uploads a round file: %d", resp.Code)
		}
		if resp := e.apiJSON("DELETE", pathf("/api/v1/rfqs/%d/files/%d", rq.ID, pdfID), nil, w.su1); resp.Code != http.StatusForbidden {
			t.Errorf("supplier deletes a round file: %d", resp.Code)
		}
		if resp := e.do(req{url: pathf("/rfqs/%d/files/%d", rq.ID, pdfID), as: w.su1}); resp.Code != http.StatusForbidden {
			t.Errorf("supplier on the buyer's download: %d", resp.Code)
		}
		// A company not invited to the round learns nothing of it.
		for _, path := range []string{pathf("/api/v1/rfqs/%d/files", rq.ID), pathf("/api/v1/rfqs/%d/files/%d/content", rq.ID, pdfID)} {
			if resp := e.do(req{url: path, as: w.other}); resp.Code != http.StatusNotFound {
				t.Errorf("uninvited %s: %d", path, resp.Code)
			}
		}

		// Declining ends the round's own access; what is left is the
		// drawing rule, by which a verified supplier that accepted the
		// terms reads the files of a demand open to it (TestDrawingsForInvitees
		// has a hidden demand, where nothing is left).
		if resp := e.apiJSON("POST", invPath(iv1, "/decline"), `{"reason":"capacity"}`, w.su1); resp.Code != http.StatusOK {
			t.Fatalf("decline: %d %s", resp.Code, resp.Body)
		}
		if resp := e.do(req{url: pathf("/api/v1/rfqs/%d/files/%d/content", rq.ID, png.ID), as: w.su1}); resp.Code != http.StatusNotFound {
			t.Errorf("after declining, the round's API: %d", resp.Code)
		}
		if resp := e.do(req{url: pathf("/invitations/%d/quote/files/%d", iv1.ID, pdfID), as: w.su1}); resp.Code != http.StatusOK {
			t.Errorf("after declining, a file of a demand open to the supplier: %d", resp.Code)
		}

		// The buyer deletes, from the page and through the API.
		resp = e.postAs(w.buyerUser, pathf("/rfqs/%d/files/%d/delete", rq.ID, pdfID), nil, "vi")
		if resp.Code != http.StatusSeeOther {
			t.Errorf("page delete: %d %s", resp.Code, resp.Body)
		}
		if resp := e.apiJSON("DELETE", pathf("/api/v1/rfqs/%d/files/%d", rq.ID, pdfID), nil, w.buyerUser); resp.Code != http.StatusNotFound {
			t.Errorf("deleting again: %d", resp.Code)
		}
		// After the deadline nothing changes.
		w.clock.Store(deadline.Add(time.Minute).UnixNano())
		if resp := uploadAs(t, e, w.buyerUser, pathf("/api/v1/rfqs/%d/files", rq.ID), "late.pdf", drawingPDF, ""); resp.Code != http.StatusConflict {
			t.Errorf("upload after the deadline: %d %s", resp.Code, resp.Body)
		}
		if resp := e.apiJSON("DELETE", pathf("/api/v1/rfqs/%d/files/%d", rq.ID, png.ID), nil, w.buyerUser); resp.Code != http.StatusConflict {
			t.Errorf("delete after the deadline: %d %s", resp.Code, resp.Body)
		}
		if page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser}).Body.String(); strings.Contains(page, pathf(`action="/rfqs/%d/files"`, rq.ID)) {
			t.Errorf("the closed round offers the upload form")
		}
	})
}

func TestRFQQuoteFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		deadline := w.now().Add(24 * time.Hour)
		rq, invs := w.round(t, e, true, deadline, w.s1, w.s2)
		iv1, iv2 := invitationOf(invs, w.s1), invitationOf(invs, w.s2)

		// Supplier 1 attaches files to its draft, from its page and
		// through the API.
		resp := uploadAs(t, e, w.su1, pathf("/invitations/%d/quote/files", iv1.ID), "báo giá chi tiết.pdf", quotePDF, "vi")
		if resp.Code != http.StatusSeeOther || resp.Header().Get("Location") != invitationPath(iv1.ID)+"?done=rfqfile.uploaded#files" {
			t.Fatalf("page upload: %d %s %s", resp.Code, resp.Header().Get("Location"), resp.Body)
		}
		resp = uploadAs(t, e, w.su1, pathf("/api/v1/invitations/%d/files", iv1.ID), "khuôn.png", pngBytes, "")
		if resp.Code != http.StatusCreated {
			t.Fatalf("API upload: %d %s", resp.Code, resp.Body)
		}
		png := decode[rfqFileJSON](t, resp)
		if png.InvitationID != iv1.ID || png.CompanyID != w.s1.ID || png.Revision != 0 || png.URL != pathf("/api/v1/invitations/%d/files/%d/content", iv1.ID, png.ID) {
			t.Errorf("uploaded: %+v", png)
		}
		ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv1.ID), nil, w.su1))
		if len(ids) != 2 {
			t.Fatalf("own files: %v", ids)
		}
		pdfID := ids[0]
		wantDownload(t, "own draft file", e.do(req{url: pathf("/invitations/%d/quote/files/%d", iv1.ID, pdfID), as: w.su1}), quotePDF)
		qp := e.do(req{url: invitationPath(iv1.ID), as: w.su1, lang: "en"}).Body.String()
		if !strings.Contains(qp, "báo giá chi tiết.pdf") || !strings.Contains(qp, "Draft — goes with your next submission") ||
			!strings.Contains(qp, pathf(`action="/invitations/%d/quote/files/%d/delete"`, iv1.ID, png.ID)) ||
			!strings.Contains(qp, pathf(`action="/invitations/%d/quote/files"`, iv1.ID)) {
			t.Errorf("own page lacks the draft files or the forms")
		}

		// Nobody else sees a draft: the buyer and the center find none,
		// another supplier not even the invitation.
		for _, u := range []*sihub.User{w.buyerUser, e.staff()} {
			if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv1.ID), nil, u)); len(ids) != 0 {
				t.Errorf("%s sees draft files: %v", u.Email, ids)
			}
			for _, path := range []string{pathf("/api/v1/invitations/%d/files/%d/content", iv1.ID, pdfID), pathf("/rfqs/%d/files/%d", rq.ID, pdfID)} {
				if resp := e.do(req{url: path, as: u}); resp.Code != http.StatusNotFound {
					t.Errorf("%s downloads a draft file at %s: %d", u.Email, path, resp.Code)
				}
			}
		}
		competitor := func(when string) {
			t.Helper()
			for _, path := range []string{pathf("/api/v1/invitations/%d/files", iv1.ID), pathf("/api/v1/invitations/%d/files/%d/content", iv1.ID, pdfID),
				pathf("/invitations/%d/quote/files/%d", iv1.ID, pdfID), pathf("/invitations/%d/quote/files/%d", iv2.ID, pdfID),
				pathf("/api/v1/rfqs/%d/files/%d/content", rq.ID, pdfID)} {
				if resp := e.do(req{url: path, as: w.su2}); resp.Code != http.StatusNotFound {
					t.Errorf("%s: a competitor gets %d at %s", when, resp.Code, path)
				}
			}
			if resp := e.apiJSON("DELETE", pathf("/api/v1/invitations/%d/files/%d", iv1.ID, png.ID), nil, w.su2); resp.Code != http.StatusNotFound {
				t.Errorf("%s: a competitor deletes: %d", when, resp.Code)
			}
			acceptTermsAs(t, e, w.d, w.su2)
			page := e.do(req{url: invitationPath(iv2.ID), as: w.su2, lang: "en"}).Body.String()
			if strings.Contains(page, "báo giá chi tiết") || strings.Contains(page, "khuôn.png") || strings.Contains(page, pathf("/files/%d", pdfID)) {
				t.Errorf("%s: the competitor's page shows supplier 1's files", when)
			}
			if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv2.ID), nil, w.su2)); len(ids) != 0 {
				t.Errorf("%s: the competitor's own list: %v", when, ids)
			}
		}
		competitor("draft")

		// A draft file may go; submitting gives the others revision 1,
		// after which they stay.
		if resp := e.postAs(w.su1, pathf("/invitations/%d/quote/files/%d/delete", iv1.ID, png.ID), nil, "vi"); resp.Code != http.StatusSeeOther {
			t.Errorf("delete a draft file: %d %s", resp.Code, resp.Body)
		}
		w.quote(t, e, iv1, sihub.Quote{UnitPrice: 14321, Currency: "VND"})
		resp = e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv1.ID), nil, w.su1)
		if items := decode[rfqFilesJSON](t, resp).Items; len(items) != 1 || items[0].ID != pdfID || items[0].Revision != 1 {
			t.Errorf("after submitting: %+v", items)
		}
		if resp := e.apiJSON("DELETE", pathf("/api/v1/invitations/%d/files/%d", iv1.ID, pdfID), nil, w.su1); resp.Code != http.StatusConflict {
			t.Errorf("delete a submitted file: %d %s", resp.Code, resp.Body)
		}
		if qp := e.do(req{url: invitationPath(iv1.ID), as: w.su1, lang: "en"}).Body.String(); !strings.Contains(qp, "Sent with revision 1") ||
			strings.Contains(qp, pathf(`/files/%d/delete`, pdfID)) {
			t.Errorf("own page after submitting")
		}

		// Sealed: hidden from the buyer and the center until the deadline.
		for _, u := range []*sihub.User{w.buyerUser, e.staff()} {
			if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv1.ID), nil, u)); len(ids) != 0 {
				t.Errorf("%s sees a sealed quote's files: %v", u.Email, ids)
			}
			if resp := e.do(req{url: pathf("/rfqs/%d/files/%d", rq.ID, pdfID), as: u}); resp.Code != http.StatusNotFound {
				t.Errorf("%s downloads a sealed quote's file: %d", u.Email, resp.Code)
			}
			if page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: u}).Body.String(); strings.Contains(page, "báo giá chi tiết") {
				t.Errorf("%s: the round's page shows a sealed quote's file", u.Email)
			}
		}
		competitor("sealed")

		// After the deadline the buyer reads it; the competitor still
		// does not; nothing is added any more.
		w.clock.Store(deadline.Add(time.Minute).UnixNano())
		if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv1.ID), nil, w.buyerUser)); len(ids) != 1 || ids[0] != pdfID {
			t.Errorf("buyer after the deadline: %v", ids)
		}
		wantDownload(t, "buyer's API download", e.do(req{url: pathf("/api/v1/invitations/%d/files/%d/content", iv1.ID, pdfID), as: w.buyerUser}), quotePDF)
		wantDownload(t, "buyer's page download", e.do(req{url: pathf("/rfqs/%d/files/%d", rq.ID, pdfID), as: w.buyerUser}), quotePDF)
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser, lang: "en"}).Body.String()
		if !strings.Contains(page, "báo giá chi tiết.pdf") || !strings.Contains(page, pathf(`href="/rfqs/%d/files/%d"`, rq.ID, pdfID)) ||
			!strings.Contains(page, "rev. 1") {
			t.Errorf("the round's page lacks the quote's file after the deadline")
		}
		competitor("closed")
		if resp := uploadAs(t, e, w.su1, pathf("/api/v1/invitations/%d/files", iv1.ID), "late.pdf", quotePDF, ""); resp.Code != http.StatusConflict {
			t.Errorf("upload after the deadline: %d %s", resp.Code, resp.Body)
		}
	})
}

// In an open round the buyer sees a quote's files as soon as it is
// submitted, never the draft's.
func TestRFQQuoteFilesOpenRound(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		rq, invs := w.round(t, e, false, w.now().Add(24*time.Hour), w.s1)
		iv := invs[0]
		if resp := uploadAs(t, e, w.su1, pathf("/api/v1/invitations/%d/files", iv.ID), "bảng giá.pdf", quotePDF, ""); resp.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.Code, resp.Body)
		}
		w.quote(t, e, iv, sihub.Quote{UnitPrice: 14321, Currency: "VND"})
		if resp := uploadAs(t, e, w.su1, pathf("/api/v1/invitations/%d/files", iv.ID), "nháp.png", pngBytes, ""); resp.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.Code, resp.Body)
		}
		if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv.ID), nil, w.buyerUser)); len(ids) != 1 {
			t.Errorf("buyer's list: %v", ids)
		}
		page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser}).Body.String()
		if !strings.Contains(page, "bảng giá.pdf") || strings.Contains(page, "nháp.png") {
			t.Errorf("the comparison shows the wrong files")
		}

		// Declining withdraws the quote and its files, for all but the
		// supplier.
		if resp := e.apiJSON("POST", invPath(iv, "/decline"), `{"reason":"capacity"}`, w.su1); resp.Code != http.StatusOK {
			t.Fatalf("decline: %d %s", resp.Code, resp.Body)
		}
		if page := e.do(req{url: pathf("/rfqs/%d", rq.ID), as: w.buyerUser, lang: "en"}).Body.String(); !strings.Contains(page, "Reason: No capacity") {
			t.Errorf("the round's page does not name the reason for declining")
		}
		fileID := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv.ID), nil, w.su1))[0]
		for _, u := range []*sihub.User{w.buyerUser, e.staff()} {
			if ids := fileIDs(t, e.apiJSON("GET", pathf("/api/v1/invitations/%d/files", iv.ID), nil, u)); len(ids) != 0 {
				t.Errorf("%s lists a withdrawn quote's files: %v", u.Email, ids)
			}
			for _, path := range []string{pathf("/api/v1/invitations/%d/files/%d/content", iv.ID, fileID), pathf("/rfqs/%d/files/%d", rq.ID, fileID)} {
				if resp := e.do(req{url: path, as: u}); resp.Code != http.StatusNotFound {
					t.Errorf("%s downloads a withdrawn quote's file at %s: %d", u.Email, path, resp.Code)
				}
			}
		}
	})
}

// newRoundBody is the new-round form with files.
func newRoundBody(t *testing.T, fields map[string][]string, files ...filePart) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, f.name))
		pw, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(f.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestRFQNewRoundFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newRFQWorld(t, e)
		day := w.now().Add(10 * 24 * time.Hour).In(vietnam).Format(time.DateOnly)
		fields := map[string][]string{"company": {fmt.Sprint(w.s1.ID)}, "message": {"Kèm bản vẽ"}, "deadline": {day}}
		// The forms send files.
		for _, path := range []string{pathf("/demands/%d/rfqs", w.d.ID), pathf("/demands/%d", w.d.ID)} {
			if page := e.do(req{url: path, as: w.buyerUser}).Body.String(); !strings.Contains(page, `name="files" multiple`) ||
				!strings.Contains(page, pathf(`action="/demands/%d/rfqs" enctype="multipart/form-data"`, w.d.ID)) {
				t.Errorf("%s: the new-round form takes no files", path)
			}
		}
		// One bad file: the form again, nothing created.
		body, ctype := newRoundBody(t, fields, filePart{name: "bản vẽ.pdf", data: drawingPDF}, filePart{name: "virus.pdf", data: []byte("MZ\x90\x00 not a pdf")})
		resp := e.do(req{method: "POST", url: pathf("/demands/%d/rfqs", w.d.ID), body: body, ctype: ctype, as: w.buyerUser, lang: "en"})
		if resp.Code != http.StatusUnprocessableEntity || !strings.Contains(resp.Body.String(), "virus.pdf") || !strings.Contains(resp.Body.String(), "Kèm bản vẽ") {
			t.Errorf("bad file: %d", resp.Code)
		}
		if rs, err := e.db.RFQs(context.Background(), w.d.ID); err != nil || len(rs) != 0 {
			t.Fatalf("a round was created: %v %v", rs, err)
		}
		if ms := e.mails(w.su1.Email); len(ms) != 0 {
			t.Errorf("the supplier was told of a round not created")
		}
		// Good files: the round and its files; an empty file input is
		// no file.
		body, ctype = newRoundBody(t, fields, filePart{name: "bản vẽ.pdf", data: drawingPDF}, filePart{name: "ảnh.png", data: pngBytes}, filePart{name: ""})
		resp = e.do(req{method: "POST", url: pathf("/demands/%d/rfqs", w.d.ID), body: body, ctype: ctype, as: w.buyerUser})
		if resp.Code != http.StatusSeeOther {
			t.Fatalf("new round with files: %d %s", resp.Code, resp.Body)
		}
		rs, err := e.db.RFQs(context.Background(), w.d.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("rounds: %v %v", rs, err)
		}
		fs, err := e.db.RFQFiles(context.Background(), rs[0].ID)
		if err != nil || len(fs) != 2 || fs[0].Name != "bản vẽ.pdf" || fs[1].ContentType != sihub.TypePNG || fs[0].CreatedBy != w.buyerUser.ID {
			t.Errorf("files of the new round: %+v %v", fs, err)
		}
		// Without files, the plain form still works (TestRFQCreateAndInvite).
	})
}

// A new-round form over its limit is refused for the files together, not
// as if one file were too large.
func TestRoundFormTooLarge(t *testing.T) {
	err := roundFormReadError(fmt.Errorf("reading: %w", &http.MaxBytesError{Limit: maxRoundFormBytes}))
	if sihub.ErrorCode(err) != sihub.ErrTooLarge || !strings.Contains(sihub.ErrorMsg(err).In(sihub.EN), "together are larger than 81 MB") {
		t.Errorf("over the limit: %v", err)
	}
	if err := roundFormReadError(io.ErrUnexpectedEOF); sihub.ErrorCode(err) != sihub.ErrInvalid {
		t.Errorf("a broken form: %v", err)
	}
}
