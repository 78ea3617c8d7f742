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
		{"cut and sew garments", []string{"cut_and_sew"}}, // the product of cut and sew, which is under garments
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
		{"copper C1100", []string{"c1100"}}, // a family named with its grade is the grade
		{"thép tấm SPCC, tôn SGCC", []string{"spcc", "sgcc"}},
		{"SUS304 stainless steel, nhôm hợp kim ADC12", []string{"sus304", "adc12"}},
		{"mould steel NAK80", []string{"nak80"}},
		{"nhôm, SPCC", []string{"aluminium", "spcc"}},
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
		{"Injection press: 350-ton or larger.", []eq{{"injection_press", 0, 0, 350, "t"}}},
		{"10 máy ép 350-ton.", []eq{{"injection_press", 10, 0, 350, "t"}}},
		{"Capacity: injection molding machines 80 - 650 t.", []eq{{"injection_press", 0, 80, 650, "t"}}},
		{"Năng lực: 30 – 350 tấn máy ép nhựa.", []eq{{"injection_press", 0, 30, 350, "t"}}},
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

// A run of letters and digits written as one word is one designation: an
// alias matches it whole or not at all.
func TestRecognizeDesignations(t *testing.T) {
	for _, c := range []struct {
		text        string
		kind        taxonomy.TermKind
		want, wantN []string // codes of kind, and codes of another kind that must not appear
	}{
		{"UL1007, UL1015", taxonomy.KindMaterial, []string{"ul_wire"}, []string{"ul"}},
		{"UL 1007", taxonomy.KindMaterial, []string{"ul_wire"}, []string{"ul"}},
		{"ABS V0 (UL94)", taxonomy.KindMaterial, []string{"abs"}, []string{"ul"}},
		{"UL, CE", taxonomy.KindCertification, []string{"ul", "ce"}, nil},
		{"UL listed", taxonomy.KindCertification, []string{"ul"}, nil},
		{"SS400, SUS304L", taxonomy.KindMaterial, []string{"ss400", "sus304"}, []string{"stainless"}},
		{"PC1000", taxonomy.KindMaterial, nil, []string{"pc"}},
		{"SWRCH18A, SWRCH35K", taxonomy.KindMaterial, []string{"swrch"}, nil},
		{"ISO9001:2015, IATF16949", taxonomy.KindCertification, []string{"iso9001", "iatf16949"}, nil},
		{"AS9100D", taxonomy.KindCertification, []string{"as9100"}, nil},
		{"AISI304L", taxonomy.KindMaterial, []string{"sus304"}, nil},
	} {
		got := codes(c.text, c.kind)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: %s %v, want %v", c.text, c.kind, got, c.want)
		}
		for _, m := range Recognize(c.text) {
			if slices.Contains(c.wantN, m.Code) {
				t.Errorf("%q: read %s %s from %q", c.text, m.Kind, m.Code, m.Evidence)
			}
		}
	}
}

// Diacritics are written for a whole phrase: a plain word among accented
// ones is spelt plain on purpose; a compound word is never cut in two.
func TestRecognizeWordBoundaries(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"sản xuất chi tiết nhựa", []string{"injection_molding"}},
		{"san xuat chi tiet may", []string{"cnc_machining"}},
		{"Chuyen san xuat chi tiet nhua dung mot lan", []string{"injection_molding"}},
		{"sản xuất chỉ may", []string{"yarn_spinning"}},
		{"san xuat chi may", []string{"yarn_spinning"}},
		{"lam khuon, ep nhua", []string{"mold_making", "injection_molding"}},
	} {
		if got := codes(c.text, taxonomy.KindProcess); !slices.Equal(got, c.want) {
			t.Errorf("%q: processes %v, want %v", c.text, got, c.want)
		}
	}
}

