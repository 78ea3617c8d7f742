package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// TestPrincipal: who a request is, from its credentials. A bad token is
// refused, never taken for a visitor; a session that no longer holds makes
// a visitor and is cleared.
func TestPrincipal(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.user(sihub.RoleCenterStaff, 0)
		tests := []struct {
			name     string
			r        req
			status   int
			want     string // in the body
			clearing bool   // the answer clears the session cookie
		}{
			{name: "visitor", r: req{url: "/api/v1/me"}, status: 401, want: `"code":"unauthorized"`},
			{name: "session", r: req{url: "/api/v1/me", as: u}, status: 200, want: u.Email},
			{name: "unknown token", r: req{url: "/api/v1/companies", token: "sihub_nope", lang: "en"}, status: 401, want: "The API token is not valid"},
			{name: "unknown token, vi", r: req{url: "/api/v1/companies", token: "sihub_nope", lang: "vi"}, status: 401, want: "Mã API không hợp lệ"},
			{name: "not a bearer", r: req{url: "/api/v1/companies", header: http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}, lang: "en"},
				status: 401, want: "Bearer sihub_"},
			{name: "token on a page", r: req{url: "/companies", token: "sihub_nope"}, status: http.StatusSeeOther},
			{name: "stale session", r: req{url: "/companies", cookie: "no-such-session", lang: "en"}, status: 200, want: `href="/signin`, clearing: true},
			{name: "stale session, API", r: req{url: "/api/v1/companies", cookie: "no-such-session"}, status: 200, clearing: true},
			// The center's own machine is nobody special any more, nor is
			// a request that claims to be forwarded from somewhere.
			{name: "loopback", r: req{method: "POST", url: "/api/v1/companies", remote: "127.0.0.1:5000",
				header: http.Header{"X-Forwarded-For": {"127.0.0.1"}}}, status: 401, want: `"code":"unauthorized"`},
		}
		for _, tt := range tests {
			w := e.do(tt.r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%s: %d, want %d with %q: %.300s", tt.name, w.Code, tt.status, tt.want, w.Body.String())
			}
			if tt.r.token != "" && tt.status == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", tt.name, w.Header().Get("WWW-Authenticate"))
			}
			cleared := false
			for _, c := range w.Result().Cookies() {
				cleared = cleared || c.Name == sessionCookie && c.MaxAge < 0
			}
			if cleared != tt.clearing {
				t.Errorf("%s: session cookie cleared = %v", tt.name, cleared)
			}
		}
	})
}

// TestAuditActor: a change is recorded with the person who made it and the
// address the connection came from, whatever forwarding headers claim.
func TestAuditActor(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		w := e.do(req{method: "POST", url: fmt.Sprintf("/api/v1/companies/%d/verify", plastics.ID), as: e.staff(),
			remote: "192.0.2.44:5555", header: http.Header{"X-Forwarded-For": {"198.51.100.99"}}})
		if w.Code != 200 {
			t.Fatalf("verify: %d %s", w.Code, w.Body.String())
		}
		c := decode[sihub.Company](t, w)
		if c.VerifiedBy != e.staff().Name {
			t.Errorf("verified by %q, want the staff member's name", c.VerifiedBy)
		}
		recs, err := e.db.AuditLog(context.Background(), store.AuditFilter{ObjectType: "company", ObjectID: plastics.ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range recs {
			if r.ActorID == e.staff().ID {
				found = true
				if r.Actor != e.staff().Email || r.IP != "192.0.2.44" {
					t.Errorf("audit record %d: actor %q from %q", r.Seq, r.Actor, r.IP)
				}
			}
		}
		if !found {
			t.Errorf("no audit record names the staff member: %+v", recs)
		}
	})
}

