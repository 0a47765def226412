package imports_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

const (
	toJobkan  = string(sync.SmartHRToJobkan)
	toSmartHR = string(sync.JobkanToSmartHR)
)

var noLimits = httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit}

// fastRetries keeps the clients' retries of injected failures short.
var fastRetries = httpx.Config{BaseDelay: 20 * time.Millisecond, MaxDelay: 300 * time.Millisecond}

// env is hrbridge with the simulators mounted (HRBRIDGE_SANDBOX=1), an
// administrator signed in, and clients of the simulators' own APIs to change
// the data behind hrbridge's back, as a user of SmartHR or Jobkan would.
type env struct {
	*apptest.Env
	admin *apptest.Session
	sb    *sandbox.Sandbox
	sh    *smarthr.Client
	jk    *jobkan.Client
	// trouble are the planted cases of the messy default scenario that an
	// administrator would not import as they are (a similar_employee_number
	// warning) or whose import fails (an e-mail Jobkan already has); pick
	// leaves them out. messy_test.go tests them.
	trouble map[string]bool
}

// start runs hrbridge on dialect d with a seeded scenario of size employees.
// Rate limits are off in the simulators and in hrbridge's clients; tests
// that need them set them.
func start(t testing.TB, d store.Dialect, size int, opts ...apptest.Option) *env {
	t.Helper()
	opts = append([]apptest.Option{func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", size }}, opts...)
	e := apptest.Start(t, d, opts...)
	for _, p := range []sandbox.Provider{sandbox.SmartHR, sandbox.Jobkan} {
		if err := e.App.Sandbox.SetFaults(p, sandbox.Faults{}); err != nil {
			t.Fatal(err)
		}
	}
	e.App.Conns.TuneSmartHR = func(o *smarthr.Options) { o.Limits, o.HTTP = noLimits, fastRetries }
	e.App.Conns.TuneJobkan = func(o *jobkan.Options) { o.Limits, o.HTTP = noLimits, fastRetries }
	sh, err := smarthr.New(e.URL+sandbox.SmartHRBase+"/api", sandbox.SmartHRToken, smarthr.Options{Limits: noLimits})
	if err != nil {
		t.Fatal(err)
	}
	jk, err := jobkan.New(e.URL+sandbox.JobkanBase, e.URL+sandbox.JobkanBase+"/oauth/token", sandbox.JobkanClientID, sandbox.JobkanClientSecret,
		jobkan.Options{Limits: noLimits})
	if err != nil {
		t.Fatal(err)
	}
	return &env{Env: e, admin: e.Admin(t), sb: e.App.Sandbox, sh: sh, jk: jk, trouble: troubleOf(size)}
}

// troubleOf lists the trouble numbers of the default scenario of this size
// (seed 1, as apptest's sandbox and the tests' resets).
func troubleOf(size int) map[string]bool {
	out := map[string]bool{}
	for _, c := range sandbox.Planted(1, size) {
		for _, o := range []sandbox.Outcome{c.ToSmartHR, c.ToJobkan} {
			if o.Warning != "" || o.ImportError != "" {
				out[c.Number] = true
			}
		}
	}
	return out
}

// limit makes the target of dir allow perSecond requests, in the simulator
// and in hrbridge's client, and adds latency to each request.
func (e *env) limit(t testing.TB, dir string, perSecond, latencyMS int) {
	t.Helper()
	p := targetOf(dir)
	if err := e.sb.SetFaults(p, sandbox.Faults{PerSecond: perSecond, LatencyMS: latencyMS}); err != nil {
		t.Fatal(err)
	}
	l := httpx.Limits{PerSecond: perSecond, PerHour: httpx.NoLimit}
	if p == sandbox.SmartHR {
		e.App.Conns.TuneSmartHR = func(o *smarthr.Options) { o.Limits, o.HTTP = l, fastRetries }
	} else {
		e.App.Conns.TuneJobkan = func(o *jobkan.Options) { o.Limits, o.HTTP = l, fastRetries }
	}
	e.resetClients(t)
}

// resetClients makes hrbridge build its provider clients again (they are
// cached per version of the settings): saving the settings does it.
func (e *env) resetClients(t testing.TB) {
	t.Helper()
	r := e.admin.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", map[string]any{
		"smarthr": map[string]any{"base_url": e.URL + sandbox.SmartHRBase + "/api", "access_token": sandbox.SmartHRToken},
		"jobkan": map[string]any{"api_url": e.URL + sandbox.JobkanBase, "token_url": e.URL + sandbox.JobkanBase + "/oauth/token",
			"client_id": sandbox.JobkanClientID, "client_secret": sandbox.JobkanClientSecret},
		"use_business_name": false,
		"employment_types":  defaultTypes(),
	})
	if r.Status != 200 {
		t.Fatalf("save the connection: %d %s", r.Status, r.Body)
	}
}

func defaultTypes() []map[string]any {
	var out []map[string]any
	for _, m := range sync.DefaultSettings().EmploymentTypes {
		out = append(out, map[string]any{"name": m.Name, "jobkan_code": m.JobkanCode})
	}
	return out
}

func targetOf(dir string) sandbox.Provider {
	if dir == toSmartHR {
		return sandbox.SmartHR
	}
	return sandbox.Jobkan
}

type diffItem struct {
	EmployeeNumber string  `json:"employee_number"`
	DisplayName    string  `json:"display_name"`
	Status         string  `json:"status"`
	Fingerprint    string  `json:"fingerprint"`
	Reason         *string `json:"reason"`
	trouble        bool    // a planted trouble case (env.trouble): pick leaves it out
}

// diff is the whole diff of dir, fetched afresh.
func (e *env) diff(t testing.TB, dir string) []diffItem {
	t.Helper()
	return e.diffPages(t, e.admin, dir, true)
}

