package store

import (
	"context"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// SKELETON: signatures agreed between the store and web; bodies to be written.

// CreateSession starts a session for user and returns the secret for the
// cookie; the table keeps only its SHA-256.
func (db *DB) CreateSession(ctx context.Context, userID int64, ip, userAgent string, ttl time.Duration) (string, error) {
	panic("todo")
}

// SessionUser returns the user and session of a cookie secret;
// ErrUnauthorized when unknown or expired. It records the time seen at most
// once a minute.
func (db *DB) SessionUser(ctx context.Context, secret string) (*sihub.User, *sihub.Session, error) {
	panic("todo")
}

// DeleteSession ends the session of a cookie secret (signing out here).
func (db *DB) DeleteSession(ctx context.Context, secret string) error { panic("todo") }

// DeleteSessionByID ends one of user's sessions by its id (the hash), from
// the list of where they are signed in.
func (db *DB) DeleteSessionByID(ctx context.Context, userID int64, id string) error { panic("todo") }

// DeleteUserSessions ends every session of user (signing out everywhere).
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error { panic("todo") }

// Sessions lists user's live sessions, newest first.
func (db *DB) Sessions(ctx context.Context, userID int64) ([]sihub.Session, error) { panic("todo") }
