package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// In-app notifications (migration 0010): each piece of news for one person
// — an invitation to quote, a deadline coming, a quote received, a round
// closed, a question or an answer, a step overdue — written in their
// language by the caller. Whatever the person chose (users.notify), the
// news is listed in the app; it is emailed at once, in the transaction
// that writes it, to those who chose immediate emails (active, email
// confirmed), and waits, digest TRUE, for the next daily digest of those
// who chose it (SendDigest clears the flag in the digest's transaction);
// those who chose none get no email. A person no longer active (pending,
// disabled, erased) gets nothing.

// Notification kinds.
const (
	NoteInvitation = "invitation"     // invited to quote
	NoteExtended   = "rfq_extended"   // a round's deadline extended
	NoteAnswer     = "rfq_answer"     // a question of a round answered
	NoteQuestion   = "rfq_question"   // a supplier asked a question
	NoteDeadline48 = RemindDeadline48 // reminders keep their kind
	NoteDeadline24 = RemindDeadline24
	NoteQuote      = RemindQuoteReceived
	NoteClosed     = RemindDeadlinePassed
	NoteOverdue    = RemindStepOverdue
)

// Note is a piece of news for one person, written in their language.
type Note struct {
	UserID  int64
	Kind    string
	Subject string // the list's title and the email's subject
	Body    string // the list's text
	Link    string // a site path, e.g. /invitations/7/quote; "" for none
	// Mail is the email's body (with absolute links), for those who chose
	// immediate emails; "" sends Body.
	Mail string
}

// Notification is a note as stored.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	Digest    bool       `json:"digest"` // waiting for the person's next daily digest
}

// NotificationFilter selects a person's notifications, newest first.
type NotificationFilter struct {
	Unread bool  // only those not read
	Before int64 // only ids below it (paging); 0: from the newest
	Limit  int   // at most; 0: 50
}

const (
	maxNoteSubject = 1000
	maxNoteBody    = 100000 // quotes a question and its answer (maxRFQText each), or a round's message
	maxNoteLink    = 2000
)

// Notify writes notes (see the package's notes on notifications).
func (db *DB) Notify(ctx context.Context, notes []Note) error {
	if len(notes) == 0 {
		return nil
	}
	return db.write(ctx, "notify", func(tx *sql.Tx) error {
		return db.notifyTx(ctx, tx, db.now(), notes)
	})
}

