/* Helper threads that share the parts of one request (parallel.h). */
#include "haulpass/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* One hp_parallel_for, on its caller's stack. Parts are claimed through
 * next; a helper counts itself in active under the pool's lock while the
 * job is still listed, so once the caller has unlisted it and active is 0
 * no helper touches it again. */
struct job {
    hp_parallel_fn fn;
    void *ctx;
    int nparts;
    atomic_int next;
    int active;
    struct job *later; /* the list of jobs with parts to share */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work;  /* a job was listed, or stop */
    pthread_cond_t left;  /* a helper left a job */
    struct job *jobs;
    pthread_t *threads;
    atomic_int nthreads;  /* read unlocked by hp_parallel_for */
    bool stopping;
    atomic_llong parts[2]; /* of shared jobs: run by the caller, by a helper */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};

static void run_parts(struct job *j, bool helper)
{
    int part;
    while ((part = atomic_fetch_add(&j->next, 1)) < j->nparts) {
        j->fn(j->ctx, part);
        atomic_fetch_add(&pool.parts[helper], 1);
    }
}

/* The first listed job with a part nobody has claimed; NULL when none. */
static struct job *job_with_parts(void)
{
    for (struct job *j = pool.jobs; j; j = j->later)
        if (atomic_load(&j->next) < j->nparts)
            return j;
    return NULL;
}

static void *helper(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "hp-batch-helper");
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        struct job *j;
        while (!(j = job_with_parts()) && !pool.stopping)
            pthread_cond_wait(&pool.work, &pool.lock);
        if (!j)
            break;
        j->active++;
        pthread_mutex_unlock(&pool.lock);
        run_parts(j, true);
        pthread_mutex_lock(&pool.lock);
        if (--j->active == 0)
            pthread_cond_broadcast(&pool.left);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

bool hp_parallel_start(int helpers)
{
    pthread_t *threads = helpers > 0 ? calloc((size_t)helpers, sizeof(*threads)) : NULL;
    if (helpers > 0 && !threads)
        return false;
    /* Checked and taken at once: one pool a process, a second start is a
     * mistake. */
    pthread_mutex_lock(&pool.lock);
    bool running = pool.threads != NULL;
    if (!running) {
        pool.stopping = false;
        pool.threads = threads;
    }
    pthread_mutex_unlock(&pool.lock);
    if (running) {
        free(threads);
        return false;
    }
    for (int i = 0; i < helpers; i++) {
        if (pthread_create(&pool.threads[i], NULL, helper, NULL) != 0) {
            hp_parallel_stop();
            return false;
        }
        atomic_fetch_add(&pool.nthreads, 1);
    }
    return true;
}

void hp_parallel_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    int n = atomic_load(&pool.nthreads);
    for (int i = 0; i < n; i++)
        pthread_join(pool.threads[i], NULL);
    pthread_mutex_lock(&pool.lock);
    atomic_store(&pool.nthreads, 0);
    free(pool.threads);
    pool.threads = NULL;
    pthread_mutex_unlock(&pool.lock);
}

void hp_parallel_counts(int *helpers, long long *by_caller, long long *by_helpers)
{
    *helpers = atomic_load(&pool.nthreads);
    *by_caller = atomic_load(&pool.parts[0]);
    *by_helpers = atomic_load(&pool.parts[1]);
}

static void unlist(struct job *j)
{
    for (struct job **at = &pool.jobs; *at; at = &(*at)->later)
        if (*at == j) {
            *at = j->later;
            return;
        }
}

void hp_parallel_for(int nparts, hp_parallel_fn fn, void *ctx)
{
    /* Not worth a helper's wake-up: one part (a single sighting, the
     * usual request), or no helpers (a stop under way leaves every part to
     * the caller, which is as correct). Nothing shared is touched then. */
    int helpers = atomic_load(&pool.nthreads);
    if (nparts <= 1 || helpers == 0) {
        for (int part = 0; part < nparts; part++)
            fn(ctx, part);
        return;
    }
    struct job j = {.fn = fn, .ctx = ctx, .nparts = nparts};
    atomic_init(&j.next, 0);
    pthread_mutex_lock(&pool.lock);
    j.later = pool.jobs;
    pool.jobs = &j;
    /* As many helpers as there are parts besides the caller's first. */
    for (int k = 1; k < nparts && k <= helpers; k++)
        pthread_cond_signal(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    run_parts(&j, false);
    /* Every part is claimed now; wait for the ones helpers still run. */
    pthread_mutex_lock(&pool.lock);
    unlist(&j);
    while (j.active > 0)
        pthread_cond_wait(&pool.left, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
}
