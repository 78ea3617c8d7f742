package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// personWith makes an active person of company companyID who chose mode.
func personWith(t *testing.T, e *testEnv, companyID int64, mode sihub.NotifyMode, lang sihub.Lang) *sihub.User {
	t.Helper()
	u := e.userWith(store.NewUser{Role: sihub.RoleCompanyMember, CompanyID: companyID, EmailConfirmed: true, Lang: lang})
	if err := e.db.SetNotify(context.Background(), u.ID, mode); err != nil {
		t.Fatal(err)
	}
	u.Notify = mode
	return u
}

func notesOf(t *testing.T, e *testEnv, u *sihub.User) []*store.Notification {
	t.Helper()
	ns, err := e.db.Notifications(context.Background(), u.ID, store.NotificationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// A reminder reaches every active person of the supplier: the one who
// chose immediate emails by email and in the list, the daily one in the
// list and then once in their digest, the one who chose none in the list
// only; two servers racing make one set of notes.
func TestReminderNotes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		w := newQuoteWorld(t, e, false)
		daily, none := personWith(t, e, w.b.ID, sihub.NotifyDaily, sihub.VI), personWith(t, e, w.b.ID, sihub.NotifyNone, sihub.EN)
		other := NewServer(Config{DB: e.db, Logger: quiet, Now: func() time.Time { return fixedNow }})
		t.Cleanup(other.Close)
		race := func(round func(*server) error) {
			t.Helper()
			for range 2 {
				var wg sync.WaitGroup
				for _, s := range []*server{e.s, other.s} {
					wg.Go(func() {
						if err := round(s); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
			}
		}
		at48 := w.round.rq.Deadline.Add(-40 * time.Hour)
		for _, s := range []*server{e.s, other.s} {
			s.now = func() time.Time { return at48 }
		}
		race(func(s *server) error { return s.reminderRound(ctx) })

		link := invitationPath(w.ivB.ID)
		for _, c := range []struct {
			u      *sihub.User
			mails  int
			digest bool
			words  string
		}{{w.bUser, 1, false, "2 days left"}, {daily, 0, true, "Còn 2 ngày"}, {none, 0, false, "2 days left"}} {
			ns := notesOf(t, e, c.u)
			if len(ns) != 1 || ns[0].Kind != store.RemindDeadline48 || ns[0].Link != link || ns[0].Digest != c.digest ||
				!strings.Contains(ns[0].Subject, c.words) || ns[0].ReadAt != nil || strings.Contains(ns[0].Body, "http") {
				t.Errorf("%s's notes: %+v", c.u.Email, ns)
				for _, n := range ns {
					t.Logf("%+v", *n)
				}
			}
			if ms := mailsTo(t, e, c.u.Email); len(ms) != c.mails {
				t.Errorf("%s: %d mails, want %d", c.u.Email, len(ms), c.mails)
			} else if c.mails == 1 && (!strings.Contains(ms[0].Body, e.s.link(link)) || !strings.Contains(ms[0].Subject, c.words)) {
				t.Errorf("%s's mail: %+v", c.u.Email, ms[0])
			}
		}

		// The daily person's digest carries it, once.
		race(func(s *server) error { return s.digestRound(ctx) })
		ms := mailsTo(t, e, daily.Email)
		if len(ms) != 1 || !strings.Contains(ms[0].Body, "Còn 2 ngày để báo giá") || !strings.Contains(ms[0].Body, e.s.link(link)) ||
			!strings.Contains(ms[0].Body, e.s.link("/notifications")) || !strings.Contains(ms[0].Subject, "1 thông báo") {
			t.Fatalf("the digest: %+v", ms)
		}
		if ns := notesOf(t, e, daily); len(ns) != 1 || ns[0].Digest || ns[0].ReadAt != nil {
			t.Errorf("after the digest: %+v", ns[0])
		}
		for _, u := range []*sihub.User{w.bUser, none} {
			if ms := mailsTo(t, e, u.Email); len(ms) > 1 {
				t.Errorf("%s got a digest: %+v", u.Email, ms)
			}
		}
		race(func(s *server) error { return s.digestRound(ctx) })
		if ms := mailsTo(t, e, daily.Email); len(ms) != 1 {
			t.Errorf("%d digests, want 1", len(ms))
		}
	})
}

// A question asked reaches the buyer's people as a note, emailed to the
// one who chose immediate emails.
func TestQuestionNote(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		w := newQuoteWorld(t, e, false)
		quiet := personWith(t, e, w.buyer.ID, sihub.NotifyNone, sihub.VI)
		if got := e.apiJSON("POST", invPath(w.ivB, "/questions"), `{"text":"Dung sai bao nhiêu?"}`, w.bUser); got.Code/100 != 2 {
			t.Fatal(got.Code, got.Body.String())
		}
		for _, c := range []struct {
			u     *sihub.User
			mails int
		}{{w.buyerUser, 1}, {quiet, 0}} {
			ns := notesOf(t, e, c.u)
			if len(ns) != 1 || ns[0].Kind != store.NoteQuestion || ns[0].Link != rfqRoundPath(w.round.rq.ID)+"#questions" ||
				!strings.Contains(ns[0].Body, "Dung sai bao nhiêu?") {
				t.Errorf("%s's notes %+v", c.u.Email, ns)
			}
			if ms := mailsTo(t, e, c.u.Email); len(ms) != c.mails {
				t.Errorf("%s: %d mails, want %d", c.u.Email, len(ms), c.mails)
			}
		}
		// The suppliers hear nothing of it.
		if ns := notesOf(t, e, w.cUser); len(ns) != 0 {
			t.Errorf("another supplier's notes %+v", ns)
		}
	})
}

