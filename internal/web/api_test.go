package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

type errBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
	Report *reportJSON `json:"report"`
}

func (b errBody) field(name string) string {
	for _, f := range b.Error.Fields {
		if f.Field == name {
			return f.Message
		}
	}
	return ""
}

func TestAPIList(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, casting := e.seedDirectory()
		names := func(l companyList) []string {
			var out []string
			for _, c := range l.Items {
				out = append(out, c.Name)
			}
			return out
		}
		tests := []struct {
			name       string
			url        string
			status     int
			total      int
			items      int
			want, not  []string
			wantFacets bool
			badField   string
		}{
			{name: "default page", url: "/api/v1/companies", status: 200, total: 28, items: 20},
			{name: "limit and offset", url: "/api/v1/companies?limit=5&offset=25", status: 200, total: 28, items: 3},
			{name: "limit 500", url: "/api/v1/companies?limit=500", status: 200, total: 28, items: 28},
			{name: "limit over 500", url: "/api/v1/companies?limit=501", status: 400, badField: "limit"},
			{name: "negative offset", url: "/api/v1/companies?offset=-1", status: 400, badField: "offset"},
			{name: "bad size", url: "/api/v1/companies?size=huge", status: 400, badField: "size"},
			{name: "bad sort", url: "/api/v1/companies?sort=cheapest", status: 400, badField: "sort"},
			{name: "search", url: "/api/v1/companies?q=ep+nhua", status: 200, total: 2, items: 2, want: []string{plastics.Name, precision.Name}},
			{name: "process filter, comma list", url: "/api/v1/companies?process=die_casting,stamping", status: 200, total: 2, items: 2,
				want: []string{casting.Name, precision.Name}},
			{name: "province", url: "/api/v1/companies?province=79", status: 200, total: 2, items: 2, not: []string{casting.Name}},
			{name: "facets", url: "/api/v1/companies?facets=1&limit=1", status: 200, total: 28, items: 1, wantFacets: true},
			{name: "sort by name", url: "/api/v1/companies?sort=name&limit=500", status: 200, total: 28, items: 28},
		}
		for _, tt := range tests {
			w := e.get(tt.url)
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			if tt.status != 200 {
				b := decode[errBody](t, w)
				if b.Error.Code != "invalid" || b.field(tt.badField) == "" {
					t.Errorf("%s: error %+v", tt.name, b.Error)
				}
				continue
			}
			l := decode[companyList](t, w)
			if l.Total != tt.total || len(l.Items) != tt.items {
				t.Errorf("%s: total %d items %d, want %d %d (%v)", tt.name, l.Total, len(l.Items), tt.total, tt.items, names(l))
			}
			for _, n := range tt.want {
				if !slices.Contains(names(l), n) {
					t.Errorf("%s: %s not found", tt.name, n)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(names(l), n) {
					t.Errorf("%s: %s found", tt.name, n)
				}
			}
			if (l.Facets != nil) != tt.wantFacets {
				t.Errorf("%s: facets %v", tt.name, l.Facets)
			}
			if tt.wantFacets && len(l.Facets.Processes) == 0 {
				t.Errorf("%s: no process facet", tt.name)
			}
			if strings.Contains(tt.url, "sort=name") && !slices.IsSortedFunc(names(l), func(a, b string) int {
				return strings.Compare(match.Fold(a), match.Fold(b))
			}) {
				t.Errorf("%s: not sorted: %v", tt.name, names(l))
			}
		}
	})
}

func TestAPIErrorsInRequestLanguage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		vi := decode[errBody](t, e.get("/api/v1/companies?limit=1000"))
		en := decode[errBody](t, e.get("/api/v1/companies?limit=1000&lang=en"))
		if vi.Error.Message == en.Error.Message || !strings.Contains(en.field("limit"), "Parameter limit: must be") ||
			!strings.Contains(vi.field("limit"), "Tham số limit: phải") || !strings.Contains(en.Error.Message, `"1000"`) {
			t.Errorf("vi %+v / en %+v", vi.Error, en.Error)
		}
		w := e.do(req{url: "/api/v1/companies/424242", header: http.Header{"Accept-Language": {"en"}}})
		if b := decode[errBody](t, w); w.Code != 404 || b.Error.Code != "not_found" || b.Error.Message == "" {
			t.Errorf("not found: %d %+v", w.Code, b)
		}
	})
}

func TestAPICompanyLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		tc := taxCode(500)
		in := map[string]any{
			"name": "Công ty TNHH Khuôn Mẫu Việt", "tax_code": tc[:4] + "." + tc[4:], "province_input": "Bình Dương",
			"capabilities_text": "Thiết kế và chế tạo khuôn ép nhựa", "employees": 45,
			"contacts": []map[string]string{{"name": "Phạm D", "email": "d@khuonviet.vn"}},
		}
		w := e.apiJSON("POST", "/api/v1/companies", in, e.staff())
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		c := decode[sihub.Company](t, w)
		if w.Header().Get("Location") != fmt.Sprintf("/api/v1/companies/%d", c.ID) || c.TaxCode != tc || c.ProvinceCode != "79" || len(c.Capabilities) == 0 {
			t.Errorf("created: %s %+v", w.Header().Get("Location"), c)
		}

		// Found by id and by formatted tax code.
		for _, u := range []string{fmt.Sprintf("/api/v1/companies/%d", c.ID), "/api/v1/companies/by-tax-code/" + tc[:5] + "-" + tc[5:]} {
			if w := e.get(u); w.Code != 200 || decode[sihub.Company](t, w).ID != c.ID {
				t.Errorf("GET %s: %d", u, w.Code)
			}
		}
		if w := e.get("/api/v1/companies/by-tax-code/12345"); w.Code != 400 {
			t.Errorf("bad tax code lookup: %d", w.Code)
		}
		if w := e.get("/api/v1/companies/by-tax-code/" + taxCode(501)); w.Code != 404 {
			t.Errorf("unknown tax code lookup: %d", w.Code)
		}

		// Update replaces the text fields and recognizes again.
		in["capabilities_text"] = "Đúc áp lực nhôm"
		in["name_en"] = "Viet Mould"
		w = e.apiJSON("PUT", fmt.Sprintf("/api/v1/companies/%d", c.ID), in, e.staff())
		if w.Code != 200 {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		u := decode[sihub.Company](t, w)
		if u.NameEn != "Viet Mould" || !u.HasProcess("die_casting") || u.HasProcess("mold_making") {
			t.Errorf("updated: %+v", u.Capabilities)
		}

		// Verify and archive.
		for _, step := range []struct {
			action string
			check  func(sihub.Company) bool
		}{
			{"verify", func(c sihub.Company) bool { return c.Verified && c.VerifiedBy != "" && c.VerifiedAt != nil }},
			{"unverify", func(c sihub.Company) bool { return !c.Verified }},
			{"archive", func(c sihub.Company) bool { return c.Archived }},
			{"unarchive", func(c sihub.Company) bool { return !c.Archived }},
		} {
			w := e.apiJSON("POST", fmt.Sprintf("/api/v1/companies/%d/%s", c.ID, step.action), nil, e.staff())
			if w.Code != 200 || !step.check(decode[sihub.Company](t, w)) {
				t.Errorf("%s: %d %s", step.action, w.Code, w.Body.String())
			}
		}
		if w := e.apiJSON("POST", "/api/v1/companies/999999/verify", nil, e.staff()); w.Code != 404 {
			t.Errorf("verify unknown: %d", w.Code)
		}
	})
}

func TestAPICreateErrors(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		e.seedDirectory()
		tests := []struct {
			name   string
			body   any
			ctype  string
			status int
			code   string
			field  string
		}{
			{"unknown field", `{"name":"X","tax_code":"` + taxCode(600) + `","colour":"red"}`, "", 400, "invalid", "colour"},
			{"wrong type", `{"name":"X","tax_code":"` + taxCode(600) + `","employees":"many"}`, "", 400, "invalid", "employees"},
			{"malformed", `{"name":`, "", 400, "invalid", ""},
			{"empty", ``, "", 400, "invalid", ""},
			{"trailing", `{"name":"X"} {}`, "", 400, "invalid", ""},
			{"not json", `name=X`, "application/x-www-form-urlencoded", 415, "unsupported", ""},
			{"bad tax code and email", map[string]any{"name": "X", "tax_code": "0312345678", "email": "nope"}, "", 422, "invalid", "tax_code"},
			{"bad contact email", map[string]any{"name": "X", "tax_code": taxCode(600), "contacts": []map[string]string{{"name": "A", "email": "a@"}}}, "", 422, "invalid", "contacts.0.email"},
			{"bad sector", map[string]any{"name": "X", "tax_code": taxCode(600), "sectors": []string{"9999"}}, "", 422, "invalid", "sectors"},
			{"taken tax code", map[string]any{"name": "X", "tax_code": taxCode(1)}, "", 409, "conflict", "tax_code"},
			{"too large", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, "", 413, "too_large", ""},
		}
		for _, tt := range tests {
			var w = e.apiJSON("POST", "/api/v1/companies", tt.body, e.staff())
			if tt.ctype != "" {
				w = e.do(req{method: "POST", url: "/api/v1/companies", body: strings.NewReader(tt.body.(string)), ctype: tt.ctype, as: e.staff()})
			}
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			b := decode[errBody](t, w)
			if b.Error.Code != tt.code || b.Error.Message == "" || (tt.field != "" && b.field(tt.field) == "") {
				t.Errorf("%s: %+v", tt.name, b.Error)
			}
		}
		// Nothing was created.
		if l := decode[companyList](t, e.get("/api/v1/companies?limit=500")); l.Total != 28 {
			t.Errorf("failed creates changed the directory: %d companies", l.Total)
		}
	})
}

