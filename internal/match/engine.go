package match

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// Index holds every supplier for matching. Its methods are safe for
// concurrent use; Match calls run in parallel and wait only for Put and
// Remove. Companies given to it must not be changed afterwards: Put a new
// value instead.
type Index struct {
	mu     sync.RWMutex
	byID   map[int64]*supplier
	byProc map[string][]*supplier // offered process code → suppliers
	df     map[uint64]int32       // word → number of suppliers using it
}

// supplier is what matching needs of one supplier, computed once when it is put.
type supplier struct {
	c     *sihub.Company
	procs []sihub.Capability // one per offered process: the best (core, then declared)
	pbits []int              // the bit of each of procs, -1 when not in the taxonomy
	bits  procSet            // the offered processes, for the hard filter
	certs []certInfo
	mats  []string
	words []uint64 // sorted, distinct hashes of the folded words of products and description
}

// certInfo is a certificate with its expiry read once.
type certInfo struct {
	c      sihub.Certification
	expiry time.Time // the end of the last valid day; zero when unknown
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

// NewIndex builds an index of companies; buyers and archived companies are
// left out.
func NewIndex(companies []*sihub.Company) *Index {
	ix := &Index{byID: map[int64]*supplier{}, byProc: map[string][]*supplier{}, df: map[uint64]int32{}}
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
}

// Remove drops the company with id, if present.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

// Len returns the number of suppliers indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

func (ix *Index) put(c *sihub.Company) {
	ix.remove(c.ID)
	if c.Archived || c.Kind == sihub.Buyer {
		return
	}
	e := &supplier{c: c}
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
	for _, ce := range c.Certifications {
		ci := certInfo{c: ce}
		if t, err := time.Parse(time.DateOnly, ce.ValidUntil); err == nil {
			ci.expiry = sihub.DeadlineOf(t)
		}
		e.certs = append(e.certs, ci)
	}
	for _, m := range c.Materials {
		e.mats = append(e.mats, m.Code)
	}
	e.words = wordHashes(nil, c.Products, c.Description)
	ix.byID[c.ID] = e
	for _, p := range e.procs {
		ix.byProc[p.Process] = append(ix.byProc[p.Process], e)
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
		if i := slices.Index(l, e); i >= 0 {
			l[i] = l[len(l)-1]
			l[len(l)-1] = nil
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
	var qual, near []eval
	var walked procSet
	for _, o := range q.covers[best].codes {
		for _, e := range ix.byProc[o] {
			// A supplier offering several of the codes is seen at the first.
			if e.bits.meets(&walked) || !q.hasProcesses(e) {
				continue
			}
			gaps, allValid := q.gaps(e)
			switch {
			case gaps == 0:
				qual = append(qual, eval{e, q.score(e, allValid), 0})
			case gaps <= MaxGaps:
				near = append(near, eval{e, q.score(e, allValid), gaps})
			}
		}
		walked.add(o)
	}
	byRank := func(a, b eval) int {
		if c := cmp.Compare(a.gaps, b.gaps); c != 0 {
			return c
		}
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.e.c.ID, b.e.c.ID)
	}
	res.Qualified, res.NearMissCount = len(qual), len(near)
	qual, near = topK(qual, limit, byRank), topK(near, limit, byRank)
	res.Matches = make([]Scored, len(qual))
	for i, v := range qual {
		reasons, _ := q.explain(v.e)
		res.Matches[i] = Scored{Company: v.e.c, Score: round3(v.score), Reasons: reasons}
	}
	res.NearMisses = make([]NearMiss, len(near))
	for i, v := range near {
		reasons, gaps := q.explain(v.e)
		res.NearMisses[i] = NearMiss{Company: v.e.c, Score: round3(v.score), Reasons: reasons, Gaps: gaps}
	}
	return res
}

// topK returns the first limit of evs in order (all when limit ≤ 0),
// keeping a bounded heap rather than sorting thousands of candidates.
func topK(evs []eval, limit int, cmp func(a, b eval) int) []eval {
	if limit <= 0 || len(evs) <= limit {
		slices.SortFunc(evs, cmp)
		return evs
	}
	// h is a max-heap on cmp: its root is the worst kept so far.
	h := slices.Clone(evs[:limit])
	down := func(i int) {
		for {
			l, w := 2*i+1, i
			if l < len(h) && cmp(h[l], h[w]) > 0 {
				w = l
			}
			if r := l + 1; r < len(h) && cmp(h[r], h[w]) > 0 {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, v := range evs[limit:] {
		if cmp(v, h[0]) < 0 {
			h[0] = v
			down(0)
		}
	}
	slices.SortFunc(h, cmp)
	return h
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// query is a demand readied for evaluating many suppliers.
type query struct {
	d       *sihub.Demand
	now     time.Time
	covers  []*cover // one per required process
	words   []uint64
	idf     []float64
	idfSum  float64
	machine taxonomy.EquipmentKind
}

func (ix *Index) newQuery(d *sihub.Demand, now time.Time) *query {
	q := &query{d: d, now: now}
	for _, w := range d.Processes {
		q.covers = append(q.covers, coveringProcesses(w))
	}
	q.words = wordHashes(nil, d.Title, d.TitleEn, d.Description)
	n := float64(len(ix.byID))
	for _, w := range q.words {
		df := float64(ix.df[w])
		// Words no supplier uses cannot tell suppliers apart.
		v := 0.0
		if df > 0 {
			v = math.Log(1 + n/df)
		}
		q.idf = append(q.idf, v)
		q.idfSum += v
	}
	if d.MinCapacity != nil {
		q.machine, _ = taxonomy.EquipmentByCode(d.MinCapacity.Equipment)
	}
	return q
}

func (q *query) hasProcesses(e *supplier) bool {
	for _, cv := range q.covers {
		if !e.bits.meets(&cv.bits) {
			return false
		}
	}
	return true
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

// certState is how a supplier stands on one required certificate.
type certState uint8

const (
	certMissing certState = iota
	certExpired
	certUnverified // no known expiry
	certValid
)

func (q *query) cert(e *supplier, scheme string) (certState, sihub.Certification) {
	st, best := certMissing, sihub.Certification{}
	for _, ci := range e.certs {
		if ci.c.Scheme != scheme {
			continue
		}
		s := certUnverified
		if !ci.expiry.IsZero() {
			s = certValid
			if ci.expiry.Before(q.now) {
				s = certExpired
			}
		}
		if s > st {
			st, best = s, ci.c
		}
	}
	return st, best
}

// capacity returns whether e has a machine of the required kind large
// enough, and the largest capacity of that kind it states (0 if none).
func (q *query) capacity(e *supplier) (ok bool, largest float64, has bool) {
	r := q.d.MinCapacity
	for _, eq := range e.c.Equipment {
		if eq.Kind != r.Equipment || (eq.Unit != "" && r.Unit != "" && eq.Unit != r.Unit) {
			continue
		}
		has = true
		largest = max(largest, eq.Capacity)
	}
	return largest >= r.Min, largest, has
}

// gaps counts the closable requirements e fails, and reports whether every
// required certificate is valid with a known expiry (a ranking signal, so
// that score need not look the certificates up again).
func (q *query) gaps(e *supplier) (n int, allValid bool) {
	allValid = true
	for _, s := range q.d.Certifications {
		st, _ := q.cert(e, s)
		if st < certUnverified {
			n++
		}
		if st != certValid {
			allValid = false
		}
	}
	if q.d.MinCapacity != nil {
		if ok, _, _ := q.capacity(e); !ok {
			n++
		}
	}
	return n, allValid
}

// score ranks e, whose certificates gaps has judged (certsValid).
func (q *query) score(e *supplier, certsValid bool) float64 {
	s := 0.0
	if len(q.d.Materials) > 0 {
		s += wMaterial * q.materialScore(e)
	}
	if q.idfSum > 0 {
		got, i := 0.0, 0
		for k, w := range q.words {
			i += sort64(e.words[i:], w)
			if i < len(e.words) && e.words[i] == w {
				got += q.idf[k]
			}
		}
		s += wText * got / q.idfSum
	}
	core, fit := 0, 0
	for _, cv := range q.covers {
		cp, _ := provider(e, cv)
		if cp.Core {
			core++
		}
		if cv.exact[cp.Process] {
			fit++
		}
	}
	n := float64(len(q.d.Processes))
	s += wCore*float64(core)/n + wFit*float64(fit)/n
	if q.d.DeliveryProvince != "" && e.c.ProvinceCode == q.d.DeliveryProvince {
		s += wProximity
	}
	if e.c.Verified {
		s += wVerified
	}
	s += wSize * sizeScore(e.c.Employees)
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
	for _, w := range q.d.Materials {
		best := 0.0
		for _, m := range e.mats {
			if taxonomy.MaterialCovers(m, w) {
				best = 1
				break
			}
			if f := materialFamilyOf(w); f != "" && materialFamilyOf(m) == f {
				best = 1.0 / 3
			}
		}
		got += best
	}
	return got / float64(len(q.d.Materials))
}

func materialFamilyOf(code string) string {
	if m, ok := taxonomy.MaterialByCode(code); ok {
		return m.Family
	}
	return ""
}

// sizeScore grows with the size band: a larger plant absorbs volume and
// audits more easily; unknown counts as small.
func sizeScore(employees int) float64 {
	switch sihub.SizeBand(employees) {
	case sihub.SizeMicro:
		return 0.25
	case sihub.SizeMedium:
		return 0.75
	case sihub.SizeLarge:
		return 1
	}
	return 0.5
}

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
	for _, s := range q.d.Certifications {
		name := label(taxonomy.KindCertification, s, sihub.EN)
		switch st, c := q.cert(e, s); st {
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
		ok, largest, has := q.capacity(e)
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
		for _, m := range e.mats {
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
