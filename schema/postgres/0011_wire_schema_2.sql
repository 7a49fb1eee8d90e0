-- 0011_wire_schema_2: the replicated tables of wire schema 2 (PostgreSQL).
-- The translation of schema/common/0011_wire_schema_2.sql; see it for what
-- each part is for. As in 0001: no foreign keys, regular expressions for
-- GLOB. The predicate is a STORED generated column (PostgreSQL 15 has no
-- virtual ones) and, like SQLite's, not in sync_column.

ALTER TABLE sync_column ADD COLUMN since INTEGER NOT NULL DEFAULT 1;

ALTER TABLE employee ADD COLUMN email TEXT CHECK (email IS NULL OR (
  length(email) <= 254 AND email = lower(email) AND email ~ '^[^@]+@[^@]+$' AND
  email !~ '[^\x21-\x7e]' AND email !~ '[,;<>()"]'));

ALTER TABLE training ADD COLUMN cost_planned BIGINT
  CHECK (cost_planned IS NULL OR cost_planned BETWEEN 0 AND 100000000000);
ALTER TABLE training ADD COLUMN cost_actual BIGINT
  CHECK (cost_actual IS NULL OR cost_actual BETWEEN 0 AND 100000000000);
ALTER TABLE training ADD COLUMN funding_source TEXT CHECK (funding_source IS NULL OR
  funding_source IN ('apbd_kota', 'apbd_provinsi', 'apbn', 'hibah', 'mandiri', 'tanpa_biaya'));

CREATE TABLE skp_assessment (
  id             TEXT PRIMARY KEY,  -- NaturalId('skp_assessment', employee_id, year, period)
  employee_id    TEXT NOT NULL,
  office_id      TEXT NOT NULL,     -- the employee's office
  year           BIGINT NOT NULL CHECK (year BETWEEN 2022 AND 2099),
  period         TEXT NOT NULL CHECK (period ~ '^(tahunan|Q[1-4]|0[1-9]|1[0-2])$'),
  hasil_kerja    TEXT NOT NULL CHECK (hasil_kerja IN ('di_atas', 'sesuai', 'di_bawah')),
  perilaku_kerja TEXT NOT NULL CHECK (perilaku_kerja IN ('di_atas', 'sesuai', 'di_bawah')),
  assessed_on    TEXT CHECK (assessed_on IS NULL OR latih_is_date(assessed_on)),
  assessor_nip   TEXT CHECK (assessor_nip IS NULL OR (length(assessor_nip) = 18 AND assessor_nip !~ '[^0-9]')),
  assessor_name  TEXT CHECK (assessor_name IS NULL OR length(assessor_name) <= 200),
  predicate      TEXT GENERATED ALWAYS AS (CASE
                   WHEN perilaku_kerja = 'di_bawah' THEN
                     CASE WHEN hasil_kerja = 'di_bawah' THEN 'sangat_kurang' ELSE 'kurang' END
                   WHEN hasil_kerja = 'di_bawah' THEN 'butuh_perbaikan'
                   WHEN hasil_kerja = 'di_atas' AND perilaku_kerja = 'di_atas' THEN 'sangat_baik'
                   ELSE 'baik' END) STORED
);
CREATE INDEX skp_by_employee ON skp_assessment(employee_id);
CREATE INDEX skp_by_office_year ON skp_assessment(office_id, year);

-- cids continue SQLite's numbering: the new columns in this order, then the
-- new table's existence cell and its columns in declaration order.
WITH cell(tbl, col, o) AS (
  VALUES ('employee', 'email', 1), ('training', 'cost_planned', 2), ('training', 'cost_actual', 3),
         ('training', 'funding_source', 4), ('skp_assessment', '', 5)
  UNION ALL
  SELECT 'skp_assessment', c.column_name::text, 5 + c.ordinal_position::int
  FROM information_schema.columns c
  WHERE c.table_schema = current_schema() AND c.table_name = 'skp_assessment' AND c.column_name <> 'id'
    AND c.is_generated = 'NEVER'
)
INSERT INTO sync_column(cid, tbl, col, since)
  SELECT (SELECT max(cid) FROM sync_column) + row_number() OVER (ORDER BY o), tbl, col, 2 FROM cell;
