package store

import (
	"context"
	"time"
)

// Written is one employee record an import wrote (import_results.written_record).
type Written struct {
	ImportID   string
	Position   int
	Direction  string // the import's: Record is a row of its target
	Record     string
	FinishedAt time.Time
}

// WrittenSince returns the records written by imports whose result was
// recorded at or after since, oldest first (import_results_written_idx).
func (s *Store) WrittenSince(ctx context.Context, since time.Time) ([]Written, error) {
	var out []Written
	err := s.DB.WithContext(ctx).Table("import_results AS r").
		Select("r.import_id, r.position, i.direction, r.written_record AS record, r.finished_at").
		Joins("JOIN imports i ON i.id = r.import_id").
		Where("r.written_record IS NOT NULL AND r.finished_at >= ?", since.UTC()).
		Order("r.finished_at, r.import_id, r.position").
		Scan(&out).Error
	return out, err
}
