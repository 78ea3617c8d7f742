package match

import (
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// codes returns the codes of kind recognized in text, in text order, once
// each.
func codes(text string, kind taxonomy.TermKind) []string {
	var out []string
	for _, m := range Recognize(text) {
		if m.Kind == kind && !slices.Contains(out, m.Code) {
			out = append(out, m.Code)
		}
	}
	return out
}

func TestRecognizeProcesses(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		// Vietnamese with diacritics.
		{"Chuyên ép nhựa, làm khuôn", []string{"injection_molding", "mold_making"}},
		{"phun ép nhựa kỹ thuật", []string{"injection_molding"}},
		{"đúc nhựa PP", []string{"injection_molding"}},
		{"chế tạo khuôn mẫu chính xác", []string{"mold_making"}},
		{"dập kim loại tấm, dập nguội", []string{"stamping"}},
		{"dập vuốt sâu vỏ inox", []string{"deep_drawing"}},
		{"tiện CNC, phay CNC", []string{"cnc_turning", "cnc_milling"}},
		{"tiện phay CNC", []string{"cnc_turning", "cnc_milling"}},
		{"gia công cơ khí chính xác", []string{"cnc_machining"}},
		{"đúc áp lực nhôm", []string{"die_casting"}},
		{"đúc nhôm áp lực", []string{"die_casting"}},
		{"đúc mẫu chảy inox", []string{"investment_casting"}},
		{"đúc khuôn cát gang xám", []string{"sand_casting"}},
		{"rèn dập nóng", []string{"forging"}},
		{"gia công kim loại tấm, cắt laser, chấn gấp tôn", []string{"sheet_metal", "laser_cutting", "bending"}},
		{"hàn MIG/TIG, hàn robot", []string{"welding"}},
		{"xi mạ kẽm, mạ niken, mạ crôm", []string{"electroplating"}},
		{"mạ kẽm nhúng nóng", []string{"hot_dip_galvanizing"}},
		{"sơn tĩnh điện", []string{"powder_coating"}},
		{"anod hóa nhôm", []string{"anodizing"}},
		{"anốt hoá", []string{"anodizing"}}, // old-style tone placement
		{"nhiệt luyện, tôi ram, thấm cacbon", []string{"heat_treatment"}},
		{"mài phẳng, mài tròn", []string{"grinding"}},
		{"cắt dây EDM, xung điện", []string{"edm"}},
		{"lắp ráp bo mạch, hàn SMT", []string{"pcba"}},
		{"dán linh kiện SMT", []string{"pcba"}},
		{"sản xuất mạch in nhiều lớp", []string{"pcb_fabrication"}},
		{"bó dây điện ô tô", []string{"wire_harness"}},
		{"quấn mô tơ, quấn biến áp", []string{"coil_winding"}},
		{"ép cao su, lưu hóa", []string{"rubber_molding"}},
		{"đùn nhựa", []string{"plastic_extrusion"}},
		{"đùn nhôm định hình", []string{"aluminium_extrusion"}},
		{"thổi chai PET", []string{"blow_molding"}},
		{"hút chân không, định hình nhiệt", []string{"thermoforming"}},
		{"thùng carton 5 lớp", []string{"corrugated_packaging"}},
		{"in offset, in lụa", []string{"printing", "screen_printing"}},
		{"in 3D kim loại", []string{"printing_3d"}},
		{"cắt may, thêu vi tính", []string{"cut_and_sew", "embroidery"}},
		{"dệt kim tròn", []string{"knitting"}},
		{"chặt da, ép đế giày", []string{"leather_cutting", "sole_molding"}},
		{"chế biến thủy sản đông lạnh", []string{"freezing"}},
		{"sấy thăng hoa trái cây", []string{"drying"}},
		{"sản xuất lò xo nén", []string{"spring_making"}},
		{"bu lông ốc vít", []string{"fastener_making"}},
		{"uốn ống inox", []string{"tube_bending"}},
		{"đánh bóng inox", []string{"polishing"}},
		{"miết nhôm", []string{"metal_spinning"}},
		{"hàn siêu âm", []string{"plastic_welding"}},
		{"in tem nhãn decal", []string{"label_printing"}},
		{"lắp ráp ô tô", []string{"vehicle_assembly"}},
		// Vietnamese without diacritics.
		{"ep nhua, lam khuon", []string{"injection_molding", "mold_making"}},
		{"phun ep nhua", []string{"injection_molding"}},
		{"che tao khuon mau", []string{"mold_making"}},
		{"dap kim loai; dot dap", []string{"stamping"}},
		{"tien phay CNC", []string{"cnc_turning", "cnc_milling"}},
		{"gia cong co khi chinh xac", []string{"cnc_machining"}},
		{"duc ap luc", []string{"die_casting"}},
		{"duc nhom", []string{"casting"}},
		{"ren dap nong", []string{"forging"}},
		{"chan gap ton; cat laser", []string{"bending", "laser_cutting"}},
		{"son tinh dien", []string{"powder_coating"}},
		{"xi ma; ma kem", []string{"electroplating"}},
		{"nhiet luyen", []string{"heat_treatment"}},
		{"lap rap bo mach", []string{"pcba"}},
		{"quan cuon day", []string{"coil_winding"}},
		{"dun nhua", []string{"plastic_extrusion"}},
		{"thoi nhua", []string{"blow_molding"}},
		{"bao bi carton", []string{"corrugated_packaging"}},
		{"cao su ky thuat", []string{"rubber_molding"}},
		{"Chuyen gia cong CNC, tien, phay", []string{"cnc_machining", "cnc_turning", "cnc_milling"}},
		// Short words as list items.
		{"ren; han; son; ma", []string{"forging", "welding", "painting", "electroplating"}},
		{"Chuyên hàn, sơn tĩnh điện", []string{"welding", "powder_coating"}},
		{"Chuyen tien, phay va mai", []string{"cnc_turning", "cnc_milling", "grinding"}},
		// English.
		{"plastic injection moulding and mould making", []string{"injection_molding", "mold_making"}},
		{"We specialize in die casting, CNC turning and milling", []string{"die_casting", "cnc_turning", "cnc_milling"}},
		{"precision machining, heat treatment", []string{"cnc_machining", "heat_treatment"}},
		{"metal stamping, deep drawing, zinc plating", []string{"stamping", "deep_drawing", "electroplating"}},
		{"sheet metal fabrication, CNC bending, robotic welding, powder coating",
			[]string{"sheet_metal", "bending", "welding", "powder_coating"}},
		{"PCB assembly (SMT, THT)", []string{"pcba"}},
		{"cable assembly, wiring harness", []string{"wire_harness"}},
		{"coil winding for transformers", []string{"coil_winding"}},
		{"rubber molding of EPDM gaskets", []string{"rubber_molding"}},
		{"blow moulding of HDPE bottles", []string{"blow_molding"}},
		{"aluminium extrusion and anodizing", []string{"aluminium_extrusion", "anodizing"}},
		{"investment casting (lost wax)", []string{"investment_casting"}},
		{"hot forging, cold forging", []string{"forging"}},
		{"corrugated boxes and offset printing", []string{"corrugated_packaging", "printing"}},
		{"cut and sew", []string{"cut_and_sew"}},
		{"cut and sew garments", []string{"cut_and_sew", "garment_manufacturing"}},
		{"frozen seafood, canned fruit", []string{"freezing", "canning"}},
		{"vacuum forming, thermoforming", []string{"thermoforming"}},
		{"wire EDM", []string{"edm"}},
		{"3D printing, rapid prototyping", []string{"printing_3d"}},
	} {
		if got := codes(c.text, taxonomy.KindProcess); !slices.Equal(got, c.want) {
			t.Errorf("%q: processes %v, want %v", c.text, got, c.want)
		}
	}
}

