package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testDecode reads {"code","type","message","errors"} like SmartHR's.
func testDecode(body []byte, e *Error) bool {
	var w struct {
		Code    int          `json:"code"`
		Type    string       `json:"type"`
		Message string       `json:"message"`
		Errors  []FieldError `json:"errors"`
	}
	if json.Unmarshal(body, &w) != nil || w.Type == "" {
		return false
	}
	e.Code, e.Type, e.Message, e.Fields = strconv.Itoa(w.Code), w.Type, w.Message, w.Errors
	return true
}

func newClient(cfg Config) *Client {
	if cfg.BaseDelay == 0 {
		cfg.BaseDelay = time.Millisecond
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 4
	}
	return New(Options{Provider: "Test", DecodeError: testDecode, Config: cfg})
}

// script answers with the given statuses in turn, then 200.
func script(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("Content-Type", "application/json")
		if i < len(statuses) {
			w.WriteHeader(statuses[i])
			fmt.Fprintf(w, `{"code":5,"type":"status_%d","message":"失敗"}`, statuses[i])
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetries(t *testing.T) {
	cases := []struct {
		name       string
		method     string
		idempotent bool
		statuses   []int
		ok         bool
		attempts   int32
	}{
		{"GET recovers from 5xx", "GET", false, []int{503, 500, 502}, true, 4},
		{"GET gives up after MaxAttempts", "GET", false, []int{500, 500, 500, 500, 500}, false, 4},
		{"GET does not retry 4xx", "GET", false, []int{400}, false, 1},
		{"GET retries 429", "GET", false, []int{429, 429}, true, 3},
		{"POST is not retried after 5xx", "POST", false, []int{500}, false, 1},
		{"POST is retried after 429", "POST", false, []int{429}, true, 2},
		{"idempotent PATCH recovers", "PATCH", true, []int{502}, true, 2},
		{"plain PATCH is not retried", "PATCH", false, []int{502}, false, 1},
		{"PUT recovers", "PUT", false, []int{504}, true, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n := script(t, c.statuses...)
			cl := newClient(Config{})
			var out struct{ OK bool }
			_, err := cl.DoJSON(context.Background(), Request{Method: c.method, URL: srv.URL + "/x", Body: []byte(`{}`), Idempotent: c.idempotent}, &out)
			if (err == nil) != c.ok || n.Load() != c.attempts {
				t.Fatalf("err=%v after %d attempts", err, n.Load())
			}
			if c.ok && !out.OK {
				t.Fatal("body not decoded")
			}
			var e *Error
			if !c.ok && (!errors.As(err, &e) || e.HTTPStatus != c.statuses[0] || e.Attempts != int(c.attempts) || e.Message != "失敗") {
				t.Fatalf("error %#v", err)
			}
		})
	}
}

func TestRateLimitHeadersHonoured(t *testing.T) {
	cases := []struct {
		name   string
		header func() (string, string)
	}{
		{"Retry-After seconds", func() (string, string) { return "Retry-After", "1" }},
		{"x-rate-limit-reset seconds", func() (string, string) { return "X-Rate-Limit-Reset", "1" }},
		{"x-rate-limit-reset Unix time", func() (string, string) {
			return "X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(1500*time.Millisecond).Unix(), 10)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					k, v := c.header()
					w.Header().Set(k, v)
					w.WriteHeader(429)
					return
				}
				w.WriteHeader(204)
			}))
			defer srv.Close()
			start := time.Now()
			if _, err := newClient(Config{}).Do(context.Background(), Request{Method: "GET", URL: srv.URL}); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < 450*time.Millisecond {
				t.Fatalf("retried after %s, before the provider's time", d)
			}
		})
	}
}

func TestRateLimitWaitTooLong(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Rate-Limit-Reset", "3000")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"code":6,"type":"too_many_requests","message":"上限です"}`)
	}))
	defer srv.Close()
	start := time.Now()
	_, err := newClient(Config{RetryBudget: time.Minute}).Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/v1/crews"})
	var e *Error
	if !errors.As(err, &e) || e.HTTPStatus != 429 || e.RetryAfter != 3000*time.Second || e.Attempts != 1 || time.Since(start) > time.Second {
		t.Fatalf("%v", err)
	}
	if !strings.Contains(err.Error(), "上限です; rate limited: the provider asked to wait 50m0s") {
		t.Fatalf("no hint: %v", err)
	}
}

