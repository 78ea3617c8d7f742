package taxonomy

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
)

// vocabFiles holds the manufacturing vocabularies; their format is described
// in each file's header.
//
//go:embed data/sectors.tsv data/processes.tsv data/materials.tsv data/certifications.tsv data/equipment.tsv
var vocabFiles embed.FS

type vocabTables struct {
	sectors        []Sector
	processes      []Process
	compounds      []Compound
	materials      []Material
	certifications []Certification
	equipment      []EquipmentKind

	sectorIdx, processIdx, materialIdx, certIdx, equipmentIdx map[string]int
}

var vocab = sync.OnceValue(func() *vocabTables {
	v, err := loadVocab()
	if err != nil {
		// The files are embedded and loaded by the tests: a failure here is a
		// broken build, not a runtime condition.
		panic("taxonomy: " + err.Error())
	}
	return v
})

// Sectors returns the supporting-industry sectors in display order. The
// slice is shared: do not modify it.
func Sectors() []Sector { return vocab().sectors }

// Processes returns every process, grouped by sector, parents before their
// children. The slice is shared: do not modify it.
func Processes() []Process { return vocab().processes }

// Compounds returns the phrases that name several processes at once. The
// slice is shared: do not modify it.
func Compounds() []Compound { return vocab().compounds }

// Materials returns every material. The slice is shared: do not modify it.
func Materials() []Material { return vocab().materials }

// Certifications returns every certification scheme. The slice is shared:
// do not modify it.
func Certifications() []Certification { return vocab().certifications }

// EquipmentKinds returns every equipment kind. The slice is shared: do not
// modify it.
func EquipmentKinds() []EquipmentKind { return vocab().equipment }

// SectorByCode returns the sector with code.
func SectorByCode(code string) (Sector, bool) {
	v := vocab()
	if i, ok := v.sectorIdx[code]; ok {
		return v.sectors[i], true
	}
	return Sector{}, false
}

// ProcessByCode returns the process with code.
func ProcessByCode(code string) (Process, bool) {
	v := vocab()
	if i, ok := v.processIdx[code]; ok {
		return v.processes[i], true
	}
	return Process{}, false
}

// MaterialByCode returns the material with code.
func MaterialByCode(code string) (Material, bool) {
	v := vocab()
	if i, ok := v.materialIdx[code]; ok {
		return v.materials[i], true
	}
	return Material{}, false
}

// CertificationByCode returns the certification scheme with code.
func CertificationByCode(code string) (Certification, bool) {
	v := vocab()
	if i, ok := v.certIdx[code]; ok {
		return v.certifications[i], true
	}
	return Certification{}, false
}

// EquipmentByCode returns the equipment kind with code.
func EquipmentByCode(code string) (EquipmentKind, bool) {
	v := vocab()
	if i, ok := v.equipmentIdx[code]; ok {
		return v.equipment[i], true
	}
	return EquipmentKind{}, false
}

// TermLabel returns the name in lang of the term of kind with code, and the
// code itself when it is unknown, so that a page never shows an empty label.
func TermLabel(kind TermKind, code string, lang sihub.Lang) string {
	switch kind {
	case KindProcess:
		if p, ok := ProcessByCode(code); ok {
			return p.Label(lang)
		}
	case KindMaterial:
		if m, ok := MaterialByCode(code); ok {
			return m.Label(lang)
		}
	case KindCertification:
		if c, ok := CertificationByCode(code); ok {
			return c.Label(lang)
		}
	case KindEquipment:
		if e, ok := EquipmentByCode(code); ok {
			return e.Label(lang)
		}
	}
	return code
}

// ProcessAncestors returns the parent, grandparent… of process code, nearest
// first.
func ProcessAncestors(code string) []string {
	var out []string
	for {
		p, ok := ProcessByCode(code)
		if !ok || p.Parent == "" {
			return out
		}
		out = append(out, p.Parent)
		code = p.Parent
	}
}

// ProcessCovers reports whether a supplier offering process offered meets a
// demand for process wanted, by the rules documented on Process: the same
// process, a descendant of it, or a process under the same bundle.
func ProcessCovers(offered, wanted string) bool {
	if offered == wanted {
		return true
	}
	if isAncestor(wanted, offered) {
		return true
	}
	// The nearest bundle at or above wanted, if any, covers its whole subtree.
	b := ""
	if p, ok := ProcessByCode(wanted); ok && p.Bundle {
		b = wanted
	} else {
		for _, a := range ProcessAncestors(wanted) {
			if p, ok := ProcessByCode(a); ok && p.Bundle {
				b = a
				break
			}
		}
	}
	return b != "" && (offered == b || isAncestor(b, offered))
}

