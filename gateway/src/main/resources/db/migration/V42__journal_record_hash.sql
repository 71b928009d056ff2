-- The same record sent again with other bytes (a client or an export that serialises it anew:
-- whitespace, line ends, JSON key order, XML attribute order) is the same message. Beside the key
-- over the bytes (idempotency_key, unchanged), a second key over the record as the mapping read it
-- (intake.RecordHash). Null for entries journaled before it existed and for refusals: those keep
-- their byte key alone, as before, so no entry already journaled changes meaning, and a refusal is
-- never taken for the record sent correctly afterwards.
ALTER TABLE journal_entry ADD COLUMN record_hash VARCHAR(64);

-- Unique, so two submissions of the same record at the same time journal one entry: the other
-- finds it and is answered as its duplicate (Journal#register).
CREATE UNIQUE INDEX ux_journal_entry_record ON journal_entry (source, source_record_id, record_hash)
    WHERE record_hash IS NOT NULL;
