/*
 * The public restrictions feed (docs/open-data.md): every live zone with
 * its rules, rendered from the check snapshot, never the database, and
 * kept rendered until the zones or the calendar change. A delta snapshot
 * (vehicles and passes only) keeps the rendering of its base: the feed
 * shows neither.
 *
 * Threads: any thread may ask; one renders while the others wait for it.
 */
#ifndef HAULPASS_PUBLIC_FEED_H
#define HAULPASS_PUBLIC_FEED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct hp_snapshot;

enum hp_public_format {
    HP_PUBLIC_GEOJSON, /* RFC 7946 FeatureCollection */
    HP_PUBLIC_DATEX2,  /* DATEX II v3 TrafficRegulationPublication */
    HP_PUBLIC_FORMATS,
};

/* A rendered feed, shared by every reply that sends it: the text, its
 * gzip and, once made, its brotli: representations with strong ETags of
 * their own (RFC 9110 8.8.3: a strong ETag names one sequence of bytes;
 * the gzip ETag is the plain one with "-gz" appended, as the console's
 * assets have, the brotli one with "-br"). */
struct hp_public_body {
    atomic_int refs;
    int64_t version;        /* the full snapshot's version it shows */
    char etag[48];          /* without its quotes: "g-<version>", "d-<version>" */
    char gzip_etag[56];     /* the same with "-gz" */
    char br_etag[56];       /* the same with "-br" */
    char last_modified[40]; /* IMF-fixdate of the latest zone write */
    time_t modified;
    char *data;
    size_t len;
    unsigned char *gzip;    /* data gzip-compressed; NULL when that ran out of
                             * memory (then only the plain text is sent) */
    size_t gzip_len;
    /* data brotli-compressed, br_len bytes: NULL until a thread of its own
     * has made it, seconds after the body (a shared body only). Read it
     * with hp_public_body_br. */
    _Atomic(unsigned char *) br;
    size_t br_len;
};

/* b's brotli, its length in *len; NULL while it is not made yet. */
const unsigned char *hp_public_body_br(struct hp_public_body *b, size_t *len);

/* The body of format for the current snapshot, a reference the caller
 * drops with hp_public_body_unref; NULL when no snapshot is loaded yet or
 * rendering failed (out of memory). tz: as for hp_public_geojson. */
struct hp_public_body *hp_public_feed_get(enum hp_public_format format, const char *tz);

/* Drops a reference; the last one frees. NULL is fine. */
void hp_public_body_unref(struct hp_public_body *b);

/* Whether the client already holds the body with this ETag and date (its
 * If-None-Match or If-Modified-Since); ctx is the caller's. */
typedef bool (*hp_public_held_fn)(void *ctx, const char *etag, time_t modified);

/* The feed of the zones whose bounding box meets bbox ({west, south, east,
 * north}, valid by hp_api_bbox_valid), rendered for one request from the
 * same snapshot as the shared body, whose ETag and dates it carries (an
 * ETag names a body of one URL, and ?bbox= makes another URL): a new body
 * without gzip, or the shared body itself when every zone meets bbox.
 * When held says the client holds that ETag, nothing is rendered: the body
 * has the ETag and dates and no data (len 0), for a 304. NULL as for
 * hp_public_feed_get. GeoJSON only. */
struct hp_public_body *hp_public_feed_bbox(const char *tz, const double bbox[4],
                                           hp_public_held_fn held, void *ctx);

struct hp_snap_zone;
/* Whether zone z's bounding box meets bbox (NULL: everywhere). Pure. */
bool hp_public_zone_meets(const struct hp_snap_zone *z, const double bbox[4]);

/* The GeoJSON text of s's zones that meet bbox (NULL: all of them)
 * (malloc'd, *len its length); NULL when out of memory. tz: the local time
 * zone rules are read in. */
char *hp_public_geojson(const struct hp_snapshot *s, const char *tz, const double *bbox,
                        size_t *len);

/* The DATEX II v3 XML of s's zones (malloc'd, *len its length); NULL when
 * out of memory. */
char *hp_public_datex2(const struct hp_snapshot *s, size_t *len);

#endif
