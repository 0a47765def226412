// Command hrbridge keeps employee records in step between SmartHR and
// ジョブカン勤怠管理. Subcommands: serve (default), migrate, sandbox, users
// create, version.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
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

const usage = `usage: hrbridge [serve | migrate | sandbox | users create --email E --role admin|viewer | version]
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
	case "migrate":
		st, err := store.Open(cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.Migrate(ctx); err != nil {
			return err
		}
		fmt.Println("migrations applied")
		return nil
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
