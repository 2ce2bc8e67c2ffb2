/*
 * libmicrohttpd glue: the path of a request.
 *
 * A few network threads (libmicrohttpd's epoll pool, HAULPASS_THREADS) read
 * requests and write replies; they never wait on PostgreSQL. A route that
 * answers from memory (hp_route.in_memory: checks, /healthz, /openapi.yaml)
 * runs right there. Any other route is suspended (MHD_suspend_connection)
 * and handed to the database workers (workers.h), one per pooled
 * connection: first to authenticate the caller before the body is read,
 * then to run the handler once it is; the worker resumes the connection and
 * the network thread queues the reply. When the workers' queue is full the
 * request gets 503 with Retry-After at once (back-pressure).
 *
 * The request lives in an arena created on the first call of the access
 * handler and freed in the completion callback.
 */
#include "haulpass/http.h"

#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/auth.h"
#include "haulpass/check_feed.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/idempotency.h"
#include "haulpass/json_body.h"
#include "haulpass/log.h"
#include "haulpass/metrics.h"
#include "haulpass/parallel.h"
#include "haulpass/rate_limit.h"
#include "haulpass/reply.h"
#include "haulpass/router.h"
#include "haulpass/time.h"
#include "haulpass/token.h"
#include "haulpass/workers.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define JSON_LIMIT (1u << 20)
#define KML_LIMIT (16u << 20)
/* A bound on threads and buffered bodies (at most 1 MiB each for most
 * routes): past it libmicrohttpd refuses connections instead of the
 * process running out of memory. A city's cameras reach the service
 * through a few proxies with keep-alive, not one connection each. */
#define CONNECTION_LIMIT 1024

struct body_buf {
    char *data;
    size_t len, cap, limit;
    bool too_large;
    bool out_of_memory;
};

/* Everything per request that handlers need not see. */
struct request_state {
    struct hp_request req;
    struct body_buf body;
    int allowed;   /* methods of a path that matched with another method */
    bool bad_path; /* the URL was not UTF-8, or held a NUL (see unescape) */
    bool bad_target; /* neither a path nor an absolute http(s) URI */
    bool suspended; /* handed to a database worker, not yet back */
    bool body_due;  /* ... before the body, which the client is sending */
};

