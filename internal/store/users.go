package store

import (
	"context"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// SKELETON: signatures agreed between the store and web; bodies to be written.

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

// CreateUser validates and adds a user (ErrConflict when the email is
// taken) and appends user.create to the audit trail.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (*sihub.User, error) { panic("todo") }

// SignUpRequest is a company representative's sign-up.
type SignUpRequest struct {
	Email, Name, Password string
	TaxCode               string     // the company's; parsed by sihub.ParseTaxCode
	CompanyName           string     // required when the tax code is not in the directory yet
	Kind                  sihub.Kind // of a new company: supplier, buyer or both
	Lang                  sihub.Lang
	Consent               bool // must be true
}

// SignUp creates, in one transaction, a pending company_member user for the
// company with the tax code, creating that company (unverified) when the
// directory does not have it. The returned bool reports whether the
// company was created. Validation errors name the form fields (email,
// password, name, tax_code, company_name, kind, consent).
func (db *DB) SignUp(ctx context.Context, r SignUpRequest) (*sihub.User, *sihub.Company, bool, error) {
	panic("todo")
}

// User returns user id (ErrNotFound when none).
func (db *DB) User(ctx context.Context, id int64) (*sihub.User, error) { panic("todo") }

// UserByEmail returns the user with email, compared as NormalizeEmail
// writes it (ErrNotFound when none).
func (db *DB) UserByEmail(ctx context.Context, email string) (*sihub.User, error) { panic("todo") }

// UserFilter selects users for Users; zero fields select all.
type UserFilter struct {
	CompanyID int64
	Status    sihub.UserStatus
	Role      sihub.Role
	Query     string // in email or name, case-insensitive
	Limit     int    // 0: 100
	Offset    int
}

// Users returns the users f selects, newest first, and their total.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]*sihub.User, int, error) { panic("todo") }

// JoinDeciders returns the emails of the people who decide requests to join
// company id: its active admins when the company is verified, the center's
// active staff otherwise (and when a verified company has no admin).
func (db *DB) JoinDeciders(ctx context.Context, companyID int64) ([]string, error) { panic("todo") }

// UpdateProfile changes a user's own name and language (audited).
func (db *DB) UpdateProfile(ctx context.Context, id int64, name string, lang sihub.Lang) error {
	panic("todo")
}

// SetRole changes a user's role within their organisation (audited); a
// company role keeps the company.
func (db *DB) SetRole(ctx context.Context, id int64, role sihub.Role) error { panic("todo") }

// SetStatus moves a user to status (audited): approving (pending → active),
// rejecting, disabling and re-enabling. Disabling ends the user's sessions
// and revokes their API tokens.
func (db *DB) SetStatus(ctx context.Context, id int64, status sihub.UserStatus) error { panic("todo") }

// ConfirmEmail records that the user confirmed their address (audited).
func (db *DB) ConfirmEmail(ctx context.Context, id int64) error { panic("todo") }

// SetPassword checks and sets a new password (argon2id) and ends every
// session of the user (audited without the hash).
func (db *DB) SetPassword(ctx context.Context, id int64, password string) error { panic("todo") }

// Authenticate checks email and password. Wrong email and wrong password
// give the same ErrUnauthorized message; too many failures for the email
// (5 in 15 minutes) or from ip (20 in 15 minutes) give ErrRateLimited
// saying how many minutes to wait, before the password is even checked.
// Users that are erased or disabled cannot sign in (the same generic
// message); pending and unconfirmed users can, and see their status.
func (db *DB) Authenticate(ctx context.Context, email, password, ip string) (*sihub.User, error) {
	panic("todo")
}

// EraseUser erases a person's data at their request: the user row keeps
// its id and role but loses email (replaced by erased-ID@invalid), name
// and password; sessions, tokens and contact views go; the audit trail is
// redacted of the email and name (and IPs of the person's own actions).
func (db *DB) EraseUser(ctx context.Context, id int64) error { panic("todo") }

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
func (db *DB) UserData(ctx context.Context, id int64) (*UserData, error) { panic("todo") }

// ViewContacts records that user viewed company's contacts and reports
// whether they may: a company already viewed in the last 24 hours is free;
// otherwise at most limit distinct companies per 24 hours.
func (db *DB) ViewContacts(ctx context.Context, userID, companyID int64, limit int) (bool, error) {
	panic("todo")
}
