package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{Index: match.IndexTokens, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const testPassword = "nắng sớm trên sông Sài Gòn"

func TestUsersAdd(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.db")
	db := openDB(t, path)
	company := &sihub.Company{TaxCode: "0100112437", Name: "Công ty TNHH Ví Dụ"}
	if err := db.CreateCompany(ctx, company); err != nil {
		t.Fatal(err)
	}

	out, stderr, err := sihubIn(t, testPassword+"\nsecond line is ignored\n",
		"users", "add", "--db", path, "--email", " Admin@Center.Example.VN ", "--role", "center_admin", "--name", "Lê Quản Trị")
	if err != nil {
		t.Fatalf("users add: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "admin@center.example.vn") || !strings.Contains(out, "center_admin") {
		t.Errorf("users add printed %q", out)
	}
	if strings.Contains(stderr, "Password:") {
		t.Error("prompted for a password although stdin is not a terminal")
	}
	u, err := db.Authenticate(ctx, "admin@center.example.vn", testPassword, "127.0.0.1")
	if err != nil {
		t.Fatalf("the new administrator cannot sign in: %v", err)
	}
	if !u.Active() || u.Role != sihub.RoleCenterAdmin || u.Name != "Lê Quản Trị" || u.CompanyID != 0 {
		t.Errorf("created %+v", u)
	}
	recs, err := db.AuditLog(ctx, store.AuditFilter{ObjectType: "user", ObjectID: u.ID})
	if err != nil || len(recs) == 0 || recs[len(recs)-1].Action != "user.create" || recs[len(recs)-1].Actor != "cli" {
		t.Errorf("the audit trail does not show the operator creating the user: %+v, %v", recs, err)
	}

	// A company member, by the company's tax code (formatted as people
	// write it); the password's line may end in CRLF.
	if _, stderr, err := sihubIn(t, testPassword+"\r\n", "users", "add", "--db", path, "--email", "an@vidu.vn",
		"--role", "company_member", "--company", "0100 112 437", "--lang", "en"); err != nil {
		t.Fatalf("company member: %v\n%s", err, stderr)
	}
	m, err := db.Authenticate(ctx, "an@vidu.vn", testPassword, "127.0.0.1")
	if err != nil {
		t.Fatalf("the company member cannot sign in: %v", err)
	}
	if m.CompanyID != company.ID || m.Role != sihub.RoleCompanyMember || m.Lang != sihub.EN || !m.Active() {
		t.Errorf("company member %+v", m)
	}

	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"bad role", testPassword, []string{"--email", "x@vidu.vn", "--role", "superuser"}, "unknown role"},
		{"no email", testPassword, []string{"--role", "official"}, "--email"},
		{"company role without company", testPassword, []string{"--email", "x@vidu.vn", "--role", "company_admin"}, "--company"},
		{"company not in the directory", testPassword, []string{"--email", "x@vidu.vn", "--role", "company_admin", "--company", "0318426583"}, "no company with tax code 0318426583"},
		{"malformed tax code", testPassword, []string{"--email", "x@vidu.vn", "--role", "company_admin", "--company", "12"}, "Tax code"},
		{"center role with company", testPassword, []string{"--email", "x@vidu.vn", "--role", "center_staff", "--company", "0100112437"}, "leave out --company"},
		{"no password", "", []string{"--email", "x@vidu.vn", "--role", "official"}, "no password"},
		{"weak password", "1234567890\n", []string{"--email", "x@vidu.vn", "--role", "official"}, "password"},
		{"short password", "ngắn\n", []string{"--email", "x@vidu.vn", "--role", "official"}, "at least 10"},
		{"bad email", testPassword, []string{"--email", "not an address", "--role", "official"}, "email"},
		{"email taken", testPassword, []string{"--email", "ADMIN@center.example.vn", "--role", "official"}, ""},
		{"bad language", testPassword, []string{"--email", "x@vidu.vn", "--role", "official", "--lang", "fr"}, "language"},
	} {
		_, _, err := sihubIn(t, c.stdin, append([]string{"users", "add", "--db", path}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error mentioning %q", c.name, err, c.want)
		}
	}
	if _, total, err := db.Users(ctx, store.UserFilter{}); err != nil || total != 2 {
		t.Errorf("%d users after the failures (%v); want 2", total, err)
	}
	if _, _, err := sihubIn(t, "", "users"); err == nil {
		t.Error("users without a subcommand succeeded")
	}
	if _, _, err := sihubIn(t, "", "users", "remove"); err == nil {
		t.Error("users remove succeeded")
	}
}

func TestTokensAdd(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	if _, stderr, err := sihubIn(t, testPassword, "users", "add", "--db", path, "--email", "staff@center.example.vn", "--role", "center_staff"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	db := openDB(t, path)
	for _, scope := range []sihub.TokenScope{sihub.ScopeRead, sihub.ScopeWrite} {
		args := []string{"tokens", "add", "--db", path, "--email", "staff@center.example.vn", "--name", "xuất hàng đêm " + string(scope)}
		if scope == sihub.ScopeWrite {
			args = append(args, "--scope", "write")
		}
		out, stderr, err := sihubCmd(t, args...)
		if err != nil {
			t.Fatalf("tokens add: %v\n%s", err, stderr)
		}
		secret := strings.TrimSuffix(out, "\n")
		if secret == "" || strings.ContainsAny(secret, " \n") {
			t.Fatalf("tokens add printed %q; want the secret alone", out)
		}
		if strings.Contains(stderr, secret) {
			t.Error("the secret went to the log too")
		}
		u, tok, err := db.TokenUser(ctx, secret)
		if err != nil {
			t.Fatalf("the printed secret is not a token: %v", err)
		}
		if u.Email != "staff@center.example.vn" || tok.Scope != scope || tok.Name != "xuất hàng đêm "+string(scope) {
			t.Errorf("token of %s: %+v", u.Email, tok)
		}
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown user", []string{"--email", "nobody@center.example.vn", "--name", "x"}, "no user"},
		{"no name", []string{"--email", "staff@center.example.vn"}, "--name"},
		{"no email", []string{"--name", "x"}, "--email"},
		{"bad scope", []string{"--email", "staff@center.example.vn", "--name", "x", "--scope", "admin"}, "scope"},
	} {
		out, _, err := sihubCmd(t, append([]string{"tokens", "add", "--db", path}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) || out != "" {
			t.Errorf("%s: %v, printed %q; want an error mentioning %q", c.name, err, out, c.want)
		}
	}
}

// The audit commands on a SQLite file: the chain verifies, against a
// published head too; an edited record and removed newest records are
// found.
func TestAuditVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	addUser := func(email string) {
		t.Helper()
		if _, stderr, err := sihubIn(t, testPassword, "users", "add", "--db", path, "--email", email, "--role", "official"); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
	}
	head := func() string {
		t.Helper()
		out, stderr, err := sihubCmd(t, "audit", "head", "--db", path)
		if err != nil {
			t.Fatalf("audit head: %v\n%s", err, stderr)
		}
		h, err := sihub.ParseAuditHead(out)
		if err != nil || !strings.HasSuffix(out, "\n") {
			t.Fatalf("audit head printed %q: %v", out, err)
		}
		return h.String()
	}
	addUser("a@so.example.vn")
	addUser("b@so.example.vn")
	published := head()
	if !strings.HasPrefix(published, "2:") {
		t.Errorf("head after two users: %s", published)
	}
	addUser("c@so.example.vn")
	newest := head()

	out, stderr, err := sihubCmd(t, "audit", "verify", "--db", path)
	if err != nil || !strings.Contains(out, "3 records checked") || !strings.Contains(out, newest) {
		t.Fatalf("verify: %v\n%s\n%s", err, out, stderr)
	}
	for _, h := range []string{published, newest} {
		if out, stderr, err := sihubCmd(t, "audit", "verify", "--db", path, "--head", h); err != nil {
			t.Errorf("verify --head %s: %v\n%s\n%s", h, err, out, stderr)
		}
	}
	if _, _, err := sihubCmd(t, "audit", "verify", "--db", path, "--head", "nonsense"); err == nil || !strings.Contains(err.Error(), "SEQ:HASH") {
		t.Errorf("a malformed head: %v", err)
	}
	// A head of another chain (the right number, another hash).
	forged := "2:" + strings.Repeat("ab", 32)
	if _, stderr, err := sihubCmd(t, "audit", "verify", "--db", path, "--head", forged); err == nil || !strings.Contains(stderr, "record 2") {
		t.Errorf("verify against a head the trail never had: %v\n%s", err, stderr)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}

	// Removing the newest record leaves a consistent chain: only the
	// published head shows it.
	exec(`DELETE FROM audit_log WHERE seq = 3`)
	if _, stderr, err := sihubCmd(t, "audit", "verify", "--db", path); err != nil {
		t.Errorf("verify without a head after truncation: %v\n%s", err, stderr)
	}
	out, stderr, err = sihubCmd(t, "audit", "verify", "--db", path, "--head", newest)
	if err == nil || !strings.Contains(stderr, "removed") || !strings.Contains(out, "2 records checked") {
		t.Errorf("verify --head after truncation: %v\n%s\n%s", err, out, stderr)
	}

	// Editing a record breaks the chain.
	exec(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`)
	out, stderr, err = sihubCmd(t, "audit", "verify", "--db", path)
	if err == nil || !strings.Contains(stderr, "record 1") || !strings.Contains(out, "records checked") {
		t.Errorf("verify after an edit: %v\n%s\n%s", err, out, stderr)
	}
}

// The demo creates one account per role; each signs in with the password
// printed at start, and stays there across restarts.
func TestDemoAccounts(t *testing.T) {
	ctx := context.Background()
	var stderr bytes.Buffer
	e := &env{getenv: noEnv, stdout: &bytes.Buffer{}, stderr: &stderr, log: slogDiscard()}
	db := openDB(t, filepath.Join(t.TempDir(), "demo.db"))
	if err := loadDemo(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	if err := printDemoAccounts(ctx, e, db, "http://localhost:8080"); err != nil {
		t.Fatal(err)
	}
	table := stderr.String()
	if !strings.Contains(table, "http://localhost:8080") {
		t.Errorf("the table does not say where to sign in:\n%s", table)
	}
	roles := map[sihub.Role]bool{}
	for _, a := range demoAccounts {
		roles[a.role] = true
		line := ""
		for _, l := range strings.Split(table, "\n") {
			if strings.Contains(l, " "+a.email+" ") {
				line = l
			}
		}
		if !strings.Contains(line, string(a.role)) || !strings.Contains(line, a.password) {
			t.Errorf("%s: the table's line is %q", a.email, line)
		}
		u, err := db.Authenticate(ctx, a.email, a.password, "127.0.0.1")
		if err != nil {
			t.Errorf("%s cannot sign in: %v", a.email, err)
			continue
		}
		if !u.Active() || u.Role != a.role {
			t.Errorf("%s: %+v", a.email, u)
		}
		if a.role.OfCompany() != (u.CompanyID != 0) || u.CompanyTaxCode != a.taxCode {
			t.Errorf("%s: company %d %q; want %q", a.email, u.CompanyID, u.CompanyTaxCode, a.taxCode)
		}
		if u.CompanyName != "" && !strings.Contains(line, u.CompanyName) {
			t.Errorf("%s: the table does not name the company %s: %q", a.email, u.CompanyName, line)
		}
		if a.taxCode == demoSupplierTaxCode && !u.CompanyVerified {
			t.Errorf("%s: the demo supplier is not verified", a.email)
		}
	}
	for _, r := range sihub.Roles {
		if !roles[r] {
			t.Errorf("no demo account has the role %s", r)
		}
	}
	for tax, kind := range map[string]sihub.Kind{demoSupplierTaxCode: sihub.Supplier, demoBuyerTaxCode: sihub.Buyer} {
		c, err := db.CompanyByTaxCode(ctx, tax)
		if err != nil || c.Kind != kind {
			t.Errorf("demo company %s: %+v, %v; want kind %s", tax, c, err, kind)
		}
	}

	// A database of real companies gets no demo accounts, and no table.
	real := filepath.Join(t.TempDir(), "real.db")
	if out, _, err := sihubCmd(t, "import", "companies", "--db", real, suppliersCSV); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rdb := openDB(t, real)
	stderr.Reset()
	if err := loadDemo(ctx, e, rdb); err != nil {
		t.Fatal(err)
	}
	if err := printDemoAccounts(ctx, e, rdb, "http://localhost:8080"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "@demo.sihub.vn") {
		t.Errorf("demo accounts beside real data:\n%s", stderr.String())
	}
	if _, total, err := rdb.Users(ctx, store.UserFilter{}); err != nil || total != 0 {
		t.Errorf("%d users in the real database (%v)", total, err)
	}
}

// `sihub serve --demo` prints the demo accounts on every start, logs the
// audit head, and says that emails are only logged.
func TestServeDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sihub.db")
	for start := range 2 {
		_, log, stop := launchServer(t, "--db", path, "--demo")
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Demo accounts", "admin@demo.sihub.vn", "demo-admin-2026!", "msg=\"audit head\" seq=", "emails are logged"} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("start %d: the log lacks %q:\n%s", start+1, want, log.String())
			}
		}
	}
}

func TestServeFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--base-url", "ftp://sihub.example.vn"}, "--base-url"},
		{[]string{"--base-url", "sihub.example.vn"}, "--base-url"},
		{[]string{"--smtp-user", "sihub"}, "--smtp-addr"},
		{[]string{"--smtp-addr", "mail.example.vn:587"}, "--smtp-from"},
		{[]string{"--smtp-addr", "mail.example.vn:587", "--smtp-from", "noreply@example.vn", "--smtp-user", "sihub"}, "SIHUB_SMTP_PASSWORD"},
		{[]string{"--smtp-addr", "mail.example.vn", "--smtp-from", "noreply@example.vn"}, "host:port"},
	} {
		_, _, err := sihubCmd(t, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("serve %q: %v; want an error mentioning %q", c.args, err, c.want)
		}
	}
}

// --secure-cookies marks cookies Secure on plain HTTP, for SIHub behind a
// TLS-terminating proxy.
func TestServeSecureCookies(t *testing.T) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, secure := range []bool{false, true} {
		args := []string{"--db", filepath.Join(t.TempDir(), "c.db")}
		if secure {
			args = append(args, "--secure-cookies")
		}
		base, _, stop := launchServer(t, args...)
		resp, err := client.Get(base + "/lang/en")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if len(cookies) == 0 {
			t.Fatalf("/lang/en set no cookie: %s", resp.Status)
		}
		if cookies[0].Secure != secure {
			t.Errorf("--secure-cookies=%v: cookie %s", secure, cookies[0])
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}
