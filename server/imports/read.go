package imports

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/store"
)

// Get returns one import, or a 404.
func (s *Service) Get(ctx context.Context, id string) (store.Import, error) {
	var imp store.Import
	err := s.st.DB.WithContext(ctx).Take(&imp, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return imp, problem.NotFound("No import " + id + ".")
	}
	return imp, err
}

// Filter selects imports for 連携履歴.
type Filter struct {
	Direction, Status string
	Since, Until      *time.Time // created at or after Since, before Until
	Limit             int
	Cursor            string
}

// badCursor is the answer to a cursor this API did not give: a 400, never
// an empty page.
func badCursor() error {
	return problem.BadRequest("The cursor is not one this API gave.", problem.FieldError{Location: "query.cursor", Message: "malformed"})
}

// List returns imports newest first, and the cursor of the next page ("" at
// the end).
func (s *Service) List(ctx context.Context, f Filter) ([]store.Import, string, error) {
	q := s.st.DB.WithContext(ctx).Model(&store.Import{})
	if f.Direction != "" {
		q = q.Where("direction = ?", f.Direction)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Since != nil {
		q = q.Where("created_at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		q = q.Where("created_at < ?", f.Until.UTC())
	}
	c, err := paging.Parse(f.Cursor, paging.Keyset)
	if err != nil {
		return nil, "", badCursor()
	}
	if c != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", c.Time, c.Time, c.ID)
	}
	return paging.Fetch(paging.List.Clamp(f.Limit), func(n int) (out []store.Import, err error) {
		return out, q.Order("created_at DESC, id DESC").Limit(n).Find(&out).Error
	}, func(last store.Import) paging.Cursor { return paging.At(last.CreatedAt, last.ID) })
}

// ResultQuery selects results of one import.
type ResultQuery struct {
	Statuses []string // pending includes the employees being written
	Limit    int      // 0: every result (CSV)
	Cursor   string
}

// Results returns an import's results in selection order, and the next
// cursor. An unknown import is a 404.
func (s *Service) Results(ctx context.Context, id string, q ResultQuery) ([]store.ImportResult, string, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, "", err
	}
	db := s.st.DB.WithContext(ctx).Where("import_id = ?", id)
	if len(q.Statuses) > 0 {
		st := append([]string(nil), q.Statuses...)
		for _, v := range q.Statuses {
			if v == ResultPending {
				st = append(st, ResultWriting)
			}
		}
		db = db.Where("status IN ?", st)
	}
	c, err := paging.Parse(q.Cursor, paging.Position)
	if err != nil {
		return nil, "", badCursor()
	}
	if c != nil {
		db = db.Where("position > ?", c.Pos)
	}
	db = db.Order("position")
	if q.Limit <= 0 {
		var out []store.ImportResult
		return out, "", db.Find(&out).Error
	}
	return paging.Fetch(paging.List.Clamp(q.Limit), func(n int) (out []store.ImportResult, err error) {
		return out, db.Limit(n).Find(&out).Error
	}, func(last store.ImportResult) paging.Cursor { return paging.After(last.Position) })
}

// Notifications returns a user's notifications newest first, the next
// cursor, and how many are unread in all.
func (s *Service) Notifications(ctx context.Context, userID string, unreadOnly bool, limit int, cursor string) ([]store.Notification, string, int64, error) {
	db := s.st.DB.WithContext(ctx)
	var unread int64
	if err := db.Model(&store.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&unread).Error; err != nil {
		return nil, "", 0, err
	}
	q := db.Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	c, err := paging.Parse(cursor, paging.Keyset)
	if err != nil {
		return nil, "", 0, badCursor()
	}
	if c != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", c.Time, c.Time, c.ID)
	}
	out, next, err := paging.Fetch(paging.List.Clamp(limit), func(n int) (out []store.Notification, err error) {
		return out, q.Order("created_at DESC, id DESC").Limit(n).Find(&out).Error
	}, func(last store.Notification) paging.Cursor { return paging.At(last.CreatedAt, last.ID) })
	return out, next, unread, err
}

// MarkRead marks one of the user's notifications read; another user's, or
// none, is a 404.
func (s *Service) MarkRead(ctx context.Context, userID, id string) (store.Notification, error) {
	db := s.st.DB.WithContext(ctx)
	if err := db.Model(&store.Notification{}).Where("id = ? AND user_id = ? AND read_at IS NULL", id, userID).
		Update("read_at", now()).Error; err != nil {
		return store.Notification{}, err
	}
	var n store.Notification
	err := db.Take(&n, "id = ? AND user_id = ?", id, userID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return n, problem.NotFound("No notification " + id + ".")
	}
	return n, err
}

// Wait polls an import until it has ended or ctx ends (for tests and tools).
func (s *Service) Wait(ctx context.Context, id string) (store.Import, error) {
	for {
		imp, err := s.Get(ctx, id)
		if err != nil || Finished(imp.Status) {
			return imp, err
		}
		select {
		case <-ctx.Done():
			return imp, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
