// Package store keeps SIHub's data: every SQL statement of the program lives
// here, behind one type, DB.
//
// Two engines run the same code: SQLite (modernc.org/sqlite, pure Go) for a
// file path, PostgreSQL 15+ (pgx) for a postgres:// URL. The SQL is
// hand-written and portable (RETURNING, ON CONFLICT, TRUE/FALSE, CTEs work in
// both), written with "?" placeholders that pass through dialect.bind (the
// identity for SQLite, $1, $2… for PostgreSQL), and what truly differs — the
// driver and its DSN, transactions and locking, full-text search, JSON
// aggregation, error codes, backups — is gathered in dialect.go and
// postgres.go. Migrations are embedded .sql files, one directory per
// dialect, numbered in step. Copy moves a whole database between them.
//
// Directory queries (FindCompanies) filter, count facets and order in
// memory, on an index of the few columns they read that is rebuilt whenever
// the data changed (index.go); SQL runs the full-text match and reads the
// page. The same filters and orders in SQL (buildFilter) serve EachCompany
// and are the reference the tests hold the index to. Relevance is scored in
// Go from the matches' tokens (search.go), so that both engines rank alike.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Options configure a DB.
type Options struct {
	// Index returns the full-text tokens for a company (match.IndexTokens
	// in production): folded, lower-case words of letters and digits.
	// Required. The store also calls it on a company holding nothing but
	// its core and declared capabilities, to learn which tokens stand for
	// them (they weigh more in the relevance order).
	Index func(*sihub.Company) []string
	// SortKey turns a company name into the key the name order sorts by
	// (match.Fold in production, so that "Ánh Dương" sorts with "Anh").
	// nil: strings.ToLower.
	SortKey func(string) string
	Logger  *slog.Logger // nil: slog.Default()
}

// DB is SIHub's database.
//
// With SQLite it holds two pools on one file: w, a single connection every
// write goes through, so that writers queue in Go instead of failing with
// SQLITE_BUSY, and r, several read connections that WAL lets run alongside
// the writer. With PostgreSQL both are the same pool, and writers queue on
// an advisory lock instead.
type DB struct {
	d       dialect
	w       *sql.DB
	r       *sql.DB
	dsn     dsnInfo
	index   func(*sihub.Company) []string
	sortKey func(string) string
	log     *slog.Logger
	now     func() time.Time
	cache   indexCache
}

// Open opens the database named by dsn — a file path or "file:…" URI for
// SQLite, a "postgres://…" or "postgresql://…" URL for PostgreSQL (whose
// search_path parameter picks the schema) — creating and migrating it on
// first use.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.Index == nil {
		return nil, errors.New("store: Options.Index is required")
	}
	d, info, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return open(ctx, d, info, opt)
}

// open opens a parsed DSN; Options.Index is set.
func open(ctx context.Context, d dialect, info dsnInfo, opt Options) (*DB, error) {
	var err error
	db := &DB{
		d:       d,
		dsn:     info,
		index:   opt.Index,
		sortKey: opt.SortKey,
		log:     opt.Logger,
		now:     func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if db.sortKey == nil {
		db.sortKey = strings.ToLower
	}
	if db.log == nil {
		db.log = slog.Default()
	}
	if db.w, db.r, err = d.open(info); err != nil {
		return nil, internal(err, "open")
	}
	if err := db.Ping(ctx); err != nil {
		db.closePools()
		return nil, err
	}
	if d.check != nil {
		if err := d.check(ctx, db.w); err != nil {
			db.closePools()
			return nil, err
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.closePools()
		return nil, err
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	// SQLite recommends PRAGMA optimize before closing a connection that
	// has written.
	if db.d.optimizeOnClose {
		db.optimize(context.Background())
	}
	return db.closePools()
}

func (db *DB) closePools() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping checks that the database answers, for the health check.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return unavailable(err)
	}
	if err := db.r.PingContext(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// q adapts a query written with ? placeholders to the dialect.
func (db *DB) q(query string) string { return db.d.bind(query) }

// write runs fn in a transaction on the writer and commits it when fn
// returns nil.
func (db *DB) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal(err, op)
	}
	if db.d.writeLock != "" {
		if _, err := tx.ExecContext(ctx, db.d.writeLock); err != nil {
			tx.Rollback()
			return internal(err, op)
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return wrap(err, op)
	}
	if err := tx.Commit(); err != nil {
		return internal(err, op)
	}
	return nil
}

// read runs fn in a read transaction, so that the queries of one request
// (a page, its total and its facets) see the same snapshot.
func (db *DB) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, db.d.readTx)
	if err != nil {
		return internal(err, op)
	}
	defer tx.Rollback()
	return wrap(fn(tx), op)
}

// internal wraps an unexpected database error; users see a generic message,
// logs see the cause.
func internal(err error, op string) error {
	return &sihub.Error{
		Code: sihub.ErrInternal,
		Msg:  sihub.M("Lỗi cơ sở dữ liệu.", "Database error."),
		Err:  fmt.Errorf("store: %s: %w", op, err),
	}
}

// wrap leaves SIHub errors (and nil) alone and wraps anything else as
// internal.
func wrap(err error, op string) error {
	if err == nil {
		return nil
	}
	var se *sihub.Error
	if errors.As(err, &se) {
		return err
	}
	return internal(err, op)
}

func unavailable(err error) error {
	return &sihub.Error{
		Code: sihub.ErrUnavailable,
		Msg:  sihub.M("Cơ sở dữ liệu không phản hồi.", "The database is not responding."),
		Err:  fmt.Errorf("store: ping: %w", err),
	}
}

func notFound(what string, id int64) error {
	switch what {
	case "document":
		return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tài liệu #%d.", "Document #%d was not found.", id)
	default:
		return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy doanh nghiệp #%d.", "Company #%d was not found.", id)
	}
}

// taxCodeTaken reports a tax code already in the directory, naming the
// company that has it when id is known.
func taxCodeTaken(taxCode string, id int64) error {
	m := sihub.M("Mã số thuế %s đã có trong danh bạ.", "Tax code %s is already in the directory.", sihub.FormatTaxCode(taxCode))
	if id != 0 {
		m = sihub.M("Mã số thuế %s đã có trong danh bạ (doanh nghiệp #%d).",
			"Tax code %s is already in the directory (company #%d).", sihub.FormatTaxCode(taxCode), id)
	}
	return &sihub.Error{Code: sihub.ErrConflict, Msg: m, Fields: []sihub.FieldError{{Field: "tax_code", Msg: m}}}
}

// WithClock returns a DB that shares db's connections but stamps what it
// writes — rows and audit records alike — with now instead of the current
// time, so that a loader can write history dated in the past (the demo's
// closed rounds). The copy is for writing a few things in order, not for
// serving: close db, never the copy. The audit chain holds whatever the
// times, since records are chained in the order they are appended.
func (db *DB) WithClock(now func() time.Time) *DB {
	return &DB{d: db.d, w: db.w, r: db.r, dsn: db.dsn, index: db.index, sortKey: db.sortKey, log: db.log,
		now: func() time.Time { return instant(now()) }}
}
