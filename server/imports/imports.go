// Package imports runs the imports of the Jobkan integration as durable jobs
// on River: the import row, its per-employee results and its job are written
// in one transaction; a worker re-reads both providers, re-diffs every
// employee before writing it, and records each result as it happens, so that
// a job resumed after a crash skips what is done and never writes an employee
// twice. It also keeps 連携履歴 (the history), the in-app notifications and
// the e-mail sent when an import ends. docs/imports.md explains the choices.
package imports

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	gosync "sync"
	"time"

	"github.com/riverqueue/river"

	"hrbridge/server/diffs"
	"hrbridge/server/integration"
	"hrbridge/server/mail"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// Import statuses.
const (
	StatusQueued          = "queued"
	StatusRunning         = "running"
	StatusSucceeded       = "succeeded"
	StatusPartiallyFailed = "partially_failed"
	StatusFailed          = "failed"
	StatusCanceled        = "canceled"
)

// Result statuses. writing is internal: the write to the provider was about
// to be sent when it was recorded; the API shows it as pending.
const (
	ResultPending      = "pending"
	ResultWriting      = "writing"
	ResultCreated      = "created"
	ResultUpdated      = "updated"
	ResultUnchanged    = "unchanged"
	ResultSkippedStale = "skipped_stale"
	ResultFailed       = "failed"
)

// Result actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionNone   = "none"
)

// MaxEmployees is the most employees one import may select (the spec's limit).
const MaxEmployees = 10_000

// Integration is the only integration there is.
const Integration = "jobkan"

// Finished reports whether an import status is final.
func Finished(status string) bool {
	switch status {
	case StatusSucceeded, StatusPartiallyFailed, StatusFailed, StatusCanceled:
		return true
	}
	return false
}

// Config tunes the service; zero fields take the defaults shown.
type Config struct {
	// RescueAfter is how long an import job may run before River considers
	// it stuck (its instance died) and runs it again elsewhere. Each run of an
	// import job works for at most this long and then continues in a new run,
	// so it is also the longest a crashed import waits to resume. 2m.
	RescueAfter time.Duration
	// Writers is how many employees of one import are written at once, so
	// that throughput reaches the providers' rate limits despite latency. 8.
	Writers int
	// FetchPollInterval is how often idle queues look for new jobs. 500ms.
	FetchPollInterval time.Duration
	// RecheckDelay is the pause before looking at the target again after a
	// write that may or may not have landed; the n-th look waits n times as
	// long. 1s.
	RecheckDelay time.Duration
	// GiveUpAfter is how long an import waits for a provider that cannot be
	// reached (5xx, 429, no answer) before it ends failed, every remaining
	// employee failed with the cause (HRBRIDGE_IMPORT_GIVE_UP_AFTER). 15m.
	GiveUpAfter time.Duration
	// BaseURL is the public URL of the app, for links in mail.
	BaseURL string
	// Mailer sends the mail when an import ends; nil means mail is off.
	Mailer *mail.Mailer
	Logger *slog.Logger
}

// Service is the imports, their jobs and the notifications.
type Service struct {
	st    *store.Store
	conns *integration.Service
	snaps *diffs.Snapshots
	cfg   Config
	log   *slog.Logger
	river *river.Client[*sql.Tx]

	stopping chan struct{} // closed when Stop begins: running imports hand over
	stopOnce gosync.Once
	started  bool
}

// New builds the service and its River client (not started).
func New(st *store.Store, conns *integration.Service, snaps *diffs.Snapshots, cfg Config) (*Service, error) {
	cfg.RescueAfter = cmp.Or(cfg.RescueAfter, 2*time.Minute)
	if cfg.RescueAfter < 2*time.Second {
		return nil, fmt.Errorf("the job rescue delay must be at least 2s, got %s", cfg.RescueAfter)
	}
	cfg.Writers = cmp.Or(cfg.Writers, 8)
	cfg.FetchPollInterval = cmp.Or(cfg.FetchPollInterval, 500*time.Millisecond)
	cfg.RecheckDelay = cmp.Or(cfg.RecheckDelay, time.Second)
	cfg.GiveUpAfter = cmp.Or(cfg.GiveUpAfter, 15*time.Minute)
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{st: st, conns: conns, snaps: snaps, cfg: cfg, log: cfg.Logger, stopping: make(chan struct{})}

	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &importWorker{s: s}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &mailWorker{s: s}); err != nil {
		return nil, err
	}
	queues := map[string]river.QueueConfig{
		// One import per target system at a time in this process; the
		// PostgreSQL advisory lock extends that to every instance.
		queueFor(sync.JobkanToSmartHR): {MaxWorkers: 1},
		queueFor(sync.SmartHRToJobkan): {MaxWorkers: 1},
		QueueMail:                      {MaxWorkers: 2},
	}
	rc, err := river.NewClient(st.RiverDriver(), &river.Config{
		Queues:               queues,
		Workers:              workers,
		RescueStuckJobsAfter: cfg.RescueAfter,
		// River wants no job timeout above the rescue delay; the workers
		// set their own.
		JobTimeout:        min(time.Minute, cfg.RescueAfter),
		FetchPollInterval: cfg.FetchPollInterval,
		FetchCooldown:     min(100*time.Millisecond, cfg.FetchPollInterval),
		Logger:            riverLogger(cfg.Logger),
		MaxAttempts:       10,
	})
	if err != nil {
		return nil, fmt.Errorf("make the job client: %w", err)
	}
	s.river = rc
	return s, nil
}

// riverLogger keeps River's own chatter to warnings and errors.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn}).With("component", "river")
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(a), f.min}
}
func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(n), f.min}
}

// Start starts working jobs: queued imports, imports left by a stopped or
// crashed instance, and mail.
func (s *Service) Start(ctx context.Context) error {
	if s.cfg.Mailer == nil {
		s.log.Info("mail is off: HRBRIDGE_SMTP_URL is not set; imports notify in the app only")
	}
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("start the job client: %w", err)
	}
	s.started = true
	return nil
}

// Drain makes running imports hand over after the employees in flight and
// ends the event streams: the process is about to stop. Stop drains too.
func (s *Service) Drain() { s.stopOnce.Do(func() { close(s.stopping) }) }

// Draining is closed once Drain (or Stop) has been called.
func (s *Service) Draining() <-chan struct{} { return s.stopping }

// Stop lets running imports finish the employees in flight and hand the rest
// over to their next run, then stops the job client. When ctx ends first,
// the jobs are cancelled; their employees in flight are settled by the next
// run.
func (s *Service) Stop(ctx context.Context) error {
	s.Drain()
	if !s.started {
		return nil
	}
	soft, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := s.river.Stop(soft)
	if err != nil && ctx.Err() == nil {
		err = s.river.StopAndCancel(ctx)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("stopped the job client before its jobs ended; they resume on the next start", "err", err)
		return nil
	}
	return err
}

// River is the job client (for tests).
func (s *Service) River() *river.Client[*sql.Tx] { return s.river }

// Job queues.
const (
	QueueMail = "mail"
)

// queueFor is the queue of imports into dir's target system: one per target.
func queueFor(dir sync.Direction) string {
	return "import_" + targetOf(dir)
}

// targetOf names the system an import in dir writes to.
func targetOf(dir sync.Direction) string {
	if dir == sync.JobkanToSmartHR {
		return "smarthr"
	}
	return "jobkan"
}

// now is the time stored in the database: UTC, to the microsecond that
// PostgreSQL keeps, so that cursors compare equal on both dialects.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
