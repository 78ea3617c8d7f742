package sihub

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind says whether a company supplies, buys, or both.
type Kind string

const (
	Supplier Kind = "supplier"
	Buyer    Kind = "buyer"
	Both     Kind = "both"
)

// Kinds lists the valid company kinds in display order.
var Kinds = []Kind{Supplier, Buyer, Both}

// Source says where a recognized fact came from: the structured column or
// form field that declares it, or the free text it was read out of.
type Source string

const (
	Declared Source = "declared"
	Inferred Source = "inferred"
)

// Capability is one manufacturing process a company offers.
type Capability struct {
	Process  string `json:"process"`            // taxonomy process code
	Core     bool   `json:"core"`               // core business rather than supplementary
	Source   Source `json:"source"`             // declared or inferred
	Evidence string `json:"evidence,omitempty"` // the words it was recognized from
}

// Material is a material a company works with.
type Material struct {
	Code     string `json:"code"` // taxonomy material code
	Source   Source `json:"source"`
	Evidence string `json:"evidence,omitempty"`
}

// Certification is a quality or management-system certificate.
type Certification struct {
	Scheme     string `json:"scheme"`                // taxonomy certification code, e.g. "iatf16949"
	Number     string `json:"number,omitempty"`      // certificate number
	Issuer     string `json:"issuer,omitempty"`      // certification body
	ValidUntil string `json:"valid_until,omitempty"` // YYYY-MM-DD; "" when unknown
	Source     Source `json:"source"`
	Evidence   string `json:"evidence,omitempty"`
}

// Equipment is a kind of machine a company owns, with its capacity.
type Equipment struct {
	Kind        string  `json:"kind"`                   // taxonomy equipment code, e.g. "injection_press"
	Count       int     `json:"count,omitempty"`        // 0 when not stated
	CapacityMin float64 `json:"capacity_min,omitempty"` // lower end of a range ("80-450 t"), 0 if none
	Capacity    float64 `json:"capacity,omitempty"`     // largest capacity, 0 if not stated
	Unit        string  `json:"unit,omitempty"`         // "t", "kW", "axis", "mm", "kg"…
	Source      Source  `json:"source"`
	Evidence    string  `json:"evidence,omitempty"`
}

// Contact is a person to reach at a company. Contacts are personal data.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Document kinds a company can attach.
const (
	DocBrochure    = "brochure"
	DocPhoto       = "photo"
	DocMachineList = "machine_list"
	DocCertificate = "certificate"
	DocOther       = "other"
)

// DocumentKinds lists the valid document kinds.
var DocumentKinds = []string{DocBrochure, DocPhoto, DocMachineList, DocCertificate, DocOther}

