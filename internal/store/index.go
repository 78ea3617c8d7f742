package store

import (
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// A directory page with facets needs, for every facet, the matches of all
// the other filters: up to eight result sets, each as large as the
// directory. Counted in SQL that costs hundreds of milliseconds at 100k
// companies (SQLite steps through every term row of every match), and
// ordering a few thousand matches by a column means as many reads of wide
// rows. So the store keeps in memory the few columns the filters, facets and
// orders read, dictionary-encoded — about 15 MB for 100k companies — and
// FindCompanies evaluates a filter over all of them in one pass, counting
// facets and keeping the page's rows. SQL still does what it is good at: the
// full-text match (and what the relevance score needs to know of the
// matches' tokens; see search.go), the tax-code lookup, and reading the
// page's companies by id.
//
// The copy is tied to data_version, which every transaction that changes
// companies increments: a read transaction compares its snapshot's version
// with the copy's and rebuilds the copy when they differ, so results are
// never stale, even after another process wrote. The same scheme works on
// PostgreSQL, whose read transactions are REPEATABLE READ so that the
// version and the data come from one snapshot.
//
// The SQL conditions of buildFilter and ORDER BY remain the reference
// semantics (EachCompany uses them); tests check that the two agree.

// dirIndex is the in-memory copy for one data_version.
type dirIndex struct {
	version int64
	pos     map[int64]int32 // company id → row

	// Per row.
	id           []int64
	flags        []uint8 // flagArchived | flagVerified
	kind         []uint8 // kindCodes
	employees    []int32
	founded      []int32
	completeness []uint8
	sortKey      []string
	updatedAt    []int64  // Unix microseconds; the stored UTC text orders the same way
	province     []uint32 // value ids, 0 for none
	park         []uint32
	termStart    []uint32 // the row's term value ids are terms[termStart[i]:termStart[i+1]]
	terms        []uint32
	// The value ids (kind kindToken) of the row's strong tokens, which
	// the relevance score weighs more: strong[strongStart[i]:strongStart[i+1]].
	strongStart []uint32
	strong      []uint32

	// Value ids: 0 is "none"; the others index vals. ids is keyed by the
	// kind letter followed by the value.
	vals []facetVal
	ids  map[string]uint32
	key  []byte // scratch for lookups in ids
}

type facetVal struct {
	kind  byte // a facetKinds letter, 'v' for a province, 'k' for a park or kindToken
	value string
}

// kindToken marks a search token among the dictionary's values.
const kindToken = 't'

const (
	flagArchived = 1 << iota
	flagVerified
)

var kindCodes = map[string]uint8{string(sihub.Supplier): 0, string(sihub.Buyer): 1, string(sihub.Both): 2}

// indexCache holds the latest directory index of a DB.
type indexCache struct {
	mu  sync.Mutex
	idx *dirIndex
}

// dirIndex returns the index for the snapshot of tx, building it when the
// data changed since the last one.
func (db *DB) dirIndex(ctx context.Context, tx *sql.Tx) (*dirIndex, error) {
	var version int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, err
	}
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	if idx := db.cache.idx; idx != nil && idx.version == version {
		return idx, nil
	}
	idx, err := buildIndex(ctx, tx, version)
	if err != nil {
		return nil, err
	}
	// A reader still on an older snapshot gets its own index and leaves
	// the newer one in place.
	if db.cache.idx == nil || db.cache.idx.version < version {
		db.cache.idx = idx
	}
	return idx, nil
}

func buildIndex(ctx context.Context, tx *sql.Tx, version int64) (*dirIndex, error) {
	// Ids are allocated densely: the largest one sizes the arrays.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM companies`).Scan(&n); err != nil {
		return nil, err
	}
	idx := &dirIndex{
		version:      version,
		pos:          make(map[int64]int32, n),
		id:           make([]int64, 0, n),
		flags:        make([]uint8, 0, n),
		kind:         make([]uint8, 0, n),
		employees:    make([]int32, 0, n),
		founded:      make([]int32, 0, n),
		completeness: make([]uint8, 0, n),
		sortKey:      make([]string, 0, n),
		updatedAt:    make([]int64, 0, n),
		province:     make([]uint32, 0, n),
		park:         make([]uint32, 0, n),
		termStart:    make([]uint32, 0, n+1),
		terms:        make([]uint32, 0, 8*n),
		strongStart:  make([]uint32, 0, n+1),
		vals:         []facetVal{{}},
		ids:          map[string]uint32{},
	}
	// The companies_directory index covers this query. Most columns come
	// packed in directory_entry: the driver's cost is per column.
	rows, err := tx.QueryContext(ctx, `SELECT id, archived, verified, directory_entry FROM companies`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id                 int64
			archived, verified bool
			entry              sql.RawBytes
		)
		if err := rows.Scan(&id, &archived, &verified, &entry); err != nil {
			return nil, err
		}
		if err := idx.add(id, archived, verified, entry); err != nil {
			return nil, err
		}
	}
	idx.termStart = append(idx.termStart, uint32(len(idx.terms)))
	idx.strongStart = append(idx.strongStart, uint32(len(idx.strong)))
	return idx, rows.Err()
}

