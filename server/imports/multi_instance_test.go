package imports_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"syscall"
	"testing"
	"time"

	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// smarthrLock is the PostgreSQL advisory lock held by the instance running
// an import into SmartHR (lockKeys in lock.go), as pg_locks shows a bigint
// key: its high and low 32 bits.
const smarthrLock int64 = 0x6872627264670001

// Two `hrbridge serve` processes on one PostgreSQL database (the simulators
// in a third process, `hrbridge sandbox`). Two imports into SmartHR are
// started at once, one through each instance: they run one after the other.
// The instance running the first one is killed (SIGKILL) part-way; the
// other instance resumes it after River's rescue, then runs the second one.
// Both succeed, never overlapping, every selected employee is written
// exactly once (as the simulator counts) and SmartHR ends as expected.
func TestMultiInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	t.Parallel()
	bin := hrbridgeBinary(t)
	dir := t.TempDir()
	sbURL := startSandbox(t, bin, dir, 400, map[string]any{"latency_ms": 20})
	dbURL := storetest.URL(t, store.Postgres)

	// Each instance names its sessions (application_name), so that
	// pg_locks tells which one holds the import lock.
	names := []string{"hrbridge-a", "hrbridge-b"}
	procs := make([]*proc, 2)
	envs := make([]*env, 2)
	addrs := []string{freeAddr(t), freeAddr(t)}
	for i, name := range names { // started together: their migrations meet
		procs[i] = startProcess(t, bin, dir, "serve", serveVars(addrs[i], withAppName(t, dbURL, name), sbURL, 4*time.Second))
	}
	for i := range names {
		waitHTTP(t, "http://"+addrs[i]+"/readyz")
		envs[i] = remote(t, "http://"+addrs[i])
	}
	admin := openAdmin(t, dbURL)

	items := pick(envs[0].diff(t, toSmartHR), -1, "new", "changed")
	if len(items) < 60 {
		t.Fatalf("only %d employees to import", len(items))
	}
	half := len(items) / 2
	sel := [][]diffItem{items[:half], items[half:]}
	imps := []importOut{
		envs[0].startImport(t, toSmartHR, key("inst-a"), sel[0]),
		envs[1].startImport(t, toSmartHR, key("inst-b"), sel[1]),
	}

	// Wait until one of them is a quarter done, then kill the instance
	// holding SmartHR's import lock: it is the one running that import.
	first := -1
	deadline := time.Now().Add(time.Minute)
	for first < 0 {
		for i, imp := range imps {
			if got := envs[0].get(t, imp.ID); got.Done >= got.Total/4 && got.Done > 0 {
				first = i
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %+v %+v", envs[0].get(t, imps[0].ID), envs[0].get(t, imps[1].ID))
		}
		time.Sleep(50 * time.Millisecond)
	}
	victim := killLockHolder(t, admin, procs, names)
	survivor := envs[1-victim]
	killed := time.Now()
	done := make([]int, 2)
	for i, imp := range imps {
		done[i] = importDone(t, admin, imp.ID)
	}
	t.Logf("killed %s (it ran the import started on %s) with %d of %d done; the other import had %d of %d done",
		names[victim], names[first], done[first], len(sel[first]), done[1-first], len(sel[1-first]))
	if done[first] >= len(sel[first]) {
		t.Fatal("the import ended before the kill; make it slower")
	}

	var ended []importOut
	for i, imp := range imps {
		got := survivor.wait(t, imp.ID, 2*time.Minute)
		t.Logf("import %d ended %s after the kill: %s, %d created, %d updated", i, time.Since(killed).Round(100*time.Millisecond),
			got.Status, got.Counts.Created, got.Counts.Updated)
		if got.Status != "succeeded" || got.Done != len(sel[i]) || got.Counts.Created+got.Counts.Updated != len(sel[i]) {
			t.Errorf("import %d ended %+v", i, got)
		}
		ended = append(ended, got)
	}
	if a, b := ended[0], ended[1]; a.StartedAt != nil && b.StartedAt != nil && a.FinishedAt != nil && b.FinishedAt != nil &&
		a.StartedAt.Before(*b.FinishedAt) && b.StartedAt.Before(*a.FinishedAt) {
		t.Errorf("the imports overlapped: %s–%s and %s–%s", a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt)
	}

	var writes sandbox.Writes
	control(t, "GET", sbURL+sandbox.SmartHRBase+"/_sandbox/writes", nil, &writes)
	if w := writes.Total.Creates + writes.Total.Updates; w != len(items) {
		t.Errorf("%d writes for %d employees", w, len(items))
	}
	for _, it := range items {
		want := sandbox.WriteCount{Updates: 1}
		if it.Status == "new" {
			want = sandbox.WriteCount{Creates: 1}
		}
		if w := writes.Employees[it.EmployeeNumber]; w != want {
			t.Errorf("%s (%s) written %+v", it.EmployeeNumber, it.Status, w)
		}
	}
	after := byNumber(survivor.diff(t, toSmartHR))
	for _, it := range items {
		if s := after[it.EmployeeNumber].Status; s != "unchanged" {
			t.Errorf("%s is %s after the imports", it.EmployeeNumber, s)
		}
	}
}

// withAppName adds application_name to a PostgreSQL URL.
func withAppName(t *testing.T, dbURL, name string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// openAdmin is a connection pool of the test's own to its database.
func openAdmin(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", withAppName(t, dbURL, "hrbridge-test-admin"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// lockHolder is the application_name of the session holding SmartHR's
// import lock ("" when none does).
func lockHolder(t *testing.T, admin *sql.DB) string {
	t.Helper()
	var name string
	err := admin.QueryRowContext(context.Background(), `
		SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND l.classid::bigint = $1 AND l.objid::bigint = $2`,
		smarthrLock>>32, smarthrLock&0xffffffff).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// killLockHolder kills (SIGKILL) the instance running an import into
// SmartHR and returns its index. It is frozen first (SIGSTOP) and the lock
// looked up again, so that a run handing over at that very moment cannot
// make the wrong instance die: a frozen process cannot let go of its lock.
func killLockHolder(t *testing.T, admin *sql.DB, procs []*proc, names []string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		holder := lockHolder(t, admin)
		for i, name := range names {
			if holder != name {
				continue
			}
			if err := procs[i].Process.Signal(syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			if lockHolder(t, admin) != name { // it handed over meanwhile
				_ = procs[i].Process.Signal(syscall.SIGCONT)
				break
			}
			if err := procs[i].Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = procs[i].Wait()
			return i
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no instance holds SmartHR's import lock")
	return -1
}

// importDone reads an import's progress from the database.
func importDone(t *testing.T, admin *sql.DB, id string) int {
	t.Helper()
	var done int
	if err := admin.QueryRow("SELECT done FROM imports WHERE id = $1", id).Scan(&done); err != nil {
		t.Fatal(err)
	}
	return done
}
