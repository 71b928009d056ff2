-- Rolling upgrades (docs/cluster.md, "Upgrading one node at a time"). The lowest schema version a
-- node's code may know (its newest migration) and still run against this database: a node whose
-- code is older refuses to start (cluster.SchemaFloor, after its migrations; Flyway itself ignores
-- migrations it does not know) and stops at its next heartbeat if it was running. Nodes of a
-- version before this migration do not read it: schema_floor_raise below refuses while they live.
CREATE TABLE schema_floor (
    id          BOOLEAN                  PRIMARY KEY DEFAULT TRUE CHECK (id),
    min_version VARCHAR(50)              NOT NULL,
    raised_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- V37 and V38 (a sent message's text stored once) are the last migrations that code of an earlier
-- version cannot run against.
INSERT INTO schema_floor (id, min_version, raised_at) VALUES (TRUE, '38', now());

-- For a later migration that earlier versions must not run against: SELECT schema_floor_raise('<its
-- version>'); in it. Refused (the migration fails, and so the new version's start, and nothing of
-- it is applied) while a node whose code is older is alive: heard from within the last minute and
-- not stopped (a node of a version before V47_1 publishes no schema version: older). A node killed
-- without a clean stop counts for a minute after its last heartbeat.
CREATE FUNCTION schema_floor_raise(version TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    older TEXT;
BEGIN
    SELECT string_agg(name || ' (schema ' || COALESCE(schema_version, 'before 47.1') || ')', ', '
                      ORDER BY name)
      INTO older
      FROM gateway_node
     WHERE stopped_at IS NULL
       AND last_heartbeat > clock_timestamp() - INTERVAL '1 minute'
       AND (schema_version IS NULL
            OR string_to_array(schema_version, '.')::INT[] < string_to_array(version, '.')::INT[]);
    IF older IS NOT NULL THEN
        RAISE EXCEPTION 'migration % must not be applied while nodes of an earlier version are alive: %. Stop them (SIGTERM), then start this version again', version, older;
    END IF;
    UPDATE schema_floor SET min_version = version, raised_at = clock_timestamp()
     WHERE string_to_array(min_version, '.')::INT[] < string_to_array(version, '.')::INT[];
END
$$;
