-- Retention (docs/operations.md, "Retention"): when the payloads of an entry were pruned. The
-- history (journal_event) stays until the history retention ends, then the entry goes entirely.
ALTER TABLE journal_entry ADD COLUMN content_pruned_at TIMESTAMP WITH TIME ZONE;
