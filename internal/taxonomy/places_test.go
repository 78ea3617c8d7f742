package taxonomy

import (
	"bytes"
	"compress/gzip"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestProvinces(t *testing.T) {
	ps := Provinces()
	if len(ps) != 34 {
		t.Fatalf("%d provinces, want 34", len(ps))
	}
	code := regexp.MustCompile(`^\d\d$`)
	seen := map[string]bool{}
	for _, p := range ps {
		if !code.MatchString(p.Code) || seen[p.Code] {
			t.Errorf("bad or repeated code %q", p.Code)
		}
		seen[p.Code] = true
		if p.Name == "" || p.NameEn == "" || p.Codename == "" ||
			!(strings.HasPrefix(p.FullName, "Tỉnh ") || strings.HasPrefix(p.FullName, "Thành phố ")) {
			t.Errorf("incomplete province %+v", p)
		}
		if q, ok := ProvinceByCode(p.Code); !ok || q != p {
			t.Errorf("ProvinceByCode(%q) = %+v, %v", p.Code, q, ok)
		}
	}
	for _, c := range []struct{ code, name, full, en string }{
		{"79", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Ho Chi Minh City"},
		{"01", "Hà Nội", "Thành phố Hà Nội", "Hanoi"},
		{"48", "Đà Nẵng", "Thành phố Đà Nẵng", "Da Nang"},
		{"75", "Đồng Nai", "Tỉnh Đồng Nai", "Dong Nai"},
		{"80", "Tây Ninh", "Tỉnh Tây Ninh", "Tay Ninh"},
		{"66", "Đắk Lắk", "Tỉnh Đắk Lắk", "Dak Lak"},
	} {
		p, ok := ProvinceByCode(c.code)
		if !ok || p.Name != c.name || p.FullName != c.full || p.NameEn != c.en {
			t.Errorf("ProvinceByCode(%q) = %+v, %v", c.code, p, ok)
		}
	}
	if p, _ := ProvinceByCode("79"); p.Label(sihub.EN) != "Ho Chi Minh City" || p.Label(sihub.VI) != "TP. Hồ Chí Minh" {
		t.Errorf("Label: %q, %q", p.Label(sihub.EN), p.Label(sihub.VI))
	}
	for _, c := range []string{"", "74", "1", "00", "999"} {
		if _, ok := ProvinceByCode(c); ok {
			t.Errorf("ProvinceByCode(%q) found a 2025 province", c)
		}
	}
	ps[0].Name = "changed"
	if Provinces()[0].Name == "changed" {
		t.Error("Provinces returns shared storage")
	}
}

func TestWards(t *testing.T) {
	ws := Wards()
	if len(ws) != 3321 {
		t.Fatalf("%d wards, want 3,321", len(ws))
	}
	code := regexp.MustCompile(`^\d{5}$`)
	kind := regexp.MustCompile(`^(Phường|Xã|Đặc khu) \S`)
	n := 0
	for _, p := range Provinces() {
		in := WardsOf(p.Code)
		if len(in) == 0 {
			t.Errorf("province %s has no wards", p.Code)
		}
		n += len(in)
		for _, w := range in {
			if w.ProvinceCode != p.Code || !code.MatchString(w.Code) || !kind.MatchString(w.Name) {
				t.Errorf("bad ward %+v in %s", w, p.Code)
			}
			if got, ok := WardByCode(w.Code); !ok || got != w {
				t.Errorf("WardByCode(%q) = %+v, %v", w.Code, got, ok)
			}
		}
	}
	if n != len(ws) {
		t.Errorf("WardsOf covers %d of %d wards", n, len(ws))
	}
	// Ho Chi Minh City after absorbing Bình Dương and Bà Rịa–Vũng Tàu: 113
	// phường, 54 xã and the special zone Côn Đảo.
	if n := len(WardsOf("79")); n != 168 {
		t.Errorf("Ho Chi Minh City has %d units, want 168", n)
	}
	for _, c := range []struct{ code, name, prov string }{
		{"26800", "Phường Linh Xuân", "79"},
		{"27478", "Phường Tân Thuận", "79"},
		{"26732", "Đặc khu Côn Đảo", "79"},
		{"25942", "Phường Dĩ An", "79"},
		{"00004", "Phường Ba Đình", "01"},
	} {
		if w, ok := WardByCode(c.code); !ok || w.Name != c.name || w.ProvinceCode != c.prov {
			t.Errorf("WardByCode(%q) = %+v, %v", c.code, w, ok)
		}
	}
	if _, ok := WardByCode("99999"); ok {
		t.Error("WardByCode found 99999")
	}
	if WardsOf("74") != nil {
		t.Error("WardsOf an old province code returned wards")
	}
}

func TestOldProvinces(t *testing.T) {
	olds := OldProvinces()
	if len(olds) != 63 {
		t.Fatalf("%d old provinces, want 63", len(olds))
	}
	reached := map[string]bool{}
	for _, o := range olds {
		if _, ok := ProvinceByCode(o.NewCode); !ok {
			t.Errorf("old province %s %s maps to unknown %q", o.Code, o.Name, o.NewCode)
		}
		if o.Name == "" || o.NameEn == "" || !strings.HasSuffix(o.FullName, o.Name) {
			t.Errorf("incomplete old province %+v", o)
		}
		reached[o.NewCode] = true
	}
	if len(reached) != 34 {
		t.Errorf("old provinces reach %d new provinces, want all 34", len(reached))
	}
	want := map[string]string{ // Resolution 202/2025/QH15
		"74": "79", "77": "79", "79": "79", // Bình Dương, Bà Rịa–Vũng Tàu → Ho Chi Minh City
		"70": "75", "75": "75", // Bình Phước → Đồng Nai
		"80": "80", "72": "80", // Long An → Tây Ninh
		"82": "82", "87": "82", // Tiền Giang, Đồng Tháp → Đồng Tháp
		"45": "44", "44": "44", // Quảng Trị, Quảng Bình → Quảng Trị
		"49": "48", "46": "46", "01": "01", "35": "37", "62": "51", "54": "66", "67": "68", "93": "92", "95": "96",
	}
	for _, o := range olds {
		if w, ok := want[o.Code]; ok && o.NewCode != w {
			t.Errorf("old province %s %s → %s, want %s", o.Code, o.Name, o.NewCode, w)
		}
		delete(want, o.Code)
	}
	if len(want) > 0 {
		t.Errorf("old provinces missing: %v", want)
	}
}

func TestOldDistrictsAndWards(t *testing.T) {
	ds := OldDistricts()
	if len(ds) != 696 {
		t.Errorf("%d old districts, want 696", len(ds))
	}
	newOf := map[string]string{}
	for _, o := range OldProvinces() {
		newOf[o.Code] = o.NewCode
	}
	dist := map[string]OldDistrict{}
	islands := 0
	for _, d := range ds {
		dist[d.Code] = d
		if _, ok := newOf[d.ProvinceCode]; !ok {
			t.Errorf("district %s in unknown old province %s", d.Code, d.ProvinceCode)
		}
		if d.NewWard != "" {
			islands++
			if w, ok := WardByCode(d.NewWard); !ok || w.ProvinceCode != newOf[d.ProvinceCode] {
				t.Errorf("island district %s → %q", d.Name, d.NewWard)
			}
		}
	}
	if islands != 5 { // Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo
		t.Errorf("%d island districts, want 5", islands)
	}
	if d := dist["755"]; d.Name != "Huyện Côn Đảo" || d.NewWard != "26732" {
		t.Errorf("district 755 = %+v", d)
	}
	ws := OldWards()
	if len(ws) != 10035 {
		t.Errorf("%d old wards, want 10,035", len(ws))
	}
	split := 0
	for _, w := range ws {
		d, ok := dist[w.DistrictCode]
		if !ok || d.ProvinceCode != w.ProvinceCode {
			t.Errorf("old ward %s in unknown district %s", w.Code, w.DistrictCode)
		}
		if len(w.NewCodes) > 1 {
			split++
			if w.Whole {
				t.Errorf("old ward %s merged whole into %d wards", w.Code, len(w.NewCodes))
			}
		}
		// Every conversion stays inside the province the old one became.
		for _, c := range w.NewCodes {
			if nw, _ := WardByCode(c); nw.ProvinceCode != newOf[w.ProvinceCode] {
				t.Errorf("old ward %s %s → %s in province %s, want %s", w.Code, w.Name, c, nw.ProvinceCode, newOf[w.ProvinceCode])
			}
		}
	}
	if split < 400 || split > 500 {
		t.Errorf("%d split old wards; the official table has about 440", split)
	}
}

func TestConvertWard(t *testing.T) {
	for _, c := range []struct{ old, want string }{
		{"26800", "26800"}, // Phường Linh Trung (Thủ Đức) → Phường Linh Xuân
		{"27466", "27478"}, // Phường Tân Thuận Đông (Quận 7) → Phường Tân Thuận
		{"00004", "00004"}, // Phường Trúc Bạch → Phường Ba Đình
		{"27691", "27694"}, // Phường 4, Tân An (Long An) → Phường Long An, Tây Ninh
		{"00007", ""},      // Phường Cống Vị: split
		{"00016", ""},      // Phường Ngọc Hà (old): split, though a 2025 Ngọc Hà exists
		{"00556", ""},      // Xã Đặng Xá: split (a row of the table carries 00553 by mistake)
		{"01651", "01648"}, // Xã Mỹ Hưng, Cao Bằng (the table writes 01615)
		{"99999", ""},
		{"", ""},
	} {
		got, ok := ConvertWard(c.old)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ConvertWard(%q) = %q, %v; want %q", c.old, got, ok, c.want)
		}
	}
	if w, ok := OldWardByCode("26800"); !ok || w.Name != "Phường Linh Trung" || w.DistrictCode != "769" || w.ProvinceCode != "79" || !w.Whole {
		t.Errorf("OldWardByCode(26800) = %+v, %v", w, ok)
	}
}

// Every data file says where its content comes from.
func TestDataHeaders(t *testing.T) {
	for name, cite := range map[string]string{
		"provinces.tsv":          "Resolution 202/2025/QH15",
		"wards.tsv.gz":           "Decision 19/2025/QĐ-TTg",
		"old_provinces.tsv":      "Decision 124/2004/QĐ-TTg",
		"old_districts.tsv":      "Decision 124/2004/QĐ-TTg",
		"ward_conversion.tsv.gz": "conversion table",
		"vsic2025.tsv":           "Decision 36/2025/QĐ-TTg",
		"vsic2018_to_2025.tsv":   "Decision 27/2018/QĐ-TTg",
		"parks.tsv":              "OpenStreetMap",
	} {
		var header strings.Builder
		err := readPlaceTSV(name, 0, func([]string) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "columns") {
			t.Errorf("%s: no data rows? %v", name, err)
		}
		b, _ := placeData.ReadFile("data/" + name)
		if strings.HasSuffix(name, ".gz") {
			b = gunzipForTest(t, b)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			header.WriteString(line)
		}
		if !strings.Contains(header.String(), cite) {
			t.Errorf("%s: header does not cite %q", name, cite)
		}
	}
}

func gunzipForTest(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
