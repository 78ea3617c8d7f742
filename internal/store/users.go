package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// userCols are the columns scanUser reads, from userFrom: the user and the
// directory's facts about their company.
const userCols = `u.id, u.email, u.name, u.role, u.company_id, c.name, c.tax_code, c.verified, c.kind,
	u.status, u.email_confirmed_at, u.lang, u.consent_at, u.created_at, u.updated_at, u.notify`

const userFrom = ` FROM users u LEFT JOIN companies c ON c.id = u.company_id`

// scanUser reads userCols and then extra.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*sihub.User, error) {
	var (
		u                  sihub.User
		companyID          sql.NullInt64
		cname, ctax, ckind sql.NullString
		cverified          sql.NullBool
		confirmed, consent sql.NullTime
		role, status, lng  string
		notify             string
	)
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &role, &companyID, &cname, &ctax, &cverified, &ckind,
		&status, &confirmed, &lng, &consent, &u.CreatedAt, &u.UpdatedAt, &notify}, extra...)...)
	if err != nil {
		return nil, err
	}
	u.Role, u.Status, u.Lang, u.Notify = sihub.Role(role), sihub.UserStatus(status), sihub.Lang(lng), sihub.NotifyMode(notify)
	u.CompanyID, u.CompanyName, u.CompanyTaxCode, u.CompanyVerified = companyID.Int64, cname.String, ctax.String, cverified.Bool
	u.CompanyKind = sihub.Kind(ckind.String)
	u.EmailConfirmed, u.ConsentAt = utcTime(confirmed), utcTime(consent)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// nullID is the column value of an optional reference (0: none).
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func userNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy người dùng #%d.", "User #%d was not found.", id)
}

func userErased(id int64) error {
	return sihub.Errorf(sihub.ErrInvalid, "Tài khoản #%d đã bị xoá theo yêu cầu; không thể thay đổi.",
		"Account #%d was erased on request and cannot be changed.", id)
}

func emailTaken() error {
	m := sihub.M("Địa chỉ email này đã có tài khoản; hãy đăng nhập hoặc đặt lại mật khẩu.",
		"This email address already has an account; sign in or reset the password.")
	return &sihub.Error{Code: sihub.ErrConflict, Msg: m, Fields: []sihub.FieldError{{Field: "email", Msg: m}}}
}

// addProblem records err, a validation error, under field, keeping the
// field errors it already carries.
func addProblem(p *sihub.Problems, field string, err error) {
	if fs := sihub.FieldsOf(err); len(fs) > 0 {
		*p = append(*p, fs...)
		return
	}
	p.Add(field, sihub.ErrorMsg(err))
}

// checkPersonName validates the name a person gives for themselves, which
// sign-up and invitations require.
func checkPersonName(p *sihub.Problems, name string) {
	if name == "" {
		p.Add("name", sihub.M("Nhập họ tên của bạn.", "Enter your name."))
	} else if err := sihub.CheckUserName(name); err != nil {
		addProblem(p, "name", err)
	}
}

func checkConsent(p *sihub.Problems, consent bool) {
	if !consent {
		p.Add("consent", sihub.M("Bạn cần đồng ý với thông báo về quyền riêng tư.", "You need to accept the privacy notice."))
	}
}

