package sihub

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user does in SIHub. Every user belongs to one
// organisation, and the role says which kind: the center, the city's
// Department, or a company in the directory.
type Role string

const (
	RoleCenterAdmin   Role = "center_admin"   // the center's administrators: users, roles, audit log
	RoleCenterStaff   Role = "center_staff"   // the center's staff: verify companies, import, edit all
	RoleCompanyAdmin  Role = "company_admin"  // a company's administrator: its profile and its people
	RoleCompanyMember Role = "company_member" // a company's employee: its profile
	RoleOfficial      Role = "official"       // the city's Department: reads the directory and reports
)

// Roles lists every role, from the most to the least powerful.
var Roles = []Role{RoleCenterAdmin, RoleCenterStaff, RoleCompanyAdmin, RoleCompanyMember, RoleOfficial}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// OfCompany reports whether r belongs to a company, so that a user with it
// must name one.
func (r Role) OfCompany() bool { return r == RoleCompanyAdmin || r == RoleCompanyMember }

// OfCenter reports whether r is one of the center's.
func (r Role) OfCenter() bool { return r == RoleCenterAdmin || r == RoleCenterStaff }

// Org names the kind of organisation r belongs to: "center", "department"
// or "company".
func (r Role) Org() string {
	switch {
	case r.OfCenter():
		return "center"
	case r == RoleOfficial:
		return "department"
	}
	return "company"
}

// UserStatus is where a user's membership of their organisation stands.
type UserStatus string

const (
	// StatusPending: signed up and asked to join a company; someone who
	// may decide has not yet.
	StatusPending  UserStatus = "pending"
	StatusActive   UserStatus = "active"
	StatusRejected UserStatus = "rejected" // the request to join was refused
	StatusDisabled UserStatus = "disabled" // removed from the organisation by its admin or staff
	StatusErased   UserStatus = "erased"   // personal data erased at the person's request
)

// User is a person who signs in.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"` // lower case, unique
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	// CompanyID is the company a company role belongs to (0 otherwise);
	// the store fills Company* from the directory when it reads a user.
	CompanyID       int64      `json:"company_id,omitempty"`
	CompanyName     string     `json:"company_name,omitempty"`
	CompanyTaxCode  string     `json:"company_tax_code,omitempty"`
	CompanyVerified bool       `json:"company_verified,omitempty"`
	CompanyKind     Kind       `json:"company_kind,omitempty"`
	Status          UserStatus `json:"status"`
	EmailConfirmed  *time.Time `json:"email_confirmed_at,omitempty"`
	Lang            Lang       `json:"lang"`
	ConsentAt       *time.Time `json:"consent_at,omitempty"` // accepted the privacy notice
	Notify          NotifyMode `json:"notify"`               // how new opportunities reach them by email
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Active reports whether u may act in their role: membership approved and
// email confirmed.
func (u *User) Active() bool {
	return u != nil && u.Status == StatusActive && u.EmailConfirmed != nil
}

// Limits on account fields.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256 // bytes; argon2 takes any length, the limit keeps requests small
	MaxUserName    = 200
	MaxEmail       = 254
	MaxTokenName   = 100
)

// NormalizeEmail returns the address in the form users are stored and
// found by (trimmed, lower case), or an error saying what is wrong.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	bad := &Error{Code: ErrInvalid, Msg: M("Địa chỉ email không hợp lệ.", "The email address is not valid."),
		Fields: []FieldError{{Field: "email", Msg: M("Nhập một địa chỉ email, ví dụ ten@congty.vn.", "Enter an email address, e.g. name@company.com.")}}}
	if s == "" || len(s) > MaxEmail {
		return "", bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", bad
	}
	return s, nil
}

// CheckPassword tells whether password may be used by the person with
// email: at least MinPasswordLen characters, not one of the commonly used
// passwords (commonpasswords.go), not the email address or its name part.
func CheckPassword(password, email string) error {
	fail := func(vi, en string, args ...any) error {
		return &Error{Code: ErrInvalid, Msg: M("Mật khẩu chưa đủ an toàn.", "The password is not safe enough."),
			Fields: []FieldError{{Field: "password", Msg: M(vi, en, args...)}}}
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return fail("Mật khẩu cần ít nhất %d ký tự.", "The password needs at least %d characters.", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fail("Mật khẩu dài quá %d byte.", "The password is longer than %d bytes.", MaxPasswordLen)
	case !utf8.ValidString(password) || strings.ContainsRune(password, 0):
		return fail("Mật khẩu chứa ký tự không hợp lệ.", "The password contains characters that are not allowed.")
	}
	lower := strings.ToLower(password)
	if email != "" {
		local, _, _ := strings.Cut(strings.ToLower(email), "@")
		if lower == strings.ToLower(email) || len(local) >= 4 && strings.Contains(lower, local) && n-len(local) < 6 {
			return fail("Mật khẩu không được giống địa chỉ email.", "The password must not resemble the email address.")
		}
	}
	if IsCommonPassword(password) {
		return fail("Mật khẩu này quá phổ biến và dễ bị đoán; hãy chọn một cụm từ dài hơn, riêng của bạn.",
			"This password is too common and easily guessed; choose a longer phrase of your own.")
	}
	return nil
}

// CheckUserName validates a person's display name.
func CheckUserName(name string) error {
	if utf8.RuneCountInString(name) > MaxUserName || !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
		return &Error{Code: ErrInvalid, Msg: M("Họ tên không hợp lệ.", "The name is not valid."),
			Fields: []FieldError{{Field: "name", Msg: M("Tối đa %d ký tự.", "At most %d characters.", MaxUserName)}}}
	}
	return nil
}

// TokenScope is what an API token may do.
type TokenScope string

const (
	ScopeRead  TokenScope = "read"  // GET requests only
	ScopeWrite TokenScope = "write" // everything its user may do
)

// APIToken describes a token; its secret is shown once and only its hash
// is kept.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters, to tell tokens apart
	Scope      TokenScope `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Session describes a signed-in browser, for the "where you are signed in"
// list; the id itself is never shown.
type Session struct {
	ID         string    `json:"-"` // the hash of the cookie value
	UserID     int64     `json:"user_id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

// Actor is who makes a change, for the audit trail: a signed-in user, or
// an operator at the command line (UserID 0).
type Actor struct {
	UserID int64
	Label  string // the user's email, or e.g. "cli" for the operator
	IP     string
}

type actorKey struct{}

// WithActor returns ctx carrying a, for the store to write into the audit
// trail with every change made under ctx.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries, or the operator ("system") when
// none was set.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "system"}
}
