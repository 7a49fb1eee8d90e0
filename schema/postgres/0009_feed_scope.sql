-- 0009_feed_scope (PostgreSQL): as schema/server/0009_feed_scope.sql: the
-- office each change-log entry is for ('*': any), so that a device's pull
-- reads its office's entries by index.
CREATE TABLE feed_scope (
  row_id TEXT NOT NULL,
  office TEXT NOT NULL,
  seq    BIGINT NOT NULL,
  PRIMARY KEY (row_id, office)
);
CREATE INDEX feed_scope_by_office ON feed_scope(office, seq);
INSERT INTO feed_scope(row_id, office, seq) SELECT row_id, '*', seq FROM change_log;
