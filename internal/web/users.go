package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// People: the lists of users and of requests to join, one user's page, and
// the actions on a user (approve, reject, role, disable, enable, erase), as
// pages and as API calls.

func userNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy người dùng #%d.", "User #%d was not found.", id)
}

// visibleUser loads the user of the path's id with their company (nil for
// the center and the Department), answering not found to whoever may not
// see them, so that accounts do not show through.
func (s *server) visibleUser(r *http.Request) (*sihub.User, *sihub.Company, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	u, err := s.db.User(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !principal(r).CanSeeUser(u) {
		return nil, nil, userNotFound(id)
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := s.userCompany(r, u)
	return u, c, err
}

func (s *server) userCompany(r *http.Request, u *sihub.User) (*sihub.Company, error) {
	if u.CompanyID == 0 {
		return nil, nil
	}
	c, err := s.db.Company(r.Context(), u.CompanyID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, nil
	}
	return c, err
}

// ---- Actions

type userAct int

const (
	actApprove userAct = iota
	actReject
	actRole
	actDisable
	actEnable
	actErase
)

// flash is the ?done= key of the page shown after the action.
func (a userAct) flash() string {
	return [...]string{"user_approved", "user_rejected", "user_role", "user_disabled", "user_enabled", "user_erased"}[a]
}

// wrongStatus refuses an action that does not apply to the user's status,
// e.g. approving a request already decided.
func wrongStatus(u *sihub.User) error {
	return &sihub.Error{Code: sihub.ErrConflict, Msg: sihub.Msg{
		VI: tr(sihub.VI, "admin.user.wrongstatus", statusLabel(sihub.VI, u.Status)),
		EN: tr(sihub.EN, "admin.user.wrongstatus", statusLabel(sihub.EN, u.Status)),
	}}
}

// changeUser does act on the path's user, for r's principal, and returns
// the user as stored afterwards. role is the new role of actRole; confirmed
// says that erasure was confirmed.
func (s *server) changeUser(r *http.Request, act userAct, role sihub.Role, confirmed bool) (*sihub.User, error) {
	p := principal(r)
	u, c, err := s.visibleUser(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	switch act {
	case actApprove, actReject:
		if !p.CanDecideJoin(u, c) {
			return nil, refuse(p)
		}
		if u.Status != sihub.StatusPending {
			return nil, wrongStatus(u)
		}
		status, mail := sihub.StatusActive, "mail.admin.approved"
		if act == actReject {
			status, mail = sihub.StatusRejected, "mail.admin.rejected"
		}
		if err := s.db.SetStatus(ctx, u.ID, status); err != nil {
			return nil, err
		}
		// The decision stands from here on: a mail that cannot be queued
		// is logged.
		if err := s.notify(ctx, u.Email, u.Lang, mail, s.link("/account"), u.CompanyName); err != nil {
			s.log.Error("join decision mail", "user", u.ID, "error", err)
		}
	case actRole:
		if !p.CanManageUser(u) {
			return nil, refuse(p) // before the input is judged: no hints to those who may not
		}
		if !role.Valid() {
			return nil, (sihub.Problems{{Field: "role", Msg: sihub.M("Vai trò %q không tồn tại.", "There is no role %q.", role)}}).Err()
		}
		if !p.CanGrant(u, role) {
			return nil, refuse(p)
		}
		if role != u.Role {
			if err := s.db.SetRole(ctx, u.ID, role); err != nil {
				return nil, err
			}
		}
	case actDisable, actEnable:
		if !p.CanManageUser(u) {
			return nil, refuse(p)
		}
		from, to := sihub.StatusActive, sihub.StatusDisabled
		if act == actEnable {
			from, to = sihub.StatusDisabled, sihub.StatusActive
		}
		if u.Status != from {
			return nil, wrongStatus(u)
		}
		if err := s.db.SetStatus(ctx, u.ID, to); err != nil {
			return nil, err
		}
	case actErase:
		if !p.CanEraseUser(u) {
			return nil, refuse(p)
		}
		if !confirmed {
			return nil, (sihub.Problems{{Field: "confirm", Msg: sihub.M(
				"Hãy xác nhận rằng người này đã yêu cầu xóa dữ liệu của họ.",
				"Confirm that the person asked for their data to be erased.")}}).Err()
		}
		if err := s.db.EraseUser(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return s.db.User(ctx, u.ID)
}

func (s *server) userActionPage(act userAct) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parsePostForm(w, r); err != nil {
			return err
		}
		u, err := s.changeUser(r, act, sihub.Role(r.PostForm.Get("role")), r.PostForm.Get("confirm") != "")
		if err != nil {
			return err
		}
		back := r.PostForm.Get("back")
		if back == "" {
			back = "/users/" + strconv.FormatInt(u.ID, 10)
		}
		http.Redirect(w, r, doneURL(back, act.flash()), http.StatusSeeOther)
		return nil
	}
}

func (s *server) apiUserAction(act userAct) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var role sihub.Role
		if act == actRole {
			var in struct {
				Role sihub.Role `json:"role"`
			}
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			role = in.Role
		}
		u, err := s.changeUser(r, act, role, false)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, u)
		return nil
	}
}

