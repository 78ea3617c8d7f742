package match

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// Certificate details.
//
// Supplier lists write a certificate's number, certification body and expiry
// next to its scheme: "ISO 9001:2015 (Bureau Veritas, hiệu lực đến
// 2027-05-30)", "IATF 16949 – số chứng chỉ 0412345, TÜV Rheinland, hết hạn
// 15/03/2027", or in the form SIHub's edit form suggests, "ISO 9001 |
// QMS-2024-118 | Intertek | 2027-09-30" (scheme | number | issuer | valid
// until). They are read from the text after the scheme, up to the end of its
// item, and from the text just before it within its item:
//
//   - The text after a scheme ends at a semicolon, a new line, the end of a
//     sentence, a bracket closing one opened before the scheme, or the next
//     term; before a next term, at the last comma or pipe outside brackets, so
//     that "ISO 9001 (BV), SGS ISO 14001" gives BV to 9001 and SGS to 14001.
//   - An expiry date counts only after an expiry cue ("hiệu lực đến", "hết
//     hạn", "HSD", "valid until", "exp." …) or as the end of a validity range
//     ("từ 01/06/2024 đến 31/05/2027"); an issue date never does. A month
//     stands for its last day and a year for 31 December.
//   - A number counts only after a number cue ("số chứng chỉ", "cert. no.",
//     "No.", "#"): a word with digits that is not a date or a year.
//   - An issuer is a body of taxonomy.CertBodies named in the item, shown by
//     its canonical name; the pipe form's third field is taken as written.
//
// A body's name that contains a term ("ABS" in "ABS Quality Evaluations",
// "CE" in "Vinacontrol CE") is read as the body in a certificate's details; a
// name that is a term and nothing more ("UL") only inside the certificate's
// brackets or pipe form: "ISO 9001, UL" lists two schemes.

// certDetail is what a text says about one certificate besides its scheme.
type certDetail struct {
	number, issuer, validUntil string
	badDate                    string // an expiry date that does not exist, as written ("31/02/2027")
}

// replaces reports whether d, read from a mention of its scheme in a field of
// source src, should replace the details c holds: the details of one
// certificate are taken from one mention, never pieced together from several
// ("ISO 9001:2008 (hết hiệu lực 2018), ISO 9001:2015 (BSI)"). Details beat
// none, a declared column beats the free text, and a later expiry the
// earlier one (the current certificate).
func (d certDetail) replaces(c *sihub.Certification, src sihub.Source) bool {
	switch {
	case d.number == "" && d.issuer == "" && d.validUntil == "":
		return false
	case c.Number == "" && c.Issuer == "" && c.ValidUntil == "":
		return true
	case src != c.Source:
		return src == sihub.Declared
	}
	return d.validUntil > c.ValidUntil
}

func (d certDetail) set(c *sihub.Certification) {
	c.Number, c.Issuer, c.ValidUntil = d.number, d.issuer, d.validUntil
}

// bodyAlias is one way of writing a certification body, as folded tokens.
type bodyAlias struct {
	name  string
	folds []string
	raw   []string // the tokens as written, for an alias matched only as written
	exact bool
}

type bodyIndex struct {
	first  map[string][]*bodyAlias // by the fold of the first token, longest first
	words  map[string]bool         // folds of every token of every alias
	maxLen int
}

var theBodies = sync.OnceValue(func() *bodyIndex {
	ix := &bodyIndex{first: map[string][]*bodyAlias{}, words: map[string]bool{}}
	for _, b := range taxonomy.CertBodies() {
		for _, a := range b.Aliases {
			toks := tokenize(a.Text, nil)
			if len(toks) == 0 {
				continue
			}
			al := &bodyAlias{name: b.Name, exact: a.Hint&taxonomy.HintCase != 0}
			for _, t := range toks {
				al.folds = append(al.folds, t.fold)
				al.raw = append(al.raw, a.Text[t.start:t.end])
				ix.words[t.fold] = true
			}
			ix.first[al.folds[0]] = append(ix.first[al.folds[0]], al)
			ix.maxLen = max(ix.maxLen, len(al.folds))
		}
	}
	for _, as := range ix.first {
		slices.SortStableFunc(as, func(a, b *bodyAlias) int { return len(b.folds) - len(a.folds) })
	}
	return ix
})

