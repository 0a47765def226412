package imports

import (
	"context"
	"database/sql/driver"

	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// lockKeys are the PostgreSQL advisory locks, one per target system, held by
// the instance running an import into it.
var lockKeys = map[string]int64{
	"smarthr": 0x6872627264670001, // "hrbrdg" + 1
	"jobkan":  0x6872627264670002,
}

// lockTarget takes the lock of dir's target system for the run, on a
// connection of its own so that it lasts exactly as long as the run (or the
// instance: a crashed instance's session ends and the lock with it). On
// SQLite, which one instance uses at a time, the queue's single worker is
// enough.
func (s *Service) lockTarget(ctx context.Context, dir sync.Direction) (unlock func(), ok bool, err error) {
	if s.st.Dialect != store.Postgres {
		return func() {}, true, nil
	}
	conn, err := s.st.SQL.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	key := lockKeys[targetOf(dir)]
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		conn.Close()
		return nil, false, err
	}
	if !got {
		conn.Close()
		return nil, false, nil
	}
	return func() {
		ctx, cancel := dbCtx(ctx)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			// Never hand a connection that may still hold the lock back to
			// the pool: drop it, which ends the session and the lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}
