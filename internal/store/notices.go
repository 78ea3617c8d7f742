package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Notices of new opportunities. When a demand opens (or its requirements
// change), every supplier company that qualifies or nearly qualifies for it
// is told once, ever: demand_notices holds one row per demand and company,
// and only the writer whose insert made the row sends anything, so that
// rounds repeated or run by several instances never tell a company twice.
//
// People choose how they hear (users.notify): an email per notice
// (immediate), a daily digest, or nothing. A digest follows a per-user
// cursor, users.digest_at: it carries the notices of the person's company
// created after their previous digest, so that several people of one
// company each get their own; demand_notices.digested_at only records when
// a digest first carried a notice. A person who never had a digest gets the
// notices of the last day.
//
// The mails are queued in the transaction that records the notice or
// advances the cursor: either both are written or neither, so that a crash
// in between neither loses a message nor sends one twice. Both take their
// time under the write lock, so a notice committed after a digest is
// stamped after the digest's cursor and waits for the next one (instances'
// clocks are assumed synchronized).

// DemandNotice is the notice of a demand to a supplier company.
type DemandNotice struct {
	DemandID   int64      `json:"demand_id"`
	CompanyID  int64      `json:"company_id"`
	Qualified  bool       `json:"qualified"` // false: a near miss
	CreatedAt  time.Time  `json:"created_at"`
	DigestedAt *time.Time `json:"digested_at,omitempty"`
}

// OutMail is an email to queue in the outbox.
type OutMail struct {
	To, Subject, Body string
}

// NoticeMails composes the emails announcing notice n to recipients, the
// active people of its company who chose immediate emails. It runs inside
// the write transaction: it must not call the database.
type NoticeMails func(n DemandNotice, recipients []*sihub.User) ([]OutMail, error)

// AddDemandNotices records the notices of demand demandID to the companies
// of notices (Qualified set; the rest is filled in) that were not told of
// it before, queues the emails mails composes for each new one, and returns
// the new notices. Notices already recorded are left as they are and get
// no email.
func (db *DB) AddDemandNotices(ctx context.Context, demandID int64, notices []DemandNotice, mails NoticeMails) ([]DemandNotice, error) {
	var added []DemandNotice
	err := db.write(ctx, "add demand notices", func(tx *sql.Tx) error {
		added = added[:0]
		now := db.now()
		for _, n := range notices {
			q := 0
			if n.Qualified {
				q = 1
			}
			// RETURNING gives a row only when the insert made one.
			var company int64
			err := tx.QueryRowContext(ctx, db.q(`INSERT INTO demand_notices (demand_id, company_id, qualified, created_at)
				VALUES (?, ?, ?, ?) ON CONFLICT (demand_id, company_id) DO NOTHING RETURNING company_id`),
				demandID, n.CompanyID, q, now).Scan(&company)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			n.DemandID, n.CreatedAt, n.DigestedAt = demandID, now, nil
			added = append(added, n)
			if mails == nil {
				continue
			}
			to, err := db.noticeRecipients(ctx, tx, n.CompanyID, sihub.NotifyImmediate)
			if err != nil {
				return err
			}
			if len(to) == 0 {
				continue
			}
			ms, err := mails(n, to)
			if err != nil {
				return err
			}
			if err := db.queueMails(ctx, tx, now, ms); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return added, nil
}

// DemandNotices lists the notices of demand demandID, by company id.
func (db *DB) DemandNotices(ctx context.Context, demandID int64) ([]DemandNotice, error) {
	ns := []DemandNotice{}
	err := db.read(ctx, "demand notices", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT demand_id, company_id, qualified, created_at, digested_at
			FROM demand_notices WHERE demand_id = ? ORDER BY company_id`), demandID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotice(rows)
			if err != nil {
				return err
			}
			ns = append(ns, *n)
		}
		return rows.Err()
	})
	return ns, err
}

func scanNotice(row interface{ Scan(...any) error }, extra ...any) (*DemandNotice, error) {
	var (
		n        DemandNotice
		q        int
		digested sql.NullTime
	)
	if err := row.Scan(append([]any{&n.DemandID, &n.CompanyID, &q, &n.CreatedAt, &digested}, extra...)...); err != nil {
		return nil, err
	}
	n.Qualified, n.CreatedAt, n.DigestedAt = q == 1, n.CreatedAt.UTC(), utcTime(digested)
	return &n, nil
}

// noticeRecipients returns the active people of company companyID who
// chose mode.
func (db *DB) noticeRecipients(ctx context.Context, tx *sql.Tx, companyID int64, mode sihub.NotifyMode) ([]*sihub.User, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+userCols+userFrom+`
		WHERE u.company_id = ? AND u.notify = ? AND u.status = ? AND u.email_confirmed_at IS NOT NULL ORDER BY u.id`),
		companyID, string(mode), string(sihub.StatusActive))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []*sihub.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// queueMails adds ms to the outbox within tx, due at once.
func (db *DB) queueMails(ctx context.Context, tx *sql.Tx, now time.Time, ms []OutMail) error {
	for _, m := range ms {
		for _, f := range []struct{ name, v string }{{"to", m.To}, {"subject", m.Subject}, {"body", m.Body}} {
			if !storable(f.v) {
				return unstorable(f.name)
			}
		}
		if m.To == "" {
			return sihub.Errorf(sihub.ErrInvalid, "Thư không có người nhận.", "The message has no recipient.")
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO outbox (to_addr, subject, body, created_at, send_after)
			VALUES (?, ?, ?, ?, ?)`), m.To, m.Subject, m.Body, now, now); err != nil {
			return err
		}
	}
	return nil
}

// DigestPeriod is how often a person who chose the daily digest gets one
// at most.
const DigestPeriod = 24 * time.Hour

// DueDigests returns up to limit people who chose the daily digest, whose
// last digest is at least DigestPeriod old (or who never had one), and for
// whom notices of their company or notifications (digest TRUE) wait; by
// id. Staff, who have no company, have only notifications.
func (db *DB) DueDigests(ctx context.Context, limit int) ([]*sihub.User, error) {
	if limit <= 0 {
		limit = 100
	}
	now := db.now()
	cutoff := now.Add(-DigestPeriod)
	var us []*sihub.User
	err := db.read(ctx, "due digests", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+userCols+userFrom+`
			WHERE u.notify = ? AND u.status = ? AND u.email_confirmed_at IS NOT NULL
			AND (u.digest_at IS NULL OR u.digest_at <= ?)
			AND (EXISTS (SELECT 1 FROM demand_notices n WHERE n.company_id = u.company_id
					AND n.created_at > COALESCE(u.digest_at, ?) AND n.created_at <= ?)
				OR EXISTS (SELECT 1 FROM notifications m WHERE m.user_id = u.id AND m.digest))
			ORDER BY u.id LIMIT ?`),
			string(sihub.NotifyDaily), string(sihub.StatusActive), cutoff, cutoff, now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			us = append(us, u)
		}
		return rows.Err()
	})
	return us, err
}

