-- 0006_applied_batch_refused: the rows refused in the last batch applied per
-- device, so that when its acknowledgement is lost (a cut) the answer to a
-- resend, or the `applied` of the next session's first answer, repeats them
-- (sync/PROTOCOL.md §4): a refused row is never taken for accepted.
ALTER TABLE applied_batch ADD COLUMN refused TEXT NOT NULL DEFAULT '[]';  -- JSON [{"t","id","col","why","code"}]
