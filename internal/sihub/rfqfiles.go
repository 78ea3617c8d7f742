package sihub

import "time"

// RFQFile is a file of an RFQ round: the buyer's, for every invitee
// (InvitationID 0), or a supplier's, sent with its quote (InvitationID
// set). A supplier's file belongs to its draft (Revision 0) until the next
// submission gives it that revision's number; from then on it is part of
// the quote's record. A revision's files are all its invitation's files
// with 0 < Revision <= that revision. The bytes are kept once per digest,
// shared with documents and demand files.
type RFQFile struct {
	ID           int64 `json:"id"`
	RFQID        int64 `json:"rfq_id"`
	InvitationID int64 `json:"invitation_id,omitempty"` // 0: the round's, for every invitee
	// CompanyID is the invited company of a quote's file (0 for the
	// round's), read from its invitation.
	CompanyID   int64     `json:"company_id,omitempty"`
	Revision    int       `json:"revision"` // 0: the draft's; then the revision it was submitted with
	Name        string    `json:"name"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedBy   int64     `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// RFQFileTypes are the files a round or a quote may carry: those of a
// demand (drawings, models, sheets, archives).
var RFQFileTypes = DemandFileTypes

// MaxRFQFiles bounds the buyer's files of a round, and each invitation's.
const MaxRFQFiles = 20

// ForQuote reports whether f was sent with a supplier's quote.
func (f *RFQFile) ForQuote() bool { return f.InvitationID != 0 }

// Submitted reports whether f is part of a submitted revision.
func (f *RFQFile) Submitted() bool { return f.Revision > 0 }
