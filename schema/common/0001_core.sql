-- 0001_core: the domain tables (../shared/DOMAIN.md), the sync catalog and
-- the change log. Shared by every replica (office client and server).
-- Ids are UUID text (see sync/domain/ids.h); office ids are Kemendagri codes.
-- Foreign keys are DEFERRABLE INITIALLY DEFERRED so that a batch of changes
-- can be applied in any order inside one transaction.

CREATE TABLE office (
  id        TEXT PRIMARY KEY CHECK (
              id GLOB '[0-9][0-9]' OR id GLOB '[0-9][0-9].[0-9][0-9]' OR
              id GLOB '[0-9][0-9].[0-9][0-9].[0-9][0-9]' OR
              id GLOB '[0-9][0-9].[0-9][0-9].[0-9][0-9].[0-9][0-9][0-9][0-9]'),
  name      TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  level     TEXT NOT NULL CHECK (level IN ('provinsi', 'kota', 'kecamatan', 'kelurahan', 'instansi')),
  parent_id TEXT REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,
  aliases   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array'),
  bps_code  TEXT CHECK (bps_code IS NULL OR (length(bps_code) = 10 AND bps_code NOT GLOB '*[^0-9]*'))
);

CREATE TABLE employee (
  id              TEXT PRIMARY KEY,  -- NaturalId('employee', nip)
  nip             TEXT NOT NULL UNIQUE CHECK (length(nip) = 18 AND nip NOT GLOB '*[^0-9]*'),
  name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  office_id       TEXT NOT NULL REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,
  position        TEXT CHECK (position IS NULL OR length(position) <= 200),
  rank            TEXT CHECK (rank IS NULL OR length(rank) <= 40),
  employment_type TEXT NOT NULL CHECK (employment_type IN ('pns', 'pppk')),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  needs_review    INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1))
);
CREATE INDEX employee_by_office ON employee(office_id);

CREATE TABLE training (
  id             TEXT PRIMARY KEY,
  office_id      TEXT REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,  -- NULL: global (BKPSDM)
  title          TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 300),
  form           INTEGER NOT NULL CHECK (form BETWEEN 1 AND 25),  -- SIASN jenisDiklatId
  route          TEXT NOT NULL CHECK (route IN ('klasikal', 'non_klasikal', 'pendidikan')),
  competency     TEXT NOT NULL CHECK (competency IN ('teknis', 'manajerial', 'sosial_kultural')),
  jp             REAL NOT NULL CHECK (jp > 0 AND jp <= 2000),
  minutes        INTEGER NOT NULL CHECK (minutes > 0),
  organizer      TEXT CHECK (organizer IS NULL OR length(organizer) <= 300),
  start_date     TEXT NOT NULL CHECK (date(start_date) IS start_date),
  end_date       TEXT NOT NULL CHECK (date(end_date) IS end_date AND end_date >= start_date),
  certificate_no TEXT CHECK (certificate_no IS NULL OR length(certificate_no) <= 100),
  scope          TEXT NOT NULL DEFAULT 'nasional' CHECK (scope IN ('nasional', 'internasional'))
);
CREATE INDEX training_by_office ON training(office_id);

CREATE TABLE session (
  id          TEXT PRIMARY KEY,
  training_id TEXT NOT NULL REFERENCES training(id) DEFERRABLE INITIALLY DEFERRED,
  office_id   TEXT REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,  -- the hosting office
  date        TEXT NOT NULL CHECK (date(date) IS date),
  start_time  TEXT CHECK (start_time IS NULL OR (start_time GLOB '[0-2][0-9]:[0-5][0-9]' AND start_time <= '23:59')),
  end_time    TEXT CHECK (end_time IS NULL OR (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time <= '23:59')),
  jp          REAL CHECK (jp IS NULL OR (jp > 0 AND jp <= 100)),  -- NULL: an equal share of the training's rest
  location    TEXT CHECK (location IS NULL OR length(location) <= 300)
);
CREATE INDEX session_by_training ON session(training_id);
CREATE INDEX session_by_date ON session(date);

CREATE TABLE attendance (
  id            TEXT PRIMARY KEY,  -- NaturalId('attendance', session_id, employee_id)
  session_id    TEXT NOT NULL REFERENCES session(id) DEFERRABLE INITIALLY DEFERRED,
  employee_id   TEXT NOT NULL REFERENCES employee(id) DEFERRABLE INITIALLY DEFERRED,
  office_id     TEXT NOT NULL REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,  -- the employee's office
  -- instr() instead of IN (...): SQLite 3.40 builds a temporary b-tree for an
  -- IN list in a CHECK on every insert, a quarter of the cost of a bulk load.
  status        TEXT NOT NULL CHECK (status NOT GLOB '*|*' AND
                  instr('|hadir|terlambat|pulang_awal|izin|sakit|dinas_luar|cuti|alpa|', '|' || status || '|') > 0),
  minutes_late  INTEGER CHECK (minutes_late IS NULL OR minutes_late BETWEEN 0 AND 1440),
  checked_in_at TEXT CHECK (checked_in_at IS NULL OR length(checked_in_at) <= 40),  -- as recorded; data, not a version
  method        TEXT NOT NULL CHECK (method NOT GLOB '*|*' AND instr('|manual|csv|qr|', '|' || method || '|') > 0),
  note          TEXT CHECK (note IS NULL OR length(note) <= 500)
);
-- Covering index for the JP and attendance reports.
CREATE INDEX attendance_by_session ON attendance(session_id, employee_id, status);
CREATE INDEX attendance_by_employee ON attendance(employee_id);

