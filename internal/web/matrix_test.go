package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// The route × role matrix: every route the router registers, asked by an
// anonymous visitor, each role, and a member of another company, on pages
// and API alike. A route added without an entry here fails the test, so
// that no URL escapes the question "who may use this?".

// Who asks. "own" is company A (verified), which the object routes are
// about; otherAdmin is the admin of company B, also verified.
var askers = []string{"anonymous", "admin", "staff", "official", "ownAdmin", "ownMember", "otherAdmin"}

// Who may: sets of askers.
const (
	everyone   = "anonymous admin staff official ownAdmin ownMember otherAdmin"
	signedIn   = "admin staff official ownAdmin ownMember otherAdmin"
	staffOnly  = "admin staff"
	adminOnly  = "admin"
	ownPeople  = "admin staff ownAdmin ownMember" // staff and company A's people
	ownAdmins  = "admin staff ownAdmin"           // staff and company A's admin
	anyInviter = "admin staff ownAdmin otherAdmin"
	nobody     = ""
)

// matrixFixture is the world every route is asked about; requests build
// what they change afresh (a new document to delete, a new pending user to
// approve), so that one asker's allowed change does not spoil the next.
type matrixFixture struct {
	t      *testing.T
	e      *testEnv
	A, B   *sihub.Company
	users  map[string]*sihub.User
	signer *sihub.User // has a password, for signing in
	doc    *sihub.Document
	job    string
	tokens map[string]string // asker → an API token secret of theirs
}

func newMatrixFixture(t *testing.T, e *testEnv) *matrixFixture {
	ctx := context.Background()
	f := &matrixFixture{t: t, e: e, users: map[string]*sihub.User{}, tokens: map[string]string{}}
	// Both companies buy and supply: A's demands are the object routes'
	// demands, and A and B are suppliers to each other's.
	f.A = e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty TNHH Nhựa A", Kind: sihub.Both, CapabilitiesText: "ép nhựa",
		Contacts: []sihub.Contact{{Name: "Nguyễn Văn An", Email: "an@a.vn"}}})
	f.B = e.seed(&sihub.Company{TaxCode: taxCode(2), Name: "Công ty TNHH Cơ khí B", Kind: sihub.Both, CapabilitiesText: "gia công CNC"})
	for _, c := range []*sihub.Company{f.A, f.B} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	f.users["admin"] = e.user(sihub.RoleCenterAdmin, 0)
	f.users["staff"] = e.user(sihub.RoleCenterStaff, 0)
	f.users["official"] = e.user(sihub.RoleOfficial, 0)
	f.users["ownAdmin"] = e.user(sihub.RoleCompanyAdmin, f.A.ID)
	f.users["ownMember"] = e.user(sihub.RoleCompanyMember, f.A.ID)
	f.users["otherAdmin"] = e.user(sihub.RoleCompanyAdmin, f.B.ID)
	f.signer = e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: f.A.ID, Password: testPassword, EmailConfirmed: true})
	f.doc = f.document()
	return f
}

func (f *matrixFixture) document() *sihub.Document {
	d := &sihub.Document{CompanyID: f.A.ID, Kind: "other", Name: "brochure.png", ContentType: "image/png"}
	if err := f.e.db.AddDocument(context.Background(), d, pngBytes); err != nil {
		f.t.Fatal(err)
	}
	return d
}

// member makes a fresh user of company A with status.
func (f *matrixFixture) member(status sihub.UserStatus) *sihub.User {
	return f.e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: f.A.ID, Status: status, EmailConfirmed: true})
}

func (f *matrixFixture) oneTime(purpose string) string {
	u := f.member(sihub.StatusActive)
	tok := store.OneTimeToken{Purpose: purpose, UserID: u.ID, ExpiresAt: time.Now().Add(24 * time.Hour)}
	if purpose == store.PurposeInvite {
		tok = store.OneTimeToken{Purpose: purpose, Email: fmt.Sprintf("invited%d@a.vn", userSeq.Add(1)),
			Role: sihub.RoleCompanyMember, CompanyID: f.A.ID, CreatedBy: f.users["ownAdmin"].ID, ExpiresAt: time.Now().Add(24 * time.Hour)}
	}
	secret, err := f.e.db.CreateOneTimeToken(context.Background(), tok)
	if err != nil {
		f.t.Fatal(err)
	}
	return secret
}

func (f *matrixFixture) importJob() string {
	if f.job == "" {
		f.job = f.e.finishedJob(f.t, importCSV(1, false))
	}
	return f.job
}

