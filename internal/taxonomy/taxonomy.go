// Package taxonomy holds SIHub's bilingual vocabularies as embedded data
// files: manufacturing processes grouped under supporting-industry sectors,
// materials, certification schemes, equipment kinds, the 2025 administrative
// map with the official old→new conversion, VSIC 2025 manufacturing codes and
// industrial parks. Each data file names its source in its header.
//
// The package only holds and looks up data; turning free text into codes is
// package match's job.
package taxonomy

import "github.com/sihub-org/sihub/internal/sihub"

// TermKind names a vocabulary whose terms package match recognizes in text.
type TermKind string

const (
	KindProcess       TermKind = "process"
	KindMaterial      TermKind = "material"
	KindCertification TermKind = "certification"
	KindEquipment     TermKind = "equipment"
)

// Hint tells the recognizer how careful to be with an alias. In the data
// files a hint is written as a prefix of the alias ("~rèn", "=CE").
type Hint uint8

const (
	// HintWeak ("~"): the alias is a short word that, written without
	// diacritics, is also a common other word ("ren" is rèn, forging, but
	// also ren, a thread; "han" is hàn, welding, but also hạn, a limit). It is
	// taken from text without diacritics only where it stands as a list item
	// ("ren; han", "Chuyên hàn, cắt laser"), never inside a longer phrase or
	// a proper name.
	HintWeak Hint = 1 << iota
	// HintContext ("!"): the alias is a common word even with its diacritics
	// ("đồng" is copper but also the currency and the first syllable of
	// "Đồng Nai"); it is taken only where it stands as a list item.
	HintContext
	// HintCase ("="): an acronym that is also an English word ("REACH",
	// "CE", "GI"): matched only when written exactly so, in capitals.
	HintCase
	// HintShared ("?"): the alias deliberately belongs to several codes of
	// the same kind ("đùn" is extrusion of plastic or of aluminium); the
	// recognizer picks the code whose sector the rest of the text agrees
	// with, and the first code in file order when nothing tips the balance.
	HintShared
)

// Alias is one way of writing a term, as people write it: Vietnamese with
// its diacritics, English, trade abbreviations. The recognizer decides when
// text written without diacritics may match it.
type Alias struct {
	Text string
	Hint Hint
}

// Sector is one of the supporting-industry sectors processes are grouped in.
type Sector struct {
	Code string // e.g. "mechanical"
	VI   string
	EN   string
}

// Process is a manufacturing process a supplier can offer.
//
// Processes form a tree through Parent. How the tree counts when a demand for
// process W is compared with a supplier offering process O (see
// ProcessCovers):
//   - O == W, or O is a descendant of W: a demand for "CNC machining" is met
//     by a supplier doing CNC milling.
//   - W lies under a Bundle process B and O is B or lies under B: the
//     children of a bundle are offered together by the trade that names the
//     bundle, so a shop declaring "gia công CNC" meets a demand for CNC
//     turning, and a sheet-metal shop listing laser cutting meets a demand
//     for bending.
//   - Otherwise a parent does not stand for its children: a generic
//     "gia công nhựa" supplier does not meet a demand for blow molding.
type Process struct {
	Code      string  // stable snake_case code, e.g. "injection_molding"
	Sector    string  // Sector.Code
	Parent    string  // a broader process code, "" at the top (e.g. cnc_turning → cnc_machining)
	VI        string  // Vietnamese label
	EN        string  // English label
	Aliases   []Alias // synonyms as people write them, in Vietnamese (with diacritics) and English
	Equipment string  // EquipmentKind.Code whose capacity qualifies this process, "" if none
	Bundle    bool    // its children are offered together (see above)
}

// Compound is a phrase naming several processes at once, such as "tiện phay
// CNC" (CNC turning and milling).
type Compound struct {
	Codes   []string // Process codes
	Aliases []Alias
}

// Material is a material or material grade. A material whose Code equals its
// Family is the family's generic entry ("aluminium" for "nhôm"); the grades
// of the family point to it through Family.
type Material struct {
	Code    string // e.g. "pa66_gf30", "sus304", "adc12"
	Family  string // e.g. "plastic", "steel", "stainless", "aluminium"
	Sector  string // the Sector.Code its processing mostly belongs to
	VI      string
	EN      string
	Aliases []Alias
}

// Certification is a certification scheme. The year or revision suffix
// ("ISO 9001:2015") is not part of the scheme.
type Certification struct {
	Code    string  // e.g. "iatf16949", "iso9001"
	Name    string  // the scheme's usual name, e.g. "IATF 16949"
	VI      string  // title in Vietnamese
	EN      string  // title in English
	Aliases []Alias // other ways of writing it, old names included (ISO/TS 16949 → IATF 16949)
}

// EquipmentKind is a kind of machine whose count and capacity matter.
type EquipmentKind struct {
	Code    string // e.g. "injection_press"
	Unit    string // the capacity unit: "t", "kW", "axis", "mm", "kg", "head"; "" when only the count matters
	Process string // the process owning such a machine shows, "" if none (a measuring machine)
	VI      string
	EN      string
	Aliases []Alias
}

// Label returns the sector's name in lang.
func (s Sector) Label(lang sihub.Lang) string { return pick(lang, s.VI, s.EN) }

// Label returns the process's name in lang.
func (p Process) Label(lang sihub.Lang) string { return pick(lang, p.VI, p.EN) }

// Label returns the material's name in lang.
func (m Material) Label(lang sihub.Lang) string { return pick(lang, m.VI, m.EN) }

// Label returns the scheme's usual name, the same in both languages
// ("ISO 9001"); Title gives the full title.
func (c Certification) Label(sihub.Lang) string { return c.Name }

// Title returns the scheme's full title in lang.
func (c Certification) Title(lang sihub.Lang) string { return pick(lang, c.VI, c.EN) }

// Label returns the equipment kind's name in lang.
func (e EquipmentKind) Label(lang sihub.Lang) string { return pick(lang, e.VI, e.EN) }

func pick(lang sihub.Lang, vi, en string) string {
	if lang == sihub.EN && en != "" {
		return en
	}
	return vi
}
