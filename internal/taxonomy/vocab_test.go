package taxonomy

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestVocabLoads(t *testing.T) {
	v, err := loadVocab()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		n    int
		min  int
	}{
		{"sectors", len(v.sectors), 7},
		{"processes", len(v.processes), 60},
		{"materials", len(v.materials), 40},
		{"certifications", len(v.certifications), 25},
		{"equipment kinds", len(v.equipment), 15},
	} {
		if c.n < c.min {
			t.Errorf("%d %s, want at least %d", c.n, c.what, c.min)
		}
	}
	if len(Processes()) != len(v.processes) {
		t.Error("Processes() does not return the loaded table")
	}
}

// Every file names its sources in its header.
func TestVocabHeaders(t *testing.T) {
	for _, f := range []string{"sectors.tsv", "processes.tsv", "materials.tsv", "certifications.tsv", "equipment.tsv"} {
		b, err := vocabFiles.ReadFile("data/" + f)
		if err != nil {
			t.Fatal(err)
		}
		head := string(b[:min(len(b), 400)])
		if !strings.HasPrefix(head, "#") || !strings.Contains(head, "Source") {
			t.Errorf("%s: the header must be a # comment naming the sources", f)
		}
	}
}

func TestReferences(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Processes() {
		if p.Parent != "" && !seen[p.Parent] {
			t.Errorf("process %s is listed before its parent %s", p.Code, p.Parent)
		}
		seen[p.Code] = true
		if _, ok := SectorByCode(p.Sector); !ok {
			t.Errorf("process %s: unknown sector %q", p.Code, p.Sector)
		}
		if e, ok := EquipmentByCode(p.Equipment); p.Equipment != "" && !ok {
			t.Errorf("process %s: unknown equipment %q", p.Code, p.Equipment)
		} else if ok && e.Process == "" {
			t.Errorf("process %s uses %s, which names no process", p.Code, e.Code)
		}
		if p.VI == "" || p.EN == "" || len(p.Aliases) < 2 {
			t.Errorf("process %s: needs both labels and aliases", p.Code)
		}
	}
	for _, c := range Compounds() {
		for _, code := range c.Codes {
			if _, ok := ProcessByCode(code); !ok {
				t.Errorf("compound %v: unknown process %q", c.Codes, code)
			}
		}
	}
	for _, e := range EquipmentKinds() {
		if _, ok := ProcessByCode(e.Process); e.Process != "" && !ok {
			t.Errorf("equipment %s: unknown process %q", e.Code, e.Process)
		}
	}
	for _, m := range Materials() {
		if _, ok := SectorByCode(m.Sector); !ok {
			t.Errorf("material %s: unknown sector %q", m.Code, m.Sector)
		}
	}
	// Every sector the brief names has processes.
	for _, s := range []string{"mechanical", "rubber_plastic", "electronics", "food", "textile", "leather_footwear", "automotive"} {
		n := 0
		for _, p := range Processes() {
			if p.Sector == s {
				n++
			}
		}
		if n == 0 {
			t.Errorf("sector %s has no process", s)
		}
	}
}

func TestRequiredTerms(t *testing.T) {
	for _, code := range []string{
		"injection_molding", "mold_making", "stamping", "deep_drawing", "cnc_turning", "cnc_milling", "cnc_machining",
		"machining", "die_casting", "sand_casting", "investment_casting", "gravity_casting", "forging", "sheet_metal",
		"laser_cutting", "bending", "welding", "electroplating", "powder_coating", "painting", "anodizing",
		"heat_treatment", "grinding", "pcba", "pcb_fabrication", "wire_harness", "coil_winding", "rubber_molding",
		"plastic_extrusion", "aluminium_extrusion", "blow_molding", "thermoforming", "corrugated_packaging",
		"printing", "screen_printing", "printing_3d", "cut_and_sew", "knitting", "weaving", "dyeing", "leather_cutting",
		"sole_molding", "freezing", "canning", "drying", "assembly", "electrical_assembly", "spring_making",
		"fastener_making", "edm", "tube_bending", "pipe_fabrication", "hot_dip_galvanizing", "polishing",
		"metal_spinning", "plastic_welding", "label_printing",
	} {
		if _, ok := ProcessByCode(code); !ok {
			t.Errorf("process %s is missing", code)
		}
	}
	for _, code := range []string{
		"spcc", "sphc", "secc", "sgcc", "s45c", "scm420", "scm440", "skd11", "skd61", "nak80", "s136", "p20",
		"sus304", "sus316", "sus430", "a5052", "a6061", "a7075", "adc12", "ac4c", "c3604", "c1100", "pp", "pe",
		"hdpe", "pvc", "abs", "pc", "pc_abs", "pa6", "pa66", "pa66_gf30", "pom", "pmma", "pbt", "tpe", "tpu", "epdm",
		"nbr", "silicone", "fr4", "kraft_paper", "cotton", "polyester", "leather",
	} {
		if _, ok := MaterialByCode(code); !ok {
			t.Errorf("material %s is missing", code)
		}
	}
	for _, code := range []string{
		"iso9001", "iso14001", "iso45001", "iatf16949", "iso13485", "iso22000", "fssc22000", "haccp", "brcgs",
		"iso50001", "iso27001", "iso17025", "as9100", "ul", "ce", "rohs", "reach", "sa8000", "bsci", "wrap", "gmp",
		"sedex", "lwg", "oekotex", "grs",
	} {
		if _, ok := CertificationByCode(code); !ok {
			t.Errorf("certification %s is missing", code)
		}
	}
	for code, unit := range map[string]string{
		"injection_press": "t", "stamping_press": "t", "die_casting_machine": "t", "cnc_lathe": "mm",
		"cnc_machining_center": "axis", "laser_cutter": "kW", "press_brake": "t", "forging_press": "t",
		"smt_line": "", "extruder": "mm", "rubber_press": "t",
	} {
		if e, ok := EquipmentByCode(code); !ok || e.Unit != unit {
			t.Errorf("equipment %s: %+v, want unit %q", code, e, unit)
		}
	}
	if p, _ := ProcessByCode("injection_molding"); p.Equipment != "injection_press" {
		t.Errorf("injection_molding is qualified by %q, want injection_press", p.Equipment)
	}
}

