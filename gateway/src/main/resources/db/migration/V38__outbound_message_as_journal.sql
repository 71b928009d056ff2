-- The outbound bytes of a route that neither envelopes, signs nor encrypts are the journal's own
-- message for that Bundle, encoded UTF-8, byte for byte: they are kept once, as
-- journal_entry.fhir_message, not a second time here (issue 14, docs/benchmarks.md "tenth
-- session"). A row without payload means exactly that: its bytes are the UTF-8 encoding of the
-- entry's fhir_message while the entry's bundle_id is the row's bundle_id. Rows stored before keep
-- their payload; nothing is rewritten.
ALTER TABLE outbound_message ALTER COLUMN payload DROP NOT NULL;

-- What makes that safe: an entry's message never changes under the same Bundle.id. A translation
-- and a resend's renewal bring a new Bundle.id (a new message, a new row); retention removes the
-- text together with the rows. Anything else that would change the text of a Bundle whose outbound
-- bytes are that text is refused here, so bytes once fixed cannot change.
CREATE FUNCTION outbound_bytes_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM outbound_message
             WHERE entry_id = OLD.id AND bundle_id = OLD.bundle_id AND payload IS NULL) THEN
    RAISE EXCEPTION 'journal entry %: its message is the fixed outbound bytes of Bundle % and cannot change under the same Bundle.id',
      OLD.id, OLD.bundle_id;
  END IF;
  RETURN NEW;
END
$$;

-- Only a change of a stored text under the same Bundle.id calls the function (the first
-- translation, a new Bundle.id and retention's removal do not).
CREATE TRIGGER journal_entry_outbound_bytes_fixed
  BEFORE UPDATE OF fhir_message ON journal_entry
  FOR EACH ROW
  WHEN (OLD.fhir_message IS NOT NULL AND NEW.fhir_message IS NOT NULL
        AND NEW.bundle_id IS NOT DISTINCT FROM OLD.bundle_id
        AND NEW.fhir_message IS DISTINCT FROM OLD.fhir_message)
  EXECUTE FUNCTION outbound_bytes_fixed();
