-- 0002_server: what only the central server keeps (PostgreSQL).
-- The last push batch applied per device (node). A batch with the same range
-- and content hash is a resend: acknowledged without applying.
CREATE TABLE applied_batch (
  node       BIGINT PRIMARY KEY,
  last_seq   BIGINT NOT NULL,
  hash       BIGINT NOT NULL,
  applied_at TEXT NOT NULL
);

-- The pull cursor each device reported last, for the compaction horizon
-- (sync/PROTOCOL.md §8).
CREATE TABLE device_cursor (
  node       BIGINT PRIMARY KEY,
  cursor     BIGINT NOT NULL,
  seen_at_ms BIGINT NOT NULL
);

-- How far tombstones have been purged: a device whose cursor is below it
-- must take a snapshot.
CREATE TABLE compaction (
  singleton    BIGINT PRIMARY KEY CHECK (singleton = 1),
  purged_up_to BIGINT NOT NULL DEFAULT 0
);
INSERT INTO compaction(singleton, purged_up_to) VALUES (1, 0);
