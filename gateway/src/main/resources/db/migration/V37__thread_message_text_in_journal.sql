-- A CareCommunication the gateway built is kept once (issue 14, docs/benchmarks.md "tenth
-- session"): its thread row has no text of its own, the text is its journal entry's fhir_message
-- (the same ~17 KB), found by journal_entry_id while that entry still carries this MessageHeader
-- id. A thread row keeps a text of its own when the entry's message is replaced after the row was
-- written (a resend's renewed Bundle, a new translation after an edit) and for received messages,
-- which have no journal entry. Existing rows keep their text; nothing is rewritten.
ALTER TABLE thread_message ALTER COLUMN message DROP NOT NULL;
-- NOT VALID: checked for every new or changed row, without a scan of the existing ones (which all
-- have their text).
ALTER TABLE thread_message ADD CONSTRAINT ck_thread_message_text
    CHECK (message IS NOT NULL OR (direction = 'SENT' AND journal_entry_id IS NOT NULL)) NOT VALID;
