package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/sihub-org/sihub/internal/sihub"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between the database engines, SQLite
// and PostgreSQL. The rest of the package is portable SQL.
type dialect struct {
	name string // also the directory holding the dialect's migrations

	// open returns the write pool and the read pool (the same pool for
	// PostgreSQL).
	open func(dsnInfo) (w, r *sql.DB, err error)

	// bind adapts a query written with ? placeholders.
	bind func(string) string

	// check, when set, checks the server once connected.
	check func(context.Context, *sql.DB) error

	// readTx are the options of read transactions, which must each see
	// one snapshot of the database; nil for the default.
	readTx *sql.TxOptions
	// writeLock, when set, is run first in every write transaction: it
	// makes writers wait for one another, as SQLite's single writer does,
	// across processes too.
	writeLock string
	// migrationsTable creates the table of applied migrations.
	migrationsTable string

	// textQuery renders a text search in the engine's full-text query
	// language, quoting every token so that no user input is read as
	// query syntax.
	textQuery func(*textSearch) string
	// textIDs selects the ids of the companies the text query (its one
	// argument) matches, textTokens their ids and search texts (the tokens
	// joined by spaces), which the relevance score reads, and textRows the
	// id and text of every search entry in id order, for Copy.
	textIDs, textTokens, textRows string
	// scoreByProbes: relevance scores come from one index query per
	// probe (DB.probeScores) rather than from the matches' texts.
	scoreByProbes bool
	// writeText stores the search entries of a batch of companies.
	writeText func(ctx context.Context, tx *sql.Tx, batch []textEntry) error

	// contactsJSON is an expression giving the contacts of company c as a
	// JSON array in position order ("[]" when there are none).
	contactsJSON string

	// collateC follows a text column in ORDER BY so that it sorts by bytes,
	// as Go does, whatever the database's default collation.
	collateC string

	// isUniqueViolation reports whether err is a unique-constraint error.
	isUniqueViolation func(error) bool

	// optimize refreshes the query planner's statistics after large
	// writes; "" for none. optimizeOnClose runs it on Close as well.
	optimize        string
	optimizeOnClose bool

	// backup writes a consistent copy of the database to the new, empty
	// file path while the database stays in use.
	backup func(ctx context.Context, db *DB, path string) error

	// resetIDs makes the next generated ids follow the largest in use,
	// after Copy inserted rows with their ids; nil when the engine does so
	// itself.
	resetIDs func(ctx context.Context, tx *sql.Tx) error
}

