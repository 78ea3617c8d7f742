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
// a full stop, a bracket or an "&", and never matches part of a word ("ép" is
// not found in "épxyz"): a designation written as one run of letters and
// digits ("UL1007", "SS400") is matched whole, and an ordinary word of two
// syllables ("chi tiết") is not cut in two by a phrase ending inside it.
// Phrases that overlap and mean the same term read as one ("chế tạo khuôn
// ép" + "khuôn ép nhựa").
//
// Diacritics are decided per word. A word written with diacritics matches
// only the same accented word (tone placement aside: "hoá" = "hóa"), so "đúc"
// (cast) is never "đục" (chisel) and "dập" (stamp) never "đập" (smash). A word
// written without diacritics matches any word that folds to it, unless other
// words of the same phrase carry diacritics: then it is spelt plain on purpose
// ("sản xuất chi tiết" holds no "chỉ"). In a text written mostly with
// diacritics, a plain word ("ren", a thread) is preferred to the accented
// words it folds to.
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
//
// Process phrases written side by side are read as one statement
// (settleAdjacent): "đúc nhôm khuôn cát" is sand casting, "lắp ráp bo mạch"
// board assembly, and in "nhiệt luyện bánh răng" the gears are what is heat
// treated. A company's customers are not its trade: Analyze skips the
// processes and machines named in a clause about whom it serves ("cho các nhà
// lắp ráp xe máy", "for motorcycle assemblers"; see customerTokens).

// KindCapacity is the Kind of a Match holding a capacity ("80-450 tấn") that
// no machine was named with.
const KindCapacity taxonomy.TermKind = "capacity"

// Kinds of matcher entries that are not terms.
const (
	kindBlock taxonomy.TermKind = "-block" // an ordinary phrase that hides the terms inside it
	kindCue   taxonomy.TermKind = "-cue"   // a phrase introducing the main business: "chuyên", "we specialize in"
	// a word introducing the main business only when it opens a sentence:
	// "Nhận gia công ép nhựa", but not "Ngoài ra nhận sơn tĩnh điện"
	kindStartCue taxonomy.TermKind = "-startcue"
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
	"private label", "white label", "chi tiết", "gỗ cao su", "cây cao su", "vườn cao su",
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
	// Japanese- and Korean-English profiles, and other Vietnamese openings.
	"good at", "strong point", "strong points", "our strength", "our strengths", "main process", "main processes",
	"expertise in", "expert in", "experts in", "experienced in", "business scope", "main field", "main fields",
	"dịch vụ chính", "năng lực cốt lõi", "lĩnh vực hoạt động chính", "ngành nghề kinh doanh chính",
	"mặt hàng chính",
}

// Words that introduce the main business when they open a sentence ("Nhận
// gia công ép nhựa, làm khuôn": the firm takes such work), and otherwise say
// what else it takes on ("Ngoài ra nhận sơn tĩnh điện").
var startCuePhrases = []string{"nhận"}

// Phrases that name a process only in general: next to a term that says what
// is assembled ("lắp ráp bo mạch", "harness assembly"), that term is the
// process.
var headPhrases = []string{"lắp ráp", "gia công lắp ráp", "lắp ráp gia công", "assembly"}

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
	amp     []bool   // the alias has "&" before the token ("tool & die")
	hint    taxonomy.Hint
	entries []entry
	order   int32
	head    bool // a general phrase that yields to a term next to it ("lắp ráp" bo mạch)
}

func (v *variant) is(k taxonomy.TermKind) bool { return len(v.entries) > 0 && v.entries[0].kind == k }

// node is a trie node keyed by folded tokens.
type node struct {
	next      map[string]*node
	vars      []*variant
	blockHead bool // a block phrase of several words starts with this word (a child of the root)
}

type matcher struct {
	root node
	// sector of each process, material and equipment kind (through its
	// process), for settling ambiguities.
	sector map[taxonomy.TermKind]map[string]string
	// equipment kind of each process.
	procEquip map[string]string
	unit      map[string]string // equipment kind → unit
	parent    map[string]string // process → its parent process
	family    map[string]string // material → its family's generic entry, if it has one
}

var theMatcher = sync.OnceValue(newMatcher)

