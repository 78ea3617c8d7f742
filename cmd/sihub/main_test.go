package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// sihubCmd runs the CLI in-process with an empty environment and returns
// stdout, stderr and the error run returned.
func sihubCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return sihubIn(t, "", args...)
}

// sihubIn is sihubCmd with stdin.
func sihubIn(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, noEnv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

const suppliersCSV = "../../internal/sheet/testdata/suppliers.csv"

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"import", "companies", "--help"}, {"export", "companies", "--help"},
		{"migrate", "--help"}, {"backup", "--help"}, {"version", "--help"}, {"reindex", "--help"}, {"copy", "--help"},
		{"users", "add", "--help"}, {"tokens", "add", "--help"}, {"audit", "head", "--help"}, {"audit", "verify", "--help"},
	} {
		out, _, err := sihubCmd(t, args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out, "Usage: sihub") {
			t.Errorf("%v printed no usage on stdout:\n%s", args, out)
		}
		if args[0] != "--help" && !strings.Contains(out, "-db") {
			t.Errorf("%v: usage does not mention --db:\n%s", args, out)
		}
	}
	if _, _, err := sihubCmd(t, "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
	if _, _, err := sihubCmd(t); err == nil {
		t.Error("no command succeeded")
	}
}

func TestMigrateCreatesDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	out, _, err := sihubCmd(t, "migrate", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "schema up to date") {
		t.Errorf("migrate printed %q", out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
	// A second run applies nothing and still succeeds.
	if out, _, err := sihubCmd(t, "migrate", "--db", db); err != nil || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: %q, %v", out, err)
	}
}

func TestDBFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "SIHUB_DB" {
			return db
		}
		return ""
	}
	if err := run(context.Background(), []string{"migrate"}, getenv, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("SIHUB_DB was not used: %v", err)
	}
}

// Importing the benchmark's supplier list gives a clean report; importing it
// again changes nothing; the export imports back unchanged.
func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	out, stderr, err := sihubCmd(t, "import", "companies", "--db", db, suppliersCSV)
	if err != nil {
		t.Fatalf("import: %v\n%s\n%s", err, out, stderr)
	}
	if !strings.Contains(out, "400") {
		t.Errorf("report does not count 400 rows:\n%s", out)
	}
	if strings.Contains(out, "row ") && strings.Contains(strings.ToLower(out), "error") {
		t.Errorf("report shows errors:\n%s", out)
	}
	// Flags may follow the file, as people type them.
	if out, _, err := sihubCmd(t, "import", "companies", suppliersCSV, "--db", db, "--lang", "vi"); err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}

	exp1 := filepath.Join(dir, "export1.csv")
	if _, _, err := sihubCmd(t, "export", "companies", "--db", db, "-o", exp1); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(dir, "b.db")
	if out, _, err := sihubCmd(t, "import", "companies", "--db", db2, exp1); err != nil {
		t.Fatalf("import of the export: %v\n%s", err, out)
	}
	exp2, _, err := sihubCmd(t, "export", "companies", "--db", db2)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := os.ReadFile(exp1)
	if string(b1) != exp2 {
		t.Error("the export of the re-imported export differs from the first export")
	}
	if !bytes.HasPrefix(b1, []byte("\uFEFF")) {
		t.Error("CSV export has no BOM")
	}

	// XLSX export writes a workbook.
	xl := filepath.Join(dir, "e.xlsx")
	if _, _, err := sihubCmd(t, "export", "companies", "--db", db, "--format", "xlsx", "-o", xl); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(xl); !bytes.HasPrefix(b, []byte("PK")) {
		t.Error("xlsx export is not a zip")
	}

	// Filters narrow the export.
	filtered, _, err := sihubCmd(t, "export", "companies", "--db", db, "--q", "plastic injection", "--province", "79")
	if err != nil {
		t.Fatal(err)
	}
	n := strings.Count(filtered, "\r\n") - 1
	if n <= 0 || n >= 400 {
		t.Errorf("filtered export has %d rows", n)
	}
	if _, _, err := sihubCmd(t, "export", "companies", "--db", db, "--process", "nonsense"); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("export with an unknown process code: %v", err)
	}
	sized, _, err := sihubCmd(t, "export", "companies", "--db", db, "--size", "micro", "--size", "small", "--sort", "employees")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(sized, "\r\n") - 1; n <= 0 || n >= 400 {
		t.Errorf("size-filtered export has %d rows", n)
	}
	if _, _, err := sihubCmd(t, "export", "companies", "--db", db, "--format", "pdf", "-o", exp1); err == nil {
		t.Error("export --format pdf succeeded")
	}
	if b, _ := os.ReadFile(exp1); len(b) == 0 {
		t.Error("a failed export destroyed the file already at -o")
	}
	if _, _, err := sihubCmd(t, "import", "companies", "--db", db, "--lang", "fr", suppliersCSV); err == nil {
		t.Error("--lang fr was accepted")
	}
}

