package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
)

// AuditFilter selects records for AuditLog; zero fields select all.
type AuditFilter struct {
	ObjectType string
	ObjectID   int64
	ActorID    int64
	Actor      string    // label, exact
	Action     string    // exact, or a prefix ending in "." ("company.")
	Since      time.Time // records at or after
	Until      time.Time // records before (exclusive)
	BeforeSeq  int64     // for paging: records older than this
	Limit      int       // 0: 50; at most maxAuditPage
}

// maxAuditPage is the most records AuditLog returns at once.
const maxAuditPage = 1000

const auditCols = `seq, at, actor_id, actor, ip, action, object_type, object_id, before, after, digest, prev, hash, redactions`

// scanAudit reads a row of auditCols as it was written: Before and After
// byte for byte (nil for NULL), At in UTC, so that ContentDigest gives the
// digest the appender computed.
func scanAudit(row interface{ Scan(...any) error }) (*sihub.AuditRecord, error) {
	var (
		r             sihub.AuditRecord
		before, after sql.NullString
		redactions    string
	)
	if err := row.Scan(&r.Seq, &r.At, &r.ActorID, &r.Actor, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID,
		&before, &after, &r.Digest, &r.Prev, &r.Hash, &redactions); err != nil {
		return nil, err
	}
	if redactions != "" {
		// Unreadable redactions leave the map empty, and the record then
		// fails its digest check: they are part of what is verified.
		json.Unmarshal([]byte(redactions), &r.Redactions)
	}
	r.At = r.At.UTC()
	if before.Valid {
		r.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		r.After = json.RawMessage(after.String)
	}
	return &r, nil
}

