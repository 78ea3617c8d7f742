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
	"unicode"

	"github.com/sihub-org/sihub/internal/sihub"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between the database engines. The rest
// of the package is portable SQL. PostgreSQL will add a second value of this
// type (pgx driver, $N placeholders, a tsvector column with a GIN index,
// json_agg, SQLSTATE 23505) and its own migrations/postgres/*.sql.
type dialect struct {
	name string // also the directory holding the dialect's migrations

	// open returns the write pool and the read pool.
	open func(dsnInfo) (w, r *sql.DB, err error)

	// bind adapts a query written with ? placeholders.
	bind func(string) string

	// textQuery renders CompanyFilter.Terms and Words in the engine's
	// full-text query language, quoting every token so that no user input
	// is read as query syntax; "" when there is nothing to match.
	textQuery func(terms [][]string, words []string) string
	// textIDs selects the ids of the companies the text query (its one
	// argument) matches, and textRanked their ids and ranks, lower ranks
	// first (PostgreSQL: -ts_rank(search, q)).
	textIDs, textRanked string
	// textFrom, textWhere and textRank make a page ranked by relevance:
	// textWhere takes the text query as its one argument and textRank,
	// the leading ORDER BY term, takes none.
	textFrom, textWhere, textRank string
	// writeText stores the search entries of a batch of companies.
	writeText func(ctx context.Context, tx *sql.Tx, batch []textEntry) error

	// contactsJSON is an expression giving the contacts of company c as a
	// JSON array in position order ("[]" when there are none).
	contactsJSON string

	// isUniqueViolation reports whether err is a unique-constraint error.
	isUniqueViolation func(error) bool

	// optimize refreshes the query planner's statistics after large
	// writes; "" for none.
	optimize string

	// backup writes a consistent copy of the database to the new, empty
	// file path while the database stays in use.
	backup func(ctx context.Context, db *DB, path string) error
}

var sqliteDialect = dialect{
	name:       "sqlite",
	open:       openSQLite,
	bind:       func(q string) string { return q },
	textQuery:  fts5Query,
	textIDs:    "SELECT rowid FROM companies_fts WHERE companies_fts MATCH ?",
	textRanked: "SELECT rowid, rank FROM companies_fts WHERE companies_fts MATCH ?",
	textFrom:   "companies_fts JOIN companies c ON c.id = companies_fts.rowid",
	textWhere:  "companies_fts MATCH ?",
	// rank is bm25() by default; lower is better.
	textRank:  "companies_fts.rank",
	writeText: writeFTS5,
	contactsJSON: `(SELECT json_group_array(json_object('name', t.name, 'role', t.role, 'email', t.email, 'phone', t.phone) ORDER BY t.position)
		FROM contacts t WHERE t.company_id = c.id)`,
	isUniqueViolation: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	// Since SQLite 3.46 optimize limits its own work, so it is cheap.
	optimize: "PRAGMA optimize",
	backup:   backupSQLite,
}

// dsnInfo is a parsed DSN.
type dsnInfo struct {
	name   string     // the file name or file: URI, without its query
	query  url.Values // the caller's own parameters, passed on
	path   string     // the file, when name is a plain path; "" for a URI
	driver string
}

// parseDSN picks the dialect for dsn.
func parseDSN(dsn string) (dialect, dsnInfo, error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		return dialect{}, dsnInfo{}, sihub.Errorf(sihub.ErrInvalid, "Thiếu đường dẫn cơ sở dữ liệu.", "The database location is missing.")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return dialect{}, dsnInfo{}, sihub.Errorf(sihub.ErrUnsupported,
			"Hỗ trợ PostgreSQL sẽ có trong một phiên bản sau; hiện hãy dùng SQLite (một đường dẫn tệp).",
			"PostgreSQL support arrives in a later version; use SQLite (a file path) for now.")
	}
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

// fts5Query renders terms and words as an FTS5 query: every group of
// alternative terms as ("a" OR "b"), every word as the prefix query "w"*,
// all AND-ed. Each token is reduced to its letters and digits and put in
// double quotes, so that operators, column filters, NEAR and stray quotes in
// user input are only ever text. Empty groups and words are dropped.
//
// The PostgreSQL form of the same query is to_tsquery('simple',
// '(a | b) & w:*'), with the same quoting role played by reducing tokens to
// letters and digits.
func fts5Query(terms [][]string, words []string) string {
	var parts []string
	for _, group := range terms {
		var alts []string
		for _, t := range group {
			if t = ftsToken(t); t != "" {
				alts = append(alts, `"`+t+`"`)
			}
		}
		switch len(alts) {
		case 0:
		case 1:
			parts = append(parts, alts[0])
		default:
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	for _, w := range words {
		// A word like "a-b" becomes two prefix queries, as the tokenizer
		// would have split it in the indexed text.
		for _, p := range strings.FieldsFunc(w, notAlnum) {
			parts = append(parts, `"`+p+`"*`)
		}
	}
	return strings.Join(parts, " AND ")
}

// ftsToken keeps the letters and digits of t, joined by spaces where other
// characters separated them (inside quotes FTS5 reads that as a phrase).
func ftsToken(t string) string {
	return strings.Join(strings.FieldsFunc(t, notAlnum), " ")
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

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
