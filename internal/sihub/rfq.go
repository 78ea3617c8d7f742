package sihub

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RFQs and the connection pipeline: from a demand's matches to an order.
//
// A buyer (or staff for it) asks chosen suppliers to quote for a demand: an
// RFQ is one round of that, with a message, a deadline that can move later
// but never earlier, and sealed quotes when the buyer wants them hidden
// from everyone until the deadline. Each invited supplier has an
// Invitation, which it views, answers with a Quote (drafts, then submitted
// revisions, every one kept) or declines. Every supplier invited to a
// demand has a Case that moves through the pipeline stages, each step with
// a date, a note, an owner and a next-step date.

// RFQ is one round of a demand's request for quotations.
type RFQ struct {
	ID       int64     `json:"id"`
	DemandID int64     `json:"demand_id"`
	Round    int       `json:"round"` // 1, 2, … per demand
	Message  string    `json:"message"`
	Deadline time.Time `json:"deadline"` // UTC; quotes are refused after it
	// Sealed hides every quote, from the buyer too, until the deadline.
	Sealed    bool      `json:"sealed"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Open reports whether quotes may still be submitted at now.
func (r *RFQ) Open(now time.Time) bool { return now.Before(r.Deadline) || now.Equal(r.Deadline) }

// QuotesVisible reports whether submitted quotes may be shown (to those
// allowed to see them) at now: at once for an unsealed round, after the
// deadline for a sealed one.
func (r *RFQ) QuotesVisible(now time.Time) bool { return !r.Sealed || !r.Open(now) }

// InvitationState is where an invited supplier stands in a round.
type InvitationState string

const (
	InvNew      InvitationState = "new"
	InvViewed   InvitationState = "viewed"
	InvDraft    InvitationState = "draft"
	InvQuoted   InvitationState = "quoted"
	InvDeclined InvitationState = "declined"
	InvExpired  InvitationState = "expired" // the deadline passed without a quote or a refusal
)

// InvitationStates lists the states in the order a supplier's list shows them.
var InvitationStates = []InvitationState{InvNew, InvViewed, InvDraft, InvQuoted, InvDeclined, InvExpired}

// DeclineReason is why a supplier declined to quote.
type DeclineReason string

const (
	DeclineCapacity   DeclineReason = "capacity"
	DeclineTechnology DeclineReason = "technology"
	DeclinePrice      DeclineReason = "price"
	DeclineOther      DeclineReason = "other"
)

// DeclineReasons lists the valid reasons.
var DeclineReasons = []DeclineReason{DeclineCapacity, DeclineTechnology, DeclinePrice, DeclineOther}

// Invitation is one supplier asked to quote in one round.
type Invitation struct {
	ID             int64           `json:"id"`
	RFQID          int64           `json:"rfq_id"`
	DemandID       int64           `json:"demand_id"`
	CompanyID      int64           `json:"company_id"`
	CompanyName    string          `json:"company_name,omitempty"`
	CompanyTaxCode string          `json:"company_tax_code,omitempty"`
	State          InvitationState `json:"state"`
	ViewedAt       *time.Time      `json:"viewed_at,omitempty"`
	DeclineReason  DeclineReason   `json:"decline_reason,omitempty"`
	DeclineNote    string          `json:"decline_note,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// StateAt is the invitation's state as shown at now: an unanswered one
// whose round's deadline passed has expired.
func (iv *Invitation) StateAt(r *RFQ, now time.Time) InvitationState {
	switch iv.State {
	case InvNew, InvViewed, InvDraft:
		if !r.Open(now) {
			return InvExpired
		}
	}
	return iv.State
}

// PriceBreak is a unit price from a quantity up.
type PriceBreak struct {
	MinQty    float64 `json:"min_qty"`
	UnitPrice float64 `json:"unit_price"`
}

// Incoterms are the Incoterms 2020 rules a quote may name.
var Incoterms = []string{"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"}

// QuoteCurrencies are the currencies a quote may be in.
var QuoteCurrencies = []string{"VND", "USD", "JPY"}

// Quote is a supplier's answer to an invitation. A draft is private to the
// supplier; each submission is a new revision, and every revision is kept.
type Quote struct {
	ID           int64 `json:"id"`
	InvitationID int64 `json:"invitation_id"`
	RFQID        int64 `json:"rfq_id"`
	CompanyID    int64 `json:"company_id"`
	// Revision is 0 for the draft and 1, 2, … for each submission.
	Revision       int          `json:"revision"`
	UnitPrice      float64      `json:"unit_price"`
	Currency       string       `json:"currency"`
	Breaks         []PriceBreak `json:"price_breaks"`
	MOQ            float64      `json:"moq,omitempty"`
	ToolingCost    float64      `json:"tooling_cost,omitempty"` // mould or tooling, once, in Currency
	SampleLeadDays int          `json:"sample_lead_days,omitempty"`
	MassLeadDays   int          `json:"mass_lead_days,omitempty"`
	ValidUntil     *time.Time   `json:"valid_until,omitempty"`
	PaymentTerms   string       `json:"payment_terms,omitempty"`
	Incoterm       string       `json:"incoterm,omitempty"`
	DeliveryPlace  string       `json:"delivery_place,omitempty"`
	Notes          string       `json:"notes,omitempty"`
	SubmittedAt    *time.Time   `json:"submitted_at,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
}

// Question is a supplier's clarification question in a round; the answer
// goes to every invitee without saying who asked (AskedBy is never shown
// to other suppliers).
type Question struct {
	ID         int64      `json:"id"`
	RFQID      int64      `json:"rfq_id"`
	AskedBy    int64      `json:"asked_by,omitempty"` // the asking company
	Text       string     `json:"text"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Stage is where a supplier's case for a demand stands.
type Stage string

const (
	StageInvited         Stage = "invited"
	StageQuoted          Stage = "quoted"
	StageShortlisted     Stage = "shortlisted"
	StageSampleRequested Stage = "sample_requested"
	StageSampleApproved  Stage = "sample_approved"
	StageSampleRejected  Stage = "sample_rejected"
	StageFactoryAudit    Stage = "factory_audit"
	StageTrialOrder      Stage = "trial_order"
	StageAwarded         Stage = "awarded"
	StageLost            Stage = "lost"
)

// Stages lists the stages in pipeline order.
var Stages = []Stage{StageInvited, StageQuoted, StageShortlisted, StageSampleRequested, StageSampleApproved,
	StageSampleRejected, StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost}

// Case is one supplier's way through the pipeline for one demand.
type Case struct {
	ID         int64      `json:"id"`
	DemandID   int64      `json:"demand_id"`
	CompanyID  int64      `json:"company_id"`
	Stage      Stage      `json:"stage"`
	Owner      int64      `json:"owner,omitempty"` // the user who owns the next step
	NextStepAt *time.Time `json:"next_step_at,omitempty"`
	// Set when awarded: the contract value in Currency and in VND at the
	// rate of the award date, and the annual volume.
	ContractValue float64    `json:"contract_value,omitempty"`
	Currency      string     `json:"currency,omitempty"`
	ContractVND   float64    `json:"contract_vnd,omitempty"`
	RateToVND     float64    `json:"rate_to_vnd,omitempty"`
	AnnualVolume  float64    `json:"annual_volume,omitempty"`
	AwardedAt     *time.Time `json:"awarded_at,omitempty"`
	LostReason    string     `json:"lost_reason,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// CaseStep is one move of a case, kept forever.
type CaseStep struct {
	ID         int64      `json:"id"`
	CaseID     int64      `json:"case_id"`
	From       Stage      `json:"from,omitempty"` // "" for the first step
	To         Stage      `json:"to"`
	At         time.Time  `json:"at"`
	Note       string     `json:"note,omitempty"`
	Owner      int64      `json:"owner,omitempty"`
	NextStepAt *time.Time `json:"next_step_at,omitempty"`
	By         int64      `json:"by"` // who recorded it
}

// Limits on quotes.
const (
	MaxPriceBreaks = 20
	MaxLeadDays    = 3650 // ten years: longer is a typing error
)

// vnTime writes an instant as people in Vietnam read it, for messages in
// either language.
func vnTime(t time.Time) string { return t.In(vietnam).Format("2006-01-02 15:04") + " (UTC+7)" }

// num writes an amount or quantity without a trailing ".000000".
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// amountOK reports whether f is a finite amount in (0, MaxAmount]; NaN fails.
func amountOK(f float64) bool { return f > 0 && f <= MaxAmount }

// Validate checks a round before it is created: a message of sensible
// length, a deadline still ahead of now, and the demand it belongs to.
func (r *RFQ) Validate(now time.Time) error {
	var p Problems
	if r.DemandID == 0 {
		p.Add("demand_id", M("Thiếu nhu cầu mua hàng của đợt báo giá.", "The round's demand is missing."))
	}
	r.Message = strings.TrimSpace(r.Message)
	checkLen(&p, "message", r.Message, maxLong)
	switch {
	case r.Deadline.IsZero():
		p.Add("deadline", M("Thiếu hạn chót nhận báo giá.", "The deadline for quotes is missing."))
	case !r.Deadline.After(now):
		p.Add("deadline", M("Hạn chót (%s) phải sau thời điểm hiện tại (%s).",
			"The deadline (%s) must be later than now (%s).", vnTime(r.Deadline), vnTime(now)))
	default:
		r.Deadline = r.Deadline.UTC()
	}
	return p.Err()
}

// Extend moves the round's deadline to to, which must be later: bringing a
// deadline forward would cut short suppliers who planned on it (and could
// open sealed quotes early). Whether a round whose deadline already passed
// may be reopened is the caller's decision; every invitee must be told.
func (r *RFQ) Extend(to time.Time) error {
	if !to.After(r.Deadline) {
		m := M("Hạn chót chỉ có thể lùi lại: hạn mới %s không sau hạn hiện tại %s.",
			"A deadline can only move later: the new one, %s, is not after the current one, %s.", vnTime(to), vnTime(r.Deadline))
		return &Error{Code: ErrInvalid, Msg: m, Fields: []FieldError{{Field: "deadline", Msg: m}}}
	}
	r.Deadline = to.UTC()
	return nil
}

// Valid reports whether s is one of the states.
func (s InvitationState) Valid() bool { return slices.Contains(InvitationStates, s) }

// Valid reports whether r is one of the reasons.
func (r DeclineReason) Valid() bool { return slices.Contains(DeclineReasons, r) }

// Submitted reports whether q is a submitted revision rather than the
// supplier's private draft. Both marks are required so that a draft is
// never shown by mistake.
func (q *Quote) Submitted() bool { return q.Revision > 0 && q.SubmittedAt != nil }

// Validate checks the fields a supplier enters and returns an ErrInvalid
// error naming each field at fault. It upper-cases the currency and the
// Incoterm and sorts the price breaks by quantity.
func (q *Quote) Validate() error {
	var p Problems
	q.Currency = strings.ToUpper(strings.TrimSpace(q.Currency))
	switch {
	case q.Currency == "":
		p.Add("currency", M("Thiếu đơn vị tiền tệ.", "The currency is missing."))
	case !slices.Contains(QuoteCurrencies, q.Currency):
		p.Add("currency", M("Đơn vị tiền tệ phải là một trong %s.", "The currency must be one of %s.", strings.Join(QuoteCurrencies, ", ")))
	}
	if !amountOK(q.UnitPrice) {
		p.Add("unit_price", M("Đơn giá phải lớn hơn 0 và không quá 10¹⁵.", "The unit price must be more than 0 and at most 10¹⁵."))
	}
	if len(q.Breaks) > MaxPriceBreaks {
		p.Add("price_breaks", M("Tối đa %d mức giá theo số lượng.", "At most %d price breaks.", MaxPriceBreaks))
	}
	for i, b := range q.Breaks {
		f := "price_breaks." + strconv.Itoa(i)
		if !amountOK(b.MinQty) {
			p.Add(f+".min_qty", M("Số lượng từ của mức giá phải lớn hơn 0 và không quá 10¹⁵.",
				"A price break's quantity must be more than 0 and at most 10¹⁵."))
		}
		if !amountOK(b.UnitPrice) {
			p.Add(f+".unit_price", M("Đơn giá của mức giá phải lớn hơn 0 và không quá 10¹⁵.",
				"A price break's unit price must be more than 0 and at most 10¹⁵."))
		}
	}
	// Sorted, so that lists and UnitPriceAt read them in quantity order;
	// two breaks at one quantity would leave the price at it ambiguous.
	slices.SortStableFunc(q.Breaks, func(a, b PriceBreak) int { return cmp.Compare(a.MinQty, b.MinQty) })
	for i := 1; i < len(q.Breaks); i++ {
		if q.Breaks[i].MinQty == q.Breaks[i-1].MinQty && (i == 1 || q.Breaks[i-2].MinQty != q.Breaks[i].MinQty) {
			p.Add("price_breaks", M("Có nhiều mức giá cùng bắt đầu từ số lượng %s.",
				"Several price breaks start at the same quantity, %s.", num(q.Breaks[i].MinQty)))
		}
	}
	if !(q.MOQ >= 0 && q.MOQ <= MaxAmount) {
		p.Add("moq", M("Số lượng đặt hàng tối thiểu phải là số từ 0 đến 10¹⁵.", "The minimum order quantity must be a number from 0 to 10¹⁵."))
	}
	if !(q.ToolingCost >= 0 && q.ToolingCost <= MaxAmount) {
		p.Add("tooling_cost", M("Chi phí khuôn, dụng cụ phải là số từ 0 đến 10¹⁵.", "The tooling cost must be a number from 0 to 10¹⁵."))
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"sample_lead_days", q.SampleLeadDays}, {"mass_lead_days", q.MassLeadDays}} {
		if f.v < 0 || f.v > MaxLeadDays {
			p.Add(f.name, M("Thời gian giao hàng phải từ 0 đến %d ngày.", "The lead time must be from 0 to %d days.", MaxLeadDays))
		}
	}
	q.Incoterm = strings.ToUpper(strings.TrimSpace(q.Incoterm))
	if q.Incoterm != "" && !slices.Contains(Incoterms, q.Incoterm) {
		p.Add("incoterm", M("Incoterm phải là một trong %s.", "The Incoterm must be one of %s.", strings.Join(Incoterms, ", ")))
	}
	// Every Incoterms rule is "<rule> <named place>": without the place
	// the price says nothing about who pays for transport.
	q.DeliveryPlace = strings.TrimSpace(q.DeliveryPlace)
	if q.Incoterm != "" && q.DeliveryPlace == "" {
		p.Add("delivery_place", M("Cần địa điểm giao hàng cho điều kiện %s.", "Incoterm %s needs a named delivery place.", q.Incoterm))
	}
	q.PaymentTerms, q.Notes = strings.TrimSpace(q.PaymentTerms), strings.TrimSpace(q.Notes)
	checkLen(&p, "payment_terms", q.PaymentTerms, maxShort)
	checkLen(&p, "delivery_place", q.DeliveryPlace, maxShort)
	checkLen(&p, "notes", q.Notes, maxLong)
	return p.Err()
}

// UnitPriceAt is the unit price for an order of volume: the price of the
// break with the largest quantity not above volume, else the base price.
// The breaks need not be sorted.
func (q *Quote) UnitPriceAt(volume float64) float64 {
	price, at := q.UnitPrice, math.Inf(-1)
	for _, b := range q.Breaks {
		if b.MinQty <= volume && b.MinQty > at {
			price, at = b.UnitPrice, b.MinQty
		}
	}
	return price
}

// BelowMOQ reports whether volume is less than the quote's minimum order
// quantity (none when MOQ is 0).
func (q *Quote) BelowMOQ(volume float64) bool { return q.MOQ > 0 && volume < q.MOQ }

// Rates says how many VND one unit of each currency is worth, as the buyer
// entered them for a comparison (VND itself is always 1).
type Rates map[string]float64

// rate returns the VND value of one unit of currency c.
func (rs Rates) rate(c string) (float64, error) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c == "VND" {
		return 1, nil
	}
	r, ok := rs[c]
	if !ok {
		return 0, Errorf(ErrInvalid, "Thiếu tỷ giá của %s (bao nhiêu VND một đơn vị).",
			"The rate of %s (how many VND one unit is worth) is missing.", c)
	}
	if !amountOK(r) {
		return 0, Errorf(ErrInvalid, "Tỷ giá của %s phải lớn hơn 0 và không quá 10¹⁵.",
			"The rate of %s must be more than 0 and at most 10¹⁵.", c)
	}
	return r, nil
}

// Convert converts amount from one currency to another through VND.
func (rs Rates) Convert(amount float64, from, to string) (float64, error) {
	if strings.EqualFold(strings.TrimSpace(from), strings.TrimSpace(to)) {
		return amount, nil
	}
	rf, err := rs.rate(from)
	if err != nil {
		return 0, err
	}
	rt, err := rs.rate(to)
	if err != nil {
		return 0, err
	}
	return amount * rf / rt, nil
}

// LandedUnitCost is what one unit costs the buyer under quote q at volume
// units a year, in currency to: the price break that volume reaches, plus
// the tooling cost spread over the volume. It is what quotes are compared
// on; a volume under the quote's MOQ is flagged by BelowMOQ, not here.
func LandedUnitCost(q *Quote, volume float64, rs Rates, to string) (float64, error) {
	if !amountOK(volume) {
		return 0, Errorf(ErrInvalid, "Cần sản lượng năm của nhu cầu (một số dương) để so sánh giá theo đơn vị.",
			"Comparing unit costs needs the demand's annual volume (a positive number).")
	}
	return rs.Convert(q.UnitPriceAt(volume)+q.ToolingCost/volume, q.Currency, to)
}

// nextStages is the pipeline: where a case may go from each stage. Stages
// may be skipped where real cases skip them (a buyer awards straight after
// quotes, or orders a trial without a sample). Awarded and lost are final:
// reopening a lost supplier, or a new order after an award, is a new case
// (or a new round), so that the board's counts and conversions stay true.
var nextStages = map[Stage][]Stage{
	StageInvited:         {StageQuoted, StageShortlisted, StageLost},
	StageQuoted:          {StageShortlisted, StageSampleRequested, StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
	StageShortlisted:     {StageSampleRequested, StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
	StageSampleRequested: {StageSampleApproved, StageSampleRejected, StageLost},
	StageSampleRejected:  {StageSampleRequested, StageLost}, // a new sample
	StageSampleApproved:  {StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
	StageFactoryAudit:    {StageTrialOrder, StageAwarded, StageLost},
	StageTrialOrder:      {StageAwarded, StageLost},
	StageAwarded:         {},
	StageLost:            {},
}

// Valid reports whether s is one of the stages.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

// CanMove reports whether a case may move from one stage to the other.
func CanMove(from, to Stage) bool { return slices.Contains(nextStages[from], to) }

// NextStages lists, in pipeline order, the stages a case may move to from
// from; none for a final or unknown stage. The slice is the caller's.
func NextStages(from Stage) []Stage { return slices.Clone(nextStages[from]) }

// CheckMove returns nil if a case may move from one stage to the other,
// an ErrInvalid error for an unknown stage and an ErrConflict error, naming
// the stages allowed, for a move the pipeline does not allow.
func CheckMove(from, to Stage) error {
	if !to.Valid() {
		return &Error{Code: ErrInvalid, Msg: M("Giai đoạn %q không tồn tại.", "There is no stage %q.", to),
			Fields: []FieldError{{Field: "stage", Msg: M("Giai đoạn phải là một trong %s.", "The stage must be one of %s.", stageList(Stages))}}}
	}
	if CanMove(from, to) {
		return nil
	}
	if next := nextStages[from]; len(next) > 0 {
		return Errorf(ErrConflict, "Không thể chuyển từ giai đoạn %s sang %s; chỉ có thể sang: %s.",
			"A case cannot move from %s to %s; it can move to: %s.", from, to, stageList(next))
	}
	return Errorf(ErrConflict, "Giai đoạn %s là giai đoạn cuối; mở lại cần một hồ sơ mới.",
		"Stage %s is final; reopening needs a new case.", from)
}

func stageList(ss []Stage) string {
	s := make([]string, len(ss))
	for i, x := range ss {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// Award moves the case to awarded and fixes the contract: its value in
// currency, its VND equivalent at rateToVND (the rate on the award date,
// kept so that later rates never change the board's totals) and the annual
// volume. Nothing changes unless every figure is valid.
func (c *Case) Award(value float64, currency string, rateToVND float64, volume float64, at time.Time) error {
	if err := CheckMove(c.Stage, StageAwarded); err != nil {
		return err
	}
	var p Problems
	if !amountOK(value) {
		p.Add("contract_value", M("Giá trị hợp đồng phải lớn hơn 0 và không quá 10¹⁵.", "The contract value must be more than 0 and at most 10¹⁵."))
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case currency == "":
		p.Add("currency", M("Thiếu đơn vị tiền tệ của hợp đồng.", "The contract's currency is missing."))
	case !slices.Contains(Currencies, currency):
		p.Add("currency", M("Đơn vị tiền tệ phải là một trong %s.", "The currency must be one of %s.", strings.Join(Currencies, ", ")))
	case currency == "VND":
		if rateToVND != 0 && rateToVND != 1 {
			p.Add("rate_to_vnd", M("Tỷ giá của VND luôn là 1.", "The rate of VND is always 1."))
		}
		rateToVND = 1
	case !amountOK(rateToVND):
		p.Add("rate_to_vnd", M("Tỷ giá %s sang VND phải lớn hơn 0 và không quá 10¹⁵.",
			"The rate of %s to VND must be more than 0 and at most 10¹⁵.", currency))
	}
	vnd := value * rateToVND
	if len(p) == 0 && vnd > MaxAmount {
		p.Add("contract_value", M("Giá trị hợp đồng quy ra VND vượt quá 10¹⁵.", "The contract value in VND is more than 10¹⁵."))
	}
	if !amountOK(volume) {
		p.Add("annual_volume", M("Sản lượng năm phải lớn hơn 0 và không quá 10¹⁵.", "The annual volume must be more than 0 and at most 10¹⁵."))
	}
	if at.IsZero() {
		p.Add("awarded_at", M("Thiếu ngày trao hợp đồng.", "The award date is missing."))
	}
	if err := p.Err(); err != nil {
		return err
	}
	at = at.UTC()
	c.Stage, c.ContractValue, c.Currency, c.RateToVND, c.ContractVND = StageAwarded, value, currency, rateToVND, vnd
	c.AnnualVolume, c.AwardedAt, c.LostReason = volume, &at, ""
	return nil
}

// Lose moves the case to lost, with the reason the board reports.
func (c *Case) Lose(reason string) error {
	if err := CheckMove(c.Stage, StageLost); err != nil {
		return err
	}
	var p Problems
	reason = strings.TrimSpace(reason)
	if reason == "" {
		p.Add("lost_reason", M("Cần lý do không chọn nhà cung cấp này.", "The reason this supplier was not chosen is needed."))
	}
	checkLen(&p, "lost_reason", reason, maxShort)
	if err := p.Err(); err != nil {
		return err
	}
	c.Stage, c.LostReason = StageLost, reason
	return nil
}

// For returns c as p may see it: whole for the buyer and the center; for
// the supplier of the case its stage alone (Principal.CanSeeCase), since
// the owner, dates and a lost reason are the buyer's working notes. c
// itself is not changed.
func (c *Case) For(p *Principal, d *Demand) *Case {
	if p.CanSeeMatches(d) {
		return c
	}
	return &Case{ID: c.ID, DemandID: c.DemandID, CompanyID: c.CompanyID, Stage: c.Stage, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// For returns question q as p may see it: who asked is known to the buyer,
// the center and the asking company, never to the other invitees.
func (q *Question) For(p *Principal, d *Demand) *Question {
	if p.CanSeeMatches(d) || p.MemberOf(q.AskedBy) {
		return q
	}
	c := *q
	c.AskedBy = 0
	return &c
}
