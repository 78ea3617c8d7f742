package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

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

// Status names where a message stands: "queued" (neither sent nor given
// up on), "sent" or "failed".
func (m *Mail) Status() string {
	switch {
	case m.SentAt != nil:
		return OutboxSent
	case m.FailedAt != nil:
		return OutboxFailed
	}
	return OutboxQueued
}

// Outbox statuses (OutboxFilter.Status, Mail.Status).
const (
	OutboxQueued = "queued"
	OutboxSent   = "sent"
	OutboxFailed = "failed"
)

const mailCols = `id, to_addr, subject, body, created_at, send_after, attempts, last_error, sent_at, failed_at`

func scanMail(row interface{ Scan(...any) error }) (*Mail, error) {
	var (
		m            Mail
		sent, failed sql.NullTime
	)
	if err := row.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt, &m.SendAfter, &m.Attempts, &m.LastError,
		&sent, &failed); err != nil {
		return nil, err
	}
	m.CreatedAt, m.SendAfter = m.CreatedAt.UTC(), m.SendAfter.UTC()
	m.SentAt, m.FailedAt = utcTime(sent), utcTime(failed)
	return &m, nil
}

// utcTime returns a nullable time read from the database, in UTC.
func utcTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// QueueMail adds a message to the outbox, to be sent at once.
func (db *DB) QueueMail(ctx context.Context, to, subject, body string) error {
	for _, f := range []struct{ name, v string }{{"to", to}, {"subject", subject}, {"body", body}} {
		if !storable(f.v) {
			return unstorable(f.name)
		}
	}
	if strings.TrimSpace(to) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Thư không có người nhận.", "The message has no recipient.")
	}
	return db.write(ctx, "queue mail", func(tx *sql.Tx) error {
		now := db.now()
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO outbox (to_addr, subject, body, created_at, send_after)
			VALUES (?, ?, ?, ?, ?)`), to, subject, body, now, now)
		return err
	})
}

// ClaimMail takes the oldest message due and unclaimed and claims it for
// lease, under the write lock, so that of several senders (instances) one
// gets it; nil when none is due. A claim that runs out (the sender died)
// frees the message again.
func (db *DB) ClaimMail(ctx context.Context, lease time.Duration) (*Mail, error) {
	if lease <= 0 {
		return nil, internal(fmt.Errorf("lease %v is not positive", lease), "claim mail")
	}
	var m *Mail
	err := db.write(ctx, "claim mail", func(tx *sql.Tx) error {
		now := db.now()
		// Ordered by send_after, which the partial index outbox_due
		// holds: retries wait behind the messages due before them.
		var err error
		m, err = scanMail(tx.QueryRowContext(ctx, db.q(`SELECT `+mailCols+` FROM outbox
			WHERE sent_at IS NULL AND failed_at IS NULL AND send_after <= ?
			AND (claimed_until IS NULL OR claimed_until < ?)
			ORDER BY send_after, id LIMIT 1`), now, now))
		if errors.Is(err, sql.ErrNoRows) {
			m = nil
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE outbox SET claimed_until = ? WHERE id = ?`), now.Add(lease), m.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// MailSent records that message id was sent.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	return db.updateMail(ctx, "mail sent", id, `UPDATE outbox SET sent_at = ?, claimed_until = NULL WHERE id = ?`, db.now(), id)
}

// maxMailError is how much of a sending error the outbox keeps, in bytes.
const maxMailError = 2000

// MailFailed records a failed attempt: retry at retryAt, or give up when
// retryAt is nil.
func (db *DB) MailFailed(ctx context.Context, id int64, sendErr string, retryAt *time.Time) error {
	// The error comes from a mail server: it is kept short and storable.
	sendErr = strings.ReplaceAll(strings.ToValidUTF8(sendErr, "\uFFFD"), "\x00", "")
	if len(sendErr) > maxMailError {
		sendErr = strings.ToValidUTF8(sendErr[:maxMailError], "")
	}
	if retryAt == nil {
		return db.updateMail(ctx, "mail failed", id, `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
			claimed_until = NULL, failed_at = ? WHERE id = ?`, sendErr, db.now(), id)
	}
	return db.updateMail(ctx, "mail failed", id, `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
		claimed_until = NULL, send_after = ? WHERE id = ?`, sendErr, retryAt.UTC().Truncate(time.Microsecond), id)
}

// updateMail runs a statement that must change message id.
func (db *DB) updateMail(ctx context.Context, op string, id int64, query string, args ...any) error {
	return db.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy thư #%d.", "Message #%d was not found.", id)
		}
		return nil
	})
}

// OutboxFilter selects messages for Outbox.
type OutboxFilter struct {
	To     string // exact address
	Status string // "", "queued", "sent", "failed"
	Limit  int    // 0: 100
	Offset int
}

// maxOutboxPage is the most messages Outbox returns at once.
const maxOutboxPage = 1000

// Outbox lists messages newest first, and their total.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]Mail, int, error) {
	var (
		conds []string
		args  []any
	)
	if f.To != "" {
		conds, args = append(conds, "to_addr = ?"), append(args, f.To)
	}
	switch f.Status {
	case "":
	case OutboxQueued:
		conds = append(conds, "sent_at IS NULL AND failed_at IS NULL")
	case OutboxSent:
		conds = append(conds, "sent_at IS NOT NULL")
	case OutboxFailed:
		conds = append(conds, "sent_at IS NULL AND failed_at IS NOT NULL")
	default:
		return nil, 0, sihub.Errorf(sihub.ErrInvalid, "Trạng thái thư %q không hợp lệ.", "Message status %q is not valid.", f.Status)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, maxOutboxPage)
	var (
		ms    = []Mail{}
		total int
	)
	err := db.read(ctx, "outbox", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM outbox`+where), args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+mailCols+` FROM outbox`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`),
			append(args, limit, max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMail(rows)
			if err != nil {
				return err
			}
			ms = append(ms, *m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return ms, total, nil
}
