package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Helpers shared by the administration pages (users.go, invite.go,
// auditpages.go), whose routes routes.go lists.

// doneURL is back (a path on this site, from a form) with the flash key
// done, for the redirect after an action.
func doneURL(back, done string) string {
	u, err := url.Parse(safeNext(back))
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return u.String()
}

// selfURL is the page being shown, without its flash, for forms that
// come back to it.
func selfURL(r *http.Request) string {
	q := r.URL.Query()
	q.Del("done")
	return pathWith(r.URL.Path, q)
}

// pager is the previous/next links of a list paged by offset.
type pager struct {
	From, To, Total int
	Prev, Next      string
}

func newPager(path string, q url.Values, limit, offset, shown, total int) pager {
	p := pager{Total: total}
	if shown > 0 {
		p.From, p.To = offset+1, offset+shown
	}
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Del("done")
		v.Del("offset")
		if off > 0 {
			v.Set("offset", strconv.Itoa(off))
		}
		return pathWith(path, v)
	}
	if offset > 0 {
		p.Prev = link(max(0, offset-limit))
	}
	if offset+shown < total {
		p.Next = link(offset + limit)
	}
	return p
}

// queryInt reads a non-negative integer query parameter ("" is 0).
func queryInt(q url.Values, name string, problems *sihub.Problems) int64 {
	v := q.Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		problems.Add(name, sihub.M("%q không phải là số nguyên không âm.", "%q is not a non-negative whole number.", v))
		return 0
	}
	return n
}

// readLimit reads the page size limit, def when absent, at most maxLimit.
func readLimit(q url.Values, def, maxLimit int, problems *sihub.Problems) int {
	limit := int(queryInt(q, "limit", problems))
	if limit == 0 {
		limit = def
	}
	if limit > maxLimit {
		problems.Add("limit", sihub.M("Tối đa %d mỗi trang.", "At most %d per page.", maxLimit))
		limit = maxLimit
	}
	return limit
}

// pageLimit reads limit and offset for lists paged by offset.
func pageLimit(q url.Values, def, maxLimit int, problems *sihub.Problems) (limit, offset int) {
	return readLimit(q, def, maxLimit, problems), int(queryInt(q, "offset", problems))
}

// roleLabel and statusLabel name a role and a status in lang; the layout
// and the account pages use them too.
func roleLabel(lang sihub.Lang, r sihub.Role) string { return tr(lang, "admin.role."+string(r)) }

func statusLabel(lang sihub.Lang, st sihub.UserStatus) string {
	return tr(lang, "admin.status."+string(st))
}

var userStatuses = []sihub.UserStatus{sihub.StatusPending, sihub.StatusActive, sihub.StatusRejected, sihub.StatusDisabled, sihub.StatusErased}

// choices returns the options of a filter select: "all" first, then each
// value, the current one selected.
func choices[T ~string](lang sihub.Lang, all string, values []T, cur string, label func(sihub.Lang, T) string) []option {
	out := []option{{Value: "", Label: tr(lang, all), Selected: cur == ""}}
	for _, v := range values {
		out = append(out, option{Value: string(v), Label: label(lang, v), Selected: string(v) == cur})
	}
	return out
}
