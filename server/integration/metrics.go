package integration

import (
	"github.com/prometheus/client_golang/prometheus"

	"hrbridge/server/providers/httpx"
)

// Collector reports the provider clients' request counters: requests sent,
// retries, 429s and 5xx received, per provider. The counters restart when the
// settings change (new clients), which Prometheus reads as a counter reset.
func (s *Service) Collector() prometheus.Collector { return providerCollector{s} }

type providerCollector struct{ s *Service }

var providerDescs = map[string]*prometheus.Desc{
	"requests": prometheus.NewDesc("hrbridge_provider_requests_total", "Requests sent to a provider (attempts).", []string{"provider"}, nil),
	"retries":  prometheus.NewDesc("hrbridge_provider_retries_total", "Requests retried after a fault.", []string{"provider"}, nil),
	"429":      prometheus.NewDesc("hrbridge_provider_rate_limited_total", "429 answers received from a provider.", []string{"provider"}, nil),
	"5xx":      prometheus.NewDesc("hrbridge_provider_server_errors_total", "5xx answers received from a provider.", []string{"provider"}, nil),
}

func (c providerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range providerDescs {
		ch <- d
	}
}

func (c providerCollector) Collect(ch chan<- prometheus.Metric) {
	c.s.mu.Lock()
	p := c.s.pair
	c.s.mu.Unlock()
	if p == nil {
		return
	}
	for name, st := range map[string]httpx.Stats{"smarthr": p.SmartHR.Stats(), "jobkan": p.Jobkan.Stats()} {
		for key, v := range map[string]int64{"requests": st.Requests, "retries": st.Retries, "429": st.TooManyRequests, "5xx": st.ServerErrors} {
			ch <- prometheus.MustNewConstMetric(providerDescs[key], prometheus.CounterValue, float64(v), name)
		}
	}
}
