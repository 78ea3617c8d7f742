package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"golang.org/x/crypto/argon2"
)

// The accounts tests share these helpers.

// acctPassword and acctPassword2 pass sihub.CheckPassword.
const (
	acctPassword  = "Xưởng cơ khí 2026!"
	acctPassword2 = "một mật khẩu mới 77"
)

// acctClock is a clock the test moves by hand.
type acctClock struct {
	mu sync.Mutex
	t  time.Time
}

// useClock makes db read the time from a new acctClock.
func useClock(db *DB) *acctClock {
	c := &acctClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.now = c.now
	return c
}

func (c *acctClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *acctClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mustUser creates an active, confirmed user with acctPassword, changed by
// edit.
func mustUser(t *testing.T, db *DB, email string, role sihub.Role, companyID int64, edit ...func(*NewUser)) *sihub.User {
	t.Helper()
	nu := NewUser{Email: email, Name: "Người " + email, Password: acctPassword, Role: role, CompanyID: companyID,
		EmailConfirmed: true, Consent: true}
	for _, e := range edit {
		e(&nu)
	}
	u, err := db.CreateUser(context.Background(), nu)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// userActions returns the actions of the audit records about user id, in
// order.
func userActions(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	rows, err := db.r.Query(db.q(`SELECT action FROM audit_log WHERE object_type = 'user' AND object_id = ? ORDER BY seq`), id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// countRows runs a COUNT query.
func countRows(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow(db.q(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// wantField checks that err is an error of code naming field.
func wantField(t *testing.T, err error, code sihub.Code, field string) {
	t.Helper()
	wantCode(t, err, code)
	if _, ok := sihub.FieldsOf(err).For(field); !ok {
		t.Errorf("error %v does not name the field %q", err, field)
	}
}

func TestPasswordHash(t *testing.T) {
	h := hashPassword(acctPassword)
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not an argon2id PHC string with OWASP's parameters", h)
	}
	if h == hashPassword(acctPassword) {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	b64 := base64.RawStdEncoding.EncodeToString
	salt := []byte("0123456789abcdef")
	// Parameters are read from the string, so hashes made with others
	// stay valid.
	small := fmt.Sprintf("$argon2id$v=19$m=64,t=1,p=1$%s$%s", b64(salt), b64(argon2.IDKey([]byte("pw"), salt, 1, 64, 1, 32)))
	tests := []struct {
		name, phc, password string
		want                bool
	}{
		{"right", h, acctPassword, true},
		{"wrong", h, acctPassword + " ", false},
		{"empty hash", "", "", false},
		{"garbage", "$argon2id$v=19$garbage", acctPassword, false},
		{"other parameters", small, "pw", true},
		{"parameters changed", strings.Replace(small, "m=64", "m=65", 1), "pw", false},
		{"absurd memory", strings.Replace(small, "m=64", "m=99999999", 1), "pw", false},
		{"argon2i", strings.Replace(small, "argon2id", "argon2i", 1), "pw", false},
		{"trailing parameters", strings.Replace(small, "p=1", "p=1,x=2", 1), "pw", false},
	}
	for _, tt := range tests {
		if got := verifyPassword(tt.phc, tt.password); got != tt.want {
			t.Errorf("%s: verifyPassword = %v, want %v", tt.name, got, tt.want)
		}
	}
	s := newSecret()
	if len(s) != 43 || strings.ContainsAny(s, "+/=") || s == newSecret() {
		t.Errorf("secret %q: want 43 random base64url characters", s)
	}
	if secretHash(s) == s || len(secretHash(s)) != 64 {
		t.Errorf("secretHash(%q) = %q", s, secretHash(s))
	}
}

func TestCreateUser(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		co := company(1, "Cơ khí An Phát")
		mustCreate(t, db, co)
		u, err := db.CreateUser(ctx, NewUser{Email: "  Lan.Nguyen@Example.VN ", Name: " Nguyễn Thị Lan ", Password: acctPassword,
			Role: sihub.RoleCompanyAdmin, CompanyID: co.ID, EmailConfirmed: true, Lang: "en", Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		now := clock.now()
		if u.ID == 0 || u.Email != "lan.nguyen@example.vn" || u.Name != "Nguyễn Thị Lan" || u.Status != sihub.StatusActive ||
			u.Lang != sihub.EN || u.EmailConfirmed == nil || !u.EmailConfirmed.Equal(now) || u.ConsentAt == nil ||
			!u.CreatedAt.Equal(now) || !u.UpdatedAt.Equal(now) || !u.Active() {
			t.Errorf("created %+v", u)
		}
		if u.CompanyID != co.ID || u.CompanyName != co.Name || u.CompanyTaxCode != co.TaxCode || u.CompanyVerified {
			t.Errorf("company fields %+v", u)
		}
		got, err := db.User(ctx, u.ID)
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("User = %+v, %v; want %+v", got, err, u)
		}
		if got, err := db.UserByEmail(ctx, " LAN.NGUYEN@example.vn"); err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("UserByEmail = %+v, %v", got, err)
		}
		if err := db.SetVerified(ctx, co.ID, true, "staff"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.User(ctx, u.ID); !got.CompanyVerified {
			t.Error("the user does not see the company verified")
		}

		// An account without a password exists but cannot sign in.
		nopw, err := db.CreateUser(ctx, NewUser{Email: "staff@sihub.vn", Role: sihub.RoleCenterStaff, Status: sihub.StatusPending})
		if err != nil {
			t.Fatal(err)
		}
		if nopw.Status != sihub.StatusPending || nopw.Lang != sihub.VI || nopw.EmailConfirmed != nil || nopw.ConsentAt != nil || nopw.CompanyID != 0 {
			t.Errorf("created %+v", nopw)
		}

		_, err = db.CreateUser(ctx, NewUser{Email: "lan.nguyen@EXAMPLE.vn", Role: sihub.RoleCenterStaff})
		wantField(t, err, sihub.ErrConflict, "email")

		long := strings.Repeat("a", sihub.MaxUserName+1)
		tests := []struct {
			name  string
			nu    NewUser
			field string
		}{
			{"bad email", NewUser{Email: "lan@", Role: sihub.RoleOfficial}, "email"},
			{"short password", NewUser{Email: "x@example.vn", Password: "ngắn", Role: sihub.RoleOfficial}, "password"},
			{"common password", NewUser{Email: "x@example.vn", Password: "password123", Role: sihub.RoleOfficial}, "password"},
			{"long name", NewUser{Email: "x@example.vn", Name: long, Role: sihub.RoleOfficial}, "name"},
			{"unknown role", NewUser{Email: "x@example.vn", Role: "boss"}, "role"},
			{"company role without company", NewUser{Email: "x@example.vn", Role: sihub.RoleCompanyMember}, "company_id"},
			{"center role with company", NewUser{Email: "x@example.vn", Role: sihub.RoleCenterStaff, CompanyID: co.ID}, "company_id"},
			{"unknown company", NewUser{Email: "x@example.vn", Role: sihub.RoleCompanyMember, CompanyID: 999}, "company_id"},
			{"created erased", NewUser{Email: "x@example.vn", Role: sihub.RoleOfficial, Status: sihub.StatusErased}, "status"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.CreateUser(ctx, tt.nu)
				wantField(t, err, sihub.ErrInvalid, tt.field)
			})
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM users`); n != 2 {
			t.Errorf("%d users, want 2", n)
		}
		_, err = db.User(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.UserByEmail(ctx, "nobody@example.vn")
		wantCode(t, err, sihub.ErrNotFound)

		if a := userActions(t, db, u.ID); !slices.Equal(a, []string{"user.create"}) {
			t.Errorf("audit of the user: %v", a)
		}
		var after string
		if err := db.r.QueryRow(db.q(`SELECT after FROM audit_log WHERE object_type = 'user' AND object_id = ?`), u.ID).Scan(&after); err != nil {
			t.Fatal(err)
		}
		var rec sihub.User
		if err := json.Unmarshal([]byte(after), &rec); err != nil || rec.Email != u.Email || rec.Role != u.Role {
			t.Errorf("user.create record %s (%v)", after, err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE after LIKE '%argon2%' OR before LIKE '%argon2%'`); n != 0 {
			t.Error("a password hash reached the audit trail")
		}
	})
}

func TestSignUp(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		verified, unverified := company(1, "Nhựa Sài Gòn"), company(2, "Điện tử Bình Dương")
		mustCreate(t, db, verified, unverified)
		if err := db.SetVerified(ctx, verified.ID, true, "staff"); err != nil {
			t.Fatal(err)
		}
		req := func(email, tc string) SignUpRequest {
			return SignUpRequest{Email: email, Name: " Trần Văn An ", Password: acctPassword, TaxCode: tc, Lang: sihub.EN, Consent: true}
		}
		v0 := dataVersion(t, db)

		// A verified company in the directory: the user waits for its admins.
		tc := verified.TaxCode
		u, c, created, err := db.SignUp(ctx, req("An@Nhua.vn", tc[:4]+" "+tc[4:]))
		if err != nil {
			t.Fatal(err)
		}
		if created || c.ID != verified.ID || !c.Verified || c.Name != verified.Name {
			t.Errorf("joined %+v (created %v)", c, created)
		}
		if u.Email != "an@nhua.vn" || u.Name != "Trần Văn An" || u.Role != sihub.RoleCompanyMember || u.Status != sihub.StatusPending ||
			u.CompanyID != verified.ID || !u.CompanyVerified || u.EmailConfirmed != nil || u.ConsentAt == nil || u.Lang != sihub.EN || u.Active() {
			t.Errorf("signed up %+v", u)
		}
		// An unverified one.
		u2, c, created, err := db.SignUp(ctx, req("binh@dientu.vn", unverified.TaxCode))
		if err != nil || created || c.ID != unverified.ID || u2.CompanyID != unverified.ID || u2.CompanyVerified {
			t.Fatalf("joined %+v, %+v, %v, %v", u2, c, created, err)
		}
		if dataVersion(t, db) != v0 {
			t.Error("joining a company moved data_version")
		}

		// A company new to the directory is created, unverified.
		r := req("chi@moi.vn", taxCode(3))
		r.CompanyName, r.Kind = " Cơ khí Mới ", sihub.Buyer
		u3, c, created, err := db.SignUp(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !created || c.ID == 0 || c.Verified || c.Kind != sihub.Buyer || c.Name != "Cơ khí Mới" || c.TaxCode != taxCode(3) ||
			u3.CompanyID != c.ID || u3.CompanyName != "Cơ khí Mới" || u3.Status != sihub.StatusPending {
			t.Errorf("created %+v for %+v", c, u3)
		}
		if dataVersion(t, db) == v0 {
			t.Error("creating a company did not move data_version")
		}
		if got, err := db.CompanyByTaxCode(ctx, taxCode(3)); err != nil || got.ID != c.ID {
			t.Errorf("CompanyByTaxCode = %+v, %v", got, err)
		}
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{"moi"}}, false)
		if err != nil || p.Total != 1 {
			t.Errorf("the new company is not in the search index: %+v, %v", p, err)
		}
		if a := userActions(t, db, u3.ID); !slices.Equal(a, []string{"user.signup"}) {
			t.Errorf("audit of the user: %v", a)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'company.create' AND object_id = ?`, c.ID); n != 1 {
			t.Errorf("%d company.create records for the new company, want 1", n)
		}

		// Validation names the form's fields.
		_, _, _, err = db.SignUp(ctx, SignUpRequest{})
		for _, f := range []string{"email", "password", "name", "tax_code", "consent"} {
			wantField(t, err, sihub.ErrInvalid, f)
		}
		if _, ok := sihub.FieldsOf(err).For("company_name"); ok {
			t.Errorf("company name asked for without a valid tax code: %v", err)
		}
		_, _, _, err = db.SignUp(ctx, req("dung@moi.vn", taxCode(4)))
		wantField(t, err, sihub.ErrInvalid, "company_name")
		wantField(t, err, sihub.ErrInvalid, "kind")
		if len(sihub.FieldsOf(err)) != 2 {
			t.Errorf("fields %v, want company_name and kind", sihub.FieldsOf(err))
		}
		r = req("dung@moi.vn", taxCode(4))
		r.CompanyName, r.Kind = "Công ty Dũng", "maker"
		_, _, _, err = db.SignUp(ctx, r)
		wantField(t, err, sihub.ErrInvalid, "kind")
		r.CompanyName, r.Kind = "Công\x00ty", sihub.Supplier
		_, _, _, err = db.SignUp(ctx, r)
		wantField(t, err, sihub.ErrInvalid, "company_name")
		r = req("dung@moi.vn", "12345")
		_, _, _, err = db.SignUp(ctx, r)
		wantField(t, err, sihub.ErrInvalid, "tax_code")

		// A taken email is a conflict, and leaves no company behind.
		r = req("AN@nhua.vn", taxCode(5))
		r.CompanyName, r.Kind = "Công ty Năm", sihub.Supplier
		_, _, _, err = db.SignUp(ctx, r)
		wantField(t, err, sihub.ErrConflict, "email")
		_, err = db.CompanyByTaxCode(ctx, taxCode(5))
		wantCode(t, err, sihub.ErrNotFound)
	})
}

func TestAuthenticate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		useClock(db)
		co := company(1, "Cơ khí An Phát")
		mustCreate(t, db, co)
		an := mustUser(t, db, "an@example.vn", sihub.RoleCompanyAdmin, co.ID)
		got, err := db.Authenticate(ctx, " AN@Example.vn ", acctPassword, "192.0.2.1")
		if err != nil || !reflect.DeepEqual(got, an) {
			t.Fatalf("Authenticate = %+v, %v; want %+v", got, err, an)
		}

		nopw := mustUser(t, db, "nopw@example.vn", sihub.RoleOfficial, 0, func(nu *NewUser) { nu.Password = "" })
		disabled := mustUser(t, db, "off@example.vn", sihub.RoleOfficial, 0, func(nu *NewUser) { nu.Status = sihub.StatusDisabled })
		rejected := mustUser(t, db, "rej@example.vn", sihub.RoleCompanyMember, co.ID, func(nu *NewUser) { nu.Status = sihub.StatusRejected })
		want := sihub.M("Email hoặc mật khẩu không đúng.", "The email or password is wrong.")
		for _, tt := range []struct{ name, email, password string }{
			{"wrong password", an.Email, acctPassword2},
			{"unknown email", "nobody@example.vn", acctPassword},
			{"not an email", "nobody", acctPassword},
			{"no password set", nopw.Email, ""},
			{"disabled", disabled.Email, acctPassword},
		} {
			_, err := db.Authenticate(ctx, tt.email, tt.password, "192.0.2.1")
			if sihub.ErrorCode(err) != sihub.ErrUnauthorized || sihub.ErrorMsg(err) != want {
				t.Errorf("%s: %v, want the generic message", tt.name, err)
			}
		}

		// Rejected people sign in to see where they stand and to
		// download or erase their data; the policy gives them nothing else.
		if got, err := db.Authenticate(ctx, rejected.Email, acctPassword, "192.0.2.3"); err != nil || got.ID != rejected.ID || got.Active() {
			t.Errorf("rejected user: %+v, %v", got, err)
		}
		// Pending and unconfirmed users sign in, and see their status.
		pending := mustUser(t, db, "cho@example.vn", sihub.RoleCompanyMember, co.ID, func(nu *NewUser) {
			nu.Status, nu.EmailConfirmed = sihub.StatusPending, false
		})
		if got, err := db.Authenticate(ctx, pending.Email, acctPassword, "192.0.2.2"); err != nil || got.ID != pending.ID || got.Active() {
			t.Errorf("pending user: %+v, %v", got, err)
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		an := mustUser(t, db, "an@example.vn", sihub.RoleOfficial, 0)
		fail := func(email, ip string) {
			t.Helper()
			_, err := db.Authenticate(ctx, email, "sai mật khẩu rồi", ip)
			wantCode(t, err, sihub.ErrUnauthorized)
		}
		signIn := func(email, ip string) error {
			_, err := db.Authenticate(ctx, email, acctPassword, ip)
			return err
		}
		wantWait := func(err error, minutes int) {
			t.Helper()
			wantCode(t, err, sihub.ErrRateLimited)
			m := sihub.ErrorMsg(err)
			if !strings.Contains(m.VI, fmt.Sprintf(" %d phút", minutes)) || !strings.Contains(m.EN, fmt.Sprintf(" %d minute", minutes)) {
				t.Errorf("wait message %+v, want %d minutes", m, minutes)
			}
		}

		// Four failures, then success: the count starts again.
		for range 4 {
			fail(an.Email, "192.0.2.1")
		}
		if err := signIn(an.Email, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM sign_in_failures WHERE key = ?`, "email:"+an.Email); n != 0 {
			t.Errorf("%d failures left after a success", n)
		}
		// Five failures for the email: even the right password waits,
		// from any address.
		for range 5 {
			fail(an.Email, "192.0.2.1")
		}
		wantWait(signIn(an.Email, "192.0.2.1"), 15)
		clock.add(6 * time.Minute)
		wantWait(signIn(" AN@example.vn", "198.51.100.1"), 9)
		clock.add(8*time.Minute + 30*time.Second)
		wantWait(signIn(an.Email, "198.51.100.1"), 1)
		clock.add(30 * time.Second)
		if err := signIn(an.Email, "192.0.2.1"); err != nil {
			t.Fatalf("still throttled once the failures are 15 minutes old: %v", err)
		}

		// Twenty failures from one address, for any emails, throttle it;
		// the wait runs from the oldest failure counted.
		for i := range 20 {
			if i == 10 {
				clock.add(5 * time.Minute)
			}
			fail(fmt.Sprintf("khach%d@example.vn", i), "203.0.113.5")
		}
		wantWait(signIn(an.Email, "203.0.113.5"), 10)
		if err := signIn(an.Email, "203.0.113.6"); err != nil {
			t.Errorf("another address is throttled too: %v", err)
		}
		// A throttled attempt is not counted, and old failures go as new
		// ones arrive.
		clock.add(16 * time.Minute)
		fail("khach@example.vn", "203.0.113.7")
		if n := countRows(t, db, `SELECT COUNT(*) FROM sign_in_failures`); n != 2 {
			t.Errorf("%d failure rows, want the 2 of the last failure", n)
		}
		if err := signIn(an.Email, "203.0.113.5"); err != nil {
			t.Errorf("address still throttled: %v", err)
		}
	})
}

func TestUsers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		co1, co2 := company(1, "Một"), company(2, "Hai")
		mustCreate(t, db, co1, co2)
		var all []*sihub.User
		add := func(email, name string, role sihub.Role, companyID int64, status sihub.UserStatus) {
			clock.add(time.Minute)
			all = append(all, mustUser(t, db, email, role, companyID, func(nu *NewUser) { nu.Name, nu.Status = name, status }))
		}
		add("admin@sihub.vn", "Quản trị", sihub.RoleCenterAdmin, 0, "")
		add("staff@sihub.vn", "Nguyễn Văn Bình", sihub.RoleCenterStaff, 0, "")
		add("a1@mot.vn", "Lê An", sihub.RoleCompanyAdmin, co1.ID, "")
		add("m1@mot.vn", "100% Chắc", sihub.RoleCompanyMember, co1.ID, sihub.StatusPending)
		add("m2@hai.vn", "Phạm Hà", sihub.RoleCompanyMember, co2.ID, "")
		add("x_y@so.vn", "Chuyên viên", sihub.RoleOfficial, 0, "")
		ids := func(us []*sihub.User) []int64 {
			var out []int64
			for _, u := range us {
				out = append(out, u.ID)
			}
			return out
		}
		newest := slices.Clone(all)
		slices.Reverse(newest)
		tests := []struct {
			name  string
			f     UserFilter
			want  []*sihub.User
			total int
		}{
			{"all", UserFilter{}, newest, 6},
			{"company", UserFilter{CompanyID: co1.ID}, []*sihub.User{all[3], all[2]}, 2},
			{"status", UserFilter{Status: sihub.StatusPending}, []*sihub.User{all[3]}, 1},
			{"role", UserFilter{Role: sihub.RoleOfficial}, []*sihub.User{all[5]}, 1},
			{"email", UserFilter{Query: "MOT.vn"}, []*sihub.User{all[3], all[2]}, 2},
			{"name", UserFilter{Query: " văn bình"}, []*sihub.User{all[1]}, 1},
			{"percent is literal", UserFilter{Query: "%"}, []*sihub.User{all[3]}, 1},
			{"underscore is literal", UserFilter{Query: "_"}, []*sihub.User{all[5]}, 1},
			{"page", UserFilter{Limit: 2, Offset: 2}, newest[2:4], 6},
			{"none", UserFilter{Query: "nobody"}, nil, 0},
		}
		for _, tt := range tests {
			got, total, err := db.Users(ctx, tt.f)
			if err != nil || total != tt.total || !slices.Equal(ids(got), ids(tt.want)) {
				t.Errorf("%s: %v (%d), %v; want %v (%d)", tt.name, ids(got), total, err, ids(tt.want), tt.total)
			}
		}
		got, _, _ := db.Users(ctx, UserFilter{CompanyID: co2.ID})
		if len(got) != 1 || got[0].CompanyName != "Hai" || got[0].CompanyTaxCode != co2.TaxCode {
			t.Errorf("company fields not filled: %+v", got)
		}
	})
}

