-- 0010_device_session: the latest sync session each device (node) opened
-- (sync/PROTOCOL.md §4, "One session at a time"). A session's first request
-- opens the next one; a push that names an older session is refused whole
-- (superseded): it was left in flight by a device that was killed or gave
-- up, and the newer session has already been told what the server applied.
CREATE TABLE device_session (
  node      INTEGER PRIMARY KEY,
  session   INTEGER NOT NULL CHECK (session > 0),
  opened_at TEXT NOT NULL  -- server time, ISO 8601 UTC
);
