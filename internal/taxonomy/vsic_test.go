package taxonomy

import (
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestVSICCodes(t *testing.T) {
	codes := VSICCodes()
	levels := map[int]int{}
	seen := map[string]VSIC{}
	for _, v := range codes {
		levels[v.Level]++
		if v.NameVI == "" {
			t.Errorf("%s has no Vietnamese title", v.Code)
		}
		if v.Level == 1 {
			if v.Code != "C" || v.Parent != "" {
				t.Errorf("section row %+v", v)
			}
		} else {
			p, ok := seen[v.Parent]
			if !ok || p.Level != v.Level-1 || len(v.Code) != v.Level || (v.Level > 2 && v.Code[:len(p.Code)] != p.Code) {
				t.Errorf("%s: parent %q does not fit", v.Code, v.Parent)
			}
		}
		if v.Level <= 3 && v.NameEN == "" {
			t.Errorf("%s (level %d) has no English title", v.Code, v.Level)
		}
		if got, ok := VSICByCode(v.Code); !ok || got != v {
			t.Errorf("VSICByCode(%q) = %+v, %v", v.Code, got, ok)
		}
		seen[v.Code] = v
	}
	// Decision 36/2025/QĐ-TTg, section C: 24 divisions, 71 groups, 143
	// classes, 177 sub-classes.
	for lvl, want := range map[int]int{1: 1, 2: 24, 3: 71, 4: 143, 5: 177} {
		if levels[lvl] != want {
			t.Errorf("%d codes at level %d, want %d", levels[lvl], lvl, want)
		}
	}
}

func TestVSICByCode(t *testing.T) {
	for _, c := range []struct{ code, vi, en string }{
		{"25", "Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)", "Manufacture of fabricated metal products, except machinery and equipment"},
		{"22", "Sản xuất sản phẩm từ cao su và plastic", "Manufacture of rubber and plastics products"},
		{"2592", "Gia công cơ khí; xử lý và tráng phủ kim loại", "Machining; treatment and coating of metals"},
		{"25920", "Gia công cơ khí; xử lý và tráng phủ kim loại", "Machining; treatment and coating of metals"},
		{"2432", "Đúc kim loại màu", "Casting of non-ferrous metals"},
		{"293", "Sản xuất phụ tùng và bộ phận phụ trợ cho xe ô tô và xe có động cơ khác", "Manufacture of parts and accessories for motor vehicles"},
		{"10101", "Giết mổ gia súc, gia cầm", ""},
	} {
		v, ok := VSICByCode(c.code)
		if !ok || v.NameVI != c.vi || v.NameEN != c.en {
			t.Errorf("VSICByCode(%q) = %+v, %v", c.code, v, ok)
		}
	}
	if v, _ := VSICByCode("10101"); v.Label(sihub.EN) != v.NameVI {
		t.Errorf("Label falls back to %q", v.Label(sihub.EN))
	}
	if v, _ := VSICByCode("28"); v.Label(sihub.EN) != "Manufacture of machinery and equipment n.e.c." || v.Label(sihub.VI) != v.NameVI {
		t.Errorf("Label of 28: %q", v.Label(sihub.EN))
	}
	for _, c := range []string{"", "A", "0111", "4100", "2590", "259200", "C1"} {
		if _, ok := VSICByCode(c); ok {
			t.Errorf("VSICByCode(%q) found a code", c)
		}
	}
}

func TestVSICFrom2018(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2592", "2592"},   // unchanged
		{"25920", "25920"}, // unchanged
		{"1104", "1105"},   // soft drinks renumbered
		{"11042", "11052"},
		{"31001", "31010"}, // wooden furniture became its own class
		{"1410", "1410"},   // renamed only
		{"1103", ""},       // beer and malt split
		{"2610", ""},       // electronic components split (solar cells)
		{"3100", ""},       // furniture split by material
		{"30", ""},         // weapons moved to division 25
		{"9999", ""},
		{"4100", ""}, // not section C
		{"", ""},
	} {
		got, ok := VSICFrom2018(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("VSICFrom2018(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
		if ok {
			if _, valid := VSICByCode(got); !valid {
				t.Errorf("VSICFrom2018(%q) = %q, not a 2025 code", c.in, got)
			}
		}
	}
}
