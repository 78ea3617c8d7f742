package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/sihub-org/sihub/internal/sihub"
)

// The audit trail (sihub.AuditRecord): every change to companies,
// documents, users, memberships and roles is appended in the transaction
// that makes it, so that the record and the change commit or roll back
// together. Appends run under the write lock (db.write), which every
// instance shares, so that the chain has one order.

// auditor appends records within one write transaction; it reads the
// chain's end once and then carries it along.
type auditor struct {
	db   *DB
	tx   *sql.Tx
	ins  *sql.Stmt
	seq  int64
	prev string
}

func (db *DB) newAuditor(ctx context.Context, tx *sql.Tx) (*auditor, error) {
	a := &auditor{db: db, tx: tx}
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&a.seq, &a.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	a.ins, err = tx.PrepareContext(ctx, db.q(`INSERT INTO audit_log
		(seq, at, actor_id, actor, ip, action, object_type, object_id, before, after, digest, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (a *auditor) close() {
	if a.ins != nil {
		a.ins.Close()
	}
}

// add appends a record of action on object (typ, id) by the actor ctx
// carries (sihub.WithActor). before and after are the object's JSON
// (anything json.Marshal takes; nil for none): when both are objects only
// the fields that differ are kept, and nothing is appended when none do.
func (a *auditor) add(ctx context.Context, action, typ string, id int64, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	f, err := auditJSON(after)
	if err != nil {
		return err
	}
	if b != nil && f != nil {
		if b, f, err = changedFields(b, f); err != nil {
			return err
		}
		if b == nil && f == nil {
			return nil
		}
	}
	return a.append(ctx, action, typ, id, b, f)
}

// append appends a record of action on object (typ, id) with before and
// after as they are.
func (a *auditor) append(ctx context.Context, action, typ string, id int64, before, after json.RawMessage) error {
	actor := sihub.ActorFrom(ctx)
	r := &sihub.AuditRecord{
		Seq: a.seq + 1, At: a.db.now(), ActorID: actor.UserID, Actor: actor.Label, IP: actor.IP,
		Action: action, ObjectType: typ, ObjectID: id, Before: before, After: after, Prev: a.prev,
	}
	r.Seal()
	if _, err := a.ins.ExecContext(ctx, r.Seq, r.At, r.ActorID, r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID,
		nullJSON(r.Before), nullJSON(r.After), r.Digest, r.Prev, r.Hash); err != nil {
		return err
	}
	a.seq, a.prev = r.Seq, r.Hash
	return nil
}

// audit appends one record in tx; see auditor.add.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, action, typ string, id int64, before, after any) error {
	a, err := db.newAuditor(ctx, tx)
	if err != nil {
		return err
	}
	defer a.close()
	return a.add(ctx, action, typ, id, before, after)
}

func auditJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil || bytes.Equal(b, []byte("null")) {
		return nil, err
	}
	return b, nil
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// changedFields keeps, of two JSON objects, the fields whose values differ
// (a field absent on one side is null there). Values that are not both
// objects are returned whole.
func changedFields(before, after json.RawMessage) (json.RawMessage, json.RawMessage, error) {
	var b, f map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &f) != nil || b == nil || f == nil {
		if bytes.Equal(before, after) {
			return nil, nil, nil
		}
		return before, after, nil
	}
	keys := slices.Sorted(maps.Keys(b))
	for k := range f {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	db, df := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for _, k := range keys {
		x, y := b[k], f[k]
		if bytes.Equal(x, y) || k == "updated_at" {
			continue // a change always moves updated_at: it tells nothing
		}
		db[k], df[k] = orNull(x), orNull(y)
	}
	if len(db) == 0 {
		return nil, nil, nil
	}
	bj, err := json.Marshal(db)
	if err != nil {
		return nil, nil, err
	}
	fj, err := json.Marshal(df)
	return bj, fj, err
}

func orNull(m json.RawMessage) json.RawMessage {
	if m == nil {
		return json.RawMessage("null")
	}
	return m
}
