-- The durable work engine (issue 18, docs/cluster.md): db-scheduler's table, shared by every node.
-- A node claims due rows with SELECT ... FOR UPDATE SKIP LOCKED (picked, picked_by), keeps a
-- heartbeat on what it runs (last_heartbeat) and revives the rows of a node whose heartbeat stopped.
-- Schema as db-scheduler 16 ships it for PostgreSQL, with VARCHAR keys so it also runs on H2.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100)                   NOT NULL,
    task_instance        VARCHAR(250)                   NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            VARCHAR(250),
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

-- The rows of the former delivery_schedule table move into it in V27_1 (Java: portable JSON).