// Phrases that overlap and name the same term are one phrase; process
// phrases written side by side are one statement.
func TestRecognizePhrases(t *testing.T) {
	for _, c := range []struct {
		text      string
		procs     []string
		materials []string
		equipment []string
	}{
		// One term across overlapping aliases: nothing left over.
		{"chế tạo khuôn ép nhựa", []string{"mold_making"}, nil, nil},
		{"làm khuôn dập liên hoàn", []string{"mold_making"}, nil, nil},
		{"làm khuôn thổi chai PET", []string{"mold_making"}, []string{"pet"}, nil},
		{"làm khuôn đúc nhôm áp lực", []string{"mold_making"}, nil, nil},
		// A process and one of its kinds: the kind.
		{"đúc nhôm khuôn cát", []string{"sand_casting"}, nil, nil},
		{"phay tiện CNC", []string{"cnc_turning", "cnc_milling"}, nil, nil},
		{"CNC machined components", []string{"cnc_machining"}, nil, nil},
		{"xử lý bề mặt phốt phát", []string{"conversion_coating"}, nil, nil},
		// A general phrase and the term that says what it is about.
		{"lắp ráp cuộn cảm", []string{"coil_winding"}, nil, nil},
		{"harness assembly", []string{"wire_harness"}, nil, nil},
		{"lắp ráp bo mạch điện tử", []string{"pcba"}, nil, nil},
		// A product after a process is what the process is applied to.
		{"nhiệt luyện bánh răng, trục", []string{"heat_treatment"}, nil, nil},
		{"sơn tĩnh điện khung xe máy", []string{"powder_coating"}, nil, nil},
		{"mạ kẽm bulong", []string{"electroplating"}, nil, nil},
		{"injection moulding gears", []string{"injection_molding"}, nil, nil},
		// …but two process verbs are two processes.
		{"cắt laser chấn gấp", []string{"laser_cutting", "bending"}, nil, nil},
		{"laser cutting bending", []string{"laser_cutting", "bending"}, nil, nil},
		// Parts of a product name the product the parts are for.
		{"Chuyên sản xuất chi tiết khung xe máy", nil, nil, nil},
		{"linh kiện bánh răng", nil, nil, nil},
		{"chi tiết dập, chi tiết tiện", []string{"stamping", "cnc_turning"}, nil, nil},
		// A modifier after a machine is not a process.
		{"máy quấn lò xo CNC", []string{"spring_making"}, nil, nil},
	} {
		if got := codes(c.text, taxonomy.KindProcess); !slices.Equal(got, c.procs) {
			t.Errorf("%q: processes %v, want %v", c.text, got, c.procs)
		}
		if got := codes(c.text, taxonomy.KindMaterial); !slices.Equal(got, c.materials) {
			t.Errorf("%q: materials %v, want %v", c.text, got, c.materials)
		}
		if got := codes(c.text, taxonomy.KindEquipment); !slices.Equal(got, c.equipment) {
			t.Errorf("%q: equipment %v, want %v", c.text, got, c.equipment)
		}
	}
}

