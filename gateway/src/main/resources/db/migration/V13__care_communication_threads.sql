-- CareCommunication threads (issue 13): every CareCommunication the gateway received (valid) or
-- built for sending, so that a source record can reply to or forward it (docs/mappings.md,
-- "Replies and forwards"). The message is kept as received or built; the thread is found by its
-- MessageHeader id, its thread id (Communication.identifier) or its episode-of-care id.
-- Portable SQL: runs on H2 (embedded default, PostgreSQL mode) and on PostgreSQL.
CREATE TABLE thread_message (
    message_header_id   VARCHAR(64)   PRIMARY KEY,
    thread_id           VARCHAR(100)  NOT NULL,
    episode_of_care_id  VARCHAR(100),
    -- RECEIVED (from another organisation) or SENT (built by the gateway; counts once the journal
    -- entry is SENT or ACKNOWLEDGED)
    direction           VARCHAR(10)   NOT NULL,
    journal_entry_id    VARCHAR(36),
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    message             TEXT          NOT NULL
);

CREATE INDEX ix_thread_message_thread ON thread_message (thread_id, recorded_at);
CREATE INDEX ix_thread_message_episode ON thread_message (episode_of_care_id, recorded_at);
