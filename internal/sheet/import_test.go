package sheet

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/xuri/excelize/v2"
)

func importCSV(t *testing.T, text string, opt Options, st CompanyStore) (*Report, error) {
	t.Helper()
	return ImportCompanies(context.Background(), writeFile(t, "companies.csv", []byte(text)), opt, st)
}

// problemsOf lists a report's problems as "row column warning? message".
func problemsOf(rep *Report) []string {
	var out []string
	for _, p := range rep.Problems {
		s := fmt.Sprintf("%d %s", p.Row, p.Column)
		if p.Warning {
			s += " warning"
		}
		out = append(out, s+": "+p.Msg.EN)
	}
	return out
}

func hasProblem(rep *Report, row int, column, text string) bool {
	for _, p := range rep.Problems {
		if p.Row == row && p.Column == column && strings.Contains(p.Msg.EN, text) && p.Msg.VI != "" {
			return true
		}
	}
	return false
}

func TestImportRowProblems(t *testing.T) {
	a, b, c := taxCode(t, "031234567"), taxCode(t, "360123456"), taxCode(t, "010011243")
	text := "Mã số thuế,Tên công ty,Số lao động,Năm thành lập,Email,Ghi chú\r\n" +
		a + ",Công ty A,120,2005,a@example.vn,\r\n" + // row 2: valid
		a + ",Công ty A lần nữa,,,,\r\n" + // row 3: repeats row 2
		b + ",Công ty B,nhiều,15/03/05,,\r\n" + // row 4: bad numbers
		"1.00112E+11,Công ty C,,,,\r\n" + // row 5: scientific notation
		c[1:] + ",Công ty D,,,,\r\n" + // row 6: leading zero lost, repaired
		",,,,,\r\n" + // row 7: blank
		taxCode(t, "031234568") + ",,,,khong-phai-email,\r\n" // row 8: no name, bad email
	st := newMemStore()
	rep, err := importCSV(t, text, Options{}, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		row         int
		column, msg string
	}{
		{1, "", `Ignored a column that is not in the template: "Ghi chú"`},
		{3, "tax_code", "repeats row 2"},
		{4, "employees", `Employees "nhiều" is not a number`},
		{4, "founded", "write the year with 4 digits"},
		{5, "tax_code", "scientific notation"},
		{5, "tax_code", "Format the tax code column as Text"},
		{6, "tax_code", "lacked its leading zero"},
		{8, "name", "name is missing"},
		{8, "email", "not valid"},
	} {
		if !hasProblem(rep, want.row, want.column, want.msg) {
			t.Errorf("no problem %+v in\n%s", want, strings.Join(problemsOf(rep), "\n"))
		}
	}
	if rep.Rows != 6 || rep.Valid != 2 || rep.Invalid != 4 {
		t.Errorf("rows %d valid %d invalid %d, want 6 2 4", rep.Rows, rep.Valid, rep.Invalid)
	}
	if rep.Committed || st.calls != 0 || len(st.data) != 0 {
		t.Errorf("wrote despite invalid rows: committed %v, %d calls", rep.Committed, st.calls)
	}

	// Skipping the invalid rows writes the two valid ones, the repaired code
	// with its zero back.
	rep, err = importCSV(t, text, Options{SkipInvalid: true}, st)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Created != 2 || len(st.data) != 2 || st.data[a] == nil || st.data[c] == nil {
		t.Errorf("skip invalid: %+v, store %v", rep, st.data)
	}
	if st.data[a].Employees != 120 || st.data[a].Founded != 2005 || st.data[a].Name != "Công ty A" {
		t.Errorf("company A = %+v", st.data[a])
	}
	// Importing again updates.
	rep, err = importCSV(t, text, Options{SkipInvalid: true}, st)
	if err != nil || rep.Updated != 2 || rep.Created != 0 {
		t.Errorf("re-import: %+v, %v", rep, err)
	}
}

