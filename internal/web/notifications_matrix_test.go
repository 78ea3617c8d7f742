package web

import (
	"context"
	"fmt"
	"net/url"

	"github.com/sihub-org/sihub/internal/store"
)

// The route × role entries of the in-app notifications (notifications.go):
// everyone signed in has their own list, and marks their own notifications
// read; a visitor has none.

func notificationMatrix() map[string]matrixRoute {
	// own gives the asker a fresh notification and returns its id (0 for a
	// visitor, who has none).
	own := func(f *matrixFixture, who string) int64 {
		u := f.users[who]
		if u == nil {
			return 1
		}
		ctx := context.Background()
		if err := f.e.db.Notify(ctx, []store.Note{{UserID: u.ID, Kind: store.NoteInvitation, Subject: "Mời báo giá", Link: "/invitations"}}); err != nil {
			f.t.Fatal(err)
		}
		ns, err := f.e.db.Notifications(ctx, u.ID, store.NotificationFilter{Limit: 1})
		if err != nil || len(ns) == 0 {
			f.t.Fatalf("notifications of %s: %v %v", who, ns, err)
		}
		return ns[0].ID
	}
	return map[string]matrixRoute{
		"GET /notifications":        {signedIn, get("/notifications?unread=1")},
		"GET /api/v1/notifications": {signedIn, get("/api/v1/notifications")},
		"POST /notifications/read": {signedIn, func(f *matrixFixture, who string) call {
			return call{method: "POST", path: "/notifications/read", form: url.Values{"id": {fmt.Sprint(own(f, who))}, "back": {"/notifications"}}}
		}},
		"POST /api/v1/notifications/read": {signedIn, func(f *matrixFixture, who string) call {
			return call{method: "POST", path: "/api/v1/notifications/read", json: fmt.Sprintf(`{"ids":[%d]}`, own(f, who))}
		}},
	}
}
