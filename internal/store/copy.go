package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// CopyReport tells what Copy did.
type CopyReport struct {
	// Tables lists every table copied with its number of rows, in copy
	// order; the search entries are "companies_fts".
	Tables []CopiedTable
	// Identical: the target already held exactly the source's data, so
	// nothing was written.
	Identical bool
}

// CopiedTable is one line of a CopyReport.
type CopiedTable struct {
	Name string
	Rows int
}

// Copy copies every row of the database from into the database to, of
// either dialect: companies, contacts, terms, attachments, documents,
// search entries, demands with their files, terms acceptances, downloads
// and notices, RFQs with their deadlines, invitations, quotes and
// questions, round and quote files, the pipeline's cases and steps, the
// reminders sent, in-app notifications, users with their sessions, links
// and tokens, the outbox and the audit trail, keeping ids, timestamps and
// everything derived as they are. It is what
// moving from SQLite to PostgreSQL (and back), and restoring a backup,
// run.
//
// It reads from one snapshot of from and writes to in one transaction,
// then checks every table's row count before committing, so that the target
// ends either complete or unchanged. The target must be empty: when it
// already holds exactly the source's data, Copy writes nothing and reports
// Identical (so re-running a finished copy is harmless); when it holds
// anything else, Copy refuses with an ErrConflict rather than merge two
// directories. Both databases must have the same migrations applied (both
// opened by the same SIHub).
//
// The search entries are copied as they are; should the target run with
// another Options.Index (a newer taxonomy), run Reindex on it afterwards.
func Copy(ctx context.Context, from, to *DB) (CopyReport, error) {
	start := time.Now()
	var rep CopyReport
	err := from.read(ctx, "copy", func(src *sql.Tx) error {
		return to.write(ctx, "copy", func(dst *sql.Tx) error {
			if err := sameMigrations(ctx, src, dst); err != nil {
				return err
			}
			empty, err := isEmpty(ctx, dst)
			if err != nil {
				return err
			}
			if !empty {
				same, counts, err := sameData(ctx, from, src, to, dst)
				if err != nil {
					return err
				}
				if !same {
					return sihub.Errorf(sihub.ErrConflict,
						"Cơ sở dữ liệu đích đã có dữ liệu khác với nguồn. SIHub chỉ sao chép vào một cơ sở dữ liệu trống, không trộn hai danh bạ.",
						"The target database already holds data that differs from the source. SIHub copies only into an empty database; it does not merge two directories.")
				}
				rep = CopyReport{Tables: counts, Identical: true}
				return nil
			}
			rep, err = copyAll(ctx, from, src, to, dst)
			return err
		})
	})
	if err != nil {
		return CopyReport{}, err
	}
	if !rep.Identical {
		to.optimize(ctx)
	}
	to.log.Info("database copied", "from", from.d.name, "to", to.d.name, "identical", rep.Identical,
		"tables", rep.Tables, "duration", time.Since(start).Round(time.Millisecond))
	return rep, nil
}

// Column kinds, by how a value is read and compared.
type colKind uint8

const (
	colInt colKind = iota
	colNullInt
	colText
	colNullText
	colBool
	colTime
	colNullTime
	colBlob
)

type copyColumn struct {
	name string
	kind colKind
	// noDigest leaves the column out of the comparison of sameData:
	// attachments' bytes, which their key (the SHA-256 of the bytes)
	// stands for.
	noDigest bool
}

// copyTable is a table Copy copies: every column (a test checks the list
// against both schemas), in an order that inserts parents before children.
type copyTable struct {
	name  string
	cols  []copyColumn
	order []string // ORDER BY columns; text ones sort by bytes
	text  []string // the order's text columns
}

func cols(kind colKind, names ...string) []copyColumn {
	cs := make([]copyColumn, len(names))
	for i, n := range names {
		cs[i] = copyColumn{name: n, kind: kind}
	}
	return cs
}

