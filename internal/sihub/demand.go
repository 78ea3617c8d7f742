package sihub

import (
	"math"
	"slices"
	"strings"
	"time"
)

// DemandStatus is where a sourcing request stands.
type DemandStatus string

const (
	DemandDraft     DemandStatus = "draft"
	DemandOpen      DemandStatus = "open"
	DemandClosed    DemandStatus = "closed"
	DemandFulfilled DemandStatus = "fulfilled"
)

// DemandStatuses lists the valid statuses in lifecycle order.
var DemandStatuses = []DemandStatus{DemandDraft, DemandOpen, DemandClosed, DemandFulfilled}

// DemandVisibility says who may see a demand. It never narrows who is
// matched: a center-only demand still finds every qualified supplier.
type DemandVisibility string

const (
	VisibleVerified DemandVisibility = "verified_suppliers"
	VisibleCenter   DemandVisibility = "center_only"
)

// DemandVisibilities lists the valid visibilities.
var DemandVisibilities = []DemandVisibility{VisibleVerified, VisibleCenter}

// Requirement names used in Demand.Inferred and in field problems.
const (
	ReqProcesses      = "processes"
	ReqMaterials      = "materials"
	ReqCertifications = "certifications"
	ReqMinCapacity    = "min_capacity"
)

// CapacityReq is a demand's minimum machine size: equipment of Equipment
// kind with a capacity of at least Min in Unit ("injection press ≥ 450 t").
type CapacityReq struct {
	Equipment string  `json:"equipment"` // taxonomy equipment code
	Min       float64 `json:"min"`
	Unit      string  `json:"unit"`
}

// Demand is a buyer's sourcing request for one part.
type Demand struct {
	ID           int64  `json:"id"`
	BuyerID      int64  `json:"buyer_id"`
	BuyerTaxCode string `json:"buyer_tax_code"`
	BuyerName    string `json:"buyer_name,omitempty"`
	Ref          string `json:"ref"` // the buyer's reference, unique per buyer
	Title        string `json:"title,omitempty"`
	TitleEn      string `json:"title_en,omitempty"`
	Description  string `json:"description,omitempty"`

	// The requirement columns as written; the structured requirements
	// below are read from them, or from the title and description when a
	// column is empty (then Inferred names the requirement).
	ProcessesText      string `json:"processes_text,omitempty"`
	MaterialsText      string `json:"materials_text,omitempty"`
	CertificationsText string `json:"certifications_text,omitempty"`
	MinCapacityText    string `json:"min_capacity_text,omitempty"`

	Processes      []string     `json:"processes"`      // taxonomy process codes, all required
	Materials      []string     `json:"materials"`      // taxonomy material codes, a preference
	Certifications []string     `json:"certifications"` // taxonomy certification codes, all required
	MinCapacity    *CapacityReq `json:"min_capacity,omitempty"`
	Inferred       []string     `json:"inferred"` // Req* names read from the title and description

	// TargetPrice is what the buyer hopes to pay per unit, in Currency:
	// confidential to the buyer and the center (Principal.CanSeeTargetPrice;
	// Demand.For removes it for everyone else).
	TargetPrice float64 `json:"target_price,omitempty"`
	Currency    string  `json:"currency,omitempty"` // ISO 4217: VND, USD, JPY…
	// Terms are the buyer's confidentiality terms a supplier accepts
	// before it sees the drawings; "" means the center's standard terms.
	Terms string `json:"confidentiality_terms,omitempty"`

	AnnualVolume     float64          `json:"annual_volume,omitempty"`
	Unit             string           `json:"unit,omitempty"`
	ProvinceInput    string           `json:"delivery_province_input,omitempty"`
	DeliveryProvince string           `json:"delivery_province,omitempty"` // 2025 province code
	Deadline         *time.Time       `json:"deadline,omitempty"`          // UTC instant: the end of the day in Vietnam
	Status           DemandStatus     `json:"status"`
	Visibility       DemandVisibility `json:"visibility"`
	CreatedAt        time.Time        `json:"created_at"`
	UpdatedAt        time.Time        `json:"updated_at"`
}

// IsInferred reports whether requirement req (a Req* name) was read from the
// title and description rather than from its own column.
func (d *Demand) IsInferred(req string) bool {
	for _, r := range d.Inferred {
		if r == req {
			return true
		}
	}
	return false
}

