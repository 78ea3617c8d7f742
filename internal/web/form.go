package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// saveCompany is the one way the web layer writes a company's fields, for
// the form and the API alike: recognize and validate with match.Prepare,
// then create or update. Validation errors name the fields as the form and
// the API body name them (see apiField).
func (s *server) saveCompany(ctx context.Context, c *sihub.Company, create bool, extra sihub.Problems) error {
	// Recognition runs again from the text on every save; facts recognized
	// from the previous text must not survive an edit that removed it.
	c.Capabilities, c.Materials, c.Certifications, c.Equipment = nil, nil, nil, nil
	problems := extra
	if err := match.Prepare(c); err != nil {
		if sihub.ErrorCode(err) != sihub.ErrInvalid {
			return err
		}
		problems = append(problems, sihub.FieldsOf(err)...)
	}
	if err := problems.Err(); err != nil {
		return renameFields(err)
	}
	var err error
	if create {
		err = s.db.CreateCompany(ctx, c)
	} else {
		err = s.db.UpdateCompany(ctx, c)
	}
	if err != nil {
		var e *sihub.Error
		// A taken tax code is a problem with the tax-code field.
		if errors.As(err, &e) && e.Code == sihub.ErrConflict && len(e.Fields) == 0 {
			return &sihub.Error{Code: sihub.ErrConflict, Msg: e.Msg, Fields: sihub.Problems{{Field: "tax_code", Msg: e.Msg}}, Err: e.Err}
		}
		return renameFields(err)
	}
	return nil
}

// identityProblems refuses a change of tax code by anyone but the center:
// the tax code is what a company is known and joined by, and what the
// center verified, so a company's own people may not change it.
func identityProblems(p *sihub.Principal, orig, c *sihub.Company) sihub.Problems {
	if p.CanChangeTaxCode() || sihub.CompactTaxCode(c.TaxCode) == orig.TaxCode {
		return nil
	}
	return sihub.Problems{{Field: "tax_code", Msg: sihub.M(
		"Mã số thuế định danh doanh nghiệp nên chỉ Trung tâm được sửa; hãy liên hệ Trung tâm nếu mã bị sai.",
		"The tax code identifies the company, so only the center may change it; contact the center if it is wrong.")}}
}

// apiField maps the field names validation reports to the names of the
// form inputs and the API body: the free-text columns are *_text there.
func apiField(f string) string {
	head, _, _ := strings.Cut(f, ".")
	switch head {
	case "capabilities", "materials", "certifications", "equipment":
		return head + "_text"
	case "province":
		return "province_input"
	}
	return f
}

func renameFields(err error) error { return renameFieldsBy(err, apiField) }

// renameFieldsBy gives the field errors of err the names rename gives them.
func renameFieldsBy(err error, rename func(string) string) error {
	var e *sihub.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]sihub.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = sihub.FieldError{Field: rename(f.Field), Msg: f.Msg}
	}
	return &out
}

// ---- The staff form

// formFields are the single-valued inputs of the company form, in order.
var formFields = []string{
	"name", "name_en", "tax_code", "kind", "address", "province_input", "industrial_park",
	"capabilities_text", "materials_text", "certifications_text", "equipment_text",
	"employees", "founded", "products", "main_customers", "export_markets", "description",
	"website", "email", "phone",
}

const formContactRows = 3

type contactRow struct {
	Index int
	N     int // 1-based, for labels
	C     sihub.Contact
	Errs  map[string][]string
}

type formPage struct {
	basePage
	ID           int64
	CompanyName  string
	UpdatedAt    string
	Values       map[string]string
	Errs         map[string][]string
	Summary      string
	Other        []string
	Sectors      []string
	SectorErrors []string
	Contacts     []contactRow
	VSIC         []option
	// TaxCodeFixed shows the tax code read-only to those who may not
	// change it (identityProblems).
	TaxCodeFixed bool
}

type fieldView struct {
	Name, Label, Type, Value, Hint, InputMode, List string
	Rows                                            int
	Required, ReadOnly                              bool
	Errors                                          []string
	Options                                         []option
}

// Field describes one input of the form for the "field" template.
func (p *formPage) Field(name string) fieldView {
	f := fieldView{Name: name, Label: tr(p.Lang, "field."+name), Type: "text", Value: p.Values[name], Errors: p.Errs[name]}
	if hasKey("field." + name + ".hint") {
		f.Hint = tr(p.Lang, "field."+name+".hint")
	}
	switch name {
	case "name", "tax_code":
		f.Required = true
	}
	if name == "tax_code" && p.TaxCodeFixed {
		f.ReadOnly, f.Hint = true, tr(p.Lang, "account.form.taxcode.fixed")
	}
	switch name {
	case "capabilities_text", "materials_text", "certifications_text", "equipment_text", "description":
		f.Type, f.Rows = "textarea", 4
	case "products", "main_customers", "export_markets":
		f.Type, f.Rows = "textarea", 2
	case "tax_code", "employees", "founded":
		f.InputMode = "numeric"
	case "email":
		f.InputMode = "email"
	case "website":
		f.InputMode = "url"
	case "phone":
		f.Type = "tel"
	case "kind":
		f.Type = "select"
		for _, k := range sihub.Kinds {
			f.Options = append(f.Options, option{Value: string(k), Label: tr(p.Lang, "kind."+string(k)), Selected: string(k) == p.Values[name]})
		}
	}
	return f
}

