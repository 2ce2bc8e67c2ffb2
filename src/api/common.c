/* Helpers every handler uses: the body, paging, times, database failures. */
#include "haulpass/api.h"

#include "haulpass/antimeridian.h"
#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/db.h"
#include "haulpass/json_body.h"
#include "haulpass/opening_hours.h"
#include "haulpass/password.h"
#include "haulpass/plate.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"
#include "haulpass/token.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

cJSON *hp_api_body(struct hp_request *req)
{
    if (!req->body || req->body_len == 0) {
        hp_reply_problem(req, 400, "malformed-json", "a JSON body is required");
        return NULL;
    }
    size_t at = 0;
    /* In the request's arena: it goes with the request, node by node free. */
    cJSON *doc = hp_json_parse_in(req->arena, req->body, req->body_len, &at);
    if (!doc) {
        hp_reply_problem(req, 400, "malformed-json", "the body is not valid JSON (at byte %zu)",
                         at);
        return NULL;
    }
    if (!cJSON_IsObject(doc)) {
        hp_req_invalid(req, "", "the body must be a JSON object");
        hp_reply_invalid(req);
        return NULL;
    }
    return doc;
}

bool hp_api_optional_reason(struct hp_request *req, const char **reason)
{
    static const struct hp_json_field spec[] = {
        {"reason", HP_JSON_STRING, .nullable = true, .min = 1, .max = 2000, .trimmed = true},
        {NULL},
    };
    *reason = NULL;
    size_t i = 0;
    while (req->body && i < req->body_len && req->body[i] &&
           strchr(" \t\r\n", req->body[i]))
        i++;
    if (!req->body || i == req->body_len)
        return true;
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return false;
    if (!hp_api_read(req, body, spec, "", v)) {
        hp_reply_invalid(req);
        return false;
    }
    *reason = v[0] && cJSON_IsString(v[0]) ? v[0]->valuestring : NULL;
    return true;
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

void hp_api_today(char out[11])
{
    hp_calendar_date_format(hp_calendar_local_date(NULL, time(NULL)), out);
}

cJSON *hp_api_json_or_null(const char *text)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    return j ? j : cJSON_CreateNull();
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

static const char *print_json(struct hp_arena *arena, const cJSON *j)
{
    return hp_arena_defer(arena, cJSON_free, cJSON_PrintUnformatted(j));
}

const char **hp_api_read_plates(struct hp_request *req, const cJSON *plates, const char *ptr,
                                int *n)
{
    const char **out =
        hp_arena_calloc(req->arena, (size_t)cJSON_GetArraySize(plates) + 1, sizeof(*out));
    bool ok = true;
    int i = 0;
    *n = 0;
    for (const cJSON *p = plates->child; p; p = p->next, i++) {
        const char *at = hp_arena_printf(req->arena, "%s/%d", ptr, i);
        char norm[HP_PLATE_BUF];
        enum hp_plate_status st =
            cJSON_IsString(p) ? hp_plate_normalise(p->valuestring, norm, NULL) : HP_PLATE_NOT_TEXT;
        if (st != HP_PLATE_OK) {
            hp_req_invalid(req, at, "%s", cJSON_IsString(p) ? hp_plate_message(st)
                                                            : "must be a plate (a string)");
            ok = false;
            continue;
        }
        bool dup = false;
        for (int k = 0; k < *n && !dup; k++)
            dup = strcmp(out[k], norm) == 0;
        if (dup) {
            hp_req_invalid(req, at, "names a plate already listed");
            ok = false;
            continue;
        }
        out[(*n)++] = hp_arena_strdup(req->arena, norm);
    }
    return ok ? out : NULL;
}

/* Most positions a LineString in a request may hold. */
#define MAX_LINE_POSITIONS 10000

const char *hp_api_read_geometry(struct hp_request *req, const cJSON *g, const char *type,
                                 const char *ptr)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(g, "type");
    const cJSON *coords = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
    bool line = strcmp(type, "LineString") == 0;
    if (!cJSON_IsObject(g)) {
        hp_req_invalid(req, ptr, "must be a GeoJSON %s", type);
        return NULL;
    }
    if (!cJSON_IsString(t) || strcmp(t->valuestring, type) != 0) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "%s/type", ptr), "must be \"%s\"", type);
        return NULL;
    }
    const char *cptr = hp_arena_printf(req->arena, "%s/coordinates", ptr);
    if (!line && !hp_api_read_position(req, coords, cptr))
        return NULL;
    if (line) {
        int n = cJSON_GetArraySize(coords);
        if (!cJSON_IsArray(coords) || n < 2 || n > MAX_LINE_POSITIONS) {
            hp_req_invalid(req, cptr, "must hold from 2 to %d positions", MAX_LINE_POSITIONS);
            return NULL;
        }
        int i = 0;
        bool moves = false;
        const cJSON *first = coords->child;
        double lon_before = 0;
        for (const cJSON *p = first; p; p = p->next, i++) {
            const char *at = hp_arena_printf(req->arena, "%s/%d", cptr, i);
            if (!hp_api_read_position(req, p, at))
                return NULL;
            double lon = cJSON_GetArrayItem(p, 0)->valuedouble;
            if (p != first && hp_antimeridian_crossed(lon_before, lon)) {
                hp_req_invalid(req, at, "%s", HP_ANTIMERIDIAN_MESSAGE);
                return NULL;
            }
            lon_before = lon;
            for (int k = 0; k < 2; k++)
                moves = moves || cJSON_GetArrayItem(p, k)->valuedouble !=
                                     cJSON_GetArrayItem(first, k)->valuedouble;
        }
        /* A line of no length has no stretch for a corridor or a convoy. */
        if (!moves) {
            hp_req_invalid(req, cptr, "must hold at least two different positions");
            return NULL;
        }
    }
    /* Only type and coordinates: a "crs" member must not reach PostGIS. */
    cJSON *clean = cJSON_CreateObject();
    cJSON_AddStringToObject(clean, "type", type);
    cJSON_AddItemToObject(clean, "coordinates", cJSON_Duplicate(coords, true));
    const char *text = print_json(req->arena, clean);
    cJSON_Delete(clean);
    return text;
}

const char *hp_api_read_hours(struct hp_request *req, const char *src, const char *ptr)
{
    struct hp_oh *oh;
    struct hp_oh_error err;
    if (hp_oh_compile(src, &oh, &err) != HP_OH_OK) {
        hp_req_invalid(req, ptr, "is not opening_hours: %s", err.message);
        return NULL;
    }
    const char *text = hp_arena_strdup(req->arena, hp_oh_text(oh));
    hp_oh_free(oh);
    return text;
}

bool hp_api_new_token(struct hp_request *req, char token[], char hash[])
{
    if (!hp_token_new(token)) {
        hp_reply_internal(req, "the kernel gave no randomness");
        return false;
    }
    hp_sha256_hex(token, strlen(token), hash);
    return true;
}

bool hp_api_password_hash(struct hp_request *req, const char *password, char out[])
{
    if (!hp_password_hash(password, strlen(password), out)) {
        hp_reply_internal(req, "scrypt failed (out of memory, or no randomness)");
        return false;
    }
    return true;
}
