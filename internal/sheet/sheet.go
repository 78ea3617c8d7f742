// Package sheet reads and writes the spreadsheets SIHub exchanges with people:
// company lists as CSV or XLSX, the empty import templates, and the row
// reports an import produces. The CLI and the web import page share it, so a
// file is judged the same way whichever door it comes through.
//
// Suppliers live in Excel, so reading is forgiving about what Excel and older
// Vietnamese software produce — BOMs, UTF-16 "Unicode text", Windows-1258,
// the legacy TCVN3 (ABC) and VNI font encodings, semicolon delimiters, tax
// codes that lost their leading zero — and strict about what it cannot
// repair: it names the problem instead of storing mojibake.
package sheet

import (
	"context"
	"iter"
	"path/filepath"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Format is a spreadsheet file format.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// ParseFormat returns the format named by s — "csv", "xlsx", or a file name
// with one of those extensions — and false for anything else.
func ParseFormat(s string) (Format, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if e := filepath.Ext(s); e != "" {
		s = e[1:]
	}
	switch s {
	case "csv":
		return FormatCSV, true
	case "xlsx":
		return FormatXLSX, true
	}
	return "", false
}

// Encodings reported in Report.Encoding.
const (
	EncUTF8        = "UTF-8"
	EncUTF8BOM     = "UTF-8 BOM"
	EncUTF16LE     = "UTF-16LE"
	EncUTF16BE     = "UTF-16BE"
	EncWindows1258 = "Windows-1258"
	EncTCVN3       = "TCVN3"
	EncVNI         = "VNI"
	EncXLSX        = "XLSX"
)

// Column is one column of an import template.
type Column struct {
	Key    string // the stable column name, used in exports and reports
	VI, EN string // the header as shown in a Vietnamese or English template
	// NoteVI and NoteEN explain what to write; they become the header cell's
	// comment in the XLSX template and the instructions sheet.
	NoteVI, NoteEN string
	Aliases        []string // other accepted header spellings
	Required       bool
}

// Label returns the column's header in lang.
func (c Column) Label(lang sihub.Lang) string {
	if lang == sihub.EN {
		return c.EN
	}
	return c.VI
}

// Note returns the column's explanation in lang.
func (c Column) Note(lang sihub.Lang) string {
	if lang == sihub.EN {
		return c.NoteEN
	}
	return c.NoteVI
}

// Problem is something wrong (or, with Warning, worth knowing) about a file.
type Problem struct {
	Row     int    // spreadsheet row number, the header being row 1; 0 for the whole file
	Column  string // Column.Key, "" when the problem is not about one column
	Msg     sihub.Msg
	Warning bool // the row was still imported (e.g. a repaired tax code)
}

// Report is the outcome of an import.
type Report struct {
	File   string
	Format string // "csv" or "xlsx"
	// Encoding as detected: "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE",
	// "Windows-1258", "TCVN3", "VNI" or "XLSX".
	Encoding string

	Rows    int // data rows, blank rows not counted
	Valid   int
	Invalid int
	Created int // companies (or demands) written that were new
	Updated int // companies (or demands) written that were already in the store
	// WouldCreate and WouldUpdate are, after a dry run against a store that
	// implements TaxCodeChecker, what writing the valid rows would do; both
	// are 0 otherwise.
	WouldCreate int
	WouldUpdate int

	DryRun      bool
	SkipInvalid bool
	Committed   bool // the valid rows were written

	Problems []Problem
	// Omitted counts problems not listed because Problems reached its cap.
	Omitted int

	demands bool // a report on a demand list rather than a company list
}

// maxProblems bounds the report of a file that is wrong on every row; the
// counts stay exact.
const maxProblems = 10000

func (r *Report) add(p Problem) {
	if len(r.Problems) >= maxProblems {
		r.Omitted++
		return
	}
	r.Problems = append(r.Problems, p)
}

// Errors returns the number of listed problems that are not warnings.
func (r *Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Warning {
			n++
		}
	}
	return n
}

// Options control an import.
type Options struct {
	DryRun      bool // validate and report only
	SkipInvalid bool // write the valid rows even when some are invalid
	// Name is the file name shown in the report (an upload's original name);
	// "" means the base name of the path.
	Name string
	// Progress, when set, is called with phase "validate" or "write" and the
	// number of rows done, every 1000 rows and at the end of each phase.
	Progress func(phase string, rows int)
}

// CompanyStore receives the companies of an import.
type CompanyStore interface {
	// UpsertCompanies creates or updates, by tax code, every company seq
	// yields, in one transaction: an error from seq or from the store rolls
	// everything back. (*store.DB implements it.)
	UpsertCompanies(ctx context.Context, seq iter.Seq2[*sihub.Company, error]) (created, updated int, err error)
}