func TestServerErrorIgnoresRateReset(t *testing.T) {
	// x-rate-limit-reset rides on every SmartHR answer; it says nothing about a 5xx.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Rate-Limit-Reset", "3600")
		if n.Add(1) == 1 {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	start := time.Now()
	if _, err := newClient(Config{}).Do(context.Background(), Request{Method: "GET", URL: srv.URL}); err != nil || time.Since(start) > time.Second {
		t.Fatalf("err=%v after %s", err, time.Since(start))
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()

	start := time.Now()
	_, err := newClient(Config{Timeout: 50 * time.Millisecond, MaxAttempts: 2}).Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/slow"})
	var e *Error
	if !errors.As(err, &e) || e.Type != TypeTimeout || e.Attempts != 2 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%#v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s", d)
	}
	if msg := err.Error(); !strings.Contains(msg, "no answer within 50ms") || !strings.Contains(msg, "after 2 attempts") {
		t.Fatalf("message: %s", msg)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	_, err = newClient(Config{MaxAttempts: 5}).Do(ctx, Request{Method: "GET", URL: srv.URL + "/slow"})
	if !errors.As(err, &e) || e.Type != TypeCanceled || !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Fatalf("%#v", err)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for _, method := range []string{"GET", "POST"} { // a refused POST never arrived: safe to retry
		_, err := newClient(Config{MaxAttempts: 3}).Do(context.Background(), Request{Method: method, URL: "http://" + addr + "/x"})
		var e *Error
		if !errors.As(err, &e) || e.Type != TypeNetwork || e.Attempts != 3 || e.HTTPStatus != 0 {
			t.Fatalf("%s: %#v", method, err)
		}
		if !strings.Contains(err.Error(), "connection failed") || !strings.Contains(err.Error(), "check the API URL") {
			t.Fatalf("message: %s", err)
		}
	}
}

func TestBadBodies(t *testing.T) {
	cases := []struct {
		name, ctype, body string
		status            int
		want              []string
	}{
		{"HTML instead of JSON", "text/html; charset=utf-8", "<html>maintenance</html>", 200,
			[]string{"Test API", "HTTP 200", `content type "text/html; charset=utf-8"`, "(24 bytes)"}},
		{"no content type", "", `{"id":1}`, 200, []string{"HTTP 200", "no content type"}},
		{"malformed JSON", "application/json", `{"id":`, 200, []string{"HTTP 200", "malformed JSON", "syntax error at byte 6"}},
		{"wrong JSON shape", "application/json", `[1,2]`, 200, []string{"HTTP 200", "malformed JSON"}},
		{"HTML error page", "text/html", "<h1>502 Bad Gateway</h1>", 502, []string{"HTTP 502", `content type "text/html"`, "(24 bytes)"}},
		{"metrics page", "text/plain; version=0.0.4", "# HELP go_goroutines Number of goroutines\nhrbridge_secret 1\n", 404, []string{"HTTP 404", `content type "text/plain; version=0.0.4"`}},
	}
	// A provider's raw body is never quoted (issue 14 item 3): the host may
	// be anything, and a viewer's diff call shows this message.
	notWant := []string{"maintenance", "Bad Gateway", "go_goroutines", "hrbridge_secret", `"id"`, "[1,2]"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = []string{c.ctype}
				w.WriteHeader(c.status)
				fmt.Fprint(w, c.body)
			}))
			defer srv.Close()
			var out struct{ ID int }
			_, err := newClient(Config{MaxAttempts: 1}).DoJSON(context.Background(), Request{Method: "GET", URL: srv.URL + "/v1/crews"}, &out)
			var e *Error
			if !errors.As(err, &e) || e.HTTPStatus != c.status {
				t.Fatalf("%#v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			for _, w := range notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("%q quotes the body (%q)", err, w)
				}
			}
		})
	}
}

