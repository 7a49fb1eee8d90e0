-- 0005_change_log_by_seq: the change log keyed by its feed position.
-- 0001 kept each entry (about 400 bytes for an attendance row) in a b-tree
-- ordered by the row's random UUID, so a batch of N new rows dirtied about N
-- pages of it, each written to the WAL at commit: a third of the server's
-- push time at 100,000 rows. Keyed by seq, new and moved entries go to the
-- end of the table; only the small row_id index takes random inserts, and a
-- feed read (seq > cursor) walks the table itself instead of an index.
CREATE TABLE change_log_v5 (
  seq    INTEGER PRIMARY KEY,   -- position in this replica's change feed (max of the cells' seq)
  row_id TEXT NOT NULL UNIQUE,
  tbl    TEXT NOT NULL,         -- the replicated table of the row
  cells  BLOB NOT NULL          -- 40 bytes per cell, in sync_column order of the table
);
INSERT INTO change_log_v5(seq, row_id, tbl, cells) SELECT seq, row_id, tbl, cells FROM change_log ORDER BY seq;
DROP TABLE change_log;
ALTER TABLE change_log_v5 RENAME TO change_log;
