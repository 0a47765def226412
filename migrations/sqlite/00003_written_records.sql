-- +goose Up
-- The target record an import wrote for an employee (created or updated), as
-- canonical JSON, so that every instance can bring its cached diff snapshots
-- up to date without asking the providers again (docs/decisions.md).
ALTER TABLE import_results ADD COLUMN written_record text;
-- "Records written since T": only the written rows are indexed.
CREATE INDEX import_results_written_idx ON import_results (finished_at) WHERE written_record IS NOT NULL;

-- +goose Down
DROP INDEX import_results_written_idx;
ALTER TABLE import_results DROP COLUMN written_record;
