package jobkan_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hrbridge/server/providers/connectortest"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/sandbox"
	hrsync "hrbridge/server/sync"
)

var ctx = context.Background()

var fast = jobkan.Options{
	Limits: httpx.Limits{PerSecond: httpx.NoLimit, PerHour: httpx.NoLimit},
	HTTP:   connectortest.Fast,
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

// harness runs the connector conformance suite against the Jobkan simulator.
var harness = connectortest.Harness{
	Provider: sandbox.Jobkan,
	Name:     jobkan.Provider,
	Base:     sandbox.JobkanBase,
	New: func(t *testing.T, root string, o connectortest.Options) connectortest.Connector {
		o = o.Resolve()
		secret := o.Secret
		if secret == "" {
			secret = sandbox.JobkanClientSecret
		}
		c, err := jobkan.New(root, root+"/oauth/token", sandbox.JobkanClientID, secret, jobkan.Options{Limits: o.Limits, HTTP: o.HTTP})
		if err != nil {
			t.Fatal(err)
		}
		return c
	},
	// keyset: until a short page, maybe an empty one
	ListRequests: func(size int) int64 { return int64(size/100 + 1) },
	AfterList: func(t *testing.T, sb *sandbox.Sandbox, size int) {
		if st := sb.Stats(sandbox.Jobkan); st.TokensIssued != 1 {
			t.Fatalf("%d tokens for one listing", st.TokensIssued)
		}
	},
	CheckScenario: func(t *testing.T, root string, all []hrsync.Employee) {
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
	},
	NewEmployee: hrsync.Employee{
		EmployeeNumber: "J/0001", LastName: "𠮷田", FirstName: "　髙子", HiredOn: "2024-04-01",
		EmploymentType: "3", Phone: "０３‐１２３４‐５６７８", BirthDate: "1990-02-28",
		EmploymentStatus: hrsync.StatusAbsent, Email: "j0001@example.jp",
	},
	Change: func(e *hrsync.Employee) []hrsync.Field {
		e.Phone, e.EmploymentType, e.EmploymentStatus = "", "8", hrsync.StatusRetired
		return []hrsync.Field{hrsync.FieldPhone, hrsync.FieldEmploymentType, hrsync.FieldEmploymentStatus}
	},
	CheckAuthError: func(t *testing.T, call string, e *httpx.Error) {
		if e.Code != "invalid_client" || e.Message != "クライアント認証に失敗しました" {
			t.Fatalf("%s: %#v", call, e)
		}
	},
	Unreadable: []connectortest.Unreadable{
		{Name: "HTML list", Path: "/master/v1/employees", ContentType: "text/html", Body: "<html>メンテナンス中</html>",
			Want:   `Jobkan API: GET /master/v1/employees?count=100&last_id=0: HTTP 200 invalid_response: expected a JSON body but got content type "text/html"`,
			Hidden: []string{"abc-token-xyz"}},
		{Name: "malformed list", Path: "/master/v1/employees", ContentType: "application/json", Body: `{"employees":[`,
			Want: "HTTP 200 invalid_response: malformed JSON body", Hidden: []string{"abc-token-xyz"}},
		{Name: "token not JSON", Path: "/oauth/token", ContentType: "text/plain", Body: "access_token=leaked",
			Want:   `Jobkan API: POST /oauth/token: HTTP 200 invalid_response: expected a JSON body but got content type "text/plain"`,
			Hidden: []string{"leaked"}},
	},
	UnreadableFallback: `{"access_token":"abc-token-xyz","expires_in":3600}`,
}

func TestConnector(t *testing.T) { connectortest.Run(t, harness) }

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
