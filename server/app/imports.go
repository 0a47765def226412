package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"hrbridge/server/httpapi"
	"hrbridge/server/imports"
	"hrbridge/server/mail"
)

// setupImports builds the imports service (a.Imports) with its River client
// and mailer, serves its operations, and starts working jobs; Close stops
// them first, letting running imports hand over to their next run.
//
// HRBRIDGE_JOB_RESCUE_AFTER (default 2m) is how long an import job may run
// before River considers its instance dead and runs it again elsewhere.
//
// When ctx ends (SIGTERM in main) running imports start handing over and the
// event streams close, so that they do not hold up the HTTP shutdown.
func (a *App) setupImports(ctx context.Context, h *httpapi.Handlers) error {
	rescue, err := jobRescueAfter(os.Getenv)
	if err != nil {
		return err
	}
	mailer, err := mail.New(a.Cfg.SMTPURL, a.Cfg.MailFrom)
	if err != nil {
		return err
	}
	svc, err := imports.New(a.Store, a.Conns, a.Snapshots, imports.Config{
		RescueAfter: rescue,
		BaseURL:     a.Cfg.BaseURL,
		Mailer:      mailer,
	})
	if err != nil {
		return err
	}
	a.Imports = svc
	h.Imports = httpapi.Imports{Svc: svc, Audit: a.Audit}
	a.Echo.Use(httpapi.RequestInContext) // CSV results by Accept
	if err := svc.Start(context.Background()); err != nil {
		return err
	}
	a.stop = append(a.stop, svc.Stop)
	context.AfterFunc(ctx, svc.Drain)
	return nil
}

func jobRescueAfter(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv("HRBRIDGE_JOB_RESCUE_AFTER"))
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 2*time.Second {
		return 0, fmt.Errorf("HRBRIDGE_JOB_RESCUE_AFTER must be a duration of at least 2s (e.g. 2m), got %q", v)
	}
	return d, nil
}
