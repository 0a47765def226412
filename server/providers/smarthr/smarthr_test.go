package smarthr_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

var ctx = context.Background()

// fast retries, no limits: tests that are about limits set their own.
var fast = smarthr.Options{
	Limits: httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit},
	HTTP:   httpx.Config{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxAttempts: 15, Timeout: 5 * time.Second},
}

// serve starts a sandbox of size employees with no faults and no limits.
func serve(t *testing.T, size int) (*sandbox.Sandbox, string) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: 1})
	sb.Reset(1, size)
	if err := sb.SetFaults(sandbox.SmartHR, sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return sb, srv.URL + sandbox.SmartHRBase + "/api"
}

func newClient(t *testing.T, base, token string, opts smarthr.Options) *smarthr.Client {
	t.Helper()
	c, err := smarthr.New(base, token, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListPagination(t *testing.T) {
	for _, size := range []int{0, 1, 100, 101, 10_000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			_, base := serve(t, size)
			c := newClient(t, base, sandbox.SmartHRToken, fast)
			got, err := c.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, e := range got {
				ids[e.ID] = true
			}
			pages := max(1, (size+99)/100)
			if len(got) != size || len(ids) != size || c.Stats().Requests != int64(pages) {
				t.Fatalf("%d employees, %d distinct, %d requests; want %d in %d requests", len(got), len(ids), c.Stats().Requests, size, pages)
			}
		})
	}
}

func TestDefaultScenarioMapping(t *testing.T) {
	_, base := serve(t, sandbox.DefaultSize)
	legal, err := newClient(t, base, sandbox.SmartHRToken, fast).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts := fast
	opts.UseBusinessName = true
	business, err := newClient(t, base, sandbox.SmartHRToken, opts).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{"正社員": true, "契約社員": true, "パート・アルバイト": true, "役員": true, "非常勤役員": true, "派遣社員": true, "業務委託": true, "その他": true}
	numbers := map[string]int{}
	differ := 0
	for i, e := range legal {
		numbers[e.EmployeeNumber]++
		if !types[e.EmploymentType] || (e.EmploymentStatus != hrsync.StatusEmployed && e.EmploymentStatus != hrsync.StatusAbsent && e.EmploymentStatus != hrsync.StatusRetired) {
			t.Errorf("crew %+v", e)
		}
		// Dates as SmartHR sends them: YYYY-MM-DD, or a timestamp (the
		// messy default plants 2024-03-31T15:00:00Z).
		if e.LastName == "" || e.FirstName == "" || len(e.BirthDate) != 10 || len(e.HiredOn) != 10 && e.HiredOn != "2024-03-31T15:00:00Z" {
			t.Errorf("crew %+v", e)
		}
		b := business[i]
		if b.ID != e.ID || b.FirstName != e.FirstName { // no business first names in the scenario
			t.Fatalf("order or first name differs: %+v %+v", e, b)
		}
		if b.LastName != e.LastName {
			differ++
		}
	}
	dups := 0
	for n, k := range numbers {
		if n != "" && k > 1 {
			dups++
		}
	}
	rehires := 0 // the messy default's re-hires: a second crew with the old emp_code
	for _, c := range sandbox.Planted(1, sandbox.DefaultSize) {
		if c.Kind == "rehire_same_number" {
			rehires++
		}
	}
	if numbers[""] != 1 || dups != 1+rehires || differ == 0 || differ > 10 {
		t.Fatalf("no emp_code %d, duplicated %d, business names %d", numbers[""], dups, differ)
	}
}