// bodyAt returns the body whose name starts at token a and ends before token
// limit, and the number of tokens it takes; the longest if several.
func (s *scan) bodyAt(ix *bodyIndex, a, limit int) (*bodyAlias, int) {
	for _, al := range ix.first[s.toks[a].fold] {
		n := len(al.folds)
		if a+n > limit {
			continue
		}
		ok := true
		for m := 0; m < n && ok; m++ {
			t := &s.toks[a+m]
			ok = t.fold == al.folds[m] && (m == 0 || t.gap&gHard == 0) &&
				(!al.exact || s.text[t.start:t.end] == al.raw[m])
		}
		if ok {
			return al, n
		}
	}
	return nil, 0
}

// bodyCovering returns the token span of a body's name that contains tokens
// [i, j), the longest one starting earliest.
func (s *scan) bodyCovering(i, j int) (bi, bj int, ok bool) {
	ix := theBodies()
	if !ix.words[s.toks[i].fold] {
		return 0, 0, false
	}
	for a := max(0, i-ix.maxLen+1); a <= i; a++ {
		if _, n := s.bodyAt(ix, a, len(s.toks)); n > 0 && a+n >= j {
			return a, a + n, true
		}
	}
	return 0, 0, false
}

// absorbed reports whether term q is part of a certification body's name in
// the details of the certificate before it: "UL" in "ISO 9001 (UL, …)", "CE"
// in "ISO 9001, Vinacontrol CE".
func (s *scan) absorbed(terms []term, q int) bool {
	bi, bj, ok := s.bodyCovering(terms[q].i, terms[q].j)
	if !ok {
		return false
	}
	for p := q - 1; p >= 0; p-- {
		if terms[p].j > terms[q].i || terms[p].i >= bi {
			continue // the same words read as several terms, or inside the name
		}
		if terms[p].kind == taxonomy.KindCertification {
			end := s.toks[terms[p].j-1].end
			w := s.walk(end, s.toks[bi].start)
			if terms[p].j > bi || w.stop >= 0 {
				return false
			}
			// A whole name ("Vinacontrol CE") is a body wherever it stands; a
			// name that is only the term ("UL") when inside the details.
			return bj-bi > terms[q].j-terms[q].i || w.depth > 0 || s.pipeForm(end)
		}
		if !s.absorbed(terms, p) {
			return false
		}
	}
	return false
}

// walked is what lies in a stretch of text, read by walk.
type walked struct {
	stop  int // offset of the first stop (";", new line, sentence end, stray closing bracket), -1 if none
	bound int // offset just after the last stop, or comma, pipe or closed bracket outside brackets; -1 if none
	open  int // offset just after the innermost bracket still open at the end, -1 if none
	depth int // brackets still open at the end
}

func (w *walked) setStop(i int) {
	if w.stop < 0 {
		w.stop = i
	}
	w.bound, w.depth = i+1, 0
}

// walk reads the punctuation of s.text[from:to], counting brackets from
// from.
func (s *scan) walk(from, to int) walked {
	w := walked{stop: -1, bound: -1, open: -1}
	var opens [8]int
	text := s.text
	for i := from; i < to; i++ {
		switch text[i] {
		case '(', '[', '{':
			if w.depth < len(opens) {
				opens[w.depth] = i + 1
			}
			w.depth++
		case ')', ']', '}':
			if w.depth == 0 {
				w.setStop(i)
				continue
			}
			if w.depth--; w.depth == 0 {
				w.bound = i + 1
			}
		case ';':
			if w.depth == 0 {
				w.setStop(i)
			}
		case '\n':
			w.setStop(i)
		case ',', '|':
			if w.depth == 0 {
				w.bound = i + 1
			}
		case '.', '!', '?':
			if w.depth == 0 && s.sentenceEnd(i) {
				w.setStop(i)
			}
		case 0xE2:
			if strings.HasPrefix(text[i:], "\u2028") {
				w.setStop(i)
			}
		}
	}
	if w.depth > 0 && w.depth <= len(opens) {
		w.open = opens[w.depth-1]
	}
	return w
}

