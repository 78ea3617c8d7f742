package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// withPassword makes an active user of role who signs in with
// testPassword.
func (e *testEnv) withPassword(role sihub.Role, companyID int64) *sihub.User {
	e.t.Helper()
	return e.userWith(store.NewUser{Role: role, CompanyID: companyID, EmailConfirmed: true, Password: testPassword})
}

// signIn posts the sign-in form with cookie (a session the browser already
// has, or "").
func (e *testEnv) signIn(email, password, cookie, lang string) *httptest.ResponseRecorder {
	form := url.Values{"email": {email}, "password": {password}}
	return e.do(req{method: "POST", url: "/signin", body: strings.NewReader(form.Encode()),
		ctype: "application/x-www-form-urlencoded", cookie: cookie, lang: lang})
}

// sessionSet returns the session cookie a response sets.
func sessionSet(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// signedIn reports whether the session secret is signed in.
func (e *testEnv) signedIn(secret string) bool {
	e.t.Helper()
	w := e.do(req{url: "/api/v1/me", cookie: secret})
	return w.Code == http.StatusOK
}

// mails returns the messages queued for to, newest first.
func (e *testEnv) mails(to string) []store.Mail {
	e.t.Helper()
	m, _, err := e.db.Outbox(context.Background(), store.OutboxFilter{To: to})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

var linkRE = regexp.MustCompile(`http://localhost:8080(/[^\s]+)`)

// mailedLink returns the path of the link in the newest message to to of
// the catalogue's mail key, in either language.
func (e *testEnv) mailedLink(to, key string) string {
	e.t.Helper()
	for _, m := range e.mails(to) {
		if m.Subject == tr(sihub.VI, key+".subject") || m.Subject == tr(sihub.EN, key+".subject") {
			if l := linkRE.FindStringSubmatch(m.Body); l != nil {
				return l[1]
			}
		}
	}
	e.t.Fatalf("no mail %s with a link to %s", key, to)
	return ""
}

func TestSignIn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.withPassword(sihub.RoleCenterStaff, 0)
		page := e.do(req{url: "/signin?next=/import", lang: "en"}).Body.String()
		if !strings.Contains(page, `<input type="hidden" name="next" value="/import">`) || !strings.Contains(page, `autocomplete="current-password"`) {
			t.Error("sign-in page lacks next or the password input")
		}
		// Wrong password and unknown email read the same.
		wrong := e.signIn(u.Email, "not the password at all", "", "en")
		unknown := e.signIn("nobody@example.vn", "not the password at all", "", "en")
		msg := func(w *httptest.ResponseRecorder) string {
			return between(w.Body.String(), `<div class="banner banner-error" role="alert"><p><strong>`, "<")
		}
		if wrong.Code != 401 || unknown.Code != 401 || msg(wrong) == "" || msg(wrong) != msg(unknown) {
			t.Errorf("wrong password %d %q, unknown email %d %q", wrong.Code, msg(wrong), unknown.Code, msg(unknown))
		}
		if sessionSet(t, wrong) != nil {
			t.Error("a failed sign-in set a session")
		}
		if !strings.Contains(wrong.Body.String(), `value="`+u.Email+`"`) {
			t.Error("the form forgot the email")
		}
		// Success: back to next, with a session cookie as it should be.
		form := url.Values{"email": {strings.ToUpper(u.Email)}, "password": {testPassword}, "next": {"/import"}}
		w := e.do(req{method: "POST", url: "/signin", body: strings.NewReader(form.Encode()), ctype: "application/x-www-form-urlencoded"})
		c := sessionSet(t, w)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/import" || c == nil {
			t.Fatalf("sign-in: %d to %q, cookie %v", w.Code, w.Header().Get("Location"), c)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge != 14*24*3600 {
			t.Errorf("session cookie %+v", c)
		}
		if !e.signedIn(c.Value) {
			t.Error("the new session does not work")
		}
		// Somewhere else than this site is not a place to come back to.
		form.Set("next", "//evil.example/")
		w = e.do(req{method: "POST", url: "/signin", body: strings.NewReader(form.Encode()), ctype: "application/x-www-form-urlencoded"})
		if w.Header().Get("Location") != "/" {
			t.Errorf("next to another site: %q", w.Header().Get("Location"))
		}
		// Behind a TLS proxy the cookie is Secure.
		e.s.secureCookies = true
		if c := sessionSet(t, e.signIn(u.Email, testPassword, "", "en")); c == nil || !c.Secure {
			t.Errorf("SecureCookies: cookie %+v", c)
		}
	})
}

