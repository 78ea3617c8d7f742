package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Reminders of the RFQ work (the web package's reminder round composes
// them): a deadline coming to suppliers that have not answered, a quote
// received to the buyer, a round closed with its summary to the buyer, a
// case's next step overdue to its owner. Each is sent once, ever, even
// with several server instances: the reminders table holds one row per
// kind, object and instant (the deadline, the submission, the next-step
// date — so that an extended deadline or a new next-step date is reminded
// afresh), and only the writer whose insert made the row writes the
// notifications (notifications.go: each person's list, the email at once
// for those who chose immediate emails, the daily digest for those who
// chose it), in the same transaction (as AddDemandNotices does).

// Reminder kinds.
const (
	RemindDeadline48     = "deadline_48h"    // object: an invitation; due: its round's deadline
	RemindDeadline24     = "deadline_24h"    // likewise
	RemindQuoteReceived  = "quote_received"  // object: a submitted quote revision; due: its submission
	RemindDeadlinePassed = "deadline_passed" // object: a round; due: its deadline
	RemindStepOverdue    = "step_overdue"    // object: a case; due: its next-step date
)

// Reminder names one reminder.
type Reminder struct {
	Kind     string    `json:"kind"`
	ObjectID int64     `json:"object_id"`
	Due      time.Time `json:"due"`
}

// SendReminder claims reminder r and, only when this call made its row,
// writes notes (composed beforehand by the caller, one per person; none
// records the reminder as dealt with, so that nobody gets it later). It
// reports whether it claimed r; of several instances racing for one
// reminder exactly one does.
func (db *DB) SendReminder(ctx context.Context, r Reminder, notes []Note) (bool, error) {
	claimed := false
	err := db.write(ctx, "send reminder", func(tx *sql.Tx) error {
		claimed = false
		now := db.now()
		var kind string
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO reminders (kind, object_id, due, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, object_id, due) DO NOTHING RETURNING kind`), r.Kind, r.ObjectID, instant(r.Due), now).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		claimed = true
		return db.notifyTx(ctx, tx, now, notes)
	})
	return claimed, err
}

// ReminderSent reports whether reminder r was claimed.
func (db *DB) ReminderSent(ctx context.Context, r Reminder) (bool, error) {
	var n int
	err := db.read(ctx, "reminder sent", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM reminders WHERE kind = ? AND object_id = ? AND due = ?`),
			r.Kind, r.ObjectID, instant(r.Due)).Scan(&n)
	})
	return n > 0, err
}

// DeadlineDue is an unanswered invitation whose round's deadline comes
// soon, and the reminder it is due.
type DeadlineDue struct {
	Invitation *sihub.Invitation
	RFQ        *sihub.RFQ
	Kind       string // RemindDeadline48 or RemindDeadline24
}

// DueDeadlineReminders lists the invitations still unanswered (new, viewed
// or draft) whose round's deadline is after now and at most 48 hours
// away, that have not had the reminder due at now: RemindDeadline24 within
// 24 hours of the deadline, RemindDeadline48 before. Earliest deadline
// first.
func (db *DB) DueDeadlineReminders(ctx context.Context, now time.Time) ([]DeadlineDue, error) {
	now = instant(now)
	in24, in48 := now.Add(24*time.Hour), now.Add(48*time.Hour)
	var out []DeadlineDue
	err := db.read(ctx, "due deadline reminders", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+invitationCols+`, `+rfqCols+invitationFrom+`
			JOIN rfqs r ON r.id = i.rfq_id
			WHERE i.state IN (?, ?, ?) AND r.deadline > ? AND r.deadline <= ?
			AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.object_id = i.id AND m.due = r.deadline
				AND m.kind = CASE WHEN r.deadline <= ? THEN ? ELSE ? END)
			ORDER BY r.deadline, i.id`),
			string(sihub.InvNew), string(sihub.InvViewed), string(sihub.InvDraft), now, in48, in24, RemindDeadline24, RemindDeadline48)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			iv, r, err := scanInvitationRFQ(rows)
			if err != nil {
				return err
			}
			kind := RemindDeadline48
			if !r.Deadline.After(in24) {
				kind = RemindDeadline24
			}
			out = append(out, DeadlineDue{Invitation: iv, RFQ: r, Kind: kind})
		}
		return rows.Err()
	})
	return out, err
}

