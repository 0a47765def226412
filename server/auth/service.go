package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	gosync "sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"hrbridge/server/paging"
	"hrbridge/server/store"
)

// Defaults of a Service (docs/security.md).
const (
	DefaultIdleTimeout     = 12 * time.Hour
	DefaultSessionLifetime = 7 * 24 * time.Hour
	DefaultThrottleWindow  = 15 * time.Minute
	DefaultAccountLimit    = 5  // failed sign-ins per account per window
	DefaultAddressLimit    = 20 // failed sign-ins per client address per window
	// TouchEvery bounds how often a session's last_seen_at and a token's
	// last_used_at are written: at most once a minute each.
	TouchEvery = time.Minute
	// TokenPrefix starts every API token, so that one is recognisable
	// (and findable by secret scanners) wherever it leaks.
	TokenPrefix = "hrb_"
)

// Errors of the Service.
var (
	// ErrBadCredentials is a failed sign-in: the e-mail is unknown or the
	// password wrong (deliberately not said which).
	ErrBadCredentials = errors.New("wrong e-mail or password")
	// ErrUnauthenticated means a session or token is unknown, expired or revoked.
	ErrUnauthenticated = errors.New("not signed in")
	// ErrEmailTaken means a user with this e-mail exists.
	ErrEmailTaken = errors.New("a user with this e-mail already exists")
)

// InvalidError is input that cannot be accepted (a 422).
type InvalidError struct{ Field, Reason string }

func (e *InvalidError) Error() string { return e.Field + ": " + e.Reason }

// ThrottledError means too many failed sign-ins: try again after RetryAfter.
type ThrottledError struct {
	RetryAfter time.Duration
	By         string // "account" or "address"
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins for this %s; try again in %s", e.By, e.RetryAfter.Round(time.Second))
}

// Service is users, sessions and API tokens over the store.
type Service struct {
	st *store.Store
	// Now is the clock (tests move it).
	Now             func() time.Time
	IdleTimeout     time.Duration
	SessionLifetime time.Duration
	ThrottleWindow  time.Duration
	AccountLimit    int
	AddressLimit    int

	// tokens caches verified API tokens for TokenCacheFor: integrators call
	// in bursts, and verifying the same token on every request was a fifth
	// of the API's CPU. Revocation here drops the entry at once; revocation
	// on another instance takes effect within TokenCacheFor.
	tokens gosync.Map // token hash → cachedToken
}

// TokenCacheFor is how long a verified API token is trusted without asking
// the database again.
const TokenCacheFor = time.Second

type cachedToken struct {
	p         Principal
	expiresAt *time.Time
	until     time.Time
}

// NewService returns a Service with the documented defaults.
func NewService(st *store.Store) *Service {
	return &Service{
		st:              st,
		Now:             func() time.Time { return time.Now().UTC() },
		IdleTimeout:     DefaultIdleTimeout,
		SessionLifetime: DefaultSessionLifetime,
		ThrottleWindow:  DefaultThrottleWindow,
		AccountLimit:    DefaultAccountLimit,
		AddressLimit:    DefaultAddressLimit,
	}
}

func (s *Service) now() time.Time { return store.Micro(s.Now()) }

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser adds a user with an argon2id hash of password.
func (s *Service) CreateUser(ctx context.Context, email, password, role string) (*store.User, error) {
	email = NormalizeEmail(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return nil, &InvalidError{"email", "not an e-mail address"}
	}
	if role != RoleAdmin && role != RoleViewer {
		return nil, &InvalidError{"role", "must be admin or viewer"}
	}
	if msg := WeakPassword(password, email); msg != "" {
		return nil, &InvalidError{"password", msg}
	}
	if len(password) > 1000 {
		return nil, &InvalidError{"password", "must have at most 1000 bytes"}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &store.User{ID: uuid.NewString(), Email: email, PasswordHash: hash, Role: role, CreatedAt: now, UpdatedAt: now}
	if err := s.st.CreateUser(ctx, u); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, ErrEmailTaken
		}
		return nil, err
	}
	return u, nil
}

// EnsureFirstAdmin creates an administrator when there is no user at all. It
// returns nil when a user exists (or another instance created one first).
func (s *Service) EnsureFirstAdmin(ctx context.Context, email, password string) (*store.User, error) {
	n, err := s.st.CountUsers(ctx)
	if err != nil || n > 0 {
		return nil, err
	}
	u, err := s.CreateUser(ctx, email, password, RoleAdmin)
	if errors.Is(err, ErrEmailTaken) {
		return nil, nil
	}
	return u, err
}

// NewSession is a signed-in browser session: the cookie values, shown to the
// browser only (the database keeps their hashes).
type NewSession struct {
	Principal Principal
	Token     string // the hrbridge_session cookie
	CSRFToken string // the hrbridge_csrf cookie
	ExpiresAt time.Time
}

