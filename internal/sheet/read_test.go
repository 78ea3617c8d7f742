package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// The fixture every encoding and format must read the same way. Its words
// avoid capital toned letters, which TCVN3 cannot encode.
var (
	fixtureHeader = []string{"Mã số thuế", "Tên doanh nghiệp", "Tỉnh/Thành phố", "Năng lực", "Số lao động", "Năm thành lập", "Mô tả"}
	fixtureNames  = []string{
		"Công ty TNHH Cơ khí Đức Việt",
		"Công ty Cổ phần Nhựa Kỹ thuật Trường Sơn",
		"Công ty TNHH Đúc nhôm Hưng Thịnh",
	}
	fixtureDescriptions = []string{
		"Gia công chi tiết chính xác, mạ kẽm nhúng nóng và sơn tĩnh điện cho khách hàng Nhật Bản.",
		"Khuôn mẫu, ép phun chi tiết nhựa kỹ thuật; lắp ráp linh kiện điện tử.\nBảo dưỡng khuôn, sửa chữa lưỡi cắt, mũi khoan.",
		"Đúc áp lực hợp kim nhôm ADC12, tỷ lệ phế phẩm thấp; thủy lực, khuỷu nối, ẩm ướt, đặc biệt, hẳn, vỡ, lẽ, nghĩa, ngỗng, ỷ, ỵ, quyển.",
	}
)

func fixtureRows(t testing.TB) [][]string {
	rows := [][]string{fixtureHeader}
	codes := []string{taxCode(t, "031234567"), taxCode(t, "360123456"), taxCode(t, "010011243") + "-001"}
	provinces := []string{"Bình Dương", "Đồng Nai", "Hà Nội"}
	caps := []string{"tiện CNC; phay CNC", "ép nhựa; làm khuôn", "đúc áp lực; gia công cơ khí"}
	emps := []string{"1.200", "250 người", "~80"}
	founded := []string{"năm 2005", "15/03/2012", "1998"}
	for i := range fixtureNames {
		rows = append(rows, []string{codes[i], fixtureNames[i], provinces[i], caps[i], emps[i], founded[i], fixtureDescriptions[i]})
	}
	return rows
}

// checkFixture checks that st holds the fixture's companies.
func checkFixture(t *testing.T, st *memStore) {
	t.Helper()
	rows := fixtureRows(t)
	if len(st.data) != len(rows)-1 {
		t.Fatalf("store has %d companies, want %d", len(st.data), len(rows)-1)
	}
	emps := []int{1200, 250, 80}
	years := []int{2005, 2012, 1998}
	for i, r := range rows[1:] {
		c := st.data[sihub.CompactTaxCode(r[0])]
		if c == nil {
			t.Fatalf("company %s missing", r[0])
		}
		if c.Name != r[1] || c.ProvinceInput != r[2] || c.CapabilitiesText != r[3] || c.Description != r[6] ||
			c.Employees != emps[i] || c.Founded != years[i] || c.Kind != sihub.Supplier {
			t.Errorf("company %d = %+v\nwant name %q province %q caps %q desc %q", i, c, r[1], r[2], r[3], r[6])
		}
	}
}

