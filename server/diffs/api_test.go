package diffs_test

import (
	"fmt"
	"net/url"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

type page struct {
	Direction   string    `json:"direction"`
	GeneratedAt time.Time `json:"generated_at"`
	Summary     struct{ Unchanged, Changed, New, Conflict, Total int }
	Items       []struct {
		EmployeeNumber string `json:"employee_number"`
		DisplayName    string `json:"display_name"`
		Status         string
		Fingerprint    string
		Reason         *string
		Fields         []struct {
			Name    string
			Old     *string
			New     string
			Changed bool
		}
		// A pointer, so that a missing array is told from an empty one.
		Warnings *[]struct{ Code, Message string }
	}
	NextCursor *string `json:"next_cursor"`
}

// start runs hrbridge with the simulators mounted (size employees) and
// provider limits lifted, so tests do not wait on rate limits.
func start(t *testing.T, d store.Dialect, size int) (*apptest.Env, *apptest.Session) {
	env := apptest.Start(t, d, func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", size })
	env.App.Conns.TuneSmartHR = func(o *smarthr.Options) {
		o.Limits = httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit}
		o.HTTP.MaxAttempts, o.HTTP.BaseDelay = 2, 10*time.Millisecond
	}
	env.App.Conns.TuneJobkan = func(o *jobkan.Options) {
		o.Limits = httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit}
		o.HTTP.MaxAttempts, o.HTTP.BaseDelay = 2, 10*time.Millisecond
	}
	for _, p := range []sandbox.Provider{sandbox.SmartHR, sandbox.Jobkan} {
		if err := env.App.Sandbox.SetFaults(p, sandbox.Faults{}); err != nil {
			t.Fatal(err)
		}
	}
	return env, env.Admin(t)
}

func get(t *testing.T, s *apptest.Session, query string) page {
	t.Helper()
	r := s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?"+query, nil)
	if r.Status != 200 {
		t.Fatalf("GET diffs?%s = %d %s", query, r.Status, r.Body)
	}
	var p page
	r.JSON(t, &p)
	return p
}

// The seeded scenario through both directions: every status appears, the
// summary adds up, and form-only differences are not changes.
func TestDiffsBothDirections(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			_, s := start(t, d, 200)
			for _, dir := range []string{"jobkan_to_smarthr", "smarthr_to_jobkan"} {
				p := get(t, s, "direction="+dir+"&limit=500")
				sum := p.Summary
				if sum.Total != len(p.Items) || sum.Unchanged+sum.Changed+sum.New+sum.Conflict != sum.Total {
					t.Errorf("%s: summary %+v does not add up to %d items", dir, sum, len(p.Items))
				}
				if sum.Unchanged == 0 || sum.Changed == 0 || sum.New == 0 || sum.Conflict == 0 {
					t.Errorf("%s: every status should appear in the seeded scenario: %+v", dir, sum)
				}
				if p.NextCursor != nil {
					t.Errorf("%s: a single page of everything has a next cursor", dir)
				}
				for _, it := range p.Items {
					if it.Warnings == nil {
						t.Errorf("%s %s: no warnings array (it is always present)", dir, it.EmployeeNumber)
					}
					switch it.Status {
					case "changed":
						n := 0
						for _, f := range it.Fields {
							if f.Changed {
								n++
								if f.Old == nil {
									t.Errorf("%s %s: changed field %s has no old value", dir, it.EmployeeNumber, f.Name)
								}
							}
						}
						if n == 0 {
							t.Errorf("%s %s: changed without a changed field", dir, it.EmployeeNumber)
						}
					case "conflict":
						if it.Reason == nil {
							t.Errorf("%s %s: conflict without a reason", dir, it.EmployeeNumber)
						}
					case "new":
						for _, f := range it.Fields {
							if f.Old != nil {
								t.Errorf("%s %s: new employee has an old %s", dir, it.EmployeeNumber, f.Name)
							}
						}
					}
				}
				conf := get(t, s, "direction="+dir+"&status=conflict&status=new")
				if len(conf.Items) != sum.Conflict+sum.New || conf.Summary != sum {
					t.Errorf("%s: status filter gave %d items, want %d; summary must stay whole", dir, len(conf.Items), sum.Conflict+sum.New)
				}
			}
		})
	}
}

