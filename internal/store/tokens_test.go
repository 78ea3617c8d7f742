package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestOneTimeTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		u := mustUser(t, db, "lan@example.vn", sihub.RoleOfficial, 0)
		admin := mustUser(t, db, "admin@sihub.vn", sihub.RoleCenterAdmin, 0)
		expires := clock.now().Add(time.Hour)
		confirm, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeConfirm, UserID: u.ID, CreatedBy: admin.ID, ExpiresAt: expires})
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM one_time_tokens WHERE hash = ?`, secretHash(confirm)); n != 1 {
			t.Error("the table does not keep the secret's hash")
		}
		want := OneTimeToken{Purpose: PurposeConfirm, UserID: u.ID, CreatedBy: admin.ID, ExpiresAt: expires}
		// Peeking does not use the link; using it does, once.
		for range 2 {
			if got, err := db.PeekOneTimeToken(ctx, PurposeConfirm, confirm); err != nil || *got != want {
				t.Fatalf("Peek = %+v, %v; want %+v", got, err, want)
			}
		}
		invalid := sihub.M("Liên kết không hợp lệ hoặc đã hết hạn.", "This link is invalid or has expired.")
		wantInvalid := func(err error) {
			t.Helper()
			if sihub.ErrorCode(err) != sihub.ErrNotFound || sihub.ErrorMsg(err) != invalid {
				t.Errorf("error %v, want the invalid-link message", err)
			}
		}
		_, err = db.UseOneTimeToken(ctx, PurposeReset, confirm)
		wantInvalid(err) // another purpose's link
		if got, err := db.UseOneTimeToken(ctx, PurposeConfirm, confirm); err != nil || *got != want {
			t.Fatalf("Use = %+v, %v", got, err)
		}
		_, err = db.UseOneTimeToken(ctx, PurposeConfirm, confirm)
		wantInvalid(err)
		_, err = db.PeekOneTimeToken(ctx, PurposeConfirm, confirm)
		wantInvalid(err)
		_, err = db.PeekOneTimeToken(ctx, PurposeConfirm, "")
		wantInvalid(err)
		_, err = db.UseOneTimeToken(ctx, PurposeConfirm, "unknown")
		wantInvalid(err)

		// A new reset link replaces the unused one; a confirm link stays.
		r1, _ := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeReset, UserID: u.ID, ExpiresAt: expires})
		c2, _ := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeConfirm, UserID: u.ID, ExpiresAt: expires})
		r2, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeReset, UserID: u.ID, ExpiresAt: expires})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.PeekOneTimeToken(ctx, PurposeReset, r1)
		wantInvalid(err)
		if _, err := db.PeekOneTimeToken(ctx, PurposeReset, r2); err != nil {
			t.Error(err)
		}
		if _, err := db.PeekOneTimeToken(ctx, PurposeConfirm, c2); err != nil {
			t.Error(err)
		}

		// Links expire, and expired ones are deleted as new ones come.
		clock.add(time.Hour)
		_, err = db.UseOneTimeToken(ctx, PurposeReset, r2)
		wantInvalid(err)
		if _, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeReset, UserID: u.ID, ExpiresAt: clock.now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM one_time_tokens`); n != 1 {
			t.Errorf("%d links kept, want the new one", n)
		}

		for _, tt := range []struct {
			name string
			t    OneTimeToken
			code sihub.Code
		}{
			{"unknown purpose", OneTimeToken{Purpose: "login", UserID: u.ID, ExpiresAt: expires.Add(time.Hour)}, sihub.ErrInvalid},
			{"confirm without user", OneTimeToken{Purpose: PurposeConfirm, ExpiresAt: expires.Add(time.Hour)}, sihub.ErrInvalid},
			{"unknown user", OneTimeToken{Purpose: PurposeReset, UserID: 999, ExpiresAt: expires.Add(time.Hour)}, sihub.ErrNotFound},
			{"expired already", OneTimeToken{Purpose: PurposeReset, UserID: u.ID, ExpiresAt: clock.now()}, sihub.ErrInvalid},
		} {
			_, err := db.CreateOneTimeToken(ctx, tt.t)
			if sihub.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
	})
}

