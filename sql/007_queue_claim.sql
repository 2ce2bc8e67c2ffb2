-- The review queue's claim walks indexes in claim order and stops at the
-- first row it can lock (src/db/queue.c), instead of sorting every open
-- application: at 40,000 open ones the sort cost 75-100 ms a claim. This
-- index serves the first step, the caller's own projects' fast track, in
-- due order; applications_open (004) serves the rest.
CREATE INDEX applications_open_project ON applications (project_id, due_at, submitted_at, id)
    WHERE status IN ('queued', 'in_review') AND fast_track;
