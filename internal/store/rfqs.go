package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
)

// RFQs and the connection pipeline (sihub.RFQ, Invitation, Quote, Question,
// Case, CaseStep): rounds of requests for quotations on a demand, the
// suppliers invited to each, their drafts and submitted revisions, their
// questions, and each supplier's case through the pipeline stages.
//
// Every state change is audited in its transaction as object "demand" with
// the demand's id. Quotes are audited without their figures: the trail is
// read by the center, and a sealed quote must stay hidden from everyone
// until the deadline.
//
// The store keeps what was written and refuses what may never happen (a
// quote after the deadline, a move the pipeline does not allow); who may
// see what — sealed quotes before the deadline (RFQ.QuotesVisible), other
// suppliers' quotes, who asked a question — is the caller's to enforce
// through sihub's policy.

// Text limits of what people write here, in characters.
const (
	maxRFQText   = 20000 // messages, questions, answers, notes
	maxRFQReason = 500   // a lost reason
)

// decimal writes an amount as the amount columns hold it: strconv's
// shortest form, ” for none (0).
func decimal(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// parseDecimal reads an amount column.
func parseDecimal(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
}

func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}

// instant is t as the database keeps it: UTC, microseconds.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// checkText returns an ErrInvalid error for field when s is too long or
// not storable.
func checkText(field, s string, max int) error {
	if !storable(s) {
		return unstorable(field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		m := sihub.M("Tối đa %d ký tự (hiện có %d).", "At most %d characters (%d given).", max, n)
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: field, Msg: m}}}
	}
	return nil
}

// userRef is a user column's value for id: NULL for 0 or a user that is
// not there (an operator's actor id, say), so that recording who did
// something never fails a change.
func (db *DB) userRef(ctx context.Context, tx *sql.Tx, id int64) (sql.NullInt64, error) {
	if id <= 0 {
		return sql.NullInt64{}, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE id = ?`), id).Scan(&n); err != nil {
		return sql.NullInt64{}, err
	}
	return sql.NullInt64{Int64: id, Valid: n > 0}, nil
}

// ownerRef is the value of an owner column: the owner must exist, since
// reminders go to them.
func (db *DB) ownerRef(ctx context.Context, tx *sql.Tx, id int64) (sql.NullInt64, error) {
	ref, err := db.userRef(ctx, tx, id)
	if err == nil && id > 0 && !ref.Valid {
		m := sihub.M("Không tìm thấy người phụ trách #%d.", "Owner #%d was not found.", id)
		err = &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "owner", Msg: m}}}
	}
	return ref, err
}

func rfqNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy đợt báo giá #%d.", "RFQ round #%d was not found.", id)
}

func invitationNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy lời mời báo giá #%d.", "Invitation #%d was not found.", id)
}

func questionNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy câu hỏi #%d.", "Question #%d was not found.", id)
}

func caseNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy hồ sơ #%d.", "Case #%d was not found.", id)
}

func deadlinePassed(r *sihub.RFQ) error {
	return sihub.Errorf(sihub.ErrConflict, "Đã quá hạn chót nhận báo giá của đợt %d.",
		"The deadline for quotes of round %d has passed.", r.Round)
}

func invitationDeclined() error {
	return sihub.Errorf(sihub.ErrConflict, "Lời mời này đã bị từ chối.", "This invitation was declined.")
}

// ---- rounds ----

const rfqCols = `r.id, r.demand_id, r.round, r.message, r.deadline, r.sealed, r.created_by, r.created_at, r.updated_at`

func scanRFQ(row interface{ Scan(...any) error }) (*sihub.RFQ, error) {
	var (
		r  sihub.RFQ
		by sql.NullInt64
	)
	if err := row.Scan(&r.ID, &r.DemandID, &r.Round, &r.Message, &r.Deadline, &r.Sealed, &by, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.CreatedBy = by.Int64
	r.Deadline, r.CreatedAt, r.UpdatedAt = r.Deadline.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

func (db *DB) rfqTx(ctx context.Context, tx *sql.Tx, id int64) (*sihub.RFQ, error) {
	r, err := scanRFQ(tx.QueryRowContext(ctx, db.q(`SELECT `+rfqCols+` FROM rfqs r WHERE r.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rfqNotFound(id)
	}
	return r, err
}

// auditedRFQ is a round as the trail records it (its id and demand are the
// record's object).
type auditedRFQ struct {
	ID       int64     `json:"rfq_id"`
	Round    int       `json:"round"`
	Message  string    `json:"message,omitempty"`
	Deadline time.Time `json:"deadline"`
	Sealed   bool      `json:"sealed"`
}