// A file with a bad row changes nothing and exits non-zero; --dry-run writes
// nothing; --skip-invalid imports the good rows.
func TestImportRejects(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("tax_code,name,province\n0100112437,Công ty A,Hà Nội\n0100112438,Công ty B,Hà Nội\n"), 0o600)
	out, _, err := sihubCmd(t, "import", "companies", "--db", db, bad)
	if err == nil {
		t.Fatalf("a file with a bad tax code was accepted:\n%s", out)
	}
	if !strings.Contains(out, "3") || !strings.Contains(out, "tax_code") {
		t.Errorf("report does not point at row 3, tax_code:\n%s", out)
	}
	if n := countCompanies(t, db); n != 0 {
		t.Fatalf("rejected import stored %d companies", n)
	}
	if _, _, err := sihubCmd(t, "import", "companies", "--db", db, "--dry-run", bad); err == nil {
		t.Error("dry run of a bad file exited 0")
	}
	if out, _, err := sihubCmd(t, "import", "companies", "--db", db, "--skip-invalid", bad); err != nil {
		t.Fatalf("skip-invalid: %v\n%s", err, out)
	}
	if n := countCompanies(t, db); n != 1 {
		t.Fatalf("skip-invalid stored %d companies; want 1", n)
	}
	garbage := filepath.Join(dir, "garbage.bin")
	os.WriteFile(garbage, bytes.Repeat([]byte{0, 1, 2, 0xff, 0xfe, 0x80}, 10000), 0o600)
	if _, _, err := sihubCmd(t, "import", "companies", "--db", db, garbage); err == nil {
		t.Error("garbage was accepted")
	}
	if _, _, err := sihubCmd(t, "import", "companies", "--db", db, filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func countCompanies(t *testing.T, path string) int {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{Index: match.IndexTokens})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.FindCompanies(context.Background(), sihub.CompanyFilter{IncludeArchived: true, Limit: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// TestBackupRestore backs up a database while another connection writes to
// it, then restores the copy the way docs/OPERATIONS.md says and checks the
// restored directory is whole.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	if out, _, err := sihubCmd(t, "import", "companies", "--db", path, suppliersCSV); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ctx := context.Background()
	live, err := store.Open(ctx, path, store.Options{Index: match.IndexTokens})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()

	// Keep writing while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		page, err := live.FindCompanies(ctx, sihub.CompanyFilter{Limit: 50}, false)
		if err != nil {
			t.Error(err)
			return
		}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := page.Items[i%len(page.Items)]
			c.Description = strings.Repeat("x", i%7) + " cập nhật"
			if err := live.UpdateCompany(ctx, c); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	backup := filepath.Join(dir, "backup.db")
	_, stderr, err := sihubCmd(t, "backup", "--db", path, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	if _, _, err := sihubCmd(t, "backup", "--db", path, backup); err == nil {
		t.Error("backup overwrote an existing file")
	}

	// Restore: put the copy in place of a database and open it.
	restored := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if n := countCompanies(t, restored); n != 400 {
		t.Fatalf("restored database has %d companies; want 400", n)
	}
	out, _, err := sihubCmd(t, "export", "companies", "--db", restored)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\r\n") != 401 {
		t.Errorf("restored export has %d lines", strings.Count(out, "\r\n"))
	}
}

// --demo loads the demo companies into an empty database only: never a
// second time, never beside real data.
func TestDemoOnlyIntoEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	var stderr bytes.Buffer
	e := &env{getenv: noEnv, stdout: &bytes.Buffer{}, stderr: &stderr}
	e.log = slogDiscard()
	open := func(path string) *store.DB {
		db, err := store.Open(ctx, path, store.Options{Index: match.IndexTokens, Logger: e.log})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}

	db := open(filepath.Join(t.TempDir(), "demo.db"))
	if err := loadDemo(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Companies < 150 || st.Verified == 0 || st.Verified == st.Companies {
		t.Fatalf("demo loaded %d companies, %d verified", st.Companies, st.Verified)
	}
	if err := loadDemo(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.Stats(ctx); again.Companies != st.Companies {
		t.Errorf("a second --demo changed the count from %d to %d", st.Companies, again.Companies)
	}

	real := filepath.Join(t.TempDir(), "real.db")
	if out, _, err := sihubCmd(t, "import", "companies", "--db", real, suppliersCSV); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rdb := open(real)
	if err := loadDemo(ctx, e, rdb); err != nil {
		t.Fatal(err)
	}
	if n := countCompanies(t, real); n != 400 {
		t.Errorf("--demo mixed demo data into a database with real companies: %d companies", n)
	}
}

func slogDiscard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// reindex re-runs recognition: a company stored with stale recognized lists
// gets them recomputed from its text; a second run changes nothing.
func TestReindex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := store.Open(ctx, path, store.Options{Index: match.IndexTokens})
	if err != nil {
		t.Fatal(err)
	}
	c := &sihub.Company{TaxCode: "0100112437", Name: "Công ty TNHH Ví Dụ", CapabilitiesText: "ép nhựa; làm khuôn"}
	// Stored as an older SIHub would have: text, but nothing recognized.
	if err := db.CreateCompany(ctx, c); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err := sihubCmd(t, "reindex", "--db", path)
	if err != nil || !strings.Contains(out, "1 changed") {
		t.Fatalf("reindex: %q, %v", out, err)
	}
	db, err = store.Open(ctx, path, store.Options{Index: match.IndexTokens})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.CompanyByTaxCode(ctx, "0100112437")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasProcess("injection_molding") || !got.HasProcess("mold_making") {
		t.Errorf("reindex did not recognize the capabilities: %+v", got.Capabilities)
	}
	if out, _, err := sihubCmd(t, "reindex", "--db", path); err != nil || !strings.Contains(out, "0 changed") {
		t.Errorf("second reindex: %q, %v", out, err)
	}
}

// A SQLite deployment copied to PostgreSQL shows the same directory, and
// copying again is harmless.
func TestCopyToPostgres(t *testing.T) {
	if !slices.Contains(storetest.Dialects(t), "postgres") {
		return // storetest skipped or failed the PostgreSQL suite already
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "a.db")
	if out, _, err := sihubCmd(t, "import", "companies", "--db", src, suppliersCSV); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	pg := storetest.DSN(t, "postgres")
	out, stderr, err := sihubCmd(t, "copy", "--from", src, "--to", pg)
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "companies") || !strings.Contains(out, "400") {
		t.Errorf("copy report: %s", out)
	}
	a, _, err := sihubCmd(t, "export", "companies", "--db", src)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := sihubCmd(t, "export", "companies", "--db", pg)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the PostgreSQL copy exports differently from the SQLite original")
	}
	if out, _, err := sihubCmd(t, "copy", "--from", src, "--to", pg); err != nil || !strings.Contains(out, "identical") {
		t.Errorf("second copy: %q, %v", out, err)
	}
}
