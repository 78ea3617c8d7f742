// Package taxonomy holds SIHub's bilingual vocabularies as embedded data
// files: manufacturing processes grouped under supporting-industry sectors,
// materials, certification schemes, equipment kinds, the 2025 administrative
// map with the official old→new conversion, VSIC 2025 manufacturing codes and
// industrial parks. Each data file names its source in its header.
//
// The package only holds and looks up data; turning free text into codes is
// package match's job.
package taxonomy

// Sector is one of the supporting-industry sectors processes are grouped in.
type Sector struct {
	Code string // e.g. "mechanical"
	VI   string
	EN   string
}

// Process is a manufacturing process a supplier can offer.
type Process struct {
	Code      string   // stable snake_case code, e.g. "injection_molding"
	Sector    string   // Sector.Code
	Parent    string   // a broader process code, "" at the top (e.g. cnc_turning → machining)
	VI        string   // Vietnamese label
	EN        string   // English label
	Aliases   []string // synonyms as people write them, in Vietnamese (with diacritics) and English
	Equipment string   // EquipmentKind.Code whose capacity qualifies this process, "" if none
}

// Material is a material or material grade.
type Material struct {
	Code    string // e.g. "pa66_gf30", "sus304", "adc12"
	Family  string // e.g. "plastic", "steel", "stainless", "aluminium"
	VI      string
	EN      string
	Aliases []string
}

// Certification is a certification scheme.
type Certification struct {
	Code    string   // e.g. "iatf16949", "iso9001"
	Label   string   // the scheme's usual name, e.g. "IATF 16949"
	VI      string   // title in Vietnamese
	EN      string   // title in English
	Aliases []string // other ways of writing it, old names included (ISO/TS 16949 → IATF 16949)
}

// EquipmentKind is a kind of machine whose count and capacity matter.
type EquipmentKind struct {
	Code    string // e.g. "injection_press"
	Unit    string // the capacity unit: "t", "kW", "axis", "mm", "kg", "head"
	VI      string
	EN      string
	Aliases []string
}
