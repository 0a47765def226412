package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"modernc.org/sqlite"

	"hrbridge/server/paging"
)

// Repositories for access control: users, browser sessions, API tokens and
// failed sign-ins. Not found is gorm.ErrRecordNotFound.

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either dialect (GORM translates PostgreSQL's; modernc's SQLite error is
// read by its extended code).
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555 // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
	}
	return false
}

// Micro is t in UTC to the microsecond: what PostgreSQL keeps, so a time
// read back compares equal to the one written (keyset cursors rely on it).
func Micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// CreateUser inserts u; a taken e-mail is a unique violation.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	return s.DB.WithContext(ctx).Create(u).Error
}

// UserByEmail finds an enabled user by e-mail, ignoring case (a disabled
// user cannot sign in: they are not found).
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.DB.WithContext(ctx).Where("lower(email) = ? AND disabled_at IS NULL", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id string) (*User, error) {
	var u User
	if err := s.DB.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// CountUsers counts every user.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// CreateSession inserts a browser session.
func (s *Store) CreateSession(ctx context.Context, se *Session) error {
	return s.DB.WithContext(ctx).Create(se).Error
}

// SessionWithUser returns the session with id (the hash of its cookie) and
// its user (id, e-mail and role only), revoked or not; the caller checks
// expiry and revocation. It runs on every signed-in request: one joined,
// prepared query.
func (s *Store) SessionWithUser(ctx context.Context, id string) (*Session, *User, error) {
	var row struct {
		Session
		OwnerEmail, OwnerRole string
	}
	err := s.hot.WithContext(ctx).Raw(`SELECT s.*, u.email AS owner_email, u.role AS owner_role
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL WHERE s.id = ?`, id).Scan(&row).Error
	if err == nil && row.ID == "" {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return &row.Session, &User{ID: row.UserID, Email: row.OwnerEmail, Role: row.OwnerRole}, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return s.DB.WithContext(ctx).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", Micro(at)).Error
}

// RevokeSession ends a session; revoking twice is harmless.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	return s.DB.WithContext(ctx).Model(&Session{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", Micro(at)).Error
}

// DeleteSessionsBefore deletes sessions that expired (or were revoked)
// before t: they can no longer be used and need not be kept.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t time.Time) error {
	return s.DB.WithContext(ctx).Where("expires_at < ? OR revoked_at < ?", Micro(t), Micro(t)).Delete(&Session{}).Error
}

// CreateAPIToken inserts a token (its hash, never the token).
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	return s.DB.WithContext(ctx).Create(t).Error
}

// APITokenByHash returns the token with this hash and its owner (id, e-mail
// and role only), revoked or not; the caller checks expiry and revocation.
// It runs on every integrator request: one joined, prepared query.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (*APIToken, *User, error) {
	var row struct {
		APIToken
		OwnerEmail, OwnerRole string
	}
	err := s.hot.WithContext(ctx).Raw(`SELECT t.*, u.email AS owner_email, u.role AS owner_role
		FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.disabled_at IS NULL WHERE t.token_hash = ?`, hash).Scan(&row).Error
	if err == nil && row.ID == "" {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return &row.APIToken, &User{ID: row.UserID, Email: row.OwnerEmail, Role: row.OwnerRole}, nil
}

// APITokenWithOwner is a token and its owner's e-mail, for listing.
type APITokenWithOwner struct {
	APIToken
	OwnerEmail string
}

// ListAPITokens lists tokens newest first, limit at a time, after the
// keyset position after (nil: from the start).
func (s *Store) ListAPITokens(ctx context.Context, limit int, after *paging.Cursor) ([]APITokenWithOwner, error) {
	q := s.DB.WithContext(ctx).Model(&APIToken{})
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", Micro(after.Time), Micro(after.Time), after.ID)
	}
	var toks []APIToken
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&toks).Error; err != nil {
		return nil, err
	}
	emails := map[string]string{}
	var ids []string
	for _, t := range toks {
		if _, ok := emails[t.UserID]; !ok {
			emails[t.UserID] = ""
			ids = append(ids, t.UserID)
		}
	}
	if len(ids) > 0 {
		var users []User
		if err := s.DB.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, err
		}
		for _, u := range users {
			emails[u.ID] = u.Email
		}
	}
	out := make([]APITokenWithOwner, len(toks))
	for i, t := range toks {
		out[i] = APITokenWithOwner{APIToken: t, OwnerEmail: emails[t.UserID]}
	}
	return out, nil
}

