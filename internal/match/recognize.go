package match

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// How text is read.
//
// Text is cut into tokens (fold.go) and matched against every alias of the
// taxonomy, longest phrase first, left to right; a phrase never spans a comma,
// a full stop or a bracket, and never matches part of a word ("ép" is not
// found in "épxyz").
//
// Diacritics are decided per word. A word written with diacritics matches
// only the same accented word (tone placement aside: "hoá" = "hóa"), so "đúc"
// (cast) is never "đục" (chisel) and "dập" (stamp) never "đập" (smash). A word
// written without diacritics matches any word that folds to it. In a text
// written mostly with diacritics, a plain word that is spelt plain on purpose
// ("ren", a thread) is preferred to the accented words it folds to.
//
// When words without diacritics fold to several terms (or one alias is shared
// on purpose, like "đùn", extrusion of plastic or aluminium), the recognizer
// keeps every reading as an alternative and picks the one whose sector agrees
// with the rest of the company's text: the sectors of the processes and
// materials recognized without doubt, and for a machine ("máy ép", "press")
// the machines those processes use. With no evidence either way it takes the
// reading listed first in the taxonomy files, except that a reading which is
// an ordinary phrase ("sản xuất giấy" read as "sản xuất giày") wins, so that
// doubt leads to saying nothing rather than something wrong.
//
// Short words that are also common words ("hàn", "mạ", "sơn", "tôi", "đồng";
// hints ~ and ! in the data files) are taken only where they stand as a list
// item: after a comma, a semicolon, "và", "chuyên", "nhận", "gia công"…, and
// before a comma or the end. "Trường Sơn" and "hợp đồng" are not painting and
// copper; "Chuyên hàn, sơn tĩnh điện" is welding and powder coating.

// KindCapacity is the Kind of a Match holding a capacity ("80-450 tấn") that
// no machine was named with.
const KindCapacity taxonomy.TermKind = "capacity"

// Kinds of matcher entries that are not terms.
const (
	kindBlock taxonomy.TermKind = "-block" // an ordinary phrase that hides the terms inside it
	kindCue   taxonomy.TermKind = "-cue"   // a phrase introducing the main business: "chuyên", "we specialize in"
)

// Match is a term, or a capacity, recognized in a text.
type Match struct {
	Kind taxonomy.TermKind
	Code string
	// Alts holds, when the words could mean several codes of this kind, all
	// of them, Code first; nil otherwise.
	Alts       []string
	Start, End int    // byte offsets of Evidence in the text
	Evidence   string // the words it was recognized from, as written
	Folded     bool   // matched by ignoring diacritics the text did not have

	// For equipment and capacities: the count of machines and their capacity,
	// 0 when not stated. A range ("80-450 t") sets Min and Max, a single
	// figure or "up to" Max only, "at least" ("tối thiểu 220 tấn") Min only.
	Count    int
	Min, Max float64
	Unit     string
}

// Phrases that contain a weak alias but mean something else. They are read as
// one unit and produce nothing.
var blockPhrases = []string{
	"Hàn Quốc", "hàn gắn", "chúng tôi", "của tôi", "phương tiện", "tiện lợi", "thuận tiện", "tiện ích", "tiện nghi",
	"tiện dụng", "khuôn viên", "khuôn khổ", "khuôn mặt", "rèn luyện", "chấn chỉnh", "chấn động", "chấn thương",
	"chấn hưng", "giảm chấn", "đột phá", "đột xuất", "đột biến", "đột ngột", "xung đột", "đúc kết", "đúc rút",
	"dập tắt", "dập dịch", "Đồng Nai", "Đồng Tháp", "Đồng Xoài", "hợp đồng", "đồng bộ", "đồng hồ", "đồng thời",
	"đồng ý", "cộng đồng", "đồng hành", "hội đồng", "đồng nghiệp", "đồng đều", "đồng nhất", "triệu đồng", "tỷ đồng",
	"tỉ đồng", "nghìn đồng", "bất đồng", "đồng tiền", "giấy phép", "giấy chứng nhận", "giấy tờ", "giấy khen",
	"sản xuất giấy", "máy hút chân không", "trạm biến áp", "fuel injection", "dệt may", "lò sấy", "máy sấy",
	"sấy hạt nhựa", "chuyên nghiệp", "chuyên viên", "chuyên dụng", "chuyên trách", "Đan Mạch",
	"điều khoản", "tài khoản", "khoản vay", "đáp ứng", "nhãn hiệu", "nhãn hàng", "vải thiều", "nhựa đường",
	"vận chuyển", "chuyển giao", "chuyển đổi", "di chuyển", "chuyển phát", "luân chuyển", "press release",
	"private label", "white label",
}

// Phrases that introduce a company's main business: the processes named
// after them in the same sentence are its core processes.
var cuePhrases = []string{
	"chuyên", "chuyên về", "chủ yếu", "lĩnh vực chính", "ngành nghề chính", "hoạt động chính", "sản phẩm chính",
	"thế mạnh", "năng lực chính", "kinh doanh chính", "specialize", "specialise", "specializes", "specialises",
	"specializing", "specialising", "specialized", "specialised", "specialist", "specialists", "specialty",
	"speciality", "main business", "core business", "core competence", "core competencies", "core competency",
	"main activities", "main activity", "main products", "main product", "focus on", "focused on", "focuses on",
	"focusing on", "mainly", "primarily",
}

// entry is one meaning of an alias.
type entry struct {
	kind   taxonomy.TermKind
	code   string
	group  int32  // entries of one compound alias share a group; each other entry has its own
	order  int32  // position of its record in the taxonomy files, for ties
	sector string // the sector it belongs to, for settling ambiguities
	equip  string // for a process, the machine kind it uses
}

// variant is an alias as written, with every meaning it has.
type variant struct {
	keys    []string // accent key of each alias token
	plain   []bool   // the alias token has no diacritics
	raw     []string // the alias tokens as written (HintCase)
	hint    taxonomy.Hint
	entries []entry
	order   int32
}

func (v *variant) is(k taxonomy.TermKind) bool { return len(v.entries) > 0 && v.entries[0].kind == k }

