/* /v1/projects: major projects, each with its site organisation and its one
 * liaison officer. Officers and admins write and see everything; a site
 * sees its own projects; a haulier sees every project's id, name, level and
 * valid_to, enough to name one in an application. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/etag.h"
#include "haulpass/geo_context.h"
#include "haulpass/geojson.h"
#include "haulpass/json_body.h"
#include "haulpass/projects.h"
#include "haulpass/reply.h"

#include <string.h>
#include <time.h>

static const char *const levels[] = {"provincial", "municipal", NULL};

enum { F_NAME, F_LEVEL, F_SITE, F_OFFICER, F_LOCATION, F_VALID_TO, F_COUNT };

static const struct hp_json_field create_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"level", HP_JSON_ENUM, .required = true, .choices = levels},
    {"site_org_id", HP_JSON_UUID, .required = true},
    {"liaison_officer_id", HP_JSON_UUID, .required = true},
    {"location", HP_JSON_OBJECT, .required = true},
    {"valid_to", HP_JSON_STRING, .required = true},
    {NULL},
};

/* PATCH: site_org_id is read only to say that it cannot change. */
static const struct hp_json_field patch_spec[] = {
    {"name", HP_JSON_STRING, .min = 1, .max = 200, .trimmed = true},
    {"level", HP_JSON_ENUM, .choices = levels},
    {"site_org_id", HP_JSON_ANY, .nullable = true},
    {"liaison_officer_id", HP_JSON_UUID},
    {"location", HP_JSON_OBJECT},
    {"valid_to", HP_JSON_STRING},
    {NULL},
};

/* The only site organisation whose projects the caller may see in full
 * (NULL: every one). */
static const char *visible_site(const struct hp_request *req)
{
    return req->who->role == HP_ROLE_SITE ? req->who->org_id : NULL;
}

static cJSON *project_json(const struct hp_request *req, const struct hp_project *p)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", p->id);
    cJSON_AddStringToObject(j, "name", p->name);
    cJSON_AddStringToObject(j, "level", p->level);
    cJSON_AddStringToObject(j, "valid_to", p->valid_to);
    if (req->who->role == HP_ROLE_HAULIER)
        return j;
    cJSON_AddStringToObject(j, "site_org_id", p->site_org_id);
    cJSON_AddStringToObject(j, "liaison_officer_id", p->liaison_officer_id);
    cJSON_AddItemToObject(j, "location", hp_api_json_or_null(p->location));
    cJSON_AddNumberToObject(j, "version", p->version);
    hp_api_add_time(j, "created_at", p->created_us);
    hp_api_add_time(j, "updated_at", p->updated_us);
    return j;
}

static void reply_project(struct hp_request *req, int status, const struct hp_project *p)
{
    if (req->who->role != HP_ROLE_HAULIER)
        hp_etag_reply(req, p->version);
    if (status == 201)
        hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/projects/%s", p->id));
    hp_reply_json(req, status, project_json(req, p));
}

/*
 * The location as GeoJSON text for PostGIS: a Point, or a valid Polygon
 * (checked by GEOS), with only type and coordinates (a "crs" member must not
 * reach ST_GeomFromGeoJSON). NULL after recording why under /location.
 */
static const char *read_location(struct hp_request *req, const cJSON *loc)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(loc, "type");
    const cJSON *coords = cJSON_GetObjectItemCaseSensitive(loc, "coordinates");
    bool point = cJSON_IsString(type) && strcmp(type->valuestring, "Point") == 0;
    bool polygon = cJSON_IsString(type) && strcmp(type->valuestring, "Polygon") == 0;
    if (!point && !polygon) {
        hp_req_invalid(req, "/location/type", "must be \"Point\" or \"Polygon\"");
        return NULL;
    }
    if (point && !hp_api_read_position(req, coords, "/location/coordinates"))
        return NULL;
    if (polygon) {
        GEOSContextHandle_t geos = hp_geo_thread_context();
        struct hp_geo_error err;
        GEOSGeometry *g = geos ? hp_geojson_to_geos(geos, loc, &err) : NULL;
        if (!g) {
            hp_req_invalid(req, hp_arena_printf(req->arena, "/location%s", geos ? err.pointer : ""),
                           "%s", geos ? err.message : "out of memory");
            return NULL;
        }
        GEOSGeom_destroy_r(geos, g);
    }
    cJSON *clean = cJSON_CreateObject();
    cJSON_AddStringToObject(clean, "type", type->valuestring);
    cJSON_AddItemToObject(clean, "coordinates", cJSON_Duplicate(coords, true));
    char *text = cJSON_PrintUnformatted(clean);
    cJSON_Delete(clean);
    return hp_arena_defer(req->arena, cJSON_free, text);
}

