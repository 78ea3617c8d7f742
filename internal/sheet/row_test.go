package sheet

import (
	"slices"
	"strings"
	"testing"
)

func TestParseEmployees(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"1200", 1200, true},
		{"1.200", 1200, true},
		{"1,200", 1200, true},
		{"1 200", 1200, true},
		{"12.000.000", 12000000, true},
		{"1200 người", 1200, true},
		{"1200 nguoi", 1200, true},
		{"~200", 200, true},
		{"khoảng 200 lao động", 200, true},
		{"200+", 200, true},
		{">200", 200, true},
		{"about 250 employees", 250, true},
		{"85.0", 85, true}, // a number cell written by another program
		{"nhiều", 0, false},
		{"1.5", 0, false},
		{"100-200", 0, false},
		{"2OO", 0, false},
		{"200 ca", 0, false},
		{"9999999999", 0, false},
	} {
		got, ok := parseEmployees(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseEmployees(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseFounded(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"2005", 2005, true},
		{"năm 2005", 2005, true},
		{"Năm 2005", 2005, true},
		{"nam 2005", 2005, true},
		{"15/03/2005", 2005, true},
		{"15-03-2005", 2005, true},
		{"15.03.2005", 2005, true},
		{"2005-03-15", 2005, true},
		{"03/2005", 2005, true},
		{"thành lập năm 2005", 2005, true},
		{"since 1998", 1998, true},
		{"2005.0", 2005, true},
		{"15/03/05", 0, false},
		{"38426", 0, false},
		{"2005 - 2010", 0, false},
		{"lâu rồi", 0, false},
		{"05", 0, false},
	} {
		got, ok := parseFounded(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseFounded(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTaxCell(t *testing.T) {
	code := taxCode(t, "031234567") // 10 digits with a leading zero
	branch := code + "001"
	for _, tc := range []struct {
		in, want string
		problem  bool
		warning  bool
	}{
		{code, code, false, false},
		{code[1:], code, true, true},     // Excel dropped the zero
		{branch[1:], branch, true, true}, // a branch stored as a number
		{"'" + code, code, false, false}, // Excel's text prefix kept by a CSV
		{"1.23457E+12", "1.23457E+12", true, false},
		{"3,50012E+12", "3,50012E+12", true, false}, // Vietnamese Excel's decimal comma
		{"3500123456001", "3500123456001", false, false},
	} {
		got, p := taxCell(tc.in)
		if got != tc.want || (p != nil) != tc.problem || (p != nil && p.Warning != tc.warning) {
			t.Errorf("taxCell(%q) = %q, %+v; want %q, problem %v warning %v", tc.in, got, p, tc.want, tc.problem, tc.warning)
		}
	}
	// Nine digits that stay invalid with a zero in front are not "repaired".
	bad := code[1:9] + string(rune('0'+(code[9]-'0'+1)%10))
	if got, p := taxCell(bad); got != bad || p == nil || p.Warning {
		t.Errorf("taxCell(%q) = %q, %+v; want it unchanged with an error", bad, got, p)
	}
}

// The formula guard is a bijection: every string survives export and import,
// and every exported cell that Excel would take for a formula is guarded,
// but for phone-like numbers, which can't call or reference anything.
func TestFormulaEscapeBijection(t *testing.T) {
	alphabet := []string{"", "=", "+", "-", "@", "'", "a", "1", " ", "\t"}
	var cases []string
	for _, a := range alphabet {
		for _, b := range alphabet {
			for _, c := range alphabet {
				cases = append(cases, a+b+c)
			}
		}
	}
	cases = append(cases, "=SUM(A1:A9)", "+84 28 3823 4567", "-5", "@cmd", "'=x", "''=x", "'''", "'", "''", "'a")
	for in, want := range map[string]string{"+84 28 3823 4567": "+84 28 3823 4567", "-5": "-5", "-": "'-",
		"+1 (0)2": "+1 (0)2", "+A1": "'+A1", "-1+cmd|x": "'-1+cmd|x", "=1": "'=1"} {
		if got := escapeFormula(in); got != want {
			t.Errorf("escapeFormula(%q) = %q; want %q", in, got, want)
		}
	}
	seen := map[string]string{}
	for _, s := range cases {
		e := escapeFormula(s)
		if got := unescapeFormula(e); got != s {
			t.Errorf("unescape(escape(%q)) = %q", s, got)
		}
		if e != "" && strings.ContainsRune("=+-@", rune(e[0])) && !numberLike(e) {
			t.Errorf("escape(%q) = %q still starts a formula", s, e)
		}
		if prev, dup := seen[e]; dup && prev != s {
			t.Errorf("escape(%q) = escape(%q) = %q", s, prev, e)
		}
		seen[e] = s
		// Exports are unescaped once: an escaped string is a fixed point of
		// escape∘unescape.
		if got := escapeFormula(unescapeFormula(e)); got != e {
			t.Errorf("escape(unescape(%q)) = %q", e, got)
		}
	}
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"2592; 2220", []string{"2592", "2220"}},
		{"2592,2220/2599\n2511 | 2512", []string{"2592", "2220", "2599", "2511", "2512"}},
		{"", nil},
		{" ; ", nil},
	} {
		if got := splitList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCleanCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		csv  bool
		want string
	}{
		{"  Công ty  ", true, "Công ty"},
		{"Co\u0302ng ty", true, "Công ty"}, // NFD → NFC
		{"a\r\nb\rc", true, "a\nb\nc"},
		{"x\x00y\x07z\ufeff", true, "xyz"},
		{"'=1+2", true, "=1+2"},
		{"'=1+2", false, "'=1+2"}, // only CSV exports are guarded
		{"\u00a0100\u00a0", false, "100"},
	} {
		if got := cleanCell(tc.in, legacyNone, tc.csv); got != tc.want {
			t.Errorf("cleanCell(%q, %v) = %q, want %q", tc.in, tc.csv, got, tc.want)
		}
	}
}