// node is a trie node keyed by folded tokens.
type node struct {
	next map[string]*node
	vars []*variant
}

type matcher struct {
	root node
	// sector of each process, material and equipment kind (through its
	// process), for settling ambiguities.
	sector map[taxonomy.TermKind]map[string]string
	// equipment kind of each process.
	procEquip map[string]string
	unit      map[string]string // equipment kind → unit
}

var theMatcher = sync.OnceValue(newMatcher)

func newMatcher() *matcher {
	m := &matcher{
		sector:    map[taxonomy.TermKind]map[string]string{},
		procEquip: map[string]string{},
		unit:      map[string]string{},
	}
	for _, k := range []taxonomy.TermKind{taxonomy.KindProcess, taxonomy.KindMaterial, taxonomy.KindEquipment} {
		m.sector[k] = map[string]string{}
	}
	var order, group int32
	addAll := func(kind taxonomy.TermKind, code string, aliases []taxonomy.Alias) {
		group++
		for _, a := range aliases {
			m.add(a, entry{kind: kind, code: code, group: group, order: order})
		}
	}
	for _, p := range taxonomy.Processes() {
		order++
		m.sector[taxonomy.KindProcess][p.Code] = p.Sector
		m.procEquip[p.Code] = p.Equipment
		addAll(taxonomy.KindProcess, p.Code, p.Aliases)
	}
	for _, c := range taxonomy.Compounds() {
		order++
		group++
		for _, code := range c.Codes {
			for _, a := range c.Aliases {
				m.add(a, entry{kind: taxonomy.KindProcess, code: code, group: group, order: order})
			}
		}
	}
	for _, x := range taxonomy.Materials() {
		order++
		m.sector[taxonomy.KindMaterial][x.Code] = x.Sector
		addAll(taxonomy.KindMaterial, x.Code, x.Aliases)
	}
	for _, x := range taxonomy.Certifications() {
		order++
		addAll(taxonomy.KindCertification, x.Code, x.Aliases)
	}
	for _, x := range taxonomy.EquipmentKinds() {
		order++
		m.unit[x.Code] = x.Unit
		m.sector[taxonomy.KindEquipment][x.Code] = m.sector[taxonomy.KindProcess][x.Process]
		addAll(taxonomy.KindEquipment, x.Code, x.Aliases)
	}
	order++
	for _, s := range blockPhrases {
		m.add(taxonomy.Alias{Text: s}, entry{kind: kindBlock, order: order})
	}
	for _, s := range cuePhrases {
		m.add(taxonomy.Alias{Text: s}, entry{kind: kindCue, order: order})
	}
	m.annotate(&m.root)
	return m
}

// annotate copies into every entry what settling ambiguities needs, so that
// reading text looks nothing up.
func (m *matcher) annotate(n *node) {
	for _, v := range n.vars {
		for i := range v.entries {
			e := &v.entries[i]
			e.sector = m.sector[e.kind][e.code]
			if e.kind == taxonomy.KindProcess {
				e.equip = m.procEquip[e.code]
			}
		}
	}
	for _, c := range n.next {
		m.annotate(c)
	}
}

func (m *matcher) add(a taxonomy.Alias, e entry) {
	toks := tokenize(a.Text, nil)
	if len(toks) == 0 {
		return
	}
	n := &m.root
	for _, t := range toks {
		c := n.next[t.fold]
		if c == nil {
			if n.next == nil {
				n.next = map[string]*node{}
			}
			c = &node{}
			n.next[t.fold] = c
		}
		n = c
	}
	caseHint := a.Hint & taxonomy.HintCase
	for _, v := range n.vars {
		if v.hint&taxonomy.HintCase != caseHint || !slices.EqualFunc(v.keys, toks, func(k string, t token) bool { return k == t.key }) {
			continue
		}
		if caseHint != 0 && !slices.EqualFunc(v.raw, toks, func(r string, t token) bool { return r == a.Text[t.start:t.end] }) {
			continue
		}
		v.hint |= a.Hint
		for _, x := range v.entries {
			if x.kind == e.kind && x.code == e.code {
				return
			}
		}
		v.entries = append(v.entries, e)
		v.order = min(v.order, e.order)
		return
	}
	v := &variant{hint: a.Hint, entries: []entry{e}, order: e.order}
	for _, t := range toks {
		v.keys = append(v.keys, t.key)
		v.plain = append(v.plain, !t.accented)
		v.raw = append(v.raw, a.Text[t.start:t.end])
	}
	n.vars = append(n.vars, v)
}

// hit is a phrase of a text matched by one or more variants.
type hit struct {
	i, j   int        // token span [i, j)
	vars   []*variant // the readings left after filtering, in taxonomy order
	folded bool       // matched by ignoring diacritics
}

// scan is the reading of one text.
type scan struct {
	text     string
	toks     []token
	acc      bool // the text is written with diacritics
	hits     []hit
	cueSpans [][2]int // token spans of the cue phrases
	used     []bool   // tokens inside a hit, a capacity or a count
	buf      []byte   // scratch for tokenizing
	terms    []term   // the resolved terms, reused
	marks    []bool   // scratch for coreTokens and supplementaryItems
	sentence []int    // scratch for sentences
}

// wordKey returns the fold and accent key of a single word.
func wordKey(w string) (fold, key string) {
	t := tokenize(w, nil)
	return t[0].fold, t[0].key
}

// words whose role matters to the reading: list connectors and the words
// after which a weak alias is a list item ("nhận mạ", "gia công hàn").
var connectorWords, cueWords = func() (map[string]string, map[string]string) {
	conn, cue := map[string]string{}, map[string]string{}
	for _, w := range []string{"và", "and", "or", "hoặc", "cùng"} {
		f, k := wordKey(w)
		conn[f] = k
	}
	for _, w := range []string{"chuyên", "nhận", "công", "vụ", "specialize", "specializing", "in"} {
		f, k := wordKey(w)
		cue[f] = k
	}
	return conn, cue
}()

// tokIn reports whether t is one of the words of set, respecting its
// diacritics when it has some.
func tokIn(t *token, set map[string]string) bool {
	k, ok := set[t.fold]
	return ok && (!t.accented || t.key == k)
}

