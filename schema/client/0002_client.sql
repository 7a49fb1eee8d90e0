-- 0002_client: settings local to one office device (never replicated).
CREATE TABLE setting (
  key   TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*'),
  value TEXT NOT NULL
);
INSERT INTO setting(key, value) VALUES ('minutes_per_jp', '45');

-- Rows received during a snapshot pull (sync/PROTOCOL.md §8): when the
-- snapshot completes, rows the server no longer has are removed locally
-- unless they hold unpushed local changes.
CREATE TABLE snapshot_seen (
  row_id TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE snapshot_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  active    INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
INSERT INTO snapshot_state(singleton, active) VALUES (1, 0);
