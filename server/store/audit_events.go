package store

import "context"

// InsertAuditEvent appends to the audit log.
func (s *Store) InsertAuditEvent(ctx context.Context, e *AuditEvent) error {
	e.CreatedAt = Micro(e.CreatedAt)
	return s.DB.WithContext(ctx).Create(e).Error
}

// ListAuditEvents lists the audit log newest first, limit at a time, after
// the position after (nil: from the newest).
func (s *Store) ListAuditEvents(ctx context.Context, limit int, after *Keyset) ([]AuditEvent, error) {
	q := s.DB.WithContext(ctx).Model(&AuditEvent{})
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", Micro(after.CreatedAt), Micro(after.CreatedAt), after.ID)
	}
	var out []AuditEvent
	err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}
