package match

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/sihub-org/sihub/internal/taxonomy"
)

// Addresses in Vietnam are written many ways: before or after the 1 July 2025
// reform (63 provinces with districts, or 34 provinces without), with or
// without diacritics, with "P." and "Q.7" and "TP.HCM", in English ("Ward 7,
// District 1, HCMC"). This file places such text on the 2025 map. It prefers
// no answer to a wrong one: an old ward that was split between new wards, or
// a name shared by several units, yields no ward.

// placeTok is one word of an address.
type placeTok struct {
	f, l  string // folded; lower case with diacritics
	dot   bool   // written with a "." right after it: "P.", "Q.", "TP."
	glued bool   // split off the number it was written against: the "q" of "Q7"
	brk   byte   // what precedes it: 0 a space, brkDash " - ", brkComma a comma or parenthesis
}

const (
	brkDash  = 1
	brkComma = 2
)

// placeTokens splits s into words. Apostrophes inside names are dropped
// ("Cư M'gar" and "Cư Mgar" are one name) and leading zeros of numbers too
// ("Phường 07"). fold, if not nil, holds words already folded: place names
// reuse a few thousand syllables, and folding is most of the cost.
func placeTokens(s string, fold map[string]string) []placeTok {
	rs := []rune(Lower(s))
	toks := make([]placeTok, 0, len(rs)/4+1)
	var word []rune
	var brk byte
	flush := func(dot bool) {
		if len(word) == 0 {
			return
		}
		w := string(word)
		word = word[:0]
		// "Q7", "P12": a marker letter written against a number.
		if len(w) >= 2 && (w[0] == 'p' || w[0] == 'q') && allDigits(w[1:]) {
			toks = append(toks, placeTok{f: w[:1], l: w[:1], glued: true, brk: brk})
			brk = 0
			w = w[1:]
		}
		if allDigits(w) {
			if w = strings.TrimLeft(w, "0"); w == "" {
				w = "0"
			}
		}
		f, ok := fold[w]
		if !ok {
			f = Fold(w)
		}
		toks = append(toks, placeTok{f: f, l: w, dot: dot, brk: brk})
		brk = 0
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			word = append(word, r)
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`':
			// Dropped inside a word: "M'gar" is "mgar".
		case r == '.':
			flush(true)
		case r == ',' || r == ';' || r == '(' || r == ')' || r == '[' || r == ']' || r == '|' || r == '\n' || r == '\r':
			flush(false)
			brk = brkComma
		case r == '-' || r == '–' || r == '—':
			flush(false)
			// " - " separates parts; "BR-VT" and "II-A" are one name.
			if i > 0 && rs[i-1] == ' ' && (i+1 == len(rs) || rs[i+1] == ' ') && brk == 0 {
				brk = brkDash
			}
		default:
			flush(false)
		}
	}
	flush(false)
	return toks
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Unit kinds. Wards: phường, xã, thị trấn, đặc khu; districts: quận, huyện,
// thị xã, thành phố. A "thành phố" may be a district-level city or a province.
const (
	kWard     = 'w'
	kDistrict = 'd'
	kCity     = 'c' // "TP", "thành phố", "city": a district or a province
	kProvince = 'p'
)

// placeMarker recognizes an administrative-kind word at toks[i]: "Phường",
// "P.", "Q7", "Thị xã", "TP"… It returns the kind, the sub-kind (which
// ward or district kind) and how many words the marker takes. A marker is
// only a marker when a name follows it. segStart says toks[i] begins a
// comma-separated part, where a bare "P" or "Xa" is read as a marker.
func placeMarker(toks []placeTok, i int, segStart bool) (kind, sub byte, n int) {
	if i >= len(toks) {
		return 0, 0, 0
	}
	t := toks[i]
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1].f
	}
	abbr := t.dot || t.glued || segStart
	kind, sub, n = 0, 0, 1
	switch t.f {
	case "phuong", "ward":
		kind, sub = kWard, 'p'
	case "p":
		if abbr {
			kind, sub = kWard, 'p'
		}
	case "xa":
		// "Xa lộ Hà Nội" is a highway, not a commune.
		if next != "lo" && (t.l == "xã" || segStart) {
			kind, sub = kWard, 'x'
		}
	case "x":
		if t.dot {
			kind, sub = kWard, 'x'
		}
	case "commune":
		kind, sub = kWard, 'x'
	case "tt":
		if abbr {
			kind, sub = kWard, 't'
		}
	case "thi":
		switch next {
		case "tran":
			kind, sub, n = kWard, 't', 2
		case "xa":
			kind, sub, n = kDistrict, 'x', 2
		}
	case "dac":
		if next == "khu" {
			kind, sub, n = kWard, 'd', 2
		}
	case "quan", "district":
		kind, sub = kDistrict, 'q'
	case "q":
		if abbr {
			kind, sub = kDistrict, 'q'
		}
	case "huyen":
		kind, sub = kDistrict, 'h'
	case "h":
		if t.dot || segStart {
			kind, sub = kDistrict, 'h'
		}
	case "tx":
		if abbr {
			kind, sub = kDistrict, 'x'
		}
	case "thanh":
		if next == "pho" {
			kind, sub, n = kCity, 'c', 2
		}
	case "tp":
		kind, sub = kCity, 'c'
	case "t":
		if t.dot && next == "p" {
			kind, sub, n = kCity, 'c', 2
		} else if abbr {
			kind = kProvince
		}
	case "tinh", "province":
		kind = kProvince
	}
	if kind == 0 || i+n >= len(toks) || toks[i+n].brk == brkComma {
		return 0, 0, 0
	}
	return kind, sub, n
}

// accentedMarkers are marker words written with their diacritics: typed
// that way they cannot be part of a name ("Quán", "Phương" can).
var accentedMarkers = map[string]bool{"phường": true, "xã": true, "quận": true, "huyện": true, "tỉnh": true}

// splitsAt reports whether a marker at toks[k], inside a part of the
// address, starts a new part: "123 Lê Lợi P. Bến Thành Q.1 TP.HCM" has no
// commas. Unaccented full words ("phuong", "quan") split only where they
// cannot be part of a ward name.
func splitsAt(toks []placeTok, k int, markerPart bool) bool {
	kind, _, n := placeMarker(toks, k, false)
	if kind == 0 {
		return false
	}
	t := toks[k]
	if t.dot || t.glued || t.f == "tp" || accentedMarkers[t.l] {
		return true
	}
	if n == 2 {
		pair := t.l + " " + toks[k+1].l
		if pair == "thị trấn" || pair == "thị xã" || pair == "thành phố" || pair == "đặc khu" {
			return true
		}
	}
	if t.l != t.f {
		return false // diacritics other than the marker's: part of a name ("Quán Thánh")
	}
	switch t.f {
	case "quan", "huyen", "thanh":
		return true
	case "thi":
		return toks[k+1].f == "xa" || !markerPart
	case "phuong":
		return !markerPart
	}
	return false
}

// placeSeg is one part of an address: an optional kind marker and a name.
type placeSeg struct {
	kind, sub byte
	from, to  int // the name: toks[from:to]
}

// placeSegments splits an address at commas and at kind markers.
func placeSegments(toks []placeTok) []placeSeg {
	var segs []placeSeg
	atStart := true
	for i := 0; i < len(toks); {
		kind, sub, n := placeMarker(toks, i, atStart || toks[i].brk != 0)
		j := i + n
		k := j
		atStart = false
		// A marked name runs across a dash: "Phường Văn Miếu - Quốc Tử Giám".
		for k < len(toks) && (k == i || toks[k].brk == 0 || (toks[k].brk == brkDash && kind != 0 && k > j)) {
			if k > j && splitsAt(toks, k, kind != 0) {
				atStart = true
				break
			}
			k++
		}
		s := placeSeg{kind: kind, sub: sub, from: j, to: k}
		// English puts the kind last: "Linh Trung Ward", "Thu Duc City".
		if kind == 0 && k-j >= 2 {
			switch toks[k-1].f {
			case "ward":
				s.kind, s.sub, s.to = kWard, 'p', k-1
			case "commune":
				s.kind, s.sub, s.to = kWard, 'x', k-1
			case "town":
				s.kind, s.sub, s.to = kWard, 't', k-1
			case "district":
				s.kind, s.sub, s.to = kDistrict, 'q', k-1
			case "city":
				s.kind, s.sub, s.to = kCity, 'c', k-1
			case "province":
				s.kind, s.to = kProvince, k-1
			}
		}
		segs = append(segs, s)
		i = max(k, i+1)
	}
	return segs
}

// foldKey returns the folded key of toks.
func foldKey(toks []placeTok) string {
	if len(toks) == 1 {
		return toks[0].f
	}
	n := len(toks)
	for _, t := range toks {
		n += len(t.f)
	}
	b := make([]byte, 0, n)
	for i, t := range toks {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, t.f...)
	}
	return string(b)
}

// placeKeys returns the folded and the accented key of toks.
func placeKeys(toks []placeTok) (f, l string) {
	switch len(toks) {
	case 0:
		return "", ""
	case 1:
		return toks[0].f, toks[0].l
	}
	var bf, bl strings.Builder
	for i, t := range toks {
		if i > 0 {
			bf.WriteByte(' ')
			bl.WriteByte(' ')
		}
		bf.WriteString(t.f)
		bl.WriteString(t.l)
	}
	return bf.String(), bl.String()
}

// provEntry is what a province name means: the 2025 province and, when the
// name is a pre-2025 province's, that old province (a hint for finding
// districts). code "" marks a name shared by two provinces.
type provEntry struct{ code, old string }

// provinceAliases are names people write that are neither official names
// nor their English forms, keyed by their folded form, with the old
// province they denote.
var provinceAliases = map[string]string{
	"hcm": "79", "tphcm": "79", "hcmc": "79", "sai gon": "79", "saigon": "79",
	"hn": "01", "thua thien hue": "46", "tt hue": "46",
	"brvt": "77", "br vt": "77", "vung tau": "77", "ba ria": "77",
	"bac can": "06", "dac lac": "66", "dak lak": "66", "dac nong": "67",
}

// placeIdx holds every lookup table, built once.
type placeIdx struct {
	fold map[string]string // lower-case word → folded, for every word in the tables
	prov map[string]provEntry

	wards     []taxonomy.Ward
	wardKind  []byte
	newF      map[string][]int32 // province|folded name → wards
	newL      map[string][]int32 // province|accented name → wards
	olds      []taxonomy.OldWard
	oldKind   []byte
	oldDF     map[string][]int32 // old district|name → old wards
	oldDL     map[string][]int32
	oldPF     map[string][]int32 // 2025 province|name → old wards
	oldPL     map[string][]int32
	dists     []taxonomy.OldDistrict
	distKind  []byte
	distF     map[string][]int32 // 2025 province|name → districts
	distL     map[string][]int32
	parks     []taxonomy.Park
	parkKey   map[string]int // folded key → park, -1 when shared
	parkFree  map[string]int // keys safe to find inside free text
	parkFirst map[string]int // longest key length (words) by first word
}

var places = sync.OnceValue(buildPlaces)

func buildPlaces() *placeIdx {
	ix := &placeIdx{fold: map[string]string{}, prov: map[string]provEntry{},
		newF: map[string][]int32{}, newL: map[string][]int32{},
		oldDF: map[string][]int32{}, oldDL: map[string][]int32{},
		oldPF: map[string][]int32{}, oldPL: map[string][]int32{},
		distF: map[string][]int32{}, distL: map[string][]int32{},
	}
	addProv := func(name, code, old string) {
		toks := stripProvinceAffixes(ix.learn(name))
		if len(toks) == 0 {
			return
		}
		f := foldKey(toks)
		for _, k := range []string{f, strings.ReplaceAll(f, " ", "")} {
			e, ok := ix.prov[k]
			switch {
			case !ok:
				ix.prov[k] = provEntry{code, old}
			case e.code != code:
				ix.prov[k] = provEntry{}
			case e.old == "":
				ix.prov[k] = provEntry{code, old}
			}
		}
	}
	oldNew := map[string]string{}
	for _, p := range taxonomy.OldProvinces() {
		oldNew[p.Code] = p.NewCode
		for _, n := range []string{p.Name, p.FullName, p.NameEn} {
			addProv(n, p.NewCode, p.Code)
		}
	}
	for _, p := range taxonomy.Provinces() {
		for _, n := range []string{p.Name, p.FullName, p.NameEn, strings.ReplaceAll(p.Codename, "_", " ")} {
			addProv(n, p.Code, "")
		}
	}
	for a, old := range provinceAliases {
		addProv(a, oldNew[old], old)
	}

	ix.wards = taxonomy.Wards()
	ix.wardKind = make([]byte, len(ix.wards))
	for i, w := range ix.wards {
		ix.wardKind[i] = ix.addName(ix.newF, ix.newL, w.ProvinceCode, w.Name, int32(i), true)
	}
	ix.dists = taxonomy.OldDistricts()
	ix.distKind = make([]byte, len(ix.dists))
	for i, d := range ix.dists {
		np := oldNew[d.ProvinceCode]
		ix.distKind[i] = ix.addName(ix.distF, ix.distL, np, d.Name, int32(i), false)
		for _, a := range d.Aliases {
			ix.addName(ix.distF, ix.distL, np, a, int32(i), false)
		}
	}
	ix.olds = taxonomy.OldWards()
	ix.oldKind = make([]byte, len(ix.olds))
	for i, w := range ix.olds {
		np := oldNew[w.ProvinceCode]
		for j, n := range append([]string{w.Name}, w.AltNames...) {
			k := ix.addName(ix.oldDF, ix.oldDL, w.DistrictCode, n, int32(i), false)
			ix.addName(ix.oldPF, ix.oldPL, np, n, int32(i), false)
			if j == 0 || ix.oldKind[i] == 0 {
				ix.oldKind[i] = k
			}
		}
	}
	// Words of addresses that are no place name.
	ix.learn("số đường lô ấp tổ khu phố thôn xóm tầng tòa nhà đại lộ quốc cụm việt nam")
	ix.buildParks()
	return ix
}

// addName indexes a unit's name under scope (a province or district code),
// without its kind word, and returns the kind. With dashParts, a name like
// "Phường Lâm Viên - Đà Lạt" is also indexed under its first part.
func (ix *placeIdx) addName(mf, ml map[string][]int32, scope, name string, i int32, dashParts bool) byte {
	toks := ix.learn(name)
	kind, sub, n := placeMarker(toks, 0, true)
	if kind == 0 {
		sub = 0
		n = 0
	}
	if kind == kCity { // "Thành phố Thủ Đức": a district-level city
		sub = 'c'
	}
	name1 := toks[n:]
	add := func(ts []placeTok) {
		f, l := placeKeys(ts)
		mf[scope+"|"+f] = appendOnce(mf[scope+"|"+f], i)
		ml[scope+"|"+l] = appendOnce(ml[scope+"|"+l], i)
	}
	add(name1)
	if dashParts {
		for k := 1; k < len(name1); k++ {
			if name1[k].brk != 0 {
				add(name1[:k])
				break
			}
		}
	}
	return sub
}

// learn tokenizes a name from the tables and remembers its words' folds.
func (ix *placeIdx) learn(name string) []placeTok {
	toks := placeTokens(name, nil)
	for _, t := range toks {
		ix.fold[t.l] = t.f
	}
	return toks
}

// tokens tokenizes text with the folds learnt from the tables.
func (ix *placeIdx) tokens(text string) []placeTok { return placeTokens(text, ix.fold) }

func appendOnce(s []int32, i int32) []int32 {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

// stripProvinceAffixes drops what surrounds a province name: "Tỉnh",
// "Thành phố", "TP.", "T.", "City", "Province", "Việt Nam".
func stripProvinceAffixes(toks []placeTok) []placeTok {
	for len(toks) > 1 {
		if len(toks) > 2 && ((toks[0].f == "thanh" && toks[1].f == "pho") || (toks[0].f == "t" && toks[1].f == "p")) {
			toks = toks[2:]
			continue
		}
		switch toks[0].f {
		case "tinh", "tp", "t", "city", "province":
			toks = toks[1:]
			continue
		}
		break
	}
	if n := trimPlaceEnd(toks); n > 0 {
		toks = toks[:n]
	}
	return toks
}

// trimPlaceEnd returns the length of toks without what may follow a
// province at the end of an address: "City", "Province", "Việt Nam", a
// postcode.
func trimPlaceEnd(toks []placeTok) int {
	end := len(toks)
	for end > 0 {
		t := toks[end-1]
		switch {
		case t.f == "vietnam" || t.f == "vn" || t.f == "city" || t.f == "province" || (allDigits(t.f) && len(t.f) >= 5):
			end--
		case end > 1 && toks[end-2].f == "viet" && t.f == "nam":
			end -= 2
		default:
			return end
		}
	}
	return end
}

// lookupProv finds the province named by exactly toks.
func (ix *placeIdx) lookupProv(toks []placeTok) (provEntry, bool) {
	toks = stripProvinceAffixes(toks)
	if len(toks) == 0 {
		return provEntry{}, false
	}
	f := foldKey(toks)
	e, ok := ix.prov[f]
	if !ok && len(toks) > 1 {
		e, ok = ix.prov[strings.ReplaceAll(f, " ", "")]
	}
	return e, ok && e.code != ""
}

// ResolveProvince returns the 2025 province code for a province as people
// write it: the 2025 or the pre-2025 name, with or without diacritics and
// "Tỉnh"/"Thành phố"/"TP." prefixes, English forms and common abbreviations
// ("TP.HCM", "HCMC", "Sài Gòn", "BR-VT"), or the 2025 code itself. A
// pre-2025 province gives the province it is now part of: "Bình Dương" gives
// "79" (Ho Chi Minh City).
func ResolveProvince(text string) (string, bool) {
	e, ok := places().provinceField(text)
	return e.code, ok
}

func (ix *placeIdx) provinceField(text string) (provEntry, bool) {
	t := strings.TrimSpace(text)
	if allDigits(t) && len(t) <= 2 {
		if len(t) == 1 {
			t = "0" + t
		}
		_, ok := taxonomy.ProvinceByCode(t)
		return provEntry{code: t}, ok
	}
	return ix.resolveProvince(placeTokens(text, ix.fold))
}

func (ix *placeIdx) resolveProvince(toks []placeTok) (provEntry, bool) {
	if e, ok := ix.lookupProv(toks); ok {
		return e, true
	}
	// "Bình Dương (cũ)", "Dĩ An, Bình Dương": a comma-separated part, the
	// last first.
	end := len(toks)
	for i := len(toks) - 1; i >= 0; i-- {
		if i == 0 || toks[i].brk == brkComma {
			if end-i < len(toks) {
				if e, ok := ix.lookupProv(toks[i:end]); ok {
					return e, true
				}
			}
			end = i
		}
	}
	// "Thuận An Bình Dương": the longest name ending the text.
	for s := max(0, len(toks)-6); s < len(toks); s++ {
		if e, ok := ix.lookupProv(toks[s:]); ok {
			return e, true
		}
	}
	return provEntry{}, false
}

// provinceTail finds a province named at the end of an address and returns
// it with the span of its name. The name must begin a part of the address
// or follow "TP"/"Tỉnh" or an administrative phrase ("Quận 1 Hồ Chí Minh"),
// so that "123 Đồng Nai" (a street) is not taken for the province.
func (ix *placeIdx) provinceTail(toks []placeTok) (e provEntry, from, to int, ok bool) {
	end := trimPlaceEnd(toks)
	for s := max(0, end-6); s < end; s++ {
		f := foldKey(toks[s:end])
		e, ok := ix.prov[f]
		if !ok && end-s > 1 {
			e, ok = ix.prov[strings.ReplaceAll(f, " ", "")]
		}
		if ok && e.code != "" && tailStarts(toks, s) {
			return e, s, end, true
		}
	}
	return provEntry{}, 0, 0, false
}

func tailStarts(toks []placeTok, s int) bool {
	if s == 0 || toks[s].brk != 0 {
		return true
	}
	// The nearest marker before the name, within its part of the address.
	for k := s - 1; k >= 0; k-- {
		kind, _, n := placeMarker(toks, k, k == 0 || toks[k].brk != 0)
		if kind != 0 {
			if k+n == s {
				// "TP. Hồ Chí Minh", but not "Phường Long An".
				return kind == kCity || kind == kProvince
			}
			// Inside an administrative phrase: "Quận 1 Hồ Chí Minh".
			return true
		}
		if toks[k].brk != 0 {
			break
		}
	}
	return false // "123 Đồng Nai" is a street
}

// ResolveWard returns the 2025 ward code for a ward in a 2025 province: a
// 2025 ward name ("Phường Linh Xuân", "linh xuan"), or a pre-2025 ward,
// best with its old district ("P. Linh Trung, TP Thủ Đức"), mapped through
// the official conversion table. It reports false when the name is unknown
// or ambiguous, or the old ward was split between 2025 wards.
func ResolveWard(provinceCode, text string) (string, bool) {
	ix := places()
	if _, ok := taxonomy.ProvinceByCode(provinceCode); !ok {
		return "", false
	}
	toks := ix.tokens(text)
	var hints []string
	pf, pt := -1, -1
	if e, from, to, ok := ix.provinceTail(toks); ok && e.code == provinceCode {
		hints = append(hints, e.old)
		pf, pt = from, to
	}
	w := ix.resolveWard(provinceCode, hints, toks, pf, pt)
	return w, w != ""
}

// ResolveAddress places a company: the 2025 province from the province field
// (any form ResolveProvince accepts), else from the end of the address; and
// the 2025 ward from the address, a 2025 ward name or a pre-2025 ward (with
// its old district) mapped through the official conversion table. Either
// result is "" when it cannot be told for sure.
func ResolveAddress(address, province string) (provinceCode, wardCode string) {
	ix := places()
	var hints []string
	if e, ok := ix.provinceField(province); ok {
		provinceCode = e.code
		hints = append(hints, e.old)
	}
	toks := ix.tokens(address)
	pf, pt := -1, -1
	if e, from, to, ok := ix.provinceTail(toks); ok && (provinceCode == "" || provinceCode == e.code) {
		provinceCode = e.code
		hints = append(hints, e.old)
		pf, pt = from, to
	}
	if provinceCode == "" {
		return "", ""
	}
	return provinceCode, ix.resolveWard(provinceCode, hints, toks, pf, pt)
}

// resolveWard finds the ward in toks, a 2025 province's address; toks[pf:pt]
// named the province.
func (ix *placeIdx) resolveWard(prov string, hints []string, toks []placeTok, pf, pt int) string {
	accented := false
	for _, t := range toks {
		if t.f != t.l {
			accented = true
			break
		}
	}
	segs := placeSegments(toks)
	for i, sg := range segs {
		if pf >= 0 && sg.from < pf && sg.to > pf {
			segs[i].to = pf // "Quận 1 Hồ Chí Minh"
		}
	}
	isProv := func(s placeSeg) bool { return pf >= 0 && s.from >= pf && s.to <= pt && s.to > s.from }
	var wardSegs, bare []int
	distSeg := -1
	var dists []int32
	// Districts: marked ones first, then the city that named the province
	// ("Phường 7, TP Vũng Tàu"), then unmarked parts.
	tryDist := func(i int) bool {
		s := segs[i]
		d := ix.findDistricts(prov, hints, toks[s.from:s.to], s.sub, accented)
		if len(d) > 0 {
			distSeg, dists = i, d
			return true
		}
		return false
	}
	for i, s := range segs {
		switch {
		case s.from == s.to:
		case s.kind == kWard:
			wardSegs = append(wardSegs, i)
		case s.kind == 0 && !isProv(s):
			bare = append(bare, i)
		}
	}
	for i := len(segs) - 1; i >= 0 && distSeg < 0; i-- {
		s := segs[i]
		if (s.kind == kDistrict || s.kind == kCity) && s.from < s.to && !isProv(s) {
			tryDist(i)
		}
	}
	for i := len(segs) - 1; i >= 0 && distSeg < 0; i-- {
		if s := segs[i]; s.kind == kCity && isProv(s) {
			tryDist(i)
		}
	}
	for j := len(bare) - 1; j >= 0 && distSeg < 0; j-- {
		tryDist(bare[j])
	}
	for i := len(segs) - 1; i >= 0 && distSeg < 0; i-- {
		if s := segs[i]; s.kind == 0 && isProv(s) && s.from < s.to {
			tryDist(i)
		}
	}
	// The ward: the marked part nearest the district, else an unmarked part
	// that is not the district, right to left.
	var cands []int
	for j := len(wardSegs) - 1; j >= 0; j-- {
		cands = append(cands, wardSegs[j])
	}
	if len(cands) == 0 {
		for j := len(bare) - 1; j >= 0; j-- {
			if bare[j] != distSeg {
				cands = append(cands, bare[j])
			}
		}
	}
	for _, i := range cands {
		s := segs[i]
		if w, found := ix.findWard(prov, hints, dists, toks[s.from:s.to], s.sub, accented); found {
			return w
		}
	}
	if len(cands) == 0 && len(dists) == 1 {
		return ix.dists[dists[0]].NewWard // an island district, now one special zone
	}
	return ""
}

// lookupName returns the indexed units named toks in scope: by the accented
// name when the text was written with diacritics and it matches ("Thanh An"
// in such text is not "Thạnh An"), else by the folded name.
func lookupName(mf, ml map[string][]int32, scope string, toks []placeTok, accented bool) []int32 {
	f, l := placeKeys(toks)
	if accented {
		if r := ml[scope+"|"+l]; len(r) > 0 {
			return r
		}
	}
	return mf[scope+"|"+f]
}

// byKind keeps the candidates of the wanted kind, when the text gave one and
// some match it.
func byKind(c []int32, kinds []byte, want byte) []int32 {
	if want == 0 || len(c) < 2 {
		return c
	}
	var r []int32
	for _, i := range c {
		if k := kinds[i]; k == want || k == 0 {
			r = append(r, i)
		}
	}
	if len(r) == 0 {
		return c
	}
	return r
}

// findDistricts returns the pre-2025 districts of a 2025 province named by
// toks, narrowed to the old provinces named in the address when that helps.
func (ix *placeIdx) findDistricts(prov string, hints []string, toks []placeTok, sub byte, accented bool) []int32 {
	c := byKind(lookupName(ix.distF, ix.distL, prov, toks, accented), ix.distKind, sub)
	return narrow(c, hints, func(i int32) string { return ix.dists[i].ProvinceCode })
}

// narrow keeps the candidates in the old provinces the address named
// ("Huyện Châu Thành, Long An" in today's Tây Ninh, which also has Tây
// Ninh's Châu Thành), when some are.
func narrow(c []int32, hints []string, oldProv func(int32) string) []int32 {
	if len(c) < 2 || len(hints) == 0 {
		return c
	}
	var r []int32
	for _, i := range c {
		if slices.Contains(hints, oldProv(i)) {
			r = append(r, i)
		}
	}
	if len(r) == 0 {
		return c
	}
	return r
}

// findWard resolves one ward name. found reports that the name matched some
// unit, even if the answer is ambiguous: the caller then stops looking.
func (ix *placeIdx) findWard(prov string, hints []string, dists []int32, toks []placeTok, sub byte, accented bool) (code string, found bool) {
	code, found = ix.findWard1(prov, hints, dists, toks, sub, accented)
	if found {
		return code, found
	}
	// "Phường Lâm Viên - Đà Lạt" written "Phường Lâm Viên", or "Phường 7 -
	// Vũng Tàu": the part before a dash.
	for k := 1; k < len(toks); k++ {
		if toks[k].brk == brkDash {
			return ix.findWard1(prov, hints, dists, toks[:k], sub, accented)
		}
	}
	return "", false
}

func (ix *placeIdx) findWard1(prov string, hints []string, dists []int32, toks []placeTok, sub byte, accented bool) (code string, found bool) {
	// With an old district, the address is in the old format: convert.
	if len(dists) > 0 {
		var olds []int32
		for _, d := range dists {
			olds = append(olds, lookupName(ix.oldDF, ix.oldDL, ix.dists[d].Code, toks, accented)...)
		}
		if olds = byKind(olds, ix.oldKind, sub); len(olds) > 0 {
			return ix.converted(olds), true
		}
	}
	if news := byKind(lookupName(ix.newF, ix.newL, prov, toks, accented), ix.wardKind, sub); len(news) > 0 {
		if len(news) == 1 {
			return ix.wards[news[0]].Code, true
		}
		return "", true
	}
	olds := byKind(lookupName(ix.oldPF, ix.oldPL, prov, toks, accented), ix.oldKind, sub)
	olds = narrow(olds, hints, func(i int32) string { return ix.olds[i].ProvinceCode })
	if len(olds) > 0 {
		return ix.converted(olds), true
	}
	return "", false
}

// converted returns the one 2025 ward all the old wards became, or "" when
// any was split or they went to different wards.
func (ix *placeIdx) converted(olds []int32) string {
	code := ""
	for _, i := range olds {
		w := ix.olds[i]
		if len(w.NewCodes) != 1 || (code != "" && code != w.NewCodes[0]) {
			return ""
		}
		code = w.NewCodes[0]
	}
	return code
}

// Parks.

// parkPrefixes and parkSuffixes are the words naming the kind of park,
// stripped from names to make keys: "KCN Sóng Thần" and "Song Than
// Industrial Park" are one park. Longer forms come first.
var parkPrefixes = [][]string{
	{"khu", "che", "xuat", "va", "cong", "nghiep"},
	{"khu", "cong", "nghiep"}, {"khu", "che", "xuat"}, {"kcn"}, {"kcx"},
}

var parkSuffixes = [][]string{
	{"export", "processing", "and", "industrial", "zone"}, {"export", "processing", "zone"},
	{"industrial", "park"}, {"industrial", "zone"}, {"industrial", "estate"}, {"ip"}, {"iz"}, {"epz"},
}

func hasWords(toks []string, i int, w []string) bool {
	if i < 0 || i+len(w) > len(toks) {
		return false
	}
	for j, x := range w {
		if toks[i+j] != x {
			return false
		}
	}
	return true
}

// parkWords turns text into folded words for park matching: roman numerals
// after the first word become digits ("VSIP II" is "vsip 2"), and letters
// and digits written together are split ("VSIP2", "2A"). brks marks the
// words that follow a comma or parenthesis.
func parkWords(text string, fold map[string]string) (words []string, brks []bool) {
	toks := placeTokens(text, fold)
	for i, t := range toks {
		w := t.f
		brk := t.brk == brkComma
		if i > 0 {
			switch w {
			case "i", "ii", "iii", "iv", "v", "vi":
				w = romans[w]
			case "iia", "iib":
				words, brks = append(words, "2"), append(brks, brk)
				brk = false
				w = w[2:]
			}
		}
		// Split "vsip2" and "2a" where letters meet digits.
		start := 0
		for j := 1; j < len(w); j++ {
			if isDigit(w[j]) != isDigit(w[j-1]) {
				words, brks = append(words, w[start:j]), append(brks, brk)
				brk = false
				start = j
			}
		}
		words, brks = append(words, w[start:]), append(brks, brk)
	}
	return words, brks
}

var romans = map[string]string{"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// stripParkType drops the kind words around a park name.
func stripParkType(w []string) []string {
	for _, p := range parkPrefixes {
		if hasWords(w, 0, p) && len(w) > len(p) {
			w = w[len(p):]
			break
		}
	}
	for _, s := range parkSuffixes {
		if hasWords(w, len(w)-len(s), s) && len(w) > len(s) {
			w = w[:len(w)-len(s)]
			break
		}
	}
	return w
}

func (ix *placeIdx) buildParks() {
	ix.parks = taxonomy.Parks()
	ix.parkKey = map[string]int{}
	ix.parkFree = map[string]int{}
	ix.parkFirst = map[string]int{}
	add := func(m map[string]int, w []string, i int) {
		if len(w) == 0 {
			return
		}
		k := strings.Join(w, " ")
		if j, ok := m[k]; ok && j != i {
			m[k] = -1
			return
		}
		m[k] = i
		if len(w) > ix.parkFirst[w[0]] {
			ix.parkFirst[w[0]] = len(w)
		}
	}
	for i, p := range ix.parks {
		names := append([]string{p.Name, p.NameEn}, p.Aliases...)
		for _, n := range []string{p.Name, p.NameEn} {
			if j := strings.IndexByte(n, '('); j > 0 {
				names = append(names, n[:j])
			}
		}
		for _, n := range names {
			w, _ := parkWords(n, nil)
			s := stripParkType(w)
			add(ix.parkKey, w, i)
			add(ix.parkKey, s, i)
			// Found inside free text: the full name when it carries its
			// kind words ("Khu công nghệ cao TP.HCM") or is long enough not
			// to occur by chance, and acronyms and brand names ("VSIP II",
			// "Amata", "Loteco").
			if len(s) < len(w) || len(w) >= 5 || strings.Contains(n, "Khu ") || strings.Contains(n, "Park") {
				add(ix.parkFree, w, i)
			}
			if isBrand(n) {
				add(ix.parkFree, s, i)
			}
		}
	}
}

// isBrand reports whether an alias starts with a word of at least four
// ASCII letters that is no Vietnamese syllable: "VSIP", "SHTP", "Loteco".
func isBrand(n string) bool {
	w, _, _ := strings.Cut(n, " ")
	if len(w) < 4 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	// A Vietnamese syllable has at most one vowel group; these words have two.
	groups, in := 0, false
	for i := 0; i < len(w); i++ {
		v := strings.IndexByte("aeiouy", w[i]|0x20) >= 0
		if v && !in {
			groups++
		}
		in = v
	}
	return groups >= 2 || strings.ToUpper(w) == w
}

// ResolvePark returns the park named by text: the park field as written
// ("KCN VSIP I", "VSIP 1", "Khu công nghiệp Việt Nam - Singapore", "KCX Tân
// Thuận", "Khu công nghệ cao TP.HCM"), or an address containing one ("Lô
// A1, KCN Sóng Thần 2, Dĩ An"). A name followed by another province ("VSIP
// Bắc Ninh") is not the park here.
func ResolvePark(text string) (taxonomy.Park, bool) {
	ix := places()
	w, brks := parkWords(text, ix.fold)
	if len(w) == 0 {
		return taxonomy.Park{}, false
	}
	if i, ok := ix.parkKey[strings.Join(stripParkType(w), " ")]; ok && i >= 0 {
		return ix.parks[i], true
	}
	for i := 0; i < len(w); i++ {
		// After a kind word: "KCN Tân Tạo", "Khu chế xuất Linh Trung II".
		for _, p := range parkPrefixes {
			if hasWords(w, i, p) {
				if k, e := ix.longestPark(ix.parkKey, w, brks, i+len(p)); k >= 0 && ix.parkHere(k, w, brks, i+len(p), e) {
					return ix.parks[k], true
				}
				break
			}
		}
		if k, e := ix.longestPark(ix.parkFree, w, brks, i); k >= 0 && ix.parkHere(k, w, brks, i, e) {
			return ix.parks[k], true
		}
		// Before a kind word: "Song Than 2 Industrial Park".
		for _, s := range parkSuffixes {
			if hasWords(w, i, s) {
				for st := max(0, i-6); st < i; st++ {
					if k, ok := ix.parkKey[strings.Join(w[st:i], " ")]; ok && k >= 0 && noBreak(brks, st+1, i) {
						return ix.parks[k], true
					}
				}
			}
		}
	}
	return taxonomy.Park{}, false
}

// longestPark finds the longest key in m starting at w[i] and not crossing
// a comma; it returns the park and where the match ends, or -1.
func (ix *placeIdx) longestPark(m map[string]int, w []string, brks []bool, i int) (int, int) {
	if i >= len(w) {
		return -1, 0
	}
	n := ix.parkFirst[w[i]]
	for e := min(len(w), i+n); e > i; e-- {
		if !noBreak(brks, i+1, e) {
			continue
		}
		if k, ok := m[strings.Join(w[i:e], " ")]; ok && k >= 0 {
			return k, e
		}
	}
	return -1, 0
}

func noBreak(brks []bool, from, to int) bool {
	for j := from; j < to; j++ {
		if brks[j] {
			return false
		}
	}
	return true
}

// parkGeneric are keys that name a park only standing alone: "Khu công
// nghệ cao Hòa Lạc" is Hanoi's.
var parkGeneric = map[string]bool{"khu cong nghe cao": true, "khu cnc": true, "kcnc": true}

// parkHere rejects a match followed, in the same part of the text, by
// another province or a further number ("VSIP Bắc Ninh", "Nhơn Trạch 4"),
// or a generic name followed by anything.
func (ix *placeIdx) parkHere(k int, w []string, brks []bool, from, e int) bool {
	if e == len(w) || brks[e] {
		return true
	}
	if allDigits(w[e]) || parkGeneric[strings.Join(w[from:e], " ")] {
		return false
	}
	for n := 1; n <= 4 && e+n <= len(w) && noBreak(brks, e+1, e+n); n++ {
		if p, ok := ix.prov[strings.Join(w[e:e+n], " ")]; ok && p.code != "" && p.code != ix.parks[k].ProvinceCode {
			return false
		}
	}
	return true
}