// copyTables are the tables of the schema but the search entries (copied
// through the dialects' own statements), data_version, schema_migrations
// and import_jobs (web import jobs, not company data), in the order Copy
// fills them.
var copyTables = []copyTable{
	{
		name: "companies",
		cols: slices.Concat(
			cols(colInt, "id"),
			cols(colText, "kind", "tax_code"),
			cols(colNullInt, "parent_id"),
			cols(colText, "name", "name_en", "sort_key", "address", "province_input", "province_code", "ward_code",
				"industrial_park", "sectors", "capabilities", "materials", "certifications", "equipment",
				"capabilities_text", "materials_text", "certifications_text", "equipment_text"),
			cols(colInt, "employees", "founded"),
			cols(colText, "products", "main_customers", "export_markets", "website", "email", "phone", "description"),
			cols(colInt, "completeness"),
			cols(colBlob, "directory_entry"),
			cols(colText, "content_hash", "terms_hash", "contacts_hash", "text_hash"),
			cols(colBool, "verified"),
			cols(colText, "verified_by"),
			cols(colNullTime, "verified_at"),
			cols(colBool, "archived"),
			cols(colTime, "created_at", "updated_at"),
			cols(colInt, "version"),
		),
		// A branch's parent (a ten-digit tax code) has no parent itself:
		// companies without a parent first satisfy the foreign key.
		order: []string{"(parent_id IS NOT NULL)", "id"},
	},
	{
		name: "demands",
		cols: slices.Concat(cols(colInt, "id", "buyer_id"),
			cols(colText, "ref", "title", "title_en", "description", "processes_text", "materials_text",
				"certifications_text", "min_capacity_text", "processes", "materials", "certifications", "min_capacity",
				"inferred", "annual_volume", "unit", "province_input", "delivery_province"),
			cols(colNullTime, "deadline"), cols(colText, "status", "visibility"), cols(colTime, "created_at", "updated_at"),
			cols(colText, "target_price", "currency", "terms", "search"), cols(colNullTime, "noticed_at")),
		order: []string{"id"},
	},
	{
		name:  "contacts",
		cols:  slices.Concat(cols(colInt, "company_id", "position"), cols(colText, "name", "role", "email", "phone")),
		order: []string{"company_id", "position"},
	},
	{
		name:  "company_terms",
		cols:  slices.Concat(cols(colInt, "company_id"), cols(colText, "kind", "code")),
		order: []string{"company_id", "kind", "code"},
		text:  []string{"kind", "code"},
	},
	{
		name: "attachments",
		cols: slices.Concat(cols(colText, "sha256", "content_type"), cols(colInt, "size"),
			[]copyColumn{{name: "data", kind: colBlob, noDigest: true}}, cols(colTime, "created_at")),
		order: []string{"sha256"},
		text:  []string{"sha256"},
	},
	{
		name: "documents",
		cols: slices.Concat(cols(colInt, "id", "company_id"), cols(colText, "kind", "name", "sha256", "content_type"),
			cols(colInt, "size"), cols(colTime, "created_at")),
		order: []string{"id"},
	},
	{
		name: "users",
		cols: slices.Concat(cols(colInt, "id"), cols(colText, "email", "name", "password_hash", "role"),
			cols(colNullInt, "company_id"), cols(colText, "status"), cols(colNullTime, "email_confirmed_at"),
			cols(colText, "lang"), cols(colNullTime, "consent_at"), cols(colTime, "created_at", "updated_at"),
			cols(colText, "notify"), cols(colNullTime, "digest_at")),
		order: []string{"id"},
	},
	{
		name: "sessions",
		cols: slices.Concat(cols(colText, "id_hash"), cols(colInt, "user_id"),
			cols(colTime, "created_at", "last_seen_at", "expires_at"), cols(colText, "ip", "user_agent")),
		order: []string{"id_hash"},
		text:  []string{"id_hash"},
	},
	{
		name: "one_time_tokens",
		cols: slices.Concat(cols(colText, "hash", "purpose"), cols(colNullInt, "user_id"), cols(colText, "email", "role"),
			cols(colNullInt, "company_id", "created_by"), cols(colTime, "created_at", "expires_at"), cols(colNullTime, "used_at")),
		order: []string{"hash"},
		text:  []string{"hash"},
	},
	{
		name: "api_tokens",
		cols: slices.Concat(cols(colInt, "id", "user_id"), cols(colText, "name", "prefix", "hash", "scope"),
			cols(colTime, "created_at"), cols(colNullTime, "last_used_at", "revoked_at")),
		order: []string{"id"},
	},
	{
		name:  "sign_in_failures",
		cols:  slices.Concat(cols(colText, "key"), cols(colTime, "at")),
		order: []string{"key", "at"},
		text:  []string{"key"},
	},
	{
		name: "outbox",
		cols: slices.Concat(cols(colInt, "id"), cols(colText, "to_addr", "subject", "body"),
			cols(colTime, "created_at", "send_after"), cols(colInt, "attempts"), cols(colText, "last_error"),
			cols(colNullTime, "claimed_until", "sent_at", "failed_at")),
		order: []string{"id"},
	},
	{
		name:  "contact_views",
		cols:  slices.Concat(cols(colInt, "user_id", "company_id"), cols(colTime, "at")),
		order: []string{"user_id", "company_id", "at"},
	},
	{
		name: "demand_files",
		cols: slices.Concat(cols(colInt, "id", "demand_id"), cols(colText, "name", "sha256", "content_type"),
			cols(colInt, "size"), cols(colTime, "created_at")),
		order: []string{"id"},
	},
	{
		name: "terms_acceptances",
		cols: slices.Concat(cols(colInt, "demand_id", "company_id", "user_id"), cols(colText, "terms_sha256"),
			cols(colTime, "accepted_at")),
		order: []string{"demand_id", "company_id"},
	},
	{
		name: "demand_downloads",
		cols: slices.Concat(cols(colInt, "id", "file_id", "demand_id", "user_id"), cols(colNullInt, "company_id"),
			cols(colText, "ip"), cols(colTime, "at"), cols(colNullInt, "rfq_id")),
		order: []string{"id"},
	},
	{
		name: "demand_notices",
		cols: slices.Concat(cols(colInt, "demand_id", "company_id", "qualified"), cols(colTime, "created_at"),
			cols(colNullTime, "digested_at")),
		order: []string{"demand_id", "company_id"},
	},
	{
		name: "rfqs",
		cols: slices.Concat(cols(colInt, "id", "demand_id", "round"), cols(colText, "message"), cols(colTime, "deadline"),
			cols(colBool, "sealed"), cols(colNullInt, "created_by"), cols(colTime, "created_at", "updated_at")),
		order: []string{"id"},
	},
	{
		name: "rfq_deadlines",
		cols: slices.Concat(cols(colInt, "rfq_id"), cols(colTime, "old_deadline", "new_deadline", "at"),
			cols(colNullInt, "by_user")),
		order: []string{"rfq_id", "new_deadline"},
	},
	{
		name: "rfq_invitations",
		cols: slices.Concat(cols(colInt, "id", "rfq_id", "demand_id", "company_id"), cols(colText, "state"),
			cols(colNullTime, "viewed_at"), cols(colText, "decline_reason", "decline_note"), cols(colTime, "created_at", "updated_at")),
		order: []string{"id"},
	},
	{
		name: "quotes",
		cols: slices.Concat(cols(colInt, "id", "invitation_id", "rfq_id", "company_id", "revision"),
			cols(colText, "unit_price", "currency", "price_breaks", "moq", "tooling_cost"),
			cols(colInt, "sample_lead_days", "mass_lead_days"), cols(colNullTime, "valid_until"),
			cols(colText, "payment_terms", "incoterm", "delivery_place", "notes"), cols(colNullTime, "submitted_at"),
			cols(colTime, "created_at")),
		order: []string{"id"},
	},
	{
		name: "rfq_questions",
		cols: slices.Concat(cols(colInt, "id", "rfq_id", "asked_by"), cols(colText, "question", "answer"),
			cols(colNullTime, "answered_at"), cols(colNullInt, "answered_by"), cols(colTime, "created_at")),
		order: []string{"id"},
	},
	{
		name: "cases",
		cols: slices.Concat(cols(colInt, "id", "demand_id", "company_id"), cols(colText, "stage"), cols(colNullInt, "owner"),
			cols(colNullTime, "next_step_at"), cols(colText, "contract_value", "currency", "contract_vnd", "rate_to_vnd", "annual_volume"),
			cols(colNullTime, "awarded_at"), cols(colText, "lost_reason"), cols(colTime, "created_at", "updated_at")),
		order: []string{"id"},
	},
	{
		name: "case_steps",
		cols: slices.Concat(cols(colInt, "id", "case_id"), cols(colText, "from_stage", "to_stage"), cols(colTime, "at"),
			cols(colText, "note"), cols(colNullInt, "owner"), cols(colNullTime, "next_step_at"), cols(colNullInt, "by_user")),
		order: []string{"id"},
	},
	{
		// So that a reminder sent before a move is not sent again after.
		name:  "reminders",
		cols:  slices.Concat(cols(colText, "kind"), cols(colInt, "object_id"), cols(colTime, "due", "sent_at")),
		order: []string{"kind", "object_id", "due"},
		text:  []string{"kind"},
	},
	{
		name: "notifications",
		cols: slices.Concat(cols(colInt, "id", "user_id"), cols(colText, "kind", "subject", "body", "link"),
			cols(colTime, "created_at"), cols(colNullTime, "read_at"), cols(colBool, "digest")),
		order: []string{"id"},
	},
	{
		name: "rfq_files",
		cols: slices.Concat(cols(colInt, "id", "rfq_id"), cols(colNullInt, "invitation_id"), cols(colInt, "revision"),
			cols(colText, "name", "sha256", "content_type"), cols(colInt, "size"), cols(colNullInt, "created_by"),
			cols(colTime, "created_at")),
		order: []string{"id"},
	},
	{
		// Copied as they are, so that the copy's chain and head are the
		// source's (VerifyAudit holds on either).
		name: "audit_log",
		cols: slices.Concat(cols(colInt, "seq"), cols(colTime, "at"), cols(colInt, "actor_id"),
			cols(colText, "actor", "ip", "action", "object_type"), cols(colInt, "object_id"),
			cols(colNullText, "before", "after"), cols(colText, "digest", "prev", "hash", "redactions")),
		order: []string{"seq"},
	},
}

