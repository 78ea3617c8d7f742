package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sihub-org/sihub/internal/sheet"
)

// cmdImportAny sends "import demands" to cmdImportDemands and everything
// else to the company import.
func cmdImportAny(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "demands" {
		return cmdImportDemands(ctx, e, args[1:])
	}
	if len(args) == 0 || (args[0] != "companies" && args[0] != "-h" && args[0] != "--help") {
		fmt.Fprintln(e.stderr, "Usage: sihub import companies|demands [flags] FILE")
		return errors.New("import: say what to import: companies or demands")
	}
	return cmdImport(ctx, e, args)
}

func cmdImportDemands(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("import demands", "FILE",
		"Import a buyer's part list — demands — from a CSV or XLSX file in the demand template's columns:\n"+
			"buyer_tax_code, buyer_name, ref, title, title_en, description, capabilities, material, certifications,\n"+
			"annual_volume, unit, min_capacity, delivery_province, deadline (and optionally status, visibility).\n"+
			"Demands are matched by buyer and ref, so importing the list again updates them; unknown buyers are\n"+
			"created as buyer companies. A requirement left out of its column is read from the titles and the\n"+
			"description. A file with any invalid row changes nothing unless --skip-invalid is given. The per-row\n"+
			"report goes to stdout.")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	skip := fs.Bool("skip-invalid", false, "import the valid rows and report the others")
	langFlag := fs.String("lang", "vi", "language of the report: vi or en")
	if err := parse(fs, args); err != nil {
		return err
	}
	lang, err := parseLang(*langFlag)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import demands needs exactly one FILE")
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := sheet.ImportDemands(ctx, fs.Arg(0), sheet.Options{DryRun: *dry, SkipInvalid: *skip}, db)
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
