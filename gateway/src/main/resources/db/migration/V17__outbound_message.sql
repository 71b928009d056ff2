-- The bytes of each outbound message as first prepared for its route (signed, encrypted, in its
-- envelope), stored before the first attempt. Every retry, and a re-delivery after a crash or by
-- another node, sends exactly these bytes: a receiver sees at most an identical copy. A resend with
-- a new Bundle.id is a new message and gets its own row; so does a route whose envelope, signing
-- or encryption an operator changed.
CREATE TABLE outbound_message (
    entry_id        VARCHAR(36)   NOT NULL REFERENCES journal_entry (id),
    bundle_id       VARCHAR(64)   NOT NULL,
    route_key       VARCHAR(1000) NOT NULL,
    payload         BYTEA         NOT NULL,
    content_type    VARCHAR(200)  NOT NULL,
    file_extension  VARCHAR(30)   NOT NULL,
    prepared_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (entry_id, bundle_id, route_key)
);
