package store

import (
	"context"
	"time"
)

// SKELETON: signatures agreed between the store and web; bodies to be written.

// Mail is a message in the outbox.
type Mail struct {
	ID        int64      `json:"id"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	SendAfter time.Time  `json:"send_after"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	FailedAt  *time.Time `json:"failed_at,omitempty"`
}

// QueueMail adds a message to the outbox, to be sent at once.
func (db *DB) QueueMail(ctx context.Context, to, subject, body string) error { panic("todo") }

// ClaimMail takes the oldest message due and unclaimed and claims it for
// lease, under the write lock, so that of several senders (instances) one
// gets it; nil when none is due. A claim that runs out (the sender died)
// frees the message again.
func (db *DB) ClaimMail(ctx context.Context, lease time.Duration) (*Mail, error) { panic("todo") }

// MailSent records that message id was sent.
func (db *DB) MailSent(ctx context.Context, id int64) error { panic("todo") }

// MailFailed records a failed attempt: retry at retryAt, or give up when
// retryAt is nil.
func (db *DB) MailFailed(ctx context.Context, id int64, sendErr string, retryAt *time.Time) error {
	panic("todo")
}

// OutboxFilter selects messages for Outbox.
type OutboxFilter struct {
	To     string // exact address
	Status string // "", "queued", "sent", "failed"
	Limit  int    // 0: 100
	Offset int
}

// Outbox lists messages newest first, and their total.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]Mail, int, error) { panic("todo") }
