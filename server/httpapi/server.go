// Package httpapi is the HTTP edge: the Echo app, the generated strict
// handlers' wiring, spec validation, problem+json errors, health, metrics,
// the SPA and the API reference. Handlers stay thin: they map api ⇔ domain.
package httpapi

import (
	"context"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hrbridge/api"
	"hrbridge/server/problem"
)

// Options are what the HTTP edge is built from.
type Options struct {
	Handlers api.StrictServerInterface
	Spec     *Spec
	Registry *prometheus.Registry
	// Ready reports whether the service can take traffic (database up and migrated).
	Ready func(context.Context) error
	// Auth authenticates the caller and enforces the operation's x-permission;
	// it runs after the route is found and before validation.
	Auth echo.MiddlewareFunc
	// Middleware runs on every request before routing (security headers, limits).
	Middleware []echo.MiddlewareFunc
	// IPExtractor names the client of a request (see IPExtractor); nil means
	// the TCP peer, never a header the client could forge.
	IPExtractor echo.IPExtractor
	// Sandbox, when set, is mounted at /sandbox/ (the provider simulators).
	Sandbox http.Handler
	SPA     fs.FS
}

// New builds the Echo app.
func New(o Options) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = handleError
	e.IPExtractor = o.IPExtractor
	if e.IPExtractor == nil {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	metrics := NewMetrics(o.Registry)
	e.Use(middleware.RequestID(), metrics.observe, middleware.Recover(), clientInfo)
	e.Use(o.Middleware...)

	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
		defer cancel()
		if err := o.Ready(ctx); err != nil {
			return problem.New(http.StatusServiceUnavailable, "Not ready: "+err.Error())
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{})))
	e.GET("/api/docs", docsPage(o.Spec, o.SPA))

	g := e.Group(APIPrefix, o.Spec.findRoute)
	if o.Auth != nil {
		g.Use(o.Auth)
	}
	g.Use(o.Spec.validate)
	api.RegisterHandlers(g, api.NewStrictHandler(o.Handlers, nil))
	// Anything else under /api is a JSON 404 (or 405) from findRoute.
	g.Any("/*", func(echo.Context) error { return echo.ErrNotFound })
	e.Any("/api/*", func(echo.Context) error { return echo.ErrNotFound })

	if o.Sandbox != nil {
		e.Any("/sandbox/*", echo.WrapHandler(o.Sandbox))
	}
	e.GET("/*", spa(o.SPA))
	return e
}