CREATE TABLE evaluation (
  id          TEXT PRIMARY KEY,  -- NaturalId('evaluation', training_id, employee_id, kind)
  training_id TEXT NOT NULL REFERENCES training(id) DEFERRABLE INITIALLY DEFERRED,
  employee_id TEXT NOT NULL REFERENCES employee(id) DEFERRABLE INITIALLY DEFERRED,
  office_id   TEXT NOT NULL REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,
  kind        TEXT NOT NULL CHECK (kind IN ('reaction', 'pre_test', 'post_test', 'behaviour', 'result')),
  level       INTEGER NOT NULL CHECK (level = CASE kind WHEN 'reaction' THEN 1 WHEN 'pre_test' THEN 2
                                      WHEN 'post_test' THEN 2 WHEN 'behaviour' THEN 3 ELSE 4 END),
  score       REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
  aspects     TEXT CHECK (aspects IS NULL OR (json_valid(aspects) AND json_type(aspects) = 'object')),
  assessed_on TEXT CHECK (assessed_on IS NULL OR date(assessed_on) IS assessed_on)
);
CREATE INDEX evaluation_by_training ON evaluation(training_id, kind);
CREATE INDEX evaluation_by_employee ON evaluation(employee_id);

CREATE TABLE skm_response (
  id           TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,
  period       TEXT NOT NULL CHECK (
                 period GLOB '[12][0-9][0-9][0-9]' OR period GLOB '[12][0-9][0-9][0-9]-S[12]' OR
                 period GLOB '[12][0-9][0-9][0-9]-Q[1-4]' OR period GLOB '[12][0-9][0-9][0-9]-0[1-9]' OR
                 period GLOB '[12][0-9][0-9][0-9]-1[0-2]'),
  u1 INTEGER NOT NULL CHECK (u1 BETWEEN 1 AND 4),
  u2 INTEGER NOT NULL CHECK (u2 BETWEEN 1 AND 4),
  u3 INTEGER NOT NULL CHECK (u3 BETWEEN 1 AND 4),
  u4 INTEGER NOT NULL CHECK (u4 BETWEEN 1 AND 4),
  u5 INTEGER NOT NULL CHECK (u5 BETWEEN 1 AND 4),
  u6 INTEGER NOT NULL CHECK (u6 BETWEEN 1 AND 4),
  u7 INTEGER NOT NULL CHECK (u7 BETWEEN 1 AND 4),
  u8 INTEGER NOT NULL CHECK (u8 BETWEEN 1 AND 4),
  u9 INTEGER NOT NULL CHECK (u9 BETWEEN 1 AND 4),
  gender       TEXT CHECK (gender IS NULL OR gender IN ('l', 'p')),
  age_band     TEXT CHECK (age_band IS NULL OR age_band IN ('lt20', '20_29', '30_39', '40_49', '50_59', 'ge60')),
  education    TEXT CHECK (education IS NULL OR education IN ('sd', 'smp', 'sma', 'd1_d3', 'd4_s1', 's2', 's3')),
  occupation   TEXT CHECK (occupation IS NULL OR length(occupation) <= 100),
  service      TEXT CHECK (service IS NULL OR length(service) <= 200),
  responded_on TEXT CHECK (responded_on IS NULL OR date(responded_on) IS responded_on)
);
CREATE INDEX skm_by_office_period ON skm_response(office_id, period);

-- The sync catalog: which columns are replicated. col '' is a row's
-- existence cell (its version is the row's creation or deletion). cids are
-- local to a database; the wire uses table and column names.
CREATE TABLE sync_column (
  cid INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  col TEXT NOT NULL,
  UNIQUE (tbl, col)
);
INSERT INTO sync_column(tbl, col)
  SELECT t.name, '' FROM (SELECT 'office' AS name, 1 AS o UNION ALL SELECT 'employee', 2
       UNION ALL SELECT 'training', 3 UNION ALL SELECT 'session', 4 UNION ALL SELECT 'attendance', 5
       UNION ALL SELECT 'evaluation', 6 UNION ALL SELECT 'skm_response', 7) AS t
  ORDER BY t.o;
INSERT INTO sync_column(tbl, col)
  SELECT t.name, c.name
  FROM (SELECT 'office' AS name, 1 AS o UNION ALL SELECT 'employee', 2
       UNION ALL SELECT 'training', 3 UNION ALL SELECT 'session', 4 UNION ALL SELECT 'attendance', 5
       UNION ALL SELECT 'evaluation', 6 UNION ALL SELECT 'skm_response', 7) AS t,
       pragma_table_info(t.name) AS c
  WHERE c.name <> 'id'
  ORDER BY t.o, c.cid;

-- The change log: one live entry per replicated row, holding the version of
-- each of its cells (its columns, plus the existence cell at position 0) as
-- a packed array (sync/cell_versions.h): for each cell the version (HLC
-- timestamp and the node that wrote it), its base (the version the writer
-- had seen) and the seq at which it last changed here. A write updates the entries of exactly the columns it changed and
-- moves the row to a new seq, so the feed (seq > watermark) is coalesced by
-- construction and never holds superseded entries. Values are read from the
-- data tables. A deleted row keeps its entry: the existence cell is then the
-- tombstone.
CREATE TABLE change_log (
  row_id TEXT PRIMARY KEY,
  tbl    TEXT NOT NULL,     -- the replicated table of the row
  seq    INTEGER NOT NULL,  -- position in this replica's change feed (max of the cells' seq)
  cells  BLOB NOT NULL      -- 40 bytes per cell, in sync_column order of the table
) WITHOUT ROWID;
CREATE UNIQUE INDEX change_log_by_seq ON change_log(seq);