// foldKey folds an alias the way the recognizer compares text without
// diacritics: lower case, marks dropped, đ → d, words of letters or digits.
func foldKey(s string) string {
	var b strings.Builder
	prev := 0 // 1 letter, 2 digit
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == 'đ' || r == 'Đ' {
			r = 'd'
		}
		r = unicode.ToLower(r)
		cls := 0
		switch {
		case r >= '0' && r <= '9':
			cls = 2
		case unicode.IsLetter(r):
			cls = 1
		}
		if cls != prev && prev != 0 {
			b.WriteByte(' ')
		}
		if cls != 0 {
			b.WriteRune(r)
		}
		prev = cls
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// No alias folds to two codes of the same kind unless every one of them is
// marked shared ("?"): a word without diacritics must not silently mean two
// things.
func TestNoFoldedAliasCollisions(t *testing.T) {
	type use struct {
		code   string
		shared bool
	}
	check := func(kind string, terms map[string][]Alias) {
		byKey := map[string][]use{}
		for code, aliases := range terms {
			for _, a := range aliases {
				k := foldKey(a.Text)
				if a.Hint&HintCase != 0 {
					k = "=" + a.Text
				}
				if k == "" {
					t.Errorf("%s %s: alias %q has no word", kind, code, a.Text)
				}
				byKey[k] = append(byKey[k], use{code, a.Hint&HintShared != 0})
			}
		}
		for k, uses := range byKey {
			codes := map[string]bool{}
			allShared := true
			for _, u := range uses {
				codes[u.code] = true
				allShared = allShared && u.shared
			}
			if len(codes) > 1 && !allShared {
				t.Errorf("%s alias %q means %v; mark it ? in each or keep one", kind, k, uses)
			}
		}
	}
	procs := map[string][]Alias{}
	for _, p := range Processes() {
		procs[p.Code] = p.Aliases
	}
	for _, c := range Compounds() {
		procs["+"+strings.Join(c.Codes, "+")] = c.Aliases
	}
	check("process", procs)
	mats := map[string][]Alias{}
	for _, m := range Materials() {
		mats[m.Code] = m.Aliases
	}
	check("material", mats)
	certs := map[string][]Alias{}
	for _, c := range Certifications() {
		certs[c.Code] = c.Aliases
	}
	check("certification", certs)
	eqs := map[string][]Alias{}
	for _, e := range EquipmentKinds() {
		eqs[e.Code] = e.Aliases
	}
	check("equipment", eqs)
}

// A shared alias is shared: marking one that only one code uses hides a typo.
func TestSharedAliasesAreShared(t *testing.T) {
	count := map[string]int{}
	var shared []string
	add := func(as []Alias) {
		for _, a := range as {
			count[foldKey(a.Text)]++
			if a.Hint&HintShared != 0 {
				shared = append(shared, foldKey(a.Text))
			}
		}
	}
	for _, p := range Processes() {
		add(p.Aliases)
	}
	for _, e := range EquipmentKinds() {
		add(e.Aliases)
	}
	for _, k := range shared {
		if count[k] < 2 {
			t.Errorf("alias %q is marked shared but only one code uses it", k)
		}
	}
}

func TestProcessCovers(t *testing.T) {
	for _, c := range []struct {
		offered, wanted string
		want            bool
	}{
		{"cnc_milling", "cnc_milling", true},
		{"cnc_milling", "cnc_machining", true}, // a demand for CNC machining is met by a CNC miller
		{"cnc_milling", "machining", true},
		{"cnc_machining", "cnc_turning", true}, // "gia công CNC" is a bundle
		{"cnc_turning", "cnc_milling", true},
		{"laser_cutting", "bending", true}, // a sheet-metal shop cuts and bends
		{"sheet_metal", "laser_cutting", true},
		{"grinding", "cnc_turning", false},
		{"machining", "cnc_turning", false}, // machining is not a bundle
		{"die_casting", "casting", true},
		{"casting", "die_casting", false},
		{"plastic_processing", "blow_molding", false},
		{"injection_molding", "blow_molding", false},
		{"powder_coating", "painting", true},
		{"painting", "powder_coating", true},
		{"stamping", "bending", false},
		{"unknown", "stamping", false},
	} {
		if got := ProcessCovers(c.offered, c.wanted); got != c.want {
			t.Errorf("ProcessCovers(%s, %s) = %v, want %v", c.offered, c.wanted, got, c.want)
		}
	}
	if got := ProcessAncestors("cnc_turning"); !slices.Equal(got, []string{"cnc_machining", "machining"}) {
		t.Errorf("ProcessAncestors(cnc_turning) = %v", got)
	}
}

func TestMaterialCovers(t *testing.T) {
	for _, c := range []struct {
		offered, wanted string
		want            bool
	}{
		{"sus304", "sus304", true},
		{"sus304", "stainless", true},
		{"stainless", "sus304", false},
		{"a6061", "aluminium", true},
		{"adc12", "aluminium", true},
		{"pp", "plastic", true},
		{"pp", "pe", false},
		{"c3604", "brass", true},
		{"c3604", "copper", false},
		{"sus304", "steel", false},
	} {
		if got := MaterialCovers(c.offered, c.wanted); got != c.want {
			t.Errorf("MaterialCovers(%s, %s) = %v, want %v", c.offered, c.wanted, got, c.want)
		}
	}
	if f := MaterialFamily("pa66_gf30"); f != "plastic" {
		t.Errorf("MaterialFamily(pa66_gf30) = %q", f)
	}
	if f := MaterialFamily("plastic"); f != "" {
		t.Errorf("MaterialFamily(plastic) = %q, want none", f)
	}
}

func TestLabels(t *testing.T) {
	for _, c := range []struct {
		kind TermKind
		code string
		lang sihub.Lang
		want string
	}{
		{KindProcess, "injection_molding", sihub.VI, "Ép phun nhựa"},
		{KindProcess, "injection_molding", sihub.EN, "Plastic injection molding"},
		{KindMaterial, "sus304", sihub.VI, "Inox 304"},
		{KindCertification, "iatf16949", sihub.EN, "IATF 16949"},
		{KindEquipment, "injection_press", sihub.VI, "Máy ép nhựa"},
		{KindProcess, "no_such_process", sihub.EN, "no_such_process"},
	} {
		if got := TermLabel(c.kind, c.code, c.lang); got != c.want {
			t.Errorf("TermLabel(%s, %s, %s) = %q, want %q", c.kind, c.code, c.lang, got, c.want)
		}
	}
	c, _ := CertificationByCode("iso9001")
	if c.Title(sihub.VI) != "Hệ thống quản lý chất lượng" || c.Title(sihub.EN) != "Quality management systems" {
		t.Errorf("iso9001 titles: %q / %q", c.Title(sihub.VI), c.Title(sihub.EN))
	}
	s, _ := SectorByCode("rubber_plastic")
	if s.Label(sihub.VI) != "Cao su – nhựa" {
		t.Errorf("sector label %q", s.Label(sihub.VI))
	}
}

func TestParseAlias(t *testing.T) {
	for _, c := range []struct {
		in   string
		text string
		hint Hint
		err  bool
	}{
		{"ép nhựa", "ép nhựa", 0, false},
		{" ~rèn ", "rèn", HintWeak, false},
		{"!đồng", "đồng", HintContext, false},
		{"=CE", "CE", HintCase, false},
		{"?~đùn", "đùn", HintShared | HintWeak, false},
		{"~", "", 0, true},
	} {
		a, err := parseAlias(c.in)
		if (err != nil) != c.err || (!c.err && (a.Text != c.text || a.Hint != c.hint)) {
			t.Errorf("parseAlias(%q) = %+v, %v", c.in, a, err)
		}
	}
}