// searchTable names the search entries in reports.
const searchTable = "companies_fts"

func (t *copyTable) selectSQL(d dialect) string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	order := make([]string, len(t.order))
	for i, o := range t.order {
		order[i] = o
		if slices.Contains(t.text, o) {
			order[i] += d.collateC
		}
	}
	return "SELECT " + strings.Join(names, ", ") + " FROM " + t.name + " ORDER BY " + strings.Join(order, ", ")
}

// scanRow reads a row of t as plain values — nil, int64, string, bool,
// time.Time (UTC, microseconds) or []byte — the same from either engine.
func (t *copyTable) scanRow(rows *sql.Rows) ([]any, error) {
	dest := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case colInt:
			dest[i] = new(int64)
		case colNullInt:
			dest[i] = new(sql.NullInt64)
		case colText:
			dest[i] = new(string)
		case colNullText:
			dest[i] = new(sql.NullString)
		case colBool:
			dest[i] = new(bool)
		case colTime:
			dest[i] = new(time.Time)
		case colNullTime:
			dest[i] = new(sql.NullTime)
		case colBlob:
			dest[i] = new([]byte)
		}
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	vals := make([]any, len(dest))
	for i, d := range dest {
		switch d := d.(type) {
		case *int64:
			vals[i] = *d
		case *sql.NullInt64:
			if d.Valid {
				vals[i] = d.Int64
			}
		case *string:
			vals[i] = *d
		case *sql.NullString:
			if d.Valid {
				vals[i] = d.String
			}
		case *bool:
			vals[i] = *d
		case *time.Time:
			vals[i] = d.UTC().Truncate(time.Microsecond)
		case *sql.NullTime:
			if d.Valid {
				vals[i] = d.Time.UTC().Truncate(time.Microsecond)
			}
		case *[]byte:
			if *d == nil {
				*d = []byte{} // every blob column is NOT NULL
			}
			vals[i] = *d
		}
	}
	return vals, nil
}

