/* /v1/zones: create, read, list (JSON or GeoJSON), replace with If-Match,
 * retire, and the version history. */
#include "haulpass/api.h"

#include "haulpass/accept.h"
#include "haulpass/arena.h"
#include "haulpass/etag.h"
#include "haulpass/geo_context.h"
#include "haulpass/json_body.h"
#include "haulpass/ops_zones.h"
#include "haulpass/reply.h"
#include "haulpass/zone_input.h"
#include "haulpass/zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_zone(struct hp_request *req, int status, const struct hp_zone_row *z,
                       cJSON *j)
{
    if (!j) {
        hp_reply_internal(req, "a stored zone geometry could not be read");
        return;
    }
    hp_etag_reply(req, z->version);
    if (status == 201)
        hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/zones/%s", z->id));
    hp_reply_json(req, status, j);
}

/* The reply to a write: the zone, or why there is none. */
static void reply_written(struct hp_request *req, int status, const char *id,
                          int expected_version, enum hp_db_status st,
                          enum hp_zone_outcome outcome, struct hp_zone_written *w)
{
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (outcome == HP_ZONE_NO_WKB)
        hp_reply_internal(req, "cannot write WKB");
    else if (outcome == HP_ZONE_MISSING)
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
    else if (outcome == HP_ZONE_RETIRED)
        hp_reply_problem(req, 409, "zone-retired", "zone %s is retired and cannot change", id);
    else if (outcome == HP_ZONE_STALE)
        hp_reply_problem(req, 412, "stale", "zone %s has changed since version %d; read it again",
                         id, expected_version);
    else {
        reply_zone(req, status, &w->row, w->json);
        return;
    }
    cJSON_Delete(w->json);
}

static void on_invalid(void *ctx, const char *pointer, const char *message)
{
    hp_req_invalid(ctx, pointer, "%s", message);
}

void hp_api_zones_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    GEOSContextHandle_t geos = hp_geo_thread_context();
    struct hp_zone_input in;
    if (!hp_zone_input_read(geos, body, NULL, "", &in, on_invalid, req)) {
        hp_reply_invalid(req);
        return;
    }
    enum hp_zone_outcome outcome;
    struct hp_zone_written w;
    enum hp_db_status st =
        hp_ops_zone_create(req->db, req->arena, geos, req->who->user_id, &in, &outcome, &w);
    hp_zone_input_clear(geos, &in);
    reply_written(req, 201, NULL, 0, st, outcome, &w);
}

/* The zone id of the path, or NULL after replying 404. */
static const char *zone_id(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
        return NULL;
    }
    return id;
}

void hp_api_zones_get(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id || !hp_api_sweep_lapsed(req)) /* road works past their last day retire */
        return;
    struct hp_zone_row z;
    enum hp_db_status st = hp_zones_get(req->db, req->arena, id, false, &z);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        reply_zone(req, 200, &z, hp_ops_zone_json(hp_geo_thread_context(), &z));
}

static bool wants_geojson(struct hp_request *req)
{
    return hp_accept_prefers(hp_req_header(req, "Accept"), "application/geo+json",
                             "application/json");
}

/* Every live zone as a GeoJSON FeatureCollection (RFC 7946). */
static void list_geojson(struct hp_request *req, struct hp_db *db, const double *bbox)
{
    struct hp_zone_row *rows;
    int n;
    enum hp_db_status st = bbox ? hp_zones_live_in_bbox(db, req->arena, bbox, &rows, &n)
                                : hp_zones_all_live(db, req->arena, &rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    GEOSContextHandle_t geos = hp_geo_thread_context();
    cJSON *fc = cJSON_CreateObject();
    cJSON_AddStringToObject(fc, "type", "FeatureCollection");
    cJSON *features = cJSON_AddArrayToObject(fc, "features");
    for (int i = 0; i < n; i++) {
        cJSON *z = hp_ops_zone_json(geos, &rows[i]);
        if (!z)
            continue;
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "type", "Feature");
        cJSON_AddStringToObject(f, "id", rows[i].id);
        cJSON_AddItemToObject(f, "geometry", cJSON_DetachItemFromObject(z, "geometry"));
        cJSON_DeleteItemFromObject(z, "id");
        cJSON_AddItemToObject(f, "properties", z);
        cJSON_AddItemToArray(features, f);
    }
    char *text = cJSON_PrintUnformatted(fc);
    cJSON_Delete(fc);
    if (!text) {
        hp_reply_internal(req, "out of memory printing GeoJSON");
        return;
    }
    hp_reply_copy(req, 200, "application/geo+json", text, strlen(text));
    free(text);
}

