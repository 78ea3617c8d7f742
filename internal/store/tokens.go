package store

import (
	"context"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// SKELETON: signatures agreed between the store and web; bodies to be written.

// One-time link purposes.
const (
	PurposeConfirm = "confirm" // confirm an email address; UserID set
	PurposeReset   = "reset"   // reset a password; UserID set
	PurposeInvite  = "invite"  // join as Role of CompanyID (0: the center or Department); Email set
)

// OneTimeToken is a link sent by email, usable once before ExpiresAt.
type OneTimeToken struct {
	Purpose   string
	UserID    int64
	Email     string
	Role      sihub.Role
	CompanyID int64
	CreatedBy int64
	ExpiresAt time.Time
}

// CreateOneTimeToken stores t and returns the secret for the link. A new
// confirm or reset link for a user replaces their unused ones.
func (db *DB) CreateOneTimeToken(ctx context.Context, t OneTimeToken) (string, error) { panic("todo") }

// PeekOneTimeToken returns the unused, unexpired token of purpose with
// secret without using it (to show the form it leads to); ErrNotFound
// with a message saying the link is invalid or expired otherwise.
func (db *DB) PeekOneTimeToken(ctx context.Context, purpose, secret string) (*OneTimeToken, error) {
	panic("todo")
}

// UseOneTimeToken is PeekOneTimeToken that also marks the token used, so
// that a second use fails.
func (db *DB) UseOneTimeToken(ctx context.Context, purpose, secret string) (*OneTimeToken, error) {
	panic("todo")
}

// AcceptInvitation uses an invite secret and creates, in one transaction,
// the invited user: active, email confirmed, with the invitation's role and
// company, name, password and lang (audited). ErrConflict when the email
// has an account meanwhile.
func (db *DB) AcceptInvitation(ctx context.Context, secret, name, password string, lang sihub.Lang, consent bool) (*sihub.User, error) {
	panic("todo")
}

// CreateAPIToken creates a named token for user and returns its secret
// (shown once; only its SHA-256 is kept). Audited.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string, scope sihub.TokenScope) (string, *sihub.APIToken, error) {
	panic("todo")
}

// APITokens lists user's tokens, revoked ones included, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]sihub.APIToken, error) { panic("todo") }

// RevokeAPIToken revokes user's token id (audited); ErrNotFound when user
// has no such token.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error { panic("todo") }

// TokenUser returns the user and token of an API secret; ErrUnauthorized
// when unknown or revoked, or when the user is no longer active. It records
// the time of use at most once a minute.
func (db *DB) TokenUser(ctx context.Context, secret string) (*sihub.User, *sihub.APIToken, error) {
	panic("todo")
}
