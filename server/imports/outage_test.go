package imports_test

import (
	"strings"
	"testing"
	"time"

	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store/storetest"
)

// waitingOut is an import as the API shows it while it waits for a provider.
type waitingOut struct {
	importOut
	Waiting *struct {
		Provider      string    `json:"provider"`
		ReasonCode    string    `json:"reason_code"`
		Message       string    `json:"message"`
		Since         time.Time `json:"since"`
		NextAttemptAt time.Time `json:"next_attempt_at"`
	} `json:"waiting"`
}

func (e *env) getWaiting(t *testing.T, id string) waitingOut {
	t.Helper()
	r := e.admin.Do(t, "GET", "/api/v1/imports/"+id, nil)
	if r.Status != 200 {
		t.Fatalf("get import: %d %s", r.Status, r.Body)
	}
	var imp waitingOut
	r.JSON(t, &imp)
	return imp
}

// awaitWaiting polls until the import says what it waits for.
func (e *env) awaitWaiting(t *testing.T, id string, within time.Duration) waitingOut {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		imp := e.getWaiting(t, id)
		if imp.Waiting != nil {
			return imp
		}
		if imp.ended() || time.Now().After(deadline) {
			t.Fatalf("import %s does not say what it waits for after %s: %+v", id, within, imp)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (e *env) down(t *testing.T, p sandbox.Provider, down bool) {
	t.Helper()
	f := sandbox.Faults{}
	if down {
		f.ErrorRate = 1
	}
	if err := e.sb.SetFaults(p, f); err != nil {
		t.Fatal(err)
	}
}

// TestProviderOutageWaitAndCancel (issue 14, item 6): with SmartHR
// answering 500, an import says within seconds what it waits for (provider,
// cause, next attempt); a later import into the same system is not queued
// silently behind it; and 中止 ends both within seconds while SmartHR is
// still down, with nothing written.
func TestProviderOutageWaitAndCancel(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, 120)
			items := e.diff(t, toJobkan)
			all := pick(items, 12, "changed", "new")
			sel, later := all[:8], all[8:]
			e.down(t, sandbox.SmartHR, true)

			began := time.Now()
			imp := e.startImport(t, toJobkan, key("outage"), sel)
			w := e.awaitWaiting(t, imp.ID, 10*time.Second)
			t.Logf("waiting after %s: %+v", time.Since(began).Round(time.Millisecond), *w.Waiting)
			if w.Status != "running" || w.Waiting.Provider != "smarthr" || !strings.HasPrefix(w.Waiting.ReasonCode, "smarthr.") ||
				!strings.Contains(w.Waiting.Message, "SmartHR") || !w.Waiting.NextAttemptAt.After(w.Waiting.Since) {
				t.Fatalf("waiting: %+v %+v", w.importOut, *w.Waiting)
			}
			// The history lists it with the same.
			r := e.admin.Do(t, "GET", "/api/v1/imports", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), `"waiting":{`) {
				t.Errorf("history does not show the waiting: %d %s", r.Status, r.Body)
			}

			// A later import into the same system does not wait silently
			// behind it: the waiting one yields its turn, so the later one
			// tries and waits with a visible reason too.
			second := e.startImport(t, toJobkan, key("later"), later)
			e.awaitWaiting(t, second.ID, 10*time.Second)

			for _, id := range []string{imp.ID, second.ID} {
				asked := time.Now()
				if r := e.admin.Do(t, "POST", "/api/v1/imports/"+id+"/cancel", nil); r.Status != 202 {
					t.Fatalf("cancel: %d %s", r.Status, r.Body)
				}
				got := e.wait(t, id, 5*time.Second)
				t.Logf("canceled in %s", time.Since(asked).Round(time.Millisecond))
				if got.Status != "canceled" || got.Done != 0 {
					t.Errorf("after cancel: %+v", got)
				}
				if w := e.getWaiting(t, id); w.Waiting != nil {
					t.Errorf("a canceled import still waits: %+v", *w.Waiting)
				}
			}
			// A run whose listing hangs (SmartHR answers after 20 s) is
			// canceled within a second: the calls in flight are cut.
			if err := e.sb.SetFaults(sandbox.SmartHR, sandbox.Faults{LatencyMS: 20000}); err != nil {
				t.Fatal(err)
			}
			hung := e.startImport(t, toJobkan, key("hung"), later)
			for e.get(t, hung.ID).Status != "running" {
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond)
			asked := time.Now()
			if r := e.admin.Do(t, "POST", "/api/v1/imports/"+hung.ID+"/cancel", nil); r.Status != 202 {
				t.Fatalf("cancel: %d %s", r.Status, r.Body)
			}
			got := e.wait(t, hung.ID, 3*time.Second)
			t.Logf("a run in flight canceled in %s", time.Since(asked).Round(time.Millisecond))
			if got.Status != "canceled" {
				t.Errorf("after cancel: %+v", got)
			}
			writes := e.sb.Writes(sandbox.Jobkan)
			if n := writes.Total.Creates + writes.Total.Updates; n != 0 {
				t.Errorf("%d writes to Jobkan", n)
			}
		})
	}
}

// TestProviderOutageGivesUp (issue 14, item 6): after the give-up time the
// import ends failed, every employee failed with the cause; once SmartHR is
// back a retry writes each of them exactly once.
func TestProviderOutageGivesUp(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, 120, func(c *config.Config) { c.ImportGiveUpAfter = 4 * time.Second })
			items := e.diff(t, toJobkan)
			sel := pick(items, 10, "changed", "new")
			e.down(t, sandbox.SmartHR, true)

			began := time.Now()
			imp := e.startImport(t, toJobkan, key("outage"), sel)
			e.awaitWaiting(t, imp.ID, 10*time.Second)
			got := e.wait(t, imp.ID, 30*time.Second)
			t.Logf("ended %s after %s", got.Status, time.Since(began).Round(time.Millisecond))
			if got.Status != "failed" || got.Counts.Failed != len(sel) || got.Done != len(sel) {
				t.Fatalf("after giving up: %+v", got)
			}
			for _, r := range e.results(t, imp.ID) {
				if r.Status != "failed" || r.Error == nil || !strings.HasPrefix(r.Error.Code, "smarthr.") || !strings.Contains(r.Error.Message, "SmartHR") {
					t.Errorf("result %+v", r)
				}
			}
			if w := e.getWaiting(t, imp.ID); w.Waiting != nil {
				t.Errorf("an ended import still waits: %+v", *w.Waiting)
			}

			e.down(t, sandbox.SmartHR, false)
			r := e.admin.Do(t, "POST", "/api/v1/imports/"+imp.ID+"/retry", nil, "Idempotency-Key", key("retry"))
			if r.Status != 202 {
				t.Fatalf("retry: %d %s", r.Status, r.Body)
			}
			var retry importOut
			r.JSON(t, &retry)
			if got := e.wait(t, retry.ID, time.Minute); got.Status != "succeeded" || got.Counts.Created+got.Counts.Updated != len(sel) {
				t.Fatalf("retry: %+v", got)
			}
			writes := e.sb.Writes(sandbox.Jobkan)
			for _, it := range sel {
				if w := writes.Employees[it.EmployeeNumber]; w.Creates+w.Updates != 1 {
					t.Errorf("%s written %d times", it.EmployeeNumber, w.Creates+w.Updates)
				}
			}
			if n := writes.Total.Creates + writes.Total.Updates; n != len(sel) {
				t.Errorf("%d writes for %d employees", n, len(sel))
			}
		})
	}
}