// Scans are pooled: importing reads 100,000 companies, and their token
// slices are the bulk of the work's memory.
var scanPool = sync.Pool{New: func() any { return new(scan) }}

// newScan reads text. Give the scan back with free when done with it.
func newScan(text string) *scan {
	s := scanPool.Get().(*scan)
	s.text = text
	s.toks, s.buf = tokenizeBuf(text, s.toks[:0], s.buf)
	s.used = slices.Grow(s.used[:0], len(s.toks))[:len(s.toks)]
	clear(s.used)
	s.hits = s.hits[:0]
	s.cueSpans = s.cueSpans[:0]
	acc, letters := 0, 0
	for i := range s.toks {
		if !s.toks[i].num {
			letters++
			if s.toks[i].accented {
				acc++
			}
		}
	}
	// Vietnamese written with diacritics has marks on most syllables; an
	// accented place name in otherwise plain text does not make it accented.
	s.acc = acc > 0 && acc*3 >= letters
	s.match(theMatcher())
	return s
}

func (s *scan) free() {
	s.text = ""
	clear(s.hits) // drop the variant pointers
	clear(s.terms)
	scanPool.Put(s)
}

// match finds the longest phrase at each position, left to right.
func (s *scan) match(m *matcher) {
	toks := s.toks
	for i := 0; i < len(toks); {
		n := &m.root
		bestJ := -1
		var best []*variant
		var bestFolded bool
		for j := i; j < len(toks); j++ {
			if j > i && toks[j].gap&gHard != 0 {
				break
			}
			if n = n.next[toks[j].fold]; n == nil {
				break
			}
			if len(n.vars) == 0 {
				continue
			}
			if ok, folded := s.filter(i, j+1, n.vars); len(ok) > 0 {
				bestJ, best, bestFolded = j+1, ok, folded
			}
		}
		if bestJ < 0 {
			i++
			continue
		}
		for k := i; k < bestJ; k++ {
			s.used[k] = true
		}
		switch {
		case best[0].is(kindCue):
			s.cueSpans = append(s.cueSpans, [2]int{i, bestJ})
		case len(best) == 1 && best[0].is(kindBlock):
		default:
			s.hits = append(s.hits, hit{i: i, j: bestJ, vars: best, folded: bestFolded})
			s.continueList(m, i, bestJ, best)
		}
		i = bestJ
		for i < len(toks) && s.used[i] {
			i++
		}
	}
}

// filter returns the variants compatible with tokens [i, j). It returns vars
// itself when they all are, which is the common case.
func (s *scan) filter(i, j int, vars []*variant) (ok []*variant, folded bool) {
	var exactBuf, goodBuf [8]bool
	exact, good := exactBuf[:0], goodBuf[:0]
	anyExact, all := false, true
	for _, v := range vars {
		ex, g := s.fits(i, j, v)
		exact, good = append(exact, ex), append(good, g)
		anyExact = anyExact || (g && ex)
		all = all && g
	}
	keepExact := s.acc && anyExact
	if all && (!keepExact || !slices.Contains(exact, false)) {
		for _, e := range exact {
			folded = folded || !e
		}
		return vars, folded
	}
	for n, v := range vars {
		// Text written with diacritics spells a plain word plain on purpose.
		if good[n] && (!keepExact || exact[n]) {
			ok = append(ok, v)
			folded = folded || !exact[n]
		}
	}
	return ok, folded
}

// fits reports whether variant v may be read from tokens [i, j), and whether
// it matches them exactly, diacritics included.
func (s *scan) fits(i, j int, v *variant) (exact, ok bool) {
	exact = true
	for k := range v.keys {
		t := &s.toks[i+k]
		if t.accented {
			if t.key != v.keys[k] {
				return false, false
			}
		} else if !v.plain[k] {
			exact = false
		}
		if v.hint&taxonomy.HintCase != 0 && s.text[t.start:t.end] != v.raw[k] {
			return false, false
		}
	}
	byFold := !exact || !s.acc
	if v.hint&taxonomy.HintContext != 0 || (v.hint&taxonomy.HintWeak != 0 && byFold) {
		if !s.standsAlone(i, j) {
			return exact, false
		}
	}
	if v.hint&(taxonomy.HintWeak|taxonomy.HintContext) != 0 && s.inName(i, j) {
		return exact, false
	}
	return exact, true
}

// standsAlone reports whether tokens [i, j) stand as a list item: after the
// start, a punctuation mark, a connector or a cue word, and before the end, a
// punctuation mark or a connector.
func (s *scan) standsAlone(i, j int) bool {
	toks := s.toks
	left := i == 0 || toks[i].gap&gPunct != 0 || tokIn(&toks[i-1], connectorWords) || tokIn(&toks[i-1], cueWords)
	right := j == len(toks) || toks[j].gap&gPunct != 0 || tokIn(&toks[j], connectorWords)
	return left && right
}

// inName reports whether tokens [i, j) are part of a proper name: capitalized
// next to another capitalized word ("Trường Sơn", "Sơn Hà", "Minh Đức").
func (s *scan) inName(i, j int) bool {
	toks := s.toks
	if !toks[i].upper {
		return false
	}
	if i > 0 && toks[i].gap&gPunct == 0 && toks[i-1].upper && !tokIn(&toks[i-1], cueWords) &&
		!tokIn(&toks[i-1], connectorWords) {
		return true
	}
	return j < len(toks) && toks[j].gap&gPunct == 0 && toks[j].upper
}

// continueList reads the numbers listed after a scheme ("ISO 9001, 14001 và
// 45001") as schemes of the same family.
func (s *scan) continueList(m *matcher, i, j int, vars []*variant) {
	if len(vars) != 1 || !vars[0].is(taxonomy.KindCertification) || j-i != 2 || !s.toks[j-1].num {
		return
	}
	head := m.root.next[s.toks[i].fold]
	for k := j; k < len(s.toks); k++ {
		t := &s.toks[k]
		if t.num && s.toks[k-1].num && strings.TrimSpace(s.text[s.toks[k-1].end:t.start]) == ":" {
			continue // the year of the scheme before: "9001:2015"
		}
		if t.gap&(gSentence|gOpen) != 0 || (t.gap&gHard != 0 && t.gap&gList == 0) {
			return
		}
		if tokIn(t, connectorWords) {
			continue
		}
		if !t.num {
			return
		}
		n := head.next[t.fold]
		if n == nil || len(n.vars) != 1 || !n.vars[0].is(taxonomy.KindCertification) {
			return
		}
		s.used[k] = true
		s.hits = append(s.hits, hit{i: k, j: k + 1, vars: n.vars})
	}
}

