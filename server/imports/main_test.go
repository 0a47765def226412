package imports_test

import (
	"log/slog"
	"os"
	"testing"
)

// TestMain keeps the servers' logs to warnings (every request is logged at
// info); HRBRIDGE_TEST_LOGS=1 shows everything. The binary built for the
// process tests is removed at the end.
func TestMain(m *testing.M) {
	if os.Getenv("HRBRIDGE_TEST_LOGS") == "" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}
	code := m.Run()
	removeBinary()
	os.Exit(code)
}
