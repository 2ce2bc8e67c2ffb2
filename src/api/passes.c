/* /v1/passes: read and revoke passes. Hauliers and sites see the passes
 * of their applications and vehicles; officers and admins all. Before each
 * read the lazy sweep marks overdue provisional passes suspended and
 * passes past valid_to expired, so no background thread is needed. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/oversize.h"
#include "haulpass/pass_code.h"
#include "haulpass/passes.h"
#include "haulpass/plate.h"
#include "haulpass/reply.h"
#include "haulpass/roadworks.h"

#include <string.h>

/* Runs the sweep on the request's connection; false after replying 500
 * when it failed. */
bool hp_api_sweep_lapsed(struct hp_request *req)
{
    char today[11];
    hp_api_today(today);
    enum hp_db_status st = hp_passes_sweep(req->db, req->arena, today);
    if (st >= 0)
        st = hp_roadworks_sweep(req->db, req->arena, today);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return false;
    }
    return true;
}

/* The pass code of the path, or NULL after replying 404. */
static const char *pass_code(struct hp_request *req)
{
    const char *code = req->params[0];
    if (!hp_pass_code_valid(code)) {
        hp_reply_problem(req, 404, "not-found", "no pass has this code");
        return NULL;
    }
    return code;
}

cJSON *hp_api_pass_json(const struct hp_pass *p)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "code", p->code);
    cJSON_AddNumberToObject(j, "revision", p->revision);
    if (p->signed_code)
        cJSON_AddStringToObject(j, "signed_code", p->signed_code);
    else
        cJSON_AddNullToObject(j, "signed_code");
    cJSON_AddStringToObject(j, "plate", p->plate);
    cJSON_AddStringToObject(j, "type", p->type);
    cJSON *z = p->zone_ids ? cJSON_CreateStringArray(p->zone_ids, p->nzones) : NULL;
    cJSON_AddItemToObject(j, "zone_ids", z ? z : cJSON_CreateArray());
    if (p->corridor) {
        cJSON *c = cJSON_AddObjectToObject(j, "corridor");
        cJSON *route = cJSON_Parse(p->corridor);
        cJSON_AddItemToObject(c, "route", route ? route : cJSON_CreateNull());
        cJSON_AddNumberToObject(c, "width_m", p->corridor_width_m);
    } else {
        cJSON_AddNullToObject(j, "corridor");
    }
    cJSON_AddStringToObject(j, "valid_from", p->valid_from);
    cJSON_AddStringToObject(j, "valid_to", p->valid_to);
    if (p->hours)
        cJSON_AddStringToObject(j, "hours", p->hours);
    else
        cJSON_AddNullToObject(j, "hours");
    cJSON_AddStringToObject(j, "status", p->status);
    cJSON_AddStringToObject(j, "application_id", p->application_id);
    if (p->project_id)
        cJSON_AddStringToObject(j, "project_id", p->project_id);
    else
        cJSON_AddNullToObject(j, "project_id");
    hp_api_add_time(j, "issued_at", p->issued_us);
    if (p->documents_due_us)
        hp_api_add_time(j, "documents_due", p->documents_due_us);
    else
        cJSON_AddNullToObject(j, "documents_due");
    if (p->revoked_us) {
        hp_api_add_time(j, "revoked_at", p->revoked_us);
        cJSON_AddStringToObject(j, "revoke_reason", p->revoke_reason ? p->revoke_reason : "");
    }
    /* The current revision's making (docs/contract.md §13). */
    if (p->revised_us)
        hp_api_add_time(j, "revised_at", p->revised_us);
    else
        cJSON_AddNullToObject(j, "revised_at");
    cJSON_AddItemToObject(j, "revise_reason", p->revise_reason ? cJSON_CreateString(p->revise_reason)
                                                               : cJSON_CreateNull());
    cJSON_AddNumberToObject(j, "extensions", p->extensions);
    /* An oversize load's, and whether the police must lead it (§13). */
    cJSON_AddItemToObject(j, "cargo", hp_api_cargo_json(p->cargo));
    cJSON_AddBoolToObject(j, "escort_required", hp_oversize_escort_required_json(p->cargo));
    return j;
}

void hp_api_passes_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_paging(req, &limit, &cursor))
        return;
    if (cursor && !hp_pass_code_valid(cursor)) {
        hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
        return;
    }
    const char *plate = hp_req_query(req, "plate");
    char norm[HP_PLATE_BUF];
    if (plate && hp_plate_normalise(plate, norm, NULL) != HP_PLATE_OK) {
        hp_reply_problem(req, 400, "bad-parameter", "plate is not a plate");
        return;
    }
    if (!hp_api_sweep_lapsed(req))
        return;
    struct hp_pass *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_passes_list(req->db, req->arena, hp_api_own_org(req), plate ? norm : NULL,
                                          cursor, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, hp_api_pass_json(&rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].code : NULL));
}

void hp_api_passes_get(struct hp_request *req)
{
    if (!hp_api_sweep_lapsed(req))
        return;
    struct hp_pass p;
    if (hp_api_pass_for_code(req, &p))
        hp_reply_json(req, 200, hp_api_pass_json(&p));
}

static const struct hp_json_field revoke_spec[] = {
    {"reason", HP_JSON_STRING, .required = true, .min = 1, .max = 2000},
    {NULL},
};

struct revoke_tx {
    struct hp_arena *arena;
    const char *code, *actor, *reason;
    bool changed;
    struct hp_pass pass;
};

static enum hp_db_status revoke_run(struct hp_db *db, void *ctx)
{
    struct revoke_tx *t = ctx;
    return hp_passes_revoke(db, t->arena, t->code, t->actor, t->reason, &t->changed, &t->pass);
}

void hp_api_passes_revoke(struct hp_request *req)
{
    const char *code = pass_code(req);
    if (!code)
        return;
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return;
    bool ok = hp_api_read(req, body, revoke_spec, "", v);
    if (ok && !v[0]->valuestring[strspn(v[0]->valuestring, " \t\r\n")]) {
        hp_req_invalid(req, "/reason", "a revocation must give its reason");
        ok = false;
    }
    if (!ok) {
        hp_reply_invalid(req);
        return;
    }
    if (!hp_api_sweep_lapsed(req))
        return;
    struct revoke_tx t = {.arena = req->arena, .code = code, .actor = req->who->user_id,
                          .reason = v[0]->valuestring};
    enum hp_db_status st = hp_db_tx(req->db, revoke_run, &t);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no pass has this code");
    else if (st < 0)
        hp_api_db_failed(req, st);
    else if (!t.changed)
        hp_reply_problem(req, 409, "wrong-status", "the pass is %s", t.pass.status);
    else
        hp_reply_json(req, 200, hp_api_pass_json(&t.pass));
}
