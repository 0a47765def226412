package store

import (
	"context"
	"strings"
	"time"

	"hrbridge/server/paging"
)

// AuditFilter narrows the audit log: Actor is a part of the actor (any
// case), Action an action or, ending in ".", a family ("login."), and
// Since/Until a time range [Since, Until).
type AuditFilter struct {
	Actor, Action string
	Since, Until  *time.Time
}

func likeEscape(s string) string {
	return strings.NewReplacer("\\", "\\\\", "%", "\\%", "_", "\\_").Replace(s)
}

// InsertAuditEvent appends to the audit log.
func (s *Store) InsertAuditEvent(ctx context.Context, e *AuditEvent) error {
	e.CreatedAt = Micro(e.CreatedAt)
	return s.DB.WithContext(ctx).Create(e).Error
}

// ListAuditEvents lists the audit log newest first, limit at a time, after
// the position after (nil: from the newest).
func (s *Store) ListAuditEvents(ctx context.Context, limit int, after *paging.Cursor, f ...AuditFilter) ([]AuditEvent, error) {
	q := s.DB.WithContext(ctx).Model(&AuditEvent{})
	for _, f := range f {
		if f.Actor != "" {
			q = q.Where("lower(actor) LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Actor))+"%")
		}
		if f.Action != "" {
			if strings.HasSuffix(f.Action, ".") {
				q = q.Where("action LIKE ? ESCAPE '\\'", likeEscape(f.Action)+"%")
			} else {
				q = q.Where("action = ?", f.Action)
			}
		}
		if f.Since != nil {
			q = q.Where("created_at >= ?", Micro(*f.Since))
		}
		if f.Until != nil {
			q = q.Where("created_at < ?", Micro(*f.Until))
		}
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", Micro(after.Time), Micro(after.Time), after.ID)
	}
	var out []AuditEvent
	err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}
