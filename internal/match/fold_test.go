package match

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese syllables are generated here, onsets × rhymes × six tones, in a
// Telex-like notation whose plain letters are, by construction, the expected
// folded form: "aw" is ă, "aa" â, "ee" ê, "oo" ô, "ow" ơ, "uw" ư, "dd" đ.
// (The syllable list under /work/shared is GPL and is not copied.)

var syllableOnsets = []string{"", "b", "c", "ch", "d", "dd", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
	"ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"}

// Nuclei, with the vowel taking the tone mark in the modern placement.
var syllableNuclei = []struct {
	telex string
	tone  int // index, among the nucleus's vowels, of the one carrying the tone
}{
	{"a", 0}, {"aw", 0}, {"aa", 0}, {"e", 0}, {"ee", 0}, {"i", 0}, {"o", 0}, {"oo", 0}, {"ow", 0}, {"u", 0},
	{"uw", 0}, {"y", 0}, {"ai", 0}, {"ao", 0}, {"au", 0}, {"aau", 0}, {"ay", 0}, {"aay", 0}, {"eo", 0},
	{"eeu", 0}, {"ia", 0}, {"iu", 0}, {"ieeu", 1}, {"iee", 1}, {"oa", 1}, {"oaw", 1}, {"oe", 1}, {"oi", 0},
	{"ooi", 0}, {"owi", 0}, {"ua", 0}, {"uaa", 1}, {"uee", 1}, {"ui", 0}, {"uy", 1}, {"uya", 1}, {"uyee", 2},
	{"uwa", 0}, {"uwi", 0}, {"uwu", 0}, {"uwow", 1}, {"uwowi", 1}, {"uwowu", 1}, {"uooi", 1}, {"uoo", 1},
	{"oai", 1}, {"oay", 1}, {"yee", 1}, {"yeeu", 1},
}

