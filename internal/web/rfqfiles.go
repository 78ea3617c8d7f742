package web

// Files of RFQ rounds: the buyer's for every invitee, each supplier's with
// its quote (store/rfqfiles.go keeps them).
//
// The buyer's files of a round are drawings of its demand: the buyer's
// people and the center add and remove them while the round is open, and
// an invited supplier reads them once its company accepted the demand's
// confidentiality terms (sihub.Principal.CanReadRoundFiles). A supplier's
// files go with its quote and are guarded like it: its own company's people
// handle them — a new file belongs to the draft until the next submission,
// after which it cannot be removed — and the buyer and the center read one
// only once it is part of a submitted revision they may see (a sealed
// round hides them until the deadline). Another supplier never learns that
// they exist: their ids answer 404, and no page counts them.

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

func (s *server) rfqFileRoutes() []route {
	return []route{
		// The buyer's and the center's pages (the round's page, rfqs.go).
		{"POST /rfqs/{id}/files", s.uploadRoundFilePage},
		{"GET /rfqs/{id}/files/{file}", s.downloadRoundPageFile},
		{"POST /rfqs/{id}/files/{file}/delete", s.deleteRoundFilePage},
		// The supplier's invitation page (quotes.go). Not under
		// /invitations/{id} alone: /invitations/{token} is an account
		// invitation.
		{"POST /invitations/{id}/quote/files", s.uploadQuoteFilePage},
		{"GET /invitations/{id}/quote/files/{file}", s.downloadInvitationFile},
		{"POST /invitations/{id}/quote/files/{file}/delete", s.deleteQuoteFilePage},

		{"GET /api/v1/rfqs/{id}/files", s.apiRoundFiles},
		{"POST /api/v1/rfqs/{id}/files", s.apiUploadRoundFile},
		{"GET /api/v1/rfqs/{id}/files/{file}/content", s.apiRoundFileContent},
		{"DELETE /api/v1/rfqs/{id}/files/{file}", s.apiDeleteRoundFile},
		{"GET /api/v1/invitations/{id}/files", s.apiQuoteFiles},
		{"POST /api/v1/invitations/{id}/files", s.apiUploadQuoteFile},
		{"GET /api/v1/invitations/{id}/files/{file}/content", s.apiQuoteFileContent},
		{"DELETE /api/v1/invitations/{id}/files/{file}", s.apiDeleteQuoteFile},
	}
}

func rfqFileNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tệp #%d.", "File #%d was not found.", id)
}

func errRoundClosedFiles(rq *sihub.RFQ) error {
	return sihub.Errorf(sihub.ErrConflict,
		"Đợt báo giá %d đã đóng lúc %s (giờ Việt Nam): không thể thêm hay xoá tệp nữa.",
		"Round %d closed at %s (Vietnam time): files can no longer be added or removed.",
		rq.Round, rq.Deadline.In(vietnam).Format("2006-01-02 15:04"))
}

// ---- Loading as the caller may

// fileRound is a round loaded for its files, with what the caller's
// company holds of its demand.
type fileRound struct {
	rq      *sihub.RFQ
	d       *sihub.Demand
	invited bool // the caller's company is invited to this round and has not declined
	access  supplierAccess
}

// canReadRoundFiles reports whether p may read the buyer's files of fr.
func (fr *fileRound) canReadRoundFiles(p *sihub.Principal) bool {
	return p.CanReadRoundFiles(fr.d, fr.invited, fr.access.accepted)
}