// scanInvitationRFQ reads invitationCols followed by rfqCols.
func scanInvitationRFQ(rows *sql.Rows) (*sihub.Invitation, *sihub.RFQ, error) {
	var (
		r  sihub.RFQ
		by sql.NullInt64
	)
	iv, err := scanInvitation(&rowThen{rows: rows, extra: []any{&r.ID, &r.DemandID, &r.Round, &r.Message, &r.Deadline,
		&r.Sealed, &by, &r.CreatedAt, &r.UpdatedAt}})
	if err != nil {
		return nil, nil, err
	}
	r.CreatedBy = by.Int64
	r.Deadline, r.CreatedAt, r.UpdatedAt = r.Deadline.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return iv, &r, nil
}

// rowThen scans a row whose first columns are read by the scanner it is
// given, and the rest into extra.
type rowThen struct {
	rows  *sql.Rows
	extra []any
}

func (s *rowThen) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }

// QuotesUnreminded lists the quote revisions submitted after since and
// not yet reminded (RemindQuoteReceived), oldest first. since bounds the
// look back: a revision older than it is never reminded.
func (db *DB) QuotesUnreminded(ctx context.Context, since time.Time) ([]*sihub.Quote, error) {
	return db.quotesWhere(ctx, "unreminded quotes", `q.revision > 0 AND q.submitted_at IS NOT NULL AND q.submitted_at > ?
		AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.kind = ? AND m.object_id = q.id AND m.due = q.submitted_at)
		ORDER BY q.submitted_at, q.id`, instant(since), RemindQuoteReceived)
}

// ClosedRoundsUnreminded lists the rounds whose deadline passed after
// since and at or before now without their summary (RemindDeadlinePassed),
// earliest deadline first.
func (db *DB) ClosedRoundsUnreminded(ctx context.Context, since, now time.Time) ([]*sihub.RFQ, error) {
	var rs []*sihub.RFQ
	err := db.read(ctx, "closed rounds", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+rfqCols+` FROM rfqs r WHERE r.deadline > ? AND r.deadline < ?
			AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.kind = ? AND m.object_id = r.id AND m.due = r.deadline)
			ORDER BY r.deadline, r.id`), instant(since), instant(now), RemindDeadlinePassed)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRFQ(rows)
			if err != nil {
				return err
			}
			rs = append(rs, r)
		}
		return rows.Err()
	})
	return rs, err
}

// OverdueCasesUnreminded lists the open cases (neither awarded nor lost)
// with an owner whose next-step date passed after since and before now
// without a reminder (RemindStepOverdue), earliest first.
func (db *DB) OverdueCasesUnreminded(ctx context.Context, since, now time.Time) ([]*sihub.Case, error) {
	return db.casesWhere(ctx, "overdue cases", `WHERE k.stage NOT IN (?, ?) AND k.owner IS NOT NULL
		AND k.next_step_at > ? AND k.next_step_at < ?
		AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.kind = ? AND m.object_id = k.id AND m.due = k.next_step_at)
		ORDER BY k.next_step_at, k.id`, string(sihub.StageAwarded), string(sihub.StageLost), instant(since), instant(now),
		RemindStepOverdue)
}

// StagesReached counts, for each stage, the cases that ever reached it (a
// step to it), every stage present, and the number of cases: the board's
// conversion per stage.
func (db *DB) StagesReached(ctx context.Context) (map[sihub.Stage]int, int, error) {
	var counts map[sihub.Stage]int
	total := 0
	err := db.read(ctx, "stages reached", func(tx *sql.Tx) (err error) {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&total); err != nil {
			return err
		}
		counts, err = stageCounts(ctx, tx, `SELECT to_stage, COUNT(DISTINCT case_id) FROM case_steps GROUP BY to_stage`)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return counts, total, nil
}
