-- Failed logins (docs/limits.md, "Login protection"), in the database so that a restart does not
-- end a lock and every node behind a load balancer counts the same failures. key: "u|<user>|<source
-- address>" or "s|<source address>"; the user is a gateway user name or "(unknown user)", never what
-- was typed. Rows older than the counting window are pruned.
CREATE TABLE login_failure (
    failure_key   VARCHAR(300)  PRIMARY KEY,
    failures      INTEGER       NOT NULL,
    last_failure  TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_login_failure_last ON login_failure (last_failure);
