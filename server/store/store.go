// Package store opens the database (embedded SQLite or PostgreSQL), applies
// the versioned migrations and holds the GORM repositories.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go

	"hrbridge/migrations"
)

// Dialect names the database kind.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the open database.
type Store struct {
	DB      *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
	// hot runs the per-request lookups (sessions, tokens) as prepared
	// statements. It is never used for transactions, whose *sql.Tx River
	// needs (PrepareStmt would wrap it).
	hot *gorm.DB
}

// Open connects to url: "sqlite:<file>" (created with its folder) or
// "postgres://…". It does not migrate.
func Open(url string) (*Store, error) {
	var (
		s   = &Store{}
		dia gorm.Dialector
		err error
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, fmt.Errorf("create the database folder: %w", err)
			}
		}
		// WAL lets readers go on while a writer works; the busy timeout waits
		// out a writer of another process instead of failing at once.
		dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		if s.SQL, err = sql.Open("sqlite", dsn); err != nil {
			return nil, err
		}
		// One connection: SQLite has one writer, and River's SQLite driver
		// shares this *sql.DB with GORM (DESIGN.md §5).
		s.SQL.SetMaxOpenConns(1)
		s.Dialect = SQLite
		dia = sqlite.New(sqlite.Config{Conn: s.SQL, DriverName: "sqlite"})
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		conn, err := newRetryConnector(url)
		if err != nil {
			return nil, fmt.Errorf("HRBRIDGE_DATABASE_URL: %w", err)
		}
		s.SQL = sql.OpenDB(conn)
		s.SQL.SetMaxOpenConns(20)
		s.SQL.SetMaxIdleConns(10)
		s.SQL.SetConnMaxIdleTime(5 * time.Minute)
		s.Dialect = Postgres
		dia = postgres.New(postgres.Config{Conn: s.SQL})
	default:
		return nil, fmt.Errorf("HRBRIDGE_DATABASE_URL must start with sqlite: or postgres://, got %q", redact(url))
	}
	s.DB, err = gorm.Open(dia, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		s.SQL.Close()
		return nil, err
	}
	s.hot = s.DB.Session(&gorm.Session{PrepareStmt: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.SQL.PingContext(ctx); err != nil {
		s.SQL.Close()
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	return s, nil
}

// OpenMigrated opens url and applies every migration: what `migrate` and
// `users create` need before anything else.
func OpenMigrated(ctx context.Context, url string) (*Store, error) {
	s, err := Open(url)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.SQL.Close() }

// RiverDriver is the River driver over this store's *sql.DB, so that jobs can
// be inserted in the same transaction as our rows.
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if s.Dialect == SQLite {
		return riversqlite.New(s.SQL)
	}
	return riverdatabasesql.New(s.SQL)
}

// migrationLockKey is the PostgreSQL advisory lock that serialises migrations
// of instances starting at the same moment.
const migrationLockKey = 0x6872627264676500 // "hrbrdge"

// Migrate applies our migrations and River's. On PostgreSQL it holds an
// advisory lock for the whole run so that concurrent instances wait in turn.
func (s *Store) Migrate(ctx context.Context) error {
	if s.Dialect == Postgres {
		conn, err := s.SQL.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck
	}
	p, err := s.goose()
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range res {
		slog.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration", r.Duration)
	}
	m, err := rivermigrate.New(s.RiverDriver(), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	return nil
}

func (s *Store) goose() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations.FS, string(s.Dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectPostgres
	if s.Dialect == SQLite {
		d = goose.DialectSQLite3
	}
	return goose.NewProvider(d, s.SQL, fsys)
}

// Ready reports whether the database answers and every migration is applied.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	p, err := s.goose()
	if err != nil {
		return err
	}
	has, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read the migration state: %w", err)
	}
	if has {
		return errors.New("migrations pending")
	}
	return nil
}

// redact hides a password in a database URL for error messages.
func redact(url string) string {
	if i := strings.Index(url, "@"); i > 0 {
		if j := strings.Index(url, "://"); j > 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}
