-- 0002_server: what only the central server keeps.
-- The last push batch applied per device (node). A batch with the same range
-- and content hash is a resend: acknowledged without applying. Any other
-- batch is merged (merging is idempotent, so overlaps are harmless; a device
-- that re-stamped its pending changes resends the same range with new
-- versions, which must land).
CREATE TABLE applied_batch (
  node       INTEGER PRIMARY KEY,
  last_seq   INTEGER NOT NULL,
  hash       INTEGER NOT NULL,
  applied_at TEXT NOT NULL
);

-- The pull cursor each device reported last, for the compaction horizon
-- (sync/PROTOCOL.md §8).
CREATE TABLE device_cursor (
  node       INTEGER PRIMARY KEY,
  cursor     INTEGER NOT NULL,
  seen_at_ms INTEGER NOT NULL
);

-- How far tombstones have been purged: a device whose cursor is below it
-- must take a snapshot.
CREATE TABLE compaction (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  purged_up_to INTEGER NOT NULL DEFAULT 0
);
INSERT INTO compaction(singleton, purged_up_to) VALUES (1, 0);
