-- 0007_device_status: what each device said about itself at the start of
-- its last sync session (sync/PROTOCOL.md §6: the request's "client",
-- "pending" and "quarantined"), for HR's data-freshness report
-- (docs/REPORTS.md). One row per device credential, replaced each time.
CREATE TABLE device_status (
  credential_id INTEGER PRIMARY KEY REFERENCES credential(id),
  client        TEXT CHECK (client IS NULL OR length(client) <= 100),  -- "latih/0.5.0"
  pending       INTEGER CHECK (pending IS NULL OR pending >= 0),        -- local changes not yet pushed
  quarantined   INTEGER CHECK (quarantined IS NULL OR quarantined >= 0), -- local changes the server refused
  reported_at   TEXT NOT NULL                                          -- server time, ISO 8601 UTC
);
