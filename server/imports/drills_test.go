package imports_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
)

// Fault drills: an import runs against the simulators with the providers'
// own limits (SmartHR 10 requests/s, Jobkan 5/s) and hrbridge's production
// clients (their default retries and limits), and part-way through one
// thing goes wrong for a while: provider latency spikes, a storm of 429s, a
// burst of 500s, a provider down for longer than the retries last,
// connections reset, or PostgreSQL "restarts". Each import must end
// succeeded or partially_failed, every employee that failed with an error
// that names the provider and the cause; nothing is lost (every selected
// employee has a final result) or duplicated (at most one write per
// employee, exactly one for those reported created or updated); the target
// ends as reported; and the same service, not restarted, is ready, runs a
// fresh import, and retries the employees that failed.
//
// Runs last as long as in production (HRBRIDGE_JOB_RESCUE_AFTER 2m), so
// that a stall (a job left for River's rescue) would show, except in the
// latency drill: there a run lasts at most 4 s, so that the spike also
// meets the listing at the start of a run and a run's deadline.
func TestDrills(t *testing.T) {
	if testing.Short() {
		t.Skip("fault drills take about a minute")
	}
	t.Parallel()
	drills := []drill{{
		// 1.5 s per request: listing takes most of a run, and writes in
		// flight when a run's time is up are cancelled (left writing, and
		// looked up in the target by the next run).
		name: "latency_spike", dir: toSmartHR, runFor: 4 * time.Second,
		fault: func(f *sandbox.Faults) { f.LatencyMS = 1500 },
		cause: `no answer within|connection failed|HTTP 5\d\d|HTTP 429`,
	}, {
		name: "429_storm", dir: toJobkan,
		fault: func(f *sandbox.Faults) { f.Rate429 = 0.8 },
		cause: `HTTP 429`,
	}, {
		name: "5xx_burst", dir: toSmartHR,
		fault: func(f *sandbox.Faults) { f.ErrorRate = 0.5 },
		cause: `HTTP 500`,
	}, {
		// Every request fails for longer than the clients' and the worker's
		// retries last: the employees being written then fail, with the
		// provider's answer, and the import goes on once it is back.
		name: "5xx_outage", dir: toJobkan, faultFor: 15 * time.Second,
		fault: func(f *sandbox.Faults) { f.ErrorRate = 1 },
		cause: `HTTP 500`,
	}, {
		name: "connection_resets", dir: toJobkan,
		fault: func(f *sandbox.Faults) { f.ResetRate = 0.4 },
		cause: `connection reset|EOF|connection failed`,
	}, {
		name: "postgres_restart", dir: toSmartHR, postgres: true,
	}}
	for _, d := range drills {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			d.run(t)
		})
	}
}

type drill struct {
	name string
	dir  string
	// fault is what goes wrong in both simulators for faultFor (0: 4 s).
	fault    func(*sandbox.Faults)
	faultFor time.Duration
	// cause is what the error of an employee that failed must say, after
	// the provider's name.
	cause string
	// postgres: instead of a provider fault, every connection to the
	// test's database is ended, twice (see restartPostgres).
	postgres bool
	// runFor is HRBRIDGE_JOB_RESCUE_AFTER; 0 is the default (2m).
	runFor time.Duration
}

const (
	drillScenario = 300 // employees in the simulators
	drillSelect   = 40  // employees imported in the drill
)

// baseFaults are the providers' own limits, and a little latency.
var baseFaults = map[sandbox.Provider]sandbox.Faults{
	sandbox.SmartHR: {PerSecond: 10, PerHour: 5000, LatencyMS: 20},
	sandbox.Jobkan:  {PerSecond: 5, PerHour: 3000, LatencyMS: 20},
}

