package sihub

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

func TestParseTaxCodeVectors(t *testing.T) {
	f, err := os.Open("testdata/taxcodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 150 {
		t.Fatalf("only %d vectors", len(rows))
	}
	for _, r := range rows[1:] {
		input, compact, valid := r[0], r[1], r[2] == "true"
		got, err := ParseTaxCode(input)
		if valid {
			if err != nil || got != compact {
				t.Errorf("ParseTaxCode(%q) = %q, %v; want %q", input, got, err, compact)
			}
		} else if err == nil {
			t.Errorf("ParseTaxCode(%q) = %q; want an error (%s)", input, got, r[3])
		}
	}
}

func TestParseTaxCode(t *testing.T) {
	tests := []struct {
		in, want string
		code     Code
	}{
		{"0100112437", "0100112437", ""},
		{" 0100112437-011 ", "0100112437011", ""},
		{"01.00.112.437", "0100112437", ""},
		{"0100112438", "", ErrInvalid},    // check digit
		{"100112437", "", ErrInvalid},     // 9 digits: the sheet importer repairs this, not the domain
		{"1.00112E+12", "", ErrInvalid},   // Excel's scientific notation
		{"0100112437000", "", ErrInvalid}, // branch 000
		{"0000000000", "", ErrInvalid},    // province 00
		{"abc", "", ErrInvalid},
		{"", "", ErrInvalid},
	}
	for _, tt := range tests {
		got, err := ParseTaxCode(tt.in)
		if got != tt.want || ErrorCode(err) != tt.code {
			t.Errorf("ParseTaxCode(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.code)
		}
		if err != nil && (ErrorMsg(err).VI == "" || ErrorMsg(err).EN == "") {
			t.Errorf("ParseTaxCode(%q): message not bilingual: %+v", tt.in, ErrorMsg(err))
		}
	}
}

func TestScientificNotationMessage(t *testing.T) {
	_, err := ParseTaxCode("1.23E+12")
	if m := ErrorMsg(err); m.EN == "" || !strings.Contains(m.EN, "Text") {
		t.Errorf("message %q should tell the user to format the column as Text", m.EN)
	}
}

func TestFormatTaxCode(t *testing.T) {
	if got := FormatTaxCode("0100112437011"); got != "0100112437-011" {
		t.Errorf("got %q", got)
	}
	if got := TaxParent("0100112437011"); got != "0100112437" {
		t.Errorf("got %q", got)
	}
	if got := TaxParent("0100112437"); got != "" {
		t.Errorf("got %q", got)
	}
}
