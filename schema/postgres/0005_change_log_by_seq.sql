-- 0005_change_log_by_seq: the change log keyed by its feed position (PostgreSQL).
-- As in SQLite: a new table, the entries copied, the old one dropped. The
-- new table's indexes (so its constraints) are renamed after the table.
CREATE TABLE change_log_v5 (
  seq    BIGINT PRIMARY KEY,   -- position in this replica's change feed (max of the cells' seq)
  row_id TEXT NOT NULL UNIQUE,
  tbl    TEXT NOT NULL,        -- the replicated table of the row
  cells  BYTEA NOT NULL        -- 40 bytes per cell, in sync_column order of the table
);
INSERT INTO change_log_v5(seq, row_id, tbl, cells) SELECT seq, row_id, tbl, cells FROM change_log ORDER BY seq;
DROP TABLE change_log;
ALTER TABLE change_log_v5 RENAME TO change_log;
ALTER INDEX change_log_v5_pkey RENAME TO change_log_pkey;
ALTER INDEX change_log_v5_row_id_key RENAME TO change_log_row_id_key;