// TestSessionFixation: a session the browser had before signing in —
// planted by someone else — is ended by the sign-in, which starts a new one.
func TestSessionFixation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		attacker := e.user(sihub.RoleCompanyMember, 0+e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "A", ProvinceInput: "Long An"}).ID)
		planted := e.session(attacker)
		victim := e.withPassword(sihub.RoleCenterStaff, 0)
		w := e.signIn(victim.Email, testPassword, planted, "en")
		c := sessionSet(t, w)
		if w.Code != http.StatusSeeOther || c == nil || c.Value == planted {
			t.Fatalf("sign-in over a planted session: %d, cookie %v", w.Code, c)
		}
		if e.signedIn(planted) {
			t.Error("the planted session still works after sign-in")
		}
		me := decode[meJSON](t, e.do(req{url: "/api/v1/me", cookie: c.Value}))
		if me.ID != victim.ID {
			t.Errorf("new session is %s's", me.Email)
		}
	})
}

func TestSignOut(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.user(sihub.RoleCenterStaff, 0)
		var s [4]string
		for i := range s {
			secret, err := e.db.CreateSession(t.Context(), u.ID, "198.51.100.1", fmt.Sprintf("browser %d", i), sessionTTL)
			if err != nil {
				t.Fatal(err)
			}
			s[i] = secret
		}
		post := func(path, cookie string) *httptest.ResponseRecorder {
			return e.do(req{method: "POST", url: path, cookie: cookie, lang: "en"})
		}
		// Here: this session ends, the others stay.
		w := post("/signout", s[0])
		if c := sessionSet(t, w); w.Code != http.StatusSeeOther || c == nil || c.MaxAge >= 0 {
			t.Errorf("sign out: %d, cookie %v", w.Code, c)
		}
		if e.signedIn(s[0]) || !e.signedIn(s[1]) {
			t.Error("sign-out ended the wrong sessions")
		}
		// One device, from the list.
		sessions, err := e.db.Sessions(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		page := e.do(req{url: "/account", cookie: s[1], lang: "en"}).Body.String()
		var target sihub.Session
		for _, x := range sessions {
			if x.UserAgent == "browser 2" {
				target = x
			}
		}
		if !strings.Contains(page, `action="/account/sessions/`+target.ID+`/delete"`) || strings.Count(page, "This device") != 1 || !strings.Contains(page, "browser 3") {
			t.Fatalf("account page's sessions:\n%s", between(page, `id="sessions"`, "</section>"))
		}
		if w := post("/account/sessions/"+target.ID+"/delete", s[1]); w.Code != http.StatusSeeOther {
			t.Errorf("end a device: %d", w.Code)
		}
		if e.signedIn(s[2]) || !e.signedIn(s[1]) || !e.signedIn(s[3]) {
			t.Error("ending one device ended the wrong sessions")
		}
		if w := post("/account/sessions/"+target.ID+"/delete", s[1]); w.Code != http.StatusNotFound {
			t.Errorf("end an ended device: %d", w.Code)
		}
		// Everywhere.
		if w := post("/signout/everywhere", s[1]); w.Code != http.StatusSeeOther {
			t.Errorf("sign out everywhere: %d", w.Code)
		}
		if e.signedIn(s[1]) || e.signedIn(s[3]) {
			t.Error("a session survived signing out everywhere")
		}
	})
}

