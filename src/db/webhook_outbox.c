/* The deliverer's SQL and its connection (webhook_outbox.h). */
#include "haulpass/webhook_outbox.h"

#include "haulpass/db_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The body is the event as it was written: the same on every attempt and
 * to every webhook, so a receiver may drop a repeat by its id. */
#define CLAIM_SQL                                                                          \
    "WITH due AS ("                                                                        \
    "  SELECT d.id FROM webhook_deliveries d"                                              \
    "  WHERE d.status = 'pending' AND d.next_at <= clock_timestamp()"                     \
    "    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p"                              \
    "                    WHERE p.webhook_id = d.webhook_id AND p.subject = d.subject"      \
    "                      AND p.status = 'pending' AND p.event_id < d.event_id)"          \
    "  ORDER BY d.next_at, d.id LIMIT $1::int FOR UPDATE SKIP LOCKED)"                    \
    " UPDATE webhook_deliveries d"                                                         \
    "    SET next_at = clock_timestamp() + make_interval(secs => $2::int),"               \
    "        attempts = d.attempts + 1, last_attempt_at = clock_timestamp()"              \
    "   FROM due, webhooks h, webhook_events e"                                            \
    "  WHERE d.id = due.id AND h.id = d.webhook_id AND e.id = d.event_id"                 \
    " RETURNING d.id, h.url, h.secret, e.event,"                                           \
    "   jsonb_build_object('id', e.id, 'event', e.event, 'subject', e.subject,"           \
    "                      'occurred_at', e.occurred_at, 'data', e.data)::text"

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

bool hp_outbox_claim(struct pg_conn *conn, int max, int lease_s, struct hp_outbox_item *out,
                     int *n, char *err, size_t errlen)
{
    char smax[16], slease[16];
    snprintf(smax, sizeof(smax), "%d", max);
    snprintf(slease, sizeof(slease), "%d", lease_s);
    const char *params[] = {smax, slease};
    PGresult *r = PQexecParams(conn, CLAIM_SQL, 2, NULL, params, NULL, NULL, 0);
    *n = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "%s", PQresultErrorMessage(r));
        PQclear(r);
        return false;
    }
    for (int i = 0; i < PQntuples(r) && i < max; i++) {
        struct hp_outbox_item *it = &out[(*n)++];
        it->id = atoll(PQgetvalue(r, i, 0));
        it->url = dup(PQgetvalue(r, i, 1));
        it->secret = dup(PQgetvalue(r, i, 2));
        it->event = dup(PQgetvalue(r, i, 3));
        it->body = dup(PQgetvalue(r, i, 4));
        if (!it->url || !it->secret || !it->event || !it->body) {
            /* Out of memory: leave it; its lease runs out and it is claimed again. */
            free(it->url), free(it->secret), free(it->event), free(it->body);
            (*n)--;
        }
    }
    PQclear(r);
    return true;
}

#define DELIVERED_SQL                                                                      \
    "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = clock_timestamp()," \
    "       last_status = $2::int, last_error = NULL"                                      \
    " WHERE id = $1::int8 AND status = 'pending'"

/* Doubling from backoff_ms, at most an hour; past give_up_at it fails. */
#define FAILED_SQL                                                                         \
    "WITH w AS (SELECT id, clock_timestamp() + least(interval '1 hour',"                   \
    "                  make_interval(secs => $4::float8 / 1000"                            \
    "                                * power(2, least(attempts - 1, 20)))) AS next"         \
    "           FROM webhook_deliveries WHERE id = $1::int8)"                               \
    " UPDATE webhook_deliveries d SET last_status = nullif($2::int, 0), last_error = $3,"  \
    "       next_at = w.next,"                                                             \
    "       status = CASE WHEN w.next > d.give_up_at THEN 'failed' ELSE 'pending' END"      \
    "  FROM w WHERE d.id = w.id AND d.status = 'pending'"

bool hp_outbox_record(struct pg_conn *conn, int64_t id, bool delivered, int http_status,
                      const char *error, int backoff_ms)
{
    char sid[24], sstatus[16], sbackoff[16];
    snprintf(sid, sizeof(sid), "%lld", (long long)id);
    snprintf(sstatus, sizeof(sstatus), "%d", http_status);
    snprintf(sbackoff, sizeof(sbackoff), "%d", backoff_ms);
    const char *params[] = {sid, sstatus, error, sbackoff};
    PGresult *r = delivered ? PQexecParams(conn, DELIVERED_SQL, 2, NULL, params, NULL, NULL, 0)
                            : PQexecParams(conn, FAILED_SQL, 4, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

void hp_outbox_item_clear(struct hp_outbox_item *it)
{
    free(it->url);
    free(it->secret);
    free(it->event);
    free(it->body);
    memset(it, 0, sizeof(*it));
}

struct pg_conn *hp_outbox_listen(const char *conninfo)
{
    char err[256];
    PGconn *conn = hp_db_connect(conninfo, err, sizeof(err));
    if (!conn)
        return NULL;
    /* Named, so an operator (or a test) can tell it from the pool. */
    PQclear(PQexec(conn, "SET application_name = 'haulpass-webhooks'"));
    PGresult *r = PQexec(conn, "LISTEN haulpass_webhooks");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

bool hp_outbox_alive(struct pg_conn *conn)
{
    return conn && PQstatus(conn) == CONNECTION_OK;
}

int hp_outbox_socket(struct pg_conn *conn)
{
    return PQsocket(conn);
}

bool hp_outbox_notified(struct pg_conn *conn)
{
    bool any = false;
    PQconsumeInput(conn);
    for (PGnotify *n; (n = PQnotifies(conn)); PQfreemem(n))
        any = true;
    return any;
}

const char *hp_outbox_error(struct pg_conn *conn)
{
    return PQerrorMessage(conn);
}

void hp_outbox_close(struct pg_conn *conn)
{
    PQfinish(conn);
}
