package sheet

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// rowIter yields the rows of a sheet with their spreadsheet row numbers,
// cells already cleaned. It returns io.EOF at the end.
type rowIter interface {
	next() (cells []string, row int, err error)
	close() error
}

// source is a readable spreadsheet file; open starts a pass over it.
type source struct {
	format   Format
	encoding string
	comma    rune // the CSV delimiter; 0 for XLSX
	open     func() (rowIter, error)
}

// openSource tells a file's type and encoding from its content.
func openSource(path string) (*source, error) {
	head, _, err := readHead(path)
	if err != nil {
		return nil, err
	}
	isZip, err := sniffType(head)
	if err != nil {
		return nil, err
	}
	if isZip {
		x, err := openXLSX(path)
		if err != nil {
			return nil, err
		}
		return &source{format: FormatXLSX, encoding: x.encoding(), open: x.rows}, nil
	}
	f, err := openCSV(path, head)
	if err != nil {
		return nil, err
	}
	return &source{format: FormatCSV, encoding: f.encoding, comma: f.comma, open: f.rows}, nil
}

// headerSearch is how many non-blank rows may precede the header (a title,
// a date line) before a file is judged to have none.
const headerSearch = 10

// readHeader finds the header row of a file of template cs: the first row
// naming the required columns among the first few non-blank rows.
func readHeader(it rowIter, cs *columnSet) (layout, int, []Problem, error) {
	var firstErr error
	var skipped []int
	for seen := 0; seen < headerSearch; {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		var br *badRows
		if errors.As(err, &br) {
			// Without a header there is nothing to read the rows against.
			return layout{}, 0, nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.Msg{
				VI: fmt.Sprintf("Dòng %d: %s", br.first, br.msg.VI),
				EN: fmt.Sprintf("Row %d: %s", br.first, br.msg.EN),
			}}
		}
		if err != nil {
			return layout{}, 0, nil, err
		}
		if blank(cells) {
			continue
		}
		seen++
		l, probs, err := cs.mapHeader(cells)
		if err == nil {
			for i := range probs {
				probs[i].Row = row
			}
			if len(skipped) > 0 {
				probs = append(probs, Problem{Row: row, Warning: true, Msg: sihub.M(
					"Bỏ qua %d dòng phía trên dòng tiêu đề (dòng %s).",
					plural(len(skipped), "Ignored %d row above the header row (row %s).", "Ignored %d rows above the header row (rows %s)."),
					len(skipped), rowList(skipped))})
			}
			return l, row, probs, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		skipped = append(skipped, row)
	}
	if firstErr != nil {
		return layout{}, 0, nil, firstErr
	}
	return layout{}, 0, nil, sihub.Errorf(sihub.ErrInvalid, "Tệp không có dòng dữ liệu nào.", "The file has no rows.")
}