var sqliteDialect = dialect{
	name: "sqlite",
	open: openSQLite,
	bind: func(q string) string { return q },
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL
	)`,
	textQuery:  (*textSearch).fts5,
	textIDs:    "SELECT rowid FROM companies_fts WHERE companies_fts MATCH ?",
	textTokens: "SELECT rowid, tokens FROM companies_fts WHERE companies_fts MATCH ?",
	textRows:   "SELECT rowid, tokens FROM companies_fts ORDER BY rowid",
	// Reading a match's text is a lookup in FTS5's content table; a
	// probe reads a doclist.
	scoreByProbes: true,
	writeText:     writeFTS5,
	contactsJSON: `(SELECT json_group_array(json_object('name', t.name, 'role', t.role, 'email', t.email, 'phone', t.phone) ORDER BY t.position)
		FROM contacts t WHERE t.company_id = c.id)`,
	isUniqueViolation: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	// Since SQLite 3.46 optimize limits its own work, so it is cheap.
	optimize:        "PRAGMA optimize",
	optimizeOnClose: true,
	backup:          backupSQLite,
}

// dsnInfo is a parsed DSN.
type dsnInfo struct {
	name   string     // the file name or file: URI, without its query
	query  url.Values // the caller's own parameters, passed on
	path   string     // the file, when name is a plain path; "" for a URI
	driver string
	pg     *pgx.ConnConfig // PostgreSQL's parsed DSN
}

// parseDSN picks the dialect for dsn.
func parseDSN(dsn string) (dialect, dsnInfo, error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		return dialect{}, dsnInfo{}, sihub.Errorf(sihub.ErrInvalid, "Thiếu đường dẫn cơ sở dữ liệu.", "The database location is missing.")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return parsePostgresDSN(dsn)
	}
	return parseSQLiteDSN(dsn)
}

// parseSQLiteDSN parses a file path or file: URI.
func parseSQLiteDSN(dsn string) (dialect, dsnInfo, error) {
	lower := strings.ToLower(dsn)
	name, rawQuery, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return dialect{}, dsnInfo{}, sihub.Errorf(sihub.ErrInvalid, "Tham số cơ sở dữ liệu %q không hợp lệ.", "The database parameters %q are not valid.", rawQuery)
	}
	// The writer and the readers are separate connections, which would each
	// see their own empty in-memory database.
	if name == ":memory:" || name == "" || q.Get("mode") == "memory" {
		return dialect{}, dsnInfo{}, sihub.Errorf(sihub.ErrInvalid,
			"SIHub cần một tệp cơ sở dữ liệu, không phải cơ sở dữ liệu trong bộ nhớ.",
			"SIHub needs a database file, not an in-memory database.")
	}
	info := dsnInfo{name: name, query: q, driver: "sqlite"}
	if !strings.HasPrefix(lower, "file:") {
		info.path = name
	}
	return sqliteDialect, info, nil
}

// sqliteDSN adds SIHub's settings to the caller's DSN. _pragma parameters
// apply to every connection the pool opens, not just the first.
func sqliteDSN(info dsnInfo, extra ...string) string {
	q := url.Values{}
	for k, v := range info.query {
		q[k] = v
	}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Sorts, GROUP BYs and materialized CTEs (the facet counts) stay in
	// memory rather than in temporary files.
	q.Add("_pragma", "temp_store(MEMORY)")
	// Times are written "2006-01-02 15:04:05.999999999-07:00", which SQLite's
	// date functions read, and always in UTC (see DB.now), so they also sort
	// as text.
	q.Set("_time_format", "sqlite")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Add(extra[i], extra[i+1])
	}
	return info.name + "?" + q.Encode()
}

func openSQLite(info dsnInfo) (w, r *sql.DB, err error) {
	if info.path != "" {
		if err := createPrivate(info.path); err != nil {
			return nil, nil, err
		}
	}
	// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so
	// that a transaction that reads first cannot fail with SQLITE_BUSY when
	// it comes to write.
	// A large page cache for the writer keeps the indexes of a big import
	// in memory instead of spilling and re-reading them.
	// After a big import has been checkpointed, the WAL file is cut back
	// to 64 MiB rather than keeping its largest size.
	w, err = sql.Open(info.driver, sqliteDSN(info, "_pragma", "journal_mode(WAL)", "_txlock", "immediate",
		"_pragma", "cache_size(-65536)", "_pragma", "journal_size_limit(67108864)"))
	if err != nil {
		return nil, nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	// query_only guards against a write slipping into the read pool, where
	// it would compete with the writer for the lock.
	r, err = sql.Open(info.driver, sqliteDSN(info, "_pragma", "query_only(1)", "_pragma", "cache_size(-16384)"))
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return w, r, nil
}

// createPrivate creates a missing database file readable by its owner only:
// it holds personal data (contacts). SQLite gives the -wal and -shm files the
// same mode.
func createPrivate(path string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// backupSQLite copies the database with VACUUM INTO on a connection of its
// own: it reads one snapshot, so writers carry on meanwhile, and the copy is
// compact and needs no -wal file. The read pool cannot do it: its
// connections are query_only, which forbids VACUUM.
func backupSQLite(ctx context.Context, db *DB, path string) error {
	c, err := sql.Open(db.dsn.driver, sqliteDSN(db.dsn))
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	_, err = c.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// textEntry is the search entry of one company.
type textEntry struct {
	id      int64
	text    string // the index tokens joined by spaces
	replace bool   // the company may already have an entry
}

// writeFTS5 writes a batch of search entries with one DELETE and one
// INSERT. Batching matters: FTS5 flushes its pending index data to disk at
// the start of every statement that writes to it inside a transaction,
// which made an import with one statement per company about ten times
// slower.
func writeFTS5(ctx context.Context, tx *sql.Tx, batch []textEntry) error {
	var del []any
	ins := make([]any, 0, 2*len(batch))
	for _, e := range batch {
		if e.replace {
			del = append(del, e.id)
		}
		ins = append(ins, e.id, e.text)
	}
	if len(del) > 0 {
		q := "DELETE FROM companies_fts WHERE rowid IN (?" + strings.Repeat(", ?", len(del)-1) + ")"
		if _, err := tx.ExecContext(ctx, q, del...); err != nil {
			return err
		}
	}
	if len(batch) == 0 {
		return nil
	}
	q := "INSERT INTO companies_fts (rowid, tokens) VALUES (?, ?)" + strings.Repeat(", (?, ?)", len(batch)-1)
	_, err := tx.ExecContext(ctx, q, ins...)
	return err
}
