/* The rendered public feed, one body per format (and its gzip), kept until a snapshot of
 * other zones or another calendar comes (public_feed.h). */
#include "haulpass/public_feed.h"

#include "haulpass/brotli.h"
#include "haulpass/check_feed.h"
#include "haulpass/gzip.h"
#include "haulpass/log.h"
#include "haulpass/snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct hp_public_body *cached[HP_PUBLIC_FORMATS];

static const char etag_prefix[HP_PUBLIC_FORMATS] = {'g', 'd'};

void hp_public_body_unref(struct hp_public_body *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        free(b->data);
        free(b->gzip);
        free(atomic_load(&b->br));
        free(b);
    }
}

static struct hp_public_body *render(enum hp_public_format f, const struct hp_snapshot *s,
                                     const char *tz, time_t previous)
{
    struct hp_public_body *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->data = f == HP_PUBLIC_DATEX2 ? hp_public_datex2(s, &b->len)
                                    : hp_public_geojson(s, tz, NULL, &b->len);
    if (!b->data) {
        free(b);
        return NULL;
    }
    atomic_init(&b->refs, 1);
    b->version = s->version;
    snprintf(b->etag, sizeof(b->etag), "%c-%lld", etag_prefix[f], (long long)s->version);
    snprintf(b->gzip_etag, sizeof(b->gzip_etag), "%s-gz", b->etag);
    snprintf(b->br_etag, sizeof(b->br_etag), "%s-br", b->etag);
    /* Once per zone set; zlib's default level 6, not 9: every feed
     * request waits under the cache's lock while the first one after a
     * change renders, and level 9 took twice as long for 1 % fewer bytes
     * (docs/open-data.md). */
    b->gzip = hp_gzip(b->data, b->len, &b->gzip_len);
    /* Last-Modified: when this body was made, rounded up, and always later
     * than the body it replaces. Not the newest zone's change: a retired
     * last zone or a new holiday changes the feed without one, and two
     * changes within one second must not share a date (a client that
     * sends If-Modified-Since would get a 304 for the second). */
    b->modified = time(NULL) + 1;
    if (b->modified <= previous)
        b->modified = previous + 1;
    struct tm tm;
    gmtime_r(&b->modified, &tm);
    strftime(b->last_modified, sizeof(b->last_modified), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return b;
}

const unsigned char *hp_public_body_br(struct hp_public_body *b, size_t *len)
{
    /* The length was written before the pointer was published. */
    const unsigned char *br = atomic_load_explicit(&b->br, memory_order_acquire);
    *len = br ? b->br_len : 0;
    return br;
}

/* Brotli at its best quality takes seconds for a city's feed (2.6 s for
 * the 1.5 MB of the benchmark's 1,000 zones): too long for the request
 * that renders, whose feed readers wait under the lock. So one thread of
 * its own, started with the first body and at a lower priority than the
 * requests, compresses the newest body of each format, and replies send
 * gzip until it is there. A body replaced before its turn is dropped
 * from waiting (compress_later); the formats take turns, so that one
 * changing often cannot starve the other. */
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct hp_public_body *waiting[HP_PUBLIC_FORMATS];
static bool compressor_started;

static void *compress_bodies(void *unused)
{
    (void)unused;
    pthread_setname_np(pthread_self(), "hp-feed-brotli");
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
        hp_log(HP_LOG_WARN, "the public feed's brotli runs at the requests' priority",
               "error", strerror(errno), NULL);
    int next = 0;
    pthread_mutex_lock(&lock);
    for (;;) {
        struct hp_public_body *b = NULL;
        for (int i = 0; !b && i < HP_PUBLIC_FORMATS; i++) {
            int f = (next + i) % HP_PUBLIC_FORMATS;
            b = waiting[f];
            waiting[f] = NULL;
            if (b)
                next = f + 1;
        }
        if (!b) {
            pthread_cond_wait(&wake, &lock);
            continue;
        }
        pthread_mutex_unlock(&lock);
        size_t n = 0;
        unsigned char *br = hp_brotli(b->data, b->len, &n);
        if (br) {
            b->br_len = n;
            atomic_store_explicit(&b->br, br, memory_order_release);
        }
        hp_public_body_unref(b);
        pthread_mutex_lock(&lock);
    }
    return NULL;
}

/* Hands fresh, the new body of f, to the compressor (under the lock). */
static void compress_later(enum hp_public_format f, struct hp_public_body *fresh)
{
    if (!compressor_started) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        compressor_started = pthread_create(&t, &attr, compress_bodies, NULL) == 0;
        pthread_attr_destroy(&attr);
        if (!compressor_started) {
            hp_log(HP_LOG_WARN, "no brotli for the public feed: cannot start its thread", NULL);
            return;
        }
    }
    atomic_fetch_add(&fresh->refs, 1);
    hp_public_body_unref(waiting[f]);
    waiting[f] = fresh;
    pthread_cond_signal(&wake);
}

/* The body of f for snapshot s (a full one, not a delta), rendered if the
 * cached one shows another; a new reference, or NULL. */
static struct hp_public_body *get_for(enum hp_public_format f, const struct hp_snapshot *s,
                                      const char *tz)
{
    pthread_mutex_lock(&lock);
    struct hp_public_body *b = cached[f];
    if (!b || b->version != s->version) {
        /* Rendering under the lock: the others asking meanwhile wait for
         * this one rather than each render the same text. */
        struct hp_public_body *fresh = render(f, s, tz, b ? b->modified : 0);
        if (fresh) {
            hp_public_body_unref(b);
            b = cached[f] = fresh;
            compress_later(f, fresh);
        } else {
            b = NULL;
        }
    }
    if (b)
        atomic_fetch_add(&b->refs, 1);
    pthread_mutex_unlock(&lock);
    return b;
}

struct hp_public_body *hp_public_feed_get(enum hp_public_format f, const char *tz)
{
    struct hp_snapshot *cur = hp_check_feed_current();
    if (!cur)
        return NULL;
    /* A delta shows the zones and calendar of its base. */
    struct hp_public_body *b = get_for(f, cur->base ? cur->base : cur, tz);
    hp_snapshot_unref(cur);
    return b;
}

struct hp_public_body *hp_public_feed_bbox(const char *tz, const double bbox[4],
                                           hp_public_held_fn held, void *ctx)
{
    struct hp_snapshot *cur = hp_check_feed_current();
    if (!cur)
        return NULL;
    const struct hp_snapshot *s = cur->base ? cur->base : cur;
    struct hp_public_body *full = get_for(HP_PUBLIC_GEOJSON, s, tz), *b = NULL;
    bool all = true;
    for (int i = 0; all && i < s->nzones; i++)
        all = hp_public_zone_meets(&s->zones[i], bbox);
    if (!full || all) {
        hp_snapshot_unref(cur);
        return full; /* the same bytes: share them, gzip and all */
    }
    b = calloc(1, sizeof(*b));
    if (b) {
        atomic_init(&b->refs, 1);
        b->version = full->version;
        b->modified = full->modified;
        memcpy(b->etag, full->etag, sizeof(b->etag));
        memcpy(b->last_modified, full->last_modified, sizeof(b->last_modified));
        /* A client revalidating what it holds costs a comparison, not a
         * rendering on the network thread. */
        if (held && held(ctx, b->etag, b->modified)) {
            hp_public_body_unref(full);
            hp_snapshot_unref(cur);
            return b;
        }
        b->data = hp_public_geojson(s, tz, bbox, &b->len);
        if (!b->data) {
            free(b);
            b = NULL;
        }
    }
    hp_public_body_unref(full);
    hp_snapshot_unref(cur);
    return b;
}