// Login checks the e-mail and password and starts a new session. previous,
// the session cookie the browser already had (if any), is revoked: each
// sign-in gets a fresh session id (no session fixation). Too many failures
// for the account or the client address is a *ThrottledError, decided
// before the password is checked: the attempt is first reserved (recorded as
// a failure, atomically with the count, see store.LoginLocked), so that
// concurrent attempts cannot all pass the check; a successful one then
// removes its reservation.
func (s *Service) Login(ctx context.Context, email, password string, c Client, previous string) (*NewSession, error) {
	email = NormalizeEmail(email)
	now := s.now()
	attempt, err := s.reserve(ctx, email, c.IP, now)
	if err != nil {
		return nil, err
	}
	u, err := s.st.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		burnPasswordCheck(password)
		return nil, s.failed(ctx, now)
	case err != nil:
		return nil, err
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("verify the password of %s: %w", u.Email, err)
	}
	if !ok {
		return nil, s.failed(ctx, now)
	}
	if err := s.st.DeleteLoginFailure(ctx, attempt); err != nil {
		slog.WarnContext(ctx, "forget the reserved sign-in attempt", "err", err)
	}
	if err := s.st.ClearLoginFailures(ctx, email); err != nil {
		slog.WarnContext(ctx, "clear login failures", "err", err)
	}
	if previous != "" {
		if err := s.st.RevokeSession(ctx, HashToken(previous), now); err != nil {
			return nil, err
		}
	}
	if err := s.st.DeleteSessionsBefore(ctx, now); err != nil {
		slog.WarnContext(ctx, "delete old sessions", "err", err)
	}
	ns := &NewSession{Token: RandomToken(), CSRFToken: RandomToken(), ExpiresAt: now.Add(s.SessionLifetime)}
	se := &store.Session{
		ID: HashToken(ns.Token), UserID: u.ID, CSRFToken: HashToken(ns.CSRFToken),
		IP: c.IP, UserAgent: truncate(c.UserAgent, 500),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: ns.ExpiresAt,
	}
	if err := s.st.CreateSession(ctx, se); err != nil {
		return nil, err
	}
	ns.Principal = Principal{UserID: u.ID, Email: u.Email, Role: u.Role, Via: ViaSession, SessionID: se.ID}
	return ns, nil
}

// failed ends a failed sign-in: its reservation stays as the failure.
func (s *Service) failed(ctx context.Context, now time.Time) error {
	if err := s.st.PruneLoginFailures(ctx, now.Add(-s.ThrottleWindow)); err != nil {
		slog.WarnContext(ctx, "prune login failures", "err", err)
	}
	return ErrBadCredentials
}

// reserve checks the limits and, below them, records this attempt as a
// failure, in one transaction locked per account and per address; it returns
// the reservation's id. The limits are:
//   - per account: AccountLimit failures within the window;
//   - per address: failures for AddressLimit distinct accounts within the
//     window (password spraying). Repeated failures for one account count
//     once, so one client hammering one account does not lock every other
//     user behind the same address (or proxy) out; and an account that has
//     signed in from this address within the session lifetime is not held
//     back by the address's limit at all (its own limit still applies).
func (s *Service) reserve(ctx context.Context, email, ip string, now time.Time) (int64, error) {
	since := now.Add(-s.ThrottleWindow)
	var id int64
	err := s.st.LoginLocked(ctx, email, ip, func(tx *store.Store) error {
		var worst *ThrottledError
		over := func(n int64, nth time.Time, limit int, by string) {
			if n < int64(limit) {
				return
			}
			wait := nth.Add(s.ThrottleWindow).Sub(now)
			if wait < time.Second {
				wait = time.Second
			}
			if worst == nil || wait > worst.RetryAfter {
				worst = &ThrottledError{RetryAfter: wait, By: by}
			}
		}
		if s.AccountLimit > 0 && email != "" {
			n, nth, err := tx.LoginFailureWindow(ctx, email, false, since, s.AccountLimit)
			if err != nil {
				return err
			}
			over(n, nth, s.AccountLimit, "account")
		}
		if s.AddressLimit > 0 && ip != "" && worst == nil {
			n, nth, err := tx.LoginFailureAccounts(ctx, ip, since, s.AddressLimit)
			if err != nil {
				return err
			}
			if n >= int64(s.AddressLimit) {
				known, err := tx.SignedInFrom(ctx, email, ip, now.Add(-s.SessionLifetime))
				if err != nil {
					return err
				}
				if !known {
					over(n, nth, s.AddressLimit, "address")
				}
			}
		}
		if worst != nil {
			return worst
		}
		var err error
		id, err = tx.AddLoginFailure(ctx, email, ip, now)
		return err
	})
	return id, err
}

// SessionAuth is an authenticated session: who, and the hash of its CSRF token.
type SessionAuth struct {
	Principal Principal
	CSRFHash  string
}

// CSRFValid reports whether the X-CSRF-Token header value matches the session's.
func (a SessionAuth) CSRFValid(header string) bool {
	return header != "" && tokenEqual(header, a.CSRFHash)
}

