package taxonomy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
)

// placeData holds the administrative map, VSIC and park tables. Large tables
// are gzipped: the binary embeds them and they are read once, on first use.
//
//go:embed data/provinces.tsv data/wards.tsv.gz data/old_provinces.tsv data/old_districts.tsv data/ward_conversion.tsv.gz data/vsic2025.tsv data/vsic2018_to_2025.tsv data/parks.tsv
var placeData embed.FS

// Province is one of the 34 provinces and centrally-run cities from 1 July
// 2025 (Resolution 202/2025/QH15).
type Province struct {
	Code     string // two digits, e.g. "79"
	Name     string // short display form: "TP. Hồ Chí Minh", "Hà Nội", "Đồng Nai"
	FullName string // official name: "Thành phố Hồ Chí Minh", "Tỉnh Đồng Nai"
	NameEn   string // "Ho Chi Minh City", "Hanoi", "Dong Nai"
	Codename string // ASCII snake case, e.g. "ho_chi_minh"
}

// Label returns the province's name in lang.
func (p Province) Label(lang sihub.Lang) string {
	if lang == sihub.EN {
		return p.NameEn
	}
	return p.Name
}

// Ward is a commune-level unit from 1 July 2025: a phường (ward), xã
// (commune) or đặc khu (special zone).
type Ward struct {
	Code         string // five digits, e.g. "26800"
	Name         string // with its kind, e.g. "Phường Linh Xuân"
	ProvinceCode string
}

// OldProvince is one of the 63 provinces before 1 July 2025.
type OldProvince struct {
	Code     string // the pre-2025 code: "74" was Bình Dương, "80" Long An
	Name     string // "Bình Dương"
	FullName string // "Tỉnh Bình Dương"
	NameEn   string // "Binh Duong"
	NewCode  string // the 2025 province it became part of
}

// OldDistrict is a district-level unit before 1 July 2025, when that level
// was abolished. Addresses written before then still name one.
type OldDistrict struct {
	Code         string   // three digits
	Name         string   // with its kind, e.g. "Quận 7", "Thành phố Thủ Đức"
	ProvinceCode string   // the old province's code
	Aliases      []string // earlier names still seen in addresses ("Quận 9" for Thủ Đức City)
	NewWard      string   // the 2025 unit an island district became whole, else ""
}

// OldWard is a commune-level unit before 1 July 2025 and the 2025 units its
// area went to, from the official conversion table.
type OldWard struct {
	Code         string
	Name         string   // as in the conversion table, e.g. "Phường Linh Trung"
	AltNames     []string // other official spellings of the name
	DistrictCode string
	ProvinceCode string   // the old province's code
	NewCodes     []string // 2025 ward codes; more than one when the unit was split
	Whole        bool     // the unit merged whole into NewCodes[0] (or kept its area)
}

type placeTables struct {
	provinces    []Province
	provinceIdx  map[string]int
	wards        []Ward
	wardIdx      map[string]int
	wardsByProv  map[string][]Ward
	oldProvinces []OldProvince
	oldDistricts []OldDistrict
	oldWards     []OldWard
	oldWardIdx   map[string]int
}

var places = sync.OnceValue(func() *placeTables {
	t, err := loadPlaces()
	if err != nil {
		// The tables are embedded and checked by the tests: a failure here
		// is a broken build, not a runtime condition.
		panic("taxonomy: " + err.Error())
	}
	return t
})

