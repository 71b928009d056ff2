-- The three copies of each MedCom message (about 17 KB of XML or JSON): the journal's, the thread's
-- and the outbound bytes. PostgreSQL compressed each with pglz on insert, the largest single cost of
-- its CPU per message (issue 14, docs/benchmarks.md "eighth session"). Where the server was built
-- with lz4 (most PostgreSQL 14+ packages) they are compressed with lz4 instead: several times
-- cheaper, about as small. Where it was not (the embedded default's binaries) they are stored
-- out of line uncompressed: no compression CPU, about four times the disk and write-ahead log for
-- these columns (docs/operations.md, "Disk"). Either way only new values are affected; nothing is
-- rewritten, and every value reads back byte for byte as before.
DO $$
DECLARE
  lz4 BOOLEAN := EXISTS (
    SELECT 1 FROM pg_settings
    WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals));
  how TEXT;
BEGIN
  how := CASE WHEN lz4 THEN 'SET COMPRESSION lz4' ELSE 'SET STORAGE EXTERNAL' END;
  EXECUTE 'ALTER TABLE journal_entry ALTER COLUMN fhir_message ' || how;
  EXECUTE 'ALTER TABLE thread_message ALTER COLUMN message ' || how;
  EXECUTE 'ALTER TABLE outbound_message ALTER COLUMN payload ' || how;
END
$$;