// The list: one's own, newest first, unread marked, paged; marked read one
// by one, on opening, or all; nobody sees or marks another's; the count in
// the navigation.
func TestNotificationList(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		me := e.user(sihub.RoleCenterStaff, 0)
		them := e.user(sihub.RoleCenterStaff, 0)
		var notes []store.Note
		for i := range 35 {
			notes = append(notes, store.Note{UserID: me.ID, Kind: store.NoteQuote, Subject: fmt.Sprintf("Tin số %d", i),
				Body: "dòng một\ndòng hai", Link: fmt.Sprintf("/rfqs/%d", i+1)})
		}
		notes = append(notes, store.Note{UserID: them.ID, Kind: store.NoteQuote, Subject: "Tin riêng của người khác", Link: "/rfqs/99"})
		if err := e.db.Notify(ctx, notes); err != nil {
			t.Fatal(err)
		}
		theirs := notesOf(t, e, them)[0]

		page := e.do(req{url: "/notifications", as: me, lang: "en"})
		body := page.Body.String()
		if page.Code != 200 || !strings.Contains(body, "Tin số 34") || !strings.Contains(body, "Tin số 5") || strings.Contains(body, "Tin số 4<") ||
			strings.Contains(body, "Tin riêng") || !strings.Contains(body, "dòng một<br>dòng hai") || !strings.Contains(body, `aria-hidden="true">35</span>`) ||
			!strings.Contains(body, `href="/notifications" aria-current="page">Notifications`) {
			t.Fatalf("the list: %d\n%s", page.Code, body)
		}
		if strings.Index(body, "Tin số 34") > strings.Index(body, "Tin số 33") {
			t.Error("not newest first")
		}
		older := fmt.Sprintf(`href="/notifications?before=%d"`, notesOf(t, e, me)[29].ID)
		if !strings.Contains(body, older) {
			t.Fatalf("no link to the older page %s", older)
		}
		page2 := e.do(req{url: strings.TrimSuffix(strings.TrimPrefix(older, `href="`), `"`), as: me})
		if b := page2.Body.String(); page2.Code != 200 || !strings.Contains(b, "Tin số 4<") || strings.Contains(b, "Tin số 5<") ||
			!strings.Contains(b, "Tin số 0") {
			t.Errorf("page 2: %d", page2.Code)
		}
		// The other person's page and API show none of mine.
		if b := e.do(req{url: "/notifications", as: them}).Body.String(); strings.Contains(b, "Tin số") || !strings.Contains(b, "Tin riêng") {
			t.Error("another person's list shows mine, or not theirs")
		}

		// Marking another's notification read does nothing; opening it is
		// not found.
		if r := e.postAs(me, "/notifications/read", url.Values{"id": {fmt.Sprint(theirs.ID)}}, "vi"); r.Code != http.StatusSeeOther {
			t.Errorf("mark: %d", r.Code)
		}
		if r := e.postAs(me, "/notifications/read", url.Values{"open": {fmt.Sprint(theirs.ID)}}, "vi"); r.Code != http.StatusNotFound {
			t.Errorf("open another's: %d", r.Code)
		}
		if r := e.apiJSON("POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{theirs.ID}}, me); r.Code != 200 ||
			!strings.Contains(r.Body.String(), `"marked":0`) {
			t.Errorf("API mark another's: %d %s", r.Code, r.Body.String())
		}
		if n, _ := e.db.UnreadNotifications(ctx, them.ID); n != 1 {
			t.Fatalf("another's notification was marked read")
		}

		// Opening one marks it read and goes to its link.
		mine := notesOf(t, e, me)
		r := e.postAs(me, "/notifications/read", url.Values{"open": {fmt.Sprint(mine[0].ID)}}, "vi")
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != mine[0].Link {
			t.Errorf("open: %d %s", r.Code, r.Header().Get("Location"))
		}
		// Mark one, coming back to the page it was on.
		back := fmt.Sprintf("/notifications?unread=1&before=%d", mine[2].ID)
		r = e.postAs(me, "/notifications/read", url.Values{"id": {fmt.Sprint(mine[1].ID)}, "back": {back}}, "vi")
		if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/notifications?") ||
			!strings.Contains(loc, "unread=1") || !strings.Contains(loc, "done=notifications.read") {
			t.Errorf("mark one: %d %s", r.Code, loc)
		}
		for _, bad := range []string{"https://evil.example/notifications", "//evil.example/notifications", "/account"} {
			r := e.postAs(me, "/notifications/read", url.Values{"id": {fmt.Sprint(mine[1].ID)}, "back": {bad}}, "vi")
			if loc := r.Header().Get("Location"); !strings.HasPrefix(loc, "/notifications?") {
				t.Errorf("back %s: %s", bad, loc)
			}
		}
		if n, _ := e.db.UnreadNotifications(ctx, me.ID); n != 33 {
			t.Errorf("%d unread, want 33", n)
		}
		// The API: unread only, paging, mark all.
		var list struct {
			Items      []store.Notification `json:"items"`
			Unread     int                  `json:"unread"`
			NextBefore int64                `json:"next_before"`
		}
		got := e.apiJSON("GET", "/api/v1/notifications?unread=1&limit=10", nil, me)
		if err := json.Unmarshal(got.Body.Bytes(), &list); err != nil || got.Code != 200 {
			t.Fatalf("%d %s", got.Code, got.Body.String())
		}
		if len(list.Items) != 10 || list.Unread != 33 || list.NextBefore != list.Items[9].ID || list.Items[0].ID != mine[2].ID {
			t.Errorf("API page %+v", list)
		}
		for _, it := range list.Items {
			if it.ReadAt != nil || it.UserID != me.ID {
				t.Errorf("API item %+v", it)
			}
		}
		if got := e.apiJSON("GET", "/api/v1/notifications?unread=maybe", nil, me); got.Code != 400 {
			t.Errorf("a bad filter: %d", got.Code)
		}
		if got := e.apiJSON("POST", "/api/v1/notifications/read", `{}`, me); got.Code != 400 {
			t.Errorf("marking nothing: %d", got.Code)
		}
		if got := e.apiJSON("POST", "/api/v1/notifications/read", `{"all":true}`, me); got.Code != 200 || !strings.Contains(got.Body.String(), `"marked":33,"unread":0`) {
			t.Errorf("mark all: %d %s", got.Code, got.Body.String())
		}
		if n, _ := e.db.UnreadNotifications(ctx, them.ID); n != 1 {
			t.Errorf("marking all of mine marked another's")
		}
		// No count once all is read; the form marks all too.
		if b := e.do(req{url: "/companies", as: me}).Body.String(); strings.Contains(b, `class="badge" aria-hidden="true"`) || !strings.Contains(b, `href="/notifications"`) {
			t.Error("the navigation after all is read")
		}
		if r := e.postAs(them, "/notifications/read", url.Values{"all": {"1"}}, "vi"); r.Code != http.StatusSeeOther {
			t.Errorf("mark all by form: %d", r.Code)
		}
		if n, _ := e.db.UnreadNotifications(ctx, them.ID); n != 0 {
			t.Errorf("%d unread after marking all", n)
		}
		// Visitors have no list and no link.
		if b := e.get("/companies").Body.String(); strings.Contains(b, `href="/notifications"`) {
			t.Error("a visitor's navigation links to notifications")
		}
		if r := e.get("/notifications"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/signin") {
			t.Errorf("a visitor's list: %d %s", r.Code, r.Header().Get("Location"))
		}
		if r := e.apiJSON("GET", "/api/v1/notifications", nil, nil); r.Code != http.StatusUnauthorized {
			t.Errorf("a visitor's API list: %d", r.Code)
		}
	})
}

