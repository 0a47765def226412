package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/store"
)

func stdinWith(t *testing.T, s string) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestUsersCreate(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = "sqlite:" + filepath.Join(t.TempDir(), "hrbridge.db")
	args := []string{"create", "--email", "Hanako@Example.com", "--role", "viewer"}
	if err := usersCommand(ctx, cfg, args, stdinWith(t, "viewer password\n")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{args, "another password\n", "already exists"},
		{[]string{"create", "--email", "x@example.com", "--role", "root"}, "long enough\n", "admin or viewer"},
		{[]string{"create", "--email", "x@example.com", "--role", "admin"}, "short\n", "at least 8"},
		{[]string{"create", "--role", "admin"}, "long enough\n", "--email"},
		{[]string{"delete"}, "", "usage"},
	} {
		err := usersCommand(ctx, cfg, c.args, stdinWith(t, c.stdin))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error about %q", c.args, err, c.want)
		}
	}
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ns, err := auth.NewService(st).Login(ctx, "hanako@example.com", "viewer password", auth.Client{}, "")
	if err != nil || ns.Principal.Role != auth.RoleViewer {
		t.Fatalf("sign in as the created user: %v", err)
	}
}

// reset-password sets a new password (from stdin) and ends the user's
// sessions; unknown e-mails and short passwords are refused.
func TestUsersResetPassword(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = "sqlite:" + filepath.Join(t.TempDir(), "hrbridge.db")
	if err := usersCommand(ctx, cfg, []string{"create", "--email", "admin@example.com", "--role", "admin"}, stdinWith(t, "old password\n")); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := auth.NewService(st)
	old, err := svc.Login(ctx, "admin@example.com", "old password", auth.Client{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"reset-password", "--email", "nobody@example.com"}, "long enough\n", "no user"},
		{[]string{"reset-password", "--email", "admin@example.com"}, "short\n", "at least 8"},
		{[]string{"reset-password"}, "long enough\n", "--email"},
	} {
		if err := usersCommand(ctx, cfg, c.args, stdinWith(t, c.stdin)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error about %q", c.args, err, c.want)
		}
	}
	if err := usersCommand(ctx, cfg, []string{"reset-password", "--email", "ADMIN@example.com"}, stdinWith(t, "new password 2\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(ctx, "admin@example.com", "old password", auth.Client{}, ""); err == nil {
		t.Error("the old password still works")
	}
	if _, err := svc.Login(ctx, "admin@example.com", "new password 2", auth.Client{}, ""); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if _, err := svc.Session(ctx, old.Token); err == nil {
		t.Error("the session from before the reset still works")
	}
	var n int64
	st.DB.Model(&store.AuditEvent{}).Where("action = ?", "user.password_reset").Count(&n)
	if n != 1 {
		t.Errorf("%d password_reset audit events, want 1", n)
	}
}