func rowList(rows []int) string {
	s := ""
	for i, r := range rows {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(r)
	}
	return s
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// values puts a row's cells in the template's column order.
func (l *layout) values(cells []string, v []string) {
	for i, j := range l.pos {
		if j >= 0 && j < len(cells) {
			v[i] = cells[j]
		} else {
			v[i] = ""
		}
	}
}

// checker validates the rows of a file: the cells against the header, the
// company, then the tax code against the rows before it.
type checker struct {
	l     layout
	comma rune // the CSV delimiter; 0 for XLSX
	v     []string
	seen  map[string]int // tax code → first row
}

func newChecker(l layout, comma rune) *checker {
	return &checker{l: l, comma: comma, v: make([]string, numCompanyColumns), seen: map[string]int{}}
}

func (ch *checker) check(cells []string, row int) (*sihub.Company, []Problem, bool) {
	extra := ch.extraCells(cells)
	if extra != nil && !extra.Warning {
		// The cells are shifted: anything said about them would mislead.
		extra.Row = row
		return nil, []Problem{*extra}, false
	}
	ch.l.values(cells, ch.v)
	c, probs := prepareRow(ch.v)
	if extra != nil {
		probs = append(probs, *extra)
	}
	taxOK := true
	for _, p := range probs {
		if p.Column == "tax_code" && !p.Warning {
			taxOK = false
		}
	}
	if taxOK {
		if first, dup := ch.seen[c.TaxCode]; dup {
			probs = append(probs, Problem{Column: "tax_code", Msg: sihub.M(
				"Mã số thuế %s trùng với dòng %d.", "Tax code %s repeats row %d.", sihub.FormatTaxCode(c.TaxCode), first)})
		} else {
			ch.seen[c.TaxCode] = row
		}
	}
	ok := true
	for i := range probs {
		probs[i].Row = row
		if !probs[i].Warning {
			ok = false
		}
	}
	return c, probs, ok
}

// extraCells reports non-empty cells right of the header's last column. In
// a CSV file they mean the row's cells are shifted — usually by a
// delimiter typed in an unquoted cell — so the row cannot be read; in a
// workbook the cells cannot shift and are only notes without a header.
func (ch *checker) extraCells(cells []string) *Problem {
	last := len(cells) - 1
	for last >= 0 && cells[last] == "" {
		last--
	}
	if last < ch.l.width {
		return nil
	}
	if ch.comma != 0 {
		vi, en := delimiterName(ch.comma)
		return &Problem{Msg: sihub.Msg{
			VI: fmt.Sprintf("Dòng này có %d ô nhưng dòng tiêu đề có %d cột, nên các ô bị lệch và dòng không được đọc. Có lẽ một ô chứa %s mà không đặt trong dấu ngoặc kép: hãy đặt ô đó trong dấu ngoặc kép hoặc bỏ %s đi.",
				last+1, ch.l.width, vi, vi),
			EN: fmt.Sprintf("This row has %d cells but the header has %d columns, so its cells are shifted and it was not read. Probably a cell holds a %s without being quoted: quote that cell or remove the %s.",
				last+1, ch.l.width, en, en),
		}}
	}
	var cols []string
	for j := ch.l.width; j <= last; j++ {
		if cells[j] != "" {
			cols = append(cols, columnLetter(j))
		}
	}
	return &Problem{Warning: true, Msg: sihub.M(
		plural(len(cols), "Bỏ qua ô ở cột %s vì cột này không có tiêu đề.", "Bỏ qua các ô ở cột %s vì các cột này không có tiêu đề."),
		plural(len(cols), "The cell in column %s has no header and was ignored.", "The cells in columns %s have no header and were ignored."),
		strings.Join(cols, ", "))}
}

// delimiterName names a CSV delimiter in Vietnamese and English.
func delimiterName(comma rune) (vi, en string) {
	switch comma {
	case ';':
		return "dấu chấm phẩy (;)", "semicolon (;)"
	case '\t':
		return "ký tự tab", "tab"
	}
	return "dấu phẩy (,)", "comma (,)"
}

// plural picks the English (or any) wording for a count n.
func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}

const progressEvery = 1000

// TaxCodeChecker is implemented by a store that can tell which of a list of
// tax codes it holds, so that a dry run can say how many companies an
// import would create and how many it would update.
type TaxCodeChecker interface {
	// ExistingTaxCodes returns, among codes (compact tax codes), those of
	// the companies the store holds, archived ones included, mapped to true.
	ExistingTaxCodes(ctx context.Context, codes []string) (map[string]bool, error)
}

// taxCodeBatch bounds the codes asked of a TaxCodeChecker at once.
const taxCodeBatch = 1000

// ImportCompanies reads the companies in a CSV or XLSX file and, unless
// opt.DryRun, writes them to st in one transaction.
//
// A first pass reads the file row by row and validates every row — cells,
// recognition of capabilities and places, repeated tax codes — spooling
// each valid company, fully prepared, to a temporary file. Then, if there is
// nothing to stop for (a dry run, no valid rows, invalid rows without
// opt.SkipInvalid), the spooled companies are streamed into
// st.UpsertCompanies. So a file is written completely or not at all, the
// store's transaction does no parsing or recognition and lasts only as long
// as the writing, and memory holds one row at a time and the tax codes seen
// (to report repeats), never the whole file.
//
// A dry run against a store that implements TaxCodeChecker also counts the
// companies the import would create and update.
//
// Row problems go into the report. The error is for a file that cannot be
// read at all (type, encoding, missing columns: a *sihub.Error with a
// bilingual message) and for store failures. The report is nil when the file
// could not be opened or its type or encoding was rejected; st may be nil
// for a dry run.
func ImportCompanies(ctx context.Context, path string, opt Options, st CompanyStore) (*Report, error) {
	name := opt.Name
	if name == "" {
		name = filepath.Base(path)
	}
	if opt.Progress == nil {
		opt.Progress = func(string, int) {}
	}
	src, err := openSource(path)
	if err != nil {
		return nil, err
	}
	if st == nil && !opt.DryRun {
		return nil, errors.New("sheet: ImportCompanies needs a store unless DryRun")
	}
	rep := &Report{File: name, Format: string(src.format), Encoding: src.encoding, DryRun: opt.DryRun, SkipInvalid: opt.SkipInvalid}

	if opt.DryRun {
		tc, ok := st.(TaxCodeChecker)
		if !ok {
			return rep, validate(ctx, src, opt, rep, nil)
		}
		var codes []string
		if err := validate(ctx, src, opt, rep, func(c *sihub.Company) error {
			codes = append(codes, c.TaxCode)
			return nil
		}); err != nil {
			return rep, err
		}
		return rep, predict(ctx, tc, codes, rep)
	}

	sp, err := newSpool()
	if err != nil {
		return rep, err
	}
	defer sp.remove()
	if err := validate(ctx, src, opt, rep, func(c *sihub.Company) error {
		if rep.Invalid > 0 && !opt.SkipInvalid {
			return nil // nothing will be written
		}
		return sp.add(c)
	}); err != nil {
		return rep, err
	}
	if rep.Valid == 0 || (rep.Invalid > 0 && !opt.SkipInvalid) {
		return rep, nil
	}
	return rep, write(ctx, st, sp, opt.Progress, rep)
}