// TestCrossSiteAccountForms: the account's forms refuse a request from
// another site, and take one from this site.
func TestCrossSiteAccountForms(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.user(sihub.RoleCenterStaff, 0)
		secret := e.session(u)
		for _, path := range []string{"/signout", "/signout/everywhere", "/account/tokens"} {
			w := e.do(req{method: "POST", url: path, cookie: secret, header: http.Header{"Sec-Fetch-Site": {"cross-site"}}})
			if w.Code != http.StatusForbidden || !e.signedIn(secret) {
				t.Errorf("cross-site POST %s: %d", path, w.Code)
			}
		}
		if toks, _ := e.db.APITokens(t.Context(), u.ID); len(toks) != 0 {
			t.Error("a cross-site request made a token")
		}
		w := e.do(req{method: "POST", url: "/signout", cookie: secret, header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
		if w.Code != http.StatusSeeOther || e.signedIn(secret) {
			t.Errorf("same-origin sign-out: %d", w.Code)
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.withPassword(sihub.RoleCompanyMember, e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "A", ProvinceInput: "Long An"}).ID)
		for i := 0; i < 5; i++ {
			if w := e.signIn(u.Email, fmt.Sprintf("wrong password %d", i), "", "en"); w.Code != 401 {
				t.Fatalf("failure %d: %d", i+1, w.Code)
			}
		}
		// Even the right password waits now, and the page says how long.
		for _, tt := range []struct{ lang, want string }{
			{"en", "Too many failed sign-ins. Please wait 15 minutes"},
			{"vi", "Đăng nhập sai quá nhiều lần. Vui lòng đợi 15 phút"},
		} {
			w := e.signIn(u.Email, testPassword, "", tt.lang)
			if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), tt.want) || sessionSet(t, w) != nil {
				t.Errorf("%s after 5 failures: %d %s", tt.lang, w.Code, between(w.Body.String(), `role="alert"`, "</div>"))
			}
		}
	})
}

func TestPasswordRules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		c := e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty A", ProvinceInput: "Long An"})
		for _, tt := range []struct {
			lang, password, want string
		}{
			{"en", "short", "The password needs at least 10 characters."},
			{"vi", "short", "Mật khẩu cần ít nhất 10 ký tự."},
			{"en", "password123", "This password is too common"},
			{"vi", "password123", "Mật khẩu này quá phổ biến"},
			{"en", "lan.nguyen1", "must not resemble the email address"},
			{"vi", "lan.nguyen1", "không được giống địa chỉ email"},
		} {
			form := url.Values{"email": {"lan.nguyen@example.vn"}, "name": {"Lan"}, "password": {tt.password}, "password2": {tt.password},
				"tax_code": {c.TaxCode}, "kind": {"supplier"}, "lang": {tt.lang}, "consent": {"1"}}
			w := e.postAs(nil, "/signup", form, tt.lang)
			if w.Code != 422 || !strings.Contains(w.Body.String(), htmlEscape(tt.want)) || !strings.Contains(w.Body.String(), `id="e-f-signup-password"`) {
				t.Errorf("%s %q: %d, want %q beside the password", tt.lang, tt.password, w.Code, tt.want)
			}
			if strings.Contains(w.Body.String(), `value="`+tt.password+`"`) {
				t.Errorf("%s: the form sent the password back", tt.lang)
			}
		}
		// The repeat must match, and nothing is created until it does.
		form := url.Values{"email": {"lan.nguyen@example.vn"}, "name": {"Lan"}, "password": {testPassword}, "password2": {testPassword + "x"},
			"tax_code": {c.TaxCode}, "kind": {"supplier"}, "consent": {"1"}}
		if w := e.postAs(nil, "/signup", form, "en"); w.Code != 422 || !strings.Contains(w.Body.String(), "The two passwords are not the same") {
			t.Errorf("mismatch: %d", w.Code)
		}
		if _, err := e.db.UserByEmail(t.Context(), "lan.nguyen@example.vn"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a refused sign-up made a user: %v", err)
		}
	})
}