// CreateRFQ opens the next round (1, 2, … per demand) of demand r.DemandID
// with r's message, deadline (checked by RFQ.Validate: still ahead) and
// sealing, and invites the companies of companyIDs (duplicates ignored; at
// least one, none of them the buyer). Each company without a case for the
// demand gets one at stage invited, its first step recorded by
// r.CreatedBy, who owns it; an existing case is left as it stands (a
// supplier lost in an earlier round stays lost). Sets r's ID, Round and
// timestamps and returns the invitations (state new, with company names).
// Audited rfq.create, rfq.invite for each company and case.move for each
// new case. The round's files (files, at most sihub.MaxRFQFiles) are
// stored in the same transaction, so a round is never seen without them;
// each File is filled in as AddRFQFile fills its file. tell, when not nil,
// gives the notes each invitation brings (see tellTx); they are written in
// the same transaction too.
func (db *DB) CreateRFQ(ctx context.Context, r *sihub.RFQ, companyIDs []int64, tell func(*sihub.RFQ, *sihub.Invitation) []Note, files ...RFQUpload) ([]*sihub.Invitation, error) {
	now := db.now()
	x := *r
	if err := x.Validate(now); err != nil {
		return nil, err
	}
	if len(files) > sihub.MaxRFQFiles {
		return nil, tooManyRFQFiles()
	}
	rows := make([]sihub.RFQFile, len(files))
	for i, f := range files {
		var err error
		if rows[i], err = newRFQFile(ctx, f.File, f.Data); err != nil {
			return nil, err
		}
		rows[i].InvitationID = 0
	}
	if err := checkText("message", x.Message, maxRFQText); err != nil {
		return nil, err
	}
	x.Deadline = instant(x.Deadline)
	var ids []int64
	for _, id := range companyIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		m := sihub.M("Chọn ít nhất một nhà cung cấp để mời báo giá.", "Choose at least one supplier to invite.")
		return nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "company_ids", Msg: m}}}
	}
	var invs []*sihub.Invitation
	err := db.write(ctx, "create rfq", func(tx *sql.Tx) error {
		var buyer int64
		err := tx.QueryRowContext(ctx, db.q(`SELECT buyer_id FROM demands WHERE id = ?`), x.DemandID).Scan(&buyer)
		if errors.Is(err, sql.ErrNoRows) {
			return demandNotFound(x.DemandID)
		}
		if err != nil {
			return err
		}
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE id = ?`), id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return notFound("company", id)
			}
			if id == buyer {
				return sihub.Errorf(sihub.ErrInvalid, "Bên mua không thể tự báo giá cho nhu cầu của mình.",
					"The buyer cannot be invited to quote on its own demand.")
			}
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COALESCE(MAX(round), 0) + 1 FROM rfqs WHERE demand_id = ?`),
			x.DemandID).Scan(&x.Round); err != nil {
			return err
		}
		by, err := db.userRef(ctx, tx, x.CreatedBy)
		if err != nil {
			return err
		}
		x.CreatedBy, x.CreatedAt, x.UpdatedAt = by.Int64, now, now
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO rfqs (demand_id, round, message, deadline, sealed, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			x.DemandID, x.Round, x.Message, x.Deadline, x.Sealed, by, now, now).Scan(&x.ID); err != nil {
			return err
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		if err := a.add(ctx, "rfq.create", "demand", x.DemandID, nil,
			auditedRFQ{x.ID, x.Round, x.Message, x.Deadline, x.Sealed}); err != nil {
			return err
		}
		for _, company := range ids {
			var inv int64
			if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO rfq_invitations (rfq_id, demand_id, company_id, state, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), x.ID, x.DemandID, company, string(sihub.InvNew), now, now).Scan(&inv); err != nil {
				return err
			}
			if err := a.add(ctx, "rfq.invite", "demand", x.DemandID, nil, map[string]any{
				"rfq_id": x.ID, "round": x.Round, "invitation_id": inv, "company_id": company}); err != nil {
				return err
			}
			// A case per supplier and demand, whatever the round.
			c := &sihub.Case{DemandID: x.DemandID, CompanyID: company, Stage: sihub.StageInvited, Owner: by.Int64,
				CreatedAt: now, UpdatedAt: now}
			err := tx.QueryRowContext(ctx, db.q(`INSERT INTO cases (demand_id, company_id, stage, owner, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (demand_id, company_id) DO NOTHING RETURNING id`),
				c.DemandID, c.CompanyID, string(c.Stage), by, now, now).Scan(&c.ID)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if err := db.addStep(ctx, tx, a, "case.move", nil, c, "", by.Int64, now); err != nil {
				return err
			}
		}
		for i := range rows {
			rows[i].RFQID = x.ID
			if err := db.insertRFQFile(ctx, tx, a, &rows[i], files[i].Data, now); err != nil {
				return err
			}
		}
		if invs, err = db.invitationsWhere(ctx, tx, `i.rfq_id = ? ORDER BY i.id`, x.ID); err != nil {
			return err
		}
		if tell == nil {
			return nil
		}
		var notes []Note
		for _, iv := range invs {
			notes = append(notes, tell(&x, iv)...)
		}
		return db.notifyTx(ctx, tx, now, notes)
	})
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		*f.File = rows[i]
	}
	*r = x
	return invs, nil
}

// RFQ returns round id (ErrNotFound when there is none).
func (db *DB) RFQ(ctx context.Context, id int64) (*sihub.RFQ, error) {
	var r *sihub.RFQ
	err := db.read(ctx, "get rfq", func(tx *sql.Tx) error {
		var err error
		r, err = db.rfqTx(ctx, tx, id)
		return err
	})
	return r, err
}