// validate reads the file's rows, counting them and listing their problems
// in rep, and hands each valid row's company to keep (when not nil).
func validate(ctx context.Context, src *source, opt Options, rep *Report, keep func(*sihub.Company) error) error {
	it, err := src.open()
	if err != nil {
		return err
	}
	defer it.close()
	l, _, probs, err := readHeader(it, companySet)
	if err != nil {
		return err
	}
	for _, p := range probs {
		rep.add(p)
	}
	ch := newChecker(l, src.comma)
	nextProgress := progressEvery // a stretch of unreadable rows may jump past a multiple
	for {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		var br *badRows
		switch {
		case errors.As(err, &br):
			n := br.last - br.first + 1
			rep.Rows += n
			rep.Invalid += n
			rep.add(Problem{Row: br.first, Msg: br.msg})
		case err != nil:
			return err
		case blank(cells):
			continue
		default:
			rep.Rows++
			c, probs, ok := ch.check(cells, row)
			if ok {
				rep.Valid++
				if keep != nil {
					if err := keep(c); err != nil {
						return err
					}
				}
			} else {
				rep.Invalid++
			}
			for _, p := range probs {
				rep.add(p)
			}
		}
		if rep.Rows >= nextProgress {
			opt.Progress("validate", rep.Rows)
			nextProgress = (rep.Rows/progressEvery + 1) * progressEvery
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	opt.Progress("validate", rep.Rows)
	return nil
}

// predict counts, for a dry run, the valid rows' companies the store
// already holds (an import would update them) and the others.
func predict(ctx context.Context, tc TaxCodeChecker, codes []string, rep *Report) error {
	for len(codes) > 0 {
		batch := codes[:min(len(codes), taxCodeBatch)]
		codes = codes[len(batch):]
		have, err := tc.ExistingTaxCodes(ctx, batch)
		if err != nil {
			return err
		}
		for _, c := range batch {
			if have[c] {
				rep.WouldUpdate++
			} else {
				rep.WouldCreate++
			}
		}
	}
	return nil
}

// write streams the spooled companies into the store in one transaction.
func write(ctx context.Context, st CompanyStore, sp *spool, progress func(string, int), rep *Report) error {
	written := 0
	created, updated, err := st.UpsertCompanies(ctx, func(yield func(*sihub.Company, error) bool) {
		for c, err := range sp.companies() {
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(c, nil) {
				return
			}
			written++
			if written%progressEvery == 0 {
				progress("write", written)
			}
		}
	})
	if err != nil {
		return err
	}
	progress("write", written)
	rep.Created, rep.Updated, rep.Committed = created, updated, true
	return nil
}

// spool keeps the valid companies between the passes in a temporary file,
// gob-encoded, so that neither memory nor the write transaction depends on
// reading the file again.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	n   int
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "sihub-import-*.gob")
	if err != nil {
		return nil, fmt.Errorf("sheet: import spool: %w", err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	return &spool{f: f, w: w, enc: gob.NewEncoder(w)}, nil
}

func (s *spool) add(c *sihub.Company) error {
	if err := s.enc.Encode(c); err != nil {
		return fmt.Errorf("sheet: import spool: %w", err)
	}
	s.n++
	return nil
}

// companies yields the spooled companies in the order they were added.
func (s *spool) companies() iter.Seq2[*sihub.Company, error] {
	return func(yield func(*sihub.Company, error) bool) {
		if err := s.w.Flush(); err != nil {
			yield(nil, fmt.Errorf("sheet: import spool: %w", err))
			return
		}
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			yield(nil, fmt.Errorf("sheet: import spool: %w", err))
			return
		}
		dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 64<<10))
		for range s.n {
			c := new(sihub.Company)
			if err := dec.Decode(c); err != nil {
				yield(nil, fmt.Errorf("sheet: import spool: %w", err))
				return
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

// remove deletes the spool file.
func (s *spool) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}
