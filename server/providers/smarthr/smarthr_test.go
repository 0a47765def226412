package smarthr_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"hrbridge/server/providers/connectortest"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

var ctx = context.Background()

// fast retries, no limits: tests that are about limits set their own.
var fast = smarthr.Options{
	Limits: httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit},
	HTTP:   connectortest.Fast,
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

// harness runs the connector conformance suite against the SmartHR simulator.
var harness = connectortest.Harness{
	Provider: sandbox.SmartHR,
	Name:     smarthr.Provider,
	Base:     sandbox.SmartHRBase,
	New: func(t *testing.T, root string, o connectortest.Options) connectortest.Connector {
		o = o.Resolve()
		token := o.Secret
		if token == "" {
			token = sandbox.SmartHRToken
		}
		return newClient(t, root+"/api", token, smarthr.Options{Limits: o.Limits, HTTP: o.HTTP})
	},
	// page 1, then the rest from x-total-count
	ListRequests:  func(size int) int64 { return int64(max(1, (size+99)/100)) },
	CheckScenario: checkScenario,
	NewEmployee: hrsync.Employee{
		EmployeeNumber: "Z0001", LastName: "𠮷田", FirstName: "髙子 ", HiredOn: "2024-04-01",
		EmploymentType: "パート・アルバイト", Phone: "０９０ー１２３４ー５６７８", BirthDate: "1990-02-28",
		EmploymentStatus: hrsync.StatusEmployed,
	},
	Change: func(e *hrsync.Employee) []hrsync.Field {
		e.Phone, e.EmploymentType = "", "契約社員"
		return []hrsync.Field{hrsync.FieldPhone, hrsync.FieldEmploymentType}
	},
	CheckAuthError: func(t *testing.T, call string, e *httpx.Error) {
		if e.Code != "2" || e.Type != "unauthorized_token" {
			t.Fatalf("%s: %#v", call, e)
		}
	},
	Unreadable: []connectortest.Unreadable{
		{Name: "HTML", Path: "/api/v1/crews", ContentType: "text/html", Body: "<html>メンテナンス中</html>",
			Want: `SmartHR API: GET /api/v1/crews?page=1&per_page=100: HTTP 200 invalid_response: expected a JSON body but got content type "text/html"`},
		{Name: "malformed JSON", Path: "/api/v1/crews", ContentType: "application/json", Body: `[{"id":"1",`,
			Want: "SmartHR API: GET /api/v1/crews?page=1&per_page=100: HTTP 200 invalid_response: malformed JSON body"},
	},
}

func TestConnector(t *testing.T) { connectortest.Run(t, harness) }

// checkScenario checks SmartHR's side of the seeded scenario: its employment
// type names, dates as SmartHR sends them, business names, one crew without
// an emp_code and the duplicated ones.
func checkScenario(t *testing.T, root string, legal []hrsync.Employee) {
	opts := fast
	opts.UseBusinessName = true
	business, err := newClient(t, root+"/api", sandbox.SmartHRToken, opts).List(ctx)
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

// With business names, the business name is what is written, and the legal
// name stays.
func TestBusinessNameWritten(t *testing.T) {
	_, base := serve(t, 10)
	c := newClient(t, base, sandbox.SmartHRToken, fast)
	want, err := c.Create(ctx, harness.NewEmployee)
	if err != nil {
		t.Fatal(err)
	}
	opts := fast
	opts.UseBusinessName = true
	bc := newClient(t, base, sandbox.SmartHRToken, opts)
	next := want
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

func TestNewRejectsBadSettings(t *testing.T) {
	for _, c := range []struct{ url, token string }{{"ftp://x", "t"}, {"not a url", "t"}, {"https://x.smarthr.jp/api", " "}} {
		if _, err := smarthr.New(c.url, c.token, smarthr.Options{}); err == nil {
			t.Errorf("%q %q accepted", c.url, c.token)
		}
	}
}
