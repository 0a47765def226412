package imports

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/auth"
	"hrbridge/server/errcatalog"
	"hrbridge/server/store"
)

// finish ends a running import once no employee is left to settle: its
// final status, an in-app notification for every administrator and the
// mail job, in one transaction. A second call (a rescued duplicate) finds
// the import ended and does nothing.
func (s *Service) finish(ctx context.Context, id string, log *slog.Logger) error {
	var ended store.Import
	err := s.finishWhere(ctx, id, nil, &ended)
	if err == nil && ended.ID != "" {
		log.Info("import ended", "status", ended.Status, "total", ended.Total, "created", ended.CreatedCount,
			"updated", ended.UpdatedCount, "unchanged", ended.UnchangedCount, "skipped", ended.SkippedCount, "failed", ended.FailedCount)
	}
	return err
}

// finishTx is finish only where cond (when given) also holds; ended says
// whether it ended the import.
func (s *Service) finishTx(ctx context.Context, id string, cond func(*gorm.DB) *gorm.DB, ended *bool) error {
	var imp store.Import
	err := s.finishWhere(ctx, id, cond, &imp)
	*ended = imp.ID != ""
	if *ended {
		s.log.Info("import ended", "import_id", id, "status", imp.Status, "total", imp.Total, "done", imp.Done)
	}
	return err
}

func (s *Service) finishWhere(ctx context.Context, id string, cond func(*gorm.DB) *gorm.DB, out *store.Import) error {
	var ended store.Import
	err := s.st.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var imp store.Import
		if err := tx.Take(&imp, "id = ?", id).Error; err != nil {
			return err
		}
		if imp.Status != StatusRunning {
			return nil
		}
		var left int64
		if err := tx.Model(&store.ImportResult{}).Where("import_id = ? AND status IN ?", id, []string{ResultPending, ResultWriting}).
			Count(&left).Error; err != nil {
			return err
		}
		if left > 0 && !imp.CancelRequested {
			return fmt.Errorf("import %s: %d employees are still to do", id, left)
		}
		imp.Status = finalStatus(imp, left)
		t := now()
		imp.FinishedAt = &t
		q := tx.Model(&store.Import{}).Where("id = ? AND status = ?", id, StatusRunning)
		if cond != nil {
			q = cond(q)
		}
		cols := noWaiting()
		cols["status"], cols["finished_at"] = imp.Status, t
		u := q.Updates(cols)
		if u.Error != nil || u.RowsAffected == 0 {
			return u.Error
		}
		var failed []store.ImportResult
		if err := tx.Where("import_id = ? AND status = ?", id, ResultFailed).Order("position").Limit(notifyFailedMax + 1).
			Find(&failed).Error; err != nil {
			return err
		}
		var admins []store.User
		if err := tx.Where("role = ? AND disabled_at IS NULL", auth.RoleAdmin).Find(&admins).Error; err != nil {
			return err
		}
		for _, a := range admins {
			// Each in their own language (PATCH /me).
			lang := errcatalog.ParseLang(a.Language)
			n := store.Notification{ID: uuid.NewString(), UserID: a.ID, Kind: "import_finished", Title: TitleIn(imp, lang),
				Body: clip(BodyIn(imp, failed, notifyFailedMax, "", lang, false), 10000), ImportID: &imp.ID, CreatedAt: t}
			if err := tx.Create(&n).Error; err != nil {
				return err
			}
		}
		if imp.UserID != nil && s.cfg.Mailer != nil {
			if _, err := s.river.InsertTx(ctx, tx.Statement.ConnPool.(*sql.Tx), MailArgs{ImportID: id},
				&river.InsertOpts{Queue: QueueMail, MaxAttempts: mailMaxAttempts}); err != nil {
				return err
			}
		}
		ended = imp
		return nil
	})
	*out = ended
	return err
}

// notifyFailedMax is how many failed employees an in-app notification lists.
const notifyFailedMax = 20

// finalStatus is the status of an ended import; left is how many employees
// a cancellation left undone.
func finalStatus(imp store.Import, left int64) string {
	switch {
	case left > 0:
		return StatusCanceled
	case imp.FailedCount == 0:
		return StatusSucceeded
	case imp.FailedCount >= imp.Done:
		return StatusFailed
	}
	return StatusPartiallyFailed
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