// Session authenticates a session cookie. An unknown, revoked, idle (no
// request for IdleTimeout) or expired session is ErrUnauthenticated.
func (s *Service) Session(ctx context.Context, token string) (*SessionAuth, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrUnauthenticated
	}
	se, u, err := s.st.SessionWithUser(ctx, HashToken(token))
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("%w: unknown session", ErrUnauthenticated)
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch {
	case se.RevokedAt != nil:
		return nil, fmt.Errorf("%w: the session was signed out", ErrUnauthenticated)
	case !now.Before(se.ExpiresAt):
		return nil, fmt.Errorf("%w: the session expired", ErrUnauthenticated)
	case !now.Before(se.LastSeenAt.Add(s.IdleTimeout)):
		return nil, fmt.Errorf("%w: the session expired after inactivity", ErrUnauthenticated)
	}
	if now.Sub(se.LastSeenAt) >= TouchEvery {
		if err := s.st.TouchSession(ctx, se.ID, now); err != nil {
			slog.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return &SessionAuth{
		Principal: Principal{UserID: u.ID, Email: u.Email, Role: u.Role, Via: ViaSession, SessionID: se.ID},
		CSRFHash:  se.CSRFToken,
	}, nil
}

// Logout revokes the session with this id (Principal.SessionID).
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	return s.st.RevokeSession(ctx, sessionID, s.now())
}

// Token authenticates an API token (the Bearer credential). An unknown,
// revoked or expired token is ErrUnauthenticated. The token acts as its
// owner with the owner's current role, narrowed by its scopes.
func (s *Service) Token(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return Principal{}, fmt.Errorf("%w: not an hrbridge API token", ErrUnauthenticated)
	}
	hash := HashToken(token)
	now := s.now()
	if v, ok := s.tokens.Load(hash); ok {
		c := v.(cachedToken)
		if now.Before(c.until) && (c.expiresAt == nil || now.Before(*c.expiresAt)) {
			return c.p, nil
		}
		s.tokens.Delete(hash)
	}
	t, u, err := s.st.APITokenByHash(ctx, hash)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Principal{}, fmt.Errorf("%w: unknown API token", ErrUnauthenticated)
	}
	if err != nil {
		return Principal{}, err
	}
	switch {
	case t.RevokedAt != nil:
		return Principal{}, fmt.Errorf("%w: the API token was revoked", ErrUnauthenticated)
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return Principal{}, fmt.Errorf("%w: the API token expired", ErrUnauthenticated)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= TouchEvery {
		if err := s.st.TouchAPIToken(ctx, t.ID, now); err != nil {
			slog.WarnContext(ctx, "touch API token", "err", err)
		}
	}
	p := Principal{
		UserID: u.ID, Email: u.Email, Role: u.Role, Via: ViaToken,
		Scopes: SplitScopes(t.Scopes), TokenID: t.ID, TokenName: t.Name,
	}
	s.tokens.Store(hash, cachedToken{p: p, expiresAt: t.ExpiresAt, until: now.Add(TokenCacheFor)})
	return p, nil
}

// SplitScopes reads the stored, comma separated scopes.
func SplitScopes(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// CreateToken makes an API token owned by owner. The secret is returned
// once; only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, owner Principal, name string, scopes []string, expiresAt *time.Time) (*store.APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return nil, "", &InvalidError{"body.name", "must have 1 to 100 characters"}
	}
	var read, imp bool
	for _, sc := range scopes {
		switch sc {
		case ScopeRead:
			read = true
		case ScopeImport:
			imp = true
		default:
			return nil, "", &InvalidError{"body.scopes", fmt.Sprintf("unknown scope %q", sc)}
		}
	}
	var canon []string
	if read {
		canon = append(canon, ScopeRead)
	}
	if imp {
		canon = append(canon, ScopeImport)
	}
	if len(canon) == 0 {
		return nil, "", &InvalidError{"body.scopes", "at least one scope is needed"}
	}
	now := s.now()
	var exp *time.Time
	if expiresAt != nil {
		e := store.Micro(*expiresAt)
		if !e.After(now) {
			return nil, "", &InvalidError{"body.expires_at", "must be in the future"}
		}
		exp = &e
	}
	secret := TokenPrefix + RandomToken()
	t := &store.APIToken{
		ID: uuid.NewString(), Name: name, TokenHash: HashToken(secret), Prefix: secret[:len(TokenPrefix)+8],
		Scopes: strings.Join(canon, ","), UserID: owner.UserID, CreatedAt: now, ExpiresAt: exp,
	}
	if err := s.st.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// ListTokens lists every API token, newest first.
func (s *Service) ListTokens(ctx context.Context, limit int, after *paging.Cursor) ([]store.APITokenWithOwner, error) {
	return s.st.ListAPITokens(ctx, limit, after)
}

// RevokeToken revokes a token at once; gorm.ErrRecordNotFound when there is none.
func (s *Service) RevokeToken(ctx context.Context, id string) (*store.APIToken, error) {
	t, err := s.st.RevokeAPIToken(ctx, id, s.now())
	if err == nil {
		s.tokens.Delete(t.TokenHash)
	}
	return t, err
}

// UserEmail returns a user's e-mail ("" when unknown).
func (s *Service) UserEmail(ctx context.Context, id string) string {
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return ""
	}
	return u.Email
}

// truncate cuts s to at most n bytes of valid UTF-8 (PostgreSQL refuses
// anything else, and a header may hold any bytes).
func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