// Diacritics distinguish words; text without them is read by folding, with
// context settling what folds to several terms.
func TestRecognizeAmbiguity(t *testing.T) {
	for _, c := range []struct {
		text string
		kind taxonomy.TermKind
		want []string
	}{
		{"đúc nhôm", taxonomy.KindProcess, []string{"casting"}},
		{"đục lỗ", taxonomy.KindProcess, []string{"stamping"}}, // punching, not casting
		{"đục nhôm", taxonomy.KindProcess, nil},                // chiselling is no process
		{"đập phá", taxonomy.KindProcess, nil},                 // smashing is not stamping
		{"dập", taxonomy.KindProcess, []string{"stamping"}},
		{"đập", taxonomy.KindProcess, nil},
		{"rèn", taxonomy.KindProcess, []string{"forging"}},
		{"Sản phẩm: ốc vít, ren ống", taxonomy.KindProcess, []string{"fastener_making", "threading"}},
		{"Công ty Trường Sơn ký hợp đồng tại Đồng Nai, xuất khẩu Hàn Quốc", taxonomy.KindProcess, nil},
		{"Công ty Trường Sơn ký hợp đồng tại Đồng Nai", taxonomy.KindMaterial, nil},
		{"Cong ty Minh Duc dap ung moi yeu cau", taxonomy.KindProcess, nil},
		{"chúng tôi cam kết chất lượng", taxonomy.KindProcess, nil},
		{"phương tiện vận chuyển thuận tiện", taxonomy.KindProcess, nil},
		{"kiem tra thoi han hop dong", taxonomy.KindProcess, nil},
		{"ép nhựa épxyz", taxonomy.KindProcess, []string{"injection_molding"}},
		{"épxyz", taxonomy.KindProcess, nil},
		{"Vật liệu: thép, đồng, nhôm", taxonomy.KindMaterial, []string{"steel", "copper", "aluminium"}},
		{"tôi ram; ram", taxonomy.KindProcess, []string{"heat_treatment"}},
		{"16GB RAM", taxonomy.KindProcess, nil},
		// "đùn" is shared by plastic and aluminium extrusion: the rest decides.
		{"đùn, vật liệu PVC, HDPE", taxonomy.KindProcess, []string{"plastic_extrusion"}},
		{"đùn, vật liệu nhôm 6063", taxonomy.KindProcess, []string{"aluminium_extrusion"}},
		{"extrusion of PVC profiles", taxonomy.KindProcess, []string{"plastic_extrusion"}},
		// "máy ép" is a press of some kind: the processes decide which.
		{"dập kim loại; máy ép 200 tấn", taxonomy.KindEquipment, []string{"stamping_press"}},
		{"ép cao su; máy ép 200 tấn", taxonomy.KindEquipment, []string{"rubber_press"}},
		{"ép phun nhựa; máy ép 200 tấn", taxonomy.KindEquipment, []string{"injection_press"}},
		// Case-sensitive acronyms.
		{"RoHS, REACH", taxonomy.KindCertification, []string{"rohs", "reach"}},
		{"we reach customers in Japan", taxonomy.KindCertification, nil},
		{"hàng đạt CE", taxonomy.KindCertification, []string{"ce"}},
	} {
		if got := codes(c.text, c.kind); !slices.Equal(got, c.want) {
			t.Errorf("%q: %s %v, want %v", c.text, c.kind, got, c.want)
		}
	}
}

