-- One active registry snapshot, whatever the number of nodes (fifteenth session, docs/cluster.md).
-- Two imports at once (two nodes starting on an empty database, an admin on each node) each saw
-- only their own uncommitted row and both stayed active; a node that then loaded the active
-- snapshot failed on two rows. Imports now take an advisory lock (RegistryRepository#lockImports);
-- this index makes a second active row impossible.
--
-- A database that already has more than one keeps the newest active, as the node that imported it
-- last believed.
UPDATE registry_snapshot SET active = FALSE
WHERE active = TRUE
  AND id <> (SELECT id FROM registry_snapshot WHERE active = TRUE ORDER BY imported_at DESC, id LIMIT 1);

CREATE UNIQUE INDEX ux_registry_snapshot_active ON registry_snapshot (active) WHERE active;