// digestRow adds a row's values to h, unambiguously.
func digestRow(h hash.Hash, t *copyTable, vals []any) {
	var b []byte
	for i, v := range vals {
		if t.cols[i].noDigest {
			continue
		}
		switch v := v.(type) {
		case nil:
			b = append(b, 'n')
		case int64:
			b = binary.AppendVarint(append(b, 'i'), v)
		case string:
			b = append(binary.AppendUvarint(append(b, 's'), uint64(len(v))), v...)
		case bool:
			b = append(b, 'b')
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case time.Time:
			b = binary.AppendVarint(append(b, 't'), v.UnixMicro())
		case []byte:
			b = append(binary.AppendUvarint(append(b, 'x'), uint64(len(v))), v...)
		}
	}
	h.Write(b)
}

// sameMigrations checks that both databases have the same schema version.
func sameMigrations(ctx context.Context, src, dst *sql.Tx) error {
	list := func(tx *sql.Tx) (string, error) {
		vs, err := queryStrings(ctx, tx, "SELECT version FROM schema_migrations")
		slices.Sort(vs)
		return strings.Join(vs, ", "), err
	}
	a, err := list(src)
	if err != nil {
		return err
	}
	b, err := list(dst)
	if err != nil {
		return err
	}
	if a != b {
		return sihub.Errorf(sihub.ErrConflict,
			"Hai cơ sở dữ liệu có phiên bản cấu trúc khác nhau (%s và %s); hãy mở cả hai bằng cùng một phiên bản SIHub.",
			"The two databases have different schema versions (%s and %s); open both with the same SIHub version.", a, b)
	}
	return nil
}