// DigestNotice is a notice in a digest, with its demand as it is now.
type DigestNotice struct {
	DemandNotice
	Demand *sihub.Demand
}

// DigestMail composes the digest of notices and notifications (oldest
// first) for u (the person as now stored, their notify mode set); nil when
// nothing is worth telling any more (the demands closed). It runs inside
// the write transaction: it must not call the database.
type DigestMail func(u *sihub.User, notices []DigestNotice, notes []*Notification) (*OutMail, error)

// SendDigest claims the digest of user userID if it is due — they chose
// daily, their last digest is at least DigestPeriod old, and notices of
// their company were created since or notifications wait for it —
// queues the mail compose makes of them, clears the notifications' digest
// flag and moves their cursor (users.digest_at) to now. It reports whether
// it sent one; of several instances racing for one digest exactly one
// does (the conditional update under the write lock).
func (db *DB) SendDigest(ctx context.Context, userID int64, compose DigestMail) (bool, error) {
	sent := false
	err := db.write(ctx, "send digest", func(tx *sql.Tx) error {
		sent = false
		now := db.now()
		cutoff := now.Add(-DigestPeriod)
		var last sql.NullTime
		u, err := scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, u.digest_at`+userFrom+` WHERE u.id = ?`), userID), &last)
		if errors.Is(err, sql.ErrNoRows) {
			return userNotFound(userID)
		}
		if err != nil {
			return err
		}
		if u.Notify != sihub.NotifyDaily || !u.Active() {
			return nil
		}
		since := cutoff
		if last.Valid {
			since = last.Time.UTC()
		}
		// The claim: only a digest still due moves the cursor.
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET digest_at = ?
			WHERE id = ? AND notify = ? AND (digest_at IS NULL OR digest_at <= ?)`),
			now, userID, string(sihub.NotifyDaily), cutoff)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		ns, err := db.digestNotices(ctx, tx, u.CompanyID, since, now)
		if err != nil {
			return err
		}
		notes, err := db.queryNotifications(ctx, tx, `user_id = ? AND digest ORDER BY id`, userID)
		if err != nil {
			return err
		}
		if len(ns) == 0 && len(notes) == 0 {
			// Nothing new after all: leave the cursor where it was.
			return errNoDigest
		}
		m, err := compose(u, ns, notes)
		if err != nil {
			return err
		}
		if m != nil {
			if err := db.queueMails(ctx, tx, now, []OutMail{*m}); err != nil {
				return err
			}
			sent = true
		}
		if len(notes) > 0 {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE notifications SET digest = ? WHERE user_id = ? AND digest AND id <= ?`),
				false, userID, notes[len(notes)-1].ID); err != nil {
				return err
			}
		}
		if len(ns) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE demand_notices SET digested_at = ?
			WHERE company_id = ? AND created_at > ? AND created_at <= ? AND digested_at IS NULL`), now, u.CompanyID, since, now)
		return err
	})
	if errors.Is(err, errNoDigest) {
		return false, nil
	}
	return sent, err
}