// formInput is what the form shows: the company's fields as text, or what
// the user typed, kept as typed when it did not validate.
type formInput struct {
	Values   map[string]string
	Sectors  []string
	Contacts []sihub.Contact
}

func inputOf(c *sihub.Company) formInput {
	v := map[string]string{
		"name": c.Name, "name_en": c.NameEn, "tax_code": sihub.FormatTaxCode(c.TaxCode), "kind": string(c.Kind),
		"address": c.Address, "province_input": c.ProvinceInput, "industrial_park": c.IndustrialPark,
		"capabilities_text": c.CapabilitiesText, "materials_text": c.MaterialsText,
		"certifications_text": c.CertificationsText, "equipment_text": c.EquipmentText,
		"products": c.Products, "main_customers": c.MainCustomers, "export_markets": c.ExportMarkets,
		"description": c.Description, "website": c.Website, "email": c.Email, "phone": c.Phone,
	}
	if c.Employees != 0 {
		v["employees"] = strconv.Itoa(c.Employees)
	}
	if c.Founded != 0 {
		v["founded"] = strconv.Itoa(c.Founded)
	}
	if v["kind"] == "" {
		v["kind"] = string(sihub.Supplier)
	}
	return formInput{Values: v, Sectors: c.Sectors, Contacts: c.Contacts}
}

// readForm reads the posted inputs. Numbers that do not parse are
// reported as problems.
func readForm(form url.Values) (formInput, sihub.Problems) {
	in := formInput{Values: map[string]string{}}
	for _, name := range formFields {
		in.Values[name] = strings.TrimSpace(form.Get(name))
	}
	var p sihub.Problems
	for _, name := range []string{"employees", "founded"} {
		if s := in.Values[name]; s != "" {
			if _, err := strconv.Atoi(stripGrouping(s)); err != nil {
				p.Add(name, catalogue["form.notanumber"])
			}
		}
	}
	for _, s := range form["sectors"] {
		if s = strings.TrimSpace(s); s != "" {
			in.Sectors = append(in.Sectors, s)
		}
	}
	for i := 0; i < 50; i++ {
		pre := "contacts." + strconv.Itoa(i) + "."
		if !form.Has(pre + "name") {
			break
		}
		ct := sihub.Contact{
			Name:  strings.TrimSpace(form.Get(pre + "name")),
			Role:  strings.TrimSpace(form.Get(pre + "role")),
			Email: strings.TrimSpace(form.Get(pre + "email")),
			Phone: strings.TrimSpace(form.Get(pre + "phone")),
		}
		if ct != (sihub.Contact{}) {
			in.Contacts = append(in.Contacts, ct)
		}
	}
	return in, p
}

// stripGrouping drops the thousands separators people type: "1.200".
func stripGrouping(s string) string {
	return strings.NewReplacer(".", "", ",", "", " ", "").Replace(s)
}

// apply copies the input onto c (numbers that do not parse become zero;
// readForm reported them).
func (in formInput) apply(c *sihub.Company) {
	v := in.Values
	c.Name, c.NameEn, c.TaxCode, c.Kind = v["name"], v["name_en"], v["tax_code"], sihub.Kind(v["kind"])
	c.Address, c.ProvinceInput, c.IndustrialPark = v["address"], v["province_input"], v["industrial_park"]
	c.CapabilitiesText, c.MaterialsText = v["capabilities_text"], v["materials_text"]
	c.CertificationsText, c.EquipmentText = v["certifications_text"], v["equipment_text"]
	c.Products, c.MainCustomers, c.ExportMarkets = v["products"], v["main_customers"], v["export_markets"]
	c.Description, c.Website, c.Email, c.Phone = v["description"], v["website"], v["email"], v["phone"]
	c.Employees, _ = strconv.Atoi(stripGrouping(v["employees"]))
	c.Founded, _ = strconv.Atoi(stripGrouping(v["founded"]))
	c.Sectors = append([]string(nil), in.Sectors...)
	c.Contacts = append([]sihub.Contact(nil), in.Contacts...)
}

