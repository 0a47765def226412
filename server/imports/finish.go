package imports

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/auth"
	"hrbridge/server/store"
	"hrbridge/server/sync"
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
		if err := tx.Where("role = ?", auth.RoleAdmin).Find(&admins).Error; err != nil {
			return err
		}
		title := Title(imp)
		body := clip(Body(imp, failed, notifyFailedMax, ""), 10000)
		for _, a := range admins {
			n := store.Notification{ID: uuid.NewString(), UserID: a.ID, Kind: "import_finished", Title: title, Body: body,
				ImportID: &imp.ID, CreatedAt: t}
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

// DirectionLabel is the direction as the product's buttons name it.
func DirectionLabel(dir string) string {
	if sync.Direction(dir) == sync.JobkanToSmartHR {
		return "ジョブカンからSmartHRに取り込む"
	}
	return "SmartHRからジョブカンに取り込む"
}

// Title is the notification's title and the mail's subject.
func Title(imp store.Import) string {
	switch imp.Status {
	case StatusSucceeded:
		return "ジョブカン連携の取り込みが完了しました"
	case StatusPartiallyFailed:
		return "ジョブカン連携の取り込みが一部失敗しました"
	case StatusFailed:
		return "ジョブカン連携の取り込みに失敗しました"
	case StatusCanceled:
		return "ジョブカン連携の取り込みを中止しました"
	}
	return "ジョブカン連携の取り込み"
}

var jst = time.FixedZone("JST", 9*60*60)

// Body tells what an ended import did: the counts, then each failed
// employee (failed holds them in order, at most max are listed) with the
// error, then link when given.
func Body(imp store.Import, failed []store.ImportResult, max int, link string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s（%s）\n", Title(imp), DirectionLabel(imp.Direction))
	fmt.Fprintf(&b, "実行者: %s\n", imp.StartedBy)
	if imp.StartedAt != nil {
		fmt.Fprintf(&b, "開始: %s\n", imp.StartedAt.In(jst).Format("2006-01-02 15:04:05"))
	}
	if imp.FinishedAt != nil {
		fmt.Fprintf(&b, "終了: %s\n", imp.FinishedAt.In(jst).Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintf(&b, "\n選択した従業員: %d人\n", imp.Total)
	fmt.Fprintf(&b, "  新規登録: %d人\n", imp.CreatedCount)
	fmt.Fprintf(&b, "  更新: %d人\n", imp.UpdatedCount)
	fmt.Fprintf(&b, "  差分なし: %d人\n", imp.UnchangedCount)
	fmt.Fprintf(&b, "  スキップ（確認後にデータが変わったため）: %d人\n", imp.SkippedCount)
	fmt.Fprintf(&b, "  失敗: %d人\n", imp.FailedCount)
	if left := imp.Total - imp.Done; left > 0 {
		fmt.Fprintf(&b, "  未実施（中止したため）: %d人\n", left)
	}
	if len(failed) > 0 {
		b.WriteString("\n失敗した従業員（社員番号: エラー）\n")
		for i, r := range failed {
			if i == max {
				break
			}
			fmt.Fprintf(&b, "  %s: [%s] %s\n", r.EmployeeNumber, r.ErrorCode, clip(oneLine(r.ErrorMessage), 400))
		}
		if more := imp.FailedCount - min(len(failed), max); more > 0 {
			fmt.Fprintf(&b, "  ほか%d人（連携履歴で確認できます）\n", more)
		}
		b.WriteString("データを直してから、連携履歴で失敗した従業員を再取り込みできます。\n")
	}
	if imp.SkippedCount > 0 {
		b.WriteString("スキップした従業員は、差分を確認し直してから取り込んでください。\n")
	}
	if link != "" {
		fmt.Fprintf(&b, "\n連携履歴: %s\n", link)
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