// The account page says what each choice does, to everyone signed in.
func TestNotifyChoiceText(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		b := e.do(req{url: "/account", as: e.staff(), lang: "en"}).Body.String()
		for _, want := range []string{"every notification emailed at once", "one email a day with everything",
			"None: no email; read everything on SIHub", "News of quotations is always in your Notifications list", `action="/account/notify"`} {
			if !strings.Contains(b, want) {
				t.Errorf("the account page lacks %q", want)
			}
		}
		// Opportunities are a supplying company's: a buyer's people get no
		// link that would answer 403.
		buyer := e.seed(&sihub.Company{Kind: sihub.Buyer, TaxCode: taxCode(71), Name: "Công ty TNHH Mua Hàng"})
		supplier := e.seed(&sihub.Company{TaxCode: taxCode(72), Name: "Công ty TNHH Cơ khí Bán Hàng"})
		for _, c := range []struct {
			company *sihub.Company
			link    bool
		}{{buyer, false}, {supplier, true}} {
			page := e.do(req{url: "/account", as: e.user(sihub.RoleCompanyAdmin, c.company.ID), lang: "en"}).Body.String()
			if got := strings.Contains(page, pathf(`href="/companies/%d/opportunities"`, c.company.ID)); got != c.link {
				t.Errorf("%s: opportunities link %v, want %v", c.company.Name, got, c.link)
			}
		}
	})
}
