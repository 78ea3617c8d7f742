package match

import (
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestPrepare(t *testing.T) {
	tests := []struct {
		name                   string
		c                      sihub.Company
		province, park, fields string
	}{
		{"old province name is mapped", sihub.Company{TaxCode: "0100112437", Name: "A", ProvinceInput: "Bình Dương"}, "79", "", ""},
		{"park written two ways is one park",
			sihub.Company{TaxCode: "0100112437", Name: "A", IndustrialPark: "KCN Tân Tạo"}, "79", "Khu công nghiệp Tân Tạo", ""},
		{"park in English", sihub.Company{TaxCode: "0100112437", Name: "A", IndustrialPark: "Tan Tao Industrial Park"}, "79", "Khu công nghiệp Tân Tạo", ""},
		{"unknown park kept as written", sihub.Company{TaxCode: "0100112437", Name: "A", IndustrialPark: "Cụm CN Xóm Mới"}, "", "Cụm CN Xóm Mới", ""},
		{"unknown province", sihub.Company{TaxCode: "0100112437", Name: "A", ProvinceInput: "Atlantis"}, "", "", "province"},
		{"VSIC 2018 code converted, bad code reported", sihub.Company{TaxCode: "0100112437", Name: "A", Sectors: []string{"9999"}}, "", "", "sectors"},
		{"domain validation included", sihub.Company{TaxCode: "0100112438", Name: "A"}, "", "", "tax_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			err := Prepare(&c)
			if tt.fields == "" && err != nil {
				t.Fatal(err)
			}
			if tt.fields != "" {
				if _, ok := sihub.FieldsOf(err).For(tt.fields); !ok {
					t.Fatalf("want a problem with %s, got %v", tt.fields, err)
				}
				return
			}
			if c.ProvinceCode != tt.province {
				t.Errorf("province %q; want %q", c.ProvinceCode, tt.province)
			}
			if tt.park != "" && c.IndustrialPark != tt.park {
				t.Errorf("park %q; want %q", c.IndustrialPark, tt.park)
			}
		})
	}
}

func TestPrepareWarnsOnUnrecognizedItems(t *testing.T) {
	c := sihub.Company{TaxCode: "0100112437", Name: "A", CapabilitiesText: "ép nhựa; xyzzy qwerty"}
	warnings, err := PrepareWarn(&c)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := warnings.For("capabilities"); !ok {
		t.Errorf("no warning for an unrecognized capability: %v", warnings)
	}
	if !c.HasProcess("injection_molding") {
		t.Errorf("the recognized item was lost: %+v", c.Capabilities)
	}
}

// A supplier's profile written other ways reads the same: "EMS ISO 14001" is
// a certificate and no electronics trade, "Chuyen SMT assembly" is the core
// business and no SMT line, a "350-ton" press is no sheet steel.
func TestPrepareOtherPhrasings(t *testing.T) {
	tests := []struct {
		name        string
		c           sihub.Company
		has, hasNot []string
		core        string
		materials   []string
	}{
		{"EMS before ISO 14001", sihub.Company{Description: "Chuyên quấn cuộn dây. Hệ thống quản lý: ISO 9001:2015, EMS ISO 14001."},
			[]string{"coil_winding"}, []string{"electrical_assembly"}, "coil_winding", nil},
		{"Chuyen without diacritics before SMT", sihub.Company{Description: "Chuyen SMT assembly. Vat lieu: FR-4."},
			[]string{"pcba"}, []string{"assembly"}, "pcba", []string{"fr4"}},
		{"press size with a hyphen", sihub.Company{Description: "Chuyên ép nhựa. Máy móc: 10 máy ép 350-ton."},
			[]string{"injection_molding"}, nil, "injection_molding", []string{}},
		{"Japanese-English opening names the core business", sihub.Company{Description: "Our strong point is die casting. We are good at CNC precision machining."},
			[]string{"die_casting", "cnc_machining"}, nil, "die_casting", nil},
		{"main process with a spaced colon", sihub.Company{Description: "Main process : forging (hot), heat treat."},
			[]string{"forging", "heat_treatment"}, nil, "heat_treatment", nil},
		{"a sentence opening with nhận gia công", sihub.Company{Description: "Nhận gia công tấm, chấn gấp. Ngoài ra nhận sơn tĩnh điện."},
			[]string{"sheet_metal", "bending", "powder_coating"}, nil, "sheet_metal", nil},
		{"Japanese-English assy", sihub.Company{CapabilitiesText: "PCB Ass'y; Wire Harness Ass'y", MaterialsText: "PVC insulated copper wire"},
			[]string{"pcba", "wire_harness"}, []string{"pcb_fabrication"}, "", []string{"wire", "pvc", "copper"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			c.TaxCode, c.Name = "0100112437", "A"
			if err := Prepare(&c); err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.has {
				if !c.HasProcess(p) {
					t.Errorf("no %s in %+v", p, c.Capabilities)
				}
			}
			for _, p := range tt.hasNot {
				for _, cp := range c.Capabilities {
					if cp.Process == p {
						t.Errorf("%s read from %q", p, cp.Evidence)
					}
				}
			}
			if tt.core != "" {
				for _, cp := range c.Capabilities {
					if cp.Process == tt.core && !cp.Core {
						t.Errorf("%s not core: %+v", tt.core, cp)
					}
				}
			}
			if tt.name == "a sentence opening with nhận gia công" {
				for _, cp := range c.Capabilities {
					if cp.Process == "powder_coating" && cp.Core {
						t.Errorf("powder coating taken on besides is core: %+v", cp)
					}
				}
			}
			if tt.materials != nil {
				got := []string{}
				for _, m := range c.Materials {
					got = append(got, m.Code)
				}
				if !slices.Equal(got, tt.materials) {
					t.Errorf("materials %v, want %v", got, tt.materials)
				}
			}
		})
	}
}
