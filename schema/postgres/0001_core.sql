-- 0001_core: the domain tables, the sync catalog and the change log (PostgreSQL).
-- The translation of schema/common/0001_core.sql for the central server.
-- Differences from SQLite:
-- - No foreign keys between the replicated tables: the sync engine merges
--   peers' rows in any order (SQLite runs those merges with foreign-key
--   checks off). The indexes are kept.
-- - SQLite's date(), json_valid()/json_type(), GLOB and instr() become the
--   latih_* functions and regular expressions below, so that a broken rule
--   is a check violation (23514), never a cast error.
-- - latih_is_date() accepts only real calendar dates 0000-01-01..9999-12-31;
--   SQLite's `date(x) IS x` (3.40) also passes 2023-02-29, 2024-02-31 and
--   negative years. sync/row_rules.cc refuses those before any write.

-- True iff t is a real calendar date written exactly YYYY-MM-DD (proleptic
-- Gregorian, years 0000..9999). NULL for NULL, like `date(NULL) IS NULL`.
CREATE FUNCTION latih_is_date(t text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN t !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN false
    WHEN substr(t, 6, 2) IN ('04', '06', '09', '11') THEN substr(t, 9, 2)::int <= 30
    WHEN substr(t, 6, 2) <> '02' THEN true
    WHEN substr(t, 9, 2)::int <= 28 THEN true
    WHEN substr(t, 9, 2) = '29' THEN
      (substr(t, 1, 4)::int % 4 = 0 AND substr(t, 1, 4)::int % 100 <> 0) OR substr(t, 1, 4)::int % 400 = 0
    ELSE false
  END;

-- SQLite's json_type(t) for text t: 'object', 'array', 'text', 'integer',
-- 'real', 'true', 'false' or 'null'; NULL when t is not valid JSON (where
-- json_valid(t) is 0), so checks compare it with IS NOT DISTINCT FROM.
-- PostgreSQL's json input is RFC 8259, as json_valid; SQLite 3.40 also
-- refuses arrays and objects nested more than 2000 deep, and so does this.
-- Not PARALLEL SAFE: its EXCEPTION block is a subtransaction.
CREATE FUNCTION latih_json_type(t text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
DECLARE
  kind text;
  depth int := 0;
  c text;
BEGIN
  kind := json_typeof(t::json);
  IF length(t) - length(translate(t, '[{', '')) > 2000 THEN  -- could be too deep
    FOREACH c IN ARRAY regexp_split_to_array(
        regexp_replace(regexp_replace(t, '"([^"\\]|\\.)*"', '', 'g'), '[^][{}]', '', 'g'), '') LOOP
      depth := depth + CASE WHEN c IN ('[', '{') THEN 1 ELSE -1 END;
      IF depth > 2000 THEN RETURN NULL; END IF;
    END LOOP;
  END IF;
  RETURN CASE kind
    WHEN 'string' THEN 'text'
    WHEN 'boolean' THEN CASE WHEN ltrim(t, E' \t\n\r') LIKE 't%' THEN 'true' ELSE 'false' END
    WHEN 'number' THEN CASE WHEN t ~ '[.eE]' THEN 'real' ELSE 'integer' END
    ELSE kind
  END;
EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
  RETURN NULL;  -- malformed, or too deep for PostgreSQL's parser
END;
$$;

CREATE TABLE office (
  id        TEXT PRIMARY KEY CHECK (id ~ '^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$'),
  name      TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  level     TEXT NOT NULL CHECK (level IN ('provinsi', 'kota', 'kecamatan', 'kelurahan', 'instansi')),
  parent_id TEXT,
  aliases   TEXT NOT NULL DEFAULT '[]' CHECK (latih_json_type(aliases) IS NOT DISTINCT FROM 'array'),
  bps_code  TEXT CHECK (bps_code IS NULL OR (length(bps_code) = 10 AND bps_code !~ '[^0-9]'))
);

CREATE TABLE employee (
  id              TEXT PRIMARY KEY,  -- NaturalId('employee', nip)
  nip             TEXT NOT NULL UNIQUE CHECK (length(nip) = 18 AND nip !~ '[^0-9]'),
  name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  office_id       TEXT NOT NULL,
  position        TEXT CHECK (position IS NULL OR length(position) <= 200),
  rank            TEXT CHECK (rank IS NULL OR length(rank) <= 40),
  employment_type TEXT NOT NULL CHECK (employment_type IN ('pns', 'pppk')),
  active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  needs_review    BIGINT NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1))
);
CREATE INDEX employee_by_office ON employee(office_id);

