package app_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
)

// BenchmarkAPILoad drives the running server with wrk (a second process on
// loopback) against a diff page from a warm 100,000-employee snapshot, the
// history and /me, on SQLite and on PostgreSQL, and reports p99 latency,
// throughput and errors. It also reports the heap the snapshot holds.
//
//	go test ./server/app -run '^$' -bench APILoad -benchtime 1x
//
// HRBRIDGE_BENCH_DURATION (default 30s), HRBRIDGE_BENCH_SIZE (default 100000)
// and HRBRIDGE_BENCH_CONNECTIONS (default 100) shorten or vary the run.
func BenchmarkAPILoad(b *testing.B) {
	if _, err := exec.LookPath("wrk"); err != nil {
		b.Skip("SKIPPED: wrk is not installed (apt-get install wrk)")
	}
	// Request logs are formatted as in production but not written: at tens of
	// thousands of requests a second they would bury the results.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	duration := envOr("HRBRIDGE_BENCH_DURATION", "30s")
	size, _ := strconv.Atoi(envOr("HRBRIDGE_BENCH_SIZE", "100000"))
	conns := envOr("HRBRIDGE_BENCH_CONNECTIONS", "100")
	// The simulators run in their own process, as the providers do in
	// production: the server's heap then holds only what it holds for real.
	sandboxURL := startSandbox(b, size)
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			env := apptest.Start(b, d, func(c *config.Config) { c.Sandbox = sandboxURL })
			unlimited := httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit}
			env.App.Conns.TuneSmartHR = func(o *smarthr.Options) { o.Limits = unlimited }
			env.App.Conns.TuneJobkan = func(o *jobkan.Options) { o.Limits = unlimited }
			token := env.Token(b, "read")
			heapBefore := heapInUse()
			start := time.Now()
			if r := env.DoToken(b, token, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=1", nil); r.Status != 200 {
				b.Fatalf("warm the snapshot: %d %s", r.Status, r.Body)
			}
			b.ReportMetric(time.Since(start).Seconds(), "snapshot_fetch_s")
			b.ReportMetric(float64(heapInUse()-heapBefore)/(1<<20), "snapshot_heap_MB")
			for _, ep := range []struct{ name, path string }{
				{"diffs", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=100"},
				{"history", "/api/v1/imports?limit=50"},
				{"me", "/api/v1/me"},
			} {
				res := runWrk(b, env.URL+ep.path, token, conns, duration)
				b.Logf("%s %s: %+v", d, ep.name, res)
				b.ReportMetric(res.p99ms, ep.name+"_p99_ms")
				b.ReportMetric(res.rps, ep.name+"_req/s")
				b.ReportMetric(float64(res.errors), ep.name+"_errors")
			}
		})
	}
}

// startSandbox builds hrbridge and runs `hrbridge sandbox` with size
// employees and no rate limits until b ends; it returns its URL.
func startSandbox(b *testing.B, size int) string {
	dir := b.TempDir()
	bin := filepath.Join(dir, "hrbridge")
	if out, err := exec.Command("go", "build", "-o", bin, "hrbridge/server").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "sandbox")
	cmd.Env = append(os.Environ(), "HRBRIDGE_ADDR="+addr, "HRBRIDGE_SANDBOX_SIZE="+strconv.Itoa(size))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://" + addr
	for i := 0; ; i++ {
		req, _ := http.NewRequest("POST", url+sandbox.SmartHRBase+"/_sandbox/reset", strings.NewReader(fmt.Sprintf(`{"seed":1,"size":%d}`, size)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(sandbox.ControlHeader, "1")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			break
		}
		if i > 100 {
			b.Fatalf("sandbox did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, base := range []string{sandbox.SmartHRBase, sandbox.JobkanBase} {
		req, _ := http.NewRequest("PUT", url+base+"/_sandbox/faults", strings.NewReader(`{"per_second":0,"per_hour":0}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(sandbox.ControlHeader, "1")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("lift the simulator's limits: %v %v", err, res)
		}
		res.Body.Close()
	}
	return url
}

type wrkResult struct {
	p99ms, rps float64
	errors     int
}

func runWrk(b *testing.B, url, token, conns, duration string) wrkResult {
	out, err := exec.Command("wrk", "-t2", "-c"+conns, "-d"+duration, "--latency", "--timeout", "10s",
		"-H", "Authorization: Bearer "+token, url).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	s := string(out)
	var r wrkResult
	if m := regexp.MustCompile(`(?m)^\s+99%\s+([\d.]+)(us|ms|s)`).FindStringSubmatch(s); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		r.p99ms = v * map[string]float64{"us": 0.001, "ms": 1, "s": 1000}[m[2]]
	} else {
		b.Fatalf("no p99 in wrk output:\n%s", s)
	}
	if m := regexp.MustCompile(`Requests/sec:\s+([\d.]+)`).FindStringSubmatch(s); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	for _, re := range []string{`Non-2xx or 3xx responses: (\d+)`, `Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`} {
		if m := regexp.MustCompile(re).FindStringSubmatch(s); m != nil {
			for _, n := range m[1:] {
				v, _ := strconv.Atoi(n)
				r.errors += v
			}
		}
	}
	if r.errors > 0 {
		b.Errorf("%d errors under load:\n%s", r.errors, s)
	}
	return r
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func envOr(k, def string) string {
	if v := strings.TrimSpace(os.Getenv(k)); v != "" {
		return v
	}
	return def
}
