package match

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// How a demand is matched.
//
// Hard requirements decide who qualifies: every required process (a
// supplier's process covers a required one by taxonomy.ProcessCovers), every
// required certification (a certificate past its expiry date does not
// count; one with no known expiry counts, flagged), and the minimum machine
// capacity. A supplier that has every required process but fails one or two
// of the other, closable, requirements is a near miss: what it lacks can be
// closed by a certification or an investment. Missing a process is not
// closable in that sense and such a supplier is neither.
//
// Within the qualified, soft signals rank: experience with the demand's
// materials, the required processes being core business, the words of the
// demand appearing in the supplier's products and description (weighted by
// how rare each word is among suppliers), delivery in the supplier's own
// province, verification by the center and size. Each signal is in [0, 1]
// and the score is their weighted sum, so it stays in [0, 1].
const (
	wMaterial  = 0.35
	wText      = 0.20
	wCore      = 0.15
	wProximity = 0.10
	wFit       = 0.05 // the supplier names the process itself, not only its trade's bundle
	wVerified  = 0.05
	wSize      = 0.05
	wValidity  = 0.05 // every required certificate has a known, future expiry
)

// MaxGaps is how many closable requirements a near miss may fail.
const MaxGaps = 2

// Scored is a qualified supplier with its score and the reasons for it.
type Scored struct {
	Company *sihub.Company `json:"company"`
	Score   float64        `json:"score"`
	Reasons []sihub.Msg    `json:"reasons"`
}

// NearMiss is a supplier with every required process that fails one or two
// closable requirements, each named in Gaps.
type NearMiss struct {
	Company *sihub.Company `json:"company"`
	Score   float64        `json:"score"`
	Reasons []sihub.Msg    `json:"reasons"`
	Gaps    []sihub.Msg    `json:"gaps"`
}

// Result is the outcome of matching one demand. Qualified and NearMissCount
// count every supplier found, before the limit cut the lists.
type Result struct {
	Matches       []Scored   `json:"matches"`
	NearMisses    []NearMiss `json:"near_misses"`
	Qualified     int        `json:"qualified"`
	NearMissCount int        `json:"near_miss_count"`
}

// Assessment is one supplier's standing against a demand: what Match would
// list for it, as a qualified match (Reasons) or a near miss (Reasons and
// Gaps).
type Assessment struct {
	Qualified bool        `json:"qualified"`
	Near      bool        `json:"near_miss"`
	Score     float64     `json:"score"`
	Reasons   []sihub.Msg `json:"reasons"`
	Gaps      []sihub.Msg `json:"gaps"`
}

// Index holds every supplier for matching. Its methods are safe for
// concurrent use; Match calls run in parallel and wait only for Put and
// Remove. Companies given to it must not be changed afterwards: Put a new
// value instead.
type Index struct {
	mu     sync.RWMutex
	byID   map[int64]*supplier
	byProc map[string][]posting // offered process code → suppliers
	df     map[uint64]int32     // word → number of suppliers using it
	// atoms numbers the strings compared for every candidate (certificate
	// schemes, equipment kinds and units, provinces), so that the hot loop
	// compares integers held in the supplier instead of following string
	// pointers. "" is always 0. It only grows, by the few distinct codes used.
	atoms map[string]uint32
	gen   atomic.Uint64
}

// noAtom stands for a string of a demand that no supplier uses.
const noAtom = math.MaxUint32

// keys is what decides, for most candidates, whether a supplier is listed
// and whether it can enter a full list, without following a pointer: the
// posting lists hold a copy of each supplier's keys, so walking a list of
// thousands reads memory in order and dereferences only the suppliers that
// may make the cut.
type keys struct {
	bits procSet // the offered processes, for the hard filter
	// schemes and kinds hold bit atom%64 of each certificate scheme and
	// machine kind: most candidates lack what a demand requires, and these
	// tell so without reading certs or equip.
	schemes, kinds uint64
	size           uint8 // sizeLevel of the employees
	verified       bool
}

// posting is one entry of a process's posting list.
type posting struct {
	keys
	e *supplier
}