func TestImportDryRunAndStoreFailure(t *testing.T) {
	text := csvText(t, ',', fixtureRows(t))
	st := newMemStore()
	var phases []string
	rep, err := importCSV(t, text, Options{DryRun: true, Progress: func(p string, n int) { phases = append(phases, fmt.Sprint(p, n)) }}, st)
	if err != nil || rep.Committed || st.calls != 0 || rep.Valid != 3 {
		t.Fatalf("dry run: %+v, %v, %d calls", rep, err, st.calls)
	}
	if strings.Join(phases, " ") != "validate3" {
		t.Errorf("progress %q", phases)
	}
	// A store failure midway leaves nothing behind and is returned.
	st.failAfter = 2
	rep, err = importCSV(t, text, Options{}, st)
	if !errors.Is(err, errDiskFull) || rep == nil || rep.Committed || len(st.data) != 0 {
		t.Fatalf("store failure: %+v, %v, %d companies", rep, err, len(st.data))
	}
	st.failAfter = 0
	phases = nil
	rep, err = importCSV(t, text, Options{Progress: func(p string, n int) { phases = append(phases, fmt.Sprint(p, n)) }}, st)
	if err != nil || !rep.Committed {
		t.Fatal(rep, err)
	}
	if strings.Join(phases, " ") != "validate3 write3" {
		t.Errorf("progress %q", phases)
	}
	checkFixture(t, st)
}

