/* Operations: liveness, readiness, metrics, the OpenAPI document. */
#include "haulpass/api.h"

#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/check_feed.h"
#include "haulpass/config.h"
#include "haulpass/db_probe.h"
#include "haulpass/embedded.h"
#include "haulpass/metrics.h"
#include "haulpass/parallel.h"
#include "haulpass/queue.h"
#include "haulpass/reply.h"
#include "haulpass/router.h"
#include "haulpass/time.h"
#include "haulpass/workers.h"

#include <stdlib.h>
#include <string.h>

void hp_api_healthz(struct hp_request *req)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    hp_reply_static(req, 200, "application/json", ok, sizeof(ok) - 1);
}

void hp_api_readyz(struct hp_request *req)
{
    /* The route is db_optional: req->db is NULL when no connection could
     * be had. */
    struct hp_check_feed_status snap;
    bool loaded = hp_check_feed_status(&snap);
    if (!req->db || hp_db_probe_ready(req->db, req->arena) != HP_DB_ROWS) {
        /* An instance on a standby still answers checks from its snapshot
         * while the primary is away: ready for them, and it says writes are
         * not (docs/contract.md section 15). */
        static const char checks_only[] =
            "{\"status\":\"ready\",\"checks\":\"ready\",\"writes\":\"unavailable\","
            "\"detail\":\"the primary database cannot be reached: checks answer from the "
            "standby's snapshot, writes get 503\"}";
        if (loaded && snap.replica)
            hp_reply_static(req, 200, "application/json", checks_only, sizeof(checks_only) - 1);
        else
            hp_reply_unavailable(req);
        return;
    }
    /* Checks answer 503 until the first snapshot is in: not ready yet. */
    if (!loaded) {
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 503, "zones-not-loaded",
                         "the zones, vehicles and passes are not loaded yet");
        return;
    }
    static const char ready[] = "{\"status\":\"ready\"}";
    hp_reply_static(req, 200, "application/json", ready, sizeof(ready) - 1);
}

/* The check snapshot's gauges; nothing before the first one is loaded. */
static const char *snapshot_metrics(struct hp_arena *arena)
{
    struct hp_check_feed_status s;
    if (!hp_check_feed_status(&s))
        return "";
    long long now = hp_time_now_us();
    return hp_arena_printf(
        arena,
        "# HELP haulpass_zone_snapshot_version zone_set_version of the snapshot checks answer from.\n"
        "# TYPE haulpass_zone_snapshot_version gauge\n"
        "haulpass_zone_snapshot_version %lld\n"
        "# HELP haulpass_zone_snapshot_age_seconds Time since that snapshot was read.\n"
        "# TYPE haulpass_zone_snapshot_age_seconds gauge\n"
        "haulpass_zone_snapshot_age_seconds %.3f\n"
        "# HELP haulpass_zone_snapshot_zones Zones in that snapshot.\n"
        "# TYPE haulpass_zone_snapshot_zones gauge\n"
        "haulpass_zone_snapshot_zones %d\n"
        "# HELP haulpass_snapshot_loads_total Snapshot loads: full, of the changed plates, or of the escort bookings after one changed.\n"
        "# TYPE haulpass_snapshot_loads_total counter\n"
        "haulpass_snapshot_loads_total{kind=\"full\"} %lld\n"
        "haulpass_snapshot_loads_total{kind=\"delta\"} %lld\n"
        "haulpass_snapshot_loads_total{kind=\"escorts\"} %lld\n"
        "# HELP haulpass_snapshot_rebase_loads_total Full loads made only to start the deltas afresh (counted in full too).\n"
        "# TYPE haulpass_snapshot_rebase_loads_total counter\n"
        "haulpass_snapshot_rebase_loads_total %lld\n"
        "# HELP haulpass_zone_snapshot_behind_seconds How long a change known to this instance has waited to reach the snapshot (0: none waits).\n"
        "# TYPE haulpass_zone_snapshot_behind_seconds gauge\n"
        "haulpass_zone_snapshot_behind_seconds %.3f\n"
        "# HELP haulpass_zone_snapshot_feed_up 1 when the last snapshot load, or the database connection behind it, worked.\n"
        "# TYPE haulpass_zone_snapshot_feed_up gauge\n"
        "haulpass_zone_snapshot_feed_up %d\n"
        "%s",
        s.version, (double)(now - s.loaded_us) / 1e6, s.zones, s.full_loads, s.delta_loads,
        s.escort_loads, s.rebase_loads,
        s.behind_since_us ? (double)(now - s.behind_since_us) / 1e6 : 0.0, s.up ? 1 : 0,
        !s.replica ? ""
                   : hp_arena_printf(
                         arena,
                         "# HELP haulpass_replica_lag_seconds How far the standby the checks read is behind the primary (0: it has replayed all it received).\n"
                         "# TYPE haulpass_replica_lag_seconds gauge\n"
                         "haulpass_replica_lag_seconds %.3f\n",
                         s.replica_lag_s));
}

