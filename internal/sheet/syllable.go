package sheet

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Telling Vietnamese from mojibake. Every Vietnamese word is a syllable of a
// small grammar — onset, vowel nucleus, coda, at most one tone — and text in
// the wrong encoding breaks it at once: "Coâng" (VNI read as Windows-1252)
// has no nucleus "oâ", "C«ng" (TCVN3) has a symbol inside, "ViÖt" a
// diaeresis. Scoring the words that carry non-ASCII letters under each
// candidate decoding picks the one that reads as Vietnamese.

var onsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}

// rhymes is every vowel nucleus with the codas it takes ("-" for none); it is
// deliberately a little generous, since it only has to reject mojibake.
var rhymes = func() map[string]bool {
	table := map[string]string{
		"a": "- c ch i m n ng nh o p t u y", "ă": "c m n ng p t", "â": "c m n ng p t u y",
		"e": "- c ch m n ng nh o p t", "ê": "- c ch m n ng nh p t u",
		"i": "- a c ch m n ng nh p t u", "iê": "c m n ng p t u", "yê": "c m n ng p t u", "y": "- ch n nh p t u",
		"o": "- c i m n ng p t", "oa": "- c ch i m n ng nh o p t y", "oă": "c m n ng p t",
		"oe": "- c m n ng o t", "oâ": "y", "oo": "c ng", "ô": "- c i m n ng p t", "ơ": "- c i m n ng p t",
		"u": "- a c i m n ng p t", "uâ": "c n ng t y", "uê": "- ch n nh u", "uô": "c i m n ng p t",
		"uơ": "-", "uy": "- a ch n nh p t u", "uyê": "n t",
		"ư": "- a c i m n ng t u", "ươ": "c i m n ng p t u",
	}
	m := make(map[string]bool)
	for nucleus, codas := range table {
		for _, c := range strings.Fields(codas) {
			if c == "-" {
				c = ""
			}
			m[nucleus+c] = true
		}
	}
	return m
}()

// vietLetter is a Latin letter decomposed: its base, vowel modifier and
// tone mark.
type vietLetter struct{ base, mod, tone rune }

// decomposed holds the decomposition of the precomposed Latin letters, so
// that scoring does not normalize word by word.
var decomposed = func() map[rune]vietLetter {
	m := map[rune]vietLetter{}
	for _, block := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || len(d) > 3 {
				continue
			}
			l := vietLetter{base: d[0]}
			ok := true
			for _, mark := range d[1:] {
				switch mark {
				case circumflex, breve, horn:
					l.mod = mark
				case grave, acute, tilde, hook, dotBelow:
					l.tone = mark
				default:
					ok = false
				}
			}
			if ok {
				m[r] = l
			}
		}
	}
	return m
}()

// vietSyllable reports whether w (one word) is a well-formed Vietnamese
// syllable, in any case.
func vietSyllable(w string) bool {
	var buf [24]rune
	letters := buf[:0]
	tones := 0
	for _, r := range w {
		r = unicode.ToLower(r)
		l, ok := decomposed[r]
		if !ok {
			l = vietLetter{base: r}
		}
		if l.base < 0x80 || l.base == 'đ' {
			l.base = unicode.ToLower(l.base)
		}
		if (l.base < 'a' || l.base > 'z') && l.base != 'đ' {
			return false
		}
		switch l.mod {
		case circumflex:
			if !strings.ContainsRune("aeo", l.base) {
				return false
			}
			l.base = map[rune]rune{'a': 'â', 'e': 'ê', 'o': 'ô'}[l.base]
		case breve:
			if l.base != 'a' {
				return false
			}
			l.base = 'ă'
		case horn:
			if l.base != 'o' && l.base != 'u' {
				return false
			}
			l.base = map[rune]rune{'o': 'ơ', 'u': 'ư'}[l.base]
		}
		if l.tone != 0 {
			if !strings.ContainsRune("aăâeêioôơuưy", l.base) {
				return false
			}
			tones++
		}
		if len(letters) == cap(buf) {
			return false
		}
		letters = append(letters, l.base)
	}
	if tones > 1 || len(letters) == 0 {
		return false
	}
	s := string(letters)
	for _, o := range onsets {
		if strings.HasPrefix(s, o) && rhymes[s[len(o):]] {
			return true
		}
	}
	return false
}

// vietScore counts the words with non-ASCII letters that are, and are not,
// Vietnamese syllables.
type vietScore struct{ valid, invalid int }

func (s vietScore) net() int   { return s.valid - s.invalid }
func (s vietScore) words() int { return s.valid + s.invalid }

// add scores the words of text.
func (s *vietScore) add(text string) {
	start, nonASCII := -1, false
	for i, r := range text {
		if wordRune(r) {
			if start < 0 {
				start, nonASCII = i, false
			}
			if r >= 0x80 {
				nonASCII = true
			}
			continue
		}
		if start >= 0 && nonASCII {
			s.word(text[start:i])
		}
		start = -1
	}
	if start >= 0 && nonASCII {
		s.word(text[start:])
	}
}

func (s *vietScore) word(w string) {
	for _, r := range w {
		if r >= 0x300 && r <= 0x36F { // Windows-1258 writes tones as combining marks
			w = norm.NFC.String(w)
			break
		}
	}
	if vietSyllable(w) {
		s.valid++
	} else {
		s.invalid++
	}
}

// wordRune says what may make up a word for scoring: letters and, beyond
// ASCII, anything but spaces and general punctuation — the symbols TCVN3 text
// shows as ("C«ng", "Thµnh") must stay inside their words.
func wordRune(r rune) bool {
	if r < 0x80 {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return !unicode.IsSpace(r) && r != 0xA0 && !(r >= 0x2000 && r <= 0x206F) && r != 0xFEFF
}
