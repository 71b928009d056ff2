-- What must be the same on every node (cluster.NodeConfiguration): the schema version the node's
-- code was built for and a digest of its mapping files. Written by every heartbeat; a live node
-- whose values differ from this node's is shown in the cluster view and health and logged. Null
-- for a node of a version before this one (that is a difference too).
ALTER TABLE gateway_node ADD COLUMN schema_version VARCHAR(50);
ALTER TABLE gateway_node ADD COLUMN mappings_sha256 VARCHAR(64);

-- How far the node's clock was from the database's at its last heartbeat (milliseconds, positive:
-- ahead). Liveness is judged by the database's clock; the work engine (db-scheduler) and the
-- journal's times use each node's own, so a node that is off by seconds is logged and shown.
ALTER TABLE gateway_node ADD COLUMN clock_skew_ms BIGINT;

-- A random id of the process that wrote the row last: a node that finds another id on its row
-- after its own first beat shares its name with another live process (ClusterHeartbeat).
ALTER TABLE gateway_node ADD COLUMN instance_id VARCHAR(36);