// supplier is what matching needs of one supplier, computed once when it is
// put.
type supplier struct {
	keys
	certs []certInfo
	equip []equipInfo
	core  procSet  // the processes offered as core business
	mats  matSet   // the taxonomy materials worked
	fams  uint64   // their families, one bit each (famBit)
	prov  uint32   // atom of the province code
	words []uint64 // sorted, distinct hashes of the folded words of products and description
	odd   []string // material codes outside the taxonomy: they match only themselves

	c        *sihub.Company
	procs    []sihub.Capability // one per offered process: the best (core, then declared)
	pbits    []int              // the bit of each of procs, -1 when not in the taxonomy
	matCodes []string
}

// certInfo is a certificate with its scheme and expiry read once.
type certInfo struct {
	scheme uint32 // atom
	known  bool   // the expiry is known
	nsec   int32
	sec    int64 // the end of the last valid day, as time.Time keeps it
	i      int   // index in the company's Certifications
}

// before reports whether the certificate expired before t (t's seconds and
// nanoseconds), as time.Time.Before would compare the expiry with t.
func (ci *certInfo) before(sec int64, nsec int32) bool {
	return ci.sec < sec || ci.sec == sec && ci.nsec < nsec
}

// equipInfo is a machine kind with its capacity.
type equipInfo struct {
	kind, unit uint32 // atoms
	capacity   float64
}

// procSet is a set of taxonomy processes, one bit each, so that the hard
// filter over tens of thousands of suppliers costs a few word operations
// and no pointer to follow. TestProcSetFits keeps the taxonomy within it.
type procSet [4]uint64

const maxProcs = len(procSet{}) * 64

var procBit = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, p := range taxonomy.Processes() {
		m[p.Code] = i
	}
	return m
})

func (s *procSet) add(code string) {
	i, ok := procBit()[code]
	if !ok || i >= maxProcs {
		return // not in the taxonomy: it can cover nothing
	}
	s[i/64] |= 1 << (i % 64)
}

func (s *procSet) has(i int) bool {
	return i >= 0 && i < maxProcs && s[i/64]&(1<<(i%64)) != 0
}

func (s *procSet) meets(t *procSet) bool {
	return s[0]&t[0] != 0 || s[1]&t[1] != 0 || s[2]&t[2] != 0 || s[3]&t[3] != 0
}

// matSet is a set of taxonomy materials, one bit each; famBit numbers their
// families. TestMatSetFits keeps the taxonomy within both.
type matSet [2]uint64

const maxMats, maxFams = len(matSet{}) * 64, 64

var matBit = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, x := range taxonomy.Materials() {
		m[x.Code] = i
	}
	return m
})

var famBit = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for _, x := range taxonomy.Materials() {
		if _, ok := m[x.Family]; !ok && x.Family != "" {
			m[x.Family] = len(m)
		}
	}
	return m
})

func (s *matSet) add(i int) {
	if i >= 0 && i < maxMats {
		s[i/64] |= 1 << (i % 64)
	}
}

func (s *matSet) meets(t *matSet) bool { return s[0]&t[0] != 0 || s[1]&t[1] != 0 }

// NewIndex builds an index of companies; buyers and archived companies are
// left out.
func NewIndex(companies []*sihub.Company) *Index {
	ix := &Index{byID: map[int64]*supplier{}, byProc: map[string][]posting{}, df: map[uint64]int32{},
		atoms: map[string]uint32{"": 0}}
	for _, c := range companies {
		ix.put(c)
	}
	return ix
}

// Put adds c or replaces the company with its ID. A buyer or an archived
// company is removed instead: neither is ever matched.
func (ix *Index) Put(c *sihub.Company) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.put(c)
	ix.gen.Add(1)
}

// Remove drops the company with id, if present.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
	ix.gen.Add(1)
}

// Generation counts the Put and Remove calls since NewIndex: results
// computed from the index (counts per demand, say) stay valid while it is
// unchanged.
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Len returns the number of suppliers indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// atom returns the number of s, giving it one if it has none.
func (ix *Index) atom(s string) uint32 {
	a, ok := ix.atoms[s]
	if !ok {
		a = uint32(len(ix.atoms))
		ix.atoms[s] = a
	}
	return a
}

func atomBit(a uint32) uint64 { return 1 << (a % 64) }

// lookup returns the number of s, noAtom when no supplier uses it.
func (ix *Index) lookup(s string) uint32 {
	if a, ok := ix.atoms[s]; ok {
		return a
	}
	return noAtom
}

