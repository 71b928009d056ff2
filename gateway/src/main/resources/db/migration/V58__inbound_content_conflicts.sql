-- Changed content under a MessageHeader id already received (docs/delivery.md, "The same MessageHeader id
-- with other content"). content_hash: SHA-256 of the message without what a MedCom resend changes (Bundle.id,
-- Bundle.timestamp, Provenance times), so a resend matches and changed content does not; NULL for messages
-- received before this version (their copies cannot be compared). content_conflicts counts the copies whose
-- content differed (answered as duplicates, never handed over), the last one's hash, Bundle.id and time.
ALTER TABLE inbound_message ADD COLUMN content_hash VARCHAR(64);
ALTER TABLE inbound_message ADD COLUMN content_conflicts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbound_message ADD COLUMN last_conflict_hash VARCHAR(64);
ALTER TABLE inbound_message ADD COLUMN last_conflict_bundle_id VARCHAR(64);
ALTER TABLE inbound_message ADD COLUMN last_conflict_at TIMESTAMP WITH TIME ZONE;
-- No schema floor raise: a node of an earlier version inserts rows without a hash (never compared) and
-- ignores the new columns.