// TestSignUp: a representative signs up for a verified company, an
// unverified one and a new one. Each is signed in at once, pending, with
// no rights until their email is confirmed and the request approved; the
// right people are told.
func TestSignUp(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		plastics, precision, casting := e.seedDirectory()
		if err := e.db.SetVerified(ctx, plastics.ID, true, "test"); err != nil {
			t.Fatal(err)
		}
		companyAdmin := e.user(sihub.RoleCompanyAdmin, plastics.ID)
		staff := e.staff()
		newTax := taxCode(800)
		for _, tt := range []struct {
			name, email, tax, companyName string
			decider, where                string
		}{
			{"verified company", "mai@example.vn", plastics.TaxCode, "", companyAdmin.Email, fmt.Sprintf("/companies/%d/people", plastics.ID)},
			{"unverified company", "hung@example.vn", sihub.FormatTaxCode(casting.TaxCode), "", staff.Email, "/admin/requests"},
			{"new company", "thao@example.vn", newTax, "Công ty TNHH Cơ khí Mới", staff.Email, "/admin/requests"},
		} {
			form := url.Values{"email": {tt.email}, "name": {"Người " + tt.name}, "password": {testPassword}, "password2": {testPassword},
				"tax_code": {tt.tax}, "company_name": {tt.companyName}, "kind": {"supplier"}, "lang": {"en"}, "consent": {"1"}}
			w := e.postAs(nil, "/signup", form, "vi")
			c := sessionSet(t, w)
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account?done=account.signedup" || c == nil {
				t.Fatalf("%s: %d %s\n%s", tt.name, w.Code, w.Header().Get("Location"), w.Body.String())
			}
			u, err := e.db.UserByEmail(ctx, tt.email)
			if err != nil || u.Status != sihub.StatusPending || u.EmailConfirmed != nil || u.Role != sihub.RoleCompanyMember || u.Lang != sihub.EN || u.ConsentAt == nil {
				t.Fatalf("%s: user %+v %v", tt.name, u, err)
			}
			// The account page explains the two steps, in the person's language.
			page := e.do(req{url: "/account?done=account.signedup", cookie: c.Value, lang: "en"}).Body.String()
			for _, want := range []string{"Your account was created", "Step 1: confirm your email address", "Step 2:", u.CompanyName} {
				if !strings.Contains(page, htmlEscape(want)) {
					t.Errorf("%s: account page lacks %q", tt.name, want)
				}
			}
			if !strings.Contains(page, `action="/account/confirm"`) {
				t.Errorf("%s: account page does not offer to send the link again", tt.name)
			}
			// The deciders were told, with a link to where they decide.
			if l := e.mailedLink(tt.decider, "account.mail.join"); l != tt.where {
				t.Errorf("%s: decider's link %q, want %q", tt.name, l, tt.where)
			}
			// No rights yet: the company's profile is not theirs to edit,
			// and contacts stay hidden.
			id := u.CompanyID
			edit := e.do(req{url: fmt.Sprintf("/companies/%d/edit", id), cookie: c.Value, lang: "en"})
			if edit.Code != 403 || !strings.Contains(edit.Body.String(), "Confirm your email address first") {
				t.Errorf("%s: unconfirmed edit: %d", tt.name, edit.Code)
			}
			// Confirming: the link works once.
			confirm := e.mailedLink(tt.email, "account.mail.confirm")
			if w := e.do(req{url: confirm, lang: "en"}); w.Code != 200 || !strings.Contains(w.Body.String(), "is confirmed") {
				t.Errorf("%s: confirm: %d", tt.name, w.Code)
			}
			if w := e.do(req{url: confirm, lang: "en"}); w.Code != 404 || !strings.Contains(w.Body.String(), "invalid or has expired") {
				t.Errorf("%s: confirm again: %d", tt.name, w.Code)
			}
			edit = e.do(req{url: fmt.Sprintf("/companies/%d/edit", id), cookie: c.Value, lang: "en"})
			if edit.Code != 403 || !strings.Contains(edit.Body.String(), "has not been approved yet") {
				t.Errorf("%s: pending edit: %d", tt.name, edit.Code)
			}
			if strings.Contains(e.do(req{url: fmt.Sprintf("/companies/%d", plastics.ID), cookie: c.Value}).Body.String(), "an@saigonplastics.vn") {
				t.Errorf("%s: a pending member sees contacts", tt.name)
			}
			// Approved: their own company is theirs to edit.
			if err := e.db.SetStatus(ctx, u.ID, sihub.StatusActive); err != nil {
				t.Fatal(err)
			}
			if edit := e.do(req{url: fmt.Sprintf("/companies/%d/edit", id), cookie: c.Value}); edit.Code != 200 {
				t.Errorf("%s: approved edit: %d", tt.name, edit.Code)
			}
			if other := e.do(req{url: fmt.Sprintf("/companies/%d/edit", precision.ID), cookie: c.Value}); other.Code != 403 {
				t.Errorf("%s: edit another company: %d", tt.name, other.Code)
			}
		}
		c, err := e.db.CompanyByTaxCode(ctx, newTax)
		if err != nil || c.Name != "Công ty TNHH Cơ khí Mới" || c.Verified {
			t.Errorf("new company: %+v %v", c, err)
		}
		// Problems are shown beside their inputs, in the page's language.
		for _, tt := range []struct {
			form  url.Values
			field string
			want  string
		}{
			{url.Values{"email": {"mai@example.vn"}, "name": {"Mai"}, "password": {testPassword}, "password2": {testPassword}, "tax_code": {plastics.TaxCode}, "kind": {"supplier"}, "consent": {"1"}},
				"email", "already has an account"},
			{url.Values{"email": {"x@example.vn"}, "name": {"X"}, "password": {testPassword}, "password2": {testPassword}, "tax_code": {taxCode(801)}, "kind": {"supplier"}, "consent": {"1"}},
				"company_name", "enter the company&#39;s name"},
			{url.Values{"email": {"x@example.vn"}, "name": {"X"}, "password": {testPassword}, "password2": {testPassword}, "tax_code": {plastics.TaxCode}, "kind": {"supplier"}},
				"consent", "accept the privacy notice"},
			{url.Values{"email": {"x@example.vn"}, "name": {"X"}, "password": {testPassword}, "password2": {testPassword}, "tax_code": {"0312345678"}, "kind": {"supplier"}, "consent": {"1"}},
				"tax_code", "check digit"},
		} {
			w := e.postAs(nil, "/signup", tt.form, "en")
			if w.Code < 400 || !strings.Contains(between(w.Body.String(), `id="e-f-signup-`+tt.field+`"`, "</div>"), tt.want) {
				t.Errorf("sign-up problem with %s: %d\n%s", tt.field, w.Code, between(w.Body.String(), `role="alert"`, "</form>"))
			}
		}
	})
}

