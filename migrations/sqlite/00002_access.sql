-- +goose Up
-- Failed sign-ins, kept for the throttling window (per account and per
-- client address) so that every instance on this database sees them.
CREATE TABLE login_failures (
    id         integer PRIMARY KEY,
    email      text NOT NULL,
    ip         text NOT NULL,
    created_at datetime NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);
CREATE INDEX login_failures_created_at_idx ON login_failures (created_at);

CREATE INDEX api_tokens_created_at_idx ON api_tokens (created_at DESC, id DESC);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- +goose Down
DROP INDEX sessions_expires_at_idx;
DROP INDEX api_tokens_created_at_idx;
DROP TABLE login_failures;
