package imports_test

import (
	"syscall"
	"testing"
	"time"

	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// The server is killed (SIGKILL) in the middle of an import and started
// again: the import resumes and finishes, every selected employee is
// written exactly once (as the simulator counts), and the target ends as
// expected. The simulators run in their own process (hrbridge sandbox), as
// the providers would. Again with 20% 429s and 5% 5xx injected.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	bin := hrbridgeBinary(t)
	// Each injected 429 asks for Retry-After: 1, which the clients honour
	// and which holds the whole client: with 20% of them a listing takes
	// several seconds, so the runs are longer there.
	cases := []struct {
		name   string
		faults map[string]any
		sig    syscall.Signal
		rescue time.Duration
	}{
		{"clean", map[string]any{"latency_ms": 20}, syscall.SIGKILL, 4 * time.Second},
		{"faults", map[string]any{"latency_ms": 20, "rate429": 0.2, "error_rate": 0.05}, syscall.SIGKILL, 12 * time.Second},
	}
	for _, d := range storetest.Dialects {
		for _, c := range cases {
			t.Run(string(d)+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				crashAndResume(t, bin, d, c.faults, c.sig, c.rescue)
			})
		}
	}
	// A graceful stop (SIGTERM) hands the import over at once: the next
	// start resumes it without waiting for River's rescue.
	t.Run("sqlite/sigterm", func(t *testing.T) {
		t.Parallel()
		crashAndResume(t, bin, store.SQLite, cases[0].faults, syscall.SIGTERM, cases[0].rescue)
	})
}

func crashAndResume(t *testing.T, bin string, d store.Dialect, faults map[string]any, sig syscall.Signal, rescue time.Duration) {
	dir := t.TempDir()
	sbURL := startSandbox(t, bin, dir, 400, faults)
	dbURL := storetest.URL(t, d)
	addr := freeAddr(t)
	vars := serveVars(addr, dbURL, sbURL, rescue)
	server := startProcess(t, bin, dir, "serve", vars)
	base := "http://" + addr
	waitHTTP(t, base+"/readyz")
	e := remote(t, base)

	// Jobkan → SmartHR: SmartHR's own limit (10/s, which hrbridge keeps to)
	// makes the import take several seconds.
	items := pick(e.diff(t, toSmartHR), -1, "new", "changed")
	if len(items) < 50 {
		t.Fatalf("only %d employees to import", len(items))
	}
	imp := e.startImport(t, toSmartHR, key("crash"), items)
	deadline := time.Now().Add(time.Minute)
	for e.get(t, imp.ID).Done < len(items)/4 {
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %+v", e.get(t, imp.ID))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := server.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	_ = server.Wait()
	before := e.getDB(t, d, dbURL, imp.ID)
	t.Logf("stopped (%s) with %d of %d done", sig, before, len(items))
	if before >= len(items) {
		t.Fatalf("the import ended before the kill; make it slower")
	}

	startProcess(t, bin, dir, "serve", vars)
	waitHTTP(t, base+"/readyz")
	restarted := time.Now()
	got := e.wait(t, imp.ID, 90*time.Second)
	t.Logf("ended %s after the restart", time.Since(restarted).Round(100*time.Millisecond))
	if sig == syscall.SIGTERM && time.Since(restarted) > 15*time.Second {
		t.Errorf("after a graceful stop the import took %s to end", time.Since(restarted))
	}
	if got.Status != "succeeded" || got.Done != len(items) || got.Counts.Created+got.Counts.Updated != len(items) {
		t.Fatalf("after the restart the import ended %+v", got)
	}

	var writes sandbox.Writes
	control(t, "GET", sbURL+sandbox.SmartHRBase+"/_sandbox/writes", nil, &writes)
	if w := writes.Total.Creates + writes.Total.Updates; w != len(items) {
		t.Errorf("%d writes for %d employees", w, len(items))
	}
	for _, it := range items {
		w := writes.Employees[it.EmployeeNumber]
		want := sandbox.WriteCount{Updates: 1}
		if it.Status == "new" {
			want = sandbox.WriteCount{Creates: 1}
		}
		if w != want {
			t.Errorf("%s (%s) written %+v", it.EmployeeNumber, it.Status, w)
		}
	}
	after := byNumber(e.diff(t, toSmartHR))
	for _, it := range items {
		if s := after[it.EmployeeNumber].Status; s != "unchanged" {
			t.Errorf("%s is %s after the import", it.EmployeeNumber, s)
		}
	}
}

// getDB reads an import's progress from the database (the server is down).
func (e *env) getDB(t *testing.T, d store.Dialect, url, id string) int {
	t.Helper()
	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var imp store.Import
	if err := st.DB.Take(&imp, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	return imp.Done
}