// TestPasswordReset: the same answer whether or not the address has an
// account; the link sets a new password once, ends every session, and the
// new password signs in.
func TestPasswordReset(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.withPassword(sihub.RoleCenterStaff, 0)
		old := e.session(u)
		answer := func(email string) string {
			w := e.postAs(nil, "/password/forgot", url.Values{"email": {email}}, "en")
			if w.Code != 200 {
				t.Fatalf("forgot %s: %d", email, w.Code)
			}
			return strings.ReplaceAll(between(w.Body.String(), `<main id="main" class="wrap">`, "</main>"), email, "EMAIL")
		}
		if a, b := answer(u.Email), answer("nobody@example.vn"); a != b || !strings.Contains(a, "If EMAIL has a SIHub account") {
			t.Errorf("the answers differ:\n%s\n%s", a, b)
		}
		if len(e.mails("nobody@example.vn")) != 0 {
			t.Error("mail sent to an address without an account")
		}
		link := e.mailedLink(u.Email, "account.mail.reset")
		if w := e.do(req{url: link, lang: "en"}); w.Code != 200 || !strings.Contains(w.Body.String(), `name="password2"`) {
			t.Fatalf("reset form: %d", w.Code)
		}
		// A typo does not spend the link.
		const fresh = "một mật khẩu mới dài"
		w := e.postAs(nil, link, url.Values{"password": {fresh}, "password2": {fresh + "!"}}, "en")
		if w.Code != 422 || !strings.Contains(w.Body.String(), "not the same") {
			t.Errorf("reset with a mismatch: %d", w.Code)
		}
		w = e.postAs(nil, link, url.Values{"password": {fresh}, "password2": {fresh}}, "en")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin?done=account.reset" {
			t.Fatalf("reset: %d %s", w.Code, w.Body.String())
		}
		if e.signedIn(old) {
			t.Error("a session survived the reset")
		}
		if w := e.signIn(u.Email, testPassword, "", "en"); w.Code != 401 {
			t.Errorf("old password: %d", w.Code)
		}
		if w := e.signIn(u.Email, fresh, "", "en"); w.Code != http.StatusSeeOther {
			t.Errorf("new password: %d", w.Code)
		}
		if w := e.postAs(nil, link, url.Values{"password": {"thêm một mật khẩu khác"}, "password2": {"thêm một mật khẩu khác"}}, "en"); w.Code != 404 {
			t.Errorf("the link used again: %d", w.Code)
		}
	})
}