/* Whether this instance reaches the database, then the open and overdue
 * applications; only the first while the database is away, so that the
 * scrape still answers (the route is db_optional: req->db may be NULL). */
static const char *queue_metrics(struct hp_request *req)
{
    static const char down[] =
        "# HELP haulpass_db_up 1 when this instance can query the database.\n"
        "# TYPE haulpass_db_up gauge\n"
        "haulpass_db_up 0\n";
    struct hp_queue_depth q;
    if (!req->db || hp_queue_depth(req->db, req->arena, &q) != HP_DB_ROWS)
        return down;
    return hp_arena_printf(
        req->arena,
        "# HELP haulpass_db_up 1 when this instance can query the database.\n"
        "# TYPE haulpass_db_up gauge\n"
        "haulpass_db_up 1\n"
        "# HELP haulpass_queue_depth Applications waiting for a decision (queued or in review).\n"
        "# TYPE haulpass_queue_depth gauge\n"
        "haulpass_queue_depth %d\n"
        "# HELP haulpass_queue_overdue Of those, the ones past their deadline.\n"
        "# TYPE haulpass_queue_overdue gauge\n"
        "haulpass_queue_overdue %d\n",
        q.open, q.overdue);
}

/* The database workers and their queue (src/http/workers.c). */
static const char *worker_metrics(struct hp_request *req)
{
    int busy, waiting, threads, capacity;
    hp_workers_usage(req->app->workers, &busy, &waiting, &threads, &capacity);
    return hp_arena_printf(
        req->arena,
        "# HELP haulpass_db_workers_busy Database workers running a request (this one included).\n"
        "# TYPE haulpass_db_workers_busy gauge\n"
        "haulpass_db_workers_busy %d\n"
        "# HELP haulpass_db_workers Database workers, one per pooled connection.\n"
        "# TYPE haulpass_db_workers gauge\n"
        "haulpass_db_workers %d\n"
        "# HELP haulpass_db_queue_waiting Requests waiting for a database worker.\n"
        "# TYPE haulpass_db_queue_waiting gauge\n"
        "haulpass_db_queue_waiting %d\n"
        "# HELP haulpass_db_queue_capacity Places in that queue; past them requests get 503.\n"
        "# TYPE haulpass_db_queue_capacity gauge\n"
        "haulpass_db_queue_capacity %d\n"
        "# HELP haulpass_http_overloaded_total Requests refused with 503 overloaded.\n"
        "# TYPE haulpass_http_overloaded_total counter\n"
        "haulpass_http_overloaded_total %lld\n",
        busy, threads, waiting, capacity, (long long)atomic_load(&req->app->overloaded));
}

/* How much of the large batches' work the helper threads took (parallel.h). */
static const char *parallel_metrics(struct hp_arena *arena)
{
    int helpers;
    long long by_caller, by_helpers;
    hp_parallel_counts(&helpers, &by_caller, &by_helpers);
    return hp_arena_printf(
        arena,
        "# HELP haulpass_batch_helpers Threads that share a large batch's parts with the network thread.\n"
        "# TYPE haulpass_batch_helpers gauge\n"
        "haulpass_batch_helpers %d\n"
        "# HELP haulpass_batch_parts_total Parts of batches shared with the helpers, by the thread that ran them.\n"
        "# TYPE haulpass_batch_parts_total counter\n"
        "haulpass_batch_parts_total{thread=\"network\"} %lld\n"
        "haulpass_batch_parts_total{thread=\"helper\"} %lld\n",
        helpers, by_caller, by_helpers);
}

void hp_api_metrics(struct hp_request *req)
{
    int in_use, size;
    const char *queue = queue_metrics(req);
    const char *workers = worker_metrics(req);
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
        "haulpass_http_requests_in_flight %d\n"
        "%s%s%s%s",
        hp_metrics_render(req->arena, hp_routes), in_use, size,
        atomic_load(&req->app->in_flight), workers, parallel_metrics(req->arena),
        snapshot_metrics(req->arena), queue);
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

/* For tools/bench and the tests only: holds a pooled connection for ?ms=
 * milliseconds, to measure how the HTTP mode copes with handlers that wait
 * on the database, and to keep a request in flight through a drain (up to
 * 8 s: the drain waits 10). */
void hp_api_debug_db_wait(struct hp_request *req)
{
    if (!req->app->cfg->debug_routes) {
        hp_reply_problem(req, 404, "not-found", "there is nothing at %s", req->path);
        return;
    }
    const char *ms = hp_req_query(req, "ms");
    char *end;
    long v = ms ? strtol(ms, &end, 10) : 5;
    if ((ms && (!*ms || *end)) || v < 0 || v > 8000) {
        hp_reply_problem(req, 400, "bad-parameter", "ms must be an integer from 0 to 8000");
        return;
    }
    enum hp_db_status st = hp_db_probe_wait(req->db, req->arena, (int)v);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    static const char ok[] = "{\"status\":\"ok\"}";
    hp_reply_static(req, 200, "application/json", ok, sizeof(ok) - 1);
}
