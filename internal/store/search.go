package store

import (
	"strings"
	"unicode"
)

// textSearch is CompanyFilter.Terms and Words reduced to what a full-text
// query can hold safely: every token cut down to its letters and digits.
// Both dialects render their query language from it (fts5Query, tsQuery),
// and the relevance score (scorer) reads it, so that the engines find and
// rank alike.
type textSearch struct {
	// groups are the term groups: all must match, each by any of its
	// alternatives; an alternative of several parts is a phrase (the parts
	// in a row), which only hostile input produces.
	groups [][][]string
	// words must each begin some indexed token. A word like "a-b" is two
	// words, as the tokenizer would have split it in the indexed text.
	words []string
}

func parseText(terms [][]string, words []string) *textSearch {
	s := &textSearch{}
	for _, group := range terms {
		var alts [][]string
		for _, t := range group {
			if parts := strings.FieldsFunc(t, notAlnum); len(parts) > 0 {
				alts = append(alts, parts)
			}
		}
		if len(alts) > 0 {
			s.groups = append(s.groups, alts)
		}
	}
	for _, w := range words {
		s.words = append(s.words, strings.FieldsFunc(w, notAlnum)...)
	}
	return s
}

func (s *textSearch) empty() bool { return len(s.groups) == 0 && len(s.words) == 0 }

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// fts5Query renders terms and words as an FTS5 query: every group of
// alternative terms as ("a" OR "b"), every word as the prefix query "w"*,
// all AND-ed. Each token is reduced to its letters and digits and put in
// double quotes, so that operators, column filters, NEAR and stray quotes in
// user input are only ever text. Empty groups and words are dropped.
func fts5Query(terms [][]string, words []string) string {
	return parseText(terms, words).fts5()
}

func (s *textSearch) fts5() string {
	var parts []string
	for _, group := range s.groups {
		var alts []string
		for _, alt := range group {
			// Inside quotes FTS5 reads several tokens as a phrase.
			alts = append(alts, `"`+strings.Join(alt, " ")+`"`)
		}
		parts = append(parts, orGroup(alts, " OR "))
	}
	for _, w := range s.words {
		parts = append(parts, `"`+w+`"*`)
	}
	return strings.Join(parts, " AND ")
}

// tsQuery renders terms and words for PostgreSQL's to_tsquery('simple', …):
// ('a' | 'b') & 'w':*, a phrase as ('a' <-> 'b'). Every lexeme is quoted
// and escaped (tsLexeme), although reducing tokens to letters and digits
// already leaves no quote, backslash or operator to escape.
func tsQuery(terms [][]string, words []string) string {
	return parseText(terms, words).tsquery()
}

func (s *textSearch) tsquery() string {
	var parts []string
	for _, group := range s.groups {
		var alts []string
		for _, alt := range group {
			lex := make([]string, len(alt))
			for i, p := range alt {
				lex[i] = tsLexeme(p)
			}
			alts = append(alts, orGroup(lex, " <-> "))
		}
		parts = append(parts, orGroup(alts, " | "))
	}
	for _, w := range s.words {
		parts = append(parts, tsLexeme(w)+":*")
	}
	return strings.Join(parts, " & ")
}

// tsLexeme quotes s as one tsquery lexeme: in quotes, a quote is doubled
// and a backslash escapes the next character.
func tsLexeme(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

// orGroup joins alternatives, in parentheses when there are several.
func orGroup(alts []string, op string) string {
	if len(alts) == 1 {
		return alts[0]
	}
	return "(" + strings.Join(alts, op) + ")"
}

// Relevance. A match's rank is computed in Go from its search tokens, the
// same way for every database (FTS5's bm25 and PostgreSQL's ts_rank differ,
// and the index's term-frequency statistics differ with them), and ties are
// broken by verification, completeness, name and id (dirIndex.order).
//
// Every match holds at least one alternative of each term group and a
// token beginning with each word, so the score counts what sets matches
// apart:
const (
	// Each alternative of a term group the company holds. A specific
	// process comes with the bundle above it (match.IndexTokens indexes
	// ancestors), so the company offering exactly what was asked scores
	// more than one offering only the bundle or naming the word.
	scoreAlternative = 2
	// Once per group, when one of the group's tokens stands for a core or
	// declared capability of the company (derivation.strong) rather than
	// one inferred from its text.
	scoreStrong = 3
	// Each word that is a whole token rather than only the start of one
	// ("an" finds An Phát before Anh Dương).
	scoreWord = 1
)

// scorer scores the matches of one text search. The score is a sum over
// probes — the single-token alternatives and the words, each weighed by
// the roles it plays — of those the company holds as whole tokens, plus
// the strong bonus of each group. The sum can be made two ways with the
// same result: reading each match's tokens (tokenScore), or asking the
// full-text index which companies hold each probe (DB.probeScores).
type scorer struct {
	probes map[string]*probe // by lower-case token
	strong [][]uint32        // group → the dictionary ids of its tokens (kind 't')
	seen   []bool            // scratch: probes a row holds
}

type probe struct {
	i      int   // its number, indexing scorer.seen
	weight int32 // the sum of its roles' weights
}

// newScorer prepares s for scoring rows of idx; phrases (several parts)
// are not tokens and score nothing.
func newScorer(s *textSearch, idx *dirIndex) *scorer {
	sc := &scorer{probes: map[string]*probe{}, strong: make([][]uint32, len(s.groups))}
	add := func(tok string, w int32) {
		p := sc.probes[tok]
		if p == nil {
			p = &probe{i: len(sc.probes)}
			sc.probes[tok] = p
		}
		p.weight += w
	}
	for g, group := range s.groups {
		inGroup := map[string]bool{} // a token twice in a group counts once
		for _, alt := range group {
			if len(alt) != 1 {
				continue
			}
			tok := strings.ToLower(alt[0])
			if inGroup[tok] {
				continue
			}
			inGroup[tok] = true
			add(tok, scoreAlternative)
			if id, ok := idx.lookup(kindToken, tok); ok {
				sc.strong[g] = append(sc.strong[g], id)
			}
		}
	}
	for _, w := range s.words {
		add(strings.ToLower(w), scoreWord)
	}
	sc.seen = make([]bool, len(sc.probes))
	return sc
}

// tokenScore scores a row from its search text (tokens separated by
// spaces) and its strong tokens' dictionary ids.
func (sc *scorer) tokenScore(text []byte, strong []uint32) int32 {
	clear(sc.seen)
	var n int32
	for len(text) > 0 {
		i := 0
		for i < len(text) && text[i] != ' ' {
			i++
		}
		if p := sc.probes[string(text[:i])]; p != nil && !sc.seen[p.i] { // no allocation
			sc.seen[p.i] = true
			n += p.weight
		}
		text = text[min(i+1, len(text)):]
	}
	return n + sc.strongBonus(strong)
}

// strongBonus scores the groups one of whose tokens stands for a core or
// declared capability of the row.
func (sc *scorer) strongBonus(strong []uint32) int32 {
	var n int32
	for _, ids := range sc.strong {
		if hasAny(strong, ids) {
			n += scoreStrong
		}
	}
	return n
}

func hasAny(a, b []uint32) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