// queryStrings returns the strings a query selects.
func queryStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// isEmpty reports whether no table Copy fills holds a row.
func isEmpty(ctx context.Context, tx *sql.Tx) (bool, error) {
	for _, name := range copyTableNames() {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+name+" LIMIT 1) x").Scan(&n)
		if err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

func copyTableNames() []string {
	var names []string
	for _, t := range copyTables {
		names = append(names, t.name)
	}
	return append(names, searchTable)
}

// sameData compares every table of both databases, returning the source's
// row counts.
func sameData(ctx context.Context, from *DB, src *sql.Tx, to *DB, dst *sql.Tx) (bool, []CopiedTable, error) {
	var counts []CopiedTable
	for i := range copyTables {
		t := &copyTables[i]
		a, n, err := tableDigest(ctx, src, t, from.d)
		if err != nil {
			return false, nil, err
		}
		b, m, err := tableDigest(ctx, dst, t, to.d)
		if err != nil {
			return false, nil, err
		}
		if n != m || a != b {
			return false, nil, nil
		}
		counts = append(counts, CopiedTable{t.name, n})
	}
	a, n, err := searchDigest(ctx, src, from.d)
	if err != nil {
		return false, nil, err
	}
	b, m, err := searchDigest(ctx, dst, to.d)
	if err != nil {
		return false, nil, err
	}
	return n == m && a == b, append(counts, CopiedTable{searchTable, n}), nil
}

func tableDigest(ctx context.Context, tx *sql.Tx, t *copyTable, d dialect) (sum [sha256.Size]byte, n int, err error) {
	rows, err := tx.QueryContext(ctx, t.selectSQL(d))
	if err != nil {
		return sum, 0, err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		vals, err := t.scanRow(rows)
		if err != nil {
			return sum, 0, err
		}
		digestRow(h, t, vals)
		n++
	}
	h.Sum(sum[:0])
	return sum, n, rows.Err()
}

func searchDigest(ctx context.Context, tx *sql.Tx, d dialect) (sum [sha256.Size]byte, n int, err error) {
	rows, err := tx.QueryContext(ctx, d.textRows)
	if err != nil {
		return sum, 0, err
	}
	defer rows.Close()
	h := sha256.New()
	t := &copyTable{cols: slices.Concat(cols(colInt, "id"), cols(colText, "tokens"))}
	for rows.Next() {
		vals, err := t.scanRow(rows)
		if err != nil {
			return sum, 0, err
		}
		digestRow(h, t, vals)
		n++
	}
	h.Sum(sum[:0])
	return sum, n, rows.Err()
}

// copyAll copies every table into the empty target.
func copyAll(ctx context.Context, from *DB, src *sql.Tx, to *DB, dst *sql.Tx) (CopyReport, error) {
	var rep CopyReport
	for i := range copyTables {
		t := &copyTables[i]
		n, err := copyRows(ctx, from, src, to, dst, t)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", t.name, err)
		}
		rep.Tables = append(rep.Tables, CopiedTable{t.name, n})
	}
	n, err := copySearch(ctx, from, src, to, dst)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", searchTable, err)
	}
	rep.Tables = append(rep.Tables, CopiedTable{searchTable, n})
	// Every row read must be in the target.
	for _, c := range rep.Tables {
		var got int
		if err := dst.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.Name).Scan(&got); err != nil {
			return rep, err
		}
		if got != c.Rows {
			return rep, fmt.Errorf("%s: %d rows read, %d in the target", c.Name, c.Rows, got)
		}
	}
	if to.d.resetIDs != nil {
		if err := to.d.resetIDs(ctx, dst); err != nil {
			return rep, err
		}
	}
	// The companies keep the source's versions: the target's data_version
	// must pass them, so that CompanyChanges from the version it reports
	// finds only later writes.
	if _, err := dst.ExecContext(ctx, `UPDATE data_version SET version = (SELECT MAX(version) FROM companies)
		WHERE id = 1 AND version < (SELECT COALESCE(MAX(version), 0) FROM companies)`); err != nil {
		return rep, err
	}
	return rep, bumpVersion(ctx, dst)
}