// RFQs lists demand demandID's rounds, first round first.
func (db *DB) RFQs(ctx context.Context, demandID int64) ([]*sihub.RFQ, error) {
	var rs []*sihub.RFQ
	err := db.read(ctx, "list rfqs", func(tx *sql.Tx) (err error) {
		rs, err = queryAll(ctx, tx, scanRFQ, db.q(`SELECT `+rfqCols+` FROM rfqs r WHERE r.demand_id = ? ORDER BY r.round`), demandID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// DeadlineChange is one extension of a round's deadline.
type DeadlineChange struct {
	RFQID int64     `json:"rfq_id"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	At    time.Time `json:"at"`
	By    int64     `json:"by,omitempty"`
}

// ExtendRFQ moves round id's deadline later to to (RFQ.Extend: never
// earlier), records the change in the round's deadline history and audits
// rfq.extend. A round whose deadline has passed is closed and cannot be
// reopened (ErrConflict): its sealed quotes may already have been opened,
// so a new round is the way on. tell, when not nil, gives the notes the
// extended round brings (see tellTx), written in the same transaction.
func (db *DB) ExtendRFQ(ctx context.Context, id int64, to time.Time, tell func(*sihub.RFQ) []Note) (*sihub.RFQ, error) {
	var r *sihub.RFQ
	err := db.write(ctx, "extend rfq", func(tx *sql.Tx) error {
		now := db.now()
		var err error
		if r, err = db.rfqTx(ctx, tx, id); err != nil {
			return err
		}
		if !r.Open(now) {
			return sihub.Errorf(sihub.ErrConflict, "Đợt báo giá %d đã hết hạn; hãy mở một đợt mới thay vì gia hạn.",
				"Round %d has closed; open a new round instead of extending it.", r.Round)
		}
		old := r.Deadline
		if err := r.Extend(instant(to)); err != nil {
			return err
		}
		r.UpdatedAt = now
		by, err := db.userRef(ctx, tx, sihub.ActorFrom(ctx).UserID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE rfqs SET deadline = ?, updated_at = ? WHERE id = ?`), r.Deadline, now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO rfq_deadlines (rfq_id, old_deadline, new_deadline, at, by_user)
			VALUES (?, ?, ?, ?, ?)`), id, old, r.Deadline, now, by); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "rfq.extend", "demand", r.DemandID,
			map[string]any{"rfq_id": id, "round": r.Round, "deadline": old},
			map[string]any{"rfq_id": id, "round": r.Round, "deadline": r.Deadline}); err != nil {
			return err
		}
		return tellTx(ctx, db, tx, now, tell, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeadlineChanges lists round rfqID's extensions, oldest first.
func (db *DB) DeadlineChanges(ctx context.Context, rfqID int64) ([]DeadlineChange, error) {
	cs := []DeadlineChange{}
	err := db.read(ctx, "list deadline changes", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT rfq_id, old_deadline, new_deadline, at, by_user
			FROM rfq_deadlines WHERE rfq_id = ? ORDER BY new_deadline`), rfqID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c  DeadlineChange
				by sql.NullInt64
			)
			if err := rows.Scan(&c.RFQID, &c.From, &c.To, &c.At, &by); err != nil {
				return err
			}
			c.From, c.To, c.At, c.By = c.From.UTC(), c.To.UTC(), c.At.UTC(), by.Int64
			cs = append(cs, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// ---- invitations ----

const invitationCols = `i.id, i.rfq_id, i.demand_id, i.company_id, c.name, c.tax_code, i.state, i.viewed_at,
	i.decline_reason, i.decline_note, i.created_at, i.updated_at`

const invitationFrom = ` FROM rfq_invitations i JOIN companies c ON c.id = i.company_id`

func scanInvitation(row interface{ Scan(...any) error }) (*sihub.Invitation, error) {
	var (
		iv            sihub.Invitation
		state, reason string
		viewed        sql.NullTime
	)
	if err := row.Scan(&iv.ID, &iv.RFQID, &iv.DemandID, &iv.CompanyID, &iv.CompanyName, &iv.CompanyTaxCode, &state, &viewed,
		&reason, &iv.DeclineNote, &iv.CreatedAt, &iv.UpdatedAt); err != nil {
		return nil, err
	}
	iv.State, iv.DeclineReason, iv.ViewedAt = sihub.InvitationState(state), sihub.DeclineReason(reason), utcTime(viewed)
	iv.CreatedAt, iv.UpdatedAt = iv.CreatedAt.UTC(), iv.UpdatedAt.UTC()
	return &iv, nil
}

// invitationsWhere lists the invitations cond (with its ORDER BY) selects.
func (db *DB) invitationsWhere(ctx context.Context, tx *sql.Tx, cond string, args ...any) ([]*sihub.Invitation, error) {
	return queryAll(ctx, tx, scanInvitation, db.q(`SELECT `+invitationCols+invitationFrom+` WHERE `+cond), args...)
}

func (db *DB) invitationTx(ctx context.Context, tx *sql.Tx, id int64) (*sihub.Invitation, error) {
	iv, err := scanInvitation(tx.QueryRowContext(ctx, db.q(`SELECT `+invitationCols+invitationFrom+` WHERE i.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, invitationNotFound(id)
	}
	return iv, err
}

// Invitations lists round rfqID's invitations in the order they were made,
// with each company's name and tax code. The stored state is never
// "expired": Invitation.StateAt tells it.
func (db *DB) Invitations(ctx context.Context, rfqID int64) ([]*sihub.Invitation, error) {
	var invs []*sihub.Invitation
	err := db.read(ctx, "list invitations", func(tx *sql.Tx) error {
		var err error
		invs, err = db.invitationsWhere(ctx, tx, `i.rfq_id = ? ORDER BY i.id`, rfqID)
		return err
	})
	return invs, err
}

// Invitation returns invitation id (ErrNotFound when there is none).
func (db *DB) Invitation(ctx context.Context, id int64) (*sihub.Invitation, error) {
	var iv *sihub.Invitation
	err := db.read(ctx, "get invitation", func(tx *sql.Tx) error {
		var err error
		iv, err = db.invitationTx(ctx, tx, id)
		return err
	})
	return iv, err
}

// InvitationsOf lists company companyID's invitations, newest first, with
// its name and tax code.
func (db *DB) InvitationsOf(ctx context.Context, companyID int64) ([]*sihub.Invitation, error) {
	var invs []*sihub.Invitation
	err := db.read(ctx, "list invitations", func(tx *sql.Tx) error {
		var err error
		invs, err = db.invitationsWhere(ctx, tx, `i.company_id = ? ORDER BY i.id DESC`, companyID)
		return err
	})
	return invs, err
}

// MarkViewed records that the supplier opened invitation invID: a new
// invitation becomes viewed, once (audited invitation.view); any other
// state is left as it is.
func (db *DB) MarkViewed(ctx context.Context, invID int64) error {
	return db.write(ctx, "mark invitation viewed", func(tx *sql.Tx) error {
		now := db.now()
		var demand, company int64
		err := tx.QueryRowContext(ctx, db.q(`UPDATE rfq_invitations SET state = ?, viewed_at = ?, updated_at = ?
			WHERE id = ? AND state = ? RETURNING demand_id, company_id`),
			string(sihub.InvViewed), now, now, invID, string(sihub.InvNew)).Scan(&demand, &company)
		if errors.Is(err, sql.ErrNoRows) {
			_, err := db.invitationTx(ctx, tx, invID)
			return err
		}
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "invitation.view", "demand", demand,
			map[string]any{"invitation_id": invID, "company_id": company, "state": sihub.InvNew},
			map[string]any{"invitation_id": invID, "company_id": company, "state": sihub.InvViewed})
	})
}

// answerable loads invitation invID and its round for a supplier's answer
// at now: refused once declined or after the deadline. The deadline is
// read in the caller's write transaction, so that an extension committed
// before counts and nothing slips in after the round closed.
func (db *DB) answerable(ctx context.Context, tx *sql.Tx, invID int64, now time.Time) (*sihub.Invitation, *sihub.RFQ, error) {
	iv, err := db.invitationTx(ctx, tx, invID)
	if err != nil {
		return nil, nil, err
	}
	r, err := db.rfqTx(ctx, tx, iv.RFQID)
	if err != nil {
		return nil, nil, err
	}
	if iv.State == sihub.InvDeclined {
		return nil, nil, invitationDeclined()
	}
	if !r.Open(now) {
		return nil, nil, deadlinePassed(r)
	}
	return iv, r, nil
}

// ---- quotes ----

const quoteCols = `q.id, q.invitation_id, q.rfq_id, q.company_id, q.revision, q.unit_price, q.currency, q.price_breaks,
	q.moq, q.tooling_cost, q.sample_lead_days, q.mass_lead_days, q.valid_until, q.payment_terms, q.incoterm,
	q.delivery_place, q.notes, q.submitted_at, q.created_at`

// quoteWriteCols are the columns of a quote's figures, in quoteValues order.
var quoteWriteCols = []string{"unit_price", "currency", "price_breaks", "moq", "tooling_cost", "sample_lead_days",
	"mass_lead_days", "valid_until", "payment_terms", "incoterm", "delivery_place", "notes"}

func scanQuote(row interface{ Scan(...any) error }) (*sihub.Quote, error) {
	var (
		q                           sihub.Quote
		price, breaks, moq, tooling string
		valid, submitted            sql.NullTime
	)
	if err := row.Scan(&q.ID, &q.InvitationID, &q.RFQID, &q.CompanyID, &q.Revision, &price, &q.Currency, &breaks,
		&moq, &tooling, &q.SampleLeadDays, &q.MassLeadDays, &valid, &q.PaymentTerms, &q.Incoterm,
		&q.DeliveryPlace, &q.Notes, &submitted, &q.CreatedAt); err != nil {
		return nil, err
	}
	var err error
	for _, f := range []struct {
		s string
		v *float64
	}{{price, &q.UnitPrice}, {moq, &q.MOQ}, {tooling, &q.ToolingCost}} {
		if *f.v, err = parseDecimal(f.s); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal([]byte(breaks), &q.Breaks); err != nil {
		return nil, err
	}
	q.Breaks = nonNil(q.Breaks)
	q.ValidUntil, q.SubmittedAt, q.CreatedAt = utcTime(valid), utcTime(submitted), q.CreatedAt.UTC()
	return &q, nil
}

func quoteValues(q *sihub.Quote) ([]any, error) {
	breaks, err := jsonList(q.Breaks)
	if err != nil {
		return nil, err
	}
	return []any{decimal(q.UnitPrice), q.Currency, breaks, decimal(q.MOQ), decimal(q.ToolingCost), q.SampleLeadDays,
		q.MassLeadDays, nullTime(q.ValidUntil), q.PaymentTerms, q.Incoterm, q.DeliveryPlace, q.Notes}, nil
}

// readyDraft checks a draft: what is filled in must be valid
// (Quote.Validate), but a draft may still lack its price, currency or
// delivery place.
func readyDraft(q *sihub.Quote) error {
	err := q.Validate()
	var kept sihub.Problems
	for _, f := range sihub.FieldsOf(err) {
		switch {
		case f.Field == "currency" && q.Currency == "",
			f.Field == "unit_price" && q.UnitPrice == 0,
			f.Field == "delivery_place" && q.DeliveryPlace == "":
			continue
		}
		kept = append(kept, f)
	}
	if err != nil && sihub.FieldsOf(err) == nil {
		return err
	}
	return kept.Err()
}

// quoteFields checks what the database relies on: text it can store.
func quoteFields(q *sihub.Quote) error {
	for _, f := range []struct{ name, v string }{{"payment_terms", q.PaymentTerms}, {"incoterm", q.Incoterm},
		{"delivery_place", q.DeliveryPlace}, {"notes", q.Notes}} {
		if !storable(f.v) {
			return unstorable(f.name)
		}
	}
	for _, b := range q.Breaks {
		if math.IsInf(b.MinQty, 0) || math.IsInf(b.UnitPrice, 0) || math.IsNaN(b.MinQty) || math.IsNaN(b.UnitPrice) {
			return sihub.Errorf(sihub.ErrInvalid, "Mức giá không hợp lệ.", "A price break is not a number.")
		}
	}
	return nil
}

// auditedQuote is a quote as the trail records it: which one, never its
// figures (a sealed quote is hidden from everyone until the deadline).
func auditedQuote(q *sihub.Quote, round int) map[string]any {
	return map[string]any{"invitation_id": q.InvitationID, "rfq_id": q.RFQID, "round": round,
		"company_id": q.CompanyID, "revision": q.Revision}
}

// SaveDraft saves q as the draft (revision 0) of invitation
// q.InvitationID, replacing the previous draft: what is filled in must be
// valid (Quote.Validate), the price, currency and delivery place may wait.
// Refused with ErrConflict once the invitation was declined or when now is
// after the round's deadline. A new or viewed invitation becomes draft; a
// quoted one stays quoted (the draft is the next revision in the making).
// Sets q's ID, RFQID, CompanyID, Revision (0) and CreatedAt (when the draft
// was last saved); audited quote.draft, without the figures.
func (db *DB) SaveDraft(ctx context.Context, q *sihub.Quote, now time.Time) error {
	x := *q
	x.Breaks = slices.Clone(x.Breaks)
	if err := readyDraft(&x); err != nil {
		return err
	}
	if err := quoteFields(&x); err != nil {
		return err
	}
	x.Breaks, x.Revision, x.SubmittedAt = nonNil(x.Breaks), 0, nil
	if x.ValidUntil != nil {
		t := instant(*x.ValidUntil)
		x.ValidUntil = &t
	}
	now = instant(now)
	vals, err := quoteValues(&x)
	if err != nil {
		return err
	}
	err = db.write(ctx, "save draft", func(tx *sql.Tx) error {
		iv, r, err := db.answerable(ctx, tx, x.InvitationID, now)
		if err != nil {
			return err
		}
		x.RFQID, x.CompanyID, x.CreatedAt = iv.RFQID, iv.CompanyID, now
		set := make([]string, len(quoteWriteCols))
		for i, c := range quoteWriteCols {
			set[i] = c + " = excluded." + c
		}
		args := append([]any{x.InvitationID, x.RFQID, x.CompanyID, 0, now}, vals...)
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO quotes (invitation_id, rfq_id, company_id, revision, created_at, `+
			strings.Join(quoteWriteCols, ", ")+`) VALUES (?, ?, ?, ?, ?`+strings.Repeat(", ?", len(quoteWriteCols))+`)
			ON CONFLICT (invitation_id, revision) DO UPDATE SET created_at = excluded.created_at, `+strings.Join(set, ", ")+
			` RETURNING id`), args...).Scan(&x.ID); err != nil {
			return err
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		if iv.State == sihub.InvNew || iv.State == sihub.InvViewed {
			if err := db.setInvitationState(ctx, tx, iv, sihub.InvDraft, now); err != nil {
				return err
			}
		}
		return a.add(ctx, "quote.draft", "demand", iv.DemandID, nil, auditedQuote(&x, r.Round))
	})
	if err != nil {
		return err
	}
	*q = x
	return nil
}

// setInvitationState moves iv to state at now. The audit record is the
// caller's action's.
func (db *DB) setInvitationState(ctx context.Context, tx *sql.Tx, iv *sihub.Invitation, state sihub.InvitationState, now time.Time) error {
	_, err := tx.ExecContext(ctx, db.q(`UPDATE rfq_invitations SET state = ?, updated_at = ?,
		viewed_at = COALESCE(viewed_at, ?) WHERE id = ?`), string(state), now, now, iv.ID)
	iv.State = state
	return err
}

// quoteTx returns invitation invID's revision rev, nil when there is none.
func (db *DB) quoteTx(ctx context.Context, tx *sql.Tx, invID int64, rev int) (*sihub.Quote, error) {
	q, err := scanQuote(tx.QueryRowContext(ctx, db.q(`SELECT `+quoteCols+` FROM quotes q WHERE q.invitation_id = ? AND q.revision = ?`), invID, rev))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return q, err
}

// SubmitQuote submits invitation invID's draft as its next revision (1,
// 2, …; the draft stays, for the revision after), checked in full by
// Quote.Validate. Refused with ErrConflict once declined or when now is
// after the round's deadline — checked in the write transaction, so that
// an extension committed before counts and nothing lands after the round
// closed; ErrInvalid when there is no draft. The draft's files (revision
// 0) get the new revision's number. The invitation becomes quoted, and the supplier's case moves from invited to quoted (a case
// further on stays where it is). Audited quote.submit (without the
// figures) and case.move; the step is recorded by the context's actor.
func (db *DB) SubmitQuote(ctx context.Context, invID int64, now time.Time) (*sihub.Quote, error) {
	now = instant(now)
	var q *sihub.Quote
	err := db.write(ctx, "submit quote", func(tx *sql.Tx) error {
		iv, r, err := db.answerable(ctx, tx, invID, now)
		if err != nil {
			return err
		}
		if q, err = db.quoteTx(ctx, tx, invID, 0); err != nil {
			return err
		}
		if q == nil {
			return sihub.Errorf(sihub.ErrInvalid, "Chưa có bản nháp báo giá để gửi; hãy lưu báo giá trước.",
				"There is no draft quote to submit; save the quote first.")
		}
		if err := q.Validate(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT MAX(revision) + 1 FROM quotes WHERE invitation_id = ?`), invID).Scan(&q.Revision); err != nil {
			return err
		}
		vals, err := quoteValues(q)
		if err != nil {
			return err
		}
		q.SubmittedAt, q.CreatedAt = &now, now
		args := append([]any{q.InvitationID, q.RFQID, q.CompanyID, q.Revision, now, now}, vals...)
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO quotes (invitation_id, rfq_id, company_id, revision, submitted_at, created_at, `+
			strings.Join(quoteWriteCols, ", ")+`) VALUES (?, ?, ?, ?, ?, ?`+strings.Repeat(", ?", len(quoteWriteCols))+`) RETURNING id`),
			args...).Scan(&q.ID); err != nil {
			return err
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		if err := db.setInvitationState(ctx, tx, iv, sihub.InvQuoted, now); err != nil {
			return err
		}
		// The draft's files go with this revision (store/rfqfiles.go).
		if _, err := db.submitDraftFiles(ctx, tx, invID, q.Revision); err != nil {
			return err
		}
		if err := a.add(ctx, "quote.submit", "demand", iv.DemandID, nil, auditedQuote(q, r.Round)); err != nil {
			return err
		}
		c, err := db.caseOf(ctx, tx, iv.DemandID, iv.CompanyID)
		if err != nil || c == nil || c.Stage != sihub.StageInvited {
			return err
		}
		after := *c
		after.Stage = sihub.StageQuoted
		return db.saveCase(ctx, tx, a, "case.move", c, &after, "", sihub.ActorFrom(ctx).UserID, now)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// quotesWhere lists the quotes cond (with its ORDER BY) selects.
func (db *DB) quotesWhere(ctx context.Context, op, cond string, args ...any) ([]*sihub.Quote, error) {
	var qs []*sihub.Quote
	err := db.read(ctx, op, func(tx *sql.Tx) (err error) {
		qs, err = queryAll(ctx, tx, scanQuote, db.q(`SELECT `+quoteCols+` FROM quotes q WHERE `+cond), args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return qs, nil
}

// Quotes lists round rfqID's standing quotes: the latest submitted
// revision of each invitation still quoted (a supplier that declined after
// quoting has withdrawn its quote, though its revisions stay), in
// invitation order. Sealing is the caller's to enforce
// (RFQ.QuotesVisible).
func (db *DB) Quotes(ctx context.Context, rfqID int64) ([]*sihub.Quote, error) {
	return db.quotesWhere(ctx, "list quotes", `q.rfq_id = ? AND q.revision > 0
		AND q.revision = (SELECT MAX(revision) FROM quotes WHERE invitation_id = q.invitation_id)
		AND EXISTS (SELECT 1 FROM rfq_invitations i WHERE i.id = q.invitation_id AND i.state = ?)
		ORDER BY q.invitation_id`, rfqID, string(sihub.InvQuoted))
}

// QuoteRevisions lists every quote of invitation invID, the draft
// (revision 0) first, then each submitted revision in order.
func (db *DB) QuoteRevisions(ctx context.Context, invID int64) ([]*sihub.Quote, error) {
	return db.quotesWhere(ctx, "list quote revisions", `q.invitation_id = ? ORDER BY q.revision`, invID)
}

// Draft returns invitation invID's draft, nil when it has none.
func (db *DB) Draft(ctx context.Context, invID int64) (*sihub.Quote, error) {
	var q *sihub.Quote
	err := db.read(ctx, "get draft", func(tx *sql.Tx) error {
		var err error
		q, err = db.quoteTx(ctx, tx, invID, 0)
		return err
	})
	return q, err
}

// DeclineInvitation records that the supplier of invitation invID declines
// to quote, for reason (one of sihub.DeclineReasons) and a note. Refused
// with ErrConflict after the round's deadline (now) or when already
// declined. A supplier that already quoted may still decline before the
// deadline: its revisions stay, but its quote is withdrawn from Quotes.
// Its case, if still invited or quoted, is lost ("declined: <reason>").
// Audited invitation.decline and case.lose.
func (db *DB) DeclineInvitation(ctx context.Context, invID int64, reason sihub.DeclineReason, note string, now time.Time) error {
	if !reason.Valid() {
		m := sihub.M("Lý do từ chối phải là một trong: năng lực, công nghệ, giá, khác.",
			"The reason must be one of: capacity, technology, price, other.")
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "reason", Msg: m}}}
	}
	note = strings.TrimSpace(note)
	if err := checkText("note", note, maxRFQText); err != nil {
		return err
	}
	now = instant(now)
	return db.write(ctx, "decline invitation", func(tx *sql.Tx) error {
		iv, r, err := db.answerable(ctx, tx, invID, now)
		if err != nil {
			return err
		}
		before := map[string]any{"invitation_id": iv.ID, "round": r.Round, "company_id": iv.CompanyID, "state": iv.State}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE rfq_invitations SET state = ?, decline_reason = ?, decline_note = ?,
			updated_at = ? WHERE id = ?`), string(sihub.InvDeclined), string(reason), note, now, invID); err != nil {
			return err
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		if err := a.add(ctx, "invitation.decline", "demand", iv.DemandID, before, map[string]any{"invitation_id": iv.ID,
			"round": r.Round, "company_id": iv.CompanyID, "state": sihub.InvDeclined, "reason": reason, "note": note}); err != nil {
			return err
		}
		c, err := db.caseOf(ctx, tx, iv.DemandID, iv.CompanyID)
		if err != nil || c == nil || (c.Stage != sihub.StageInvited && c.Stage != sihub.StageQuoted) {
			return err
		}
		after := *c
		if err := after.Lose("declined: " + string(reason)); err != nil {
			return err
		}
		after.NextStepAt = nil
		return db.saveCase(ctx, tx, a, "case.lose", c, &after, note, sihub.ActorFrom(ctx).UserID, now)
	})
}

// ---- questions ----

const questionCols = `q.id, q.rfq_id, q.asked_by, q.question, q.answer, q.answered_at, q.created_at`

func scanQuestion(row interface{ Scan(...any) error }) (*sihub.Question, error) {
	var (
		q        sihub.Question
		answered sql.NullTime
	)
	if err := row.Scan(&q.ID, &q.RFQID, &q.AskedBy, &q.Text, &q.Answer, &answered, &q.CreatedAt); err != nil {
		return nil, err
	}
	q.AnsweredAt, q.CreatedAt = utcTime(answered), q.CreatedAt.UTC()
	return &q, nil
}

func questionText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		m := sihub.M("Nội dung không được để trống.", "The text is empty.")
		return "", &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: field, Msg: m}}}
	}
	return s, checkText(field, s, maxRFQText)
}

// AskQuestion records company companyID's clarification question in round
// rfqID. The company must be invited to the round and not have declined;
// questions close with the deadline (ErrConflict). Audited question.ask.
//
// tell, when not nil, gives the notes the question brings (see tellTx),
// written in the same transaction.
func (db *DB) AskQuestion(ctx context.Context, rfqID, companyID int64, text string, tell func(*sihub.Question) []Note) (*sihub.Question, error) {
	text, err := questionText("text", text)
	if err != nil {
		return nil, err
	}
	q := &sihub.Question{RFQID: rfqID, AskedBy: companyID, Text: text}
	err = db.write(ctx, "ask question", func(tx *sql.Tx) error {
		now := db.now()
		var invID int64
		err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM rfq_invitations WHERE rfq_id = ? AND company_id = ?`), rfqID, companyID).Scan(&invID)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := db.rfqTx(ctx, tx, rfqID); err != nil {
				return err
			}
			return sihub.Errorf(sihub.ErrInvalid, "Doanh nghiệp #%d không được mời vào đợt báo giá này.",
				"Company #%d is not invited to this round.", companyID)
		}
		if err != nil {
			return err
		}
		iv, r, err := db.answerable(ctx, tx, invID, now)
		if err != nil {
			return err
		}
		q.CreatedAt = now
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO rfq_questions (rfq_id, asked_by, question, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`), rfqID, companyID, text, now).Scan(&q.ID); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "question.ask", "demand", iv.DemandID, nil, map[string]any{
			"question_id": q.ID, "rfq_id": rfqID, "round": r.Round, "company_id": companyID, "text": text}); err != nil {
			return err
		}
		return tellTx(ctx, db, tx, now, tell, q)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// AnswerQuestion sets (or corrects) the answer to question qID, by user
// by; the answer is for every invitee of the round. Audited
// question.answer. tell, when not nil, gives the notes the answer brings
// (see tellTx), written in the same transaction.
func (db *DB) AnswerQuestion(ctx context.Context, qID int64, answer string, by int64, tell func(*sihub.Question) []Note) (*sihub.Question, error) {
	answer, err := questionText("answer", answer)
	if err != nil {
		return nil, err
	}
	var q *sihub.Question
	err = db.write(ctx, "answer question", func(tx *sql.Tx) error {
		now := db.now()
		var (
			demand int64
			err    error
		)
		q, err = scanQuestion(tx.QueryRowContext(ctx, db.q(`SELECT `+questionCols+` FROM rfq_questions q WHERE q.id = ?`), qID))
		if errors.Is(err, sql.ErrNoRows) {
			return questionNotFound(qID)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT demand_id FROM rfqs WHERE id = ?`), q.RFQID).Scan(&demand); err != nil {
			return err
		}
		ref, err := db.userRef(ctx, tx, by)
		if err != nil {
			return err
		}
		before := map[string]any{"question_id": q.ID, "rfq_id": q.RFQID, "answer": q.Answer}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE rfq_questions SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ?`),
			answer, now, ref, qID); err != nil {
			return err
		}
		q.Answer, q.AnsweredAt = answer, &now
		if err := db.audit(ctx, tx, "question.answer", "demand", demand, before,
			map[string]any{"question_id": q.ID, "rfq_id": q.RFQID, "answer": answer}); err != nil {
			return err
		}
		return tellTx(ctx, db, tx, now, tell, q)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// Questions lists round rfqID's questions, oldest first, with who asked
// (Question.For hides it from other suppliers).
func (db *DB) Questions(ctx context.Context, rfqID int64) ([]*sihub.Question, error) {
	var qs []*sihub.Question
	err := db.read(ctx, "list questions", func(tx *sql.Tx) (err error) {
		qs, err = queryAll(ctx, tx, scanQuestion, db.q(`SELECT `+questionCols+` FROM rfq_questions q WHERE q.rfq_id = ? ORDER BY q.id`), rfqID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return qs, nil
}

// ---- cases ----

const caseCols = `k.id, k.demand_id, k.company_id, k.stage, k.owner, k.next_step_at, k.contract_value, k.currency,
	k.contract_vnd, k.rate_to_vnd, k.annual_volume, k.awarded_at, k.lost_reason, k.created_at, k.updated_at`

func scanCase(row interface{ Scan(...any) error }) (*sihub.Case, error) {
	var (
		c                        sihub.Case
		stage                    string
		owner                    sql.NullInt64
		next, awarded            sql.NullTime
		value, vnd, rate, volume string
	)
	if err := row.Scan(&c.ID, &c.DemandID, &c.CompanyID, &stage, &owner, &next, &value, &c.Currency,
		&vnd, &rate, &volume, &awarded, &c.LostReason, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	var err error
	for _, f := range []struct {
		s string
		v *float64
	}{{value, &c.ContractValue}, {vnd, &c.ContractVND}, {rate, &c.RateToVND}, {volume, &c.AnnualVolume}} {
		if *f.v, err = parseDecimal(f.s); err != nil {
			return nil, err
		}
	}
	c.Stage, c.Owner, c.NextStepAt, c.AwardedAt = sihub.Stage(stage), owner.Int64, utcTime(next), utcTime(awarded)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func (db *DB) caseTx(ctx context.Context, tx *sql.Tx, id int64) (*sihub.Case, error) {
	c, err := scanCase(tx.QueryRowContext(ctx, db.q(`SELECT `+caseCols+` FROM cases k WHERE k.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, caseNotFound(id)
	}
	return c, err
}

// caseOf returns the case of company companyID for demand demandID, nil
// when there is none.
func (db *DB) caseOf(ctx context.Context, tx *sql.Tx, demandID, companyID int64) (*sihub.Case, error) {
	c, err := scanCase(tx.QueryRowContext(ctx, db.q(`SELECT `+caseCols+` FROM cases k WHERE k.demand_id = ? AND k.company_id = ?`),
		demandID, companyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// auditedCase is a case as the trail records it.
type auditedCase struct {
	*sihub.Case
	CreatedAt omitted `json:"created_at,omitempty"`
	UpdatedAt omitted `json:"updated_at,omitempty"`
}

// saveCase writes after over before (the case as read in tx), records the
// step from before's stage to after's at at, with note, by user by, and
// appends action to the trail.
func (db *DB) saveCase(ctx context.Context, tx *sql.Tx, a *auditor, action string, before, after *sihub.Case, note string, by int64, at time.Time) error {
	owner, err := db.ownerRef(ctx, tx, after.Owner)
	if err != nil {
		return err
	}
	after.UpdatedAt = db.now()
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE cases SET stage = ?, owner = ?, next_step_at = ?, contract_value = ?,
		currency = ?, contract_vnd = ?, rate_to_vnd = ?, annual_volume = ?, awarded_at = ?, lost_reason = ?, updated_at = ?
		WHERE id = ?`), string(after.Stage), owner, nullTime(after.NextStepAt), decimal(after.ContractValue), after.Currency,
		decimal(after.ContractVND), decimal(after.RateToVND), decimal(after.AnnualVolume), nullTime(after.AwardedAt),
		after.LostReason, after.UpdatedAt, after.ID); err != nil {
		return err
	}
	return db.addStep(ctx, tx, a, action, before, after, note, by, at)
}

// addStep records the step that brought case after (before nil for a new
// case) to its stage, and audits it as action.
func (db *DB) addStep(ctx context.Context, tx *sql.Tx, a *auditor, action string, before, after *sihub.Case, note string, by int64, at time.Time) error {
	byRef, err := db.userRef(ctx, tx, by)
	if err != nil {
		return err
	}
	from := ""
	if before != nil {
		from = string(before.Stage)
	}
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO case_steps (case_id, from_stage, to_stage, at, note, owner, next_step_at, by_user)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), after.ID, from, string(after.Stage), instant(at), note, nullID(after.Owner),
		nullTime(after.NextStepAt), byRef); err != nil {
		return err
	}
	// The note goes with the case's fields, so that a follow-up step that
	// changes nothing else is still recorded.
	type step struct {
		auditedCase
		Note string `json:"note,omitempty"`
	}
	var b any
	if before != nil {
		b = step{auditedCase: auditedCase{Case: before}}
	}
	return a.add(ctx, action, "demand", after.DemandID, b, step{auditedCase{Case: after}, note})
}

// changeCase runs change on case caseID as read in a write transaction and
// saves the result as one step.
func (db *DB) changeCase(ctx context.Context, op, action string, caseID int64, note string, by int64, at time.Time,
	change func(c *sihub.Case) error) (*sihub.Case, error) {
	note = strings.TrimSpace(note)
	if err := checkText("note", note, maxRFQText); err != nil {
		return nil, err
	}
	var after *sihub.Case
	err := db.write(ctx, op, func(tx *sql.Tx) error {
		before, err := db.caseTx(ctx, tx, caseID)
		if err != nil {
			return err
		}
		c := *before
		if err := change(&c); err != nil {
			return err
		}
		if at.IsZero() {
			at = db.now()
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		if err := db.saveCase(ctx, tx, a, action, before, &c, note, by, at); err != nil {
			return err
		}
		after = &c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// Case returns case id (ErrNotFound when there is none).
func (db *DB) Case(ctx context.Context, id int64) (*sihub.Case, error) {
	var c *sihub.Case
	err := db.read(ctx, "get case", func(tx *sql.Tx) error {
		var err error
		c, err = db.caseTx(ctx, tx, id)
		return err
	})
	return c, err
}

// casesWhere lists the cases cond (with its ORDER BY) selects.
func (db *DB) casesWhere(ctx context.Context, op, cond string, args ...any) ([]*sihub.Case, error) {
	var cs []*sihub.Case
	err := db.read(ctx, op, func(tx *sql.Tx) (err error) {
		cs, err = queryAll(ctx, tx, scanCase, db.q(`SELECT `+caseCols+` FROM cases k `+cond), args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// CasesOf lists demand demandID's cases, in the order suppliers were first
// invited.
func (db *DB) CasesOf(ctx context.Context, demandID int64) ([]*sihub.Case, error) {
	return db.casesWhere(ctx, "list cases", `WHERE k.demand_id = ? ORDER BY k.id`, demandID)
}

// MoveCase moves case caseID to stage to (sihub.CheckMove: ErrConflict
// naming the stages allowed), with a note, the owner of the next step (an
// existing user, or 0 for none) and its date, recorded by user by. A move
// to the stage the case is at records a follow-up step (a note, a new
// owner or date) unless the case is closed. Awarding and losing take
// their own figures: AwardCase, LoseCase. Audited case.move.
func (db *DB) MoveCase(ctx context.Context, caseID int64, to sihub.Stage, note string, owner int64, next *time.Time, by int64) (*sihub.Case, error) {
	switch to {
	case sihub.StageAwarded, sihub.StageLost:
		return nil, sihub.Errorf(sihub.ErrInvalid, "Trao hợp đồng hoặc loại nhà cung cấp cần các thông tin riêng (giá trị hợp đồng, lý do).",
			"Awarding or losing a case needs its own details (the contract, the reason).")
	}
	return db.changeCase(ctx, "move case", "case.move", caseID, note, by, time.Time{}, func(c *sihub.Case) error {
		if to != c.Stage || c.Stage == sihub.StageAwarded || c.Stage == sihub.StageLost {
			if err := sihub.CheckMove(c.Stage, to); err != nil {
				return err
			}
		}
		c.Stage, c.Owner = to, owner
		c.NextStepAt = nil
		if next != nil {
			t := instant(*next)
			c.NextStepAt = &t
		}
		return nil
	})
}

// AwardCase awards case caseID (Case.Award: a move the pipeline allows,
// the contract value in currency, its VND equivalent fixed at rateToVND —
// the rate of the award date at, which dates the step — and the annual
// volume), with a note, recorded by user by. The case has no next step
// any more. Audited case.award.
func (db *DB) AwardCase(ctx context.Context, caseID int64, value float64, currency string, rateToVND, volume float64,
	note string, by int64, at time.Time) (*sihub.Case, error) {
	at = instant(at)
	return db.changeCase(ctx, "award case", "case.award", caseID, note, by, at, func(c *sihub.Case) error {
		if err := c.Award(value, currency, rateToVND, volume, at); err != nil {
			return err
		}
		c.ContractVND = math.Round(c.ContractVND) // VND has no smaller unit
		c.NextStepAt = nil
		return nil
	})
}

// LoseCase closes case caseID as lost for reason (Case.Lose), with a note,
// recorded by user by. Audited case.lose.
func (db *DB) LoseCase(ctx context.Context, caseID int64, reason, note string, by int64) (*sihub.Case, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("lost_reason", reason, maxRFQReason); err != nil {
		return nil, err
	}
	return db.changeCase(ctx, "lose case", "case.lose", caseID, note, by, time.Time{}, func(c *sihub.Case) error {
		if err := c.Lose(reason); err != nil {
			return err
		}
		c.NextStepAt = nil
		return nil
	})
}

// CaseSteps lists case caseID's steps, first first.
func (db *DB) CaseSteps(ctx context.Context, caseID int64) ([]*sihub.CaseStep, error) {
	ss := []*sihub.CaseStep{}
	err := db.read(ctx, "list case steps", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT id, case_id, from_stage, to_stage, at, note, owner, next_step_at, by_user
			FROM case_steps WHERE case_id = ? ORDER BY id`), caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				s         sihub.CaseStep
				from, to  string
				owner, by sql.NullInt64
				next      sql.NullTime
			)
			if err := rows.Scan(&s.ID, &s.CaseID, &from, &to, &s.At, &s.Note, &owner, &next, &by); err != nil {
				return err
			}
			s.From, s.To, s.At, s.Owner, s.NextStepAt, s.By = sihub.Stage(from), sihub.Stage(to), s.At.UTC(), owner.Int64, utcTime(next), by.Int64
			ss = append(ss, &s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// ---- the center's board ----

// PipelineCounts counts the cases at each stage, every stage present.
func (db *DB) PipelineCounts(ctx context.Context) (map[sihub.Stage]int, error) {
	var counts map[sihub.Stage]int
	err := db.read(ctx, "pipeline counts", func(tx *sql.Tx) (err error) {
		counts, err = stageCounts(ctx, tx, `SELECT stage, COUNT(*) FROM cases GROUP BY stage`)
		return err
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// stageCounts reads query's rows of (stage, count) into a map with every
// stage present.
func stageCounts(ctx context.Context, tx *sql.Tx, query string) (map[sihub.Stage]int, error) {
	counts := map[sihub.Stage]int{}
	for _, s := range sihub.Stages {
		counts[s] = 0
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			s string
			n int
		)
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[sihub.Stage(s)] = n
	}
	return counts, rows.Err()
}

// StalledCases lists the open cases (neither awarded nor lost) whose last
// step was before olderThan, longest stalled first.
func (db *DB) StalledCases(ctx context.Context, olderThan time.Time) ([]*sihub.Case, error) {
	return db.casesWhere(ctx, "stalled cases", `JOIN (SELECT case_id, MAX(at) AS last_at FROM case_steps GROUP BY case_id) s
		ON s.case_id = k.id WHERE k.stage NOT IN (?, ?) AND s.last_at < ? ORDER BY s.last_at, k.id`,
		string(sihub.StageAwarded), string(sihub.StageLost), instant(olderThan))
}

// AwardRow is the awarded value of one buyer's demands, for the board's
// totals by buyer and by sector (the buyer's sectors).
type AwardRow struct {
	BuyerID      int64    `json:"buyer_id"`
	BuyerName    string   `json:"buyer_name"`
	BuyerTaxCode string   `json:"buyer_tax_code"`
	Sectors      []string `json:"sectors"`
	Cases        int      `json:"cases"`     // awarded cases
	ValueVND     float64  `json:"value_vnd"` // their contract value in VND at the award dates
}

// AwardedValue totals the awarded cases by buyer, largest value first.
func (db *DB) AwardedValue(ctx context.Context) ([]AwardRow, error) {
	rs := []AwardRow{}
	err := db.read(ctx, "awarded value", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT d.buyer_id, c.name, c.tax_code, c.sectors, k.contract_vnd
			FROM cases k JOIN demands d ON d.id = k.demand_id JOIN companies c ON c.id = d.buyer_id
			WHERE k.stage = ? ORDER BY d.buyer_id, k.id`), string(sihub.StageAwarded))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r            AwardRow
				sectors, vnd string
			)
			if err := rows.Scan(&r.BuyerID, &r.BuyerName, &r.BuyerTaxCode, &sectors, &vnd); err != nil {
				return err
			}
			v, err := parseDecimal(vnd)
			if err != nil {
				return err
			}
			if n := len(rs); n > 0 && rs[n-1].BuyerID == r.BuyerID {
				rs[n-1].Cases++
				rs[n-1].ValueVND += v
				continue
			}
			if err := json.Unmarshal([]byte(sectors), &r.Sectors); err != nil {
				return err
			}
			r.Sectors, r.Cases, r.ValueVND = nonNil(r.Sectors), 1, v
			rs = append(rs, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(rs, func(a, b AwardRow) int {
		switch {
		case a.ValueVND > b.ValueVND:
			return -1
		case a.ValueVND < b.ValueVND:
			return 1
		}
		return 0
	})
	return rs, nil
}

// queryAll runs query in tx and reads every row with scan; the list is
// empty, never nil, when no row matches, so that JSON shows [].
func queryAll[T any](ctx context.Context, tx *sql.Tx, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InvitedTo reports whether company companyID is invited to quote in a
// round of demand demandID and has not declined: the invitation opens the
// demand's terms and drawings to it even when the catalogue hides the
// demand, and keeps them open after the deadline, while samples and audits
// follow.
func (db *DB) InvitedTo(ctx context.Context, demandID, companyID int64) (bool, error) {
	var n int
	err := db.read(ctx, "invited to", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM rfq_invitations WHERE demand_id = ? AND company_id = ? AND state <> ?`),
			demandID, companyID, string(sihub.InvDeclined)).Scan(&n)
	})
	return n > 0, err
}