func TestInvitations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		co := company(1, "Cơ khí An Phát")
		mustCreate(t, db, co)
		boss := mustUser(t, db, "boss@anphat.vn", sihub.RoleCompanyAdmin, co.ID)
		invite := func(email string, role sihub.Role, companyID int64) (string, error) {
			return db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeInvite, Email: email, Role: role, CompanyID: companyID,
				CreatedBy: boss.ID, ExpiresAt: clock.now().Add(72 * time.Hour)})
		}
		secret, err := invite(" Minh@AnPhat.vn", sihub.RoleCompanyMember, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := db.PeekOneTimeToken(ctx, PurposeInvite, secret)
		if err != nil || inv.Email != "minh@anphat.vn" || inv.Role != sihub.RoleCompanyMember || inv.CompanyID != co.ID || inv.CreatedBy != boss.ID {
			t.Fatalf("invitation %+v, %v", inv, err)
		}

		// The form is checked before the link is used.
		for _, tt := range []struct {
			name, person, password string
			consent                bool
			field                  string
		}{
			{"no name", " ", acctPassword, true, "name"},
			{"weak password", "Minh", "12345678", true, "password"},
			{"password is the email", "Minh", "minh@anphat.vn", true, "password"},
			{"no consent", "Minh", acctPassword, false, "consent"},
		} {
			_, err := db.AcceptInvitation(ctx, secret, tt.person, tt.password, sihub.VI, tt.consent)
			wantField(t, err, sihub.ErrInvalid, tt.field)
		}
		u, err := db.AcceptInvitation(ctx, secret, " Đỗ Minh ", acctPassword, sihub.EN, true)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "minh@anphat.vn" || u.Name != "Đỗ Minh" || u.Role != sihub.RoleCompanyMember || u.CompanyID != co.ID ||
			u.Status != sihub.StatusActive || !u.Active() || u.Lang != sihub.EN || u.ConsentAt == nil {
			t.Errorf("invited user %+v", u)
		}
		if _, err := db.Authenticate(ctx, u.Email, acctPassword, ""); err != nil {
			t.Errorf("the invited user cannot sign in: %v", err)
		}
		_, err = db.AcceptInvitation(ctx, secret, "Minh", acctPassword, sihub.VI, true)
		wantCode(t, err, sihub.ErrNotFound)
		if a := userActions(t, db, u.ID); !slices.Equal(a, []string{"user.create"}) {
			t.Errorf("audit %v", a)
		}

		// An invitation to the center, from the center.
		admin := mustUser(t, db, "quan@sihub.vn", sihub.RoleCenterAdmin, 0)
		staffInv, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeInvite, Email: "hanh@sihub.vn", Role: sihub.RoleCenterStaff,
			CreatedBy: admin.ID, ExpiresAt: clock.now().Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// A company admin's invitation to the center admits nobody, and
		// neither does one whose sender has since been disabled.
		forged, err := invite("mao@anphat.vn", sihub.RoleCenterStaff, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AcceptInvitation(ctx, forged, "Mạo", acctPassword, sihub.VI, true)
		wantCode(t, err, sihub.ErrNotFound)
		colleague := mustUser(t, db, "dong@anphat.vn", sihub.RoleCompanyAdmin, co.ID)
		late2, err := db.CreateOneTimeToken(ctx, OneTimeToken{Purpose: PurposeInvite, Email: "sau@anphat.vn", Role: sihub.RoleCompanyAdmin,
			CompanyID: co.ID, CreatedBy: colleague.ID, ExpiresAt: clock.now().Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, colleague.ID, sihub.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		_, err = db.AcceptInvitation(ctx, late2, "Sáu", acctPassword, sihub.VI, true)
		wantCode(t, err, sihub.ErrNotFound)
		// The address got an account meanwhile: a conflict, and the link
		// stays unused.
		other, err := invite("tam@anphat.vn", sihub.RoleCompanyAdmin, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustUser(t, db, "tam@anphat.vn", sihub.RoleCompanyMember, co.ID)
		_, err = db.AcceptInvitation(ctx, other, "Tâm", acctPassword, sihub.VI, true)
		wantField(t, err, sihub.ErrConflict, "email")
		if _, err := db.PeekOneTimeToken(ctx, PurposeInvite, other); err != nil {
			t.Errorf("a failed acceptance used the link: %v", err)
		}
		s, err := db.AcceptInvitation(ctx, staffInv, "Hạnh", acctPassword, sihub.VI, true)
		if err != nil || s.Role != sihub.RoleCenterStaff || s.CompanyID != 0 {
			t.Errorf("staff invitation: %+v, %v", s, err)
		}
		if rs, err := db.AuditLog(ctx, AuditFilter{ObjectType: "user", ObjectID: s.ID, Limit: 1}); err != nil || len(rs) != 1 || rs[0].Actor != "hanh@sihub.vn" {
			t.Errorf("the account's creation is recorded as by %+v, %v; want the invited person", rs, err)
		}

		// Expired invitations.
		late, _ := invite("late@anphat.vn", sihub.RoleCompanyMember, co.ID)
		clock.add(73 * time.Hour)
		_, err = db.AcceptInvitation(ctx, late, "Muộn", acctPassword, sihub.VI, true)
		wantCode(t, err, sihub.ErrNotFound)

		for _, tt := range []struct {
			name, email string
			role        sihub.Role
			companyID   int64
			code        sihub.Code
			field       string
		}{
			{"bad email", "minh@", sihub.RoleCompanyMember, co.ID, sihub.ErrInvalid, "email"},
			{"has an account", "BOSS@anphat.vn", sihub.RoleCompanyMember, co.ID, sihub.ErrConflict, "email"},
			{"unknown role", "x@anphat.vn", "owner", co.ID, sihub.ErrInvalid, "role"},
			{"company role without company", "x@anphat.vn", sihub.RoleCompanyAdmin, 0, sihub.ErrInvalid, "company_id"},
			{"center role with company", "x@anphat.vn", sihub.RoleCenterAdmin, co.ID, sihub.ErrInvalid, "company_id"},
		} {
			_, err := invite(tt.email, tt.role, tt.companyID)
			wantField(t, err, tt.code, tt.field)
		}
		_, err = invite("x@anphat.vn", sihub.RoleCompanyMember, 999)
		wantCode(t, err, sihub.ErrNotFound)
	})
}

func TestAPITokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		co := company(1, "Cơ khí An Phát")
		mustCreate(t, db, co)
		u := mustUser(t, db, "lan@anphat.vn", sihub.RoleCompanyAdmin, co.ID)
		other := mustUser(t, db, "binh@anphat.vn", sihub.RoleCompanyMember, co.ID)
		as := sihub.WithActor(ctx, sihub.Actor{UserID: u.ID, Label: u.Email})

		secret, tok, err := db.CreateAPIToken(as, u.ID, " ERP nội bộ ", sihub.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "sihub_") || len(secret) != 6+43 {
			t.Errorf("secret %q", secret)
		}
		want := sihub.APIToken{ID: tok.ID, UserID: u.ID, Name: "ERP nội bộ", Prefix: secret[:12], Scope: sihub.ScopeRead, CreatedAt: clock.now()}
		if tok.ID == 0 || *tok != want {
			t.Errorf("token %+v, want %+v", *tok, want)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM api_tokens WHERE hash = ?`, secretHash(secret)); n != 1 {
			t.Error("the table does not keep the secret's hash")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM api_tokens WHERE hash = ? OR prefix = ?`, secret, secret); n != 0 {
			t.Error("the table keeps the secret itself")
		}
		clock.add(time.Minute)
		secret2, tok2, err := db.CreateAPIToken(as, u.ID, "Báo cáo", sihub.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		if ts, err := db.APITokens(ctx, u.ID); err != nil || len(ts) != 2 || ts[0].ID != tok2.ID || ts[1].ID != tok.ID {
			t.Errorf("APITokens = %+v, %v; want the newest first", ts, err)
		}
		if ts, _ := db.APITokens(ctx, other.ID); len(ts) != 0 {
			t.Errorf("another user's tokens: %+v", ts)
		}

		// Use, recorded at most once a minute.
		gotU, gotT, err := db.TokenUser(ctx, secret)
		if err != nil || gotU.ID != u.ID || gotU.CompanyName != co.Name || gotT.ID != tok.ID || gotT.LastUsedAt == nil || !gotT.LastUsedAt.Equal(clock.now()) {
			t.Fatalf("TokenUser = %+v, %+v, %v", gotU, gotT, err)
		}
		first := clock.now()
		clock.add(30 * time.Second)
		if _, gotT, _ := db.TokenUser(ctx, secret); !gotT.LastUsedAt.Equal(first) {
			t.Errorf("last used %v, want %v", gotT.LastUsedAt, first)
		}
		clock.add(30 * time.Second)
		if _, gotT, _ := db.TokenUser(ctx, secret); !gotT.LastUsedAt.Equal(clock.now()) {
			t.Errorf("last used %v, want %v", gotT.LastUsedAt, clock.now())
		}
		if ts, _ := db.APITokens(ctx, u.ID); ts[1].LastUsedAt == nil || !ts[1].LastUsedAt.Equal(clock.now()) {
			t.Errorf("last use not stored: %+v", ts[1])
		}
		for _, s := range []string{"", "unknown", "sihub_unknown", secret[len("sihub_"):], secret + "x"} {
			_, _, err := db.TokenUser(ctx, s)
			wantCode(t, err, sihub.ErrUnauthorized)
		}

		// Revoking: only one's own tokens.
		wantCode(t, db.RevokeAPIToken(as, other.ID, tok.ID), sihub.ErrNotFound)
		wantCode(t, db.RevokeAPIToken(as, u.ID, 999), sihub.ErrNotFound)
		if err := db.RevokeAPIToken(as, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(as, u.ID, tok.ID); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		_, _, err = db.TokenUser(ctx, secret)
		wantCode(t, err, sihub.ErrUnauthorized)
		if ts, _ := db.APITokens(ctx, u.ID); ts[1].RevokedAt == nil || !ts[1].RevokedAt.Equal(clock.now()) || ts[0].RevokedAt != nil {
			t.Errorf("after revoking: %+v", ts)
		}
		if _, _, err := db.TokenUser(ctx, secret2); err != nil {
			t.Errorf("the other token stopped working: %v", err)
		}

		// Users who are not active cannot use their tokens.
		pending := mustUser(t, db, "cho@anphat.vn", sihub.RoleCompanyMember, co.ID, func(nu *NewUser) { nu.Status = sihub.StatusPending })
		ps, _, err := db.CreateAPIToken(ctx, pending.ID, "chờ", sihub.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = db.TokenUser(ctx, ps)
		wantCode(t, err, sihub.ErrUnauthorized)
		if err := db.SetStatus(ctx, pending.ID, sihub.StatusActive); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.TokenUser(ctx, ps); err != nil {
			t.Errorf("approved user's token: %v", err)
		}

		for _, tt := range []struct {
			name, tokenName string
			scope           sihub.TokenScope
			field           string
		}{
			{"no name", " ", sihub.ScopeRead, "name"},
			{"long name", strings.Repeat("x", sihub.MaxTokenName+1), sihub.ScopeRead, "name"},
			{"bad name", "a\x00b", sihub.ScopeRead, "name"},
			{"bad scope", "ERP", "admin", "scope"},
		} {
			_, _, err := db.CreateAPIToken(ctx, u.ID, tt.tokenName, tt.scope)
			wantField(t, err, sihub.ErrInvalid, tt.field)
		}
		_, _, err = db.CreateAPIToken(ctx, 999, "ERP", sihub.ScopeRead)
		wantCode(t, err, sihub.ErrNotFound)

		type rec struct {
			action string
			actor  int64
		}
		var got []rec
		rows, err := db.r.Query(`SELECT action, actor_id FROM audit_log WHERE object_type = 'token' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var r rec
			if err := rows.Scan(&r.action, &r.actor); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		wantRecs := []rec{{"token.create", u.ID}, {"token.create", u.ID}, {"token.revoke", u.ID}, {"token.create", 0}}
		if !slices.Equal(got, wantRecs) {
			t.Errorf("token audit %v, want %v", got, wantRecs)
		}
	})
}
