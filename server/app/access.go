package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/httpapi"
	"hrbridge/server/store"
)

// stdout receives the sandbox administrator's credentials (tests swap it).
var stdout io.Writer = os.Stdout

// SandboxAdminEmail is the administrator created with the sandbox on when no
// user exists and HRBRIDGE_ADMIN_EMAIL is not set.
const SandboxAdminEmail = "admin@example.com"

// setupAccess builds access control: the audit log (a.Audit), users,
// sessions and API tokens (a.Auth) and their handlers; re-encrypts stored
// provider secrets sealed with a previous key; and creates the first
// administrator when there is no user.
func (a *App) setupAccess(ctx context.Context, h *httpapi.Handlers) error {
	a.Audit = audit.New(a.Store)
	a.Auth = auth.NewService(a.Store)
	h.Access = httpapi.Access{Auth: a.Auth, Audit: a.Audit}
	if err := a.resealSecrets(ctx); err != nil {
		return err
	}
	return a.firstAdmin(ctx)
}

// withAccess adds the access middleware to the HTTP edge's options: security
// headers and the body limit on every request, authentication and
// x-permission on every API operation, and the client address extractor.
func (a *App) withAccess(o httpapi.Options) httpapi.Options {
	o.Middleware = append([]echo.MiddlewareFunc{httpapi.SecurityHeaders, httpapi.HSTS(a.Cfg.TrustedProxies), httpapi.BodyLimit()}, o.Middleware...)
	o.Auth = (&httpapi.Authenticator{Service: a.Auth}).Middleware
	// config.FromEnv has checked the CIDRs.
	o.IPExtractor, _ = httpapi.IPExtractor(a.Cfg.TrustedProxies)
	return o
}

// resealSecrets re-encrypts the connection's secrets under the current key
// after a rotation (HRBRIDGE_SECRET_KEY new, HRBRIDGE_SECRET_KEY_PREVIOUS
// old). A secret no key opens is logged, not fatal: an administrator can
// enter it again in 連携設定.
func (a *App) resealSecrets(ctx context.Context) error {
	cols, err := a.Store.ResealConnectionSecrets(ctx, a.Secrets)
	if err != nil {
		slog.ErrorContext(ctx, "stored provider secrets could not be re-encrypted with the current key; "+
			"set HRBRIDGE_SECRET_KEY_PREVIOUS to the old key, or enter the secrets again in 連携設定", "err", err)
	}
	if len(cols) > 0 {
		slog.InfoContext(ctx, "provider secrets re-encrypted with the current key", "columns", cols)
		a.Audit.Record(ctx, audit.SecretsRotated, "integrations/jobkan", map[string]any{"columns": cols})
	}
	return nil
}

// firstAdmin creates the first administrator when no user exists: from
// HRBRIDGE_ADMIN_EMAIL/PASSWORD, or, with the sandbox on, admin@example.com
// with a random password printed once to stdout.
func (a *App) firstAdmin(ctx context.Context) error {
	email, password, generated := a.Cfg.AdminEmail, a.Cfg.AdminPassword, false
	if email == "" {
		if a.Cfg.Sandbox == "" {
			return nil
		}
		email, password, generated = SandboxAdminEmail, auth.RandomToken()[:20], true
	}
	u, err := a.Auth.EnsureFirstAdmin(ctx, email, password)
	if err != nil {
		return fmt.Errorf("create the first administrator %s: %w", email, err)
	}
	if u == nil {
		return nil
	}
	slog.InfoContext(ctx, "first administrator created", "email", u.Email)
	a.Audit.Record(ctx, audit.UserCreated, "users/"+u.ID, map[string]any{"email": u.Email, "role": u.Role, "by": "first start"})
	if generated {
		fmt.Fprintf(stdout, "\nhrbridge: sandbox administrator created (shown only this once)\n"+
			"  e-mail:   %s\n  password: %s\n"+
			"Set HRBRIDGE_ADMIN_EMAIL/HRBRIDGE_ADMIN_PASSWORD or run `hrbridge users create` to choose your own.\n\n", email, password)
	}
	return nil
}

// CreateUser is `hrbridge users create`: it migrates the database if needed
// and adds a user.
func CreateUser(ctx context.Context, cfg config.Config, email, role, password string) error {
	st, err := store.OpenMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := auth.NewService(st).CreateUser(ctx, email, password, role)
	if err != nil {
		return err
	}
	audit.New(st).Record(ctx, audit.UserCreated, "users/"+u.ID, map[string]any{"email": u.Email, "role": u.Role, "by": "hrbridge users create"})
	return nil
}

// ResetPassword is `hrbridge users reset-password`: a new password for the
// user with this e-mail, their sessions ended, audited.
func ResetPassword(ctx context.Context, cfg config.Config, email, password string) error {
	st, err := store.OpenMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := auth.NewService(st).ResetPassword(ctx, email, password)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("no user with the e-mail %s", auth.NormalizeEmail(email))
	}
	if err != nil {
		return err
	}
	audit.New(st).RecordAs(ctx, audit.SystemActor, audit.UserPasswordReset, "users/"+u.ID, map[string]any{"email": u.Email, "by": "hrbridge users reset-password"})
	return nil
}
