/* queue_officers URL TOKENS-FILE SECONDS: the review-queue benchmark of
 * tools/bench.d/queue.sh. One thread per officer token (one a line), each
 * on its own kept-alive connection, loops POST /v1/queue/claim -> POST
 * /v1/applications/{id}/decision (approve: one pass per plate) for SECONDS.
 * A decision counts only when it answered 200. Prints one line:
 *   decisions=N seconds=S rate=R cycle_p50_ms= cycle_p99_ms= claim_p50_ms=
 *   claim_p99_ms= decide_p50_ms= decide_p99_ms= errors=E empty=Z
 * where a cycle is claim + decision, errors counts answers other than 200
 * (and 204 to a claim) and failed transfers, and empty counts claims that
 * found the queue empty (204): the set-up made too few applications. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_OFFICERS 64
#define MAX_SAMPLES 400000

struct buf {
    char data[16384];
    size_t len;
};

struct officer {
    pthread_t thread;
    char auth[320];
    long decisions, errors, empty;
    double *cycle, *claim, *decide; /* milliseconds */
    long ncycle, nclaim, ndecide;
};

static const char *url;
static double deadline;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    size_t len = size * n, room = sizeof(b->data) - 1 - b->len;
    memcpy(b->data + b->len, p, len < room ? len : room);
    b->len += len < room ? len : room;
    b->data[b->len] = '\0';
    return len;
}

/* POSTs body to path; the status, or 0 when the transfer failed. */
static long post(CURL *c, struct curl_slist *headers, const char *path, const char *body,
                 struct buf *out)
{
    char full[512];
    snprintf(full, sizeof(full), "%s%s", url, path);
    out->len = 0;
    out->data[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, full);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    long status = 0;
    if (curl_easy_perform(c) != CURLE_OK)
        return 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static void *run(void *arg)
{
    struct officer *o = arg;
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, o->auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    struct buf *out = malloc(sizeof(*out));
    while (now() < deadline) {
        double t0 = now();
        long st = post(c, h, "/v1/queue/claim", "", out);
        double t1 = now();
        if (o->nclaim < MAX_SAMPLES)
            o->claim[o->nclaim++] = (t1 - t0) * 1e3;
        if (st == 204) {
            o->empty++;
            continue;
        }
        const char *id = st == 200 ? strstr(out->data, "\"id\":\"") : NULL;
        if (!id) {
            o->errors++;
            continue;
        }
        char path[128];
        snprintf(path, sizeof(path), "/v1/applications/%.36s/decision", id + 6);
        st = post(c, h, path, "{\"decision\":\"approve\",\"reason\":\"bench\"}", out);
        double t2 = now();
        if (o->ndecide < MAX_SAMPLES)
            o->decide[o->ndecide++] = (t2 - t1) * 1e3;
        if (st != 200) {
            o->errors++;
            continue;
        }
        o->decisions++;
        if (o->ncycle < MAX_SAMPLES)
            o->cycle[o->ncycle++] = (t2 - t0) * 1e3;
    }
    free(out);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of n samples (sorts them), in ms; 0 without samples. */
static double pct(double *all, long n, double q)
{
    if (n == 0)
        return 0;
    qsort(all, (size_t)n, sizeof(*all), cmp);
    long i = (long)(q * (double)(n - 1) + 0.5);
    return all[i];
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: queue_officers URL TOKENS-FILE SECONDS\n");
        return 2;
    }
    url = argv[1];
    double seconds = atof(argv[3]);
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    static struct officer os[MAX_OFFICERS];
    int n = 0;
    char line[256];
    while (n < MAX_OFFICERS && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        snprintf(os[n].auth, sizeof(os[n].auth), "Authorization: Bearer %s", line);
        os[n].cycle = malloc(MAX_SAMPLES * sizeof(double));
        os[n].claim = malloc(MAX_SAMPLES * sizeof(double));
        os[n].decide = malloc(MAX_SAMPLES * sizeof(double));
        n++;
    }
    fclose(f);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    double start = now();
    deadline = start + seconds;
    for (int i = 0; i < n; i++)
        pthread_create(&os[i].thread, NULL, run, &os[i]);
    for (int i = 0; i < n; i++)
        pthread_join(os[i].thread, NULL);
    double took = now() - start;
    long decisions = 0, errors = 0, empty = 0, nc = 0, ncl = 0, nd = 0;
    for (int i = 0; i < n; i++) {
        decisions += os[i].decisions;
        errors += os[i].errors;
        empty += os[i].empty;
        nc += os[i].ncycle;
        ncl += os[i].nclaim;
        nd += os[i].ndecide;
    }
    double *cy = malloc((size_t)(nc + 1) * sizeof(double));
    double *cl = malloc((size_t)(ncl + 1) * sizeof(double));
    double *de = malloc((size_t)(nd + 1) * sizeof(double));
    long a = 0, b = 0, c = 0;
    for (int i = 0; i < n; i++) {
        memcpy(cy + a, os[i].cycle, (size_t)os[i].ncycle * sizeof(double));
        memcpy(cl + b, os[i].claim, (size_t)os[i].nclaim * sizeof(double));
        memcpy(de + c, os[i].decide, (size_t)os[i].ndecide * sizeof(double));
        a += os[i].ncycle;
        b += os[i].nclaim;
        c += os[i].ndecide;
    }
    printf("officers=%d decisions=%ld seconds=%.2f rate=%.1f cycle_p50_ms=%.2f cycle_p99_ms=%.2f "
           "claim_p50_ms=%.2f claim_p99_ms=%.2f decide_p50_ms=%.2f decide_p99_ms=%.2f "
           "errors=%ld empty=%ld\n",
           n, decisions, took, (double)decisions / took, pct(cy, nc, 0.5), pct(cy, nc, 0.99),
           pct(cl, ncl, 0.5), pct(cl, ncl, 0.99), pct(de, nd, 0.5), pct(de, nd, 0.99), errors,
           empty);
    curl_global_cleanup();
    return 0;
}