// Vietnam keeps one offset all year; a fixed zone avoids depending on the
// host's tz database.
var vietnam = time.FixedZone("ICT", 7*3600)

// DeadlineOf returns the instant a deadline date means: the end of that day
// in Vietnam, in UTC.
func DeadlineOf(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, vietnam).Add(-time.Nanosecond).UTC()
}

// ParseDeadline reads a deadline written YYYY-MM-DD.
func ParseDeadline(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, Errorf(ErrInvalid, "Hạn chót %q phải có dạng YYYY-MM-DD.", "Deadline %q must be written YYYY-MM-DD.", s)
	}
	return DeadlineOf(t), nil
}

// MaxAmount bounds volumes and prices: far above any real one (a
// quadrillion đồng), and exact as a float64.
const MaxAmount = 1e15

// Limits on a demand's lists.
const (
	MaxDemandProcesses      = 20
	MaxDemandMaterials      = 20
	MaxDemandCertifications = 10
	maxRef                  = 100
)

// Validate checks the fields a person enters and returns an ErrInvalid error
// naming each field at fault. Taxonomy codes are checked by package match,
// which knows the taxonomy.
func (d *Demand) Validate() error {
	var p Problems
	if d.BuyerTaxCode != "" {
		if tc, err := ParseTaxCode(d.BuyerTaxCode); err != nil {
			p.Add("buyer_tax_code", ErrorMsg(err))
		} else {
			d.BuyerTaxCode = tc
		}
	}
	if d.BuyerID == 0 && d.BuyerTaxCode == "" {
		p.Add("buyer_tax_code", M("Thiếu mã số thuế của bên mua.", "The buyer's tax code is missing."))
	}
	d.Ref = strings.TrimSpace(d.Ref)
	if d.Ref == "" {
		p.Add("ref", M("Thiếu mã tham chiếu của bên mua.", "The buyer's reference is missing."))
	}
	checkLen(&p, "ref", d.Ref, maxRef)
	d.Title, d.TitleEn = strings.TrimSpace(d.Title), strings.TrimSpace(d.TitleEn)
	if d.Title == "" && d.TitleEn == "" {
		p.Add("title", M("Cần tiêu đề bằng tiếng Việt hoặc tiếng Anh.", "A title in Vietnamese or English is needed."))
	}
	checkLen(&p, "buyer_name", d.BuyerName, maxName)
	checkLen(&p, "title", d.Title, maxShort)
	checkLen(&p, "title_en", d.TitleEn, maxShort)
	checkLen(&p, "description", d.Description, maxLong)
	for _, f := range []struct{ name, v string }{
		{"processes", d.ProcessesText}, {"materials", d.MaterialsText},
		{"certifications", d.CertificationsText}, {"min_capacity", d.MinCapacityText},
		{"unit", d.Unit}, {"delivery_province", d.ProvinceInput},
	} {
		checkLen(&p, f.name, f.v, maxShort)
	}
	if len(d.Processes) > MaxDemandProcesses {
		p.Add("processes", M("Tối đa %d công nghệ yêu cầu.", "At most %d required processes.", MaxDemandProcesses))
	}
	if len(d.Materials) > MaxDemandMaterials {
		p.Add("materials", M("Tối đa %d vật liệu.", "At most %d materials.", MaxDemandMaterials))
	}
	if len(d.Certifications) > MaxDemandCertifications {
		p.Add("certifications", M("Tối đa %d chứng nhận yêu cầu.", "At most %d required certifications.", MaxDemandCertifications))
	}
	if c := d.MinCapacity; c != nil && (c.Equipment == "" || !(c.Min > 0) || math.IsInf(c.Min, 0)) {
		p.Add("min_capacity", M("Năng lực tối thiểu cần loại máy và một số dương.", "A minimum capacity needs a machine kind and a positive figure."))
	}
	if !(d.AnnualVolume >= 0 && d.AnnualVolume <= MaxAmount) {
		p.Add("annual_volume", M("Sản lượng năm phải là số từ 0 đến 10¹⁵.", "The annual volume must be a number from 0 to 10¹⁵."))
	}
	if !(d.TargetPrice >= 0 && d.TargetPrice <= MaxAmount) {
		p.Add("target_price", M("Giá mục tiêu phải là số từ 0 đến 10¹⁵.", "The target price must be a number from 0 to 10¹⁵."))
	}
	d.Currency = strings.ToUpper(strings.TrimSpace(d.Currency))
	if d.Currency != "" && !slices.Contains(Currencies, d.Currency) {
		p.Add("currency", M("Đơn vị tiền tệ phải là một trong %s.", "The currency must be one of %s.", strings.Join(Currencies, ", ")))
	}
	if d.TargetPrice > 0 && d.Currency == "" {
		p.Add("currency", M("Cần đơn vị tiền tệ cho giá mục tiêu.", "The target price needs a currency."))
	}
	checkLen(&p, "confidentiality_terms", d.Terms, maxLong)
	// An empty status or visibility is "not given": a new demand is open
	// and shown to verified suppliers, an existing one keeps its own (the
	// store decides). Defaulting here would let a re-imported list or a
	// PUT without them publish a draft or center-only demand.
	if d.Status != "" && !validStatus(d.Status) {
		p.Add("status", M("Trạng thái phải là draft, open, closed hoặc fulfilled.", "Status must be draft, open, closed or fulfilled."))
	}
	if d.Visibility != "" && d.Visibility != VisibleVerified && d.Visibility != VisibleCenter {
		p.Add("visibility", M("Phạm vi hiển thị phải là verified_suppliers hoặc center_only.", "Visibility must be verified_suppliers or center_only."))
	}
	return p.Err()
}