// APITokenByID returns one token.
func (s *Store) APITokenByID(ctx context.Context, id string) (*APIToken, error) {
	var t APIToken
	if err := s.DB.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, err
	}
	return &t, nil
}

// RevokeAPIToken revokes a token (again is harmless) and returns it.
func (s *Store) RevokeAPIToken(ctx context.Context, id string, at time.Time) (*APIToken, error) {
	if err := s.DB.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", Micro(at)).Error; err != nil {
		return nil, err
	}
	return s.APITokenByID(ctx, id)
}

// TouchAPIToken records a token's use.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	return s.DB.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).Update("last_used_at", Micro(at)).Error
}

// AddLoginFailure records a failed sign-in (or reserves an attempt, which
// counts as a failure until DeleteLoginFailure forgets it) and returns its id.
func (s *Store) AddLoginFailure(ctx context.Context, email, ip string, at time.Time) (int64, error) {
	f := &LoginFailure{Email: strings.ToLower(strings.TrimSpace(email)), IP: ip, CreatedAt: Micro(at)}
	err := s.DB.WithContext(ctx).Create(f).Error
	return f.ID, err
}

// DeleteLoginFailure forgets one reserved attempt (it succeeded).
func (s *Store) DeleteLoginFailure(ctx context.Context, id int64) error {
	return s.DB.WithContext(ctx).Where("id = ?", id).Delete(&LoginFailure{}).Error
}

// Advisory lock classes of LoginLocked (PostgreSQL).
const (
	loginLockAddress = 0x68726c61 // "hrla"
	loginLockAccount = 0x68726c65 // "hrle"
)

// LoginLocked runs fn in a transaction that no other LoginLocked for the same
// e-mail or client address runs alongside, on every instance sharing the
// database: count and reserve a sign-in attempt in fn, and concurrent
// attempts cannot all see the count below the limit. On PostgreSQL it takes
// transaction-scoped advisory locks (address first, then account, always in
// this order, so two attempts never wait on each other in a cycle); SQLite's
// transactions begin IMMEDIATE, which already admits one writer at a time.
func (s *Store) LoginLocked(ctx context.Context, email, ip string, fn func(tx *Store) error) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.Dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", loginLockAddress, ip).Error; err != nil {
				return err
			}
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", loginLockAccount, strings.ToLower(strings.TrimSpace(email))).Error; err != nil {
				return err
			}
		}
		return fn(&Store{DB: tx, SQL: s.SQL, Dialect: s.Dialect, hot: tx})
	})
}

// LoginFailureAccounts counts the distinct e-mails with failed sign-ins from
// a client address after a time. When there are at least n, it also returns
// the n-th newest of their latest failures: when it leaves the window, fewer
// than n accounts remain.
func (s *Store) LoginFailureAccounts(ctx context.Context, ip string, since time.Time, n int) (count int64, nth time.Time, err error) {
	// Few rows: attempts are reserved only below the limits, so an address
	// has at most about AddressLimit × AccountLimit rows in the window.
	var fs []LoginFailure
	if err = s.DB.WithContext(ctx).Where("ip = ? AND created_at > ?", ip, Micro(since)).Find(&fs).Error; err != nil {
		return 0, nth, err
	}
	latest := map[string]time.Time{}
	for _, f := range fs {
		if f.CreatedAt.After(latest[f.Email]) {
			latest[f.Email] = f.CreatedAt
		}
	}
	count = int64(len(latest))
	if count < int64(n) || n < 1 {
		return count, nth, nil
	}
	ts := make([]time.Time, 0, len(latest))
	for _, t := range latest {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].After(ts[j]) })
	return count, ts[n-1], nil
}

