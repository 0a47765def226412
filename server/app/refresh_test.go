package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

const refreshURL = "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=5&refresh=true"

// withRefreshLimits runs the simulators in the process and turns the
// refresh cooldown and the per-caller limit on (apptest turns them off).
func withRefreshLimits(c *config.Config) {
	c.Sandbox, c.SandboxSize = "1", 50
	c.DiffRefreshCooldown, c.DiffRefreshPerCaller = 30*time.Second, 10*time.Second
}

// providerRequests is how many requests both simulators of env have had.
func providerRequests(e *apptest.Env) (smarthr, jobkan int64) {
	return e.App.Sandbox.Stats(sandbox.SmartHR).Requests, e.App.Sandbox.Stats(sandbox.Jobkan).Requests
}

func generatedAt(t *testing.T, r apptest.Response) string {
	t.Helper()
	var p struct {
		GeneratedAt string `json:"generated_at"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	return p.GeneratedAt
}

// TestDiffRefreshNeedsImportAndIsLimited (issue 14, item 7): a reader's
// refreshes are refused without a provider request; a burst of an
// importer's refreshes costs at most one listing, the others coalesced or
// 429 with Retry-After.
func TestDiffRefreshNeedsImportAndIsLimited(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := apptest.Start(t, d, withRefreshLimits)
			readTok := e.Token(t, auth.ScopeRead)
			importTok := e.Token(t, auth.ScopeImport)
			// What one listing of both systems costs (a plain read of the
			// other direction, which no refresh limit touches).
			s0, j0 := providerRequests(e)
			if r := e.DoToken(t, readTok, "GET", "/api/v1/integrations/jobkan/diffs?direction=jobkan_to_smarthr&limit=5", nil); r.Status != 200 {
				t.Fatalf("plain read: %d %s", r.Status, r.Body)
			}
			s1, j1 := providerRequests(e)
			oneS, oneJ := s1-s0, j1-j0
			t.Logf("one listing: %d SmartHR and %d Jobkan requests", oneS, oneJ)

			// 20 refreshes by a reader: 403 naming the permission, nothing spent.
			for range 20 {
				r := e.DoToken(t, readTok, "GET", refreshURL, nil)
				if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "import permission") {
					t.Fatalf("reader's refresh: %d %s", r.Status, r.Body)
				}
			}
			if r := e.Viewer(t).Do(t, "GET", refreshURL, nil); r.Status != http.StatusForbidden {
				t.Errorf("viewer's refresh: %d %s", r.Status, r.Body)
			}
			if s, j := providerRequests(e); s != s1 || j != j1 {
				t.Fatalf("refused refreshes cost %d SmartHR and %d Jobkan requests", s-s1, j-j1)
			}

			// 20 refreshes by an importer at once.
			var (
				mu     gosync.Mutex
				counts = map[string]int{}
				wg     gosync.WaitGroup
				gen    string
			)
			for range 20 {
				wg.Go(func() {
					r := e.DoToken(t, importTok, "GET", refreshURL, nil)
					mu.Lock()
					defer mu.Unlock()
					switch r.Status {
					case 200:
						counts[r.Header.Get("Hrbridge-Refresh")]++
						gen = generatedAt(t, r)
					case 429:
						counts["429"]++
						if r.Header.Get("Retry-After") == "" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
							t.Errorf("429 without Retry-After or problem: %v %s", r.Header, r.Body)
						}
					default:
						t.Errorf("importer's refresh: %d %s", r.Status, r.Body)
					}
				})
			}
			wg.Wait()
			s2, j2 := providerRequests(e)
			t.Logf("20 refreshes by an importer at once: %v; %d SmartHR and %d Jobkan requests", counts, s2-s1, j2-j1)
			if counts["fresh"] != 1 || counts["fresh"]+counts["coalesced"]+counts["429"] != 20 {
				t.Errorf("outcomes %v, want one fresh, the rest coalesced or 429", counts)
			}
			if s2-s1 > oneS || j2-j1 > oneJ {
				t.Errorf("the burst cost %d SmartHR and %d Jobkan requests, one listing costs %d and %d", s2-s1, j2-j1, oneS, oneJ)
			}

			// Another importer within the cooldown: coalesced, the same
			// snapshot, no provider request.
			admin := e.Admin(t)
			for range 3 {
				r := admin.Do(t, "GET", refreshURL, nil)
				if r.Status == 429 {
					continue
				}
				if r.Status != 200 || r.Header.Get("Hrbridge-Refresh") != "coalesced" || generatedAt(t, r) != gen || r.Header.Get("Hrbridge-Refresh-Next") == "" {
					t.Errorf("admin's refresh within the cooldown: %d %v %s", r.Status, r.Header, r.Body)
				}
			}
			if s, j := providerRequests(e); s != s2 || j != j2 {
				t.Errorf("coalesced refreshes cost %d SmartHR and %d Jobkan requests", s-s2, j-j2)
			}
		})
	}
}

// TestDiffRefreshCooldownAcrossInstances: two instances on one PostgreSQL
// share the cooldown: a refresh on A makes B's refresh coalesced, without a
// provider request from B.
func TestDiffRefreshCooldownAcrossInstances(t *testing.T) {
	a := apptest.Start(t, store.Postgres, withRefreshLimits)
	b := apptest.Start(t, store.Postgres, withRefreshLimits, func(c *config.Config) { c.DatabaseURL = a.Cfg.DatabaseURL })
	tok := a.Token(t, auth.ScopeImport) // a token of the shared database
	// B shows the selection screen (a plain read) before A refreshes.
	if r := b.DoToken(t, tok, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=5", nil); r.Status != 200 {
		t.Fatalf("plain read on B: %d %s", r.Status, r.Body)
	}
	if r := a.Admin(t).Do(t, "GET", refreshURL, nil); r.Status != 200 || r.Header.Get("Hrbridge-Refresh") != "fresh" {
		t.Fatalf("refresh on A: %d %v %s", r.Status, r.Header, r.Body)
	}
	s0, j0 := providerRequests(b)
	r := b.DoToken(t, tok, "GET", refreshURL, nil)
	if r.Status != 200 || r.Header.Get("Hrbridge-Refresh") != "coalesced" {
		t.Fatalf("refresh on B right after A's: %d %v %s", r.Status, r.Header, r.Body)
	}
	if s, j := providerRequests(b); s != s0 || j != j0 {
		t.Errorf("B's coalesced refresh cost %d SmartHR and %d Jobkan requests", s-s0, j-j0)
	}
}
