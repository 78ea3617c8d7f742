package match

import (
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

func TestTermToken(t *testing.T) {
	for _, c := range []struct {
		kind taxonomy.TermKind
		code string
		want string
	}{
		{taxonomy.KindProcess, "injection_molding", "zpinjectionmolding"},
		{taxonomy.KindMaterial, "pa66_gf30", "zmpa66gf30"},
		{taxonomy.KindCertification, "iatf16949", "zciatf16949"},
		{taxonomy.KindEquipment, "injection_press", "zeinjectionpress"},
		{"sector", "mechanical", ""},
	} {
		if got := TermToken(c.kind, c.code); got != c.want {
			t.Errorf("TermToken(%s, %s) = %q, want %q", c.kind, c.code, got, c.want)
		}
	}
	// Every code of every kind has its own token, a plain alphanumeric word.
	seen := map[string]string{}
	add := func(kind taxonomy.TermKind, code string) {
		tok := TermToken(kind, code)
		if !isAlnumLower(tok) {
			t.Errorf("%s %s: token %q is not one lower-case alphanumeric word", kind, code, tok)
		}
		if prev, dup := seen[tok]; dup {
			t.Errorf("%s %s and %s share the token %q", kind, code, prev, tok)
		}
		seen[tok] = string(kind) + " " + code
		if k, c, ok := TermOfToken(tok); !ok || k != kind || c != code {
			t.Errorf("TermOfToken(%q) = %s %s %v; want %s %s", tok, k, c, ok, kind, code)
		}
	}
	for _, p := range taxonomy.Processes() {
		add(taxonomy.KindProcess, p.Code)
	}
	for _, m := range taxonomy.Materials() {
		add(taxonomy.KindMaterial, m.Code)
	}
	for _, c := range taxonomy.Certifications() {
		add(taxonomy.KindCertification, c.Code)
	}
	for _, e := range taxonomy.EquipmentKinds() {
		add(taxonomy.KindEquipment, e.Code)
	}
}

func isAlnumLower(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func TestIndexTokens(t *testing.T) {
	c := &sihub.Company{
		Name:             "Công ty TNHH Nhựa Kỹ Thuật Trường Sơn",
		NameEn:           "Truong Son Plastics",
		TaxCode:          "0312345678",
		Address:          "Lô A2, đường số 5, KCN Vĩnh Lộc",
		ProvinceInput:    "TP. Hồ Chí Minh",
		IndustrialPark:   "KCN Vĩnh Lộc",
		CapabilitiesText: "phay CNC; ép phun",
		MaterialsText:    "SUS304, PA66 GF30",
		EquipmentText:    "máy ép nhựa 2.5 tấn",
		Description:      "Đạt ISO 9001:2015.",
		MainCustomers:    "Honda",
		ExportMarkets:    "Nhật Bản",
		Website:          "https://www.truongson-plastic.com.vn/gioi-thieu",
	}
	Analyze(c)
	toks := IndexTokens(c)
	for _, want := range []string{
		"cong", "nhua", "truong", "son", "plastics", "0312345678", "lo", "a", "2", "vinh", "loc", "ho", "chi", "minh",
		"phay", "cnc", "ep", "phun", "sus", "304", "pa", "66", "gf", "30", "5", "honda", "nhat", "ban",
		"truongson", "plastic", "com", "vn",
		"zpcncmilling", "zpcncmachining", "zpmachining", "zpinjectionmolding", "zpplasticprocessing",
		"zmsus304", "zmstainless", "zmpa66gf30", "zmplastic", "zciso9001", "zeinjectionpress",
	} {
		if !slices.Contains(toks, want) {
			t.Errorf("IndexTokens lacks %q: %v", want, toks)
		}
	}
	seen := map[string]bool{}
	for _, tok := range toks {
		if seen[tok] {
			t.Errorf("token %q twice", tok)
		}
		seen[tok] = true
		if !isAlnumLower(tok) && !strings.ContainsFunc(tok, func(r rune) bool { return r > 0x7f }) {
			t.Errorf("token %q is not a plain word", tok)
		}
	}
	if slices.Contains(toks, "gioi") || slices.Contains(toks, "www") {
		t.Errorf("the website's path or www is indexed: %v", toks)
	}
}

func TestParseQuery(t *testing.T) {
	for _, c := range []struct {
		q     string
		terms [][]string
		words []string
	}{
		{"ep nhua", [][]string{{"zpinjectionmolding"}}, nil},
		{"Ép Nhựa", [][]string{{"zpinjectionmolding"}}, nil},
		{"plastic injection", [][]string{{"zpinjectionmolding"}}, nil},
		{"injection moulding binh duong", [][]string{{"zpinjectionmolding"}}, []string{"binh", "duong"}},
		{"Công ty TNHH cơ khí Phú Cường", nil, []string{"co", "khi", "phu", "cuong"}},
		{"Cong ty co phan Dai Duong and co", nil, []string{"dai", "duong", "co"}},
		{"duc", [][]string{{"zpcasting", "duc"}}, nil},
		{"đùn", [][]string{{"zpaluminiumextrusion", "zpplasticextrusion", "dun"}}, nil},
		{"gia công CNC", [][]string{{"zpcncmachining"}}, nil},
		{"tiện CNC", [][]string{{"zpcncturning", "zpcncmachining"}}, nil},
		{"tiện phay", [][]string{{"zpcncturning", "zpcncmachining"}, {"zpcncmilling", "zpcncmachining"}}, nil},
		{"CNC", [][]string{{"zpcncmachining", "zecncmachiningcenter", "cnc"}}, nil},
		{"inox 304 ISO 9001", [][]string{{"zmsus304"}, {"zciso9001"}}, nil},
		{"máy ép 450 tấn", [][]string{{"zeinjectionpress", "zestampingpress", "zerubberpress"}}, nil},
		{"chuyên ép nhựa", [][]string{{"zpinjectionmolding"}}, nil},
		{"ép nhựa Đồng Nai", [][]string{{"zpinjectionmolding"}}, []string{"dong", "nai"}},
		{"2.5 kW", nil, nil},
		{"honda", nil, []string{"honda"}},
		{"ep nhua, ép nhựa", [][]string{{"zpinjectionmolding"}}, nil},
		{"", nil, nil},
	} {
		terms, words := ParseQuery(c.q)
		if !slices.EqualFunc(terms, c.terms, slices.Equal) || !slices.Equal(words, c.words) {
			t.Errorf("ParseQuery(%q) = %v, %q; want %v, %q", c.q, terms, words, c.terms, c.words)
		}
	}
}

// satisfied reports whether a company's index tokens satisfy a query, the
// way the store runs it: every term set has one of its tokens, every word
// begins some token.
func satisfied(terms [][]string, words []string, toks []string) bool {
	for _, alts := range terms {
		if !slices.ContainsFunc(alts, func(a string) bool { return slices.Contains(toks, a) }) {
			return false
		}
	}
	for _, w := range words {
		if !slices.ContainsFunc(toks, func(t string) bool { return strings.HasPrefix(t, w) }) {
			return false
		}
	}
	return true
}

// Searches find suppliers across languages, diacritics and synonyms.
func TestSearchAcrossLanguages(t *testing.T) {
	suppliers := map[string]*sihub.Company{
		"moulder": {Name: "Công ty TNHH An Phát", CapabilitiesText: "injection moulding, mould making"},
		"ep phun": {Name: "Cong ty Binh Minh", CapabilitiesText: "ép phun nhựa kỹ thuật"},
		"miller":  {Name: "Precision Parts Co.", Description: "We specialize in CNC milling of A6061 and SUS304."},
		"lathe":   {Name: "Cơ khí Hoàng Gia", Description: "Chuyen tien CNC, gia cong co khi chinh xac"},
		"plater":  {Name: "Xi mạ Tân Thành", CapabilitiesText: "mạ kẽm, mạ niken"},
		"sheet":   {Name: "Kim khí Việt", CapabilitiesText: "cắt laser; chấn gấp tôn"},
		"foundry": {Name: "Đúc Nam Á", CapabilitiesText: "đúc áp lực nhôm ADC12"},
		"hanviet": {Name: "Công ty Hàn Việt", CapabilitiesText: "bao bì carton"},
		"auto":    {Name: "Auto Parts VN", CertificationsText: "ISO/TS 16949", CapabilitiesText: "dập kim loại"},
	}
	index := map[string][]string{}
	for k, c := range suppliers {
		Analyze(c)
		index[k] = IndexTokens(c)
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"ep nhua", []string{"ep phun", "moulder"}},
		{"plastic injection", []string{"ep phun", "moulder"}},
		{"ép phun", []string{"ep phun", "moulder"}},
		{"làm khuôn", []string{"moulder"}},
		{"gia công CNC", []string{"lathe", "miller"}},
		{"CNC machining", []string{"lathe", "miller"}},
		{"phay CNC", []string{"lathe", "miller"}}, // the lathe shop declared "gia công cơ khí chính xác"
		{"inox", []string{"miller"}},
		{"nhôm", []string{"foundry", "miller"}},
		{"zinc plating", []string{"plater"}},
		{"xi ma", []string{"plater"}},
		{"sheet metal", []string{"sheet"}},
		{"die casting", []string{"foundry"}},
		{"duc", []string{"foundry"}},
		{"han", []string{"hanviet"}}, // no welder here, but the company named Hàn Việt
		{"IATF 16949", []string{"auto"}},
		{"stamping iatf", []string{"auto"}},
		{"an phat", []string{"moulder"}},
		{"corrugated carton", []string{"hanviet"}},
	} {
		terms, words := ParseQuery(c.q)
		var got []string
		for k, toks := range index {
			if satisfied(terms, words, toks) {
				got = append(got, k)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q (%v %q) finds %v, want %v", c.q, terms, words, got, c.want)
		}
	}
}