void hp_api_zones_list(struct hp_request *req)
{
    int limit = 0;
    const char *cursor = NULL;
    bool geojson = wants_geojson(req); /* every zone at once: no paging */
    if (!geojson && !hp_api_uuid_paging(req, &limit, &cursor))
        return;
    double bbox[4];
    bool in_bbox;
    if (!hp_api_read_bbox(req, geojson, bbox, &in_bbox) || !hp_api_sweep_lapsed(req))
        return;
    const char *retired = hp_req_query(req, "include_retired");
    if (retired && strcmp(retired, "true") != 0 && strcmp(retired, "false") != 0) {
        hp_reply_problem(req, 400, "bad-parameter", "include_retired must be true or false");
        return;
    }
    if (geojson) {
        list_geojson(req, req->db, in_bbox ? bbox : NULL);
        return;
    }
    struct hp_zone_row *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_zones_list(req->db, req->arena, cursor, limit + 1,
                                         retired && strcmp(retired, "true") == 0, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    GEOSContextHandle_t geos = hp_geo_thread_context();
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++) {
        cJSON *z = hp_ops_zone_json(geos, &rows[i]);
        if (z)
            cJSON_AddItemToArray(items, z);
    }
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].id : NULL));
}

void hp_api_zones_replace(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id)
        return;
    int version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    if (version == -1) {
        hp_reply_problem(req, 428, "if-match-required",
                         "send If-Match with the ETag of the zone you read, so no change is lost");
        return;
    }
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    /* The current rules let a rule keep its id; read them first. */
    struct hp_zone_row cur;
    enum hp_db_status st = hp_zones_get(req->db, req->arena, id, false, &cur);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *existing = hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete,
                                     cJSON_Parse(cur.rules));
    GEOSContextHandle_t geos = hp_geo_thread_context();
    struct hp_zone_input in;
    if (!hp_zone_input_read(geos, body, existing, "", &in, on_invalid, req)) {
        hp_reply_invalid(req);
        return;
    }
    int expected = version == -2 ? -1 : version;
    enum hp_zone_outcome outcome;
    struct hp_zone_written w;
    st = hp_ops_zone_replace(req->db, req->arena, geos, req->who->user_id, id, expected, &in,
                             &outcome, &w);
    hp_zone_input_clear(geos, &in);
    reply_written(req, 200, id, expected, st, outcome, &w);
}

void hp_api_zones_retire(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id)
        return;
    const char *reason;
    if (!hp_api_optional_reason(req, &reason))
        return;
    int version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    int expected = version == -2 ? -1 : version < 0 ? 0 : version;
    enum hp_zone_outcome outcome;
    struct hp_zone_written w;
    enum hp_db_status st = hp_ops_zone_retire(req->db, req->arena, hp_geo_thread_context(),
                                              req->who->user_id, id, expected, reason, &outcome,
                                              &w);
    reply_written(req, 200, id, expected, st, outcome, &w);
}

void hp_api_zones_versions(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id)
        return;
    struct hp_zone_version *versions;
    int n;
    enum hp_db_status st = hp_zones_versions(req->db, req->arena, id, &versions, &n);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    GEOSContextHandle_t geos = hp_geo_thread_context();
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        const struct hp_zone_version *zv = &versions[i];
        cJSON *v = hp_ops_zone_json(geos, &zv->zone);
        if (!v)
            continue;
        cJSON_DeleteItemFromObject(v, "created_at");
        cJSON_DeleteItemFromObject(v, "updated_at");
        cJSON_DeleteItemFromObject(v, "retired_at");
        cJSON_DeleteItemFromObject(v, "retire_reason");
        hp_api_add_time(v, "written_at", zv->written_us);
        if (!zv->written_by)
            cJSON_AddNullToObject(v, "written_by");
        else
            cJSON_AddStringToObject(v, "written_by", zv->written_by);
        cJSON_AddBoolToObject(v, "retired", zv->retired);
        if (zv->retired)
            cJSON_AddItemToObject(v, "reason", zv->reason ? cJSON_CreateString(zv->reason)
                                                          : cJSON_CreateNull());
        cJSON_AddItemToArray(items, v);
    }
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}
