// Command hrbridge keeps employee records in step between SmartHR and
// ジョブカン勤怠管理. Subcommands: serve (default), migrate, sandbox, users
// create, version.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"hrbridge/server/app"
	"hrbridge/server/config"
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