// TestContactVisibility: contact people are personal data. Visitors never
// see them; staff and the company's own people always do; active members
// of verified companies do, up to a number of companies a day, after which
// the page and the API say so; members of unverified companies and people
// not yet approved do not.
func TestContactVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, casting := e.seedDirectory()
		e.s.contactViews = 2
		ctx := context.Background()
		// Only companies with contact people spend a view.
		for _, c := range []*sihub.Company{precision, casting} {
			c.Contacts = []sihub.Contact{{Name: "Trần Văn Bình", Email: fmt.Sprintf("binh@%d.vn", c.ID)}}
			c.UpdatedAt = time.Time{}
			if err := e.db.UpdateCompany(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		empty := e.seed(&sihub.Company{TaxCode: taxCode(750), Name: "Công ty Chưa Có Người Liên Hệ"})
		buyer := e.seed(&sihub.Company{TaxCode: taxCode(700), Name: "Công ty Mua Hàng Verified", Kind: sihub.Buyer, ProvinceInput: "Long An"})
		if err := e.db.SetVerified(ctx, buyer.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		verifiedMember := e.user(sihub.RoleCompanyMember, buyer.ID)
		unverifiedMember := e.user(sihub.RoleCompanyMember, casting.ID)
		own := e.user(sihub.RoleCompanyAdmin, plastics.ID)
		pending := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: buyer.ID, Status: sihub.StatusPending, EmailConfirmed: true})
		official := e.user(sihub.RoleOfficial, 0)

		api := func(as *sihub.User, c *sihub.Company) companyOut {
			t.Helper()
			w := e.do(req{url: fmt.Sprintf("/api/v1/companies/%d", c.ID), as: as, lang: "en"})
			if w.Code != 200 {
				t.Fatalf("GET company %d: %d", c.ID, w.Code)
			}
			return decode[companyOut](t, w)
		}
		page := func(as *sihub.User, c *sihub.Company) string {
			return e.do(req{url: fmt.Sprintf("/companies/%d", c.ID), as: as, lang: "en"}).Body.String()
		}
		const contact = "an@saigonplastics.vn"
		for _, tt := range []struct {
			name string
			as   *sihub.User
			sees bool
		}{
			{"visitor", nil, false},
			{"staff", e.staff(), true},
			{"own company", own, true},
			{"member of a verified company", verifiedMember, true},
			{"member of an unverified company", unverifiedMember, false},
			{"pending member of a verified company", pending, false},
			{"official", official, false},
		} {
			out := api(tt.as, plastics)
			if got := out.Contacts != nil && len(*out.Contacts) == 1 && (*out.Contacts)[0].Email == contact; got != tt.sees {
				t.Errorf("%s: API shows contacts = %v", tt.name, got)
			}
			if got := strings.Contains(page(tt.as, plastics), contact); got != tt.sees {
				t.Errorf("%s: page shows contacts = %v", tt.name, got)
			}
			if out.ContactsNotice != "" {
				t.Errorf("%s: notice %q", tt.name, out.ContactsNotice)
			}
		}
		// Lists never show a limited reader contacts, and never spend views.
		list := e.do(req{url: "/api/v1/companies?q=saigon+technical", as: verifiedMember}).Body.String()
		if strings.Contains(list, contact) || strings.Contains(list, `"contacts"`) {
			t.Errorf("list shows a limited reader contacts: %.300s", list)
		}
		if !strings.Contains(e.do(req{url: "/api/v1/companies?q=saigon+technical", as: own}).Body.String(), contact) {
			t.Error("list hides the company's own contacts from its people")
		}
		// A company without contact people costs nothing.
		if out := api(verifiedMember, empty); out.ContactsNotice != "" {
			t.Errorf("an empty contact list spent a view: %q", out.ContactsNotice)
		}
		// The verified member has viewed one company; a second is the
		// limit, a third is refused with a plain notice, and the first
		// stays visible (viewed already today).
		if out := api(verifiedMember, precision); out.Contacts == nil {
			t.Error("second company's contacts hidden below the limit")
		}
		out := api(verifiedMember, casting)
		if out.Contacts != nil || !strings.Contains(out.ContactsNotice, "today's limit") || !strings.Contains(out.ContactsNotice, "2 companies") {
			t.Errorf("over the limit: contacts %v, notice %q", out.Contacts, out.ContactsNotice)
		}
		body := page(verifiedMember, casting)
		if !strings.Contains(body, "today&#39;s limit") {
			t.Error("profile over the limit does not say so")
		}
		vi := e.do(req{url: fmt.Sprintf("/companies/%d", casting.ID), as: verifiedMember, lang: "vi"}).Body.String()
		if !strings.Contains(vi, "mức tối đa mỗi ngày") {
			t.Error("Vietnamese profile over the limit does not say so")
		}
		if out := api(verifiedMember, plastics); out.Contacts == nil {
			t.Error("a company viewed today is hidden again")
		}
		// Staff and the company's own people are not limited.
		for i := 0; i < 3; i++ {
			for _, c := range []*sihub.Company{plastics, precision, casting} {
				if out := api(e.staff(), c); out.Contacts == nil {
					t.Fatalf("staff limited at %s", c.Name)
				}
			}
		}
		// The export holds no contact people for anyone.
		for _, as := range []*sihub.User{nil, e.staff()} {
			w := e.do(req{url: "/api/v1/exports/companies?format=csv", as: as})
			if w.Code != 200 || strings.Contains(w.Body.String(), contact) || strings.Contains(w.Body.String(), "Nguyễn Văn An") {
				t.Errorf("export: %d, contacts included", w.Code)
			}
		}
		// Staff get [] rather than a missing field for a company without contacts.
		c := e.seed(&sihub.Company{TaxCode: taxCode(701), Name: "Không người liên hệ", ProvinceInput: "Long An"})
		if b := e.do(req{url: fmt.Sprintf("/api/v1/companies/%d", c.ID), as: e.staff()}).Body.String(); !strings.Contains(b, `"contacts":[]`) {
			t.Errorf("staff view of a company without contacts: %.300s", b)
		}
		// The public sees the company's own email, just not its people.
		if b := e.get(fmt.Sprintf("/api/v1/companies/%d", plastics.ID)).Body.String(); !strings.Contains(b, "sales@saigonplastics.vn") {
			t.Error("public record lost the company's own email")
		}
	})
}

