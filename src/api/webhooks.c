/*
 * /v1/webhooks: a haulier's or site's subscriptions to the events of its
 * own organisation, and the log of their deliveries (docs/webhooks.md).
 * The secret that signs the deliveries is shown once, when created.
 */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"
#include "haulpass/token.h"
#include "haulpass/webhooks.h"

#include <string.h>

static const char *const event_names[] = {
    "application.status_changed", "pass.issued",      "pass.amended",   "pass.revoked",
    "pass.suspended",             "escort.scheduled", "escort.cancelled", "escort.changed",
    NULL,
};

enum { F_URL, F_EVENTS, F_COUNT };

static const struct hp_json_field create_spec[] = {
    {"url", HP_JSON_STRING, .required = true, .min = 8, .max = 2000, .trimmed = true},
    {"events", HP_JSON_ARRAY, .required = true, .min = 1, .max = 8},
    {NULL},
};

/* http(s)://host... with no white space or control characters; false after
 * recording why. Where it points is the owner's business (as with any
 * receiver), but only web URLs are sent to. */
static bool read_url(struct hp_request *req, const char *url)
{
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (!scheme) {
        hp_req_invalid(req, "/url", "must start with https:// or http://");
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= ' ' || *p == 0x7f) {
            hp_req_invalid(req, "/url", "must not hold spaces or control characters");
            return false;
        }
    }
    if (strchr("/?#", url[scheme])) {
        hp_req_invalid(req, "/url", "must name a host");
        return false;
    }
    return true;
}

/* The event names of arr, each once; NULL after recording why. */
static const char **read_events(struct hp_request *req, const cJSON *arr, int *n)
{
    const char **out = hp_arena_calloc(req->arena, 8, sizeof(*out));
    *n = 0;
    int i = 0;
    bool ok = true;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        const char *ptr = hp_arena_printf(req->arena, "/events/%d", i);
        int k = -1;
        for (int j = 0; cJSON_IsString(e) && event_names[j]; j++)
            if (strcmp(event_names[j], e->valuestring) == 0)
                k = j;
        if (k < 0) {
            hp_req_invalid(req, ptr, "must be one of application.status_changed, pass.issued, "
                                     "pass.amended, pass.revoked, pass.suspended, "
                                     "escort.scheduled, escort.cancelled, escort.changed");
            ok = false;
            continue;
        }
        for (int j = 0; j < *n; j++)
            if (strcmp(out[j], event_names[k]) == 0) {
                hp_req_invalid(req, ptr, "is listed twice");
                ok = false;
                k = -1;
                break;
            }
        if (k >= 0 && *n < 8)
            out[(*n)++] = event_names[k];
    }
    return ok ? out : NULL;
}

static cJSON *hook_json(const struct hp_webhook *h)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", h->id);
    cJSON_AddStringToObject(j, "url", h->url);
    cJSON *ev = cJSON_AddArrayToObject(j, "events");
    for (int i = 0; i < h->nevents; i++)
        cJSON_AddItemToArray(ev, cJSON_CreateString(h->events[i]));
    if (h->secret)
        cJSON_AddStringToObject(j, "secret", h->secret);
    hp_api_add_time(j, "created_at", h->created_us);
    return j;
}

void hp_api_webhooks_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[F_COUNT];
    bool ok = hp_api_read(req, body, create_spec, "", v);
    int n = 0;
    const char **events = NULL;
    if (v[F_URL] && !read_url(req, v[F_URL]->valuestring))
        ok = false;
    if (v[F_EVENTS] && !(events = read_events(req, v[F_EVENTS], &n)))
        ok = false;
    if (!ok) {
        hp_reply_invalid(req);
        return;
    }
    char secret[HP_TOKEN_LEN + 1];
    if (!hp_token_new(secret)) {
        hp_reply_internal(req, "no randomness for a webhook secret");
        return;
    }
    struct hp_webhook h;
    enum hp_db_status st = hp_webhooks_create(req->db, req->arena, req->who->user_id,
                                              req->who->org_id, v[F_URL]->valuestring, events,
                                              n, hp_arena_strdup(req->arena, secret), &h);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 409, "too-many-webhooks",
                         "an organisation may have %d webhooks; delete one first",
                         HP_WEBHOOKS_MAX);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/webhooks/%s", h.id));
    hp_reply_json(req, 201, hook_json(&h));
}

void hp_api_webhooks_list(struct hp_request *req)
{
    struct hp_webhook rows[HP_WEBHOOKS_MAX];
    int n;
    enum hp_db_status st =
        hp_webhooks_list(req->db, req->arena, req->who->org_id, rows, HP_WEBHOOKS_MAX, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(items, hook_json(&rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}

void hp_api_webhooks_delete(struct hp_request *req)
{
    const char *id = req->params[0];
    enum hp_db_status st = hp_uuid_valid(id)
                               ? hp_webhooks_delete(req->db, req->arena, id, req->who->org_id)
                               : HP_DB_NO_ROWS;
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "your organisation has no webhook with this id");
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        hp_reply_static(req, 204, NULL, "", 0);
}

static void add_time_or_null(cJSON *j, const char *key, int64_t us)
{
    if (us)
        hp_api_add_time(j, key, us);
    else
        cJSON_AddNullToObject(j, key);
}

static cJSON *delivery_json(const struct hp_webhook_delivery *d)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", (double)d->id);
    cJSON_AddNumberToObject(j, "event_id", (double)d->event_id);
    cJSON_AddStringToObject(j, "event", d->event);
    cJSON_AddStringToObject(j, "subject", d->subject);
    cJSON_AddStringToObject(j, "status", d->status);
    cJSON_AddNumberToObject(j, "attempts", d->attempts);
    if (d->last_status)
        cJSON_AddNumberToObject(j, "last_status", d->last_status);
    else
        cJSON_AddNullToObject(j, "last_status");
    if (d->last_error)
        cJSON_AddStringToObject(j, "last_error", d->last_error);
    else
        cJSON_AddNullToObject(j, "last_error");
    hp_api_add_time(j, "occurred_at", d->occurred_us);
    add_time_or_null(j, "last_attempt_at", d->last_attempt_us);
    add_time_or_null(j, "delivered_at", d->delivered_us);
    add_time_or_null(j, "next_attempt_at", strcmp(d->status, "pending") == 0 ? d->next_us : 0);
    return j;
}

void hp_api_webhooks_deliveries(struct hp_request *req)
{
    const char *id = req->params[0];
    int limit;
    const char *cursor;
    if (!hp_api_paging(req, &limit, &cursor))
        return;
    struct hp_webhook_delivery *rows = hp_arena_calloc(req->arena, (size_t)limit, sizeof(*rows));
    int n = 0;
    enum hp_db_status st =
        hp_uuid_valid(id)
            ? hp_webhooks_deliveries(req->db, req->arena, id, req->who->org_id, limit, rows, &n)
            : HP_DB_NO_ROWS;
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "your organisation has no webhook with this id");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(items, delivery_json(&rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}
