/* The works of a road-occupation application (docs/contract.md §13): the
 * area the works occupy (a Polygon, or a LineString and its width), the
 * vehicle classes they close the road to (all when none are named), the
 * traffic-organisation plan (one of the application's documents) and a
 * name for the map. The dates and hours are the application's own. And the
 * revocation of an approved permit: its road works leave the map at once. */
#include "haulpass/api.h"

#include "haulpass/applications.h"
#include "haulpass/arena.h"
#include "haulpass/geo_context.h"
#include "haulpass/geojson.h"
#include "haulpass/json_body.h"
#include "haulpass/ops_zones.h"
#include "haulpass/principal.h"
#include "haulpass/reply.h"
#include "haulpass/vocab.h"

#include <stdlib.h>
#include <string.h>

enum { W_AREA, W_WIDTH, W_CLASSES, W_PLAN, W_NAME, W_COUNT };

static const struct hp_json_field works_spec[] = {
    {"area", HP_JSON_OBJECT, .required = true},
    {"width_m", HP_JSON_INT, .min = 1, .max = 100},
    {"classes", HP_JSON_ARRAY, .max = 10},
    {"plan", HP_JSON_STRING, .required = true, .min = 1, .max = 200},
    {"name", HP_JSON_STRING, .min = 1, .max = 150, .trimmed = true},
    {NULL},
};

/* A GeoJSON Polygon GEOS finds valid; false after recording why. */
static bool valid_polygon(struct hp_request *req, const cJSON *area)
{
    struct hp_geo_error err;
    GEOSContextHandle_t geos = hp_geo_thread_context();
    GEOSGeometry *g = hp_geojson_to_geos(geos, area, &err);
    if (!g) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "/works/area%s", err.pointer), "%s",
                       err.message);
        return false;
    }
    GEOSGeom_destroy_r(geos, g);
    return true;
}

static bool read_classes(struct hp_request *req, const cJSON *classes)
{
    bool ok = true;
    int i = 0;
    for (const cJSON *c = classes ? classes->child : NULL; c; c = c->next, i++)
        if (!cJSON_IsString(c) || hp_vocab_index(hp_vehicle_classes, c->valuestring) < 0) {
            hp_req_invalid(req, hp_arena_printf(req->arena, "/works/classes/%d", i),
                           "must be a vehicle class");
            ok = false;
        }
    return ok;
}

static bool names_document(const cJSON *docs, const char *name)
{
    for (const cJSON *d = docs ? docs->child : NULL; d; d = d->next) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return true;
    }
    return false;
}

bool hp_api_read_works(struct hp_request *req, const cJSON *works, const cJSON *docs,
                       struct hp_application_input *in)
{
    const cJSON *v[W_COUNT];
    if (!works) {
        hp_req_invalid(req, "/works", "is required: the area, classes and plan of the works");
        return false;
    }
    bool ok = hp_api_read(req, works, works_spec, "/works", v);
    const cJSON *area = v[W_AREA];
    const cJSON *type = area ? cJSON_GetObjectItemCaseSensitive(area, "type") : NULL;
    bool line = cJSON_IsString(type) && strcmp(type->valuestring, "LineString") == 0;
    if (area && line) {
        if (!hp_api_read_geometry(req, area, "LineString", "/works/area"))
            ok = false;
        if (!v[W_WIDTH]) {
            hp_req_invalid(req, "/works/width_m", "is required with a line: the width occupied");
            ok = false;
        }
    } else if (area) {
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "Polygon") != 0) {
            hp_req_invalid(req, "/works/area/type", "must be \"Polygon\" or \"LineString\"");
            ok = false;
        } else if (!valid_polygon(req, area)) {
            ok = false;
        }
        if (v[W_WIDTH]) {
            hp_req_invalid(req, "/works/width_m", "goes only with a line");
            ok = false;
        }
    }
    if (!read_classes(req, v[W_CLASSES]))
        ok = false;
    if (v[W_PLAN] && !names_document(docs, v[W_PLAN]->valuestring)) {
        hp_req_invalid(req, "/works/plan",
                       "must name one of the documents: the traffic-organisation plan");
        ok = false;
    }
    if (!ok)
        return false;
    in->works_area = hp_arena_defer(req->arena, free, cJSON_PrintUnformatted(area));
    in->works = hp_arena_defer(req->arena, free, cJSON_PrintUnformatted(works));
    in->works_width_m = line ? v[W_WIDTH]->valueint : 0;
    return in->works_area && in->works;
}

static const struct hp_json_field revoke_spec[] = {
    {"reason", HP_JSON_STRING, .required = true, .min = 1, .max = 2000, .trimmed = true},
    {NULL},
};

/* Whether the revocation of a could go ahead; false after replying. */
static bool revocable(struct hp_request *req, const struct hp_application *a)
{
    if (strcmp(a->type, "road_occupation") != 0) {
        hp_reply_problem(req, 409, "not-revocable",
                         "only a road-occupation permit is revoked here; a pass is revoked at "
                         "POST /v1/passes/{code}/revoke");
        return false;
    }
    if (!a->roadworks_zone_id) {
        hp_reply_problem(req, 409, "wrong-status",
                         "the permit is %s: only an approved one is revoked", a->status);
        return false;
    }
    return true;
}

/* POST /v1/applications/{id}/revoke {reason}: retires the permit's
 * roadworks zone, which writes the permit's history and audit in the same
 * transaction (src/ops/zones.c, hp_roadworks_revoked); the check snapshot
 * drops the zone as after DELETE /v1/zones/{id}. */
void hp_api_applications_revoke(struct hp_request *req)
{
    const char *id = req->params[0];
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return;
    if (!hp_api_read(req, body, revoke_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    struct hp_application a;
    enum hp_db_status st = HP_DB_NO_ROWS;
    /* Works past their last day retire first: they are over, not revoked. */
    if (!hp_api_sweep_lapsed(req))
        return;
    if (hp_uuid_valid(id))
        st = hp_applications_get(req->db, req->arena, id, NULL, &a);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no application has this id");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (!revocable(req, &a))
        return;
    enum hp_zone_outcome outcome;
    struct hp_zone_written w;
    st = hp_ops_zone_retire(req->db, req->arena, hp_geo_thread_context(), req->who->user_id,
                            a.roadworks_zone_id, 0, v[0]->valuestring, &outcome, &w);
    cJSON_Delete(w.json);
    struct hp_application_history history;
    /* Missing: its zone went with a concurrent revocation or retirement. */
    if (st >= 0 && (outcome == HP_ZONE_RETIRED || outcome == HP_ZONE_MISSING)) {
        hp_reply_problem(req, 409, "already-ended",
                         "its road works are off the map already (revoked, or past their last "
                         "day)");
    } else if (st >= 0 && outcome != HP_ZONE_DONE) {
        hp_reply_internal(req, "the permit's zone could not be retired");
    } else if (st < 0 || (st = hp_applications_get(req->db, req->arena, id, NULL, &a)) < 0 ||
               (st = hp_applications_history(req->db, req->arena, id, &history)) < 0) {
        hp_api_db_failed(req, st);
    } else {
        hp_reply_json(req, 200, hp_api_application_json(&a, &history));
    }
}
