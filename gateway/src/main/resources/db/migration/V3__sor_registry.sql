-- SOR registry snapshots for addressing (issue 6): immutable, dated; several kept, one active.
-- Portable SQL: runs on H2 (embedded default, PostgreSQL mode) and on PostgreSQL.
-- Rows are written once per import and never updated, except registry_snapshot.active.

CREATE TABLE registry_snapshot (
    id              VARCHAR(36)   PRIMARY KEY,
    source          VARCHAR(20)   NOT NULL,
    snapshot_date   DATE,
    imported_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    unit_count      INTEGER       NOT NULL,
    location_count  INTEGER       NOT NULL,
    rejected_count  INTEGER       NOT NULL,
    active          BOOLEAN       NOT NULL
);

CREATE INDEX ix_registry_snapshot_imported ON registry_snapshot (imported_at);

-- One row per SOR unit; effective_gln (own, else inherited) and successor_chain are computed at import.
CREATE TABLE registry_unit (
    snapshot_id         VARCHAR(36)   NOT NULL REFERENCES registry_snapshot (id) ON DELETE CASCADE,
    sor_id              VARCHAR(18)   NOT NULL,
    level               VARCHAR(2)    NOT NULL,
    parent_sor_id       VARCHAR(18),
    name                VARCHAR(500)  NOT NULL,
    owner_type          VARCHAR(100),
    institution_type    VARCHAR(100),
    shak_id             VARCHAR(20),
    provider_id         VARCHAR(20),
    provider_key        VARCHAR(20),
    valid_from          DATE,
    valid_to            DATE,
    replaced_by         VARCHAR(2000),
    ean_inherited       BOOLEAN       NOT NULL,
    own_gln             VARCHAR(13),
    effective_gln       VARCHAR(13),
    effective_gln_from  VARCHAR(18),
    successor_chain     VARCHAR(2000),
    PRIMARY KEY (snapshot_id, sor_id)
);

CREATE INDEX ix_registry_unit_gln ON registry_unit (snapshot_id, effective_gln);
CREATE INDEX ix_registry_unit_shak ON registry_unit (snapshot_id, shak_id);
CREATE INDEX ix_registry_unit_provider ON registry_unit (snapshot_id, provider_key);
CREATE INDEX ix_registry_unit_parent ON registry_unit (snapshot_id, parent_sor_id);

-- A postbox as owned by one unit. Several owners of one GLN are kept (a register error addressing holds on).
CREATE TABLE registry_location (
    snapshot_id             VARCHAR(36)   NOT NULL REFERENCES registry_snapshot (id) ON DELETE CASCADE,
    gln                     VARCHAR(13)   NOT NULL,
    owner_sor_id            VARCHAR(18)   NOT NULL,
    only_internal           BOOLEAN       NOT NULL,
    non_active              BOOLEAN       NOT NULL,
    valid_to                DATE,
    receives                VARCHAR(1000),
    payload_types           TEXT,
    communication_supplier  VARCHAR(100),
    PRIMARY KEY (snapshot_id, gln, owner_sor_id)
);

-- What an import left out and why (register ids or positions only).
CREATE TABLE registry_rejection (
    snapshot_id  VARCHAR(36)   NOT NULL REFERENCES registry_snapshot (id) ON DELETE CASCADE,
    seq          INTEGER       NOT NULL,
    item         VARCHAR(300)  NOT NULL,
    reason       VARCHAR(1000) NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
);