// Words a dot follows without ending a sentence: "Cert. No. 5", "Co. Ltd".
var abbreviations = map[string]bool{"no": true, "nr": true, "cert": true, "exp": true, "ref": true, "reg": true,
	"co": true, "ltd": true, "inc": true, "corp": true, "st": true, "tp": true, "dr": true, "mr": true, "ms": true}

// sentenceEnd reports whether the mark at s.text[i] ends a sentence: it is
// followed by a space, and a dot then by a capital, and it does not end an
// abbreviation or an initial.
func (s *scan) sentenceEnd(i int) bool {
	text := s.text
	j := i + 1
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	switch {
	case j == len(text):
		return true
	case j == i+1:
		return false
	case text[i] != '.':
		return true
	}
	if r, _ := utf8.DecodeRuneInString(text[j:]); !unicode.IsUpper(r) {
		return false
	}
	k := i
	for k > 0 && (text[k-1]|0x20) >= 'a' && (text[k-1]|0x20) <= 'z' {
		k--
	}
	// After a figure ("… 2027. Nhà máy") the dot ends the sentence; after an
	// initial or an abbreviation it does not.
	return i == k || (i-k > 1 && !abbreviations[strings.ToLower(text[k:i])])
}

// skipYear returns the offset after the year or revision that follows a
// scheme ending at end ("ISO 9001:2015", "ISO 9001 - 2015"), end if none.
func (s *scan) skipYear(end int) int {
	text := s.text
	i := end
	skipSpace := func() {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
	}
	skipSpace()
	switch {
	case strings.HasPrefix(text[i:], "–"):
		i += len("–")
		skipSpace()
	case i < len(text) && (text[i] == ':' || text[i] == '-'):
		i++
		skipSpace()
	}
	if i+4 > len(text) || !(text[i:i+2] == "19" || text[i:i+2] == "20") || !isDigits(text[i+2:i+4]) {
		return end
	}
	y := i + 4
	if y < len(text) && (text[y] >= '0' && text[y] <= '9' || (text[y]|0x20) >= 'a' && (text[y]|0x20) <= 'z') {
		return end
	}
	if followedByDigits(text[y:]) {
		return end // a date, not a year: "ISO 9001 2027-05-30"
	}
	return y
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pipeForm reports whether the scheme ending at end is followed by the pipe
// form: "ISO 9001 | number | issuer | valid until".
func (s *scan) pipeForm(end int) bool {
	return strings.HasPrefix(strings.TrimLeft(s.text[s.skipYear(end):], " \t"), "|")
}

// certSpans returns the stretches of text that may describe certification
// term k: [before, start of the term) and [after its year, after).
func (s *scan) certSpans(terms []term, k int) (before, from, to int) {
	t := &terms[k]
	start, end := s.toks[t.i].start, s.toks[t.j-1].end
	prev := -1
	for p := k - 1; p >= 0; p-- {
		if terms[p].j <= t.i {
			prev = p
			break
		}
	}
	lo := 0
	if prev >= 0 {
		lo = s.toks[min(max(terms[prev].j, terms[prev].cj), t.i)-1].end
	}
	w := s.walk(lo, start)
	before = max(w.bound, w.open)
	if before < 0 {
		// Words between two terms with nothing between them are the first's.
		before = start
		if prev < 0 {
			before = lo
		}
	}
	next, hasNext := len(s.text), false
	for q := k + 1; q < len(terms); q++ {
		if terms[q].i >= t.j && !s.absorbed(terms, q) {
			next, hasNext = s.toks[terms[q].i].start, true
			break
		}
	}
	w = s.walk(end, next)
	switch {
	case w.stop >= 0:
		to = w.stop
	case hasNext && w.bound >= 0:
		to = w.bound
	default:
		to = next
	}
	return before, max(min(s.skipYear(end), to), end), to
}

// certDetail reads the details of certification term k and marks the words
// it read them from as used.
func (s *scan) certDetail(terms []term, k int) certDetail {
	before, from, to := s.certSpans(terms, k)
	var d certDetail
	if s.pipeForm(s.toks[terms[k].j-1].end) {
		s.readPipe(&d, from, to)
		return d
	}
	s.readCues(&d, from, to)
	s.readCues(&d, before, s.toks[terms[k].i].start)
	ix := theBodies()
	i0, i1 := s.tokRange(from, to)
	for a := i0; a < i1 && d.issuer == ""; a++ {
		if al, n := s.bodyAt(ix, a, i1); n > 0 {
			d.issuer = al.name
			s.markUsed(s.toks[a].start, s.toks[a+n-1].end)
		}
	}
	if d.issuer == "" {
		i0, i1 = s.tokRange(before, s.toks[terms[k].i].start)
		for a := i1 - 1; a >= i0 && d.issuer == ""; a-- { // the nearest name to the scheme
			if al, n := s.bodyAt(ix, a, i1); n > 0 {
				d.issuer = al.name
				s.markUsed(s.toks[a].start, s.toks[a+n-1].end)
			}
		}
	}
	return d
}

// tokRange returns the tokens lying in s.text[from:to].
func (s *scan) tokRange(from, to int) (i, j int) {
	i = sort.Search(len(s.toks), func(k int) bool { return s.toks[k].start >= from })
	j = sort.Search(len(s.toks), func(k int) bool { return s.toks[k].end > to })
	return i, max(i, j)
}

// markUsed marks the tokens lying in s.text[from:to] as read, so that they
// are not reported as unrecognized items.
func (s *scan) markUsed(from, to int) {
	i, j := s.tokRange(from, to)
	for k := i; k < j; k++ {
		s.used[k] = true
	}
}

// readPipe reads "| number | issuer | valid until" from s.text[from:to].
func (s *scan) readPipe(d *certDetail, from, to int) {
	p := from + strings.IndexByte(s.text[from:to], '|') + 1
	for field := 0; field < 3 && p <= to; field++ {
		e := strings.IndexByte(s.text[p:to], '|')
		if e < 0 {
			e = to
		} else {
			e += p
		}
		raw := s.text[p:e]
		v := strings.TrimSpace(raw)
		vFrom := p + strings.Index(raw, v)
		vTo := vFrom + len(v)
		switch {
		case v == "":
		case field == 0:
			v = v[afterCue(v, false):] // "| số 0412345 |"
			if validNumber(v) {
				d.number = v
				s.markUsed(vFrom, vTo)
			}
		case field == 1:
			d.issuer = strings.Join(strings.Fields(v), " ")
			ix := theBodies()
			i0, i1 := s.tokRange(vFrom, vTo)
			for a := i0; a < i1; a++ {
				if al, n := s.bodyAt(ix, a, i1); n > 0 {
					d.issuer = al.name
					break
				}
			}
			if strings.IndexFunc(v, unicode.IsLetter) < 0 || utf8.RuneCountInString(d.issuer) > 120 {
				d.issuer = ""
			} else {
				s.markUsed(vFrom, vTo)
			}
		case field == 2:
			v = v[afterCue(v, true):] // "| hết hạn 2027 |"
			f, _ := foldOffsets(v)
			date, n, st := parseDate(f)
			if st == dateNone || n != len(strings.TrimRight(f, ". ")) {
				break
			}
			if st == dateOK {
				d.validUntil = date
			} else {
				d.badDate = v
			}
			s.markUsed(vFrom, vTo)
		}
		p = e + 1
	}
}

// afterCue returns the offset in v after the number cue, or expiry cue, it
// starts with and the punctuation or words that follow it; 0 if none.
func afterCue(v string, date bool) int {
	f, off := foldOffsets(v)
	var e int
	if date {
		m := dateCue.FindStringSubmatchIndex(f)
		if m == nil || m[4] < 0 {
			return 0
		}
		e = m[1] + len(dateFiller.FindString(f[m[1]:]))
	} else {
		m := numberCue.FindStringIndex(f)
		if m == nil {
			return 0
		}
		e = m[1] + len(f[m[1]:]) - len(strings.TrimLeft(f[m[1]:], " :#."))
	}
	return off[e]
}

// Cues, matched in folded text at the start of a word that may begin one
// (an anchored match is several times faster than a search). A range cue
// introduces a validity period whose end is the expiry; an expiry cue the
// expiry itself. Longer alternatives come first: the first match wins.
var (
	dateCue = regexp.MustCompile(`^(?:` +
		`(co\s+hieu\s+luc\s+tu|hieu\s+luc\s+tu|valid\s+from|tu|from)|` +
		`((?:co\s+)?hieu\s+luc(?:\s+(?:den|toi))?|het\s+(?:han|hieu\s+luc)|han\s+su\s+dung|` +
		`thoi\s+han(?:\s+hieu\s+luc)?(?:\s+(?:den|toi))?|han(?:\s+(?:den|toi))?|hsd|den|toi|` +
		`valid(?:ity)?(?:\s+(?:until|till|to|thru|through))?|until|till|thru|` +
		`expires?|expiry|expiration|exp)` +
		`)\b`)
	// What may stand between a cue and its date: "hết hạn vào ngày",
	// "đến hết ngày", "exp. date:", "expires on".
	dateFiller = regexp.MustCompile(`^\.?[\s:=\-–]*(?:(?:(?:vao|het)\s+)?(?:ngay|date)\b|nam\b|year\b|on\b|the\b)?[\s:.]*`)
	rangeSep   = regexp.MustCompile(`^\s*(?:-|–|—|~|→|to|den|toi|until|till)\s*(?:(?:het\s+)?ngay\s+)?`)

	dateCueWords = wordSet("co hieu valid tu from het han thoi hsd den toi validity until till thru expire expires " +
		"expiry expiration exp")

	numberCue = regexp.MustCompile(`^(?:(?:so\s+(?:chung\s+chi|chung\s+nhan|giay\s+chung\s+nhan|cc|gcn|hieu)|so|` +
		`cert(?:ificate)?\.?\s*(?:no\b\.?|nr\b\.?|number\b|#)|reg(?:istration)?\.?\s*no\b\.?|no\.|no:|nr\.)|#)`)
	numberCueWords = wordSet("so cert certificate reg registration no nr")
	numberValue    = regexp.MustCompile(`^\s*[:#.]?\s*([a-z0-9][a-z0-9\-/.]*)`)
)

// readCues reads the numbers and expiry dates introduced by cues in
// s.text[from:to], filling the fields of d still empty.
func (s *scan) readCues(d *certDetail, from, to int) {
	if from >= to || (d.number != "" && d.validUntil != "") ||
		!strings.ContainsAny(s.text[from:to], "0123456789") { // every date and number has a digit
		return
	}
	f, off := foldOffsets(s.text[from:to])
	orig := func(a, b int) (int, int) { return from + off[a], from + off[b] }
	if d.validUntil == "" {
		eachCue(f, dateCue, dateCueWords, func(m []int) bool {
			if strings.HasPrefix(f[m[0]:], "han") && strings.HasSuffix(f[:m[0]], "dung ") {
				return true // "đúng hạn": on time
			}
			p := m[1] + len(dateFiller.FindString(f[m[1]:]))
			date, n, st := parseDate(f[p:])
			if st != dateNone {
				end := p + n
				if r := rangeSep.FindString(f[end:]); r != "" {
					if date2, n2, st2 := parseDate(f[end+len(r):]); st2 != dateNone {
						date, st, p, end = date2, st2, end+len(r), end+len(r)+n2
					}
				} else if m[2] >= 0 {
					return true // "từ 2024": a start, not an expiry
				}
				a, b := orig(m[0], end)
				s.markUsed(a, b)
				if st == dateOK {
					d.validUntil = date
					return false
				}
				if d.badDate == "" {
					a, b = orig(p, end)
					d.badDate = s.text[a:b]
				}
			}
			return true
		})
	}
	if d.number == "" {
		eachCue(f, numberCue, numberCueWords, func(m []int) bool {
			v := numberValue.FindStringSubmatchIndex(f[m[1]:])
			if v == nil {
				return true
			}
			vs, ve := m[1]+v[2], m[1]+v[3]
			for ve > vs && strings.IndexByte(".-/", f[ve-1]) >= 0 {
				ve--
			}
			ve = digitGroups(f, ve)
			a, b := orig(vs, ve)
			if num := s.text[a:b]; validNumber(num) {
				d.number = num
				a, _ = orig(m[0], ve)
				s.markUsed(a, b)
				return false
			}
			return true
		})
	}
}

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// eachCue calls fn with the submatch offsets of re matched at each word of
// f listed in words, and at each "#", left to right, until fn returns false.
func eachCue(f string, re *regexp.Regexp, words map[string]bool, fn func(m []int) bool) {
	for i := 0; i < len(f); {
		j := i
		for j < len(f) && (f[j] >= 'a' && f[j] <= 'z' || f[j] >= '0' && f[j] <= '9') {
			j++
		}
		if (j > i && words[f[i:j]]) || (j == i && f[i] == '#') {
			if m := re.FindStringSubmatchIndex(f[i:]); m != nil {
				for k := range m {
					if m[k] >= 0 {
						m[k] += i
					}
				}
				if !fn(m) {
					return
				}
				j = max(j, m[1])
			}
		}
		i = max(j, i+1)
	}
}

// digitGroups extends a number ending at f[end] by the groups of digits
// that follow it after a single space, as some bodies write their numbers:
// "12 100 45678 TMS".
func digitGroups(f string, end int) int {
	for end < len(f) && f[end] == ' ' {
		k := end + 1
		for k < len(f) && f[k] >= '0' && f[k] <= '9' {
			k++
		}
		if k == end+1 || (k < len(f) && (isWordByte(f[k]) || followedByDigits(f[k:]))) {
			break
		}
		end = k
	}
	return end
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= 0x80
}

// validNumber reports whether v may be a certificate number: words of
// letters, digits and - / . with a digit, separated by single spaces, which
// are not a date or a year.
func validNumber(v string) bool {
	if len(v) < 3 || len(v) > 60 || strings.IndexFunc(v, unicode.IsDigit) < 0 || strings.TrimSpace(v) != v ||
		strings.Contains(v, "  ") {
		return false
	}
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-/. ", r) {
			return false
		}
	}
	_, n, st := parseDate(strings.ToLower(v))
	return st == dateNone || n < len(v)
}