func loadPlaces() (*placeTables, error) {
	t := &placeTables{provinceIdx: map[string]int{}, wardIdx: map[string]int{},
		wardsByProv: map[string][]Ward{}, oldWardIdx: map[string]int{}}
	err := readPlaceTSV("provinces.tsv", 5, func(f []string) error {
		t.provinceIdx[f[0]] = len(t.provinces)
		t.provinces = append(t.provinces, Province{Code: f[0], Name: f[1], FullName: f[2], NameEn: f[3], Codename: f[4]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readPlaceTSV("wards.tsv.gz", 3, func(f []string) error {
		if _, ok := t.provinceIdx[f[1]]; !ok {
			return fmt.Errorf("ward %s: unknown province %s", f[0], f[1])
		}
		w := Ward{Code: f[0], Name: f[2], ProvinceCode: f[1]}
		t.wardIdx[w.Code] = len(t.wards)
		t.wards = append(t.wards, w)
		t.wardsByProv[w.ProvinceCode] = append(t.wardsByProv[w.ProvinceCode], w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	oldProv := map[string]bool{}
	err = readPlaceTSV("old_provinces.tsv", 5, func(f []string) error {
		if _, ok := t.provinceIdx[f[4]]; !ok {
			return fmt.Errorf("old province %s: unknown new province %s", f[0], f[4])
		}
		oldProv[f[0]] = true
		t.oldProvinces = append(t.oldProvinces, OldProvince{Code: f[0], Name: f[1], FullName: f[2], NameEn: f[3], NewCode: f[4]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	distProv := map[string]string{}
	err = readPlaceTSV("old_districts.tsv", 5, func(f []string) error {
		if !oldProv[f[2]] {
			return fmt.Errorf("old district %s: unknown old province %s", f[0], f[2])
		}
		if f[3] != "" {
			if _, ok := t.wardIdx[f[3]]; !ok {
				return fmt.Errorf("old district %s: unknown ward %s", f[0], f[3])
			}
		}
		distProv[f[0]] = f[2]
		t.oldDistricts = append(t.oldDistricts, OldDistrict{Code: f[0], Name: f[1], ProvinceCode: f[2],
			NewWard: f[3], Aliases: splitList(f[4], "|")})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readPlaceTSV("ward_conversion.tsv.gz", 5, func(f []string) error {
		p, ok := distProv[f[2]]
		if !ok {
			return fmt.Errorf("old ward %s: unknown district %s", f[0], f[2])
		}
		names := splitList(f[1], "|")
		w := OldWard{Code: f[0], Name: names[0], AltNames: names[1:], DistrictCode: f[2], ProvinceCode: p,
			NewCodes: splitList(f[3], ","), Whole: f[4] == "1"}
		for _, c := range w.NewCodes {
			if _, ok := t.wardIdx[c]; !ok {
				return fmt.Errorf("old ward %s: unknown new ward %s", f[0], c)
			}
		}
		if len(w.NewCodes) == 0 {
			return fmt.Errorf("old ward %s: no new ward", f[0])
		}
		t.oldWardIdx[w.Code] = len(t.oldWards)
		t.oldWards = append(t.oldWards, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// readPlaceTSV calls row for each data line of an embedded table, skipping
// "#" comments; a name ending in .gz is decompressed.
func readPlaceTSV(name string, cols int, row func([]string) error) error {
	b, err := placeData.ReadFile("data/" + name)
	if err != nil {
		return err
	}
	var r io.Reader = bytes.NewReader(b)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return fmt.Errorf("%s:%d: %d columns, want %d", name, n, len(f), cols)
		}
		if err := row(f); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	return sc.Err()
}

func splitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// Provinces returns the 34 provinces from 1 July 2025, in code order.
func Provinces() []Province { return slices.Clone(places().provinces) }

// ProvinceByCode returns the 2025 province with the given two-digit code.
func ProvinceByCode(code string) (Province, bool) {
	t := places()
	i, ok := t.provinceIdx[code]
	if !ok {
		return Province{}, false
	}
	return t.provinces[i], true
}

// Wards returns all 3,321 commune-level units from 1 July 2025, in code order.
func Wards() []Ward { return slices.Clone(places().wards) }

// WardsOf returns the wards of a 2025 province, in code order.
func WardsOf(province string) []Ward { return slices.Clone(places().wardsByProv[province]) }

// WardByCode returns the 2025 ward with the given five-digit code.
func WardByCode(code string) (Ward, bool) {
	t := places()
	i, ok := t.wardIdx[code]
	if !ok {
		return Ward{}, false
	}
	return t.wards[i], true
}

// OldProvinces returns the 63 provinces before 1 July 2025 with the 2025
// province each became part of.
func OldProvinces() []OldProvince { return slices.Clone(places().oldProvinces) }

// OldDistricts returns the 696 district-level units before 1 July 2025.
// The Aliases slices are shared: do not modify them.
func OldDistricts() []OldDistrict { return slices.Clone(places().oldDistricts) }

// OldWards returns the 10,035 commune-level units before 1 July 2025 with
// their 2025 successors. The inner slices are shared: do not modify them.
func OldWards() []OldWard { return slices.Clone(places().oldWards) }

// OldWardByCode returns the pre-2025 ward with the given five-digit code.
func OldWardByCode(code string) (OldWard, bool) {
	t := places()
	i, ok := t.oldWardIdx[code]
	if !ok {
		return OldWard{}, false
	}
	return t.oldWards[i], true
}

// ConvertWard returns the 2025 ward that a pre-2025 ward became. It reports
// false when the old ward is unknown or was split between several 2025
// wards, since guessing would place a company in the wrong one.
func ConvertWard(oldCode string) (string, bool) {
	w, ok := OldWardByCode(oldCode)
	if !ok || len(w.NewCodes) != 1 {
		return "", false
	}
	return w.NewCodes[0], true
}
