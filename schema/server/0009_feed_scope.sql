-- 0009_feed_scope: which office's devices each change-log entry is for, so
-- that a device's pull reads only its office's entries (and those for
-- everyone) by index instead of passing over every other office's: with
-- 1,000 devices each pull used to examine the whole city's feed
-- (sync/PROTOCOL.md §9). Written at each server commit from the row's
-- owners (scope.h); office '*' = any office may read it (global rows, rows
-- whose owners were not known yet). A pull still checks every row it sends
-- against the scope rules; this table only narrows what it reads. Entries
-- whose seq is no longer the row's are ignored (the join on seq).
CREATE TABLE feed_scope (
  row_id TEXT NOT NULL,
  office TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (row_id, office)
) WITHOUT ROWID;
CREATE INDEX feed_scope_by_office ON feed_scope(office, seq);
-- Entries from before this table: readable by any office (the pull's scope
-- check decides, as before).
INSERT INTO feed_scope(row_id, office, seq) SELECT row_id, '*', seq FROM change_log;
