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