// dirEntry packs what the directory index reads of c, besides the archived
// and verified flags, which change on their own: kind, head count, year
// founded, completeness, update time, sort key, province, park, the facet
// terms and the strong search tokens. Varints and length-prefixed strings,
// so that no value can break the format. An entry written before the
// strong tokens were added simply ends after the terms.
func dirEntry(c *sihub.Company, d *derivation, updated time.Time) []byte {
	str := func(b []byte, s string) []byte { return append(binary.AppendUvarint(b, uint64(len(s))), s...) }
	b := []byte{kindCodes[string(c.Kind)]}
	b = binary.AppendVarint(b, int64(c.Employees))
	b = binary.AppendVarint(b, int64(c.Founded))
	b = binary.AppendUvarint(b, uint64(d.completeness))
	b = binary.AppendVarint(b, updated.UnixMicro())
	b = str(b, d.sortKey)
	b = str(b, c.ProvinceCode)
	b = str(b, c.IndustrialPark)
	var ts []term
	for _, t := range d.terms {
		if _, ok := facetKinds[t.kind]; ok {
			ts = append(ts, t)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(ts)))
	for _, t := range ts {
		b = str(append(b, facetKinds[t.kind]), t.code)
	}
	b = binary.AppendUvarint(b, uint64(len(d.strong)))
	for _, t := range d.strong {
		b = str(b, t)
	}
	return b
}

// add appends a company's row, unpacking its dirEntry.
func (idx *dirIndex) add(id int64, archived, verified bool, entry []byte) error {
	r := entryReader{b: entry}
	kind := r.byte()
	employees, founded, completeness, updated := r.varint(), r.varint(), r.uvarint(), r.varint()
	sortKey, province, park := string(r.bytes()), r.bytes(), r.bytes()
	start, strongStart := len(idx.terms), len(idx.strong)
	for n := r.uvarint(); n > 0 && r.err == nil; n-- {
		k := r.byte()
		idx.terms = append(idx.terms, idx.intern(k, r.bytes()))
	}
	if len(r.b) > 0 {
		for n := r.uvarint(); n > 0 && r.err == nil; n-- {
			idx.strong = append(idx.strong, idx.intern(kindToken, r.bytes()))
		}
	}
	if r.err != nil {
		idx.terms, idx.strong = idx.terms[:start], idx.strong[:strongStart]
		return fmt.Errorf("directory entry of company %d is damaged; run a reindex: %w", id, r.err)
	}
	idx.pos[id] = int32(len(idx.id))
	idx.id = append(idx.id, id)
	var f uint8
	if archived {
		f |= flagArchived
	}
	if verified {
		f |= flagVerified
	}
	idx.flags = append(idx.flags, f)
	idx.kind = append(idx.kind, kind)
	idx.employees = append(idx.employees, int32(employees))
	idx.founded = append(idx.founded, int32(founded))
	idx.completeness = append(idx.completeness, uint8(min(completeness, 255)))
	idx.updatedAt = append(idx.updatedAt, updated)
	idx.sortKey = append(idx.sortKey, sortKey)
	idx.province = append(idx.province, idx.intern('v', province))
	idx.park = append(idx.park, idx.intern('k', park))
	idx.termStart = append(idx.termStart, uint32(start))
	idx.strongStart = append(idx.strongStart, uint32(strongStart))
	return nil
}

// strongOf returns the strong token ids of company id.
func (idx *dirIndex) strongOf(id int64) []uint32 {
	p, ok := idx.pos[id]
	if !ok {
		return nil
	}
	return idx.strong[idx.strongStart[p]:idx.strongStart[p+1]]
}