func TestJoinDeciders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		verified, unverified, noAdmin := company(1, "Một"), company(2, "Hai"), company(3, "Ba")
		mustCreate(t, db, verified, unverified, noAdmin)
		for _, c := range []*sihub.Company{verified, noAdmin} {
			if err := db.SetVerified(ctx, c.ID, true, "staff"); err != nil {
				t.Fatal(err)
			}
		}
		mustUser(t, db, "admin@sihub.vn", sihub.RoleCenterAdmin, 0)
		mustUser(t, db, "staff@sihub.vn", sihub.RoleCenterStaff, 0)
		mustUser(t, db, "new@sihub.vn", sihub.RoleCenterStaff, 0, func(nu *NewUser) { nu.EmailConfirmed = false })
		mustUser(t, db, "gone@sihub.vn", sihub.RoleCenterStaff, 0, func(nu *NewUser) { nu.Status = sihub.StatusDisabled })
		mustUser(t, db, "official@so.vn", sihub.RoleOfficial, 0)
		mustUser(t, db, "boss@mot.vn", sihub.RoleCompanyAdmin, verified.ID)
		mustUser(t, db, "wait@mot.vn", sihub.RoleCompanyAdmin, verified.ID, func(nu *NewUser) { nu.Status = sihub.StatusPending })
		mustUser(t, db, "member@mot.vn", sihub.RoleCompanyMember, verified.ID)
		mustUser(t, db, "boss@hai.vn", sihub.RoleCompanyAdmin, unverified.ID)
		staff := []string{"admin@sihub.vn", "staff@sihub.vn"}
		for _, tt := range []struct {
			name string
			id   int64
			want []string
		}{
			{"verified", verified.ID, []string{"boss@mot.vn"}},
			{"unverified", unverified.ID, staff},
			{"verified without admin", noAdmin.ID, staff},
		} {
			if got, err := db.JoinDeciders(ctx, tt.id); err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		_, err := db.JoinDeciders(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
	})
}

func TestSetStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		co := company(1, "Một")
		mustCreate(t, db, co)
		statuses := []sihub.UserStatus{sihub.StatusPending, sihub.StatusActive, sihub.StatusRejected, sihub.StatusDisabled, sihub.StatusErased}
		allowed := map[[2]sihub.UserStatus]bool{
			{sihub.StatusPending, sihub.StatusActive}: true, {sihub.StatusPending, sihub.StatusRejected}: true,
			{sihub.StatusActive, sihub.StatusDisabled}: true, {sihub.StatusDisabled, sihub.StatusActive}: true,
			{sihub.StatusRejected, sihub.StatusActive}: true,
		}
		n := 0
		for _, from := range statuses[:4] {
			for _, to := range statuses {
				n++
				u := mustUser(t, db, fmt.Sprintf("u%d@mot.vn", n), sihub.RoleCompanyMember, co.ID, func(nu *NewUser) { nu.Status = from })
				err := db.SetStatus(ctx, u.ID, to)
				got, _ := db.User(ctx, u.ID)
				if allowed[[2]sihub.UserStatus{from, to}] {
					if err != nil || got.Status != to {
						t.Errorf("%s → %s: %v, status %s", from, to, err, got.Status)
					}
					if a := userActions(t, db, u.ID); !slices.Equal(a, []string{"user.create", "user.status"}) {
						t.Errorf("%s → %s: audit %v", from, to, a)
					}
				} else {
					wantField(t, err, sihub.ErrInvalid, "status")
					if got.Status != from {
						t.Errorf("%s → %s refused but the status is %s", from, to, got.Status)
					}
				}
			}
		}
		wantCode(t, db.SetStatus(ctx, 999, sihub.StatusActive), sihub.ErrNotFound)

		// Disabling ends the sessions and revokes the API tokens, for good.
		u := mustUser(t, db, "lan@mot.vn", sihub.RoleCompanyMember, co.ID)
		s1, err := db.CreateSession(ctx, u.ID, "", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSession(ctx, u.ID, "", "", time.Hour); err != nil {
			t.Fatal(err)
		}
		tok, _, err := db.CreateAPIToken(ctx, u.ID, "ERP", sihub.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, u.ID, sihub.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		if ss, _ := db.Sessions(ctx, u.ID); len(ss) != 0 {
			t.Errorf("sessions left: %+v", ss)
		}
		_, _, err = db.SessionUser(ctx, s1)
		wantCode(t, err, sihub.ErrUnauthorized)
		_, _, err = db.TokenUser(ctx, tok)
		wantCode(t, err, sihub.ErrUnauthorized)
		if ts, _ := db.APITokens(ctx, u.ID); len(ts) != 1 || ts[0].RevokedAt == nil {
			t.Errorf("token not revoked: %+v", ts)
		}
		_, err = db.CreateSession(ctx, u.ID, "", "", time.Hour)
		wantCode(t, err, sihub.ErrUnauthorized)
		if err := db.SetStatus(ctx, u.ID, sihub.StatusActive); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSession(ctx, u.ID, "", "", time.Hour); err != nil {
			t.Errorf("re-enabled user cannot sign in: %v", err)
		}
		_, _, err = db.TokenUser(ctx, tok)
		wantCode(t, err, sihub.ErrUnauthorized)
	})
}

