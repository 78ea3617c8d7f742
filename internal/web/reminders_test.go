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

// Reminders go once, ever, with two servers running rounds at once and
// again: the deadline 48 and 24 hours ahead to suppliers that have not
// answered, "quote received" and the closed round's summary to the buyer,
// an overdue step to its owner; emailed at once only to people who chose
// immediate emails (the others' notes: TestReminderNotes).
func TestReminderRounds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		w := newQuoteWorld(t, e, true)
		// C's person chose the daily digest: no reminder emails at once.
		if err := e.db.SetNotify(ctx, w.cUser.ID, sihub.NotifyDaily); err != nil {
			t.Fatal(err)
		}
		other := NewServer(Config{DB: e.db, Logger: quiet, Now: func() time.Time { return fixedNow }})
		t.Cleanup(other.Close)
		deadline := w.round.rq.Deadline
		clock := func(at time.Time) {
			for _, s := range []*server{e.s, other.s} {
				s.now = func() time.Time { return at }
			}
		}
		rounds := func() {
			t.Helper()
			for range 2 {
				var wg sync.WaitGroup
				for _, s := range []*server{e.s, other.s} {
					wg.Go(func() {
						if err := s.reminderRound(ctx); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
			}
		}
		count := func(u *sihub.User, subject string) int {
			t.Helper()
			n := 0
			for _, m := range mailsTo(t, e, u.Email) {
				if strings.Contains(m.Subject, subject) {
					n++
				}
			}
			return n
		}

		// 40 hours before: the 48-hour reminder, to B and D (C's person
		// chose daily).
		clock(deadline.Add(-40 * time.Hour))
		rounds()
		for _, c := range []struct {
			u    *sihub.User
			want int
		}{{w.bUser, 1}, {w.cUser, 0}, {w.dUser, 1}, {w.buyerUser, 0}} {
			if got := count(c.u, "2 days left"); got != c.want {
				t.Errorf("%s: %d 48-hour reminders, want %d", c.u.Email, got, c.want)
			}
		}
		if ms := mailsTo(t, e, w.bUser.Email); len(ms) != 1 || !strings.Contains(ms[0].Body, e.s.link(invitationPath(w.ivB.ID))) {
			t.Errorf("B's reminder: %+v", ms)
		}

		// B quotes; D declines. 10 hours before: the 24-hour reminder
		// goes to nobody who answered; the buyer hears of B's quote, not
		// its figures (the round is sealed).
		clock(deadline.Add(-12 * time.Hour))
		if got := e.apiJSON("PUT", invPath(w.ivB, "/quote"), `{"unit_price":777.25,"currency":"USD"}`, w.bUser); got.Code != 200 {
			t.Fatal(got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivB, "/quote/submit"), nil, w.bUser); got.Code != 201 {
			t.Fatal(got.Body.String())
		}
		if got := e.apiJSON("POST", invPath(w.ivD, "/decline"), `{"reason":"capacity"}`, w.dUser); got.Code != 200 {
			t.Fatal(got.Body.String())
		}
		clock(deadline.Add(-10 * time.Hour))
		rounds()
		if got := count(w.bUser, "1 day left") + count(w.dUser, "1 day left") + count(w.cUser, "1 ngày"); got != 0 {
			t.Errorf("%d 24-hour reminders to suppliers that answered or chose daily", got)
		}
		ms := mailsTo(t, e, w.buyerUser.Email)
		if len(ms) != 1 || !strings.Contains(ms[0].Subject, "Nhựa Bình Dương submitted a quote") || strings.Contains(ms[0].Body, "777") ||
			!strings.Contains(ms[0].Body, "sealed") {
			t.Fatalf("the buyer's quote mail: %+v", ms)
		}

		// An overdue step reminds its owner once; the deadline passed
		// sends the buyer the summary once.
		cs, err := e.db.CasesOf(ctx, w.demand.ID)
		if err != nil {
			t.Fatal(err)
		}
		next := deadline.Add(time.Hour)
		for _, c := range cs {
			if c.CompanyID == w.b.ID {
				if _, err := e.db.MoveCase(ctx, c.ID, sihub.StageShortlisted, "gọi lại", w.buyerUser.ID, &next, w.buyerUser.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		clock(deadline.Add(2 * time.Hour))
		rounds()
		if got := count(w.buyerUser, "Round 1 of Drill battery housing has closed"); got != 1 {
			t.Errorf("%d summaries, want 1: %+v", got, mailsTo(t, e, w.buyerUser.Email))
		}
		for _, m := range mailsTo(t, e, w.buyerUser.Email) {
			if strings.Contains(m.Subject, "has closed") && !strings.Contains(m.Body, "Of 3 invited companies, 1 quoted, 1 declined and 1 did not answer") {
				t.Errorf("summary: %s", m.Body)
			}
		}
		if got := count(w.buyerUser, "Next step overdue: Nhựa Bình Dương"); got != 1 {
			t.Errorf("%d overdue reminders, want 1", got)
		}
		rounds()
		if n := len(mailsTo(t, e, w.buyerUser.Email)); n != 3 {
			t.Errorf("the buyer has %d mails, want 3 (quote, summary, overdue)", n)
		}
		for _, r := range []store.Reminder{{Kind: store.RemindDeadline48, ObjectID: w.ivC.ID, Due: deadline},
			{Kind: store.RemindDeadlinePassed, ObjectID: w.round.rq.ID, Due: deadline}} {
			if ok, err := e.db.ReminderSent(ctx, r); err != nil || !ok {
				t.Errorf("reminder %+v not recorded: %v %v", r, ok, err)
			}
		}
	})
}

// A supplier invited after a reminder's window opened is not reminded in
// it: its invitation told it the deadline.
func TestReminderSkipsLateInvitations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newQuoteWorld(t, e, false)
		late := newRound(e, w.demand, time.Now().Add(30*time.Hour), false, w.b)
		at(e, late.rq.Deadline.Add(-29*time.Hour))
		if err := e.s.reminderRound(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, m := range mailsTo(t, e, w.bUser.Email) {
			if strings.Contains(m.Subject, "2 days left") && strings.Contains(m.Subject, "round 2") {
				t.Errorf("a 48-hour reminder for a round made 30 hours before its deadline: %s", m.Subject)
			}
		}
		at(e, late.rq.Deadline.Add(-23*time.Hour))
		if err := e.s.reminderRound(context.Background()); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range mailsTo(t, e, w.bUser.Email) {
			if strings.Contains(m.Subject, "1 day left") && strings.Contains(m.Subject, "round 2") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d 24-hour reminders for round 2, want 1", n)
		}
	})
}