CREATE TABLE training (
  id             TEXT PRIMARY KEY,
  office_id      TEXT,  -- NULL: global (BKPSDM)
  title          TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 300),
  form           BIGINT NOT NULL CHECK (form BETWEEN 1 AND 25),  -- SIASN jenisDiklatId
  route          TEXT NOT NULL CHECK (route IN ('klasikal', 'non_klasikal', 'pendidikan')),
  competency     TEXT NOT NULL CHECK (competency IN ('teknis', 'manajerial', 'sosial_kultural')),
  jp             DOUBLE PRECISION NOT NULL CHECK (jp > 0 AND jp <= 2000),
  minutes        BIGINT NOT NULL CHECK (minutes > 0),
  organizer      TEXT CHECK (organizer IS NULL OR length(organizer) <= 300),
  start_date     TEXT NOT NULL CHECK (latih_is_date(start_date)),
  end_date       TEXT NOT NULL CHECK (latih_is_date(end_date) AND end_date >= start_date COLLATE "C"),
  certificate_no TEXT CHECK (certificate_no IS NULL OR length(certificate_no) <= 100),
  scope          TEXT NOT NULL DEFAULT 'nasional' CHECK (scope IN ('nasional', 'internasional'))
);
CREATE INDEX training_by_office ON training(office_id);

CREATE TABLE session (
  id          TEXT PRIMARY KEY,
  training_id TEXT NOT NULL,
  office_id   TEXT,  -- the hosting office
  date        TEXT NOT NULL CHECK (latih_is_date(date)),
  start_time  TEXT CHECK (start_time IS NULL OR
                (start_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND start_time <= '23:59' COLLATE "C")),
  end_time    TEXT CHECK (end_time IS NULL OR
                (end_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND end_time <= '23:59' COLLATE "C")),
  jp          DOUBLE PRECISION CHECK (jp IS NULL OR (jp > 0 AND jp <= 100)),  -- NULL: an equal share of the training's rest
  location    TEXT CHECK (location IS NULL OR length(location) <= 300)
);
CREATE INDEX session_by_training ON session(training_id);
CREATE INDEX session_by_date ON session(date);

CREATE TABLE attendance (
  id            TEXT PRIMARY KEY,  -- NaturalId('attendance', session_id, employee_id)
  session_id    TEXT NOT NULL,
  employee_id   TEXT NOT NULL,
  office_id     TEXT NOT NULL,  -- the employee's office
  -- SQLite's instr() form was only a speed-up there; the same set of values.
  status        TEXT NOT NULL CHECK (status IN ('hadir', 'terlambat', 'pulang_awal', 'izin', 'sakit',
                                                'dinas_luar', 'cuti', 'alpa')),
  minutes_late  BIGINT CHECK (minutes_late IS NULL OR minutes_late BETWEEN 0 AND 1440),
  checked_in_at TEXT CHECK (checked_in_at IS NULL OR length(checked_in_at) <= 40),  -- as recorded; data, not a version
  method        TEXT NOT NULL CHECK (method IN ('manual', 'csv', 'qr')),
  note          TEXT CHECK (note IS NULL OR length(note) <= 500)
);
-- Covering index for the JP and attendance reports.
CREATE INDEX attendance_by_session ON attendance(session_id, employee_id, status);
CREATE INDEX attendance_by_employee ON attendance(employee_id);

CREATE TABLE evaluation (
  id          TEXT PRIMARY KEY,  -- NaturalId('evaluation', training_id, employee_id, kind)
  training_id TEXT NOT NULL,
  employee_id TEXT NOT NULL,
  office_id   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('reaction', 'pre_test', 'post_test', 'behaviour', 'result')),
  level       BIGINT NOT NULL CHECK (level = CASE kind WHEN 'reaction' THEN 1 WHEN 'pre_test' THEN 2
                                     WHEN 'post_test' THEN 2 WHEN 'behaviour' THEN 3 ELSE 4 END),
  score       DOUBLE PRECISION NOT NULL CHECK (score BETWEEN 0 AND 100),
  aspects     TEXT CHECK (aspects IS NULL OR latih_json_type(aspects) IS NOT DISTINCT FROM 'object'),
  assessed_on TEXT CHECK (assessed_on IS NULL OR latih_is_date(assessed_on))
);
CREATE INDEX evaluation_by_training ON evaluation(training_id, kind);
CREATE INDEX evaluation_by_employee ON evaluation(employee_id);

