-- The durable work engine (issue 18, docs/cluster.md): db-scheduler's table, shared by every node.
-- A node claims due rows with SELECT ... FOR UPDATE SKIP LOCKED (picked, picked_by), keeps a
-- heartbeat on what it runs (last_heartbeat) and revives the rows of a node whose heartbeat stopped.
-- Schema as db-scheduler 16 ships it for PostgreSQL (db-scheduler/src/test/resources/postgresql_tables.sql).
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- The message delivery schedule moves into the engine: one 'message-delivery' execution per
-- message, its data the JSON of delivery.DeliveryWork (what delivery_schedule's columns held).
INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
SELECT 'message-delivery', entry_id,
       convert_to(json_build_object('purpose', purpose, 'recipientGln', recipient_gln, 'attempts', attempts,
           'resends', resends, 'lastError', last_error)::text, 'UTF8'),
       due_at, FALSE, 1, 0
FROM delivery_schedule;

DROP TABLE delivery_schedule;
