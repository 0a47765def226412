// Package connectortest is the conformance suite of sync.Connector (the
// contract written on that interface), in the manner of River's
// riverdrivertest: every provider's tests call Run with a Harness that makes
// its client, and the suite drives it against the provider's simulator
// (server/sandbox) over real HTTP. Only what is specific to one provider
// (its wire names, its errors, its token, its options) stays in tests beside
// that client.
package connectortest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hrbridge/server/providers/httpx"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

// Connector is a provider client as the suite drives it.
type Connector interface {
	hrsync.Connector
	Ping(ctx context.Context) error
	Stats() httpx.Stats
}

// Options are what the suite varies between the clients it makes.
type Options struct {
	Secret string       // the access token or client secret; "" is the simulator's valid one
	Limits httpx.Limits // zero: no limits
	HTTP   httpx.Config // zero: Fast
}

// Fast retries quickly, so that storms and timeouts take milliseconds.
var Fast = httpx.Config{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxAttempts: 15, Timeout: 5 * time.Second}

// Resolve fills Options' zero values: no limits and Fast.
func (o Options) Resolve() Options {
	if o.Limits == (httpx.Limits{}) {
		o.Limits = httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit}
	}
	if o.HTTP == (httpx.Config{}) {
		o.HTTP = Fast
	}
	return o
}

// Unreadable is an answer that is not what the API sends, served at Path by a
// stand-in server; the connector's error must contain Want and none of Hidden.
type Unreadable struct {
	Name, Path, ContentType, Body, Want string
	Hidden                              []string
}

// Harness is one provider's side of the suite.
type Harness struct {
	Provider sandbox.Provider // which simulator
	Name     string           // httpx.Error.Provider
	Base     string           // the simulator's mount, such as sandbox.SmartHRBase

	// New makes a client for the provider whose root is root (the simulator's
	// mount, or a stand-in server's URL).
	New func(t *testing.T, root string, o Options) Connector

	// ListRequests is how many requests List of size records takes.
	ListRequests func(size int) int64
	// AfterList checks more after a List of size records (may be nil).
	AfterList func(t *testing.T, sb *sandbox.Sandbox, size int)
	// CheckScenario checks the provider's mapping of the seeded default
	// scenario, listed as all, beyond what every provider shares (may be nil).
	CheckScenario func(t *testing.T, root string, all []hrsync.Employee)

	// NewEmployee is a record to create, in the provider's representation,
	// with a number the scenario does not use; Change changes some of its
	// fields and returns them (an update must send those and only those).
	NewEmployee hrsync.Employee
	Change      func(e *hrsync.Employee) []hrsync.Field

	// CheckAuthError checks the provider's own 401 beyond its status.
	CheckAuthError func(t *testing.T, call string, e *httpx.Error)

	// Unreadable answers, and what a stand-in server answers on every other
	// path (such as a token).
	Unreadable         []Unreadable
	UnreadableFallback string
}

var ctx = context.Background()

// Env is a running simulator.
type Env struct {
	SB   *sandbox.Sandbox
	Root string // the provider's root on it
}

// Serve starts a simulator of size seeded employees with no faults and no
// limits on h's provider.
func Serve(t *testing.T, h Harness, size int) Env {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: 1})
	sb.Reset(1, size)
	if err := sb.SetFaults(h.Provider, sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return Env{SB: sb, Root: srv.URL + h.Base}
}

// Run runs the whole suite against h.
func Run(t *testing.T, h Harness) {
	for _, c := range []struct {
		name string
		f    func(*testing.T, Harness)
	}{
		{"ListPagination", ListPagination},
		{"DefaultScenario", DefaultScenario},
		{"CreateFindUpdate", CreateFindUpdate},
		{"WritesThatMayHaveLanded", WritesThatMayHaveLanded},
		{"AuthFailure", AuthFailure},
		{"Storms", Storms},
		{"Timeout", Timeout},
		{"UnreadableAnswers", UnreadableAnswers},
	} {
		t.Run(c.name, func(t *testing.T) { c.f(t, h) })
	}
}