// context is what the unambiguous terms of a company's texts say about it.
type context struct {
	sectorNames  [16]string // sectors of its terms
	sectorCounts [16]int    // how many terms are in each
	nsectors     int
	equip        []string // equipment kinds its processes use
	equipBuf     [8]string
}

func (c *context) addSector(sec string) {
	for i := 0; i < c.nsectors; i++ {
		if c.sectorNames[i] == sec {
			c.sectorCounts[i]++
			return
		}
	}
	if c.nsectors < len(c.sectorNames) {
		c.sectorNames[c.nsectors], c.sectorCounts[c.nsectors] = sec, 1
		c.nsectors++
	}
}

func (c *context) sector(sec string) int {
	for i := 0; i < c.nsectors; i++ {
		if c.sectorNames[i] == sec {
			return c.sectorCounts[i]
		}
	}
	return 0
}

func (m *matcher) newContext(scans []*scan) *context {
	c := &context{}
	c.equip = c.equipBuf[:0]
	for _, s := range scans {
		for _, h := range s.hits {
			if len(h.vars) != 1 || h.vars[0].is(kindBlock) || competing(h.vars[0]) {
				continue
			}
			for _, e := range h.vars[0].entries {
				if e.sector != "" {
					c.addSector(e.sector)
				}
				if e.equip != "" && !slices.Contains(c.equip, e.equip) {
					c.equip = append(c.equip, e.equip)
				}
			}
		}
	}
	return c
}

// competing reports whether a variant has several meanings of one kind that
// are alternatives rather than a compound.
func competing(v *variant) bool {
	for a := range v.entries {
		for b := a + 1; b < len(v.entries); b++ {
			if v.entries[a].kind == v.entries[b].kind && v.entries[a].group != v.entries[b].group {
				return true
			}
		}
	}
	return false
}

// score says how well an entry agrees with the context.
func (m *matcher) score(c *context, e entry) float64 {
	switch e.kind {
	case kindBlock:
		return 0.5
	case taxonomy.KindEquipment:
		v := float64(c.sector(e.sector))
		if slices.Contains(c.equip, e.code) {
			v += 3
		}
		return v
	}
	return float64(c.sector(e.sector))
}

// term is a resolved term of a scan.
type term struct {
	kind    taxonomy.TermKind
	code    string
	alts    []string
	i, j    int // token span
	folded  bool
	decided bool // unambiguous, or settled by the context rather than by taxonomy order
	// equipment
	count    int
	min, max float64
	unit     string
	ci, cj   int // token span including its capacity
}

// resolve picks a reading for every hit of s and returns its terms, in text
// order.
func (m *matcher) resolve(c *context, s *scan) []term {
	out := s.terms[:0]
	for _, h := range s.hits {
		v := h.vars[0]
		decided := true // no doubt, or the context settled it
		if len(h.vars) > 1 {
			best, second := -1.0, -1.0
			for _, x := range h.vars {
				sc := -1.0
				for _, e := range x.entries {
					sc = math.Max(sc, m.score(c, e))
				}
				if sc > best || (sc == best && x.order < v.order) {
					v, best, second = x, sc, math.Max(best, second)
				} else {
					second = math.Max(second, sc)
				}
			}
			decided = best > second
		}
		if v.is(kindBlock) {
			continue
		}
		// Within the variant, for each kind, the group that fits best; the
		// first one listed on a tie.
		type pick struct {
			kind  taxonomy.TermKind
			group int32
			score float64
		}
		var picks [4]pick
		np := 0
		for _, e := range v.entries {
			sc := m.score(c, e)
			k := 0
			for k < np && picks[k].kind != e.kind {
				k++
			}
			if k == np && np < len(picks) {
				picks[k] = pick{e.kind, e.group, sc}
				np++
			} else if k < np && sc > picks[k].score {
				picks[k].group, picks[k].score = e.group, sc
			}
		}
		// Decided only if the chosen group scored above every other one.
		for _, e := range v.entries {
			for k := 0; k < np; k++ {
				if picks[k].kind == e.kind && picks[k].group != e.group && m.score(c, e) >= picks[k].score {
					decided = false
				}
			}
		}
		for _, e := range v.entries {
			k := 0
			for k < np && picks[k].kind != e.kind {
				k++
			}
			if k == np || picks[k].group != e.group {
				continue
			}
			t := term{kind: e.kind, code: e.code, i: h.i, j: h.j, ci: h.i, cj: h.j, folded: h.folded,
				decided: decided}
			t.alts = alternatives(h.vars, e)
			out = append(out, t)
		}
	}
	s.terms = out
	return out
}

// alternatives lists the codes of e's kind among the readings, e's first,
// when there is more than one.
func alternatives(vars []*variant, e entry) []string {
	if len(vars) == 1 && !competing(vars[0]) {
		return nil
	}
	alts := []string{e.code}
	for _, v := range vars {
		for _, x := range v.entries {
			if x.kind == e.kind && x.group != e.group && !slices.Contains(alts, x.code) {
				alts = append(alts, x.code)
			}
		}
	}
	if len(alts) == 1 {
		return nil
	}
	return alts
}

// capacity is a number with a unit: "80-450 tấn", "up to 450T", "5-axis".
type capacity struct {
	i, j     int
	min, max float64
	unit     string
	count    int
	taken    bool
}

type unitDef struct {
	unit   string
	factor float64
}

