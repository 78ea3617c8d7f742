package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
	"golang.org/x/text/unicode/norm"
)

// The store's tests run on real databases. forEachDialect runs a test once
// per engine, each on a new empty database: SQLite always, PostgreSQL when
// SIHUB_TEST_POSTGRES holds a server URL (see package testdb: a schema per
// test; skipped when unset, failed when unset under CI=true). The dialect
// subtests run in parallel.
func forEachDialect(t *testing.T, fn func(t *testing.T, db *DB)) {
	eachDialect(t, func(t *testing.T, dialect string) { fn(t, openTest(t, dialect)) })
}

// eachDialect runs fn once per engine, for tests that open their own
// databases (openTest, testdb.DSN).
func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// openTest opens a new, empty database of the dialect, closed when the test
// ends.
func openTest(t testing.TB, dialect string) *DB {
	return openDSN(t, testdb.DSN(t, dialect))
}

// openTestDB opens a new SQLite database in a temporary directory.
func openTestDB(t testing.TB) *DB { return openTest(t, "sqlite") }

func openDSN(t testing.TB, dsn string) *DB {
	t.Helper()
	return openWith(t, dsn, testOptions())
}

func openWith(t testing.TB, dsn string, opt Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

func testOptions() Options {
	return Options{Index: testIndex, SortKey: fold, Logger: slog.New(slog.DiscardHandler)}
}

// fold is a small stand-in for match.Fold, so that these tests do not
// depend on package match: lower case, no diacritics, đ → d.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// testIndex is a small stand-in for match.IndexTokens: the folded words of
// the text fields, and one token per recognized process ("zp" and the code
// without underscores), certification ("zc…") and material ("zm…").
func testIndex(c *sihub.Company) []string {
	var toks []string
	for _, s := range []string{c.Name, c.NameEn, c.Products, c.Description, c.CapabilitiesText, c.IndustrialPark} {
		toks = append(toks, strings.FieldsFunc(fold(s), notAlnum)...)
	}
	code := func(prefix, c string) string { return prefix + strings.ReplaceAll(c, "_", "") }
	for _, x := range c.Capabilities {
		toks = append(toks, code("zp", x.Process))
	}
	for _, x := range c.Certifications {
		toks = append(toks, code("zc", x.Scheme))
	}
	for _, x := range c.Materials {
		toks = append(toks, code("zm", x.Code))
	}
	return toks
}

// taxCode returns the n-th valid ten-digit tax code of a deterministic
// sequence (province prefix 03).
func taxCode(n int) string {
	// A stride of 11 leaves room for the serials whose check digit does not
	// exist, so that no two n share a code.
	for serial := n * 11; ; serial++ {
		first9 := fmt.Sprintf("03%07d", serial%10_000_000)
		if d := sihub.TaxCheckDigit(first9); d >= 0 {
			return fmt.Sprintf("%s%d", first9, d)
		}
	}
}

// company returns a valid company with tax code taxCode(n).
func company(n int, name string, edit ...func(*sihub.Company)) *sihub.Company {
	c := &sihub.Company{
		Kind:    sihub.Supplier,
		TaxCode: taxCode(n),
		Name:    name,
	}
	for _, e := range edit {
		e(c)
	}
	return c
}

func mustCreate(t testing.TB, db *DB, cs ...*sihub.Company) {
	t.Helper()
	for _, c := range cs {
		if err := db.CreateCompany(context.Background(), c); err != nil {
			t.Fatalf("create %s: %v", c.Name, err)
		}
	}
}

// dump returns every company in the database (archived too) with its
// documents, as JSON, to compare database states.
func dump(t testing.TB, db *DB) string { return dumpOf(t, db, nil) }

// dumpOf is dump restricted to some tax codes (all when nil).
func dumpOf(t testing.TB, db *DB, taxCodes []string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{IncludeArchived: true, Sort: sihub.SortName, TaxCodes: taxCodes}) {
		if err != nil {
			t.Fatal(err)
		}
		full, err := db.Company(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(full)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

func wantCode(t testing.TB, err error, code sihub.Code) {
	t.Helper()
	if got := sihub.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if code != "" && code != sihub.ErrInternal {
		m := sihub.ErrorMsg(err)
		if m.VI == "" || m.EN == "" || m.VI == m.EN {
			t.Errorf("error %v: message not bilingual: %+v", err, m)
		}
	}
}