// userTx returns user id as tx sees it.
func (db *DB) userTx(ctx context.Context, tx *sql.Tx, id int64) (*sihub.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+userFrom+` WHERE u.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, userNotFound(id)
	}
	return u, err
}

// NewUser is a user to create by CreateUser.
type NewUser struct {
	Email    string
	Name     string
	Password string // checked by sihub.CheckPassword; "" leaves the account without a password (cannot sign in)
	Role     sihub.Role
	// CompanyID is required for company roles and must be 0 otherwise.
	CompanyID      int64
	Status         sihub.UserStatus // "" means active
	EmailConfirmed bool
	Lang           sihub.Lang
	Consent        bool // accepted the privacy notice now
}

// check validates nu and normalizes its email, name, status and lang.
func (nu *NewUser) check() error {
	var p sihub.Problems
	if email, err := sihub.NormalizeEmail(nu.Email); err != nil {
		addProblem(&p, "email", err)
	} else {
		nu.Email = email
	}
	nu.Name = strings.TrimSpace(nu.Name)
	if err := sihub.CheckUserName(nu.Name); err != nil {
		addProblem(&p, "name", err)
	}
	if nu.Password != "" {
		if err := sihub.CheckPassword(nu.Password, nu.Email); err != nil {
			addProblem(&p, "password", err)
		}
	}
	switch {
	case !nu.Role.Valid():
		p.Add("role", sihub.M("Vai trò %q không hợp lệ.", "Role %q is not valid.", nu.Role))
	case nu.Role.OfCompany() && nu.CompanyID == 0:
		p.Add("company_id", sihub.M("Vai trò này cần một doanh nghiệp.", "This role needs a company."))
	case !nu.Role.OfCompany() && nu.CompanyID != 0:
		p.Add("company_id", sihub.M("Chỉ vai trò của doanh nghiệp mới gắn với một doanh nghiệp.", "Only company roles belong to a company."))
	}
	if nu.Status == "" {
		nu.Status = sihub.StatusActive
	}
	if _, ok := statusMoves[nu.Status]; !ok {
		p.Add("status", sihub.M("Trạng thái %q không hợp lệ.", "Status %q is not valid.", nu.Status))
	}
	nu.Lang = sihub.ParseLang(string(nu.Lang))
	return p.Err()
}

// insertUser adds nu, checked, with the password hash in tx and returns
// it as stored.
func (db *DB) insertUser(ctx context.Context, tx *sql.Tx, nu NewUser, hash string) (*sihub.User, error) {
	var n int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE email = ?`), nu.Email).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, emailTaken()
	}
	if nu.CompanyID != 0 {
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE id = ?`), nu.CompanyID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			m := sihub.M("Không tìm thấy doanh nghiệp #%d.", "Company #%d was not found.", nu.CompanyID)
			return nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "company_id", Msg: m}}}
		}
	}
	now := db.now()
	var confirmed, consent sql.NullTime
	if nu.EmailConfirmed {
		confirmed = sql.NullTime{Time: now, Valid: true}
	}
	if nu.Consent {
		consent = sql.NullTime{Time: now, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO users
		(email, name, password_hash, role, company_id, status, email_confirmed_at, lang, consent_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		nu.Email, nu.Name, hash, string(nu.Role), nullID(nu.CompanyID), string(nu.Status), confirmed, string(nu.Lang),
		consent, now, now).Scan(&id)
	if err != nil {
		if db.d.isUniqueViolation(err) {
			return nil, emailTaken()
		}
		return nil, err
	}
	return db.userTx(ctx, tx, id)
}

// CreateUser validates and adds a user (ErrConflict when the email is
// taken) and appends user.create to the audit trail.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (*sihub.User, error) {
	if err := nu.check(); err != nil {
		return nil, err
	}
	var hash string
	if nu.Password != "" {
		hash = hashPassword(nu.Password)
	}
	var u *sihub.User
	err := db.write(ctx, "create user", func(tx *sql.Tx) error {
		var err error
		if u, err = db.insertUser(ctx, tx, nu, hash); err != nil {
			return err
		}
		return db.audit(ctx, tx, "user.create", "user", u.ID, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SignUpRequest is a company representative's sign-up.
type SignUpRequest struct {
	Email, Name, Password string
	TaxCode               string     // the company's; parsed by sihub.ParseTaxCode
	CompanyName           string     // required when the tax code is not in the directory yet
	Kind                  sihub.Kind // of a new company: supplier, buyer or both
	Lang                  sihub.Lang
	Consent               bool // must be true
}

// newSignUpCompany returns the company a sign-up creates when the
// directory does not have its tax code, or the problems with it, named
// after the sign-up form's fields.
func newSignUpCompany(r SignUpRequest, taxCode string) (*sihub.Company, sihub.Problems) {
	var p sihub.Problems
	c := &sihub.Company{Kind: r.Kind, TaxCode: taxCode, Name: r.CompanyName}
	if r.Kind == "" {
		p.Add("kind", sihub.M("Chọn loại doanh nghiệp: cung ứng, mua hàng hay cả hai.", "Choose the kind of company: supplier, buyer or both."))
	}
	switch {
	case strings.TrimSpace(r.CompanyName) == "":
		p.Add("company_name", sihub.M("Mã số thuế này chưa có trong danh bạ: nhập tên doanh nghiệp để tạo hồ sơ.",
			"This tax code is not in the directory yet: enter the company's name to create its profile."))
	case !storable(r.CompanyName):
		p = append(p, sihub.FieldsOf(unstorable("company_name"))...)
	}
	if err := c.Validate(); err != nil {
		for _, f := range sihub.FieldsOf(err) {
			if f.Field == "name" {
				f.Field = "company_name"
			}
			if _, dup := p.For(f.Field); !dup {
				p = append(p, f)
			}
		}
	}
	return c, p
}

// SignUp creates, in one transaction, a pending company_member user for the
// company with the tax code, creating that company (unverified) when the
// directory does not have it. The returned bool reports whether the
// company was created. Validation errors name the form fields (email,
// password, name, tax_code, company_name, kind, consent).
func (db *DB) SignUp(ctx context.Context, r SignUpRequest) (*sihub.User, *sihub.Company, bool, error) {
	nu := NewUser{Email: r.Email, Name: strings.TrimSpace(r.Name), Password: r.Password, Role: sihub.RoleCompanyMember,
		Status: sihub.StatusPending, Lang: sihub.ParseLang(string(r.Lang)), Consent: true}
	var p sihub.Problems
	if email, err := sihub.NormalizeEmail(nu.Email); err != nil {
		addProblem(&p, "email", err)
	} else {
		nu.Email = email
	}
	checkPersonName(&p, nu.Name)
	if err := sihub.CheckPassword(r.Password, nu.Email); err != nil {
		addProblem(&p, "password", err)
	}
	taxCode, err := sihub.ParseTaxCode(r.TaxCode)
	if err != nil {
		p.Add("tax_code", sihub.ErrorMsg(err))
	}
	if r.Kind != "" && !slices.Contains(sihub.Kinds, r.Kind) {
		p.Add("kind", sihub.M("Loại doanh nghiệp phải là cung ứng, mua hàng hoặc cả hai.", "The kind must be supplier, buyer or both."))
	}
	checkConsent(&p, r.Consent)

	// Whether the email is taken and the company exists decide what else
	// to ask for; both are checked again in the write transaction.
	var taken, exists bool
	err = db.read(ctx, "sign up", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE email = ?`), queryValue(nu.Email)).Scan(&n); err != nil {
			return err
		}
		taken = n > 0
		if taxCode == "" {
			return nil
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE tax_code = ?`), taxCode).Scan(&n); err != nil {
			return err
		}
		exists = n > 0
		return nil
	})
	if err != nil {
		return nil, nil, false, err
	}
	if taxCode != "" && !exists {
		_, cp := newSignUpCompany(r, taxCode)
		for _, f := range cp {
			if _, dup := p.For(f.Field); !dup {
				p = append(p, f)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, false, err
	}
	if taken {
		return nil, nil, false, emailTaken()
	}

	hash := hashPassword(r.Password)
	var (
		u       *sihub.User
		c       *sihub.Company
		created bool
	)
	err = db.writeCompanies(ctx, "sign up", func(w *companyWriter) error {
		old, err := w.find(ctx, w.byTC, taxCode)
		if err != nil {
			return err
		}
		if old != nil {
			nu.CompanyID = old.id
		} else {
			nc, p := newSignUpCompany(r, taxCode)
			if err := p.Err(); err != nil {
				return err // the company was removed since the check above
			}
			if err := prepare(nc); err != nil {
				return err
			}
			if err := w.insert(ctx, nc, db.now()); err != nil {
				return err
			}
			if err := w.logCompany(ctx, "company.create", nil, nc); err != nil {
				return err
			}
			nu.CompanyID, created = nc.ID, true
		}
		if u, err = db.insertUser(ctx, w.tx, nu, hash); err != nil {
			return err
		}
		// db.audit reads the chain's end afresh, after the company's record.
		if err := db.audit(ctx, w.tx, "user.signup", "user", u.ID, nil, u); err != nil {
			return err
		}
		if c, err = w.current(ctx, nu.CompanyID); err != nil {
			return err
		}
		c.Documents, err = db.documents(ctx, w.tx, c.ID)
		return err
	})
	if err != nil {
		return nil, nil, false, err
	}
	return u, c, created, nil
}

// User returns user id (ErrNotFound when none).
func (db *DB) User(ctx context.Context, id int64) (*sihub.User, error) {
	var u *sihub.User
	err := db.read(ctx, "get user", func(tx *sql.Tx) error {
		var err error
		u, err = db.userTx(ctx, tx, id)
		return err
	})
	return u, err
}

// UserByEmail returns the user with email, compared as NormalizeEmail
// writes it (ErrNotFound when none).
func (db *DB) UserByEmail(ctx context.Context, email string) (*sihub.User, error) {
	email = queryValue(strings.ToLower(strings.TrimSpace(email)))
	var u *sihub.User
	err := db.read(ctx, "get user", func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+userFrom+` WHERE u.email = ?`), email))
		if errors.Is(err, sql.ErrNoRows) {
			return sihub.Errorf(sihub.ErrNotFound, "Không có người dùng nào với email %s.", "No user has the email %s.", email)
		}
		return err
	})
	return u, err
}

// UserFilter selects users for Users; zero fields select all.
type UserFilter struct {
	CompanyID int64
	Status    sihub.UserStatus
	Role      sihub.Role
	Query     string // in email or name, case-insensitive
	Limit     int    // 0: 100
	Offset    int
}

// likePattern is a LIKE pattern (with ESCAPE '\') matching s anywhere.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Users returns the users f selects, newest first, and their total.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]*sihub.User, int, error) {
	var (
		conds []string
		args  []any
	)
	if f.CompanyID != 0 {
		conds, args = append(conds, "u.company_id = ?"), append(args, f.CompanyID)
	}
	if f.Status != "" {
		conds, args = append(conds, "u.status = ?"), append(args, queryValue(string(f.Status)))
	}
	if f.Role != "" {
		conds, args = append(conds, "u.role = ?"), append(args, queryValue(string(f.Role)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := likePattern(strings.ToLower(queryValue(q)))
		conds = append(conds, `(LOWER(u.email) LIKE ? ESCAPE '\' OR LOWER(u.name) LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var (
		users []*sihub.User
		total int
	)
	err := db.read(ctx, "list users", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users u`+where), args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+userCols+userFrom+where+
			` ORDER BY u.created_at DESC, u.id DESC LIMIT ? OFFSET ?`), append(args, limit, max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return users, total, nil
}

// activeUser is the condition of users who may act in their role
// (sihub.User.Active).
const activeUser = `status = 'active' AND email_confirmed_at IS NOT NULL`

// JoinDeciders returns the emails of the people who decide requests to join
// company id: its active admins when the company is verified, the center's
// active staff otherwise (and when a verified company has no admin).
func (db *DB) JoinDeciders(ctx context.Context, companyID int64) ([]string, error) {
	var emails []string
	err := db.read(ctx, "join deciders", func(tx *sql.Tx) error {
		var verified bool
		err := tx.QueryRowContext(ctx, db.q(`SELECT verified FROM companies WHERE id = ?`), companyID).Scan(&verified)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("company", companyID)
		}
		if err != nil {
			return err
		}
		if verified {
			if emails, err = queryStrings(ctx, tx, db.q(`SELECT email FROM users
				WHERE company_id = ? AND role = 'company_admin' AND `+activeUser+` ORDER BY id`), companyID); err != nil {
				return err
			}
		}
		if len(emails) == 0 {
			emails, err = queryStrings(ctx, tx, `SELECT email FROM users
				WHERE role IN ('center_admin', 'center_staff') AND `+activeUser+` ORDER BY id`)
		}
		return err
	})
	return emails, err
}

// changeUser runs fn on user id, not erased, in a write transaction and
// appends action with the user before and after.
func (db *DB) changeUser(ctx context.Context, op, action string, id int64, fn func(tx *sql.Tx, u *sihub.User, now time.Time) error) error {
	return db.write(ctx, op, func(tx *sql.Tx) error {
		before, err := db.userTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status == sihub.StatusErased {
			return userErased(id)
		}
		if err := fn(tx, before, db.now()); err != nil {
			return err
		}
		after, err := db.userTx(ctx, tx, id)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, action, "user", id, before, after)
	})
}

// UpdateProfile changes a user's own name and language (audited).
func (db *DB) UpdateProfile(ctx context.Context, id int64, name string, lang sihub.Lang) error {
	name = strings.TrimSpace(name)
	var p sihub.Problems
	checkPersonName(&p, name)
	if err := p.Err(); err != nil {
		return err
	}
	return db.changeUser(ctx, "update profile", "user.update", id, func(tx *sql.Tx, u *sihub.User, now time.Time) error {
		_, err := tx.ExecContext(ctx, db.q(`UPDATE users SET name = ?, lang = ?, updated_at = ? WHERE id = ?`),
			name, string(sihub.ParseLang(string(lang))), now, id)
		return err
	})
}

// SetRole changes a user's role within their organisation (audited); a
// company role keeps the company.
func (db *DB) SetRole(ctx context.Context, id int64, role sihub.Role) error {
	if !role.Valid() {
		m := sihub.M("Vai trò %q không hợp lệ.", "Role %q is not valid.", role)
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "role", Msg: m}}}
	}
	return db.changeUser(ctx, "set role", "user.role", id, func(tx *sql.Tx, u *sihub.User, now time.Time) error {
		if role.Org() != u.Role.Org() {
			m := sihub.M("Vai trò mới phải thuộc cùng tổ chức với người dùng.", "The new role must belong to the user's own organisation.")
			return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "role", Msg: m}}}
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE users SET role = ?, updated_at = ? WHERE id = ?`), string(role), now, id)
		return err
	})
}