const char *hp_req_header(struct hp_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *hp_req_query(struct hp_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The pool a request's connection comes from: the standby's for the
 * routes that may read there, when there is one. */
static struct hp_db_pool *pool_of(const struct hp_request *req)
{
    return req->route && req->route->reads_standby && req->app->read_pool ? req->app->read_pool
                                                                          : req->app->pool;
}

struct hp_db *hp_req_db(struct hp_request *req)
{
    if (!req->db)
        req->db = hp_db_acquire(pool_of(req));
    return req->db;
}

static void free_body(void *p)
{
    struct body_buf *b = p;
    free(b->data);
}

static bool request_id_acceptable(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128)
        return false;
    for (; *s; s++)
        if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
              ('0' <= *s && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

/*
 * libmicrohttpd's unescaper, which decodes the path and each query key and
 * value in place before any handler sees them. A %00 would leave a NUL
 * that ends the C string early, so that "/v1/calendar/2027%00x" read as
 * "/v1/calendar/2027". It becomes 0xFF instead, a byte no UTF-8 text
 * holds: the path then fails begin()'s UTF-8 test (400 bad-path) and a
 * query parameter query_valid()'s (400 bad-parameter), with nothing cut
 * off, the access log included.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls, (void)conn;
    size_t n = MHD_http_unescape(s);
    for (char *c = memchr(s, '\0', n); c; c = memchr(c, '\0', n - (size_t)(c - s)))
        *c++ = (char)0xFF;
    return n;
}

/* The path of a request target in absolute form ("http://host/v1/me",
 * RFC 9112 section 3.2.2), which a server must accept and which names the
 * same resource as its path: what follows the authority, "/" when nothing
 * does (libmicrohttpd has split the query off already). NULL when target
 * is not an http or https URI. */
static const char *absolute_form_path(const char *target)
{
    const char *p;
    if (strncasecmp(target, "http://", 7) == 0)
        p = target + 7;
    else if (strncasecmp(target, "https://", 8) == 0)
        p = target + 8;
    else
        return NULL;
    p += strcspn(p, "/");
    return *p ? p : "/";
}

static struct request_state *begin(struct hp_app *app, struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
    struct hp_arena *arena = hp_arena_new();
    if (!arena)
        return NULL;
    struct request_state *st = hp_arena_alloc(arena, sizeof(*st));
    struct hp_request *req = &st->req;
    atomic_fetch_add(&app->in_flight, 1);
    req->arena = arena;
    req->conn = conn;
    req->app = app;
    req->started_us = hp_time_mono_us();
    req->method_name = hp_arena_strdup(arena, method);
    if (url[0] != '/') {
        /* Routed by its path, never to the console's page for "/". Any
         * other form (authority, asterisk) is 400. */
        const char *p = absolute_form_path(url);
        st->bad_target = !p;
        url = p ? p : url;
    }
    char *path = hp_arena_strdup(arena, url);
    req->path = path;
    req->method = hp_method_from_name(method);
    const char *rid = hp_req_header(req, "X-Request-Id");
    if (rid && request_id_acceptable(rid))
        snprintf(req->request_id, sizeof(req->request_id), "%s", rid);
    else
        hp_request_id_new(req->request_id);
    if (!hp_utf8_valid(req->path, strlen(req->path))) {
        /* Never echo it (problem details and the log are JSON): mask it. */
        for (char *c = path; *c; c++)
            if ((unsigned char)*c >= 0x80)
                *c = '?';
        st->bad_path = true;
    }
    /* An unknown method matches no route and collects every method of the path. */
    req->route_index =
        hp_router_match(hp_routes, arena, req->method, req->path, req->params, &st->allowed);
    /* The console's own paths (/haulier/fleet…) are its page: any GET
     * outside /v1/ that nothing else serves goes to the route of "/". */
    if (req->route_index < 0 && !st->allowed && (req->method == HP_GET || req->method == HP_HEAD) &&
        strncmp(req->path, "/v1/", 4) != 0 && strcmp(req->path, "/v1") != 0 && !st->bad_path &&
        !st->bad_target)
        req->route_index = hp_router_match(hp_routes, arena, req->method, "/", req->params,
                                           &st->allowed);
    req->route = req->route_index >= 0 ? &hp_routes[req->route_index] : NULL;
    st->body.limit = req->route && req->route->body == HP_BODY_KML ? KML_LIMIT : JSON_LIMIT;
    hp_arena_defer(arena, free_body, &st->body);
    return st;
}

static void append_body(struct body_buf *b, const char *data, size_t n)
{
    if (b->too_large || b->out_of_memory)
        return;
    if (n > b->limit - b->len) {
        b->too_large = true; /* keep reading and dropping; answer 413 at the end */
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nd = realloc(b->data, cap);
        if (!nd) {
            b->out_of_memory = true;
            return;
        }
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Whether the request's Content-Type is the one its route reads. */
static bool content_type_fits(struct hp_request *req)
{
    static const char *const wanted[] = {
        [HP_BODY_JSON] = "application/json",
        [HP_BODY_CSV] = "text/csv",
        [HP_BODY_KML] = "application/vnd.google-earth.kml+xml",
    };
    const char *ct = hp_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct)
        return false;
    const char *want = wanted[req->route->body];
    size_t n = strlen(want);
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, want, n) != 0)
        return false;
    /* Parameters such as "; charset=utf-8" may follow. */
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Whether the request says it carries no body (no length, or 0, and no
 * chunks): a route whose body is optional then needs no Content-Type. */
static bool declares_no_body(struct hp_request *req)
{
    const char *cl = hp_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = hp_req_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    return !te && (!cl || strtoull(cl, NULL, 10) == 0);
}

/* 413 for a body over the route's limit; 503 when memory ran out reading it. */
static bool body_refused(struct request_state *st)
{
    if (st->body.out_of_memory) {
        hp_reply_header(&st->req, "Retry-After", "5");
        hp_reply_problem(&st->req, 503, "out-of-memory",
                         "the service ran short of memory reading the body; try again shortly");
    } else {
        hp_reply_problem(&st->req, 413, "too-large", "the request body is larger than %zu bytes",
                         st->body.limit);
    }
    return false;
}

/* MHD_KeyValueIteratorN: stops at a query key or value that is not UTF-8
 * (a %00 included: unescape() makes it 0xFF; the length test is for a NUL
 * left all the same, which every reader would cut it at). */
static enum MHD_Result query_arg_valid(void *cls, enum MHD_ValueKind kind, const char *key,
                                       size_t key_len, const char *value, size_t value_len)
{
    (void)kind;
    bool ok = hp_utf8_valid(key, key_len) && strlen(key) == key_len &&
              (!value || (hp_utf8_valid(value, value_len) && strlen(value) == value_len));
    *(bool *)cls = ok;
    return ok ? MHD_YES : MHD_NO;
}

static bool query_valid(struct hp_request *req)
{
    bool ok = true;
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, query_arg_valid, &ok);
    return ok;
}

/*
 * Answers what the headers alone decide without the database: a request
 * target that is not a path nor an http(s) URI, a path that is not UTF-8
 * or holds a NUL (400 bad-path), a query parameter like the path (400
 * bad-parameter), no route (404/405).
 * False once it replied.
 */
static bool screen_path(struct request_state *st)
{
    struct hp_request *req = &st->req;
    if (st->bad_target) {
        hp_reply_problem(req, 400, "bad-path",
                         "the request target is neither a path (/...) nor an http(s) URI");
        return false;
    }
    if (st->bad_path) {
        hp_reply_problem(req, 400, "bad-path",
                         "the path is not valid UTF-8, or holds a NUL (%%00) or a control "
                         "character");
        return false;
    }
    if (!query_valid(req)) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "a query parameter is not valid UTF-8, or holds a NUL (%%00)");
        return false;
    }
    if (!req->route) {
        if (st->allowed) {
            hp_reply_header(req, "Allow", hp_router_allow_header(req->arena, st->allowed));
            hp_reply_problem(req, 405, "method-not-allowed", "%s is not allowed on %s",
                             req->method_name, req->path);
        } else {
            hp_reply_problem(req, 404, "not-found", "there is nothing at %s", req->path);
        }
        return false;
    }
    return true;
}

