/* A bounded ring of jobs and the threads that take them (workers.h). */
#include "haulpass/workers.h"

#include "haulpass/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
    hp_work_fn fn;
    void *arg;
};

struct hp_workers {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    struct job *ring;
    int cap, head, queued; /* jobs pushed and not yet taken */
    int reserved;          /* places promised by hp_workers_reserve */
    int busy;
    bool stopping;
    pthread_t *threads;
    int nthreads;
};

static void *work(void *p)
{
    struct hp_workers *w = p;
    /* Every thread of the service is named for its job (top -H, ps -L, perf). */
    pthread_setname_np(pthread_self(), "hp-db-worker");
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->queued && !w->stopping)
            pthread_cond_wait(&w->ready, &w->mu);
        if (!w->queued)
            break; /* stopping, and nothing left to run */
        struct job j = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->queued--;
        w->reserved--;
        w->busy++;
        pthread_mutex_unlock(&w->mu);
        j.fn(j.arg);
        pthread_mutex_lock(&w->mu);
        w->busy--;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct hp_workers *hp_workers_start(int nthreads, int queue_cap)
{
    struct hp_workers *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->ready, NULL);
    w->cap = queue_cap;
    w->ring = calloc((size_t)queue_cap, sizeof(*w->ring));
    w->threads = calloc((size_t)nthreads, sizeof(*w->threads));
    if (!w->ring || !w->threads) {
        hp_workers_stop(w);
        return NULL;
    }
    for (; w->nthreads < nthreads; w->nthreads++) {
        if (pthread_create(&w->threads[w->nthreads], NULL, work, w) != 0) {
            hp_log(HP_LOG_ERROR, "cannot start a database worker", NULL);
            hp_workers_stop(w);
            return NULL;
        }
    }
    return w;
}

bool hp_workers_reserve(struct hp_workers *w)
{
    pthread_mutex_lock(&w->mu);
    bool ok = !w->stopping && w->reserved < w->cap;
    if (ok)
        w->reserved++;
    pthread_mutex_unlock(&w->mu);
    return ok;
}

void hp_workers_push(struct hp_workers *w, hp_work_fn fn, void *arg)
{
    pthread_mutex_lock(&w->mu);
    w->ring[(w->head + w->queued) % w->cap] = (struct job){fn, arg};
    w->queued++;
    pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->mu);
}

void hp_workers_usage(struct hp_workers *w, int *busy, int *waiting, int *threads,
                      int *capacity)
{
    pthread_mutex_lock(&w->mu);
    *busy = w->busy;
    *waiting = w->queued;
    *threads = w->nthreads;
    *capacity = w->cap;
    pthread_mutex_unlock(&w->mu);
}

void hp_workers_stop(struct hp_workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_broadcast(&w->ready);
    pthread_mutex_unlock(&w->mu);
    for (int i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    pthread_cond_destroy(&w->ready);
    pthread_mutex_destroy(&w->mu);
    free(w->threads);
    free(w->ring);
    free(w);
}