// statusMoves are the status changes SetStatus makes, by the status they
// start from: staff may reconsider a rejection. Erasure is EraseUser's.
var statusMoves = map[sihub.UserStatus][]sihub.UserStatus{
	sihub.StatusPending:  {sihub.StatusActive, sihub.StatusRejected},
	sihub.StatusActive:   {sihub.StatusDisabled},
	sihub.StatusDisabled: {sihub.StatusActive},
	sihub.StatusRejected: {sihub.StatusActive},
}

// statusNames name the statuses in messages.
var statusNames = map[sihub.UserStatus]sihub.Msg{
	sihub.StatusPending:  sihub.M("chờ duyệt", "pending"),
	sihub.StatusActive:   sihub.M("đang hoạt động", "active"),
	sihub.StatusRejected: sihub.M("bị từ chối", "rejected"),
	sihub.StatusDisabled: sihub.M("bị vô hiệu hoá", "disabled"),
	sihub.StatusErased:   sihub.M("đã xoá", "erased"),
}

func statusName(s sihub.UserStatus) sihub.Msg {
	if m, ok := statusNames[s]; ok {
		return m
	}
	return sihub.Msg{VI: string(s), EN: string(s)}
}

// endAccess ends a user's sessions and revokes their API tokens: users who
// may no longer act (disabled, rejected, erased) keep neither.
func (db *DB) endAccess(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`), now, id); err != nil {
		return err
	}
	// Invitations the user sent die with their access (AcceptInvitation
	// checks the sender too).
	_, err := tx.ExecContext(ctx, db.q(`DELETE FROM one_time_tokens WHERE created_by = ? AND purpose = ?`), id, PurposeInvite)
	return err
}

// SetStatus moves a user to status (audited): approving (pending → active),
// rejecting, disabling and re-enabling. Disabling ends the user's sessions
// and revokes their API tokens.
func (db *DB) SetStatus(ctx context.Context, id int64, status sihub.UserStatus) error {
	return db.changeUser(ctx, "set status", "user.status", id, func(tx *sql.Tx, u *sihub.User, now time.Time) error {
		if !slices.Contains(statusMoves[u.Status], status) {
			from, to := statusName(u.Status), statusName(status)
			m := sihub.Msg{VI: fmt.Sprintf("Không thể chuyển tài khoản từ trạng thái %s sang %s.", from.VI, to.VI),
				EN: fmt.Sprintf("An account cannot go from %s to %s.", from.EN, to.EN)}
			return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "status", Msg: m}}}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET status = ?, updated_at = ? WHERE id = ?`), string(status), now, id); err != nil {
			return err
		}
		if status == sihub.StatusDisabled || status == sihub.StatusRejected {
			return db.endAccess(ctx, tx, id, now)
		}
		return nil
	})
}