// TestCompanyPermissions: a company's people edit its own profile and its
// documents; another company's edit page and API refuse them (403), and
// another company's archived profile does not exist for them (404); a
// member not yet approved may edit nothing.
func TestCompanyPermissions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, precision, casting := e.seedDirectory()
		ctx := context.Background()
		if err := e.db.SetArchived(ctx, casting.ID, true); err != nil {
			t.Fatal(err)
		}
		member := e.user(sihub.RoleCompanyMember, plastics.ID)
		pending := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: plastics.ID, Status: sihub.StatusPending, EmailConfirmed: true})
		unconfirmed := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: plastics.ID})
		official := e.user(sihub.RoleOfficial, 0)
		body := func(c *sihub.Company, name string) map[string]any {
			return map[string]any{"name": name, "tax_code": c.TaxCode, "province_input": "TP. Hồ Chí Minh", "capabilities_text": "Ép phun nhựa",
				"contacts": c.Contacts}
		}
		for _, tt := range []struct {
			name   string
			as     *sihub.User
			c      *sihub.Company
			status int
			want   string
		}{
			{"member, own", member, plastics, 200, ""},
			{"member, another", member, precision, 403, "may not"},
			{"member, another archived", member, casting, 404, "not_found"},
			{"pending member, own", pending, plastics, 403, "not been approved"},
			{"unconfirmed member, own", unconfirmed, plastics, 403, "Confirm your email"},
			{"official", official, plastics, 403, "may not"},
			{"visitor", nil, plastics, 401, "sign in"},
			{"staff, another archived", e.staff(), casting, 200, ""},
		} {
			w := e.do(req{method: "PUT", url: fmt.Sprintf("/api/v1/companies/%d", tt.c.ID), as: tt.as, lang: "en",
				body: jsonBody(t, body(tt.c, tt.c.Name)), ctype: "application/json"})
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%s: API PUT %d, want %d with %q: %.300s", tt.name, w.Code, tt.status, tt.want, w.Body.String())
			}
			page := e.do(req{url: fmt.Sprintf("/companies/%d/edit", tt.c.ID), as: tt.as, lang: "en"})
			want := tt.status
			if tt.as == nil {
				want = http.StatusSeeOther // to the sign-in page, and back
			}
			if page.Code != want {
				t.Errorf("%s: edit page %d, want %d", tt.name, page.Code, want)
			}
		}
		// The profile shows a member the buttons their company's page allows.
		own := e.do(req{url: fmt.Sprintf("/companies/%d", plastics.ID), as: member, lang: "en"}).Body.String()
		for _, s := range []string{fmt.Sprintf(`href="/companies/%d/edit"`, plastics.ID), fmt.Sprintf(`href="/companies/%d/history"`, plastics.ID), `enctype="multipart/form-data"`} {
			if !strings.Contains(own, s) {
				t.Errorf("member's own profile lacks %q", s)
			}
		}
		for _, s := range []string{"/verify", "/archive", "/contacts/0/erase"} {
			if strings.Contains(own, s) {
				t.Errorf("member's own profile has %q", s)
			}
		}
		other := e.do(req{url: fmt.Sprintf("/companies/%d", precision.ID), as: member, lang: "en"}).Body.String()
		if strings.Contains(other, "/edit") || strings.Contains(other, "/history") || strings.Contains(other, `enctype="multipart/form-data"`) {
			t.Error("another company's profile shows the member its buttons")
		}
		staff := e.staffGet(fmt.Sprintf("/companies/%d", plastics.ID), "en").Body.String()
		if !strings.Contains(staff, fmt.Sprintf(`action="/companies/%d/contacts/0/erase"`, plastics.ID)) {
			t.Error("staff profile lacks the contact erase form")
		}
		// A member may not verify, nor change the tax code that identifies
		// the company.
		if w := e.apiJSON("POST", fmt.Sprintf("/api/v1/companies/%d/verify", plastics.ID), nil, member); w.Code != 403 {
			t.Errorf("member verifies: %d", w.Code)
		}
		w := e.apiJSON("PUT", fmt.Sprintf("/api/v1/companies/%d", plastics.ID), body(&sihub.Company{TaxCode: taxCode(900)}, plastics.Name), member)
		if b := decode[errBody](t, w); w.Code != 422 || b.field("tax_code") == "" {
			t.Errorf("member changes the tax code: %d %+v", w.Code, b.Error)
		}
		form := e.do(req{url: fmt.Sprintf("/companies/%d/edit", plastics.ID), as: member}).Body.String()
		if !strings.Contains(form, `name="tax_code" value="`+sihub.FormatTaxCode(plastics.TaxCode)+`" inputmode="numeric" readonly`) {
			t.Error("member's edit form does not show the tax code read-only")
		}
		// Documents follow the profile.
		up := func(as *sihub.User, c *sihub.Company) int {
			b, ct := multipartBody(t, map[string]string{"kind": "photo"}, &filePart{"file", "x.png", "image/png", pngBytes})
			return e.do(req{method: "POST", url: fmt.Sprintf("/api/v1/companies/%d/documents", c.ID), body: b, ctype: ct, as: as}).Code
		}
		if got := up(member, plastics); got != 201 {
			t.Errorf("member uploads to own company: %d", got)
		}
		if got := up(member, precision); got != 403 {
			t.Errorf("member uploads to another company: %d", got)
		}
		// Creating companies and importing are the center's.
		if w := e.apiJSON("POST", "/api/v1/companies", body(&sihub.Company{TaxCode: taxCode(901)}, "Mới"), member); w.Code != 403 {
			t.Errorf("member creates a company: %d", w.Code)
		}
		if w := e.do(req{url: "/import", as: member}); w.Code != 403 {
			t.Errorf("member opens the import page: %d", w.Code)
		}
	})
}

