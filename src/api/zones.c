/* /v1/zones: create, read, list (JSON or GeoJSON), replace with If-Match,
 * retire, and the version history. */
#include "haulpass/api.h"

#include "haulpass/accept.h"
#include "haulpass/arena.h"
#include "haulpass/audit.h"
#include "haulpass/etag.h"
#include "haulpass/geo_context.h"
#include "haulpass/geojson.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"
#include "haulpass/zone_input.h"
#include "haulpass/zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rules come back from jsonb with its key order; give them the documented one. */
static cJSON *ordered_rules(const char *text)
{
    static const char *const keys[] = {"id", "vehicle_classes", "exempt_classes",
                                       "min_gross_weight_kg", "hazmat_only", "hours",
                                       "valid_from", "valid_to", "liftable_by", NULL};
    cJSON *stored = cJSON_Parse(text), *out = cJSON_CreateArray();
    for (cJSON *rule = stored ? stored->child : NULL; rule; rule = rule->next) {
        cJSON *r = cJSON_CreateObject();
        for (int k = 0; keys[k]; k++) {
            cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(rule, keys[k]);
            cJSON_AddItemToObject(r, keys[k], v ? v : cJSON_CreateNull());
        }
        cJSON_AddItemToArray(out, r);
    }
    cJSON_Delete(stored);
    return out;
}

/* The zone as the API shows it; NULL when its geometry cannot be read. */
static cJSON *zone_json(GEOSContextHandle_t geos, const struct hp_zone_row *z)
{
    struct hp_geo_error err;
    cJSON *geometry = hp_geojson_from_wkb(geos, z->wkb_hex, strlen(z->wkb_hex), true,
                                          z->sent_as_polygon ? HP_GEOJSON_POLYGON_IF_SINGLE
                                                             : HP_GEOJSON_DEFAULT,
                                          &err);
    if (!geometry)
        return NULL;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", z->id);
    cJSON_AddNumberToObject(j, "version", z->version);
    cJSON_AddStringToObject(j, "name", z->name);
    cJSON_AddItemToObject(j, "geometry", geometry);
    cJSON_AddItemToObject(j, "rules", ordered_rules(z->rules));
    hp_api_add_time(j, "created_at", z->created_us);
    hp_api_add_time(j, "updated_at", z->updated_us);
    if (z->retired_us)
        hp_api_add_time(j, "retired_at", z->retired_us);
    else
        cJSON_AddNullToObject(j, "retired_at");
    return j;
}

static char *json_text(struct hp_arena *arena, cJSON *j)
{
    return j ? hp_arena_defer(arena, free, cJSON_PrintUnformatted(j)) : NULL;
}

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

struct write {
    struct hp_arena *arena;
    GEOSContextHandle_t geos;
    const char *actor;
    const char *id;              /* update and retire */
    int expected_version;        /* 0: any */
    const struct hp_zone_input *in; /* create and update */
    const char *wkb_hex;
    char *rules;
    struct hp_zone_row row;
    cJSON *after;                /* the written zone, for the answer */
    enum { W_OK, W_MISSING, W_RETIRED, W_STALE } outcome;
};

/* Audits the write and keeps the zone's JSON for the answer. */
static enum hp_db_status audit(struct hp_db *db, struct write *w, const char *action,
                               const char *before)
{
    w->after = zone_json(w->geos, &w->row);
    return hp_audit_write(db, w->arena, w->actor, "zone", w->row.id, action, before,
                          json_text(w->arena, w->after));
}

static enum hp_db_status create_tx(struct hp_db *db, void *ctx)
{
    struct write *w = ctx;
    enum hp_db_status st = hp_zones_set_actor(db, w->arena, w->actor);
    if (st >= 0)
        st = hp_zones_insert(db, w->arena, w->in->name, w->wkb_hex, w->in->sent_as_polygon,
                             w->rules, &w->row);
    if (st >= 0)
        st = audit(db, w, "create", NULL);
    return st;
}