// SignedInFrom reports whether the user with this e-mail has a session that
// was started from this client address after a time.
func (s *Store) SignedInFrom(ctx context.Context, email, ip string, since time.Time) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&Session{}).Joins("JOIN users u ON u.id = sessions.user_id").
		Where("lower(u.email) = ? AND sessions.ip = ? AND sessions.created_at > ?", strings.ToLower(strings.TrimSpace(email)), ip, Micro(since)).
		Count(&n).Error
	return n > 0, err
}

// LoginFailureWindow counts the failures of an e-mail (or, with byIP, of a
// client address) after a time. When there are at least n, it also returns
// the time of the n-th newest: the moment it leaves the window is when the
// count drops below n again.
func (s *Store) LoginFailureWindow(ctx context.Context, key string, byIP bool, since time.Time, n int) (count int64, nth time.Time, err error) {
	col := "email"
	if !byIP {
		key = strings.ToLower(strings.TrimSpace(key))
	} else {
		col = "ip"
	}
	q := func() *gorm.DB {
		return s.DB.WithContext(ctx).Model(&LoginFailure{}).Where(col+" = ? AND created_at > ?", key, Micro(since))
	}
	if err = q().Count(&count).Error; err != nil || count < int64(n) || n < 1 {
		return count, nth, err
	}
	var f LoginFailure
	if err = q().Order("created_at DESC").Offset(n - 1).Limit(1).Take(&f).Error; err != nil {
		return count, nth, err
	}
	return count, f.CreatedAt, nil
}

// ClearLoginFailures forgets an account's failures (after a successful sign-in).
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	return s.DB.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Delete(&LoginFailure{}).Error
}

// PruneLoginFailures deletes failures older than t.
func (s *Store) PruneLoginFailures(ctx context.Context, t time.Time) error {
	return s.DB.WithContext(ctx).Where("created_at < ?", Micro(t)).Delete(&LoginFailure{}).Error
}

// Resealer re-encrypts secrets under its current key (a *secrets.Box).
type Resealer interface {
	IsCurrent(ciphertext []byte) bool
	Decrypt(ciphertext []byte) (string, error)
	Encrypt(plaintext string) ([]byte, error)
}

// ResealConnectionSecrets re-encrypts the connection settings' secret
// columns that were sealed with an earlier key, after a key rotation. Each
// column is replaced only if it still holds what was read, so instances
// starting together do not overwrite each other. It returns the columns
// re-encrypted; a column the Box cannot open is an error naming it (never
// its content).
func (s *Store) ResealConnectionSecrets(ctx context.Context, box Resealer) ([]string, error) {
	var cs ConnectionSettings
	err := s.DB.WithContext(ctx).Where("id = ?", 1).Take(&cs).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var done []string
	var errs []error
	for _, col := range []struct {
		name string
		ct   []byte
	}{{"smarthr_access_token_enc", cs.SmartHRAccessTokenEnc}, {"jobkan_client_secret_enc", cs.JobkanClientSecretEnc}} {
		if len(col.ct) == 0 || box.IsCurrent(col.ct) {
			continue
		}
		pt, err := box.Decrypt(col.ct)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", col.name, err))
			continue
		}
		nct, err := box.Encrypt(pt)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", col.name, err))
			continue
		}
		res := s.DB.WithContext(ctx).Model(&ConnectionSettings{}).Where("id = ? AND "+col.name+" = ?", 1, col.ct).Update(col.name, nct)
		if res.Error != nil {
			errs = append(errs, fmt.Errorf("%s: %w", col.name, res.Error))
			continue
		}
		if res.RowsAffected > 0 {
			done = append(done, col.name)
		}
	}
	return done, errors.Join(errs...)
}
