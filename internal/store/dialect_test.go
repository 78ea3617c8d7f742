package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

// schemaColumn is a column as the schema comparison sees it.
type schemaColumn struct {
	name    string
	class   string // integer, text, real, blob, bool, timestamp or the engine's own type
	notNull bool
}

// schemaOf lists the columns of every table of db by table, sorted by name,
// leaving out SQLite's internal tables and FTS5's shadow tables.
func schemaOf(t *testing.T, db *DB) map[string][]schemaColumn {
	t.Helper()
	ctx := context.Background()
	out := map[string][]schemaColumn{}
	switch db.d.name {
	case "sqlite":
		tables, err := queryStringsDB(ctx, db, `SELECT name FROM sqlite_schema WHERE type = 'table'
			AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'companies\_fts\_%' ESCAPE '\'`)
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			rows, err := db.r.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, table)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var (
					name, typ string
					notNull   bool
					pk        int
				)
				if err := rows.Scan(&name, &typ, &notNull, &pk); err != nil {
					t.Fatal(err)
				}
				out[table] = append(out[table], schemaColumn{name, typeClass(typ), notNull || pk > 0})
			}
			rows.Close()
		}
	case "postgres":
		rows, err := db.r.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable = 'NO'
			FROM information_schema.columns WHERE table_schema = current_schema()`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				table, name, typ string
				notNull          bool
			)
			if err := rows.Scan(&table, &name, &typ, &notNull); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], schemaColumn{name, typeClass(typ), notNull})
		}
	}
	for _, cs := range out {
		slices.SortFunc(cs, func(a, b schemaColumn) int { return strings.Compare(a.name, b.name) })
	}
	return out
}

func queryStringsDB(ctx context.Context, db *DB, query string) ([]string, error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryStrings(ctx, tx, query)
}

// typeClass normalizes a declared type.
func typeClass(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint", "smallint", "int":
		return "integer"
	case "text", "character varying", "":
		return "text" // FTS5 columns have no declared type
	case "real", "double precision":
		return "real"
	case "blob", "bytea":
		return "blob"
	case "boolean":
		return "bool"
	case "timestamp", "timestamp with time zone", "timestamp without time zone":
		return "timestamp"
	}
	return typ
}

// The full-text tables differ by nature: SQLite's FTS5 table has a hidden
// rowid and no constraints; PostgreSQL's has the company_id key and the
// tsvector. Only their text column is compared.
var searchOnly = map[string]bool{"company_id": true, "search": true}

// A migration added to one dialect but not the other fails this test: both
// schemas must have the same tables and columns, of the same classes.
func TestSchemasAgree(t *testing.T) {
	t.Parallel()
	sq, pg := schemaOf(t, openTest(t, "sqlite")), schemaOf(t, openTest(t, "postgres"))
	tables := func(m map[string][]schemaColumn) []string {
		var ts []string
		for k := range m {
			ts = append(ts, k)
		}
		slices.Sort(ts)
		return ts
	}
	if a, b := tables(sq), tables(pg); !slices.Equal(a, b) {
		t.Fatalf("tables differ:\nsqlite   %v\npostgres %v", a, b)
	}
	for table, cs := range sq {
		want := pg[table]
		if table == searchTable {
			want = slices.DeleteFunc(slices.Clone(want), func(c schemaColumn) bool { return searchOnly[c.name] })
			for i := range want {
				want[i].notNull = false
			}
		}
		if !reflect.DeepEqual(cs, want) {
			t.Errorf("table %s:\nsqlite   %v\npostgres %v", table, cs, want)
		}
	}
	list := func(dir string) []string {
		es, err := fs.ReadDir(migrationFiles, "migrations/"+dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	if a, b := list("sqlite"), list("postgres"); !slices.Equal(a, b) {
		t.Errorf("migration files differ:\nsqlite   %v\npostgres %v", a, b)
	}
}

// Copy must copy every column of every table: a column added by a
// migration but not to copyTables fails this test.
func TestCopyCoversSchema(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		schema := schemaOf(t, db)
		classes := map[colKind]string{colInt: "integer", colNullInt: "integer", colText: "text", colNullText: "text",
			colBool: "bool", colTime: "timestamp", colNullTime: "timestamp", colBlob: "blob"}
		for table, cs := range schema {
			i := slices.IndexFunc(copyTables, func(ct copyTable) bool { return ct.name == table })
			if i < 0 {
				if !slices.Contains([]string{searchTable, "data_version", "schema_migrations", "import_jobs"}, table) {
					t.Errorf("Copy does not copy table %s", table)
				}
				continue
			}
			var got []schemaColumn
			for _, c := range copyTables[i].cols {
				got = append(got, schemaColumn{c.name, classes[c.kind], c.kind != colNullInt && c.kind != colNullText && c.kind != colNullTime})
			}
			slices.SortFunc(got, func(a, b schemaColumn) int { return strings.Compare(a.name, b.name) })
			if !reflect.DeepEqual(got, cs) {
				t.Errorf("table %s: Copy reads\n%v\nthe schema has\n%v", table, got, cs)
			}
		}
	})
}

// Quoted lexemes stay lexemes whatever they hold: to_tsquery never reads
// an operator in them (tsLexeme is the second line of defence; parseText
// already drops everything but letters and digits, NUL included, which no
// PostgreSQL text may hold).
func TestTSLexemeOnPostgres(t *testing.T) {
	t.Parallel()
	db := openTest(t, "postgres")
	for _, s := range []string{`a:* & ! | ( ' \ " <->`, `a' | 'b`, `a\' & !'b`, `'`, `\`, `''`, `)(`, `x <2> y`, `a:AB*`} {
		var q string
		err := db.r.QueryRow(`SELECT to_tsquery('simple', $1)::text`, tsLexeme(s)).Scan(&q)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		// What remains are the words of s, in a row.
		if strings.ContainsAny(strings.ReplaceAll(q, "<->", ""), "|&!:()*") {
			t.Errorf("%q: tsquery %s holds an operator", s, q)
		}
	}
}

