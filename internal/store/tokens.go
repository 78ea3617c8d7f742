package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
)

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

func linkInvalid() error {
	return sihub.Errorf(sihub.ErrNotFound, "Liên kết không hợp lệ hoặc đã hết hạn.", "This link is invalid or has expired.")
}

// CreateOneTimeToken stores t and returns the secret for the link. A new
// confirm or reset link for a user replaces their unused ones.
func (db *DB) CreateOneTimeToken(ctx context.Context, t OneTimeToken) (string, error) {
	var p sihub.Problems
	switch t.Purpose {
	case PurposeConfirm, PurposeReset:
		if t.UserID == 0 {
			return "", sihub.Errorf(sihub.ErrInvalid, "Liên kết %s cần một người dùng.", "A %s link needs a user.", t.Purpose)
		}
		t.Email, t.Role, t.CompanyID = "", "", 0
	case PurposeInvite:
		t.UserID = 0
		if email, err := sihub.NormalizeEmail(t.Email); err != nil {
			addProblem(&p, "email", err)
		} else {
			t.Email = email
		}
		switch {
		case !t.Role.Valid():
			p.Add("role", sihub.M("Vai trò %q không hợp lệ.", "Role %q is not valid.", t.Role))
		case t.Role.OfCompany() && t.CompanyID == 0:
			p.Add("company_id", sihub.M("Vai trò này cần một doanh nghiệp.", "This role needs a company."))
		case !t.Role.OfCompany() && t.CompanyID != 0:
			p.Add("company_id", sihub.M("Chỉ vai trò của doanh nghiệp mới gắn với một doanh nghiệp.", "Only company roles belong to a company."))
		}
	default:
		return "", sihub.Errorf(sihub.ErrInvalid, "Loại liên kết %q không hợp lệ.", "Link purpose %q is not valid.", t.Purpose)
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	secret := newSecret()
	err := db.write(ctx, "create link", func(tx *sql.Tx) error {
		now := db.now()
		if !t.ExpiresAt.After(now) {
			return sihub.Errorf(sihub.ErrInvalid, "Liên kết phải hết hạn sau thời điểm tạo.", "A link must expire after it is made.")
		}
		var n int
		if t.UserID != 0 {
			u, err := db.userTx(ctx, tx, t.UserID)
			if err != nil {
				return err
			}
			if u.Status == sihub.StatusErased {
				return userErased(u.ID)
			}
			// A new link replaces the unused ones: only the latest email works.
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM one_time_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL`),
				t.UserID, t.Purpose); err != nil {
				return err
			}
		} else {
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE email = ?`), t.Email).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return emailTaken()
			}
			if t.CompanyID != 0 {
				if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE id = ?`), t.CompanyID).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return notFound("company", t.CompanyID)
				}
			}
		}
		if t.CreatedBy != 0 {
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE id = ?`), t.CreatedBy).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return userNotFound(t.CreatedBy)
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM one_time_tokens WHERE expires_at <= ?`), now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO one_time_tokens
			(hash, purpose, user_id, email, role, company_id, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			secretHash(secret), t.Purpose, nullID(t.UserID), t.Email, string(t.Role), nullID(t.CompanyID), nullID(t.CreatedBy),
			now, t.ExpiresAt.UTC())
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// oneTimeToken returns the unused, unexpired token of purpose with secret
// in tx, and marks it used when use is set.
func (db *DB) oneTimeToken(ctx context.Context, tx *sql.Tx, purpose, secret string, use bool) (*OneTimeToken, error) {
	if secret == "" || len(secret) > 100 {
		return nil, linkInvalid()
	}
	hash := secretHash(secret)
	var (
		t                          OneTimeToken
		userID, company, createdBy sql.NullInt64
		used                       sql.NullTime
		role                       string
	)
	err := tx.QueryRowContext(ctx, db.q(`SELECT purpose, user_id, email, role, company_id, created_by, expires_at, used_at
		FROM one_time_tokens WHERE hash = ? AND purpose = ?`), hash, queryValue(purpose)).
		Scan(&t.Purpose, &userID, &t.Email, &role, &company, &createdBy, &t.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkInvalid()
	}
	if err != nil {
		return nil, err
	}
	now := db.now()
	if used.Valid || !now.Before(t.ExpiresAt) {
		return nil, linkInvalid()
	}
	t.UserID, t.CompanyID, t.CreatedBy, t.Role = userID.Int64, company.Int64, createdBy.Int64, sihub.Role(role)
	t.ExpiresAt = t.ExpiresAt.UTC()
	if use {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE one_time_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL`), now, hash)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, linkInvalid()
		}
	}
	return &t, nil
}

