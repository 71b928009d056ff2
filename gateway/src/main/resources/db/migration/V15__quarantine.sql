-- Poison entries (issue 17): how often a stage was started on an entry without the entry moving
-- on. Counted in its own committed transaction before the stage runs, so a run that kills the
-- process is counted too; reset by every state change. Past gateway.pipeline.max-attempts the
-- entry is QUARANTINED instead of processed again.
-- Portable SQL: runs on H2 (embedded default, PostgreSQL mode) and on PostgreSQL.
ALTER TABLE journal_entry ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE journal_entry ADD COLUMN attempt_stage VARCHAR(40);