func TestRecognizeAlternatives(t *testing.T) {
	var got *Match
	for _, m := range Recognize("đùn") {
		if m.Kind == taxonomy.KindProcess {
			got = &m
		}
	}
	if got == nil || len(got.Alts) != 2 || got.Alts[0] != got.Code ||
		!slices.Contains(got.Alts, "plastic_extrusion") || !slices.Contains(got.Alts, "aluminium_extrusion") {
		t.Errorf("đùn: %+v, want both extrusions as alternatives", got)
	}
	for _, m := range Recognize("ép nhựa") {
		if m.Alts != nil {
			t.Errorf("ép nhựa: alternatives %v, want none", m.Alts)
		}
	}
	// Without diacritics the folded forms are flagged; with them they are not.
	for _, c := range []struct {
		text   string
		folded bool
	}{{"ep nhua", true}, {"ép nhựa", false}, {"injection molding", false}} {
		if ms := Recognize(c.text); len(ms) != 1 || ms[0].Folded != c.folded {
			t.Errorf("%q: %+v, want Folded %v", c.text, ms, c.folded)
		}
	}
}

func TestRecognizeCertifications(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"ISO 9001:2015", []string{"iso9001"}},
		{"ISO9001", []string{"iso9001"}},
		{"ISO-9001", []string{"iso9001"}},
		{"iso 9001 : 2008", []string{"iso9001"}},
		{"TCVN ISO 9001:2015", []string{"iso9001"}},
		{"ISO/TS 16949", []string{"iatf16949"}},
		{"TS16949", []string{"iatf16949"}},
		{"IATF 16949:2016", []string{"iatf16949"}},
		{"OHSAS 18001", []string{"iso45001"}},
		{"ISO 9001, 14001 và 45001", []string{"iso9001", "iso14001", "iso45001"}},
		{"ISO 9001:2015, 14001:2015", []string{"iso9001", "iso14001"}},
		{"ISO 9001/14001", []string{"iso9001", "iso14001"}},
		{"FSSC 22000, HACCP, BRC", []string{"fssc22000", "haccp", "brcgs"}},
		{"amfori BSCI, WRAP, SMETA", []string{"bsci", "wrap", "sedex"}},
		{"AS9100D", []string{"as9100"}},
		{"ISO/IEC 17025 (VILAS)", []string{"iso17025"}},
		{"OEKO-TEX Standard 100, GRS", []string{"oekotex", "grs"}},
		{"LWG Gold", []string{"lwg"}},
		{"IPC-A-610, J-STD-001", []string{"ipca610", "jstd001"}},
		{"VDA 6.3", []string{"vda63"}},
		{"Đạt chứng nhận ISO 13485:2016", []string{"iso13485"}},
	} {
		if got := codes(c.text, taxonomy.KindCertification); !slices.Equal(got, c.want) {
			t.Errorf("%q: certifications %v, want %v", c.text, got, c.want)
		}
	}
}