// ListPagination: List returns every record once, in the expected number of
// requests, at page boundaries and at 10,000 records.
func ListPagination(t *testing.T, h Harness) {
	for _, size := range []int{0, 1, 100, 101, 10_000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			env := Serve(t, h, size)
			c := h.New(t, env.Root, Options{})
			got, err := c.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, e := range got {
				ids[e.ID] = true
			}
			want := h.ListRequests(size)
			if len(got) != size || len(ids) != size || c.Stats().Requests != want {
				t.Fatalf("%d employees, %d distinct ids, %d requests; want %d in %d requests", len(got), len(ids), c.Stats().Requests, size, want)
			}
			if h.AfterList != nil {
				h.AfterList(t, env.SB, size)
			}
		})
	}
}

// DefaultScenario: the seeded scenario lists in full, every record has an id
// and a canonical employment status, and FindByNumber returns every record
// that holds a number (zero, one or many), matching exactly.
func DefaultScenario(t *testing.T, h Harness) {
	env := Serve(t, h, sandbox.DefaultSize)
	c := h.New(t, env.Root, Options{})
	all, err := c.List(ctx)
	if err != nil || len(all) != sandbox.DefaultSize {
		t.Fatalf("%d %v", len(all), err)
	}
	holders := map[string][]hrsync.Employee{}
	for _, e := range all {
		if e.ID == "" {
			t.Errorf("no id: %+v", e)
		}
		switch e.EmploymentStatus {
		case hrsync.StatusEmployed, hrsync.StatusAbsent, hrsync.StatusRetired:
		default:
			t.Errorf("status %q: %+v", e.EmploymentStatus, e)
		}
		if e.EmployeeNumber != "" {
			holders[e.EmployeeNumber] = append(holders[e.EmployeeNumber], e)
		}
	}
	if h.CheckScenario != nil {
		h.CheckScenario(t, env.Root, all)
	}
	// Every shared number, and a few single ones.
	checked := 0
	for number, want := range holders {
		if len(want) == 1 && checked >= 5 {
			continue
		}
		if len(want) == 1 {
			checked++
		}
		found, err := c.FindByNumber(ctx, number)
		if err != nil || !sameRecords(found, want) {
			t.Errorf("FindByNumber(%q) = %+v, %v; want %+v", number, found, err, want)
		}
	}
}

func sameRecords(a, b []hrsync.Employee) bool {
	key := func(x, y hrsync.Employee) int { return strings.Compare(x.ID, y.ID) }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, key)
	slices.SortFunc(b, key)
	return slices.Equal(a, b)
}

