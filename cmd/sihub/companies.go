package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/web"
)

// importKinds are what `sihub import` reads: each a template, its help,
// and the sheet function importing it.
var importKinds = map[string]struct {
	about string
	run   func(ctx context.Context, e *env, path string, opt sheet.Options, db *store.DB) (*sheet.Report, error)
}{
	"companies": {
		"Import companies from a CSV (UTF-8, UTF-16, Windows-1258; comma, semicolon or tab) or XLSX file in the\n" +
			"import template's columns, with Vietnamese or English headers. Companies are matched by tax code, so\n" +
			"importing the same file again changes nothing.",
		func(ctx context.Context, e *env, path string, opt sheet.Options, db *store.DB) (*sheet.Report, error) {
			opt.Progress = e.progress()
			defer e.endProgress()
			return sheet.ImportCompanies(ctx, path, opt, db)
		},
	},
	"demands": {
		"Import a buyer's part list — demands — from a CSV or XLSX file in the demand template's columns:\n" +
			"buyer_tax_code, buyer_name, ref, title, title_en, description, capabilities, material, certifications,\n" +
			"annual_volume, unit, min_capacity, delivery_province, deadline (and optionally status, visibility).\n" +
			"Demands are matched by buyer and ref, so importing the list again updates them; unknown buyers are\n" +
			"created as buyer companies. A requirement left out of its column is read from the titles and the\n" +
			"description.",
		func(ctx context.Context, e *env, path string, opt sheet.Options, db *store.DB) (*sheet.Report, error) {
			return sheet.ImportDemands(ctx, path, opt, db)
		},
	},
}

// cmdImport runs `sihub import companies|demands [flags] FILE`.
func cmdImport(ctx context.Context, e *env, args []string) error {
	const usage = "Usage: sihub import companies|demands [flags] FILE"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(e.stdout, usage)
		return nil
	}
	var kind string
	if len(args) > 0 {
		kind = args[0]
	}
	k, ok := importKinds[kind]
	if !ok {
		fmt.Fprintln(e.stderr, usage)
		return errors.New("import: say what to import: companies or demands")
	}
	fs, dsn := e.flags("import "+kind, "FILE", k.about+
		" A file with any invalid row changes nothing unless\n--skip-invalid is given. The per-row report goes to stdout.")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	skip := fs.Bool("skip-invalid", false, "import the valid rows and report the others")
	langFlag := fs.String("lang", "vi", "language of the report: vi or en")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	lang, err := parseLang(*langFlag)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("import %s needs exactly one FILE", kind)
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := k.run(ctx, e, fs.Arg(0), sheet.Options{DryRun: *dry, SkipInvalid: *skip}, db)
	if err != nil {
		return userError(err)
	}
	if err := rep.WriteText(e.stdout, lang); err != nil {
		return err
	}
	if !rep.Committed && !rep.DryRun {
		return errors.New("nothing was imported: fix the rows listed above, or use --skip-invalid")
	}
	if rep.DryRun && rep.Invalid > 0 {
		return fmt.Errorf("%d invalid rows", rep.Invalid)
	}
	return nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "companies" && args[0] != "-h" && args[0] != "--help") {
		fmt.Fprintln(e.stderr, "Usage: sihub export companies [flags]")
		return errors.New("export: say what to export: companies")
	}
	if args[0] != "companies" {
		fmt.Fprintln(e.stdout, "Usage: sihub export companies [flags]")
		return nil
	}
	fs, dsn := e.flags("export companies", "",
		"Export the directory, filtered, in the import template's columns: the file imports back unchanged.")
	format := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("o", "", "write to this file instead of stdout")
	// The filter flags are the directory's URL parameters, read by the same
	// parser as the web pages and the API.
	q := url.Values{}
	param := func(name, usage string) {
		fs.Func(name, usage, func(v string) error { q.Add(name, v); return nil })
	}
	param("q", "search text, as in the directory's search box")
	param("province", "2025 province code, e.g. 79 (repeatable)")
	param("process", "process code, e.g. injection_molding (repeatable)")
	param("cert", "certification code, e.g. iso9001 (repeatable)")
	param("sector", "VSIC code or division, e.g. 22 (repeatable)")
	param("park", "industrial park name (repeatable)")
	param("size", "size band: micro, small, medium, large (repeatable)")
	param("kind", "supplier, buyer or both")
	param("sort", "name (default), relevance, employees, founded, updated")
	verified := fs.Bool("verified", false, "only companies verified by the center")
	archived := fs.Bool("include-archived", false, "include archived companies")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errors.New("export companies takes no arguments")
	}
	var ff sheet.Format
	switch *format {
	case "csv":
		ff = sheet.FormatCSV
	case "xlsx":
		ff = sheet.FormatXLSX
	default:
		return fmt.Errorf("unknown format %q: use csv or xlsx", *format)
	}
	if *verified {
		q.Set("verified", "true")
	}
	if *archived {
		q.Set("include_archived", "1")
	}
	if !q.Has("sort") {
		q.Set("sort", sihub.SortName)
	}
	f, err := web.ParseCompanyFilter(q, true)
	if err != nil {
		return userError(err)
	}
	f.Limit, f.Offset = 0, 0 // an export is every match

	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	if *out == "" {
		return userError(sheet.WriteCompanies(e.stdout, ff, db.EachCompany(ctx, f)))
	}
	// Write beside the target and rename, so that a failed export neither
	// leaves half a file nor destroys one that was there.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".sihub-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = sheet.WriteCompanies(tmp, ff, db.EachCompany(ctx, f))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return userError(err)
	}
	return os.Rename(tmp.Name(), *out)
}

