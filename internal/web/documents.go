package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// maxDocumentBytes bounds one uploaded document.
const maxDocumentBytes = sihub.MaxAttachmentBytes

// readDocumentUpload reads a multipart upload with a "kind" field and a
// "file" part, checks the file with sihub.CheckAttachment and returns the
// document ready to store. The body is cut off just past the limit, so an
// oversized upload costs at most that much.
func readDocumentUpload(w http.ResponseWriter, r *http.Request, companyID int64) (*sihub.Document, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDocumentBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, sihub.Errorf(sihub.ErrInvalid, "Yêu cầu phải là biểu mẫu multipart/form-data có trường file.",
			"The request must be multipart/form-data with a file field.")
	}
	var kind, name, declared string
	var data []byte
	gotFile := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, uploadReadError(err)
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 100))
			if err != nil {
				return nil, nil, uploadReadError(err)
			}
			kind = strings.TrimSpace(string(b))
		case "file":
			gotFile = true
			name = part.FileName()
			declared = part.Header.Get("Content-Type")
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
	var p sihub.Problems
	if kind == "" {
		kind = sihub.DocOther
	}
	if !slices.Contains(sihub.DocumentKinds, kind) {
		p.Add("kind", sihub.M("Loại tài liệu %q không hợp lệ; dùng %s.", "Document kind %q is not valid; use %s.", kind, strings.Join(sihub.DocumentKinds, ", ")))
	}
	if !gotFile || len(data) == 0 {
		p.Add("file", sihub.M("Hãy chọn một tệp không rỗng.", "Choose a file that is not empty."))
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	safeName, contentType, err := sihub.CheckAttachment(name, declared, data, sihub.DocumentTypes)
	if err != nil {
		return nil, nil, err
	}
	return &sihub.Document{CompanyID: companyID, Kind: kind, Name: safeName, ContentType: contentType, Size: int64(len(data))}, data, nil
}

var errDocumentTooLarge = sihub.Errorf(sihub.ErrTooLarge, "Tệp quá lớn (tối đa 20 MiB).", "The file is too large (at most 20 MiB).")

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errDocumentTooLarge
	}
	return sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp tải lên.", "The upload could not be read.")
}

func (s *server) addDocument(w http.ResponseWriter, r *http.Request) (*sihub.Document, error) {
	c, err := s.pathCompany(r, (*sihub.Principal).CanChangeDocuments)
	if err != nil {
		return nil, err
	}
	doc, data, err := readDocumentUpload(w, r, c.ID)
	if err != nil {
		return nil, err
	}
	if err := s.db.AddDocument(r.Context(), doc, data); err != nil {
		return nil, err
	}
	return doc, nil
}

func (s *server) uploadDocumentPage(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.addDocument(w, r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/companies/"+strconv.FormatInt(doc.CompanyID, 10)+"?done=uploaded#documents", http.StatusSeeOther)
	return nil
}

func (s *server) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
}

// serveDocument sends a stored file as a download. Its type is the one
// sniffed at upload, never what the browser might guess; the sandbox CSP
// keeps even a mislabelled file from running script on this origin.
func (s *server) serveDocument(w http.ResponseWriter, r *http.Request, id int64) error {
	doc, data, err := s.db.DocumentData(r.Context(), id)
	if _, err := s.readableDocument(r, id, doc, err); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", doc.ContentType)
	h.Set("Content-Disposition", contentDisposition(dispositionFor(doc.ContentType), doc.Name))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	if doc.SHA256 != "" {
		h.Set("ETag", `"`+doc.SHA256+`"`)
	}
	http.ServeContent(w, r, "", doc.CreatedAt, bytes.NewReader(data))
	return nil
}

// dispositionFor shows raster images in the browser and downloads
// everything else.
func dispositionFor(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return "inline"
	}
	return "attachment"
}

// contentDisposition writes a Content-Disposition header for name with an
// ASCII fallback and the exact UTF-8 name in filename* (RFC 6266, RFC 8187),
// so that Vietnamese file names survive and no character can break out of
// the header.
func contentDisposition(disposition, name string) string {
	var fallback strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			fallback.WriteByte('_')
			continue
		}
		fallback.WriteRune(r)
	}
	return disposition + `; filename="` + fallback.String() + `"; filename*=UTF-8''` + rfc8187(name)
}

func rfc8187(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func (s *server) deleteDocument(r *http.Request) (*sihub.Document, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	doc, err := s.db.Document(r.Context(), id)
	c, err := s.readableDocument(r, id, doc, err)
	if err != nil {
		return nil, err
	}
	if p := principal(r); !p.CanChangeDocuments(c) {
		return nil, refuse(p)
	}
	return doc, s.db.DeleteDocument(r.Context(), id)
}

func (s *server) deleteDocumentPage(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.deleteDocument(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/companies/"+strconv.FormatInt(doc.CompanyID, 10)+"?done=deleted#documents", http.StatusSeeOther)
	return nil
}