// Two handles on one database — two server processes — see each other's
// writes at once: the in-memory index follows data_version.
func TestTwoHandles(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		a, b := openDSN(t, dsn), openDSN(t, dsn)
		count := func(db *DB, f sihub.CompanyFilter) int {
			t.Helper()
			p, err := db.FindCompanies(ctx, f, true)
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		if n := count(b, sihub.CompanyFilter{}); n != 0 {
			t.Fatalf("new database lists %d companies", n)
		}
		c := company(1000, "Cơ khí Tân Tiến")
		mustCreate(t, a, c)
		if n := count(b, sihub.CompanyFilter{Words: []string{"tien"}}); n != 1 {
			t.Errorf("the other handle finds %d companies after a create", n)
		}
		if err := a.SetVerified(ctx, c.ID, true, "lan"); err != nil {
			t.Fatal(err)
		}
		yes := true
		if n := count(b, sihub.CompanyFilter{Verified: &yes}); n != 1 {
			t.Errorf("the other handle finds %d verified companies", n)
		}
		u, _ := b.Company(ctx, c.ID)
		u.Name = "Nhựa Bình Minh"
		if err := b.UpdateCompany(ctx, u); err != nil {
			t.Fatal(err)
		}
		if n := count(a, sihub.CompanyFilter{Words: []string{"binh"}}); n != 1 {
			t.Errorf("the first handle finds %d companies after an update", n)
		}
		if _, _, err := a.UpsertCompanies(ctx, genSeq(20, "v1")); err != nil {
			t.Fatal(err)
		}
		if err := a.SetArchived(ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if n := count(b, sihub.CompanyFilter{}); n != 20 {
			t.Errorf("the other handle lists %d companies, want 20", n)
		}
		if n := count(a, sihub.CompanyFilter{}); n != 20 {
			t.Errorf("the first handle lists %d companies, want 20", n)
		}
		if a.cache.idx.version != b.cache.idx.version {
			t.Errorf("data versions %d and %d", a.cache.idx.version, b.cache.idx.version)
		}
	})
}

