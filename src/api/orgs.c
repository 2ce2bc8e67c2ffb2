/* POST /v1/orgs, GET /v1/orgs, GET /v1/orgs/{id} (admin). */
#include "haulpass/api.h"

#include "haulpass/accounts.h"
#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"

#include <string.h>

static const char *const org_kinds[] = {"police", "haulier", "site", NULL};

static const struct hp_json_field org_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"kind", HP_JSON_ENUM, .required = true, .choices = org_kinds},
    {NULL},
};

static cJSON *org_json(const struct hp_org *o)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", o->id);
    cJSON_AddStringToObject(j, "name", o->name);
    cJSON_AddStringToObject(j, "kind", o->kind);
    hp_api_add_time(j, "created_at", o->created_us);
    return j;
}

void hp_api_orgs_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[2];
    if (!hp_api_read(req, body, org_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    struct hp_org org;
    enum hp_db_status st = hp_accounts_org_create(req->db, req->arena, req->who->user_id,
                                                  v[0]->valuestring, v[1]->valuestring, &org);
    if (st == HP_DB_HARD_ERROR && strcmp(hp_db_sqlstate(req->db), "23505") == 0) {
        hp_reply_problem(req, 409, "name-taken", "an organisation named \"%s\" exists already",
                         v[0]->valuestring);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/orgs/%s", org.id));
    hp_reply_json(req, 201, org_json(&org));
}

void hp_api_orgs_get(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no organisation has the id %s", id);
        return;
    }
    struct hp_org org;
    enum hp_db_status st = hp_accounts_org_get(req->db, req->arena, id, &org);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no organisation has the id %s", id);
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        hp_reply_json(req, 200, org_json(&org));
}

void hp_api_orgs_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_uuid_paging(req, &limit, &cursor))
        return;
    /* One more than asked tells whether another page follows. */
    struct hp_org *orgs = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*orgs));
    int n;
    enum hp_db_status st = hp_accounts_org_list(req->db, req->arena, cursor, limit + 1, orgs, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, org_json(&orgs[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? orgs[limit - 1].id : NULL));
}