// TestTokens: a token made on the account page works on the API with its
// scope, stops working once revoked, and cannot manage the account.
func TestTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		u := e.user(sihub.RoleCompanyMember, plastics.ID)
		mk := func(name, scope string) (int64, string) {
			t.Helper()
			w := e.apiJSON("POST", "/api/v1/me/tokens", map[string]string{"name": name, "scope": scope}, u)
			if w.Code != http.StatusCreated {
				t.Fatalf("create %s token: %d %s", scope, w.Code, w.Body.String())
			}
			out := decode[newTokenJSON](t, w)
			if !strings.HasPrefix(out.Secret, "sihub_") || out.Token.Scope != sihub.TokenScope(scope) || !strings.HasPrefix(out.Secret, out.Token.Prefix) {
				t.Fatalf("new token: %+v", out)
			}
			return out.Token.ID, out.Secret
		}
		readID, read := mk("báo cáo", "read")
		_, write := mk("đồng bộ ERP", "write")
		put := func(token string) *http.Response {
			b := jsonBody(t, map[string]any{"name": plastics.Name, "tax_code": plastics.TaxCode, "capabilities_text": "Ép phun nhựa ABS"})
			return e.do(req{method: "PUT", url: fmt.Sprintf("/api/v1/companies/%d", plastics.ID), body: b, ctype: "application/json", token: token, lang: "en"}).Result()
		}
		if w := e.do(req{url: fmt.Sprintf("/api/v1/companies/%d", plastics.ID), token: read}); w.Code != 200 || !strings.Contains(w.Body.String(), "an@saigonplastics.vn") {
			t.Errorf("read token GET: %d (own company's contacts expected)", w.Code)
		}
		if res := put(read); res.StatusCode != 403 {
			t.Errorf("read token PUT: %d", res.StatusCode)
		}
		if w := e.do(req{method: "POST", url: fmt.Sprintf("/api/v1/companies/%d/documents", plastics.ID), token: read, lang: "en"}); w.Code != 403 || !strings.Contains(w.Body.String(), "scope read") {
			t.Errorf("read token POST: %d %s", w.Code, w.Body.String())
		}
		if res := put(write); res.StatusCode != 200 {
			t.Errorf("write token PUT: %d", res.StatusCode)
		}
		// Tokens cannot mint tokens, nor read or manage the account.
		for _, r := range []req{
			{method: "POST", url: "/api/v1/me/tokens", body: strings.NewReader(`{"name":"x","scope":"write"}`), ctype: "application/json", token: write},
			{url: "/api/v1/me/tokens", token: write},
			{url: "/api/v1/me/data", token: read},
			{method: "DELETE", url: fmt.Sprintf("/api/v1/me/tokens/%d", readID), token: write},
			{url: "/account", token: read},
		} {
			r.lang = "en"
			if w := e.do(r); w.Code != 403 {
				t.Errorf("%s %s with a token: %d %s", r.method, r.url, w.Code, w.Body.String())
			}
		}
		// A token may ask whose it is.
		if w := e.do(req{url: "/api/v1/me", token: read}); w.Code != 200 || decode[meJSON](t, w).User.ID != u.ID {
			t.Errorf("/api/v1/me with a token: %d %s", w.Code, w.Body.String())
		}
		// The list shows both, newest first, without secrets.
		w := e.apiJSON("GET", "/api/v1/me/tokens", nil, u)
		if l := decode[tokenList](t, w); w.Code != 200 || len(l.Items) != 2 || strings.Contains(w.Body.String(), read) {
			t.Errorf("token list: %d %s", w.Code, w.Body.String())
		}
		// Revoked: 401 from then on.
		if w := e.apiJSON("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", readID), nil, u); w.Code != 204 {
			t.Fatalf("revoke: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{url: "/api/v1/companies", token: read, lang: "en"}); w.Code != 401 || !strings.Contains(w.Body.String(), "revoked") {
			t.Errorf("revoked token: %d %s", w.Code, w.Body.String())
		}
		// Another user cannot revoke someone's token.
		other := e.user(sihub.RoleCompanyMember, plastics.ID)
		if w := e.apiJSON("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", readID), nil, other); w.Code != 404 {
			t.Errorf("revoke another's token: %d", w.Code)
		}
		// The account page makes a token, shows its secret once, lists it.
		page := e.postAs(u, "/account/tokens", url.Values{"name": {"trang"}, "scope": {"write"}}, "en")
		secret := between(page.Body.String(), `id="new-token" class="mono" type="text" value="`, `"`)
		if page.Code != 200 || !strings.HasPrefix(secret, "sihub_") {
			t.Fatalf("token from the page: %d %q", page.Code, secret)
		}
		if w := e.do(req{url: "/api/v1/companies", token: secret}); w.Code != 200 {
			t.Errorf("page token: %d", w.Code)
		}
		again := e.do(req{url: "/account", as: u}).Body.String()
		if strings.Contains(again, secret) || !strings.Contains(again, "trang") {
			t.Error("account page shows the secret again, or lacks the token")
		}
		if w := e.postAs(u, "/account/tokens", url.Values{"name": {""}, "scope": {"admin"}}, "en"); w.Code != 422 ||
			!strings.Contains(w.Body.String(), `id="e-f-token-name"`) || !strings.Contains(w.Body.String(), `id="e-f-token-scope"`) {
			t.Errorf("bad token form: %d", w.Code)
		}
	})
}

