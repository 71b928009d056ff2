-- Care-plan documents to FHIR-capable recipients (issue 7 §3): one row per plan version whose
-- recipient route has a documents-url. Queued in the transaction that makes the carrying
-- CareCommunication SENT (so after its consent and addressing checks), then POSTed by the
-- document delivery timer. The row is the durable timer for retries; the history is in the journal.
-- Portable SQL: runs on H2 (PostgreSQL mode) and on PostgreSQL.

CREATE TABLE document_delivery (
    document_id     VARCHAR(36)   PRIMARY KEY REFERENCES plan_document (id),
    journal_id      VARCHAR(36)   NOT NULL REFERENCES journal_entry (id),
    recipient_gln   VARCHAR(30)   NOT NULL,
    -- PENDING (due at due_at), DELIVERED, FAILED (permanent failure), CANCELLED (a guard stopped it)
    state           VARCHAR(20)   NOT NULL,
    due_at          TIMESTAMP WITH TIME ZONE,
    -- attempts made so far (failed ones and the successful one)
    attempts        INTEGER       NOT NULL,
    last_error      VARCHAR(1000),
    location        VARCHAR(1000),
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_document_delivery_due ON document_delivery (state, due_at);
CREATE INDEX ix_document_delivery_journal ON document_delivery (journal_id);