func (d drill) run(t *testing.T) {
	start := time.Now()
	e := startDrill(t, d.runFor)
	// Up to half new employees: a create is the write that cannot simply
	// be sent again.
	all := e.diff(t, d.dir)
	news, changed := pick(all, -1, "new"), pick(all, -1, "changed")
	n := min(len(news)-1, drillSelect/2)
	if len(news) < n+1 || len(changed) < drillSelect-n+2 {
		t.Fatalf("only %d new and %d changed employees", len(news), len(changed))
	}
	sel := append(news[:n:n], changed[:drillSelect-n]...)
	spare := []diffItem{news[n], changed[drillSelect-n], changed[drillSelect-n+1]}
	imp := e.startImport(t, d.dir, key(d.name), sel)

	// The fault begins once the import is writing.
	e.awaitDone(t, imp.ID, 3)
	if d.postgres {
		e.restartPostgres(t, imp.ID)
	} else {
		e.setFaults(t, d.fault)
		time.Sleep(cmp.Or(d.faultFor, 4*time.Second))
		e.setFaults(t, nil)
	}
	got := e.await(t, imp.ID, 2*time.Minute)
	target := targetOf(d.dir)
	st := e.sb.Stats(target)
	var attempts int
	if err := e.App.Store.DB.Raw(`SELECT attempt FROM river_job WHERE kind = 'import' AND args->>'import_id' = ?`, imp.ID).
		Scan(&attempts).Error; err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %s in %s (job attempts: %d) — %d created, %d updated, %d unchanged, %d skipped, %d failed; target saw %d requests (%d 429, %d 500, %d reset)",
		d.name, got.Status, time.Since(start).Round(100*time.Millisecond), attempts, got.Counts.Created, got.Counts.Updated,
		got.Counts.Unchanged, got.Counts.Skipped, got.Counts.Failed, st.Requests, st.Injected429, st.InjectedErrors, st.InjectedResets)

	// It ended, and every employee has a final result.
	switch got.Status {
	case "succeeded":
	case "partially_failed":
		if d.postgres {
			t.Errorf("losing the database connections failed employees")
		}
	default:
		t.Fatalf("the import ended %s: %+v", got.Status, got)
	}
	c := got.Counts
	if got.Done != drillSelect || got.Total != drillSelect || c.Created+c.Updated+c.Unchanged+c.Skipped+c.Failed != drillSelect {
		t.Errorf("import %+v: not every employee settled once", got)
	}
	results := e.results(t, imp.ID)
	if len(results) != drillSelect {
		t.Fatalf("%d results for %d employees", len(results), drillSelect)
	}
	byNum := resultsBy(results)
	provider := "SmartHR"
	if target == sandbox.Jobkan {
		provider = "Jobkan"
	}
	causeRE := regexp.MustCompile(`^` + provider + ` API: .*(` + d.cause + `)`)
	for _, it := range sel {
		r, ok := byNum[it.EmployeeNumber]
		if !ok {
			t.Errorf("%s has no result", it.EmployeeNumber)
			continue
		}
		switch r.Status {
		case "created", "updated", "unchanged", "skipped_stale":
		case "failed":
			// The technical cause is in the detail; the headline and advice
			// are the catalogue's (an outage never says "fix the data").
			if r.Error == nil || !strings.HasPrefix(r.Error.Code, strings.ToLower(provider)+".") || !causeRE.MatchString(r.Error.Detail) ||
				r.Error.Message == "" || r.Error.Advice == "" || strings.Contains(r.Error.Message, "API:") ||
				(strings.HasSuffix(r.Error.Code, ".unavailable") && r.Error.Action != "retry_later") {
				t.Errorf("%s failed without a clear error: %+v", it.EmployeeNumber, r.Error)
			} else {
				t.Logf("%s failed: [%s] %s", it.EmployeeNumber, r.Error.Code, r.Error.Message)
			}
		default:
			t.Errorf("%s ended %s", it.EmployeeNumber, r.Status)
		}
	}

	// Nothing written twice, nothing reported that was not written, and
	// nothing written that was not selected. (The simulators' faults act
	// before a request is handled, so an employee that failed was not
	// written either.)
	writes := e.sb.Writes(target)
	for _, it := range sel {
		r, w := byNum[it.EmployeeNumber], writes.Employees[it.EmployeeNumber]
		var want sandbox.WriteCount
		switch r.Status {
		case "created":
			want.Creates = 1
		case "updated":
			want.Updates = 1
		}
		if w != want {
			t.Errorf("%s (%s, %s) written %+v, want %+v", it.EmployeeNumber, it.Status, r.Status, w, want)
		}
	}
	if w := writes.Total; w.Creates != c.Created || w.Updates != c.Updated {
		t.Errorf("the target applied %+v for %d created and %d updated", w, c.Created, c.Updated)
	}
	after := byNumber(e.diff(t, d.dir))
	for _, it := range sel {
		written := byNum[it.EmployeeNumber].Status == "created" || byNum[it.EmployeeNumber].Status == "updated"
		if s := after[it.EmployeeNumber].Status; written != (s == "unchanged") {
			t.Errorf("%s is %s after the import that reported it %s", it.EmployeeNumber, s, byNum[it.EmployeeNumber].Status)
		}
	}

	// The same service, not restarted, is ready and imports again.
	r, err := http.Get(e.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("/readyz after the drill: %d", r.StatusCode)
	}
	fresh := e.startImport(t, d.dir, key(d.name+"-after"), spare)
	if got := e.await(t, fresh.ID, time.Minute); got.Status != "succeeded" || got.Done != len(spare) {
		t.Errorf("the import after the drill ended %+v", got)
	}
	again := spare
	// The employees that failed are imported by a retry, each written once
	// in all.
	if c.Failed > 0 {
		r := e.admin.Do(t, "POST", "/api/v1/imports/"+imp.ID+"/retry", nil)
		if r.Status != 202 {
			t.Fatalf("retry: %d %s", r.Status, r.Body)
		}
		var retry importOut
		r.JSON(t, &retry)
		if got := e.await(t, retry.ID, time.Minute); got.Status != "succeeded" || got.Done != c.Failed {
			t.Errorf("the retry of the %d failed employees ended %+v", c.Failed, got)
		}
		for _, it := range sel {
			if byNum[it.EmployeeNumber].Status == "failed" {
				again = append(again, it)
			}
		}
	}
	writes = e.sb.Writes(target)
	for _, it := range again {
		if w := writes.Employees[it.EmployeeNumber]; w.Creates+w.Updates != 1 {
			t.Errorf("%s written %+v by the import after the drill", it.EmployeeNumber, w)
		}
	}
}

