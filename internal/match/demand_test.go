package match

import (
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestPrepareDemand(t *testing.T) {
	tests := []struct {
		name      string
		d         sihub.Demand
		processes []string
		materials []string
		certs     []string
		capacity  *sihub.CapacityReq
		inferred  []string
	}{
		{"Vietnamese title, certifications column filled",
			sihub.Demand{Title: "Vỏ pin máy khoan, nhựa PC/ABS, ép phun, máy ép ≥ 350 tấn", CertificationsText: "ISO 9001:2015"},
			[]string{"injection_molding"}, []string{"pc_abs"}, []string{"iso9001"},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 350, Unit: "t"},
			[]string{sihub.ReqProcesses, sihub.ReqMaterials, sihub.ReqMinCapacity}},
		{"press size alone names the process",
			sihub.Demand{Title: "Vỏ pin máy khoan, nhựa PC/ABS, máy ép nhựa tối thiểu 350 tấn"},
			[]string{"injection_molding"}, []string{"pc_abs"}, []string{},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 350, Unit: "t"},
			[]string{sihub.ReqMaterials, sihub.ReqMinCapacity, sihub.ReqProcesses}},
		{"a press size adds its process to another one",
			sihub.Demand{TitleEn: "Blender base housing", Description: "ABS housing with snap fits, pad printing of the logo; needs a press of at least 350 t."},
			[]string{"screen_printing", "injection_molding"}, []string{"abs"}, []string{},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 350, Unit: "t"},
			[]string{sihub.ReqProcesses, sihub.ReqMaterials, sihub.ReqMinCapacity}},
		{"Vietnamese without diacritics",
			sihub.Demand{Title: "Vo nhua may hut bui", Description: "Vat lieu ABS. Cong nghe: ep phun nhua. Can chung nhan ISO 9001. Yeu cau may ep toi thieu 220 tan."},
			[]string{"injection_molding"}, []string{"abs"}, []string{"iso9001"},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 220, Unit: "t"},
			[]string{sihub.ReqProcesses, sihub.ReqMaterials, sihub.ReqCertifications, sihub.ReqMinCapacity}},
		{"English, generic family dropped for the grade, casting for die casting",
			sihub.Demand{TitleEn: "Die cast aluminum gearbox housing", Description: "Material ADC12. Process: aluminium die casting, CNC machining. Supplier must hold IATF 16949."},
			[]string{"die_casting", "cnc_machining"}, []string{"adc12"}, []string{"iatf16949"}, nil,
			[]string{sihub.ReqProcesses, sihub.ReqMaterials, sihub.ReqCertifications}},
		{"a machine named in the processes column asks for its process; an insulated wire for its metal and plastic",
			sihub.Demand{TitleEn: "Welded steel frame", Description: "Welded frame, harness clips.", ProcessesText: "CNC press brake; hàn",
				MaterialsText: "SS400; PVC insulated copper wire", CertificationsText: "EMS ISO 14001"},
			[]string{"bending", "welding"}, []string{"ss400", "wire", "pvc", "copper"}, []string{"iso14001"}, nil, []string{}},
		{"Japanese-English RFQ: Ass'y, press tonnage with a hyphen",
			sihub.Demand{TitleEn: "Controller PCB Ass'y", Description: "Mat'l: FR-4. Housing on a 350-ton injection press."},
			[]string{"pcba", "injection_molding"}, []string{"fr4"}, []string{},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 350, Unit: "t"},
			[]string{sihub.ReqProcesses, sihub.ReqMaterials, sihub.ReqMinCapacity}},
		{"a range with a spaced dash asks for its lower end",
			sihub.Demand{TitleEn: "Housing", Description: "Process: injection molding. Injection machine 220 - 350 tons."},
			[]string{"injection_molding"}, []string{}, []string{},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 220, Unit: "t"},
			[]string{sihub.ReqProcesses, sihub.ReqMinCapacity}},
		{"columns win over the text, capacity figure gets the process's machine",
			sihub.Demand{TitleEn: "Welded bracket", Description: "Stamped and welded, ISO 14001", ProcessesText: "ép nhựa",
				MaterialsText: "PC", MinCapacityText: "450T"},
			[]string{"injection_molding"}, []string{"pc"}, []string{"iso14001"},
			&sihub.CapacityReq{Equipment: "injection_press", Min: 450, Unit: "t"},
			[]string{sihub.ReqCertifications}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			d.BuyerTaxCode, d.Ref = "0100112437", "P-1"
			w, err := PrepareDemand(&d)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Processes, tt.processes) || !slices.Equal(d.Materials, tt.materials) || !slices.Equal(d.Certifications, tt.certs) {
				t.Errorf("processes %v materials %v certs %v; want %v %v %v (warnings %v)",
					d.Processes, d.Materials, d.Certifications, tt.processes, tt.materials, tt.certs, w)
			}
			if (d.MinCapacity == nil) != (tt.capacity == nil) || (d.MinCapacity != nil && *d.MinCapacity != *tt.capacity) {
				t.Errorf("capacity %+v; want %+v", d.MinCapacity, tt.capacity)
			}
			if !slices.Equal(d.Inferred, tt.inferred) {
				t.Errorf("inferred %v; want %v", d.Inferred, tt.inferred)
			}
		})
	}
}

func TestPrepareDemandProblems(t *testing.T) {
	tests := []struct {
		name    string
		d       sihub.Demand
		field   string
		warning bool
	}{
		{"no title", sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A"}, "title", false},
		{"no ref", sihub.Demand{BuyerTaxCode: "0100112437", Title: "Ép nhựa"}, "ref", false},
		{"bad tax code", sihub.Demand{BuyerTaxCode: "0100112438", Ref: "A", Title: "Ép nhựa"}, "buyer_tax_code", false},
		{"unknown province", sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A", Title: "Ép nhựa", ProvinceInput: "Atlantis"}, "delivery_province", false},
		{"bad status", sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A", Title: "Ép nhựa", Status: "lost"}, "status", false},
		{"unrecognized column item", sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A", Title: "Ép nhựa", MaterialsText: "ABS; unobtainium"}, "materials", true},
		{"nothing to match on", sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A", Title: "Hàng mẫu"}, "processes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			w, err := PrepareDemand(&d)
			got := sihub.FieldsOf(err)
			if tt.warning {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				got = w
			}
			m, ok := got.For(tt.field)
			if !ok {
				t.Fatalf("want a problem with %s; got error %v, warnings %v", tt.field, err, w)
			}
			if m.VI == "" || m.EN == "" || m.VI == m.EN {
				t.Errorf("message not in both languages: %+v", m)
			}
		})
	}
}

func TestPrepareDemandProvince(t *testing.T) {
	d := sihub.Demand{BuyerTaxCode: "0100112437", Ref: "A", Title: "Ép nhựa", ProvinceInput: "Bình Dương"}
	if _, err := PrepareDemand(&d); err != nil {
		t.Fatal(err)
	}
	if d.DeliveryProvince != "79" {
		t.Errorf("province %q; want 79 (Bình Dương is now part of Ho Chi Minh City)", d.DeliveryProvince)
	}
}