// TestAccountPage: the profile, a password change (which keeps this
// browser signed in and ends the others), and the resend of the
// confirmation link.
func TestAccountPage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.withPassword(sihub.RoleCenterStaff, 0)
		here, elsewhere := e.session(u), ""
		secret, err := e.db.CreateSession(t.Context(), u.ID, "", "other", sessionTTL)
		if err != nil {
			t.Fatal(err)
		}
		elsewhere = secret
		post := func(path string, form url.Values) *httptest.ResponseRecorder {
			return e.do(req{method: "POST", url: path, body: strings.NewReader(form.Encode()), ctype: "application/x-www-form-urlencoded", cookie: here, lang: "en"})
		}
		if w := post("/account", url.Values{"name": {"Trần Thị Mai"}, "lang": {"en"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("profile: %d", w.Code)
		}
		if got, _ := e.db.User(t.Context(), u.ID); got.Name != "Trần Thị Mai" || got.Lang != sihub.EN {
			t.Errorf("profile saved as %+v", got)
		}
		// The current password is checked.
		w := post("/account/password", url.Values{"current_password": {"wrong one, surely"}, "password": {"mật khẩu mới của Mai"}, "password2": {"mật khẩu mới của Mai"}})
		if w.Code != 422 || !strings.Contains(between(w.Body.String(), `id="e-f-password-current_password"`, "</div>"), "current password is not right") {
			t.Errorf("wrong current password: %d", w.Code)
		}
		w = post("/account/password", url.Values{"current_password": {testPassword}, "password": {"mật khẩu mới của Mai"}, "password2": {"mật khẩu mới của Mai"}})
		c := sessionSet(t, w)
		if w.Code != http.StatusSeeOther || c == nil {
			t.Fatalf("change password: %d %s", w.Code, w.Body.String())
		}
		if e.signedIn(elsewhere) || e.signedIn(here) || !e.signedIn(c.Value) {
			t.Error("after a password change, only the new session of this browser should work")
		}
		// An unconfirmed account may have the link sent again.
		v := e.userWith(store.NewUser{Role: sihub.RoleCenterStaff})
		w = e.do(req{method: "POST", url: "/account/confirm", as: v})
		if w.Code != http.StatusSeeOther || len(e.mails(v.Email)) != 1 {
			t.Errorf("resend: %d, %d mails", w.Code, len(e.mails(v.Email)))
		}
		// The account pages are for a signed-in browser.
		if w := e.do(req{url: "/account"}); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin?next=%2Faccount" {
			t.Errorf("visitor on /account: %d %s", w.Code, w.Header().Get("Location"))
		}
	})
}

// TestDataAndErasure: a person downloads everything SIHub keeps about
// them, then erases their account: the email is gone and signing in no
// longer works.
func TestDataAndErasure(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		c := e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty A", ProvinceInput: "Long An"})
		u := e.withPassword(sihub.RoleCompanyMember, c.ID)
		for _, path := range []string{"/account/data", "/api/v1/me/data"} {
			w := e.do(req{url: path, as: u})
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
				t.Fatalf("%s: %d %v", path, w.Code, w.Header())
			}
			d := decode[store.UserData](t, w)
			if d.User == nil || d.User.Email != u.Email || len(d.Sessions) == 0 {
				t.Errorf("%s: %+v", path, d)
			}
		}
		if w := e.do(req{url: "/account/data"}); w.Code != http.StatusSeeOther {
			t.Errorf("visitor's data: %d", w.Code)
		}
		// The password is asked for again.
		w := e.do(req{method: "POST", url: "/account/erase", body: strings.NewReader("current_password=nope+nope+nope"),
			ctype: "application/x-www-form-urlencoded", as: u, lang: "en"})
		if w.Code != 422 || !strings.Contains(w.Body.String(), "current password is not right") {
			t.Errorf("erase with a wrong password: %d", w.Code)
		}
		w = e.do(req{method: "POST", url: "/account/erase", body: strings.NewReader(url.Values{"current_password": {testPassword}}.Encode()),
			ctype: "application/x-www-form-urlencoded", as: u, lang: "en"})
		if c := sessionSet(t, w); w.Code != 200 || !strings.Contains(w.Body.String(), "Your account has been erased") || c == nil || c.MaxAge >= 0 {
			t.Errorf("erase: %d, cookie %v", w.Code, c)
		}
		if strings.Contains(w.Body.String(), u.Email) {
			t.Error("the erased page still names the person")
		}
		if _, err := e.db.UserByEmail(t.Context(), u.Email); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("the email survives: %v", err)
		}
		if e.signedIn(e.sessions[u.ID]) {
			t.Error("the session survives erasure")
		}
		if w := e.signIn(u.Email, testPassword, "", "en"); w.Code != 401 {
			t.Errorf("signing in after erasure: %d", w.Code)
		}
	})
}

