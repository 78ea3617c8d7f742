package match

import (
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// PrepareDemand readies a demand for storage, the same way for every path
// that writes one (import, form, API): it validates the fields a person
// entered, places the delivery province on the 2025 map and reads the
// requirements.
//
// Each requirement — processes, materials, certifications, minimum capacity
// — is read from its own column when that column is given, and otherwise
// from the title, English title and description, one requirement at a time:
// a filled certifications column does not stop the processes and the press
// size being read from "Vỏ pin máy khoan, nhựa PC/ABS, máy ép ≥ 350 tấn".
// A column in which nothing is recognized counts as not given (a warning
// says so), because a demand whose required processes are lost would match
// nothing. Requirements read from the text are named in d.Inferred, for the
// buyer to check. The texts are the source of truth: the structured lists
// are recomputed every time, so a buyer corrects an inference by filling in
// the column.
//
// Problems that make the demand invalid come back as an ErrInvalid error;
// warnings do not stop it being stored.
func PrepareDemand(d *sihub.Demand) (warnings sihub.Problems, err error) {
	var p sihub.Problems
	if err := d.Validate(); err != nil {
		p = append(p, sihub.FieldsOf(err)...)
	}
	d.DeliveryProvince = ""
	if strings.TrimSpace(d.ProvinceInput) != "" {
		if code, ok := ResolveProvince(d.ProvinceInput); ok {
			d.DeliveryProvince = code
		} else {
			p.Add("delivery_province", sihub.M("Không nhận ra tỉnh/thành phố %q.", "Province %q is not recognized.", d.ProvinceInput))
		}
	}

	// The free text is read once, and only if some requirement needs it.
	var text []Match
	textRead := false
	fromText := func() []Match {
		if !textRead {
			text = Recognize(joinNonEmpty(". ", d.Title, d.TitleEn, d.Description))
			textRead = true
		}
		return text
	}
	d.Inferred = d.Inferred[:0:0]
	// column returns the matches of a requirement column, falling back to
	// the free text when the column is empty or yields nothing of kind.
	column := func(req, field, col string, kind taxonomy.TermKind) []Match {
		if strings.TrimSpace(col) != "" {
			ms := Recognize(col)
			warnUnrecognized(&warnings, field, col, ms, kind)
			if ofKind(ms, kind) {
				return ms
			}
		}
		ms := fromText()
		if ofKind(ms, kind) {
			d.Inferred = append(d.Inferred, req)
		}
		return ms
	}

	d.Processes = mostSpecificProcesses(codesOf(column(sihub.ReqProcesses, "processes", d.ProcessesText, taxonomy.KindProcess), taxonomy.KindProcess))
	d.Materials = mostSpecificMaterials(codesOf(column(sihub.ReqMaterials, "materials", d.MaterialsText, taxonomy.KindMaterial), taxonomy.KindMaterial))
	d.Certifications = codesOf(column(sihub.ReqCertifications, "certifications", d.CertificationsText, taxonomy.KindCertification), taxonomy.KindCertification)

	d.MinCapacity = nil
	if strings.TrimSpace(d.MinCapacityText) != "" {
		d.MinCapacity = capacityFromColumn(d.MinCapacityText, d.Processes, fromText())
		if d.MinCapacity == nil {
			warnings.Add("min_capacity", sihub.M("Không đọc được năng lực tối thiểu %q (ví dụ: \"máy ép nhựa 450 tấn\").",
				"Could not read the minimum capacity %q (for example \"injection press 450 t\").", d.MinCapacityText))
		}
	}
	if d.MinCapacity == nil {
		if d.MinCapacity = capacityFromText(fromText(), d.Processes); d.MinCapacity != nil {
			d.Inferred = append(d.Inferred, sihub.ReqMinCapacity)
		}
	}
	// A machine size says which process is wanted: "pad printing of the
	// logo; a press of at least 350 t" asks for a moulder who also prints.
	if d.MinCapacity != nil {
		if k, ok := taxonomy.EquipmentByCode(d.MinCapacity.Equipment); ok && k.Process != "" && !processWants(d.Processes, k.Process) {
			d.Processes = append(d.Processes, k.Process)
			if !d.IsInferred(sihub.ReqProcesses) {
				d.Inferred = append(d.Inferred, sihub.ReqProcesses)
			}
		}
	}
	if len(d.Processes) == 0 {
		warnings.Add("processes", sihub.M("Chưa nhận ra công nghệ yêu cầu nào; nhu cầu sẽ không được ghép với nhà cung cấp.",
			"No required process was recognized; the demand will not be matched with suppliers."))
	}
	if err := d.Validate(); err != nil {
		// The lists may have grown past their limits.
		for _, f := range sihub.FieldsOf(err) {
			if _, dup := p.For(f.Field); !dup {
				p = append(p, f)
			}
		}
	}
	return warnings, p.Err()
}

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, s := range parts {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	return b.String()
}

func ofKind(ms []Match, kind taxonomy.TermKind) bool {
	for _, m := range ms {
		if m.Kind == kind {
			return true
		}
	}
	return false
}

// codesOf returns the distinct codes of kind in ms, in text order.
func codesOf(ms []Match, kind taxonomy.TermKind) []string {
	out := []string{}
	for _, m := range ms {
		if m.Kind == kind && !slices.Contains(out, m.Code) {
			out = append(out, m.Code)
		}
	}
	return out
}

// warnUnrecognized reports the items of a requirement column (separated by
// ";", "," or new lines) in which nothing of kind was recognized.
func warnUnrecognized(w *sihub.Problems, field, col string, ms []Match, kind taxonomy.TermKind) {
	pos := 0
	for _, item := range strings.FieldsFunc(col, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		start := pos + strings.Index(col[pos:], item)
		end := start + len(item)
		pos = end
		if strings.TrimSpace(item) == "" {
			continue
		}
		found := false
		for _, m := range ms {
			if m.Kind == kind && m.Start < end && m.End > start {
				found = true
				break
			}
		}
		// A bare year or revision after a comma ("ISO 9001, 2015") is not an item.
		if !found && strings.Trim(item, " 0123456789.:-/") != "" {
			w.Add(field, sihub.M("Không nhận ra %q trong danh mục.", "%q is not recognized in the taxonomy.", strings.TrimSpace(item)))
		}
	}
}

// mostSpecificProcesses drops a process when a descendant of it is also
// required: "nhôm đúc … đúc nhôm áp lực" asks for die casting, and a die
// caster meets the casting requirement anyway.
func mostSpecificProcesses(codes []string) []string {
	out := codes[:0:0]
	for _, c := range codes {
		redundant := false
		for _, o := range codes {
			if o != c && slices.Contains(taxonomy.ProcessAncestors(o), c) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, c)
		}
	}
	return out
}