func csvText(t testing.TB, comma rune, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = comma
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func utf16(t testing.TB, s string, e unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func xlsxBytes(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func anyRows(rows [][]string, conv func(string) string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		for _, s := range r {
			out[i] = append(out[i], conv(s))
		}
	}
	return out
}

func TestImportEncodings(t *testing.T) {
	rows := fixtureRows(t)
	comma := csvText(t, ',', rows)
	tab := csvText(t, '\t', rows)
	tcvn := func(s string) string { return asWin1252Text(t, toTCVN3(t, s)) }
	vni := func(s string) string { return asWin1252Text(t, toVNI(t, s)) }
	same := func(s string) string { return s }
	for _, tc := range []struct {
		name, enc string
		format    Format
		data      []byte
	}{
		{"utf8", EncUTF8, FormatCSV, []byte(comma)},
		{"utf8 bom", EncUTF8BOM, FormatCSV, []byte("\uFEFF" + comma)},
		{"utf8 semicolon", EncUTF8, FormatCSV, []byte(csvText(t, ';', rows))},
		{"utf8 tab lf", EncUTF8, FormatCSV, []byte(strings.ReplaceAll(tab, "\r\n", "\n"))},
		{"mac cr", EncWindows1258, FormatCSV, toWin1258(t, strings.ReplaceAll(comma, "\r\n", "\r"))},
		{"utf16le unicode text", EncUTF16LE, FormatCSV, utf16(t, tab, unicode.LittleEndian)},
		{"utf16be", EncUTF16BE, FormatCSV, utf16(t, tab, unicode.BigEndian)},
		{"utf16le without bom", EncUTF16LE, FormatCSV, utf16(t, tab, unicode.LittleEndian)[2:]},
		{"windows-1258", EncWindows1258, FormatCSV, toWin1258(t, comma)},
		{"tcvn3 bytes", EncTCVN3, FormatCSV, toTCVN3(t, comma)},
		{"vni bytes", EncVNI, FormatCSV, toVNI(t, comma)},
		{"tcvn3 via excel utf8", EncTCVN3, FormatCSV, []byte("\uFEFF" + tcvn(comma))},
		{"vni via excel utf8", EncVNI, FormatCSV, []byte(vni(comma))},
		{"tcvn3 via excel unicode text", EncTCVN3, FormatCSV, utf16(t, tcvn(tab), unicode.LittleEndian)},
		{"xlsx", EncXLSX, FormatXLSX, xlsxBytes(t, "Sheet1", anyRows(rows, same))},
		{"xlsx tcvn3 font", EncTCVN3, FormatXLSX, xlsxBytes(t, "Sheet1", anyRows(rows, tcvn))},
		{"xlsx vni font", EncVNI, FormatXLSX, xlsxBytes(t, "Danh sach", anyRows(rows, vni))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newMemStore()
			rep, err := ImportCompanies(context.Background(), writeFile(t, "f.dat", tc.data), Options{}, st)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Encoding != tc.enc || rep.Format != string(tc.format) {
				t.Errorf("detected %s %s, want %s %s", rep.Format, rep.Encoding, tc.format, tc.enc)
			}
			if rep.Rows != 3 || rep.Valid != 3 || rep.Invalid != 0 || !rep.Committed || rep.Created != 3 || len(rep.Problems) != 0 {
				t.Errorf("report %+v", rep)
			}
			checkFixture(t, st)
		})
	}
}

// zipOf builds a zip archive; big entries are given as (size, byte) and
// compressed at the fastest level.
type zipEntry struct {
	name string
	data string
	size int
}

func zipOf(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
		if e.size > 0 {
			chunk := bytes.Repeat([]byte{' '}, 1<<20)
			for n := 0; n < e.size; n += len(chunk) {
				if _, err := w.Write(chunk[:min(len(chunk), e.size-n)]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const sheetXMLHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

func TestImportRejectsFiles(t *testing.T) {
	rows := fixtureRows(t)
	good := xlsxBytes(t, "Sheet1", anyRows(rows, func(s string) string { return s }))
	garbage := make([]byte, 10<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(csvText(t, ',', [][]string{
		{"tax_code", "name"},
		{taxCode(t, "031234567"), "株式会社 東京精密 ベトナム 工場"},
		{taxCode(t, "031234568"), "日本電産 精密 部品 製造 会社"},
		{taxCode(t, "031234569"), "大阪 金型 工業 株式会社 支店"},
	})))
	if err != nil {
		t.Fatal(err)
	}
	// A workbook whose one sheet inflates a thousandfold: bigger than what
	// is kept in memory, compressed like nothing real.
	bomb := zipOf(t,
		zipEntry{name: "[Content_Types].xml", data: `<?xml version="1.0"?><Types/>`},
		zipEntry{name: "xl/workbook.xml", data: `<workbook/>`},
		zipEntry{name: "xl/worksheets/sheet1.xml", data: sheetXMLHead, size: 64 << 20})
	// One that claims more than the total limit, in parts small enough to
	// pass the ratio test.
	var big []zipEntry
	big = append(big, zipEntry{name: "xl/workbook.xml", data: `<workbook/>`})
	for i := range 34 {
		big = append(big, zipEntry{name: "xl/media/image" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".bin", size: 16 << 20})
	}
	bigBomb := zipOf(t, big...)
	damaged := []byte(csvText(t, ',', rows))
	damaged = append(damaged[:len(damaged)-40:len(damaged)-40], append([]byte{0xFF}, damaged[len(damaged)-40:]...)...)
	unclosed := []byte("tax_code,name\r\n" + taxCode(t, "031234567") + ",\"Công ty" + strings.Repeat("x", 9<<20))

	for _, tc := range []struct {
		name string
		data []byte
		code sihub.Code
		msg  string // in the English message
	}{
		{"empty", nil, sihub.ErrInvalid, "empty"},
		{"random garbage", garbage, sihub.ErrUnsupported, "binary data"},
		{"pdf", []byte("%PDF-1.7\n..."), sihub.ErrUnsupported, "PDF"},
		{"xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), sihub.ErrUnsupported, "Excel 97–2003"},
		{"biff", []byte{0x09, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00}, sihub.ErrUnsupported, "BIFF"},
		{"html xls", []byte("<html><body><table><tr><td>MST</td></tr></table></body></html>"), sihub.ErrUnsupported, "HTML"},
		{"xml 2003", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`), sihub.ErrUnsupported, "XML Spreadsheet 2003"},
		{"ods", zipOf(t, zipEntry{name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet"}, zipEntry{name: "content.xml", data: "<x/>"}), sihub.ErrUnsupported, "OpenDocument spreadsheet"},
		{"docx", zipOf(t, zipEntry{name: "word/document.xml", data: "<x/>"}), sihub.ErrUnsupported, "Word"},
		{"zip", zipOf(t, zipEntry{name: "a.txt", data: "hello"}), sihub.ErrUnsupported, "ZIP archive"},
		{"truncated xlsx", good[:len(good)/2], sihub.ErrInvalid, "damaged"},
		{"zip bomb ratio", bomb, sihub.ErrTooLarge, "zip bomb"},
		{"zip bomb size", bigBomb, sihub.ErrTooLarge, "zip bomb"},
		{"utf-32", []byte("\xFF\xFE\x00\x00t\x00\x00\x00"), sihub.ErrUnsupported, "UTF-32"},
		{"shift-jis", sjis, sihub.ErrUnsupported, "encoding was not recognized: it is not valid UTF-8 (first error on line 2)"},
		{"damaged utf-8", damaged, sihub.ErrUnsupported, "not valid UTF-8 (first error on line 5)"},
		{"missing columns", []byte("Tên,Địa chỉ,Ghi chú\r\nCông ty A,Quận 1,x\r\n"), sihub.ErrInvalid, `lacks the required column(s): tax_code. The first row must hold the column headers. Columns found: "Tên", "Địa chỉ", "Ghi chú". Template columns: tax_code, name, name_en`},
		{"no header at all", []byte("\r\n,,,\r\n"), sihub.ErrInvalid, "no rows"},
		{"unclosed quote", unclosed, sihub.ErrInvalid, "longer than 8 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newMemStore()
			before := &sihub.Company{TaxCode: "x", Name: "untouched"}
			st.data["x"] = before
			_, err := ImportCompanies(context.Background(), writeFile(t, "upload.xlsx", tc.data), Options{}, st)
			if err == nil {
				t.Fatal("no error")
			}
			if got := sihub.ErrorCode(err); got != tc.code {
				t.Errorf("code %s, want %s (%v)", got, tc.code, err)
			}
			msg := sihub.ErrorMsg(err)
			if !strings.Contains(msg.EN, tc.msg) {
				t.Errorf("message %q lacks %q", msg.EN, tc.msg)
			}
			if msg.VI == "" || msg.VI == msg.EN {
				t.Errorf("no Vietnamese message: %+v", msg)
			}
			if st.calls != 0 || len(st.data) != 1 || st.data["x"] != before {
				t.Errorf("store touched: %d calls, %d companies", st.calls, len(st.data))
			}
		})
	}
}
