package jobkan_test

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
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

var ctx = context.Background()

var fast = jobkan.Options{
	Limits: httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit},
	HTTP:   httpx.Config{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxAttempts: 15, Timeout: 5 * time.Second},
}

type env struct {
	sb  *sandbox.Sandbox
	url string
}

func serve(t *testing.T, size int) env {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: 1})
	sb.Reset(1, size)
	if err := sb.SetFaults(sandbox.Jobkan, sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return env{sb, srv.URL}
}

func (e env) client(t *testing.T, secret string, opts jobkan.Options) *jobkan.Client {
	t.Helper()
	c, err := jobkan.New(e.url+sandbox.JobkanBase, e.url+sandbox.JobkanBase+"/oauth/token", sandbox.JobkanClientID, secret, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListPagination(t *testing.T) {
	for _, size := range []int{0, 1, 100, 101, 10_000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			e := serve(t, size)
			c := e.client(t, sandbox.JobkanClientSecret, fast)
			got, err := c.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			codes := map[string]bool{}
			for _, emp := range got {
				codes[emp.EmployeeNumber] = true
			}
			requests := int64(size/100 + 1) // keyset: until a short page, maybe an empty one
			if len(got) != size || len(codes) != size || c.Stats().Requests != requests {
				t.Fatalf("%d employees, %d codes, %d requests; want %d in %d", len(got), len(codes), c.Stats().Requests, size, requests)
			}
			if st := e.sb.Stats(sandbox.Jobkan); st.TokensIssued != 1 {
				t.Fatalf("%d tokens for one listing", st.TokensIssued)
			}
		})
	}
}

func TestDefaultScenarioMapping(t *testing.T) {
	e := serve(t, sandbox.DefaultSize)
	all, err := e.client(t, sandbox.JobkanClientSecret, fast).List(ctx)
	if err != nil || len(all) != sandbox.DefaultSize {
		t.Fatalf("%d %v", len(all), err)
	}
	statuses := map[string]int{}
	for _, emp := range all {
		statuses[emp.EmploymentStatus]++
		if len(emp.EmploymentType) != 1 || emp.EmploymentType < "1" || emp.EmploymentType > "8" || !strings.Contains(emp.Email, "@") || emp.ID == "" {
			t.Errorf("%+v", emp)
		}
	}
	if len(statuses) > 3 || statuses[hrsync.StatusEmployed] == 0 || statuses[hrsync.StatusRetired] == 0 {
		t.Fatalf("statuses %v", statuses)
	}
}

func TestTokenLifecycle(t *testing.T) {
	e := serve(t, 5)
	c := e.client(t, sandbox.JobkanClientSecret, fast)
	list := func() {
		t.Helper()
		if all, err := c.List(ctx); err != nil || len(all) != 5 {
			t.Fatalf("%d %v", len(all), err)
		}
	}
	list()
	list()
	if n := e.sb.Stats(sandbox.Jobkan).TokensIssued; n != 1 {
		t.Fatalf("token not cached: %d issued", n)
	}
	// Revoked or expired early: the 401 brings one new token and one retry.
	e.sb.ExpireTokens()
	list()
	if n := e.sb.Stats(sandbox.Jobkan).TokensIssued; n != 2 {
		t.Fatalf("%d tokens after expiry", n)
	}
	// A short-lived token is replaced before it expires, without a 401.
	e.sb.SetFaults(sandbox.Jobkan, sandbox.Faults{TokenTTLSeconds: 1})
	e.sb.ExpireTokens()
	list()
	before := c.Stats().Requests
	time.Sleep(time.Second)
	list()
	if n, reqs := e.sb.Stats(sandbox.Jobkan).TokensIssued, c.Stats().Requests-before; n != 4 || reqs != 1 {
		t.Fatalf("%d tokens, %d requests", n, reqs)
	}
}

