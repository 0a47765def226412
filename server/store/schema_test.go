package store_test

import (
	"sort"
	"strings"
	"testing"

	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// The migrations of both dialects must create exactly the columns the GORM
// models use: a column missing on one side, or a model field without a
// column, fails here rather than at run time.
func TestSchemaMatchesModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, m := range store.Models() {
			stmt := s.DB.Model(m).Statement
			if err := stmt.Parse(m); err != nil {
				t.Fatal(err)
			}
			table := stmt.Schema.Table
			cols, err := s.DB.Migrator().ColumnTypes(m)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			var got, want []string
			for _, c := range cols {
				got = append(got, c.Name())
			}
			for _, f := range stmt.Schema.Fields {
				if f.DBName != "" {
					want = append(want, f.DBName)
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s %s:\n table columns %v\n model fields  %v", s.Dialect, table, got, want)
			}
		}
	})
}

func TestMigrateTwiceAndReady(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
		var n int
		if err := s.SQL.QueryRowContext(ctx, "SELECT count(*) FROM river_job").Scan(&n); err != nil {
			t.Fatalf("River's tables are not migrated: %v", err)
		}
	})
}

func TestReadyBeforeMigrate(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			s, err := store.Open(storetest.URL(t, d))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Ready(t.Context()); err == nil || !strings.Contains(err.Error(), "pending") {
				t.Fatalf("Ready on an empty database = %v, want migrations pending", err)
			}
		})
	}
}
