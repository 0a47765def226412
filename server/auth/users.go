package auth

import (
	"context"
	"errors"
	"fmt"

	"hrbridge/server/paging"
	"hrbridge/server/store"
)

// User management for administrators (管理者とユーザー) and the command line:
// role, disabling, language and password resets. The last enabled
// administrator can be neither demoted nor disabled (store.ErrLastAdmin).

// ErrLastAdmin refuses to demote or disable the last enabled administrator.
var ErrLastAdmin = store.ErrLastAdmin

// Languages a user may choose.
const (
	LangJa = "ja"
	LangEn = "en"
)

// ListUsers lists users newest first, disabled ones included.
func (s *Service) ListUsers(ctx context.Context, limit int, after *paging.Cursor) ([]store.User, error) {
	return s.st.ListUsers(ctx, limit, after)
}

// GetUser returns one user (gorm.ErrRecordNotFound when there is none).
func (s *Service) GetUser(ctx context.Context, id string) (*store.User, error) {
	return s.st.UserByID(ctx, id)
}

// UserUpdate is a change by an administrator; nil fields stay.
type UserUpdate struct {
	Role     *string
	Disabled *bool
}

// UpdateUser changes a user's role or enables or disables them. It returns
// the user before and after. A disabled user cannot sign in, their sessions
// end at once and their API tokens stop working (here at once, on other
// instances within TokenCacheFor).
func (s *Service) UpdateUser(ctx context.Context, id string, u UserUpdate) (before, after *store.User, err error) {
	if u.Role != nil && *u.Role != RoleAdmin && *u.Role != RoleViewer {
		return nil, nil, &InvalidError{"body.role", "must be admin or viewer"}
	}
	before, after, err = s.st.ChangeUser(ctx, id, store.UserChange{Role: u.Role, Disabled: u.Disabled}, s.now())
	if err == nil {
		s.forgetTokensOf(id)
	}
	return before, after, err
}

// SetLanguage records the language a user reads hrbridge in (ja or en),
// used for their notifications and mail.
func (s *Service) SetLanguage(ctx context.Context, id, lang string) (*store.User, error) {
	if lang != LangJa && lang != LangEn {
		return nil, &InvalidError{"body.language", "must be ja or en"}
	}
	_, after, err := s.st.ChangeUser(ctx, id, store.UserChange{Language: &lang}, s.now())
	return after, err
}

// ResetPassword sets a new password for the user with this e-mail
// (disabled or not) and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, email, password string) (*store.User, error) {
	if err := validPassword(password); err != nil {
		return nil, err
	}
	u, err := s.st.UserByEmailAny(ctx, NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	_, after, err := s.st.ChangeUser(ctx, u.ID, store.UserChange{PasswordHash: &hash}, s.now())
	return after, err
}

// validPassword applies the rules CreateUser applies.
func validPassword(password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return &InvalidError{"password", fmt.Sprintf("must have at least %d characters", MinPasswordLength)}
	}
	if len(password) > 1000 {
		return &InvalidError{"password", "must have at most 1000 bytes"}
	}
	return nil
}

// forgetTokensOf drops the cached tokens of a user whose role or state
// changed, so that this instance applies the change at once.
func (s *Service) forgetTokensOf(userID string) {
	s.tokens.Range(func(k, v any) bool {
		if c, ok := v.(cachedToken); ok && c.p.UserID == userID {
			s.tokens.Delete(k)
		}
		return true
	})
}

// IsLastAdmin reports whether err is the last-administrator refusal.
func IsLastAdmin(err error) bool { return errors.Is(err, ErrLastAdmin) }

// SetPassword sets a user's password by id and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, id, password string) (*store.User, error) {
	if err := validPassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	_, after, err := s.st.ChangeUser(ctx, id, store.UserChange{PasswordHash: &hash}, s.now())
	return after, err
}
