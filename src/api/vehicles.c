/* /v1/vehicles: register, list, read and change vehicles. Hauliers and
 * sites see and write their own organisation's; officers and admins all. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/etag.h"
#include "haulpass/json_body.h"
#include "haulpass/plate.h"
#include "haulpass/reply.h"
#include "haulpass/vehicle_input.h"
#include "haulpass/vehicles.h"

#include <string.h>

static void add_int_or_null(cJSON *j, const char *key, int v)
{
    if (v)
        cJSON_AddNumberToObject(j, key, v);
    else
        cJSON_AddNullToObject(j, key);
}

static cJSON *vehicle_json(const struct hp_vehicle *v)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", v->id);
    cJSON_AddStringToObject(j, "plate", v->plate);
    cJSON_AddStringToObject(j, "org_id", v->org_id);
    cJSON_AddStringToObject(j, "class", v->class);
    cJSON_AddNumberToObject(j, "gross_weight_kg", v->gross_weight_kg);
    add_int_or_null(j, "axles", v->axles);
    add_int_or_null(j, "length_mm", v->length_mm);
    add_int_or_null(j, "width_mm", v->width_mm);
    add_int_or_null(j, "height_mm", v->height_mm);
    cJSON_AddBoolToObject(j, "hazmat", v->hazmat);
    cJSON_AddBoolToObject(j, "new_energy", v->new_energy);
    cJSON_AddNumberToObject(j, "version", v->version);
    hp_api_add_time(j, "created_at", v->created_us);
    hp_api_add_time(j, "updated_at", v->updated_us);
    return j;
}

/* The path of a vehicle: a URI is ASCII, so an ideograph is percent-encoded. */
static const char *vehicle_path(struct hp_arena *arena, const char *plate)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(plate), at = sizeof("/v1/vehicles/") - 1;
    char *out = hp_arena_alloc(arena, at + 3 * n + 1);
    memcpy(out, "/v1/vehicles/", at);
    for (const unsigned char *p = (const unsigned char *)plate; *p; p++) {
        if (*p < 0x80) {
            out[at++] = (char)*p;
        } else {
            out[at++] = '%';
            out[at++] = hex[*p >> 4];
            out[at++] = hex[*p & 15];
        }
    }
    out[at] = '\0';
    return out;
}

static void reply_vehicle(struct hp_request *req, int status, const struct hp_vehicle *v)
{
    hp_etag_reply(req, v->version);
    if (status == 201)
        hp_reply_header(req, "Location", vehicle_path(req->arena, v->plate));
    hp_reply_json(req, status, vehicle_json(v));
}

static bool is_police(const struct hp_request *req)
{
    return (req->who->role & HP_ROLE_POLICE) != 0;
}

/* The organisation whose vehicles the caller may see: NULL for all. */
static const char *visible_org(const struct hp_request *req)
{
    return is_police(req) ? NULL : req->who->org_id;
}

/* The plate of the path in normal form, or NULL after replying 404. */
static const char *path_plate(struct hp_request *req)
{
    char *plate = hp_arena_alloc(req->arena, HP_PLATE_BUF);
    if (hp_plate_normalise(req->params[0], plate, NULL) != HP_PLATE_OK) {
        hp_reply_problem(req, 404, "not-found", "no vehicle has this plate");
        return NULL;
    }
    return plate;
}

static void on_invalid(void *ctx, const char *pointer, const char *message)
{
    hp_req_invalid(ctx, pointer, "%s", message);
}

/* The checked fields of body (owned by the request), or NULL after
 * recording each error on req. */
static cJSON *read_fields(struct hp_request *req, const cJSON *body,
                          enum hp_vehicle_input_mode mode)
{
    return hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete,
                          hp_vehicle_input_read(body, mode, "", on_invalid, req));
}

/* obj as JSON text for the database, owned by the request. */
static const char *json_text(struct hp_request *req, const cJSON *obj)
{
    return hp_arena_defer(req->arena, cJSON_free, cJSON_PrintUnformatted(obj));
}

void hp_api_vehicles_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    cJSON *fields = read_fields(req, body, HP_VEHICLE_INPUT_CREATE);
    const cJSON *asked = cJSON_GetObjectItemCaseSensitive(body, "org_id");
    const char *why = NULL;
    const char *org =
        hp_vehicle_input_owner(req->who, cJSON_IsString(asked) ? asked->valuestring : NULL, &why);
    if (fields && !org)
        hp_req_invalid(req, "/org_id", "%s", why);
    if (!fields || !org) {
        hp_reply_invalid(req);
        return;
    }
    const char *text = json_text(req, fields);
    enum hp_vehicle_outcome outcome;
    struct hp_vehicle v;
    enum hp_db_status st =
        hp_vehicles_create(req->db, req->arena, req->who->user_id, org, text, &outcome, &v);
    if (st < 0) {
        hp_api_db_failed(req, st);
    } else if (outcome == HP_VEHICLE_BAD_ORG) {
        hp_req_invalid(req, "/org_id", "must be the id of a haulier or site organisation");
        hp_reply_invalid(req);
    } else if (outcome == HP_VEHICLE_PLATE_TAKEN) {
        const char *plate = cJSON_GetObjectItemCaseSensitive(fields, "plate")->valuestring;
        hp_reply_problem(req, 409, "plate-taken", "the plate %s is registered already", plate);
    } else {
        reply_vehicle(req, 201, &v);
    }
}

void hp_api_vehicles_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_paging(req, &limit, &cursor))
        return;
    char after[HP_PLATE_BUF];
    if (cursor && hp_plate_normalise(cursor, after, NULL) != HP_PLATE_OK) {
        hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
        return;
    }
    const char *org = hp_req_query(req, "org_id");
    if (org && !hp_uuid_valid(org)) {
        hp_reply_problem(req, 400, "bad-parameter", "org_id must be a UUID");
        return;
    }
    const char *own = visible_org(req);
    if (own && org && strcmp(own, org) != 0) { /* another's fleet: nothing to show */
        hp_reply_json(req, 200, hp_api_page(cJSON_CreateArray(), NULL));
        return;
    }
    struct hp_vehicle *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_vehicles_list(req->db, req->arena, own ? own : org,
                                            cursor ? after : NULL, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, vehicle_json(&rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].plate : NULL));
}

void hp_api_vehicles_get(struct hp_request *req)
{
    const char *plate = path_plate(req);
    if (!plate)
        return;
    struct hp_vehicle v;
    enum hp_db_status st = hp_vehicles_get(req->db, req->arena, plate, visible_org(req), &v);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no vehicle has the plate %s", plate);
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        reply_vehicle(req, 200, &v);
}

void hp_api_vehicles_patch(struct hp_request *req)
{
    const char *plate = path_plate(req);
    if (!plate)
        return;
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    cJSON *patch = read_fields(req, body, HP_VEHICLE_INPUT_PATCH);
    if (!patch) {
        hp_reply_invalid(req);
        return;
    }
    int version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    const char *text = json_text(req, patch);
    enum hp_vehicle_outcome outcome;
    struct hp_vehicle v;
    enum hp_db_status st = hp_vehicles_patch(req->db, req->arena, req->who->user_id, plate,
                                             visible_org(req), text, version, &outcome, &v);
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (outcome == HP_VEHICLE_MISSING)
        hp_reply_problem(req, 404, "not-found", "no vehicle has the plate %s", plate);
    else if (outcome == HP_VEHICLE_STALE)
        hp_reply_problem(req, 412, "stale",
                         "vehicle %s has changed since the version If-Match names; read it "
                         "again", plate);
    else
        reply_vehicle(req, 200, &v);
}
