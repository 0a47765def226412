package providers_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

// The listing benchmarks run against a simulator that adds 20 ms to every
// request and allows 10 requests/s, with the client limited to the same 10/s.
// They report how close the listing comes to the bound the limit sets
// (pages ÷ rate) and that the limiter never lets a 429 happen.
const (
	benchSize    = 10_000
	benchRate    = 10
	benchLatency = 20
)

type lister interface {
	hrsync.Connector
	Stats() httpx.Stats
}

func benchList(b *testing.B, p sandbox.Provider, connect func(url string, l httpx.Limits) lister, pages int) {
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: benchSize})
	if err := sb.SetFaults(p, sandbox.Faults{LatencyMS: benchLatency, PerSecond: benchRate, PerHour: 5000, TokenTTLSeconds: 3600}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	c := connect(srv.URL, httpx.Limits{PerSecond: benchRate, PerHour: 5000})

	var elapsed time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		all, err := c.List(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(all) != benchSize {
			b.Fatalf("%d employees", len(all))
		}
		elapsed += time.Since(start)
		n++
	}
	st := c.Stats()
	bound := float64(pages) / benchRate
	secs := elapsed.Seconds() / float64(n)
	b.ReportMetric(float64(st.Requests)/float64(n), "requests/op")
	b.ReportMetric(secs, "s/op")
	b.ReportMetric(bound, "bound-s/op")
	b.ReportMetric(secs/bound, "ratio")
	b.ReportMetric(float64(st.TooManyRequests)/float64(n), "429s/op")
	if th := sb.Stats(p).Throttled; th != 0 {
		b.Errorf("the simulator throttled %d requests", th)
	}
}

func BenchmarkListSmartHR10k(b *testing.B) {
	benchList(b, sandbox.SmartHR, func(url string, l httpx.Limits) lister {
		c, err := smarthr.New(url+sandbox.SmartHRBase+"/api", sandbox.SmartHRToken, smarthr.Options{Limits: l})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}, benchSize/100)
}

func BenchmarkListJobkan10k(b *testing.B) {
	benchList(b, sandbox.Jobkan, func(url string, l httpx.Limits) lister {
		base := url + sandbox.JobkanBase
		c, err := jobkan.New(base, base+"/oauth/token", sandbox.JobkanClientID, sandbox.JobkanClientSecret, jobkan.Options{Limits: l})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}, benchSize/100+1) // keyset paging ends on an empty page
}