// ---- Lists

// userRow is one user in a list, with what the reader may do to them.
type userRow struct {
	U       *sihub.User
	Company *sihub.Company
	// NewCompany: the company is unverified and was created with the
	// request (at sign-up), so staff should check it before approving.
	NewCompany bool
	CanDecide  bool
	CanDisable bool
	CanEnable  bool
	Roles      []option // the roles the reader may give, when more than the current one
	Back       string   // the page listing the row, for its forms to come back to
}

// createdAtSignUp reports whether company c was created by u's sign-up:
// the store appends the company's creation and the sign-up to the audit
// trail one after the other in the sign-up's transaction.
func (s *server) createdAtSignUp(r *http.Request, u *sihub.User, c *sihub.Company) (bool, error) {
	signUp, err := s.db.AuditLog(r.Context(), store.AuditFilter{ObjectType: "user", ObjectID: u.ID, Action: "user.signup", Limit: 1})
	if err != nil || len(signUp) == 0 {
		return false, err
	}
	created, err := s.db.AuditLog(r.Context(), store.AuditFilter{ObjectType: "company", ObjectID: c.ID, Action: "company.create", Limit: 1})
	if err != nil || len(created) == 0 {
		return false, err
	}
	return created[0].Seq == signUp[0].Seq-1, nil
}