// Ways suppliers write processes that an earlier vocabulary missed or read
// wrongly.
func TestRecognizePhrasings(t *testing.T) {
	for _, c := range []struct {
		text string
		kind taxonomy.TermKind
		want []string
	}{
		{"Stamped motorcycle brackets", taxonomy.KindProcess, []string{"stamping"}},
		{"Enclosures and cabinets; cable trays", taxonomy.KindProcess, []string{"sheet_metal"}},
		{"vỏ tủ điện, máng cáp", taxonomy.KindProcess, []string{"sheet_metal"}},
		{"appliance chassis parts", taxonomy.KindProcess, nil},
		{"panel boxes and cable trays", taxonomy.KindProcess, []string{"sheet_metal"}},
		{"cable, wire harness", taxonomy.KindProcess, []string{"wire_harness"}},
		{"cáp nguồn, cáp USB", taxonomy.KindProcess, []string{"wire_harness"}},
		{"lắp ráp bó dây", taxonomy.KindProcess, []string{"wire_harness"}},
		{"lap rap bo day dien", taxonomy.KindProcess, []string{"wire_harness"}},
		{"lắp ráp bo nguồn LED driver", taxonomy.KindProcess, []string{"pcba"}},
		{"SMT; hàn sóng; phủ conformal coating", taxonomy.KindProcess, []string{"pcba"}},
		{"SMT, through-hole", taxonomy.KindProcess, []string{"pcba"}},
		{"khay nhựa linh kiện điện tử, vỉ", taxonomy.KindProcess, []string{"thermoforming"}},
		{"Vacuum forming, blister trays", taxonomy.KindProcess, []string{"thermoforming"}},
		{"ống luồn dây điện, nẹp nhựa", taxonomy.KindProcess, []string{"plastic_extrusion"}},
		{"In offset, cán màng, bế hộp", taxonomy.KindProcess, []string{"printing", "die_cutting"}},
		{"self-drilling and wood screws", taxonomy.KindProcess, []string{"fastener_making"}},
		{"Dập nguội bulong, ốc vít", taxonomy.KindProcess, []string{"fastener_making"}},
		{"Sản xuất vít, đinh tán", taxonomy.KindProcess, []string{"fastener_making"}},
		{"tán đinh rive", taxonomy.KindProcess, []string{"riveting"}},
		{"Chuyên quấn và lắp ráp mô tơ", taxonomy.KindProcess, []string{"coil_winding", "electrical_assembly"}},
		{"máy tẩm sấy chân không", taxonomy.KindProcess, []string{"coil_winding"}},
		{"Xi mạ kẽm trắng, kẽm 7 màu", taxonomy.KindProcess, []string{"electroplating"}},
		{"Đùn ép nhôm định hình; anod", taxonomy.KindProcess, []string{"aluminium_extrusion", "anodizing"}},
		{"Anod nhôm, nhuộm màu", taxonomy.KindProcess, []string{"anodizing"}},
		{"nhuộm màu vải cotton", taxonomy.KindProcess, []string{"dyeing"}},
		{"cắt, may, hoàn thiện", taxonomy.KindProcess, []string{"cut_and_sew"}},
		{"Nhận đơn hàng số lượng nhỏ, làm mẫu nhanh", taxonomy.KindProcess, nil},
		{"chà nhám, sơn PU", taxonomy.KindProcess, []string{"polishing", "spray_painting"}},
		{"Đúc cao su, cao su kim loại", taxonomy.KindProcess, []string{"rubber_molding"}},
		{"Đùn thanh nhựa, gioăng nhựa", taxonomy.KindProcess, []string{"plastic_extrusion", "plastic_processing"}},
		{"chế tạo kết cấu nhà xưởng", taxonomy.KindProcess, []string{"steel_structure"}},
		{"Custom plastic injection moulder with in-house tooling", taxonomy.KindProcess,
			[]string{"injection_molding", "mold_making"}},
		{"Thermoforming, SLA, SLS", taxonomy.KindProcess, []string{"thermoforming", "printing_3d"}},
		{"prices may be negotiated", taxonomy.KindProcess, nil},
		{"plastic injection & mould making", taxonomy.KindProcess, []string{"injection_molding", "mold_making"}},
		{"tool & die, jigs & fixtures", taxonomy.KindProcess, []string{"mold_making", "jig_fixture"}},
		{"cable harnessing, EMS", taxonomy.KindProcess, []string{"wire_harness", "electrical_assembly"}},
		{"gia công cơ khí tấm", taxonomy.KindProcess, []string{"sheet_metal"}},
		{"5-axis milling, phay CNC 5 trục", taxonomy.KindProcess, []string{"cnc_milling"}},
		{"đúc nhôm dưới áp lực", taxonomy.KindProcess, []string{"die_casting"}},
		{"precision CNC turned and milled parts", taxonomy.KindProcess, []string{"cnc_turning", "cnc_milling"}},
		{"vải dệt kim", taxonomy.KindProcess, []string{"knitting"}},
		{"vải dệt kim", taxonomy.KindMaterial, []string{"fabric"}},
		{"nhôm định hình", taxonomy.KindMaterial, []string{"aluminium"}},
		{"Chuyên sản xuất bánh răng nhựa", taxonomy.KindProcess, []string{"injection_molding"}},
		{"Chuyên sản xuất bánh răng", taxonomy.KindProcess, []string{"gear_cutting"}},
		{"Q345B, SS490", taxonomy.KindMaterial, []string{"s355"}},
		{"FC250, FCD500, SC450", taxonomy.KindMaterial, []string{"cast_iron", "cast_steel"}},
		{"SUS304, SCS13", taxonomy.KindMaterial, []string{"sus304"}},
		{"AlSi9Cu3, A380", taxonomy.KindMaterial, []string{"adc10"}},
		{"SKD11, HSS, carbide", taxonomy.KindMaterial, []string{"skd11", "skh51", "carbide"}},
		{"enamelled copper, ferrite cores", taxonomy.KindMaterial, []string{"enamelled_wire", "ferrite"}},
		{"AVSS, CAVUS", taxonomy.KindMaterial, []string{"auto_wire"}},
		// An insulated wire named with its conductor and insulation names them too.
		{"PVC insulated copper wire, terminals", taxonomy.KindMaterial, []string{"wire", "pvc", "copper", "terminals"}},
		{"dây đồng bọc PVC", taxonomy.KindMaterial, []string{"wire", "copper", "pvc"}},
		{"UL1007 wire; PA66 GF30", taxonomy.KindMaterial, []string{"ul_wire", "pa66_gf30"}},
		{"PLA, ABS, PA12", taxonomy.KindMaterial, []string{"pla", "abs", "pa12"}},
		{"giấy Duplex, Ivory", taxonomy.KindMaterial, []string{"paperboard"}},
		{"FR4; aluminium PCB", taxonomy.KindMaterial, []string{"fr4", "mcpcb"}},
		{"FR4, linh kiện SMD", taxonomy.KindMaterial, []string{"fr4", "electronic_components"}},
		{"thép lò xo SWC", taxonomy.KindMaterial, []string{"spring_steel"}},
		{"2 máy dập nguội, 1 máy cán ren", taxonomy.KindEquipment, []string{"cold_header"}},
		{"7 cold headers, 2 thread rollers", taxonomy.KindEquipment, []string{"cold_header"}},
		{"Laser fiber 6kW; punching machine", taxonomy.KindEquipment, []string{"laser_cutter", "punching_machine"}},
		{"24 cut-strip machines, 6 crimp presses", taxonomy.KindEquipment, []string{"crimping_machine"}},
		{"2 máy cắt tuốt dây, 2 máy bấm đầu", taxonomy.KindEquipment, []string{"crimping_machine"}},
		{"1 CNC machining centers", taxonomy.KindEquipment, []string{"cnc_machining_center"}},
		{"4 buồng phun, lò sấy 60 m", taxonomy.KindEquipment, []string{"coating_line"}},
		{"3 line SMT, AOI", taxonomy.KindEquipment, []string{"smt_line"}},
	} {
		if got := codes(c.text, c.kind); !slices.Equal(got, c.want) {
			t.Errorf("%q: %s %v, want %v", c.text, c.kind, got, c.want)
		}
	}
}

