package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"hrbridge/server/store"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store/storetest"
)

// recorder is a loopback listener standing for a host an attacker (or a
// typo) points the connection at: it counts requests and credentials.
type recorder struct {
	*httptest.Server
	hits, creds atomic.Int64
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		if req.Header.Get("Authorization") != "" || strings.Contains(req.URL.RawQuery, "secret") {
			r.creds.Add(1)
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("# HELP internal_only a page nobody outside may read\ninternal_only 1\n"))
	}))
	t.Cleanup(r.Close)
	return r
}

func sandboxConnection(env *apptest.Env) map[string]any {
	return map[string]any{
		"smarthr": map[string]any{"base_url": env.URL + sandbox.SmartHRBase + "/api", "access_token": sandbox.SmartHRToken},
		"jobkan": map[string]any{"api_url": env.URL + sandbox.JobkanBase, "token_url": env.URL + sandbox.JobkanBase + "/oauth/token",
			"client_id": sandbox.JobkanClientID, "client_secret": sandbox.JobkanClientSecret},
		"use_business_name": false,
		"employment_types":  []any{},
	}
}

func problemFields(t *testing.T, r apptest.Response) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Location, Message string }
	}
	r.JSON(t, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// A stored secret is bound to the origin it was entered for (issue 14 item
// 2): moving a URL elsewhere without entering the secret again is a 422
// naming the secret, for 保存 and for 接続テスト, and the new host never
// sees the secret. Private addresses are allowed here so that only the
// binding stands between the secret and the loopback listener.
func TestSecretBoundToOrigin(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d, func(c *config.Config) { c.Sandbox, c.SandboxSize, c.AllowPrivateProviders = "1", 5, true })
			admin := env.Admin(t)
			const conn = "/api/v1/integrations/jobkan/connection"
			if r := admin.Do(t, "PUT", conn, sandboxConnection(env)); r.Status != 200 {
				t.Fatalf("save: %d %s", r.Status, r.Body)
			}
			evil := newRecorder(t)
			moves := []struct {
				name, want string
				edit       func(b map[string]any)
			}{
				{"SmartHR base URL", "body.smarthr.access_token", func(b map[string]any) {
					b["smarthr"] = map[string]any{"base_url": evil.URL + "/api"}
				}},
				{"Jobkan token URL", "body.jobkan.client_secret", func(b map[string]any) {
					j := b["jobkan"].(map[string]any)
					delete(j, "client_secret")
					j["token_url"] = evil.URL + "/oauth/token"
				}},
				{"Jobkan API URL", "body.jobkan.client_secret", func(b map[string]any) {
					j := b["jobkan"].(map[string]any)
					delete(j, "client_secret")
					j["api_url"] = evil.URL
				}},
				{"SmartHR scheme", "body.smarthr.access_token", func(b map[string]any) {
					b["smarthr"] = map[string]any{"base_url": strings.Replace(env.URL, "http://", "https://", 1) + sandbox.SmartHRBase + "/api"}
				}},
			}
			for _, m := range moves {
				b := sandboxConnection(env)
				m.edit(b)
				r := admin.Do(t, "PUT", conn, b)
				if r.Status != 422 || !strings.Contains(strings.Join(problemFields(t, r), ","), m.want) {
					t.Errorf("%s moved without the secret: %d %s", m.name, r.Status, r.Body)
				}
				if r := admin.Do(t, "POST", conn+"/test", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"ok":true`) {
					t.Errorf("after the refused save of %s, the saved settings changed: %d %s", m.name, r.Status, r.Body)
				}
			}
			// The same path on the same origin keeps the secret.
			b := sandboxConnection(env)
			b["smarthr"] = map[string]any{"base_url": env.URL + sandbox.SmartHRBase + "/api/"}
			if r := admin.Do(t, "PUT", conn, b); r.Status != 200 {
				t.Errorf("same origin without the secret: %d %s", r.Status, r.Body)
			}
			// The URL column changed behind the API's back (a restored
			// backup, a hand edit): 接続テスト refuses too.
			if err := env.App.Store.DB.Exec("UPDATE connection_settings SET smarthr_base_url = ?, jobkan_token_url = ?, updated_at = ?",
				evil.URL+"/api", evil.URL+"/oauth/token", time.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
			time.Sleep(1100 * time.Millisecond) // past the settings recheck
			r := admin.Do(t, "POST", conn+"/test", nil)
			fields := strings.Join(problemFields(t, r), ",")
			if r.Status != 422 || !strings.Contains(fields, "body.smarthr.access_token") || !strings.Contains(fields, "body.jobkan.client_secret") {
				t.Errorf("接続テスト with a secret bound elsewhere: %d %s", r.Status, r.Body)
			}
			if n := evil.hits.Load(); n != 0 {
				t.Errorf("the new host got %d requests (%d with credentials)", n, evil.creds.Load())
			}
			// Entering the secret for the new host is allowed.
			b = sandboxConnection(env)
			b["smarthr"] = map[string]any{"base_url": evil.URL + "/api", "access_token": "entered-for-evil"}
			if r := admin.Do(t, "PUT", conn, b); r.Status != 200 {
				t.Errorf("moved with the secret: %d %s", r.Status, r.Body)
			}
		})
	}
}

// SSRF (issue 14 item 3): connection URLs that reach this host's loopback,
// private or link-local addresses are refused — literal ones when saved,
// names after resolution when dialled — and what such a host answers is
// never quoted to anyone.
func TestConnectionSSRF(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d, func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", 5 })
			admin := env.Admin(t)
			viewer := env.Viewer(t)
			const conn = "/api/v1/integrations/jobkan/connection"
			internal := newRecorder(t)
			port := internal.URL[strings.LastIndex(internal.URL, ":")+1:]
			for _, u := range []string{internal.URL + "/api", "http://[::1]:" + port + "/api", "http://169.254.169.254/latest", "http://10.0.0.5/api",
				"http://0.0.0.0:" + port, "http://localhost:" + port + "/api", env.URL + "/metrics"} {
				b := sandboxConnection(env)
				b["smarthr"] = map[string]any{"base_url": u, "access_token": "t"}
				if r := admin.Do(t, "PUT", conn, b); r.Status != 422 || !strings.Contains(string(r.Body), "body.smarthr.base_url") {
					t.Errorf("saved %s: %d %s", u, r.Status, r.Body)
				}
			}
			// A name that resolves to loopback is refused at the dialer, on
			// every call (the check at save is only a quick answer): saved
			// while private addresses were allowed, used after they no
			// longer are.
			env.App.Conns.Guard.AllowPrivate = true
			b := sandboxConnection(env)
			b["smarthr"] = map[string]any{"base_url": "http://localhost:" + port + "/api", "access_token": "t"}
			if r := admin.Do(t, "PUT", conn, b); r.Status != 200 {
				t.Fatalf("save with the opt-in: %d %s", r.Status, r.Body)
			}
			env.App.Conns.Guard.AllowPrivate = false
			r := viewer.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan", nil)
			if r.Status < 400 || strings.Contains(string(r.Body), "internal_only") {
				t.Errorf("diffs through a loopback name: %d %s", r.Status, r.Body)
			}
			if n := internal.hits.Load(); n != 0 {
				t.Errorf("the loopback listener got %d requests", n)
			}
			if !strings.Contains(string(r.Body), "refused to connect") {
				t.Errorf("the refusal is not explained: %s", r.Body)
			}
			// With the opt-in the host is reached, and what it answered is
			// still never quoted to the viewer.
			// (a refresh needs the import permission: the administrator asks)
			env.App.Conns.Guard.AllowPrivate = true
			r = admin.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&refresh=true", nil)
			if internal.hits.Load() == 0 || r.Status < 400 || strings.Contains(string(r.Body), "internal_only") {
				t.Errorf("diffs against a non-provider host: %d hits, %d %s", internal.hits.Load(), r.Status, r.Body)
			}
		})
	}
}

// /metrics label values come from closed sets (issue 14 item 4): invented
// and huge methods and random paths add no series.
func TestMetricsLabelsBounded(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	series := func() (int, int) {
		r := scrapeMetrics(t, env)
		n := 0
		for _, l := range strings.Split(string(r.Body), "\n") {
			if strings.HasPrefix(l, "hrbridge_http_") {
				n++
			}
		}
		return n, len(r.Body)
	}
	junk := func(round int) {
		for i := 0; i < 40; i++ {
			method := fmt.Sprintf("INVENTED%d_%d", round, i)
			if i%10 == 0 {
				method = strings.Repeat("M", 8<<10) + strconv.Itoa(i)
			}
			for _, path := range []string{fmt.Sprintf("/api/v1/nope/%d/%d", round, i), fmt.Sprintf("/random-%d-%d", round, i), "/api/v1/me", "/healthz", fmt.Sprintf("/sandbox/x%d", i)} {
				req, _ := http.NewRequest(method, env.URL+path, nil)
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
				}
				env.Do(t, "GET", path+"?q="+strconv.Itoa(i), nil)
				env.Do(t, "DELETE", path, nil)
			}
		}
	}
	junk(0)
	series() // the scrape itself is a route too
	n1, size1 := series()
	junk(1)
	junk(2)
	n2, size2 := series()
	if n2 > n1 || size2 > size1+size1/10 {
		t.Errorf("junk requests added series: %d → %d lines, %d → %d bytes", n1, n2, size1, size2)
	}
	if n1 > 300 {
		t.Errorf("%d series after junk requests", n1)
	}
	body := string(scrapeMetrics(t, env).Body)
	for _, bad := range []string{"INVENTED", "MMMM", "random-", "nope/"} {
		if strings.Contains(body, bad) {
			t.Errorf("/metrics holds %q", bad)
		}
	}
	if !strings.Contains(body, `method="OTHER"`) {
		t.Error("invented methods are not counted as OTHER")
	}
}

func scrapeMetrics(t *testing.T, env *apptest.Env) apptest.Response {
	t.Helper()
	r := env.Do(t, "GET", "/metrics", nil)
	if r.Status != 200 {
		t.Fatalf("/metrics: %d %s", r.Status, r.Body)
	}
	return r
}

// Low: data after the JSON value is refused, not ignored.
func TestTrailingJSONRefused(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	admin := env.Admin(t)
	for _, body := range []string{`{"name":"a","scopes":["read"]}{"name":"b","scopes":["read"]}`, `{"name":"a","scopes":["read"]} x`, `{"name":"a","scopes":["read"]}]`} {
		r := admin.Do(t, "POST", "/api/v1/api-tokens", body)
		if r.Status != 400 || !strings.Contains(string(r.Body), "after the JSON value") {
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		}
	}
	if r := admin.Do(t, "POST", "/api/v1/api-tokens", "{\"name\":\"a\",\"scopes\":[\"read\"]}\n \t"); r.Status != 201 {
		t.Errorf("trailing white space: %d %s", r.Status, r.Body)
	}
}

// Low: a forged cursor — one that decodes but that no list made — is a
// 400, never a 200 with an empty (or wrong) page.
func TestForgedCursors(t *testing.T) {
	env := apptest.Start(t, "sqlite", func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", 5 })
	admin := env.Admin(t)
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	forged := []string{"AAAA", b64(`{}`), b64(`null`), b64(`{"t":"0001-01-01T00:00:00Z","i":""}`),
		b64(`{"t":"2020-01-01T00:00:00Z","i":"not-an-id"}`), b64(`{"p":-1}`), b64(`{"g":1,"i":-5,"n":"","s":""}`),
		b64(`{"g":9999999999999999999,"i":0,"n":"1","s":"1"}`), b64(`{"g":1,"i":0,"n":"x","s":"y","extra":1}`),
		b64(`{"t":"2999-01-01T00:00:00Z","i":"00000000-0000-4000-8000-000000000000"}`)}
	for _, list := range []string{"/api/v1/imports", "/api/v1/notifications", "/api/v1/api-tokens", "/api/v1/audit-events",
		"/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan"} {
		sep := "?"
		if strings.Contains(list, "?") {
			sep = "&"
		}
		for _, c := range forged {
			r := admin.Do(t, "GET", list+sep+"cursor="+c, nil)
			if r.Status != 400 {
				t.Errorf("%s with the forged cursor %s: %d %.200s", list, c, r.Status, r.Body)
			}
		}
	}
	// A real cursor still pages.
	r := admin.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=2", nil)
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	r.JSON(t, &page)
	if page.NextCursor == nil {
		t.Fatalf("no next cursor: %s", r.Body)
	}
	if r := admin.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=2&cursor="+*page.NextCursor, nil); r.Status != 200 {
		t.Errorf("the real cursor: %d %s", r.Status, r.Body)
	}
}

// Low: an oversized body, chunked or not, is a 413 problem+json.
func TestOversizedBody413(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	admin := env.Admin(t)
	big := `{"name":"` + strings.Repeat("a", 6<<20) + `","scopes":["read"]}`
	for _, chunked := range []bool{false, true} {
		req, _ := http.NewRequest("POST", env.URL+"/api/v1/api-tokens", io.NopCloser(strings.NewReader(big)))
		if !chunked {
			req.ContentLength = int64(len(big))
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", admin.Cookie("hrbridge_csrf"))
		res, err := admin.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 413 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("chunked=%v: %d %s %.200s", chunked, res.StatusCode, res.Header.Get("Content-Type"), b)
		}
	}
}

// Low: every spelling of a path under /api is the API's JSON 404, never the SPA.
func TestAPIPathsAnyCase(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	for _, p := range []string{"/API/V1/ME", "/Api/v1/me", "/API", "/aPi/nothing", "//api/v1/nothing", "/x/../API/v1/me", "/api/V1/me"} {
		r := env.Do(t, "GET", p, nil)
		if r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: %d %s %.100s", p, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	}
}

// Low: media types are case-insensitive; a charset other than UTF-8 is refused.
func TestMediaTypes(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	admin := env.Admin(t)
	body := `{"name":"ct","scopes":["read"]}`
	for _, c := range []struct {
		ct   string
		want int
	}{
		{"APPLICATION/JSON", 201}, {"Application/Json; Charset=UTF-8", 201}, {"application/json; charset=utf-8", 201},
		{"application/json; charset=utf-16", 415}, {"application/json; charset=iso-8859-1", 415}, {"application/json;charset=\"Shift_JIS\"", 415},
		{"text/plain", 415}, {"application/x-www-form-urlencoded", 415}, {"application/json; charset", 415},
	} {
		r := admin.Do(t, "POST", "/api/v1/api-tokens", body, "Content-Type", c.ct)
		if r.Status != c.want {
			t.Errorf("Content-Type %q: %d %.200s, want %d", c.ct, r.Status, r.Body, c.want)
		}
	}
}

// Low: X-Request-Id is kept only when short and safe; otherwise a fresh one.
func TestRequestIDSafe(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	if r := env.Do(t, "GET", "/healthz", nil, "X-Request-Id", "trace-abc_123:4.5"); r.Header.Get("X-Request-Id") != "trace-abc_123:4.5" {
		t.Errorf("a safe id is not kept: %q", r.Header.Get("X-Request-Id"))
	}
	for _, bad := range []string{strings.Repeat("a", 8000), "a b", "<script>", "a\tb", "é"} {
		r := env.Do(t, "GET", "/healthz", nil, "X-Request-Id", bad)
		got := r.Header.Get("X-Request-Id")
		if got == bad || len(got) > 64 || got == "" {
			t.Errorf("X-Request-Id %.20q: echoed as %.40q", bad, got)
		}
	}
}

// Low: URLs that every later call would reject are refused when saved.
func TestConnectionURLsValidatedOnSave(t *testing.T) {
	env := apptest.Start(t, "sqlite")
	admin := env.Admin(t)
	for _, u := range []string{"http://", "https://", "https://tenant.smarthr.jp:99999/api", "https://tenant.smarthr.jp:0/api",
		"ftp://tenant.smarthr.jp/api", "https://user:pw@tenant.smarthr.jp/api", "https://tenant.smarthr.jp/api?x=1",
		"https://tenant.smarthr.jp/api#f", "tenant.smarthr.jp/api", "https://tenant smarthr.jp/api", "https://tenant.smarthr.jp:port/api"} {
		b := connectionBody("tok", "sec")
		b["smarthr"] = map[string]any{"base_url": u, "access_token": "tok"}
		if r := admin.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", b); r.Status/100 != 4 || !strings.Contains(string(r.Body), "smarthr.base_url") {
			t.Errorf("saved %q: %d %s", u, r.Status, r.Body)
		}
	}
	if r := admin.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", connectionBody("tok", "sec")); r.Status != 200 {
		t.Errorf("a good connection: %d %s", r.Status, r.Body)
	}
}

// Low: HSTS over TLS, and behind a trusted proxy that says https; never
// because an untrusted client says so.
func TestHSTS(t *testing.T) {
	plain := apptest.Start(t, "sqlite")
	if r := plain.Do(t, "GET", "/healthz", nil); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
	if r := plain.Do(t, "GET", "/healthz", nil, "X-Forwarded-Proto", "https"); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS because an untrusted client said https")
	}
	proxied := apptest.Start(t, "sqlite", func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.0/8"} })
	if r := proxied.Do(t, "GET", "/healthz", nil, "X-Forwarded-Proto", "https"); !strings.Contains(r.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind a trusted proxy over https: %v", r.Header)
	}
	if r := proxied.Do(t, "GET", "/healthz", nil); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS behind a trusted proxy over http")
	}
	// Direct TLS.
	srv := httptest.NewUnstartedServer(plain.App.Echo)
	srv.StartTLS()
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over TLS: %v", res.Header)
	}
}

// Low: a request the client abandons is counted as 499, not as a 500.
func TestAbandonedRequestIs499(t *testing.T) {
	env := apptest.Start(t, "sqlite", func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", 5 })
	admin := env.Admin(t)
	if err := env.App.Sandbox.SetFaults(sandbox.SmartHR, sandbox.Faults{LatencyMS: 3000}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", env.URL+"/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&refresh=true", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if res, err := admin.HTTP.Do(req.WithContext(ctx)); err == nil {
		res.Body.Close()
		t.Fatalf("the request was answered: %d", res.StatusCode)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		body := string(scrapeMetrics(t, env).Body)
		if strings.Contains(body, `route="/api/v1/integrations/jobkan/diffs",status="499"`) {
			if strings.Contains(body, `route="/api/v1/integrations/jobkan/diffs",status="5xx"`) {
				t.Error("the abandoned request is also a 5xx")
			}
			return
		}
		if time.Now().After(deadline) {
			for _, l := range strings.Split(body, "\n") {
				if strings.HasPrefix(l, "hrbridge_http_requests_total") {
					t.Log(l)
				}
			}
			t.Fatal("the abandoned request is not counted as 499")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Low: /metrics is not public: loopback only by default, a bearer token
// with HRBRIDGE_METRICS_TOKEN, or only on HRBRIDGE_METRICS_ADDR.
func TestMetricsNotPublic(t *testing.T) {
	local := apptest.Start(t, "sqlite")
	if r := local.Do(t, "GET", "/metrics", nil); r.Status != 200 {
		t.Errorf("loopback, no token configured: %d", r.Status)
	}
	if r := local.Do(t, "GET", "/metrics", nil, "X-Forwarded-For", "198.51.100.1"); r.Status != 401 {
		t.Errorf("through a proxy, no token configured: %d", r.Status)
	}
	const token = "metrics-token-0123456789"
	tok := apptest.Start(t, "sqlite", func(c *config.Config) { c.MetricsToken = token })
	if r := tok.Do(t, "GET", "/metrics", nil); r.Status != 401 {
		t.Errorf("no token: %d", r.Status)
	}
	if r := tok.Do(t, "GET", "/metrics", nil, "Authorization", "Bearer wrong-token-0123456789"); r.Status != 401 {
		t.Errorf("wrong token: %d", r.Status)
	}
	if r := tok.Do(t, "GET", "/metrics", nil, "Authorization", "Bearer "+token); r.Status != 200 || !strings.Contains(string(r.Body), "hrbridge_http_requests_total") {
		t.Errorf("the token: %d", r.Status)
	}
	sep := apptest.Start(t, "sqlite", func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" })
	if r := sep.Do(t, "GET", "/metrics", nil); r.Status != 404 {
		t.Errorf("/metrics on the main listener with its own address: %d", r.Status)
	}
	var u string
	for i := 0; i < 50 && u == ""; i++ {
		time.Sleep(20 * time.Millisecond)
		u = sep.App.MetricsURL()
	}
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "go_goroutines") {
		t.Errorf("the metrics listener: %d", res.StatusCode)
	}
}

// Low: on PostgreSQL, a connection the server dropped (a restart, a
// failover, pg_terminate_backend, idle_session_timeout) does not turn the
// next request into a 500: the statement runs again on a fresh connection
// (store.retryConnector). Here the server drops connections idle for
// 200 ms, sooner than the driver's own check of one idle for a second.
func TestPostgresDroppedConnections(t *testing.T) {
	env := apptest.Start(t, store.Postgres, func(c *config.Config) {
		c.DatabaseURL += sep(c.DatabaseURL) + "options=-c%20idle_session_timeout%3D200"
	})
	admin := env.Admin(t)
	tok := env.Token(t, "read")
	for round := 0; round < 4; round++ {
		var wg gosync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); admin.Do(t, "GET", "/api/v1/api-tokens", nil) }()
		}
		wg.Wait()
		time.Sleep(500 * time.Millisecond)
		for _, p := range []string{"/api/v1/me", "/api/v1/api-tokens", "/api/v1/imports", "/api/v1/notifications", "/api/v1/audit-events"} {
			if r := admin.Do(t, "GET", p, nil); r.Status != 200 {
				t.Errorf("round %d, after the server dropped idle connections: GET %s = %d %s", round, p, r.Status, r.Body)
			}
		}
		time.Sleep(500 * time.Millisecond)
		if r := env.DoToken(t, tok, "GET", "/api/v1/imports", nil); r.Status != 200 {
			t.Errorf("round %d: token GET /imports = %d %s", round, r.Status, r.Body)
		}
		time.Sleep(500 * time.Millisecond)
		if r := admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": fmt.Sprintf("after drop %d", round), "scopes": []string{"read"}}); r.Status != 201 {
			t.Errorf("round %d: a write after the server dropped idle connections = %d %s", round, r.Status, r.Body)
		}
	}
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}
