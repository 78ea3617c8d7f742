package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// noticeWorld is two supplier companies, a buyer with two demands, and
// people of the first supplier with each notify mode.
type noticeWorld struct {
	a, b                        *sihub.Company
	d1, d2                      *sihub.Demand
	now, now2, daily, none, off *sihub.User // off: a pending request, not active
}

func newNoticeWorld(t *testing.T, db *DB) *noticeWorld {
	t.Helper()
	ctx := context.Background()
	w := &noticeWorld{a: company(1, "Nhựa A"), b: company(2, "Cơ khí B")}
	mustCreate(t, db, w.a, w.b)
	w.d1, w.d2 = demandFor(3, "FDI Buyer", "P-1", "Battery housing"), demandFor(3, "FDI Buyer", "P-2", "Switch cover")
	if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{w.d1, w.d2}); err != nil {
		t.Fatal(err)
	}
	mk := func(mode sihub.NotifyMode, status sihub.UserStatus) *sihub.User {
		t.Helper()
		u, err := db.CreateUser(ctx, NewUser{Role: sihub.RoleCompanyMember, CompanyID: w.a.ID, Status: status, EmailConfirmed: true,
			Email: fmt.Sprintf("%s-%s-%d@a.vn", mode, status, time.Now().UnixNano())})
		if err != nil {
			t.Fatal(err)
		}
		if mode != sihub.NotifyImmediate {
			if err := db.SetNotify(ctx, u.ID, mode); err != nil {
				t.Fatal(err)
			}
		}
		return u
	}
	w.now, w.now2 = mk(sihub.NotifyImmediate, sihub.StatusActive), mk(sihub.NotifyImmediate, sihub.StatusActive)
	w.daily, w.none = mk(sihub.NotifyDaily, sihub.StatusActive), mk(sihub.NotifyNone, sihub.StatusActive)
	w.off = mk(sihub.NotifyImmediate, sihub.StatusPending)
	return w
}

func outboxTo(t *testing.T, db *DB) []string {
	t.Helper()
	ms, _, err := db.Outbox(context.Background(), OutboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range ms {
		to = append(to, m.To)
	}
	slices.Sort(to)
	return to
}

// A company is told of a demand once, ever; its active people who chose
// immediate emails get one each, with the notice.
func TestAddDemandNotices(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNoticeWorld(t, db)
		var asked []int64
		mails := func(n DemandNotice, to []*sihub.User) ([]OutMail, error) {
			asked = append(asked, n.CompanyID)
			var out []OutMail
			for _, u := range to {
				if u.Notify != sihub.NotifyImmediate {
					t.Errorf("recipient %s chose %q", u.Email, u.Notify)
				}
				out = append(out, OutMail{To: u.Email, Subject: "Cơ hội mới", Body: fmt.Sprintf("demand %d", n.DemandID)})
			}
			return out, nil
		}
		in := []DemandNotice{{CompanyID: w.a.ID, Qualified: true}, {CompanyID: w.b.ID}}
		added, err := db.AddDemandNotices(ctx, w.d1.ID, in, mails)
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 2 || !added[0].Qualified || added[1].Qualified || added[0].DemandID != w.d1.ID || added[0].CreatedAt.IsZero() {
			t.Fatalf("added %+v", added)
		}
		want := []string{w.now.Email, w.now2.Email}
		slices.Sort(want)
		if got := outboxTo(t, db); !slices.Equal(got, want) {
			t.Errorf("mails to %v, want %v (the immediate, active people of A only)", got, want)
		}
		// Again, from this or any writer: nothing new, nothing sent.
		asked = nil
		added, err = db.AddDemandNotices(ctx, w.d1.ID, in, mails)
		if err != nil || len(added) != 0 || len(asked) != 0 {
			t.Fatalf("second time: added %v, composed for %v, err %v", added, asked, err)
		}
		if got := outboxTo(t, db); len(got) != 2 {
			t.Errorf("after the second time %d mails, want 2", len(got))
		}
		ns, err := db.DemandNotices(ctx, w.d1.ID)
		if err != nil || len(ns) != 2 || ns[0].CompanyID != w.a.ID || !ns[0].Qualified || ns[1].Qualified {
			t.Fatalf("notices %+v, %v", ns, err)
		}
		// A failing composition records nothing.
		_, err = db.AddDemandNotices(ctx, w.d2.ID, in, func(DemandNotice, []*sihub.User) ([]OutMail, error) {
			return nil, fmt.Errorf("boom")
		})
		if err == nil {
			t.Fatal("a failing composition was not reported")
		}
		if ns, _ := db.DemandNotices(ctx, w.d2.ID); len(ns) != 0 {
			t.Errorf("a failed round left notices %+v", ns)
		}
	})
}

