/* Request metrics. One mutex: an increment costs less than the syscalls
 * around it, and the numbers stay consistent with each other. */
#include "haulpass/metrics.h"

#include "haulpass/arena.h"
#include "haulpass/router.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 128
#define MAX_STATUSES 16

static const double buckets_s[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define NBUCKETS (sizeof(buckets_s) / sizeof(buckets_s[0]))

struct route_stats {
    int statuses[MAX_STATUSES];
    uint64_t counts[MAX_STATUSES];
    uint64_t hist[NBUCKETS + 1];
    double sum_s;
    uint64_t total;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_stats stats[MAX_ROUTES + 1]; /* last: unmatched */

/* What signing pass codes adds to a decision (src/db/queue.c): its bound
 * is 1 ms at p99 (docs/pass-code.md), so the buckets are finer below it. */
static const double signing_buckets_s[] = {0.0001, 0.00025, 0.0005, 0.00075, 0.001,
                                           0.0025, 0.005,   0.01,   0.1};
#define NSIGNING (sizeof(signing_buckets_s) / sizeof(signing_buckets_s[0]))
struct signing_stats {
    uint64_t hist[NSIGNING + 1];
    double sum_s;
    uint64_t total;
};
static struct signing_stats signing;

void hp_metrics_signing(int64_t micros)
{
    double s = (double)micros / 1e6;
    size_t b = 0;
    while (b < NSIGNING && s > signing_buckets_s[b])
        b++;
    pthread_mutex_lock(&lock);
    signing.hist[b]++;
    signing.sum_s += s;
    signing.total++;
    pthread_mutex_unlock(&lock);
}

void hp_metrics_record(int route_index, int status, int64_t micros)
{
    int r = route_index >= 0 && route_index < MAX_ROUTES ? route_index : MAX_ROUTES;
    double s = (double)micros / 1e6;
    pthread_mutex_lock(&lock);
    struct route_stats *st = &stats[r];
    for (int i = 0; i < MAX_STATUSES; i++) {
        if (st->statuses[i] == status || st->statuses[i] == 0) {
            st->statuses[i] = status;
            st->counts[i]++;
            break;
        }
    }
    size_t b = 0;
    while (b < NBUCKETS && s > buckets_s[b])
        b++;
    st->hist[b]++;
    st->sum_s += s;
    st->total++;
    pthread_mutex_unlock(&lock);
}

struct out {
    char *buf;
    size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = o->cap * 2 + (size_t)(n > 0 ? n : 0);
        char *nb = realloc(o->buf, cap);
        if (!nb)
            abort();
        o->buf = nb;
        o->cap = cap;
    }
}

char *hp_metrics_render(struct hp_arena *arena, const struct hp_route *routes)
{
    struct out o = {malloc(4096), 0, 4096};
    if (!o.buf)
        abort();
    o.buf[0] = '\0';
    int nroutes = 0;
    while (routes[nroutes].pattern && nroutes < MAX_ROUTES)
        nroutes++;
    static struct route_stats copy[MAX_ROUTES + 1];
    static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&render_lock);
    pthread_mutex_lock(&lock);
    memcpy(copy, stats, sizeof(stats));
    struct signing_stats signed_copy = signing;
    pthread_mutex_unlock(&lock);

    put(&o, "# HELP haulpass_http_requests_total HTTP requests by route and status.\n"
            "# TYPE haulpass_http_requests_total counter\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if (r >= nroutes && r != MAX_ROUTES)
            continue;
        const char *name = r == MAX_ROUTES ? "unmatched" : routes[r].pattern;
        const char *method = r == MAX_ROUTES ? "" : hp_router_allow_header(arena, routes[r].method);
        for (int i = 0; i < MAX_STATUSES && copy[r].statuses[i]; i++)
            put(&o, "haulpass_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                method, name, copy[r].statuses[i], (unsigned long long)copy[r].counts[i]);
    }
    put(&o, "# HELP haulpass_http_request_duration_seconds Time from the first byte of a request to its completion.\n"
            "# TYPE haulpass_http_request_duration_seconds histogram\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if ((r >= nroutes && r != MAX_ROUTES) || !copy[r].total)
            continue;
        const char *name = r == MAX_ROUTES ? "unmatched" : routes[r].pattern;
        const char *method = r == MAX_ROUTES ? "" : hp_router_allow_header(arena, routes[r].method);
        uint64_t cum = 0;
        for (size_t b = 0; b <= NBUCKETS; b++) {
            cum += copy[r].hist[b];
            if (b < NBUCKETS)
                put(&o, "haulpass_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
                    method, name, buckets_s[b], (unsigned long long)cum);
            else
                put(&o, "haulpass_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
                    method, name, (unsigned long long)cum);
        }
        put(&o, "haulpass_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
            method, name, copy[r].sum_s);
        put(&o, "haulpass_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
            method, name, (unsigned long long)copy[r].total);
    }
    put(&o, "# HELP haulpass_pass_signing_seconds Time signing pass codes adds to a decision.\n"
            "# TYPE haulpass_pass_signing_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b < NSIGNING; b++) {
        cum += signed_copy.hist[b];
        put(&o, "haulpass_pass_signing_seconds_bucket{le=\"%g\"} %llu\n", signing_buckets_s[b],
            (unsigned long long)cum);
    }
    put(&o, "haulpass_pass_signing_seconds_bucket{le=\"+Inf\"} %llu\n"
            "haulpass_pass_signing_seconds_sum %.6f\n"
            "haulpass_pass_signing_seconds_count %llu\n",
        (unsigned long long)signed_copy.total, signed_copy.sum_s,
        (unsigned long long)signed_copy.total);
    pthread_mutex_unlock(&render_lock);
    return hp_arena_defer(arena, free, o.buf);
}
