-- Care-plan documents (issue 7): one row per plan version, the FHIR document Bundle and its PDF.
-- The journal entry that carried the version to the postbox is journal_id; history stays in the
-- journal. Portable SQL: runs on H2 (PostgreSQL mode) and on PostgreSQL.

CREATE TABLE plan_document (
    id                      VARCHAR(36)   PRIMARY KEY,
    journal_id              VARCHAR(36)   NOT NULL REFERENCES journal_entry (id),
    source                  VARCHAR(100)  NOT NULL,
    plan_number             VARCHAR(200)  NOT NULL,
    plan_kind               VARCHAR(40)   NOT NULL,
    plan_version            INTEGER       NOT NULL,
    plan_date               DATE          NOT NULL,
    composition_identifier  VARCHAR(100)  NOT NULL,
    replaces_id             VARCHAR(36)   REFERENCES plan_document (id),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    bundle_json             TEXT          NOT NULL,
    pdf                     BYTEA         NOT NULL
);

-- A plan version exists once per source; versions of a plan are listed by (source, plan_number).
CREATE UNIQUE INDEX ux_plan_document_version ON plan_document (source, plan_number, plan_version);
CREATE INDEX ix_plan_document_journal ON plan_document (journal_id);