func newMatcher() *matcher {
	m := &matcher{
		sector:    map[taxonomy.TermKind]map[string]string{},
		procEquip: map[string]string{},
		parent:    map[string]string{},
		family:    map[string]string{},
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
		m.parent[p.Code] = p.Parent
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
		m.family[x.Code] = taxonomy.MaterialFamily(x.Code)
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
		if toks := tokenize(s, nil); len(toks) > 1 {
			m.root.next[toks[0].fold].blockHead = true
		}
	}
	for _, s := range cuePhrases {
		m.add(taxonomy.Alias{Text: s}, entry{kind: kindCue, order: order})
	}
	for _, s := range startCuePhrases {
		m.add(taxonomy.Alias{Text: s}, entry{kind: kindStartCue, order: order})
	}
	m.annotate(&m.root)
	for _, h := range headPhrases {
		n := &m.root
		for _, t := range tokenize(h, nil) {
			if n = n.next[t.fold]; n == nil {
				break
			}
		}
		if n != nil {
			for _, v := range n.vars {
				v.head = v.is(taxonomy.KindProcess)
			}
		}
	}
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
	prevEnd := 0
	for _, t := range toks {
		v.keys = append(v.keys, t.key)
		v.plain = append(v.plain, !t.accented)
		v.raw = append(v.raw, a.Text[t.start:t.end])
		v.amp = append(v.amp, strings.Contains(a.Text[prevEnd:t.start], "&"))
		prevEnd = t.end
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
	cust     []bool   // scratch for customerTokens
	marks2   []bool   // scratch for itemsWithoutProcess
	first    []*node  // the trie node of each token's word as a phrase's first word, nil if none
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
	m := theMatcher()
	s.first = slices.Grow(s.first[:0], len(s.toks))[:len(s.toks)]
	for k := range s.toks {
		s.first[k] = m.root.next[s.toks[k].fold]
	}
	s.match(m)
	s.settleAdjacent(m)
	return s
}

func (s *scan) free() {
	s.text = ""
	clear(s.hits) // drop the variant pointers
	clear(s.first)
	clear(s.terms)
	scanPool.Put(s)
}

// match finds the longest phrase at each position, left to right. A phrase
// that overlaps the end of the one found and means the same term extends it:
// "chế tạo khuôn ép" and "khuôn ép nhựa" read as one mould-making phrase, so
// that "nhựa" is not left over as a material.
func (s *scan) match(m *matcher) {
	toks := s.toks
	for i := 0; i < len(toks); {
		bestJ, best, bestFolded := s.longest(m, i)
		if bestJ < 0 {
			i++
			continue
		}
		for k := i + 1; k < bestJ; k++ {
			if j, vars, folded := s.longest(m, k); j > bestJ && sameTerm(best, vars) {
				bestJ, bestFolded = j, bestFolded || folded
				k = i // look again from the start of the longer phrase
			}
		}
		for k := i; k < bestJ; k++ {
			s.used[k] = true
		}
		switch {
		case best[0].is(kindCue):
			s.cueSpans = append(s.cueSpans, [2]int{i, bestJ})
		case best[0].is(kindStartCue):
			if i == 0 || toks[i].gap&gSentence != 0 {
				s.cueSpans = append(s.cueSpans, [2]int{i, bestJ})
			}
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

// longest returns the end of the longest phrase starting at token i that an
// alias matches, with the readings that fit it and whether it was matched by
// ignoring diacritics; an end of -1 when there is none.
//
// A run of letters and digits written as one word ("UL1007", "SS400",
// "A5052") is one designation: a phrase may not end after its letters or
// start at its digits, so "UL" is not read from "UL1007". An alias written
// the same way ("ISO9001", "SUS304") covers the whole run and matches.
func (s *scan) longest(m *matcher, i int) (end int, vars []*variant, folded bool) {
	toks := s.toks
	end = -1
	if i > 0 && toks[i].gap == 0 && toks[i].num != toks[i-1].num {
		return end, nil, false
	}
	n := s.first[i]
	for j := i; n != nil && j < len(toks); j++ {
		if j > i {
			if toks[j].gap&gHard != 0 {
				break
			}
			if n = n.next[toks[j].fold]; n == nil {
				break
			}
		}
		if len(n.vars) == 0 {
			continue
		}
		if e := j + 1; e < len(toks) && toks[e].gap == 0 && toks[e].num && !toks[j].num {
			continue // "UL" of "UL1007"
		}
		if s.splitsWord(m, j+1) {
			continue // "san xuat chi" of "san xuat chi tiet"
		}
		if j == i && s.unitAfterNumber(i) {
			continue // "ton" of "350-ton" is no "tôn" (sheet steel)
		}
		if ok, f := s.filter(i, j+1, n.vars); len(ok) > 0 {
			end, vars, folded = j+1, ok, f
		}
	}
	return end, vars, folded
}

// unitAfterNumber reports whether token i is a unit of capacity written
// right after a number ("350-ton", "350 ton", "5 trục"): it belongs to the
// capacity and is no term of its own.
func (s *scan) unitAfterNumber(i int) bool {
	if i == 0 || !s.toks[i-1].num || s.toks[i].num || s.toks[i].gap&gHard != 0 {
		return false
	}
	_, ok := capUnits[s.toks[i].fold]
	return ok
}

// splitsWord reports whether a phrase ending before token e would cut an
// ordinary word of several syllables in two: a block phrase starts at its
// last word and goes on past it.
func (s *scan) splitsWord(m *matcher, e int) bool {
	if e >= len(s.toks) || e < 1 || s.toks[e].gap&gHard != 0 {
		return false
	}
	n := s.first[e-1]
	if n == nil || !n.blockHead {
		return false
	}
	for j := e; j < len(s.toks) && (j == e || s.toks[j].gap&gHard == 0); j++ {
		if n = n.next[s.toks[j].fold]; n == nil {
			return false
		}
		for _, v := range n.vars {
			if v.is(kindBlock) {
				if _, ok := s.fits(e-1, j+1, v); ok {
					return true
				}
			}
		}
	}
	return false
}

// sameTerm reports whether two single readings mean the same terms.
func sameTerm(a, b []*variant) bool {
	if len(a) != 1 || len(b) != 1 || len(a[0].entries) != len(b[0].entries) {
		return false
	}
	for _, x := range a[0].entries {
		if !slices.ContainsFunc(b[0].entries, func(y entry) bool { return y.kind == x.kind && y.code == x.code }) {
			return false
		}
	}
	return true
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
//
// Diacritics are written for a whole phrase or not at all: a plain word next
// to accented ones in the same phrase is spelt plain on purpose, so "sản xuất
// chi tiết" does not contain "sản xuất chỉ" (thread).
func (s *scan) fits(i, j int, v *variant) (exact, ok bool) {
	exact = true
	accented := false
	for k := range v.keys {
		t := &s.toks[i+k]
		if t.accented {
			if t.key != v.keys[k] {
				return false, false
			}
			accented = true
		} else if !v.plain[k] {
			exact = false
		}
		if v.hint&taxonomy.HintCase != 0 && s.text[t.start:t.end] != v.raw[k] {
			return false, false
		}
		if k > 0 && t.gap&gPunct != 0 && !v.amp[k] && strings.Contains(s.text[s.toks[i+k-1].end:t.start], "&") {
			return false, false // "&" joins two items: "plastic injection & mould making"
		}
	}
	if accented && !exact {
		return false, false
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

// Words that start a process phrase as a verb ("cắt", "hàn", "sơn" …). A
// process phrase that starts otherwise names a product ("bánh răng", "khung
// xe"), and written right after another process it is what that process is
// applied to: "nhiệt luyện bánh răng" is heat treatment, not gear making.
var verbWords = keySet(`cắt chấn hàn sơn dập đúc tiện phay mài ép mạ xi rèn uốn gấp khoan đột thổi đùn
		in thêu may dệt nhuộm quấn cuốn lắp gia sản chế làm phun anod anốt nhiệt đánh bắn tẩy khắc hút lưu tôi
		ram ủ thấm cán kéo miết tán bấm tuốt dán gắn cắm đóng chiết sấy cấp giặt bế xẻ xả chặt gò đan se luyện
		tạo nấu xử hoàn thiết đấu phủ pha lạng thuộc giết lốc đục taro doa khoét xọc lăn vuốt định tráng bọc
		ghép hấp rang xay chiên đông phi trải giác vắt nhúng oxy thụ phốt photphat crom cromat rút`)

// partWords are the words before a product that make it the product parts
// are for: "chi tiết khung xe máy" are parts of motorbike frames, made by
// whatever process the text names, not frame building.
var partWords = [][2]word{
	{mkWord("chi"), mkWord("tiết")}, {mkWord("linh"), mkWord("kiện")}, {mkWord("phụ"), mkWord("tùng")},
	{mkWord("phụ"), mkWord("kiện")},
}

// startsVerb reports whether token k reads as a verb: a Vietnamese process
// verb, or an English word in -ing or -ed.
func (s *scan) startsVerb(k int) bool {
	t := &s.toks[k]
	if tokIn(t, verbWords) {
		return true
	}
	return !t.accented && (strings.HasSuffix(t.fold, "ing") || strings.HasSuffix(t.fold, "ed"))
}

// afterPartWords reports whether token k follows "chi tiết", "linh kiện"…
// in the same phrase, the words after token from, where the last term ends.
func (s *scan) afterPartWords(k, from int) bool {
	if k-2 < from || s.toks[k].gap&gPunct != 0 || s.toks[k-1].gap&gPunct != 0 {
		return false
	}
	for _, p := range partWords {
		if s.toks[k-2].is(p[0]) && s.toks[k-1].is(p[1]) {
			return true
		}
	}
	return false
}

// word is a word to compare tokens with: its fold and accent key.
type word struct{ fold, key string }

func mkWord(w string) word {
	f, k := wordKey(w)
	return word{f, k}
}

// is reports whether t is the word w, respecting t's diacritics.
func (t *token) is(w word) bool {
	return t.fold == w.fold && (!t.accented || t.key == w.key)
}

// Words the clause and product rules look for.
var (
	wCho, wPhuc, wVu, wKhach, wHang, wDoi, wTac = mkWord("cho"), mkWord("phục"), mkWord("vụ"), mkWord("khách"),
		mkWord("hàng"), mkWord("đối"), mkWord("tác")
	wDung, wUng, wDung2, wTrong, wVao = mkWord("dùng"), mkWord("ứng"), mkWord("dụng"), mkWord("trong"), mkWord("vào")
)

// hasProcess reports whether a hit may mean a process.
func (h *hit) hasProcess() bool {
	for _, v := range h.vars {
		for _, e := range v.entries {
			if e.kind == taxonomy.KindProcess {
				return true
			}
		}
	}
	return false
}

// onlyProcess reports whether every reading of a hit is a process.
func (h *hit) onlyProcess() bool {
	for _, v := range h.vars {
		for _, e := range v.entries {
			if e.kind != taxonomy.KindProcess {
				return false
			}
		}
	}
	return true
}

// descends reports whether a process of hit b is a process of hit a or
// below one of them.
func (m *matcher) descends(b, a *hit, orSame bool) bool {
	for _, vb := range b.vars {
		for _, eb := range vb.entries {
			if eb.kind != taxonomy.KindProcess {
				continue
			}
			for _, va := range a.vars {
				for _, ea := range va.entries {
					if ea.kind != taxonomy.KindProcess {
						continue
					}
					c := eb.code
					if !orSame {
						c = m.parent[c]
					}
					for ; c != ""; c = m.parent[c] {
						if c == ea.code {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// gradeOf reports whether hit a is only a material whose family's generic
// entry is the only reading of hit b.
func (m *matcher) gradeOf(a, b *hit) bool {
	if len(a.vars) != 1 || len(b.vars) != 1 || len(a.vars[0].entries) != 1 || len(b.vars[0].entries) != 1 {
		return false
	}
	ea, eb := a.vars[0].entries[0], b.vars[0].entries[0]
	return ea.kind == taxonomy.KindMaterial && eb.kind == taxonomy.KindMaterial && m.family[ea.code] == eb.code
}

// settleAdjacent reads two process phrases written next to each other, with
// no punctuation or connector between them, as one statement (and a material
// next to one of its grades as the grade):
//   - a process and one of its kinds ("đúc nhôm khuôn cát", "phay tiện CNC",
//     "CNC machined parts") are the more specific one;
//   - a general phrase and a term ("lắp ráp bo mạch", "harness assembly") are
//     the term;
//   - otherwise a phrase that names a product ("nhiệt luyện bánh răng") is
//     what the process before it is applied to, and is dropped.
//
// A product after "chi tiết", "linh kiện"… is dropped too. The words stay
// taken, so they are not reported as unrecognized.
func (s *scan) settleAdjacent(m *matcher) {
	out := s.hits[:0]
	for _, h := range s.hits {
		if !h.hasProcess() {
			if n := len(out); n > 0 && out[n-1].j == h.i && s.toks[h.i].gap&gPunct == 0 {
				// "thép tấm SPCC", "SUS304 stainless": the grade.
				switch p := &out[n-1]; {
				case m.gradeOf(&h, p):
					h.i, h.folded = p.i, h.folded || p.folded
					out[n-1] = h
					continue
				case m.gradeOf(p, &h):
					p.j, p.folded = h.j, p.folded || h.folded
					continue
				}
			}
			out = append(out, h)
			continue
		}
		n := len(out)
		from := 0
		if n > 0 {
			from = out[n-1].j
		}
		if !s.startsVerb(h.i) && s.afterPartWords(h.i, from) {
			continue
		}
		if n == 0 || out[n-1].j != h.i || s.toks[h.i].gap&gPunct != 0 || !out[n-1].hasProcess() {
			out = append(out, h)
			continue
		}
		p := &out[n-1]
		switch {
		case m.descends(&h, p, true) && (!m.descends(p, &h, true) || h.onlyProcess() && !p.onlyProcess()),
			p.vars[0].head:
			h.i, h.folded = p.i, h.folded || p.folded
			out[n-1] = h
		case m.descends(p, &h, true), h.vars[0].head:
			p.j, p.folded = h.j, p.folded || h.folded
		case !s.startsVerb(h.i):
		default:
			out = append(out, h)
		}
	}
	clear(s.hits[len(out):])
	s.hits = out
}

// Customer and market clauses.
//
// "Chuyên ép nhựa cho các nhà lắp ráp xe máy" makes plastic parts for
// motorbike assemblers: the processes named in a clause about whom a company
// serves are its customers' trades, not its own. A clause starts at "cho"
// (for), "phục vụ", "khách hàng chính/gồm/là…", "dùng trong…", and in English
// at "serving", "supplier to", "customers include…", or "for" when the words
// after it name customers ("for motorcycle assemblers", not "for CNC
// turning"). It runs to the end of the sentence or a colon ("cho ngành ô tô:
// dập, hàn" lists the company's own processes), and stops earlier at a word
// that says how the work is done ("bằng công nghệ ép phun", "using") or at a
// list item that starts a new statement: a verb ("nhận", "làm", "we") or a
// process named in full ("…, sơn tĩnh điện"). A single common word in a list
// of industries ("hóa chất, sơn và dầu nhớt") does not stop it. Materials in
// the clause are still the company's; processes and machines are not.

var (
	// words after "cho" that make it something else than "for": "cho thuê"
	// (to rent out), "cho phép" (to allow), "cho đến" (until)…
	choExceptions = keySet(`thuê phép ra đến tới nên biết rằng dù là được vào hết xong kịp mượn tặng đi lên xuống
		qua vay rồi nhau mình chúng tôi hay thấy rất`)
	// words after "khách hàng", "đối tác" that make it a statement about them.
	customerFollowers = keySet(`chính là gồm bao tiêu lớn hiện truyền thống thân include includes including are
		such in across`)
	// words that end a customer clause: how the work is done.
	clauseStops = keySet("bằng theo using by with via")
	// words that start a new statement within a sentence.
	statementStarters = keySet(`nhận chuyên có đạt ngoài đồng làm chế gia sản cung thiết lắp xuất we our also
		offering providing plus`)
	// the object of "cung cấp cho khách hàng các dịch vụ…", which follows
	// whom it is for.
	objectWords = [][2]word{{mkWord("dịch"), mkWord("vụ")}, {mkWord("sản"), mkWord("phẩm")},
		{mkWord("giải"), mkWord("pháp")}}
	// words that start a Vietnamese list item naming customers.
	customerHeads = keySet("các những nhà hãng ngành công doanh khách đối thương xưởng chuỗi tập")
	// English nouns that make a "for" clause about customers.
	customerNouns = keySet(`customers customer clients client oems oem makers maker manufacturers manufacturer
		assemblers assembler producers producer brands brand buyers companies company industry industries sector
		sectors market markets plants factories retailers distributors chains suppliers contractors shops users
		exporters importers firms automakers carmakers builders integrators partners applications`)
)

// keySet returns the words of a space-separated list, for tokIn.
func keySet(words string) map[string]string {
	m := map[string]string{}
	for _, w := range strings.Fields(words) {
		f, k := wordKey(w)
		m[f] = k
	}
	return m
}

// customerTokens marks the tokens inside customer and market clauses.
func (s *scan) customerTokens() []bool {
	s.cust = slices.Grow(s.cust[:0], len(s.toks))[:len(s.toks)]
	clear(s.cust)
	for k := 0; k < len(s.toks); k++ {
		cueEnd, needNoun := s.customerCue(k)
		if cueEnd < 0 {
			continue
		}
		end, first := s.clauseEnd(cueEnd)
		if needNoun && !slices.ContainsFunc(s.toks[cueEnd:first], func(t token) bool {
			return tokIn(&t, customerNouns)
		}) {
			continue
		}
		for x := k; x < end; x++ {
			s.cust[x] = true
		}
		k = end - 1
	}
	return s.cust
}

// customerCue returns the end of the customer cue starting at token k, -1 if
// none does, and whether the clause must name customers to be one ("for").
func (s *scan) customerCue(k int) (end int, needNoun bool) {
	toks := s.toks
	next := func(x int) *token {
		if x < len(toks) && toks[x].gap&gHard == 0 {
			return &toks[x]
		}
		return nil
	}
	t := &toks[k]
	switch t.fold {
	case "cho":
		if n := next(k + 1); t.is(wCho) && n != nil && !tokIn(n, choExceptions) {
			return k + 1, false
		}
	case "phuc":
		if n := next(k + 1); t.is(wPhuc) && n != nil && n.is(wVu) {
			return k + 2, false
		}
	case "khach", "doi", "customers", "clients":
		end := k + 1
		if t.fold == "khach" || t.fold == "doi" {
			n := next(k + 1)
			if n == nil || !(t.is(wKhach) && n.is(wHang) || t.is(wDoi) && n.is(wTac)) {
				return -1, false
			}
			end = k + 2
		}
		if end < len(toks) && toks[end].gap&gHard == 0 && tokIn(&toks[end], customerFollowers) {
			return end + 1, false // "khách hàng chính", "customers include"
		}
		if end < len(toks) && toks[end].gap&gHard != 0 && strings.Contains(s.text[toks[end-1].end:toks[end].start], ":") {
			return end, false
		}
		if k == 0 || toks[k].gap&gHard != 0 {
			return end, false
		}
	case "dung", "ung":
		x := k + 1
		if t.fold == "ung" {
			if n := next(x); !t.is(wUng) || n == nil || !n.is(wDung2) {
				return -1, false
			}
			x++
		} else if !t.is(wDung) {
			return -1, false
		}
		if n := next(x); n != nil && (n.is(wTrong) || n.is(wVao)) {
			return x + 1, false
		}
	case "serving", "serve", "serves", "served":
		if n := next(k + 1); n == nil || n.fold != "as" {
			return k + 1, false // not "serving as a one-stop shop"
		}
	case "supplier", "suppliers", "supplying", "supplies", "supply", "vendor", "catering":
		if n := next(k + 1); n != nil && n.fold == "to" {
			return k + 2, false
		}
	case "used":
		if n := next(k + 1); n != nil && (n.fold == "in" || n.fold == "by") {
			return k + 2, false
		}
	case "for":
		return k + 1, true
	}
	return -1, false
}

// clauseEnd returns where a customer clause whose cue ends at token from
// ends, and where its first list item ends.
func (s *scan) clauseEnd(from int) (end, first int) {
	toks := s.toks
	first = -1
	e := from
	for ; e < len(toks); e++ {
		t := &toks[e]
		if t.gap&gSentence != 0 && e > from {
			break
		}
		if e > from && t.gap&gHard != 0 && strings.Contains(s.text[toks[e-1].end:t.start], ":") {
			break
		}
		if tokIn(t, clauseStops) || e+1 < len(toks) && toks[e+1].gap&gHard == 0 && slices.ContainsFunc(objectWords,
			func(p [2]word) bool { return t.is(p[0]) && toks[e+1].is(p[1]) }) {
			break
		}
		item := -1
		switch {
		case e > from && t.gap&gList != 0:
			item = e
		case tokIn(t, connectorWords):
			item = e + 1
		}
		if item < 0 {
			continue
		}
		if first < 0 && t.gap&gList != 0 {
			first = e
		}
		if item < len(toks) && (toks[item].gap&gSentence == 0 || item == e+1) &&
			(tokIn(&toks[item], statementStarters) || s.namesProcess(item) && !s.namesCustomers(item)) {
			break
		}
	}
	if first < 0 {
		first = e
	}
	return e, first
}

// namesCustomers reports whether the list item starting at token k names
// customers: "các hãng…", "nhà máy…", "printing companies".
func (s *scan) namesCustomers(k int) bool {
	if tokIn(&s.toks[k], customerHeads) {
		return true
	}
	for end := k; end < len(s.toks) && (end == k || s.toks[end].gap&gList == 0); end++ {
		if tokIn(&s.toks[end], customerNouns) {
			return true
		}
	}
	return false
}

// namesProcess reports whether the list item starting at token k names a
// process in full: in words taken by a process phrase of two words or more,
// or of one word that is not also a common word.
func (s *scan) namesProcess(k int) bool {
	end := k + 1
	for end < len(s.toks) && s.toks[end].gap&gList == 0 && !tokIn(&s.toks[end], connectorWords) {
		end++
	}
	for _, h := range s.hits {
		if h.i >= k && h.i < end && h.hasProcess() &&
			(h.j-h.i > 1 || h.vars[0].hint&(taxonomy.HintWeak|taxonomy.HintContext) == 0) {
			return true
		}
	}
	return false
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
			if e.kind == taxonomy.KindMaterial && h.j-h.i > 1 && isWire(e.code) {
				out = s.wireParts(m, out, h.i, h.j, h.folded)
			}
		}
	}
	s.terms = out
	return out
}

func isWire(code string) bool {
	mt, ok := taxonomy.MaterialByCode(code)
	return ok && mt.Family == "wire"
}

// wireParts appends the materials an insulated wire is named with: "PVC
// insulated copper wire" and "dây đồng bọc PVC" are wire, and also copper and
// PVC, the materials a harness maker asked for "PVC, copper" has worked.
// Other phrases keep their one meaning ("PA66 GF30" is not PA66).
func (s *scan) wireParts(m *matcher, out []term, i, j int, folded bool) []term {
	for k := i; k < j; {
		end, code := -1, ""
		n := s.first[k]
		for e := k; n != nil && e < j; e++ {
			if e > k {
				if s.toks[e].gap&gHard != 0 {
					break
				}
				if n = n.next[s.toks[e].fold]; n == nil {
					break
				}
			}
			if len(n.vars) == 0 || (k == i && e+1 == j) {
				continue
			}
			ok, _ := s.filter(k, e+1, n.vars)
			for _, v := range ok {
				for _, x := range v.entries {
					if x.kind == taxonomy.KindMaterial && !isWire(x.code) {
						end, code = e+1, x.code
					}
				}
			}
		}
		if end < 0 {
			k++
			continue
		}
		if !slices.ContainsFunc(out, func(t term) bool { return t.kind == taxonomy.KindMaterial && t.code == code }) {
			out = append(out, term{kind: taxonomy.KindMaterial, code: code, i: i, j: j, ci: i, cj: j, folded: folded, decided: true})
		}
		k = end
	}
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
			if toks[nx].num && !s.used[nx] && toks[nx].gap&(gDash|gSlash) != 0 && (toks[nx].gap&gHard == 0 || s.spacedDash(e, nx)) {
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

// spacedDash reports whether tokens a and b, two figures, are separated by a
// dash alone with spaces around it: "80 - 450 tấn" is a range like "80-450
// tấn", though " - " between words lists two items.
func (s *scan) spacedDash(a, b int) bool {
	switch strings.TrimSpace(s.text[s.toks[a].end:s.toks[b].start]) {
	case "-", "\u2013", "\u2014", "~":
		return true
	}
	return false
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
// (Source Declared), each its own kind (fieldSource): the materials column
// yields materials only, the certifications column certificates only, the
// equipment column machines and, as inferred, the processes they are for; the
// capabilities column processes, and what is named inside a process item ("ép
// nhựa ABS") as inferred. The products and the description are read for what
// they imply (Source Inferred), but for the processes and machines of a
// clause about customers or markets. Company names are not read. A process from the
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
		// The capabilities column is core but for the items marked
		// supplementary; the inferred fields are core after a cue.
		var marks, alone []bool
		switch {
		case fi == fieldCapabilities:
			marks = s.supplementaryItems()
			alone = s.itemsWithoutProcess(terms)
		case fields[fi].src == sihub.Inferred:
			marks = s.coreTokens()
		}
		var cust []bool
		if fi != fieldMaterials && fi != fieldCertifications && slices.ContainsFunc(terms, func(t term) bool {
			return t.kind == taxonomy.KindProcess || t.kind == taxonomy.KindEquipment
		}) {
			cust = s.customerTokens()
		}
		for ti, t := range terms {
			if s.absorbed(terms, ti) {
				continue // part of a certification body's name: "ISO 9001 (UL)"
			}
			if cust != nil && cust[t.i] && (t.kind == taxonomy.KindProcess || t.kind == taxonomy.KindEquipment) {
				continue // the trade of a customer: "cho các nhà lắp ráp xe máy"
			}
			src, ok := fieldSource(fi, t.kind, alone != nil && alone[t.i])
			if !ok {
				continue
			}
			_, _, ev := s.span(t.ci, t.cj)
			switch t.kind {
			case taxonomy.KindProcess:
				isCore := false
				switch {
				case fi == fieldCapabilities:
					isCore = !marks[t.i]
				case fields[fi].src == sihub.Inferred:
					isCore = marks[t.i]
				}
				a.addProcess(t.code, src, fi == fieldCapabilities, isCore, ev)
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
		if k, ok := taxonomy.EquipmentByCode(e.Kind); ok && k.Process != "" && !m.hasProcessUnder(&a, k.Process) {
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

// The fields Analyze reads, in order.
const (
	fieldCapabilities = iota
	fieldMaterials
	fieldCertifications
	fieldEquipment
)

// fieldSource says whether a term of kind read from field fi is kept, and as
// what. Each declared column declares its own kind: the materials column
// materials only, the certifications column certificates only ("UL1007, UL1015"
// in a materials column is wire, never a UL listing). The equipment column
// declares machines, and a process named there is what the machines are for,
// so inferred. The capabilities column declares processes; a material, machine
// or certificate named within a process item ("ép nhựa ABS") is inferred, one
// written as an item of its own ("máy ép 80-450 tấn") declared. The products
// and the description imply every kind.
func fieldSource(fi int, kind taxonomy.TermKind, alone bool) (sihub.Source, bool) {
	switch fi {
	case fieldCapabilities:
		if kind == taxonomy.KindProcess || alone {
			return sihub.Declared, true
		}
		return sihub.Inferred, true
	case fieldMaterials:
		return sihub.Declared, kind == taxonomy.KindMaterial
	case fieldCertifications:
		return sihub.Declared, kind == taxonomy.KindCertification
	case fieldEquipment:
		switch kind {
		case taxonomy.KindEquipment:
			return sihub.Declared, true
		case taxonomy.KindProcess:
			return sihub.Inferred, true
		}
		return sihub.Declared, false
	}
	return sihub.Inferred, true
}

// itemsWithoutProcess marks the tokens of the list items that no process term
// is read from.
func (s *scan) itemsWithoutProcess(terms []term) []bool {
	alone := s.scratch2()
	start := 0
	flush := func(end int) {
		proc := false
		for _, t := range terms {
			proc = proc || t.kind == taxonomy.KindProcess && t.i >= start && t.i < end
		}
		for k := start; k < end; k++ {
			alone[k] = !proc
		}
		start = end
	}
	for k := range s.toks {
		if k > 0 && s.toks[k].gap&gList != 0 {
			flush(k)
		}
	}
	flush(len(s.toks))
	return alone
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

var suppWords = keySet("phụ supplementary secondary ancillary minor sub")

// scratch2 is a second scratch, for flags needed alongside scratch's.
func (s *scan) scratch2() []bool {
	s.marks2 = slices.Grow(s.marks2[:0], len(s.toks))[:len(s.toks)]
	clear(s.marks2)
	return s.marks2
}

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
// recognized, as written. The details in brackets after a recognized term
// ("mạ điện (Zn, Ni, Cr)") and a bare measure ("40 m") are not items.
func (s *scan) unrecognizedItems() []string {
	var out []string
	var ownerBuf [4]int
	owners := ownerBuf[:0] // for each bracket open, the token before it
	owner := -1            // the owner of the bracket the item starts in
	start := 0
	flush := func(end int) {
		if end > start {
			found, letters, measure := false, false, s.toks[start].num
			for k := start; k < end; k++ {
				found = found || s.used[k]
				letters = letters || !s.toks[k].num
				measure = measure && (s.toks[k].num || unitWords[s.toks[k].fold] || countWords[s.toks[k].fold])
			}
			inDetails := owner >= 0 && s.used[owner]
			if !found && letters && !measure && !inDetails && !(end-start == 1 && tokIn(&s.toks[start], suppWords)) {
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
		if k > 0 && s.toks[k].gap&gPunct != 0 {
			for _, c := range s.text[s.toks[k-1].end:s.toks[k].start] {
				switch c {
				case '(', '[':
					owners = append(owners, k-1)
				case ')', ']':
					if len(owners) > 0 {
						owners = owners[:len(owners)-1]
					}
				}
			}
		}
		if k == start {
			owner = -1
			if len(owners) > 0 {
				owner = owners[len(owners)-1]
			}
		}
	}
	flush(len(s.toks))
	return out
}

// unitWords are the units of a bare measure in a list: "40 m", "100 m3/ngày".
var unitWords = foldSet("m", "mm", "cm", "km", "m2", "m3", "kg", "g", "t", "tấn", "kw", "w", "kva", "a", "v", "hz",
	"l", "lít", "ngày", "tháng", "năm", "giờ", "ca", "h", "day", "month", "year", "hour", "shift", "pcs", "cái",
	"bar", "mpa", "psi")

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

// hasProcessUnder reports whether the company has process code or one of
// its kinds: a melting furnace says nothing more of a foundry that declared
// sand casting.
func (m *matcher) hasProcessUnder(a *analysis, code string) bool {
	for _, c := range a.caps {
		for p := c.Process; p != ""; p = m.parent[p] {
			if p == code {
				return true
			}
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
