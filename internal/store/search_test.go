package store

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestFTS5Query(t *testing.T) {
	tests := []struct {
		terms [][]string
		words []string
		want  string
	}{
		{nil, nil, ""},
		{[][]string{{"zpa"}}, nil, `"zpa"`},
		{[][]string{{"zpa", "zpb"}, {"zcc"}}, []string{"ep"}, `("zpa" OR "zpb") AND "zcc" AND "ep"*`},
		{[][]string{{}, {"", "-"}}, []string{"", "  "}, ""},
		{nil, []string{`" OR * NEAR(`}, `"OR"* AND "NEAR"*`},
		{[][]string{{`a"b`}}, []string{"ống-thép"}, `"a b" AND "ống"* AND "thép"*`},
		{[][]string{{"x", `"); DROP`}}, nil, `("x" OR "DROP")`},
	}
	for _, tt := range tests {
		if got := fts5Query(tt.terms, tt.words); got != tt.want {
			t.Errorf("fts5Query(%q, %q) = %s, want %s", tt.terms, tt.words, got, tt.want)
		}
	}
}

func TestTSQuery(t *testing.T) {
	tests := []struct {
		terms [][]string
		words []string
		want  string
	}{
		{nil, nil, ""},
		{[][]string{{"zpa"}}, nil, `'zpa'`},
		{[][]string{{"zpa", "zpb"}, {"zcc"}}, []string{"ep"}, `('zpa' | 'zpb') & 'zcc' & 'ep':*`},
		{[][]string{{}, {"", "-"}}, []string{"", "  "}, ""},
		{nil, []string{`a:* & ! | ( ' \ " <->`}, `'a':*`},
		{[][]string{{`a"b`, "c"}}, []string{"ống-thép"}, `(('a' <-> 'b') | 'c') & 'ống':* & 'thép':*`},
		{[][]string{{"x", `'); DROP`}}, nil, `('x' | 'DROP')`},
	}
	for _, tt := range tests {
		if got := tsQuery(tt.terms, tt.words); got != tt.want {
			t.Errorf("tsQuery(%q, %q) = %s, want %s", tt.terms, tt.words, got, tt.want)
		}
	}
	for in, want := range map[string]string{`a`: `'a'`, `it's`: `'it''s'`, `a\b`: `'a\\b'`, `\'`: `'\\'''`} {
		if got := tsLexeme(in); got != want {
			t.Errorf("tsLexeme(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDollarPlaceholders(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT ? FROM t WHERE a = ? AND b IN (?, ?)", "SELECT $1 FROM t WHERE a = $2 AND b IN ($3, $4)"},
		{`SELECT '?', "a?b", ? FROM t WHERE x = 'it''s ?' AND y = ?`, `SELECT '?', "a?b", $1 FROM t WHERE x = 'it''s ?' AND y = $2`},
	}
	for _, tt := range tests {
		if got := dollarPlaceholders(tt.in); got != tt.want {
			t.Errorf("dollarPlaceholders(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScore(t *testing.T) {
	idx := &dirIndex{vals: []facetVal{{}}, ids: map[string]uint32{}}
	strong := func(toks ...string) []uint32 {
		var ids []uint32
		for _, tok := range toks {
			ids = append(ids, idx.intern(kindToken, []byte(tok)))
		}
		return ids
	}
	milling := strong("zpcncmilling")
	machining := strong("zpcncmachining")
	tests := []struct {
		name   string
		terms  [][]string
		words  []string
		text   string
		strong []uint32
		want   int32
	}{
		{"nothing asked", nil, nil, "a b c", nil, 0},
		{"one alternative", [][]string{{"zpcncmilling", "zpcncmachining"}}, nil, "x zpcncmachining y", nil, scoreAlternative},
		{"both alternatives", [][]string{{"zpcncmilling", "zpcncmachining"}}, nil, "zpcncmachining zpcncmilling", nil, 2 * scoreAlternative},
		{"repeated token counts once", [][]string{{"zpcncmilling"}}, nil, "zpcncmilling zpcncmilling", nil, scoreAlternative},
		{"repeated alternative counts once", [][]string{{"zpcncmilling", "ZPCNCMILLING"}}, nil, "zpcncmilling", nil, scoreAlternative},
		{"strong", [][]string{{"zpcncmilling", "zpcncmachining"}}, nil, "zpcncmilling zpcncmachining", milling, 2*scoreAlternative + scoreStrong},
		{"strong once per group", [][]string{{"zpcncmilling", "zpcncmachining"}}, nil, "zpcncmilling zpcncmachining", append(milling, machining...), 2*scoreAlternative + scoreStrong},
		{"strong token of another group", [][]string{{"zpcncmilling"}, {"zciso9001"}}, nil, "zpcncmilling zciso9001", milling, 2*scoreAlternative + scoreStrong},
		{"strong but not asked", [][]string{{"zciso9001"}}, nil, "zciso9001 zpcncmilling", milling, scoreAlternative},
		{"whole word", nil, []string{"an"}, "an khang", nil, scoreWord},
		{"prefix only", nil, []string{"an"}, "anh duong", nil, 0},
		{"word matching case", nil, []string{"An"}, "an", nil, scoreWord},
		{"split word", nil, []string{"ống-thép"}, "ống thép", nil, 2 * scoreWord},
		{"phrase scores nothing", [][]string{{"a b"}}, nil, "a b", nil, 0},
		{"term and word", [][]string{{"zpcncmilling"}}, []string{"phay"}, "phay zpcncmilling", nil, scoreAlternative + scoreWord},
		{"token also a word", [][]string{{"han"}}, []string{"han"}, "han", nil, scoreAlternative + scoreWord},
		{"empty text", [][]string{{"x"}}, []string{"y"}, "", nil, 0},
		{"double spaces", nil, []string{"b"}, "a  b ", nil, scoreWord},
	}
	for _, tt := range tests {
		sc := newScorer(parseText(tt.terms, tt.words), idx)
		if got := sc.tokenScore([]byte(tt.text), tt.strong); got != tt.want {
			t.Errorf("%s: score %d, want %d", tt.name, got, tt.want)
		}
	}
}

// The two ways of scoring — reading the matches' tokens, asking the index
// about each probe — give the same scores on either engine.
func TestScorePaths(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		agreeLoad(t, db, 300)
		for _, cf := range []sihub.CompanyFilter{
			{Words: []string{"lo"}}, // "lò xo", "Long"
			{Words: []string{"khuon", "b"}},
			{Terms: [][]string{{"zpinjectionmolding", "zpstamping", "nhua"}, {"zciso9001", "zciatf16949"}}},
			{Terms: [][]string{{"zpcncmilling", "CO", "zpcncmilling"}}, Words: []string{"cong", "co"}},
			{Terms: [][]string{{"a b", "zpwelding", "zpgrinding"}}, Words: []string{"lo-xo"}},
		} {
			f, err := db.buildFilter(cf)
			if err != nil {
				t.Fatal(err)
			}
			var scores [2][]int32
			var matches [2][]bool
			err = db.read(ctx, "test", func(tx *sql.Tx) error {
				idx, err := db.dirIndex(ctx, tx)
				if err != nil {
					return err
				}
				for i, byProbes := range []bool{false, true} {
					db.d.scoreByProbes = byProbes
					if matches[i], scores[i], err = db.textMatches(ctx, tx, f, idx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			n, distinct := 0, map[int32]bool{}
			for p, ok := range matches[0] {
				if ok {
					n++
					distinct[scores[0][p]] = true
				}
			}
			if !slices.Equal(matches[0], matches[1]) || !slices.Equal(scores[0], scores[1]) || n == 0 {
				t.Errorf("%+v: %d matches; the scores by tokens and by probes differ", cf, n)
			}
			if len(distinct) < 2 && len(cf.Words) < 2 {
				t.Errorf("%+v: every match scores the same", cf)
			}
		}
	})
}
