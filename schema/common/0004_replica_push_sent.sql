-- 0004_replica_push_sent: the highest local seq that may have reached the
-- server without an acknowledgement (set when a client session starts
-- pushing; 0 on the server). Re-stamping never moves such a cell's version
-- down, and a local write over such a cell takes it as its base: the server
-- may hold that version already (sync/PROTOCOL.md §3).
ALTER TABLE replica ADD COLUMN push_sent INTEGER NOT NULL DEFAULT 0;
