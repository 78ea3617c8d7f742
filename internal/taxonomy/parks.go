package taxonomy

import (
	"fmt"
	"slices"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Park kinds.
const (
	ParkIndustrial = "ip"       // khu công nghiệp
	ParkEPZ        = "epz"      // khu chế xuất
	ParkHighTech   = "hitech"   // khu công nghệ cao
	ParkSoftware   = "software" // công viên phần mềm
)

// Park is an industrial park, export processing zone or high-tech park
// around Ho Chi Minh City. Name is its identity: companies store it.
type Park struct {
	Name         string   // e.g. "Khu chế xuất Tân Thuận"
	NameEn       string   // e.g. "Tan Thuan Export Processing Zone"
	ProvinceCode string   // the 2025 province
	Kind         string   // ParkIndustrial, ParkEPZ…
	Aliases      []string // other ways it is written: "VSIP II", "SHTP", "Nhơn Trạch I"
}

// Label returns the park's name in lang.
func (p Park) Label(lang sihub.Lang) string {
	if lang == sihub.EN {
		return p.NameEn
	}
	return p.Name
}

var parkData = sync.OnceValue(func() []Park {
	var ps []Park
	seen := map[string]bool{}
	err := readPlaceTSV("parks.tsv", 6, func(f []string) error {
		if _, ok := ProvinceByCode(f[2]); !ok {
			return fmt.Errorf("park %s: unknown province %s", f[0], f[2])
		}
		switch f[3] {
		case ParkIndustrial, ParkEPZ, ParkHighTech, ParkSoftware:
		default:
			return fmt.Errorf("park %s: unknown kind %s", f[0], f[3])
		}
		if seen[f[0]] {
			return fmt.Errorf("park %s listed twice", f[0])
		}
		seen[f[0]] = true
		ps = append(ps, Park{Name: f[0], NameEn: f[1], ProvinceCode: f[2], Kind: f[3], Aliases: splitList(f[4], "|")})
		return nil
	})
	if err != nil {
		panic("taxonomy: " + err.Error())
	}
	return ps
})

// Parks returns the known parks, grouped by province. The Aliases slices
// are shared: do not modify them.
func Parks() []Park { return slices.Clone(parkData()) }

// ParkByName returns the park whose Name is name.
func ParkByName(name string) (Park, bool) {
	for _, p := range parkData() {
		if p.Name == name {
			return p, true
		}
	}
	return Park{}, false
}
