package sheet

import (
	"context"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// memStore is a CompanyStore that keeps companies in a map and honours the
// contract: everything the sequence yields is applied only when it ends
// without an error.
type memStore struct {
	data      map[string]*sihub.Company
	calls     int
	failAfter int    // fail the transaction after this many companies; 0: never
	during    func() // called as the transaction starts
}

func newMemStore() *memStore { return &memStore{data: map[string]*sihub.Company{}} }

var errDiskFull = errors.New("disk full")

func (s *memStore) UpsertCompanies(ctx context.Context, seq iter.Seq2[*sihub.Company, error]) (created, updated int, err error) {
	s.calls++
	if s.during != nil {
		s.during()
	}
	pending := map[string]*sihub.Company{}
	var order []string
	n := 0
	for c, err := range seq {
		if err != nil {
			return 0, 0, err
		}
		n++
		if s.failAfter > 0 && n > s.failAfter {
			return 0, 0, errDiskFull
		}
		if _, ok := pending[c.TaxCode]; !ok {
			order = append(order, c.TaxCode)
		}
		pending[c.TaxCode] = c
	}
	for _, k := range order {
		if _, ok := s.data[k]; ok {
			updated++
		} else {
			created++
		}
		s.data[k] = pending[k]
	}
	return created, updated, nil
}

// taxCode returns a valid tax code starting with the 9 digits given (or
// their next valid neighbour).
func taxCode(t testing.TB, first9 string) string {
	t.Helper()
	for range 20 {
		if d := sihub.TaxCheckDigit(first9); d >= 0 {
			return first9 + string(rune('0'+d))
		}
		b := []byte(first9)
		b[8]++
		first9 = string(b)
	}
	t.Fatalf("no tax code near %s", first9)
	return ""
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Encoders for the fixtures, the inverse of what the package reads.

// toWin1258 writes text the way Excel saves it in code page 1258: base
// letters with their vowel marks precomposed where the code page has them,
// tones as combining marks.
func toWin1258(t testing.TB, s string) []byte {
	t.Helper()
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, ok := charmap.Windows1258.EncodeRune(r); ok {
			out = append(out, b)
			continue
		}
		var base []rune
		var tone rune
		for _, d := range norm.NFD.String(string(r)) {
			switch d {
			case grave, acute, tilde, hook, dotBelow:
				tone = d
			default:
				base = append(base, d)
			}
		}
		for _, d := range norm.NFC.String(string(base)) {
			b, ok := charmap.Windows1258.EncodeRune(d)
			if !ok {
				t.Fatalf("cp1258 cannot encode %q", d)
			}
			out = append(out, b)
		}
		if tone != 0 {
			b, _ := charmap.Windows1258.EncodeRune(tone)
			out = append(out, b)
		}
	}
	return out
}

// toTCVN3 writes text in TCVN3 bytes (capital toned letters are not
// encodable and must not be used).
func toTCVN3(t testing.TB, s string) []byte {
	t.Helper()
	rev := map[rune]byte{}
	for b, r := range tcvn3Table {
		rev[r] = b
	}
	var out []byte
	for _, r := range norm.NFC.String(s) {
		switch b, ok := rev[r]; {
		case r < 0x80:
			out = append(out, byte(r))
		case ok:
			out = append(out, b)
		default:
			t.Fatalf("TCVN3 cannot encode %q", r)
		}
	}
	return out
}

// toVNI writes text in VNI bytes.
func toVNI(t testing.TB, s string) []byte {
	t.Helper()
	toneMark := map[rune]rune{acute: 'ù', grave: 'ø', hook: 'û', tilde: 'õ', dotBelow: 'ï'}
	circ := map[rune]rune{0: 'â', acute: 'á', grave: 'à', hook: 'å', tilde: 'ã', dotBelow: 'ä'}
	brev := map[rune]rune{0: 'ê', acute: 'é', grave: 'è', hook: 'ú', tilde: 'ü', dotBelow: 'ë'}
	iTone := map[rune]rune{acute: 'í', grave: 'ì', hook: 'æ', tilde: 'ó', dotBelow: 'ò'}
	var rs []rune
	for _, r := range norm.NFC.String(s) {
		if r == 'đ' || r == 'Đ' {
			rs = append(rs, map[rune]rune{'đ': 'ñ', 'Đ': 'Ñ'}[r])
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		base, mod, tone := d[0], rune(0), rune(0)
		for _, m := range d[1:] {
			if m == circumflex || m == breve || m == horn {
				mod = m
			} else {
				tone = m
			}
		}
		up := base >= 'A' && base <= 'Z'
		c := func(x rune) rune {
			if up {
				return []rune(strings.ToUpper(string(x)))[0]
			}
			return x
		}
		lb := base | 0x20
		switch {
		case len(d) == 1:
			rs = append(rs, r)
		case mod == circumflex:
			rs = append(rs, base, c(circ[tone]))
		case mod == breve:
			rs = append(rs, base, c(brev[tone]))
		case mod == horn:
			rs = append(rs, c(map[rune]rune{'o': 'ô', 'u': 'ö'}[lb]))
			if tone != 0 {
				rs = append(rs, c(toneMark[tone]))
			}
		case lb == 'i':
			rs = append(rs, c(iTone[tone]))
		case lb == 'y' && tone == dotBelow:
			rs = append(rs, c('î'))
		default:
			rs = append(rs, base, c(toneMark[tone]))
		}
	}
	var out []byte
	for _, r := range rs {
		b, ok := win1252Byte(r)
		if r < 0x80 {
			b, ok = byte(r), true
		}
		if !ok {
			t.Fatalf("VNI cannot encode %q", r)
		}
		out = append(out, b)
	}
	return out
}

// asWin1252Text is what a legacy-font cell looks like once Excel saves it
// as Unicode: each byte shown as its Windows-1252 character.
func asWin1252Text(t testing.TB, b []byte) string {
	t.Helper()
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}
