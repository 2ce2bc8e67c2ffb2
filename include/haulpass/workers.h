/*
 * The database workers: a fixed set of threads that run the requests which
 * wait on PostgreSQL, fed through a bounded hand-off queue so that the
 * network threads never wait themselves. Bounded on purpose: when every
 * worker is busy and the queue is full, hp_workers_reserve says no and the
 * caller answers 503 at once instead of letting work pile up without limit.
 */
#ifndef HAULPASS_WORKERS_H
#define HAULPASS_WORKERS_H

#include <stdbool.h>

struct hp_workers;

typedef void (*hp_work_fn)(void *arg);

/* Starts nthreads workers with room for queue_cap waiting jobs; NULL (with a
 * log line) when threads cannot be made. */
struct hp_workers *hp_workers_start(int nthreads, int queue_cap);

/* Takes one place in the queue; false when the queue is full. A reserved
 * place must be used by exactly one hp_workers_push. Why two steps: the
 * caller suspends the connection between them, so that the worker cannot
 * resume it before it was suspended. */
bool hp_workers_reserve(struct hp_workers *w);
void hp_workers_push(struct hp_workers *w, hp_work_fn fn, void *arg);

/* Jobs running and waiting, for /metrics. */
void hp_workers_usage(struct hp_workers *w, int *busy, int *waiting, int *threads,
                      int *capacity);

/* Runs what is queued, then joins the threads and frees w (NULL: nothing). */
void hp_workers_stop(struct hp_workers *w);

#endif
