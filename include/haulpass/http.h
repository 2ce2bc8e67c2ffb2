/*
 * The HTTP layer: one struct hp_request per request, alive from the first
 * call of libmicrohttpd's access handler until its completion callback,
 * which frees req->arena and with it everything the request allocated.
 */
#ifndef HAULPASS_HTTP_H
#define HAULPASS_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "haulpass/principal.h"

struct MHD_Connection;
struct MHD_Response;
struct hp_app;
struct hp_db;
struct hp_route;

enum hp_method {
    HP_GET = 1 << 0,
    HP_HEAD = 1 << 1,
    HP_POST = 1 << 2,
    HP_PUT = 1 << 3,
    HP_PATCH = 1 << 4,
    HP_DELETE = 1 << 5,
};

#define HP_MAX_PARAMS 4
#define HP_MAX_EXTRA_HEADERS 8

struct hp_request {
    struct hp_arena *arena;
    struct MHD_Connection *conn;
    struct hp_app *app;
    enum hp_method method;
    const char *method_name;
    const char *path;
    const struct hp_route *route; /* NULL when nothing matched */
    int route_index;              /* for metrics; -1 when nothing matched */
    const char *params[HP_MAX_PARAMS]; /* path parameters, in pattern order */
    char *body;                   /* NUL-terminated; NULL when there is none */
    size_t body_len;
    char request_id[129];
    const struct hp_principal *who; /* NULL on public routes */
    cJSON *errors;                /* invalid-field errors, see hp_req_invalid */
    int status;                   /* set once a reply has been made */
    struct MHD_Response *response; /* that reply, until the server queues it */
    int64_t started_us;
    struct hp_db *db;             /* see hp_req_db */
    const char *extra_headers[HP_MAX_EXTRA_HEADERS][2];
    int nextra;
    /* When set, sees the reply (with extra_headers) just before it is
     * queued; hp_idem_run stores it there before the client can see it. */
    void (*on_reply)(struct hp_request *req, int status, const char *content_type,
                     const char *body, size_t len);
};

/* A request header or query argument, or NULL. */
const char *hp_req_header(struct hp_request *req, const char *name);
const char *hp_req_query(struct hp_request *req, const char *name);

/* The request's database connection, taken from the pool on first use and
 * given back when the handler returns; NULL when the database cannot be
 * reached (answer with hp_reply_unavailable). */
struct hp_db *hp_req_db(struct hp_request *req);

/* Starts the HTTP service of app (listening on app->cfg->listen);
 * false with a log line when it cannot. */
bool hp_server_start(struct hp_app *app);

/* Stops accepting, waits for in-flight requests (at most drain_ms), stops
 * the network threads and the database workers. False when requests were
 * still in flight at the deadline: then nothing is stopped, and the caller
 * should exit without freeing what those requests may still use. */
bool hp_server_stop(struct hp_app *app, int drain_ms);

#endif