func TestNoSecretInErrors(t *testing.T) {
	const token, secret = "tok-3f9a8b7c6d5e", "s3cr3t-value-42"
	// A hostile or careless server that echoes the credentials back.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			json.NewEncoder(w).Encode(map[string]any{"code": 2, "type": "unauthorized_token", "message": "bad " + auth,
				"errors": []FieldError{{Field: "token", Message: auth}}})
		case "/html":
			w.WriteHeader(403)
			fmt.Fprint(w, "<p>denied for "+auth+"</p>")
		default:
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "access_token="+auth)
		}
	}))
	defer srv.Close()
	basicReq, _ := http.NewRequest("GET", "/", nil)
	basicReq.SetBasicAuth("client-id", secret)
	basicAuth := basicReq.Header.Get("Authorization")
	for _, auth := range []string{"Bearer " + token, basicAuth} {
		for _, path := range []string{"/json", "/html", "/ok?token=" + token} {
			var out map[string]any
			_, err := newClient(Config{MaxAttempts: 1}).DoJSON(context.Background(),
				Request{Method: "GET", URL: srv.URL + path, Header: http.Header{"Authorization": {auth}}}, &out)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, s := range []string{token, secret, strings.TrimPrefix(basicAuth, "Basic ")} {
				if strings.Contains(msg, s) {
					t.Errorf("%s leaks a secret: %s", path, msg)
				}
			}
		}
	}
}

func TestErrorText(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{Provider: "SmartHR", Method: "PATCH", Path: "/api/v1/crews/1", HTTPStatus: 400, Code: "1", Type: "bad_request",
			Message: "入力内容に誤りがあります", Fields: []FieldError{{Field: "last_name", Message: "姓を入力してください"}, {Field: "birth_at", Message: "生年月日を入力してください"}}},
			"SmartHR API: PATCH /api/v1/crews/1: HTTP 400 bad_request (code 1): 入力内容に誤りがあります — last_name: 姓を入力してください; birth_at: 生年月日を入力してください"},
		{Error{Provider: "Jobkan", Method: "GET", Path: "/master/v1/employees", HTTPStatus: 401, Code: "invalid_token", Message: "アクセストークンが無効です"},
			"Jobkan API: GET /master/v1/employees: HTTP 401 (code invalid_token): アクセストークンが無効です; check the credentials in the connection settings (連携設定)"},
		{Error{Provider: "SmartHR", Method: "GET", Path: "/x", HTTPStatus: 503, Attempts: 6, Message: "Service Unavailable"},
			"SmartHR API: GET /x: HTTP 503: Service Unavailable (after 6 attempts); the provider is having trouble; try again later"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("\n got %s\nwant %s", got, c.want)
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		h    map[string]string
		rate bool
		want time.Duration
	}{
		{map[string]string{}, true, 0},
		{map[string]string{"Retry-After": "3"}, true, 3 * time.Second},
		{map[string]string{"Retry-After": now.Add(5 * time.Second).Format(http.TimeFormat)}, false, 5 * time.Second},
		{map[string]string{"Retry-After": "junk"}, true, 0},
		{map[string]string{"X-Rate-Limit-Reset": "7"}, true, 7 * time.Second},
		{map[string]string{"X-Rate-Limit-Reset": "7"}, false, 0},
		{map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+9, 10)}, true, 9 * time.Second},
		{map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()-9, 10)}, true, 0},
		{map[string]string{"Retry-After": "2", "X-Rate-Limit-Reset": "4"}, true, 4 * time.Second},
		{map[string]string{"Retry-After": "-5"}, true, 0},
	}
	for _, c := range cases {
		h := http.Header{}
		for k, v := range c.h {
			h.Set(k, v)
		}
		if got := retryAfter(h, now, c.rate); got != c.want {
			t.Errorf("%v rate=%v: got %s want %s", c.h, c.rate, got, c.want)
		}
	}
}

// step is one scripted answer: a status and its Retry-After ("" for none).
type step struct {
	status     int
	retryAfter string
}