func TestRecognizeMaterials(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"nhựa PC/ABS", []string{"pc_abs"}},
		{"PC, ABS", []string{"pc", "abs"}},
		{"PA66 GF30", []string{"pa66_gf30"}},
		{"PA66-GF30, PA66", []string{"pa66_gf30", "pa66"}},
		{"PA66+GF30", []string{"pa66_gf30"}},
		{"thép SPCC", []string{"spcc"}},
		{"inox 304", []string{"sus304"}},
		{"SUS 304", []string{"sus304"}},
		{"SUS316L, SUS430", []string{"sus316", "sus430"}},
		{"nhôm ADC12", []string{"adc12"}},
		{"A6061-T6, A7075", []string{"a6061", "a7075"}},
		{"đồng thau C3604", []string{"c3604"}},
		{"brass C3604", []string{"c3604"}},
		{"copper C1100", []string{"copper", "c1100"}},
		{"SKD11, SKD61, NAK80, S136, P20", []string{"skd11", "skd61", "nak80", "s136", "p20"}},
		{"S45C, SCM420, SCM440", []string{"s45c", "scm420", "scm440"}},
		{"SPHC, SECC, SGCC", []string{"sphc", "secc", "sgcc"}},
		{"thép cán nguội", []string{"spcc"}},
		{"tôn mạ kẽm", []string{"sgcc"}},
		{"PP, PE, HDPE, PVC, POM, PMMA, PBT", []string{"pp", "pe", "hdpe", "pvc", "pom", "pmma", "pbt"}},
		{"TPE/TPU", []string{"tpe", "tpu"}},
		{"cao su EPDM, NBR, silicone", []string{"epdm", "nbr", "silicone"}},
		{"FR-4", []string{"fr4"}},
		{"giấy kraft", []string{"kraft_paper"}},
		{"kraft paper", []string{"kraft_paper"}},
		{"vải cotton, polyester", []string{"cotton", "polyester"}},
		{"da bò thật", []string{"leather"}},
		{"giả da, da PU", []string{"pu_leather"}},
		{"enamelled copper wire", []string{"enamelled_wire"}},
		{"PVC copper", []string{"pvc", "copper"}},
		{"inox", []string{"stainless"}},
		{"thép không gỉ 304", []string{"sus304"}},
		{"nhom 6061", []string{"a6061"}},
		{"thep SPCC, nhua PC", []string{"spcc", "pc"}},
	} {
		if got := codes(c.text, taxonomy.KindMaterial); !slices.Equal(got, c.want) {
			t.Errorf("%q: materials %v, want %v", c.text, got, c.want)
		}
	}
}

