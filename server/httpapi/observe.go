package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the HTTP metrics, registered on the app's own registry. Every
// label value comes from a closed set, so that no request can add series:
// method (the known HTTP methods, else "OTHER"), route (the spec's path
// template, an Echo route registered here, else "unmatched") and status
// (its class, "2xx"…"5xx").
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	routes   map[string]bool // Echo route paths registered (closed set)
}

// knownMethods are the method label values besides "OTHER".
var knownMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"OPTIONS": true, "CONNECT": true, "TRACE": true,
}

// MethodLabel is the method's label value.
func MethodLabel(m string) string {
	if knownMethods[m] {
		return m
	}
	return "OTHER"
}

// StatusClientClosed is the status recorded for a request whose client
// went away before the answer (nginx's 499); nothing is sent.
const StatusClientClosed = 499

// StatusLabel is the status's class ("2xx"), "499" for a request the client
// abandoned, "other" outside 100–599.
func StatusLabel(st int) string {
	if st == StatusClientClosed {
		return "499"
	}
	if st < 100 || st > 599 {
		return "other"
	}
	return strconv.Itoa(st/100) + "xx"
}

// routeLabel is the request's route from the closed set.
func (m *Metrics) routeLabel(c echo.Context) string {
	if r := RouteOf(c); r != nil {
		return r.Path // already absolute (LoadSpec); a template of the spec
	}
	if p := c.Path(); m.routes[p] {
		return p
	}
	return "unmatched"
}

// Seal fixes the set of route labels to the routes registered on e.
func (m *Metrics) Seal(e *echo.Echo) {
	for _, r := range e.Routes() {
		m.routes[r.Path] = true
	}
}

// NewMetrics registers the HTTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrbridge_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hrbridge_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	m.routes = map[string]bool{}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe logs every request (request id, method, route, status, latency)
// and records the metrics. The route is the spec's path template for API
// calls and Echo's route otherwise, so that metrics stay low-cardinality.
func (m *Metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		// A client that went away before the answer is not a server
		// failure: counted apart as 499 (nginx's "client closed request")
		// and logged at INFO, with nothing written back.
		abandoned := err != nil && c.Request().Context().Err() != nil && !c.Response().Committed
		if abandoned {
			c.Response().Status = StatusClientClosed
		} else if err != nil {
			c.Error(err) // render now so that the status below is the real one
		}
		route := m.routeLabel(c)
		method := MethodLabel(c.Request().Method)
		st := c.Response().Status
		d := time.Since(start)
		m.requests.WithLabelValues(method, route, StatusLabel(st)).Inc()
		m.latency.WithLabelValues(method, route).Observe(d.Seconds())
		level := slog.LevelInfo
		if st >= 500 {
			level = slog.LevelError
		}
		if abandoned {
			slog.InfoContext(c.Request().Context(), "client closed the request", "request_id", requestID(c), "err", err)
		}
		slog.Log(c.Request().Context(), level, "http request",
			"request_id", requestID(c), "method", method, "route", route,
			"status", st, "latency_ms", float64(d.Microseconds())/1000)
		return nil
	}
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
