package taxonomy

import (
	"strings"
	"testing"
)

func TestCertBodies(t *testing.T) {
	bs := CertBodies()
	if len(bs) < 25 {
		t.Errorf("%d bodies, want at least 25", len(bs))
	}
	byName := map[string]CertBody{}
	for _, b := range bs {
		if len(b.Aliases) == 0 || b.Aliases[0].Text != b.Name {
			t.Errorf("%s: the name is not the first alias: %+v", b.Name, b.Aliases)
		}
		for _, a := range b.Aliases {
			if a.Text == "" || strings.TrimSpace(a.Text) != a.Text {
				t.Errorf("%s: bad alias %q", b.Name, a.Text)
			}
		}
		byName[b.Name] = b
	}
	for _, c := range []struct {
		name, alias string
		hint        Hint
	}{
		{"Bureau Veritas", "BV", HintCase},
		{"Bureau Veritas", "Bureau Veritas", 0},
		{"UL Solutions", "UL", HintCase},
		{"TÜV SÜD", "TUV SUD", 0},
		{"TÜV Rheinland", "TÜV Rheinland", 0},
		{"LRQA", "Lloyd's Register", 0},
		{"DNV", "DNV GL", 0},
		{"QUACERT", "Trung tâm Chứng nhận Phù hợp", 0},
		{"SGS", "SGS", 0},
		{"Intertek", "Intertek", 0},
		{"Vinacert", "Vinacert", 0},
		{"Vietcert", "Vietcert", 0},
	} {
		b, ok := byName[c.name]
		if !ok {
			t.Errorf("%s missing", c.name)
			continue
		}
		if i := aliasIndex(b.Aliases, c.alias); i < 0 || b.Aliases[i].Hint != c.hint {
			t.Errorf("%s: alias %q with hint %d missing in %+v", c.name, c.alias, c.hint, b.Aliases)
		}
	}
}

func TestParseCertBodiesErrors(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"SGS\n", "1 columns"},
		{"# header\n\t-\n", "empty name"},
		{"SGS\t~sgs\n", "only the hint ="},
		{"SGS\t-\nSociété Générale\tsgs\n", `"sgs" also names SGS`},
		{"SGS\ta |  | b\n", "empty alias"},
		{"# only a header\n", "no bodies"},
	} {
		_, err := parseCertBodies([]byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.data, err, c.want)
		}
	}
	bs, err := parseCertBodies([]byte("UL Solutions\t=UL | UL\nSGS\t-\n"))
	if err != nil || len(bs) != 2 || len(bs[0].Aliases) != 2 || bs[0].Aliases[1].Hint != HintCase || len(bs[1].Aliases) != 1 {
		t.Errorf("parsed %+v, %v", bs, err)
	}
}
