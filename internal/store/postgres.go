package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/sihub-org/sihub/internal/sihub"
)

// PostgreSQL (15 or later) through pgx's database/sql driver. Where it
// differs from SQLite:
//   - one pool serves reads and writes; every write transaction first takes
//     a transaction-level advisory lock (writeLock), so that writers queue as
//     they do on SQLite's single connection — across processes too — and
//     read-check-write sequences (a tax code taken, a stale edit) stay
//     correct under READ COMMITTED. Migrations take the same lock.
//   - read transactions are REPEATABLE READ, one snapshot each, so that the
//     data_version a read starts with describes all it reads;
//   - search entries live in companies_fts(company_id, tokens, search), the
//     tsvector computed by to_tsvector('simple', tokens) with a GIN index.
//     The 'simple' configuration only lower-cases, and the tokens are already
//     folded, so it indexes the words FTS5 indexes; queries go through
//     to_tsquery with the same configuration (tsQuery);
//   - times are TIMESTAMPTZ (microseconds, which DB.now keeps), lists stay
//     JSON text, which reads back byte for byte, bytes are BYTEA and ids
//     identity columns.
var postgresDialect = dialect{
	name:      "postgres",
	open:      openPostgres,
	bind:      dollarPlaceholders,
	check:     checkPostgres,
	readTx:    &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	writeLock: `SELECT pg_advisory_xact_lock(hashtextextended('sihub writer ' || COALESCE(current_schema(), ''), 0))`,
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT PRIMARY KEY,
		applied_at TIMESTAMPTZ NOT NULL
	)`,
	textQuery:  (*textSearch).tsquery,
	textIDs:    "SELECT company_id FROM companies_fts WHERE search @@ to_tsquery('simple', ?)",
	textTokens: "SELECT company_id, tokens FROM companies_fts WHERE search @@ to_tsquery('simple', ?)",
	textRows:   "SELECT company_id, tokens FROM companies_fts ORDER BY company_id",
	// The heap rows of the matches are read anyway (visibility), so
	// their texts come nearly free, where each probe would read them again.
	writeText: writeTSV,
	contactsJSON: `(SELECT COALESCE(json_agg(json_build_object('name', t.name, 'role', t.role, 'email', t.email, 'phone', t.phone) ORDER BY t.position), '[]')::text
		FROM contacts t WHERE t.company_id = c.id)`,
	collateC: ` COLLATE "C"`,
	isUniqueViolation: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	// Autovacuum would get there, but only after a while; a directory query
	// right after a large import deserves fresh statistics.
	optimize: "ANALYZE companies, contacts, company_terms, companies_fts",
	backup:   backupPostgres,
	resetIDs: func(ctx context.Context, tx *sql.Tx) error {
		for _, t := range []string{"companies", "documents", "users", "api_tokens", "outbox", "demands", "demand_files", "demand_downloads",
			"rfqs", "rfq_invitations", "quotes", "rfq_questions", "cases", "case_steps",
			"notifications", "rfq_files"} {
			_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+t)
			if err != nil {
				return err
			}
		}
		return nil
	},
}

// minPostgres is the oldest server version SIHub runs on.
const minPostgres = 150000

func parsePostgresDSN(dsn string) (dialect, dsnInfo, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The message leaves the DSN out: it may hold a password.
		return dialect{}, dsnInfo{}, &sihub.Error{
			Code: sihub.ErrInvalid,
			Msg:  sihub.M("Địa chỉ cơ sở dữ liệu PostgreSQL không hợp lệ.", "The PostgreSQL database address is not valid."),
			Err:  err,
		}
	}
	return postgresDialect, dsnInfo{name: dsn, driver: "pgx", pg: cfg}, nil
}

func openPostgres(info dsnInfo) (w, r *sql.DB, err error) {
	db := stdlib.OpenDB(*info.pg)
	// Writers queue on the advisory lock, each holding a connection, and
	// readers need a few more.
	n := max(8, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, db, nil
}

// checkPostgres refuses servers older than minPostgres, and a search_path
// naming no existing schema.
func checkPostgres(ctx context.Context, db *sql.DB) error {
	var v string
	if err := db.QueryRowContext(ctx, "SHOW server_version_num").Scan(&v); err != nil {
		return unavailable(err)
	}
	if n, _ := strconv.Atoi(v); n < minPostgres {
		return sihub.Errorf(sihub.ErrUnsupported, "SIHub cần PostgreSQL 15 trở lên (máy chủ có phiên bản %s).",
			"SIHub needs PostgreSQL 15 or later (the server runs version %s).", v)
	}
	// The tables go in the first schema of search_path that exists.
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return unavailable(err)
	}
	if !schema.Valid {
		return sihub.Errorf(sihub.ErrInvalid,
			"Không có lược đồ (schema) nào trong search_path của địa chỉ PostgreSQL; hãy tạo lược đồ trước.",
			"No schema of the PostgreSQL address's search_path exists; create the schema first.")
	}
	return nil
}

// dollarPlaceholders numbers the ? placeholders of a query $1, $2…, leaving
// quoted literals and identifiers alone.
func dollarPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// writeTSV writes a batch of search entries with one statement: arrays of
// ids and texts, so that the statement is the same whatever the batch size.
func writeTSV(ctx context.Context, tx *sql.Tx, batch []textEntry) error {
	if len(batch) == 0 {
		return nil
	}
	ids := make([]int64, len(batch))
	texts := make([]string, len(batch))
	for i, e := range batch {
		ids[i], texts[i] = e.id, e.text
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO companies_fts (company_id, tokens)
		SELECT * FROM unnest($1::bigint[], $2::text[])
		ON CONFLICT (company_id) DO UPDATE SET tokens = excluded.tokens`, ids, texts)
	return err
}

// backupPostgres writes SIHub's own logical dump: a new SQLite database,
// created with the SQLite migrations, into which Copy writes every table as
// read in one REPEATABLE READ transaction — a consistent snapshot, while
// writers carry on. We chose this over pg_dump: it needs no client binary
// matching the server's version, and the file is at once a working SIHub
// database (serve it, query it, copy it again) and the source of a restore
// into PostgreSQL (Copy into an empty database).
func backupPostgres(ctx context.Context, db *DB, path string) error {
	// Not through Open, whose DSN parsing leads back to this dialect.
	d, info, err := parseSQLiteDSN(path)
	if err != nil {
		return err
	}
	to, err := open(ctx, d, info, Options{Index: db.index, SortKey: db.sortKey, Logger: db.log})
	if err != nil {
		return err
	}
	_, err = Copy(ctx, db, to)
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// The file itself is removed by Backup.
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
	}
	return err
}