// isAncestor reports whether a is a proper ancestor of code.
func isAncestor(a, code string) bool {
	for _, x := range ProcessAncestors(code) {
		if x == a {
			return true
		}
	}
	return false
}

// MaterialCovers reports whether a supplier working material offered meets a
// demand for material wanted: the same material, or a grade of the family a
// demand names generically (SUS304 meets "inox"). A generic entry does not
// meet a demand for a grade.
func MaterialCovers(offered, wanted string) bool {
	if offered == wanted {
		return true
	}
	w, ok := MaterialByCode(wanted)
	if !ok || w.Code != w.Family {
		return false
	}
	o, ok := MaterialByCode(offered)
	return ok && o.Family == w.Family
}

// MaterialFamily returns the code of the generic entry of material code's
// family, "" when the family has none or code is unknown or generic itself.
func MaterialFamily(code string) string {
	m, ok := MaterialByCode(code)
	if !ok || m.Code == m.Family {
		return ""
	}
	if _, ok := MaterialByCode(m.Family); ok {
		return m.Family
	}
	return ""
}

// vocabRecord is one record of a vocabulary file: its columns and the aliases
// of its indented continuation lines.
type vocabRecord struct {
	line    int
	cols    []string
	aliases []Alias
}

// readVocab parses a vocabulary file into records with cols columns each.
// Records starting with "+" (compounds) have two columns. Every record of a
// file of terms (aliased) must have aliases.
func readVocab(name string, cols int, aliased bool) ([]vocabRecord, error) {
	data, err := vocabFiles.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	var recs []vocabRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \r")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case line[0] == '\t' || line[0] == ' ':
			if len(recs) == 0 {
				return nil, fmt.Errorf("%s:%d: aliases before any record", name, n)
			}
			r := &recs[len(recs)-1]
			for _, a := range strings.Split(line, "|") {
				al, err := parseAlias(a)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", name, n, err)
				}
				if !hasAlias(r.aliases, al.Text) {
					r.aliases = append(r.aliases, al)
				}
			}
		default:
			f := strings.Split(line, "\t")
			want := cols
			if f[0] == "+" {
				want = 2
			}
			if len(f) != want {
				return nil, fmt.Errorf("%s:%d: %d columns, want %d", name, n, len(f), want)
			}
			for i, c := range f {
				f[i] = strings.TrimSpace(c)
				if f[i] == "" {
					return nil, fmt.Errorf("%s:%d: empty column %d (write - for none)", name, n, i+1)
				}
				if f[i] == "-" {
					f[i] = ""
				}
			}
			recs = append(recs, vocabRecord{line: n, cols: f})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	for _, r := range recs {
		if aliased && len(r.aliases) == 0 {
			return nil, fmt.Errorf("%s:%d: %s has no aliases", name, r.line, r.cols[0])
		}
	}
	return recs, nil
}

func hasAlias(as []Alias, text string) bool {
	for _, a := range as {
		if a.Text == text {
			return true
		}
	}
	return false
}

// parseAlias reads the hint prefixes of one alias.
func parseAlias(s string) (Alias, error) {
	s = strings.TrimSpace(s)
	var a Alias
	for len(s) > 0 {
		switch s[0] {
		case '~':
			a.Hint |= HintWeak
		case '!':
			a.Hint |= HintContext
		case '=':
			a.Hint |= HintCase
		case '?':
			a.Hint |= HintShared
		default:
			a.Text = s
			return a, nil
		}
		s = s[1:]
	}
	return a, fmt.Errorf("empty alias")
}

