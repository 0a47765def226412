package imports_test

import (
	"context"
	"fmt"
	gosync "sync"
	"testing"
	"time"

	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// BenchmarkImport1000Changed imports 1,000 changed employees (SmartHR →
// Jobkan) into a simulator that allows 100 requests a second, with
// hrbridge's client tuned to the same limit. It reports the import's
// throughput (employees/s, from started_at to finished_at), that as a
// fraction of the allowed rate (target ≥ 0.9), the employees that failed
// (must be 0) and the requests the simulator refused for the rate (429).
//
//	go test ./server/imports -run '^$' -bench Import1000 -benchtime 1x
func BenchmarkImport1000Changed(b *testing.B) {
	const n, rate = 1000, 100
	e := start(b, store.SQLite, 1100)
	e.limit(b, toJobkan, rate, 0)
	var perSec, failed, throttled, wall float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e.sb.Reset(1, 1100)
		sel := e.makeChanged(b, n)
		if err := e.sb.SetFaults(sandbox.Jobkan, sandbox.Faults{PerSecond: rate}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		imp := e.wait(b, e.startImport(b, toJobkan, key("bench"), sel).ID, 5*time.Minute)
		wall += time.Since(t0).Seconds()
		b.StopTimer()
		if imp.Counts.Updated != n {
			b.Errorf("import ended %+v", imp)
		}
		d := imp.FinishedAt.Sub(*imp.StartedAt).Seconds()
		perSec += float64(n) / d
		failed += float64(imp.Counts.Failed)
		throttled += float64(e.sb.Stats(sandbox.Jobkan).Throttled)
	}
	k := float64(b.N)
	b.ReportMetric(perSec/k, "employees/s")
	b.ReportMetric(perSec/k/rate, "fraction_of_rate")
	b.ReportMetric(failed/k, "failed")
	b.ReportMetric(throttled/k, "429s")
	b.ReportMetric(float64(n)/(wall/k), "employees/s_wall")
}

// makeChanged changes the phone of employees on both sides in SmartHR
// (through its API) until n are changed for SmartHR → Jobkan, and returns
// them as the diff shows them.
func (e *env) makeChanged(tb testing.TB, n int) []diffItem {
	tb.Helper()
	items := e.diff(tb, toJobkan)
	have := len(pick(items, -1, "changed"))
	todo := pick(items, n-have, "unchanged")
	crews, err := e.sh.List(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	byNum := map[string]sync.Employee{} // by the diff's (normalised) number
	for _, c := range crews {
		byNum[sync.Normalise(sync.FieldEmployeeNumber, c.EmployeeNumber)] = c
	}
	var wg gosync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, it := range todo {
		cur, ok := byNum[it.EmployeeNumber]
		if !ok {
			tb.Fatalf("no crew %s", it.EmployeeNumber)
		}
		want := cur
		want.Phone = fmt.Sprintf("090-0000-%04d", i)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := e.sh.Update(context.Background(), cur, want, []sync.Field{sync.FieldPhone}); err != nil {
				tb.Error(err)
			}
		})
	}
	wg.Wait()
	sel := pick(e.diff(tb, toJobkan), n, "changed")
	if len(sel) != n {
		tb.Fatalf("%d changed employees, want %d", len(sel), n)
	}
	return sel
}
