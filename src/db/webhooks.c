/* The SQL of webhooks and their delivery log (webhooks.h). */
#include "haulpass/webhooks.h"

#include "haulpass/arena.h"
#include "haulpass/db.h"
#include "haulpass/db_exec.h"

#include <stdlib.h>
#include <string.h>

#define HOOK_COLS "id::text, org_id::text, url, events, hp_us(created_at)"

/* A text[] literal of n plain words (the event names: no quoting needed). */
static const char *words_literal(struct hp_arena *arena, const char *const *w, int n)
{
    size_t len = 3;
    for (int i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *s = hp_arena_alloc(arena, len), *p = s;
    *p++ = '{';
    for (int i = 0; i < n; i++) {
        size_t k = strlen(w[i]);
        memcpy(p, w[i], k);
        p += k;
        if (i + 1 < n)
            *p++ = ',';
    }
    *p++ = '}';
    *p = '\0';
    return s;
}

/* {a,b} back into words, in arena memory. */
static void read_words(struct hp_arena *arena, const char *lit, struct hp_webhook *h)
{
    char *s = hp_arena_strdup(arena, lit + 1);
    size_t len = strlen(s);
    if (len)
        s[len - 1] = '\0';
    int n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    h->events = hp_arena_calloc(arena, (size_t)n, sizeof(*h->events));
    h->nevents = 0;
    /* strtok_r: workers read webhooks on several threads at once. */
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        h->events[h->nevents++] = tok;
}

static void read_hook(struct hp_arena *arena, const PGresult *r, int row, struct hp_webhook *h)
{
    memset(h, 0, sizeof(*h));
    h->id = hp_db_text(r, row, 0);
    h->org_id = hp_db_text(r, row, 1);
    h->url = hp_db_text(r, row, 2);
    read_words(arena, hp_db_text(r, row, 3), h);
    h->created_us = hp_db_int64(r, row, 4);
}

static struct hp_sql create_sql = HP_SQL("webhooks_create",
    "INSERT INTO webhooks (org_id, url, events, secret, created_by)"
    " VALUES ($1::uuid, $2, $3::text[], $4, $5::uuid) RETURNING " HOOK_COLS);

enum hp_db_status hp_webhooks_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *url,
                                     const char *const *events, int n, const char *secret,
                                     struct hp_webhook *out)
{
    PGresult *r;
    const char *params[] = {org_id, url, words_literal(arena, events, n), secret, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &create_sql, 5, params, &r);
    /* The trigger of sql/015 refusing: the limit, not a failure. */
    if (st == HP_DB_HARD_ERROR && strcmp(hp_db_constraint(db), "webhooks_per_org") == 0)
        return HP_DB_NO_ROWS;
    if (st == HP_DB_ROWS) {
        read_hook(arena, r, 0, out);
        out->secret = secret;
    }
    return st;
}

static struct hp_sql list_sql = HP_SQL("webhooks_list",
    "SELECT " HOOK_COLS " FROM webhooks WHERE org_id = $1::uuid AND deleted_at IS NULL"
    " ORDER BY created_at, id LIMIT $2::int");

enum hp_db_status hp_webhooks_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                   struct hp_webhook *out, int max, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, hp_arena_printf(arena, "%d", max)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 2, params, &r);
    *n = 0;
    for (int i = 0; st >= 0 && r && i < PQntuples(r) && i < max; i++)
        read_hook(arena, r, i, &out[(*n)++]);
    return st;
}

/* Its pending deliveries fail with it, in the same statement: nothing is
 * sent to a webhook its owner deleted. */
static struct hp_sql delete_sql = HP_SQL("webhooks_delete",
    "WITH h AS (UPDATE webhooks SET deleted_at = clock_timestamp()"
    "           WHERE id = $1::uuid AND org_id = $2::uuid AND deleted_at IS NULL RETURNING id),"
    "     d AS (UPDATE webhook_deliveries SET status = 'failed', last_error = 'webhook deleted'"
    "           WHERE webhook_id IN (SELECT id FROM h) AND status = 'pending')"
    " SELECT id FROM h");

enum hp_db_status hp_webhooks_delete(struct hp_db *db, struct hp_arena *arena, const char *id,
                                     const char *org_id)
{
    PGresult *r;
    const char *params[] = {id, org_id};
    return hp_db_exec(db, arena, &delete_sql, 2, params, &r);
}

static struct hp_sql deliveries_sql = HP_SQL("webhooks_deliveries",
    "SELECT h.id IS NOT NULL, d.id, d.event_id, e.event, d.subject, d.status, d.attempts,"
    "       d.last_status, d.last_error, hp_us(e.occurred_at), hp_us(d.next_at),"
    "       hp_us(d.last_attempt_at), hp_us(d.delivered_at)"
    " FROM (SELECT id FROM webhooks WHERE id = $1::uuid AND org_id = $2::uuid) h"
    " LEFT JOIN LATERAL (SELECT * FROM webhook_deliveries WHERE webhook_id = h.id"
    "                    ORDER BY id DESC LIMIT $3::int) d ON true"
    " LEFT JOIN webhook_events e ON e.id = d.event_id"
    " ORDER BY d.id DESC");

enum hp_db_status hp_webhooks_deliveries(struct hp_db *db, struct hp_arena *arena,
                                         const char *id, const char *org_id, int limit,
                                         struct hp_webhook_delivery *out, int *n)
{
    PGresult *r;
    const char *params[] = {id, org_id, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &deliveries_sql, 3, params, &r);
    *n = 0;
    if (st != HP_DB_ROWS)
        return st;
    for (int i = 0; i < PQntuples(r) && *n < limit; i++) {
        if (!hp_db_text(r, i, 1))
            continue; /* the webhook, with no delivery yet */
        struct hp_webhook_delivery *d = &out[(*n)++];
        d->id = hp_db_int64(r, i, 1);
        d->event_id = hp_db_int64(r, i, 2);
        d->event = hp_db_text(r, i, 3);
        d->subject = hp_db_text(r, i, 4);
        d->status = hp_db_text(r, i, 5);
        d->attempts = (int)hp_db_int64(r, i, 6);
        d->last_status = (int)hp_db_int64(r, i, 7);
        d->last_error = hp_db_text(r, i, 8);
        d->occurred_us = hp_db_int64(r, i, 9);
        d->next_us = hp_db_int64(r, i, 10);
        d->last_attempt_us = hp_db_int64(r, i, 11);
        d->delivered_us = hp_db_int64(r, i, 12);
    }
    return st;
}