// startDrill is hrbridge on PostgreSQL with the simulators mounted at their
// providers' limits and production provider clients.
func startDrill(t *testing.T, runFor time.Duration) *env {
	t.Helper()
	e := start(t, store.Postgres, drillScenario, func(c *config.Config) { c.JobRescueAfter = runFor })
	e.App.Conns.TuneSmartHR, e.App.Conns.TuneJobkan = nil, nil
	e.setFaults(t, nil)
	e.resetClients(t)
	return e
}

// setFaults gives both simulators their base faults, changed by f.
func (e *env) setFaults(t *testing.T, f func(*sandbox.Faults)) {
	t.Helper()
	for p, base := range baseFaults {
		if f != nil {
			f(&base)
		}
		if err := e.sb.SetFaults(p, base); err != nil {
			t.Fatal(err)
		}
	}
}

// tryGet reads an import; false while the service cannot answer (its
// database is away).
func (e *env) tryGet(t *testing.T, id string) (importOut, bool) {
	t.Helper()
	var imp importOut
	r := e.admin.Do(t, "GET", "/api/v1/imports/"+id, nil)
	if r.Status != 200 {
		return imp, false
	}
	r.JSON(t, &imp)
	return imp, true
}

// awaitDone waits until at least n employees of the import are done.
func (e *env) awaitDone(t *testing.T, id string, n int) importOut {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if imp, ok := e.tryGet(t, id); ok && imp.Done >= n {
			if imp.ended() {
				t.Fatalf("the import ended before the drill: %+v", imp)
			}
			return imp
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s has not reached %d done", id, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// await is wait that bears with moments when the service cannot answer.
func (e *env) await(t *testing.T, id string, timeout time.Duration) importOut {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		imp, ok := e.tryGet(t, id)
		if ok && imp.ended() {
			return imp
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s has not ended after %s: %+v", id, timeout, imp)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// restartPostgres does to hrbridge what a restart of its PostgreSQL server
// does, twice during the import. Restarting the machine's shared server
// would break the other packages' tests running at the same time, so only
// this test's own database is affected: every backend connected to it is
// terminated (pg_terminate_backend, from a connection of the test's own),
// which is what a server restart looks like to a client: each pooled
// connection, River's included, fails on its next use (or the pool's check
// before it) and is replaced.
//
// The first time, the database is back at once (a fast restart). The second
// time, it also refuses new connections for two seconds (ALLOW_CONNECTIONS
// false, as a server starting up does), while the import is writing again.
func (e *env) restartPostgres(t *testing.T, id string) {
	t.Helper()
	u, err := url.Parse(e.Cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	// The connections are ended from another database of the same server
	// (PostgreSQL refuses to close the database one is connected to).
	adminURL := os.Getenv("HRBRIDGE_TEST_DATABASE_URL")
	if adminURL == "" {
		u.Path = "/postgres"
		adminURL = u.String()
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := conn.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	terminate := func() int64 {
		return exec(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, dbName)
	}
	allow := func(on bool) {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %q ALLOW_CONNECTIONS %t`, dbName, on)); err != nil {
			t.Fatal(err)
		}
	}

	imp, _ := e.tryGet(t, id)
	t.Logf("restart 1 at %d of %d done: %d connections ended", imp.Done, imp.Total, terminate())

	// Once the import writes again, the second one, with a down time.
	before := imp.Done
	deadline := time.Now().Add(time.Minute)
	for {
		imp, ok := e.tryGet(t, id)
		if ok && imp.ended() {
			t.Fatalf("the import ended before the second restart: %+v", imp)
		}
		if ok && imp.Done >= before+3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress after the first restart: %+v", imp)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer func() { // also when the test fails meanwhile
		_, _ = conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %q ALLOW_CONNECTIONS true`, dbName))
	}()
	allow(false)
	imp, _ = e.tryGet(t, id) // before the terminations: answered from a live connection
	n := terminate()
	time.Sleep(500 * time.Millisecond)
	if r, err := http.Get(e.URL + "/readyz"); err == nil {
		r.Body.Close()
		if r.StatusCode == 200 {
			t.Errorf("/readyz is 200 while the database refuses connections")
		}
	}
	time.Sleep(1500 * time.Millisecond)
	allow(true)
	t.Logf("restart 2 at %d of %d done: %d connections ended, 2 s refusing new ones", imp.Done, imp.Total, n)
}