/*
 * After the caller is known: a declared body over the limit (413), the wrong
 * Content-Type (415). All of it runs before any of the body is read, so a
 * caller who may not use a route never gets to make the service buffer
 * 16 MiB. False once it replied.
 */
static bool screen_body(struct request_state *st)
{
    struct hp_request *req = &st->req;
    const char *cl = hp_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > st->body.limit)
        st->body.too_large = true; /* refused before the client sends it */
    if (st->body.too_large || st->body.out_of_memory)
        return body_refused(st);
    if (req->route->body != HP_BODY_NONE && !content_type_fits(req) &&
        !(req->route->body_optional && declares_no_body(req))) {
        hp_reply_problem(req, 415, "unsupported-media-type",
                         "this endpoint reads %s",
                         req->route->body == HP_BODY_JSON ? "application/json"
                         : req->route->body == HP_BODY_CSV
                             ? "text/csv"
                             : "application/vnd.google-earth.kml+xml");
        return false;
    }
    return true;
}

/* Authenticates the caller (through the database when the snapshot cannot
 * tell), then screens the body's headers; on a database worker. */
static bool screen_caller(struct request_state *st)
{
    struct hp_request *req = &st->req;
    if (req->route->roles && !hp_auth_require(req, req->route->roles))
        return false;
    return screen_body(st);
}

/* Gives the request's database connection, if it took one, back to the pool. */
static void release_db(struct hp_request *req)
{
    if (req->db) {
        hp_db_release(pool_of(req), req->db);
        req->db = NULL;
    }
}

/* Whether a body sent to an endpoint that reads none says nothing: empty,
 * blank, or the empty JSON object many clients send out of habit. Anything
 * else is refused rather than ignored: a caller who sends a reason to an
 * endpoint that takes none should learn it was not recorded. */
