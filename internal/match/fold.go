// Package match turns free text into taxonomy codes and ranks companies.
// It is pure: no SQL, no HTTP, no files but the embedded taxonomy.
package match

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, decomposes it (NFD), drops the combining marks and maps
// đ/Đ to d, so that "Ép Nhựa" and "ep nhua" compare equal. Users often type
// Vietnamese without diacritics; every comparison that must forgive that goes
// through Fold.
func Fold(s string) string {
	// Fast path: plain ASCII needs only lower-casing.
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(unicode.ToLower(r))
		case inRuneTable(r):
			b.WriteString(runeInfoOf(r).fold)
		default:
			foldSlow(&b, r)
		}
	}
	return b.String()
}

// foldSlow folds a rune outside the precomputed Latin ranges.
func foldSlow(b *strings.Builder, r rune) {
	for _, x := range norm.NFD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, x):
		case x == 'đ' || x == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(x))
		}
	}
}

// Lower returns s in NFC and lower case, keeping its diacritics: text written
// with diacritics is matched on its exact accented form, so that "đúc" (cast)
// is never taken for "đục" (chisel).
func Lower(s string) string {
	return strings.ToLower(norm.NFC.String(s))
}

// runeInfo is what folding needs to know about one precomposed letter.
type runeInfo struct {
	fold string // folded form, "" for a combining mark
	key  string // lower-case letter keeping its vowel marks (â ă ê ô ơ ư đ) but not its tone
	tone uint8  // the Vietnamese tone it carries, 0 for none
	mark bool   // it carries a diacritic (đ counts)
}

// The Latin letters Vietnamese uses live in these two ranges; their folding
// is computed once so that folding a word costs a table lookup per letter.
const (
	loStart, loEnd = 0x80, 0x370                      // Latin-1, Latin Extended-A/B, IPA, combining marks
	hiStart, hiEnd = 0x1E00, 0x1F00                   // Latin Extended Additional (ạ ả ấ … ỹ)
	toneMarks      = "\u0301\u0300\u0309\u0303\u0323" // sắc, huyền, hỏi, ngã, nặng: tones 1 to 5
)

// The tables are variables with initializers, not filled by init, so that
// the package's other variables built by folding words are initialized after
// them.
var loTable, hiTable = runeTable(loStart, loEnd), runeTable(hiStart, hiEnd)

func runeTable(from, to rune) []runeInfo {
	t := make([]runeInfo, to-from)
	for r := from; r < to; r++ {
		t[r-from] = computeRuneInfo(r)
	}
	return t
}

func inRuneTable(r rune) bool {
	return (r >= loStart && r < loEnd) || (r >= hiStart && r < hiEnd)
}

func runeInfoOf(r rune) *runeInfo {
	if r < loEnd {
		return &loTable[r-loStart]
	}
	return &hiTable[r-hiStart]
}

func computeRuneInfo(r rune) runeInfo {
	if r == 'đ' || r == 'Đ' {
		return runeInfo{fold: "d", key: "đ", mark: true}
	}
	var info runeInfo
	var fold, base strings.Builder
	for _, x := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, x) {
			fold.WriteRune(unicode.ToLower(x))
			base.WriteRune(unicode.ToLower(x))
			continue
		}
		info.mark = true
		if i := strings.IndexRune(toneMarks, x); i >= 0 {
			info.tone = uint8(utf8.RuneCountInString(toneMarks[:i])) + 1
		} else if base.Len() > 0 {
			base.WriteRune(x) // a vowel mark: part of the letter
		}
	}
	info.fold = fold.String()
	info.key = norm.NFC.String(base.String())
	return info
}

// gap describes what separates a token from the one before it.
type gap uint16

const (
	gSpace    gap = 1 << iota // white space
	gPunct                    // any punctuation: a boundary for a list item
	gHard                     // punctuation a phrase may not span (, ; : ( …)
	gSentence                 // ends a sentence or clause (. ; ! ? new line)
	gList                     // separates list items (, ; | • new line, " - ")
	gDash                     // - – — ~
	gSlash                    // /
	gTimes                    // × *
	gOpen                     // ( [
)

// token is a word or number of a text. Words are runs of letters; numbers
// runs of digits, with a decimal or thousands separator inside ("2.5",
// "1.000"). A run of letters and digits is split where they meet, so that
// "ISO9001" and "ISO 9001", "SUS304" and "SUS 304" read alike.
type token struct {
	start, end int    // byte offsets in the text
	fold       string // folded form
	key        string // accent key: lower case, vowel marks kept, tone as a trailing digit
	accented   bool   // written with diacritics
	upper      bool   // starts with a capital letter
	num        bool
	val        float64
	gap        gap // the separator before it

	fa, fb, ka, kb int32 // where fold and key lie in the text's shared buffer, while tokenizing
}

// tokenize appends the tokens of s to toks. The folded forms of all its
// tokens share one string, which keeps a long text to a few allocations.
func tokenize(s string, toks []token) []token {
	toks, _ = tokenizeBuf(s, toks, nil)
	return toks
}