func jsonBody(t *testing.T, v any) *strings.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReader(string(b))
}

// between returns the text of s after the first from and before the next to.
func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

// TestArchivedHiddenFromPublic: an archived profile, its API record and its
// documents answer 404 to the public and stay open to staff, who can list
// archived companies with include_archived=1.
func TestArchivedHiddenFromPublic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		plastics, _, _ := e.seedDirectory()
		body, ctype := multipartBody(t, map[string]string{"kind": "photo"}, &filePart{"file", "xuong.png", "image/png", pngBytes})
		w := e.do(req{method: "POST", url: fmt.Sprintf("/api/v1/companies/%d/documents", plastics.ID), body: body, ctype: ctype, as: e.staff()})
		if w.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", w.Code, w.Body.String())
		}
		doc := decode[documentJSON](t, w)
		// A branch whose parent will be archived.
		branch := e.seed(&sihub.Company{TaxCode: plastics.TaxCode + "-002", Name: "Chi nhánh Nhựa Sài Gòn", ProvinceInput: "Long An"})

		urls := []string{
			fmt.Sprintf("/companies/%d", plastics.ID),
			fmt.Sprintf("/api/v1/companies/%d", plastics.ID),
			"/api/v1/companies/by-tax-code/" + plastics.TaxCode,
			fmt.Sprintf("/documents/%d", doc.ID),
			fmt.Sprintf("/api/v1/documents/%d", doc.ID),
			fmt.Sprintf("/api/v1/documents/%d/content", doc.ID),
		}
		for _, u := range urls {
			if w := e.get(u); w.Code != 200 {
				t.Errorf("before archiving, public %s: %d", u, w.Code)
			}
		}
		if w := e.apiJSON("POST", fmt.Sprintf("/api/v1/companies/%d/archive", plastics.ID), nil, e.staff()); w.Code != 200 {
			t.Fatalf("archive: %d", w.Code)
		}
		for _, u := range urls {
			if w := e.get(u); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), plastics.Name) {
				t.Errorf("archived, public %s: %d", u, w.Code)
			}
			if w := e.do(req{url: u, as: e.staff()}); w.Code != 200 {
				t.Errorf("archived, staff %s: %d", u, w.Code)
			}
		}
		// The public cannot tell an archived company from one that never was:
		// the answer is a missing one's, with the id or tax code in its place.
		for _, tt := range []struct{ hidden, missing, from, to string }{
			{fmt.Sprintf("/api/v1/companies/%d", plastics.ID), "/api/v1/companies/999999", "999999", fmt.Sprint(plastics.ID)},
			{"/api/v1/companies/by-tax-code/" + plastics.TaxCode, "/api/v1/companies/by-tax-code/" + taxCode(999),
				sihub.FormatTaxCode(taxCode(999)), sihub.FormatTaxCode(plastics.TaxCode)},
			{fmt.Sprintf("/api/v1/documents/%d", doc.ID), "/api/v1/documents/999999", "999999", fmt.Sprint(doc.ID)},
		} {
			hidden, missing := e.get(tt.hidden).Body.String(), e.get(tt.missing).Body.String()
			if want := strings.ReplaceAll(missing, tt.from, tt.to); hidden != want {
				t.Errorf("%s answers %s, unlike a missing one: %s", tt.hidden, hidden, want)
			}
		}
		// The branch no longer links its archived parent for the public.
		pub := e.do(req{url: fmt.Sprintf("/companies/%d", branch.ID), lang: "en"}).Body.String()
		if strings.Contains(pub, fmt.Sprintf(`href="/companies/%d"`, plastics.ID)) || !strings.Contains(pub, "not in the directory") {
			t.Error("branch profile links its archived parent for the public")
		}
		staff := e.staffGet(fmt.Sprintf("/companies/%d", branch.ID), "en").Body.String()
		if !strings.Contains(staff, fmt.Sprintf(`href="/companies/%d"`, plastics.ID)) {
			t.Error("branch profile hides its archived parent from staff")
		}

		// Listing archived companies: staff only.
		member := e.user(sihub.RoleCompanyMember, branch.ID)
		for _, tt := range []struct {
			name, url     string
			as            *sihub.User
			status, total int
		}{
			{"public default", "/api/v1/companies", nil, 200, 28},
			{"staff default", "/api/v1/companies", e.staff(), 200, 28},
			{"staff include", "/api/v1/companies?include_archived=1", e.staff(), 200, 29},
			{"staff include false", "/api/v1/companies?include_archived=false", e.staff(), 200, 28},
			{"public include", "/api/v1/companies?include_archived=1", nil, 403, 0},
			{"member include", "/api/v1/companies?include_archived=1", member, 403, 0},
			{"public include false", "/api/v1/companies?include_archived=0", nil, 200, 28},
			{"staff bad value", "/api/v1/companies?include_archived=maybe", e.staff(), 400, 0},
			{"public export include", "/api/v1/exports/companies?include_archived=1", nil, 403, 0},
		} {
			w := e.do(req{url: tt.url, as: tt.as})
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body.String())
				continue
			}
			switch {
			case tt.status == 200 && !strings.Contains(tt.url, "exports"):
				if got := decode[struct{ Total int }](t, w).Total; got != tt.total {
					t.Errorf("%s: total %d, want %d", tt.name, got, tt.total)
				}
			case tt.status == 403:
				if b := decode[errBody](t, w); b.Error.Code != "forbidden" || !strings.Contains(b.Error.Message, "include_archived") {
					t.Errorf("%s: %+v", tt.name, b.Error)
				}
			}
		}
		if w := e.do(req{url: "/api/v1/exports/companies?include_archived=1", as: e.staff()}); w.Code != 200 || !strings.Contains(w.Body.String(), plastics.Name) {
			t.Errorf("staff export with archived: %d", w.Code)
		}

		// The directory page: staff get a toggle that keeps the other filters;
		// the public neither the toggle nor the archived company, whatever the URL.
		page := e.staffGet("/companies?size=large", "en").Body.String()
		if !strings.Contains(page, "Show archived") || !strings.Contains(page, `href="/companies?include_archived=1&amp;size=large"`) {
			t.Errorf("staff directory lacks the archived toggle:\n%s", facetsOf(page))
		}
		page = e.staffGet("/companies?include_archived=1&q=saigon+technical", "vi").Body.String()
		if !strings.Contains(page, plastics.Name) || !strings.Contains(page, "Hiện cả hồ sơ đã lưu trữ") ||
			!strings.Contains(page, `class="facet-link on" href="/companies?q=saigon&#43;technical"`) ||
			!strings.Contains(page, `<input type="hidden" name="include_archived" value="1">`) {
			t.Errorf("staff directory with archived: toggle or company missing:\n%s", facetsOf(page))
		}
		page = e.do(req{url: "/companies?include_archived=1&q=saigon+technical", lang: "en"}).Body.String()
		if strings.Contains(page, plastics.Name) || strings.Contains(page, "Show archived") || strings.Contains(page, `name="include_archived"`) {
			t.Error("public directory shows archived companies or the toggle")
		}
	})
}
