package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// A demand's drawings and specifications (issue 5): the buyer and the
// center upload them; a supplier that sees the demand reads them only once
// its company has accepted the buyer's confidentiality terms, as they read
// now; every download is logged and the log is the buyer's and the
// center's. A supplier that may not see the demand gets 404 for all of it,
// so that demand ids do not leak.

func (s *server) drawingRoutes() []route {
	return []route{
		{"POST /demands/{id}/files", s.uploadDrawingPage},
		{"GET /demands/{id}/files/{file}", s.downloadDrawing},
		{"POST /demands/{id}/files/{file}/delete", s.deleteDrawingPage},
		{"POST /demands/{id}/terms", s.acceptTermsPage},

		{"GET /api/v1/demands/{id}/files", s.apiDrawings},
		{"POST /api/v1/demands/{id}/files", s.apiUploadDrawing},
		{"GET /api/v1/demands/{id}/files/{file}/content", s.downloadDrawing},
		{"DELETE /api/v1/demands/{id}/files/{file}", s.apiDeleteDrawing},
		{"GET /api/v1/demands/{id}/terms", s.apiTerms},
		{"POST /api/v1/demands/{id}/terms", s.apiAcceptTerms},
		{"GET /api/v1/demands/{id}/downloads", s.apiDownloads},
	}
}

var errTermsChanged = sihub.Errorf(sihub.ErrConflict,
	"Điều khoản bảo mật đã thay đổi kể từ khi bạn mở chúng. Hãy đọc lại điều khoản hiện hành rồi chấp nhận.",
	"The confidentiality terms have changed since you opened them. Read the current terms again, then accept them.")

// errAcceptTerms answers a supplier that sees demand id but has not
// accepted its terms as they read now.
func errAcceptTerms(id int64) error {
	return sihub.Errorf(sihub.ErrForbidden,
		"Bản vẽ và tài liệu của nhu cầu này chỉ hiện sau khi doanh nghiệp của bạn chấp nhận điều khoản bảo mật của bên mua. Hãy đọc điều khoản trên trang nhu cầu hoặc trang lời mời báo giá (/demands/%d, hoặc GET /api/v1/demands/%d/terms) rồi chấp nhận.",
		"This demand's drawings and specifications are shown only once your company accepts the buyer's confidentiality terms. Read the terms on the demand's page or on your invitation to quote (/demands/%d, or GET /api/v1/demands/%d/terms), then accept them.",
		id, id)
}

func drawingDemandNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy nhu cầu #%d.", "Demand #%d was not found.", id)
}

func drawingNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tệp #%d của nhu cầu này.", "File #%d of this demand was not found.", id)
}

