-- 0008_evaluation_scores: a covering index for the central trainings report (PostgreSQL).
-- Index-only scans here also need the visibility map set (autovacuum).
CREATE INDEX evaluation_scores ON evaluation(training_id, kind, employee_id, score);
