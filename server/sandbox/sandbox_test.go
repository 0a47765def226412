package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

type env struct {
	t   *testing.T
	sb  *Sandbox
	url string
}

// newEnv serves a sandbox without limits, so that only the tests about limits
// meet them.
func newEnv(t *testing.T, size int) *env {
	t.Helper()
	sb := New(Options{Seed: 1, Size: 1})
	sb.Reset(1, size)
	for _, p := range []Provider{SmartHR, Jobkan} {
		if err := sb.SetFaults(p, Faults{}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return &env{t, sb, srv.URL}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	return m
}

func (e *env) do(method, path string, header map[string]string, body string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if strings.Contains(path, "/_sandbox/") && header == nil {
		req.Header.Set(ControlHeader, "1")
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

var smarthrAuthz = map[string]string{"Authorization": "Bearer " + SmartHRToken, "Content-Type": "application/json"}

func (e *env) smarthr(method, path, body string) answer {
	return e.do(method, SmartHRBase+"/api"+path, smarthrAuthz, body)
}

func (e *env) jobkanToken() string {
	e.t.Helper()
	a := e.do("POST", JobkanBase+"/oauth/token", map[string]string{
		"Authorization": "Basic " + basic(JobkanClientID, JobkanClientSecret),
		"Content-Type":  "application/x-www-form-urlencoded",
	}, "grant_type=client_credentials&scope=employees.read+employees.write")
	if a.status != 200 {
		e.t.Fatalf("token: %d %s", a.status, a.body)
	}
	return a.json(e.t)["access_token"].(string)
}

func (e *env) jobkan(tok, method, path, body string) answer {
	return e.do(method, JobkanBase+"/master/v1"+path, map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json"}, body)
}

func basic(id, secret string) string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(id, secret)
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}

func TestSmartHRCrewsPaging(t *testing.T) {
	e := newEnv(t, 250)
	a := e.smarthr("GET", "/v1/crews?page=2&per_page=100&sort=emp_code", "")
	if a.status != 200 || a.header.Get("X-Total-Count") != "250" {
		t.Fatalf("%d total=%q", a.status, a.header.Get("X-Total-Count"))
	}
	var crews []map[string]any
	if err := json.Unmarshal(a.body, &crews); err != nil || len(crews) != 100 {
		t.Fatalf("%d crews, %v", len(crews), err)
	}
	link := a.header.Get("Link")
	for _, rel := range []string{`page=1&per_page=100&sort=emp_code>; rel="first"`, `page=1&per_page=100&sort=emp_code>; rel="prev"`,
		`page=3&per_page=100&sort=emp_code>; rel="next"`, `page=3&per_page=100&sort=emp_code>; rel="last"`} {
		if !strings.Contains(link, rel) {
			t.Errorf("Link %q lacks %q", link, rel)
		}
	}
	last := e.smarthr("GET", "/v1/crews?page=3&per_page=100", "")
	if strings.Contains(last.header.Get("Link"), `rel="next"`) {
		t.Errorf("the last page links a next one: %s", last.header.Get("Link"))
	}
}

func TestSmartHRErrors(t *testing.T) {
	e := newEnv(t, 20)
	var crews []map[string]any
	_ = json.Unmarshal(e.smarthr("GET", "/v1/crews?per_page=1", "").body, &crews)
	id := crews[0]["id"].(string)

	cases := []struct {
		name, method, path, body string
		auth                     string
		status, code             int
		typ, field               string
	}{
		{"no token", "GET", "/v1/crews", "", "-", 401, 2, "unauthorized_token", ""},
		{"wrong token", "GET", "/v1/crews", "", "Bearer nope", 401, 2, "unauthorized_token", ""},
		{"per_page over 100", "GET", "/v1/crews?per_page=101", "", "", 400, 1, "bad_request", ""},
		{"bad sort", "GET", "/v1/crews?sort=salary", "", "", 400, 1, "bad_request", ""},
		{"unknown crew", "GET", "/v1/crews/nope", "", "", 404, 4, "not_found", ""},
		{"unknown path", "GET", "/v1/nothing", "", "", 404, 4, "not_found", ""},
		{"blank last_name", "PATCH", "/v1/crews/" + id, `{"last_name":""}`, "", 400, 1, "bad_request", "last_name"},
		{"null birth_at", "PATCH", "/v1/crews/" + id, `{"birth_at":null}`, "", 400, 1, "bad_request", "birth_at"},
		{"bad date", "PATCH", "/v1/crews/" + id, `{"entered_at":"2024/04/01"}`, "", 400, 1, "bad_request", "entered_at"},
		{"impossible date", "PATCH", "/v1/crews/" + id, `{"entered_at":"2024-02-30"}`, "", 400, 1, "bad_request", "entered_at"},
		{"unknown employment type", "PATCH", "/v1/crews/" + id, `{"employment_type_id":"x"}`, "", 400, 1, "bad_request", "employment_type_id"},
		{"bad emp_status", "PATCH", "/v1/crews/" + id, `{"emp_status":"working"}`, "", 400, 1, "bad_request", "emp_status"},
		{"not a string", "PATCH", "/v1/crews/" + id, `{"tel_number":123}`, "", 400, 1, "bad_request", "tel_number"},
		{"create without names", "POST", "/v1/crews", `{"emp_code":"X1"}`, "", 400, 1, "bad_request", "last_name"},
		{"not JSON", "POST", "/v1/crews", `emp_code=1`, "", 400, 1, "bad_request", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer " + SmartHRToken, "Content-Type": "application/json"}
			switch c.auth {
			case "-":
				delete(h, "Authorization")
			case "":
			default:
				h["Authorization"] = c.auth
			}
			a := e.do(c.method, SmartHRBase+"/api"+c.path, h, c.body)
			m := a.json(t)
			if a.status != c.status || m["code"] != float64(c.code) || m["type"] != c.typ {
				t.Fatalf("got %d %s", a.status, a.body)
			}
			if c.field != "" {
				errs, _ := m["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != c.field || errs[0].(map[string]any)["resource"] != "crew" {
					t.Fatalf("errors %s", a.body)
				}
			}
		})
	}
	if w := e.sb.Writes(SmartHR); w.Total != (WriteCount{}) {
		t.Errorf("refused writes were applied: %+v", w)
	}
}

func TestSmartHRWritesAndTypes(t *testing.T) {
	e := newEnv(t, 0)
	a := e.smarthr("GET", "/v1/employment_types", "")
	var types []map[string]any
	_ = json.Unmarshal(a.body, &types)
	if len(types) != 8 || types[0]["name"] != "正社員" || a.header.Get("X-Total-Count") != "8" {
		t.Fatalf("employment types %s", a.body)
	}
	body := `{"emp_code":"A1","last_name":"𠮷田","first_name":"太郎","tel_number":"０９０ー１２３４ー５６７８","employment_type_id":"` + types[1]["id"].(string) + `"}`
	a = e.smarthr("POST", "/v1/crews", body)
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	c := a.json(t)
	if c["last_name"] != "𠮷田" || c["emp_status"] != "employed" || c["employment_type"].(map[string]any)["name"] != "契約社員" {
		t.Fatalf("created %s", a.body)
	}
	a = e.smarthr("PATCH", "/v1/crews/"+c["id"].(string), `{"tel_number":null,"emp_status":"retired"}`)
	if a.status != 200 || a.json(t)["tel_number"] != nil || a.json(t)["last_name"] != "𠮷田" {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	found := e.smarthr("GET", "/v1/crews?emp_code=A1", "")
	if found.header.Get("X-Total-Count") != "1" {
		t.Fatalf("emp_code filter: %s", found.body)
	}
	w := e.do("GET", SmartHRBase+"/_sandbox/writes", nil, "")
	var ws Writes
	_ = json.Unmarshal(w.body, &ws)
	if ws.Employees["A1"] != (WriteCount{1, 1}) || ws.Total != (WriteCount{1, 1}) {
		t.Fatalf("writes %s", w.body)
	}
}

func TestSmartHRRateLimit(t *testing.T) {
	e := newEnv(t, 5)
	e.do("PUT", SmartHRBase+"/_sandbox/faults", nil, `{"per_second":2,"per_hour":100}`)
	for i := range 2 {
		a := e.smarthr("GET", "/v1/crews", "")
		if a.status != 200 || a.header.Get("X-Rate-Limit-Limit") != "100" || a.header.Get("X-Rate-Limit-Remaining") != strconv.Itoa(99-i) {
			t.Fatalf("request %d: %d %v", i, a.status, a.header)
		}
	}
	a := e.smarthr("GET", "/v1/crews", "")
	m := a.json(t)
	if a.status != 429 || m["code"] != float64(6) || m["type"] != "too_many_requests" || a.header.Get("X-Rate-Limit-Reset") != "1" {
		t.Fatalf("third request: %d %v %s", a.status, a.header, a.body)
	}
	if st := e.sb.Stats(SmartHR); st.Throttled != 1 || st.Requests != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestControls(t *testing.T) {
	e := newEnv(t, 3)
	for _, base := range []string{SmartHRBase, JobkanBase} {
		a := e.do("PUT", base+"/_sandbox/faults", nil, `{"latency_ms":1,"rate429":0.5}`)
		if a.status != 200 || a.json(t)["rate429"] != 0.5 || a.json(t)["latency_ms"] != float64(1) {
			t.Fatalf("%s faults: %s", base, a.body)
		}
		if a := e.do("PUT", base+"/_sandbox/faults", nil, `{"error_rate":2}`); a.status != 400 {
			t.Fatalf("%s accepted error_rate 2", base)
		}
		if a := e.do("PUT", base+"/_sandbox/faults", nil, `{"latncy_ms":1}`); a.status != 400 {
			t.Fatalf("%s accepted a misspelt field", base)
		}
		a = e.do("GET", base+"/_sandbox/faults", nil, "")
		if a.json(t)["rate429"] != 0.5 {
			t.Fatalf("%s GET faults: %s", base, a.body)
		}
		a = e.do("POST", base+"/_sandbox/reset", nil, `{"seed":3,"size":0}`)
		if a.status != 200 || a.json(t)["size"] != float64(0) {
			t.Fatalf("%s reset: %s", base, a.body)
		}
		a = e.do("GET", base+"/_sandbox/stats", nil, "")
		if a.status != 200 || a.json(t)["requests"] != float64(0) {
			t.Fatalf("%s stats: %s", base, a.body)
		}
	}
	e.sb.SetFaults(SmartHR, Faults{})
	a := e.smarthr("GET", "/v1/crews", "")
	if a.header.Get("X-Total-Count") != "0" || string(a.body) != "[]\n" {
		t.Fatalf("after reset to 0: %s", a.body)
	}
}

func TestJobkanAPI(t *testing.T) {
	e := newEnv(t, 150)
	tok := e.jobkanToken()

	var page struct{ Employees []map[string]any }
	a := e.jobkan(tok, "GET", "/employees?last_id=0&count=100", "")
	_ = json.Unmarshal(a.body, &page)
	if a.status != 200 || len(page.Employees) != 100 {
		t.Fatalf("first page: %d, %d employees", a.status, len(page.Employees))
	}
	last := int(page.Employees[99]["id"].(float64))
	_ = json.Unmarshal(e.jobkan(tok, "GET", "/employees?count=100&last_id="+strconv.Itoa(last), "").body, &page)
	if len(page.Employees) != 50 || int(page.Employees[0]["id"].(float64)) <= last {
		t.Fatalf("second page: %d employees", len(page.Employees))
	}

	a = e.jobkan(tok, "POST", "/employees", `{"code":"J1","last_name":"髙橋","first_name":"凛","email":"j1@example.jp","work_kind":3,"hire_date":"2024-04-01"}`)
	if a.status != 201 || a.json(t)["employee"].(map[string]any)["status"] != "working" {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	a = e.jobkan(tok, "PUT", "/employees/J1", `{"tel":"03-1234-5678","status":"leave"}`)
	emp := a.json(t)["employee"].(map[string]any)
	if a.status != 200 || emp["tel"] != "03-1234-5678" || emp["last_name"] != "髙橋" || emp["status"] != "leave" {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	if ws := e.sb.Writes(Jobkan); ws.Employees["J1"] != (WriteCount{1, 1}) {
		t.Fatalf("writes %+v", ws)
	}

	cases := []struct {
		name, method, path, body, token string
		status                          int
		code                            string
	}{
		{"no token", "GET", "/employees", "", "nope", 401, "invalid_token"},
		{"count over 100", "GET", "/employees?count=101", "", tok, 400, "invalid_parameter"},
		{"bad last_id", "GET", "/employees?last_id=-1", "", tok, 400, "invalid_parameter"},
		{"unknown code", "GET", "/employees/NOPE", "", tok, 404, "not_found"},
		{"create without email", "POST", "/employees", `{"code":"J2","last_name":"a","first_name":"b"}`, tok, 400, "validation_error"},
		{"duplicate code", "POST", "/employees", `{"code":"J1","last_name":"a","first_name":"b","email":"x@y"}`, tok, 409, "duplicate_code"},
		{"work_kind 9", "PUT", "/employees/J1", `{"work_kind":9}`, tok, 400, "validation_error"},
		{"work_kind string", "PUT", "/employees/J1", `{"work_kind":"1"}`, tok, 400, "validation_error"},
		{"bad date", "PUT", "/employees/J1", `{"birth_date":"1990-1-1"}`, tok, 400, "validation_error"},
		{"bad status", "PUT", "/employees/J1", `{"status":"employed"}`, tok, 400, "validation_error"},
		{"blank last_name", "PUT", "/employees/J1", `{"last_name":" "}`, tok, 400, "validation_error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.jobkan(c.token, c.method, c.path, c.body)
			m := a.json(t)
			errObj, _ := m["error"].(map[string]any)
			if a.status != c.status || errObj == nil || errObj["code"] != c.code || errObj["message"] == "" {
				t.Fatalf("got %d %s", a.status, a.body)
			}
		})
	}
	if ws := e.sb.Writes(Jobkan); ws.Total != (WriteCount{1, 1}) {
		t.Fatalf("refused writes were applied: %+v", ws)
	}

	// Tokens end: expired ones are refused like unknown ones.
	if n := e.sb.ExpireTokens(); n != 1 {
		t.Fatalf("expired %d tokens", n)
	}
	if a := e.jobkan(tok, "GET", "/employees", ""); a.status != 401 {
		t.Fatalf("expired token accepted: %d", a.status)
	}
}

func TestJobkanToken(t *testing.T) {
	e := newEnv(t, 1)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, auth, ctype, body string
		status                  int
		code                    string
	}{
		{"wrong secret", basic(JobkanClientID, "wrong"), form, "grant_type=client_credentials", 401, "invalid_client"},
		{"no credentials", "", form, "grant_type=client_credentials", 401, "invalid_client"},
		{"wrong grant", basic(JobkanClientID, JobkanClientSecret), form, "grant_type=password", 400, "unsupported_grant_type"},
		{"unknown scope", basic(JobkanClientID, JobkanClientSecret), form, "grant_type=client_credentials&scope=payroll.read", 400, "invalid_scope"},
		{"JSON body", basic(JobkanClientID, JobkanClientSecret), "application/json", `{"grant_type":"client_credentials"}`, 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": c.ctype}
			if c.auth != "" {
				h["Authorization"] = "Basic " + c.auth
			}
			a := e.do("POST", JobkanBase+"/oauth/token", h, c.body)
			if a.status != c.status || a.json(t)["error"] != c.code {
				t.Fatalf("got %d %s", a.status, a.body)
			}
		})
	}
	// A read-only token cannot write.
	a := e.do("POST", JobkanBase+"/oauth/token", map[string]string{
		"Authorization": "Basic " + basic(JobkanClientID, JobkanClientSecret), "Content-Type": form,
	}, url.Values{"grant_type": {"client_credentials"}, "scope": {"employees.read"}}.Encode())
	tok := a.json(t)["access_token"].(string)
	if a := e.jobkan(tok, "PUT", "/employees/00001", `{"tel":""}`); a.status != 403 {
		t.Fatalf("read-only token wrote: %d %s", a.status, a.body)
	}
}

func TestJobkanRateLimit(t *testing.T) {
	e := newEnv(t, 1)
	tok := e.jobkanToken()
	e.sb.SetFaults(Jobkan, Faults{PerSecond: 1})
	if a := e.jobkan(tok, "GET", "/employees", ""); a.status != 200 {
		t.Fatalf("first: %d", a.status)
	}
	a := e.jobkan(tok, "GET", "/employees", "")
	if a.status != 429 || a.header.Get("Retry-After") != "1" || a.json(t)["error"].(map[string]any)["code"] != "too_many_requests" {
		t.Fatalf("second: %d %v %s", a.status, a.header, a.body)
	}
}

// reject_writes refuses writes for the listed numbers in each provider's own
// error format, and counts none of them.
func TestRejectWrites(t *testing.T) {
	e := newEnv(t, 0)
	for _, base := range []string{SmartHRBase, JobkanBase} {
		if a := e.do("PUT", base+"/_sandbox/faults", nil, `{"reject_writes":["R1"]}`); a.status != 200 {
			t.Fatalf("set faults: %d %s", a.status, a.body)
		}
	}
	a := e.smarthr("POST", "/v1/crews", `{"emp_code":"R1","last_name":"山田","first_name":"花子"}`)
	if a.status != 400 || a.json(t)["type"] != "bad_request" {
		t.Fatalf("SmartHR create of a rejected number: %d %s", a.status, a.body)
	}
	if a := e.smarthr("POST", "/v1/crews", `{"emp_code":"R2","last_name":"山田","first_name":"花子"}`); a.status != 201 {
		t.Fatalf("another number: %d %s", a.status, a.body)
	}
	tok := e.jobkanToken()
	a = e.jobkan(tok, "POST", "/employees", `{"code":"R1","last_name":"山田","first_name":"花子","email":"r1@example.jp"}`)
	if a.status != 400 || !strings.Contains(string(a.body), "validation_error") {
		t.Fatalf("Jobkan create of a rejected number: %d %s", a.status, a.body)
	}
	var ws Writes
	_ = json.Unmarshal(e.do("GET", SmartHRBase+"/_sandbox/writes", nil, "").body, &ws)
	if _, ok := ws.Employees["R1"]; ok || ws.Total.Creates != 1 {
		t.Fatalf("writes %+v", ws)
	}
}

// reset_rate closes that share of API requests' connections without an
// answer (a reset, before the request is handled: a refused write is not
// applied), counts them, and is validated like the other rates.
func TestResetRate(t *testing.T) {
	e := newEnv(t, 3)
	for _, base := range []string{SmartHRBase, JobkanBase} {
		if a := e.do("PUT", base+"/_sandbox/faults", nil, `{"reset_rate":1.5}`); a.status != 400 || !strings.Contains(string(a.body), "reset_rate") {
			t.Fatalf("%s accepted reset_rate 1.5: %d %s", base, a.status, a.body)
		}
		if a := e.do("PUT", base+"/_sandbox/faults", nil, `{"reset_rate":-0.1}`); a.status != 400 {
			t.Fatalf("%s accepted reset_rate -0.1: %d %s", base, a.status, a.body)
		}
	}
	tok := e.jobkanToken() // the token endpoint is not an API request: never reset
	if a := e.do("PUT", SmartHRBase+"/_sandbox/faults", nil, `{"reset_rate":1}`); a.status != 200 || a.json(t)["reset_rate"] != float64(1) {
		t.Fatalf("set reset_rate: %d %s", a.status, a.body)
	}
	if a := e.do("PUT", JobkanBase+"/_sandbox/faults", nil, `{"reset_rate":1}`); a.status != 200 {
		t.Fatalf("set reset_rate: %d %s", a.status, a.body)
	}

	// A client of its own, without keep-alive, so that net/http does not
	// quietly retry a GET on another connection.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	send := func(method, path, auth, body string) error {
		req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return fmt.Errorf("answered %d", resp.StatusCode)
		}
		return err
	}
	for _, c := range []struct{ method, path, auth, body string }{
		{"GET", SmartHRBase + "/api/v1/crews", "Bearer " + SmartHRToken, ""},
		{"POST", SmartHRBase + "/api/v1/crews", "Bearer " + SmartHRToken, `{"emp_code":"X1","last_name":"山田","first_name":"花子"}`},
		{"GET", JobkanBase + "/master/v1/employees", "Bearer " + tok, ""},
		{"POST", JobkanBase + "/master/v1/employees", "Bearer " + tok, `{"code":"X2","last_name":"山田","first_name":"花子","email":"x2@example.jp"}`},
	} {
		err := send(c.method, c.path, c.auth, c.body)
		if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s %s: want the connection reset, got %v", c.method, c.path, err)
		}
	}
	for _, p := range []Provider{SmartHR, Jobkan} {
		if st := e.sb.Stats(p); st.InjectedResets != 2 || st.Requests != 2 {
			t.Errorf("%s stats %+v, want 2 resets of 2 requests", p, st)
		}
		if w := e.sb.Writes(p); w.Total != (WriteCount{}) {
			t.Errorf("%s applied writes whose connection was reset: %+v", p, w)
		}
	}

	// Half: some requests answered, some reset.
	if err := e.sb.SetFaults(SmartHR, Faults{ResetRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	ok, reset := 0, 0
	for range 40 {
		req, _ := http.NewRequest("GET", e.url+SmartHRBase+"/api/v1/crews", nil)
		req.Header.Set("Authorization", "Bearer "+SmartHRToken)
		resp, err := client.Do(req)
		if err != nil {
			reset++
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			ok++
		}
	}
	if ok == 0 || reset == 0 || ok+reset != 40 {
		t.Errorf("reset_rate 0.5: %d answered, %d reset of 40", ok, reset)
	}
	if st := e.sb.Stats(SmartHR); st.InjectedResets != int64(2+reset) {
		t.Errorf("stats %+v, want %d resets", st, 2+reset)
	}
}

// TestInjected429AsksForOneSecond: an injected 429 says how long to wait,
// in each provider's words (issue 11's storm of short waits).
func TestInjected429AsksForOneSecond(t *testing.T) {
	e := newEnv(t, 3)
	for _, p := range []Provider{SmartHR, Jobkan} {
		if err := e.sb.SetFaults(p, Faults{Rate429: 1, PerSecond: 100}); err != nil {
			t.Fatal(err)
		}
	}
	a := e.smarthr("GET", "/v1/crews", "")
	if a.status != 429 || a.header.Get("Retry-After") != "1" || a.header.Get("X-Rate-Limit-Reset") != "1" {
		t.Fatalf("SmartHR: %d %v", a.status, a.header)
	}
	if err := e.sb.SetFaults(Jobkan, Faults{}); err != nil {
		t.Fatal(err)
	}
	tok := e.jobkanToken()
	if err := e.sb.SetFaults(Jobkan, Faults{Rate429: 1}); err != nil {
		t.Fatal(err)
	}
	a = e.jobkan(tok, "GET", "/employees", "")
	if a.status != 429 || a.header.Get("Retry-After") != "1" {
		t.Fatalf("Jobkan: %d %v", a.status, a.header)
	}
}

// Low: a cross-site form or text/plain POST cannot drive the control
// surface: writes need a JSON Content-Type and the X-Sandbox-Control header.
func TestControlNeedsJSONAndHeader(t *testing.T) {
	e := newEnv(t, 3)
	for _, c := range []struct {
		header map[string]string
		want   int
	}{
		{map[string]string{"Content-Type": "text/plain"}, 403},
		{map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 403},
		{map[string]string{"Content-Type": "application/json"}, 403},
		{map[string]string{"Content-Type": "text/plain", ControlHeader: "1"}, 415},
		{map[string]string{"Content-Type": "Application/JSON; charset=utf-8", ControlHeader: "1"}, 200},
	} {
		if a := e.do("PUT", SmartHRBase+"/_sandbox/faults", c.header, `{"latency_ms":0}`); a.status != c.want {
			t.Errorf("%v: %d %s, want %d", c.header, a.status, a.body, c.want)
		}
		if a := e.do("POST", SmartHRBase+"/_sandbox/reset", c.header, `{"seed":1}`); a.status != c.want {
			t.Errorf("reset %v: %d %s, want %d", c.header, a.status, a.body, c.want)
		}
	}
}
