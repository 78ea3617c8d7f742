package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// adminWorld is a directory with people in every role: the center's admin
// and staff, a verified company with its admin, member and a pending
// request, another verified company with its admin and a pending request,
// and an unverified company created by a sign-up (pending, its email not
// confirmed yet) which has an admin too.
type adminWorld struct {
	verified, other, unverified             *sihub.Company
	admin, staff, official                  *sihub.User
	compAdmin, member, otherAdmin, newAdmin *sihub.User
	pending, otherPending, newPending       *sihub.User
}

func (e *testEnv) adminWorld() *adminWorld {
	e.t.Helper()
	w := &adminWorld{}
	w.verified = e.seed(&sihub.Company{TaxCode: taxCode(101), Name: "Công ty TNHH Cơ khí Đã Xác Minh", ProvinceInput: "TP. Hồ Chí Minh",
		Contacts: []sihub.Contact{{Name: "Trần Thị Liên Hệ", Email: "lienhe@daxacminh.vn", Phone: "0901234567"}, {Name: "Lê Văn Khác", Email: "khac@daxacminh.vn"}}})
	w.other = e.seed(&sihub.Company{TaxCode: taxCode(102), Name: "Công ty Cổ phần Nhựa Khác", ProvinceInput: "Bình Dương"})
	ctx := context.Background()
	var err error
	w.newPending, w.unverified, _, err = e.db.SignUp(ctx, store.SignUpRequest{Email: "newcomer@moidangky.vn", Name: "Người Mới",
		Password: "một cụm từ dài và riêng", TaxCode: taxCode(103), CompanyName: "Công ty TNHH Mới Đăng Ký", Kind: sihub.Supplier,
		Lang: sihub.EN, Consent: true})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range []*sihub.Company{w.verified, w.other} {
		if err := e.db.SetVerified(ctx, c.ID, true, "test"); err != nil {
			e.t.Fatal(err)
		}
		c.Verified = true
	}
	w.admin = e.named(sihub.RoleCenterAdmin, 0, "admin@center.vn")
	w.staff = e.named(sihub.RoleCenterStaff, 0, "staff@center.vn")
	w.official = e.named(sihub.RoleOfficial, 0, "official@so.gov.vn")
	w.compAdmin = e.named(sihub.RoleCompanyAdmin, w.verified.ID, "boss@daxacminh.vn")
	w.member = e.named(sihub.RoleCompanyMember, w.verified.ID, "worker@daxacminh.vn")
	w.otherAdmin = e.named(sihub.RoleCompanyAdmin, w.other.ID, "boss@nhuakhac.vn")
	w.newAdmin = e.named(sihub.RoleCompanyAdmin, w.unverified.ID, "boss@moidangky.vn")
	w.pending = e.pendingUser(w.verified.ID, "newcomer@daxacminh.vn")
	w.otherPending = e.pendingUser(w.other.ID, "newcomer@nhuakhac.vn")
	return w
}

// named makes an active user of role with email, confirmed.
func (e *testEnv) named(role sihub.Role, companyID int64, email string) *sihub.User {
	e.t.Helper()
	return e.userWith(store.NewUser{Email: email, Role: role, CompanyID: companyID, EmailConfirmed: true})
}

func (e *testEnv) pendingUser(companyID int64, email string) *sihub.User {
	e.t.Helper()
	return e.userWith(store.NewUser{Email: email, Role: sihub.RoleCompanyMember, CompanyID: companyID,
		Status: sihub.StatusPending, EmailConfirmed: true, Lang: sihub.EN})
}

