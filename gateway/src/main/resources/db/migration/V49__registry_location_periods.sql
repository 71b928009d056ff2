-- Postbox periods (addr16, docs/addressing.md "Periods"). An EER Endpoint whose period.start lies in
-- the future was used at once: the start was not stored. A SOR location's FirstFromDate neither.
-- valid_from is the first register day a postbox record is in force.
--
-- An EER postbox may also have several Endpoints (one per access point, each for its own period):
-- the import stored one row per Endpoint under the key (snapshot, GLN, owner), so a second Endpoint
-- of the same GLN broke the whole import on the primary key. endpoint_id is the Endpoint's id
-- ('' for SOR XML locations, which have one row each) and part of the key.
ALTER TABLE registry_location ADD COLUMN valid_from DATE;
ALTER TABLE registry_location ADD COLUMN endpoint_id VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE registry_location DROP CONSTRAINT registry_location_pkey;
ALTER TABLE registry_location ADD PRIMARY KEY (snapshot_id, gln, owner_sor_id, endpoint_id);
