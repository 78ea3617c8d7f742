package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
)

// The JSON API under /api/v1. Errors have one shape everywhere:
//
//	{"error": {"code": "invalid", "message": "…", "fields": [{"field": "tax_code", "message": "…"}]}}
//
// with messages in the request's language (?lang=, the lang cookie, then
// Accept-Language). openapi.json describes every endpoint.

//go:embed openapi.json
var openAPIDoc []byte

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPIDoc)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.Header().Add("Vary", "Cookie, Accept-Language") // messages follow the request's language
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type apiError struct {
	Code    sihub.Code   `json:"code"`
	Message string       `json:"message"`
	Fields  []localField `json:"fields,omitempty"`
}

type apiErrorBody struct {
	Error  apiError    `json:"error"`
	Report *reportJSON `json:"report,omitempty"`
}

func newAPIError(err error, lang sihub.Lang) apiError {
	code := sihub.ErrorCode(err)
	if httpStatus(err) == http.StatusMethodNotAllowed {
		code = "method_not_allowed"
	}
	return apiError{Code: code, Message: sihub.ErrorMsg(err).In(lang), Fields: localizeFields(sihub.FieldsOf(err), lang)}
}

func writeJSONError(w http.ResponseWriter, status int, err error, lang sihub.Lang) {
	writeJSON(w, status, apiErrorBody{Error: newAPIError(err, lang)})
}

const maxJSONBytes = 1 << 20

// decodeJSON reads one JSON value into dst, refusing unknown fields, bodies
// over 1 MiB and trailing data, with messages that say what was wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return sihub.Errorf(sihub.ErrUnsupported, "Nội dung phải là JSON (Content-Type: application/json), không phải %s.",
				"The body must be JSON (Content-Type: application/json), not %s.", ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	var (
		mbe  *http.MaxBytesError
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		msgs sihub.Msg
	)
	switch {
	case errors.As(err, &mbe):
		return sihub.Errorf(sihub.ErrTooLarge, "Nội dung JSON quá lớn (tối đa 1 MiB).", "The JSON body is too large (at most 1 MiB).")
	case errors.Is(err, io.EOF):
		msgs = sihub.M("Thiếu nội dung JSON.", "The JSON body is missing.")
	case errors.As(err, &syn):
		msgs = sihub.M("JSON sai cú pháp ở byte %d.", "The JSON is malformed at byte %d.", syn.Offset)
	case errors.As(err, &typ):
		return badRequest(&sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.M("JSON có trường sai kiểu.", "The JSON has a field of the wrong type."),
			Fields: sihub.Problems{{Field: typ.Field, Msg: sihub.M("Phải là %s.", "Must be %s.", jsonType(typ.Type.Kind()))}}})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest(&sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.M("JSON có trường không được hỗ trợ.", "The JSON has a field that is not supported."),
			Fields: sihub.Problems{{Field: field, Msg: sihub.M("Trường %q không tồn tại.", "There is no field %q.", field)}}})
	case err.Error() == "trailing data":
		msgs = sihub.M("Sau giá trị JSON còn dữ liệu thừa.", "There is extra data after the JSON value.")
	default:
		msgs = sihub.M("Không đọc được JSON.", "The JSON could not be read.")
	}
	return badRequest(&sihub.Error{Code: sihub.ErrInvalid, Msg: msgs})
}

