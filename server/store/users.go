package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrbridge/server/paging"
)

// ErrLastAdmin refuses a change that would leave no enabled administrator.
var ErrLastAdmin = errors.New("this is the last enabled administrator")

// ListUsers lists users newest first, limit at a time, after the position
// after (nil: from the start), disabled ones included.
func (s *Store) ListUsers(ctx context.Context, limit int, after *paging.Cursor) ([]User, error) {
	q := s.DB.WithContext(ctx).Model(&User{})
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", Micro(after.Time), Micro(after.Time), after.ID)
	}
	var out []User
	err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// UserByEmailAny finds a user by e-mail, ignoring case, disabled or not.
func (s *Store) UserByEmailAny(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.DB.WithContext(ctx).Where("lower(email) = lower(?)", email).Take(&u).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// UserChange is what ChangeUser sets; nil fields stay as they are.
type UserChange struct {
	Role         *string
	Disabled     *bool
	Language     *string
	PasswordHash *string
}

// ChangeUser applies ch to the user with id in one transaction, refusing
// (ErrLastAdmin) to demote or disable the last enabled administrator. The
// enabled administrators are locked first (PostgreSQL), so two
// administrators demoting each other at once cannot both succeed; SQLite
// has one writer. A user who is disabled, or whose password changes, loses
// their sessions. Not found is gorm.ErrRecordNotFound.
func (s *Store) ChangeUser(ctx context.Context, id string, ch UserChange, at time.Time) (before, after *User, err error) {
	at = Micro(at)
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		lock := func(q *gorm.DB) *gorm.DB {
			if s.Dialect == Postgres {
				return q.Clauses(clause.Locking{Strength: "UPDATE"})
			}
			return q
		}
		var admins []User
		if err := lock(tx.Model(&User{}).Where("role = ? AND disabled_at IS NULL", "admin")).Order("id").Find(&admins).Error; err != nil {
			return err
		}
		var u User
		if err := lock(tx.Where("id = ?", id)).Take(&u).Error; err != nil {
			return err
		}
		old := u
		before = &old
		if ch.Role != nil {
			u.Role = *ch.Role
		}
		if ch.Disabled != nil {
			switch {
			case *ch.Disabled && u.DisabledAt == nil:
				u.DisabledAt = &at
			case !*ch.Disabled:
				u.DisabledAt = nil
			}
		}
		if ch.Language != nil {
			u.Language = *ch.Language
		}
		if ch.PasswordHash != nil {
			u.PasswordHash = *ch.PasswordHash
		}
		wasAdmin := old.Role == "admin" && old.DisabledAt == nil
		isAdmin := u.Role == "admin" && u.DisabledAt == nil
		if wasAdmin && !isAdmin && len(admins) <= 1 {
			return ErrLastAdmin
		}
		u.UpdatedAt = at
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"role": u.Role, "disabled_at": u.DisabledAt, "language": u.Language, "password_hash": u.PasswordHash, "updated_at": at,
		}).Error; err != nil {
			return err
		}
		if (u.DisabledAt != nil && old.DisabledAt == nil) || ch.PasswordHash != nil {
			if err := tx.Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", id).Update("revoked_at", at).Error; err != nil {
				return err
			}
		}
		after = &u
		return nil
	})
	return before, after, err
}
