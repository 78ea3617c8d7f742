package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// In-app notifications: each person's list of news, unread count in the
// navigation, mark read (store/notifications.go keeps them). The list is
// always complete whatever the person chose for emails (users.notify);
// everyone signed in has one, and sees and marks only their own: every
// query is by the signed-in person's id, never by one the request names.

func (s *server) notificationRoutes() []route {
	return []route{
		{"GET /notifications", s.notificationsPage},
		{"POST /notifications/read", s.markReadPage},
		{"GET /api/v1/notifications", s.apiNotifications},
		{"POST /api/v1/notifications/read", s.apiMarkRead},
	}
}

// notificationPageSize is how many notifications a page lists.
const notificationPageSize = 30

// notified returns the signed-in person whose notifications a request is
// about, or the refusal: anyone signed in (a session or an API token),
// their list empty until news reaches them.
func notified(r *http.Request) (*sihub.User, error) {
	p := principal(r)
	if !p.SignedIn() || p.User.Status == sihub.StatusErased {
		return nil, refuse(p)
	}
	return p.User, nil
}

// unreadCount is u's unread count for the navigation; 0, logged, when the
// database cannot tell, so that no page fails for it.
func (s *server) unreadCount(r *http.Request, u *sihub.User) int {
	if u == nil || u.Status == sihub.StatusErased {
		return 0
	}
	n, err := s.db.UnreadNotifications(r.Context(), u.ID)
	if err != nil {
		s.log.Warn("unread notifications", "user", u.ID, "error", err)
		return 0
	}
	return n
}

// notificationQuery reads ?unread=1, ?before=ID and (API) ?limit=N.
func notificationQuery(q url.Values, limit int) (store.NotificationFilter, error) {
	f := store.NotificationFilter{Limit: limit}
	switch q.Get("unread") {
	case "", "0", "false":
	case "1", "true":
		f.Unread = true
	default:
		return f, badRequest(sihub.Errorf(sihub.ErrInvalid, "Tham số unread phải là 1 hoặc 0.", "The unread parameter must be 1 or 0."))
	}
	if v := q.Get("before"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, badRequest(sihub.Errorf(sihub.ErrInvalid, "Tham số before phải là mã số của một thông báo.", "The before parameter must be a notification's id."))
		}
		f.Before = id
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return f, badRequest(sihub.Errorf(sihub.ErrInvalid, "Tham số limit phải từ 1 đến 100.", "The limit parameter must be from 1 to 100."))
		}
		f.Limit = n
	}
	return f, nil
}

// listNotifications returns one page of u's notifications that f selects,
// and the id to ask the next page before (0 when it is the last).
func (s *server) listNotifications(r *http.Request, u *sihub.User, f store.NotificationFilter) ([]*store.Notification, int64, error) {
	limit := f.Limit
	f.Limit++
	ns, err := s.db.Notifications(r.Context(), u.ID, f)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(ns) > limit {
		ns = ns[:limit]
		next = ns[limit-1].ID
	}
	return ns, next, nil
}

type notificationsPage struct {
	basePage
	Items  []noteItem
	Filter bool   // only unread
	All    string // the list's address, all
	Only   string // the list's address, unread only
	Older  string // the next page's address; "" on the last
	Newest string // the first page's address, when this is not it
	Back   string // this page's address, where the forms come back
}

// noteItem is one notification as the list shows it.
type noteItem struct {
	*store.Notification
	Lines []string // the body's lines
}

func (s *server) notificationsPage(w http.ResponseWriter, r *http.Request) error {
	u, err := notified(r)
	if err != nil {
		return err
	}
	f, err := notificationQuery(r.URL.Query(), notificationPageSize)
	if err != nil {
		return err
	}
	f.Limit = notificationPageSize
	ns, next, err := s.listNotifications(r, u, f)
	if err != nil {
		return err
	}
	pg := &notificationsPage{basePage: s.base(r, "notifications.title"), Filter: f.Unread,
		All: "/notifications", Only: "/notifications?unread=1"}
	pg.Nav = "notifications"
	first := pg.All
	if f.Unread {
		first = pg.Only
	}
	if next != 0 {
		pg.Older = withParam(first, "before", strconv.FormatInt(next, 10))
	}
	pg.Back = first
	if f.Before != 0 {
		pg.Newest = first
		pg.Back = withParam(first, "before", strconv.FormatInt(f.Before, 10))
	}
	for _, n := range ns {
		it := noteItem{Notification: n}
		if n.Body != "" {
			it.Lines = strings.Split(n.Body, "\n")
		}
		pg.Items = append(pg.Items, it)
	}
	s.render(w, r, http.StatusOK, "notifications", pg)
	return nil
}