// jsonType names a Go kind the way JSON calls it, for messages.
func jsonType(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// companyInput is the body of POST and PUT /api/v1/companies: the fields
// people write. Recognized capabilities and the rest are derived from it.
type companyInput struct {
	Kind               sihub.Kind      `json:"kind"`
	TaxCode            string          `json:"tax_code"`
	Name               string          `json:"name"`
	NameEn             string          `json:"name_en"`
	Address            string          `json:"address"`
	ProvinceInput      string          `json:"province_input"`
	IndustrialPark     string          `json:"industrial_park"`
	Sectors            []string        `json:"sectors"`
	CapabilitiesText   string          `json:"capabilities_text"`
	MaterialsText      string          `json:"materials_text"`
	CertificationsText string          `json:"certifications_text"`
	EquipmentText      string          `json:"equipment_text"`
	Employees          int             `json:"employees"`
	Founded            int             `json:"founded"`
	Products           string          `json:"products"`
	MainCustomers      string          `json:"main_customers"`
	ExportMarkets      string          `json:"export_markets"`
	Website            string          `json:"website"`
	Email              string          `json:"email"`
	Phone              string          `json:"phone"`
	Description        string          `json:"description"`
	Contacts           []sihub.Contact `json:"contacts"`
}

func (in *companyInput) apply(c *sihub.Company) {
	c.Kind, c.TaxCode, c.Name, c.NameEn = in.Kind, in.TaxCode, in.Name, in.NameEn
	c.Address, c.ProvinceInput, c.IndustrialPark = in.Address, in.ProvinceInput, in.IndustrialPark
	c.Sectors = in.Sectors
	c.CapabilitiesText, c.MaterialsText, c.CertificationsText, c.EquipmentText = in.CapabilitiesText, in.MaterialsText, in.CertificationsText, in.EquipmentText
	c.Employees, c.Founded = in.Employees, in.Founded
	c.Products, c.MainCustomers, c.ExportMarkets = in.Products, in.MainCustomers, in.ExportMarkets
	c.Website, c.Email, c.Phone, c.Description = in.Website, in.Email, in.Phone, in.Description
	c.Contacts = in.Contacts
}

// companyOut is a company as the API shows it. Its Contacts field hides
// the embedded one: it is left out of the JSON for a reader who may not see
// contacts (contactsFor), rather than sent empty, so that no client takes
// "no contacts" for a fact; ContactsNotice then says why, when the reader
// has used up today's contact views.
type companyOut struct {
	*sihub.Company
	Contacts       *[]sihub.Contact `json:"contacts,omitempty"`
	ContactsNotice string           `json:"contacts_notice,omitempty"`
}

// companyJSON prepares c for a reader with access to its contacts: list
// fields as [] rather than null, and contacts only when access shows them.
func companyJSON(c *sihub.Company, access contactAccess, lang sihub.Lang) companyOut {
	if c.Sectors == nil {
		c.Sectors = []string{}
	}
	if c.Capabilities == nil {
		c.Capabilities = []sihub.Capability{}
	}
	if c.Materials == nil {
		c.Materials = []sihub.Material{}
	}
	if c.Certifications == nil {
		c.Certifications = []sihub.Certification{}
	}
	if c.Equipment == nil {
		c.Equipment = []sihub.Equipment{}
	}
	if c.Documents == nil {
		c.Documents = []sihub.Document{}
	}
	out := companyOut{Company: c}
	if access.Show {
		if c.Contacts == nil {
			c.Contacts = []sihub.Contact{}
		}
		out.Contacts = &c.Contacts
	} else if access.Notice.EN != "" {
		out.ContactsNotice = access.Notice.In(lang)
	}
	return out
}

// writeCompanyJSON answers with c as r's reader sees it; a record of one
// company counts as a view of its contacts (contactsFor).
func (s *server) writeCompanyJSON(w http.ResponseWriter, r *http.Request, status int, c *sihub.Company) error {
	access, err := s.contactsFor(r.Context(), principal(r), c, true)
	if err != nil {
		return err
	}
	writeJSON(w, status, companyJSON(c, access, langFromRequest(r)))
	return nil
}

type companyList struct {
	Items  []companyOut  `json:"items"`
	Total  int           `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
	Facets *sihub.Facets `json:"facets,omitempty"`
}

func (s *server) apiListCompanies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	who := principal(r)
	f, err := parseFilter(q, who.CanSeeArchived())
	if err != nil {
		return err
	}
	facets := isTrue(q.Get("facets"))
	page, err := s.db.FindCompanies(r.Context(), f, facets)
	if err != nil {
		return err
	}
	out := companyList{Items: make([]companyOut, len(page.Items)), Total: page.Total, Limit: f.Limit, Offset: f.Offset, Facets: page.Facets}
	lang := langFromRequest(r)
	for i, c := range page.Items {
		access, err := s.contactsFor(r.Context(), who, c, false)
		if err != nil {
			return err
		}
		out.Items[i] = companyJSON(c, access, lang)
	}
	if !facets {
		out.Facets = nil
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiGetCompany(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.readableCompany(r, id)
	if err != nil {
		return err
	}
	return s.writeCompanyJSON(w, r, http.StatusOK, c)
}

func (s *server) apiCompanyByTaxCode(w http.ResponseWriter, r *http.Request) error {
	tc, err := sihub.ParseTaxCode(r.PathValue("tax_code"))
	if err != nil {
		return badRequest(&sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.ErrorMsg(err),
			Fields: sihub.Problems{{Field: "tax_code", Msg: sihub.ErrorMsg(err)}}})
	}
	c, err := s.readableCompanyByTaxCode(r, tc)
	if err != nil {
		return err
	}
	return s.writeCompanyJSON(w, r, http.StatusOK, c)
}

func (s *server) apiCreateCompany(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanCreateCompany() {
		return refuse(p)
	}
	var in companyInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := &sihub.Company{}
	in.apply(c)
	if err := s.saveCompany(r.Context(), c, true, nil); err != nil {
		return err
	}
	return s.writeCompany(w, r, http.StatusCreated, c.ID)
}

func (s *server) apiUpdateCompany(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCompany(r, (*sihub.Principal).CanEditCompany)
	if err != nil {
		return err
	}
	var in companyInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	orig := *c
	in.apply(c)
	if err := s.saveCompany(r.Context(), c, false, identityProblems(principal(r), &orig, c)); err != nil {
		return err
	}
	return s.writeCompany(w, r, http.StatusOK, c.ID)
}

// writeCompany answers with the company as stored, so that the client sees
// what was recognized.
func (s *server) writeCompany(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	c, err := s.db.Company(r.Context(), id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/companies/"+strconv.FormatInt(id, 10))
	}
	return s.writeCompanyJSON(w, r, status, c)
}

// ---- Documents

type documentJSON struct {
	sihub.Document
	URL string `json:"url"`
}

func docJSON(d *sihub.Document) documentJSON {
	return documentJSON{*d, "/api/v1/documents/" + strconv.FormatInt(d.ID, 10) + "/content"}
}

func (s *server) apiUploadDocument(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.addDocument(w, r)
	if err != nil {
		return err
	}
	stored, err := s.db.Document(r.Context(), doc.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(doc.ID, 10))
	writeJSON(w, http.StatusCreated, docJSON(stored))
	return nil
}

func (s *server) apiGetDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	doc, err := s.db.Document(r.Context(), id)
	if _, err := s.readableDocument(r, id, doc, err); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, docJSON(doc))
	return nil
}

func (s *server) apiDocumentContent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
}

func (s *server) apiDeleteDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.deleteDocument(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- Import and export

type problemJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}

type reportJSON struct {
	File        string        `json:"file"`
	Format      string        `json:"format"`
	Encoding    string        `json:"encoding"`
	Rows        int           `json:"rows"`
	Valid       int           `json:"valid"`
	Invalid     int           `json:"invalid"`
	Created     int           `json:"created"`
	Updated     int           `json:"updated"`
	WouldCreate int           `json:"would_create"` // a dry run's prediction
	WouldUpdate int           `json:"would_update"`
	DryRun      bool          `json:"dry_run"`
	SkipInvalid bool          `json:"skip_invalid"`
	Committed   bool          `json:"committed"`
	Problems    []problemJSON `json:"problems"`
	Omitted     int           `json:"omitted,omitempty"`
}

func newReportJSON(r *sheet.Report, lang sihub.Lang) *reportJSON {
	out := &reportJSON{File: r.File, Format: string(r.Format), Encoding: r.Encoding, Rows: r.Rows, Valid: r.Valid,
		Invalid: r.Invalid, Created: r.Created, Updated: r.Updated, WouldCreate: r.WouldCreate, WouldUpdate: r.WouldUpdate, DryRun: r.DryRun, SkipInvalid: r.SkipInvalid,
		Committed: r.Committed, Problems: make([]problemJSON, len(r.Problems)), Omitted: r.Omitted}
	for i, p := range r.Problems {
		out.Problems[i] = problemJSON{Row: p.Row, Column: p.Column, Message: p.Msg.In(lang), Warning: p.Warning}
	}
	return out
}

// apiImport imports synchronously, from a multipart "file" or a raw body
// whose Content-Type names CSV or XLSX. A file rejected whole answers 422
// with both the error and the report.
func (s *server) apiImport(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanImport() {
		return refuse(p)
	}
	u, err := readAPIUpload(w, r)
	if err != nil {
		return err
	}
	defer u.remove()
	// The import runs as work the server waits for when it closes, so that
	// the database is not closed under it.
	ctx, done, err := s.startWork(r.Context())
	if err != nil {
		return err
	}
	rep, err := sheet.ImportCompanies(ctx, u.path, sheet.Options{DryRun: u.dryRun, SkipInvalid: u.skipInvalid, Name: u.name}, s.db)
	err = s.stopped(ctx, err)
	done()
	return writeImportResult(w, r, rep, err)
}

func defaultExt(name, ext string) string {
	if name == "" {
		return "upload" + ext
	}
	if spoolExt(name) == "" {
		return name + ext
	}
	return name
}

func (s *server) apiExport(w http.ResponseWriter, r *http.Request) error { return s.export(w, r) }

// export streams every company the filters select, ignoring paging.
func (s *server) export(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format, ok := sheet.ParseFormat(q.Get("format"))
	if q.Get("format") == "" {
		format, ok = sheet.FormatCSV, true
	}
	if !ok {
		return badRequest((&sihub.Problems{{Field: "format", Msg: sihub.M("Định dạng %q không hợp lệ; dùng csv hoặc xlsx.",
			"Format %q is not valid; use csv or xlsx.", q.Get("format"))}}).Err())
	}
	q.Del(pLimit)
	q.Del(pOffset)
	p := principal(r)
	if !p.CanExport() {
		return refuse(p)
	}
	// The export holds no contact people (sheet.CompanyColumns), so it is
	// the public directory for everyone but the archived companies.
	f, err := parseFilter(q, p.CanSeeArchived())
	if err != nil {
		return err
	}
	f.Limit, f.Offset = 0, 0
	name := "sihub-companies-" + s.now().In(vietnam).Format("2006-01-02") + "." + string(format)
	w.Header().Set("Content-Type", contentTypeOf(format))
	w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	w.Header().Set("Cache-Control", "no-store")
	return sheet.WriteCompanies(w, format, s.db.EachCompany(r.Context(), f))
}
