package taxonomy

import (
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// The 36 zones of SIHub's seed list (shared/data/compiled), with the 2025
// province: Bình Dương and Bà Rịa–Vũng Tàu are now Ho Chi Minh City.
var seedParks = []string{
	"Khu chế xuất Tân Thuận", "Khu chế xuất Linh Trung I", "Khu chế xuất Linh Trung II",
	"Khu công nghiệp Hiệp Phước", "Khu công nghiệp Tân Tạo", "Khu công nghiệp Vĩnh Lộc",
	"Khu công nghiệp Tân Phú Trung", "Khu công nghiệp Tây Bắc Củ Chi", "Khu công nghiệp Tân Bình",
	"Khu công nghiệp Lê Minh Xuân", "Khu công nghiệp Bình Chiểu", "Khu công nghiệp Cát Lái (Cụm II)",
	"Khu công nghiệp Tân Thới Hiệp", "Khu công nghiệp Đông Nam", "Khu công nghiệp Phong Phú",
	"Khu Công nghệ cao TP.HCM", "Công viên phần mềm Quang Trung", "Khu công nghiệp Việt Nam - Singapore (VSIP I)",
	"Khu công nghiệp VSIP II", "Khu công nghiệp Sóng Thần", "Khu công nghiệp Phú Tân", "Khu công nghiệp Mỹ Phước",
	"Khu công nghiệp Bàu Bàng", "Khu công nghiệp Đồng An", "Khu công nghiệp Việt Hương",
	"Khu công nghiệp Tân Đông Hiệp", "Khu công nghiệp Nam Tân Uyên", "Khu công nghiệp Đại Đăng",
	"Khu công nghiệp Kim Huy", "Khu công nghiệp Phú Mỹ I", "Khu công nghiệp Phú Mỹ II", "Khu công nghiệp Phú Mỹ III",
	"Khu công nghiệp Mỹ Xuân A", "Khu công nghiệp Cái Mép", "Khu công nghiệp Đông Xuyên", "Khu công nghiệp Châu Đức",
}

func TestParks(t *testing.T) {
	ps := Parks()
	if len(ps) < 80 {
		t.Errorf("%d parks, want at least 80", len(ps))
	}
	names := map[string]bool{}
	for _, p := range ps {
		if _, ok := ProvinceByCode(p.ProvinceCode); !ok {
			t.Errorf("%s: unknown province %q", p.Name, p.ProvinceCode)
		}
		if p.NameEn == "" || names[p.Name] {
			t.Errorf("%s: no English name or listed twice", p.Name)
		}
		names[p.Name] = true
		for _, a := range p.Aliases {
			if strings.TrimSpace(a) != a || a == "" {
				t.Errorf("%s: bad alias %q", p.Name, a)
			}
		}
		if got, ok := ParkByName(p.Name); !ok || got.Name != p.Name {
			t.Errorf("ParkByName(%q) = %+v, %v", p.Name, got, ok)
		}
	}
	for _, n := range seedParks {
		p, ok := ParkByName(n)
		if !ok {
			t.Errorf("seed park %q missing", n)
		} else if p.ProvinceCode != "79" {
			t.Errorf("seed park %q in %s, want 79", n, p.ProvinceCode)
		}
	}
	for _, c := range []struct{ name, prov, kind string }{
		{"Khu công nghiệp Amata", "75", ParkIndustrial},
		{"Khu công nghiệp Nhơn Trạch 6", "75", ParkIndustrial},
		{"Khu công nghiệp Becamex Bình Phước", "75", ParkIndustrial}, // Bình Phước is now Đồng Nai
		{"Khu công nghiệp Long Hậu", "80", ParkIndustrial},           // Long An is now Tây Ninh
		{"Khu công nghiệp Tân Đức", "80", ParkIndustrial},
		{"Khu chế xuất và công nghiệp Linh Trung III", "80", ParkEPZ},
		{"Khu chế xuất Tân Thuận", "79", ParkEPZ},
		{"Khu Công nghệ cao TP.HCM", "79", ParkHighTech},
	} {
		if p, ok := ParkByName(c.name); !ok || p.ProvinceCode != c.prov || p.Kind != c.kind {
			t.Errorf("ParkByName(%q) = %+v, %v", c.name, p, ok)
		}
	}
	if p, _ := ParkByName("Khu chế xuất Tân Thuận"); p.Label(sihub.EN) != "Tan Thuan Export Processing Zone" {
		t.Errorf("Label = %q", p.Label(sihub.EN))
	}
	if _, ok := ParkByName("KCN Tân Thuận"); ok {
		t.Error("ParkByName matched an alias; aliases are package match's job")
	}
}