// call is one request of a route; as is filled in by the matrix.
type call struct {
	method, path string
	form         url.Values // a form post
	json         string     // a JSON body
	multipart    bool       // a document upload
	plain        string     // a raw body of this content type (imports)
}

type matrixRoute struct {
	allowed string
	build   func(f *matrixFixture, who string) call
}

func get(path string) func(*matrixFixture, string) call {
	return func(*matrixFixture, string) call { return call{method: "GET", path: path} }
}

func pathf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// matrixRoutes gives, for every route pattern, who may use it and how to
// ask. Object routes are about company A and its people.
func matrixRoutes() map[string]matrixRoute {
	idA := func(format string) func(*matrixFixture, string) string {
		return func(f *matrixFixture, _ string) string { return pathf(format, f.A.ID) }
	}
	getA := func(format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, who string) call { return call{method: "GET", path: idA(format)(f, who)} }
	}
	postA := func(format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, who string) call {
			return call{method: "POST", path: idA(format)(f, who), form: url.Values{}}
		}
	}
	onUser := func(method, format string, status sihub.UserStatus, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			u := f.member(status)
			return call{method: method, path: pathf(format, u.ID), form: form, json: json}
		}
	}
	companyForm := func(f *matrixFixture) url.Values {
		c, err := f.e.db.Company(context.Background(), f.A.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		return url.Values{"name": {c.Name}, "tax_code": {c.TaxCode}, "kind": {string(c.Kind)},
			"capabilities_text": {c.CapabilitiesText}, "updated_at": {c.UpdatedAt.UTC().Format(time.RFC3339Nano)}}
	}
	m := map[string]matrixRoute{
		"GET /{$}":           {everyone, get("/")},
		"GET /companies":     {everyone, get("/companies?q=nhua")},
		"GET /companies/new": {staffOnly, get("/companies/new")},
		"POST /companies": {staffOnly, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/companies", form: url.Values{"name": {""}}}
		}},
		"GET /companies/{id}":      {everyone, getA("/companies/%d")},
		"GET /companies/{id}/edit": {ownPeople, getA("/companies/%d/edit")},
		"POST /companies/{id}": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: pathf("/companies/%d", f.A.ID), form: companyForm(f)}
		}},
		"POST /companies/{id}/verify":    {staffOnly, postA("/companies/%d/verify")},
		"POST /companies/{id}/unverify":  {staffOnly, postA("/companies/%d/unverify")},
		"POST /companies/{id}/archive":   {staffOnly, postA("/companies/%d/archive")},
		"POST /companies/{id}/unarchive": {staffOnly, postA("/companies/%d/unarchive")},
		"POST /companies/{id}/documents": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: pathf("/companies/%d/documents", f.A.ID), multipart: true}
		}},
		"GET /documents/{id}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: pathf("/documents/%d", f.doc.ID)}
		}},
		"POST /documents/{id}/delete": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: pathf("/documents/%d/delete", f.document().ID), form: url.Values{}}
		}},
		"GET /export":       {everyone, get("/export?format=csv")},
		"GET /import":       {staffOnly, get("/import")},
		"POST /import":      {staffOnly, func(*matrixFixture, string) call { return call{method: "POST", path: "/import", multipart: true} }},
		"GET /import/{job}": {staffOnly, func(f *matrixFixture, _ string) call { return call{method: "GET", path: "/import/" + f.importJob()} }},
		"GET /import/{job}/report.csv": {staffOnly, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: "/import/" + f.importJob() + "/report.csv"}
		}},
		"GET /templates/companies.csv":  {everyone, get("/templates/companies.csv")},
		"GET /templates/companies.xlsx": {everyone, get("/templates/companies.xlsx")},
		"GET /lang/{lang}":              {everyone, get("/lang/en")},
		"GET /static/":                  {everyone, get("/static/style.css")},
		"GET /healthz":                  {everyone, get("/healthz")},
		"GET /metrics":                  {everyone, get("/metrics")},
		"GET /api/v1/openapi.json":      {everyone, get("/api/v1/openapi.json")},
		"GET /api/v1/companies":         {everyone, get("/api/v1/companies")},
		"POST /api/v1/companies": {staffOnly, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/api/v1/companies", json: `{"name":""}`}
		}},
		"GET /api/v1/companies/by-tax-code/{tax_code}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: "/api/v1/companies/by-tax-code/" + f.A.TaxCode}
		}},
		"GET /api/v1/companies/{id}": {everyone, getA("/api/v1/companies/%d")},
		"PUT /api/v1/companies/{id}": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "PUT", path: pathf("/api/v1/companies/%d", f.A.ID), json: fmt.Sprintf(`{"name":"Công ty TNHH Nhựa A","tax_code":%q,"kind":"both","capabilities_text":"ép nhựa"}`, f.A.TaxCode)}
		}},
		"POST /api/v1/companies/{id}/archive":   {staffOnly, postA("/api/v1/companies/%d/archive")},
		"POST /api/v1/companies/{id}/unarchive": {staffOnly, postA("/api/v1/companies/%d/unarchive")},
		"POST /api/v1/companies/{id}/verify":    {staffOnly, postA("/api/v1/companies/%d/verify")},
		"POST /api/v1/companies/{id}/unverify":  {staffOnly, postA("/api/v1/companies/%d/unverify")},
		"POST /api/v1/companies/{id}/documents": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: pathf("/api/v1/companies/%d/documents", f.A.ID), multipart: true}
		}},
		"GET /api/v1/documents/{id}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: pathf("/api/v1/documents/%d", f.doc.ID)}
		}},
		"GET /api/v1/documents/{id}/content": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: pathf("/api/v1/documents/%d/content", f.doc.ID)}
		}},
		"DELETE /api/v1/documents/{id}": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "DELETE", path: pathf("/api/v1/documents/%d", f.document().ID)}
		}},
		"POST /api/v1/imports/companies": {staffOnly, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/api/v1/imports/companies?dry_run=1", plain: importCSV(1, false)}
		}},
		"GET /api/v1/exports/companies": {everyone, get("/api/v1/exports/companies?format=csv")},
		"GET /api/v1/taxonomy/{kind}":   {everyone, get("/api/v1/taxonomy/processes")},
		// The catch-all answers 404 to everyone: nothing to allow.
		"/": {nobody, get("/no/such/page")},

		// Accounts.
		"GET /signin": {everyone, get("/signin")},
		"POST /signin": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/signin", form: url.Values{"email": {f.signer.Email}, "password": {testPassword}}}
		}},
		"POST /signout": {everyone, func(*matrixFixture, string) call { return call{method: "POST", path: "/signout", form: url.Values{}} }},
		"POST /signout/everywhere": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/signout/everywhere", form: url.Values{}}
		}},
		"GET /signup": {everyone, get("/signup")},
		"POST /signup": {everyone, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/signup", form: url.Values{"email": {""}}}
		}},
		"GET /confirm/{token}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: "/confirm/" + f.oneTime(store.PurposeConfirm)}
		}},
		"POST /account/confirm": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account/confirm", form: url.Values{}}
		}},
		"GET /password/forgot": {everyone, get("/password/forgot")},
		"POST /password/forgot": {everyone, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/password/forgot", form: url.Values{"email": {"nobody@x.vn"}}}
		}},
		"GET /reset/{token}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: "/reset/" + f.oneTime(store.PurposeReset)}
		}},
		"POST /reset/{token}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/reset/" + f.oneTime(store.PurposeReset), form: url.Values{"password": {"short"}}}
		}},
		"GET /account": {signedIn, get("/account")},
		"POST /account": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account", form: url.Values{"name": {"Tên mới"}, "lang": {"vi"}}}
		}},
		"POST /account/password": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account/password", form: url.Values{"current": {"not it"}}}
		}},
		"POST /account/sessions/{id}/delete": {signedIn, func(f *matrixFixture, who string) call {
			id := "0000"
			if u := f.users[who]; u != nil {
				ss, err := f.e.db.Sessions(context.Background(), u.ID)
				if err == nil && len(ss) > 0 {
					id = ss[0].ID
				}
			}
			return call{method: "POST", path: "/account/sessions/" + id + "/delete", form: url.Values{}}
		}},
		"POST /account/tokens": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account/tokens", form: url.Values{"name": {"ERP"}, "scope": {"read"}}}
		}},
		"POST /account/tokens/{id}/revoke": {signedIn, func(f *matrixFixture, who string) call {
			return call{method: "POST", path: pathf("/account/tokens/%d/revoke", f.apiToken(who)), form: url.Values{}}
		}},
		"GET /account/data": {signedIn, get("/account/data")},
		"POST /account/erase": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account/erase", form: url.Values{"password": {"not it"}}}
		}},
		"GET /privacy":          {everyone, get("/privacy")},
		"GET /api/v1/me":        {signedIn, get("/api/v1/me")},
		"GET /api/v1/me/tokens": {signedIn, get("/api/v1/me/tokens")},
		"POST /api/v1/me/tokens": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/api/v1/me/tokens", json: `{"name":"ERP","scope":"read"}`}
		}},
		"DELETE /api/v1/me/tokens/{id}": {signedIn, func(f *matrixFixture, who string) call {
			return call{method: "DELETE", path: pathf("/api/v1/me/tokens/%d", f.apiToken(who))}
		}},
		"GET /api/v1/me/data": {signedIn, get("/api/v1/me/data")},

		// People, invitations, audit, outbox.
		"GET /admin/users":           {staffOnly, get("/admin/users")},
		"GET /admin/requests":        {staffOnly, get("/admin/requests")},
		"GET /companies/{id}/people": {ownAdmins, getA("/companies/%d/people")},
		"GET /users/{id}":            {ownAdmins, onUser("GET", "/users/%d", sihub.StatusActive, nil, "")},
		"POST /users/{id}/approve":   {ownAdmins, onUser("POST", "/users/%d/approve", sihub.StatusPending, url.Values{}, "")},
		"POST /users/{id}/reject":    {ownAdmins, onUser("POST", "/users/%d/reject", sihub.StatusPending, url.Values{}, "")},
		"POST /users/{id}/role":      {ownAdmins, onUser("POST", "/users/%d/role", sihub.StatusActive, url.Values{"role": {"company_admin"}}, "")},
		"POST /users/{id}/disable":   {ownAdmins, onUser("POST", "/users/%d/disable", sihub.StatusActive, url.Values{}, "")},
		"POST /users/{id}/enable":    {ownAdmins, onUser("POST", "/users/%d/enable", sihub.StatusDisabled, url.Values{}, "")},
		"POST /users/{id}/erase":     {adminOnly, onUser("POST", "/users/%d/erase", sihub.StatusActive, url.Values{}, "")},
		"GET /invite":                {anyInviter, get("/invite")},
		"POST /invite": {ownAdmins, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/invite", form: url.Values{"email": {fmt.Sprintf("new%d@a.vn", userSeq.Add(1))}, "role": {"company_member"}, "company_tax_code": {f.A.TaxCode}}}
		}},
		"GET /invitations/{token}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: "/invitations/" + f.oneTime(store.PurposeInvite)}
		}},
		"POST /invitations/{token}": {everyone, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/invitations/" + f.oneTime(store.PurposeInvite), form: url.Values{"password": {"short"}}}
		}},
		"GET /admin/audit": {adminOnly, get("/admin/audit")},
		"POST /admin/audit/verify": {adminOnly, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/admin/audit/verify", form: url.Values{}}
		}},
		"GET /companies/{id}/history": {ownPeople, getA("/companies/%d/history")},
		"GET /admin/outbox":           {adminOnly, get("/admin/outbox")},
		"POST /companies/{id}/contacts/{position}/erase": {staffOnly, func(f *matrixFixture, _ string) call {
			// each allowed asker erases a contact: give A one to erase
			c, err := f.e.db.Company(context.Background(), f.A.ID)
			if err != nil {
				f.t.Fatal(err)
			}
			c.Contacts = append(c.Contacts, sihub.Contact{Name: "Trần Thị Bình", Email: "binh@a.vn"})
			c.UpdatedAt = time.Time{}
			if err := f.e.db.UpdateCompany(context.Background(), c); err != nil {
				f.t.Fatal(err)
			}
			return call{method: "POST", path: pathf("/companies/%d/contacts/%d/erase", f.A.ID, len(c.Contacts)-1), form: url.Values{}}
		}},
		"GET /api/v1/users":               {staffOnly, get("/api/v1/users")},
		"GET /api/v1/users/{id}":          {ownAdmins, onUser("GET", "/api/v1/users/%d", sihub.StatusActive, nil, "")},
		"POST /api/v1/users/{id}/approve": {ownAdmins, onUser("POST", "/api/v1/users/%d/approve", sihub.StatusPending, nil, "")},
		"POST /api/v1/users/{id}/reject":  {ownAdmins, onUser("POST", "/api/v1/users/%d/reject", sihub.StatusPending, nil, "")},
		"POST /api/v1/users/{id}/disable": {ownAdmins, onUser("POST", "/api/v1/users/%d/disable", sihub.StatusActive, nil, "")},
		"POST /api/v1/users/{id}/enable":  {ownAdmins, onUser("POST", "/api/v1/users/%d/enable", sihub.StatusDisabled, nil, "")},
		"PUT /api/v1/users/{id}/role":     {ownAdmins, onUser("PUT", "/api/v1/users/%d/role", sihub.StatusActive, nil, `{"role":"company_admin"}`)},
		"POST /api/v1/invitations": {ownAdmins, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/api/v1/invitations", json: fmt.Sprintf(`{"email":"new%d@a.vn","role":"company_member","company_tax_code":%q}`, userSeq.Add(1), f.A.TaxCode)}
		}},
		"GET /api/v1/audit":                {adminOnly, get("/api/v1/audit")},
		"GET /api/v1/audit/head":           {adminOnly, get("/api/v1/audit/head")},
		"POST /api/v1/audit/verify":        {adminOnly, func(*matrixFixture, string) call { return call{method: "POST", path: "/api/v1/audit/verify"} }},
		"GET /api/v1/audit/companies/{id}": {ownPeople, getA("/api/v1/audit/companies/%d")},
		"GET /api/v1/outbox":               {adminOnly, get("/api/v1/outbox")},
	}
	for _, more := range []map[string]matrixRoute{demandMatrix(), opportunityMatrix(), drawingMatrix(), rfqMatrix(), quoteMatrix(), rfqFileMatrix(), notificationMatrix()} {
		for k, v := range more {
			if _, dup := m[k]; dup {
				panic("matrix: two entries for " + k)
			}
			m[k] = v
		}
	}
	return m
}

