-- The claim walks applications_open from its head (src/db/queue.c). A
-- status change cannot be a HOT update, since the index's predicate reads
-- the status, so every application decided leaves a dead entry at the head
-- of that index until a vacuum removes it, and every claim steps over all
-- of them: 10,330 of them cost a claim 78 buffer reads where 5 do after a
-- vacuum (BENCHMARKS.md, "Claim + decide: where a decision's CPU goes").
-- Autovacuum's default waits until a fifth of the table is dead, which in a
-- queue of a million applications is 200,000 entries to step over on each
-- claim. This table is vacuumed after a hundredth instead, and at least
-- 1,000 rows (docs/deployment.md: how often autovacuum looks at all).
ALTER TABLE applications SET (autovacuum_vacuum_scale_factor = 0.01,
                              autovacuum_vacuum_threshold = 1000);
