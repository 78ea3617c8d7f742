package sheet

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
	"golang.org/x/text/unicode/norm"
)

// CompanyRow returns c as a row in CompanyColumns order — the one place,
// with companyFromRow, that maps companies to cells, so that an export reads
// back as the same company.
func CompanyRow(c *sihub.Company) []string {
	row := make([]string, numCompanyColumns)
	row[colTaxCode] = sihub.FormatTaxCode(c.TaxCode)
	row[colName] = c.Name
	row[colNameEn] = c.NameEn
	row[colProvince] = c.ProvinceInput
	if row[colProvince] == "" && c.ProvinceCode != "" {
		row[colProvince] = provinceName(c.ProvinceCode)
	}
	row[colAddress] = c.Address
	row[colPark] = c.IndustrialPark
	row[colSectors] = strings.Join(c.Sectors, "; ")
	row[colCapabilities] = c.CapabilitiesText
	row[colMaterials] = c.MaterialsText
	row[colCertifications] = c.CertificationsText
	row[colEquipment] = c.EquipmentText
	if c.Employees > 0 {
		row[colEmployees] = strconv.Itoa(c.Employees)
	}
	if c.Founded > 0 {
		row[colFounded] = strconv.Itoa(c.Founded)
	}
	row[colProducts] = c.Products
	row[colDescription] = c.Description
	row[colWebsite] = c.Website
	row[colEmail] = c.Email
	row[colPhone] = c.Phone
	return row
}

// provinceName is the 2025 province an export writes for a company whose
// province was only resolved from its address or park.
func provinceName(code string) string {
	if p, ok := taxonomy.ProvinceByCode(code); ok {
		return p.Name
	}
	return ""
}

// companyFromRow reads a row in CompanyColumns order (cells already cleaned)
// into a supplier. The problems are the cells it could not read; the caller
// adds the row number. Validation proper is match.Prepare's.
func companyFromRow(v []string) (*sihub.Company, []Problem) {
	c := &sihub.Company{
		Kind:               sihub.Supplier,
		Name:               v[colName],
		NameEn:             v[colNameEn],
		ProvinceInput:      v[colProvince],
		Address:            v[colAddress],
		IndustrialPark:     v[colPark],
		Sectors:            splitList(v[colSectors]),
		CapabilitiesText:   v[colCapabilities],
		MaterialsText:      v[colMaterials],
		CertificationsText: v[colCertifications],
		EquipmentText:      v[colEquipment],
		Products:           v[colProducts],
		Description:        v[colDescription],
		Website:            v[colWebsite],
		Email:              v[colEmail],
		Phone:              v[colPhone],
	}
	var probs []Problem
	var p *Problem
	c.TaxCode, p = taxCell(v[colTaxCode])
	if p != nil {
		probs = append(probs, *p)
	}
	if s := v[colEmployees]; s != "" {
		if n, ok := parseEmployees(s); ok {
			c.Employees = n
		} else {
			probs = append(probs, Problem{Column: "employees",
				Msg: sihub.M("Số lao động %q không phải là một con số; hãy ghi một số, ví dụ 120.",
					"Employees %q is not a number; write a single number, e.g. 120.", s)})
		}
	}
	if s := v[colFounded]; s != "" {
		if y, ok := parseFounded(s); ok {
			c.Founded = y
		} else {
			probs = append(probs, Problem{Column: "founded",
				Msg: sihub.M("Không đọc được năm thành lập %q; hãy ghi năm bằng 4 chữ số, ví dụ 2005.",
					"Year founded %q could not be read; write the year with 4 digits, e.g. 2005.", s)})
		}
	}
	return c, probs
}

// prepareRow reads and prepares the company of one row.
func prepareRow(v []string) (*sihub.Company, []Problem) {
	c, probs := companyFromRow(v)
	taxBad := false
	for _, p := range probs {
		if p.Column == "tax_code" && !p.Warning {
			taxBad = true
		}
	}
	warnings, err := match.PrepareWarn(c)
	for _, w := range warnings {
		probs = append(probs, Problem{Column: w.Field, Msg: w.Msg, Warning: true})
	}
	if err != nil {
		fields := sihub.FieldsOf(err)
		if len(fields) == 0 {
			probs = append(probs, Problem{Msg: sihub.ErrorMsg(err)})
		}
		for _, f := range fields {
			if f.Field == "tax_code" && taxBad {
				continue // already explained by taxCell
			}
			probs = append(probs, Problem{Column: f.Field, Msg: f.Msg})
		}
	}
	return c, probs
}

var scientificRe = regexp.MustCompile(`^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$`)