// tokenizeBuf is tokenize with a scratch buffer to reuse, which it returns.
func tokenizeBuf(s string, toks []token, buf []byte) ([]token, []byte) {
	first := len(toks)
	// Room enough for most texts at once: growing a slice of tokens copies
	// their pointers.
	toks = slices.Grow(toks, len(s)/3+4)
	buf = slices.Grow(buf[:0], 2*len(s)+8)
	prevEnd := 0
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		isDigit := r >= '0' && r <= '9'
		if !isDigit && !isWordRune(r) {
			i += size
			continue
		}
		start := i
		ascii := true
		if isDigit {
			i = scanNumber(s, i)
		} else {
			for i < len(s) {
				if c := s[i]; c < 0x80 {
					if (c|0x20) < 'a' || (c|0x20) > 'z' {
						break
					}
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWordRune(r) {
					break
				}
				ascii = false
				i += size
			}
		}
		t := token{start: start, end: i, num: isDigit, gap: classifyGap(s, prevEnd, start)}
		buf = t.setText(buf, s[start:i], ascii)
		toks = append(toks, t)
		prevEnd = i
	}
	all := string(buf)
	for k := first; k < len(toks); k++ {
		t := &toks[k]
		t.fold, t.key = all[t.fa:t.fb], all[t.ka:t.kb]
	}
	return toks, buf
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return (r|0x20) >= 'a' && (r|0x20) <= 'z'
	}
	return unicode.IsLetter(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// scanNumber returns the end of the number starting at i: digits, with
// separators inside when followed by a group of one to three digits.
func scanNumber(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	for i+1 < len(s) && (s[i] == '.' || s[i] == ',') && s[i+1] >= '0' && s[i+1] <= '9' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i-1 > 3 {
			break // "9001,14001" is a list, "1.2379" a designation
		}
		i = j
	}
	return i
}

// classifyGap reads the separator s[from:to] between two tokens.
func classifyGap(s string, from, to int) gap {
	if from == 0 || from == to {
		return 0
	}
	var g gap
	sep := s[from:to]
	for _, r := range sep {
		switch r {
		case ' ', '\t', '\u00a0', '\r':
			g |= gSpace
		case '\n', '\u2028':
			g |= gSpace | gPunct | gHard | gSentence | gList
		case '-', '\u2013', '\u2014', '~', '\u2012':
			g |= gPunct | gDash
		case '/', '\\':
			g |= gPunct | gSlash
		case '+', '&', '_', '%', '\'', '\u2019', '#':
			g |= gPunct
		case '×', '*':
			g |= gPunct | gTimes
		case '.':
			// "G.A.P", "No.5": a dot between two words with no space is part
			// of an abbreviation, not the end of a sentence.
			if len(sep) > 1 {
				g |= gPunct | gHard | gSentence
			} else {
				g |= gPunct
			}
		case ',', '|', '\u2022', '\u00b7':
			g |= gPunct | gHard | gList
		case ';':
			g |= gPunct | gHard | gList | gSentence
		case '!', '?':
			g |= gPunct | gHard | gSentence
		case '(', '[', '{':
			g |= gPunct | gHard | gOpen
		default:
			if unicode.IsSpace(r) {
				g |= gSpace
			} else {
				g |= gPunct | gHard
			}
		}
	}
	if g&gDash != 0 && g&gSpace != 0 {
		g |= gHard | gList // "ép nhựa - làm khuôn" lists two items
	}
	return g
}

// setText appends the folded form and the accent key of the token written
// w to buf, noting where they are.
func (t *token) setText(buf []byte, w string, ascii bool) []byte {
	t.fa = int32(len(buf))
	if t.num {
		t.val = parseNumber(w)
		buf = append(buf, w...)
		t.fb = t.fa + int32(len(w))
		t.ka, t.kb = t.fa, t.fb
		return buf
	}
	if ascii {
		t.upper = w[0] >= 'A' && w[0] <= 'Z'
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		t.fb = t.fa + int32(len(w))
		t.ka, t.kb = t.fa, t.fb
		return buf
	}
	first, _ := utf8.DecodeRuneInString(w)
	t.upper = unicode.IsUpper(first)
	for _, r := range w {
		if r >= 0x300 && r < 0x370 {
			w = norm.NFC.String(w) // decomposed input: compose the vowel marks first
			break
		}
	}
	for _, r := range w {
		switch {
		case r < 0x80:
			buf = append(buf, byte(unicode.ToLower(r)))
		case inRuneTable(r):
			info := runeInfoOf(r)
			buf = append(buf, info.fold...)
			t.accented = t.accented || info.mark
		default:
			var b strings.Builder
			foldSlow(&b, r)
			buf = append(buf, b.String()...)
			t.accented = t.accented || b.String() != string(unicode.ToLower(r))
		}
	}
	t.fb = int32(len(buf))
	if !t.accented {
		t.ka, t.kb = t.fa, t.fb
		return buf
	}
	t.ka = int32(len(buf))
	var tone uint8
	for _, r := range w {
		switch {
		case r < 0x80:
			buf = append(buf, byte(unicode.ToLower(r)))
		case inRuneTable(r):
			info := runeInfoOf(r)
			buf = append(buf, info.key...)
			if info.tone != 0 {
				tone = info.tone
			}
		default:
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
	}
	if tone != 0 {
		buf = append(buf, '0'+tone)
	}
	t.kb = int32(len(buf))
	return buf
}

// parseNumber reads "80", "2.5", "1,5" (Vietnamese decimal comma), "1.000"
// and "1,000" (thousands).
func parseNumber(w string) float64 {
	last := strings.LastIndexAny(w, ".,")
	if last < 0 {
		if len(w) <= 15 {
			var v float64
			for i := 0; i < len(w); i++ {
				v = v*10 + float64(w[i]-'0')
			}
			return v
		}
		v, _ := strconv.ParseFloat(w, 64)
		return v
	}
	thousands := strings.Count(w, w[last:last+1]) > 1 ||
		(len(w)-last-1 == 3 && w[:strings.IndexAny(w, ".,")] != "0")
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case i == last && !thousands:
			b.WriteByte('.') // the decimal separator; any other is a thousands one
		}
	}
	v, _ := strconv.ParseFloat(b.String(), 64)
	return v
}
