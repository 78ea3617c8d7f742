package sheet

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Known answers: the national motto and place names as they appear in old
// documents typed in these encodings and opened without the font.
func TestFromTCVN3(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"},
		{"§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"},
		{"B¶o Th¾ng", "Bảo Thắng"},
		{"M\u00adêng Kh\u00ad¬ng", "Mường Khương"},
		{"C«ng ty TNHH C¬ khÝ §øc ViÖt", "Công ty TNHH Cơ khí Đức Việt"},
		{"Thµnh phè Hå ChÝ Minh", "Thành phố Hồ Chí Minh"},
		{"C«NG TY Cæ PHÇN", "CÔNG TY CỔ PHẦN"}, // .VnTimeH capitals
		{"C«ng ty TNHH C¬ KHÝ", "Công ty TNHH Cơ KHÍ"},
		{"ISO 9001", "ISO 9001"},
	} {
		if got := fromTCVN3(tc.in); got != tc.want {
			t.Errorf("fromTCVN3(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFromVNI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"},
		{"Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"},
		{"Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"},
		{"Tröôøng Ñaïi hoïc Baùch khoa", "Trường Đại học Bách khoa"},
		{"ñòa chæ, Vónh Long, Ñaø Naüng, kyõ thuaät, naêm, ngaét, gheá", "địa chỉ, Vĩnh Long, Đà Nẵng, kỹ thuật, năm, ngắt, ghế"},
		{"COÂNG TY TNHH ÑIEÄN TÖÛ", "CÔNG TY TNHH ĐIỆN TỬ"},
		{"ISO 9001", "ISO 9001"},
	} {
		if got := fromVNI(tc.in); got != tc.want {
			t.Errorf("fromVNI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every lower-case Vietnamese letter survives encoding and decoding through
// both tables, and nothing decodes to a non-NFC string.
func TestLegacyRoundTrip(t *testing.T) {
	var all []rune
	for _, base := range "aăâeêioôơuưy" {
		for _, tone := range []rune{0, grave, hook, tilde, acute, dotBelow} {
			s := string(base)
			if tone != 0 {
				s += string(tone)
			}
			all = append(all, []rune(norm.NFC.String(s))...)
		}
	}
	all = append(all, 'đ', 'Đ', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư')
	text := string(all)
	if got := fromTCVN3(asWin1252Text(t, toTCVN3(t, text))); got != text {
		t.Errorf("TCVN3 round trip:\n got %q\nwant %q", got, text)
	}
	upper := strings.ToUpper(text)
	for _, s := range []string{text, upper} {
		if got := fromVNI(asWin1252Text(t, toVNI(t, s))); got != s {
			t.Errorf("VNI round trip:\n got %q\nwant %q", got, s)
		}
	}
}

func TestVietSyllable(t *testing.T) {
	good := strings.Fields("a ba của người nghiêng giữa gì quốc quyết khuỷu thuở xoong oà ưu tiếng Việt Nguyễn ĐÀ CÔNG ngoằn")
	bad := strings.Fields("coâng vieät c«ng thµnh ñaïi müller ab xyz ngh quáń cafe")
	// Generated: every onset with a few rhymes and every tone.
	for _, o := range []string{"", "b", "ch", "gh", "kh", "ng", "ngh", "nh", "ph", "th", "tr", "đ"} {
		for _, r := range []string{"a", "anh", "ương", "iêt", "oai", "uyên", "ât", "ơi"} {
			for _, tone := range []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} {
				rr := []rune(r)
				good = append(good, norm.NFC.String(o+string(rr[:1])+tone+string(rr[1:])))
			}
		}
	}
	for _, w := range good {
		if !vietSyllable(w) {
			t.Errorf("vietSyllable(%q) = false", w)
		}
	}
	for _, w := range bad {
		if vietSyllable(w) {
			t.Errorf("vietSyllable(%q) = true", w)
		}
	}
}

func TestPickLegacy(t *testing.T) {
	score := func(lines ...string) (o, tc, v vietScore) {
		for _, l := range lines {
			o.add(l)
			tc.add(fromTCVN3(l))
			v.add(fromVNI(l))
		}
		return
	}
	for _, tc := range []struct {
		name string
		text []string
		want legacy
	}{
		{"unicode", []string{"Công ty TNHH Cơ khí Đức Việt, Thành phố Hồ Chí Minh"}, legacyNone},
		{"unicode with foreign names", []string{"Müller GmbH ® Nestlé Việt Nam, Société Générale, Bình Dương"}, legacyNone},
		{"tcvn3", []string{"C«ng ty TNHH C¬ khÝ §øc ViÖt", "Thµnh phè Hå ChÝ Minh"}, legacyTCVN3},
		{"vni", []string{"Coâng ty TNHH Cô khí Ñöùc Vieät", "Thaønh phoá Hoà Chí Minh"}, legacyVNI},
		{"ascii", []string{"Cong ty TNHH Co khi Duc Viet"}, legacyNone},
	} {
		if got := pickLegacy(score(tc.text...)); got != tc.want {
			t.Errorf("%s: pickLegacy = %v, want %v", tc.name, got, tc.want)
		}
	}
}