func TestSetRole(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		co := company(1, "Một")
		mustCreate(t, db, co)
		member := mustUser(t, db, "m@mot.vn", sihub.RoleCompanyMember, co.ID)
		staff := mustUser(t, db, "s@sihub.vn", sihub.RoleCenterStaff, 0)
		official := mustUser(t, db, "o@so.vn", sihub.RoleOfficial, 0)
		if err := db.SetRole(ctx, member.ID, sihub.RoleCompanyAdmin); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.User(ctx, member.ID); got.Role != sihub.RoleCompanyAdmin || got.CompanyID != co.ID {
			t.Errorf("after SetRole: %+v", got)
		}
		if err := db.SetRole(ctx, staff.ID, sihub.RoleCenterAdmin); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			id   int64
			role sihub.Role
			code sihub.Code
		}{
			{"company to center", member.ID, sihub.RoleCenterStaff, sihub.ErrInvalid},
			{"center to company", staff.ID, sihub.RoleCompanyMember, sihub.ErrInvalid},
			{"department to center", official.ID, sihub.RoleCenterStaff, sihub.ErrInvalid},
			{"unknown role", member.ID, "owner", sihub.ErrInvalid},
			{"unknown user", 999, sihub.RoleOfficial, sihub.ErrNotFound},
		} {
			wantCode(t, db.SetRole(ctx, tt.id, tt.role), tt.code)
		}
		if a := userActions(t, db, member.ID); !slices.Equal(a, []string{"user.create", "user.role"}) {
			t.Errorf("audit %v", a)
		}
		var before, after string
		if err := db.r.QueryRow(db.q(`SELECT before, after FROM audit_log WHERE action = 'user.role' AND object_id = ?`), member.ID).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(before, `"role":"company_member"`) || !strings.Contains(after, `"role":"company_admin"`) || strings.Contains(after, "email") {
			t.Errorf("user.role record: %s → %s", before, after)
		}
	})
}

