-- 0006_applied_batch_refused: the rows refused in the last batch applied per
-- device, repeated when its acknowledgement was lost (PostgreSQL).
ALTER TABLE applied_batch ADD COLUMN refused TEXT NOT NULL DEFAULT '[]';  -- JSON [{"t","id","col","why","code"}]