func withParam(path, k, v string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + k + "=" + url.QueryEscape(v)
}

// markReadPage marks read the notification id, or all of them (all=1), and
// comes back to the list at back; open=ID marks that one read and opens its
// link.
func (s *server) markReadPage(w http.ResponseWriter, r *http.Request) error {
	u, err := notified(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	if v := r.PostForm.Get("open"); v != "" {
		n, err := s.ownNotification(r, u, v)
		if err != nil {
			return err
		}
		if _, err := s.db.MarkNotificationsRead(ctx, u.ID, []int64{n.ID}, false); err != nil {
			return err
		}
		to := n.Link
		if to == "" {
			to = "/notifications"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	all := r.PostForm.Get("all") != ""
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return badRequest(notificationNotFound(v))
		}
		ids = append(ids, id)
	}
	if !all && len(ids) == 0 {
		return badRequest(errNothingToMark)
	}
	if _, err := s.db.MarkNotificationsRead(ctx, u.ID, ids, all); err != nil {
		return err
	}
	http.Redirect(w, r, backToList(r.PostForm.Get("back")), http.StatusSeeOther)
	return nil
}

var errNothingToMark = sihub.Errorf(sihub.ErrInvalid, "Hãy chọn thông báo cần đánh dấu đã đọc, hoặc tất cả.",
	"Choose the notifications to mark read, or all of them.")

func notificationNotFound(id string) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy thông báo %s.", "Notification %s was not found.", id)
}

// ownNotification returns u's notification v; another person's is not
// found.
func (s *server) ownNotification(r *http.Request, u *sihub.User, v string) (*store.Notification, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, notificationNotFound(v)
	}
	ns, err := s.db.Notifications(r.Context(), u.ID, store.NotificationFilter{Before: id + 1, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 || ns[0].ID != id {
		return nil, notificationNotFound(v)
	}
	return ns[0], nil
}

// backToList is where a mark-read form comes back to: the list's address
// it names (its filter and page), else the list, with the flash.
func backToList(back string) string {
	q := url.Values{}
	if u, err := url.Parse(back); err == nil && u.Path == "/notifications" && u.Scheme == "" && u.Host == "" {
		q = u.Query()
	}
	for k := range q {
		if k != "unread" && k != "before" {
			q.Del(k)
		}
	}
	q.Set("done", "notifications.read")
	return "/notifications?" + q.Encode()
}

// notificationList is the API's answer: one page, newest first, the
// unread count, and where the next page starts.
type notificationList struct {
	Items      []*store.Notification `json:"items"`
	Unread     int                   `json:"unread"`
	NextBefore int64                 `json:"next_before,omitempty"` // ask ?before= this for the next page
}

func (s *server) apiNotifications(w http.ResponseWriter, r *http.Request) error {
	u, err := notified(r)
	if err != nil {
		return err
	}
	f, err := notificationQuery(r.URL.Query(), notificationPageSize)
	if err != nil {
		return err
	}
	ns, next, err := s.listNotifications(r, u, f)
	if err != nil {
		return err
	}
	n, err := s.db.UnreadNotifications(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, notificationList{Items: nonNilSlice(ns), Unread: n, NextBefore: next})
	return nil
}

type markReadInput struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

type markReadOutput struct {
	Marked int `json:"marked"`
	Unread int `json:"unread"`
}

func (s *server) apiMarkRead(w http.ResponseWriter, r *http.Request) error {
	u, err := notified(r)
	if err != nil {
		return err
	}
	var in markReadInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if !in.All && len(in.IDs) == 0 {
		return badRequest(errNothingToMark)
	}
	marked, err := s.db.MarkNotificationsRead(r.Context(), u.ID, in.IDs, in.All)
	if err != nil {
		return err
	}
	n, err := s.db.UnreadNotifications(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, markReadOutput{Marked: marked, Unread: n})
	return nil
}