// A daily digest carries the notices of the person's company since their
// last one, at most once a day, claimed by one writer.
func TestDigests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := time.Date(2025, 11, 20, 2, 0, 0, 0, time.UTC)
		db.now = func() time.Time { return clock }
		w := newNoticeWorld(t, db)
		if us, err := db.DueDigests(ctx, 10); err != nil || len(us) != 0 {
			t.Fatalf("due before any notice: %v %v", us, err)
		}
		if _, err := db.AddDemandNotices(ctx, w.d1.ID, []DemandNotice{{CompanyID: w.a.ID, Qualified: true}}, nil); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
		us, err := db.DueDigests(ctx, 10)
		if err != nil || len(us) != 1 || us[0].ID != w.daily.ID || us[0].Notify != sihub.NotifyDaily {
			t.Fatalf("due %v, %v: want the daily person only", us, err)
		}
		var got []DigestNotice
		compose := func(u *sihub.User, ns []DigestNotice, _ []*Notification) (*OutMail, error) {
			got = ns
			return &OutMail{To: u.Email, Subject: "Bản tin", Body: fmt.Sprint(len(ns))}, nil
		}
		// Two writers race for the digest: one sends it.
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			sent int
		)
		for range 2 {
			wg.Go(func() {
				ok, err := db.SendDigest(ctx, w.daily.ID, compose)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				if ok {
					sent++
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		if sent != 1 {
			t.Fatalf("%d digests sent, want 1", sent)
		}
		if len(got) != 1 || got[0].Demand == nil || got[0].Demand.ID != w.d1.ID || got[0].Demand.TitleEn != "Battery housing" ||
			got[0].Demand.BuyerName != "FDI Buyer" || !got[0].Qualified {
			t.Fatalf("digest notices %+v", got)
		}
		if to := outboxTo(t, db); !slices.Equal(to, []string{w.daily.Email}) {
			t.Errorf("mails to %v", to)
		}
		if ns, _ := db.DemandNotices(ctx, w.d1.ID); len(ns) != 1 || ns[0].DigestedAt == nil || !ns[0].DigestedAt.Equal(clock) {
			t.Errorf("notice after the digest %+v", ns)
		}
		// A new notice within the day waits for tomorrow.
		clock = clock.Add(time.Hour)
		if _, err := db.AddDemandNotices(ctx, w.d2.ID, []DemandNotice{{CompanyID: w.a.ID}}, nil); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
		if us, _ := db.DueDigests(ctx, 10); len(us) != 0 {
			t.Errorf("due again within the day: %v", us)
		}
		if ok, err := db.SendDigest(ctx, w.daily.ID, compose); ok || err != nil {
			t.Errorf("a digest within the day: %v %v", ok, err)
		}
		clock = clock.Add(DigestPeriod)
		if us, _ := db.DueDigests(ctx, 10); len(us) != 1 {
			t.Fatalf("due the next day: %v", us)
		}
		got = nil
		if ok, err := db.SendDigest(ctx, w.daily.ID, compose); !ok || err != nil {
			t.Fatalf("next day's digest: %v %v", ok, err)
		}
		if len(got) != 1 || got[0].DemandID != w.d2.ID || got[0].Qualified {
			t.Errorf("next day's digest carries %+v, want only the new near miss", got)
		}
		// Nothing new: not due, however long it waits.
		clock = clock.Add(3 * DigestPeriod)
		if us, _ := db.DueDigests(ctx, 10); len(us) != 0 {
			t.Errorf("due with nothing new: %v", us)
		}
		if ok, err := db.SendDigest(ctx, w.daily.ID, compose); ok || err != nil {
			t.Errorf("a digest of nothing: %v %v", ok, err)
		}
		if n := len(outboxTo(t, db)); n != 2 {
			t.Errorf("%d mails in all, want 2", n)
		}
		// A digest whose notices are no longer worth telling moves the
		// cursor without a mail.
		if _, err := db.AddDemandNotices(ctx, w.d1.ID, []DemandNotice{{CompanyID: w.b.ID}}, nil); err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateUser(ctx, NewUser{Role: sihub.RoleCompanyMember, CompanyID: w.b.ID, EmailConfirmed: true, Email: "daily@b.vn"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetNotify(ctx, b.ID, sihub.NotifyDaily); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
		if ok, err := db.SendDigest(ctx, b.ID, func(*sihub.User, []DigestNotice, []*Notification) (*OutMail, error) { return nil, nil }); ok || err != nil {
			t.Errorf("an empty digest: %v %v", ok, err)
		}
		if us, _ := db.DueDigests(ctx, 10); len(us) != 0 {
			t.Errorf("still due after an empty digest: %v", us)
		}
		if n := len(outboxTo(t, db)); n != 2 {
			t.Errorf("an empty digest queued a mail: %d in all", n)
		}
	})
}
