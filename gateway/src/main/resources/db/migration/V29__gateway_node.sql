-- The nodes of a cluster on one database (issue 18, docs/cluster.md). Each node writes its row at
-- every heartbeat; a node whose heartbeat is older than three intervals counts as gone (its running
-- work is revived by the work engine, its inbox leadership is free once its session is gone).
CREATE TABLE gateway_node (
    name            VARCHAR(250)             PRIMARY KEY,
    host            VARCHAR(250)                   NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- set when the node stopped cleanly
    stopped_at      TIMESTAMP WITH TIME ZONE,
    -- this node reads the file inboxes (holds the inbox advisory lock)
    inbox_leader    BOOLEAN                  NOT NULL,
    -- journal ids queued or being processed in this node's pipeline stages
    in_flight       INTEGER                  NOT NULL
);