// CreateFindUpdate: a created record reads back as written (values as sent,
// byte for byte), is found by its exact number and not by a number equal to
// it only once normalised, and an update sends the named fields only.
func CreateFindUpdate(t *testing.T, h Harness) {
	env := Serve(t, h, 10)
	c := h.New(t, env.Root, Options{})
	want := h.NewEmployee
	number := want.EmployeeNumber
	got, err := c.Create(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == "" {
		t.Fatal("no id")
	}
	want.ID = got.ID
	if got != want {
		t.Fatalf("created\n %+v\nwant\n %+v", got, want)
	}
	found, err := c.FindByNumber(ctx, number)
	if err != nil || len(found) != 1 || found[0] != want {
		t.Fatalf("found %+v, %v", found, err)
	}
	if again, found, err := c.Reread(ctx, got); err != nil || !found || again != want {
		t.Fatalf("reread %+v %v %v", again, found, err)
	}

	next := want
	fields := h.Change(&next)
	// A field that is not named changes too, and must not be sent.
	unnamed := hrsync.FieldLastName
	if slices.Contains(fields, unnamed) {
		unnamed = hrsync.FieldFirstName
	}
	next.Set(unnamed, "未送信")
	if err := c.Update(ctx, got, next, fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		want.Set(f, next.Get(f))
	}
	found, _ = c.FindByNumber(ctx, number)
	if len(found) != 1 || found[0] != want {
		t.Fatalf("after update %+v\nwant %+v", found, want)
	}
	if again, found, err := c.Reread(ctx, got); err != nil || !found || again != want {
		t.Fatalf("reread after update %+v %v %v", again, found, err)
	}
	if err := c.Update(ctx, got, next, nil); err != nil {
		t.Fatal(err)
	}
	if w := env.SB.Writes(h.Provider); w.Employees[number] != (sandbox.WriteCount{Creates: 1, Updates: 1}) || w.Total != (sandbox.WriteCount{Creates: 1, Updates: 1}) {
		t.Fatalf("writes %+v", w)
	}

	for _, n := range []string{"NOPE", number + " ", strings.ToLower(number), fullWidth(number)} {
		if none, err := c.FindByNumber(ctx, n); err != nil || len(none) != 0 {
			t.Fatalf("FindByNumber(%q) = %v, %v", n, none, err)
		}
	}
	if _, found, err := c.Reread(ctx, hrsync.Employee{ID: "999999999", EmployeeNumber: "NOPE"}); err != nil || found {
		t.Fatalf("reread of a missing record: found %v, %v", found, err)
	}
}

// fullWidth writes ASCII digits and letters in their full-width forms.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// WritesThatMayHaveLanded: a 4xx did not land; a 5xx or a reset after the
// request was sent may have (here it did), and Create never sends twice.
func WritesThatMayHaveLanded(t *testing.T, h Harness) {
	env := Serve(t, h, 3)
	c := h.New(t, env.Root, Options{})
	fresh := func(n string) hrsync.Employee {
		e := h.NewEmployee
		e.EmployeeNumber = n
		if e.Email != "" {
			e.Email = strings.ToLower(strings.NewReplacer("/", "").Replace(n)) + "@example.jp"
		}
		return e
	}

	// Refused (4xx): nothing landed.
	if err := env.SB.SetFaults(h.Provider, sandbox.Faults{RejectWrites: []string{"R1"}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Create(ctx, fresh("R1"))
	var he *httpx.Error
	if !errors.As(err, &he) || he.HTTPStatus < 400 || he.HTTPStatus > 499 {
		t.Fatalf("refused create: %#v", err)
	}
	if found, err := c.FindByNumber(ctx, "R1"); err != nil || len(found) != 0 {
		t.Fatalf("a refused create landed: %+v %v", found, err)
	}

	// Lost answers (5xx, reset): the write landed, once.
	for _, fault := range []string{sandbox.WriteLost, sandbox.WriteReset} {
		n := "L-" + fault
		if err := env.SB.SetFaults(h.Provider, sandbox.Faults{WriteFault: fault}); err != nil {
			t.Fatal(err)
		}
		_, err := c.Create(ctx, fresh(n))
		if err == nil {
			t.Fatalf("%s: no error", fault)
		}
		if errors.As(err, &he) && he.HTTPStatus != 0 && he.HTTPStatus < 500 {
			t.Fatalf("%s: %#v", fault, err)
		}
		found, ferr := c.FindByNumber(ctx, n)
		if ferr != nil || len(found) != 1 {
			t.Fatalf("%s: the create did not land once: %+v %v", fault, found, ferr)
		}
		if w := env.SB.Writes(h.Provider); w.Employees[n].Creates != 1 {
			t.Fatalf("%s: create sent %d times", fault, w.Employees[n].Creates)
		}
		next := found[0]
		fields := h.Change(&next)
		if err := c.Update(ctx, found[0], next, fields); err == nil {
			t.Fatalf("%s: update: no error", fault)
		}
		if got, ok, err := c.Reread(ctx, found[0]); err != nil || !ok || got != next {
			t.Fatalf("%s: the update did not land: %+v %v %v", fault, got, ok, err)
		}
	}

	// Failed (5xx, not applied): nothing landed.
	if err := env.SB.SetFaults(h.Provider, sandbox.Faults{WriteFault: sandbox.WriteFail}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, fresh("F1")); !errors.As(err, &he) || he.HTTPStatus < 500 {
		t.Fatalf("failed create: %#v", err)
	}
	if found, err := c.FindByNumber(ctx, "F1"); err != nil || len(found) != 0 {
		t.Fatalf("a failed create landed: %+v %v", found, err)
	}
}

// AuthFailure: wrong credentials are the provider's own 401, which names
// the connection settings and never the secret.
func AuthFailure(t *testing.T, h Harness) {
	env := Serve(t, h, 3)
	const secret = "wrong-secret-0123456789"
	c := h.New(t, env.Root, Options{Secret: secret})
	for name, call := range map[string]func() error{
		"ping": func() error { return c.Ping(ctx) },
		"list": func() error { _, err := c.List(ctx); return err },
		"find": func() error { _, err := c.FindByNumber(ctx, "00001"); return err },
	} {
		err := call()
		var e *httpx.Error
		if !errors.As(err, &e) || e.HTTPStatus != 401 || e.Provider != h.Name {
			t.Fatalf("%s: %#v", name, err)
		}
		if h.CheckAuthError != nil {
			h.CheckAuthError(t, name, e)
		}
		if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "connection settings") {
			t.Fatalf("%s: %s", name, err)
		}
	}
	if err := h.New(t, env.Root, Options{}).Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// Storms: 429 storms and 5xx bursts are ridden out, and the client's own
// limiter keeps it under the simulator's limits throughout.
func Storms(t *testing.T, h Harness) {
	env := Serve(t, h, 1500)
	if err := env.SB.SetFaults(h.Provider, sandbox.Faults{Rate429: 0.3, ErrorRate: 0.2, PerSecond: 25, PerHour: 1000}); err != nil {
		t.Fatal(err)
	}
	c := h.New(t, env.Root, Options{Limits: httpx.Limits{PerSecond: 25, PerHour: 1000}})
	all, err := c.List(ctx)
	if err != nil || len(all) != 1500 {
		t.Fatalf("%d, %v", len(all), err)
	}
	var wg sync.WaitGroup
	for _, e := range all[:15] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := e
			want.Phone = "03-0000-0000"
			if err := c.Update(ctx, e, want, []hrsync.Field{hrsync.FieldPhone}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, cs := env.SB.Stats(h.Provider), c.Stats()
	if st.Requests <= 25 || st.Throttled != 0 || st.Injected429 == 0 || st.InjectedErrors == 0 || cs.TooManyRequests != st.Injected429 {
		t.Fatalf("simulator %+v, client %+v", st, cs)
	}
	if w := env.SB.Writes(h.Provider); w.Total.Updates != 15 || w.Employees[all[0].EmployeeNumber].Updates != 1 {
		t.Fatalf("writes %+v", w.Total)
	}
	t.Logf("simulator %+v", st)
}

// Timeout: a provider slower than the per-attempt timeout fails with
// httpx.TypeTimeout after the configured attempts, quickly.
func Timeout(t *testing.T, h Harness) {
	env := Serve(t, h, 1)
	o := Options{HTTP: Fast}
	o.HTTP.Timeout, o.HTTP.MaxAttempts = 50*time.Millisecond, 2
	c := h.New(t, env.Root, o)
	if err := c.Ping(ctx); err != nil { // any token first, while the simulator is quick
		t.Fatal(err)
	}
	env.SB.SetFaults(h.Provider, sandbox.Faults{LatencyMS: 500})
	start := time.Now()
	_, err := c.List(ctx)
	var e *httpx.Error
	if !errors.As(err, &e) || e.Type != httpx.TypeTimeout || time.Since(start) > 400*time.Millisecond {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
}

// UnreadableAnswers: an answer that is not the API's JSON is reported with
// the request, its status and content type, and no secret.
func UnreadableAnswers(t *testing.T, h Harness) {
	for _, c := range h.Unreadable {
		t.Run(c.Name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == c.Path || h.UnreadableFallback == "" {
					w.Header().Set("Content-Type", c.ContentType)
					fmt.Fprint(w, c.Body)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, h.UnreadableFallback)
			}))
			defer srv.Close()
			_, err := h.New(t, srv.URL, Options{Secret: "secret-zzz-0123456789"}).List(ctx)
			if err == nil || !strings.Contains(err.Error(), c.Want) || strings.Contains(err.Error(), "secret-zzz-0123456789") {
				t.Fatalf("%v", err)
			}
			for _, s := range c.Hidden {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("%q in %v", s, err)
				}
			}
		})
	}
}
