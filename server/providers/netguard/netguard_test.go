package netguard_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"hrbridge/server/providers/netguard"
)

func TestForbidden(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"0.0.0.0", "::", "::1", "fe80::1", "fc00::1", "fd12::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "100.64.0.1",
		"64:ff9b::a9fe:a9fe", "224.0.0.1", "255.255.255.255"} {
		if netguard.Forbidden(netip.MustParseAddr(s)) == "" {
			t.Errorf("%s is allowed", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "203.0.112.1", "2001:4860:4860::8888", "64:ff9b::808:808"} {
		if why := netguard.Forbidden(netip.MustParseAddr(s)); why != "" {
			t.Errorf("%s is refused: %s", s, why)
		}
	}
}

// A loopback listener (standing for /metrics, a cloud metadata service or
// an internal admin page) is refused at the dialer, whatever name reaches
// it and whether the first request or a redirect leads there; the sandbox
// root is exempt but only for its /sandbox/ paths; the opt-in allows all.
func TestGuardRefusesInternalAddresses(t *testing.T) {
	var internalHits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		io.WriteString(w, "internal secret")
	}))
	defer internal.Close()
	sandbox := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sandbox/redirect" {
			http.Redirect(w, r, internal.URL+"/metrics", http.StatusFound)
			return
		}
		io.WriteString(w, "sandbox")
	}))
	defer sandbox.Close()

	g := netguard.New(false, sandbox.URL)
	c := g.Client()
	localhostURL := strings.Replace(internal.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{internal.URL + "/metrics", localhostURL + "/metrics", sandbox.URL + "/sandbox/redirect", sandbox.URL + "/metrics"} {
		resp, err := c.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s: allowed (%d)", u, resp.StatusCode)
			continue
		}
		if !errors.Is(err, netguard.ErrBlocked) {
			t.Errorf("GET %s: %v, want a blocked error", u, err)
		}
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("the internal listener got %d requests", n)
	}
	resp, err := c.Get(sandbox.URL + "/sandbox/smarthr/api/v1/crews")
	if err != nil {
		t.Fatalf("the sandbox is refused: %v", err)
	}
	resp.Body.Close()

	open := netguard.New(true).Client()
	resp, err = open.Get(internal.URL)
	if err != nil {
		t.Fatalf("with the opt-in: %v", err)
	}
	resp.Body.Close()
	if internalHits.Load() != 1 {
		t.Error("the opt-in did not reach the listener")
	}
	if msg := g.CheckLiteral("http://127.0.0.1:8080/api"); msg == "" {
		t.Error("a literal loopback URL passes CheckLiteral")
	}
	if msg := g.CheckLiteral(sandbox.URL + "/sandbox/smarthr/api"); msg != "" {
		t.Errorf("the sandbox URL fails CheckLiteral: %s", msg)
	}
}
