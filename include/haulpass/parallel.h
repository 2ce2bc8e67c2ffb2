/*
 * Parallel parts of one request's CPU work, for the work that splits: a
 * batch of a thousand sightings is a thousand checks that share nothing
 * but the snapshot they read. The helper threads exist once, for the whole
 * process; a request never waits for one to be free. Its own thread takes
 * every part no helper has taken yet, so with every helper busy elsewhere
 * the request runs as it would alone; it waits only for the parts a helper
 * has begun (at most one each, so a part should be short). On an idle
 * machine a batch takes about as long as its share of the cores.
 */
#ifndef HAULPASS_PARALLEL_H
#define HAULPASS_PARALLEL_H

#include <stdbool.h>

/* Starts the helpers (none: every part runs on the caller's thread, as it
 * does before a start). False when a thread cannot be made (the helpers
 * made so far are stopped again) or the helpers run already: there is one
 * set a process. */
bool hp_parallel_start(int helpers);

/* Stops and joins the helpers. A caller still in hp_parallel_for runs its
 * remaining parts itself; the caller of this rules out new ones (the
 * server stops its network threads first). */
void hp_parallel_stop(void);

/* The helpers running, and the parts of shared calls (more than one part,
 * with helpers running) run so far by their callers and by helpers (for
 * /metrics). */
void hp_parallel_counts(int *helpers, long long *by_caller, long long *by_helpers);

/* Runs fn(ctx, part) once for each part in 0 .. nparts - 1, on this thread
 * and on idle helpers, and returns when every part has returned. Parts may
 * run in any order and at the same time: fn writes only what its part
 * owns. */
typedef void (*hp_parallel_fn)(void *ctx, int part);
void hp_parallel_for(int nparts, hp_parallel_fn fn, void *ctx);

#endif
