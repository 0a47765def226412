-- +goose Up
-- What an import is waiting for while a provider cannot be reached (issue 14):
-- the provider, the cause (a code and words for administrators), since when,
-- and when the next attempt is due. NULL when it is not waiting. On the row,
-- so that every instance shows it (docs/imports.md).
ALTER TABLE imports ADD COLUMN waiting_provider text;
ALTER TABLE imports ADD COLUMN waiting_reason_code text;
ALTER TABLE imports ADD COLUMN waiting_message text;
ALTER TABLE imports ADD COLUMN waiting_since datetime;
ALTER TABLE imports ADD COLUMN waiting_next_attempt_at datetime;
-- The last full re-list of the providers per diff direction (refresh=true),
-- shared by every instance: a refresh within the cooldown reuses it.
CREATE TABLE diff_refreshes (
    direction    text PRIMARY KEY,
    refreshed_at datetime NOT NULL
);
-- The last refresh each caller asked for: a caller refreshing more often than
-- the per-caller interval is answered 429 (docs/decisions.md).
CREATE TABLE diff_refresh_callers (
    caller       text PRIMARY KEY,
    refreshed_at datetime NOT NULL
);

-- +goose Down
DROP TABLE diff_refresh_callers;
DROP TABLE diff_refreshes;
ALTER TABLE imports DROP COLUMN waiting_next_attempt_at;
ALTER TABLE imports DROP COLUMN waiting_since;
ALTER TABLE imports DROP COLUMN waiting_message;
ALTER TABLE imports DROP COLUMN waiting_reason_code;
ALTER TABLE imports DROP COLUMN waiting_provider;