// roundOfPath loads the round the path's {id} names for r's principal:
// the buyer's people, the center and the people of a company invited to
// it; anyone else gets 404.
func (s *server) roundOfPath(r *http.Request) (*fileRound, error) {
	p := principal(r)
	if !p.SignedIn() || !p.User.Active() {
		return nil, refuse(p)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	rq, err := s.db.RFQ(ctx, id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, rfqNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	d, err := s.db.Demand(ctx, rq.DemandID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, rfqNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	fr := &fileRound{rq: rq, d: d}
	if cid := p.CompanyID(); cid != 0 && cid != d.BuyerID {
		invs, err := s.db.Invitations(ctx, rq.ID)
		if err != nil {
			return nil, err
		}
		for _, iv := range invs {
			// Declining gives back the round's files, as it does the
			// demand's drawings (store.InvitedTo).
			fr.invited = fr.invited || iv.CompanyID == cid && iv.State != sihub.InvDeclined
		}
	}
	if !p.CanSeeRFQ(d, fr.invited) {
		return nil, rfqNotFound(id)
	}
	if fr.access, err = s.companyAccess(ctx, p, d); err != nil {
		return nil, err
	}
	return fr, nil
}

// roundFileOf loads the file the path's {file} names, which must be one of
// the buyer's files of round rq.
func (s *server) roundFileOf(r *http.Request, rq *sihub.RFQ) (*sihub.RFQFile, error) {
	id, err := pathID(r, "file")
	if err != nil {
		return nil, err
	}
	f, err := s.db.RFQFile(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && (f.RFQID != rq.ID || f.ForQuote()) {
		return nil, rfqFileNotFound(id)
	}
	return f, err
}

// fileInvitation is an invitation loaded for its quote's files, for its
// company's people (own) or the buyer's and the center's.
type fileInvitation struct {
	iv  *sihub.Invitation
	rq  *sihub.RFQ
	d   *sihub.Demand
	own bool
}

// invitationOfPath loads the invitation the path's {id} names for r's
// principal: its company's active people, and the buyer's people and the
// center, who see its submitted files as they see its quote. Anyone else
// gets 404.
func (s *server) invitationOfPath(r *http.Request) (*fileInvitation, error) {
	p := principal(r)
	if !p.SignedIn() {
		return nil, errSignIn
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	iv, err := s.db.Invitation(ctx, id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, quoteInvitationNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	rq, err := s.db.RFQ(ctx, iv.RFQID)
	if err != nil {
		return nil, err
	}
	d, err := s.db.Demand(ctx, iv.DemandID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, quoteInvitationNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	fi := &fileInvitation{iv: iv, rq: rq, d: d, own: iv.CompanyID != d.BuyerID && p.MemberOf(iv.CompanyID)}
	if !fi.own && !p.CanSeeMatches(d) {
		if p.User.CompanyID == iv.CompanyID && !p.User.Active() {
			return nil, notActive(p.User)
		}
		return nil, quoteInvitationNotFound(id)
	}
	return fi, nil
}

// quoteFiles returns invitation iv's files that p may see at now: all of
// them for its own company, the submitted ones of visible revisions for
// the buyer and the center.
func (s *server) quoteFiles(ctx context.Context, p *sihub.Principal, d *sihub.Demand, rq *sihub.RFQ, iv *sihub.Invitation, now time.Time) ([]*sihub.RFQFile, error) {
	if iv.State == sihub.InvDeclined && !(iv.CompanyID != d.BuyerID && p.MemberOf(iv.CompanyID)) {
		// Declining withdrew the quote (store.Quotes leaves it out): its
		// files go with it, for everyone but the supplier itself.
		return []*sihub.RFQFile{}, nil
	}
	fs, err := s.db.InvitationFiles(ctx, iv.ID)
	if err != nil || len(fs) == 0 {
		return []*sihub.RFQFile{}, err
	}
	revs, err := s.db.QuoteRevisions(ctx, iv.ID)
	if err != nil {
		return nil, err
	}
	byRev := map[int]*sihub.Quote{}
	for _, q := range revs {
		byRev[q.Revision] = q
	}
	out := []*sihub.RFQFile{}
	for _, f := range fs {
		if p.CanSeeQuoteFile(d, f, byRev[f.Revision], rq, now) {
			out = append(out, f)
		}
	}
	return out, nil
}

// quoteFileOf loads the file the path's {file} names, which must be one of
// fi's files that r's principal may see; any other answers 404.
func (s *server) quoteFileOf(r *http.Request, fi *fileInvitation) (*sihub.RFQFile, error) {
	id, err := pathID(r, "file")
	if err != nil {
		return nil, err
	}
	fs, err := s.quoteFiles(r.Context(), principal(r), fi.d, fi.rq, fi.iv, s.now())
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.ID == id {
			return f, nil
		}
	}
	return nil, rfqFileNotFound(id)
}

// ---- Uploads

// readRFQFileUpload reads a multipart upload's "file" part (as the
// drawings' upload does: the same types and size limit).
func readRFQFileUpload(w http.ResponseWriter, r *http.Request, f *sihub.RFQFile) ([]byte, error) {
	df, data, err := readDrawingUpload(w, r, 0)
	if err != nil {
		return nil, err
	}
	f.Name, f.ContentType, f.Size = df.Name, df.ContentType, df.Size
	return data, nil
}

func (s *server) addRoundFile(w http.ResponseWriter, r *http.Request, rq *sihub.RFQ, d *sihub.Demand) (*sihub.RFQFile, error) {
	p := principal(r)
	if !p.CanChangeRoundFiles(d) {
		return nil, refuse(p)
	}
	if !rq.Open(s.now()) {
		return nil, errRoundClosedFiles(rq)
	}
	f := &sihub.RFQFile{RFQID: rq.ID, CreatedBy: p.UserID()}
	data, err := readRFQFileUpload(w, r, f)
	if err != nil {
		return nil, err
	}
	return f, s.db.AddRFQFile(r.Context(), f, data)
}

func (s *server) addQuoteFile(w http.ResponseWriter, r *http.Request) (*sihub.RFQFile, error) {
	ic, err := s.answerableInvitation(r) // the invited company's people, while open and not declined
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if !p.CanChangeQuoteFiles(ic.d, ic.iv) {
		return nil, refuse(p)
	}
	f := &sihub.RFQFile{RFQID: ic.r.ID, InvitationID: ic.iv.ID, CreatedBy: p.UserID()}
	data, err := readRFQFileUpload(w, r, f)
	if err != nil {
		return nil, err
	}
	return f, s.db.AddRFQFile(r.Context(), f, data)
}

func (s *server) deleteQuoteFile(r *http.Request) (*sihub.RFQFile, error) {
	ic, err := s.myInvitation(r)
	if err != nil {
		return nil, err
	}
	fi := &fileInvitation{iv: ic.iv, rq: ic.r, d: ic.d, own: true}
	f, err := s.quoteFileOf(r, fi)
	if err != nil {
		return nil, err
	}
	if p := principal(r); !p.CanChangeQuoteFiles(ic.d, ic.iv) {
		return nil, refuse(p)
	}
	if f.Submitted() {
		return nil, sihub.Errorf(sihub.ErrConflict,
			"Tệp %q đã được gửi cùng lần báo giá %d; nó là một phần của hồ sơ báo giá và không thể xoá.",
			"The file %q was submitted with revision %d; it is part of the quote's record and cannot be deleted.", f.Name, f.Revision)
	}
	if !ic.r.Open(s.now()) {
		return nil, errRoundClosedFiles(ic.r)
	}
	return f, s.db.DeleteRFQFile(r.Context(), f.ID)
}

func (s *server) deleteRoundFile(r *http.Request, rq *sihub.RFQ, d *sihub.Demand) error {
	f, err := s.roundFileOf(r, rq)
	if err != nil {
		return err
	}
	if p := principal(r); !p.CanChangeRoundFiles(d) {
		return refuse(p)
	}
	if !rq.Open(s.now()) {
		return errRoundClosedFiles(rq)
	}
	return s.db.DeleteRFQFile(r.Context(), f.ID)
}

// ---- Downloads

// serveRFQFile sends f, a file of round rq, as an attachment under its
// safe name, never sniffed, never cached. A round's own file is a drawing
// of the demand: its download goes to the demand's log first, and one
// that cannot be logged is not served (a HEAD request is neither).
func (s *server) serveRFQFile(w http.ResponseWriter, r *http.Request, rq *sihub.RFQ, f *sihub.RFQFile) error {
	data, err := s.db.RFQFileContent(r.Context(), f.ID)
	if err != nil {
		return err
	}
	if !f.ForQuote() && r.Method != http.MethodHead {
		p := principal(r)
		if err := s.db.LogDownload(r.Context(), &sihub.Download{FileID: f.ID, DemandID: rq.DemandID, RFQID: rq.ID,
			UserID: p.UserID(), CompanyID: p.CompanyID(), IP: s.clientIP(r)}); err != nil {
			return err
		}
	}
	serveConfidential(w, r, f.Name, f.ContentType, data)
	return nil
}

// ---- Pages

func rfqFilesBack(rq *sihub.RFQ) string { return rfqRoundPath(rq.ID) }

func (s *server) uploadRoundFilePage(w http.ResponseWriter, r *http.Request) error {
	rq, d, _, err := s.loadRFQ(r, canSeeMatches)
	if err != nil {
		return err
	}
	if _, err := s.addRoundFile(w, r, rq, d); err != nil {
		return err
	}
	http.Redirect(w, r, rfqFilesBack(rq)+"?done=rfqfile.uploaded#files", http.StatusSeeOther)
	return nil
}

func (s *server) deleteRoundFilePage(w http.ResponseWriter, r *http.Request) error {
	rq, d, _, err := s.loadRFQ(r, canSeeMatches)
	if err != nil {
		return err
	}
	if err := s.deleteRoundFile(r, rq, d); err != nil {
		return err
	}
	http.Redirect(w, r, rfqFilesBack(rq)+"?done=rfqfile.deleted#files", http.StatusSeeOther)
	return nil
}

// downloadRoundPageFile serves, from the round's page, one of the buyer's
// files or a supplier's file the buyer and the center may see.
func (s *server) downloadRoundPageFile(w http.ResponseWriter, r *http.Request) error {
	rq, d, invs, err := s.loadRFQ(r, canSeeMatches)
	if err != nil {
		return err
	}
	id, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.db.RFQFile(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && f.RFQID != rq.ID {
		return rfqFileNotFound(id)
	}
	if err != nil {
		return err
	}
	if f.ForQuote() {
		var iv *sihub.Invitation
		for _, x := range invs {
			if x.ID == f.InvitationID {
				iv = x
			}
		}
		if iv == nil {
			return rfqFileNotFound(id)
		}
		fi := &fileInvitation{iv: iv, rq: rq, d: d}
		if f, err = s.quoteFileOf(r, fi); err != nil {
			return err
		}
	}
	return s.serveRFQFile(w, r, rq, f)
}

func (s *server) uploadQuoteFilePage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.addQuoteFile(w, r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, invitationPath(f.InvitationID)+"?done=rfqfile.uploaded#files", http.StatusSeeOther)
	return nil
}

func (s *server) deleteQuoteFilePage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.deleteQuoteFile(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, invitationPath(f.InvitationID)+"?done=rfqfile.deleted#files", http.StatusSeeOther)
	return nil
}

// downloadInvitationFile serves, from the supplier's invitation page, one
// of the buyer's files of the round (once the terms are accepted) or one
// of the company's own files.
func (s *server) downloadInvitationFile(w http.ResponseWriter, r *http.Request) error {
	ic, err := s.myInvitation(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.db.RFQFile(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && f.RFQID != ic.r.ID {
		return rfqFileNotFound(id)
	}
	if err != nil {
		return err
	}
	if !f.ForQuote() {
		p := principal(r)
		a, err := s.companyAccess(r.Context(), p, ic.d)
		if err != nil {
			return err
		}
		if !p.CanReadRoundFiles(ic.d, ic.iv.State != sihub.InvDeclined, a.accepted) {
			return errAcceptTerms(ic.d.ID)
		}
		return s.serveRFQFile(w, r, ic.r, f)
	}
	if f, err = s.quoteFileOf(r, &fileInvitation{iv: ic.iv, rq: ic.r, d: ic.d, own: true}); err != nil {
		return err
	}
	return s.serveRFQFile(w, r, ic.r, f)
}

// ---- API

// rfqFileJSON is a file as the API shows it, with where to download it.
type rfqFileJSON struct {
	sihub.RFQFile
	URL string `json:"url"`
}

func rfqFileOut(f *sihub.RFQFile) rfqFileJSON {
	u := "/api/v1/rfqs/" + strconv.FormatInt(f.RFQID, 10) + "/files/" + strconv.FormatInt(f.ID, 10) + "/content"
	if f.ForQuote() {
		u = "/api/v1/invitations/" + strconv.FormatInt(f.InvitationID, 10) + "/files/" + strconv.FormatInt(f.ID, 10) + "/content"
	}
	return rfqFileJSON{*f, u}
}

type rfqFilesJSON struct {
	Items []rfqFileJSON `json:"items"`
}

func rfqFilesOut(fs []*sihub.RFQFile) rfqFilesJSON {
	out := rfqFilesJSON{Items: make([]rfqFileJSON, len(fs))}
	for i, f := range fs {
		out.Items[i] = rfqFileOut(f)
	}
	return out
}

func (s *server) apiRoundFiles(w http.ResponseWriter, r *http.Request) error {
	fr, err := s.roundOfPath(r)
	if err != nil {
		return err
	}
	if !fr.canReadRoundFiles(principal(r)) {
		return errAcceptTerms(fr.d.ID)
	}
	fs, err := s.db.RFQFiles(r.Context(), fr.rq.ID)
	if err != nil {
		return err
	}
	var own []*sihub.RFQFile
	for _, f := range fs {
		if !f.ForQuote() {
			own = append(own, f)
		}
	}
	writeJSON(w, http.StatusOK, rfqFilesOut(own))
	return nil
}

func (s *server) apiUploadRoundFile(w http.ResponseWriter, r *http.Request) error {
	fr, err := s.roundOfPath(r)
	if err != nil {
		return err
	}
	f, err := s.addRoundFile(w, r, fr.rq, fr.d)
	if err != nil {
		return err
	}
	out := rfqFileOut(f)
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *server) apiRoundFileContent(w http.ResponseWriter, r *http.Request) error {
	fr, err := s.roundOfPath(r)
	if err != nil {
		return err
	}
	f, err := s.roundFileOf(r, fr.rq)
	if err != nil {
		return err
	}
	if !fr.canReadRoundFiles(principal(r)) {
		return errAcceptTerms(fr.d.ID)
	}
	return s.serveRFQFile(w, r, fr.rq, f)
}

func (s *server) apiDeleteRoundFile(w http.ResponseWriter, r *http.Request) error {
	fr, err := s.roundOfPath(r)
	if err != nil {
		return err
	}
	if err := s.deleteRoundFile(r, fr.rq, fr.d); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) apiQuoteFiles(w http.ResponseWriter, r *http.Request) error {
	fi, err := s.invitationOfPath(r)
	if err != nil {
		return err
	}
	fs, err := s.quoteFiles(r.Context(), principal(r), fi.d, fi.rq, fi.iv, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rfqFilesOut(fs))
	return nil
}

func (s *server) apiUploadQuoteFile(w http.ResponseWriter, r *http.Request) error {
	f, err := s.addQuoteFile(w, r)
	if err != nil {
		return err
	}
	out := rfqFileOut(f)
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *server) apiQuoteFileContent(w http.ResponseWriter, r *http.Request) error {
	fi, err := s.invitationOfPath(r)
	if err != nil {
		return err
	}
	f, err := s.quoteFileOf(r, fi)
	if err != nil {
		return err
	}
	return s.serveRFQFile(w, r, fi.rq, f)
}

func (s *server) apiDeleteQuoteFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.deleteQuoteFile(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- The pages' sections

// rfqFileRow is a file as the pages list it.
type rfqFileRow struct {
	ID        int64
	Name      string
	Type      string
	Size      int64
	CreatedAt time.Time
	Revision  int
	URL       string // where to download it
	CanDelete bool
}

func rfqFileRowOf(f *sihub.RFQFile, url string, canDelete bool) rfqFileRow {
	return rfqFileRow{ID: f.ID, Name: f.Name, Type: fileTypeLabel(f.ContentType), Size: f.Size, CreatedAt: f.CreatedAt,
		Revision: f.Revision, URL: url, CanDelete: canDelete}
}

// fillRFQFiles adds to the round's page the buyer's files and, for each
// quote compared, the files of its revisions the reader may see.
func (s *server) fillRFQFiles(r *http.Request, pg *rfqPageData) error {
	ctx, p, now := r.Context(), principal(r), s.now()
	rq, d := pg.R, pg.D // d as the reader sees it: its ids and buyer are whole
	fs, err := s.db.RFQFiles(ctx, rq.ID)
	if err != nil {
		return err
	}
	open := rq.Open(now)
	pg.CanChangeFiles = open && p.CanChangeRoundFiles(d)
	pg.MaxFiles = sihub.MaxRFQFiles
	base := rfqRoundPath(rq.ID) + "/files/"
	for _, f := range fs {
		if !f.ForQuote() {
			pg.Files = append(pg.Files, rfqFileRowOf(f, base+strconv.FormatInt(f.ID, 10), pg.CanChangeFiles))
		}
	}
	pg.QuoteFileRows = map[int64][]rfqFileRow{}
	if pg.Comparison == nil {
		return nil
	}
	for _, row := range pg.Comparison.Rows {
		byRev := map[int]*sihub.Quote{}
		for _, q := range row.Revisions {
			byRev[q.Revision] = q
		}
		byRev[row.Q.Revision] = row.Q
		for _, f := range fs {
			if f.InvitationID != row.Q.InvitationID || f.Revision > row.Q.Revision {
				continue
			}
			if p.CanSeeQuoteFile(d, f, byRev[f.Revision], rq, now) {
				pg.QuoteFileRows[f.InvitationID] = append(pg.QuoteFileRows[f.InvitationID],
					rfqFileRowOf(f, base+strconv.FormatInt(f.ID, 10), false))
			}
		}
	}
	return nil
}

// QuoteFiles lists the files the reader may see of the quote under
// invitation invID, for the comparison.
func (pg *rfqPageData) QuoteFiles(invID int64) []rfqFileRow { return pg.QuoteFileRows[invID] }

// quoteFilesSection is the files part of the supplier's invitation page.
type quoteFilesSection struct {
	InvitationID int64
	// RoundFiles are the buyer's files when the company may read them;
	// otherwise RoundLocked counts them and DemandID links to the terms.
	CanReadRound bool
	RoundFiles   []rfqFileRow
	RoundLocked  int
	DemandID     int64
	// Mine are the company's files, the draft's and each revision's.
	Mine      []rfqFileRow
	CanUpload bool
}

// quoteFilesView gathers the files of ic's round for its supplier's page.
func (s *server) quoteFilesView(r *http.Request, ic *invitationCtx, canAnswer bool) (*quoteFilesSection, error) {
	ctx, p, now := r.Context(), principal(r), s.now()
	v := &quoteFilesSection{InvitationID: ic.iv.ID, DemandID: ic.d.ID, CanUpload: canAnswer && p.CanChangeQuoteFiles(ic.d, ic.iv)}
	a, err := s.companyAccess(ctx, p, ic.d)
	if err != nil {
		return nil, err
	}
	v.CanReadRound = p.CanReadRoundFiles(ic.d, ic.iv.State != sihub.InvDeclined, a.accepted)
	fs, err := s.db.RFQFiles(ctx, ic.r.ID)
	if err != nil {
		return nil, err
	}
	base := invitationPath(ic.iv.ID) + "/files/"
	for _, f := range fs {
		if f.ForQuote() {
			continue
		}
		if v.CanReadRound {
			v.RoundFiles = append(v.RoundFiles, rfqFileRowOf(f, base+strconv.FormatInt(f.ID, 10), false))
		} else {
			v.RoundLocked++
		}
	}
	mine, err := s.quoteFiles(ctx, p, ic.d, ic.r, ic.iv, now)
	if err != nil {
		return nil, err
	}
	for _, f := range mine {
		v.Mine = append(v.Mine, rfqFileRowOf(f, base+strconv.FormatInt(f.ID, 10), v.CanUpload && !f.Submitted()))
	}
	return v, nil
}

// ---- The new-round form's files

// maxRoundFormBytes bounds the new-round form with its files.
const maxRoundFormBytes = 4*maxDocumentBytes + 1<<20

// roundUpload is a file chosen on the new-round form.
type roundUpload struct {
	name, declared string
	data           []byte
}

// readRoundForm reads the new-round form, a plain form or a multipart one
// carrying files in the "files" field (an empty file input sends a part
// without a name, which is skipped). Files too large are left for
// checkRoundUploads to name.
func readRoundForm(w http.ResponseWriter, r *http.Request) (url.Values, []roundUpload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := parsePostForm(w, r); err != nil {
			return nil, nil, err
		}
		return r.PostForm, nil, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRoundFormBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, sihub.Errorf(sihub.ErrInvalid, "Không đọc được biểu mẫu.", "The form could not be read.")
	}
	form := url.Values{}
	var files []roundUpload
	fieldBytes := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, roundFormReadError(err)
		}
		if part.FileName() == "" && part.FormName() != "files" {
			b, err := io.ReadAll(io.LimitReader(part, maxFormBytes+1))
			if err != nil {
				return nil, nil, roundFormReadError(err)
			}
			if fieldBytes += len(b); fieldBytes > maxFormBytes {
				return nil, nil, sihub.Errorf(sihub.ErrTooLarge, "Biểu mẫu quá lớn (tối đa 1 MiB).", "The form is too large (at most 1 MiB).")
			}
			form.Add(part.FormName(), string(b))
		} else if part.FormName() == "files" && part.FileName() != "" {
			data, err := io.ReadAll(io.LimitReader(part, maxDocumentBytes+1))
			if err != nil {
				return nil, nil, roundFormReadError(err)
			}
			files = append(files, roundUpload{name: part.FileName(), declared: part.Header.Get("Content-Type"), data: data})
		}
		part.Close()
	}
	r.PostForm = form
	return form, files, nil
}

// roundFormReadError names the new-round form's own limit: its files
// together, not one file, went over it.
func roundFormReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return sihub.Errorf(sihub.ErrTooLarge,
			"Các tệp chọn cùng lúc vượt quá %d MB. Hãy mở đợt với một phần tệp, rồi thêm phần còn lại trên trang của đợt.",
			"The files chosen together are larger than %d MB. Open the round with some of them, then add the rest on the round's page.",
			maxRoundFormBytes>>20)
	}
	return uploadReadError(err)
}

// checkRoundUploads checks every file of the new-round form, before
// anything is created, and returns them ready to store with the round.
func checkRoundUploads(ups []roundUpload) ([]store.RFQUpload, sihub.Problems) {
	var (
		probs sihub.Problems
		fs    []store.RFQUpload
	)
	if len(ups) > sihub.MaxRFQFiles {
		probs.Add("files", sihub.M("Tối đa %d tệp cho một đợt.", "At most %d files for a round.", sihub.MaxRFQFiles))
		return nil, probs
	}
	for _, u := range ups {
		if len(u.data) == 0 {
			probs.Add("files", sihub.M("Tệp %q rỗng.", "The file %q is empty.", sihub.SafeFileName(u.name)))
			continue
		}
		name, ct, err := sihub.CheckAttachment(u.name, u.declared, u.data, sihub.RFQFileTypes)
		if err != nil {
			probs.Add("files", sihub.ErrorMsg(err))
			continue
		}
		fs = append(fs, store.RFQUpload{File: &sihub.RFQFile{Name: name, ContentType: ct}, Data: u.data})
	}
	return fs, probs
}