func TestRecognizeCapacities(t *testing.T) {
	type eq struct {
		kind     string
		count    int
		min, max float64
		unit     string
	}
	for _, c := range []struct {
		text string
		want []eq
	}{
		{"máy ép 80-450 tấn, ép nhựa", []eq{{"injection_press", 0, 80, 450, "t"}}},
		{"ep nhua; may ep 80-450 tan", []eq{{"injection_press", 0, 80, 450, "t"}}},
		{"máy ép nhựa 100-280 tấn", []eq{{"injection_press", 0, 100, 280, "t"}}},
		{"12 máy ép nhựa 80–450T", []eq{{"injection_press", 12, 80, 450, "t"}}},
		{"injection machines 50~350 ton", []eq{{"injection_press", 0, 50, 350, "t"}}},
		{"injection machines up to 450T", []eq{{"injection_press", 0, 0, 450, "t"}}},
		{"injection presses, 450 tons", []eq{{"injection_press", 0, 0, 450, "t"}}},
		{"ép nhựa, lực kẹp 350 tấn", []eq{{"injection_press", 0, 0, 350, "t"}}},
		{"Capacity: clamping force 80 to 650 tons.", []eq{{"injection_press", 0, 80, 650, "t"}}},
		{"Năng lực: máy ép nhựa từ 80 đến 220 tấn.", []eq{{"injection_press", 0, 80, 220, "t"}}},
		{"Nang luc: may ep nhua tu 100 den 150 tan.", []eq{{"injection_press", 0, 100, 150, "t"}}},
		{"dập kim loại, press 200t x 3", []eq{{"stamping_press", 3, 0, 200, "t"}}},
		{"máy dập 60/110/200 tấn", []eq{{"stamping_press", 0, 60, 200, "t"}}},
		{"3 kW fibre laser", []eq{{"laser_cutter", 0, 0, 3, "kW"}}},
		{"máy cắt laser fiber 6000W", []eq{{"laser_cutter", 0, 0, 6, "kW"}}},
		{"5-axis CNC", []eq{{"cnc_machining_center", 0, 0, 5, "axis"}}},
		{"máy phay CNC 5 trục", []eq{{"cnc_machining_center", 0, 0, 5, "axis"}}},
		{"máy chấn CNC 1000 kN", []eq{{"press_brake", 0, 0, 102, "t"}}},
		{"máy đúc áp lực 280-800 tấn", []eq{{"die_casting_machine", 0, 280, 800, "t"}}},
		{"máy thêu 12 đầu", []eq{{"embroidery_machine", 0, 0, 12, "head"}}},
		{"20 máy CNC", []eq{{"cnc_machining_center", 20, 0, 0, ""}}},
		{"máy tiện CNC x 8", []eq{{"cnc_lathe", 8, 0, 0, ""}}},
		{"2 dây chuyền SMT", []eq{{"smt_line", 2, 0, 0, ""}}},
		{"Yêu cầu máy ép nhựa tối thiểu 220 tấn", []eq{{"injection_press", 0, 220, 0, "t"}}},
		{"Requires injection machines of at least 120 tons.", []eq{{"injection_press", 0, 120, 0, "t"}}},
	} {
		var got []eq
		for _, m := range Recognize(c.text) {
			if m.Kind == taxonomy.KindEquipment {
				got = append(got, eq{m.Code, m.Count, m.Min, m.Max, m.Unit})
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: equipment %v, want %v", c.text, got, c.want)
		}
	}
	// A capacity no machine is named with is returned on its own, and a
	// throughput is no capacity.
	for _, c := range []struct {
		text string
		want []Match
	}{
		{"up to 450T", []Match{{Kind: KindCapacity, Max: 450, Unit: "t", Evidence: "up to 450T"}}},
		{"tối đa 450 tấn", []Match{{Kind: KindCapacity, Max: 450, Unit: "t", Evidence: "tối đa 450 tấn"}}},
		{"80-450 tấn", []Match{{Kind: KindCapacity, Min: 80, Max: 450, Unit: "t", Evidence: "80-450 tấn"}}},
		{"tối thiểu 220 tấn", []Match{{Kind: KindCapacity, Min: 220, Unit: "t", Evidence: "tối thiểu 220 tấn"}}},
		{"at least 120 tons", []Match{{Kind: KindCapacity, Min: 120, Unit: "t", Evidence: "at least 120 tons"}}},
		{"≥ 5 kW", []Match{{Kind: KindCapacity, Min: 5, Unit: "kW", Evidence: "5 kW"}}},
		{"lên đến 650 tấn", []Match{{Kind: KindCapacity, Max: 650, Unit: "t", Evidence: "lên đến 650 tấn"}}},
		{"sản lượng 500 tấn/tháng", nil},
		{"công suất 500 tấn sản phẩm/năm", nil},
		{"500 tons of parts per month", nil},
		{"1.000 tons per month", nil},
		{"năm 2015, 200 lao động", nil},
	} {
		var got []Match
		for _, m := range Recognize(c.text) {
			m.Start, m.End = 0, 0
			got = append(got, m)
		}
		if !slices.EqualFunc(got, c.want, func(a, b Match) bool {
			return a.Kind == b.Kind && a.Min == b.Min && a.Max == b.Max && a.Unit == b.Unit && a.Evidence == b.Evidence
		}) {
			t.Errorf("%q: %+v, want %+v", c.text, got, c.want)
		}
	}
}

func TestMergeRange(t *testing.T) {
	for _, c := range []struct{ min1, max1, min2, max2, min, max float64 }{
		{80, 450, 0, 450, 80, 450},
		{0, 80, 0, 450, 80, 450}, // "80 tấn" and "450 tấn"
		{0, 450, 0, 450, 0, 450},
		{100, 280, 50, 650, 50, 650},
		{120, 120, 0, 120, 120, 120},
	} {
		if lo, hi := mergeRange(c.min1, c.max1, c.min2, c.max2); lo != c.min || hi != c.max {
			t.Errorf("mergeRange(%v, %v, %v, %v) = %v, %v; want %v, %v", c.min1, c.max1, c.min2, c.max2, lo, hi, c.min, c.max)
		}
	}
}

func TestParseCapacity(t *testing.T) {
	for _, c := range []struct {
		in       string
		min, max float64
		unit     string
		ok       bool
	}{
		{"220T", 0, 220, "t", true},
		{"220 tấn", 0, 220, "t", true},
		{"80-450 tan", 80, 450, "t", true},
		{"3 kW", 0, 3, "kW", true},
		{"2,5 kW", 0, 2.5, "kW", true},
		{"5-axis", 0, 5, "axis", true},
		{"1.000 tấn", 0, 1000, "t", true},
		{"350", 0, 350, "", true},
		{"", 0, 0, "", false},
		{"lớn", 0, 0, "", false},
	} {
		min, max, unit, ok := ParseCapacity(c.in)
		if min != c.min || max != c.max || unit != c.unit || ok != c.ok {
			t.Errorf("ParseCapacity(%q) = %v, %v, %q, %v", c.in, min, max, unit, ok)
		}
	}
}

func TestRecognizeEvidence(t *testing.T) {
	text := "Chuyên Ép Nhựa, Làm Khuôn"
	ms := Recognize(text)
	if len(ms) != 2 {
		t.Fatalf("%q: %+v", text, ms)
	}
	for _, m := range ms {
		if text[m.Start:m.End] != m.Evidence {
			t.Errorf("evidence %q does not match its span %d:%d", m.Evidence, m.Start, m.End)
		}
	}
	if ms[0].Evidence != "Ép Nhựa" || ms[1].Evidence != "Làm Khuôn" {
		t.Errorf("evidence %q, %q: want the words as written", ms[0].Evidence, ms[1].Evidence)
	}
}

func TestAnalyze(t *testing.T) {
	// The example of the specification.
	c := &sihub.Company{
		Name:             "Công ty TNHH Đúc Sơn Hà", // names are not read
		CapabilitiesText: "Chuyên ep nhua, lam khuon; may ep 80-450 tan; ISO9001:2015",
	}
	Analyze(c)
	if got := capCodes(c); !slices.Equal(got, []string{"injection_molding", "mold_making"}) {
		t.Errorf("capabilities %v", got)
	}
	for _, x := range c.Capabilities {
		if !x.Core || x.Source != sihub.Declared {
			t.Errorf("%+v: want core and declared", x)
		}
	}
	if len(c.Equipment) != 1 || c.Equipment[0] != (sihub.Equipment{Kind: "injection_press", CapacityMin: 80,
		Capacity: 450, Unit: "t", Source: sihub.Declared, Evidence: "may ep 80-450 tan"}) {
		t.Errorf("equipment %+v", c.Equipment)
	}
	if len(c.Certifications) != 1 || c.Certifications[0].Scheme != "iso9001" || c.Certifications[0].Evidence != "ISO9001" {
		t.Errorf("certifications %+v", c.Certifications)
	}
	if c.CapabilitiesText != "Chuyên ep nhua, lam khuon; may ep 80-450 tan; ISO9001:2015" {
		t.Error("the text was changed")
	}

	// Core and supplementary; declared beats inferred.
	c = &sihub.Company{
		CapabilitiesText: "dập kim loại; mạ kẽm (phụ)",
		MaterialsText:    "SPCC, SUS304",
		Description: "Chúng tôi chuyên dập kim loại và hàn robot. Ngoài ra nhận sơn tĩnh điện. " +
			"Vật liệu: SPCC, C5191. Năng lực: 25 máy dập 60-300 tấn.",
		Products: "giá đỡ, bản lề",
	}
	Analyze(c)
	want := []sihub.Capability{
		{Process: "stamping", Core: true, Source: sihub.Declared, Evidence: "dập kim loại"},
		{Process: "electroplating", Core: false, Source: sihub.Declared, Evidence: "mạ kẽm"},
		{Process: "welding", Core: true, Source: sihub.Inferred, Evidence: "hàn robot"},
		{Process: "powder_coating", Core: false, Source: sihub.Inferred, Evidence: "sơn tĩnh điện"},
	}
	if !slices.Equal(c.Capabilities, want) {
		t.Errorf("capabilities\n got %+v\nwant %+v", c.Capabilities, want)
	}
	wantMat := []sihub.Material{
		{Code: "spcc", Source: sihub.Declared, Evidence: "SPCC"},
		{Code: "sus304", Source: sihub.Declared, Evidence: "SUS304"},
		{Code: "c5191", Source: sihub.Inferred, Evidence: "C5191"},
	}
	if !slices.Equal(c.Materials, wantMat) {
		t.Errorf("materials %+v", c.Materials)
	}
	if len(c.Equipment) != 1 || c.Equipment[0].Kind != "stamping_press" || c.Equipment[0].Count != 25 ||
		c.Equipment[0].Capacity != 300 || c.Equipment[0].Source != sihub.Inferred {
		t.Errorf("equipment %+v", c.Equipment)
	}

	// A capacity alone goes to the machine of the one process that has one.
	c = &sihub.Company{Description: "We specialize in plastic injection molding and mould making. Capacity: 80 to 650 tons."}
	Analyze(c)
	if len(c.Equipment) != 1 || c.Equipment[0].Kind != "injection_press" || c.Equipment[0].CapacityMin != 80 ||
		c.Equipment[0].Capacity != 650 || c.Equipment[0].Evidence != "80 to 650 tons" {
		t.Errorf("implied equipment %+v", c.Equipment)
	}
	// A press named vaguely is the press of the company's process.
	c = &sihub.Company{Description: "Chuyên ép nhựa kỹ thuật. Có 30 máy ép từ 50 đến 1.300 tấn."}
	Analyze(c)
	if len(c.Equipment) != 1 || c.Equipment[0] != (sihub.Equipment{Kind: "injection_press", Count: 30, CapacityMin: 50,
		Capacity: 1300, Unit: "t", Source: sihub.Inferred, Evidence: "30 máy ép từ 50 đến 1.300 tấn"}) {
		t.Errorf("equipment %+v", c.Equipment)
	}
	// …but a vague press says nothing of the process when nothing settles it.
	c = &sihub.Company{EquipmentText: "máy ép 200 tấn"}
	Analyze(c)
	if len(c.Capabilities) != 0 || len(c.Equipment) != 1 {
		t.Errorf("from a vague press: %+v %+v", c.Capabilities, c.Equipment)
	}
	// …but not when two processes use machines of that unit.
	c = &sihub.Company{Description: "Ép nhựa và dập kim loại. Năng lực 200 tấn."}
	Analyze(c)
	if len(c.Equipment) != 0 {
		t.Errorf("capacity attached to %+v although two processes use presses", c.Equipment)
	}
	// A machine shows its process.
	c = &sihub.Company{EquipmentText: "4 máy chấn tôn CNC 100-220 tấn, 2 máy cắt laser fiber 3 kW"}
	Analyze(c)
	if got := capCodes(c); !slices.Equal(got, []string{"bending", "laser_cutting"}) {
		t.Errorf("processes from machines %v", got)
	}
	for _, x := range c.Capabilities {
		if x.Core || x.Source != sihub.Inferred {
			t.Errorf("%+v: a process read from a machine is inferred and supplementary", x)
		}
	}
	if len(c.Equipment) != 2 || c.Equipment[0].Count != 4 || c.Equipment[1].Count != 2 || c.Equipment[1].Capacity != 3 {
		t.Errorf("equipment %+v", c.Equipment)
	}
	// Recomputed every time: clearing the text clears the lists.
	c.EquipmentText = ""
	Analyze(c)
	if len(c.Capabilities) != 0 || len(c.Equipment) != 0 {
		t.Errorf("lists survive an empty text: %+v %+v", c.Capabilities, c.Equipment)
	}
	// The description's processes are core only after the main-business cue.
	c = &sihub.Company{Description: "Chuyen son tinh dien. Co the nhan them ma kem."}
	Analyze(c)
	if len(c.Capabilities) != 2 || !c.Capabilities[0].Core || c.Capabilities[1].Core {
		t.Errorf("core from description %+v", c.Capabilities)
	}
}

func capCodes(c *sihub.Company) []string {
	var out []string
	for _, x := range c.Capabilities {
		out = append(out, x.Process)
	}
	return out
}

func TestAnalyzeProblems(t *testing.T) {
	c := &sihub.Company{
		CapabilitiesText:   "ép nhựa; xyz abc; làm khuôn",
		CertificationsText: "ISO 9001:2015; chứng chỉ nội bộ",
		MaterialsText:      "PP, ABS",
	}
	p := Analyze(c)
	if len(p) != 2 {
		t.Fatalf("problems %+v, want two", p)
	}
	if p[0].Field != "capabilities" || !strings.Contains(p[0].Msg.VI, "xyz abc") || !strings.Contains(p[0].Msg.EN, "xyz abc") {
		t.Errorf("problem %+v", p[0])
	}
	if p[1].Field != "certifications" || !strings.Contains(p[1].Msg.EN, "chứng chỉ nội bộ") {
		t.Errorf("problem %+v", p[1])
	}
	if p := Analyze(&sihub.Company{CapabilitiesText: "ép nhựa (phụ), sơn"}); len(p) != 0 {
		t.Errorf("a marked item is no problem: %+v", p)
	}
}

// BenchmarkAnalyze reads a typical row: a short capability list and a
// 300-character description.
func BenchmarkAnalyze(b *testing.B) {
	c := &sihub.Company{
		Name:               "Công ty TNHH Nhựa Kỹ thuật Trường Sơn",
		CapabilitiesText:   "ép nhựa; làm khuôn",
		MaterialsText:      "ABS, PC/ABS, PA66 GF30",
		CertificationsText: "ISO 9001:2015; IATF 16949",
		Description: "Chuyên phun ép nhựa, chế tạo khuôn mẫu cho ngành ô tô, xe máy và điện tử. Vật liệu: ABS, " +
			"NAK80, PA66 GF30, PC, POM, S136. Năng lực: 24 máy ép nhựa 100-280 tấn, 3 máy CNC 5 trục, máy cắt dây. " +
			"Đạt chứng nhận ISO 9001:2015, ISO 14001. Khách hàng chính tại Nhật Bản và Hàn Quốc.",
	}
	for b.Loop() {
		Analyze(c)
	}
}