// Limits of one INSERT: SQLite allows 32766 parameters, PostgreSQL 65535;
// blobs are sent a few megabytes at a time.
const (
	copyMaxParams = 30000
	copyMaxRows   = 5000
	copyMaxBytes  = 8 << 20
)

func copyRows(ctx context.Context, from *DB, src *sql.Tx, to *DB, dst *sql.Tx, t *copyTable) (int, error) {
	rows, err := src.QueryContext(ctx, t.selectSQL(from.d))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	ins := &inserter{db: to, tx: dst, head: "INSERT INTO " + t.name + " (" + strings.Join(names, ", ") + ") VALUES ",
		width: len(t.cols), maxRows: min(copyMaxRows, copyMaxParams/len(t.cols))}
	defer ins.close()
	n := 0
	for rows.Next() {
		vals, err := t.scanRow(rows)
		if err != nil {
			return n, err
		}
		size := 0
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				size += len(b)
			}
		}
		if err := ins.add(ctx, vals, size); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, ins.flush(ctx)
}

// inserter writes rows with multi-row INSERTs.
type inserter struct {
	db             *DB
	tx             *sql.Tx
	head           string // INSERT INTO t (…) VALUES
	width, maxRows int
	args           []any
	rows, bytes    int
	full           *sql.Stmt // the statement of maxRows rows
}

func (ins *inserter) add(ctx context.Context, vals []any, size int) error {
	ins.args = append(ins.args, vals...)
	ins.rows++
	ins.bytes += size
	if ins.rows >= ins.maxRows || ins.bytes >= copyMaxBytes {
		return ins.flush(ctx)
	}
	return nil
}

func (ins *inserter) flush(ctx context.Context) error {
	if ins.rows == 0 {
		return nil
	}
	row := "(?" + strings.Repeat(", ?", ins.width-1) + ")"
	query := ins.db.q(ins.head + row + strings.Repeat(", "+row, ins.rows-1))
	var err error
	if ins.rows == ins.maxRows {
		if ins.full == nil {
			if ins.full, err = ins.tx.PrepareContext(ctx, query); err != nil {
				return err
			}
		}
		_, err = ins.full.ExecContext(ctx, ins.args...)
	} else {
		_, err = ins.tx.ExecContext(ctx, query, ins.args...)
	}
	ins.args, ins.rows, ins.bytes = ins.args[:0], 0, 0
	return err
}

func (ins *inserter) close() {
	if ins.full != nil {
		ins.full.Close()
	}
}

// copySearch copies the search entries through the target dialect's writer.
func copySearch(ctx context.Context, from *DB, src *sql.Tx, to *DB, dst *sql.Tx) (int, error) {
	rows, err := src.QueryContext(ctx, from.d.textRows)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		batch []textEntry
		n     int
	)
	for rows.Next() {
		var e textEntry
		if err := rows.Scan(&e.id, &e.text); err != nil {
			return n, err
		}
		batch = append(batch, e)
		n++
		if len(batch) == textBatch {
			if err := to.d.writeText(ctx, dst, batch); err != nil {
				return n, err
			}
			batch = batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, to.d.writeText(ctx, dst, batch)
}