// The writing pass streams the companies validated by the first one: a
// file edited, or even deleted, after validation changes nothing, no
// parsing happens while the store's transaction is open, and the spool is
// removed whatever the outcome.
func TestImportWritesWhatWasValidated(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	spoolFiles := func() []string {
		t.Helper()
		m, err := filepath.Glob(filepath.Join(tmp, "sihub-import-*"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	rows := fixtureRows(t)
	path := writeFile(t, "c.csv", []byte(csvText(t, ',', rows)))
	changed := csvText(t, ',', withBadCheckDigit(rows, 2))
	st := newMemStore()
	st.during = func() {
		if n := len(spoolFiles()); n != 1 {
			t.Errorf("%d spool files during the write", n)
		}
		if err := os.Remove(path); err != nil {
			t.Error(err)
		}
	}
	rep, err := ImportCompanies(context.Background(), path, Options{Progress: func(phase string, _ int) {
		if phase == "validate" {
			if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
				t.Error(err)
			}
		}
	}}, st)
	if err != nil || !rep.Committed || rep.Created != 3 {
		t.Fatalf("%+v, %v", rep, err)
	}
	checkFixture(t, st)
	if m := spoolFiles(); len(m) != 0 {
		t.Errorf("spool left behind: %q", m)
	}

	// Nor after a store failure, a rejected file or a dry run.
	st = newMemStore()
	st.failAfter = 1
	text := csvText(t, ',', rows)
	if _, err := importCSV(t, text, Options{}, st); !errors.Is(err, errDiskFull) {
		t.Errorf("store failure: %v", err)
	}
	if rep, err := importCSV(t, csvText(t, ',', withBadCheckDigit(rows, 2)), Options{}, newMemStore()); err != nil || rep.Invalid != 1 || rep.Committed {
		t.Errorf("invalid row: %+v, %v", rep, err)
	}
	if _, err := importCSV(t, text, Options{DryRun: true}, newMemStore()); err != nil {
		t.Error(err)
	}
	if m := spoolFiles(); len(m) != 0 {
		t.Errorf("spool left behind: %q", m)
	}
}

// The spool gives the store exactly the companies validation prepared,
// recognized capabilities, materials and places included.
func TestImportSpoolKeepsCompanies(t *testing.T) {
	st := newMemStore()
	rep, err := ImportCompanies(context.Background(), "testdata/suppliers.csv", Options{}, st)
	if err != nil || rep.Created != 400 {
		t.Fatalf("%+v, %v", rep, err)
	}
	it, err := mustSource(t, "testdata/suppliers.csv").open()
	if err != nil {
		t.Fatal(err)
	}
	defer it.close()
	l, _, _, err := readHeader(it, companySet)
	if err != nil {
		t.Fatal(err)
	}
	ch := newChecker(l, ',')
	recognized := 0
	for {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want, _, ok := ch.check(cells, row)
		if !ok {
			t.Fatalf("row %d invalid", row)
		}
		got := st.data[want.TaxCode]
		if !reflect.DeepEqual(nonNilLists(got), nonNilLists(want)) {
			t.Fatalf("row %d: stored\n%+v\nwant\n%+v", row, got, want)
		}
		if len(want.Capabilities) > 0 && want.ProvinceCode != "" {
			recognized++
		}
	}
	if recognized < 100 {
		t.Errorf("only %d rows with recognized capabilities and province: the comparison proves little", recognized)
	}
}

func mustSource(t *testing.T, path string) *source {
	t.Helper()
	src, err := openSource(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// nonNilLists returns a copy of c with empty lists for nil ones: gob does
// not tell them apart, nor does the store.
func nonNilLists(c *sihub.Company) *sihub.Company {
	if c == nil {
		return nil
	}
	x := *c
	if x.Sectors == nil {
		x.Sectors = []string{}
	}
	if x.Capabilities == nil {
		x.Capabilities = []sihub.Capability{}
	}
	if x.Materials == nil {
		x.Materials = []sihub.Material{}
	}
	if x.Certifications == nil {
		x.Certifications = []sihub.Certification{}
	}
	if x.Equipment == nil {
		x.Equipment = []sihub.Equipment{}
	}
	if x.Contacts == nil {
		x.Contacts = []sihub.Contact{}
	}
	if x.Documents == nil {
		x.Documents = []sihub.Document{}
	}
	return &x
}

// Row numbers are the ones Excel shows: a quoted line break does not start a
// row, an empty line does, and a title above the header is skipped.
func TestImportRowNumbers(t *testing.T) {
	text := "DANH SÁCH DOANH NGHIỆP NĂM 2025\r\n" + // row 1
		"\r\n" + // row 2
		"tax_code,name,description,email\r\n" + // row 3
		taxCode(t, "031234567") + ",Công ty A,\"dòng một\r\ndòng hai\",\r\n" + // row 4
		"\r\n" + // row 5
		taxCode(t, "031234568") + ",Công ty B,,sai-email\r\n" // row 6
	rep, err := importCSV(t, text, Options{}, newMemStore())
	if err != nil {
		t.Fatal(err)
	}
	if !hasProblem(rep, 6, "email", "not valid") || !hasProblem(rep, 3, "", "Ignored 1 row above the header row (row 1)") {
		t.Errorf("problems:\n%s", strings.Join(problemsOf(rep), "\n"))
	}
	if rep.Rows != 2 {
		t.Errorf("rows %d", rep.Rows)
	}
}

// Excel keeps numbers as numbers: a tax code typed without formatting the
// column as Text loses its zero, and a wide one may be shown in scientific
// notation.
func TestImportXLSXNumbers(t *testing.T) {
	code := taxCode(t, "031234567")
	f := excelize.NewFile()
	defer f.Close()
	sci, err := f.NewStyle(&excelize.Style{NumFmt: 11}) // 0.00E+00
	if err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"MST", "Tên DN", "Lao động", "Ngày thành lập"} {
		set(string(rune('A'+i))+"1", h)
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		t.Fatal(err)
	}
	set("A2", n) // 312345670: the zero is gone
	set("B2", "Công ty A")
	set("C2", 1200)
	set("D2", time.Date(2005, 3, 15, 0, 0, 0, 0, time.UTC))
	if err := f.SetCellStyle("Sheet1", "D2", "D2", date); err != nil {
		t.Fatal(err)
	}
	set("A3", 3500123456001)
	if err := f.SetCellStyle("Sheet1", "A3", "A3", sci); err != nil {
		t.Fatal(err)
	}
	set("B3", "Công ty B")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	st := newMemStore()
	rep, err := ImportCompanies(context.Background(), writeFile(t, "x.xlsx", buf.Bytes()), Options{SkipInvalid: true}, st)
	if err != nil {
		t.Fatal(err)
	}
	if !hasProblem(rep, 2, "tax_code", "lacked its leading zero") || !hasProblem(rep, 3, "tax_code", "scientific notation") {
		t.Errorf("problems:\n%s", strings.Join(problemsOf(rep), "\n"))
	}
	c := st.data[code]
	if c == nil || c.Employees != 1200 || c.Founded != 2005 {
		t.Errorf("company = %+v", c)
	}
}

func TestReportWriters(t *testing.T) {
	rep := &Report{File: "a.csv", Format: "csv", Encoding: EncUTF8, Rows: 3, Valid: 1, Invalid: 2,
		Problems: []Problem{
			{Row: 1, Msg: sihub.M("Bỏ qua cột.", "Ignored a column."), Warning: true},
			{Row: 7, Column: "tax_code", Msg: sihub.M("Sai mã.", "=Wrong code.")},
		}, Omitted: 4}
	var b bytes.Buffer
	if err := rep.WriteText(&b, sihub.EN); err != nil {
		t.Fatal(err)
	}
	want := "File a.csv (csv, UTF-8): 3 data rows, 1 valid, 2 with errors.\n" +
		"Nothing was written because some rows have errors. Fix the rows below and import again, or choose to skip the rows with errors.\n" +
		"row 1 (warning): Ignored a column.\n" +
		"row 7, tax_code: =Wrong code.\n" +
		"… and 4 more problems not listed.\n"
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := rep.WriteText(&b, sihub.VI); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "dòng 7, tax_code: Sai mã.\n") || !strings.Contains(b.String(), "dòng 1 (cảnh báo): Bỏ qua cột.") {
		t.Errorf("WriteText vi:\n%s", b.String())
	}
	b.Reset()
	if err := rep.WriteCSV(&b, sihub.EN); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\uFEFFrow,column,problem\r\n") {
		t.Errorf("WriteCSV: %q", b.String())
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRecs := [][]string{{"row", "column", "problem"}, {"1", "", "warning: Ignored a column."},
		{"7", "tax_code", "'=Wrong code."}, {"", "", "… and 4 more problems not listed."}}
	if fmt.Sprint(recs) != fmt.Sprint(wantRecs) {
		t.Errorf("WriteCSV records %q, want %q", recs, wantRecs)
	}
}

// The benchmark's dev set is written in the import template and must read
// without a single problem.
func TestImportBenchmarkSuppliers(t *testing.T) {
	st := newMemStore()
	rep, err := ImportCompanies(context.Background(), "testdata/suppliers.csv", Options{}, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 || rep.Invalid != 0 || rep.Rows != 400 || rep.Created != 400 || rep.Encoding != EncUTF8 {
		var b bytes.Buffer
		rep.WriteText(&b, sihub.EN)
		t.Errorf("report:\n%s", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": FormatCSV, "XLSX": FormatXLSX, "data.csv": FormatCSV, "Báo cáo.xlsx": FormatXLSX, "x.xls": "", "": ""} {
		if got, ok := ParseFormat(in); got != want || ok != (want != "") {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, ok)
		}
	}
}

// withBadCheckDigit returns rows with the check digit of row i's tax code
// changed, keeping the file's size.
func withBadCheckDigit(rows [][]string, i int) [][]string {
	rows = slices.Clone(rows)
	rows[i] = slices.Clone(rows[i])
	b := []byte(rows[i][0])
	b[9] = '0' + (b[9]-'0'+1)%10
	rows[i][0] = string(b)
	return rows
}

// The company sheet is found by its template name even when it is not the
// first, and rows left empty in the middle keep Excel's numbering.
func TestImportXLSXSheetChoice(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Hướng dẫn"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Hướng dẫn", "A1", "Đọc kỹ trước khi điền")
	if _, err := f.NewSheet("DOANH NGHIEP"); err != nil {
		t.Fatal(err)
	}
	rows := fixtureRows(t)
	for i, r := range rows {
		row := i + 1
		if i > 1 {
			row += 2 // rows 3 and 4 left empty
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		vals := anyRows([][]string{r}, func(s string) string { return s })[0]
		if err := f.SetSheetRow("DOANH NGHIEP", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellValue("DOANH NGHIEP", "B7", "") // an explicitly empty cell
	f.SetCellValue("DOANH NGHIEP", "E6", "rất nhiều")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	st := newMemStore()
	rep, err := ImportCompanies(context.Background(), writeFile(t, "x.xlsx", buf.Bytes()), Options{}, st)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || !hasProblem(rep, 6, "employees", `"rất nhiều"`) || len(rep.Problems) != 1 {
		t.Errorf("report %+v:\n%s", rep, strings.Join(problemsOf(rep), "\n"))
	}
}
