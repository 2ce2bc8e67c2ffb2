/*
 * GET /v1/public/restrictions (GeoJSON, optionally ?bbox=) and .datex2.xml
 * (DATEX II v3): the restrictions as open data, for anyone
 * (docs/open-data.md). Answered on the network thread from the rendered
 * feed (public_feed.h), so a navigation provider polling every minute
 * costs a header comparison, and a change costs one rendering.
 */
#include "haulpass/api.h"

#include "haulpass/accept.h"
#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/etag.h"
#include "haulpass/public_feed.h"
#include "haulpass/reply.h"

#include <string.h>
#include <time.h>

static void release(void *cls)
{
    hp_public_body_unref(cls);
}

/* If-Modified-Since at or after the feed's last change (only when there
 * is no If-None-Match, which wins: RFC 9110 13.2.2). */
static bool unmodified_since(struct hp_request *req, time_t modified)
{
    const char *ims = hp_req_header(req, "If-Modified-Since");
    struct tm tm = {0};
    const char *end = ims ? strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm) : NULL;
    return end && !*end && timegm(&tm) >= modified;
}

/* Whether the request's validators name this ETag or a date at or after
 * modified: what serve() answers 304. */
static bool held(void *ctx, const char *etag, time_t modified)
{
    struct hp_request *req = ctx;
    const char *inm = hp_req_header(req, "If-None-Match");
    return inm ? hp_etag_none_match(inm, etag) : unmodified_since(req, modified);
}

static void serve(struct hp_request *req, struct hp_public_body *b, const char *content_type)
{
    if (!b) {
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 503, "zones-not-loaded", "the zones are not loaded yet");
        return;
    }
    /* Up to three representations, chosen by Accept-Encoding: each has its
     * own strong ETag, and a 304 answers only the ETag of the one this
     * request would get (a cache that kept another asks with that one).
     * Brotli only once its thread has made it (public_feed.h): until then
     * a client taking both gets gzip. */
    size_t br_len;
    const unsigned char *br = hp_public_body_br(b, &br_len);
    const char *offered[2];
    int n = 0;
    if (br)
        offered[n++] = "br";
    if (b->gzip)
        offered[n++] = "gzip";
    const char *coding = hp_accept_pick_coding(hp_req_header(req, "Accept-Encoding"), offered, n);
    bool gz = coding && strcmp(coding, "gzip") == 0, brotli = coding && !gz;
    const char *etag = brotli ? b->br_etag : gz ? b->gzip_etag : b->etag;
    hp_reply_header(req, "ETag", hp_arena_printf(req->arena, "\"%s\"", etag));
    hp_reply_header(req, "Vary", "Accept-Encoding");
    hp_reply_header(req, "Last-Modified", hp_arena_strdup(req->arena, b->last_modified));
    /* Revalidate every time: a restriction must not outlive its repeal in
     * a cache; the 304 makes that cheap. Any site may read it. */
    hp_reply_header(req, "Cache-Control", "public, no-cache");
    hp_reply_header(req, "Access-Control-Allow-Origin", "*");
    if (held(req, etag, b->modified) || !b->data) {
        /* No data: a ?bbox= body left unrendered because held() said the
         * client has it (hp_public_feed_bbox asks the same question). */
        hp_public_body_unref(b);
        hp_reply_static(req, 304, NULL, "", 0);
        return;
    }
    if (brotli) {
        hp_reply_header(req, "Content-Encoding", "br");
        hp_reply_shared(req, 200, content_type, (const char *)br, br_len, release, b);
    } else if (gz) {
        hp_reply_header(req, "Content-Encoding", "gzip");
        hp_reply_shared(req, 200, content_type, (const char *)b->gzip, b->gzip_len, release, b);
    } else {
        hp_reply_shared(req, 200, content_type, b->data, b->len, release, b);
    }
}

void hp_api_public_restrictions(struct hp_request *req)
{
    double bbox[4];
    bool given;
    if (!hp_api_read_bbox(req, true, bbox, &given))
        return;
    const char *tz = req->app->cfg->tz;
    struct hp_public_body *b = given ? hp_public_feed_bbox(tz, bbox, held, req)
                                     : hp_public_feed_get(HP_PUBLIC_GEOJSON, tz);
    serve(req, b, "application/geo+json");
}

void hp_api_public_restrictions_datex2(struct hp_request *req)
{
    /* Refused rather than ignored: a consumer must not take the whole city
     * for the area it asked for. */
    if (hp_req_query(req, "bbox")) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "bbox is offered on /v1/public/restrictions (GeoJSON) only");
        return;
    }
    serve(req, hp_public_feed_get(HP_PUBLIC_DATEX2, req->app->cfg->tz),
          "application/xml; charset=utf-8");
}
