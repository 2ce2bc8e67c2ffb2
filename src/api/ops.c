/* Operations: liveness, readiness, metrics, the OpenAPI document. */
#include "haulpass/api.h"

#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/embedded.h"
#include "haulpass/metrics.h"
#include "haulpass/reply.h"
#include "haulpass/router.h"

#include <stdlib.h>
#include <string.h>

void hp_api_healthz(struct hp_request *req)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    hp_reply_static(req, 200, "application/json", ok, sizeof(ok) - 1);
}

static struct hp_sql ready_sql = HP_SQL("ready", "SELECT 1");

void hp_api_readyz(struct hp_request *req)
{
    struct hp_db *db = hp_req_db(req);
    PGresult *r;
    if (!db || hp_db_exec(db, req->arena, &ready_sql, 0, NULL, &r) != HP_DB_ROWS) {
        hp_reply_unavailable(req);
        return;
    }
    static const char ready[] = "{\"status\":\"ready\"}";
    hp_reply_static(req, 200, "application/json", ready, sizeof(ready) - 1);
}

void hp_api_metrics(struct hp_request *req)
{
    int in_use, size;
    hp_db_pool_usage(req->app->pool, &in_use, &size);
    char *text = hp_arena_printf(
        req->arena,
        "%s"
        "# HELP haulpass_db_pool_connections_in_use Database connections lent out.\n"
        "# TYPE haulpass_db_pool_connections_in_use gauge\n"
        "haulpass_db_pool_connections_in_use %d\n"
        "# HELP haulpass_db_pool_connections_max Size of the database pool.\n"
        "# TYPE haulpass_db_pool_connections_max gauge\n"
        "haulpass_db_pool_connections_max %d\n"
        "# HELP haulpass_http_requests_in_flight Requests begun and not completed.\n"
        "# TYPE haulpass_http_requests_in_flight gauge\n"
        "haulpass_http_requests_in_flight %d\n",
        hp_metrics_render(req->arena, hp_routes), in_use, size,
        atomic_load(&req->app->in_flight));
    hp_reply_copy(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

void hp_api_openapi(struct hp_request *req)
{
    const struct hp_embedded_file *f = hp_embedded_find("openapi.yaml");
    if (!f) {
        hp_reply_internal(req, "openapi.yaml is not embedded");
        return;
    }
    hp_reply_static(req, 200, "application/yaml", f->data, f->size);
}

static struct hp_sql wait_sql = HP_SQL("debug_wait", "SELECT pg_sleep($1::int / 1000.0)");

/* For tools/bench only: holds a pooled connection for ?ms= milliseconds, to
 * measure how the HTTP mode copes with handlers that wait on the database. */
void hp_api_debug_db_wait(struct hp_request *req)
{
    if (!req->app->cfg->debug_routes) {
        hp_reply_problem(req, 404, "not-found", "there is nothing at %s", req->path);
        return;
    }
    const char *ms = hp_req_query(req, "ms");
    char *end;
    long v = ms ? strtol(ms, &end, 10) : 5;
    if ((ms && (!*ms || *end)) || v < 0 || v > 1000) {
        hp_reply_problem(req, 400, "bad-parameter", "ms must be an integer from 0 to 1000");
        return;
    }
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    PGresult *r;
    const char *params[] = {hp_arena_printf(req->arena, "%ld", v)};
    enum hp_db_status st = hp_db_exec(db, req->arena, &wait_sql, 1, params, &r);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    static const char ok[] = "{\"status\":\"ok\"}";
    hp_reply_static(req, 200, "application/json", ok, sizeof(ok) - 1);
}