/* Locks the zone and checks it may be changed; sets w->outcome. */
static enum hp_db_status lock_current(struct hp_db *db, struct write *w, char **before)
{
    struct hp_zone_row cur;
    enum hp_db_status st = hp_zones_get(db, w->arena, w->id, true, &cur);
    if (st == HP_DB_NO_ROWS)
        w->outcome = W_MISSING;
    else if (st >= 0 && cur.retired_us)
        w->outcome = W_RETIRED;
    else if (st >= 0 && w->expected_version && cur.version != w->expected_version)
        w->outcome = W_STALE;
    if (st >= 0 && w->outcome == W_OK) {
        cJSON *j = zone_json(w->geos, &cur);
        *before = json_text(w->arena, j);
        cJSON_Delete(j);
        w->row = cur;
    }
    return st;
}

static enum hp_db_status update_tx(struct hp_db *db, void *ctx)
{
    struct write *w = ctx;
    char *before = NULL;
    w->outcome = W_OK;
    enum hp_db_status st = hp_zones_set_actor(db, w->arena, w->actor);
    if (st >= 0)
        st = lock_current(db, w, &before);
    if (st < 0 || w->outcome != W_OK)
        return st;
    st = hp_zones_update(db, w->arena, w->id, w->in->name, w->wkb_hex, w->in->sent_as_polygon,
                         w->rules, &w->row);
    if (st >= 0)
        st = audit(db, w, "update", before);
    return st;
}

static enum hp_db_status retire_tx(struct hp_db *db, void *ctx)
{
    struct write *w = ctx;
    char *before = NULL;
    w->outcome = W_OK;
    enum hp_db_status st = hp_zones_set_actor(db, w->arena, w->actor);
    if (st >= 0)
        st = lock_current(db, w, &before);
    if (st < 0 || w->outcome != W_OK)
        return st;
    st = hp_zones_retire(db, w->arena, w->id, &w->row);
    if (st >= 0)
        st = audit(db, w, "retire", before);
    return st;
}

/* Prepares w's stored forms of in (WKB, rules text). */
static bool prepare(struct hp_request *req, struct write *w, const struct hp_zone_input *in)
{
    w->in = in;
    char *hex = hp_geojson_to_wkb_hex(w->geos, in->geom);
    if (!hex) {
        hp_reply_internal(req, "cannot write WKB");
        return false;
    }
    w->wkb_hex = hp_arena_defer(req->arena, free, hex);
    w->rules = json_text(req->arena, in->rules);
    return true;
}

enum hp_db_status hp_api_zone_insert(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const struct hp_zone_input *in, char **id)
{
    struct write w = {.arena = arena, .geos = geos, .actor = actor, .in = in};
    char *hex = hp_geojson_to_wkb_hex(geos, in->geom);
    if (!hex)
        return HP_DB_HARD_ERROR;
    w.wkb_hex = hp_arena_defer(arena, free, hex);
    w.rules = json_text(arena, in->rules);
    enum hp_db_status st = create_tx(db, &w);
    cJSON_Delete(w.after);
    if (st >= 0)
        *id = hp_arena_strdup(arena, w.row.id);
    return st;
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
    struct write w = {.arena = req->arena, .geos = geos, .actor = req->who->user_id};
    struct hp_db *db = hp_req_db(req);
    enum hp_db_status st = HP_DB_UNAVAILABLE;
    if (db && prepare(req, &w, &in))
        st = hp_db_tx(db, create_tx, &w);
    hp_zone_input_clear(geos, &in);
    if (!req->status) {
        if (st < 0)
            hp_api_db_failed(req, st);
        else
            reply_zone(req, 201, &w.row, w.after);
    } else {
        cJSON_Delete(w.after);
    }
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
    if (!id)
        return;
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    struct hp_zone_row z;
    enum hp_db_status st = hp_zones_get(db, req->arena, id, false, &z);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", id);
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        reply_zone(req, 200, &z, zone_json(hp_geo_thread_context(), &z));
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
        cJSON *z = zone_json(geos, &rows[i]);
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
    if (!hp_api_read_bbox(req, geojson, bbox, &in_bbox))
        return;
    const char *retired = hp_req_query(req, "include_retired");
    if (retired && strcmp(retired, "true") != 0 && strcmp(retired, "false") != 0) {
        hp_reply_problem(req, 400, "bad-parameter", "include_retired must be true or false");
        return;
    }
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    if (geojson) {
        list_geojson(req, db, in_bbox ? bbox : NULL);
        return;
    }
    struct hp_zone_row *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_zones_list(db, req->arena, cursor, limit + 1,
                                         retired && strcmp(retired, "true") == 0, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    GEOSContextHandle_t geos = hp_geo_thread_context();
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++) {
        cJSON *z = zone_json(geos, &rows[i]);
        if (z)
            cJSON_AddItemToArray(items, z);
    }
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].id : NULL));
}