func TestAuthFailure(t *testing.T) {
	e := serve(t, 1)
	const secret = "wrong-secret-0123456789"
	c := e.client(t, secret, fast)
	for name, call := range map[string]func() error{
		"ping": func() error { return c.Ping(ctx) },
		"list": func() error { _, err := c.List(ctx); return err },
	} {
		err := call()
		var he *httpx.Error
		if !errors.As(err, &he) || he.HTTPStatus != 401 || he.Code != "invalid_client" || he.Message != "クライアント認証に失敗しました" || he.Provider != "Jobkan" {
			t.Fatalf("%s: %#v", name, err)
		}
		if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "connection settings") {
			t.Fatalf("%s: %s", name, err)
		}
	}
	if err := e.client(t, sandbox.JobkanClientSecret, fast).Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestCreateFindUpdate(t *testing.T) {
	e := serve(t, 10)
	c := e.client(t, sandbox.JobkanClientSecret, fast)
	want := hrsync.Employee{
		EmployeeNumber: "J/0001", LastName: "𠮷田", FirstName: "　髙子", HiredOn: "2024-04-01",
		EmploymentType: "3", Phone: "０３‐１２３４‐５６７８", BirthDate: "1990-02-28",
		EmploymentStatus: hrsync.StatusAbsent, Email: "j0001@example.jp",
	}
	got, err := c.Create(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	want.ID = got.ID
	if got != want || got.ID == "" {
		t.Fatalf("created\n %+v\nwant\n %+v", got, want)
	}
	found, err := c.FindByNumber(ctx, "J/0001")
	if err != nil || len(found) != 1 || found[0] != want {
		t.Fatalf("found %+v %v", found, err)
	}
	next := want
	next.Phone, next.EmploymentType, next.EmploymentStatus, next.FirstName = "", "8", hrsync.StatusRetired, "ignored"
	if err := c.Update(ctx, got, next, []hrsync.Field{hrsync.FieldPhone, hrsync.FieldEmploymentType, hrsync.FieldEmploymentStatus}); err != nil {
		t.Fatal(err)
	}
	found, _ = c.FindByNumber(ctx, "J/0001")
	want.Phone, want.EmploymentType, want.EmploymentStatus = "", "8", hrsync.StatusRetired
	if len(found) != 1 || found[0] != want {
		t.Fatalf("after update %+v", found)
	}
	if w := e.sb.Writes(sandbox.Jobkan); w.Employees["J/0001"] != (sandbox.WriteCount{Creates: 1, Updates: 1}) || w.Total.Creates != 1 {
		t.Fatalf("writes %+v", w)
	}
	if none, err := c.FindByNumber(ctx, "NOPE"); err != nil || none != nil {
		t.Fatalf("%v %v", none, err)
	}
}

func TestWritesRefused(t *testing.T) {
	e := serve(t, 3)
	c := e.client(t, sandbox.JobkanClientSecret, fast)
	all, _ := c.List(ctx)

	dup := all[0]
	_, err := c.Create(ctx, dup)
	var he *httpx.Error
	if !errors.As(err, &he) || he.HTTPStatus != 409 || he.Code != "duplicate_code" || he.Message != "従業員コード「"+dup.EmployeeNumber+"」は既に使用されています" {
		t.Fatalf("%#v", err)
	}
	noEmail := hrsync.Employee{EmployeeNumber: "N1", LastName: "佐藤", FirstName: "愛"}
	if _, err := c.Create(ctx, noEmail); !errors.As(err, &he) || he.HTTPStatus != 400 || he.Message != "メールアドレスを入力してください" {
		t.Fatalf("%#v", err)
	}
	bad := all[0]
	bad.EmploymentType = "正社員" // not mapped to a code: refused before sending
	if err := c.Update(ctx, all[0], bad, []hrsync.Field{hrsync.FieldEmploymentType}); err == nil || !strings.Contains(err.Error(), "work_kind") {
		t.Fatalf("%v", err)
	}
	bad = all[0]
	bad.HiredOn = "2024/4/1"
	if err := c.Update(ctx, all[0], bad, []hrsync.Field{hrsync.FieldHiredOn}); !errors.As(err, &he) || he.HTTPStatus != 400 || !strings.Contains(he.Message, "YYYY-MM-DD") {
		t.Fatalf("%#v", err)
	}
	if w := e.sb.Writes(sandbox.Jobkan); w.Total != (sandbox.WriteCount{}) {
		t.Fatalf("writes %+v", w)
	}
}

func TestStorms(t *testing.T) {
	e := serve(t, 1500)
	if err := e.sb.SetFaults(sandbox.Jobkan, sandbox.Faults{Rate429: 0.3, ErrorRate: 0.2, PerSecond: 25, PerHour: 1000}); err != nil {
		t.Fatal(err)
	}
	opts := fast
	opts.Limits = httpx.Limits{PerSecond: 25, PerHour: 1000}
	c := e.client(t, sandbox.JobkanClientSecret, opts)
	all, err := c.List(ctx)
	if err != nil || len(all) != 1500 {
		t.Fatalf("%d %v", len(all), err)
	}
	var wg sync.WaitGroup
	for _, emp := range all[:15] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := emp
			want.Phone = "03-0000-0000"
			if err := c.Update(ctx, emp, want, []hrsync.Field{hrsync.FieldPhone}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, cs := e.sb.Stats(sandbox.Jobkan), c.Stats()
	if st.Requests <= 25 || st.Throttled != 0 || st.Injected429 == 0 || st.InjectedErrors == 0 || cs.TooManyRequests != st.Injected429 {
		t.Fatalf("simulator %+v, client %+v", st, cs)
	}
	if w := e.sb.Writes(sandbox.Jobkan); w.Total.Updates != 15 || w.Employees[all[0].EmployeeNumber].Updates != 1 {
		t.Fatalf("writes %+v", w.Total)
	}
	t.Logf("simulator %+v", st)
}

func TestTimeout(t *testing.T) {
	e := serve(t, 1)
	c := e.client(t, sandbox.JobkanClientSecret, func() jobkan.Options {
		o := fast
		o.HTTP.Timeout, o.HTTP.MaxAttempts = 50*time.Millisecond, 2
		return o
	}())
	if err := c.Ping(ctx); err != nil { // the token first, while the simulator is quick
		t.Fatal(err)
	}
	e.sb.SetFaults(sandbox.Jobkan, sandbox.Faults{LatencyMS: 500})
	start := time.Now()
	_, err := c.List(ctx)
	var he *httpx.Error
	if !errors.As(err, &he) || he.Type != httpx.TypeTimeout || time.Since(start) > 400*time.Millisecond {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
}

func TestUnreadableAnswers(t *testing.T) {
	cases := []struct{ name, path, ctype, body, want string }{
		{"HTML list", "/master/v1/employees", "text/html", "<html>メンテナンス中</html>",
			`Jobkan API: GET /master/v1/employees?count=100&last_id=0: HTTP 200 invalid_response: expected a JSON body but got content type "text/html"`},
		{"malformed list", "/master/v1/employees", "application/json", `{"employees":[`, "HTTP 200 invalid_response: malformed JSON body"},
		{"token not JSON", "/oauth/token", "text/plain", "access_token=leaked", `Jobkan API: POST /oauth/token: HTTP 200 invalid_response: expected a JSON body but got content type "text/plain"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == c.path {
					w.Header().Set("Content-Type", c.ctype)
					fmt.Fprint(w, c.body)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"access_token":"abc-token-xyz","expires_in":3600}`)
			}))
			defer srv.Close()
			cl, _ := jobkan.New(srv.URL, srv.URL+"/oauth/token", "id", "secret-zzz", fast)
			_, err := cl.List(ctx)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "leaked") || strings.Contains(err.Error(), "abc-token-xyz") {
				t.Fatalf("%v", err)
			}
		})
	}
}