func validStatus(s DemandStatus) bool {
	for _, x := range DemandStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Currencies are the currencies prices are given in.
var Currencies = []string{"VND", "USD", "JPY", "KRW", "CNY", "EUR", "TWD", "SGD", "THB"}

// For returns d as p may see it: without the target price unless p may see
// it. d itself is not changed.
func (d *Demand) For(p *Principal) *Demand {
	if p.CanSeeTargetPrice(d) {
		return d
	}
	c := *d
	c.TargetPrice, c.Currency = 0, ""
	return &c
}

// DemandFile is a drawing or specification attached to a demand (PDF,
// image, DXF, STEP): shown to a supplier only after its company accepted
// the demand's confidentiality terms, every download logged.
type DemandFile struct {
	ID          int64     `json:"id"`
	DemandID    int64     `json:"demand_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// DemandFileTypes are the files a demand may carry.
var DemandFileTypes = []string{TypePDF, TypePNG, TypeJPEG, TypeWebP, TypeGIF, TypeDXF, TypeSTEP, TypeXLSX, TypeDOCX, TypeZIP}

// TermsAcceptance records that a supplier company, through one of its
// people, accepted a demand's confidentiality terms as they read then
// (TermsSHA256 is the digest of the text shown).
type TermsAcceptance struct {
	DemandID    int64     `json:"demand_id"`
	CompanyID   int64     `json:"company_id"`
	UserID      int64     `json:"user_id"`
	TermsSHA256 string    `json:"terms_sha256"`
	AcceptedAt  time.Time `json:"accepted_at"`
}

// Download is one download of a demand's file, as logged.
type Download struct {
	ID        int64     `json:"id"`
	FileID    int64     `json:"file_id"`
	FileName  string    `json:"file_name"`
	DemandID  int64     `json:"demand_id"`
	RFQID     int64     `json:"rfq_id,omitempty"` // a round's file (FileID an RFQ file's id); 0 for the demand's
	UserID    int64     `json:"user_id"`
	UserEmail string    `json:"user_email,omitempty"`
	CompanyID int64     `json:"company_id,omitempty"` // 0 for the center
	IP        string    `json:"ip,omitempty"`
	At        time.Time `json:"at"`
}

// NotifyMode is how a person hears of new opportunities (and, later, RFQ
// events): an email each, a daily digest, or not by email.
type NotifyMode string

const (
	NotifyImmediate NotifyMode = "immediate"
	NotifyDaily     NotifyMode = "daily"
	NotifyNone      NotifyMode = "none"
)

// Valid reports whether m is one of the modes.
func (m NotifyMode) Valid() bool {
	return m == NotifyImmediate || m == NotifyDaily || m == NotifyNone
}