// preview is the whole diff of dir as the selection screen shows it: from
// the cached snapshot (fetched only when there is none).
func (e *env) preview(t testing.TB, dir string) []diffItem {
	t.Helper()
	return e.diffPages(t, e.admin, dir, false)
}

// diffPages reads every page of the diff of dir in one session.
func (e *env) diffPages(t testing.TB, s *apptest.Session, dir string, refresh bool) []diffItem {
	t.Helper()
	var all []diffItem
	q := url.Values{"direction": {dir}, "limit": {"500"}}
	if refresh {
		q.Set("refresh", "true")
	}
	for {
		r := s.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?"+q.Encode(), nil)
		if r.Status != 200 {
			t.Fatalf("diff: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items      []diffItem
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &page)
		for _, it := range page.Items {
			it.trouble = e.trouble[it.EmployeeNumber]
			all = append(all, it)
		}
		if page.NextCursor == nil {
			return all
		}
		q = url.Values{"direction": {dir}, "limit": {"500"}, "cursor": {*page.NextCursor}}
	}
}

// pick returns up to n items of these statuses (n < 0: all), leaving out
// the planted trouble cases, as an administrator would.
func pick(items []diffItem, n int, statuses ...string) []diffItem {
	var out []diffItem
	for _, it := range items {
		if !it.trouble && slices.Contains(statuses, it.Status) && (n < 0 || len(out) < n) {
			out = append(out, it)
		}
	}
	return out
}

func byNumber(items []diffItem) map[string]diffItem {
	m := make(map[string]diffItem, len(items))
	for _, it := range items {
		m[it.EmployeeNumber] = it
	}
	return m
}

type importOut struct {
	ID        string `json:"id"`
	Direction string `json:"direction"`
	Status    string `json:"status"`
	Total     int    `json:"total"`
	Done      int    `json:"done"`
	Counts    struct {
		Created, Updated, Unchanged, Skipped, Failed int
	} `json:"counts"`
	StartedBy  string     `json:"started_by"`
	RetryOf    *string    `json:"retry_of"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

func (i importOut) ended() bool {
	switch i.Status {
	case "succeeded", "partially_failed", "failed", "canceled":
		return true
	}
	return false
}

func body(dir string, items []diffItem) map[string]any {
	emps := make([]map[string]string, len(items))
	for i, it := range items {
		emps[i] = map[string]string{"employee_number": it.EmployeeNumber, "fingerprint": it.Fingerprint}
	}
	return map[string]any{"integration": "jobkan", "direction": dir, "employees": emps}
}

// post asks for an import.
func (e *env) post(t testing.TB, dir, key string, items []diffItem) apptest.Response {
	t.Helper()
	return e.admin.Do(t, "POST", "/api/v1/imports", body(dir, items), "Idempotency-Key", key)
}

// startImport asks for an import and expects it accepted.
func (e *env) startImport(t testing.TB, dir, key string, items []diffItem) importOut {
	t.Helper()
	r := e.post(t, dir, key, items)
	if r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var imp importOut
	r.JSON(t, &imp)
	return imp
}

func (e *env) get(t testing.TB, id string) importOut {
	t.Helper()
	r := e.admin.Do(t, "GET", "/api/v1/imports/"+id, nil)
	if r.Status != 200 {
		t.Fatalf("get import: %d %s", r.Status, r.Body)
	}
	var imp importOut
	r.JSON(t, &imp)
	return imp
}

// wait polls the import until it has ended.
func (e *env) wait(t testing.TB, id string, timeout time.Duration) importOut {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		imp := e.get(t, id)
		if imp.ended() {
			return imp
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s has not ended after %s: %+v", id, timeout, imp)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type resultOut struct {
	EmployeeNumber string   `json:"employee_number"`
	DisplayName    string   `json:"display_name"`
	Action         string   `json:"action"`
	Status         string   `json:"status"`
	ChangedFields  []string `json:"changed_fields"`
	Error          *struct {
		Code, Message, Advice, Action, Detail string
	} `json:"error"`
}

// results is every result of an import, through the pages.
func (e *env) results(t testing.TB, id string, query ...string) []resultOut {
	t.Helper()
	var all []resultOut
	q := url.Values{"limit": {"7"}} // small pages: the cursor is exercised
	for i := 0; i+1 < len(query); i += 2 {
		q.Add(query[i], query[i+1])
	}
	for {
		r := e.admin.Do(t, "GET", "/api/v1/imports/"+id+"/results?"+q.Encode(), nil)
		if r.Status != 200 {
			t.Fatalf("results: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items      []resultOut
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &page)
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			return all
		}
		q.Set("cursor", *page.NextCursor)
	}
}

func resultsBy(rs []resultOut) map[string]resultOut {
	m := make(map[string]resultOut, len(rs))
	for _, r := range rs {
		m[r.EmployeeNumber] = r
	}
	return m
}

// setSource changes one employee's field in the source system of dir
// through that system's own API.
func (e *env) setSource(t testing.TB, dir, number string, f sync.Field, value string) {
	t.Helper()
	ctx := context.Background()
	var c sync.Connector = e.sh
	if dir == toSmartHR {
		c = e.jk
	}
	found, err := c.FindByNumber(ctx, number)
	if err != nil || len(found) != 1 {
		t.Fatalf("find %s in the source: %v %v", number, found, err)
	}
	want := found[0]
	want.Set(f, value)
	if err := c.Update(ctx, found[0], want, []sync.Field{f}); err != nil {
		t.Fatalf("change %s's %s in the source: %v", number, f, err)
	}
}

// key is a fresh Idempotency-Key.
func key(suffix string) string {
	return fmt.Sprintf("key-%s-%d", suffix, time.Now().UnixNano())
}
