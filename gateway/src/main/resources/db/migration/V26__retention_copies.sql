-- Retention of the copies of a message's content outside journal_entry (docs/operations.md,
-- "Retention"): a care-plan document's FHIR Bundle and PDF are removed with the content of the
-- journal entry that carried them; the row (plan number, version, identifiers) stays for the
-- version chain until the entry's history goes.
ALTER TABLE plan_document ALTER COLUMN bundle_json DROP NOT NULL;
ALTER TABLE plan_document ALTER COLUMN pdf DROP NOT NULL;
ALTER TABLE plan_document ADD COLUMN content_pruned_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_thread_message_entry ON thread_message (journal_entry_id);
CREATE INDEX ix_thread_message_recorded ON thread_message (direction, recorded_at);
CREATE INDEX ix_inbound_message_received ON inbound_message (received_at);
