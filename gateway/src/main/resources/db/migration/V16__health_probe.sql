-- Health (issue 17): the journal health check writes and reads this one row, so health proves
-- the database can be written, not just that a connection opens.
-- Portable SQL: runs on H2 (embedded default, PostgreSQL mode) and on PostgreSQL.
CREATE TABLE health_probe (
    id          VARCHAR(20)  PRIMARY KEY,
    checked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    token       VARCHAR(36)  NOT NULL
);
INSERT INTO health_probe (id, checked_at, token) VALUES ('journal', CURRENT_TIMESTAMP, 'initial');
