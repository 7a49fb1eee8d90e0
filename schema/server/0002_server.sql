-- 0002_server: what only the central server keeps.
-- The last push batch applied per device (node): a batch whose last_seq is
-- not above it was applied already and is acknowledged without applying.
CREATE TABLE applied_batch (
  node       INTEGER PRIMARY KEY,
  last_seq   INTEGER NOT NULL,
  applied_at TEXT NOT NULL
);