func repeat(n int, s step) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// scriptSteps answers with the given steps in turn, then 200; the last step
// repeats for ever when forever is set.
func scriptSteps(t *testing.T, steps []step, forever bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if forever && i >= len(steps) {
			i = len(steps) - 1
		}
		w.Header().Set("Content-Type", "application/json")
		if i < len(steps) {
			if v := steps[i].retryAfter; v != "" {
				w.Header().Set("Retry-After", v)
			}
			w.WriteHeader(steps[i].status)
			fmt.Fprintf(w, `{"code":6,"type":"status_%d","message":"混んでいます"}`, steps[i].status)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestRetryBudget: 429 and 503 are retried for a time (RetryBudget), however
// many answers that takes; other failures for MaxAttempts; a wait longer
// than what is left of the budget fails the call at once.
func TestRetryBudget(t *testing.T) {
	tooMany1 := step{429, "1"} // Retry-After: 1, as in issue 11
	cases := []struct {
		name       string
		method     string
		idempotent bool
		steps      []step
		forever    bool // the last step repeats for ever
		cfg        Config
		ok         bool
		requests   int64 // exact, or the least when maxRequests is set
		maxReqs    int64
		minTime    time.Duration
		maxTime    time.Duration
		want       string // in the error
		stats      Stats  // TooManyRequests and ServerErrors expected
	}{{
		name: "429 Retry-After 1 storm, more than MaxAttempts, then 200", method: "GET",
		steps: repeat(4, tooMany1), cfg: Config{MaxAttempts: 2, RetryBudget: 10 * time.Second},
		ok: true, requests: 5, minTime: 4 * time.Second, maxTime: 7 * time.Second,
		stats: Stats{TooManyRequests: 4},
	}, {
		name: "POST 429 Retry-After 1 storm is retried: it never reached the provider", method: "POST",
		steps: repeat(3, tooMany1), cfg: Config{MaxAttempts: 2, RetryBudget: 10 * time.Second},
		ok: true, requests: 4, minTime: 3 * time.Second, maxTime: 6 * time.Second,
		stats: Stats{TooManyRequests: 3},
	}, {
		name: "429 without Retry-After, 30 times", method: "POST",
		steps: repeat(30, step{429, ""}), cfg: Config{MaxAttempts: 2, MaxDelay: 20 * time.Millisecond, RetryBudget: 10 * time.Second},
		ok: true, requests: 31, maxTime: 3 * time.Second,
		stats: Stats{TooManyRequests: 30},
	}, {
		name: "budget shorter than Retry-After fails at once", method: "GET",
		steps: []step{tooMany1}, cfg: Config{RetryBudget: 500 * time.Millisecond},
		ok: false, requests: 1, maxTime: 300 * time.Millisecond,
		want:  "HTTP 429 status_429 (code 6): 混んでいます; rate limited: the provider asked to wait 1s; try again then",
		stats: Stats{TooManyRequests: 1},
	}, {
		name: "a storm longer than the budget fails once the budget is spent", method: "GET",
		steps: []step{tooMany1}, forever: true, cfg: Config{MaxAttempts: 2, RetryBudget: 2500 * time.Millisecond},
		ok: false, requests: 3, maxReqs: 4, minTime: 2 * time.Second, maxTime: 4 * time.Second,
		want: "rate limited: the provider asked to wait 1s",
	}, {
		name: "503 on GET is retried past MaxAttempts", method: "GET",
		steps: repeat(8, step{503, ""}), cfg: Config{MaxAttempts: 2, MaxDelay: 20 * time.Millisecond, RetryBudget: 10 * time.Second},
		ok: true, requests: 9, maxTime: 3 * time.Second,
		stats: Stats{ServerErrors: 8},
	}, {
		name: "503 Retry-After longer than the budget fails at once", method: "PATCH", idempotent: true,
		steps: []step{{503, "30"}}, cfg: Config{RetryBudget: 5 * time.Second},
		ok: false, requests: 1, maxTime: 300 * time.Millisecond,
		want:  "HTTP 503 status_503 (code 6): 混んでいます; the provider is having trouble; it asked to wait 30s",
		stats: Stats{ServerErrors: 1},
	}, {
		name: "500 on GET stops at MaxAttempts", method: "GET",
		steps: repeat(10, step{500, ""}), cfg: Config{MaxAttempts: 3, RetryBudget: 10 * time.Second},
		ok: false, requests: 3, maxTime: time.Second,
		want:  "(after 3 attempts)",
		stats: Stats{ServerErrors: 3},
	}, {
		name: "502 on idempotent PATCH stops at MaxAttempts", method: "PATCH", idempotent: true,
		steps: repeat(10, step{502, "1"}), cfg: Config{MaxAttempts: 2, RetryBudget: 10 * time.Second},
		ok: false, requests: 2, minTime: time.Second, maxTime: 3 * time.Second,
		stats: Stats{ServerErrors: 2},
	}, {
		name: "POST answered 503 is not retried", method: "POST",
		steps: []step{{503, "1"}}, cfg: Config{RetryBudget: 10 * time.Second},
		ok: false, requests: 1, maxTime: 300 * time.Millisecond,
		stats: Stats{ServerErrors: 1},
	}, {
		name: "plain PATCH answered 503 is not retried", method: "PATCH",
		steps: []step{{503, ""}}, cfg: Config{RetryBudget: 10 * time.Second},
		ok: false, requests: 1, maxTime: 300 * time.Millisecond,
		stats: Stats{ServerErrors: 1},
	}, {
		name: "429s do not use up MaxAttempts", method: "GET",
		steps: []step{{429, ""}, {500, ""}, {429, ""}, {429, ""}, {500, ""}, {429, ""}},
		cfg:   Config{MaxAttempts: 3, MaxDelay: 20 * time.Millisecond, RetryBudget: 10 * time.Second},
		ok:    true, requests: 7, maxTime: 2 * time.Second,
		stats: Stats{TooManyRequests: 4, ServerErrors: 2},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, n := scriptSteps(t, c.steps, c.forever)
			cl := newClient(c.cfg)
			start := time.Now()
			_, err := cl.Do(context.Background(), Request{Method: c.method, URL: srv.URL + "/x", Body: []byte(`{}`), Idempotent: c.idempotent})
			took := time.Since(start)
			st := cl.Stats()
			t.Logf("%d requests in %s: %+v; err: %v", st.Requests, took.Round(time.Millisecond), st, err)
			if (err == nil) != c.ok {
				t.Fatalf("err = %v", err)
			}
			if st.Requests != int64(n.Load()) || st.Retries != st.Requests-1 {
				t.Errorf("stats %+v, server saw %d", st, n.Load())
			}
			if c.maxReqs == 0 && st.Requests != c.requests || c.maxReqs != 0 && (st.Requests < c.requests || st.Requests > c.maxReqs) {
				t.Errorf("%d requests, want %d (up to %d)", st.Requests, c.requests, c.maxReqs)
			}
			if c.stats.TooManyRequests != 0 && st.TooManyRequests != c.stats.TooManyRequests ||
				c.stats.ServerErrors != 0 && st.ServerErrors != c.stats.ServerErrors {
				t.Errorf("stats %+v, want %+v", st, c.stats)
			}
			if took < c.minTime || took > c.maxTime {
				t.Errorf("took %s, want %s..%s", took, c.minTime, c.maxTime)
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Attempts != int(st.Requests) {
					t.Errorf("error %#v", err)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("%q lacks %q", err, c.want)
				}
			}
		})
	}
}

// TestRetryBudgetCanceled: the caller's context still ends a wait for a 429.
func TestRetryBudgetCanceled(t *testing.T) {
	srv, n := scriptSteps(t, []step{{429, "30"}}, true)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := newClient(Config{RetryBudget: time.Minute}).Do(ctx, Request{Method: "GET", URL: srv.URL})
	var e *Error
	if !errors.As(err, &e) || e.Type != TypeCanceled || !errors.Is(err, context.Canceled) || n.Load() != 1 || time.Since(start) > time.Second {
		t.Fatalf("%d requests in %s: %#v", n.Load(), time.Since(start), err)
	}
}

// Low: redaction is structural, not only by the exact secret: a provider
// that echoes a credential transformed (another token, base64, a JWT) gets
// it stripped by shape; record ids (UUIDs) and words stay.
func TestTokenLikeTextStripped(t *testing.T) {
	other := "hrb_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]any{"code": 1, "type": "bad_request",
			"message": "token " + other + " or Bearer abc.def rejected; jwt " + jwt + "; crew 0b5e4f36-2f1a-4c57-9d4e-3f1f1f1f1f1f 社員番号 A001 は不正です"})
	}))
	defer srv.Close()
	_, err := newClient(Config{MaxAttempts: 1}).DoJSON(context.Background(),
		Request{Method: "GET", URL: srv.URL + "/v1/crews", Header: http.Header{"Authorization": {"Bearer mine-0123456789"}}}, nil)
	msg := err.Error()
	for _, leak := range []string{other, jwt, "abc.def"} {
		if strings.Contains(msg, leak) {
			t.Errorf("%q leaks %q", msg, leak)
		}
	}
	for _, keep := range []string{"0b5e4f36-2f1a-4c57-9d4e-3f1f1f1f1f1f", "社員番号 A001 は不正です", "rejected"} {
		if !strings.Contains(msg, keep) {
			t.Errorf("%q lost %q", msg, keep)
		}
	}
}