func (ix *Index) put(c *sihub.Company) {
	ix.remove(c.ID)
	if c.Archived || c.Kind == sihub.Buyer {
		return
	}
	e := &supplier{c: c, prov: ix.atom(c.ProvinceCode)}
	e.verified, e.size = c.Verified, sizeLevel(c.Employees)
	for _, cp := range c.Capabilities {
		i := slices.IndexFunc(e.procs, func(x sihub.Capability) bool { return x.Process == cp.Process })
		switch {
		case i < 0:
			e.procs = append(e.procs, cp)
			e.bits.add(cp.Process)
			b, ok := procBit()[cp.Process]
			if !ok {
				b = -1
			}
			e.pbits = append(e.pbits, b)
		case (cp.Core && !e.procs[i].Core) ||
			(cp.Core == e.procs[i].Core && e.procs[i].Source != sihub.Declared && cp.Source == sihub.Declared):
			e.procs[i] = cp
		}
	}
	for _, cp := range e.procs {
		if cp.Core {
			e.core.add(cp.Process)
		}
	}
	for i, ce := range c.Certifications {
		ci := certInfo{scheme: ix.atom(ce.Scheme), i: i}
		e.schemes |= atomBit(ci.scheme)
		if t, err := time.Parse(time.DateOnly, ce.ValidUntil); err == nil {
			x := sihub.DeadlineOf(t)
			ci.known, ci.sec, ci.nsec = !x.IsZero(), x.Unix(), int32(x.Nanosecond())
		}
		e.certs = append(e.certs, ci)
	}
	for _, eq := range c.Equipment {
		e.equip = append(e.equip, equipInfo{kind: ix.atom(eq.Kind), unit: ix.atom(eq.Unit), capacity: eq.Capacity})
		e.kinds |= atomBit(e.equip[len(e.equip)-1].kind)
	}
	for _, m := range c.Materials {
		e.matCodes = append(e.matCodes, m.Code)
		i, ok := matBit()[m.Code]
		if !ok {
			e.odd = append(e.odd, m.Code)
			continue
		}
		e.mats.add(i)
		if f, ok := famBit()[taxonomy.Materials()[i].Family]; ok && f < maxFams {
			e.fams |= 1 << f
		}
	}
	e.words = wordHashes(nil, c.Products, c.Description)
	ix.byID[c.ID] = e
	for _, p := range e.procs {
		ix.byProc[p.Process] = append(ix.byProc[p.Process], posting{e.keys, e})
	}
	for _, w := range e.words {
		ix.df[w]++
	}
}

func (ix *Index) remove(id int64) {
	e, ok := ix.byID[id]
	if !ok {
		return
	}
	delete(ix.byID, id)
	for _, p := range e.procs {
		// Writes are rare next to reads: a linear scan of one posting list
		// keeps the lists plain slices, fast to walk.
		l := ix.byProc[p.Process]
		if i := slices.IndexFunc(l, func(p posting) bool { return p.e == e }); i >= 0 {
			l[i] = l[len(l)-1]
			l[len(l)-1] = posting{}
			l = l[:len(l)-1]
		}
		if len(l) == 0 {
			delete(ix.byProc, p.Process)
		} else {
			ix.byProc[p.Process] = l
		}
	}
	for _, w := range e.words {
		if ix.df[w]--; ix.df[w] <= 0 {
			delete(ix.df, w)
		}
	}
}

var wordSeed = maphash.MakeSeed()

