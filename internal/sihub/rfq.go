package sihub

import (
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