var syllableFinals = []string{"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}

// The six tones of each vowel, written out: level, huyền, sắc, hỏi, ngã, nặng.
var toneForms = map[string][6]string{
	"a": {"a", "à", "á", "ả", "ã", "ạ"}, "ă": {"ă", "ằ", "ắ", "ẳ", "ẵ", "ặ"}, "â": {"â", "ầ", "ấ", "ẩ", "ẫ", "ậ"},
	"e": {"e", "è", "é", "ẻ", "ẽ", "ẹ"}, "ê": {"ê", "ề", "ế", "ể", "ễ", "ệ"}, "i": {"i", "ì", "í", "ỉ", "ĩ", "ị"},
	"o": {"o", "ò", "ó", "ỏ", "õ", "ọ"}, "ô": {"ô", "ồ", "ố", "ổ", "ỗ", "ộ"}, "ơ": {"ơ", "ờ", "ớ", "ở", "ỡ", "ợ"},
	"u": {"u", "ù", "ú", "ủ", "ũ", "ụ"}, "ư": {"ư", "ừ", "ứ", "ử", "ữ", "ự"}, "y": {"y", "ỳ", "ý", "ỷ", "ỹ", "ỵ"},
}

// vowels splits a Telex nucleus into its vowels, written in Unicode.
func vowels(telex string) []string {
	var out []string
	for i := 0; i < len(telex); i++ {
		v := telex[i : i+1]
		if i+1 < len(telex) {
			switch telex[i : i+2] {
			case "aw":
				v = "ă"
			case "aa":
				v = "â"
			case "ee":
				v = "ê"
			case "oo":
				v = "ô"
			case "ow":
				v = "ơ"
			case "uw":
				v = "ư"
			}
			if v != telex[i:i+1] {
				i++
			}
		}
		out = append(out, v)
	}
	return out
}

// plain returns what a Telex spelling folds to: its letters without the
// markers of the modified vowels and of đ.
func plain(telex string) string {
	for _, m := range []struct{ from, to string }{
		{"dd", "d"}, {"aw", "a"}, {"aa", "a"}, {"ee", "e"}, {"oo", "o"}, {"ow", "o"}, {"uw", "u"},
	} {
		telex = strings.ReplaceAll(telex, m.from, m.to)
	}
	return telex
}

type syllable struct {
	text, alt, folded string // alt: the tone on another vowel, as older spelling does
	tone              int
}

func generateSyllables() []syllable {
	var out []syllable
	for _, on := range syllableOnsets {
		onset := on
		if on == "dd" {
			onset = "đ"
		}
		for _, nu := range syllableNuclei {
			vs := vowels(nu.telex)
			for _, fin := range syllableFinals {
				for tone := 0; tone < 6; tone++ {
					build := func(at int) string {
						var b strings.Builder
						b.WriteString(onset)
						for i, v := range vs {
							if i == at {
								b.WriteString(toneForms[v][tone])
							} else {
								b.WriteString(v)
							}
						}
						b.WriteString(fin)
						return b.String()
					}
					alt := (nu.tone + 1) % len(vs)
					out = append(out, syllable{build(nu.tone), build(alt), plain(on + nu.telex + fin), tone})
				}
			}
		}
	}
	return out
}

func TestFoldGeneratedSyllables(t *testing.T) {
	syls := generateSyllables()
	if len(syls) < 50000 {
		t.Fatalf("generated %d syllables only", len(syls))
	}
	keys := map[string]string{}
	for n, s := range syls {
		forms := []string{s.text}
		if n%5 == 0 { // the other writings of a sample, to keep the test quick
			forms = append(forms, strings.ToUpper(s.text), titleCase(s.text), norm.NFD.String(s.text))
		}
		for _, form := range forms {
			if got := Fold(form); got != s.folded {
				t.Fatalf("Fold(%q) = %q, want %q", form, got, s.folded)
			}
			toks := tokenize(form, nil)
			if len(toks) != 1 || toks[0].fold != s.folded {
				t.Fatalf("tokenize(%q) = %+v, want one token folding to %q", form, toks, s.folded)
			}
		}
		// The accent key keeps the vowel marks and the tone but not where
		// the tone is written: "hoá" and "hóa" are the same word.
		k := tokenize(s.text, nil)[0].key
		if alt := tokenize(s.alt, nil)[0].key; alt != k {
			t.Fatalf("%q and %q have keys %q and %q", s.text, s.alt, k, alt)
		}
		if n%5 == 0 {
			if d := tokenize(norm.NFD.String(s.text), nil)[0].key; d != k {
				t.Fatalf("decomposed %q has key %q, want %q", s.text, d, k)
			}
		}
		// Different words have different keys: different letters, vowel
		// marks or tone.
		id := toneless(s.text) + string(rune('0'+s.tone))
		if prev, dup := keys[k]; dup && prev != id {
			t.Fatalf("%q and %q share the key %q", prev, id, k)
		}
		keys[k] = id
		accented := s.folded != s.text
		if tokenize(s.text, nil)[0].accented != accented {
			t.Fatalf("%q: accented should be %v", s.text, accented)
		}
	}
}

// toneless removes the tone marks of a generated syllable.
func toneless(s string) string {
	var b strings.Builder
	for _, r := range s {
		if base, ok := toneBase[r]; ok {
			b.WriteString(base)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var toneBase = func() map[rune]string {
	m := map[rune]string{}
	for v, forms := range toneForms {
		for _, f := range forms[1:] {
			r, _ := utf8.DecodeRuneInString(f)
			m[r] = v
		}
	}
	return m
}()

func titleCase(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// referenceFold is the straightforward definition Fold's tables implement.
func referenceFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func TestFoldMatchesDefinition(t *testing.T) {
	for r := rune(1); r < 0x3000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := "x" + string(r) + "Y"
		if got, want := Fold(s), referenceFold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"Ép Nhựa", "ĐÚC ÁP LỰC", "Ñandú", "Straße", "Ελληνικά", "中文 ép", "e\u0301p", ""} {
		if got, want := Fold(s), referenceFold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLower(t *testing.T) {
	for in, want := range map[string]string{"ĐÚC": "đúc", "Ép Nhựa": "ép nhựa", "e\u0301p": "ép", "PC/ABS": "pc/abs"} {
		if got := Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	type tok struct {
		fold string
		gap  gap
	}
	for _, c := range []struct {
		in   string
		want []tok
	}{
		{"ISO9001:2015", []tok{{"iso", 0}, {"9001", 0}, {"2015", gPunct | gHard}}},
		{"PA66-GF30", []tok{{"pa", 0}, {"66", 0}, {"gf", gPunct | gDash}, {"30", 0}}},
		{"80–450T", []tok{{"80", 0}, {"450", gPunct | gDash}, {"t", 0}}},
		{"ép nhựa, làm khuôn", []tok{{"ep", 0}, {"nhua", gSpace}, {"lam", gSpace | gPunct | gHard | gList}, {"khuon", gSpace}}},
		{"PC/ABS", []tok{{"pc", 0}, {"abs", gPunct | gSlash}}},
		{"9001,14001", []tok{{"9001", 0}, {"14001", gPunct | gHard | gList}}},
		{"2.5 kW", []tok{{"2.5", 0}, {"kw", gSpace}}},
		{"G.A.P.", []tok{{"g", 0}, {"a", gPunct}, {"p", gPunct}}},
		{"Xong. Tiếp", []tok{{"xong", 0}, {"tiep", gSpace | gPunct | gHard | gSentence}}},
		{"ép - khuôn", []tok{{"ep", 0}, {"khuon", gSpace | gPunct | gDash | gHard | gList}}},
		{"épxyz", []tok{{"epxyz", 0}}},
	} {
		var got []tok
		for _, t := range tokenize(c.in, nil) {
			got = append(got, tok{t.fold, t.gap})
		}
		if len(got) != len(c.want) {
			t.Errorf("tokenize(%q) = %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("tokenize(%q) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
	toks := tokenize("Đúc nhôm ADC12", nil)
	if !toks[0].upper || !toks[0].accented || toks[0].key != "đuc1" || toks[2].accented || !toks[2].upper {
		t.Errorf("token flags %+v", toks)
	}
	if toks[0].start != 0 || toks[0].end != len("Đúc") {
		t.Errorf("offsets %d:%d", toks[0].start, toks[0].end)
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"80": 80, "2.5": 2.5, "1,5": 1.5, "1.000": 1000, "1,000": 1000, "1.000.000": 1e6, "1.000,5": 1000.5,
		"0.125": 0.125, "12,75": 12.75,
	} {
		if got := parseNumber(in); got != want {
			t.Errorf("parseNumber(%q) = %v, want %v", in, got, want)
		}
	}
}
