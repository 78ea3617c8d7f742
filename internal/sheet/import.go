package sheet

import (
	"context"
	"errors"
	"hash"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/sihub-org/sihub/internal/sihub"
)

// rowIter yields the rows of a sheet with their spreadsheet row numbers,
// cells already cleaned. It returns io.EOF at the end.
type rowIter interface {
	next() (cells []string, row int, err error)
	close() error
}

// source is a readable spreadsheet file; open starts a fresh pass over it.
type source struct {
	format   Format
	encoding string
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
	return &source{format: FormatCSV, encoding: f.encoding, open: f.rows}, nil
}

// headerSearch is how many non-blank rows may precede the header (a title,
// a date line) before a file is judged to have none.
const headerSearch = 10

// readHeader finds the header row: the first row naming the required
// columns among the first few non-blank rows.
func readHeader(it rowIter) (layout, int, []Problem, error) {
	var firstErr error
	var skipped []int
	for seen := 0; seen < headerSearch; {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return layout{}, 0, nil, err
		}
		if blank(cells) {
			continue
		}
		seen++
		l, probs, err := mapHeader(cells)
		if err == nil {
			for i := range probs {
				probs[i].Row = row
			}
			if len(skipped) > 0 {
				probs = append(probs, Problem{Row: row, Warning: true, Msg: sihub.M(
					"Bỏ qua %d dòng phía trên dòng tiêu đề (dòng %s).", "Ignored %d row(s) above the header row (%s).",
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

// values puts a row's cells in CompanyColumns order.
func (l *layout) values(cells []string, v []string) {
	for i, j := range l.pos {
		if j >= 0 && j < len(cells) {
			v[i] = cells[j]
		} else {
			v[i] = ""
		}
	}
}

// checker validates the rows of one pass the same way every time: the
// company, then the tax code against the rows before it.
type checker struct {
	l    layout
	v    []string
	seen map[string]int // tax code → first row
}

func newChecker(l layout) *checker {
	return &checker{l: l, v: make([]string, numCompanyColumns), seen: map[string]int{}}
}

func (ch *checker) check(cells []string, row int) (*sihub.Company, []Problem, bool) {
	ch.l.values(cells, ch.v)
	c, probs := prepareRow(ch.v)
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

// validRows fingerprints which rows were valid, so that the writing pass
// can tell the file did not change since it was validated.
type validRows struct {
	h hash.Hash64
	n int
}

func newValidRows() *validRows { return &validRows{h: fnv.New64a()} }

func (v *validRows) add(row int) {
	v.h.Write(strconv.AppendInt(nil, int64(row), 10))
	v.h.Write([]byte{','})
	v.n++
}

const progressEvery = 1000

// ImportCompanies reads the companies in a CSV or XLSX file and, unless
// opt.DryRun, writes them to st in one transaction.
//
// The file is read twice, row by row: first to validate every row, keeping
// only the tax codes seen; then, if there is nothing to stop for (invalid
// rows without opt.SkipInvalid), to stream the valid rows into the store. So
// a file is written completely or not at all, memory does not grow with its
// size, and the store's transaction lasts only as long as the writing.
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
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, sihub.Errorf(sihub.ErrInvalid, "Không mở được tệp.", "The file could not be opened.")
	}
	src, err := openSource(path)
	if err != nil {
		return nil, err
	}
	if st == nil && !opt.DryRun {
		return nil, errors.New("sheet: ImportCompanies needs a store unless DryRun")
	}
	rep := &Report{File: name, Format: string(src.format), Encoding: src.encoding, DryRun: opt.DryRun, SkipInvalid: opt.SkipInvalid}

	// Pass 1: validate.
	it, err := src.open()
	if err != nil {
		return rep, err
	}
	l, headerRow, probs, err := readHeader(it)
	if err != nil {
		it.close()
		return rep, err
	}
	for _, p := range probs {
		rep.add(p)
	}
	ch := newChecker(l)
	valid := newValidRows()
	for {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			it.close()
			return rep, err
		}
		if blank(cells) {
			continue
		}
		rep.Rows++
		_, probs, ok := ch.check(cells, row)
		if ok {
			rep.Valid++
			valid.add(row)
		} else {
			rep.Invalid++
		}
		for _, p := range probs {
			rep.add(p)
		}
		if rep.Rows%progressEvery == 0 {
			progress("validate", rep.Rows)
			if err := ctx.Err(); err != nil {
				it.close()
				return rep, err
			}
		}
	}
	it.close()
	progress("validate", rep.Rows)

	if opt.DryRun || rep.Valid == 0 || (rep.Invalid > 0 && !opt.SkipInvalid) {
		return rep, nil
	}

	// Pass 2: write the valid rows.
	if fi2, err := os.Stat(path); err != nil || fi2.Size() != fi.Size() || !fi2.ModTime().Equal(fi.ModTime()) {
		return rep, errChanged()
	}
	written := 0
	seq := func(yield func(*sihub.Company, error) bool) {
		it, err := src.open()
		if err != nil {
			yield(nil, err)
			return
		}
		defer it.close()
		for {
			_, row, err := it.next()
			if err != nil {
				if err == io.EOF {
					err = errChanged()
				}
				yield(nil, err)
				return
			}
			if row == headerRow {
				break
			}
		}
		ch := newChecker(l)
		again := newValidRows()
		for {
			cells, row, err := it.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if blank(cells) {
				continue
			}
			c, _, ok := ch.check(cells, row)
			if !ok {
				continue
			}
			again.add(row)
			if again.n > valid.n {
				break
			}
			if err := ctx.Err(); err != nil {
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
		if again.n != valid.n || again.h.Sum64() != valid.h.Sum64() {
			yield(nil, errChanged())
		}
	}
	created, updated, err := st.UpsertCompanies(ctx, seq)
	if err != nil {
		return rep, err
	}
	progress("write", written)
	rep.Created, rep.Updated, rep.Committed = created, updated, true
	return rep, nil
}

func errChanged() error {
	return sihub.Errorf(sihub.ErrConflict,
		"Tệp đã thay đổi trong khi đang nhập nên không ghi gì cả; hãy nhập lại.",
		"The file changed while it was being imported, so nothing was written; import it again.")
}