func TestCreateFindUpdate(t *testing.T) {
	sb, base := serve(t, 10)
	c := newClient(t, base, sandbox.SmartHRToken, fast)
	want := hrsync.Employee{
		EmployeeNumber: "Z0001", LastName: "𠮷田", FirstName: "髙子 ", HiredOn: "2024-04-01",
		EmploymentType: "パート・アルバイト", Phone: "０９０ー１２３４ー５６７８", BirthDate: "1990-02-28",
		EmploymentStatus: hrsync.StatusEmployed,
	}
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
	found, err := c.FindByNumber(ctx, "Z0001")
	if err != nil || len(found) != 1 || found[0] != want {
		t.Fatalf("found %+v, %v", found, err)
	}

	next := want
	next.Phone, next.EmploymentType, next.LastName = "", "契約社員", "山﨑" // LastName changes but is not sent
	if err := c.Update(ctx, got, next, []hrsync.Field{hrsync.FieldPhone, hrsync.FieldEmploymentType}); err != nil {
		t.Fatal(err)
	}
	found, _ = c.FindByNumber(ctx, "Z0001")
	want.Phone, want.EmploymentType = "", "契約社員"
	if len(found) != 1 || found[0] != want {
		t.Fatalf("after update %+v", found)
	}
	if w := sb.Writes(sandbox.SmartHR); w.Employees["Z0001"] != (sandbox.WriteCount{Creates: 1, Updates: 1}) || w.Total.Updates != 1 {
		t.Fatalf("writes %+v", w)
	}
	if none, err := c.FindByNumber(ctx, "NOPE"); err != nil || len(none) != 0 {
		t.Fatalf("%v %v", none, err)
	}

	// With business names, the business name is what is written.
	opts := fast
	opts.UseBusinessName = true
	bc := newClient(t, base, sandbox.SmartHRToken, opts)
	next = want
	next.LastName = "渡邊"
	if err := bc.Update(ctx, want, next, []hrsync.Field{hrsync.FieldLastName}); err != nil {
		t.Fatal(err)
	}
	legal, _ := c.FindByNumber(ctx, "Z0001")
	biz, _ := bc.FindByNumber(ctx, "Z0001")
	if legal[0].LastName != "𠮷田" || biz[0].LastName != "渡邊" {
		t.Fatalf("legal %q, business %q", legal[0].LastName, biz[0].LastName)
	}
}

func TestUpdateRefused(t *testing.T) {
	sb, base := serve(t, 3)
	c := newClient(t, base, sandbox.SmartHRToken, fast)
	all, _ := c.List(ctx)
	cur := all[0]

	blank := cur
	blank.LastName, blank.BirthDate = "", ""
	err := c.Update(ctx, cur, blank, []hrsync.Field{hrsync.FieldLastName, hrsync.FieldBirthDate})
	var e *httpx.Error
	if !errors.As(err, &e) || e.HTTPStatus != 400 || e.Code != "1" || e.Type != "bad_request" || len(e.Fields) != 2 {
		t.Fatalf("%#v", err)
	}
	if e.Fields[0].Field != "last_name" || e.Fields[0].Message != "姓を入力してください" || e.Fields[1].Message != "生年月日を入力してください" {
		t.Fatalf("fields %+v", e.Fields)
	}
	if !strings.Contains(err.Error(), "last_name: 姓を入力してください") {
		t.Fatalf("message %s", err)
	}

	unknown := cur
	unknown.EmploymentType = "アルバイト"
	err = c.Update(ctx, cur, unknown, []hrsync.Field{hrsync.FieldEmploymentType})
	if !errors.Is(err, smarthr.ErrUnknownEmploymentType) || !strings.Contains(err.Error(), "パート・アルバイト") {
		t.Fatalf("%v", err)
	}
	if err := c.Update(ctx, cur, cur, []hrsync.Field{hrsync.FieldEmail}); err == nil {
		t.Fatal("email was sent to SmartHR")
	}
	if w := sb.Writes(sandbox.SmartHR); w.Total.Updates != 0 {
		t.Fatalf("writes %+v", w)
	}
}

func TestEmploymentTypesCached(t *testing.T) {
	_, base := serve(t, 0)
	c := newClient(t, base, sandbox.SmartHRToken, fast)
	for range 3 {
		ts, err := c.EmploymentTypes(ctx)
		if err != nil || len(ts) != 8 || ts[0].Name != "正社員" {
			t.Fatalf("%v %v", ts, err)
		}
	}
	if n := c.Stats().Requests; n != 1 {
		t.Fatalf("%d requests", n)
	}
}

