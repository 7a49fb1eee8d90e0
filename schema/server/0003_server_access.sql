-- 0003_server_access: who may talk to the server, and what they sent.

-- A credential: an office device or a central user (HR, admin). Tokens are
-- random 256-bit strings shown once; only their SHA-256 is stored.
-- An enrollment token is exchanged once, at `latih enroll`, for the
-- device's own token; the printed one is then useless.
CREATE TABLE credential (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('device', 'user')),
  name          TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  role          TEXT NOT NULL CHECK (role IN ('device', 'hr', 'admin')),
  office_id     TEXT REFERENCES office(id),  -- devices only
  enroll_hash   TEXT UNIQUE,                 -- pending enrollment token (devices), NULL once used
  token_hash    TEXT UNIQUE,                 -- the credential's token
  node_id       INTEGER UNIQUE,              -- the replica bound at enrollment (devices)
  created_at    TEXT NOT NULL,
  enrolled_at   TEXT,
  revoked_at    TEXT,
  last_seen_at  TEXT,
  CHECK ((kind = 'device') = (role = 'device')),
  CHECK (kind = 'user' OR office_id IS NOT NULL)
);
CREATE UNIQUE INDEX credential_device_name ON credential(office_id, name) WHERE kind = 'device';

-- Every push batch the server applied: append-only.
CREATE TABLE sync_audit (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,       -- server time
  credential_id INTEGER NOT NULL,    -- 0: applied by a local tool, not over HTTP
  node          INTEGER NOT NULL,
  first_seq     INTEGER NOT NULL,
  last_seq      INTEGER NOT NULL,
  rows          INTEGER NOT NULL,
  refused       INTEGER NOT NULL,
  body_sha256   TEXT NOT NULL        -- of the request as received (inflated)
);
CREATE TRIGGER sync_audit_no_update BEFORE UPDATE ON sync_audit
  BEGIN SELECT RAISE(ABORT, 'sync_audit is append-only'); END;
CREATE TRIGGER sync_audit_no_delete BEFORE DELETE ON sync_audit
  BEGIN SELECT RAISE(ABORT, 'sync_audit is append-only'); END;