// ConfirmEmail records that the user confirmed their address (audited).
func (db *DB) ConfirmEmail(ctx context.Context, id int64) error {
	return db.changeUser(ctx, "confirm email", "user.confirm", id, func(tx *sql.Tx, u *sihub.User, now time.Time) error {
		if u.EmailConfirmed != nil {
			return nil // confirmed already: nothing changes and nothing is appended
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE users SET email_confirmed_at = ?, updated_at = ? WHERE id = ?`), now, now, id)
		return err
	})
}

// SetPassword checks and sets a new password (argon2id) and ends every
// session of the user (audited without the hash).
func (db *DB) SetPassword(ctx context.Context, id int64, password string) error {
	u, err := db.User(ctx, id)
	if err != nil {
		return err
	}
	if u.Status == sihub.StatusErased {
		return userErased(id)
	}
	if err := sihub.CheckPassword(password, u.Email); err != nil {
		return err
	}
	hash := hashPassword(password)
	return db.write(ctx, "set password", func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND status <> 'erased'`), hash, now, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return userErased(id)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
			return err
		}
		// Reset links sent before the change must not change it again.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM one_time_tokens WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL`), id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "user.password", "user", id, nil, map[string]string{"password": "changed"})
	})
}

// Sign-in throttling: failures are counted per email and per IP over a
// window, in the database, so that every instance counts the same.
const (
	failureWindow   = 15 * time.Minute
	maxEmailFailure = 5
	maxIPFailures   = 20
)

