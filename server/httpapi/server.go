// Package httpapi is the HTTP edge: the Echo app, the generated strict
// handlers' wiring, spec validation, problem+json errors, health, metrics,
// the SPA and the API reference. Handlers stay thin: they map api ⇔ domain.
package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	enchex "encoding/hex"
	"io/fs"
	"net"
	"net/http"
	"strings"
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
	// Metrics says who may read /metrics on this listener (MetricsGuard);
	// nil: nobody (it is served on a listener of its own).
	Metrics echo.MiddlewareFunc
	// Sandbox, when set, is mounted at /sandbox/ (the provider simulators).
	Sandbox http.Handler
	SPA     fs.FS
}

// MetricsGuard lets a request read /metrics when it carries the bearer
// token, or, with no token configured, when it comes straight from a
// loopback peer (no proxy header): make run's local Prometheus. Anyone else
// gets a 401 problem: the metrics describe the service's traffic.
func MetricsGuard(token string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if token != "" {
				got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
				if ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
					return next(c)
				}
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hrbridge-metrics"`)
				return problem.New(http.StatusUnauthorized, "/metrics needs the HRBRIDGE_METRICS_TOKEN bearer token.")
			}
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			ip := net.ParseIP(host)
			if ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == "" && r.Header.Get("Forwarded") == "" && r.Header.Get("X-Real-Ip") == "" {
				return next(c)
			}
			return problem.New(http.StatusUnauthorized, "/metrics answers only local requests unless HRBRIDGE_METRICS_TOKEN or HRBRIDGE_METRICS_ADDR is set.")
		}
	}
}

// MetricsHandler serves the registry alone (HRBRIDGE_METRICS_ADDR).
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// SafeRequestID reports whether a client's X-Request-Id may be kept: at
// most 64 characters of letters, digits and . _ : -.
func SafeRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:-", r)) {
			return false
		}
	}
	return true
}

func randomRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return enchex.EncodeToString(b)
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
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: randomRequestID,
		// An incoming X-Request-Id is echoed and logged only when it is a
		// short, safe id; otherwise the request gets a fresh one.
		Skipper: func(c echo.Context) bool {
			if id := c.Request().Header.Get(echo.HeaderXRequestID); id != "" && !SafeRequestID(id) {
				c.Request().Header.Del(echo.HeaderXRequestID)
			}
			return false
		},
	}), metrics.observe, middleware.Recover(), clientInfo)
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
	if o.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{})), o.Metrics)
	} else {
		e.GET("/metrics", func(echo.Context) error { return echo.ErrNotFound })
	}
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
	metrics.Seal(e)
	return e
}
