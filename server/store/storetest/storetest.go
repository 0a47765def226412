// Package storetest gives each test its own fresh database on both dialects:
// a SQLite file in the test's temp dir, and a new database on the real
// PostgreSQL (HRBRIDGE_TEST_DATABASE_URL, default the local server).
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"hrbridge/server/store"
)

const defaultPG = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects are the dialects every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// URL returns the URL of a new, empty database of dialect d that is dropped
// when t ends. Without a PostgreSQL server the test is skipped, or failed
// when CI=true.
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "hrbridge.db")
	}
	admin := os.Getenv("HRBRIDGE_TEST_DATABASE_URL")
	if admin == "" {
		admin = defaultPG
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required in CI and is not reachable at %s: %v", admin, err)
		}
		t.Skipf("SKIPPED: no PostgreSQL at %s (%v); set HRBRIDGE_TEST_DATABASE_URL", admin, err)
	}
	name := "hrbridge_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated store on a fresh database of dialect d.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	s, err := store.Open(URL(t, d))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(fmt.Errorf("migrate %s: %w", d, err))
	}
	return s
}

// Each runs f as a parallel subtest on every dialect.
func Each(t *testing.T, f func(t *testing.T, s *store.Store)) {
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f(t, Open(t, d))
		})
	}
}