// wordHashes appends the hashes of the folded words of texts (numbers and
// one-letter words aside) and returns them sorted and distinct.
func wordHashes(dst []uint64, texts ...string) []uint64 {
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(Fold(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(w) < 2 || strings.Trim(w, "0123456789") == "" {
				continue
			}
			dst = append(dst, maphash.String(wordSeed, w))
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// cover is, for one wanted process, every offered process that covers it.
type cover struct {
	wanted string
	codes  []string        // the wanted code first
	bits   procSet         // codes as a set
	exact  map[string]bool // the offered code is the wanted one or a descendant, not a bundle sibling
	xbits  procSet         // exact as a set
}

// coverSets caches a cover per wanted process; the taxonomy never changes.
var coverSets sync.Map // string → *cover

func coveringProcesses(wanted string) *cover {
	if v, ok := coverSets.Load(wanted); ok {
		return v.(*cover)
	}
	cv := &cover{wanted: wanted, codes: []string{wanted}, exact: map[string]bool{wanted: true}}
	for _, p := range taxonomy.Processes() {
		if p.Code != wanted && taxonomy.ProcessCovers(p.Code, wanted) {
			cv.codes = append(cv.codes, p.Code)
			cv.exact[p.Code] = slices.Contains(taxonomy.ProcessAncestors(p.Code), wanted)
		}
	}
	for _, c := range cv.codes {
		cv.bits.add(c)
		if cv.exact[c] {
			cv.xbits.add(c)
		}
	}
	v, _ := coverSets.LoadOrStore(wanted, cv)
	return v.(*cover)
}

// matWant is one wanted material: the taxonomy materials that meet it
// (taxonomy.MaterialCovers) and the bit of its family, -1 for none.
type matWant struct {
	code   string
	known  bool
	covers matSet
	fam    int
}

// matWants caches a matWant per wanted material; the taxonomy never changes.
var matWants sync.Map // string → *matWant

func wantedMaterial(code string) *matWant {
	if v, ok := matWants.Load(code); ok {
		return v.(*matWant)
	}
	w := &matWant{code: code, fam: -1}
	_, w.known = matBit()[code]
	for i, m := range taxonomy.Materials() {
		if taxonomy.MaterialCovers(m.Code, code) {
			w.covers.add(i)
		}
	}
	if f, ok := famBit()[materialFamilyOf(code)]; ok && f < maxFams {
		w.fam = f
	}
	v, _ := matWants.LoadOrStore(code, w)
	return v.(*matWant)
}

// eval is one supplier's standing against a demand.
type eval struct {
	e     *supplier
	score float64
	gaps  int
}

// Match ranks the suppliers for d at time now (certificates expired by then
// do not count). limit caps each list; 0 or less means no cap. A demand
// without required processes matches no one: the processes say what is to
// be made, and without them every supplier would qualify.
func (ix *Index) Match(d *sihub.Demand, now time.Time, limit int) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var res Result
	if len(d.Processes) == 0 {
		return res
	}
	q := ix.newQuery(d, now)
	// Walk the suppliers of the rarest required process.
	best, bestN := 0, math.MaxInt
	for i, cv := range q.covers {
		n := 0
		for _, o := range cv.codes {
			n += len(ix.byProc[o])
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	if bestN == 0 {
		return res
	}
	// Only the best limit of each list are kept, in bounded heaps, so a
	// demand with thousands of candidates allocates nothing per candidate;
	// and a candidate that cannot enter a full list, by its gaps or by the
	// highest score its text could give, is not scored in full.
	qual, near := topK{limit: limit}, topK{limit: limit}
	nc := len(q.covers)
	var walked procSet
	for _, o := range q.covers[best].codes {
		list := ix.byProc[o]
		for i := range list {
			p := &list[i]
			// A supplier offering several of the codes is seen at the first.
			if p.bits.meets(&walked) {
				continue
			}
			gaps, allValid, ok := q.admit(&p.keys, p.e)
			if !ok {
				continue
			}
			l := &qual
			if gaps > 0 {
				l = &near
			}
			l.n++
			e := p.e
			if !l.full() {
				l.push(eval{e, q.score(e, allValid), gaps})
				continue
			}
			// Bounds first: from the keys alone (every signal the supplier's
			// keys do not hold at its best), then from the supplier (all but
			// the text), and the score only if both leave it a chance.
			root := &l.h[0]
			if gaps > root.gaps ||
				gaps == root.gaps && q.sum(1, q.textMax, nc, nc, q.hasProv, p.verified, sizeScores[p.size], allValid) < root.score {
				continue
			}
			mat, core, fit, prox := q.signals(e)
			if gaps == root.gaps && q.sum(mat, q.textMax, core, fit, prox, e.verified, sizeScores[e.size], allValid) < root.score {
				continue
			}
			l.push(eval{e, q.sum(mat, q.text(e), core, fit, prox, e.verified, sizeScores[e.size], allValid), gaps})
		}
		walked.add(o)
	}
	res.Qualified, res.NearMissCount = qual.n, near.n
	res.Matches = make([]Scored, len(qual.h))
	for i, v := range qual.sorted() {
		a := q.assess(v)
		res.Matches[i] = Scored{Company: v.e.c, Score: a.Score, Reasons: a.Reasons}
	}
	res.NearMisses = make([]NearMiss, len(near.h))
	for i, v := range near.sorted() {
		a := q.assess(v)
		res.NearMisses[i] = NearMiss{Company: v.e.c, Score: a.Score, Reasons: a.Reasons, Gaps: a.Gaps}
	}
	return res
}

// Assess returns how the company with companyID stands against d at time
// now: the verdict, score, reasons and gaps Match gives it. It returns false
// when the company is not indexed, or neither qualifies nor nearly does.
func (ix *Index) Assess(d *sihub.Demand, companyID int64, now time.Time) (Assessment, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.byID[companyID]
	if !ok || len(d.Processes) == 0 {
		return Assessment{}, false
	}
	q := ix.newQuery(d, now)
	gaps, allValid, ok := q.admit(&e.keys, e)
	if !ok {
		return Assessment{}, false
	}
	return q.assess(eval{e, q.score(e, allValid), gaps}), true
}

// assess writes out a supplier's standing, with its reasons and gaps.
func (q *query) assess(v eval) Assessment {
	a := Assessment{Qualified: v.gaps == 0, Near: v.gaps > 0, Score: round3(v.score)}
	var gaps []sihub.Msg
	a.Reasons, gaps = q.explain(v.e)
	if a.Near {
		a.Gaps = gaps
	}
	return a
}

// byRank orders candidates: fewer gaps, then higher score, then lower ID.
func byRank(a, b eval) int {
	if c := cmp.Compare(a.gaps, b.gaps); c != 0 {
		return c
	}
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(a.e.c.ID, b.e.c.ID)
}

// topK keeps the first limit candidates by byRank (all when limit ≤ 0) and
// counts every candidate offered (n).
type topK struct {
	limit int
	n     int
	h     []eval // when limited, a max-heap on byRank: its root is the worst kept
}

func (t *topK) full() bool { return t.limit > 0 && len(t.h) == t.limit }

func (t *topK) push(v eval) {
	switch {
	case t.limit <= 0:
		t.h = append(t.h, v)
	case len(t.h) < t.limit:
		if t.h == nil {
			t.h = make([]eval, 0, min(t.limit, 64))
		}
		t.h = append(t.h, v)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if byRank(t.h[i], t.h[p]) <= 0 {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
	case byRank(v, t.h[0]) < 0:
		t.h[0] = v
		for i := 0; ; {
			l, w := 2*i+1, i
			if l < len(t.h) && byRank(t.h[l], t.h[w]) > 0 {
				w = l
			}
			if r := l + 1; r < len(t.h) && byRank(t.h[r], t.h[w]) > 0 {
				w = r
			}
			if w == i {
				break
			}
			t.h[i], t.h[w] = t.h[w], t.h[i]
			i = w
		}
	}
}

// sorted returns the kept candidates best first.
func (t *topK) sorted() []eval {
	slices.SortFunc(t.h, byRank)
	return t.h
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// query is a demand readied for evaluating many suppliers.
type query struct {
	d        *sihub.Demand
	now      time.Time
	nowSec   int64
	nowNsec  int32
	covers   []*cover // one per required process
	certs    []uint32 // atoms of the required certifications
	mats     []*matWant
	prov     uint32 // atom of the delivery province
	capKind  uint32 // atoms of the minimum capacity's machine and unit
	capUnit  uint32
	words    []uint64 // the demand's words some supplier uses
	idf      []float64
	idfSum   float64
	textMax  float64 // the text signal's largest value: every word present
	nProcs   float64
	machine  taxonomy.EquipmentKind
	hasProv  bool
	hasWords bool
}

func (ix *Index) newQuery(d *sihub.Demand, now time.Time) *query {
	q := &query{d: d, now: now, nowSec: now.Unix(), nowNsec: int32(now.Nanosecond()), nProcs: float64(len(d.Processes))}
	for _, w := range d.Processes {
		q.covers = append(q.covers, coveringProcesses(w))
	}
	for _, s := range d.Certifications {
		q.certs = append(q.certs, ix.lookup(s))
	}
	for _, m := range d.Materials {
		q.mats = append(q.mats, wantedMaterial(m))
	}
	if d.DeliveryProvince != "" {
		q.prov, q.hasProv = ix.lookup(d.DeliveryProvince), true
	}
	n := float64(len(ix.byID))
	for _, w := range wordHashes(nil, d.Title, d.TitleEn, d.Description) {
		// Words no supplier uses cannot tell suppliers apart, and add 0 to
		// every score: they are left out.
		df := float64(ix.df[w])
		if df == 0 {
			continue
		}
		v := math.Log(1 + n/df)
		q.words = append(q.words, w)
		q.idf = append(q.idf, v)
		q.idfSum += v
	}
	if q.hasWords = q.idfSum > 0; q.hasWords {
		q.textMax = wText * q.idfSum / q.idfSum
	}
	if r := d.MinCapacity; r != nil {
		q.machine, _ = taxonomy.EquipmentByCode(r.Equipment)
		q.capKind, q.capUnit = ix.lookup(r.Equipment), ix.lookup(r.Unit)
	}
	return q
}

func (q *query) hasProcesses(k *keys) bool {
	for _, cv := range q.covers {
		if !k.bits.meets(&cv.bits) {
			return false
		}
	}
	return true
}

// admit reports whether e is listed at all, qualified or near miss: it has
// every required process and fails at most MaxGaps closable requirements
// (gaps of them). allValid is the certificate signal for score. k are e's
// keys, read from wherever the caller has them at hand.
func (q *query) admit(k *keys, e *supplier) (gaps int, allValid, ok bool) {
	if !q.hasProcesses(k) {
		return 0, false, false
	}
	gaps, allValid = q.gaps(k, e)
	return gaps, allValid, gaps <= MaxGaps
}

// provider returns the supplier's capability covering a required process
// (cv): the process itself or a more specific one before a bundle sibling,
// core before supplementary.
func provider(e *supplier, cv *cover) (sihub.Capability, bool) {
	var best sihub.Capability
	bestRank, found := -1, false
	for i, cp := range e.procs {
		if !cv.bits.has(e.pbits[i]) {
			continue
		}
		rank := 0
		if cp.Core {
			rank += 2
		}
		if cv.xbits.has(e.pbits[i]) {
			rank++
		}
		if rank > bestRank {
			best, bestRank, found = cp, rank, true
		}
	}
	return best, found
}

// providerKind tells, from the supplier's sets alone, what provider would
// return for cv: whether that capability is core and whether it is exact
// (not a bundle sibling).
func providerKind(e *supplier, cv *cover) (core, exact bool) {
	if e.core.meets(&cv.bits) {
		return true, e.core.meets(&cv.xbits)
	}
	return false, e.bits.meets(&cv.xbits)
}

// certState is how a supplier stands on one required certificate.
type certState uint8

const (
	certMissing certState = iota
	certExpired
	certUnverified // no known expiry
	certValid
)

// cert returns how e stands on the k-th required certificate, and the
// index of its best certificate of that scheme in the company's list.
func (q *query) cert(ks *keys, e *supplier, k int) (certState, int) {
	st, best, scheme := certMissing, -1, q.certs[k]
	if ks.schemes&atomBit(scheme) == 0 {
		return st, best
	}
	for i := range e.certs {
		ci := &e.certs[i]
		if ci.scheme != scheme {
			continue
		}
		s := certUnverified
		if ci.known {
			s = certValid
			if ci.before(q.nowSec, q.nowNsec) {
				s = certExpired
			}
		}
		if s > st {
			st, best = s, ci.i
		}
	}
	return st, best
}

// capacity returns whether e has a machine of the required kind large
// enough, and the largest capacity of that kind it states (0 if none).
func (q *query) capacity(k *keys, e *supplier) (ok bool, largest float64, has bool) {
	if k.kinds&atomBit(q.capKind) == 0 {
		return largest >= q.d.MinCapacity.Min, largest, has
	}
	for i := range e.equip {
		eq := &e.equip[i]
		if eq.kind != q.capKind || (eq.unit != 0 && q.capUnit != 0 && eq.unit != q.capUnit) {
			continue
		}
		has = true
		largest = max(largest, eq.capacity)
	}
	return largest >= q.d.MinCapacity.Min, largest, has
}

// gaps counts the closable requirements e fails, and reports whether every
// required certificate is valid with a known expiry (a ranking signal, so
// that score need not look the certificates up again).
func (q *query) gaps(ks *keys, e *supplier) (n int, allValid bool) {
	allValid = true
	for k := range q.certs {
		st, _ := q.cert(ks, e, k)
		if st < certUnverified {
			n++
		}
		if st != certValid {
			allValid = false
		}
	}
	if q.d.MinCapacity != nil {
		if ok, _, _ := q.capacity(ks, e); !ok {
			n++
		}
	}
	return n, allValid
}

// score ranks e, whose certificates gaps has judged (certsValid).
func (q *query) score(e *supplier, certsValid bool) float64 {
	mat, core, fit, prox := q.signals(e)
	return q.sum(mat, q.text(e), core, fit, prox, e.verified, sizeScores[e.size], certsValid)
}

// signals returns the share of the demand's materials e has worked, how
// many required processes it offers as core business and as the process
// itself (fit), and whether it is in the delivery province.
func (q *query) signals(e *supplier) (mat float64, core, fit int, prox bool) {
	if len(q.mats) > 0 {
		mat = q.materialScore(e)
	}
	for _, cv := range q.covers {
		c, x := providerKind(e, cv)
		if c {
			core++
		}
		if x {
			fit++
		}
	}
	return mat, core, fit, q.hasProv && e.prov == q.prov
}

// text returns the text signal, weighted: the share of the demand's word
// weight found among e's words.
func (q *query) text(e *supplier) float64 {
	if !q.hasWords {
		return 0
	}
	got, i := 0.0, 0
	for k, w := range q.words {
		i += sort64(e.words[i:], w)
		if i < len(e.words) && e.words[i] == w {
			got += q.idf[k]
		}
	}
	return wText * got / q.idfSum
}

// sum weighs the signals into a score. Called with a signal at its largest
// value (mat 1, text q.textMax, every process core and fit, in the
// province) it returns a bound on the score: the terms are added in a fixed
// order and rounding is monotonic, so a bound is never below the score.
func (q *query) sum(mat, text float64, core, fit int, prox, verified bool, size float64, certsValid bool) float64 {
	s := 0.0
	if len(q.mats) > 0 {
		s += wMaterial * mat
	}
	if q.hasWords {
		s += text
	}
	s += wCore*float64(core)/q.nProcs + wFit*float64(fit)/q.nProcs
	if prox {
		s += wProximity
	}
	if verified {
		s += wVerified
	}
	s += wSize * size
	if certsValid {
		s += wValidity
	}
	return s
}

// sort64 returns how far into sorted ws the first word ≥ w lies.
func sort64(ws []uint64, w uint64) int {
	i, _ := slices.BinarySearch(ws, w)
	return i
}

// materialScore is the share of the demand's materials the supplier has
// worked: the material itself (or, for a generic demand, a grade of it)
// counts fully, another grade of the same family a third.
func (q *query) materialScore(e *supplier) float64 {
	got := 0.0
	for _, w := range q.mats {
		switch {
		case e.mats.meets(&w.covers) || !w.known && slices.Contains(e.odd, w.code):
			got += 1
		case w.fam >= 0 && e.fams&(1<<w.fam) != 0:
			got += 1.0 / 3
		}
	}
	return got / float64(len(q.mats))
}

func materialFamilyOf(code string) string {
	if m, ok := taxonomy.MaterialByCode(code); ok {
		return m.Family
	}
	return ""
}

// sizeLevel grows with the size band: a larger plant absorbs volume and
// audits more easily; unknown counts as small. sizeScores holds each
// level's signal; a byte keeps a posting within 64 bytes, one cache line.
func sizeLevel(employees int) uint8 {
	switch sihub.SizeBand(employees) {
	case sihub.SizeMicro:
		return 0
	case sihub.SizeMedium:
		return 2
	case sihub.SizeLarge:
		return 3
	}
	return 1
}

var sizeScores = [...]float64{0.25, 0.5, 0.75, 1}

func label(kind taxonomy.TermKind, code string, lang sihub.Lang) string {
	return taxonomy.TermLabel(kind, code, lang)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// explain writes the reasons a supplier stands where it does, and the gaps
// it would have to close, in both languages.
func (q *query) explain(e *supplier) (reasons, gaps []sihub.Msg) {
	for _, cv := range q.covers {
		w := cv.wanted
		cp, ok := provider(e, cv)
		if !ok {
			continue
		}
		ev := cp.Evidence
		if ev == "" {
			ev = label(taxonomy.KindProcess, cp.Process, sihub.VI)
		}
		vi, en := label(taxonomy.KindProcess, w, sihub.VI), label(taxonomy.KindProcess, w, sihub.EN)
		m := sihub.Msg{VI: vi + " ✓ từ '" + ev + "'", EN: en + " ✓ from '" + ev + "'"}
		if !cv.exact[cp.Process] {
			// Covered through the trade's bundle: say which process it offers.
			m = sihub.Msg{
				VI: vi + " ✓ qua " + label(taxonomy.KindProcess, cp.Process, sihub.VI) + " từ '" + ev + "'",
				EN: en + " ✓ via " + label(taxonomy.KindProcess, cp.Process, sihub.EN) + " from '" + ev + "'",
			}
		}
		if !cp.Core {
			m.VI += " (năng lực phụ)"
			m.EN += " (supplementary)"
		}
		reasons = append(reasons, m)
	}
	for k, s := range q.d.Certifications {
		name := label(taxonomy.KindCertification, s, sihub.EN)
		st, i := q.cert(&e.keys, e, k)
		var c sihub.Certification
		if i >= 0 {
			c = e.c.Certifications[i]
		}
		switch st {
		case certValid:
			reasons = append(reasons, sihub.M("%s ✓ hiệu lực đến %s", "%s ✓ valid to %s", name, c.ValidUntil[:7]))
		case certUnverified:
			reasons = append(reasons, sihub.M("%s ✓ chưa xác minh hiệu lực", "%s ✓ validity unverified", name))
		case certExpired:
			gaps = append(gaps, sihub.M("%s đã hết hạn %s", "%s expired %s", name, c.ValidUntil))
		default:
			gaps = append(gaps, sihub.M("chưa có %s", "lacks %s", name))
		}
	}
	if r := q.d.MinCapacity; r != nil {
		ok, largest, has := q.capacity(&e.keys, e)
		vi, en := q.machine.Label(sihub.VI), q.machine.Label(sihub.EN)
		if vi == "" {
			vi, en = r.Equipment, r.Equipment
		}
		switch {
		case ok:
			reasons = append(reasons, sihub.Msg{
				VI: vi + " " + num(largest) + " " + r.Unit + " ≥ " + num(r.Min) + " " + r.Unit + " ✓",
				EN: en + " " + num(largest) + " " + r.Unit + " ≥ " + num(r.Min) + " " + r.Unit + " ✓",
			})
		case has && largest > 0:
			gaps = append(gaps, sihub.Msg{
				VI: vi + " " + num(largest) + " " + r.Unit + " < " + num(r.Min) + " " + r.Unit + " yêu cầu",
				EN: en + " " + num(largest) + " " + r.Unit + " < " + num(r.Min) + " " + r.Unit + " needed",
			})
		case has:
			gaps = append(gaps, sihub.Msg{
				VI: "chưa nêu công suất " + strings.ToLower(vi) + " (cần ≥ " + num(r.Min) + " " + r.Unit + ")",
				EN: "capacity of " + strings.ToLower(en) + " not stated (≥ " + num(r.Min) + " " + r.Unit + " needed)",
			})
		default:
			gaps = append(gaps, sihub.Msg{
				VI: "không có " + strings.ToLower(vi) + " ≥ " + num(r.Min) + " " + r.Unit,
				EN: "no " + strings.ToLower(en) + " ≥ " + num(r.Min) + " " + r.Unit,
			})
		}
	}
	for _, w := range q.d.Materials {
		for _, m := range e.matCodes {
			if taxonomy.MaterialCovers(m, w) {
				reasons = append(reasons, sihub.Msg{
					VI: "đã làm " + label(taxonomy.KindMaterial, m, sihub.VI),
					EN: "has worked " + label(taxonomy.KindMaterial, m, sihub.EN),
				})
				break
			}
		}
	}
	if e.c.Verified {
		reasons = append(reasons, sihub.M("đã được trung tâm xác minh", "verified by the center"))
	}
	if q.d.DeliveryProvince != "" && e.c.ProvinceCode == q.d.DeliveryProvince {
		if p, ok := taxonomy.ProvinceByCode(e.c.ProvinceCode); ok {
			reasons = append(reasons, sihub.Msg{VI: "cùng tỉnh giao hàng (" + p.Label(sihub.VI) + ")", EN: "in the delivery province (" + p.Label(sihub.EN) + ")"})
		}
	}
	return reasons, gaps
}