static bool says_nothing(const char *body, size_t len)
{
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
        i++;
    if (i == len)
        return true;
    size_t at;
    cJSON *j = hp_json_parse(body, len, &at); /* refuses "{} and more" */
    bool empty = cJSON_IsObject(j) && !j->child;
    cJSON_Delete(j);
    return empty;
}

/* Runs the route's handler on the whole body, once the request has been
 * screened; on a database worker unless the route answers from memory. */
static void dispatch(struct request_state *st)
{
    struct hp_request *req = &st->req;
    if (st->body.too_large || st->body.out_of_memory) {
        body_refused(st);
        return;
    }
    req->body = st->body.data;
    req->body_len = st->body.len;
    if (req->route->body == HP_BODY_NONE && req->body && !says_nothing(req->body, req->body_len)) {
        hp_req_invalid(req, "", "this endpoint reads no body: send none, or {}");
        hp_reply_invalid(req);
        return;
    }
    if (!req->route->in_memory && !hp_req_db(req) && !req->route->db_optional) {
        hp_reply_unavailable(req);
        return;
    }
    if (req->route->idempotent)
        hp_idem_run(req, req->route->handler);
    else
        req->route->handler(req);
    release_db(req);
    if (!req->status)
        hp_reply_internal(req, "handler returned without a reply");
}

/* Queues the reply the request has made, if any, on the calling network
 * thread. A write the checks read marks the snapshot stale first, so the
 * client's next check sees it (the handler has committed by now). */
static void flush(struct request_state *st)
{
    struct hp_request *req = &st->req;
    if (!req->response)
        return;
    if (req->route && req->route->stales_snapshot && req->status >= 200 && req->status <= 299)
        hp_check_feed_mark_stale();
    if (atomic_load(&req->app->stopping)) /* keep-alive clients: go elsewhere */
        MHD_add_response_header(req->response, MHD_HTTP_HEADER_CONNECTION, "close");
    if (MHD_queue_response(req->conn, (unsigned)req->status, req->response) != MHD_YES)
        hp_log(HP_LOG_WARN, "response not queued", "path", req->path, NULL);
    MHD_destroy_response(req->response);
    req->response = NULL;
}

/* Whether the request can carry no body: then the caller's screening and
 * the handler run in one hand-off instead of two. */
static bool bodiless(struct hp_request *req)
{
    const char *cl = hp_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return !hp_req_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) &&
           (!cl || strcmp(cl, "0") == 0);
}

/* Whether the body is on its way while the headers are judged: a refusal
 * then waits until it has been read and dropped. Not when the client waits
 * for "100 Continue" before sending it (RFC 9110 §10.1.1): the refusal goes
 * at once, and the body is never sent. */
static bool body_follows_headers(struct hp_request *req)
{
    const char *expect = hp_req_header(req, MHD_HTTP_HEADER_EXPECT);
    return !bodiless(req) && !(expect && strcasecmp(expect, "100-continue") == 0);
}

/* A database worker's job: screen, or run the handler, or both; then give
 * the connection back to a network thread, which queues the reply. */
static void work_screen(void *p)
{
    struct request_state *st = p;
    screen_caller(st);
    release_db(&st->req); /* the body is still to come: free it meanwhile */
    MHD_resume_connection(st->req.conn);
}

static void work_dispatch(void *p)
{
    struct request_state *st = p;
    dispatch(st);
    MHD_resume_connection(st->req.conn);
}

static void work_screen_and_dispatch(void *p)
{
    struct request_state *st = p;
    if (screen_caller(st))
        dispatch(st); /* on the connection that found the caller */
    release_db(&st->req);
    MHD_resume_connection(st->req.conn);
}

/* Suspends the request and hands fn to a database worker; when none can
 * take it, answers 503 at once (the reply is queued by the caller). */