func cmdReindex(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("reindex", "",
		"Run SIHub's recognizer again over every company's text — capabilities, materials, certifications,\n"+
			"equipment, address — and save what it finds. Run it after upgrading SIHub, whose vocabularies grow.")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var ids []int64
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{IncludeArchived: true}) {
		if err != nil {
			return err
		}
		ids = append(ids, c.ID)
	}
	changed, failed := 0, 0
	progress := e.progress()
	for i, id := range ids {
		if progress != nil && i%100 == 0 {
			progress("reindex", i)
		}
		c, err := db.Company(ctx, id)
		if err != nil {
			return err
		}
		before := recognized(c)
		if err := match.Prepare(c); err != nil {
			failed++
			e.log.Warn("company no longer valid; left as it was", "id", id, "tax_code", c.TaxCode, "problem", err)
			continue
		}
		if recognized(c) == before {
			continue
		}
		if err := db.UpdateCompany(ctx, c); err != nil {
			return err
		}
		changed++
	}
	e.endProgress()
	fmt.Fprintf(e.stdout, "%d companies read, %d changed, %d left as they were because they no longer validate\n", len(ids), changed, failed)
	return nil
}

// recognized is what reindexing may change, in a comparable form.
func recognized(c *sihub.Company) string {
	b, _ := json.Marshal([]any{nz(c.Capabilities), nz(c.Materials), nz(c.Certifications), nz(c.Equipment),
		c.ProvinceCode, c.WardCode, c.IndustrialPark, nz(c.Sectors)})
	return string(b)
}

// nz makes a nil list empty: stored and freshly recognized lists differ only
// in that.
func nz[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// progress returns a progress callback that redraws one line on stderr when
// stderr is a terminal, and nil otherwise (logs stay clean in pipelines).
func (e *env) progress() func(phase string, rows int) {
	if !isTerminal(e.stderr) {
		return nil
	}
	start := time.Now()
	return func(phase string, rows int) {
		fmt.Fprintf(e.stderr, "\r%-8s %9d rows  %5.1fs", phase, rows, time.Since(start).Seconds())
	}
}

func (e *env) endProgress() {
	if isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr)
	}
}

// isTerminal reports whether v, stdin or stdout or stderr, is a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
