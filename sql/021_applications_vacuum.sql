-- The claim walks applications_open from its head (src/db/queue.c). A
-- change of status is never a HOT update, since the index's predicate
-- reads the status, so every claim and every decision leaves a dead entry
-- in that index, near its head, until a vacuum removes it, and every claim
-- steps over all of them: 10,330 dead rows cost a claim 78 buffer reads
-- where 5 do after a vacuum (BENCHMARKS.md, "Claim + decide: where a
-- decision's CPU goes"). Autovacuum's default waits for 50 rows and a
-- fifth of the table: 200,000 dead entries in a table of a million
-- applications. This one is vacuumed after 1,000 rows and a hundredth
-- (docs/deployment.md: how often autovacuum looks at all).
ALTER TABLE applications SET (autovacuum_vacuum_scale_factor = 0.01,
                              autovacuum_vacuum_threshold = 1000);