var capUnits = func() map[string]unitDef {
	u := map[string]unitDef{}
	for _, w := range []string{"t", "tấn", "ton", "tons", "tonne", "tonnes", "tf", "tonf"} {
		f, _ := wordKey(w)
		u[f] = unitDef{"t", 1}
	}
	u["kn"] = unitDef{"t", 1 / 9.80665}
	for _, w := range []string{"kw", "kilowatt", "kilowatts"} {
		u[w] = unitDef{"kW", 1}
	}
	for _, w := range []string{"w", "watt", "watts"} {
		u[w] = unitDef{"kW", 0.001}
	}
	for _, w := range []string{"axis", "axes", "trục"} {
		f, _ := wordKey(w)
		u[f] = unitDef{"axis", 1}
	}
	u["mm"] = unitDef{"mm", 1}
	u["cm"] = unitDef{"mm", 10}
	u["kg"] = unitDef{"kg", 1}
	for _, w := range []string{"head", "heads", "đầu"} {
		f, _ := wordKey(w)
		u[f] = unitDef{"head", 1}
	}
	return u
}()

// Words around capacities.
var (
	rangeWords = foldSet("to", "đến", "tới", "and", "và")
	upToWords  = foldSet("max", "maximum", "upto", "đến", "tới")
	perWords   = foldSet("tháng", "năm", "ngày", "giờ", "ca", "tuần", "month", "year", "day", "hour", "shift",
		"week", "annum")
	perCues    = foldSet("per", "a", "each", "every", "mỗi", "một", "trên", "moi")
	countWords = foldSet("máy", "chiếc", "cái", "bộ", "dàn", "units", "unit", "sets", "set", "machines", "machine", "pcs",
		"nos", "presses", "lines", "line")
)

func foldSet(ws ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[Fold(w)] = true
	}
	return m
}

// capacities finds the capacities among the tokens no term took.
func (s *scan) capacities() []capacity {
	toks := s.toks
	var out []capacity
	for k := 0; k < len(toks); k++ {
		if s.used[k] || !toks[k].num {
			continue
		}
		var numBuf [8]float64
		nums := append(numBuf[:0], toks[k].val)
		e := k
		for {
			nx := e + 1
			if nx >= len(toks) || toks[nx].gap&gSentence != 0 {
				break
			}
			if toks[nx].num && !s.used[nx] && toks[nx].gap&(gDash|gSlash) != 0 && toks[nx].gap&gHard == 0 {
				nums = append(nums, toks[nx].val)
				e = nx
				continue
			}
			if !toks[nx].num && rangeWords[toks[nx].fold] && nx+1 < len(toks) && toks[nx+1].num && !s.used[nx+1] &&
				toks[nx+1].gap&gHard == 0 {
				nums = append(nums, toks[nx+1].val)
				e = nx + 1
				continue
			}
			break
		}
		u := e + 1
		if u >= len(toks) || toks[u].num || s.used[u] || toks[u].gap&gHard != 0 {
			k = e
			continue
		}
		ud, ok := capUnits[toks[u].fold]
		if !ok {
			k = e
			continue
		}
		if s.throughput(u) {
			k = u // "500 tấn/tháng", "500 tons of parts per month"
			continue
		}
		c := capacity{i: k, j: u + 1, unit: ud.unit}
		for _, v := range nums {
			v *= ud.factor
			if c.min == 0 || v < c.min {
				c.min = v
			}
			c.max = max(c.max, v)
		}
		c.min, c.max = round1(c.min), round1(c.max)
		if len(nums) == 1 {
			c.min = 0
		}
		switch cue, n := s.boundCue(k); {
		case cue == "max":
			c.min, c.i = 0, k-n
		case cue == "min" && len(nums) == 1:
			c.min, c.max, c.i = c.max, 0, k-n // "at least 120 tons": Min only
		}
		// "x 3", "× 3": how many machines.
		if x := u + 1; x < len(toks) && toks[x].gap&gSentence == 0 {
			if toks[x].fold == "x" && x+1 < len(toks) && toks[x+1].num {
				c.count, c.j = countOf(toks[x+1].val), x+2
			} else if toks[x].num && toks[x].gap&gTimes != 0 {
				c.count, c.j = countOf(toks[x].val), x+1
			}
		}
		for x := c.i; x < c.j; x++ {
			s.used[x] = true
		}
		out = append(out, c)
		k = c.j - 1
	}
	return out
}

// boundCue reads the words before the number at token k that make it a
// bound: "max" for "up to", "tối đa", "max"; "min" for "at least", "tối
// thiểu", "≥". It returns the number of tokens they take.
func (s *scan) boundCue(k int) (string, int) {
	toks := s.toks
	word := func(i int) string {
		if i < 0 || s.used[i] || toks[i].num {
			return ""
		}
		return toks[i].fold
	}
	w1, w2 := word(k-1), word(k-2)
	from := 0
	if k > 0 {
		from = toks[k-1].end
	}
	switch sep := s.text[from:toks[k].start]; {
	case strings.Contains(sep, "≥") || strings.Contains(sep, ">="):
		return "min", 0
	case strings.Contains(sep, "≤") || strings.Contains(sep, "<="):
		return "max", 0
	}
	switch {
	case w2 == "up" && w1 == "to", w2 == "toi" && w1 == "da", w2 == "len" && (w1 == "den" || w1 == "toi"):
		return "max", 2
	case w2 == "at" && w1 == "least", w2 == "toi" && w1 == "thieu", w2 == "it" && w1 == "nhat":
		return "min", 2
	case upToWords[w1]:
		return "max", 1
	case w1 == "min" || w1 == "minimum":
		return "min", 1
	}
	return "", 0
}

// throughput reports whether the unit at token u is followed, in its clause,
// by a period of time ("/tháng", "per month", "mỗi năm"): then the figure is
// an output, not a machine's capacity.
func (s *scan) throughput(u int) bool {
	for k := u + 1; k < len(s.toks) && k <= u+4; k++ {
		t := &s.toks[k]
		if t.gap&gHard != 0 {
			return false
		}
		if perWords[t.fold] && (t.gap&gSlash != 0 || perCues[s.toks[k-1].fold]) {
			return true
		}
	}
	return false
}

