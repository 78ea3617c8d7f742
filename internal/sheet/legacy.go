package sheet

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Vietnamese marks as combining characters.
const (
	circumflex = '\u0302'
	breve      = '\u0306'
	horn       = '\u031B'
	grave      = '\u0300'
	acute      = '\u0301'
	tilde      = '\u0303'
	hook       = '\u0309'
	dotBelow   = '\u0323'
)

type vniMark struct{ mod, tone rune }

// legacy is a legacy font encoding text may be written in.
type legacy int

const (
	legacyNone legacy = iota
	legacyTCVN3
	legacyVNI
)

func (l legacy) encoding() string {
	switch l {
	case legacyTCVN3:
		return EncTCVN3
	case legacyVNI:
		return EncVNI
	}
	return ""
}

func (l legacy) convert(s string) string {
	switch l {
	case legacyTCVN3:
		return fromTCVN3(s)
	case legacyVNI:
		return fromVNI(s)
	}
	return s
}

// win1252Byte returns the byte a Windows-1252 (or Latin-1) system shows as r.
func win1252Byte(r rune) (byte, bool) {
	if r >= 0x80 && r <= 0xFF {
		return byte(r), true
	}
	return charmap.Windows1252.EncodeRune(r)
}

// fromTCVN3 converts text whose letters are TCVN3 bytes shown as
// Windows-1252 characters ("C«ng ty") to Unicode ("Công ty").
func fromTCVN3(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	changed := false
	for _, r := range s {
		if r >= 0x80 {
			if c, ok := win1252Byte(r); ok {
				if u, ok := tcvn3Table[c]; ok {
					r, changed = u, true
				}
			}
		}
		b.WriteRune(r)
	}
	if !changed {
		return s
	}
	return capitalizeWords(norm.NFC.String(b.String()))
}

// capitalizeWords restores the capitals VN3 cannot encode (the .VnTimeH
// fonts draw the small letters' codes as capitals): text with no small ASCII
// letter, or a word with two capitals and no small ASCII letter ("CốNG"), is
// put in capitals. A lone "Cơ" stays as it is: it may be either.
func capitalizeWords(s string) string {
	upper, lower := countCase(s)
	if lower == 0 && upper >= 2 {
		return strings.ToUpper(s)
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		if u, l := countCase(string(rs[i:j])); u >= 2 && l == 0 {
			for k := i; k < j; k++ {
				rs[k] = unicode.ToUpper(rs[k])
			}
		}
		i = j
	}
	return string(rs)
}

func countCase(s string) (upper, lower int) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		}
	}
	return upper, lower
}

// fromVNI converts text written in the VNI encoding and shown as
// Windows-1252 characters ("Coâng ty") to Unicode ("Công ty").
func fromVNI(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	changed := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		m, isMark := vniMarks[next]
		switch lr := unicode.ToLower(r); {
		case lr == 'a' && isMark,
			(lr == 'e' || lr == 'o') && isMark && (m.mod == 0 || m.mod == circumflex),
			(lr == 'u' || lr == 'y') && isMark && m.mod == 0:
			b.WriteRune(r)
			if m.mod != 0 {
				b.WriteRune(m.mod)
			}
			if m.tone != 0 {
				b.WriteRune(m.tone)
			}
			i++
			changed = true
		case vniSingles[r] != "":
			b.WriteString(vniSingles[r])
			if (lr == 'ô' || lr == 'ö') && isMark && m.mod == 0 {
				b.WriteRune(m.tone)
				i++
			}
			changed = true
		default:
			b.WriteRune(r)
		}
	}
	if !changed {
		return s
	}
	return norm.NFC.String(b.String())
}
