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

func notesFor(us []*sihub.User, kind, subject string) []Note {
	var out []Note
	for _, u := range us {
		out = append(out, Note{UserID: u.ID, Kind: kind, Subject: subject + " " + u.Email, Body: "body", Link: "/rfqs/1",
			Mail: "mail to " + u.Email})
	}
	return out
}

func ids(ns []*Notification) []int64 {
	var out []int64
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// A note is listed for everyone active whatever they chose; emailed at once
// to those who chose immediate emails, flagged for the digest of those who
// chose it; nothing for people not active.
func TestNotify(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNoticeWorld(t, db)
		staff, err := db.CreateUser(ctx, NewUser{Email: "staff@center.vn", Role: sihub.RoleCenterStaff, EmailConfirmed: true})
		if err != nil {
			t.Fatal(err)
		}
		unconfirmed, err := db.CreateUser(ctx, NewUser{Email: "new@a.vn", Role: sihub.RoleCompanyMember, CompanyID: w.a.ID})
		if err != nil {
			t.Fatal(err)
		}
		// The company's recipients: its active people, any choice.
		rs, err := db.CompanyRecipients(ctx, w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, u := range rs {
			got = append(got, u.ID)
		}
		want := []int64{w.now.ID, w.now2.ID, w.daily.ID, w.none.ID, unconfirmed.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("recipients %v, want %v", got, want)
		}
		if rs, _ := db.CompanyRecipients(ctx, w.b.ID); len(rs) != 0 {
			t.Errorf("B's recipients %v", rs)
		}

		all := []*sihub.User{w.now, w.daily, w.none, w.off, unconfirmed, staff}
		if err := db.Notify(ctx, notesFor(all, NoteInvitation, "Mời báo giá")); err != nil {
			t.Fatal(err)
		}
		wantMail := []string{staff.Email, w.now.Email}
		slices.Sort(wantMail)
		if to := outboxTo(t, db); !slices.Equal(to, wantMail) {
			t.Errorf("mails to %v, want %v", to, wantMail)
		}
		ms, _, err := db.Outbox(ctx, OutboxFilter{To: w.now.Email, Limit: 10})
		if err != nil || len(ms) != 1 || ms[0].Body != "mail to "+w.now.Email || ms[0].Subject != "Mời báo giá "+w.now.Email {
			t.Errorf("the immediate mail %+v %v", ms, err)
		}
		for _, c := range []struct {
			u      *sihub.User
			n      int
			digest bool
		}{{w.now, 1, false}, {w.daily, 1, true}, {w.none, 1, false}, {w.off, 0, false}, {unconfirmed, 1, false}, {staff, 1, false}} {
			ns, err := db.Notifications(ctx, c.u.ID, NotificationFilter{})
			if err != nil || len(ns) != c.n {
				t.Errorf("%s: %d notifications, want %d (%v)", c.u.Email, len(ns), c.n, err)
				continue
			}
			if c.n == 1 && (ns[0].Digest != c.digest || ns[0].Kind != NoteInvitation || ns[0].Link != "/rfqs/1" || ns[0].Body != "body" ||
				ns[0].ReadAt != nil || ns[0].UserID != c.u.ID) {
				t.Errorf("%s: %+v", c.u.Email, ns[0])
			}
		}
		// Bad notes write nothing.
		for _, bad := range []Note{{UserID: w.now.ID, Kind: "x", Subject: "s", Link: "https://evil.example/"},
			{UserID: w.now.ID, Kind: "x", Subject: "s", Link: "//evil.example/"}, {UserID: w.now.ID, Kind: "x", Subject: "s", Link: "/\t/evil.example/"},
			{UserID: w.now.ID, Kind: "x", Subject: " "}, {UserID: w.now.ID, Kind: "x", Subject: "s", Body: "a\x00b"}} {
			if err := db.Notify(ctx, []Note{{UserID: w.none.ID, Kind: "x", Subject: "ok"}, bad}); sihub.ErrorCode(err) != sihub.ErrInvalid {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		if n, _ := db.UnreadNotifications(ctx, w.none.ID); n != 1 {
			t.Errorf("a failed Notify left notes: %d", n)
		}
	})
}

// A person lists, counts and marks their own notifications only.
func TestNotificationList(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mk := func(email string) *sihub.User {
			u, err := db.CreateUser(ctx, NewUser{Email: email, Role: sihub.RoleCenterStaff, EmailConfirmed: true})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		me, other := mk("me@center.vn"), mk("other@center.vn")
		for i := range 5 {
			if err := db.Notify(ctx, notesFor([]*sihub.User{me, other}, NoteQuote, fmt.Sprint("tin ", i))); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := db.Notifications(ctx, me.ID, NotificationFilter{})
		if err != nil || len(mine) != 5 {
			t.Fatalf("%d %v", len(mine), err)
		}
		if !slices.IsSortedFunc(mine, func(a, b *Notification) int { return int(b.ID - a.ID) }) {
			t.Errorf("not newest first: %v", ids(mine))
		}
		page, _ := db.Notifications(ctx, me.ID, NotificationFilter{Limit: 2})
		next, _ := db.Notifications(ctx, me.ID, NotificationFilter{Limit: 2, Before: page[1].ID})
		if !slices.Equal(ids(page), ids(mine[:2])) || !slices.Equal(ids(next), ids(mine[2:4])) {
			t.Errorf("pages %v %v of %v", ids(page), ids(next), ids(mine))
		}
		theirs, _ := db.Notifications(ctx, other.ID, NotificationFilter{})
		// Marking another's ids marks nothing.
		if n, err := db.MarkNotificationsRead(ctx, me.ID, ids(theirs), false); err != nil || n != 0 {
			t.Errorf("marked %d of another's (%v)", n, err)
		}
		if n, _ := db.UnreadNotifications(ctx, other.ID); n != 5 {
			t.Errorf("other has %d unread, want 5", n)
		}
		if n, err := db.MarkNotificationsRead(ctx, me.ID, []int64{mine[0].ID, mine[1].ID}, false); err != nil || n != 2 {
			t.Errorf("marked %d (%v), want 2", n, err)
		}
		if n, _ := db.UnreadNotifications(ctx, me.ID); n != 3 {
			t.Errorf("%d unread, want 3", n)
		}
		unread, _ := db.Notifications(ctx, me.ID, NotificationFilter{Unread: true})
		if !slices.Equal(ids(unread), ids(mine[2:])) {
			t.Errorf("unread %v, want %v", ids(unread), ids(mine[2:]))
		}
		again, _ := db.Notifications(ctx, me.ID, NotificationFilter{})
		if again[0].ReadAt == nil || again[2].ReadAt != nil {
			t.Errorf("read_at %+v %+v", again[0], again[2])
		}
		if n, err := db.MarkNotificationsRead(ctx, me.ID, nil, true); err != nil || n != 3 {
			t.Errorf("marked all: %d %v", n, err)
		}
		if n, _ := db.UnreadNotifications(ctx, me.ID); n != 0 {
			t.Errorf("%d unread after all", n)
		}
		if n, _ := db.UnreadNotifications(ctx, other.ID); n != 5 {
			t.Errorf("marking all of mine touched another's: %d unread", n)
		}
		// Erasing the person deletes their notifications.
		if err := db.EraseUser(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		if ns, _ := db.Notifications(ctx, other.ID, NotificationFilter{}); len(ns) != 0 {
			t.Errorf("an erased person keeps %d notifications", len(ns))
		}
	})
}

// The daily digest carries waiting notifications, staff's too, once;
// racing writers send one.
func TestDigestNotifications(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := time.Date(2025, 11, 20, 2, 0, 0, 0, time.UTC)
		db.now = func() time.Time { return clock }
		w := newNoticeWorld(t, db)
		staff, err := db.CreateUser(ctx, NewUser{Email: "staff@center.vn", Role: sihub.RoleCenterStaff, EmailConfirmed: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetNotify(ctx, staff.ID, sihub.NotifyDaily); err != nil {
			t.Fatal(err)
		}
		if err := db.Notify(ctx, notesFor([]*sihub.User{staff, w.daily, w.none}, NoteClosed, "Đợt đã đóng")); err != nil {
			t.Fatal(err)
		}
		if to := outboxTo(t, db); len(to) != 0 {
			t.Fatalf("mails at once to %v", to)
		}
		clock = clock.Add(time.Minute)
		us, err := db.DueDigests(ctx, 10)
		var due []int64
		for _, u := range us {
			due = append(due, u.ID)
		}
		want := []int64{w.daily.ID, staff.ID}
		slices.Sort(want)
		if err != nil || !slices.Equal(due, want) {
			t.Fatalf("due %v %v, want %v", due, err, want)
		}
		var (
			mu   sync.Mutex
			got  = map[int64][]*Notification{}
			sent int
			wg   sync.WaitGroup
		)
		compose := func(u *sihub.User, ns []DigestNotice, notes []*Notification) (*OutMail, error) {
			mu.Lock()
			got[u.ID] = notes
			mu.Unlock()
			if len(ns) != 0 {
				t.Errorf("notices %+v", ns)
			}
			return &OutMail{To: u.Email, Subject: "Bản tin", Body: fmt.Sprint(len(notes))}, nil
		}
		for range 2 {
			for _, id := range want {
				wg.Go(func() {
					ok, err := db.SendDigest(ctx, id, compose)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						sent++
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		if sent != 2 {
			t.Errorf("%d digests, want 2", sent)
		}
		if n := got[staff.ID]; len(n) != 1 || n[0].Subject != "Đợt đã đóng "+staff.Email || !n[0].Digest {
			t.Errorf("staff's digest carried %+v", n)
		}
		wantMail := []string{staff.Email, w.daily.Email}
		slices.Sort(wantMail)
		if to := outboxTo(t, db); !slices.Equal(to, wantMail) {
			t.Errorf("mails to %v, want %v", to, wantMail)
		}
		if ns, _ := db.Notifications(ctx, staff.ID, NotificationFilter{}); len(ns) != 1 || ns[0].Digest || ns[0].ReadAt != nil {
			t.Errorf("after the digest %+v: still listed, unread, no longer waiting", ns)
		}
		// A day later with nothing new: no digest.
		clock = clock.Add(DigestPeriod + time.Minute)
		if us, _ := db.DueDigests(ctx, 10); len(us) != 0 {
			t.Errorf("due with nothing new: %v", us)
		}
		// A new note within the day waits for the next day's digest.
		clock = clock.Add(-DigestPeriod + time.Hour)
		if err := db.Notify(ctx, notesFor([]*sihub.User{staff}, NoteOverdue, "Quá hạn")); err != nil {
			t.Fatal(err)
		}
		if us, _ := db.DueDigests(ctx, 10); len(us) != 0 {
			t.Errorf("due within the day: %v", us)
		}
		if ok, err := db.SendDigest(ctx, staff.ID, compose); ok || err != nil {
			t.Errorf("a digest within the day: %v %v", ok, err)
		}
		clock = clock.Add(DigestPeriod)
		if us, _ := db.DueDigests(ctx, 10); len(us) != 1 || us[0].ID != staff.ID {
			t.Errorf("due the next day: %v", us)
		}
		if ok, err := db.SendDigest(ctx, staff.ID, compose); !ok || err != nil {
			t.Errorf("next day's digest: %v %v", ok, err)
		}
		if n := got[staff.ID]; len(n) != 1 || n[0].Kind != NoteOverdue {
			t.Errorf("next day's digest carried %+v, want the new note only", n)
		}
	})
}

// TestLeavingTheDigest: notes waiting for a daily digest stay in the list
// only once the person turns the digest off; turning it back on does not
// email them old news.
func TestLeavingTheDigest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNoticeWorld(t, db)
		if err := db.Notify(ctx, notesFor([]*sihub.User{w.daily}, NoteClosed, "Đợt đã đóng")); err != nil {
			t.Fatal(err)
		}
		if ns, _ := db.Notifications(ctx, w.daily.ID, NotificationFilter{}); len(ns) != 1 || !ns[0].Digest {
			t.Fatalf("before: %+v", ns)
		}
		for _, m := range []sihub.NotifyMode{sihub.NotifyNone, sihub.NotifyDaily} {
			if err := db.SetNotify(ctx, w.daily.ID, m); err != nil {
				t.Fatal(err)
			}
		}
		if ns, _ := db.Notifications(ctx, w.daily.ID, NotificationFilter{}); len(ns) != 1 || ns[0].Digest {
			t.Errorf("after leaving the digest: %+v", ns)
		}
		if us, err := db.DueDigests(ctx, 10); err != nil || len(us) != 0 {
			t.Errorf("due digests %v %v", us, err)
		}
	})
}
