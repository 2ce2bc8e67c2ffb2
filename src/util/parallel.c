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
    int nthreads;
    bool stopping;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};

static void run_parts(struct job *j)
{
    int part;
    while ((part = atomic_fetch_add(&j->next, 1)) < j->nparts)
        j->fn(j->ctx, part);
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
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        struct job *j;
        while (!(j = job_with_parts()) && !pool.stopping)
            pthread_cond_wait(&pool.work, &pool.lock);
        if (!j)
            break;
        j->active++;
        pthread_mutex_unlock(&pool.lock);
        run_parts(j);
        pthread_mutex_lock(&pool.lock);
        if (--j->active == 0)
            pthread_cond_broadcast(&pool.left);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

bool hp_parallel_start(int helpers)
{
    if (helpers <= 0)
        return true;
    pool.threads = calloc((size_t)helpers, sizeof(*pool.threads));
    if (!pool.threads)
        return false;
    pool.stopping = false;
    for (int i = 0; i < helpers; i++) {
        if (pthread_create(&pool.threads[i], NULL, helper, NULL) != 0) {
            hp_parallel_stop();
            return false;
        }
        pool.nthreads++;
    }
    return true;
}

void hp_parallel_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    free(pool.threads);
    pool.threads = NULL;
    pool.nthreads = 0;
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
    struct job j = {.fn = fn, .ctx = ctx, .nparts = nparts};
    atomic_init(&j.next, 0);
    /* Not worth a helper's wake-up: one part, or no helpers. The count is
     * read without the lock: it changes only at start and stop, which no
     * request overlaps. */
    if (nparts <= 1 || pool.nthreads == 0) {
        run_parts(&j);
        return;
    }
    pthread_mutex_lock(&pool.lock);
    j.later = pool.jobs;
    pool.jobs = &j;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    run_parts(&j);
    /* Every part is claimed now; wait for the ones helpers still run. */
    pthread_mutex_lock(&pool.lock);
    unlist(&j);
    while (j.active > 0)
        pthread_cond_wait(&pool.left, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
}
