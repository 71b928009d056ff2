-- Route suspensions for the whole cluster (issue 18, docs/cluster.md): an admin suspends or resumes a
-- route on any node; the row is what every node applies at its next heartbeat (the folder routes on
-- the inbox leader only), so the action takes effect where the route runs, not on the node that was asked.
CREATE TABLE route_setting (
    route_id    VARCHAR(250)             PRIMARY KEY,
    suspended   BOOLEAN                  NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_by  VARCHAR(250)             NOT NULL,
    changed_on  VARCHAR(250)             NOT NULL
);