func TestAuthFailure(t *testing.T) {
	_, base := serve(t, 3)
	const token = "wrong-token-0123456789"
	c := newClient(t, base, token, fast)
	for name, call := range map[string]func() error{
		"ping": func() error { return c.Ping(ctx) },
		"list": func() error { _, err := c.List(ctx); return err },
		"find": func() error { _, err := c.FindByNumber(ctx, "00001"); return err },
	} {
		err := call()
		var e *httpx.Error
		if !errors.As(err, &e) || e.HTTPStatus != 401 || e.Code != "2" || e.Type != "unauthorized_token" || e.Provider != "SmartHR" {
			t.Fatalf("%s: %#v", name, err)
		}
		if strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "connection settings") {
			t.Fatalf("%s: %s", name, err)
		}
	}
	if err := newClient(t, base, sandbox.SmartHRToken, fast).Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// 429 storms and 5xx bursts are ridden out, and the client's own limiter
// keeps it under the simulator's limits throughout.
func TestStorms(t *testing.T) {
	sb, base := serve(t, 1500)
	if err := sb.SetFaults(sandbox.SmartHR, sandbox.Faults{Rate429: 0.3, ErrorRate: 0.2, PerSecond: 25, PerHour: 1000}); err != nil {
		t.Fatal(err)
	}
	opts := fast
	opts.Limits = httpx.Limits{PerSecond: 25, PerHour: 1000}
	c := newClient(t, base, sandbox.SmartHRToken, opts)
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
	st, cs := sb.Stats(sandbox.SmartHR), c.Stats()
	if st.Requests <= 25 || st.Throttled != 0 || st.Injected429 == 0 || st.InjectedErrors == 0 || cs.TooManyRequests != st.Injected429 {
		t.Fatalf("simulator %+v, client %+v", st, cs)
	}
	if w := sb.Writes(sandbox.SmartHR); w.Total.Updates != 15 || w.Employees[all[0].EmployeeNumber].Updates != 1 {
		t.Fatalf("writes %+v", w.Total)
	}
	t.Logf("simulator %+v", st)
}

func TestTimeout(t *testing.T) {
	sb, base := serve(t, 1)
	sb.SetFaults(sandbox.SmartHR, sandbox.Faults{LatencyMS: 500})
	opts := fast
	opts.HTTP.Timeout, opts.HTTP.MaxAttempts = 50*time.Millisecond, 2
	start := time.Now()
	_, err := newClient(t, base, sandbox.SmartHRToken, opts).List(ctx)
	var e *httpx.Error
	if !errors.As(err, &e) || e.Type != httpx.TypeTimeout || time.Since(start) > 400*time.Millisecond {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
}

func TestUnreadableAnswers(t *testing.T) {
	cases := []struct{ name, ctype, body, want string }{
		{"HTML", "text/html", "<html>メンテナンス中</html>", `HTTP 200 invalid_response: expected a JSON body but got content type "text/html"`},
		{"malformed JSON", "application/json", `[{"id":"1",`, "HTTP 200 invalid_response: malformed JSON body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", c.ctype)
				fmt.Fprint(w, c.body)
			}))
			defer srv.Close()
			_, err := newClient(t, srv.URL+"/api", "t0ken-abcdef", fast).List(ctx)
			if err == nil || !strings.Contains(err.Error(), "SmartHR API: GET /api/v1/crews?page=1&per_page=100: "+c.want) {
				t.Fatalf("%v", err)
			}
		})
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	for _, c := range []struct{ url, token string }{{"ftp://x", "t"}, {"not a url", "t"}, {"https://x.smarthr.jp/api", " "}} {
		if _, err := smarthr.New(c.url, c.token, smarthr.Options{}); err == nil {
			t.Errorf("%q %q accepted", c.url, c.token)
		}
	}
}