// digestNotices lists the notices of company companyID (none for 0)
// created after since and at or before now, with their demands.
func (db *DB) digestNotices(ctx context.Context, tx *sql.Tx, companyID int64, since, now time.Time) ([]DigestNotice, error) {
	if companyID == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT n.demand_id, n.company_id, n.qualified, n.created_at, n.digested_at, `+demandCols+`
		FROM demand_notices n JOIN demands d ON d.id = n.demand_id JOIN companies c ON c.id = d.buyer_id
		WHERE n.company_id = ? AND n.created_at > ? AND n.created_at <= ?
		ORDER BY n.qualified DESC, n.created_at, n.demand_id`), companyID, since, now)
	if err != nil {
		return nil, err
	}
	var ns []DigestNotice
	for rows.Next() {
		// scanDemand reads demandCols; the notice's columns come first.
		dest := &noticeThenDemand{rows: rows}
		d, err := scanDemand(dest)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ns = append(ns, DigestNotice{DemandNotice: dest.notice(), Demand: d})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return ns, rows.Err()
}

// errNoDigest rolls back a claim that found nothing to send.
var errNoDigest = &sihub.Error{Code: sihub.ErrNotFound, Msg: sihub.M("Không có gì để gửi.", "Nothing to send.")}

// noticeThenDemand scans a row holding a notice's five columns followed by
// demandCols: scanDemand scans through it, and the notice's values are kept
// aside.
type noticeThenDemand struct {
	rows      *sql.Rows
	demandID  int64
	companyID int64
	qualified int
	created   time.Time
	digested  sql.NullTime
}

func (s *noticeThenDemand) Scan(dest ...any) error {
	return s.rows.Scan(append([]any{&s.demandID, &s.companyID, &s.qualified, &s.created, &s.digested}, dest...)...)
}

func (s *noticeThenDemand) notice() DemandNotice {
	return DemandNotice{DemandID: s.demandID, CompanyID: s.companyID, Qualified: s.qualified == 1,
		CreatedAt: s.created.UTC(), DigestedAt: utcTime(s.digested)}
}