static void reply_write_outcome(struct hp_request *req, struct write *w, enum hp_db_status st)
{
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (w->outcome == W_MISSING)
        hp_reply_problem(req, 404, "not-found", "no zone has the id %s", w->id);
    else if (w->outcome == W_RETIRED)
        hp_reply_problem(req, 409, "zone-retired", "zone %s is retired and cannot change",
                         w->id);
    else if (w->outcome == W_STALE)
        hp_reply_problem(req, 412, "stale", "zone %s has changed since version %d; read it again",
                         w->id, w->expected_version);
    else {
        reply_zone(req, 200, &w->row, w->after);
        return;
    }
    cJSON_Delete(w->after);
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
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    /* The current rules let a rule keep its id; read them first. */
    struct hp_zone_row cur;
    enum hp_db_status st = hp_zones_get(db, req->arena, id, false, &cur);
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
    struct write w = {.arena = req->arena, .geos = geos, .actor = req->who->user_id, .id = id,
                      .expected_version = version == -2 ? -1 : version};
    if (prepare(req, &w, &in))
        st = hp_db_tx(db, update_tx, &w);
    hp_zone_input_clear(geos, &in);
    if (!req->status)
        reply_write_outcome(req, &w, st);
}

void hp_api_zones_retire(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id)
        return;
    int version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    struct write w = {.arena = req->arena, .geos = hp_geo_thread_context(),
                      .actor = req->who->user_id, .id = id,
                      .expected_version = version == -2 ? -1 : version < 0 ? 0 : version};
    enum hp_db_status st = hp_db_tx(db, retire_tx, &w);
    reply_write_outcome(req, &w, st);
}

void hp_api_zones_versions(struct hp_request *req)
{
    const char *id = zone_id(req);
    if (!id)
        return;
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    PGresult *r;
    enum hp_db_status st = hp_zones_versions(db, req->arena, id, &r);
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
    for (int i = 0; i < PQntuples(r); i++) {
        struct hp_zone_row z = {.id = id,
                                .version = atoi(PQgetvalue(r, i, 0)),
                                .name = PQgetvalue(r, i, 1),
                                .wkb_hex = PQgetvalue(r, i, 2),
                                .sent_as_polygon = PQgetvalue(r, i, 3)[0] == 't',
                                .rules = PQgetvalue(r, i, 4)};
        cJSON *v = zone_json(geos, &z);
        if (!v)
            continue;
        cJSON_DeleteItemFromObject(v, "created_at");
        cJSON_DeleteItemFromObject(v, "updated_at");
        cJSON_DeleteItemFromObject(v, "retired_at");
        hp_api_add_time(v, "written_at", strtoll(PQgetvalue(r, i, 5), NULL, 10));
        if (PQgetisnull(r, i, 6))
            cJSON_AddNullToObject(v, "written_by");
        else
            cJSON_AddStringToObject(v, "written_by", PQgetvalue(r, i, 6));
        cJSON_AddBoolToObject(v, "retired", PQgetvalue(r, i, 7)[0] == 't');
        cJSON_AddItemToArray(items, v);
    }
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}
