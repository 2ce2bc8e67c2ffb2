/* /v1/queue and POST /v1/applications/{id}/decision: the officers' review
 * queue. A claim holds an application for 15 minutes; only its holder may
 * decide it; approval issues the passes in the same transaction. */
#include "haulpass/api.h"

#include "haulpass/app.h"
#include "haulpass/applications.h"
#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/queue.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"

#include <stdlib.h>
#include <string.h>

void hp_api_queue_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_paging(req, &limit, &cursor))
        return;
    if (cursor) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "the queue has no cursor: it is read from the top each time");
        return;
    }
    struct hp_application *rows = hp_arena_calloc(req->arena, (size_t)limit, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_queue_list(req->db, req->arena, req->who->user_id, limit, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(items, hp_api_application_json(&rows[i], NULL));
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}

void hp_api_queue_claim(struct hp_request *req)
{
    struct hp_application a;
    enum hp_db_status st = hp_queue_claim(req->db, req->arena, req->who->user_id, &a);
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (st == HP_DB_NO_ROWS)
        hp_reply_static(req, 204, NULL, "", 0);
    else
        hp_reply_json(req, 200, hp_api_application_json(&a, NULL));
}

void hp_api_queue_stats(struct hp_request *req)
{
    struct hp_queue_depth totals;
    struct hp_queue_type_stats per_type[HP_QUEUE_TYPES];
    int n;
    enum hp_db_status st = hp_queue_stats(req->db, req->arena, &totals, per_type, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "open", totals.open);
    cJSON_AddNumberToObject(j, "overdue", totals.overdue);
    cJSON *types = cJSON_AddObjectToObject(j, "per_type");
    for (int i = 0; i < n; i++) {
        const struct hp_queue_type_stats *s = &per_type[i];
        cJSON *t = cJSON_AddObjectToObject(types, s->type);
        cJSON_AddNumberToObject(t, "decided", s->decided);
        if (!s->has_median)
            cJSON_AddNullToObject(t, "median_hours_to_decision");
        else
            cJSON_AddNumberToObject(t, "median_hours_to_decision", s->median_hours);
        if (!s->has_share)
            cJSON_AddNullToObject(t, "share_within_deadline");
        else
            cJSON_AddNumberToObject(t, "share_within_deadline", s->within_deadline_share);
    }
    hp_reply_json(req, 200, j);
}

/* In the order of enum hp_decision_kind. */
static const char *const decisions[] = {"approve", "approve_provisional", "reject", NULL};

enum { D_DECISION, D_REASON, D_MISSING, D_DUE, D_COUNT };

static const struct hp_json_field decision_spec[] = {
    {"decision", HP_JSON_ENUM, .required = true, .choices = decisions},
    {"reason", HP_JSON_STRING, .nullable = true, .max = 2000},
    {"missing_documents", HP_JSON_ARRAY, .nullable = true, .max = 50},
    {"documents_due", HP_JSON_STRING, .nullable = true},
    {NULL},
};

/* Reads the decision body into d; false after replying 422. */
static bool read_decision(struct hp_request *req, const cJSON *body, struct hp_decision *d)
{
    const cJSON *v[D_COUNT];
    bool ok = hp_api_read(req, body, decision_spec, "", v);
    memset(d, 0, sizeof(*d));
    for (int k = 0; v[D_DECISION] && decisions[k]; k++)
        if (strcmp(v[D_DECISION]->valuestring, decisions[k]) == 0)
            d->kind = (enum hp_decision_kind)k;
    d->reason = v[D_REASON] ? v[D_REASON]->valuestring : NULL;
    bool reject = v[D_DECISION] && d->kind == HP_DECISION_REJECT;
    bool provisional = v[D_DECISION] && d->kind == HP_DECISION_APPROVE_PROVISIONAL;
    if (reject && (!d->reason || !d->reason[strspn(d->reason, " \t\r\n")])) {
        hp_req_invalid(req, "/reason", "a rejection must give its reason");
        ok = false;
    }
    if (provisional && (!v[D_MISSING] || cJSON_GetArraySize(v[D_MISSING]) == 0)) {
        hp_req_invalid(req, "/missing_documents",
                       "a provisional approval names the documents still missing");
        ok = false;
    } else if (v[D_MISSING] && !provisional) {
        hp_req_invalid(req, "/missing_documents", "only a provisional approval takes it");
        ok = false;
    } else if (v[D_MISSING]) {
        const char **names = hp_arena_calloc(req->arena, (size_t)cJSON_GetArraySize(v[D_MISSING]) + 1,
                                             sizeof(*names));
        int i = 0;
        for (const cJSON *m = v[D_MISSING]->child; m; m = m->next, i++) {
            if (!cJSON_IsString(m)) {
                hp_req_invalid(req, hp_arena_printf(req->arena, "/missing_documents/%d", i),
                               "must be a document name");
                ok = false;
            }
            names[i] = m->valuestring;
        }
        d->missing_documents = names;
        d->nmissing = i;
    }
    int64_t due;
    if (provisional && !v[D_DUE]) {
        hp_req_invalid(req, "/documents_due", "a provisional approval sets the date due");
        ok = false;
    } else if (v[D_DUE] && !provisional) {
        hp_req_invalid(req, "/documents_due", "only a provisional approval takes it");
        ok = false;
    } else if (v[D_DUE] && !hp_time_parse(v[D_DUE]->valuestring, &due)) {
        hp_req_invalid(req, "/documents_due", "must be an RFC 3339 date-time with an offset");
        ok = false;
    } else if (v[D_DUE] && due <= hp_time_now_us()) {
        hp_req_invalid(req, "/documents_due", "must be in the future");
        ok = false;
    } else if (v[D_DUE] && due > HP_TIME_LAST_US) {
        hp_req_invalid(req, "/documents_due", "must lie before 9999-12-31T10:00:00Z");
        ok = false;
    } else if (v[D_DUE]) {
        d->documents_due_us = due;
    }
    if (!ok)
        hp_reply_invalid(req);
    return ok;
}

struct decide_tx {
    struct hp_arena *arena;
    const char *id, *officer;
    const struct hp_decision *d;
    const struct hp_signing_key *key;
    enum hp_decide_outcome outcome;
    int bad_document;
    struct hp_application app;
};

static enum hp_db_status decide_run(struct hp_db *db, void *ctx)
{
    struct decide_tx *t = ctx;
    return hp_queue_decide(db, t->arena, t->id, t->officer, t->d, t->key, &t->outcome,
                           &t->bad_document, &t->app);
}

void hp_api_applications_decide(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no application has this id");
        return;
    }
    cJSON *body = hp_api_body(req);
    struct hp_decision d;
    if (!body || !read_decision(req, body, &d))
        return;
    struct decide_tx t = {.arena = req->arena, .id = id, .officer = req->who->user_id, .d = &d,
                          .key = req->app->signing_key};
    enum hp_db_status st = hp_db_tx(req->db, decide_run, &t);
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (t.outcome == HP_DECIDE_NOT_FOUND)
        hp_reply_problem(req, 404, "not-found", "no application has this id");
    else if (t.outcome == HP_DECIDE_NOT_HOLDER)
        hp_reply_problem(req, 409, "not-claim-holder",
                         "only the officer holding a live claim on it decides an application");
    else if (t.outcome == HP_DECIDE_EXTENSION_LIMIT)
        hp_reply_problem(req, 409, "extension-limit",
                         "the pass was extended twice since this amendment was filed, the most "
                         "allowed: reject the amendment");
    else if (t.outcome == HP_DECIDE_BAD_DOCUMENT) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "/missing_documents/%d", t.bad_document),
                       "must name, once, a document of the application not yet provided");
        hp_reply_invalid(req);
    } else {
        hp_reply_json(req, 200, hp_api_application_json(&t.app, NULL));
    }
}
