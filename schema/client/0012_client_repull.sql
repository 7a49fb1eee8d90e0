-- 0012_client_repull: after the move to wire schema 2 (0011), fetch again
-- what the server left out while this device spoke wire schema 1 (the new
-- columns of rows it already had, the rows of the new tables). The next
-- sync pulls everything from the start as a snapshot (sync/PROTOCOL.md §8),
-- resumable like any pull; the rows it leaves here are only those the
-- server deleted and forgot meanwhile, never a row with unpushed changes
-- nor one the server refused. A device that never pulled has nothing to
-- fetch again.
UPDATE snapshot_state SET active = 1 WHERE EXISTS (SELECT 1 FROM replica WHERE pull_cursor > 0);
DELETE FROM snapshot_seen;
UPDATE replica SET pull_cursor = 0;