func (s *server) userRows(r *http.Request, users []*sihub.User) ([]userRow, error) {
	p, lang, back := principal(r), langFromRequest(r), selfURL(r)
	companies := map[int64]*sihub.Company{}
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		c, seen := companies[u.CompanyID]
		if !seen {
			var err error
			if c, err = s.userCompany(r, u); err != nil {
				return nil, err
			}
			companies[u.CompanyID] = c
		}
		row := userRow{U: u, Company: c,
			CanDecide:  u.Status == sihub.StatusPending && p.CanDecideJoin(u, c),
			CanDisable: u.Status == sihub.StatusActive && p.CanManageUser(u),
			CanEnable:  u.Status == sihub.StatusDisabled && p.CanManageUser(u),
			Roles:      grantable(p, u, lang),
			Back:       back,
		}
		if c != nil && !c.Verified {
			var err error
			if row.NewCompany, err = s.createdAtSignUp(r, u, c); err != nil {
				return nil, err
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// grantable lists the roles p may give u, u's own selected; nil when p may
// give none other, and for a pending request, which is decided first.
func grantable(p *sihub.Principal, u *sihub.User, lang sihub.Lang) []option {
	if u.Status == sihub.StatusPending {
		return nil
	}
	var out []option
	for _, role := range sihub.Roles {
		if role == u.Role || p.CanGrant(u, role) {
			out = append(out, option{Value: string(role), Label: roleLabel(lang, role), Selected: role == u.Role})
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

type usersPage struct {
	basePage
	Mode     string         // "users", "requests" or "people"
	Company  *sihub.Company // of the people page
	Requests []userRow      // pending requests, oldest first (requests and people)
	Rows     []userRow      // users (users and people)
	Pager    pager
	Back     string // this page, for the forms to come back to
	Problems []string
	// Filters.
	Q, TaxCode    string
	Statuses      []option
	Roles         []option
	CanInvite     bool
	CanSeeHistory bool
}

const usersPerPage = 50

// readUserFilter reads the list filters common to the pages and the API.
func readUserFilter(q url.Values, problems *sihub.Problems) store.UserFilter {
	f := store.UserFilter{Query: strings.TrimSpace(q.Get("q"))}
	if st := sihub.UserStatus(q.Get("status")); st != "" {
		if slices.Contains(userStatuses, st) {
			f.Status = st
		} else {
			problems.Add("status", sihub.M("Trạng thái %q không tồn tại.", "There is no status %q.", st))
		}
	}
	if role := sihub.Role(q.Get("role")); role != "" {
		if role.Valid() {
			f.Role = role
		} else {
			problems.Add("role", sihub.M("Vai trò %q không tồn tại.", "There is no role %q.", role))
		}
	}
	f.Limit, f.Offset = pageLimit(q, usersPerPage, 200, problems)
	return f
}

// companyOfTaxCode resolves a tax-code filter; problems say when it names
// no company.
func (s *server) companyOfTaxCode(r *http.Request, field, tc string, problems *sihub.Problems) (*sihub.Company, error) {
	code, err := sihub.ParseTaxCode(tc)
	if err != nil {
		problems.Add(field, sihub.ErrorMsg(err))
		return nil, nil
	}
	c, err := s.db.CompanyByTaxCode(r.Context(), code)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		problems.Add(field, sihub.M("Không có doanh nghiệp nào có mã số thuế %s.", "No company has the tax code %s.", sihub.FormatTaxCode(code)))
		return nil, nil
	}
	return c, err
}

// newUsersPage starts a users page; mode is also its navigation entry.
func (s *server) newUsersPage(r *http.Request, mode, title string) *usersPage {
	p := principal(r)
	pg := &usersPage{basePage: s.base(r, title), Mode: mode, Back: selfURL(r)}
	pg.Nav = mode
	roles, _ := inviteRoles(p)
	pg.CanInvite = len(roles) > 0
	return pg
}

func localProblems(lang sihub.Lang, p sihub.Problems) []string {
	out := make([]string, len(p))
	for i, f := range p {
		out[i] = f.Msg.In(lang)
	}
	return out
}

// usersPage lists every user for staff, filtered.
func (s *server) usersPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanListUsers() {
		return refuse(p)
	}
	q := r.URL.Query()
	pg := s.newUsersPage(r, "users", "admin.users.title")
	var problems sihub.Problems
	f := readUserFilter(q, &problems)
	pg.Q, pg.TaxCode = f.Query, strings.TrimSpace(q.Get("company"))
	ok := true
	if pg.TaxCode != "" {
		c, err := s.companyOfTaxCode(r, "company", pg.TaxCode, &problems)
		if err != nil {
			return err
		}
		if ok = c != nil; ok {
			f.CompanyID = c.ID
		}
	}
	pg.Statuses = choices(pg.Lang, "admin.filter.allstatuses", userStatuses, string(f.Status), statusLabel)
	pg.Roles = choices(pg.Lang, "admin.filter.allroles", sihub.Roles, string(f.Role), roleLabel)
	pg.Problems = localProblems(pg.Lang, problems)
	if ok {
		users, total, err := s.db.Users(r.Context(), f)
		if err != nil {
			return err
		}
		if pg.Rows, err = s.userRows(r, users); err != nil {
			return err
		}
		pg.Pager = newPager("/admin/users", q, f.Limit, f.Offset, len(users), total)
	}
	s.render(w, r, http.StatusOK, "users", pg)
	return nil
}

// pendingOldestFirst returns a page of the pending requests (of company id,
// 0 for all), oldest first: the store lists newest first, so the page is
// taken from the end and turned round.
func (s *server) pendingOldestFirst(r *http.Request, companyID int64, limit, offset int) ([]*sihub.User, int, error) {
	f := store.UserFilter{CompanyID: companyID, Status: sihub.StatusPending, Limit: 1}
	_, total, err := s.db.Users(r.Context(), f)
	if err != nil || offset >= total {
		return nil, total, err
	}
	end := total - offset // exclusive, in newest-first positions counted from the end
	f.Offset = max(0, end-limit)
	f.Limit = end - f.Offset
	users, total, err := s.db.Users(r.Context(), f)
	slices.Reverse(users)
	return users, total, err
}

// requestsPage lists pending requests to join, for staff, oldest first.
func (s *server) requestsPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanListUsers() {
		return refuse(p)
	}
	q := r.URL.Query()
	pg := s.newUsersPage(r, "requests", "admin.requests.title")
	var problems sihub.Problems
	limit, offset := pageLimit(q, usersPerPage, 200, &problems)
	pg.Problems = localProblems(pg.Lang, problems)
	users, total, err := s.pendingOldestFirst(r, 0, limit, offset)
	if err != nil {
		return err
	}
	if pg.Requests, err = s.userRows(r, users); err != nil {
		return err
	}
	pg.Pager = newPager("/admin/requests", q, limit, offset, len(users), total)
	s.render(w, r, http.StatusOK, "users", pg)
	return nil
}

// peoplePage lists a company's people and requests to join, for staff and
// the company's admins.
func (s *server) peoplePage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.readableCompany(r, id) // an archived company stays not found to those who may not see it
	if err != nil {
		return err
	}
	if !p.CanListUsersOf(c.ID) {
		return refuse(p)
	}
	q := r.URL.Query()
	pg := s.newUsersPage(r, "people", "")
	pg.Title = tr(pg.Lang, "admin.people.title", c.Name)
	pg.Company = c
	pg.CanSeeHistory = p.CanSeeHistory(c)
	var problems sihub.Problems
	f := readUserFilter(q, &problems)
	f.CompanyID = c.ID
	pg.Q = f.Query
	pg.Statuses = choices(pg.Lang, "admin.filter.allstatuses", userStatuses, string(f.Status), statusLabel)
	pg.Problems = localProblems(pg.Lang, problems)
	pending, _, err := s.pendingOldestFirst(r, c.ID, 200, 0)
	if err != nil {
		return err
	}
	if pg.Requests, err = s.userRows(r, pending); err != nil {
		return err
	}
	users, total, err := s.db.Users(r.Context(), f)
	if err != nil {
		return err
	}
	if pg.Rows, err = s.userRows(r, users); err != nil {
		return err
	}
	pg.Pager = newPager(r.URL.Path, q, f.Limit, f.Offset, len(users), total)
	s.render(w, r, http.StatusOK, "users", pg)
	return nil
}

// ---- One user

type userPage struct {
	basePage
	Row      userRow
	Self     bool
	CanErase bool
	// CanBrowseAudit links to the user's own actions in the audit log.
	CanBrowseAudit bool
	History        []recordView
	Back           string
}

func (s *server) userPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	u, _, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	rows, err := s.userRows(r, []*sihub.User{u})
	if err != nil {
		return err
	}
	pg := &userPage{basePage: s.base(r, ""), Row: rows[0], Self: p.UserID() == u.ID,
		CanErase: p.CanEraseUser(u), CanBrowseAudit: p.CanBrowseAudit(), Back: selfURL(r)}
	pg.Title = u.Email
	if u.Name != "" {
		pg.Title = u.Name
	}
	pg.Nav = "users"
	recs, err := s.db.AuditLog(r.Context(), store.AuditFilter{ObjectType: "user", ObjectID: u.ID, Limit: 100})
	if err != nil {
		return err
	}
	pg.History = recordViews(pg.Lang, recs)
	s.render(w, r, http.StatusOK, "user", pg)
	return nil
}

// ---- API

type userList struct {
	Items  []*sihub.User `json:"items"`
	Total  int           `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
}

// apiUsers lists users: every user for staff, a company's for its admins
// (company_id or company_tax_code naming their company).
func (s *server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	q := r.URL.Query()
	var problems sihub.Problems
	f := readUserFilter(q, &problems)
	f.CompanyID = queryInt(q, "company_id", &problems)
	if tc := strings.TrimSpace(q.Get("company_tax_code")); tc != "" {
		c, err := s.companyOfTaxCode(r, "company_tax_code", tc, &problems)
		if err != nil {
			return err
		}
		if c != nil {
			if f.CompanyID != 0 && f.CompanyID != c.ID {
				problems.Add("company_tax_code", sihub.M("Mã số thuế và company_id chỉ hai doanh nghiệp khác nhau.",
					"The tax code and company_id name two different companies."))
			}
			f.CompanyID = c.ID
		}
	}
	if !p.CanListUsers() && (f.CompanyID == 0 || !p.CanListUsersOf(f.CompanyID)) {
		return refuse(p)
	}
	if err := problems.Err(); err != nil {
		return badRequest(err)
	}
	users, total, err := s.db.Users(r.Context(), f)
	if err != nil {
		return err
	}
	if users == nil {
		users = []*sihub.User{}
	}
	writeJSON(w, http.StatusOK, userList{Items: users, Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

func (s *server) apiUser(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}
