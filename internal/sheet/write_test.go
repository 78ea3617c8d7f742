package sheet

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
	"github.com/xuri/excelize/v2"
)

// richCSV fills every template column, with the values that break naive
// exports: formula starts, quotes, commas, line breaks, a branch code.
func richCSV(t *testing.T) string {
	rows := [][]string{keys(),
		{taxCode(t, "031234567"), "@Home Việt Nam", "-Minus Co., Ltd.", "TP. Hồ Chí Minh", "Lô A1, đường số 3, phường Tân Tạo",
			"KCN Tân Tạo", "2592; 2599", "=tiện CNC; phay CNC", "+SUS304, \"S45C\"", "ISO 9001:2015", "8 máy tiện CNC\n4 máy phay 5 trục",
			"85", "2008", "'=trục, bạc", "Dòng một.\nDòng hai, có \"ngoặc kép\".\n- gạch đầu dòng", "https://vidu.vn", "info@vidu.vn", "+84 28 3750 1234"},
		{taxCode(t, "010011243") + "-002", "Chi nhánh Công ty Cơ khí Hà Nội", "", "", "12 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{taxCode(t, "360123456"), "Công ty TNHH Nhựa Đồng Nai", "", "Đồng Nai", "", "", "", "ép nhựa", "", "", "", "1200", "1999", "", "''=x", "", "", "0251 3836 000"},
	}
	return csvText(t, ',', rows)
}

func sorted(st *memStore) iter.Seq2[*sihub.Company, error] {
	return func(yield func(*sihub.Company, error) bool) {
		for _, k := range slices.Sorted(maps.Keys(st.data)) {
			if !yield(st.data[k], nil) {
				return
			}
		}
	}
}

func export(t *testing.T, st *memStore, f Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCompanies(&b, f, sorted(st)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func importBytes(t *testing.T, name string, data []byte) *memStore {
	t.Helper()
	st := newMemStore()
	rep, err := ImportCompanies(context.Background(), writeFile(t, name, data), Options{}, st)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || len(rep.Problems) != 0 {
		var b bytes.Buffer
		rep.WriteText(&b, sihub.EN)
		t.Fatalf("import of %s:\n%s", name, b.String())
	}
	return st
}

// sameCompanies compares two stores on every field the template carries.
func sameCompanies(t *testing.T, a, b *memStore) {
	t.Helper()
	if len(a.data) != len(b.data) {
		t.Fatalf("%d companies, want %d", len(b.data), len(a.data))
	}
	for k, ca := range a.data {
		cb := b.data[k]
		if cb == nil {
			t.Fatalf("company %s lost", k)
		}
		ra, rb := CompanyRow(ca), CompanyRow(cb)
		if !slices.Equal(ra, rb) || ca.ProvinceCode != cb.ProvinceCode || ca.Kind != cb.Kind ||
			ca.Employees != cb.Employees || ca.Founded != cb.Founded || !slices.Equal(ca.Sectors, cb.Sectors) {
			t.Errorf("company %s changed:\n%q\n%q", k, ra, rb)
		}
		// What is recognized from the text is the same too.
		if fmt.Sprint(ca.Capabilities, ca.Materials, ca.Certifications, ca.Equipment, ca.WardCode) !=
			fmt.Sprint(cb.Capabilities, cb.Materials, cb.Certifications, cb.Equipment, cb.WardCode) {
			t.Errorf("company %s recognized differently:\n%+v\n%+v", k, ca, cb)
		}
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	st1 := importBytes(t, "rich.csv", []byte(richCSV(t)))
	if c := st1.data[taxCode(t, "360123456")]; c.Description != "'=x" || c.Products != "" {
		t.Fatalf("apostrophe guard read wrong: %+v", c)
	}
	// A province known only from the address is exported by its 2025 name.
	if c := st1.data[taxCode(t, "010011243")+"002"]; c.ProvinceInput != "" || c.ProvinceCode != "79" {
		t.Fatalf("branch: province %q code %q", c.ProvinceInput, c.ProvinceCode)
	}
	e1 := export(t, st1, FormatCSV)
	if !bytes.HasPrefix(e1, []byte("\uFEFFtax_code,name,name_en,province,address,industrial_park,sectors,capabilities,materials,certifications,equipment,employees,founded,products,description,website,email,phone\r\n")) {
		t.Errorf("export header: %q", e1[:200])
	}
	for _, guarded := range []string{",'@Home Việt Nam,", `"'-Minus Co., Ltd."`, ",'=tiện CNC; phay CNC,", `"'+SUS304, ""S45C"""`, ",+84 28 3750 1234\r\n", ",''=x,"} {
		if !bytes.Contains(e1, []byte(guarded)) {
			t.Errorf("export lacks %s:\n%s", guarded, e1)
		}
	}
	if !bytes.Contains(e1, []byte("0100112437-002")) {
		t.Errorf("branch code not printed with its dash:\n%s", e1)
	}

	st2 := importBytes(t, "export.csv", e1)
	sameCompanies(t, st1, st2)
	if e2 := export(t, st2, FormatCSV); !bytes.Equal(e1, e2) {
		t.Errorf("CSV export → import → export differs:\n%s\n---\n%s", e1, e2)
	}

	x1 := export(t, st1, FormatXLSX)
	st3 := importBytes(t, "export.xlsx", x1)
	sameCompanies(t, st1, st3)
	if e3 := export(t, st3, FormatCSV); !bytes.Equal(e1, e3) {
		t.Errorf("XLSX round trip changed the data:\n%s\n---\n%s", e1, e3)
	}
	if x2 := export(t, st3, FormatXLSX); !bytes.Equal(x1, x2) {
		t.Errorf("XLSX export → import → export differs")
	}

	// The XLSX export keeps tax codes as text and numbers as numbers.
	f, err := excelize.OpenReader(bytes.NewReader(x1))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for cell, want := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "L3": excelize.CellTypeUnset, "M3": excelize.CellTypeUnset} {
		got, err := f.GetCellType(sheet, cell)
		if err != nil || got != want {
			t.Errorf("cell %s type %v, want %v (%v)", cell, got, want, err)
		}
	}
	if v, _ := f.GetCellValue(sheet, "A2"); v != taxCode(t, "010011243")+"-002" {
		t.Errorf("A2 = %q", v)
	}
}

func TestCompanyRowProvince(t *testing.T) {
	p, ok := taxonomy.ProvinceByCode("79")
	if !ok {
		t.Skip("taxonomy has no province 79")
	}
	row := CompanyRow(&sihub.Company{TaxCode: "0312345670", ProvinceCode: "79"})
	if row[colProvince] != p.Name || p.Name == "" {
		t.Errorf("province column %q, want %q", row[colProvince], p.Name)
	}
	row = CompanyRow(&sihub.Company{ProvinceInput: "Sài Gòn", ProvinceCode: "79"})
	if row[colProvince] != "Sài Gòn" {
		t.Errorf("province column %q, want the input as written", row[colProvince])
	}
}

func TestCompanyTemplate(t *testing.T) {
	for _, lang := range []sihub.Lang{sihub.VI, sihub.EN} {
		var b bytes.Buffer
		if err := WriteCompanyTemplate(&b, FormatXLSX, lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		want := []string{sheetCompaniesVI, sheetInstructionsVI}
		if lang == sihub.EN {
			want = []string{sheetCompaniesEN, sheetInstructionsEN}
		}
		if !slices.Equal(sheets, want) {
			t.Errorf("%s: sheets %q, want %q", lang, sheets, want)
		}
		header, err := f.GetRows(sheets[0])
		if err != nil || len(header) != 1 {
			t.Fatalf("%s: rows %q, %v", lang, header, err)
		}
		for i, c := range CompanyColumns {
			if header[0][i] != c.Label(lang) {
				t.Errorf("%s: header %d = %q, want %q", lang, i, header[0][i], c.Label(lang))
			}
		}
		comments, err := f.GetComments(sheets[0])
		if err != nil || len(comments) != len(CompanyColumns) {
			t.Fatalf("%s: %d comments, %v", lang, len(comments), err)
		}
		for _, cm := range comments {
			text := cm.Text
			for _, r := range cm.Paragraph {
				text += r.Text
			}
			if cm.Cell == "A1" && (!strings.Contains(text, "tax_code") || !strings.Contains(text, "Định dạng cột là Văn bản") || !strings.Contains(text, "Format the column as Text")) {
				t.Errorf("%s: A1 note %q", lang, text)
			}
		}
		style, err := f.GetColStyle(sheets[0], "A")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := f.GetStyle(style); err != nil || s.NumFmt != 49 {
			t.Errorf("%s: tax code column is not Text: %+v %v", lang, s, err)
		}
		instr, err := f.GetRows(sheets[1])
		if err != nil {
			t.Fatal(err)
		}
		all := ""
		for _, r := range instr {
			all += strings.Join(r, "|") + "\n"
		}
		if !strings.Contains(all, "Mỗi doanh nghiệp một dòng") || !strings.Contains(all, "One company per row") || !strings.Contains(all, "tax_code|Mã số thuế|Tax code|x") {
			t.Errorf("%s: instructions:\n%s", lang, all)
		}

		// The empty template imports cleanly; filled in, it imports its row.
		rep, err := ImportCompanies(context.Background(), writeFile(t, "t.xlsx", b.Bytes()), Options{}, newMemStore())
		if err != nil || rep.Rows != 0 || len(rep.Problems) != 0 {
			t.Errorf("%s: empty template: %+v, %v", lang, rep, err)
		}
		for i, v := range example {
			if err := f.SetCellValue(sheets[0], columnLetter(i)+"2", v); err != nil {
				t.Fatal(err)
			}
		}
		filled, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		st := importBytes(t, "filled.xlsx", filled.Bytes())
		c := st.data["0312345673"]
		if c == nil || c.Name != example[colName] || c.Employees != 85 || c.Founded != 2008 || !slices.Equal(c.Sectors, []string{"2592", "2599"}) {
			t.Errorf("%s: filled template gave %+v", lang, st.data)
		}

		b.Reset()
		if err := WriteCompanyTemplate(&b, FormatCSV, lang); err != nil {
			t.Fatal(err)
		}
		labels := make([]string, len(CompanyColumns))
		for i, c := range CompanyColumns {
			labels[i] = c.Label(lang)
		}
		if got := b.String(); got != "\uFEFF"+csvText(t, ',', [][]string{labels}) {
			t.Errorf("%s: CSV template %q", lang, got)
		}
		rep, err = ImportCompanies(context.Background(), writeFile(t, "t.csv", b.Bytes()), Options{}, newMemStore())
		if err != nil || rep.Rows != 0 || len(rep.Problems) != 0 {
			t.Errorf("%s: CSV template: %+v, %v", lang, rep, err)
		}
	}
	if err := WriteCompanyTemplate(&bytes.Buffer{}, "ods", sihub.VI); sihub.ErrorCode(err) != sihub.ErrUnsupported {
		t.Errorf("ods template: %v", err)
	}
}

func TestHeaderSpellings(t *testing.T) {
	for h, want := range map[string]string{
		"Mã số thuế": "tax_code", "MST": "tax_code", "Ma so thue": "tax_code", "MA SO THUE": "tax_code", "Tax code": "tax_code",
		"tax_code": "tax_code", "Mã số thuế (10 hoặc 13 số)*": "tax_code", "Mã số thuế / Tax code": "tax_code",
		"Tên doanh nghiệp": "name", "Tên công ty": "name", "Company name": "name", "name": "name", "Tên DN *": "name",
		"Tên tiếng Anh": "name_en", "Name (English)": "name_en",
		"Tỉnh/Thành phố": "province", "Province": "province", "Tinh thanh": "province", "Tỉnh\nProvince": "province",
		"Năng lực": "capabilities", "Công nghệ": "capabilities", "Capabilities": "capabilities", "Processes": "capabilities",
		"Nang luc gia cong": "capabilities", "KCN/KCX": "industrial_park", "Khu công nghiệp": "industrial_park",
		"Số lao động": "employees", "Năm thành lập": "founded", "SĐT": "phone", "Điện thoại": "phone", "E-mail": "email",
		"Website": "website", "Mã ngành VSIC": "sectors", "Máy móc, thiết bị": "equipment", "Chứng nhận": "certifications",
	} {
		if i := companySet.match(h); i < 0 || CompanyColumns[i].Key != want {
			got := "none"
			if i >= 0 {
				got = CompanyColumns[i].Key
			}
			t.Errorf("companySet.match(%q) = %s, want %s", h, got, want)
		}
	}
	for _, h := range []string{"Ghi chú", "Notes", "Tên / Tax code", "STT"} {
		if i := companySet.match(h); i >= 0 {
			t.Errorf("companySet.match(%q) = %s, want none", h, CompanyColumns[i].Key)
		}
	}
	// Every label and alias reads as its own column.
	for i, c := range CompanyColumns {
		for _, h := range append([]string{c.Key, c.VI, c.EN}, c.Aliases...) {
			if got := companySet.match(h); got != i {
				t.Errorf("companySet.match(%q) = %d, want %d (%s)", h, got, i, c.Key)
			}
		}
	}
}