/* A real date, today or later (HAULPASS_TZ); NULL after recording why. */
static const char *read_valid_to(struct hp_request *req, const char *s)
{
    struct hp_calendar_date d;
    if (!hp_calendar_date_parse(s, &d)) {
        hp_req_invalid(req, "/valid_to", "must be a real date written YYYY-MM-DD");
        return NULL;
    }
    if (hp_calendar_date_compare(d, hp_calendar_local_date(NULL, time(NULL))) < 0) {
        hp_req_invalid(req, "/valid_to", "must not be in the past");
        return NULL;
    }
    return s;
}

/* Reads body against spec into in; false after replying 422. */
static bool read_input(struct hp_request *req, const cJSON *body, bool patch,
                       struct hp_project_input *in)
{
    const cJSON *v[F_COUNT];
    bool ok = hp_api_read(req, body, patch ? patch_spec : create_spec, "", v);
    memset(in, 0, sizeof(*in));
    if (patch && cJSON_GetObjectItemCaseSensitive(body, "site_org_id")) {
        hp_req_invalid(req, "/site_org_id", "cannot be changed");
        ok = false;
    }
    in->name = v[F_NAME] ? v[F_NAME]->valuestring : NULL;
    in->level = v[F_LEVEL] ? v[F_LEVEL]->valuestring : NULL;
    in->site_org_id = !patch && v[F_SITE] ? v[F_SITE]->valuestring : NULL;
    in->liaison_officer_id = v[F_OFFICER] ? v[F_OFFICER]->valuestring : NULL;
    if (v[F_LOCATION] && !(in->location = read_location(req, v[F_LOCATION])))
        ok = false;
    if (v[F_VALID_TO] && !(in->valid_to = read_valid_to(req, v[F_VALID_TO]->valuestring)))
        ok = false;
    if (!ok)
        hp_reply_invalid(req);
    return ok;
}

/* Replies for a write that did not happen, or with the project written. */
static void reply_write(struct hp_request *req, int status, enum hp_db_status st,
                        const struct hp_project_result *res, const struct hp_project *p)
{
    if (st < 0) {
        hp_api_db_failed(req, st);
    } else if (res->outcome == HP_PROJECT_BAD_REFS) {
        if (!res->site_ok)
            hp_req_invalid(req, "/site_org_id", "must be the id of an organisation of kind site");
        if (!res->officer_ok)
            hp_req_invalid(req, "/liaison_officer_id",
                           "must be the id of a user whose role is officer");
        hp_reply_invalid(req);
    } else if (res->outcome == HP_PROJECT_MISSING) {
        hp_reply_problem(req, 404, "not-found", "no project has this id");
    } else if (res->outcome == HP_PROJECT_STALE) {
        hp_reply_problem(req, 412, "stale",
                         "the project has changed since the version If-Match names; read it "
                         "again");
    } else {
        reply_project(req, status, p);
    }
}

void hp_api_projects_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    struct hp_project_input in;
    if (!body || !read_input(req, body, false, &in))
        return;
    struct hp_project_result res;
    struct hp_project p;
    enum hp_db_status st = hp_projects_create(req->db, req->arena, req->who->user_id, &in, &res, &p);
    reply_write(req, 201, st, &res, &p);
}

void hp_api_projects_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_uuid_paging(req, &limit, &cursor))
        return;
    struct hp_project *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st =
        hp_projects_list(req->db, req->arena, visible_site(req), cursor, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, project_json(req, &rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].id : NULL));
}

void hp_api_projects_get(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no project has this id");
        return;
    }
    struct hp_project p;
    enum hp_db_status st = hp_projects_get(req->db, req->arena, id, visible_site(req), &p);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no project has this id");
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        reply_project(req, 200, &p);
}

void hp_api_projects_patch(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no project has this id");
        return;
    }
    cJSON *body = hp_api_body(req);
    struct hp_project_input in;
    if (!body || !read_input(req, body, true, &in))
        return;
    int version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    struct hp_project_result res;
    struct hp_project p;
    enum hp_db_status st =
        hp_projects_patch(req->db, req->arena, req->who->user_id, id, &in, version, &res, &p);
    reply_write(req, 200, st, &res, &p);
}