// foldOffsets folds s like Fold, and returns for each byte of the result the
// offset in s of the letter it comes from, with len(s) at the end.
func foldOffsets(s string) (string, []int) {
	b := make([]byte, 0, len(s)+4)
	off := make([]int, 0, len(s)+5)
	var sb strings.Builder
	for i, r := range s {
		n := len(b)
		switch {
		case r < 0x80:
			b = append(b, byte(unicode.ToLower(r)))
		case r == '\u00a0':
			b = append(b, ' ')
		case inRuneTable(r):
			b = append(b, runeInfoOf(r).fold...)
		default:
			sb.Reset()
			foldSlow(&sb, r)
			b = append(b, sb.String()...)
		}
		for range len(b) - n {
			off = append(off, i)
		}
	}
	return string(b), append(off, len(s))
}

type dateStatus uint8

const (
	dateNone dateStatus = iota // no date here
	dateOK
	dateBad // written as a date, but no such day exists
)

// Date forms, in folded text, most specific first. Each group list says what
// its groups hold: y(ear), m(onth number), n (month name), d(ay).
var dateForms = []struct {
	re    *regexp.Regexp
	parts string
}{
	{regexp.MustCompile(`^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\b`), "ymd"},
	{regexp.MustCompile(`^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\b`), "dmy"},
	{regexp.MustCompile(`^(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:nam|,)?\s*(\d{4})\b`), "dmy"},
	{regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]+)\.?[\s\-/,]+(\d{4})\b`), "dny"},
	{regexp.MustCompile(`^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`), "ndy"},
	{regexp.MustCompile(`^(?:thang\s*)?(\d{1,2})\s*[-/.]\s*(\d{4})\b`), "my"},
	{regexp.MustCompile(`^thang\s*(\d{1,2})\s*(?:nam|,)?\s*(\d{4})\b`), "my"},
	{regexp.MustCompile(`^([a-z]+)\.?,?\s+(\d{4})\b`), "ny"},
	{regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})\b`), "ym"},
	{regexp.MustCompile(`^(\d{4})\b`), "y"},
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
	"jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// followedByDigits reports whether s starts with what makes a bare year