// PeekOneTimeToken returns the unused, unexpired token of purpose with
// secret without using it (to show the form it leads to); ErrNotFound
// with a message saying the link is invalid or expired otherwise.
func (db *DB) PeekOneTimeToken(ctx context.Context, purpose, secret string) (*OneTimeToken, error) {
	var t *OneTimeToken
	err := db.read(ctx, "get link", func(tx *sql.Tx) error {
		var err error
		t, err = db.oneTimeToken(ctx, tx, purpose, secret, false)
		return err
	})
	return t, err
}

// UseOneTimeToken is PeekOneTimeToken that also marks the token used, so
// that a second use fails.
func (db *DB) UseOneTimeToken(ctx context.Context, purpose, secret string) (*OneTimeToken, error) {
	var t *OneTimeToken
	err := db.write(ctx, "use link", func(tx *sql.Tx) error {
		var err error
		t, err = db.oneTimeToken(ctx, tx, purpose, secret, true)
		return err
	})
	return t, err
}

// AcceptInvitation uses an invite secret and creates, in one transaction,
// the invited user: active, email confirmed, with the invitation's role and
// company, name, password and lang (audited). ErrConflict when the email
// has an account meanwhile.
func (db *DB) AcceptInvitation(ctx context.Context, secret, name, password string, lang sihub.Lang, consent bool) (*sihub.User, error) {
	inv, err := db.PeekOneTimeToken(ctx, PurposeInvite, secret)
	if err != nil {
		return nil, err
	}
	nu := NewUser{Email: inv.Email, Name: strings.TrimSpace(name), Password: password, Role: inv.Role, CompanyID: inv.CompanyID,
		Status: sihub.StatusActive, EmailConfirmed: true, Lang: sihub.ParseLang(string(lang)), Consent: true}
	var p sihub.Problems
	checkPersonName(&p, nu.Name)
	if err := sihub.CheckPassword(password, nu.Email); err != nil {
		addProblem(&p, "password", err)
	}
	checkConsent(&p, consent)
	if err := p.Err(); err != nil {
		return nil, err
	}
	hash := hashPassword(password)
	// The person following the link makes their account: the trail names
	// them rather than "anonymous".
	if a := sihub.ActorFrom(ctx); a.UserID == 0 {
		ctx = sihub.WithActor(ctx, sihub.Actor{Label: inv.Email, IP: a.IP})
	}
	var u *sihub.User
	err = db.write(ctx, "accept invitation", func(tx *sql.Tx) error {
		inv, err := db.oneTimeToken(ctx, tx, PurposeInvite, secret, true)
		if err != nil {
			return err
		}
		// An invitation is worth what its sender may still do: one sent by
		// someone since disabled or demoted no longer admits anyone.
		if inv.CreatedBy != 0 {
			by, err := db.userTx(ctx, tx, inv.CreatedBy)
			if sihub.ErrorCode(err) == sihub.ErrNotFound {
				return linkInvalid()
			}
			if err != nil {
				return err
			}
			if !(&sihub.Principal{User: by}).CanInvite(inv.Role, inv.CompanyID) {
				return linkInvalid()
			}
		}
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

// apiTokenPrefix starts every API token's secret, so that a leaked token
// is recognizable (by secret scanners, too).
const apiTokenPrefix = "sihub_"

// tokenCols are the columns tokenRow.ptrs reads, from api_tokens t.
const tokenCols = `t.id, t.user_id, t.name, t.prefix, t.scope, t.created_at, t.last_used_at, t.revoked_at`

// tokenRow is an API token as scanned.
type tokenRow struct {
	t             sihub.APIToken
	scope         string
	used, revoked sql.NullTime
}

func (r *tokenRow) ptrs() []any {
	return []any{&r.t.ID, &r.t.UserID, &r.t.Name, &r.t.Prefix, &r.scope, &r.t.CreatedAt, &r.used, &r.revoked}
}

func (r *tokenRow) token() sihub.APIToken {
	x := r.t
	x.Scope, x.CreatedAt = sihub.TokenScope(r.scope), x.CreatedAt.UTC()
	x.LastUsedAt, x.RevokedAt = utcTime(r.used), utcTime(r.revoked)
	return x
}

func (db *DB) apiToken(ctx context.Context, tx *sql.Tx, userID, id int64) (*sihub.APIToken, error) {
	var r tokenRow
	err := tx.QueryRowContext(ctx, db.q(`SELECT `+tokenCols+` FROM api_tokens t WHERE t.id = ? AND t.user_id = ?`), id, userID).Scan(r.ptrs()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy mã truy cập API #%d.", "API token #%d was not found.", id)
	}
	if err != nil {
		return nil, err
	}
	t := r.token()
	return &t, nil
}

// CreateAPIToken creates a named token for user and returns its secret
// (shown once; only its SHA-256 is kept). Audited.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string, scope sihub.TokenScope) (string, *sihub.APIToken, error) {
	name = strings.TrimSpace(name)
	var p sihub.Problems
	switch {
	case name == "":
		p.Add("name", sihub.M("Đặt tên cho mã truy cập, ví dụ tên chương trình sẽ dùng nó.", "Name the token, e.g. after the program that will use it."))
	case utf8.RuneCountInString(name) > sihub.MaxTokenName:
		p.Add("name", sihub.M("Tối đa %d ký tự.", "At most %d characters.", sihub.MaxTokenName))
	case !storable(name):
		p.Add("name", sihub.M("Tên chứa ký tự không hợp lệ.", "The name contains characters that are not allowed."))
	}
	if scope != sihub.ScopeRead && scope != sihub.ScopeWrite {
		p.Add("scope", sihub.M("Quyền của mã phải là read hoặc write.", "The scope must be read or write."))
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	secret := apiTokenPrefix + newSecret()
	var tok *sihub.APIToken
	err := db.write(ctx, "create API token", func(tx *sql.Tx) error {
		u, err := db.userTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Status == sihub.StatusErased {
			return userErased(userID)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO api_tokens (user_id, name, prefix, hash, scope, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), userID, name, secret[:12], secretHash(secret), string(scope), db.now()).Scan(&id); err != nil {
			return err
		}
		if tok, err = db.apiToken(ctx, tx, userID, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "token.create", "token", id, nil, tok)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// APITokens lists user's tokens, revoked ones included, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]sihub.APIToken, error) {
	var out []sihub.APIToken
	err := db.read(ctx, "list API tokens", func(tx *sql.Tx) error {
		var err error
		out, err = db.userTokens(ctx, tx, userID)
		return err
	})
	return out, err
}

// userTokens lists user's tokens in tx, newest first.
func (db *DB) userTokens(ctx context.Context, tx *sql.Tx, userID int64) ([]sihub.APIToken, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+tokenCols+` FROM api_tokens t WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC`), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []sihub.APIToken{}
	for rows.Next() {
		var r tokenRow
		if err := rows.Scan(r.ptrs()...); err != nil {
			return nil, err
		}
		out = append(out, r.token())
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes user's token id (audited); ErrNotFound when user
// has no such token.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	return db.write(ctx, "revoke API token", func(tx *sql.Tx) error {
		before, err := db.apiToken(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return nil // revoked already
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`), db.now(), id); err != nil {
			return err
		}
		after, err := db.apiToken(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "token.revoke", "token", id, before, after)
	})
}

func tokenInvalid() error {
	return sihub.Errorf(sihub.ErrUnauthorized, "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.", "The API token is invalid or has been revoked.")
}

// TokenUser returns the user and token of an API secret; ErrUnauthorized
// when unknown or revoked, or when the user is no longer active. It records
// the time of use at most once a minute.
func (db *DB) TokenUser(ctx context.Context, secret string) (*sihub.User, *sihub.APIToken, error) {
	if !strings.HasPrefix(secret, apiTokenPrefix) || len(secret) > 100 {
		return nil, nil, tokenInvalid()
	}
	hash := secretHash(secret)
	var (
		u *sihub.User
		r tokenRow
	)
	err := db.read(ctx, "get API token", func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, `+tokenCols+
			` FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN companies c ON c.id = u.company_id
			WHERE t.hash = ?`), hash), r.ptrs()...)
		if errors.Is(err, sql.ErrNoRows) {
			return tokenInvalid()
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	tok := r.token()
	if tok.RevokedAt != nil || !u.Active() {
		return nil, nil, tokenInvalid()
	}
	if now := db.now(); tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= seenEvery {
		err := db.write(ctx, "use API token", func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, tok.ID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		tok.LastUsedAt = &now
	}
	return u, &tok, nil
}