func TestProfileAndPassword(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		u := mustUser(t, db, "lan@example.vn", sihub.RoleOfficial, 0, func(nu *NewUser) { nu.EmailConfirmed = false })

		clock.add(time.Minute)
		if err := db.UpdateProfile(ctx, u.ID, "  Lan Trần ", sihub.EN); err != nil {
			t.Fatal(err)
		}
		got, _ := db.User(ctx, u.ID)
		if got.Name != "Lan Trần" || got.Lang != sihub.EN || !got.UpdatedAt.Equal(clock.now()) {
			t.Errorf("after UpdateProfile: %+v", got)
		}
		wantField(t, db.UpdateProfile(ctx, u.ID, " ", sihub.VI), sihub.ErrInvalid, "name")
		wantCode(t, db.UpdateProfile(ctx, 999, "X", sihub.VI), sihub.ErrNotFound)

		if err := db.ConfirmEmail(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Minute)
		if err := db.ConfirmEmail(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.User(ctx, u.ID); got.EmailConfirmed == nil || !got.EmailConfirmed.Equal(clock.now().Add(-time.Minute)) || !got.Active() {
			t.Errorf("after ConfirmEmail: %+v", got)
		}

		s, err := db.CreateSession(ctx, u.ID, "", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		reset, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeReset, UserID: u.ID, ExpiresAt: clock.now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		wantField(t, db.SetPassword(ctx, u.ID, "ngắn"), sihub.ErrInvalid, "password")
		wantField(t, db.SetPassword(ctx, u.ID, "lan@example.vn"), sihub.ErrInvalid, "password")
		if err := db.SetPassword(ctx, u.ID, acctPassword2); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, u.Email, acctPassword, "")
		wantCode(t, err, sihub.ErrUnauthorized)
		if _, err := db.Authenticate(ctx, u.Email, acctPassword2, ""); err != nil {
			t.Errorf("new password refused: %v", err)
		}
		_, _, err = db.SessionUser(ctx, s)
		wantCode(t, err, sihub.ErrUnauthorized)
		_, err = db.PeekOneTimeToken(ctx, PurposeReset, reset)
		wantCode(t, err, sihub.ErrNotFound)

		if a := userActions(t, db, u.ID); !slices.Equal(a, []string{"user.create", "user.update", "user.confirm", "user.password"}) {
			t.Errorf("audit %v", a)
		}
		var after string
		if err := db.r.QueryRow(db.q(`SELECT after FROM audit_log WHERE action = 'user.password'`)).Scan(&after); err != nil || after != `{"password":"changed"}` {
			t.Errorf("user.password record %s (%v)", after, err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE after LIKE '%argon2%' OR before LIKE '%argon2%'`); n != 0 {
			t.Error("a password hash reached the audit trail")
		}
	})
}

func TestViewContacts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		a, b, c := company(1, "A"), company(2, "B"), company(3, "C")
		mustCreate(t, db, a, b, c)
		u := mustUser(t, db, "buyer@example.vn", sihub.RoleOfficial, 0)
		other := mustUser(t, db, "other@example.vn", sihub.RoleOfficial, 0)
		view := func(user, companyID int64, want bool) {
			t.Helper()
			if got, err := db.ViewContacts(ctx, user, companyID, 2); err != nil || got != want {
				t.Errorf("view %d by %d: %v, %v; want %v", companyID, user, got, err, want)
			}
		}
		view(u.ID, a.ID, true)
		clock.add(time.Hour)
		view(u.ID, b.ID, true)
		view(u.ID, a.ID, true) // seen today: free
		view(u.ID, c.ID, false)
		view(other.ID, c.ID, true) // each user has their own count
		if n := countRows(t, db, `SELECT COUNT(*) FROM contact_views WHERE user_id = ?`, u.ID); n != 2 {
			t.Errorf("%d views recorded, want 2", n)
		}
		// A day after the first view, one more company may be seen.
		clock.add(23*time.Hour + time.Second)
		view(u.ID, c.ID, true)
		view(u.ID, a.ID, false)
		if n := countRows(t, db, `SELECT COUNT(*) FROM contact_views WHERE user_id = ?`, u.ID); n != 2 {
			t.Errorf("%d views kept, want the 2 of the last day", n)
		}
		_, err := db.ViewContacts(ctx, other.ID, 999, 2)
		wantCode(t, err, sihub.ErrNotFound)
	})
}

// TestEraseUser also covers UserData, before and after.
func TestEraseUser(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		useClock(db)
		co := company(1, "Cơ khí An Phát", func(c *sihub.Company) {
			c.Contacts = []sihub.Contact{{Name: "Lê Thị Hoa", Role: "Kinh doanh", Email: "Hoa.Le@anphat.vn"}}
		})
		mustCreate(t, db, co)
		u := mustUser(t, db, "hoa.le@anphat.vn", sihub.RoleCompanyMember, co.ID, func(nu *NewUser) { nu.Name = "Lê Thị Hoa" })
		other := mustUser(t, db, "khac@anphat.vn", sihub.RoleCompanyMember, co.ID)
		as := sihub.WithActor(ctx, sihub.Actor{UserID: u.ID, Label: u.Email, IP: "203.0.113.9"})
		if err := db.UpdateProfile(as, u.ID, "Lê Thị Hoa", sihub.EN); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSession(ctx, u.ID, "203.0.113.9", "Firefox", time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CreateAPIToken(as, u.ID, "ERP", sihub.ScopeWrite); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.ViewContacts(ctx, u.ID, co.ID, 5); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if _, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeConfirm, UserID: u.ID, ExpiresAt: db.now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := db.QueueMail(ctx, u.Email, "Xác nhận", "Chào Lê Thị Hoa"); err != nil {
			t.Fatal(err)
		}

		d, err := db.UserData(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range d.Actions {
			actions = append(actions, r.Action)
			if r.ObjectID == other.ID && r.ObjectType == "user" {
				t.Errorf("another user's record exported: %+v", r)
			}
		}
		if d.User.ID != u.ID || len(d.Sessions) != 1 || d.Sessions[0].IP != "203.0.113.9" || len(d.APITokens) != 1 ||
			len(d.ContactViews) != 1 || d.ContactViews[0].CompanyID != co.ID ||
			len(d.AsContact) != 1 || d.AsContact[0].CompanyID != co.ID || d.AsContact[0].Contact.Name != "Lê Thị Hoa" ||
			!slices.Equal(actions, []string{"user.create", "user.update", "token.create"}) || d.ExportedAt.IsZero() {
			t.Errorf("UserData = %+v, actions %v", d, actions)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Error(err)
		}
		_, err = db.UserData(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)

		if err := db.EraseUser(as, u.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		erased := fmt.Sprintf("erased-%d@invalid", u.ID)
		if got.Email != erased || got.Name != "" || got.Status != sihub.StatusErased || got.Role != u.Role || got.ConsentAt == nil {
			t.Errorf("erased user %+v", got)
		}
		_, err = db.Authenticate(ctx, u.Email, acctPassword, "")
		wantCode(t, err, sihub.ErrUnauthorized)
		for _, table := range []string{"sessions", "api_tokens", "contact_views", "one_time_tokens"} {
			if n := countRows(t, db, `SELECT COUNT(*) FROM `+table+` WHERE user_id = ?`, u.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM outbox WHERE to_addr = ?`, u.Email); n != 0 {
			t.Errorf("%d emails to the erased address kept", n)
		}
		// The records by and about the account; the company's own records
		// list her as a contact person, whom staff erase on request.
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE (actor_id = ? OR object_type = 'user' AND object_id = ?)
			AND (LOWER(actor) LIKE '%hoa.le%' OR LOWER(before) LIKE '%hoa.le%'
			OR LOWER(after) LIKE '%hoa.le%' OR before LIKE '%Thị Hoa%' OR after LIKE '%Thị Hoa%')`, u.ID, u.ID); n != 0 {
			t.Errorf("%d audit records still name the person", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND ip <> ''`, u.ID); n != 0 {
			t.Errorf("%d audit records keep the person's IP", n)
		}
		var actor, ip, action, after string
		if err := db.r.QueryRow(`SELECT actor, ip, action, after FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&actor, &ip, &action, &after); err != nil {
			t.Fatal(err)
		}
		if action != "user.erase" || actor != erased || ip != "" || after != `{"status":"erased"}` {
			t.Errorf("last record: %s by %s from %q: %s", action, actor, ip, after)
		}
		checker, _, err := db.VerifyAudit(ctx, nil)
		if err != nil || len(checker.Problems) != 0 {
			t.Errorf("the chain broke: %v %v", err, checker.Problems)
		}

		wantCode(t, db.EraseUser(ctx, u.ID), sihub.ErrInvalid)
		wantCode(t, db.SetStatus(ctx, u.ID, sihub.StatusActive), sihub.ErrInvalid)
		wantCode(t, db.SetPassword(ctx, u.ID, acctPassword2), sihub.ErrInvalid)
		_, _, err = db.CreateAPIToken(ctx, u.ID, "again", sihub.ScopeRead)
		wantCode(t, err, sihub.ErrInvalid)
		wantCode(t, db.EraseUser(ctx, 999), sihub.ErrNotFound)

		d, err = db.UserData(ctx, u.ID)
		if err != nil || d.User.Email != erased || len(d.Sessions)+len(d.APITokens)+len(d.ContactViews)+len(d.AsContact) != 0 {
			t.Errorf("UserData after erasure: %+v, %v", d, err)
		}
		// The address is free again.
		mustUser(t, db, "hoa.le@anphat.vn", sihub.RoleCompanyMember, co.ID)
	})
}
