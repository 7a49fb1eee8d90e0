-- 0011_wire_schema_2: the replicated tables of wire schema 2
-- (sync/PROTOCOL.md §6, "Schema evolution"; schema/README.md).
-- - sync_column.since: the wire schema a replicated column (or a table's
--   existence cell) first appeared in. The server leaves out, in a pull for
--   a device of an older schema, the cells that schema does not have.
-- - employee.email: for matching e-learning completions (docs/ELEARNING.md).
--   Lower case ASCII, one '@' with text on both sides, no spaces or list
--   separators.
-- - training.cost_planned, cost_actual (rupiah, whole), funding_source:
--   what HR's budget reports divide by the participants and the JP credited
--   (docs/REPORTS.md, "Cost").
-- - skp_assessment: the performance assessment (SKP, PermenPAN-RB 6/2022,
--   ../shared/DOMAIN.md §5) of an employee for a year, or one period of it.
--   The predicate is never stored: a generated column derives it from the
--   two ratings by the regulation's matrix (sync/domain/skp.h), so that a
--   merge of two devices' edits of either rating cannot leave it stale.
-- Every new column is nullable: a device of wire schema 1 inserts rows
-- without them.

ALTER TABLE sync_column ADD COLUMN since INTEGER NOT NULL DEFAULT 1;

ALTER TABLE employee ADD COLUMN email TEXT CHECK (email IS NULL OR (
  length(email) <= 254 AND email = lower(email) AND email GLOB '?*@?*' AND email NOT GLOB '*@*@*' AND
  email NOT GLOB '*[^!-~]*' AND email NOT GLOB '*[,;<>()"]*'));

ALTER TABLE training ADD COLUMN cost_planned INTEGER
  CHECK (cost_planned IS NULL OR cost_planned BETWEEN 0 AND 100000000000);
ALTER TABLE training ADD COLUMN cost_actual INTEGER
  CHECK (cost_actual IS NULL OR cost_actual BETWEEN 0 AND 100000000000);
ALTER TABLE training ADD COLUMN funding_source TEXT CHECK (funding_source IS NULL OR
  funding_source IN ('apbd_kota', 'apbd_provinsi', 'apbn', 'hibah', 'mandiri', 'tanpa_biaya'));

CREATE TABLE skp_assessment (
  id             TEXT PRIMARY KEY,  -- NaturalId('skp_assessment', employee_id, year, period)
  employee_id    TEXT NOT NULL REFERENCES employee(id) DEFERRABLE INITIALLY DEFERRED,
  office_id      TEXT NOT NULL REFERENCES office(id) DEFERRABLE INITIALLY DEFERRED,  -- the employee's office
  year           INTEGER NOT NULL CHECK (year BETWEEN 2022 AND 2099),
  -- 'tahunan' (the annual assessment), 'Q1'..'Q4' or '01'..'12' (periodic)
  period         TEXT NOT NULL CHECK (period = 'tahunan' OR period GLOB 'Q[1-4]' OR
                   (period GLOB '[01][0-9]' AND period BETWEEN '01' AND '12')),
  hasil_kerja    TEXT NOT NULL CHECK (hasil_kerja IN ('di_atas', 'sesuai', 'di_bawah')),
  perilaku_kerja TEXT NOT NULL CHECK (perilaku_kerja IN ('di_atas', 'sesuai', 'di_bawah')),
  assessed_on    TEXT CHECK (assessed_on IS NULL OR date(assessed_on) IS assessed_on),
  assessor_nip   TEXT CHECK (assessor_nip IS NULL OR (length(assessor_nip) = 18 AND assessor_nip NOT GLOB '*[^0-9]*')),
  assessor_name  TEXT CHECK (assessor_name IS NULL OR length(assessor_name) <= 200),
  predicate      TEXT GENERATED ALWAYS AS (CASE
                   WHEN perilaku_kerja = 'di_bawah' THEN
                     CASE WHEN hasil_kerja = 'di_bawah' THEN 'sangat_kurang' ELSE 'kurang' END
                   WHEN hasil_kerja = 'di_bawah' THEN 'butuh_perbaikan'
                   WHEN hasil_kerja = 'di_atas' AND perilaku_kerja = 'di_atas' THEN 'sangat_baik'
                   ELSE 'baik' END) VIRTUAL
);
CREATE INDEX skp_by_employee ON skp_assessment(employee_id);
CREATE INDEX skp_by_office_year ON skp_assessment(office_id, year);

INSERT INTO sync_column(tbl, col, since) VALUES
  ('employee', 'email', 2), ('training', 'cost_planned', 2), ('training', 'cost_actual', 2),
  ('training', 'funding_source', 2), ('skp_assessment', '', 2);
-- pragma_table_info leaves out generated columns: the predicate is not replicated.
INSERT INTO sync_column(tbl, col, since)
  SELECT 'skp_assessment', name, 2 FROM pragma_table_info('skp_assessment') WHERE name <> 'id' ORDER BY cid;
