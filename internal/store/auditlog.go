package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// SKELETON: signatures agreed between the store and web; bodies to be written.

// AuditFilter selects records for AuditLog; zero fields select all.
type AuditFilter struct {
	ObjectType string
	ObjectID   int64
	ActorID    int64
	Actor      string // label, exact
	Action     string // exact, or a prefix ending in "." ("company.")
	Since      time.Time
	Until      time.Time
	BeforeSeq  int64 // for paging: records older than this
	Limit      int   // 0: 50
}

// AuditLog returns the records f selects, newest first.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]sihub.AuditRecord, error) {
	panic("todo")
}

// AuditHead returns the newest record's seq and hash (0 and "" when the
// trail is empty).
func (db *DB) AuditHead(ctx context.Context) (sihub.AuditHead, error) { panic("todo") }

// VerifyAudit walks the whole chain and checks it, against want when given
// (a head published earlier). The checker's Problems list what is wrong.
func (db *DB) VerifyAudit(ctx context.Context, want *sihub.AuditHead) (*sihub.AuditChecker, sihub.AuditHead, error) {
	panic("todo")
}

// redactAudit erases personal data from the trail in tx: every occurrence
// of values (emails, names, phones) in the records' actor, before and
// after, and the IP of actorID's own records (0: none). Records touched are
// marked redacted; their digest, prev and hash stay, so the chain holds.
func (db *DB) redactAudit(ctx context.Context, tx *sql.Tx, actorID int64, values []string) error {
	panic("todo")
}

// EraseContact removes contact position of company (staff, on the person's
// request) and redacts the contact's name, email and phone from the audit
// trail (audited as contact.erase, without the data).
func (db *DB) EraseContact(ctx context.Context, companyID int64, position int) error { panic("todo") }