// Several processes starting on a new database at once all succeed, and
// the migrations are applied once.
func TestConcurrentOpen(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				db, err := Open(ctx, dsn, testOptions())
				if err == nil {
					err = db.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		db := openDSN(t, dsn)
		var n, versions int
		if err := db.r.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := db.r.QueryRow("SELECT COUNT(*) FROM data_version").Scan(&versions); err != nil {
			t.Fatal(err)
		}
		ms, _ := migrations(dialect)
		if n != len(ms) || versions != 1 {
			t.Errorf("%d migrations recorded (%d embedded), %d data_version rows", n, len(ms), versions)
		}
	})
}

// Writers from two handles queue: of two edits of the same profile
// version, one succeeds and the other is refused as stale, and of two
// creations of one tax code, one succeeds.
func TestConcurrentWriters(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		a, b := openDSN(t, dsn), openDSN(t, dsn)
		c := company(1, "Gốc")
		mustCreate(t, a, c)
		for round := range 10 {
			x, _ := a.Company(ctx, c.ID)
			y, _ := b.Company(ctx, c.ID)
			x.Name, y.Name = fmt.Sprint("A", round), fmt.Sprint("B", round)
			var (
				wg   sync.WaitGroup
				errs [2]error
			)
			wg.Go(func() { errs[0] = a.UpdateCompany(ctx, x) })
			wg.Go(func() { errs[1] = b.UpdateCompany(ctx, y) })
			wg.Wait()
			codes := []sihub.Code{sihub.ErrorCode(errs[0]), sihub.ErrorCode(errs[1])}
			slices.Sort(codes)
			if !slices.Equal(codes, []sihub.Code{"", sihub.ErrPrecondition}) {
				t.Fatalf("round %d: concurrent edits of one version: %v, %v", round, errs[0], errs[1])
			}
			var (
				created [2]error
				tc      = company(100+round, "Mới")
			)
			wg.Go(func() { created[0] = a.CreateCompany(ctx, company(100+round, "Mới A")) })
			wg.Go(func() { created[1] = b.CreateCompany(ctx, company(100+round, "Mới B")) })
			wg.Wait()
			codes = []sihub.Code{sihub.ErrorCode(created[0]), sihub.ErrorCode(created[1])}
			slices.Sort(codes)
			if !slices.Equal(codes, []sihub.Code{"", sihub.ErrConflict}) {
				t.Fatalf("round %d: concurrent creations of %s: %v, %v", round, tc.TaxCode, created[0], created[1])
			}
		}
	})
}

// agreeQueries are the directory queries TestDialectsAgree and TestCopy
// compare: search box queries (parsed by match), raw terms and words,
// filters and every sort.
func agreeQueries() []sihub.CompanyFilter {
	yes := true
	var fs []sihub.CompanyFilter
	for _, q := range []string{"", "ép nhựa", "khuôn", "phay cnc", "gia công cnc", "thinh", "tân", "bulong ốc vít",
		"công ty tân", "hàn", "a", "iso 9001", "dập", "xe máy", `a:* & ! | ( ' \ " <->`, `" OR * NEAR(`} {
		f := sihub.CompanyFilter{Q: q}
		f.Terms, f.Words = match.ParseQuery(q)
		fs = append(fs, f)
	}
	fs = append(fs,
		sihub.CompanyFilter{Words: []string{"m"}},
		sihub.CompanyFilter{Words: []string{"co", "kh"}, Provinces: []string{"79", "74"}},
		sihub.CompanyFilter{Terms: [][]string{{"zpinjectionmolding", "zpblowmolding"}, {"zciso9001", "zciatf16949"}}},
		sihub.CompanyFilter{Processes: []string{"stamping", "deep_drawing"}, Certifications: []string{"iatf16949"}},
		sihub.CompanyFilter{Sectors: []string{"25"}, Verified: &yes, IncludeArchived: true},
		sihub.CompanyFilter{SizeBands: []string{sihub.SizeMedium, sihub.SizeLarge}, Kind: sihub.Buyer},
		sihub.CompanyFilter{Parks: []string{"KCN VSIP"}, Words: []string{"c"}},
		sihub.CompanyFilter{Limit: 7, Offset: 14, Words: []string{"t"}},
	)
	var out []sihub.CompanyFilter
	for _, f := range fs {
		for _, s := range sihub.SortOrders {
			f.Sort = s
			if f.Limit == 0 {
				f.Limit = 60
			}
			out = append(out, f)
		}
	}
	return out
}

