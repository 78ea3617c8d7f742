package match

import (
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// The directory's full-text index holds, for each company, the folded words
// of its text fields and one term token per recognized term. A search box
// query is parsed the same way, so that diacritics, case and language do not
// matter: "ep nhua" and "plastic injection" both become the token of
// injection_molding, which a supplier who wrote "ép phun" or "injection
// moulding" carries.
//
// Process hierarchy: IndexTokens indexes every ancestor of a process too, so
// a query naming a parent ("gia công CNC") finds a supplier of any child
// (CNC milling). A query naming a child also accepts the bundle above it
// ("tiện CNC" finds a shop that declared "gia công CNC"; see
// taxonomy.Process).

var termPrefix = map[taxonomy.TermKind]string{
	taxonomy.KindProcess:       "zp",
	taxonomy.KindMaterial:      "zm",
	taxonomy.KindCertification: "zc",
	taxonomy.KindEquipment:     "ze",
}

// TermToken returns the index token standing for a taxonomy term: the kind's
// prefix ("zp" processes, "zm" materials, "zc" certifications, "ze"
// equipment) and the code without underscores, e.g. "zpinjectionmolding". It
// is a single lower-case alphanumeric word no real word collides with, so
// SQLite FTS5 (unicode61) and PostgreSQL's 'simple' parser index it as it is.
// It returns "" for another kind.
// TermOfToken is TermToken backwards: the term an index token stands for,
// false for a token that is a plain word.
func TermOfToken(tok string) (kind taxonomy.TermKind, code string, ok bool) {
	t, ok := tokenTerms()[tok]
	return t.kind, t.code, ok
}

type termOfToken struct {
	kind taxonomy.TermKind
	code string
}

var tokenTerms = sync.OnceValue(func() map[string]termOfToken {
	m := map[string]termOfToken{}
	add := func(kind taxonomy.TermKind, code string) { m[TermToken(kind, code)] = termOfToken{kind, code} }
	for _, p := range taxonomy.Processes() {
		add(taxonomy.KindProcess, p.Code)
	}
	for _, x := range taxonomy.Materials() {
		add(taxonomy.KindMaterial, x.Code)
	}
	for _, c := range taxonomy.Certifications() {
		add(taxonomy.KindCertification, c.Code)
	}
	for _, e := range taxonomy.EquipmentKinds() {
		add(taxonomy.KindEquipment, e.Code)
	}
	return m
})

func TermToken(kind taxonomy.TermKind, code string) string {
	p := termPrefix[kind]
	if p == "" {
		return ""
	}
	b := make([]byte, 0, len(p)+len(code))
	b = append(b, p...)
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	return string(b)
}

// IndexTokens returns the tokens of c for the full-text index: every folded
// word (letters or digits, lower case, no diacritics) of its names, tax code,
// address, province, industrial park, capability texts, products, main
// customers, export markets, description and website host, then the term
// token of each recognized process and its ancestors, material and its
// family, certification and equipment kind. It reads the recognized lists as
// they are: call Analyze first.
func IndexTokens(c *sihub.Company) []string {
	var ix indexer
	ix.seen = make(map[string]bool, 128)
	for _, f := range [...]string{
		c.Name, c.NameEn, c.TaxCode, c.Address, c.ProvinceInput, c.IndustrialPark,
		c.CapabilitiesText, c.MaterialsText, c.CertificationsText, c.EquipmentText,
		c.Products, c.MainCustomers, c.ExportMarkets, c.Description, websiteHost(c.Website),
	} {
		ix.words(f)
	}
	for _, x := range c.Capabilities {
		ix.add(TermToken(taxonomy.KindProcess, x.Process))
		for _, a := range taxonomy.ProcessAncestors(x.Process) {
			ix.add(TermToken(taxonomy.KindProcess, a))
		}
	}
	for _, x := range c.Materials {
		ix.add(TermToken(taxonomy.KindMaterial, x.Code))
		if f := taxonomy.MaterialFamily(x.Code); f != "" {
			ix.add(TermToken(taxonomy.KindMaterial, f))
		}
	}
	for _, x := range c.Certifications {
		ix.add(TermToken(taxonomy.KindCertification, x.Scheme))
	}
	for _, x := range c.Equipment {
		ix.add(TermToken(taxonomy.KindEquipment, x.Kind))
	}
	return ix.out
}

type indexer struct {
	seen map[string]bool
	out  []string
	toks []token
}

func (ix *indexer) add(w string) {
	if w != "" && !ix.seen[w] {
		ix.seen[w] = true
		ix.out = append(ix.out, w)
	}
}

// words adds the folded words of s. A number written with a separator
// ("2.5") gives its digit groups, as the index's tokenizer would split it.
func (ix *indexer) words(s string) {
	ix.toks = tokenize(s, ix.toks[:0])
	for _, t := range ix.toks {
		for _, w := range indexWords(t) {
			ix.add(w)
		}
	}
}

func indexWords(t token) []string {
	if !t.num || !strings.ContainsAny(t.fold, ".,") {
		return []string{t.fold}
	}
	return strings.FieldsFunc(t.fold, func(r rune) bool { return r == '.' || r == ',' })
}

// websiteHost returns the host of a website address without "www.".
func websiteHost(w string) string {
	if w == "" {
		return ""
	}
	if !strings.Contains(w, "://") {
		w = "https://" + w
	}
	u, err := url.Parse(w)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// Words a search ignores: legal forms and connectors.
var stopWords = foldSet("tnhh", "mtv", "cp", "jsc", "ltd", "limited", "company", "corp", "corporation", "inc", "llc",
	"and", "và", "the", "of", "for", "in", "with", "với", "của", "tại", "at")

// stopPairs are two-word legal forms: "công ty", "cổ phần".
var stopPairs = [][2]string{{"cong", "ty"}, {"co", "phan"}, {"co", "ltd"}}

// ParseQuery parses a search box. Each recognized term becomes a set of
// alternative index tokens, any one of which satisfies it: the term's token,
// every reading of a word without diacritics that could mean several terms,
// the bundle a process belongs to, and for a single word the folded word
// itself (so that "han" still finds a company named Hàn Việt). The words no
// term took become folded words, for the store to match as prefixes of
// indexed words; legal forms and connectors ("công ty", "TNHH", "and") are
// dropped, and so are capacities ("450 tấn"), which the index does not hold.
func ParseQuery(q string) (terms [][]string, words []string) {
	m := theMatcher()
	s := newScan(q)
	defer s.free()
	ts := m.resolve(m.newContext([]*scan{s}), s)
	caps := s.capacities()
	taken := make([]bool, len(s.toks))
	for _, c := range caps {
		for k := c.i; k < c.j; k++ {
			taken[k] = true
		}
	}
	m.attach(s, ts, caps)
	for _, t := range ts {
		for k := t.ci; k < t.cj; k++ {
			taken[k] = true // the machine count read before it
		}
	}
	for _, c := range s.cueSpans {
		for k := c[0]; k < c[1]; k++ {
			taken[k] = true
		}
	}
	for a := 0; a < len(ts); {
		b := a + 1
		for b < len(ts) && ts[b].i == ts[a].i && ts[b].j == ts[a].j {
			b++
		}
		for _, alts := range queryAlternatives(s, ts[a:b]) {
			if !slices.ContainsFunc(terms, func(x []string) bool { return slices.Equal(x, alts) }) {
				terms = append(terms, alts)
			}
		}
		for k := ts[a].i; k < ts[a].j; k++ {
			taken[k] = true
		}
		a = b
	}
	for k := 0; k < len(s.toks); k++ {
		t := &s.toks[k]
		if taken[k] || stopWords[t.fold] {
			continue
		}
		if k+1 < len(s.toks) && isStopPair(t.fold, s.toks[k+1].fold) {
			k++
			continue
		}
		words = append(words, indexWords(*t)...)
	}
	return terms, words
}

func isStopPair(a, b string) bool {
	for _, p := range stopPairs {
		if p[0] == a && p[1] == b {
			return true
		}
	}
	return false
}

// queryAlternatives turns the terms read from one phrase into required
// alternative sets. The terms of a compound ("tiện phay") are each required;
// otherwise the kinds one phrase means ("CNC": a process and a machine) are
// alternatives.
func queryAlternatives(s *scan, ts []term) [][]string {
	compound := false
	for a := range ts {
		for b := a + 1; b < len(ts); b++ {
			compound = compound || ts[a].kind == ts[b].kind
		}
	}
	var word string
	if ts[0].j-ts[0].i == 1 {
		word = s.toks[ts[0].i].fold
	}
	var out [][]string
	var one []string
	for _, t := range ts {
		alts := termAlternatives(t)
		if compound {
			out = append(out, appendWord(alts, word))
		} else {
			one = append(one, alts...)
		}
	}
	if !compound {
		out = append(out, appendWord(one, word))
	}
	return out
}

func appendWord(alts []string, w string) []string {
	if w != "" && !strings.ContainsAny(w, ".,") {
		alts = append(alts, w)
	}
	return alts
}

// termAlternatives returns the index tokens that satisfy a query term: each
// of its readings and, for a process, the ancestors up to the bundle it
// belongs to, if any.
func termAlternatives(t term) []string {
	codes := t.alts
	if codes == nil {
		codes = []string{t.code}
	}
	var out []string
	for _, code := range codes {
		out = append(out, TermToken(t.kind, code))
		if t.kind != taxonomy.KindProcess {
			continue
		}
		anc := taxonomy.ProcessAncestors(code)
		for n, a := range anc {
			if p, ok := taxonomy.ProcessByCode(a); ok && p.Bundle {
				for _, x := range anc[:n+1] {
					out = append(out, TermToken(taxonomy.KindProcess, x))
				}
				break
			}
		}
	}
	return out
}