static void hand_off(struct request_state *st, hp_work_fn fn)
{
    struct hp_request *req = &st->req;
    struct hp_workers *w = req->app->workers;
    if (atomic_load(&req->app->stopping)) {
        /* Draining: nothing new may be suspended, or libmicrohttpd would
         * refuse to stop. The client retries elsewhere. */
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 503, "stopping", "this instance is stopping; try again");
        return;
    }
    if (!hp_workers_reserve(w)) {
        atomic_fetch_add(&req->app->overloaded, 1);
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 503, "overloaded",
                         "every database worker is busy and the queue is full; try again shortly");
        return;
    }
    st->suspended = true;
    MHD_suspend_connection(req->conn);
    hp_workers_push(w, fn, st);
}

/* Takes a token of the caller's address for a public route; false after
 * answering 429. */
static bool rate_allowed(struct hp_request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    int retry = 1;
    if (hp_rate_limit_take(req->app->public_rate, ci ? ci->client_addr : NULL,
                           hp_time_mono_us(), &retry))
        return true;
    hp_reply_header(req, "Retry-After", hp_arena_printf(req->arena, "%d", retry));
    hp_reply_problem(req, 429, "rate-limited",
                     "this address has sent more requests than the public rate allows; "
                     "try again in %d s", retry);
    return false;
}

/* The first call: the headers are in, the body (if any) is not. */
static void on_headers(struct request_state *st)
{
    struct hp_request *req = &st->req;
    if (!screen_path(st))
        return;
    const struct hp_route *route = req->route;
    if (route->public_rate && !rate_allowed(req))
        return;
    if (route->roles && route->in_memory) {
        /* A camera's sighting must not wait on PostgreSQL to learn who sent
         * it; only a caller the snapshot does not know goes to a worker. */
        enum hp_auth_outcome a = hp_auth_in_memory(req, route->roles);
        if (a == HP_AUTH_REPLIED)
            return;
        if (a == HP_AUTH_ASK_DB) {
            st->body_due = body_follows_headers(req);
            hand_off(st, work_screen);
            return;
        }
        screen_body(st);
        return;
    }
    if (!route->roles) {
        screen_body(st);
        return;
    }
    if (!route->in_memory && bodiless(req)) {
        hand_off(st, work_screen_and_dispatch);
        return;
    }
    st->body_due = body_follows_headers(req);
    hand_off(st, work_screen);
}

/* libmicrohttpd's accept policy: while the instance drains, a new
 * connection is closed as soon as it is accepted, so a client goes to
 * another instance at once. Not MHD_quiesce_daemon: with epoll and a
 * pool of threads it races a network thread taking the listening socket
 * out of its epoll set too, and whichever loses aborts the process
 * ("Failed to remove listen FD from epoll set", libmicrohttpd 0.9.75). */