func loadVocab() (*vocabTables, error) {
	v := &vocabTables{
		sectorIdx: map[string]int{}, processIdx: map[string]int{}, materialIdx: map[string]int{},
		certIdx: map[string]int{}, equipmentIdx: map[string]int{},
	}
	index := func(idx map[string]int, code, file string, line, i int) error {
		if code != strings.ToLower(code) || strings.ContainsAny(code, " -+") {
			return fmt.Errorf("%s:%d: code %q must be lower-case snake_case", file, line, code)
		}
		if _, dup := idx[code]; dup {
			return fmt.Errorf("%s:%d: duplicate code %q", file, line, code)
		}
		idx[code] = i
		return nil
	}

	recs, err := readVocab("sectors.tsv", 3, false)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := index(v.sectorIdx, r.cols[0], "sectors.tsv", r.line, len(v.sectors)); err != nil {
			return nil, err
		}
		v.sectors = append(v.sectors, Sector{Code: r.cols[0], VI: r.cols[1], EN: r.cols[2]})
	}

	if recs, err = readVocab("equipment.tsv", 5, true); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := index(v.equipmentIdx, r.cols[0], "equipment.tsv", r.line, len(v.equipment)); err != nil {
			return nil, err
		}
		v.equipment = append(v.equipment, EquipmentKind{Code: r.cols[0], Unit: r.cols[1], Process: r.cols[2],
			VI: r.cols[3], EN: r.cols[4], Aliases: r.aliases})
	}

	if recs, err = readVocab("processes.tsv", 7, true); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if r.cols[0] == "+" {
			v.compounds = append(v.compounds, Compound{Codes: strings.Fields(r.cols[1]), Aliases: r.aliases})
			continue
		}
		if err := index(v.processIdx, r.cols[0], "processes.tsv", r.line, len(v.processes)); err != nil {
			return nil, err
		}
		var bundle bool
		switch r.cols[4] {
		case "":
		case "bundle":
			bundle = true
		default:
			return nil, fmt.Errorf("processes.tsv:%d: unknown flag %q", r.line, r.cols[4])
		}
		v.processes = append(v.processes, Process{Code: r.cols[0], Sector: r.cols[1], Parent: r.cols[2],
			Equipment: r.cols[3], Bundle: bundle, VI: r.cols[5], EN: r.cols[6], Aliases: r.aliases})
	}

	if recs, err = readVocab("materials.tsv", 5, true); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := index(v.materialIdx, r.cols[0], "materials.tsv", r.line, len(v.materials)); err != nil {
			return nil, err
		}
		v.materials = append(v.materials, Material{Code: r.cols[0], Family: r.cols[1], Sector: r.cols[2],
			VI: r.cols[3], EN: r.cols[4], Aliases: r.aliases})
	}

	if recs, err = readVocab("certifications.tsv", 4, true); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := index(v.certIdx, r.cols[0], "certifications.tsv", r.line, len(v.certifications)); err != nil {
			return nil, err
		}
		v.certifications = append(v.certifications, Certification{Code: r.cols[0], Name: r.cols[1],
			VI: r.cols[2], EN: r.cols[3], Aliases: r.aliases})
	}
	return v, v.check()
}

// check verifies that every reference between the tables resolves and that
// the process tree has no cycle.
func (v *vocabTables) check() error {
	for _, p := range v.processes {
		if _, ok := v.sectorIdx[p.Sector]; !ok {
			return fmt.Errorf("process %s: unknown sector %q", p.Code, p.Sector)
		}
		if _, ok := v.processIdx[p.Parent]; p.Parent != "" && !ok {
			return fmt.Errorf("process %s: unknown parent %q", p.Code, p.Parent)
		}
		if _, ok := v.equipmentIdx[p.Equipment]; p.Equipment != "" && !ok {
			return fmt.Errorf("process %s: unknown equipment %q", p.Code, p.Equipment)
		}
		seen := map[string]bool{p.Code: true}
		for c := p.Parent; c != ""; c = v.processes[v.processIdx[c]].Parent {
			if seen[c] {
				return fmt.Errorf("process %s: parent cycle through %s", p.Code, c)
			}
			seen[c] = true
		}
	}
	for _, c := range v.compounds {
		if len(c.Codes) < 2 {
			return fmt.Errorf("compound %v: needs two processes or more", c.Codes)
		}
		for _, code := range c.Codes {
			if _, ok := v.processIdx[code]; !ok {
				return fmt.Errorf("compound %v: unknown process %q", c.Codes, code)
			}
		}
	}
	for _, e := range v.equipment {
		if _, ok := v.processIdx[e.Process]; e.Process != "" && !ok {
			return fmt.Errorf("equipment %s: unknown process %q", e.Code, e.Process)
		}
		switch e.Unit {
		case "", "t", "kW", "axis", "mm", "kg", "head":
		default:
			return fmt.Errorf("equipment %s: unknown unit %q", e.Code, e.Unit)
		}
	}
	for _, m := range v.materials {
		if _, ok := v.sectorIdx[m.Sector]; !ok {
			return fmt.Errorf("material %s: unknown sector %q", m.Code, m.Sector)
		}
	}
	return nil
}