// TestAccountPageHeaders: the account page is personal: not cached, not
// framed, no inline script, and the security headers of every page.
func TestAccountPageHeaders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		for _, r := range []req{{url: "/account", as: e.staff()}, {url: "/signin"}, {url: "/signup"}} {
			w := e.do(r)
			h := w.Header()
			csp := h.Get("Content-Security-Policy")
			if w.Code != 200 || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") ||
				!strings.Contains(csp, "script-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Referrer-Policy") != "same-origin" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
				t.Errorf("%s: %d %v", r.url, w.Code, h)
			}
			body := w.Body.String()
			if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(body) || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
				t.Errorf("%s has inline script or style", r.url)
			}
		}
	})
}

// TestNavigation: the navigation follows who is signed in.
func TestNavigation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		c := e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty A", ProvinceInput: "Long An"})
		admin := e.user(sihub.RoleCenterAdmin, 0)
		companyAdmin := e.user(sihub.RoleCompanyAdmin, c.ID)
		member := e.user(sihub.RoleCompanyMember, c.ID)
		mine := fmt.Sprintf(`href="/companies/%d"`, c.ID)
		people := fmt.Sprintf(`href="/companies/%d/people"`, c.ID)
		for _, tt := range []struct {
			name      string
			as        *sihub.User
			want, not []string
		}{
			{"visitor", nil, []string{`href="/signin"`, `href="/signup"`, `href="/privacy"`},
				[]string{`action="/signout"`, `href="/import"`, `href="/account"`, "Signed in as"}},
			{"staff", e.staff(), []string{`href="/import"`, `href="/admin/users"`, `href="/admin/requests"`, `action="/signout"`, `href="/account"`, "Signed in as: Center staff"},
				[]string{`href="/admin/audit"`, `href="/admin/outbox"`, `href="/signup"`}},
			{"center admin", admin, []string{`href="/admin/audit"`, `href="/admin/outbox"`, `href="/admin/users"`}, nil},
			{"company admin", companyAdmin, []string{mine, people, "Signed in as: Company administrator"}, []string{`href="/import"`, `href="/admin/users"`}},
			{"member", member, []string{mine}, []string{people, `href="/import"`}},
		} {
			body := e.do(req{url: "/", as: tt.as, lang: "en"}).Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s: page lacks %s", tt.name, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("%s: page has %s", tt.name, s)
				}
			}
		}
	})
}

// TestPrivacyNotice: the notice names the law and the rights, in both
// languages, and the sign-up form links it.
func TestPrivacyNotice(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		for _, tt := range []struct{ lang string }{{"vi"}, {"en"}} {
			body := e.do(req{url: "/privacy", lang: tt.lang}).Body.String()
			for _, want := range []string{"91/2025/QH15", "13/2023/N", "sihub_session", "14", "argon2id"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s privacy notice lacks %q", tt.lang, want)
				}
			}
			if strings.Count(body, "<h2>") < 8 {
				t.Errorf("%s privacy notice has %d sections", tt.lang, strings.Count(body, "<h2>"))
			}
		}
		if !strings.Contains(e.get("/signup").Body.String(), `href="/privacy"`) {
			t.Error("sign-up does not link the privacy notice")
		}
	})
}

// A company's own people are asked to fill in a thin profile, and only
// they: the hint links the edit form they may use.
func TestAccountSuggestsCompletingProfile(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		thin := e.seed(&sihub.Company{TaxCode: taxCode(1), Name: "Công ty TNHH Mới Lập"})
		member := e.user(sihub.RoleCompanyMember, thin.ID)
		body := e.do(req{url: "/account", as: member, lang: "en"}).Body.String()
		if !strings.Contains(body, "Complete the profile") || !strings.Contains(body, fmt.Sprintf(`href="/companies/%d/edit"`, thin.ID)) {
			t.Errorf("no hint to complete the thin profile: %.2000s", body)
		}
		if body := e.do(req{url: "/account", as: e.staff(), lang: "en"}).Body.String(); strings.Contains(body, "Complete the profile") {
			t.Error("staff are asked to complete a profile")
		}
		full := e.seed(&sihub.Company{TaxCode: taxCode(2), Name: "Công ty TNHH Đủ Hồ Sơ", Address: "1 Lê Lợi, Phường Bến Thành",
			ProvinceInput: "TP. Hồ Chí Minh", CapabilitiesText: "ép nhựa"})
		if body := e.do(req{url: "/account", as: e.user(sihub.RoleCompanyAdmin, full.ID), lang: "en"}).Body.String(); strings.Contains(body, "Complete the profile") {
			t.Error("a complete profile gets the hint")
		}
	})
}
