package sheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/xuri/excelize/v2"
)

// utf8BOM makes Excel read a CSV file as UTF-8 instead of the ANSI code page.
const utf8BOM = "\uFEFF"

// Sheet names of the files SIHub writes (the reader looks for them too).
const (
	sheetCompaniesVI    = "Doanh nghiệp"
	sheetCompaniesEN    = "Companies"
	sheetInstructionsVI = "Hướng dẫn"
	sheetInstructionsEN = "Instructions"
)

// Column widths in the XLSX files, in characters.
var columnWidths = [numCompanyColumns]float64{
	colTaxCode: 16, colName: 42, colNameEn: 30, colProvince: 20, colAddress: 40, colPark: 22, colSectors: 16,
	colCapabilities: 40, colMaterials: 28, colCertifications: 26, colEquipment: 40, colEmployees: 12,
	colFounded: 12, colProducts: 36, colDescription: 50, colWebsite: 26, colEmail: 26, colPhone: 18,
}

func keys() []string {
	h := make([]string, numCompanyColumns)
	for i, c := range CompanyColumns {
		h[i] = c.Key
	}
	return h
}

// WriteCompanies exports companies in the template's columns, with the
// column keys as header: CSV as UTF-8 with a BOM, comma-separated with CRLF
// line ends; XLSX with text cells as text (tax codes keep their leading zero)
// and head count and year as numbers. The export reads back with
// ImportCompanies as the same companies.
func WriteCompanies(w io.Writer, f Format, seq iter.Seq2[*sihub.Company, error]) error {
	switch f {
	case FormatCSV:
		bw := bufio.NewWriterSize(w, 64<<10)
		cw, err := newCSVWriter(bw, keys())
		if err != nil {
			return err
		}
		for c, err := range seq {
			if err != nil {
				return err
			}
			if err := writeCSVRow(cw, CompanyRow(c)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	case FormatXLSX:
		return writeXLSX(w, sihub.VI, keys(), false, seq)
	}
	return unknownFormat(f)
}

// WriteCompanyTemplate writes an empty import template with the headers in
// lang. The XLSX template explains each column in a comment on its header
// (in both languages), formats the text columns as Text so that Excel keeps
// typed tax codes intact, and has an instructions sheet in Vietnamese and
// English.
func WriteCompanyTemplate(w io.Writer, f Format, lang sihub.Lang) error {
	header := make([]string, numCompanyColumns)
	for i, c := range CompanyColumns {
		header[i] = c.Label(lang)
	}
	switch f {
	case FormatCSV:
		cw, err := newCSVWriter(w, header)
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case FormatXLSX:
		return writeXLSX(w, lang, header, true, func(func(*sihub.Company, error) bool) {})
	}
	return unknownFormat(f)
}

func unknownFormat(f Format) error {
	return sihub.Errorf(sihub.ErrUnsupported, "Định dạng %q không được hỗ trợ; dùng csv hoặc xlsx.",
		"Format %q is not supported; use csv or xlsx.", string(f))
}

func newCSVWriter(w io.Writer, header []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw, writeCSVRow(cw, header)
}

func writeCSVRow(cw *csv.Writer, row []string) error {
	for i, s := range row {
		row[i] = escapeFormula(s)
	}
	return cw.Write(row)
}

// writeXLSX writes a workbook whose first sheet holds the header and the
// companies, streamed so that a large export does not sit in memory.
func writeXLSX(w io.Writer, lang sihub.Lang, header []string, template bool, seq iter.Seq2[*sihub.Company, error]) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetCompaniesVI
	if lang == sihub.EN {
		sheet = sheetCompaniesEN
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	title := "SIHub — danh sách doanh nghiệp / company list"
	if template {
		title = "SIHub — mẫu nhập danh sách doanh nghiệp / company import template"
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "SIHub", LastModifiedBy: "SIHub", Title: title}); err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		NumFmt:    49,
	})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}}) // "@", Text
	if err != nil {
		return err
	}
	numStyle, err := f.NewStyle(&excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top"}}) // "0"
	if err != nil {
		return err
	}
	// Notes on the header cells; added before streaming, which then keeps
	// the sheet's link to them.
	for i, c := range CompanyColumns {
		first, second := c.NoteVI, c.NoteEN
		if lang == sihub.EN {
			first, second = second, first
		}
		if err := f.AddComment(sheet, excelize.Comment{
			Cell:   columnLetter(i) + "1",
			Author: "SIHub",
			Paragraph: []excelize.RichTextRun{
				{Text: c.Key + "\n", Font: &excelize.Font{Bold: true}},
				{Text: first + "\n\n" + second},
			},
			Width:  320,
			Height: 160,
		}); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i := range CompanyColumns {
		style := textStyle
		if i == colEmployees || i == colFounded {
			style = numStyle
		}
		if err := sw.SetColWidth(i+1, i+1, columnWidths[i]); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, numCompanyColumns)
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	row := 1
	for c, err := range seq {
		if err != nil {
			return err
		}
		row++
		for i, s := range CompanyRow(c) {
			switch {
			case s == "":
				cells[i] = nil
			case i == colEmployees:
				cells[i] = excelize.Cell{StyleID: numStyle, Value: c.Employees}
			case i == colFounded:
				cells[i] = excelize.Cell{StyleID: numStyle, Value: c.Founded}
			default:
				cells[i] = excelize.Cell{StyleID: textStyle, Value: s}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if template {
		if err := writeInstructions(f, lang); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// instructions are the general steps, in both languages.
var instructions = [][2]string{
	{"Cách dùng mẫu nhập danh sách doanh nghiệp SIHub", "How to use the SIHub company import template"},
	{"1. Mỗi doanh nghiệp một dòng, bắt đầu từ dòng 2 của trang đầu tiên. Không đổi tên các cột; có thể bỏ những cột không dùng.",
		"1. One company per row, from row 2 of the first sheet. Keep the column headers; columns you do not use may be removed."},
	{"2. Chỉ Mã số thuế và Tên doanh nghiệp là bắt buộc. Mã số thuế có 10 chữ số, chi nhánh 13 chữ số (0100112437-001).",
		"2. Only the tax code and the company name are required. A tax code has 10 digits, a branch 13 (0100112437-001)."},
	{"3. Giữ cột Mã số thuế ở định dạng Văn bản (Text): nếu không, Excel bỏ số 0 ở đầu và đổi mã 13 số sang dạng 1,23E+12.",
		"3. Keep the tax code column formatted as Text: otherwise Excel drops the leading zero and shows 13-digit codes as 1.23E+12."},
	{"4. Ghi nhiều giá trị trong một ô bằng dấu chấm phẩy, ví dụ: ép nhựa; làm khuôn. Có thể gõ tiếng Việt không dấu.",
		"4. Separate several values in one cell with semicolons, e.g. injection molding; mold making. Vietnamese without diacritics is understood."},
	{"5. Lưu tệp dạng Excel Workbook (.xlsx) hoặc CSV UTF-8. Nhập lại một mã số thuế đã có sẽ cập nhật doanh nghiệp đó.",
		"5. Save as Excel Workbook (.xlsx) or CSV UTF-8. Importing a tax code that is already in the directory updates that company."},
	{"6. Nếu có dòng lỗi, không dòng nào được ghi; báo cáo nhập liệu chỉ ra dòng, cột và cách sửa.",
		"6. If any row has an error, no row is written; the import report names the row, the column and the fix."},
}

// example is one filled-in row shown on the instructions sheet.
var example = [numCompanyColumns]string{
	colTaxCode: "0312345673", colName: "Công ty TNHH Cơ khí Chính xác Ví Dụ", colNameEn: "Vi Du Precision Engineering Co., Ltd.",
	colProvince: "TP. Hồ Chí Minh", colAddress: "Lô A1, đường số 3", colPark: "KCN Tân Tạo", colSectors: "2592; 2599",
	colCapabilities: "tiện CNC; phay CNC; mạ kẽm", colMaterials: "SUS304; S45C; A6061", colCertifications: "ISO 9001:2015",
	colEquipment: "8 máy tiện CNC; 4 máy phay CNC 5 trục", colEmployees: "85", colFounded: "2008",
	colProducts: "trục, bạc, chi tiết máy theo bản vẽ", colDescription: "Gia công chi tiết chính xác cho ngành điện tử và ô tô.",
	colWebsite: "www.vidu.vn", colEmail: "info@vidu.vn", colPhone: "028 3750 1234",
}

func writeInstructions(f *excelize.File, lang sihub.Lang) error {
	sheet := sheetInstructionsVI
	if lang == sihub.EN {
		sheet = sheetInstructionsEN
	}
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	set := func(col, row int, v string, style int) error {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	row := 1
	for i, l := range instructions {
		first, second := l[0], l[1]
		if lang == sihub.EN {
			first, second = second, first
		}
		style := wrap
		if i == 0 {
			style = bold
		}
		if err := set(1, row, first, style); err != nil {
			return err
		}
		if err := set(2, row, second, style); err != nil {
			return err
		}
		row++
	}
	row++
	heads := []string{"Cột / Column", "Tiêu đề (vi)", "Header (en)", "Bắt buộc / Required", "Hướng dẫn", "Explanation", "Ví dụ / Example"}
	for i, h := range heads {
		if err := set(i+1, row, h, bold); err != nil {
			return err
		}
	}
	for i, c := range CompanyColumns {
		row++
		req := ""
		if c.Required {
			req = "x"
		}
		for j, v := range []string{c.Key, c.VI, c.EN, req, c.NoteVI, c.NoteEN, example[i]} {
			if err := set(j+1, row, v, wrap); err != nil {
				return err
			}
		}
	}
	for col, width := range map[string]float64{"A": 60, "B": 60, "C": 20, "D": 12, "E": 60, "F": 60, "G": 36} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// Text of a report, in one language.
var reportWords = map[sihub.Lang]struct {
	row, file, warning string
	header             []string
}{
	sihub.VI: {"dòng", "toàn tệp", "cảnh báo", []string{"dòng", "cột", "vấn đề"}},
	sihub.EN: {"row", "file", "warning", []string{"row", "column", "problem"}},
}

// WriteText writes a summary of the report for a person, then one line per
// problem: "row 7, tax_code: …".
func (r *Report) WriteText(w io.Writer, lang sihub.Lang) error {
	if lang != sihub.EN {
		lang = sihub.VI
	}
	bw := bufio.NewWriter(w)
	for _, m := range r.summary() {
		fmt.Fprintln(bw, m.In(lang))
	}
	for _, p := range r.Problems {
		fmt.Fprintln(bw, p.line(lang))
	}
	if r.Omitted > 0 {
		fmt.Fprintln(bw, r.omitted().In(lang))
	}
	return bw.Flush()
}

func (p Problem) where(lang sihub.Lang) string {
	words := reportWords[lang]
	s := words.file
	if p.Row > 0 {
		s = words.row + " " + strconv.Itoa(p.Row)
	}
	if p.Column != "" {
		s += ", " + p.Column
	}
	if p.Warning {
		s += " (" + words.warning + ")"
	}
	return s
}

func (p Problem) line(lang sihub.Lang) string { return p.where(lang) + ": " + p.Msg.In(lang) }

// summary is the report's opening lines.
func (r *Report) summary() []sihub.Msg {
	out := []sihub.Msg{
		sihub.M("Tệp %s (%s, %s): %d dòng dữ liệu, %d hợp lệ, %d có lỗi.",
			plural(r.Rows, "File %s (%s, %s): %d data row, %d valid, %d with errors.", "File %s (%s, %s): %d data rows, %d valid, %d with errors."),
			r.File, r.Format, r.Encoding, r.Rows, r.Valid, r.Invalid),
	}
	switch {
	case r.Committed:
		n := r.nouns()
		out = append(out, sihub.M("Đã ghi %d "+n.vi+": thêm mới %d, cập nhật %d.",
			plural(r.Created+r.Updated, "Wrote %d "+n.one+": %d new, %d updated.", "Wrote %d "+n.many+": %d new, %d updated."),
			r.Created+r.Updated, r.Created, r.Updated))
		if r.Invalid > 0 {
			out = append(out, r.skipped("Đã bỏ qua", "Skipped"))
		}
	case r.DryRun:
		out = append(out, r.dryRun()...)
	case r.Invalid > 0 && !r.SkipInvalid:
		out = append(out, sihub.M(
			"Chưa ghi gì vì có dòng lỗi. Sửa các dòng dưới đây rồi nhập lại, hoặc chọn bỏ qua các dòng lỗi.",
			"Nothing was written because some rows have errors. Fix the rows below and import again, or choose to skip the rows with errors."))
	case r.Valid == 0:
		out = append(out, sihub.M("Không có dòng hợp lệ nào để ghi.", "There are no valid rows to write."))
	default:
		out = append(out, sihub.M("Chưa ghi gì.", "Nothing was written."))
	}
	return out
}

// reportNouns name what a template's rows are, in the report's sentences.
type reportNouns struct{ vi, one, many string }

var (
	companyNouns = reportNouns{"doanh nghiệp", "company", "companies"}
	demandNouns  = reportNouns{"nhu cầu", "demand", "demands"}
)

func (r *Report) nouns() reportNouns {
	if r.demands {
		return demandNouns
	}
	return companyNouns
}

// skipped says how many rows with errors were (or would be) skipped.
func (r *Report) skipped(vi, en string) sihub.Msg {
	return sihub.M(vi+" %d dòng có lỗi.", en+plural(r.Invalid, " %d row with errors.", " %d rows with errors."), r.Invalid)
}

// dryRun says what importing the file for real would do.
func (r *Report) dryRun() []sihub.Msg {
	out := []sihub.Msg{sihub.M("Chạy thử: chưa ghi gì.", "Dry run: nothing was written.")}
	if r.Valid == 0 {
		return append(out, sihub.M("Không có dòng hợp lệ nào để ghi.", "There are no valid rows to write."))
	}
	// What writing the valid rows would do, as a verb phrase.
	n := r.nouns()
	what := sihub.M("ghi %d "+n.vi, plural(r.Valid, "write %d "+n.one, "write %d "+n.many), r.Valid)
	switch {
	case r.WouldCreate > 0 && r.WouldUpdate > 0:
		what = sihub.M("thêm mới %d "+n.vi+" và cập nhật %d "+n.vi,
			plural(r.WouldCreate, "create %d "+n.one+" and update %d", "create %d "+n.many+" and update %d"),
			r.WouldCreate, r.WouldUpdate)
	case r.WouldCreate > 0:
		what = sihub.M("thêm mới %d "+n.vi, plural(r.WouldCreate, "create %d "+n.one, "create %d "+n.many), r.WouldCreate)
	case r.WouldUpdate > 0:
		what = sihub.M("cập nhật %d "+n.vi, plural(r.WouldUpdate, "update %d "+n.one, "update %d "+n.many), r.WouldUpdate)
	}
	if r.Invalid > 0 && !r.SkipInvalid {
		return append(out, around(what,
			"Vì có dòng lỗi, nhập thật sẽ không ghi gì. Sửa các dòng dưới đây, hoặc chọn bỏ qua các dòng lỗi để %s.",
			"As some rows have errors, a real import would write nothing. Fix the rows below, or choose to skip the rows with errors to %s."))
	}
	out = append(out, around(what, "Nhập thật sẽ %s.", "A real import would %s."))
	if r.Invalid > 0 {
		out = append(out, r.skipped("Sẽ bỏ qua", "It would skip"))
	}
	return out
}

// WriteCSV writes the problems as a CSV file (UTF-8 with BOM, for Excel)
// with the columns row, column, problem.
func (r *Report) WriteCSV(w io.Writer, lang sihub.Lang) error {
	if lang != sihub.EN {
		lang = sihub.VI
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	words := reportWords[lang]
	if err := cw.Write(words.header); err != nil {
		return err
	}
	for _, p := range r.Problems {
		row := ""
		if p.Row > 0 {
			row = strconv.Itoa(p.Row)
		}
		msg := p.Msg.In(lang)
		if p.Warning {
			msg = words.warning + ": " + msg
		}
		if err := writeCSVRow(cw, []string{row, p.Column, msg}); err != nil {
			return err
		}
	}
	if r.Omitted > 0 {
		if err := writeCSVRow(cw, []string{"", "", r.omitted().In(lang)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// around puts each language's text of m into that language's format.
func around(m sihub.Msg, vi, en string) sihub.Msg {
	return sihub.Msg{VI: fmt.Sprintf(vi, m.VI), EN: fmt.Sprintf(en, m.EN)}
}

// omitted says how many problems the report does not list.
func (r *Report) omitted() sihub.Msg {
	return sihub.M("… và %d vấn đề khác không liệt kê.",
		plural(r.Omitted, "… and %d more problem not listed.", "… and %d more problems not listed."), r.Omitted)
}