// notifyTx writes notes within tx: a notification row each, the email
// queued for those who chose immediate emails, the digest flag for those
// who chose the daily digest.
func (db *DB) notifyTx(ctx context.Context, tx *sql.Tx, now time.Time, notes []Note) error {
	for _, n := range notes {
		if err := checkNote(n); err != nil {
			return err
		}
		var (
			email, notify, status string
			confirmed             sql.NullTime
		)
		err := tx.QueryRowContext(ctx, db.q(`SELECT email, notify, status, email_confirmed_at FROM users WHERE id = ?`), n.UserID).
			Scan(&email, &notify, &status, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if status != string(sihub.StatusActive) {
			continue
		}
		mode := sihub.NotifyMode(notify)
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO notifications (user_id, kind, subject, body, link, created_at, digest)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), n.UserID, n.Kind, n.Subject, n.Body, n.Link, now, mode == sihub.NotifyDaily); err != nil {
			return err
		}
		if (mode == sihub.NotifyImmediate || mode == "") && confirmed.Valid {
			body := n.Mail
			if body == "" {
				body = n.Body
			}
			if err := db.queueMails(ctx, tx, now, []OutMail{{To: email, Subject: n.Subject, Body: body}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// tellTx writes within tx the notes tell gives of v, what a change just
// stored (a round, a question), so that the news commits or rolls back
// with the change: nobody is told of a change that failed, and no change
// is stored without its news. tell runs inside the write transaction and
// must not use the database: its caller reads the recipients before. A
// nil tell tells nobody.
func tellTx[T any](ctx context.Context, db *DB, tx *sql.Tx, now time.Time, tell func(T) []Note, v T) error {
	if tell == nil {
		return nil
	}
	return db.notifyTx(ctx, tx, now, tell(v))
}

func checkNote(n Note) error {
	if n.UserID <= 0 || n.Kind == "" || strings.TrimSpace(n.Subject) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Thông báo thiếu người nhận, loại hoặc tiêu đề.", "The notification lacks a recipient, a kind or a subject.")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"kind", n.Kind, 50}, {"subject", n.Subject, maxNoteSubject}, {"body", n.Body, maxNoteBody},
		{"link", n.Link, maxNoteLink}, {"mail", n.Mail, maxNoteBody}} {
		if err := checkText(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	// A site path, never an address elsewhere (browsers drop control
	// characters, so "/\t/evil" would read as "//evil").
	if n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") || strings.Contains(n.Link, `\`) ||
		strings.ContainsFunc(n.Link, func(r rune) bool { return r < 0x20 || r == 0x7f })) {
		return sihub.Errorf(sihub.ErrInvalid, "Đường dẫn của thông báo phải là một trang của SIHub.", "A notification's link must be a SIHub path.")
	}
	return nil
}

const notificationCols = `id, user_id, kind, subject, body, link, created_at, read_at, digest`

func scanNotification(row interface{ Scan(...any) error }) (*Notification, error) {
	var (
		n    Notification
		read sql.NullTime
	)
	if err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Subject, &n.Body, &n.Link, &n.CreatedAt, &read, &n.Digest); err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = n.CreatedAt.UTC(), utcTime(read)
	return &n, nil
}

func (db *DB) queryNotifications(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]*Notification, error) {
	return queryAll(ctx, tx, scanNotification, db.q(`SELECT `+notificationCols+` FROM notifications WHERE `+where), args...)
}

// Notifications lists user userID's notifications that f selects, newest
// first.
func (db *DB) Notifications(ctx context.Context, userID int64, f NotificationFilter) ([]*Notification, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	where := `user_id = ?`
	args := []any{userID}
	if f.Unread {
		where += ` AND read_at IS NULL`
	}
	if f.Before > 0 {
		where += ` AND id < ?`
		args = append(args, f.Before)
	}
	var ns []*Notification
	err := db.read(ctx, "notifications", func(tx *sql.Tx) error {
		var err error
		ns, err = db.queryNotifications(ctx, tx, where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
		return err
	})
	return ns, err
}

// UnreadNotifications counts user userID's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	n := 0
	err := db.read(ctx, "unread notifications", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`), userID).Scan(&n)
	})
	return n, err
}

// MarkNotificationsRead marks user userID's notifications ids (all of
// them when all is set) read, and returns how many it marked. Ids of
// another person's notifications, or already read, are left alone.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, all bool) (int, error) {
	if !all && len(ids) == 0 {
		return 0, nil
	}
	if len(ids) > 1000 {
		return 0, sihub.Errorf(sihub.ErrInvalid, "Tối đa 1000 thông báo mỗi lần.", "At most 1000 notifications at a time.")
	}
	marked := 0
	err := db.write(ctx, "mark notifications read", func(tx *sql.Tx) error {
		marked = 0
		query := `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`
		args := []any{db.now(), userID}
		if !all {
			query += ` AND id IN (?` + strings.Repeat(`, ?`, len(ids)-1) + `)`
			for _, id := range ids {
				args = append(args, id)
			}
		}
		res, err := tx.ExecContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		marked = int(n)
		return err
	})
	return marked, err
}

// CompanyRecipients returns the active people of company companyID (its
// admins and members, whatever they chose to hear), by id: those a piece
// of news about the company goes to.
func (db *DB) CompanyRecipients(ctx context.Context, companyID int64) ([]*sihub.User, error) {
	var us []*sihub.User
	err := db.read(ctx, "company recipients", func(tx *sql.Tx) error {
		var err error
		us, err = queryAll(ctx, tx, func(row interface{ Scan(...any) error }) (*sihub.User, error) { return scanUser(row) },
			db.q(`SELECT `+userCols+userFrom+` WHERE u.company_id = ? AND u.role IN (?, ?) AND u.status = ? ORDER BY u.id`),
			companyID, string(sihub.RoleCompanyAdmin), string(sihub.RoleCompanyMember), string(sihub.StatusActive))
		return err
	})
	return us, err
}