// drawingsDemand loads the demand the path's {id} names. Nobody signed in,
// or an account not active, is refused before anything is looked up; a
// demand the asker may not see answers as one that does not exist.
func (s *server) drawingsDemand(r *http.Request) (*sihub.Demand, error) {
	p := principal(r)
	if !p.SignedIn() || !p.User.Active() {
		return nil, refuse(p)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := s.db.Demand(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, drawingDemandNotFound(id)
	}
	if err != nil || p.CanSeeDemand(d) {
		return d, err
	}
	// An invited supplier reaches the terms and drawings of a demand the
	// catalogue hides from it.
	invited, err := s.invited(r.Context(), p, d)
	if err != nil {
		return nil, err
	}
	if !invited {
		return nil, drawingDemandNotFound(id)
	}
	return d, nil
}

// invited reports whether p's company, not d's buyer, is invited to quote
// on d.
func (s *server) invited(ctx context.Context, p *sihub.Principal, d *sihub.Demand) (bool, error) {
	cid := p.CompanyID()
	if cid == 0 || cid == d.BuyerID {
		return false, nil
	}
	return s.db.InvitedTo(ctx, d.ID, cid)
}

// drawingOf loads the file the path's {file} names, which must belong to d.
func (s *server) drawingOf(r *http.Request, d *sihub.Demand) (*sihub.DemandFile, error) {
	id, err := pathID(r, "file")
	if err != nil {
		return nil, err
	}
	f, err := s.db.DemandFile(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && f.DemandID != d.ID {
		return nil, drawingNotFound(id)
	}
	return f, err
}

// ---- Terms

// drawingTerms returns the terms a supplier accepts for d, in the words
// shown in lang: the buyer's own, or the center's standard terms.
func drawingTerms(d *sihub.Demand, lang sihub.Lang) (text string, standard bool) {
	if strings.TrimSpace(d.Terms) != "" {
		return d.Terms, false
	}
	return tr(lang, "drawings.terms.standard"), true
}

func termsDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// termsCurrent reports whether digest is that of d's terms as they read
// now, in either language: the standard terms bind alike in both.
func termsCurrent(d *sihub.Demand, digest string) bool {
	for _, lang := range []sihub.Lang{sihub.VI, sihub.EN} {
		if text, _ := drawingTerms(d, lang); termsDigest(text) == digest {
			return true
		}
	}
	return false
}

// supplierAccess is what a supplier company holds of a demand: an
// invitation to quote on it, and its acceptance of the terms, accepted
// when that acceptance covers the terms as they read now (an acceptance of
// earlier wording is kept but no longer opens the drawings).
type supplierAccess struct {
	invited  bool
	terms    *sihub.TermsAcceptance
	accepted bool
}

// canAccept and canRead apply the drawing rules to p with this access.
func (a supplierAccess) canAccept(p *sihub.Principal, d *sihub.Demand) bool {
	return p.CanAcceptTerms(d, a.invited)
}
func (a supplierAccess) canRead(p *sihub.Principal, d *sihub.Demand) bool {
	return p.CanReadDrawings(d, a.invited, a.accepted)
}

// companyAccess returns p's company's access to d. The buyer's people and
// people of no company hold none.
func (s *server) companyAccess(ctx context.Context, p *sihub.Principal, d *sihub.Demand) (supplierAccess, error) {
	var a supplierAccess
	cid := p.CompanyID()
	if cid == 0 || p.MemberOf(d.BuyerID) {
		return a, nil
	}
	var err error
	if a.invited, err = s.invited(ctx, p, d); err != nil {
		return a, err
	}
	if a.terms, err = s.db.TermsAcceptance(ctx, d.ID, cid); err != nil {
		return a, err
	}
	a.accepted = a.terms != nil && termsCurrent(d, a.terms.TermsSHA256)
	return a, nil
}

// acceptTerms records that r's principal accepted d's terms for its
// company, as the text whose digest they were shown.
func (s *server) acceptTerms(r *http.Request, d *sihub.Demand, digest string) error {
	p := principal(r)
	a, err := s.companyAccess(r.Context(), p, d)
	if err != nil {
		return err
	}
	if !a.canAccept(p, d) {
		return refuse(p)
	}
	digest = strings.ToLower(strings.TrimSpace(digest))
	if digest == "" {
		return badRequest((&sihub.Problems{{Field: "terms_sha256", Msg: sihub.M(
			"Thiếu mã SHA-256 của điều khoản đã đọc; lấy mã này từ GET /api/v1/demands/%d/terms.",
			"The SHA-256 of the terms you read is missing; GET /api/v1/demands/%d/terms gives it.", d.ID)}}).Err())
	}
	if !termsCurrent(d, digest) {
		return errTermsChanged
	}
	return s.db.AcceptTerms(r.Context(), &sihub.TermsAcceptance{
		DemandID: d.ID, CompanyID: p.CompanyID(), UserID: p.UserID(), TermsSHA256: digest})
}

func (s *server) acceptTermsPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return err
	}
	if err := s.acceptTerms(r, d, r.PostFormValue("terms_sha256")); err != nil {
		return err
	}
	back, err := s.termsBack(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	http.Redirect(w, r, back+"?done=terms.accepted#drawings", http.StatusSeeOther)
	return nil
}

// termsBack is the page to return to after accepting d's terms: the
// demand's, or for a supplier that reaches d only by its invitation (d is
// hidden from the catalogue) its latest invitation's.
func (s *server) termsBack(ctx context.Context, p *sihub.Principal, d *sihub.Demand) (string, error) {
	if p.CanSeeDemand(d) {
		return drawingsBackURL(d.ID), nil
	}
	invs, err := s.db.InvitationsOf(ctx, p.CompanyID())
	if err != nil {
		return "", err
	}
	for _, iv := range invs { // newest first
		if iv.DemandID == d.ID {
			return invitationPath(iv.ID), nil
		}
	}
	return drawingsBackURL(d.ID), nil
}

// termsJSON is a demand's terms as the API shows them to the caller.
type termsJSON struct {
	DemandID int64      `json:"demand_id"`
	Text     string     `json:"text"`
	SHA256   string     `json:"sha256"`   // send it back to accept this text
	Standard bool       `json:"standard"` // the center's standard terms, not the buyer's own
	Lang     sihub.Lang `json:"lang"`
	// Accepted: the caller's company accepted the terms as they read now.
	Accepted   bool       `json:"accepted"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	// CanAccept: the caller may accept them for its company; CanRead: the
	// caller may download the files.
	CanAccept bool `json:"can_accept"`
	CanRead   bool `json:"can_read_files"`
}

func (s *server) termsFor(r *http.Request, d *sihub.Demand) (termsJSON, error) {
	p, lang := principal(r), langFromRequest(r)
	a, err := s.companyAccess(r.Context(), p, d)
	if err != nil {
		return termsJSON{}, err
	}
	text, standard := drawingTerms(d, lang)
	out := termsJSON{DemandID: d.ID, Text: text, SHA256: termsDigest(text), Standard: standard, Lang: lang,
		Accepted: a.accepted, CanAccept: a.canAccept(p, d), CanRead: a.canRead(p, d)}
	if a.accepted {
		out.AcceptedAt = &a.terms.AcceptedAt
	}
	return out, nil
}

func (s *server) apiTerms(w http.ResponseWriter, r *http.Request) error {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return err
	}
	out, err := s.termsFor(r, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiAcceptTerms(w http.ResponseWriter, r *http.Request) error {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return err
	}
	var in struct {
		TermsSHA256 string `json:"terms_sha256"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.acceptTerms(r, d, in.TermsSHA256); err != nil {
		return err
	}
	return s.apiTerms(w, r)
}

// ---- Files

// readDrawingUpload reads a multipart upload's "file" part, as
// readDocumentUpload does, and checks it against the demand file types.
func readDrawingUpload(w http.ResponseWriter, r *http.Request, demandID int64) (*sihub.DemandFile, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDocumentBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, sihub.Errorf(sihub.ErrInvalid, "Yêu cầu phải là biểu mẫu multipart/form-data có trường file.",
			"The request must be multipart/form-data with a file field.")
	}
	var (
		name, declared string
		data           []byte
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, uploadReadError(err)
		}
		if part.FormName() == "file" && data == nil {
			name, declared = part.FileName(), part.Header.Get("Content-Type")
			data, err = io.ReadAll(io.LimitReader(part, maxDocumentBytes+1))
			if err != nil {
				return nil, nil, uploadReadError(err)
			}
			if len(data) > maxDocumentBytes {
				return nil, nil, errDocumentTooLarge
			}
		}
		part.Close()
	}
	if len(data) == 0 {
		return nil, nil, (&sihub.Problems{{Field: "file", Msg: sihub.M("Hãy chọn một tệp không rỗng.", "Choose a file that is not empty.")}}).Err()
	}
	safeName, contentType, err := sihub.CheckAttachment(name, declared, data, sihub.DemandFileTypes)
	if err != nil {
		return nil, nil, err
	}
	return &sihub.DemandFile{DemandID: demandID, Name: safeName, ContentType: contentType, Size: int64(len(data))}, data, nil
}