func countOf(v float64) int {
	if v < 1 || v > 10000 || v != math.Trunc(v) {
		return 0
	}
	return int(v)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// attach gives each capacity to the machine named next to it in the same
// sentence, reads the machine counts, and returns the capacities left over.
func (m *matcher) attach(s *scan, terms []term, caps []capacity) []capacity {
	sentence := s.sentences()
	for ci := range caps {
		c := &caps[ci]
		best := -1
		for ti := range terms {
			t := &terms[ti]
			if t.kind != taxonomy.KindEquipment || m.unit[t.code] != c.unit || sentence[t.i] != sentence[c.i] {
				continue
			}
			switch {
			case t.j <= c.i && c.i-t.j <= 6:
				best = ti // the nearest machine before it
			case t.i >= c.j && t.i-c.j <= 3 && best < 0:
				best = ti
			}
		}
		if best < 0 {
			continue
		}
		t := &terms[best]
		c.taken = true
		if t.max == 0 && t.min == 0 {
			t.min, t.max = c.min, c.max
		} else {
			t.min, t.max = mergeRange(t.min, t.max, c.min, c.max)
		}
		t.unit = c.unit
		t.count += c.count
		t.ci, t.cj = min(t.ci, c.i), max(t.cj, c.j)
	}
	// "12 máy ép nhựa", "injection machines x 12".
	for ti := range terms {
		t := &terms[ti]
		if t.kind != taxonomy.KindEquipment {
			continue
		}
		if k := t.i - 1; k >= 0 && s.toks[k].num && !s.used[k] && s.toks[t.i].gap&gPunct == 0 {
			if n := countOf(s.toks[k].val); n > 0 {
				t.count, t.ci = n, min(t.ci, k)
				s.used[k] = true
			}
		}
		if x := t.j; x+1 < len(s.toks) && s.toks[x].fold == "x" && s.toks[x+1].num && !s.used[x+1] &&
			s.toks[x].gap&gSentence == 0 {
			if n := countOf(s.toks[x+1].val); n > 0 {
				t.count, t.cj = n, max(t.cj, x+2)
			}
		}
		if x := t.j; t.count == 0 && x+1 < len(s.toks) && s.toks[x].num && !s.used[x] &&
			s.toks[x+1].gap&gHard == 0 && countWords[s.toks[x+1].fold] {
			if n := countOf(s.toks[x].val); n > 0 { // "máy ép (12 máy)"
				t.count, t.cj = n, max(t.cj, x+2)
			}
		}
	}
	var left []capacity
	for _, c := range caps {
		if !c.taken {
			left = append(left, c)
		}
	}
	return left
}

// sentences returns the number of the sentence of each token, reused.
func (s *scan) sentences() []int {
	s.sentence = slices.Grow(s.sentence[:0], len(s.toks))[:len(s.toks)]
	for i, n := 0, 0; i < len(s.toks); i++ {
		if s.toks[i].gap&gSentence != 0 {
			n++
		}
		s.sentence[i] = n
	}
	return s.sentence
}

// mergeRange widens a capacity range by another: from the smallest to the
// largest figure stated. A single figure stated twice stays a maximum.
func mergeRange(min1, max1, min2, max2 float64) (float64, float64) {
	hi := math.Max(max1, max2)
	lo := math.Inf(1)
	for _, v := range []float64{min1, max1, min2, max2} {
		if v > 0 {
			lo = math.Min(lo, v)
		}
	}
	if lo < hi {
		return lo, hi
	}
	if min1 > 0 || min2 > 0 {
		return hi, hi
	}
	return 0, hi
}

// Recognize returns every term and capacity recognized in text, in text
// order. Ambiguous words are settled by the rest of the text; a capacity is
// attached to the machine named next to it (an equipment Match then carries
// Count, Min, Max and Unit) and otherwise returned as a KindCapacity Match.
// The demand side uses it to read requirements.
func Recognize(text string) []Match {
	m := theMatcher()
	s := newScan(text)
	defer s.free()
	terms := m.resolve(m.newContext([]*scan{s}), s)
	left := m.attach(s, terms, s.capacities())
	out := make([]Match, 0, len(terms)+len(left))
	for _, t := range terms {
		out = append(out, s.match1(t))
	}
	for _, c := range left {
		out = append(out, s.capMatch(c))
	}
	slices.SortStableFunc(out, func(a, b Match) int { return a.Start - b.Start })
	return out
}

func (s *scan) span(i, j int) (start, end int, text string) {
	start, end = s.toks[i].start, s.toks[j-1].end
	return start, end, s.text[start:end]
}

func (s *scan) match1(t term) Match {
	mt := Match{Kind: t.kind, Code: t.code, Alts: t.alts, Folded: t.folded}
	mt.Start, mt.End, mt.Evidence = s.span(t.ci, t.cj)
	if t.kind == taxonomy.KindEquipment {
		mt.Count, mt.Min, mt.Max, mt.Unit = t.count, t.min, t.max, t.unit
	}
	return mt
}

func (s *scan) capMatch(c capacity) Match {
	mt := Match{Kind: KindCapacity, Count: c.count, Min: c.min, Max: c.max, Unit: c.unit}
	mt.Start, mt.End, mt.Evidence = s.span(c.i, c.j)
	return mt
}

// ParseCapacity reads a capacity written on its own, such as a demand's
// minimum press size: "220T", "80-450 tấn", "up to 3 kW", "5-axis". Unit is
// "" when the text is a bare number.
func ParseCapacity(text string) (min, max float64, unit string, ok bool) {
	s := &scan{text: text, toks: tokenize(text, nil)}
	s.used = make([]bool, len(s.toks))
	if caps := s.capacities(); len(caps) > 0 {
		return caps[0].min, caps[0].max, caps[0].unit, true
	}
	for _, t := range s.toks {
		if t.num {
			return 0, t.val, "", true
		}
	}
	return 0, 0, "", false
}

// Analyze recomputes c's Capabilities, Materials, Certifications and
// Equipment from its text fields, which it leaves untouched: the text is the
// source of truth and the lists are derived from it every time.
//
// The capability, material, certification and equipment columns declare
// (Source Declared); the products and the description are read for what they
// imply (Source Inferred). Company names are not read. A process from the
// capabilities column is core unless its item is marked "(phụ)" or
// "(supplementary)"; a process from the description is core when it follows
// the company's statement of its main business ("Chuyên …", "We specialize
// in …"). A term found twice is listed once: declared before inferred, with
// the first evidence. A capacity no machine was named with goes to the
// machine of the only process in the text that uses a machine with that unit
// (a tonnage in an injection molder's profile is its presses' tonnage). A
// machine shows the process it is for (a press brake, bending).
//
// Analyze returns advice on the declared columns: items it recognized nothing
// in, for the import report and the edit form. They are not validation errors.
func Analyze(c *sihub.Company) sihub.Problems {
	m := theMatcher()
	fields := [...]struct {
		name string
		text string
		src  sihub.Source
	}{
		{"capabilities", c.CapabilitiesText, sihub.Declared},
		{"materials", c.MaterialsText, sihub.Declared},
		{"certifications", c.CertificationsText, sihub.Declared},
		{"equipment", c.EquipmentText, sihub.Declared},
		{"products", c.Products, sihub.Inferred},
		{"description", c.Description, sihub.Inferred},
	}
	var scans [len(fields)]*scan
	for i, f := range fields {
		scans[i] = newScan(f.text)
	}
	defer func() {
		for _, s := range scans {
			s.free()
		}
	}()
	ctx := m.newContext(scans[:])

	a := analysis{
		caps:      make([]sihub.Capability, 0, 8),
		capInfo:   make([]capInfo, 0, 8),
		materials: make([]sihub.Material, 0, 8),
	}
	type fieldCapacity struct {
		c   capacity
		src int
	}
	var leftover []fieldCapacity
	var p sihub.Problems
	for fi, s := range scans {
		terms := m.resolve(ctx, s)
		for _, lc := range m.attach(s, terms, s.capacities()) {
			leftover = append(leftover, fieldCapacity{lc, fi})
		}
		src := fields[fi].src
		// The capabilities column is core but for the items marked
		// supplementary; the inferred fields are core after a cue.
		var marks []bool
		switch {
		case fi == 0:
			marks = s.supplementaryItems()
		case src == sihub.Inferred:
			marks = s.coreTokens()
		}
		for ti, t := range terms {
			if s.absorbed(terms, ti) {
				continue // part of a certification body's name: "ISO 9001 (UL)"
			}
			_, _, ev := s.span(t.ci, t.cj)
			switch t.kind {
			case taxonomy.KindProcess:
				isCore := false
				switch {
				case fi == 0:
					isCore = !marks[t.i]
				case src == sihub.Inferred:
					isCore = marks[t.i]
				}
				a.addProcess(t.code, src, fi == 0, isCore, ev)
			case taxonomy.KindMaterial:
				a.addMaterial(t.code, src, ev)
			case taxonomy.KindCertification:
				d := s.certDetail(terms, ti)
				if d.badDate != "" && src == sihub.Declared {
					p.Add(fields[fi].name, sihub.M("Ngày hết hạn “%s” không tồn tại; hãy kiểm tra lại ngày và tháng.",
						"Expiry date “%s” does not exist; check the day and month.", d.badDate))
				}
				a.addCert(t.code, src, ev, d)
			case taxonomy.KindEquipment:
				a.addEquipment(t, src, fi, ev)
			}
		}
	}
	for _, lo := range leftover {
		kind := m.impliedEquipment(&a, lo.c.unit)
		if kind == "" {
			continue
		}
		_, _, ev := scans[lo.src].span(lo.c.i, lo.c.j)
		a.addEquipment(term{kind: taxonomy.KindEquipment, code: kind, min: lo.c.min, max: lo.c.max,
			unit: lo.c.unit, count: lo.c.count, decided: true}, fields[lo.src].src, lo.src, ev)
	}
	// A machine shows the process it is for.
	for i, e := range a.equipment {
		if !a.eqSure[i] {
			continue
		}
		if k, ok := taxonomy.EquipmentByCode(e.Kind); ok && k.Process != "" && !a.hasProcess(k.Process) {
			a.addProcess(k.Process, sihub.Inferred, false, false, e.Evidence)
		}
	}
	c.Capabilities = a.capabilities()
	c.Materials = a.materials
	c.Certifications = a.certs
	c.Equipment = a.equipmentList()

	for fi, f := range fields[:4] {
		for _, item := range scans[fi].unrecognizedItems() {
			p.Add(f.name, sihub.M("Không nhận ra mục “%s”; hãy kiểm tra chính tả hoặc ghi rõ hơn.",
				"“%s” was not recognized; check the spelling or describe it more precisely.", item))
		}
	}
	return p
}

// impliedEquipment returns the one machine kind with unit that the company's
// processes and named machines point to, "" when there is none or several.
// Only force and axes are implied: a kW or mm figure alone too often means
// something else (a power supply, a part size).
func (m *matcher) impliedEquipment(a *analysis, unit string) string {
	if unit != "t" && unit != "axis" {
		return ""
	}
	kind := ""
	for _, c := range a.caps {
		eq := m.procEquip[c.Process]
		if eq == "" || m.unit[eq] != unit {
			continue
		}
		if kind != "" && kind != eq {
			return ""
		}
		kind = eq
	}
	if kind != "" {
		return kind
	}
	for _, e := range a.equipment {
		if m.unit[e.Kind] != unit {
			continue
		}
		if kind != "" && kind != e.Kind {
			return ""
		}
		kind = e.Kind
	}
	return kind
}

// supplementaryItems marks the tokens of the capability items flagged
// "(phụ)" or "(supplementary)".
func (s *scan) supplementaryItems() []bool {
	supp := s.scratch()
	start := 0
	flush := func(end int) {
		marked := false
		for k := start; k < end; k++ {
			if s.toks[k].gap&gOpen != 0 && tokIn(&s.toks[k], suppWords) {
				marked = true
			}
		}
		for k := start; k < end; k++ {
			supp[k] = marked
		}
		start = end
	}
	for k := range s.toks {
		if k > 0 && s.toks[k].gap&gList != 0 {
			flush(k)
		}
	}
	flush(len(s.toks))
	return supp
}

var suppWords = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{"phụ", "supplementary", "secondary", "ancillary", "minor", "sub"} {
		f, k := wordKey(w)
		m[f] = k
	}
	return m
}()