// Document is a file attached to a company. The bytes live in an attachment,
// shared by every document with the same SHA-256.
type Document struct {
	ID          int64     `json:"id"`
	CompanyID   int64     `json:"company_id"`
	Kind        string    `json:"kind"`
	Name        string    `json:"name"` // safe download name
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// Company is a firm in the directory.
type Company struct {
	ID       int64  `json:"id"`
	Kind     Kind   `json:"kind"`
	TaxCode  string `json:"tax_code"`            // compact: 10 or 13 digits
	ParentID int64  `json:"parent_id,omitempty"` // for a 13-digit branch whose parent is in the directory
	Name     string `json:"name"`                // legal name, Vietnamese
	NameEn   string `json:"name_en,omitempty"`

	Address        string `json:"address,omitempty"`        // street address as written
	ProvinceInput  string `json:"province_input,omitempty"` // province as written, possibly a pre-2025 name
	ProvinceCode   string `json:"province_code,omitempty"`  // 2025 province code, e.g. "79"
	WardCode       string `json:"ward_code,omitempty"`      // 2025 ward code, when known
	IndustrialPark string `json:"industrial_park,omitempty"`

	Sectors []string `json:"sectors"` // VSIC 2025 codes

	// The free text of the capability columns, kept as written; the
	// structured lists below are recognized from it and from the other text
	// fields.
	CapabilitiesText   string `json:"capabilities_text,omitempty"`
	MaterialsText      string `json:"materials_text,omitempty"`
	CertificationsText string `json:"certifications_text,omitempty"`
	EquipmentText      string `json:"equipment_text,omitempty"`

	Capabilities   []Capability    `json:"capabilities"`
	Materials      []Material      `json:"materials"`
	Certifications []Certification `json:"certifications"`
	Equipment      []Equipment     `json:"equipment"`

	Employees     int    `json:"employees,omitempty"` // 0 when unknown
	Founded       int    `json:"founded,omitempty"`   // year, 0 when unknown
	Products      string `json:"products,omitempty"`
	MainCustomers string `json:"main_customers,omitempty"`
	ExportMarkets string `json:"export_markets,omitempty"`
	Website       string `json:"website,omitempty"`
	Email         string `json:"email,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Description   string `json:"description,omitempty"`

	Contacts  []Contact  `json:"contacts"`
	Documents []Document `json:"documents"`

	Verified   bool       `json:"verified"`
	VerifiedBy string     `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	Archived   bool       `json:"archived"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Size bands follow Vietnam's SME thresholds for industry (Decree 80/2021):
// micro up to 10 employees, small up to 100, medium up to 200.
const (
	SizeMicro  = "micro"
	SizeSmall  = "small"
	SizeMedium = "medium"
	SizeLarge  = "large"
)

// SizeBands lists the bands in order.
var SizeBands = []string{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// SizeBand returns the band for a head count, "" when unknown.
func SizeBand(employees int) string {
	switch {
	case employees <= 0:
		return ""
	case employees <= 10:
		return SizeMicro
	case employees <= 100:
		return SizeSmall
	case employees <= 200:
		return SizeMedium
	}
	return SizeLarge
}

// HasProcess reports whether c offers process code p.
func (c *Company) HasProcess(p string) bool {
	for _, x := range c.Capabilities {
		if x.Process == p {
			return true
		}
	}
	return false
}

// Limits on text fields, in characters, and on lists.
const (
	maxName     = 300
	maxShort    = 500
	maxLong     = 20000
	MaxContacts = 20
	MaxSectors  = 20
)

// Validate checks the fields a person enters and returns an ErrInvalid error
// naming each field at fault. It normalises the tax code to compact form.
// Taxonomy codes are checked where the taxonomy is known (package match).
func (c *Company) Validate() error {
	var p Problems
	if c.Kind == "" {
		c.Kind = Supplier
	}
	switch c.Kind {
	case Supplier, Buyer, Both:
	default:
		p.Add("kind", M("Loại doanh nghiệp phải là supplier, buyer hoặc both.", "Kind must be supplier, buyer or both."))
	}
	if tc, err := ParseTaxCode(c.TaxCode); err != nil {
		p.Add("tax_code", ErrorMsg(err))
	} else {
		c.TaxCode = tc
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		p.Add("name", M("Thiếu tên doanh nghiệp.", "The company name is missing."))
	}
	checkLen(&p, "name", c.Name, maxName)
	checkLen(&p, "name_en", c.NameEn, maxName)
	checkLen(&p, "address", c.Address, maxShort)
	checkLen(&p, "industrial_park", c.IndustrialPark, maxShort)
	checkLen(&p, "province", c.ProvinceInput, maxName)
	checkLen(&p, "website", c.Website, maxShort)
	checkLen(&p, "email", c.Email, maxName)
	checkLen(&p, "phone", c.Phone, maxName)
	if len(c.Contacts) > MaxContacts {
		p.Add("contacts", M("Tối đa %d người liên hệ.", "At most %d contacts.", MaxContacts))
	}
	if len(c.Sectors) > MaxSectors {
		p.Add("sectors", M("Tối đa %d mã ngành.", "At most %d sector codes.", MaxSectors))
	}
	for _, f := range []struct{ name, v string }{
		{"capabilities", c.CapabilitiesText}, {"materials", c.MaterialsText},
		{"certifications", c.CertificationsText}, {"equipment", c.EquipmentText},
		{"products", c.Products}, {"main_customers", c.MainCustomers},
		{"export_markets", c.ExportMarkets}, {"description", c.Description},
	} {
		checkLen(&p, f.name, f.v, maxLong)
	}
	if c.Employees < 0 || c.Employees > 1_000_000 {
		p.Add("employees", M("Số lao động phải từ 0 đến 1.000.000.", "Employees must be between 0 and 1,000,000."))
	}
	if y := time.Now().Year(); c.Founded != 0 && (c.Founded < 1800 || c.Founded > y) {
		p.Add("founded", M("Năm thành lập phải từ 1800 đến %d.", "The year founded must be between 1800 and %d.", y))
	}
	if c.Email != "" && !ValidEmail(c.Email) {
		p.Add("email", M("Email %q không hợp lệ.", "Email %q is not valid.", c.Email))
	}
	if c.Website != "" {
		w, ok := NormalizeWebsite(c.Website)
		if !ok {
			p.Add("website", M("Website %q không hợp lệ.", "Website %q is not valid.", c.Website))
		} else {
			c.Website = w
		}
	}
	if c.Phone != "" && !ValidPhone(c.Phone) {
		p.Add("phone", M("Số điện thoại %q không hợp lệ.", "Phone number %q is not valid.", c.Phone))
	}
	for i, ct := range c.Contacts {
		f := "contacts." + strconv.Itoa(i)
		checkLen(&p, f+".name", ct.Name, maxName)
		checkLen(&p, f+".role", ct.Role, maxName)
		checkLen(&p, f+".email", ct.Email, maxName)
		checkLen(&p, f+".phone", ct.Phone, maxName)
		if strings.TrimSpace(ct.Name) == "" {
			p.Add(f+".name", M("Thiếu tên người liên hệ.", "The contact's name is missing."))
		}
		if ct.Email != "" && !ValidEmail(ct.Email) {
			p.Add(f+".email", M("Email %q không hợp lệ.", "Email %q is not valid.", ct.Email))
		}
		if ct.Phone != "" && !ValidPhone(ct.Phone) {
			p.Add(f+".phone", M("Số điện thoại %q không hợp lệ.", "Phone number %q is not valid.", ct.Phone))
		}
	}
	for i, ce := range c.Certifications {
		if ce.ValidUntil != "" {
			if _, err := time.Parse(time.DateOnly, ce.ValidUntil); err != nil {
				p.Add("certifications."+strconv.Itoa(i)+".valid_until",
					M("Ngày hết hạn %q phải có dạng YYYY-MM-DD.", "Expiry date %q must be written YYYY-MM-DD.", ce.ValidUntil))
			}
		}
	}
	return p.Err()
}

func checkLen(p *Problems, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		p.Add(field, M("Quá dài (tối đa %d ký tự).", "Too long (at most %d characters).", max))
	}
}

// ValidEmail reports whether s is a plain email address.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// ValidPhone accepts the ways Vietnamese numbers are written: digits with
// spaces, dots, dashes, parentheses and a leading +, 8 to 15 digits.
func ValidPhone(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return n >= 8 && n <= 15
}

// NormalizeWebsite adds a missing scheme and checks the result is an
// http(s) URL with a host.
func NormalizeWebsite(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || strings.ContainsAny(u.Host, " \"<>") {
		return "", false
	}
	return u.String(), true
}