// apiToken makes an API token of who's (0 for anonymous, who has none).
func (f *matrixFixture) apiToken(who string) int64 {
	u := f.users[who]
	if u == nil {
		return 1
	}
	_, tok, err := f.e.db.CreateAPIToken(context.Background(), u.ID, "matrix", sihub.ScopeRead)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok.ID
}

// ask sends c as who and returns the response.
func (f *matrixFixture) ask(c call, who string) *httptest.ResponseRecorder {
	r := req{method: c.method, url: c.path, as: f.users[who]}
	switch {
	case c.form != nil:
		r.body, r.ctype = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
	case c.json != "":
		r.body, r.ctype = strings.NewReader(c.json), "application/json"
	case c.multipart:
		r.body, r.ctype = multipartBody(f.t, map[string]string{"kind": "other"}, &filePart{field: "file", name: "brochure.png", ctype: "image/png", data: pngBytes})
	case c.plain != "":
		r.body, r.ctype = strings.NewReader(c.plain), "text/csv"
	}
	return f.e.do(r)
}

// denied tells whether a response refuses the asker: 401, 403, 404 (an
// object they may not see is not there for them), or a page sending them
// to sign in.
func denied(w *httptest.ResponseRecorder) bool {
	switch w.Code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	case http.StatusSeeOther, http.StatusFound:
		return strings.HasPrefix(w.Header().Get("Location"), "/signin")
	}
	return false
}

