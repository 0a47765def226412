-- +goose Up
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    ip           text NOT NULL,
    user_agent   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    scopes       text NOT NULL,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE audit_events (
    id         uuid PRIMARY KEY,
    action     text NOT NULL,
    actor      text NOT NULL,
    target     text,
    ip         text,
    detail     text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at DESC, id DESC);

CREATE TABLE connection_settings (
    id                       integer PRIMARY KEY CHECK (id = 1),
    smarthr_base_url         text NOT NULL,
    smarthr_access_token_enc bytea,
    jobkan_api_url           text NOT NULL,
    jobkan_token_url         text NOT NULL,
    jobkan_client_id         text NOT NULL,
    jobkan_client_secret_enc bytea,
    use_business_name        boolean NOT NULL,
    employment_types         text NOT NULL,
    updated_at               timestamptz NOT NULL,
    updated_by               text NOT NULL
);

CREATE TABLE imports (
    id               uuid PRIMARY KEY,
    integration      text NOT NULL,
    direction        text NOT NULL,
    status           text NOT NULL,
    total            integer NOT NULL,
    done             integer NOT NULL,
    created_count    integer NOT NULL,
    updated_count    integer NOT NULL,
    unchanged_count  integer NOT NULL,
    skipped_count    integer NOT NULL,
    failed_count     integer NOT NULL,
    started_by       text NOT NULL,
    user_id          uuid REFERENCES users (id) ON DELETE SET NULL,
    idempotency_key  text NOT NULL,
    request_hash     text NOT NULL,
    retry_of         uuid REFERENCES imports (id),
    cancel_requested boolean NOT NULL,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE UNIQUE INDEX imports_idempotency_key ON imports (started_by, idempotency_key);
CREATE INDEX imports_created_at_idx ON imports (created_at DESC, id DESC);

CREATE TABLE import_results (
    import_id       uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    employee_number text NOT NULL,
    fingerprint     text NOT NULL,
    display_name    text NOT NULL,
    action          text NOT NULL,
    status          text NOT NULL,
    changed_fields  text NOT NULL,
    error_code      text NOT NULL,
    error_message   text NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (import_id, position)
);
CREATE INDEX import_results_status_idx ON import_results (import_id, status);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    import_id  uuid REFERENCES imports (id) ON DELETE CASCADE,
    read_at    timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- +goose Down
DROP TABLE notifications;
DROP TABLE import_results;
DROP TABLE imports;
DROP TABLE connection_settings;
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