CREATE TABLE skm_response (
  id           TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL,
  period       TEXT NOT NULL CHECK (period ~ '^[12][0-9]{3}(-S[12]|-Q[1-4]|-0[1-9]|-1[0-2])?$'),
  u1 BIGINT NOT NULL CHECK (u1 BETWEEN 1 AND 4),
  u2 BIGINT NOT NULL CHECK (u2 BETWEEN 1 AND 4),
  u3 BIGINT NOT NULL CHECK (u3 BETWEEN 1 AND 4),
  u4 BIGINT NOT NULL CHECK (u4 BETWEEN 1 AND 4),
  u5 BIGINT NOT NULL CHECK (u5 BETWEEN 1 AND 4),
  u6 BIGINT NOT NULL CHECK (u6 BETWEEN 1 AND 4),
  u7 BIGINT NOT NULL CHECK (u7 BETWEEN 1 AND 4),
  u8 BIGINT NOT NULL CHECK (u8 BETWEEN 1 AND 4),
  u9 BIGINT NOT NULL CHECK (u9 BETWEEN 1 AND 4),
  gender       TEXT CHECK (gender IS NULL OR gender IN ('l', 'p')),
  age_band     TEXT CHECK (age_band IS NULL OR age_band IN ('lt20', '20_29', '30_39', '40_49', '50_59', 'ge60')),
  education    TEXT CHECK (education IS NULL OR education IN ('sd', 'smp', 'sma', 'd1_d3', 'd4_s1', 's2', 's3')),
  occupation   TEXT CHECK (occupation IS NULL OR length(occupation) <= 100),
  service      TEXT CHECK (service IS NULL OR length(service) <= 200),
  responded_on TEXT CHECK (responded_on IS NULL OR latih_is_date(responded_on))
);
CREATE INDEX skm_by_office_period ON skm_response(office_id, period);

-- The sync catalog: which columns are replicated. col '' is a row's
-- existence cell. cids are numbered as SQLite numbers them: the seven
-- existence cells, then each table's columns (but id) in declaration order.
CREATE TABLE sync_column (
  cid BIGINT PRIMARY KEY,
  tbl TEXT NOT NULL,
  col TEXT NOT NULL,
  UNIQUE (tbl, col)
);
WITH t(name, o) AS (
  VALUES ('office', 1), ('employee', 2), ('training', 3), ('session', 4), ('attendance', 5),
         ('evaluation', 6), ('skm_response', 7)
), cell(tbl, col, grp, o, pos) AS (
  SELECT t.name, '', 0, t.o, 0 FROM t
  UNION ALL
  SELECT t.name, c.column_name::text, 1, t.o, c.ordinal_position::int
  FROM t JOIN information_schema.columns c
    ON c.table_schema = current_schema() AND c.table_name = t.name AND c.column_name <> 'id'
)
INSERT INTO sync_column(cid, tbl, col)
  SELECT row_number() OVER (ORDER BY grp, o, pos), tbl, col FROM cell;

-- The change log as 0001 made it in SQLite (0005 re-keys it by seq): one
-- live entry per replicated row with its cells' versions (see the SQLite file).
CREATE TABLE change_log (
  row_id TEXT PRIMARY KEY,
  tbl    TEXT NOT NULL,    -- the replicated table of the row
  seq    BIGINT NOT NULL,  -- position in this replica's change feed (max of the cells' seq)
  cells  BYTEA NOT NULL    -- 40 bytes per cell, in sync_column order of the table
);
CREATE UNIQUE INDEX change_log_by_seq ON change_log(seq);

-- The last values of deleted rows (JSON array in catalog column order).
CREATE TABLE deleted_row (
  row_id TEXT PRIMARY KEY,
  tbl    TEXT NOT NULL,
  vals   TEXT NOT NULL CHECK (latih_json_type(vals) IS NOT DISTINCT FROM 'array')
);

-- Concurrent writes that a merge decided (sync/PROTOCOL.md §5).
-- id: an identity where SQLite has a rowid; an explicit NULL id is refused.
CREATE TABLE sync_conflict (
  id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tbl           TEXT NOT NULL,
  row_id        TEXT NOT NULL,
  col           TEXT NOT NULL,     -- '' is the row's existence (delete vs edit)
  winner_value  TEXT,              -- JSON scalar
  winner_hlc    BIGINT NOT NULL,
  winner_node   BIGINT NOT NULL,
  loser_value   TEXT,              -- JSON scalar
  loser_hlc     BIGINT NOT NULL,
  loser_node    BIGINT NOT NULL,
  detected_at   TEXT NOT NULL,
  resolved_at   TEXT,
  UNIQUE (row_id, col, loser_hlc, loser_node)
);
CREATE INDEX sync_conflict_open ON sync_conflict(resolved_at, tbl);

-- This replica's identity, clock and sync state. Exactly one row.
-- office_id has no foreign key (NULL on the server).
CREATE TABLE replica (
  singleton       BIGINT PRIMARY KEY CHECK (singleton = 1),
  node_id         BIGINT NOT NULL,  -- random 63-bit origin id, never reused
  office_id       TEXT,
  created_at      TEXT NOT NULL,
  last_hlc        BIGINT NOT NULL DEFAULT 0,  -- the highest HLC issued or seen, persisted
  last_seq        BIGINT NOT NULL DEFAULT 0,  -- the highest feed seq issued (never reused, even after purges)
  push_watermark  BIGINT NOT NULL DEFAULT 0,  -- local seq the server has acknowledged
  pull_cursor     BIGINT NOT NULL DEFAULT 0,  -- server seq applied here
  clock_offset_ms BIGINT NOT NULL DEFAULT 0,  -- server time - device time, last measured
  last_sync_at    TEXT                        -- device time of the last complete session
);

-- Reference data present on every replica from the start (version 0).
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