// mostSpecificMaterials drops a family's generic entry when a grade of the
// family is named too ("nhựa … ABS" wants ABS).
func mostSpecificMaterials(codes []string) []string {
	out := codes[:0:0]
	for _, c := range codes {
		redundant := false
		for _, o := range codes {
			if o != c && taxonomy.MaterialFamily(o) == c {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, c)
		}
	}
	return out
}

// capacityFromColumn reads a min_capacity column: a machine with its
// capacity ("máy ép 450 tấn") or a figure alone ("450T"), whose machine is
// then the one named in the text or the one the required processes use.
func capacityFromColumn(col string, processes []string, text []Match) *sihub.CapacityReq {
	if c := capacityFromText(Recognize(col), processes); c != nil {
		return c
	}
	lo, hi, unit, ok := ParseCapacity(col)
	v := lo
	if v <= 0 {
		v = hi
	}
	if !ok || v <= 0 {
		return nil
	}
	// A machine named in the text without a figure, or with another one.
	for _, m := range text {
		if m.Kind != taxonomy.KindEquipment {
			continue
		}
		for _, k := range candidatesOf(m) {
			if e, ok := taxonomy.EquipmentByCode(k); ok && e.Unit != "" && (unit == "" || e.Unit == unit) && processWants(processes, e.Process) {
				return &sihub.CapacityReq{Equipment: k, Min: v, Unit: e.Unit}
			}
		}
	}
	if k := machineFor(processes, unit); k != "" {
		e, _ := taxonomy.EquipmentByCode(k)
		return &sihub.CapacityReq{Equipment: k, Min: v, Unit: e.Unit}
	}
	return nil
}

// capacityFromText finds the first machine named with a capacity, or a
// capacity alone that one of the required processes' machines is measured
// in. For a demand any figure is a floor: "máy ép 350 tấn" asks for at least
// 350 t, and of a range "200-350 tấn" the lower end.
func capacityFromText(ms []Match, processes []string) *sihub.CapacityReq {
	var fallback *sihub.CapacityReq
	for _, m := range ms {
		v := m.Min
		if v <= 0 {
			v = m.Max
		}
		if v <= 0 {
			continue
		}
		switch m.Kind {
		case taxonomy.KindEquipment:
			for i, k := range candidatesOf(m) {
				e, ok := taxonomy.EquipmentByCode(k)
				if !ok || e.Unit == "" || (m.Unit != "" && m.Unit != e.Unit) {
					continue
				}
				req := &sihub.CapacityReq{Equipment: k, Min: v, Unit: e.Unit}
				// The recognizer settled the machine on the text alone; the
				// required processes (perhaps from a column) settle it better.
				if processWants(processes, e.Process) {
					return req
				}
				if i == 0 && fallback == nil {
					fallback = req
				}
			}
		case KindCapacity:
			if k := machineFor(processes, m.Unit); k != "" {
				e, _ := taxonomy.EquipmentByCode(k)
				return &sihub.CapacityReq{Equipment: k, Min: v, Unit: e.Unit}
			}
		}
	}
	return fallback
}

func candidatesOf(m Match) []string {
	if len(m.Alts) > 0 {
		return m.Alts
	}
	return []string{m.Code}
}

// processWants reports whether process p is required or covers a required
// process.
func processWants(processes []string, p string) bool {
	for _, w := range processes {
		if p != "" && (taxonomy.ProcessCovers(p, w) || taxonomy.ProcessCovers(w, p)) {
			return true
		}
	}
	return false
}

// machineFor returns the machine kind measured in unit ("" = any) that one
// of processes (or an ancestor of it) uses, when exactly one such kind.
func machineFor(processes []string, unit string) string {
	found := ""
	for _, w := range processes {
		for _, code := range append([]string{w}, taxonomy.ProcessAncestors(w)...) {
			p, ok := taxonomy.ProcessByCode(code)
			if !ok || p.Equipment == "" {
				continue
			}
			e, ok := taxonomy.EquipmentByCode(p.Equipment)
			if !ok || e.Unit == "" || (unit != "" && e.Unit != unit) {
				continue
			}
			if found != "" && found != e.Code {
				return ""
			}
			found = e.Code
			break
		}
	}
	return found
}
