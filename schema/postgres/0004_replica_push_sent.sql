-- 0004_replica_push_sent: the highest local seq that may have reached the
-- server without an acknowledgement (0 on the server) (PostgreSQL).
ALTER TABLE replica ADD COLUMN push_sent BIGINT NOT NULL DEFAULT 0;
