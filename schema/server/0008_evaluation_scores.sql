-- 0008_evaluation_scores: a covering index for the central trainings report
-- (docs/REPORTS.md): its test and reaction means per training, and the
-- pre/post pairs (a post-test found by training, kind and employee), read
-- from the index alone. A city has hundreds of thousands of evaluations.
CREATE INDEX evaluation_scores ON evaluation(training_id, kind, employee_id, score);
