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

// Metrics are the HTTP metrics, registered on the app's own registry.
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
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
		if err != nil {
			c.Error(err) // render now so that the status below is the real one
		}
		route := c.Path()
		if r := RouteOf(c); r != nil {
			route = r.Path // already absolute (LoadSpec)
		}
		if route == "" {
			route = "unmatched"
		}
		st := c.Response().Status
		d := time.Since(start)
		m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(st)).Inc()
		m.latency.WithLabelValues(c.Request().Method, route).Observe(d.Seconds())
		level := slog.LevelInfo
		if st >= 500 {
			level = slog.LevelError
		}
		slog.Log(c.Request().Context(), level, "http request",
			"request_id", requestID(c), "method", c.Request().Method, "route", route,
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
