package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestSessions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := useClock(db)
		co := company(1, "Cơ khí An Phát")
		mustCreate(t, db, co)
		if err := db.SetVerified(ctx, co.ID, true, "staff"); err != nil {
			t.Fatal(err)
		}
		u := mustUser(t, db, "lan@anphat.vn", sihub.RoleCompanyMember, co.ID)
		other := mustUser(t, db, "binh@anphat.vn", sihub.RoleCompanyMember, co.ID)
		audited := countRows(t, db, `SELECT COUNT(*) FROM audit_log`)
		start := clock.now()

		s1, err := db.CreateSession(ctx, u.ID, "198.51.100.7", "Mozilla/5.0 \x00\xff", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(s1) != 43 {
			t.Errorf("secret %q", s1)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, secretHash(s1)); n != 1 {
			t.Error("the table does not keep the secret's hash")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, s1); n != 0 {
			t.Error("the table keeps the secret itself")
		}
		got, s, err := db.SessionUser(ctx, s1)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.CompanyName != co.Name || !got.CompanyVerified || got.CompanyTaxCode != co.TaxCode {
			t.Errorf("session user %+v", got)
		}
		want := sihub.Session{ID: secretHash(s1), UserID: u.ID, CreatedAt: start, LastSeenAt: start, ExpiresAt: start.Add(time.Hour),
			IP: "198.51.100.7", UserAgent: "Mozilla/5.0 \uFFFD\uFFFD", Current: true}
		if *s != want {
			t.Errorf("session %+v, want %+v", *s, want)
		}

		// last_seen_at moves at most once a minute.
		clock.add(30 * time.Second)
		if _, s, _ := db.SessionUser(ctx, s1); !s.LastSeenAt.Equal(start) {
			t.Errorf("last seen %v, want it unchanged", s.LastSeenAt)
		}
		clock.add(31 * time.Second)
		if _, s, _ := db.SessionUser(ctx, s1); !s.LastSeenAt.Equal(clock.now()) {
			t.Errorf("last seen %v, want %v", s.LastSeenAt, clock.now())
		}
		if ss, _ := db.Sessions(ctx, u.ID); len(ss) != 1 || !ss[0].LastSeenAt.Equal(clock.now()) || ss[0].Current {
			t.Errorf("Sessions = %+v", ss)
		}

		clock.add(time.Minute)
		s2, err := db.CreateSession(ctx, u.ID, "", "", 2*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := db.Sessions(ctx, u.ID)
		if err != nil || len(ss) != 2 || ss[0].ID != secretHash(s2) || ss[1].ID != secretHash(s1) {
			t.Errorf("Sessions = %+v, %v; want the newest first", ss, err)
		}

		for _, secret := range []string{"", "unknown", s1 + "x", string(make([]byte, 1000))} {
			_, _, err := db.SessionUser(ctx, secret)
			wantCode(t, err, sihub.ErrUnauthorized)
		}

		// Ending one session from the list: only the user's own.
		wantCode(t, db.DeleteSessionByID(ctx, other.ID, secretHash(s2)), sihub.ErrNotFound)
		if err := db.DeleteSessionByID(ctx, u.ID, secretHash(s2)); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(ctx, s2)
		wantCode(t, err, sihub.ErrUnauthorized)

		// An expired session is refused and deleted.
		clock.add(time.Hour)
		_, _, err = db.SessionUser(ctx, s1)
		wantCode(t, err, sihub.ErrUnauthorized)
		if n := countRows(t, db, `SELECT COUNT(*) FROM sessions`); n != 0 {
			t.Errorf("%d sessions left", n)
		}

		// Expired sessions go as new ones are created.
		short, err := db.CreateSession(ctx, other.ID, "", "", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		clock.add(2 * time.Minute)
		if ss, _ := db.Sessions(ctx, other.ID); len(ss) != 0 {
			t.Errorf("expired session listed: %+v", ss)
		}
		s3, err := db.CreateSession(ctx, u.ID, "", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, secretHash(short)); n != 0 {
			t.Error("the expired session was not deleted")
		}

		// Signing out here, and everywhere.
		if err := db.DeleteSession(ctx, s3); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(ctx, s3)
		wantCode(t, err, sihub.ErrUnauthorized)
		if err := db.DeleteSession(ctx, s3); err != nil {
			t.Errorf("signing out twice: %v", err)
		}
		var secrets []string
		for range 3 {
			s, err := db.CreateSession(ctx, u.ID, "", "", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, s)
		}
		keep, _ := db.CreateSession(ctx, other.ID, "", "", time.Hour)
		if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if ss, _ := db.Sessions(ctx, u.ID); len(ss) != 0 {
			t.Errorf("sessions left after signing out everywhere: %+v", ss)
		}
		if slices.ContainsFunc(secrets, func(s string) bool { _, _, err := db.SessionUser(ctx, s); return err == nil }) {
			t.Error("a session survived DeleteUserSessions")
		}
		if _, _, err := db.SessionUser(ctx, keep); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}

		_, err = db.CreateSession(ctx, 999, "", "", time.Hour)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.CreateSession(ctx, u.ID, "", "", 0)
		wantCode(t, err, sihub.ErrInvalid)
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log`); n != audited {
			t.Errorf("sessions were audited: %d records, want %d", n, audited)
		}
	})
}
