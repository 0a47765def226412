package providers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/sandbox"
)

func TestDebugTiming(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: 10000})
	sb.SetFaults(sandbox.SmartHR, sandbox.Faults{LatencyMS: 20, PerSecond: 10, PerHour: 5000})
	sb.SetFaults(sandbox.Jobkan, sandbox.Faults{LatencyMS: 20, PerSecond: 10, PerHour: 5000})
	var mu sync.Mutex
	var arr []time.Time
	h := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock(); arr = append(arr, time.Now()); mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	start := time.Now()
	if t.Name() != "" {
		c, _ := smarthr.New(srv.URL+"/sandbox/smarthr/api", "sandbox-token", smarthr.Options{Limits: httpx.Limits{PerSecond: 10, PerHour: 5000}})
		c.List(context.Background())
		t.Logf("smarthr %s %+v", time.Since(start), c.Stats())
	}
	for i := 10; i < len(arr); i++ { if d := arr[i].Sub(arr[i-10]); d < 1000*time.Millisecond { t.Logf("tight %d %s", i, d) } }
	for i := 0; i < len(arr); i += 10 { t.Logf("%d %s", i, arr[i].Sub(start)) }
	arr = nil
	start = time.Now()
	j, _ := jobkan.New(srv.URL+"/sandbox/jobkan", srv.URL+"/sandbox/jobkan/oauth/token", "sandbox-client", "sandbox-secret", jobkan.Options{Limits: httpx.Limits{PerSecond: 10, PerHour: 5000}})
	j.List(context.Background())
	t.Logf("jobkan %s %+v %+v", time.Since(start), j.Stats(), sb.Stats(sandbox.Jobkan))
	for i := 11; i < len(arr); i++ { if d := arr[i].Sub(arr[i-10]); d < 1000*time.Millisecond { t.Logf("tight %d %s", i, d) } }
	for i := 0; i < len(arr); i += 10 { t.Logf("%d %s", i, arr[i].Sub(start)) }
}
