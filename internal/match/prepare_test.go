package match

import (
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