func TestAPITaxonomy(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		for _, kind := range taxonomyKinds {
			w := e.get("/api/v1/taxonomy/" + kind)
			if w.Code != 200 {
				t.Errorf("%s: %d", kind, w.Code)
				continue
			}
			var out struct {
				Kind  string         `json:"kind"`
				Items []taxonomyItem `json:"items"`
			}
			json.Unmarshal(w.Body.Bytes(), &out)
			if out.Kind != kind || len(out.Items) == 0 {
				t.Errorf("%s: %d items", kind, len(out.Items))
				continue
			}
			for _, it := range out.Items {
				if it.Code == "" || it.VI == "" || (it.EN == "" && kind != "vsic") {
					t.Errorf("%s: item without labels: %+v", kind, it)
					break
				}
			}
		}
		if w := e.get("/api/v1/taxonomy/colours"); w.Code != 404 {
			t.Errorf("unknown vocabulary: %d", w.Code)
		}
		// The OpenAPI document lists exactly the vocabularies served, parks
		// included.
		var doc struct {
			Paths map[string]struct {
				Get struct {
					Parameters []struct {
						Name   string `json:"name"`
						Schema struct {
							Enum []string `json:"enum"`
						} `json:"schema"`
					} `json:"parameters"`
				} `json:"get"`
			} `json:"paths"`
		}
		if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
			t.Fatal(err)
		}
		var enum []string
		for _, p := range doc.Paths["/api/v1/taxonomy/{kind}"].Get.Parameters {
			if p.Name == "kind" {
				enum = p.Schema.Enum
			}
		}
		if !slices.Equal(enum, taxonomyKinds) || !slices.Contains(enum, "parks") {
			t.Errorf("openapi.json lists vocabularies %v, the server serves %v", enum, taxonomyKinds)
		}
	})
}

// TestOpenAPIMatchesRoutes fails when an /api/v1 route is missing from the
// OpenAPI document or the document lists one that is not routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options":
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	var routed []string
	for _, p := range Routes() {
		method, path, ok := strings.Cut(p, " ")
		if ok && strings.HasPrefix(path, "/api/v1/") {
			routed = append(routed, method+" "+path)
		}
	}
	slices.Sort(documented)
	slices.Sort(routed)
	for _, r := range routed {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routed, d) {
			t.Errorf("openapi.json lists %s, which is not routed", d)
		}
	}
	// Every $ref resolves.
	var all map[string]any
	json.Unmarshal(openAPIDoc, &all)
	for _, m := range regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`).FindAllStringSubmatch(string(openAPIDoc), -1) {
		var node any = all
		for _, part := range strings.Split(m[1], "/") {
			obj, ok := node.(map[string]any)
			if !ok {
				node = nil
				break
			}
			node = obj[part]
		}
		if node == nil {
			t.Errorf("unresolved $ref #/%s", m[1])
		}
	}
	// Served as JSON.
	w := newEnv(t, "sqlite").get("/api/v1/openapi.json") // a static document: one store is enough
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}

// TestRoutesListed: every route in routes.go is registered exactly once.
func TestRoutesListed(t *testing.T) {
	rs := Routes()
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r] {
			t.Errorf("route %s listed twice", r)
		}
		seen[r] = true
	}
	if len(rs) < 40 {
		t.Errorf("only %d routes", len(rs))
	}
}