func (s *server) addDrawing(w http.ResponseWriter, r *http.Request) (*sihub.DemandFile, error) {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return nil, err
	}
	if p := principal(r); !p.CanManageDemand(d) {
		return nil, refuse(p)
	}
	f, data, err := readDrawingUpload(w, r, d.ID)
	if err != nil {
		return nil, err
	}
	return f, s.db.AddDemandFile(r.Context(), f, data)
}

func (s *server) deleteDrawing(r *http.Request) (*sihub.DemandFile, error) {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return nil, err
	}
	f, err := s.drawingOf(r, d)
	if err != nil {
		return nil, err
	}
	if p := principal(r); !p.CanManageDemand(d) {
		return nil, refuse(p)
	}
	return f, s.db.DeleteDemandFile(r.Context(), f.ID)
}

func drawingsBackURL(id int64) string { return "/demands/" + strconv.FormatInt(id, 10) }

func (s *server) uploadDrawingPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.addDrawing(w, r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, drawingsBackURL(f.DemandID)+"?done=drawing.uploaded#drawings", http.StatusSeeOther)
	return nil
}

func (s *server) deleteDrawingPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.deleteDrawing(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, drawingsBackURL(f.DemandID)+"?done=drawing.deleted#drawings", http.StatusSeeOther)
	return nil
}

