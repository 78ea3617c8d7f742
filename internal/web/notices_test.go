package web

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// mailsTo returns the messages in the outbox for to, oldest first.
func mailsTo(t *testing.T, e *testEnv, to string) []store.Mail {
	t.Helper()
	ms, _, err := e.db.Outbox(context.Background(), store.OutboxFilter{To: to, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// New demands reach the suppliers that qualify or nearly qualify: an email
// each to the people who chose immediate, once however many rounds and
// servers run, a daily digest to those who chose it, nothing to the rest;
// never a word of a center-only demand.
func TestNoticeRounds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		w := newOppWorld(t, e)
		person := func(c *sihub.Company, mode sihub.NotifyMode, lang sihub.Lang) *sihub.User {
			t.Helper()
			u := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: c.ID, EmailConfirmed: true, Lang: lang})
			if err := e.db.SetNotify(ctx, u.ID, mode); err != nil {
				t.Fatal(err)
			}
			return u
		}
		nowA, dailyA, noneA := person(w.A, sihub.NotifyImmediate, sihub.VI), person(w.A, sihub.NotifyDaily, sihub.EN), person(w.A, sihub.NotifyNone, sihub.VI)
		nowB := person(w.B, sihub.NotifyImmediate, sihub.EN)
		nowC := person(w.C, sihub.NotifyImmediate, sihub.VI) // unverified: sees no demand
		pending := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: w.A.ID, Status: sihub.StatusPending, EmailConfirmed: true})

		// Two servers on one database run rounds at once, twice.
		other := NewServer(Config{DB: e.db, Logger: quiet, Now: func() time.Time { return fixedNow }})
		t.Cleanup(other.Close)
		rounds := func() {
			t.Helper()
			var wg sync.WaitGroup
			for _, s := range []*server{e.s, other.s} {
				wg.Go(func() {
					if err := s.noticeRound(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
		rounds()
		rounds()

		one := func(u *sihub.User, what string) store.Mail {
			t.Helper()
			ms := mailsTo(t, e, u.Email)
			if len(ms) != 1 {
				t.Fatalf("%s: %d mails, want 1: %+v", what, len(ms), ms)
			}
			return ms[0]
		}
		m := one(nowA, "A's immediate person")
		if !strings.Contains(m.Subject, "Vỏ pin máy khoan") || !strings.Contains(m.Body, e.s.link(pathf("/demands/%d", w.housing.ID))) ||
			!strings.Contains(m.Body, "Power Tools Vietnam") || !strings.Contains(m.Body, "Vì sao phù hợp") || strings.Contains(m.Body, "98765") {
			t.Errorf("A's mail:\n%s\n%s", m.Subject, m.Body)
		}
		m = one(nowB, "B's immediate person")
		if !strings.Contains(m.Subject, "Drill battery housing") || !strings.Contains(m.Body, "still missing") || !strings.Contains(m.Body, "IATF 16949") {
			t.Errorf("B's mail (a near miss):\n%s\n%s", m.Subject, m.Body)
		}
		for _, u := range []*sihub.User{dailyA, noneA, nowC, pending} {
			if ms := mailsTo(t, e, u.Email); len(ms) != 0 {
				t.Errorf("%s got %d mails at once: %+v", u.Email, len(ms), ms[0].Subject)
			}
		}
		ns, err := e.db.DemandNotices(ctx, w.secret.ID)
		if err != nil || len(ns) != 0 {
			t.Errorf("the center-only demand was noticed: %+v %v", ns, err)
		}

		// The housing closes and opens again: claimed anew, matched anew,
		// but nobody is told twice.
		for _, st := range []sihub.DemandStatus{sihub.DemandClosed, sihub.DemandOpen} {
			if _, err := e.db.SetDemandStatus(ctx, w.housing.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		rounds()
		one(nowA, "A's immediate person after reopening")
		one(nowB, "B's immediate person after reopening")

		// The digest: one for the daily person, listing the housing; again
		// nothing; never for the others.
		for range 2 {
			for _, s := range []*server{e.s, other.s} {
				if err := s.digestRound(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		d := one(dailyA, "A's daily person")
		if !strings.Contains(d.Subject, "new opportunities (1)") || !strings.Contains(d.Body, "Drill battery housing") ||
			!strings.Contains(d.Body, e.s.link(pathf("/demands/%d", w.housing.ID))) || strings.Contains(d.Body, "Switch cover") {
			t.Errorf("digest:\n%s\n%s", d.Subject, d.Body)
		}
		one(nowA, "A's immediate person after the digests")
		if ms := mailsTo(t, e, noneA.Email); len(ms) != 0 {
			t.Errorf("the person who chose none got %d mails", len(ms))
		}
	})
}
