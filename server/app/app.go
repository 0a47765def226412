// Package app wires hrbridge together: configuration, store, providers,
// jobs and the HTTP edge. main and the end-to-end tests both start it here.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"hrbridge/frontend"
	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/diffs"
	"hrbridge/server/httpapi"
	"hrbridge/server/imports"
	"hrbridge/server/integration"
	"hrbridge/server/sandbox"
	"hrbridge/server/secrets"
	"hrbridge/server/store"
)

// App is a running hrbridge.
type App struct {
	Cfg     config.Config
	Store   *store.Store
	Echo    *echo.Echo
	Secrets *secrets.Box  // encrypts provider secrets at rest
	Audit   *audit.Log    // the audit log: a.Audit.Record(ctx, action, target, detail)
	Auth    *auth.Service // users, sessions, API tokens

	Conns      *integration.Service
	Snapshots  *diffs.Snapshots
	Sandbox    *sandbox.Sandbox // the simulators mounted in this process (HRBRIDGE_SANDBOX=1), or nil
	Imports    *imports.Service // imports, their jobs (River) and the notifications
	Registry   *prometheus.Registry
	metricsURL atomic.Value // string: where Serve serves /metrics with HRBRIDGE_METRICS_ADDR
	stop       []func(context.Context) error
}

// New opens and migrates the database and builds every service.
func New(ctx context.Context, cfg config.Config) (*App, error) {
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, Store: st}
	a.stop = append(a.stop, func(context.Context) error { return st.Close() })
	if err := st.Migrate(ctx); err != nil {
		a.Close(ctx)
		return nil, err
	}
	if a.Secrets, err = openSecrets(cfg); err != nil {
		a.Close(ctx)
		return nil, err
	}
	spec, err := httpapi.LoadSpec()
	if err != nil {
		a.Close(ctx)
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	handlers := &httpapi.Handlers{}
	if err := a.setupAccess(ctx, handlers); err != nil {
		a.Close(ctx)
		return nil, err
	}
	a.setupIntegration(handlers)
	a.Echo = httpapi.New(a.withAccess(httpapi.Options{
		Handlers: handlers,
		Spec:     spec,
		Registry: reg,
		Ready:    st.Ready,
		SPA:      frontend.Dist(),
		Sandbox:  a.sandboxHandler(),
		Metrics:  a.metricsGuard(),
	}))
	a.Registry = reg
	if err := a.setupImports(ctx, handlers); err != nil {
		a.Close(ctx)
		return nil, err
	}
	reg.MustRegister(imports.Collector(st.DB), a.Conns.Collector())
	return a, nil
}

// metricsGuard: /metrics on the main listener behind HRBRIDGE_METRICS_TOKEN
// (or loopback only); not there at all with HRBRIDGE_METRICS_ADDR.
func (a *App) metricsGuard() echo.MiddlewareFunc {
	if a.Cfg.MetricsAddr != "" {
		return nil
	}
	return httpapi.MetricsGuard(a.Cfg.MetricsToken)
}

func (a *App) sandboxHandler() http.Handler {
	if a.Sandbox == nil {
		return nil
	}
	return a.Sandbox.Handler()
}

// openSecrets builds the Box from HRBRIDGE_SECRET_KEY, or from a key file
// generated in the data directory on first start.
func openSecrets(cfg config.Config) (*secrets.Box, error) {
	key := cfg.SecretKey
	if key == "" {
		var err error
		if key, err = secrets.LoadOrCreateKeyFile(cfg.DataDir()); err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
	}
	return secrets.New(key, cfg.SecretKeyPrevious...)
}

// Serve listens on cfg.Addr (or ln) until ctx ends, then lets in-flight
// requests finish within the shutdown timeout.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.Cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", a.Cfg.Addr, err)
		}
	}
	srv := &http.Server{
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// Long enough for a CSV of a large import; the event stream clears its own deadline.
		WriteTimeout: 5 * time.Minute,
		IdleTimeout:  2 * time.Minute,
	}
	slog.Info("hrbridge listening", "addr", ln.Addr().String(), "database", string(a.Store.Dialect))
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if a.Cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Cfg.MetricsAddr)
		if err != nil {
			srv.Close()
			return fmt.Errorf("listen on HRBRIDGE_METRICS_ADDR %s: %w", a.Cfg.MetricsAddr, err)
		}
		msrv := &http.Server{Handler: httpapi.MetricsHandler(a.Registry), ReadHeaderTimeout: 10 * time.Second}
		defer msrv.Close()
		a.metricsURL.Store("http://" + mln.Addr().String() + "/metrics")
		slog.Info("metrics listening", "addr", mln.Addr().String())
		go func() {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down: letting in-flight requests finish")
	sctx, cancel := context.WithTimeout(context.Background(), a.Cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if cerr := a.Close(sctx); err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// MetricsURL is where /metrics is served on its own listener
// (HRBRIDGE_METRICS_ADDR) once Serve has started, else "".
func (a *App) MetricsURL() string {
	u, _ := a.metricsURL.Load().(string)
	return u
}

// Close stops the background work and closes the database, newest first.
func (a *App) Close(ctx context.Context) error {
	var errs []error
	for i := len(a.stop) - 1; i >= 0; i-- {
		errs = append(errs, a.stop[i](ctx))
	}
	a.stop = nil
	return errors.Join(errs...)
}
