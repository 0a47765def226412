// Package apptest starts a whole hrbridge on a fresh database for a test and
// talks to it over real HTTP.
package apptest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"hrbridge/server/app"
	"hrbridge/server/config"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// Env is a running server.
type Env struct {
	URL  string
	App  *app.App
	Cfg  config.Config
	HTTP *http.Client // with a cookie jar
}

// Option adjusts the configuration before start.
type Option func(*config.Config)

// Start runs hrbridge on a fresh database of dialect d until t ends.
func Start(t testing.TB, d store.Dialect, opts ...Option) *Env {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	// Tests re-list the providers right after changing them behind
	// hrbridge's back: no refresh cooldown unless a test sets one.
	cfg.DiffRefreshCooldown, cfg.DiffRefreshPerCaller = 0, 0
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = ln.Addr().String()
	cfg.BaseURL = "http://" + cfg.Addr
	cfg.DatabaseURL = storetest.URL(t, d)
	cfg.SecretKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	jar, _ := cookiejar.New(nil)
	return &Env{URL: "http://" + cfg.Addr, App: a, Cfg: cfg, HTTP: &http.Client{Jar: jar}}
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON). headers are name, value pairs.
func (e *Env) Do(t testing.TB, method, path string, body any, headers ...string) Response {
	t.Helper()
	return send(t, e.HTTP, e.URL, method, path, body, headers...)
}