// taxCell reads a tax code cell, repairing the leading zero Excel drops from
// a code stored as a number when that is unambiguous: the code with a zero in
// front is valid.
func taxCell(s string) (string, *Problem) {
	s = strings.TrimPrefix(s, "'") // Excel's text prefix, when a CSV keeps it
	if scientificRe.MatchString(s) {
		return s, &Problem{Column: "tax_code", Msg: sihub.M(
			"Mã số thuế %q đã bị Excel đổi sang dạng số mũ và mất chữ số. Hãy định dạng cột Mã số thuế là Văn bản (Text), nhập lại mã rồi lưu tệp.",
			"Tax code %q was turned into scientific notation by Excel, which loses digits. Format the tax code column as Text, type the code again and save the file.", s)}
	}
	d := sihub.CompactTaxCode(s)
	if (len(d) == 9 || len(d) == 12) && allDigits(d) {
		if fixed, err := sihub.ParseTaxCode("0" + d); err == nil {
			return fixed, &Problem{Column: "tax_code", Warning: true, Msg: sihub.M(
				"Mã số thuế %q thiếu số 0 ở đầu (Excel bỏ đi khi cột không định dạng Văn bản); đã đọc thành %s.",
				"Tax code %q lacked its leading zero (Excel drops it unless the column is formatted as Text); read as %s.",
				s, sihub.FormatTaxCode(fixed))}
		}
		return s, &Problem{Column: "tax_code", Msg: sihub.M(
			"Mã số thuế %q có %d chữ số, trong khi mã số thuế có 10 hoặc 13 chữ số; thêm số 0 ở đầu cũng không thành mã hợp lệ.",
			"Tax code %q has %d digits where a tax code has 10 or 13; adding a leading zero does not make a valid code either.", s, len(d))}
	}
	return s, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// splitList splits a list cell on the separators people use between codes.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '/' || r == '|' || r == '\n' || r == '\t' || r == ' '
	}) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Words around a head count or a year that say nothing about the number.
var (
	employeeWords = []string{"khoang", "tren", "hon", "gan", "toi thieu", "lao dong", "nhan vien", "cong nhan", "nhan su",
		"nguoi", "approximately", "approx", "about", "around", "over", "more than", "nearly", "employees", "employee",
		"people", "persons", "staff", "workers"}
	yearWords = []string{"thanh lap", "nam", "ngay", "thang", "tu", "founded", "established", "since", "year", "in"}
	groupedRe = regexp.MustCompile(`^[0-9]{1,3}([., ][0-9]{3})+$`)
	decimalRe = regexp.MustCompile(`^([0-9]+)[.,]0+$`)
)

// stripWords folds s and removes the given whole words and the symbols
// around numbers, returning what is left.
func stripWords(s string, words []string, symbols string) string {
	t := " " + match.Fold(s) + " "
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(t[from:], w)
			if i < 0 {
				break
			}
			i += from
			j := i + len(w)
			if isLetterByte(t[i-1]) || isLetterByte(t[j]) {
				from = j // part of a longer word
				continue
			}
			t = t[:i] + " " + t[j:]
			from = i
		}
	}
	t = strings.Map(func(r rune) rune {
		if strings.ContainsRune(symbols, r) {
			return ' '
		}
		return r
	}, t)
	return strings.TrimSpace(t)
}

func isLetterByte(b byte) bool { return (b >= 'a' && b <= 'z') || b >= 0x80 }

// parseEmployees reads a head count: "1.200", "1,200", "1200 người", "~200".
func parseEmployees(s string) (int, bool) {
	t := stripWords(s, employeeWords, "~≈<>=+:")
	switch {
	case allDigits(t):
	case groupedRe.MatchString(t):
		t = strings.NewReplacer(".", "", ",", "", " ", "").Replace(t)
	case decimalRe.MatchString(t):
		t = decimalRe.FindStringSubmatch(t)[1]
	default:
		return 0, false
	}
	if len(t) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// parseFounded reads a year: "2005", "năm 2005", or a date such as
// "15/03/2005" or "2005-03-15".
func parseFounded(s string) (int, bool) {
	t := stripWords(s, yearWords, ":,")
	year, runs := 0, 0
	for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' }) {
		if !allDigits(f) {
			return 0, false
		}
		runs++
		switch {
		case len(f) == 4 && year == 0:
			year, _ = strconv.Atoi(f)
		case len(f) <= 2:
		default:
			return 0, false
		}
	}
	return year, year != 0 && runs <= 3
}

// cleanCell normalises a cell as read: legacy font text converted, NFC,
// line breaks as "\n", no other control characters, no surrounding space,
// and in CSV the formula guard an export added removed.
func cleanCell(s string, conv legacy, csv bool) string {
	if conv != legacyNone {
		s = conv.convert(s)
	}
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == 0x7f {
			plain = false
			break
		}
	}
	if !plain {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		s = norm.NFC.String(s)
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.Map(func(r rune) rune {
			switch {
			case r == '\r':
				return '\n'
			case r == '\n' || r == '\t':
				return r
			case r < 0x20 || r == 0x7f || r == 0xFEFF:
				return -1
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	if csv {
		s = unescapeFormula(s)
	}
	return s
}

// A CSV cell starting with = + - @ is a formula to Excel. Exports put an
// apostrophe in front (and in front of a leading apostrophe that precedes
// one of those, so the mapping stays one-to-one); imports take exactly one
// off.
func escapeFormula(s string) string {
	if s == "" {
		return s
	}
	if (strings.IndexByte("=+-@", s[0]) >= 0 && !numberLike(s)) || (s[0] == '\'' && len(s) > 1 && strings.IndexByte("=+-@'", s[1]) >= 0) {
		return "'" + s
	}
	return s
}

// numberLike reports whether s, starting with + or -, holds only digits and
// the punctuation of phone numbers: without letters a formula can neither
// call a function nor reference a cell, so "+84 28 3812 3456" needs no guard
// (and Excel users would otherwise see the apostrophe).
func numberLike(s string) bool {
	if s[0] != '+' && s[0] != '-' {
		return false
	}
	digits := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == ' ' || c == '.' || c == '(' || c == ')' || c == '-' || c == '/':
		default:
			return false
		}
	}
	return digits
}

func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@'", s[1]) >= 0 {
		return s[1:]
	}
	return s
}