static enum MHD_Result turn_away_when_stopping(void *cls, const struct sockaddr *addr,
                                               socklen_t addrlen)
{
    (void)addr, (void)addrlen;
    const struct hp_app *app = cls;
    return atomic_load(&app->stopping) ? MHD_NO : MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct request_state *st = *con_cls;
    if (!st) {
        st = begin(cls, conn, url, method);
        if (!st)
            return MHD_NO;
        *con_cls = st;
        on_headers(st);
        /* Once handed off, the request is the worker's until it resumes it. */
        if (!st->suspended)
            flush(st);
        return MHD_YES;
    }
    if (st->suspended) {
        /* Called again after a worker resumed the request: queue its reply,
         * if it made one, and go on reading the body. A refusal made before
         * a body was read waits until the body has been read and dropped:
         * the client has been sending all along, and closing on unread
         * data would reset the connection before it could read the answer. */
        st->suspended = false;
        if (!st->body_due)
            flush(st);
        st->body_due = false;
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Once answered, the rest of the body is read and dropped. */
        if (!st->req.status)
            append_body(&st->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!st->req.status && st->req.route->from_memory && !st->body.too_large &&
        !st->body.out_of_memory) {
        st->req.body = st->body.data;
        st->req.body_len = st->body.len;
        st->req.route->from_memory(&st->req);
    }
    if (!st->req.status && !st->req.route->in_memory)
        hand_off(st, work_dispatch);
    else if (!st->req.status)
        dispatch(st);
    if (st->suspended)
        return MHD_YES;
    flush(st);
    /* No reply at all (libmicrohttpd could not allocate one): close. */
    return st->req.status ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct hp_app *app = cls;
    struct request_state *st = *con_cls;
    if (!st)
        return;
    struct hp_request *req = &st->req;
    int64_t us = hp_time_mono_us() - req->started_us;
    hp_metrics_record(req->route_index, req->status, us);
    hp_log_access(req->method_name, req->path, req->status, us, req->request_id);
    hp_arena_free(req->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&app->in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    hp_log(HP_LOG_WARN, "http", "detail", msg, NULL);
}

/* A batch of sightings spreads over as many threads as the network uses:
 * its own and helpers (parallel.h), one fewer than the network threads,
 * no more than the cores can run beside the network thread, nor than a
 * batch has parts to share (a thousand sightings are 8 parts of 128,
 * src/api/checks.c). */
#define MAX_HELPERS 7

static bool start_helpers(int network_threads)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int helpers = network_threads - 1;
    if (cpus > 0 && helpers > cpus - 1)
        helpers = (int)cpus - 1;
    if (helpers > MAX_HELPERS)
        helpers = MAX_HELPERS;
    if (hp_parallel_start(helpers))
        return true;
    hp_log(HP_LOG_ERROR, "cannot start the helper threads of large batches", NULL);
    return false;
}

bool hp_server_start(struct hp_app *app)
{
    char host[256];
    int port;
    if (!hp_config_listen_addr(app->cfg->listen, host, sizeof(host), &port))
        return false;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char portstr[8];
    snprintf(portstr, sizeof(portstr), "%d", port);
    int rc = getaddrinfo(host, portstr, &hints, &ai);
    if (rc != 0) {
        hp_log(HP_LOG_ERROR, "cannot resolve listen address", "listen", app->cfg->listen,
               "error", gai_strerror(rc), NULL);
        return false;
    }
    /* One worker per pooled connection: a worker never waits for one. */
    app->workers = hp_workers_start(app->cfg->db_pool_size, hp_config_db_queue(app->cfg));
    if (!app->workers || !start_helpers(app->cfg->threads)) {
        hp_workers_stop(app->workers);
        app->workers = NULL;
        freeaddrinfo(ai);
        return false;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    flags |= MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    /* The logger must be the first option to catch every message. */
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, app},
        {MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, NULL},
        {MHD_OPTION_THREAD_POOL_SIZE, app->cfg->threads, NULL},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    app->daemon = MHD_start_daemon(flags, 0, turn_away_when_stopping, app, on_request, app,
                                   MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!app->daemon) {
        hp_log(HP_LOG_ERROR, "cannot listen", "listen", app->cfg->listen, NULL);
        hp_parallel_stop();
        hp_workers_stop(app->workers);
        app->workers = NULL;
        return false;
    }
    char counts[64];
    snprintf(counts, sizeof(counts), "%d network, %d database", app->cfg->threads,
             app->cfg->db_pool_size);
    hp_log(HP_LOG_INFO, "listening", "listen", app->cfg->listen, "threads", counts, NULL);
    return true;
}

bool hp_server_stop(struct hp_app *app, int drain_ms)
{
    if (!app->daemon)
        return true;
    /* Before the wait: a request begun from now on sees it and is never
     * suspended (begin() counts it in flight first, so the wait below
     * cannot miss one that did not), and a new connection is closed as
     * soon as it is accepted (turn_away_when_stopping). */
    atomic_store(&app->stopping, true);
    int64_t deadline = hp_time_mono_us() + (int64_t)drain_ms * 1000;
    while (atomic_load(&app->in_flight) > 0 && hp_time_mono_us() < deadline)
        usleep(10000);
    int left = atomic_load(&app->in_flight);
    if (left > 0) {
        /* A request still on a worker holds a suspended connection, which
         * libmicrohttpd refuses to stop with: leave both to the exit. */
        char n[16];
        snprintf(n, sizeof(n), "%d", left);
        hp_log(HP_LOG_WARN, "drain timed out", "in_flight", n, NULL);
        return false;
    }
    MHD_stop_daemon(app->daemon);
    app->daemon = NULL;
    hp_parallel_stop();
    hp_workers_stop(app->workers);
    app->workers = NULL;
    return true;
}
