package sihub

import "strings"

// Tax codes (mã số thuế) are 10 digits — a 2-digit province prefix, a serial
// and a check digit — or 13 digits for a branch: the parent's 10 digits and a
// 3-digit suffix, usually written "0100112437-001".

var taxWeights = [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}

// CompactTaxCode strips the separators people write into tax codes (spaces,
// dots, dashes) and returns the digits. It does not validate.
func CompactTaxCode(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case ' ', '.', '-', '/', '\u00a0', '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TaxCheckDigit returns the check digit for the first nine digits of a tax
// code, or -1 when there is none (the formula yields 10).
func TaxCheckDigit(first9 string) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(first9[i]-'0') * taxWeights[i]
	}
	d := 10 - sum%11
	if d == 10 {
		return -1
	}
	return d
}

// ParseTaxCode validates s and returns it in compact form (10 or 13 digits).
func ParseTaxCode(s string) (string, error) {
	c := CompactTaxCode(s)
	if c == "" {
		return "", Errorf(ErrInvalid, "Thiếu mã số thuế.", "The tax code is missing.")
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			if r == 'E' || r == 'e' || r == '+' {
				return "", Errorf(ErrInvalid,
					"Mã số thuế %q đã bị Excel đổi sang dạng số mũ; hãy định dạng cột là Văn bản (Text) và nhập lại.",
					"Tax code %q was turned into scientific notation by Excel; format the column as Text and enter it again.", s)
			}
			return "", Errorf(ErrInvalid, "Mã số thuế %q chỉ được chứa chữ số.", "Tax code %q may contain digits only.", s)
		}
	}
	if len(c) != 10 && len(c) != 13 {
		return "", Errorf(ErrInvalid, "Mã số thuế %q phải có 10 hoặc 13 chữ số (có %d).",
			"Tax code %q must have 10 or 13 digits (it has %d).", s, len(c))
	}
	if c[:2] == "00" {
		return "", Errorf(ErrInvalid, "Mã số thuế %q có mã tỉnh 00 không hợp lệ.", "Tax code %q has the invalid province prefix 00.", s)
	}
	if c[2:9] == "0000000" {
		return "", Errorf(ErrInvalid, "Mã số thuế %q có phần số thứ tự toàn số 0.", "Tax code %q has an all-zero serial number.", s)
	}
	want := TaxCheckDigit(c[:9])
	if want < 0 || int(c[9]-'0') != want {
		return "", Errorf(ErrInvalid, "Mã số thuế %q sai chữ số kiểm tra.", "Tax code %q has a wrong check digit.", s)
	}
	if len(c) == 13 && c[10:] == "000" {
		return "", Errorf(ErrInvalid, "Mã chi nhánh của mã số thuế %q không được là 000.", "The branch suffix of tax code %q may not be 000.", s)
	}
	return c, nil
}

// TaxParent returns the parent's 10-digit tax code for a 13-digit branch code
// and "" for a 10-digit code.
func TaxParent(compact string) string {
	if len(compact) == 13 {
		return compact[:10]
	}
	return ""
}

// FormatTaxCode writes a compact code the way it is printed on documents:
// 10 digits as they are, 13 as "0100112437-001".
func FormatTaxCode(compact string) string {
	if len(compact) == 13 {
		return compact[:10] + "-" + compact[10:]
	}
	return compact
}