// Each declared column yields its own kind; a clause about customers is not
// the company's trade.
func TestAnalyzeFields(t *testing.T) {
	type want struct {
		caps  []string // process:source:core
		mats  []string // code:source
		certs []string
		equip []string
	}
	for _, c := range []struct {
		name string
		c    sihub.Company
		want want
	}{
		{"wire grades in the materials column", sihub.Company{MaterialsText: "UL1007, UL1015",
			CertificationsText: "ISO 9001:2015; IATF 16949:2016",
			Description:        "Chuyên sản xuất bó dây điện xe máy cho các nhà lắp ráp xe máy tại miền Nam."},
			want{caps: []string{"wire_harness:inferred:core"}, mats: []string{"ul_wire:declared"},
				certs: []string{"iso9001", "iatf16949"}}},
		{"only materials from the materials column", sihub.Company{
			MaterialsText: "NAK80, S136 (khuôn); vải dệt kim; ot, toi, duong; aluminium PCB"},
			want{mats: []string{"nak80:declared", "s136:declared", "fabric:declared", "mcpcb:declared"}}},
		{"only certificates from the certifications column", sihub.Company{CertificationsText: "ISO 9001, hàn, SUS304"},
			want{certs: []string{"iso9001"}}},
		{"processes named in the equipment column are inferred", sihub.Company{
			EquipmentText: "CNC milling x 5; EDM x 3; inox"},
			want{caps: []string{"cnc_milling:inferred:supp", "edm:inferred:supp"}}},
		{"materials within a capability are inferred, items of their own declared", sihub.Company{
			CapabilitiesText: "ép nhựa ABS; PC; máy ép 100-280 tấn"},
			want{caps: []string{"injection_molding:declared:core"}, mats: []string{"abs:inferred", "pc:declared"},
				equip: []string{"injection_press:declared"}}},
		{"customers by industry", sihub.Company{
			Description: "Chuyên ép nhựa và làm khuôn cho khách hàng Đài Loan ngành máy in, thiết bị văn phòng.",
			Products:    "linh kiện nhựa cho máy in"},
			want{caps: []string{"injection_molding:inferred:core", "mold_making:inferred:core"}}},
		{"a colon ends the customer clause", sihub.Company{Description: "Chuyên gia công cho ngành ô tô: dập, hàn."},
			want{caps: []string{"stamping:inferred:core", "welding:inferred:core"}}},
		{"a list of industries", sihub.Company{
			Description: "Chuyên thổi chai nhựa cho các nhà máy hóa chất, sơn và dầu nhớt."},
			want{caps: []string{"blow_molding:inferred:core"}}},
		{"a process named in full after the customers is the company's", sihub.Company{
			Description: "Chuyên ép nhựa cho các hãng xe máy, sơn tĩnh điện và làm khuôn."},
			want{caps: []string{"injection_molding:inferred:core", "powder_coating:inferred:core",
				"mold_making:inferred:core"}}},
		{"how the work is done ends the clause", sihub.Company{
			Description: "Chuyen san xuat chi tiet nhua cho xe may bang cong nghe ep phun cho cac nha lap rap xe may."},
			want{caps: []string{"injection_molding:inferred:core"}}},
		{"customers listed", sihub.Company{
			Description: "Ép nhựa kỹ thuật. Khách hàng chính: các hãng lắp ráp ô tô, sơn và điện tử."},
			want{caps: []string{"injection_molding:inferred:supp"}}},
		{"serving customers", sihub.Company{
			Description: "Job shop for CNC turning and milling, serving electronics manufacturers and automotive assemblers."},
			want{caps: []string{"cnc_turning:inferred:supp", "cnc_milling:inferred:supp"}}},
		{"for customers", sihub.Company{
			Description: "We specialize in metal stamping for motorcycle assemblers and printing companies."},
			want{caps: []string{"stamping:inferred:core"}}},
		{"materials in a customer clause are kept", sihub.Company{
			Description: "Chuyên cắt laser cho khách hàng ngành inox và nhôm."},
			want{caps: []string{"laser_cutting:inferred:core"}, mats: []string{"stainless:inferred", "aluminium:inferred"}}},
		{"the object after whom it is for", sihub.Company{
			Description: "Chúng tôi cung cấp cho khách hàng các dịch vụ ép nhựa, sơn tĩnh điện."},
			want{caps: []string{"injection_molding:inferred:supp", "powder_coating:inferred:supp"}}},
		{"serving as is not serving customers", sihub.Company{
			Description: "Serving as a one-stop shop for CNC machining and anodizing."},
			want{caps: []string{"cnc_machining:inferred:supp", "anodizing:inferred:supp"}}},
		{"cho thuê is not for customers", sihub.Company{Description: "Cho thuê máy ép nhựa."},
			want{caps: []string{"injection_molding:inferred:supp"}, equip: []string{"injection_press:inferred"}}},
		{"an axis count alone is the machining centres'", sihub.Company{CapabilitiesText: "5-axis milling"},
			want{caps: []string{"cnc_milling:declared:core"}, equip: []string{"cnc_machining_center:declared"}}},
		{"a furnace says nothing more of a foundry", sihub.Company{CapabilitiesText: "Lost-wax casting and machining",
			EquipmentText: "Induction furnaces 1400-1890 kg x 7"},
			want{caps: []string{"investment_casting:declared:core", "cnc_machining:declared:core"},
				equip: []string{"melting_furnace:declared"}}},
	} {
		co := c.c
		Analyze(&co)
		var got want
		for _, x := range co.Capabilities {
			core := "supp"
			if x.Core {
				core = "core"
			}
			got.caps = append(got.caps, x.Process+":"+string(x.Source)+":"+core)
		}
		for _, x := range co.Materials {
			got.mats = append(got.mats, x.Code+":"+string(x.Source))
		}
		for _, x := range co.Certifications {
			got.certs = append(got.certs, x.Scheme)
		}
		for _, x := range co.Equipment {
			got.equip = append(got.equip, x.Kind+":"+string(x.Source))
		}
		if !slices.Equal(got.caps, c.want.caps) || !slices.Equal(got.mats, c.want.mats) ||
			!slices.Equal(got.certs, c.want.certs) || !slices.Equal(got.equip, c.want.equip) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

// Details in brackets and bare measures are not items to report.
func TestAnalyzeProblemItems(t *testing.T) {
	for _, c := range []struct {
		c    sihub.Company
		want []string
	}{
		{sihub.Company{CapabilitiesText: "Electroplating (Zn, Ni, Cr, Sn)"}, nil},
		{sihub.Company{EquipmentText: "Automatic powder coating line, 40 m; 450 machines"}, nil},
		{sihub.Company{CapabilitiesText: "xyz (abc, def)"}, []string{"xyz (abc", "def"}},
		{sihub.Company{CapabilitiesText: "ép nhựa, 40 m xyz"}, []string{"40 m xyz"}},
	} {
		var got []string
		for _, p := range Analyze(&c.c) {
			got = append(got, strings.TrimSuffix(strings.TrimPrefix(p.Msg.EN, "“"),
				"” was not recognized; check the spelling or describe it more precisely."))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v: problems %q, want %q", c.c, got, c.want)
		}
	}
}

// Other ways suppliers and buyers write the same thing: management-system
// prefixes on certificates, Japanese-English "Ass'y", US/UK short forms,
// glass-filled nylon written out, a machine named as the process.
func TestRecognizeOtherPhrasings(t *testing.T) {
	for _, c := range []struct {
		text string
		kind taxonomy.TermKind
		want []string
	}{
		{"EMS ISO 14001, QMS ISO 9001:2015", taxonomy.KindCertification, []string{"iso14001", "iso9001"}},
		{"EMS ISO 14001, QMS ISO 9001:2015", taxonomy.KindProcess, nil}, // EMS here is no electronics manufacturing
		{"Certified EMS ISO14001:2015, OHSAS 18001:2007", taxonomy.KindCertification, []string{"iso14001", "iso45001"}},
		{"PCB Ass'y, Cable Ass'y", taxonomy.KindProcess, []string{"pcba", "wire_harness"}},
		{"PCB assy", taxonomy.KindProcess, []string{"pcba"}},
		{"Sản xuất, gia công PCB Ass'y.", taxonomy.KindProcess, []string{"pcba"}},
		{"hàn dán SMT", taxonomy.KindProcess, []string{"pcba"}},
		{"gia công lắp ráp PCB", taxonomy.KindProcess, []string{"pcba"}},
		{"gia cong lap rap bang mach", taxonomy.KindProcess, []string{"pcba"}},
		{"gia cong dap nong", taxonomy.KindProcess, []string{"forging"}},
		{"powder coat, heat treat, sheetmetal", taxonomy.KindProcess, []string{"powder_coating", "heat_treatment", "sheet_metal"}},
		{"CNC laser cutting", taxonomy.KindProcess, []string{"laser_cutting"}},
		{"plastic extruding", taxonomy.KindProcess, []string{"plastic_extrusion"}},
		{"cao su đúc", taxonomy.KindProcess, []string{"rubber_molding"}},
		{"Process: CNC press brake, MIG welding.", taxonomy.KindProcess, []string{"bending", "welding"}},
		{"CNC lathe and milling", taxonomy.KindProcess, []string{"cnc_turning", "cnc_milling"}},
		{"PA6.6 GF30; nylon 66 30% glass fibre", taxonomy.KindMaterial, []string{"pa66_gf30"}},
		{"HD-PE", taxonomy.KindMaterial, []string{"hdpe"}},
		{"Press: 350-ton or larger.", taxonomy.KindMaterial, nil}, // "ton" after a figure is no "tôn"
		{"Chuyên cắt tôn. Vật liệu: tôn, inox.", taxonomy.KindMaterial, []string{"steel", "stainless"}},
	} {
		if got := codes(c.text, c.kind); !slices.Equal(got, c.want) {
			t.Errorf("%q: %s %v, want %v", c.text, c.kind, got, c.want)
		}
	}
}