// part of something else: "2027/123", "2027.5".
func followedByDigits(s string) bool {
	return len(s) > 1 && strings.IndexByte("-/.", s[0]) >= 0 && s[1] >= '0' && s[1] <= '9'
}

// parseDate reads the date f starts with, in folded text, and returns it as
// YYYY-MM-DD (a month as its last day, a year as 31 December) and the number
// of bytes it takes.
func parseDate(f string) (date string, n int, st dateStatus) {
	for _, form := range dateForms {
		m := form.re.FindStringSubmatchIndex(f)
		if m == nil {
			continue
		}
		y, mo, d := 0, 0, 0
		ok := true
		for g, part := range form.parts {
			v := f[m[2+2*g]:m[3+2*g]]
			switch part {
			case 'n':
				mo, ok = monthNames[v], ok && monthNames[v] > 0
			case 'y':
				y, _ = strconv.Atoi(v)
			case 'm':
				mo, _ = strconv.Atoi(v)
			case 'd':
				d, _ = strconv.Atoi(v)
			}
		}
		if !ok || y < 1950 || y >= 2200 {
			continue
		}
		if form.parts == "y" {
			if followedByDigits(f[m[1]:]) {
				return "", 0, dateNone
			}
			mo = 12
		}
		if mo < 1 || mo > 12 {
			return "", m[1], dateBad
		}
		last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d == 0 {
			d = last
		} else if d > last {
			return "", m[1], dateBad
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), m[1], dateOK
	}
	return "", 0, dateNone
}

// ParseValidUntil reads an expiry date written on its own, as in the edit
// form's "valid until" field: "2027-05-30", "30/05/2027", "30.05.2027",
// "05/2027", "tháng 6/2026", "June 2027", "2028-01", "2027". A month stands
// for its last day and a year for 31 December. It returns the date as
// YYYY-MM-DD, and false when s is not a date or names a day that does not
// exist ("31/02/2027").
func ParseValidUntil(s string) (string, bool) {
	f, _ := foldOffsets(strings.TrimSpace(s))
	f = strings.TrimRight(f, ". ")
	if date, n, st := parseDate(f); st == dateOK && n == len(f) {
		return date, true
	}
	return "", false
}
