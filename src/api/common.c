/* Helpers every handler uses: the body, paging, times, database failures. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/db.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cJSON *hp_api_body(struct hp_request *req)
{
    if (!req->body || req->body_len == 0) {
        hp_reply_problem(req, 400, "malformed-json", "a JSON body is required");
        return NULL;
    }
    size_t at = 0;
    cJSON *doc = hp_json_parse(req->body, req->body_len, &at);
    if (!doc) {
        hp_reply_problem(req, 400, "malformed-json", "the body is not valid JSON (at byte %zu)",
                         at);
        return NULL;
    }
    hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete, doc);
    if (!cJSON_IsObject(doc)) {
        hp_req_invalid(req, "", "the body must be a JSON object");
        hp_reply_invalid(req);
        return NULL;
    }
    return doc;
}

static void on_invalid(void *ctx, const char *pointer, const char *message)
{
    hp_req_invalid(ctx, pointer, "%s", message);
}

bool hp_api_read(struct hp_request *req, const cJSON *obj, const struct hp_json_field *spec,
                 const char *prefix, const cJSON **out)
{
    return hp_json_read(obj, spec, prefix, out, on_invalid, req);
}

bool hp_api_paging(struct hp_request *req, int *limit, const char **cursor)
{
    const char *l = hp_req_query(req, "limit");
    *limit = 50;
    if (l) {
        char *end;
        long v = strtol(l, &end, 10);
        if (!*l || *end || v < 1 || v > 500) {
            hp_reply_problem(req, 400, "bad-parameter", "limit must be an integer from 1 to 500");
            return false;
        }
        *limit = (int)v;
    }
    *cursor = hp_req_query(req, "cursor");
    if (*cursor && (!**cursor || strlen(*cursor) > 64)) {
        hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
        return false;
    }
    return true;
}

bool hp_api_uuid_paging(struct hp_request *req, int *limit, const char **cursor)
{
    if (!hp_api_paging(req, limit, cursor))
        return false;
    if (*cursor && !hp_uuid_valid(*cursor)) {
        hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
        return false;
    }
    return true;
}

cJSON *hp_api_page(cJSON *items, const char *next)
{
    cJSON *page = cJSON_CreateObject();
    cJSON_AddItemToObject(page, "items", items);
    if (next)
        cJSON_AddStringToObject(page, "next_cursor", next);
    else
        cJSON_AddNullToObject(page, "next_cursor");
    return page;
}

void hp_api_add_time(cJSON *obj, const char *key, int64_t us)
{
    char buf[HP_TIME_BUF];
    hp_time_format(us, buf);
    cJSON_AddStringToObject(obj, key, buf);
}

void hp_api_db_failed(struct hp_request *req, enum hp_db_status st)
{
    if (st == HP_DB_UNAVAILABLE || !req->db)
        hp_reply_unavailable(req);
    else
        hp_reply_internal(req, hp_db_message(req->db));
}

/* A position of two or three finite numbers, longitude then latitude in
 * range; false after recording why at ptr. */
bool hp_api_read_position(struct hp_request *req, const cJSON *pos, const char *ptr)
{
    int n = cJSON_GetArraySize(pos);
    if (!cJSON_IsArray(pos) || n < 2 || n > 3) {
        hp_req_invalid(req, ptr, "must be a position: [longitude, latitude]");
        return false;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *c = cJSON_GetArrayItem(pos, i);
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble)) {
            hp_req_invalid(req, hp_arena_printf(req->arena, "%s/%d", ptr, i),
                           "must be a number");
            return false;
        }
    }
    double lon = cJSON_GetArrayItem(pos, 0)->valuedouble;
    double lat = cJSON_GetArrayItem(pos, 1)->valuedouble;
    if (lon < -180 || lon > 180) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "%s/0", ptr),
                       "longitude must be between -180 and 180");
        return false;
    }
    if (lat < -90 || lat > 90) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "%s/1", ptr),
                       "latitude must be between -90 and 90");
        return false;
    }
    return true;
}

const char *hp_api_own_org(const struct hp_request *req)
{
    return req->who->role == HP_ROLE_HAULIER || req->who->role == HP_ROLE_SITE
               ? req->who->org_id
               : NULL;
}
