-- Consent registry: consents and explicit refusals with their recipients and information
-- categories, and the citizen on each journal entry so that held messages can be found when a
-- consent changes. Portable SQL: runs on H2 (PostgreSQL mode) and on PostgreSQL.

CREATE TABLE consent (
    id                  VARCHAR(36)   PRIMARY KEY,
    citizen_cpr         VARCHAR(10)   NOT NULL,
    consent_type        VARCHAR(10)   NOT NULL,
    given_by_type       VARCHAR(10)   NOT NULL,
    given_by_name       VARCHAR(300),
    proxy_authority     VARCHAR(1000),
    purpose             VARCHAR(60),
    given_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_until         TIMESTAMP WITH TIME ZONE,
    collected_by        VARCHAR(300)  NOT NULL,
    witness             VARCHAR(300),
    consent_form        VARCHAR(10)   NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE,
    revoked_by          VARCHAR(300),
    revocation_note     VARCHAR(4000),
    CONSTRAINT ck_consent_type CHECK (consent_type IN ('CONSENT', 'REFUSAL')),
    CONSTRAINT ck_consent_given_by CHECK (given_by_type IN ('CITIZEN', 'PROXY')),
    CONSTRAINT ck_consent_form CHECK (consent_form IN ('WRITTEN', 'VERBAL', 'DIGITAL')),
    -- A consent always states its purpose (001:3081) and ends (at most 1 year, checked by the API).
    CONSTRAINT ck_consent_purpose CHECK (consent_type = 'REFUSAL' OR (purpose IS NOT NULL AND valid_until IS NOT NULL))
);

CREATE INDEX ix_consent_citizen ON consent (citizen_cpr);

CREATE TABLE consent_recipient (
    consent_id     VARCHAR(36)   NOT NULL REFERENCES consent (id),
    ordinal        INTEGER       NOT NULL,
    kind           VARCHAR(40)   NOT NULL,
    sor            VARCHAR(30),
    name           VARCHAR(300),
    relation       VARCHAR(100),
    municipality   VARCHAR(100),
    PRIMARY KEY (consent_id, ordinal)
);

CREATE TABLE consent_category (
    consent_id  VARCHAR(36)  NOT NULL REFERENCES consent (id),
    code        VARCHAR(60)  NOT NULL,
    PRIMARY KEY (consent_id, code)
);

-- Filled at intake from the canonical record; entries journaled before this migration have none.
ALTER TABLE journal_entry ADD COLUMN citizen_cpr VARCHAR(10);
CREATE INDEX ix_journal_entry_citizen ON journal_entry (citizen_cpr, state);
