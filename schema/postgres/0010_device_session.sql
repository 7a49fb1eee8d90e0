-- 0010_device_session: the latest sync session each device (node) opened
-- (sync/PROTOCOL.md §4, "One session at a time"; PostgreSQL). A push that
-- names an older session is refused whole (superseded).
CREATE TABLE device_session (
  node      BIGINT PRIMARY KEY,
  session   BIGINT NOT NULL CHECK (session > 0),
  opened_at TEXT NOT NULL  -- server time, ISO 8601 UTC
);
