-- 0003_client_sync: what an office device needs to sync with a server.

-- Local changes the server refused (another office's row, a rule broken
-- there). They stay in the local tables as written; this lists them for
-- `latih status` until a later accepted write of the row clears the entry.
CREATE TABLE quarantine (
  row_id     TEXT PRIMARY KEY,
  tbl        TEXT NOT NULL,
  code       TEXT NOT NULL CHECK (code IN ('forbidden', 'invalid')),
  reason     TEXT NOT NULL,
  refused_at TEXT NOT NULL
) WITHOUT ROWID;

-- The server this device syncs with (README "Enrolling a device"). The
-- device credential is stored here, in a file only its owner can read; the
-- server keeps only its hash.
CREATE TABLE server_link (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  url         TEXT NOT NULL,
  token       TEXT NOT NULL,
  device_name TEXT NOT NULL,
  cacert      TEXT,                -- a private CA bundle to verify the server with
  enrolled_at TEXT NOT NULL
);

-- The outcome of the last sync attempts, for `latih status` and `sync --watch`.
CREATE TABLE sync_attempt (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_ok_at     TEXT,            -- device time of the last complete sync
  last_error_at  TEXT,            -- device time of the last failure, NULL after a success
  last_error     TEXT,
  failures       INTEGER NOT NULL DEFAULT 0  -- consecutive failures
);
INSERT INTO sync_attempt(singleton) VALUES (1);
