package imports

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

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

// timeCursor resumes a list ordered by (created_at, id) descending.
type timeCursor struct {
	T time.Time `json:"t"`
	I string    `json:"i"`
}

func encodeCursor(v any) string {
	raw, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decodeCursor reads a cursor made by encodeCursor. One that does not
// decode, is not byte for byte what encodeCursor makes of its own value
// (edited by hand), or names an impossible position is a 400, never an
// empty page.
func decodeCursor(s string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err == nil && encodeCursor(reflect.ValueOf(v).Elem().Interface()) != s {
		err = errors.New("not canonical")
	}
	if err == nil {
		switch c := v.(type) {
		case *timeCursor:
			if c.T.IsZero() || c.T.After(time.Now().Add(time.Hour)) || uuid.Validate(c.I) != nil {
				err = errors.New("impossible position")
			}
		case *positionCursor:
			if c.P < 0 {
				err = errors.New("impossible position")
			}
		}
	}
	if err != nil {
		return problem.BadRequest("The cursor is not one this API gave.", problem.FieldError{Location: "query.cursor", Message: "malformed"})
	}
	return nil
}

func limitOf(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 200)
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
	if f.Cursor != "" {
		var c timeCursor
		if err := decodeCursor(f.Cursor, &c); err != nil {
			return nil, "", err
		}
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", c.T, c.T, c.I)
	}
	n := limitOf(f.Limit)
	var out []store.Import
	if err := q.Order("created_at DESC, id DESC").Limit(n + 1).Find(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) <= n {
		return out, "", nil
	}
	out = out[:n]
	last := out[n-1]
	return out, encodeCursor(timeCursor{T: last.CreatedAt, I: last.ID}), nil
}

// ResultQuery selects results of one import.
type ResultQuery struct {
	Statuses []string // pending includes the employees being written
	Limit    int      // 0: every result (CSV)
	Cursor   string
}

type positionCursor struct {
	P int `json:"p"`
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
	if q.Cursor != "" {
		var c positionCursor
		if err := decodeCursor(q.Cursor, &c); err != nil {
			return nil, "", err
		}
		db = db.Where("position > ?", c.P)
	}
	db = db.Order("position")
	if q.Limit <= 0 {
		var out []store.ImportResult
		return out, "", db.Find(&out).Error
	}
	n := min(q.Limit, 200)
	var out []store.ImportResult
	if err := db.Limit(n + 1).Find(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) <= n {
		return out, "", nil
	}
	out = out[:n]
	return out, encodeCursor(positionCursor{P: out[n-1].Position}), nil
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
	if cursor != "" {
		var c timeCursor
		if err := decodeCursor(cursor, &c); err != nil {
			return nil, "", 0, err
		}
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", c.T, c.T, c.I)
	}
	n := limitOf(limit)
	var out []store.Notification
	if err := q.Order("created_at DESC, id DESC").Limit(n + 1).Find(&out).Error; err != nil {
		return nil, "", 0, err
	}
	if len(out) <= n {
		return out, "", unread, nil
	}
	out = out[:n]
	last := out[n-1]
	return out, encodeCursor(timeCursor{T: last.CreatedAt, I: last.ID}), unread, nil
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