// scratch returns a cleared slice of one flag per token, reused.
func (s *scan) scratch() []bool {
	s.marks = slices.Grow(s.marks[:0], len(s.toks))[:len(s.toks)]
	clear(s.marks)
	return s.marks
}

// coreTokens marks the tokens that follow a cue phrase in its sentence.
func (s *scan) coreTokens() []bool {
	core := s.scratch()
	for _, cs := range s.cueSpans {
		for k := cs[1]; k < len(s.toks); k++ {
			if k > cs[1] && s.toks[k].gap&gSentence != 0 {
				break
			}
			core[k] = true
		}
	}
	return core
}

// unrecognizedItems returns the list items of s in which nothing was
// recognized, as written.
func (s *scan) unrecognizedItems() []string {
	var out []string
	start := 0
	flush := func(end int) {
		if end > start {
			found, letters := false, false
			for k := start; k < end; k++ {
				found = found || s.used[k]
				letters = letters || !s.toks[k].num
			}
			if !found && letters && !(end-start == 1 && tokIn(&s.toks[start], suppWords)) {
				_, _, text := s.span(start, end)
				out = append(out, strings.Trim(text, " ()[]"))
			}
		}
		start = end
	}
	for k := range s.toks {
		if k > 0 && s.toks[k].gap&gList != 0 {
			flush(k)
		}
	}
	flush(len(s.toks))
	return out
}