// Paging through a large set with a small limit visits every employee once,
// in order, from one snapshot.
func TestDiffsPaginationLargeSet(t *testing.T) {
	_, s := start(t, store.SQLite, 3000)
	first := get(t, s, "direction=smarthr_to_jobkan&limit=1")
	seen := map[string]bool{}
	var order []string
	cursor := ""
	for pages := 0; ; pages++ {
		q := "direction=smarthr_to_jobkan&limit=217"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		p := get(t, s, q)
		if !p.GeneratedAt.Equal(first.GeneratedAt) {
			t.Fatalf("page %d came from another snapshot", pages)
		}
		for _, it := range p.Items {
			// The fingerprint tells apart two records of one person (the
			// messy scenario's re-hire: two crews, one 社員番号, one name).
			key := it.EmployeeNumber + "|" + it.DisplayName + "|" + it.Fingerprint
			if seen[key] {
				t.Fatalf("%s seen twice", key)
			}
			seen[key] = true
			order = append(order, it.EmployeeNumber)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	if len(seen) != first.Summary.Total {
		t.Fatalf("paged through %d employees, summary says %d", len(seen), first.Summary.Total)
	}
	refreshed := get(t, s, "direction=smarthr_to_jobkan&limit=1&refresh=true")
	if !refreshed.GeneratedAt.After(first.GeneratedAt) {
		t.Error("refresh=true did not fetch again")
	}
	if q := get(t, s, "direction=smarthr_to_jobkan&q="+url.QueryEscape(order[len(order)/2])); len(q.Items) == 0 {
		t.Errorf("q=%s found nothing", order[len(order)/2])
	}
}

// A provider failure is a 502 problem that names the provider and why.
func TestDiffsProviderFailing(t *testing.T) {
	env, s := start(t, store.SQLite, 20)
	if err := env.App.Sandbox.SetFaults(sandbox.Jobkan, sandbox.Faults{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=jobkan_to_smarthr&refresh=true", nil)
	if r.Status != 502 || r.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(r.Body), "Jobkan") {
		t.Fatalf("5xx from Jobkan: %d %s", r.Status, r.Body)
	}
	if err := env.App.Sandbox.SetFaults(sandbox.Jobkan, sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	// A wrong token is SmartHR's own 401, passed on with its code.
	body := map[string]any{
		"smarthr":           map[string]any{"base_url": env.URL + "/sandbox/smarthr/api", "access_token": "wrong-token"},
		"jobkan":            map[string]any{"api_url": env.URL + "/sandbox/jobkan", "token_url": env.URL + "/sandbox/jobkan/oauth/token", "client_id": "sandbox-client", "client_secret": "sandbox-secret"},
		"use_business_name": false,
		"employment_types":  []map[string]any{{"name": "正社員", "jobkan_code": 1}},
	}
	if r := s.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", body); r.Status != 200 {
		t.Fatalf("PUT connection: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan", nil)
	if r.Status != 502 || !strings.Contains(string(r.Body), "SmartHR") || !strings.Contains(string(r.Body), "401") {
		t.Fatalf("bad SmartHR token: %d %s", r.Status, r.Body)
	}
	if strings.Contains(string(r.Body), "wrong-token") {
		t.Fatal("the token leaked into the error")
	}
}

// Settings round trip: secrets are write-only, kept when left out, and an
// invalid value map is refused whole.
func TestConnectionSettings(t *testing.T) {
	env, s := start(t, store.SQLite, 10)
	var c map[string]any
	r := s.Do(t, "GET", "/api/v1/integrations/jobkan/connection", nil)
	r.JSON(t, &c)
	if c["configured"] != false || !strings.Contains(fmt.Sprint(c["smarthr"]), "access_token_set:true") {
		t.Fatalf("unconfigured sandbox defaults: %s", r.Body)
	}
	body := map[string]any{
		"smarthr":           map[string]any{"base_url": env.URL + "/sandbox/smarthr/api", "access_token": "sandbox-token"},
		"jobkan":            map[string]any{"api_url": env.URL + "/sandbox/jobkan", "token_url": env.URL + "/sandbox/jobkan/oauth/token", "client_id": "sandbox-client", "client_secret": "sandbox-secret"},
		"use_business_name": true,
		"employment_types":  []map[string]any{{"name": "正社員", "jobkan_code": 1}, {"name": "契約社員", "jobkan_code": 2}},
	}
	if r := s.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", body); r.Status != 200 || strings.Contains(string(r.Body), "sandbox-secret") {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	delete(body["smarthr"].(map[string]any), "access_token")
	delete(body["jobkan"].(map[string]any), "client_secret")
	body["employment_types"] = []map[string]any{{"name": "正社員", "jobkan_code": 1}, {"name": "正社員", "jobkan_code": 1}}
	r = s.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", body)
	if r.Status != 422 || !strings.Contains(string(r.Body), "employment_types") {
		t.Fatalf("duplicate mapping: %d %s", r.Status, r.Body)
	}
	body["employment_types"] = []map[string]any{{"name": "正社員", "jobkan_code": 1}}
	if r := s.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", body); r.Status != 200 {
		t.Fatalf("PUT keeping secrets: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "GET", "/api/v1/integrations/jobkan/connection", nil)
	r.JSON(t, &c)
	if c["configured"] != true || c["use_business_name"] != true || len(c["employment_types"].([]any)) != 1 {
		t.Fatalf("after save: %s", r.Body)
	}
	r = s.Do(t, "POST", "/api/v1/integrations/jobkan/connection/test", nil)
	if r.Status != 200 || strings.Count(string(r.Body), `"ok":true`) != 2 {
		t.Fatalf("connection test with kept secrets: %d %s", r.Status, r.Body)
	}
}

// Concurrent requests for a direction with no snapshot share one fetch of
// each provider instead of each fetching its own.
func TestDiffsConcurrentRequestsShareOneFetch(t *testing.T) {
	env, s := start(t, store.SQLite, 150) // two pages per provider
	for _, p := range []sandbox.Provider{sandbox.SmartHR, sandbox.Jobkan} {
		if err := env.App.Sandbox.SetFaults(p, sandbox.Faults{LatencyMS: 100}); err != nil {
			t.Fatal(err)
		}
	}
	requests := func() int64 {
		return env.App.Sandbox.Stats(sandbox.SmartHR).Requests + env.App.Sandbox.Stats(sandbox.Jobkan).Requests
	}
	var wg gosync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=jobkan_to_smarthr&limit=10", nil); r.Status != 200 {
				t.Errorf("concurrent GET: %d %s", r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	shared := requests()
	get(t, s, "direction=jobkan_to_smarthr&limit=10&refresh=true")
	one := requests() - shared
	if one == 0 || shared > one+2 { // +2: the first fetch also gets Jobkan's token
		t.Fatalf("8 concurrent first requests made %d provider requests; one fetch makes %d", shared, one)
	}
}