// agreeLoad fills db with the same companies, verifications and archives.
func agreeLoad(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	seq := func(yield func(*sihub.Company, error) bool) {
		for i := range n {
			c := genCompany(i, "v1")
			if i%3 == 0 {
				c.Capabilities[0].Source = sihub.Inferred
				c.Capabilities[0].Core = false
			}
			if !yield(c, nil) {
				return
			}
		}
	}
	if _, _, err := db.UpsertCompanies(ctx, seq); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if i%6 == 0 {
			if err := db.SetVerified(ctx, int64(i), true, "t"); err != nil {
				t.Fatal(err)
			}
		}
		if i%11 == 0 {
			if err := db.SetArchived(ctx, int64(i), true); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// results runs the queries on db: for each, the ids of the page, the total,
// the facets and the ids EachCompany yields.
func results(t *testing.T, db *DB, fs []sihub.CompanyFilter) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, f := range fs {
		p, err := db.FindCompanies(ctx, f, true)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "q=%q terms=%q words=%q sort=%s: total %d, page", f.Q, f.Terms, f.Words, f.Sort, p.Total)
		for _, c := range p.Items {
			fmt.Fprintf(&b, " %d", c.ID)
		}
		fmt.Fprintf(&b, "\n\tfacets %+v\n\teach", *p.Facets)
		for c, err := range db.EachCompany(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, " %d", c.ID)
		}
		out = append(out, b.String())
	}
	return out
}

// The same data in both engines gives the same pages, in the same order,
// with the same totals and facets, for search box queries, raw terms and
// words, filters and every sort.
func TestDialectsAgree(t *testing.T) {
	t.Parallel()
	opt := Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: slog.New(slog.DiscardHandler)}
	sq := openWith(t, testdb.DSN(t, "sqlite"), opt)
	pg := openWith(t, testdb.DSN(t, "postgres"), opt)
	const n = 600
	agreeLoad(t, sq, n)
	agreeLoad(t, pg, n)
	fs := agreeQueries()
	a, b := results(t, sq, fs), results(t, pg, fs)
	matched, ranked := 0, 0
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("the engines disagree:\nsqlite   %s\npostgres %s", a[i], b[i])
		}
		if !strings.Contains(a[i], "total 0,") {
			matched++
			if fs[i].Sort == sihub.SortRelevance && len(fs[i].Terms)+len(fs[i].Words) > 0 {
				ranked++
			}
		}
	}
	// The comparison means something only if the queries find companies.
	if matched < len(fs)*3/4 || ranked < 10 {
		t.Errorf("only %d of %d queries match, %d ranked", matched, len(fs), ranked)
	}
}

// A search_path naming no existing schema is the operator's mistake, said
// so, not an internal error.
func TestPostgresMissingSchema(t *testing.T) {
	t.Parallel()
	dsn := testdb.DSN(t, "postgres")
	dsn = strings.Replace(dsn, "search_path=t_", "search_path=missing_", 1)
	_, err := Open(context.Background(), dsn, testOptions())
	wantCode(t, err, sihub.ErrInvalid)
}

// Opening an up-to-date database takes no write lock: a backup or a second
// server opens it while a writer holds a transaction open.
func TestOpenBesideAWriter(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		db := openDSN(t, dsn)
		err := db.write(ctx, "hold", func(tx *sql.Tx) error {
			if err := bumpVersion(ctx, tx); err != nil {
				return err
			}
			// The write lock is held until this returns.
			opened, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			other, err := Open(opened, dsn, testOptions())
			if err != nil {
				return fmt.Errorf("open beside a writer: %w", err)
			}
			return other.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