// analysis collects a company's terms across its fields.
type analysis struct {
	caps      []sihub.Capability
	capInfo   []capInfo
	materials []sihub.Material
	certs     []sihub.Certification
	equipment []sihub.Equipment
	eqField   []int  // field of each equipment entry's first mention
	eqSure    []bool // each equipment entry was named without doubt at least once
}

type capInfo struct {
	inCapsColumn bool // named in the capabilities column, whose marks decide Core
}

func (a *analysis) hasProcess(code string) bool {
	for _, c := range a.caps {
		if c.Process == code {
			return true
		}
	}
	return false
}

func (a *analysis) addProcess(code string, src sihub.Source, capsColumn, core bool, ev string) {
	for i := range a.caps {
		c, info := &a.caps[i], &a.capInfo[i]
		if c.Process != code {
			continue
		}
		switch {
		case capsColumn && !info.inCapsColumn:
			c.Core, info.inCapsColumn = core, true
		case capsColumn:
			c.Core = c.Core || core
		case !info.inCapsColumn:
			c.Core = c.Core || core
		}
		if src == sihub.Declared && c.Source != sihub.Declared {
			c.Source, c.Evidence = src, ev
		}
		return
	}
	a.caps = append(a.caps, sihub.Capability{Process: code, Core: core, Source: src, Evidence: ev})
	a.capInfo = append(a.capInfo, capInfo{inCapsColumn: capsColumn})
}

// capabilities returns the processes, declared ones first, each group in the
// order found.
func (a *analysis) capabilities() []sihub.Capability {
	out := make([]sihub.Capability, 0, len(a.caps))
	for _, src := range []sihub.Source{sihub.Declared, sihub.Inferred} {
		for _, c := range a.caps {
			if c.Source == src {
				out = append(out, c)
			}
		}
	}
	return out
}

func (a *analysis) addMaterial(code string, src sihub.Source, ev string) {
	for i := range a.materials {
		if x := &a.materials[i]; x.Code == code {
			if src == sihub.Declared && x.Source != sihub.Declared {
				x.Source, x.Evidence = src, ev
			}
			return
		}
	}
	a.materials = append(a.materials, sihub.Material{Code: code, Source: src, Evidence: ev})
}

// addCert merges a certificate mention, with its number, issuer and expiry
// (certdetails.go).
func (a *analysis) addCert(code string, src sihub.Source, ev string, d certDetail) {
	for i := range a.certs {
		if x := &a.certs[i]; x.Scheme == code {
			if d.replaces(x, src) {
				d.set(x)
			}
			if src == sihub.Declared && x.Source != sihub.Declared {
				x.Source, x.Evidence = src, ev
			}
			return
		}
	}
	c := sihub.Certification{Scheme: code, Source: src, Evidence: ev}
	d.set(&c)
	a.certs = append(a.certs, c)
}

// addEquipment merges a machine mention: counts add up within a field (a
// list of machines) and take the largest across fields (the description
// restating the equipment column); capacities widen to every figure stated.
func (a *analysis) addEquipment(t term, src sihub.Source, field int, ev string) {
	if t.max == 0 && t.min > 0 {
		// "at least 120 t" in a profile: 120 t is what is known of the
		// largest machine.
		t.max = t.min
	}
	for i := range a.equipment {
		x := &a.equipment[i]
		if x.Kind != t.code {
			continue
		}
		a.eqSure[i] = a.eqSure[i] || t.decided
		if a.eqField[i] == field {
			x.Count += t.count
		} else {
			x.Count = max(x.Count, t.count)
		}
		if t.max > 0 {
			if x.Capacity == 0 && x.CapacityMin == 0 {
				x.CapacityMin, x.Capacity = t.min, t.max
			} else {
				x.CapacityMin, x.Capacity = mergeRange(x.CapacityMin, x.Capacity, t.min, t.max)
			}
			x.Unit = t.unit
		}
		if src == sihub.Declared && x.Source != sihub.Declared {
			x.Source, x.Evidence = src, ev
		}
		return
	}
	a.equipment = append(a.equipment, sihub.Equipment{Kind: t.code, Count: t.count, CapacityMin: t.min,
		Capacity: t.max, Unit: t.unit, Source: src, Evidence: ev})
	a.eqField = append(a.eqField, field)
	a.eqSure = append(a.eqSure, t.decided)
}

func (a *analysis) equipmentList() []sihub.Equipment {
	out := make([]sihub.Equipment, 0, len(a.equipment))
	for _, src := range []sihub.Source{sihub.Declared, sihub.Inferred} {
		for _, e := range a.equipment {
			if e.Source == src {
				out = append(out, e)
			}
		}
	}
	return out
}
