package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestParseCompanyFilter(t *testing.T) {
	tests := []struct {
		name  string
		query string
		staff bool
		check func(sihub.CompanyFilter) bool
		code  sihub.Code // "" for no error
		bad   []string   // parameter=value pairs the error must name
	}{
		{name: "empty", query: "", check: func(f sihub.CompanyFilter) bool {
			return f.Limit == sihub.DefaultLimit && f.Offset == 0 && !f.IncludeArchived && f.Verified == nil
		}},
		{name: "every filter", query: "q=ep+nhua&process=injection_molding,stamping&sector=22&sector=2592&cert=iso9001&province=79" +
			"&park=Khu+chế+xuất+Tân+Thuận&size=small,large&verified=true&kind=buyer&sort=name&limit=50&offset=100",
			check: func(f sihub.CompanyFilter) bool {
				return f.Q == "ep nhua" && len(f.Terms) > 0 && slices.Equal(f.Processes, []string{"injection_molding", "stamping"}) &&
					slices.Equal(f.Sectors, []string{"22", "2592"}) && slices.Equal(f.Certifications, []string{"iso9001"}) &&
					slices.Equal(f.Provinces, []string{"79"}) && slices.Equal(f.Parks, []string{"Khu chế xuất Tân Thuận"}) &&
					slices.Equal(f.SizeBands, []string{"small", "large"}) && *f.Verified && f.Kind == sihub.Buyer &&
					f.Sort == "name" && f.Limit == 50 && f.Offset == 100
			}},
		{name: "repeated values once", query: "process=stamping&process=stamping,stamping", check: func(f sihub.CompanyFilter) bool {
			return slices.Equal(f.Processes, []string{"stamping"})
		}},
		{name: "unknown process keeps the known one", query: "process=nonsense,stamping", code: sihub.ErrInvalid,
			bad: []string{"process=nonsense"}, check: func(f sihub.CompanyFilter) bool { return slices.Equal(f.Processes, []string{"stamping"}) }},
		{name: "unknown cert", query: "cert=xyz", code: sihub.ErrInvalid, bad: []string{"cert=xyz"}},
		{name: "unknown province", query: "province=999", code: sihub.ErrInvalid, bad: []string{"province=999"}},
		{name: "unknown VSIC code", query: "sector=9999", code: sihub.ErrInvalid, bad: []string{"sector=9999"}},
		{name: "VSIC section is not a sector filter", query: "sector=C", code: sihub.ErrInvalid, bad: []string{"sector=C"}},
		{name: "unknown size", query: "size=huge", code: sihub.ErrInvalid, bad: []string{"size=huge"}},
		{name: "unknown kind", query: "kind=seller", code: sihub.ErrInvalid, bad: []string{"kind=seller"}},
		{name: "unknown sort", query: "sort=cheapest", code: sihub.ErrInvalid, bad: []string{"sort=cheapest"}},
		{name: "bad verified", query: "verified=maybe", code: sihub.ErrInvalid, bad: []string{"verified=maybe"}},
		{name: "bad limit", query: "limit=0", code: sihub.ErrInvalid, bad: []string{"limit=0"},
			check: func(f sihub.CompanyFilter) bool { return f.Limit == sihub.DefaultLimit }},
		{name: "bad offset", query: "offset=-3", code: sihub.ErrInvalid, bad: []string{"offset=-3"}},
		{name: "several problems", query: "process=nonsense&cert=xyz&province=999&size=small", code: sihub.ErrInvalid,
			bad: []string{"process=nonsense", "cert=xyz", "province=999"},
			check: func(f sihub.CompanyFilter) bool {
				return f.Processes == nil && f.Certifications == nil && f.Provinces == nil && slices.Equal(f.SizeBands, []string{"small"})
			}},
		{name: "archived for staff", query: "include_archived=1", staff: true, check: func(f sihub.CompanyFilter) bool { return f.IncludeArchived }},
		{name: "archived off for staff", query: "include_archived=false", staff: true, check: func(f sihub.CompanyFilter) bool { return !f.IncludeArchived }},
		{name: "archived refused to the public", query: "include_archived=true", code: sihub.ErrForbidden},
		{name: "archived off for the public", query: "include_archived=0", check: func(f sihub.CompanyFilter) bool { return !f.IncludeArchived }},
		{name: "bad archived value", query: "include_archived=perhaps", staff: true, code: sihub.ErrInvalid, bad: []string{"include_archived=perhaps"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			f, err := ParseCompanyFilter(q, tt.staff)
			if got := sihub.ErrorCode(err); got != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if tt.check != nil && !tt.check(f) {
				t.Errorf("filter %+v", f)
			}
			if err == nil {
				return
			}
			msg := sihub.ErrorMsg(err)
			if msg.VI == "" || msg.EN == "" || msg.VI == msg.EN {
				t.Errorf("message not bilingual: %+v", msg)
			}
			fields := sihub.FieldsOf(err)
			if len(fields) != len(tt.bad) {
				t.Errorf("fields %+v, want %v", fields, tt.bad)
			}
			for _, b := range tt.bad {
				param, value, _ := strings.Cut(b, "=")
				m, ok := fields.For(param)
				if !ok {
					t.Errorf("no problem for %s in %+v", param, fields)
					continue
				}
				for _, s := range []string{m.VI, m.EN} {
					if !strings.Contains(s, param) || !strings.Contains(s, `"`+value+`"`) {
						t.Errorf("%s: message %q does not name %s and %q", param, s, param, value)
					}
				}
				if !strings.Contains(msg.EN, param) || !strings.Contains(msg.VI, param) {
					t.Errorf("top message %+v does not name %s", msg, param)
				}
			}
		})
	}
}

// TestAPIUnknownFilterValues: the API answers 400 naming the parameter and
// the value, in the request's language, rather than an empty result.
func TestAPIUnknownFilterValues(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		tests := []struct{ url, field, value string }{
			{"/api/v1/companies?process=nonsense", "process", "nonsense"},
			{"/api/v1/companies?cert=xyz", "cert", "xyz"},
			{"/api/v1/companies?province=999", "province", "999"},
			{"/api/v1/companies?sector=9999", "sector", "9999"},
			{"/api/v1/companies?size=huge", "size", "huge"},
			{"/api/v1/companies?kind=seller", "kind", "seller"},
			{"/api/v1/companies?sort=cheapest", "sort", "cheapest"},
			{"/api/v1/exports/companies?process=nonsense", "process", "nonsense"},
		}
		for _, tt := range tests {
			for _, lang := range []string{"vi", "en"} {
				w := e.do(req{url: tt.url, lang: lang})
				if w.Code != 400 {
					t.Errorf("%s (%s): status %d", tt.url, lang, w.Code)
					continue
				}
				b := decode[errBody](t, w)
				want := map[string]string{"vi": "Tham số " + tt.field, "en": "Parameter " + tt.field}[lang]
				if b.Error.Code != "invalid" || !strings.Contains(b.Error.Message, want) || !strings.Contains(b.Error.Message, `"`+tt.value+`"`) ||
					b.field(tt.field) == "" {
					t.Errorf("%s (%s): %+v", tt.url, lang, b.Error)
				}
			}
		}
		// Known codes still answer.
		if w := e.get("/api/v1/companies?process=die_casting&cert=iatf16949&province=79&sector=25"); w.Code != 200 {
			t.Errorf("known codes: %d %s", w.Code, w.Body.String())
		}
	})
}
