-- 0002_client: settings local to one office device (never replicated).
CREATE TABLE setting (
  key   TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*'),
  value TEXT NOT NULL
);
INSERT INTO setting(key, value) VALUES ('minutes_per_jp', '45');
