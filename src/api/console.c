/*
 * The console: its page at "/" (and at any other path outside /v1/ that
 * the route table does not know, so the page's own routes such as
 * /haulier/fleet load it), its fingerprinted bundles under /assets/, and
 * GET /v1/console-config. Everything comes from memory (console_assets.h),
 * with an ETag, precompressed gzip when the client takes it, and a strict
 * Content-Security-Policy on every console response.
 */
#include "haulpass/api.h"

#include "haulpass/accept.h"
#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/console_assets.h"
#include "haulpass/etag.h"
#include "haulpass/reply.h"

#include <string.h>

/* The tile server's origin ("https://host:port") of url, in arena memory;
 * NULL when there is none. */
static const char *origin_of(struct hp_arena *arena, const char *url)
{
    if (!url)
        return NULL;
    const char *host = strstr(url, "://");
    if (!host)
        return NULL;
    host += 3;
    size_t n = strcspn(host, "/?#");
    return hp_arena_strndup(arena, url, (size_t)(host - url) + n);
}

static void security_headers(struct hp_request *req)
{
    const char *tiles = origin_of(req->arena, req->app->cfg->tile_url);
    hp_reply_header(req, "Content-Security-Policy",
                    hp_arena_printf(req->arena,
                                    "default-src 'self'; script-src 'self'; style-src 'self'; "
                                    "img-src 'self' data:%s%s; connect-src 'self'; "
                                    "frame-ancestors 'none'; base-uri 'none'; "
                                    "form-action 'self'",
                                    tiles ? " " : "", tiles ? tiles : ""));
    hp_reply_header(req, "X-Content-Type-Options", "nosniff");
    hp_reply_header(req, "Referrer-Policy", "no-referrer");
}

static void serve(struct hp_request *req, const struct hp_console_asset *a)
{
    security_headers(req);
    hp_reply_header(req, "Cache-Control",
                    a->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    bool gz = a->gzip && hp_accept_takes_gzip(hp_req_header(req, "Accept-Encoding"));
    if (a->gzip)
        hp_reply_header(req, "Vary", "Accept-Encoding");
    /* The two encodings are two representations: two ETags. */
    const char *etag = hp_arena_printf(req->arena, "%s%s", a->etag, gz ? "-gz" : "");
    hp_reply_header(req, "ETag", hp_arena_printf(req->arena, "\"%s\"", etag));
    if (hp_etag_none_match(hp_req_header(req, "If-None-Match"), etag)) {
        hp_reply_static(req, 304, NULL, "", 0);
        return;
    }
    if (gz) {
        hp_reply_header(req, "Content-Encoding", "gzip");
        hp_reply_static(req, 200, a->content_type, (const char *)a->gzip, a->gzip_size);
    } else {
        hp_reply_static(req, 200, a->content_type, (const char *)a->data, a->size);
    }
}

static const struct hp_console_asset *find(const char *path)
{
    for (const struct hp_console_asset *a = hp_console_assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}

void hp_api_console_page(struct hp_request *req)
{
    const struct hp_console_asset *a = find("/");
    if (!a) {
        hp_reply_internal(req, "the console is not embedded");
        return;
    }
    serve(req, a);
}

void hp_api_console_asset(struct hp_request *req)
{
    const struct hp_console_asset *a = find(req->path);
    if (!a) {
        /* A stale page asking for an older bundle: not the page itself,
         * which a script tag would take for a script. */
        security_headers(req);
        hp_reply_problem(req, 404, "not-found", "there is nothing at %s", req->path);
        return;
    }
    serve(req, a);
}

void hp_api_console_config(struct hp_request *req)
{
    cJSON *j = cJSON_CreateObject();
    const char *url = req->app->cfg->tile_url;
    if (url)
        cJSON_AddStringToObject(j, "tile_url", url);
    else
        cJSON_AddNullToObject(j, "tile_url");
    cJSON_AddNumberToObject(j, "session_idle_timeout_s", 8 * 3600);
    hp_reply_header(req, "Cache-Control", "no-cache");
    hp_reply_json(req, 200, j);
}