// editCompany changes company id with edit as who, the way the store
// records a profile edit.
func (e *testEnv) editCompany(who *sihub.User, id int64, edit func(*sihub.Company)) {
	e.t.Helper()
	ctx := sihub.WithActor(context.Background(), sihub.Actor{UserID: who.ID, Label: who.Email})
	c, err := e.db.Company(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	edit(c)
	c.UpdatedAt = time.Time{}
	if err := match.Prepare(c); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.UpdateCompany(ctx, c); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) userStatus(id int64) *sihub.User {
	e.t.Helper()
	u, err := e.db.User(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *testEnv) mailsTo(addr string) []store.Mail {
	e.t.Helper()
	mails, _, err := e.db.Outbox(context.Background(), store.OutboxFilter{To: addr})
	if err != nil {
		e.t.Fatal(err)
	}
	return mails
}

var invitationLink = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]+)`)

// TestAdminPagesBothLanguages renders every administration page in both
// languages, for the readers they are meant for.
func TestAdminPagesBothLanguages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		e.editCompany(w.staff, w.verified.ID, func(c *sihub.Company) { c.Products = "Bánh răng, trục" })
		if r := e.postAs(w.admin, "/invite", url.Values{"email": {"guest@center.vn"}, "role": {"center_staff"}}, ""); r.Code != http.StatusSeeOther {
			t.Fatalf("invite: %d %s", r.Code, r.Body.String())
		}
		token := invitationLink.FindStringSubmatch(e.mailsTo("guest@center.vn")[0].Body)[1]

		pages := []struct {
			who  *sihub.User
			path string
		}{
			{w.admin, "/admin/users"},
			{w.admin, fmt.Sprintf("/admin/users?status=pending&role=company_member&company=%s&q=newcomer", w.verified.TaxCode)},
			{w.admin, "/admin/users?company=0000000000&status=nonsense"},
			{w.staff, "/admin/requests"},
			{w.staff, fmt.Sprintf("/companies/%d/people", w.unverified.ID)},
			{w.compAdmin, fmt.Sprintf("/companies/%d/people", w.verified.ID)},
			{w.admin, fmt.Sprintf("/users/%d", w.pending.ID)},
			{w.compAdmin, fmt.Sprintf("/users/%d", w.member.ID)},
			{w.member, fmt.Sprintf("/users/%d", w.member.ID)},
			{w.admin, "/invite"},
			{w.compAdmin, "/invite"},
			{nil, "/invitations/" + token},
			{w.admin, "/admin/audit"},
			{w.admin, "/admin/audit?actor=staff@center.vn&action=company.&object_type=company&from=2020-01-01&to=2099-12-31"},
			{w.admin, "/admin/audit?from=yesterday"},
			{w.member, fmt.Sprintf("/companies/%d/history", w.verified.ID)},
			{w.admin, "/admin/outbox"},
			{w.admin, "/admin/outbox?status=queued&to=guest@center.vn"},
		}
		for _, lang := range []string{"vi", "en"} {
			for _, p := range pages {
				r := e.do(req{url: p.path, as: p.who, lang: lang})
				checkPage(t, lang, p.path, r)
			}
			checkPage(t, lang, "POST /admin/audit/verify", e.do(req{method: http.MethodPost, url: "/admin/audit/verify", as: w.admin, lang: lang}))
		}
	})
}

func checkPage(t *testing.T, lang, what string, r *httptest.ResponseRecorder) {
	t.Helper()
	if r.Code != http.StatusOK {
		t.Errorf("%s %s: status %d\n%.2000s", lang, what, r.Code, r.Body.String())
		return
	}
	body := r.Body.String()
	if m := missingKey.FindAllString(body, -1); len(m) > 0 {
		t.Errorf("%s %s: missing catalogue keys %v", lang, what, m)
	}
	if !strings.Contains(body, `<html lang="`+lang+`">`) {
		t.Errorf("%s %s: not rendered in %s", lang, what, lang)
	}
}

// TestJoinDecisions: staff decide every request; a company's admin decides
// those for their own company when it is verified, and none for another
// company or for a company not verified yet.
func TestJoinDecisions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		second := e.pendingUser(w.verified.ID, "second@daxacminh.vn")
		third := e.pendingUser(w.verified.ID, "third@daxacminh.vn")
		steps := []struct {
			name   string
			who    *sihub.User
			user   *sihub.User
			action string
			code   int
			status sihub.UserStatus
		}{
			{"member cannot decide", w.member, w.pending, "approve", http.StatusNotFound, sihub.StatusPending},
			{"admin of another company", w.otherAdmin, w.pending, "approve", http.StatusNotFound, sihub.StatusPending},
			{"official", w.official, w.pending, "approve", http.StatusNotFound, sihub.StatusPending},
			{"staff approve", w.staff, w.pending, "approve", http.StatusSeeOther, sihub.StatusActive},
			{"already decided", w.staff, w.pending, "reject", http.StatusConflict, sihub.StatusActive},
			{"company admin approves for own verified company", w.compAdmin, second, "approve", http.StatusSeeOther, sihub.StatusActive},
			{"company admin rejects", w.compAdmin, third, "reject", http.StatusSeeOther, sihub.StatusRejected},
			{"company admin, unverified company", w.newAdmin, w.newPending, "approve", http.StatusForbidden, sihub.StatusPending},
			{"staff, unverified company", w.staff, w.newPending, "approve", http.StatusSeeOther, sihub.StatusActive},
			{"admin disables", w.compAdmin, second, "disable", http.StatusSeeOther, sihub.StatusDisabled},
			{"cannot approve a disabled user", w.compAdmin, second, "approve", http.StatusConflict, sihub.StatusDisabled},
			{"admin enables", w.compAdmin, second, "enable", http.StatusSeeOther, sihub.StatusActive},
			{"member cannot disable", w.member, second, "disable", http.StatusNotFound, sihub.StatusActive},
		}
		for _, s := range steps {
			back := fmt.Sprintf("/companies/%d/people?status=pending", w.verified.ID)
			r := e.postAs(s.who, fmt.Sprintf("/users/%d/%s", s.user.ID, s.action), url.Values{"back": {back}}, "")
			if r.Code != s.code {
				t.Errorf("%s: status %d, want %d: %.300s", s.name, r.Code, s.code, r.Body.String())
			}
			if s.code == http.StatusSeeOther {
				if loc := r.Header().Get("Location"); !strings.HasPrefix(loc, fmt.Sprintf("/companies/%d/people?", w.verified.ID)) || !strings.Contains(loc, "done=user_") {
					t.Errorf("%s: redirected to %q", s.name, loc)
				}
			}
			if got := e.userStatus(s.user.ID).Status; got != s.status {
				t.Errorf("%s: user is %s, want %s", s.name, got, s.status)
			}
		}
		// The people decided for were told, in their language (English).
		for _, tt := range []struct{ addr, subject string }{
			{w.pending.Email, "approved"}, {second.Email, "approved"}, {third.Email, "declined"},
		} {
			mails := e.mailsTo(tt.addr)
			if len(mails) != 1 || !strings.Contains(mails[0].Subject, tt.subject) || !strings.Contains(mails[0].Body, w.verified.Name) {
				t.Errorf("mail to %s: %+v", tt.addr, mails)
			}
		}
		// The flash after a redirect.
		r := e.do(req{url: fmt.Sprintf("/companies/%d/people?done=user_approved", w.verified.ID), as: w.compAdmin, lang: "en"})
		if !strings.Contains(r.Body.String(), "Request approved") {
			t.Errorf("no flash: %.500s", r.Body.String())
		}
	})
}

// TestRoleChanges: roles are given within the organisation by those who
// may invite to them, and nobody changes their own.
func TestRoleChanges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		staff2 := e.named(sihub.RoleCenterStaff, 0, "staff2@center.vn")
		steps := []struct {
			name string
			who  *sihub.User
			user *sihub.User
			role sihub.Role
			code int
			want sihub.Role
		}{
			{"company admin promotes a colleague", w.compAdmin, w.member, sihub.RoleCompanyAdmin, http.StatusSeeOther, sihub.RoleCompanyAdmin},
			{"company admin demotes them again", w.compAdmin, w.member, sihub.RoleCompanyMember, http.StatusSeeOther, sihub.RoleCompanyMember},
			{"company admin cannot make center staff", w.compAdmin, w.member, sihub.RoleCenterStaff, http.StatusForbidden, sihub.RoleCompanyMember},
			{"company admin, own role", w.compAdmin, w.compAdmin, sihub.RoleCompanyMember, http.StatusForbidden, sihub.RoleCompanyAdmin},
			{"company admin, another company", w.compAdmin, w.otherAdmin, sihub.RoleCompanyMember, http.StatusNotFound, sihub.RoleCompanyAdmin},
			{"staff cannot make a center admin", w.staff, staff2, sihub.RoleCenterAdmin, http.StatusForbidden, sihub.RoleCenterStaff},
			{"staff cannot make a member center admin", w.staff, w.member, sihub.RoleCenterAdmin, http.StatusForbidden, sihub.RoleCompanyMember},
			{"staff manage company roles", w.staff, w.member, sihub.RoleCompanyAdmin, http.StatusSeeOther, sihub.RoleCompanyAdmin},
			{"staff, own role", w.staff, w.staff, sihub.RoleCenterAdmin, http.StatusForbidden, sihub.RoleCenterStaff},
			{"admin, own role", w.admin, w.admin, sihub.RoleCenterStaff, http.StatusForbidden, sihub.RoleCenterAdmin},
			{"admin makes staff an admin", w.admin, staff2, sihub.RoleCenterAdmin, http.StatusSeeOther, sihub.RoleCenterAdmin},
			{"no role across organisations", w.admin, w.official, sihub.RoleCenterStaff, http.StatusForbidden, sihub.RoleOfficial},
			{"no such role", w.admin, w.official, "king", http.StatusUnprocessableEntity, sihub.RoleOfficial},
		}
		for _, s := range steps {
			r := e.postAs(s.who, fmt.Sprintf("/users/%d/role", s.user.ID), url.Values{"role": {string(s.role)}}, "")
			if r.Code != s.code {
				t.Errorf("%s: status %d, want %d: %.300s", s.name, r.Code, s.code, r.Body.String())
			}
			if got := e.userStatus(s.user.ID).Role; got != s.want {
				t.Errorf("%s: role %s, want %s", s.name, got, s.want)
			}
		}
		// The role choices offered are the allowed ones.
		body := e.do(req{url: fmt.Sprintf("/users/%d", w.member.ID), as: w.compAdmin, lang: "en"}).Body.String()
		if !strings.Contains(body, `value="company_admin"`) || strings.Contains(body, `value="center_staff"`) {
			t.Errorf("company admin's role choices: %.3000s", body)
		}
	})
}

// TestInvitationFlow follows an invitation from the form through the
// outbox to the new person signed in with the role invited to.
func TestInvitationFlow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		invite := func(who *sihub.User, form url.Values) *httptest.ResponseRecorder {
			t.Helper()
			return e.postAs(who, "/invite", form, "")
		}
		refused := []struct {
			name string
			who  *sihub.User
			form url.Values
			code int
		}{
			{"company admin invites center staff", w.compAdmin, url.Values{"email": {"x@center.vn"}, "role": {"center_staff"}}, http.StatusForbidden},
			{"company admin invites to another company", w.compAdmin, url.Values{"email": {"x@center.vn"}, "role": {"company_member"}, "company_tax_code": {w.other.TaxCode}}, http.StatusForbidden},
			{"staff invite an admin", w.staff, url.Values{"email": {"x@center.vn"}, "role": {"center_admin"}}, http.StatusForbidden},
			{"member", w.member, url.Values{"email": {"x@center.vn"}, "role": {"company_member"}}, http.StatusForbidden},
			{"company role without a company", w.staff, url.Values{"email": {"x@center.vn"}, "role": {"company_member"}}, http.StatusUnprocessableEntity},
			{"bad email", w.staff, url.Values{"email": {"not an email"}, "role": {"center_staff"}}, http.StatusUnprocessableEntity},
			{"existing account", w.staff, url.Values{"email": {w.member.Email}, "role": {"center_staff"}}, http.StatusConflict},
		}
		for _, tt := range refused {
			if r := invite(tt.who, tt.form); r.Code != tt.code {
				t.Errorf("%s: status %d, want %d: %.300s", tt.name, r.Code, tt.code, r.Body.String())
			}
		}
		if n := len(e.mailsTo("x@center.vn")); n != 0 {
			t.Errorf("refused invitations sent %d mails", n)
		}
		if r := e.do(req{url: "/invite"}); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/signin") {
			t.Errorf("anonymous /invite: %d %s", r.Code, r.Header().Get("Location"))
		}

		tests := []struct {
			name    string
			who     *sihub.User
			form    url.Values
			role    sihub.Role
			company int64
		}{
			{"admin invites staff", w.admin, url.Values{"email": {"New.Staff@Center.vn"}, "role": {"center_staff"}, "lang": {"en"}}, sihub.RoleCenterStaff, 0},
			{"company admin invites a colleague", w.compAdmin, url.Values{"email": {"colleague@daxacminh.vn"}, "role": {"company_member"}}, sihub.RoleCompanyMember, w.verified.ID},
			{"staff invite to a company by tax code", w.staff, url.Values{"email": {"boss2@nhuakhac.vn"}, "role": {"company_admin"}, "company_tax_code": {w.other.TaxCode}}, sihub.RoleCompanyAdmin, w.other.ID},
		}
		for _, tt := range tests {
			r := invite(tt.who, tt.form)
			if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/invite?done=invited" {
				t.Fatalf("%s: %d %s %.500s", tt.name, r.Code, r.Header().Get("Location"), r.Body.String())
			}
			email := strings.ToLower(tt.form.Get("email"))
			mails := e.mailsTo(email)
			if len(mails) != 1 {
				t.Fatalf("%s: %d mails to %s", tt.name, len(mails), email)
			}
			m := invitationLink.FindStringSubmatch(mails[0].Body)
			if m == nil || !strings.Contains(mails[0].Body, "http://localhost:8080/invitations/") {
				t.Fatalf("%s: no link in %q", tt.name, mails[0].Body)
			}
			token := m[1]
			page := e.do(req{url: "/invitations/" + token, lang: "en"})
			if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), email) {
				t.Fatalf("%s: invitation page %d %.500s", tt.name, page.Code, page.Body.String())
			}
			accept := func(form url.Values) *httptest.ResponseRecorder {
				return e.do(req{method: http.MethodPost, url: "/invitations/" + token, lang: "en",
					body: strings.NewReader(form.Encode()), ctype: "application/x-www-form-urlencoded"})
			}
			good := url.Values{"name": {"Nguyễn Văn Mới"}, "password": {"một cụm từ dài và riêng"}, "password2": {"một cụm từ dài và riêng"}, "consent": {"1"}}
			for _, bad := range []url.Values{
				{"name": good["name"], "password": good["password"], "password2": {"something else entirely"}, "consent": {"1"}},
				{"name": good["name"], "password": good["password"], "password2": good["password"]},
				{"name": good["name"], "password": {"short"}, "password2": {"short"}, "consent": {"1"}},
			} {
				if r := accept(bad); r.Code != http.StatusUnprocessableEntity || missingKey.MatchString(r.Body.String()) {
					t.Errorf("%s: accepting with %v: %d %.300s", tt.name, bad, r.Code, r.Body.String())
				}
			}
			if _, err := e.db.UserByEmail(t.Context(), email); sihub.ErrorCode(err) != sihub.ErrNotFound {
				t.Fatalf("%s: a refused acceptance created the user (%v)", tt.name, err)
			}
			r = accept(good)
			if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/account") {
				t.Fatalf("%s: accept: %d %s %.500s", tt.name, r.Code, r.Header().Get("Location"), r.Body.String())
			}
			var session string
			for _, c := range r.Result().Cookies() {
				if c.Name == sessionCookie {
					session = c.Value
				}
			}
			u, err := e.db.UserByEmail(t.Context(), email)
			if err != nil || u.Role != tt.role || u.CompanyID != tt.company || !u.Active() || u.Name != "Nguyễn Văn Mới" {
				t.Fatalf("%s: user %+v, %v", tt.name, u, err)
			}
			if session == "" {
				t.Fatalf("%s: not signed in", tt.name)
			}
			me := e.do(req{url: "/api/v1/users/" + fmt.Sprint(u.ID), cookie: session})
			if me.Code != http.StatusOK {
				t.Errorf("%s: the new session does not work: %d", tt.name, me.Code)
			}
			if r := accept(good); r.Code != http.StatusNotFound {
				t.Errorf("%s: the link worked twice: %d", tt.name, r.Code)
			}
		}
	})
}

// openRaw opens the database behind dsn directly, as someone with access
// to the server could, to tamper with it.
func openRaw(t *testing.T, dialect, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if dialect == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// TestAuditPages: the log shows a company edit field by field, its head,
// and a verification that notices a record edited behind SIHub's back.
func TestAuditPages(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			e := newEnvDSN(t, dsn)
			w := e.adminWorld()
			oldName := w.verified.Name
			e.editCompany(w.staff, w.verified.ID, func(c *sihub.Company) { c.Name = "Công ty TNHH Cơ khí Đổi Tên" })

			path := fmt.Sprintf("/admin/audit?object_type=company&object_id=%d&action=company.", w.verified.ID)
			body := e.do(req{url: path, as: w.admin, lang: "en"}).Body.String()
			for _, want := range []string{"Company profile edited", "staff@center.vn", "<del>" + oldName + "</del>", "Công ty TNHH Cơ khí Đổi Tên", "Company verified"} {
				if !strings.Contains(body, want) {
					t.Errorf("audit page lacks %q:\n%.4000s", want, body)
				}
			}
			if strings.Contains(body, "user.create") || strings.Contains(body, "Account created") {
				t.Error("the company filter shows user records")
			}
			head, err := e.db.AuditHead(t.Context())
			if err != nil || head.Seq == 0 {
				t.Fatal(head, err)
			}
			if !strings.Contains(body, head.String()) || !strings.Contains(body, "sihub audit verify --head "+head.String()) {
				t.Errorf("the head %s is not shown", head)
			}
			// Paging by seq.
			first := decode[auditList](t, e.apiJSON(http.MethodGet, "/api/v1/audit?limit=2", nil, w.admin))
			if len(first.Items) != 2 || first.Items[0].Seq != head.Seq || first.NextBefore != head.Seq-1 {
				t.Fatalf("first page: %+v", first)
			}
			second := decode[auditList](t, e.apiJSON(http.MethodGet, fmt.Sprintf("/api/v1/audit?limit=2&before=%d", first.NextBefore), nil, w.admin))
			if len(second.Items) != 2 || second.Items[0].Seq != head.Seq-2 {
				t.Fatalf("second page: %+v", second)
			}
			for _, p := range []string{"/admin/audit", "/api/v1/audit"} {
				if r := e.do(req{url: p, as: w.staff, lang: "en"}); r.Code != http.StatusForbidden {
					t.Errorf("staff %s: %d", p, r.Code)
				}
			}

			verify := func(head string) string {
				t.Helper()
				r := e.do(req{method: http.MethodPost, url: "/admin/audit/verify", as: w.admin, lang: "en",
					body: strings.NewReader(url.Values{"head": {head}}.Encode()), ctype: "application/x-www-form-urlencoded"})
				if r.Code != http.StatusOK {
					t.Fatalf("verify: %d %.500s", r.Code, r.Body.String())
				}
				return r.Body.String()
			}
			n := fmt.Sprint(head.Seq)
			if b := verify(""); !strings.Contains(b, "The chain holds: "+n+" records checked") {
				t.Errorf("verify: %.3000s", b)
			}
			if b := verify(head.String()); !strings.Contains(b, "It matches the published head") {
				t.Errorf("verify against the head: %.3000s", b)
			}
			if _, err := openRaw(t, d, dsn).Exec(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			if b := verify(""); !strings.Contains(b, "The chain is broken") || !strings.Contains(b, "record 2: its content was changed") {
				t.Errorf("verify after tampering: %.3000s", b)
			}
			res := decode[verifyResult](t, e.apiJSON(http.MethodPost, "/api/v1/audit/verify", `{"head":"`+head.String()+`"}`, w.admin))
			if res.OK || res.Records != int(head.Seq) || len(res.Problems) == 0 {
				t.Errorf("API verify after tampering: %+v", res)
			}
			if r := e.apiJSON(http.MethodPost, "/api/v1/audit/verify", `{"head":"nonsense"}`, w.admin); r.Code != http.StatusUnprocessableEntity {
				t.Errorf("API verify with a bad head: %d", r.Code)
			}
		})
	}
}

// TestCompanyHistory: a company's people and staff see its history; others
// do not.
func TestCompanyHistory(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		e.editCompany(w.compAdmin, w.verified.ID, func(c *sihub.Company) { c.Products = "Bánh răng, trục" })
		e.editCompany(w.otherAdmin, w.other.ID, func(c *sihub.Company) { c.Products = "Hạt nhựa tái chế" })
		page := fmt.Sprintf("/companies/%d/history", w.verified.ID)
		api := fmt.Sprintf("/api/v1/audit/companies/%d", w.verified.ID)
		for _, who := range []*sihub.User{w.member, w.compAdmin, w.staff} {
			body := e.do(req{url: page, as: who, lang: "en"}).Body.String()
			if !strings.Contains(body, "Bánh răng, trục") || !strings.Contains(body, "boss@daxacminh.vn") || strings.Contains(body, "Hạt nhựa tái chế") {
				t.Errorf("%s: history page %.3000s", who.Email, body)
			}
			list := decode[auditList](t, e.apiJSON(http.MethodGet, api, nil, who))
			if len(list.Items) < 2 || list.Items[0].Action != "company.update" || list.Items[0].ObjectID != w.verified.ID {
				t.Errorf("%s: history API %+v", who.Email, list)
			}
		}
		for _, tt := range []struct {
			who  *sihub.User
			code int
		}{{w.otherAdmin, http.StatusForbidden}, {w.official, http.StatusForbidden}} {
			if r := e.do(req{url: page, as: tt.who, lang: "en"}); r.Code != tt.code {
				t.Errorf("%s page: %d, want %d", tt.who.Email, r.Code, tt.code)
			}
			if r := e.apiJSON(http.MethodGet, api, nil, tt.who); r.Code != tt.code {
				t.Errorf("%s API: %d, want %d", tt.who.Email, r.Code, tt.code)
			}
		}
		if r := e.do(req{url: page}); r.Code != http.StatusSeeOther {
			t.Errorf("anonymous page: %d", r.Code)
		}
		if r := e.do(req{url: api}); r.Code != http.StatusUnauthorized {
			t.Errorf("anonymous API: %d", r.Code)
		}
		if r := e.do(req{url: "/companies/999999/history", as: w.staff, lang: "en"}); r.Code != http.StatusNotFound {
			t.Errorf("unknown company: %d", r.Code)
		}
	})
}

// TestEraseContact: staff erase a contact person on request; the person's
// data leaves the profile and the audit trail, and the chain still holds.
func TestEraseContact(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		personal := []string{"Trần Thị Liên Hệ", "lienhe@daxacminh.vn", "0901234567"}
		trail := func() string {
			t.Helper()
			recs, err := e.db.AuditLog(t.Context(), store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range recs {
				fmt.Fprintf(&b, "%s %s %s\n", r.Actor, r.Before, r.After)
			}
			return b.String()
		}
		if !strings.Contains(trail(), "lienhe@daxacminh.vn") {
			t.Fatal("the contact is not in the trail to begin with")
		}
		path := fmt.Sprintf("/companies/%d/contacts/0/erase", w.verified.ID)
		for _, who := range []*sihub.User{w.compAdmin, w.member, w.official} {
			if r := e.postAs(who, path, nil, ""); r.Code != http.StatusForbidden {
				t.Errorf("%s: %d", who.Email, r.Code)
			}
		}
		r := e.postAs(w.staff, path, nil, "")
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != fmt.Sprintf("/companies/%d?done=contact_erased", w.verified.ID) {
			t.Fatalf("erase: %d %s %.300s", r.Code, r.Header().Get("Location"), r.Body.String())
		}
		c, err := e.db.Company(t.Context(), w.verified.ID)
		if err != nil || len(c.Contacts) != 1 || c.Contacts[0].Name != "Lê Văn Khác" {
			t.Fatalf("contacts after erasure: %+v, %v", c.Contacts, err)
		}
		got := trail()
		for _, v := range personal {
			if strings.Contains(got, v) {
				t.Errorf("the trail still holds %q", v)
			}
		}
		if !strings.Contains(got, "Lê Văn Khác") {
			t.Error("the other contact left the trail too")
		}
		checker, _, err := e.db.VerifyAudit(t.Context(), nil)
		if err != nil || len(checker.Problems) > 0 {
			t.Errorf("chain after erasure: %v %v", checker.Problems, err)
		}
		body := e.do(req{url: fmt.Sprintf("/companies/%d?done=contact_erased", w.verified.ID), as: w.staff, lang: "en"}).Body.String()
		if !strings.Contains(body, "The contact person and their data") {
			t.Error("no flash after erasure")
		}
		if r := e.postAs(w.staff, fmt.Sprintf("/companies/%d/contacts/5/erase", w.verified.ID), nil, ""); r.Code != http.StatusNotFound {
			t.Errorf("no such contact: %d", r.Code)
		}
	})
}

// TestOutboxPage: center admins read the email SIHub queued.
func TestOutboxPage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		if r := e.postAs(w.admin, "/invite", url.Values{"email": {"guest@center.vn"}, "role": {"official"}, "lang": {"en"}}, ""); r.Code != http.StatusSeeOther {
			t.Fatalf("invite: %d", r.Code)
		}
		body := e.do(req{url: "/admin/outbox", as: w.admin, lang: "en"}).Body.String()
		for _, want := range []string{"Your invitation to SIHub", "guest@center.vn", "http://localhost:8080/invitations/", "Queued", "as Department official"} {
			if !strings.Contains(body, want) {
				t.Errorf("outbox lacks %q: %.3000s", want, body)
			}
		}
		if body := e.do(req{url: "/admin/outbox?to=nobody@center.vn", as: w.admin, lang: "en"}).Body.String(); strings.Contains(body, "guest@center.vn") {
			t.Error("the address filter shows other messages")
		}
		list := decode[outboxList](t, e.apiJSON(http.MethodGet, "/api/v1/outbox?status=queued&to=guest@center.vn", nil, w.admin))
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].Status != "queued" || !strings.Contains(list.Items[0].Body, "/invitations/") {
			t.Errorf("API outbox: %+v", list)
		}
		for _, who := range []*sihub.User{w.staff, w.compAdmin} {
			if r := e.do(req{url: "/admin/outbox", as: who, lang: "en"}); r.Code != http.StatusForbidden {
				t.Errorf("%s: %d", who.Email, r.Code)
			}
		}
		if r := e.apiJSON(http.MethodGet, "/api/v1/outbox?status=lost", nil, w.admin); r.Code != http.StatusBadRequest {
			t.Errorf("bad status filter: %d", r.Code)
		}
	})
}

// TestAdminAPI holds the API's answers to allowed and refused callers.
func TestAdminAPI(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := e.adminWorld()
		readOnly, _, err := e.db.CreateAPIToken(t.Context(), w.admin.ID, "read", sihub.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		writer, _, err := e.db.CreateAPIToken(t.Context(), w.staff.ID, "write", sihub.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		var nobody *sihub.User
		tests := []struct {
			name         string
			who          *sihub.User
			token        string
			method, path string
			body         string
			code         int
		}{
			{"admin lists users", w.admin, "", "GET", "/api/v1/users?status=pending", "", 200},
			{"company admin lists all users", w.compAdmin, "", "GET", "/api/v1/users", "", 403},
			{"company admin lists own company", w.compAdmin, "", "GET", fmt.Sprintf("/api/v1/users?company_id=%d", w.verified.ID), "", 200},
			{"company admin lists by own tax code", w.compAdmin, "", "GET", "/api/v1/users?company_tax_code=" + w.verified.TaxCode, "", 200},
			{"company admin lists another company", w.compAdmin, "", "GET", fmt.Sprintf("/api/v1/users?company_id=%d", w.other.ID), "", 403},
			{"nobody lists users", nobody, "", "GET", "/api/v1/users", "", 401},
			{"bad filter", w.admin, "", "GET", "/api/v1/users?status=sleeping", "", 400},
			{"member reads self", w.member, "", "GET", fmt.Sprintf("/api/v1/users/%d", w.member.ID), "", 200},
			{"member reads colleague", w.member, "", "GET", fmt.Sprintf("/api/v1/users/%d", w.compAdmin.ID), "", 404},
			{"company admin reads member", w.compAdmin, "", "GET", fmt.Sprintf("/api/v1/users/%d", w.member.ID), "", 200},
			{"company admin approves another company's", w.compAdmin, "", "POST", fmt.Sprintf("/api/v1/users/%d/approve", w.otherPending.ID), "", 404},
			{"read-only token approves", nil, readOnly, "POST", fmt.Sprintf("/api/v1/users/%d/approve", w.pending.ID), "", 403},
			{"company admin approves own", w.compAdmin, "", "POST", fmt.Sprintf("/api/v1/users/%d/approve", w.pending.ID), "", 200},
			{"staff token rejects", nil, writer, "POST", fmt.Sprintf("/api/v1/users/%d/reject", w.otherPending.ID), "", 200},
			{"newcomer's admin, unverified", w.newAdmin, "", "POST", fmt.Sprintf("/api/v1/users/%d/approve", w.newPending.ID), "", 403},
			{"disable", w.compAdmin, "", "POST", fmt.Sprintf("/api/v1/users/%d/disable", w.member.ID), "", 200},
			{"enable", w.staff, "", "POST", fmt.Sprintf("/api/v1/users/%d/enable", w.member.ID), "", 200},
			{"role", w.compAdmin, "", "PUT", fmt.Sprintf("/api/v1/users/%d/role", w.member.ID), `{"role":"company_admin"}`, 200},
			{"role refused", w.compAdmin, "", "PUT", fmt.Sprintf("/api/v1/users/%d/role", w.member.ID), `{"role":"center_admin"}`, 403},
			{"role, unknown field", w.compAdmin, "", "PUT", fmt.Sprintf("/api/v1/users/%d/role", w.member.ID), `{"rank":"x"}`, 400},
			{"invite", w.admin, "", "POST", "/api/v1/invitations", `{"email":"api@center.vn","role":"official"}`, 201},
			{"invite refused", w.compAdmin, "", "POST", "/api/v1/invitations", `{"email":"api2@center.vn","role":"center_staff"}`, 403},
			{"invite invalid", w.admin, "", "POST", "/api/v1/invitations", `{"email":"api3@center.vn","role":"company_member","company_tax_code":"123"}`, 422},
			{"audit", w.admin, "", "GET", "/api/v1/audit?object_type=user&action=user.", "", 200},
			{"audit, read-only token", nil, readOnly, "GET", "/api/v1/audit", "", 200},
			{"audit, staff", w.staff, "", "GET", "/api/v1/audit", "", 403},
			{"audit, bad date", w.admin, "", "GET", "/api/v1/audit?from=20-11-2025", "", 400},
			{"audit head", w.admin, "", "GET", "/api/v1/audit/head", "", 200},
			{"audit head, nobody", nobody, "", "GET", "/api/v1/audit/head", "", 401},
			{"outbox", w.admin, "", "GET", "/api/v1/outbox", "", 200},
			{"outbox, staff token", nil, writer, "GET", "/api/v1/outbox", "", 403},
		}
		for _, tt := range tests {
			r := req{method: tt.method, url: tt.path, as: tt.who, token: tt.token}
			if tt.body != "" {
				r.body, r.ctype = strings.NewReader(tt.body), "application/json"
			}
			got := e.do(r)
			if got.Code != tt.code {
				t.Errorf("%s: %s %s: %d, want %d: %.300s", tt.name, tt.method, tt.path, got.Code, tt.code, got.Body.String())
			}
			if got.Code >= 400 && !strings.Contains(got.Body.String(), `"error"`) {
				t.Errorf("%s: not a JSON error: %.300s", tt.name, got.Body.String())
			}
		}
		if u := e.userStatus(w.pending.ID); u.Status != sihub.StatusActive {
			t.Errorf("approved by API: %s", u.Status)
		}
		if u := e.userStatus(w.member.ID); u.Role != sihub.RoleCompanyAdmin || u.Status != sihub.StatusActive {
			t.Errorf("member after the API: %s %s", u.Role, u.Status)
		}
		// Shapes: lists, the invitation without its secret, the head.
		list := decode[userList](t, e.apiJSON("GET", "/api/v1/users?status=pending", nil, w.admin))
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != w.newPending.ID || list.Limit != usersPerPage {
			t.Errorf("pending users: %+v", list)
		}
		inv := e.apiJSON("POST", "/api/v1/invitations", `{"email":"api4@center.vn","role":"center_staff","lang":"en"}`, w.admin)
		out := decode[map[string]any](t, inv)
		mails := e.mailsTo("api4@center.vn")
		if inv.Code != 201 || out["email"] != "api4@center.vn" || out["role"] != "center_staff" || len(mails) != 1 {
			t.Fatalf("invitation: %d %v %v", inv.Code, out, mails)
		}
		token := invitationLink.FindStringSubmatch(mails[0].Body)[1]
		if strings.Contains(inv.Body.String(), token) {
			t.Error("the API answer holds the invitation's secret")
		}
		head := decode[auditHeadJSON](t, e.apiJSON("GET", "/api/v1/audit/head", nil, w.admin))
		if want, _ := e.db.AuditHead(t.Context()); head.Head != want.String() || head.Seq != want.Seq {
			t.Errorf("head %+v, want %s", head, want)
		}
	})
}