func wrongCredentials() error {
	return sihub.Errorf(sihub.ErrUnauthorized, "Email hoặc mật khẩu không đúng.", "The email or password is wrong.")
}

// failureKey is the sign_in_failures key of kind ("email" or "ip") and v.
func failureKey(kind, v string) string { return kind + ":" + storableText(v, 300) }

// Authenticate checks email and password. Wrong email and wrong password
// give the same ErrUnauthorized message; too many failures for the email
// (5 in 15 minutes) or from ip (20 in 15 minutes) give ErrRateLimited
// saying how many minutes to wait, before the password is even checked.
// Users that are erased or disabled cannot sign in (the same generic
// message); pending and unconfirmed users can, and see their status.
func (db *DB) Authenticate(ctx context.Context, email, password, ip string) (*sihub.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{failureKey("email", email)}
	limits := []int{maxEmailFailure}
	if ip != "" {
		keys, limits = append(keys, failureKey("ip", ip)), append(limits, maxIPFailures)
	}
	now := db.now()
	var (
		u          *sihub.User
		hash       string
		emailFails int
		wait       time.Duration
	)
	err := db.read(ctx, "sign in", func(tx *sql.Tx) error {
		for i, key := range keys {
			rows, err := tx.QueryContext(ctx, db.q(`SELECT at FROM sign_in_failures WHERE key = ? AND at > ? ORDER BY at`), key, now.Add(-failureWindow))
			if err != nil {
				return err
			}
			var ats []time.Time
			for rows.Next() {
				var at time.Time
				if err := rows.Scan(&at); err != nil {
					rows.Close()
					return err
				}
				ats = append(ats, at)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if i == 0 {
				emailFails = len(ats)
			}
			if n := len(ats); n >= limits[i] {
				// The count falls under the limit when this failure leaves
				// the window: the oldest one, unless more have piled up.
				wait = max(wait, ats[n-limits[i]].Add(failureWindow).Sub(now))
			}
		}
		if wait > 0 {
			return nil
		}
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, u.password_hash`+userFrom+` WHERE u.email = ?`), queryValue(email)), &hash)
		if errors.Is(err, sql.ErrNoRows) {
			u, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, tooManyFailures(wait)
	}
	// The hash is checked whoever the user is, even none, so that the time
	// taken does not tell which emails have accounts.
	ok := verifyPassword(hash, password) && u != nil
	if ok {
		switch u.Status {
		case sihub.StatusErased, sihub.StatusDisabled:
			ok = false
		}
	}
	if !ok {
		err := db.write(ctx, "sign in", func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sign_in_failures WHERE at <= ?`), now.Add(-failureWindow)); err != nil {
				return err
			}
			for _, key := range keys {
				if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO sign_in_failures (key, at) VALUES (?, ?)`), key, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return nil, wrongCredentials()
	}
	if emailFails > 0 {
		err := db.write(ctx, "sign in", func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.q(`DELETE FROM sign_in_failures WHERE key = ?`), keys[0])
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// tooManyFailures says how many minutes, rounded up, to wait.
func tooManyFailures(wait time.Duration) error {
	n := int((wait + time.Minute - 1) / time.Minute)
	n = max(n, 1)
	en := "Too many failed sign-ins. Please wait %d minutes and try again."
	if n == 1 {
		en = "Too many failed sign-ins. Please wait %d minute and try again."
	}
	return sihub.Errorf(sihub.ErrRateLimited, "Đăng nhập sai quá nhiều lần. Vui lòng đợi %d phút rồi thử lại.", en, n)
}

// erasedEmail is the address an erased user keeps: unique, and no one's.
func erasedEmail(id int64) string { return "erased-" + strconv.FormatInt(id, 10) + "@invalid" }

// EraseUser erases a person's data at their request: the user row keeps
// its id and role but loses email (replaced by erased-ID@invalid), name
// and password; sessions, tokens and contact views go; the audit trail is
// redacted of the email and name (and IPs of the person's own actions).
func (db *DB) EraseUser(ctx context.Context, id int64) error {
	return db.write(ctx, "erase user", func(tx *sql.Tx) error {
		u, err := db.userTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Status == sihub.StatusErased {
			return userErased(id)
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET email = ?, name = '', password_hash = '', status = 'erased', updated_at = ?
			WHERE id = ?`), erasedEmail(id), now, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE user_id = ?`,
			`DELETE FROM api_tokens WHERE user_id = ?`,
			`DELETE FROM contact_views WHERE user_id = ?`,
			`DELETE FROM notifications WHERE user_id = ?`, // news written to the person, naming them
		} {
			if _, err := tx.ExecContext(ctx, db.q(q), id); err != nil {
				return err
			}
		}
		// Invitations to the address name the person too.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM one_time_tokens WHERE user_id = ? OR email = ?`), id, u.Email); err != nil {
			return err
		}
		// So do the emails to the address: queued ones need not go out to
		// an account that no longer exists, and sent ones are kept only to
		// be read by admins.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM outbox WHERE to_addr = ?`), u.Email); err != nil {
			return err
		}
		values := []string{u.Email}
		if u.Name != "" {
			values = append(values, u.Name)
		}
		if err := db.redactAudit(ctx, tx, id, u.Email, values); err != nil {
			return err
		}
		// Emails to others about the person (a request to join) name them,
		// and so do a staff member's verifications and sign-in failures.
		for _, v := range values {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE outbox SET body = REPLACE(body, ?, ?) WHERE body LIKE ?`),
				v, sihub.ErasedMark, "%"+v+"%"); err != nil {
				return err
			}
		}
		if u.Name != "" {
			// Stamped with the next data version, as every company write is,
			// so that in-memory copies of the directory follow.
			res, err := tx.ExecContext(ctx, db.q(`UPDATE companies SET verified_by = ?,
				version = (SELECT version + 1 FROM data_version WHERE id = 1) WHERE verified_by = ?`), sihub.ErasedMark, u.Name)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n > 0 {
				if err := bumpVersion(ctx, tx); err != nil {
					return err
				}
			}
		}
		// The download log keeps who downloaded a demand's drawings (the
		// buyer's record) but not from where.
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE demand_downloads SET ip = '' WHERE user_id = ?`), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sign_in_failures WHERE key = ?`), "email:"+u.Email); err != nil {
			return err
		}
		// The record of the erasure must not name the person again: when
		// they erase their own account, the actor is the erased account.
		a := sihub.ActorFrom(ctx)
		if a.UserID == id || a.Label == u.Email {
			ctx = sihub.WithActor(ctx, sihub.Actor{UserID: id, Label: erasedEmail(id)})
		}
		return db.audit(ctx, tx, "user.erase", "user", id, nil, map[string]string{"status": string(sihub.StatusErased)})
	})
}

// UserData is everything SIHub keeps about a person, for download.
type UserData struct {
	User         *sihub.User         `json:"user"`
	Sessions     []sihub.Session     `json:"sessions"`
	APITokens    []sihub.APIToken    `json:"api_tokens"`
	ContactViews []ContactView       `json:"contact_views"`
	AsContact    []ContactEntry      `json:"listed_as_contact"` // company contacts with the person's email
	Actions      []sihub.AuditRecord `json:"audit_records"`     // records of the person's actions and of changes to their account
	ExportedAt   time.Time           `json:"exported_at"`
}

// ContactView is one company whose contacts the person viewed.
type ContactView struct {
	CompanyID int64     `json:"company_id"`
	At        time.Time `json:"at"`
}

// ContactEntry is a company contact naming the person.
type ContactEntry struct {
	CompanyID int64         `json:"company_id"`
	Company   string        `json:"company"`
	Contact   sihub.Contact `json:"contact"`
}

// UserData gathers a person's data.
func (db *DB) UserData(ctx context.Context, id int64) (*UserData, error) {
	d := &UserData{ContactViews: []ContactView{}, AsContact: []ContactEntry{}, Actions: []sihub.AuditRecord{}, ExportedAt: db.now()}
	err := db.read(ctx, "user data", func(tx *sql.Tx) error {
		var err error
		if d.User, err = db.userTx(ctx, tx, id); err != nil {
			return err
		}
		if d.Sessions, err = db.userSessions(ctx, tx, id); err != nil {
			return err
		}
		if d.APITokens, err = db.userTokens(ctx, tx, id); err != nil {
			return err
		}

		rows, err := tx.QueryContext(ctx, db.q(`SELECT company_id, at FROM contact_views WHERE user_id = ? ORDER BY at DESC`), id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v ContactView
			if err := rows.Scan(&v.CompanyID, &v.At); err != nil {
				rows.Close()
				return err
			}
			v.At = v.At.UTC()
			d.ContactViews = append(d.ContactViews, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.QueryContext(ctx, db.q(`SELECT c.id, c.name, t.name, t.role, t.email, t.phone
			FROM contacts t JOIN companies c ON c.id = t.company_id
			WHERE LOWER(t.email) = ? ORDER BY c.id, t.position`), d.User.Email)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e ContactEntry
			if err := rows.Scan(&e.CompanyID, &e.Company, &e.Contact.Name, &e.Contact.Role, &e.Contact.Email, &e.Contact.Phone); err != nil {
				rows.Close()
				return err
			}
			d.AsContact = append(d.AsContact, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.QueryContext(ctx, db.q(`SELECT `+auditCols+` FROM audit_log
			WHERE actor_id = ? OR (object_type = 'user' AND object_id = ?) ORDER BY seq`), id, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			d.Actions = append(d.Actions, *r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// contactViewWindow is the period ViewContacts limits views over.
const contactViewWindow = 24 * time.Hour

// ViewContacts records that user viewed company's contacts and reports
// whether they may: a company already viewed in the last 24 hours is free;
// otherwise at most limit distinct companies per 24 hours.
func (db *DB) ViewContacts(ctx context.Context, userID, companyID int64, limit int) (bool, error) {
	viewed := func(tx *sql.Tx, since time.Time) (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM contact_views WHERE user_id = ? AND company_id = ? AND at > ?`),
			userID, companyID, since).Scan(&n)
		return n > 0, err
	}
	// Seeing a company again is the common case, and needs no write.
	var seen bool
	err := db.read(ctx, "view contacts", func(tx *sql.Tx) error {
		var err error
		seen, err = viewed(tx, db.now().Add(-contactViewWindow))
		return err
	})
	if err != nil || seen {
		return seen, err
	}
	var ok bool
	err = db.write(ctx, "view contacts", func(tx *sql.Tx) error {
		now := db.now()
		since := now.Add(-contactViewWindow)
		// Views older than the window count for nothing: they go, and the
		// data kept about the person's browsing with them.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM contact_views WHERE user_id = ? AND at <= ?`), userID, since); err != nil {
			return err
		}
		if seen, err := viewed(tx, since); err != nil || seen {
			ok = seen
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(DISTINCT company_id) FROM contact_views WHERE user_id = ? AND at > ?`),
			userID, since).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return nil
		}
		var exists int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE id = ?`), companyID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return notFound("company", companyID)
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO contact_views (user_id, company_id, at) VALUES (?, ?, ?)`), userID, companyID, now)
		ok = err == nil
		return err
	})
	return ok, err
}

// storableText makes s storable and at most n bytes long, for text that
// comes from outside (a user agent) and is kept as information only.
func storableText(s string, n int) string {
	s = queryValue(s)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// SetNotify sets how user id hears of new opportunities by email
// (audited user.notify).
func (db *DB) SetNotify(ctx context.Context, id int64, m sihub.NotifyMode) error {
	if !m.Valid() {
		msg := sihub.M("Cách nhận thông báo phải là immediate, daily hoặc none.", "The notification mode must be immediate, daily or none.")
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: msg, Fields: []sihub.FieldError{{Field: "notify", Msg: msg}}}
	}
	return db.changeUser(ctx, "set notify", "user.notify", id, func(tx *sql.Tx, u *sihub.User, now time.Time) error {
		if u.Notify == m {
			return nil
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET notify = ?, updated_at = ? WHERE id = ?`), string(m), now, id); err != nil {
			return err
		}
		// Notifications waiting for a digest the person no longer wants
		// stay in their list only: a later return to the daily digest must
		// not email old news.
		_, err := tx.ExecContext(ctx, db.q(`UPDATE notifications SET digest = FALSE WHERE user_id = ? AND digest`), id)
		return err
	})
}