func TestRouteRoleMatrix(t *testing.T) {
	routes := matrixRoutes()
	for _, p := range Routes() {
		if _, ok := routes[p]; !ok {
			t.Errorf("route %q has no entry in the route × role matrix", p)
		}
	}
	for p := range routes {
		if !slices.Contains(Routes(), p) {
			t.Errorf("the matrix has an entry for %q, which is not a route", p)
		}
	}
	if t.Failed() {
		return
	}
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		f := newMatrixFixture(t, e)
		for _, p := range Routes() {
			rt := routes[p]
			allowed := strings.Fields(rt.allowed)
			for _, who := range askers {
				// Each asker gets a fresh session: a sign-out in one
				// route must not sign them out of the next.
				delete(e.sessions, f.userID(who))
				w := f.ask(rt.build(f, who), who)
				want := slices.Contains(allowed, who)
				if denied(w) == want || w.Code >= 500 {
					body := w.Body.String()
					if k := strings.Index(body, "<main"); k >= 0 {
						body = body[k:]
					}
					body = body[:min(len(body), 600)]
					t.Errorf("%s as %s: %d %s, want allowed=%v\n%s", p, who, w.Code, w.Header().Get("Location"), want, body)
				}
				f.restore()
			}
		}
	})
}

// restore undoes what staff actions change about the companies, so that
// every request meets A and B verified and listed.
func (f *matrixFixture) restore() {
	ctx := context.Background()
	for _, c := range []*sihub.Company{f.A, f.B} {
		if err := f.e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			f.t.Fatal(err)
		}
		if err := f.e.db.SetArchived(ctx, c.ID, false); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *matrixFixture) userID(who string) int64 {
	if u := f.users[who]; u != nil {
		return u.ID
	}
	return 0
}