// AuditLog returns the records f selects, newest first.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]sihub.AuditRecord, error) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, arg ...any) { conds, args = append(conds, cond), append(args, arg...) }
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != 0 {
		add("object_id = ?", f.ObjectID)
	}
	if f.ActorID != 0 {
		add("actor_id = ?", f.ActorID)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if strings.HasSuffix(f.Action, ".") {
		// substr rather than LIKE, whose _ and % action names may hold.
		add("substr(action, 1, ?) = ?", utf8.RuneCountInString(f.Action), f.Action)
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("at < ?", f.Until.UTC())
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	query := `SELECT ` + auditCols + ` FROM audit_log`
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	query += " ORDER BY seq DESC LIMIT ?"
	args = append(args, min(limit, maxAuditPage))
	rs := []sihub.AuditRecord{}
	err := db.read(ctx, "audit log", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			rs = append(rs, *r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// AuditHead returns the newest record's seq and hash (0 and "" when the
// trail is empty).
func (db *DB) AuditHead(ctx context.Context) (sihub.AuditHead, error) {
	var h sihub.AuditHead
	err := db.read(ctx, "audit head", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return h, err
}

// VerifyAudit walks the whole chain and checks it, against want when given
// (a head published earlier). The checker's Problems list what is wrong.
func (db *DB) VerifyAudit(ctx context.Context, want *sihub.AuditHead) (*sihub.AuditChecker, sihub.AuditHead, error) {
	c := sihub.NewAuditChecker(want)
	// One snapshot: appends made meanwhile are not half seen.
	err := db.read(ctx, "verify audit", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			c.Add(r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, sihub.AuditHead{}, err
	}
	return c, c.Finish(), nil
}

// minRedacted is the shortest value redaction looks for, in characters: a
// shorter one identifies nobody.
const minRedacted = 3

// redactBatch is how many records redaction reads at a time.
const redactBatch = 1000

// redactAudit erases a person's data from the records by them or about
// them — those of their actions (actorID, or their email as the actor's
// label, which records of a sign-up carry) and those whose object is their
// account — and nowhere else, so that erasing an account cannot be used to
// strip a name from the rest of the trail. In those records it erases
// every leaf (sihub.AuditRecord.Redact) mentioning one of values, and the
// IP of their own actions.
func (db *DB) redactAudit(ctx context.Context, tx *sql.Tx, actorID int64, email string, values []string) error {
	rd := newRedacter(values)
	by := func(r *sihub.AuditRecord) bool {
		return r.ActorID == actorID || strings.EqualFold(r.Actor, email)
	}
	return db.redactWhere(ctx, tx, `(actor_id = ? OR LOWER(actor) = ? OR (object_type = 'user' AND object_id = ?))`,
		[]any{actorID, strings.ToLower(email), actorID},
		func(r *sihub.AuditRecord, leaf, value string) bool {
			return leaf == "ip" && by(r) || rd != nil && rd.matches(value)
		})
}

// redactWhere erases, in the records cond selects, the leaves erase
// picks, and writes back the records it changed. Their digest, prev and
// hash stay, so the chain holds.
func (db *DB) redactWhere(ctx context.Context, tx *sql.Tx, cond string, args []any,
	erase func(r *sihub.AuditRecord, leaf, value string) bool) error {
	query := db.q(`SELECT ` + auditCols + ` FROM audit_log WHERE seq > ? AND ` + cond + ` ORDER BY seq LIMIT ?`)
	upd, err := tx.PrepareContext(ctx, db.q(`UPDATE audit_log SET actor = ?, ip = ?, before = ?, after = ?, redactions = ? WHERE seq = ?`))
	if err != nil {
		return err
	}
	defer upd.Close()
	// Read a batch, then write it: rows are not updated under an open
	// cursor over their table.
	for after := int64(0); ; {
		var batch []*sihub.AuditRecord
		rows, err := tx.QueryContext(ctx, query, append(append([]any{after}, args...), redactBatch)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		after = batch[len(batch)-1].Seq
		for _, r := range batch {
			if !r.Redact(func(leaf, value string) bool { return erase(r, leaf, value) }) {
				continue
			}
			red, err := json.Marshal(r.Redactions)
			if err != nil {
				return err
			}
			if _, err := upd.ExecContext(ctx, r.Actor, r.IP, nullJSON(r.Before), nullJSON(r.After), string(red), r.Seq); err != nil {
				return err
			}
		}
	}
}

// redacter finds values in texts, regardless of case (an email may be
// written either way) and as whole words ("Minh" is not found in
// "Minhanh"); values shorter than minRedacted characters are left alone.
// In a JSON text it also looks at the strings' decoded form, so that an
// escape (JSON writes & as \u0026) does not hide them.
type redacter struct{ re *regexp.Regexp }

// newRedacter returns a redacter of values, nil when none is long enough.
func newRedacter(values []string) *redacter {
	var vs []string
	for _, v := range values {
		if v = strings.TrimSpace(v); utf8.RuneCountInString(v) >= minRedacted {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return nil
	}
	// Longer values first: of alternatives matching at one place, the
	// regexp takes the first.
	slices.SortFunc(vs, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for i, v := range vs {
		vs[i] = regexp.QuoteMeta(v)
	}
	return &redacter{regexp.MustCompile("(?i)" + strings.Join(vs, "|"))}
}

// matches reports whether s, or a string inside s when s is JSON, holds
// one of the values as a word.
func (rd *redacter) matches(s string) bool {
	if rd.inText(s) {
		return true
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return false
	}
	return rd.inJSON(v)
}

func (rd *redacter) inJSON(v any) bool {
	switch x := v.(type) {
	case string:
		return rd.inText(x)
	case []any:
		return slices.ContainsFunc(x, rd.inJSON)
	case map[string]any:
		for k, e := range x {
			if rd.inText(k) || rd.inJSON(e) {
				return true
			}
		}
	}
	return false
}

func (rd *redacter) inText(s string) bool {
	for _, m := range rd.re.FindAllStringIndex(s, -1) {
		if wordEdge(s, m[0], m[1]) {
			return true
		}
	}
	return false
}

// wordEdge reports whether s[i:j] stands as a word of its own: a letter or
// digit at either end of it is not continued by another.
func wordEdge(s string, i, j int) bool {
	first, _ := utf8.DecodeRuneInString(s[i:j])
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	lastR, _ := utf8.DecodeLastRuneInString(s[i:j])
	after, _ := utf8.DecodeRuneInString(s[j:])
	return !(i > 0 && wordRune(first) && wordRune(before)) && !(j < len(s) && wordRune(lastR) && wordRune(after))
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// EraseContact removes contact position of company (staff, on the person's
// request) and redacts the contact's name, email and phone from the audit
// trail (audited as contact.erase, without the data).
func (db *DB) EraseContact(ctx context.Context, companyID int64, position int) error {
	return db.writeCompanies(ctx, "erase contact", func(w *companyWriter) error {
		old, err := w.find(ctx, w.byID, companyID)
		if err != nil {
			return err
		}
		if old == nil {
			return notFound("company", companyID)
		}
		c, err := w.current(ctx, companyID)
		if err != nil {
			return err
		}
		if position < 0 || position >= len(c.Contacts) {
			return sihub.Errorf(sihub.ErrNotFound, "Doanh nghiệp #%d không có người liên hệ thứ %d.",
				"Company #%d has no contact number %d.", companyID, position+1)
		}
		ct := c.Contacts[position]
		c.Contacts = append(c.Contacts[:position:position], c.Contacts[position+1:]...)
		// Written as a profile edit, so that everything derived from the
		// contacts (their hash, completeness, the directory entry)
		// follows; the positions of those after it close up.
		c.UpdatedAt = db.now()
		if err := w.update(ctx, c, old); err != nil {
			return err
		}
		// The contact's data entered the trail with the company's own
		// records; erasing it from those leaves other companies' alone
		// (a given name may be part of another company's name).
		rd := newRedacter([]string{ct.Name, ct.Email, ct.Phone})
		if rd != nil {
			err := db.redactWhere(ctx, w.tx, `object_type = 'company' AND object_id = ?`, []any{companyID},
				func(_ *sihub.AuditRecord, _, value string) bool { return rd.matches(value) })
			if err != nil {
				return err
			}
		}
		return db.audit(ctx, w.tx, "contact.erase", "company", companyID, nil, map[string]int{"position": position})
	})
}