-- The last values of deleted rows (JSON array in catalog column order),
-- kept so that an edit made after the delete (by the clock) can bring the
-- row back whole on every replica. Purged by compaction (sync/PROTOCOL.md §8).
CREATE TABLE deleted_row (
  row_id TEXT PRIMARY KEY,
  tbl    TEXT NOT NULL,
  vals   TEXT NOT NULL CHECK (json_valid(vals) AND json_type(vals) = 'array')
) WITHOUT ROWID;

-- Concurrent writes that a merge decided (sync/PROTOCOL.md §5). Both values
-- are kept; resolving one is a new ordinary write.
CREATE TABLE sync_conflict (
  id            INTEGER PRIMARY KEY,
  tbl           TEXT NOT NULL,
  row_id        TEXT NOT NULL,
  col           TEXT NOT NULL,     -- '' is the row's existence (delete vs edit)
  winner_value  TEXT,              -- JSON scalar
  winner_hlc    INTEGER NOT NULL,
  winner_node   INTEGER NOT NULL,
  loser_value   TEXT,              -- JSON scalar
  loser_hlc     INTEGER NOT NULL,
  loser_node    INTEGER NOT NULL,
  detected_at   TEXT NOT NULL,
  resolved_at   TEXT,
  UNIQUE (row_id, col, loser_hlc, loser_node)
);
CREATE INDEX sync_conflict_open ON sync_conflict(resolved_at, tbl);

-- This replica's identity, clock and sync state. Exactly one row.
CREATE TABLE replica (
  singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
  node_id         INTEGER NOT NULL,  -- random 63-bit origin id, never reused
  office_id       TEXT REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,  -- NULL on the server
  created_at      TEXT NOT NULL,
  last_hlc        INTEGER NOT NULL DEFAULT 0,  -- the highest HLC issued or seen, persisted
  last_seq        INTEGER NOT NULL DEFAULT 0,  -- the highest feed seq issued (never reused, even after purges)
  push_watermark  INTEGER NOT NULL DEFAULT 0,  -- local seq the server has acknowledged
  pull_cursor     INTEGER NOT NULL DEFAULT 0,  -- server seq applied here
  clock_offset_ms INTEGER NOT NULL DEFAULT 0,  -- server time - device time, last measured
  last_sync_at    TEXT                         -- device time of the last complete session
);

-- Reference data present on every replica from the start (version 0: any
-- recorded change to these rows wins over the seed).
INSERT INTO office(id, name, level, parent_id, aliases, bps_code) VALUES
  ('52.71',         'Kota Mataram',     'kota',      NULL,       '[]', NULL),
  ('52.71.01',      'Ampenan',          'kecamatan', '52.71',    '["Kecamatan Ampenan"]', NULL),
  ('52.71.01.1004', 'Ampenan Selatan',  'kelurahan', '52.71.01', '[]', '5271010004'),
  ('52.71.01.1005', 'Ampenan Tengah',   'kelurahan', '52.71.01', '[]', '5271010005'),
  ('52.71.01.1006', 'Pejeruk',          'kelurahan', '52.71.01', '[]', '5271010006'),
  ('52.71.01.1007', 'Ampenan Utara',    'kelurahan', '52.71.01', '[]', '5271010007'),
  ('52.71.01.1008', 'Taman Sari',       'kelurahan', '52.71.01', '[]', '5271010009'),
  ('52.71.01.1009', 'Banjar',           'kelurahan', '52.71.01', '[]', '5271010008'),
  ('52.71.01.1010', 'Kebun Sari',       'kelurahan', '52.71.01', '["Kebon Sari"]', '5271010010'),
  ('52.71.01.1011', 'Pejarakan Karya',  'kelurahan', '52.71.01', '["Pajarakan Karya"]', '5271010011'),
  ('52.71.01.1012', 'Dayan Peken',      'kelurahan', '52.71.01', '[]', '5271010013'),
  ('52.71.01.1013', 'Bintaro',          'kelurahan', '52.71.01', '[]', '5271010012');