// entryReader reads a dirEntry, remembering the first error.
type entryReader struct {
	b   []byte
	err error
}

var errShortEntry = errors.New("entry too short")

func (r *entryReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errShortEntry
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *entryReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if r.err != nil || n <= 0 {
		r.err = errShortEntry
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *entryReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if r.err != nil || n <= 0 {
		r.err = errShortEntry
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes reads a string; the bytes are the entry's.
func (r *entryReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		r.err = errShortEntry
		return nil
	}
	s := r.b[:n:n]
	r.b = r.b[n:]
	return s
}

// intern returns the id of a value, adding it; "" is 0.
func (idx *dirIndex) intern(kind byte, value []byte) uint32 {
	if len(value) == 0 {
		return 0
	}
	idx.key = append(append(idx.key[:0], kind), value...)
	id, ok := idx.ids[string(idx.key)] // no allocation for a lookup
	if !ok {
		id = uint32(len(idx.vals))
		idx.vals = append(idx.vals, facetVal{kind, string(value)})
		idx.ids[string(idx.key)] = id
	}
	return id
}

// lookup returns the id of a value, false when no company has it.
func (idx *dirIndex) lookup(kind byte, value string) (uint32, bool) {
	id, ok := idx.ids[string(kind)+value]
	return id, ok
}

// bandIndex is the index in sizeBands of a head count, -1 when unknown.
func bandIndex(employees int32) int {
	for i, b := range sizeBands {
		if int(employees) >= b.min && (b.max == 0 || int(employees) <= b.max) {
			return i
		}
	}
	return -1
}

// Facet groups: the bits of the mask of filters a row fails.
const (
	gProcesses = iota
	gCertifications
	gSectors
	gProvinces
	gParks
	gSizeBands
	gVerified
	nGroups
)

// valueSet is a set of value ids.
type valueSet map[uint32]bool

// evaluation is a filter prepared for the index.
type evaluation struct {
	active     [nGroups]bool
	terms      [3]valueSet // processes, certifications, sectors: matched against a row's terms
	provinces  valueSet
	parks      valueSet
	bands      [len(sizeBands)]bool
	verified   bool
	archived   bool // include archived companies
	kinds      [3]bool
	kindActive bool
	// text: by row, whether the full-text query matches it; nil without
	// one. score: the relevance score by row (search.go), for a ranked
	// order.
	text    []bool
	score   []int32
	taxCode []bool // by row, whether its tax code is asked for; nil when none are
}

// values looks up filter values in the dictionary. Unknown ones match no
// company, and are simply absent from the set.
func (idx *dirIndex) values(kind byte, vs []string) valueSet {
	set := valueSet{}
	for _, v := range vs {
		if id, ok := idx.lookup(kind, v); ok {
			set[id] = true
		}
	}
	return set
}

// prepare turns a filter into an evaluation.
func (idx *dirIndex) prepare(cf sihub.CompanyFilter) *evaluation {
	e := &evaluation{archived: cf.IncludeArchived}
	if ps := clean(cf.Processes); len(ps) > 0 {
		e.active[gProcesses], e.terms[gProcesses] = true, idx.values(facetKinds[termProcess], ps)
	}
	if cs := clean(cf.Certifications); len(cs) > 0 {
		e.active[gCertifications], e.terms[gCertifications] = true, idx.values(facetKinds[termCertification], cs)
	}
	if ss := clean(cf.Sectors); len(ss) > 0 {
		e.active[gSectors], e.terms[gSectors] = true, valueSet{}
		for _, s := range ss {
			t := sectorTerm(s)
			for id := range idx.values(facetKinds[t.kind], []string{t.code}) {
				e.terms[gSectors][id] = true
			}
		}
	}
	if ps := clean(cf.Provinces); len(ps) > 0 {
		e.active[gProvinces], e.provinces = true, idx.values('v', ps)
	}
	if ps := clean(cf.Parks); len(ps) > 0 {
		e.active[gParks], e.parks = true, idx.values('k', ps)
	}
	if bs := clean(cf.SizeBands); len(bs) > 0 {
		e.active[gSizeBands] = true
		for _, b := range bs {
			if i := slices.IndexFunc(sizeBands[:], func(x sizeBand) bool { return x.name == b }); i >= 0 {
				e.bands[i] = true
			}
		}
	}
	if cf.Verified != nil {
		e.active[gVerified], e.verified = true, *cf.Verified
	}
	switch cf.Kind {
	case sihub.Supplier, sihub.Buyer:
		e.kindActive = true
		e.kinds[kindCodes[string(cf.Kind)]], e.kinds[kindCodes[string(sihub.Both)]] = true, true
	case sihub.Both:
		e.kindActive = true
		e.kinds[kindCodes[string(sihub.Both)]] = true
	}
	return e
}

// rows marks the rows of the ids given.
func (idx *dirIndex) rows(ids []int64) []bool {
	set := make([]bool, len(idx.id))
	for _, id := range ids {
		if p, ok := idx.pos[id]; ok {
			set[p] = true
		}
	}
	return set
}

// failed returns the mask of facet groups row i fails, and whether it fails
// a condition that is not a facet's.
func (idx *dirIndex) failed(e *evaluation, i int32) (mask uint, hard bool) {
	f := idx.flags[i]
	if f&flagArchived != 0 && !e.archived || e.kindActive && !e.kinds[idx.kind[i]] ||
		e.text != nil && !e.text[i] || e.taxCode != nil && !e.taxCode[i] {
		return 0, true
	}
	for g, set := range e.terms {
		if !e.active[g] {
			continue
		}
		hit := false
		for _, t := range idx.terms[idx.termStart[i]:idx.termStart[i+1]] {
			if set[t] {
				hit = true
				break
			}
		}
		if !hit {
			mask |= 1 << g
		}
	}
	if e.active[gProvinces] && !e.provinces[idx.province[i]] {
		mask |= 1 << gProvinces
	}
	if e.active[gParks] && !e.parks[idx.park[i]] {
		mask |= 1 << gParks
	}
	if e.active[gSizeBands] {
		if b := bandIndex(idx.employees[i]); b < 0 || !e.bands[b] {
			mask |= 1 << gSizeBands
		}
	}
	if e.active[gVerified] && (f&flagVerified != 0) != e.verified {
		mask |= 1 << gVerified
	}
	return mask, false
}

// result is what one pass over the index finds.
type result struct {
	total  int
	facets *sihub.Facets
	page   []int64 // the ids of the requested page, in order
}

// find evaluates e over every row: it counts the matches, the facets when
// asked (a row that fails no filter counts in every facet; a row that
// fails only facet g's own filter counts in facet g alone, the usual
// faceted-search rule) and picks the rows of the page in order.
func (idx *dirIndex) find(e *evaluation, f *filter, facets bool) result {
	var (
		res         result
		termCounts  []int
		bandCounts  [len(sizeBands)]int
		verifCounts [2]int
	)
	if facets {
		termCounts = make([]int, len(idx.vals))
	}
	top := &topK{k: f.offset + f.limit, less: idx.order(f.sort, e)}
	// The kind letter of each term group's values; sectors are counted per
	// division.
	groupKind := [3]byte{facetKinds[termProcess], facetKinds[termCertification], facetKinds[termDivision]}
	for i := range int32(len(idx.id)) {
		mask, hard := idx.failed(e, i)
		if hard || bits.OnesCount(mask) > 1 {
			continue
		}
		if mask == 0 {
			res.total++
			top.add(i)
		}
		if !facets {
			continue
		}
		counts := func(g int) bool { return mask == 0 || mask == 1<<g }
		for _, t := range idx.terms[idx.termStart[i]:idx.termStart[i+1]] {
			for g, k := range groupKind {
				if idx.vals[t].kind == k && counts(g) {
					termCounts[t]++
				}
			}
		}
		if counts(gProvinces) {
			termCounts[idx.province[i]]++
		}
		if counts(gParks) {
			termCounts[idx.park[i]]++
		}
		if b := bandIndex(idx.employees[i]); b >= 0 && counts(gSizeBands) {
			bandCounts[b]++
		}
		if counts(gVerified) {
			verifCounts[idx.flags[i]&flagVerified/flagVerified]++
		}
	}
	for _, i := range top.sorted()[min(f.offset, top.Len()):] {
		res.page = append(res.page, idx.id[i])
	}
	if facets {
		res.facets = idx.facets(termCounts, bandCounts, verifCounts)
	}
	return res
}

// facets turns the counts into facet values, most frequent first.
func (idx *dirIndex) facets(termCounts []int, bandCounts [len(sizeBands)]int, verifCounts [2]int) *sihub.Facets {
	out := &sihub.Facets{
		Processes: []sihub.FacetValue{}, Sectors: []sihub.FacetValue{}, Certifications: []sihub.FacetValue{},
		Provinces: []sihub.FacetValue{}, Parks: []sihub.FacetValue{}, SizeBands: []sihub.FacetValue{}, Verified: []sihub.FacetValue{},
	}
	byKind := map[byte]*[]sihub.FacetValue{
		facetKinds[termProcess]: &out.Processes, facetKinds[termCertification]: &out.Certifications,
		facetKinds[termDivision]: &out.Sectors, 'v': &out.Provinces, 'k': &out.Parks,
	}
	for id, n := range termCounts {
		if dst := byKind[idx.vals[id].kind]; n > 0 && dst != nil {
			*dst = append(*dst, sihub.FacetValue{Value: idx.vals[id].value, Count: n})
		}
	}
	for i, n := range bandCounts {
		if n > 0 {
			out.SizeBands = append(out.SizeBands, sihub.FacetValue{Value: sizeBands[i].name, Count: n})
		}
	}
	for i, v := range []string{"false", "true"} {
		if verifCounts[i] > 0 {
			out.Verified = append(out.Verified, sihub.FacetValue{Value: v, Count: verifCounts[i]})
		}
	}
	for _, vs := range []*[]sihub.FacetValue{&out.Processes, &out.Sectors, &out.Certifications, &out.Provinces, &out.Parks, &out.SizeBands, &out.Verified} {
		slices.SortFunc(*vs, func(a, b sihub.FacetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
		})
		*vs = (*vs)[:min(len(*vs), facetLimit)]
	}
	return out
}

// order returns the comparison of rows for a sort order: the same as the
// ORDER BY of buildFilter.
func (idx *dirIndex) order(sort string, e *evaluation) func(a, b int32) int {
	byName := func(a, b int32) int {
		return cmp.Or(strings.Compare(idx.sortKey[a], idx.sortKey[b]), cmp.Compare(idx.id[a], idx.id[b]))
	}
	verified := func(a, b int32) int { // verified first
		return cmp.Compare(idx.flags[b]&flagVerified, idx.flags[a]&flagVerified)
	}
	switch sort {
	case sihub.SortName:
		return byName
	case sihub.SortEmployees:
		return func(a, b int32) int { return cmp.Or(cmp.Compare(idx.employees[b], idx.employees[a]), byName(a, b)) }
	case sihub.SortFounded:
		return func(a, b int32) int {
			unknown := func(i int32) bool { return idx.founded[i] == 0 }
			return cmp.Or(compareBool(unknown(a), unknown(b)), cmp.Compare(idx.founded[a], idx.founded[b]), byName(a, b))
		}
	case sihub.SortUpdated:
		return func(a, b int32) int {
			return cmp.Or(cmp.Compare(idx.updatedAt[b], idx.updatedAt[a]), cmp.Compare(idx.id[b], idx.id[a]))
		}
	}
	fuller := func(a, b int32) int { return cmp.Compare(idx.completeness[b], idx.completeness[a]) }
	if e.score != nil {
		return func(a, b int32) int {
			return cmp.Or(cmp.Compare(e.score[b], e.score[a]), verified(a, b), fuller(a, b), byName(a, b))
		}
	}
	return func(a, b int32) int { return cmp.Or(verified(a, b), fuller(a, b), byName(a, b)) }
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// topK keeps the k first rows of an order: a max-heap whose root is the
// last of them, so that a page costs O(n log k) rather than a full sort.
type topK struct {
	k    int
	less func(a, b int32) int
	rows []int32
}

func (t *topK) Len() int           { return len(t.rows) }
func (t *topK) Less(i, j int) bool { return t.less(t.rows[i], t.rows[j]) > 0 }
func (t *topK) Swap(i, j int)      { t.rows[i], t.rows[j] = t.rows[j], t.rows[i] }
func (t *topK) Push(x any)         { t.rows = append(t.rows, x.(int32)) }
func (t *topK) Pop() any {
	x := t.rows[len(t.rows)-1]
	t.rows = t.rows[:len(t.rows)-1]
	return x
}

func (t *topK) add(i int32) {
	switch {
	case t.k <= 0:
	case len(t.rows) < t.k:
		heap.Push(t, i)
	case t.less(i, t.rows[0]) < 0:
		t.rows[0] = i
		heap.Fix(t, 0)
	}
}

func (t *topK) sorted() []int32 {
	slices.SortFunc(t.rows, t.less)
	return t.rows
}