// newFormPage lays out the form for in; c gives the identity of the
// company being edited (zero ID for a new one).
func (s *server) newFormPage(r *http.Request, c *sihub.Company, in formInput) *formPage {
	p := &formPage{basePage: s.base(r, "form.new.heading"), Values: in.Values, Errs: map[string][]string{}}
	p.Nav = "companies"
	if c.ID != 0 {
		p.ID = c.ID
		p.CompanyName = c.Name
		p.Title = tr(p.Lang, "form.edit.heading", c.Name)
		p.UpdatedAt = c.UpdatedAt.UTC().Format(time.RFC3339Nano)
		p.TaxCodeFixed = !principal(r).CanChangeTaxCode()
	}
	p.Sectors = append([]string(nil), in.Sectors...)
	for len(p.Sectors) < 4 || len(p.Sectors)%4 != 0 {
		p.Sectors = append(p.Sectors, "")
	}
	n := max(len(in.Contacts)+1, formContactRows)
	for i := 0; i < n; i++ {
		row := contactRow{Index: i, N: i + 1, Errs: map[string][]string{}}
		if i < len(in.Contacts) {
			row.C = in.Contacts[i]
		}
		p.Contacts = append(p.Contacts, row)
	}
	for _, v := range taxonomy.VSICCodes() {
		if v.Level >= 4 {
			p.VSIC = append(p.VSIC, option{Value: v.Code, Label: v.Label(p.Lang)})
		}
	}
	return p
}

// setErrors places each field error next to its input; errors for inputs
// the form does not show go to the summary. Contacts are numbered by their
// position among the non-empty rows, which is how the rows are laid out
// again.
func (p *formPage) setErrors(err error) {
	p.Summary = sihub.ErrorMsg(err).In(p.Lang)
	for _, f := range sihub.FieldsOf(err) {
		msg := f.Msg.In(p.Lang)
		switch {
		case f.Field == "sectors":
			p.SectorErrors = append(p.SectorErrors, msg)
		case strings.HasPrefix(f.Field, "contacts."):
			parts := strings.Split(f.Field, ".")
			i, convErr := strconv.Atoi(parts[1])
			if len(parts) == 3 && convErr == nil && i < len(p.Contacts) {
				p.Contacts[i].Errs[parts[2]] = append(p.Contacts[i].Errs[parts[2]], msg)
				continue
			}
			p.Other = append(p.Other, msg)
		case isFormField(f.Field):
			p.Errs[f.Field] = append(p.Errs[f.Field], msg)
		default:
			p.Other = append(p.Other, msg)
		}
	}
}

func isFormField(name string) bool {
	for _, f := range formFields {
		if f == name {
			return true
		}
	}
	return false
}

func (s *server) newCompanyForm(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanCreateCompany() {
		return refuse(p)
	}
	c := &sihub.Company{Kind: sihub.Supplier}
	s.render(w, r, http.StatusOK, "form", s.newFormPage(r, c, inputOf(c)))
	return nil
}

func (s *server) editCompanyForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCompany(r, (*sihub.Principal).CanEditCompany)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "form", s.newFormPage(r, c, inputOf(c)))
	return nil
}

const maxFormBytes = 1 << 20

func parsePostForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return sihub.Errorf(sihub.ErrTooLarge, "Biểu mẫu quá lớn (tối đa 1 MiB).", "The form is too large (at most 1 MiB).")
		}
		return sihub.Errorf(sihub.ErrInvalid, "Không đọc được biểu mẫu.", "The form could not be read.")
	}
	return nil
}

func (s *server) createCompanyForm(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanCreateCompany() {
		return refuse(p)
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	in, problems := readForm(r.PostForm)
	c := &sihub.Company{}
	in.apply(c)
	if err := s.saveCompany(r.Context(), c, true, problems); err != nil {
		return s.formError(w, r, &sihub.Company{}, in, err)
	}
	http.Redirect(w, r, "/companies/"+strconv.FormatInt(c.ID, 10)+"?done=created", http.StatusSeeOther)
	return nil
}

func (s *server) updateCompanyForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCompany(r, (*sihub.Principal).CanEditCompany)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	if v := r.PostForm.Get("updated_at"); v != "" && v != c.UpdatedAt.UTC().Format(time.RFC3339Nano) {
		// Keep what the user typed; saving again, now knowingly, overwrites.
		in, _ := readForm(r.PostForm)
		p := s.newFormPage(r, c, in)
		p.Summary = tr(p.Lang, "form.stale")
		s.render(w, r, http.StatusConflict, "form", p)
		return nil
	}
	orig := *c
	in, problems := readForm(r.PostForm)
	in.apply(c)
	problems = append(problems, identityProblems(principal(r), &orig, c)...)
	if err := s.saveCompany(r.Context(), c, false, problems); err != nil {
		return s.formError(w, r, &orig, in, err)
	}
	http.Redirect(w, r, "/companies/"+strconv.FormatInt(c.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// formError shows the form again with what the user typed and each problem
// beside its field, or passes on errors that are not about the input.
func (s *server) formError(w http.ResponseWriter, r *http.Request, c *sihub.Company, in formInput, err error) error {
	switch sihub.ErrorCode(err) {
	case sihub.ErrInvalid, sihub.ErrConflict:
	default:
		return err
	}
	p := s.newFormPage(r, c, in)
	p.setErrors(err)
	s.render(w, r, httpStatus(err), "form", p)
	return nil
}
