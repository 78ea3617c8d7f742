package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// sessionCols are the columns sessionRow.ptrs reads, from sessions s.
const sessionCols = `s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent`

// sessionRow is a session as scanned, its times still in the driver's zone.
type sessionRow struct{ sihub.Session }

func (s *sessionRow) ptrs() []any {
	return []any{&s.ID, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent}
}

func (s *sessionRow) session() sihub.Session {
	x := s.Session
	x.CreatedAt, x.LastSeenAt, x.ExpiresAt = x.CreatedAt.UTC(), x.LastSeenAt.UTC(), x.ExpiresAt.UTC()
	return x
}

// seenEvery is how often a session's last_seen_at (and a token's
// last_used_at) is written: knowing it to the minute is enough, and most
// requests then read only.
const seenEvery = time.Minute

func sessionExpired() error {
	return sihub.Errorf(sihub.ErrUnauthorized, "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.",
		"Your session has ended; please sign in again.")
}

// noAccess reports whether users of status may have neither sessions nor
// API tokens. A rejected person may still sign in, to see where their
// request stands and to download or erase their data; the policy gives
// them nothing else.
func noAccess(status sihub.UserStatus) bool {
	return status == sihub.StatusErased || status == sihub.StatusDisabled
}

// CreateSession starts a session for user and returns the secret for the
// cookie; the table keeps only its SHA-256.
func (db *DB) CreateSession(ctx context.Context, userID int64, ip, userAgent string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", sihub.Errorf(sihub.ErrInvalid, "Thời hạn phiên đăng nhập phải dương.", "The session lifetime must be positive.")
	}
	secret := newSecret()
	err := db.write(ctx, "create session", func(tx *sql.Tx) error {
		now := db.now()
		u, err := db.userTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if noAccess(u.Status) {
			return wrongCredentials()
		}
		// Expired sessions are of no use to anyone: they go as new ones come.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE expires_at <= ?`), now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), secretHash(secret), userID, now, now, now.Add(ttl), storableText(ip, 100), storableText(userAgent, 500))
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// SessionUser returns the user and session of a cookie secret;
// ErrUnauthorized when unknown or expired. It records the time seen at most
// once a minute.
func (db *DB) SessionUser(ctx context.Context, secret string) (*sihub.User, *sihub.Session, error) {
	if secret == "" || len(secret) > 100 {
		return nil, nil, sessionExpired()
	}
	id := secretHash(secret)
	var (
		u *sihub.User
		s sessionRow
	)
	err := db.read(ctx, "get session", func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, `+sessionCols+
			` FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN companies c ON c.id = u.company_id
			WHERE s.id_hash = ?`), id), s.ptrs()...)
		if errors.Is(err, sql.ErrNoRows) {
			return sessionExpired()
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	now := db.now()
	ses := s.session()
	switch {
	case !now.Before(ses.ExpiresAt) || noAccess(u.Status):
		err := db.write(ctx, "end session", func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ?`), id)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, sessionExpired()
	case now.Sub(ses.LastSeenAt) >= seenEvery:
		err := db.write(ctx, "touch session", func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.q(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`), now, id)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		ses.LastSeenAt = now
	}
	ses.Current = true
	return u, &ses, nil
}

// DeleteSession ends the session of a cookie secret (signing out here).
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	return db.write(ctx, "delete session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ?`), secretHash(secret))
		return err
	})
}

// DeleteSessionByID ends one of user's sessions by its id (the hash), from
// the list of where they are signed in.
func (db *DB) DeleteSessionByID(ctx context.Context, userID int64, id string) error {
	return db.write(ctx, "delete session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ? AND user_id = ?`), queryValue(id), userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy phiên đăng nhập này; có thể nó đã kết thúc.",
				"This session was not found; it may have ended already.")
		}
		return nil
	})
}

// DeleteUserSessions ends every session of user (signing out everywhere).
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.write(ctx, "delete sessions", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), userID)
		return err
	})
}

// Sessions lists user's live sessions, newest first.
func (db *DB) Sessions(ctx context.Context, userID int64) ([]sihub.Session, error) {
	var out []sihub.Session
	err := db.read(ctx, "list sessions", func(tx *sql.Tx) error {
		var err error
		out, err = db.userSessions(ctx, tx, userID)
		return err
	})
	return out, err
}

// userSessions lists user's live sessions in tx, newest first.
func (db *DB) userSessions(ctx context.Context, tx *sql.Tx, userID int64) ([]sihub.Session, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+sessionCols+` FROM sessions s
		WHERE s.user_id = ? AND s.expires_at > ? ORDER BY s.created_at DESC, s.id_hash`), userID, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []sihub.Session{}
	for rows.Next() {
		var s sessionRow
		if err := rows.Scan(s.ptrs()...); err != nil {
			return nil, err
		}
		out = append(out, s.session())
	}
	return out, rows.Err()
}
