package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// With a mail server, link secrets belong to their recipients alone: the
// outbox page and API hide them from the admins who read it.
func TestOutboxHidesLinkSecretsWithSMTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		admin := e.user(sihub.RoleCenterAdmin, 0)
		member := e.userWith(store.NewUser{Role: sihub.RoleCenterStaff, Password: testPassword, EmailConfirmed: true})
		if w := e.postAs(nil, "/password/forgot", url.Values{"email": {member.Email}}, "en"); w.Code != http.StatusOK {
			t.Fatalf("forgot: %d", w.Code)
		}
		secret := regexp.MustCompile(`/reset/[A-Za-z0-9_-]{16,}`)
		plain := e.do(req{url: "/admin/outbox", as: admin, lang: "en"}).Body.String()
		if !secret.MatchString(plain) {
			t.Fatalf("without SMTP the admin reads the whole link: %.2000s", plain)
		}
		withSMTP := *e
		withSMTP.h = NewServer(Config{DB: e.db, Logger: quiet, SMTP: true})
		page := withSMTP.do(req{url: "/admin/outbox", as: admin, lang: "en"}).Body.String()
		if secret.MatchString(page) || !strings.Contains(page, "/reset/…") || !strings.Contains(page, "are hidden") {
			t.Errorf("with SMTP the outbox page shows a link secret or does not say it hides them: %.3000s", page)
		}
		api := withSMTP.apiJSON(http.MethodGet, "/api/v1/outbox", nil, admin).Body.String()
		if secret.MatchString(api) {
			t.Errorf("with SMTP the outbox API shows a link secret: %s", api)
		}
	})
}

// The forms that mail links on request cannot flood an inbox.
func TestResetMailsLimited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		u := e.userWith(store.NewUser{Role: sihub.RoleCenterStaff, Password: testPassword, EmailConfirmed: true})
		for i := 0; i < mailBurst+3; i++ {
			w := e.postAs(nil, "/password/forgot", url.Values{"email": {u.Email}}, "en")
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), u.Email) {
				t.Fatalf("forgot #%d: %d — the answer must not change", i, w.Code)
			}
		}
		_, total, err := e.db.Outbox(context.Background(), store.OutboxFilter{To: u.Email})
		if err != nil {
			t.Fatal(err)
		}
		if total != mailBurst {
			t.Errorf("%d reset mails queued for one address within minutes, want %d", total, mailBurst)
		}
	})
}

// Behind a trusted proxy the client is the address the proxy appended;
// otherwise forwarding headers are not believed.
func TestClientIP(t *testing.T) {
	for _, tt := range []struct {
		trust  bool
		remote string
		xff    []string
		want   string
	}{
		{false, "203.0.113.5:1234", nil, "203.0.113.5"},
		{false, "127.0.0.1:1234", []string{"198.51.100.7"}, "127.0.0.1"},
		{true, "127.0.0.1:1234", []string{"198.51.100.7"}, "198.51.100.7"},
		{true, "127.0.0.1:1234", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{true, "127.0.0.1:1234", []string{"1.2.3.4", "198.51.100.8"}, "198.51.100.8"},
		{true, "127.0.0.1:1234", []string{"not an address"}, "127.0.0.1"},
		{true, "[::1]:1234", nil, "::1"},
	} {
		s := &server{trustProxy: tt.trust}
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("trust=%v remote=%s xff=%q: %s, want %s", tt.trust, tt.remote, tt.xff, got, tt.want)
		}
	}
}

// A burst of sign-ups does not bury the staff who decide them.
func TestSignUpNewsLimited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		staff := e.staff()
		for i := 0; i < mailBurst+2; i++ {
			form := url.Values{"email": {fmt.Sprintf("dk%d@moi.vn", i)}, "name": {"Người Đăng Ký"}, "password": {testPassword},
				"password2": {testPassword}, "tax_code": {taxCode(40 + i)}, "company_name": {fmt.Sprintf("Công ty Mới %d", i)},
				"kind": {"supplier"}, "lang": {"vi"}, "consent": {"1"}}
			if w := e.postAs(nil, "/signup", form, "en"); w.Code != http.StatusSeeOther {
				t.Fatalf("sign-up %d: %d %.500s", i, w.Code, w.Body.String())
			}
		}
		_, total, err := e.db.Outbox(context.Background(), store.OutboxFilter{To: staff.Email})
		if err != nil {
			t.Fatal(err)
		}
		if total != mailBurst {
			t.Errorf("staff got %d emails about %d sign-ups, want %d", total, mailBurst+2, mailBurst)
		}
		if body := e.do(req{url: "/admin/requests", as: staff, lang: "en"}).Body.String(); strings.Count(body, "Người Đăng Ký") != mailBurst+2 {
			t.Errorf("the requests page does not list every sign-up")
		}
	})
}
