-- +goose Up
-- Administration (issue 15): each user's language, used for their
-- notifications and mail, and disabling a user without deleting them.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en'));
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
CREATE INDEX audit_events_action_idx ON audit_events (action, created_at DESC);

-- +goose Down
DROP INDEX audit_events_action_idx;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN language;
