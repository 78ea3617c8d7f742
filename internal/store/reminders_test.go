package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// reminderWorld is a buyer's demand with a round inviting three
// suppliers, its deadline two days from the store's clock.
type reminderWorld struct {
	ctx   context.Context
	buyer *sihub.User
	rfq   *sihub.RFQ
	invs  []*sihub.Invitation
}

func newReminderWorld(t *testing.T, db *DB) *reminderWorld {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, db, company(1, "Nhựa Tân Tiến"), company(2, "Cơ khí Đông Á"), company(3, "Khuôn mẫu Việt"))
	d := demandFor(10, "Bosch", "R-1", "Housing")
	if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{d}); err != nil {
		t.Fatal(err)
	}
	buyer, err := db.CreateUser(ctx, NewUser{Email: "mua@bosch.vn", Role: sihub.RoleCompanyAdmin, CompanyID: d.BuyerID, EmailConfirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	w := &reminderWorld{ctx: sihub.WithActor(ctx, sihub.Actor{UserID: buyer.ID, Label: buyer.Email}), buyer: buyer}
	w.rfq = &sihub.RFQ{DemandID: d.ID, Message: "Xin báo giá", Deadline: time.Now().Add(48 * time.Hour), CreatedBy: buyer.ID}
	if w.invs, err = db.CreateRFQ(w.ctx, w.rfq, []int64{1, 2, 3}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

// A reminder is claimed once however many writers race for it, and its
// notes are written (and mailed) only by the one that claimed it.
func TestSendReminderOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, NewUser{Email: "a@x.vn", Role: sihub.RoleCenterStaff, EmailConfirmed: true})
		if err != nil {
			t.Fatal(err)
		}
		note := []Note{{UserID: u.ID, Kind: NoteDeadline24, Subject: "s", Body: "b", Link: "/invitations/7/quote"}}
		due := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
		r := Reminder{Kind: RemindDeadline24, ObjectID: 7, Due: due}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			claimed int
		)
		for range 8 {
			wg.Go(func() {
				ok, err := db.SendReminder(ctx, r, note)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					claimed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if claimed != 1 {
			t.Errorf("%d claims, want 1", claimed)
		}
		if to := outboxTo(t, db); len(to) != 1 {
			t.Errorf("outbox %v, want one mail", to)
		}
		if ns, err := db.Notifications(ctx, u.ID, NotificationFilter{}); err != nil || len(ns) != 1 {
			t.Errorf("notifications %v %v, want one", ns, err)
		}
		// Another instant of the same object is another reminder; one
		// with nobody to tell is still recorded.
		if ok, err := db.SendReminder(ctx, Reminder{Kind: RemindDeadline24, ObjectID: 7, Due: due.Add(time.Hour)}, nil); err != nil || !ok {
			t.Errorf("a later instant: %v %v", ok, err)
		}
		for _, x := range []Reminder{r, {Kind: RemindDeadline24, ObjectID: 7, Due: due.Add(time.Hour)}} {
			if ok, err := db.ReminderSent(ctx, x); err != nil || !ok {
				t.Errorf("%+v not recorded: %v %v", x, ok, err)
			}
		}
		if ok, _ := db.ReminderSent(ctx, Reminder{Kind: RemindDeadline48, ObjectID: 7, Due: due}); ok {
			t.Error("another kind counts as sent")
		}
		// A bad note rolls the claim back.
		bad := Reminder{Kind: RemindStepOverdue, ObjectID: 8, Due: due}
		if _, err := db.SendReminder(ctx, bad, []Note{{UserID: u.ID, Kind: NoteOverdue, Subject: ""}}); err == nil {
			t.Error("a note without a subject was written")
		}
		if ok, _ := db.ReminderSent(ctx, bad); ok {
			t.Error("a failed reminder is recorded")
		}
	})
}

func TestDueReminders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		w := newReminderWorld(t, db)
		deadline := w.rfq.Deadline
		due := func(now time.Time) map[int64]string {
			t.Helper()
			ds, err := db.DueDeadlineReminders(w.ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]string{}
			for _, d := range ds {
				if d.RFQ.ID != w.rfq.ID || !d.RFQ.Deadline.Equal(deadline) {
					t.Errorf("due %+v", d)
				}
				out[d.Invitation.ID] = d.Kind
			}
			return out
		}
		iv1, iv2, iv3 := w.invs[0].ID, w.invs[1].ID, w.invs[2].ID
		if got := due(deadline.Add(-50 * time.Hour)); len(got) != 0 {
			t.Errorf("50 hours before: %v", got)
		}
		if got := due(deadline.Add(-40 * time.Hour)); len(got) != 3 || got[iv1] != RemindDeadline48 {
			t.Errorf("40 hours before: %v", got)
		}
		if _, err := db.SendReminder(w.ctx, Reminder{RemindDeadline48, iv1, deadline}, nil); err != nil {
			t.Fatal(err)
		}
		if got := due(deadline.Add(-40 * time.Hour)); len(got) != 2 || got[iv1] != "" {
			t.Errorf("after reminding the first: %v", got)
		}
		// The first quotes, the second declines: only the third is due.
		now := deadline.Add(-10 * time.Hour)
		q := &sihub.Quote{InvitationID: iv1, UnitPrice: 10, Currency: "VND"}
		if err := db.SaveDraft(w.ctx, q, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitQuote(w.ctx, iv1, now); err != nil {
			t.Fatal(err)
		}
		if err := db.DeclineInvitation(w.ctx, iv2, sihub.DeclinePrice, "", now); err != nil {
			t.Fatal(err)
		}
		if got := due(now); len(got) != 1 || got[iv3] != RemindDeadline24 {
			t.Errorf("10 hours before: %v", got)
		}
		if got := due(deadline.Add(time.Minute)); len(got) != 0 {
			t.Errorf("after the deadline: %v", got)
		}

		// The submitted quote waits for its reminder, within the look back.
		qs, err := db.QuotesUnreminded(w.ctx, now.Add(-time.Hour))
		if err != nil || len(qs) != 1 || qs[0].InvitationID != iv1 || qs[0].Revision != 1 {
			t.Fatalf("unreminded quotes: %+v %v", qs, err)
		}
		if qs, _ := db.QuotesUnreminded(w.ctx, now.Add(time.Hour)); len(qs) != 0 {
			t.Errorf("a quote before the look back: %+v", qs)
		}
		if _, err := db.SendReminder(w.ctx, Reminder{RemindQuoteReceived, qs[0].ID, *qs[0].SubmittedAt}, nil); err != nil {
			t.Fatal(err)
		}
		if qs, _ := db.QuotesUnreminded(w.ctx, now.Add(-time.Hour)); len(qs) != 0 {
			t.Errorf("a reminded quote: %+v", qs)
		}

		// The round closed: its summary is due until sent.
		closed := func(now time.Time) int {
			t.Helper()
			rs, err := db.ClosedRoundsUnreminded(w.ctx, now.Add(-7*24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		if n := closed(deadline.Add(-time.Minute)); n != 0 {
			t.Errorf("%d closed rounds before the deadline", n)
		}
		if n := closed(deadline.Add(time.Minute)); n != 1 {
			t.Errorf("%d closed rounds after the deadline", n)
		}
		if n := closed(deadline.Add(8 * 24 * time.Hour)); n != 0 {
			t.Errorf("%d closed rounds past the look back", n)
		}
		if _, err := db.SendReminder(w.ctx, Reminder{RemindDeadlinePassed, w.rfq.ID, deadline}, nil); err != nil {
			t.Fatal(err)
		}
		if n := closed(deadline.Add(time.Minute)); n != 0 {
			t.Errorf("%d closed rounds after the summary", n)
		}

		// An owned case's step overdue; a new date is reminded afresh.
		cs, err := db.CasesOf(w.ctx, w.rfq.DemandID)
		if err != nil {
			t.Fatal(err)
		}
		var quoted *sihub.Case
		for _, c := range cs {
			if c.Stage == sihub.StageQuoted {
				quoted = c
			}
		}
		next := deadline.Add(time.Hour)
		if _, err := db.MoveCase(w.ctx, quoted.ID, sihub.StageShortlisted, "", w.buyer.ID, &next, w.buyer.ID); err != nil {
			t.Fatal(err)
		}
		overdue := func(now time.Time) []*sihub.Case {
			t.Helper()
			cs, err := db.OverdueCasesUnreminded(w.ctx, now.Add(-7*24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			return cs
		}
		if cs := overdue(next.Add(-time.Minute)); len(cs) != 0 {
			t.Errorf("overdue before the date: %+v", cs)
		}
		cs = overdue(next.Add(time.Minute))
		if len(cs) != 1 || cs[0].ID != quoted.ID || cs[0].Owner != w.buyer.ID {
			t.Fatalf("overdue: %+v", cs)
		}
		if _, err := db.SendReminder(w.ctx, Reminder{RemindStepOverdue, quoted.ID, *cs[0].NextStepAt}, nil); err != nil {
			t.Fatal(err)
		}
		if cs := overdue(next.Add(time.Minute)); len(cs) != 0 {
			t.Errorf("overdue after the reminder: %+v", cs)
		}
		later := next.Add(24 * time.Hour)
		if _, err := db.MoveCase(w.ctx, quoted.ID, sihub.StageShortlisted, "gọi lại", w.buyer.ID, &later, w.buyer.ID); err != nil {
			t.Fatal(err)
		}
		if cs := overdue(later.Add(time.Minute)); len(cs) != 1 {
			t.Errorf("a new next-step date is not reminded: %+v", cs)
		}

		// Stages reached: three invited, one quoted and shortlisted, one
		// lost (declined).
		reached, total, err := db.StagesReached(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || reached[sihub.StageInvited] != 3 || reached[sihub.StageQuoted] != 1 || reached[sihub.StageShortlisted] != 1 ||
			reached[sihub.StageLost] != 1 || reached[sihub.StageAwarded] != 0 {
			t.Errorf("reached %v of %d", reached, total)
		}
	})
}
