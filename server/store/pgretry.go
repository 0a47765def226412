package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// A PostgreSQL connection that the server has dropped (a restart, a
// failover, pg_terminate_backend, idle_session_timeout) is found out only
// when the next statement is sent on it: pgx checks a connection before
// reuse only when it has been idle for a second. retryConnector turns such
// a failure into driver.ErrBadConn, on which database/sql discards the
// connection and runs the statement again on a fresh one — once the
// failure is certain to have had no effect:
//
//   - the server's FATAL of class 57P (operator intervention: admin or
//     crash shutdown, idle-session timeout) ends the session before the
//     statement runs, so any statement may be repeated;
//   - a broken connection (EOF, reset, broken pipe) may have lost the
//     statement or its answer, so only a read (SELECT) is repeated.
//
// Inside a transaction database/sql never retries (the transaction is bound
// to its connection): the caller gets the error, as it must.
type retryConnector struct{ driver.Connector }

func newRetryConnector(url string) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	return retryConnector{stdlib.GetConnector(*cfg)}, nil
}

func (c retryConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &retryConn{conn.(*stdlib.Conn)}, nil
}

// dropped maps an error on a connection the server dropped to
// driver.ErrBadConn, when the statement may be repeated.
func dropped(err error, query string) error {
	if err == nil || errors.Is(err, driver.ErrBadConn) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if pe.Severity == "FATAL" && strings.HasPrefix(pe.Code, "57P") {
			return driver.ErrBadConn
		}
		return err
	}
	if isRead(query) && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)) {
		return driver.ErrBadConn
	}
	return err
}

// isRead reports a statement that only reads (SELECT, not FOR UPDATE).
func isRead(q string) bool {
	q = strings.ToUpper(strings.TrimSpace(q))
	return strings.HasPrefix(q, "SELECT") && !strings.Contains(q, " FOR UPDATE") && !strings.Contains(q, "NEXTVAL(") &&
		!strings.Contains(q, "PG_ADVISORY") && !strings.Contains(q, "PG_TERMINATE")
}

// retryConn is pgx's connection with dropped() applied to what it answers.
type retryConn struct{ *stdlib.Conn }

func (c *retryConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	r, err := c.Conn.ExecContext(ctx, q, args)
	return r, dropped(err, q)
}

func (c *retryConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	r, err := c.Conn.QueryContext(ctx, q, args)
	return r, dropped(err, q)
}

func (c *retryConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	return tx, dropped(err, "")
}

func (c *retryConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, dropped(err, "")
	}
	return &retryStmt{st.(*stdlib.Stmt), q}, nil
}

func (c *retryConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

// retryStmt is a prepared statement with dropped() applied.
type retryStmt struct {
	*stdlib.Stmt
	query string
}

func (s *retryStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	r, err := s.Stmt.ExecContext(ctx, args)
	return r, dropped(err, s.query)
}

func (s *retryStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	r, err := s.Stmt.QueryContext(ctx, args)
	return r, dropped(err, s.query)
}

var (
	_ driver.ConnBeginTx        = (*retryConn)(nil)
	_ driver.ConnPrepareContext = (*retryConn)(nil)
	_ driver.ExecerContext      = (*retryConn)(nil)
	_ driver.QueryerContext     = (*retryConn)(nil)
	_ driver.Pinger             = (*retryConn)(nil)
	_ driver.SessionResetter    = (*retryConn)(nil)
	_ driver.NamedValueChecker  = (*retryConn)(nil)
	_ driver.StmtExecContext    = (*retryStmt)(nil)
	_ driver.StmtQueryContext   = (*retryStmt)(nil)
)
