package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// Low: on PostgreSQL, a connection the server dropped (here: idle past
// idle_session_timeout, sooner than the driver's own 1 s check) does not
// fail the next read: it is retried once on a fresh connection.
func TestPostgresDroppedConnectionRetried(t *testing.T) {
	u := storetest.URL(t, store.Postgres)
	if strings.Contains(u, "?") {
		u += "&"
	} else {
		u += "?"
	}
	u += "options=-c%20idle_session_timeout%3D200"
	st, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		if _, err := st.CountUsers(ctx); err != nil {
			t.Fatalf("round %d, warm: %v", round, err)
		}
		time.Sleep(500 * time.Millisecond)
		if _, err := st.CountUsers(ctx); err != nil {
			t.Errorf("round %d, GORM read after the server dropped the connection: %v", round, err)
		}
		time.Sleep(500 * time.Millisecond)
		if _, _, err := st.SessionWithUser(ctx, "nope"); err != nil && err.Error() != "record not found" {
			t.Errorf("round %d, prepared read after the server dropped the connection: %v", round, err)
		}
		time.Sleep(500 * time.Millisecond)
		if _, err := st.ListAPITokens(ctx, 10, nil); err != nil {
			t.Errorf("round %d, list after the server dropped the connection: %v", round, err)
		}
	}
}
