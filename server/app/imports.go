package app

import (
	"context"

	"hrbridge/server/httpapi"
	"hrbridge/server/imports"
	"hrbridge/server/mail"
)

// setupImports builds the imports service (a.Imports) with its River client
// and mailer, serves its operations, and starts working jobs; Close stops
// them first, letting running imports hand over to their next run.
//
// When ctx ends (SIGTERM in main) running imports start handing over and the
// event streams close, so that they do not hold up the HTTP shutdown.
func (a *App) setupImports(ctx context.Context, h *httpapi.Handlers) error {
	mailer, err := mail.New(a.Cfg.SMTPURL, a.Cfg.MailFrom)
	if err != nil {
		return err
	}
	svc, err := imports.New(a.Store, a.Conns, a.Snapshots, imports.Config{
		RescueAfter:  a.Cfg.JobRescueAfter,
		RecheckDelay: a.Cfg.ImportRecheckDelay,
		GiveUpAfter:  a.Cfg.ImportGiveUpAfter,
		BaseURL:      a.Cfg.BaseURL,
		Mailer:       mailer,
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
