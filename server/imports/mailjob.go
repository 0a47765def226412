package imports

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/errcatalog"
	"hrbridge/server/mail"
	"hrbridge/server/store"
)

// mailMaxAttempts bounds the tries of one mail (River backs off between
// them, from seconds to hours).
const mailMaxAttempts = 12

// mailFailedMax is how many failed employees the mail lists.
const mailFailedMax = 200

// MailArgs is the job that mails the administrator who started an import
// once it has ended.
type MailArgs struct {
	ImportID string `json:"import_id"`
}

// Kind is the River job kind.
func (MailArgs) Kind() string { return "import_mail" }

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	s *Service
}

func (w *mailWorker) Timeout(*river.Job[MailArgs]) time.Duration { return 90 * time.Second }

// Work sends the mail. A failure is logged and the job retried; the import
// itself has already ended and is not affected.
func (w *mailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	s := w.s
	log := s.log.With("import_id", job.Args.ImportID, "job_id", job.ID, "attempt", job.Attempt)
	if s.cfg.Mailer == nil {
		log.Info("mail is off (HRBRIDGE_SMTP_URL is not set); the import's mail is not sent")
		return nil
	}
	msg, ok, err := s.ImportMail(ctx, job.Args.ImportID)
	if err != nil {
		return err
	}
	if !ok {
		log.Info("no one to mail for this import (started without a user, or the user is gone)")
		return nil
	}
	if err := s.cfg.Mailer.Send(ctx, msg); err != nil {
		log.Warn("could not send the import's mail; it will be tried again", "to", msg.To, "err", err)
		return err
	}
	log.Info("import mail sent", "to", msg.To)
	return nil
}

// ImportMail is the mail for an ended import, to the user who started it;
// ok is false when there is no one to send it to.
func (s *Service) ImportMail(ctx context.Context, id string) (msg mail.Message, ok bool, err error) {
	imp, err := s.Get(ctx, id)
	if err != nil || imp.UserID == nil {
		return msg, false, err
	}
	var u store.User
	err = s.st.DB.WithContext(ctx).Take(&u, "id = ?", *imp.UserID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return msg, false, nil
	}
	if err != nil {
		return msg, false, err
	}
	var failed []store.ImportResult
	if err := s.st.DB.WithContext(ctx).Where("import_id = ? AND status = ?", id, ResultFailed).Order("position").
		Limit(mailFailedMax + 1).Find(&failed).Error; err != nil {
		return msg, false, err
	}
	lang := errcatalog.ParseLang(u.Language) // the recipient's language (PATCH /me)
	return mail.Message{
		To:      []string{u.Email},
		Subject: TitleIn(imp, lang),
		Body:    BodyIn(imp, failed, mailFailedMax, s.cfg.BaseURL+"/imports/"+imp.ID, lang, true),
	}, true, nil
}
