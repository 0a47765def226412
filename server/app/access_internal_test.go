package app

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// With the sandbox on and no administrator configured, the first start
// creates admin@example.com with a random password and prints it once; the
// next start prints nothing.
func TestSandboxAdministratorPrintedOnce(t *testing.T) {
	var out bytes.Buffer
	stdout = &out
	t.Cleanup(func() { stdout = os.Stdout })
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = storetest.URL(t, store.SQLite)
	cfg.SecretKey = "sandbox admin test key"
	cfg.Sandbox = "http://127.0.0.1:1" // a separate simulator process: nothing mounted here
	ctx := context.Background()
	start := func() *App {
		a, err := New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close(ctx) })
		return a
	}
	a := start()
	m := regexp.MustCompile(`e-mail:\s+(\S+)\s+password:\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil || m[1] != SandboxAdminEmail || len(m[2]) < 16 {
		t.Fatalf("printed %q", out.String())
	}
	ns, err := a.Auth.Login(ctx, m[1], m[2], auth.Client{IP: "127.0.0.1"}, "")
	if err != nil || ns.Principal.Role != auth.RoleAdmin {
		t.Fatalf("sign in with the printed credentials: %v", err)
	}
	out.Reset()
	a.Close(ctx)
	start()
	if strings.Contains(out.String(), "password") {
		t.Errorf("printed again: %q", out.String())
	}
}
