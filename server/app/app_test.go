package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"hrbridge/server/app"
	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

func TestHealthAndReady(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			for _, p := range []string{"/healthz", "/readyz"} {
				if r := env.Do(t, "GET", p, nil); r.Status != 200 {
					t.Errorf("GET %s = %d %s", p, r.Status, r.Body)
				}
			}
			r := env.Do(t, "GET", "/metrics", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), `hrbridge_http_requests_total{method="GET",route="/readyz",status="2xx"} 1`) {
				t.Errorf("metrics do not count /readyz by route:\n%.2000s", r.Body)
			}
		})
	}
}

// Every failure is problem+json naming what is wrong; none is HTML.
func TestErrorsAreProblems(t *testing.T) {
	env := apptest.Start(t, store.SQLite)
	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		wantDetail         string
	}{
		{"unknown API path", "GET", "/api/v1/nope", nil, nil, 404, "/api/v1/nope"},
		{"unknown API version", "GET", "/api/v2/me", nil, nil, 404, ""},
		{"method not allowed", "DELETE", "/api/v1/openapi.yaml", nil, nil, 405, "DELETE"},
		{"bad JSON", "POST", "/api/v1/auth/login", `{"email": 3`, nil, 400, "not valid JSON"},
		{"wrong type", "POST", "/api/v1/auth/login", `{"email": 3, "password": "x"}`, nil, 400, "body.email"},
		{"unknown property", "POST", "/api/v1/auth/login", `{"email": "a@b.jp", "password": "x", "admin": true}`, nil, 400, "admin"},
		{"unknown enum in query", "GET", "/api/v1/integrations/jobkan/diffs?direction=sideways", nil, nil, 400, "query.direction"},
		{"missing required query", "GET", "/api/v1/integrations/jobkan/diffs", nil, nil, 400, "query.direction"},
		{"limit out of range", "GET", "/api/v1/imports?limit=100000", nil, nil, 400, "query.limit"},
		{"bad uuid in path", "GET", "/api/v1/imports/not-a-uuid", nil, nil, 400, "path.id"},
		{"nested body field", "POST", "/api/v1/imports",
			map[string]any{"integration": "jobkan", "direction": "smarthr_to_jobkan", "employees": []any{map[string]any{"employee_number": 7, "fingerprint": "x"}}},
			[]string{"Idempotency-Key", "0123456789"}, 400, "body.employees[0].employee_number"},
		{"missing header", "POST", "/api/v1/imports",
			map[string]any{"integration": "jobkan", "direction": "smarthr_to_jobkan", "employees": []any{map[string]any{"employee_number": "1", "fingerprint": "x"}}},
			nil, 400, "header.Idempotency-Key"},
	}
	admin := env.Admin(t) // authorised, so that validation is what answers
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := admin.Do(t, c.method, c.path, c.body, c.headers...)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q, want application/problem+json", ct)
			}
			var p struct {
				Type, Title, Detail string
				Status              int
			}
			r.JSON(t, &p)
			if p.Status != r.Status || p.Title == "" || p.Type == "" {
				t.Errorf("incomplete problem: %s", r.Body)
			}
			if r.Status == c.status && !strings.Contains(p.Detail, c.wantDetail) {
				t.Errorf("detail %q does not mention %q", p.Detail, c.wantDetail)
			}
		})
	}
}

func TestSpecDocsAndSPA(t *testing.T) {
	env := apptest.Start(t, store.SQLite)
	r := env.Do(t, "GET", "/api/v1/openapi.yaml", nil)
	if r.Status != 200 || !strings.HasPrefix(string(r.Body), "openapi: 3.0") {
		t.Errorf("spec: %d %.80s", r.Status, r.Body)
	}
	r = env.Do(t, "GET", "/api/docs", nil)
	// the Swagger UI page of the built SPA, or (SPA not built) a page that links the spec
	if r.Status != 200 || !strings.Contains(string(r.Body), "/api/v1/openapi.yaml") {
		t.Errorf("docs page: %d %.200s", r.Status, r.Body)
	}
	r = env.Do(t, "GET", "/imports/123", nil) // a deep link
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("deep link: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

// Instances started at the same moment against one PostgreSQL all come up:
// the migration lock makes them take turns.
func TestConcurrentStartOnPostgres(t *testing.T) {
	url := storetest.URL(t, store.Postgres)
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = url
	cfg.SecretKey = "concurrent-start-test-key" // not a key file in the package folder
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := app.New(context.Background(), cfg)
			if err == nil {
				err = a.Store.Ready(context.Background())
				a.Close(context.Background())
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

// /metrics reports the imports by status from the database and the provider
// clients' counters once they have been used.
func TestMetricsImportsAndProviders(t *testing.T) {
	env := apptest.Start(t, store.SQLite, func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", 10 })
	s := env.Admin(t)
	if r := s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan", nil); r.Status != 200 {
		t.Fatalf("diffs: %d %s", r.Status, r.Body)
	}
	body := string(env.Do(t, "GET", "/metrics", nil).Body)
	for _, want := range []string{
		`hrbridge_imports{status="running"} 0`,
		`hrbridge_imports{status="succeeded"} 0`,
		`hrbridge_provider_requests_total{provider="smarthr"}`,
		`hrbridge_provider_rate_limited_total{provider="jobkan"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
