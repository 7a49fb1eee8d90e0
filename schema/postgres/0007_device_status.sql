-- 0007_device_status: what each device said about itself at the start of
-- its last sync session, for HR's data-freshness report (PostgreSQL).
-- credential_id keeps its foreign key, checked at once.
CREATE TABLE device_status (
  credential_id BIGINT PRIMARY KEY REFERENCES credential(id),
  client        TEXT CHECK (client IS NULL OR length(client) <= 100),    -- "latih/0.5.0"
  pending       BIGINT CHECK (pending IS NULL OR pending >= 0),          -- local changes not yet pushed
  quarantined   BIGINT CHECK (quarantined IS NULL OR quarantined >= 0),  -- local changes the server refused
  reported_at   TEXT NOT NULL                                            -- server time, ISO 8601 UTC
);
