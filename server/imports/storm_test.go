package imports_test

import (
	"testing"
	"time"

	"hrbridge/server/sandbox"
	"hrbridge/server/store"
)

// TestShort429Storm is issue 11's input: both providers at 2 requests/s,
// 30% of their answers 429 with Retry-After: 1, and 40 new employees
// imported by hrbridge's production clients (MaxAttempts 6, a 3 minute
// budget for 429s). A storm of short waits fails no employee: every
// one is created, exactly once.
//
// At 2 requests/s, 40 creates (a look-up and a POST each) cannot take much
// less than 40 s, and the 429s add their waits: about 1.5 minutes, so
// it runs on SQLite only (PostgreSQL adds nothing to what is tested here:
// the retries are the HTTP clients').
func TestShort429Storm(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 1.5 minutes")
	}
	t.Parallel()
	const (
		size     = 900 // SmartHR-only employees: about size/20, the new ones in Jobkan
		selected = 40
	)
	start0 := time.Now()
	e := start(t, store.SQLite, size)
	dir := toJobkan
	news := pick(e.diff(t, dir), selected, "new")
	if len(news) != selected {
		t.Fatalf("the scenario has %d new employees, want %d", len(news), selected)
	}

	// The storm, in both simulators. hrbridge's clients keep their
	// production settings (limits of 10/s and 5/s, retries): the providers
	// are stricter than hrbridge believes, so their own 429s (Retry-After:
	// 1) add to the injected ones, as in the issue.
	storm := sandbox.Faults{PerSecond: 2, Rate429: 0.3}
	for _, p := range []sandbox.Provider{sandbox.SmartHR, sandbox.Jobkan} {
		if err := e.sb.SetFaults(p, storm); err != nil {
			t.Fatal(err)
		}
	}
	e.App.Conns.TuneSmartHR, e.App.Conns.TuneJobkan = nil, nil
	e.resetClients(t)
	if b := e.App.Conns.HTTP.RetryBudget; b != 3*time.Minute {
		t.Fatalf("the provider clients' retry budget is %s, want the default 3m (HRBRIDGE_PROVIDER_RETRY_BUDGET)", b)
	}

	began := time.Now()
	imp := e.startImport(t, dir, key("storm"), news)
	got := e.wait(t, imp.ID, 3*time.Minute)
	sh, jk := e.sb.Stats(sandbox.SmartHR), e.sb.Stats(sandbox.Jobkan)
	t.Logf("import %s in %s (test %s): %+v; Jobkan saw %d requests (%d injected 429, %d throttled), SmartHR %d (%d injected 429, %d throttled)",
		got.Status, time.Since(began).Round(100*time.Millisecond), time.Since(start0).Round(100*time.Millisecond), got.Counts,
		jk.Requests, jk.Injected429, jk.Throttled, sh.Requests, sh.Injected429, sh.Throttled)

	if got.Status != "succeeded" || got.Counts.Failed != 0 || got.Counts.Created != selected || got.Done != selected {
		for _, r := range e.results(t, imp.ID, "status", "failed") {
			if r.Error != nil {
				t.Logf("%s failed: [%s] %s", r.EmployeeNumber, r.Error.Code, r.Error.Message)
			}
		}
		t.Fatalf("the import ended %s with %+v; want %d created and none failed", got.Status, got.Counts, selected)
	}
	if jk.Injected429 == 0 {
		t.Fatalf("no 429 was injected: %+v", jk)
	}
	writes := e.sb.Writes(sandbox.Jobkan)
	for _, it := range news {
		if w := writes.Employees[it.EmployeeNumber]; w != (sandbox.WriteCount{Creates: 1}) {
			t.Errorf("%s written %+v, want one create", it.EmployeeNumber, w)
		}
	}
	if writes.Total != (sandbox.WriteCount{Creates: selected}) {
		t.Errorf("Jobkan applied %+v, want %d creates", writes.Total, selected)
	}
}