// downloadDrawing serves a file to whoever may read the demand's drawings,
// and logs the download first: a download that cannot be logged is not
// served. A HEAD request transfers nothing and is not logged. The file is
// never cached, so that every copy taken is in the log.
func (s *server) downloadDrawing(w http.ResponseWriter, r *http.Request) error {
	d, err := s.readableDrawings(r)
	if err != nil {
		return err
	}
	f, err := s.drawingOf(r, d)
	if err != nil {
		return err
	}
	p := principal(r)
	data, err := s.db.DemandFileContent(r.Context(), f.ID)
	if err != nil {
		return err
	}
	if r.Method != http.MethodHead {
		if err := s.db.LogDownload(r.Context(), &sihub.Download{FileID: f.ID, DemandID: d.ID,
			UserID: p.UserID(), CompanyID: p.CompanyID(), IP: s.clientIP(r)}); err != nil {
			return err
		}
	}
	serveConfidential(w, r, f.Name, f.ContentType, data)
	return nil
}

// serveConfidential sends a confidential file (a drawing, a round's or a
// quote's file) as a download: its type the one sniffed at upload, a
// sandbox so that even a mislabelled file runs nothing on this origin, and
// never cached, so that every copy is taken through a check (and, for
// drawings, the log).
func serveConfidential(w http.ResponseWriter, r *http.Request, name, contentType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", contentDisposition("attachment", name))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

type drawingJSON struct {
	sihub.DemandFile
	URL string `json:"url"`
}

func drawingOut(f *sihub.DemandFile) drawingJSON {
	return drawingJSON{*f, "/api/v1/demands/" + strconv.FormatInt(f.DemandID, 10) + "/files/" + strconv.FormatInt(f.ID, 10) + "/content"}
}

// readableDrawings returns the demand of r's path when its principal may
// read its files.
func (s *server) readableDrawings(r *http.Request) (*sihub.Demand, error) {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	a, err := s.companyAccess(r.Context(), p, d)
	if err != nil {
		return nil, err
	}
	if !a.canRead(p, d) {
		return nil, errAcceptTerms(d.ID)
	}
	return d, nil
}

func (s *server) apiDrawings(w http.ResponseWriter, r *http.Request) error {
	d, err := s.readableDrawings(r)
	if err != nil {
		return err
	}
	fs, err := s.db.DemandFiles(r.Context(), d.ID)
	if err != nil {
		return err
	}
	out := struct {
		Items []drawingJSON `json:"items"`
	}{Items: make([]drawingJSON, len(fs))}
	for i, f := range fs {
		out.Items[i] = drawingOut(f)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiUploadDrawing(w http.ResponseWriter, r *http.Request) error {
	f, err := s.addDrawing(w, r)
	if err != nil {
		return err
	}
	out := drawingOut(f)
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *server) apiDeleteDrawing(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.deleteDrawing(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- Download log

// downloadJSON is a logged download with its company's name. The address
// is shown to the center only: the buyer learns who took its drawings, not
// where the supplier's people connect from.
type downloadJSON struct {
	sihub.Download
	CompanyName string `json:"company_name"`
}

// downloadLog returns d's downloads as r's principal may see them.
func (s *server) downloadLog(r *http.Request, d *sihub.Demand) ([]downloadJSON, error) {
	ctx, p := r.Context(), principal(r)
	ds, err := s.db.Downloads(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{0: tr(langFromRequest(r), "drawings.log.center")}
	out := make([]downloadJSON, len(ds))
	for i, dl := range ds {
		name, ok := names[dl.CompanyID]
		if !ok {
			c, err := s.db.Company(ctx, dl.CompanyID)
			switch {
			case err == nil:
				name = c.Name
			case sihub.ErrorCode(err) == sihub.ErrNotFound:
				name = "#" + strconv.FormatInt(dl.CompanyID, 10)
			default:
				return nil, err
			}
			names[dl.CompanyID] = name
		}
		out[i] = downloadJSON{Download: *dl, CompanyName: name}
		if !p.Staff() {
			out[i].IP = ""
		}
	}
	return out, nil
}

func (s *server) apiDownloads(w http.ResponseWriter, r *http.Request) error {
	d, err := s.drawingsDemand(r)
	if err != nil {
		return err
	}
	if p := principal(r); !p.CanSeeDownloads(d) {
		return refuse(p)
	}
	items, err := s.downloadLog(r, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Items []downloadJSON `json:"items"`
	}{items})
	return nil
}

// ---- The demand page's section

// drawingsData is what templates/_drawings.html renders on a demand's
// page; each part is filled only for those who may see it.
type drawingsData struct {
	DemandID int64
	// CanRead: Files lists the files; otherwise FileCount says how many
	// wait behind the terms.
	CanRead   bool
	Files     []drawingRow
	FileCount int
	// AcceptedAt: when the asker's company accepted the current terms.
	AcceptedAt *time.Time
	// NeedTerms: a supplier that has not accepted the terms as they read
	// now (Renew: it accepted an earlier wording) is shown them, with the
	// form to accept them for CompanyName when CanAccept.
	NeedTerms     bool
	Renew         bool
	Terms         string
	TermsSHA256   string
	StandardTerms bool
	CanAccept     bool
	CompanyName   string
	// CanManage shows the upload form and delete buttons.
	CanManage bool
	// CanSeeDownloads shows Downloads; ShowIP its addresses (the center).
	CanSeeDownloads bool
	ShowIP          bool
	Downloads       []downloadJSON
}

type drawingRow struct {
	ID        int64
	Name      string
	Type      string
	Size      int64
	CreatedAt time.Time
}

// drawingsView returns the drawings section of demand d's page for r's
// principal, who may see d.
func (s *server) drawingsView(r *http.Request, d *sihub.Demand) (any, error) {
	ctx, p, lang := r.Context(), principal(r), langFromRequest(r)
	a, err := s.companyAccess(ctx, p, d)
	if err != nil {
		return nil, err
	}
	fs, err := s.db.DemandFiles(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	v := &drawingsData{DemandID: d.ID, CanRead: a.canRead(p, d), FileCount: len(fs),
		CanManage: p.CanManageDemand(d), CanSeeDownloads: p.CanSeeDownloads(d), ShowIP: p.Staff()}
	if v.CanRead {
		for _, f := range fs {
			v.Files = append(v.Files, drawingRow{f.ID, f.Name, fileTypeLabel(f.ContentType), f.Size, f.CreatedAt})
		}
		if a.accepted {
			v.AcceptedAt = &a.terms.AcceptedAt
		}
	} else if p.CompanyID() != 0 {
		v.NeedTerms, v.Renew = true, a.terms != nil
		v.Terms, v.StandardTerms = drawingTerms(d, lang)
		v.TermsSHA256 = termsDigest(v.Terms)
		v.CanAccept = a.canAccept(p, d)
		v.CompanyName = orgName(p.User)
	}
	if v.CanSeeDownloads {
		if v.Downloads, err = s.downloadLog(r, d); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// fileTypeLabel names a demand file's type for people.
func fileTypeLabel(contentType string) string {
	switch contentType {
	case sihub.TypePDF:
		return "PDF"
	case sihub.TypePNG:
		return "PNG"
	case sihub.TypeJPEG:
		return "JPEG"
	case sihub.TypeWebP:
		return "WebP"
	case sihub.TypeGIF:
		return "GIF"
	case sihub.TypeDXF:
		return "DXF"
	case sihub.TypeSTEP:
		return "STEP"
	case sihub.TypeXLSX:
		return "Excel"
	case sihub.TypeDOCX:
		return "Word"
	case sihub.TypeZIP:
		return "ZIP"
	}
	return contentType
}
