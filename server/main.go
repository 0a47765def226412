// Command hrbridge keeps employee records in step between SmartHR and
// ジョブカン勤怠管理. Subcommands: serve (default), migrate, sandbox, users
// create, users reset-password, version.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"hrbridge/server/app"
	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "hrbridge:", err)
		os.Exit(1)
	}
}

const usage = `usage: hrbridge [serve | migrate | sandbox | users create --email E --role admin|viewer | users reset-password --email E | version]
Configuration comes from HRBRIDGE_* variables (see README.md).`

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version", "--version", "-v":
		fmt.Println("hrbridge", version)
		return nil
	case "help", "--help", "-h":
		fmt.Println(usage)
		return nil
	}
	cfg, err := config.FromOS()
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		a, err := app.New(ctx, cfg)
		if err != nil {
			return err
		}
		return a.Serve(ctx, nil)
	case "sandbox":
		return serveSandbox(ctx, cfg)
	case "users":
		return usersCommand(ctx, cfg, args, os.Stdin)
	case "migrate":
		st, err := store.OpenMigrated(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		fmt.Println("migrations applied")
		return st.Close()
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// serveSandbox runs the two provider simulators alone, at the same paths as
// when mounted in serve (/sandbox/smarthr, /sandbox/jobkan).
func serveSandbox(ctx context.Context, cfg config.Config) error {
	sb := sandbox.New(sandbox.Options{Seed: 1, Size: cfg.SandboxSize})
	srv := &http.Server{Addr: cfg.Addr, Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	slog.Info("sandbox simulators listening", "addr", ln.Addr().String(), "size", cfg.SandboxSize,
		"smarthr", "/sandbox/smarthr/api", "jobkan", "/sandbox/jobkan")
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}

// usersCommand is `hrbridge users create --email E --role admin|viewer`,
// with the password read from the first line of stdin (so that it appears
// neither in the process list nor in the shell history).
func usersCommand(ctx context.Context, cfg config.Config, args []string, stdin *os.File) error {
	if len(args) > 0 && args[0] == "reset-password" {
		return resetPasswordCommand(ctx, cfg, args[1:], stdin)
	}
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: hrbridge users create --email E --role admin|viewer, or hrbridge users reset-password --email E (password on stdin)")
	}
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	email := fs.String("email", "", "the user's e-mail address (their sign-in name)")
	role := fs.String("role", "viewer", "admin (configure the connection, import) or viewer (read diffs and history)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("--email is required")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if err := app.CreateUser(ctx, cfg, *email, *role, password); err != nil {
		return err
	}
	fmt.Printf("user created: %s (%s)\n", strings.ToLower(strings.TrimSpace(*email)), *role)
	return nil
}

// readPassword reads the first line of stdin.
func readPassword(stdin *os.File) (string, error) {
	if st, err := stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		fmt.Fprint(os.Stderr, "Password (the input is visible; pipe it in to avoid that): ")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// resetPasswordCommand is `hrbridge users reset-password --email E`, the
// new password on the first line of stdin: for an administrator who is
// locked out (or the last one, forgotten). The user's sessions end; a
// disabled user stays disabled.
func resetPasswordCommand(ctx context.Context, cfg config.Config, args []string, stdin *os.File) error {
	fs := flag.NewFlagSet("users reset-password", flag.ContinueOnError)
	email := fs.String("email", "", "the user's e-mail address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("--email is required")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if err := app.ResetPassword(ctx, cfg, *email, password); err != nil {
		return err
	}
	fmt.Printf("password reset: %s\n", strings.ToLower(strings.TrimSpace(*email)))
	return nil
}
