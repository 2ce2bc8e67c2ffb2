/* /v1/applications: file, read, withdraw and endorse pass applications.
 * Hauliers and sites file for their own plates and see their own
 * organisation's; a site also sees (and endorses) those naming its
 * projects; officers and admins see all. */
#include "haulpass/api.h"

#include "haulpass/app_status.h"
#include "haulpass/applications.h"
#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/json_body.h"
#include "haulpass/passes.h"
#include "haulpass/principal.h"
#include "haulpass/reply.h"
#include "haulpass/vocab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    F_TYPE, F_PLATES, F_ZONES, F_CORRIDOR, F_FROM, F_TO, F_HOURS, F_PROJECT, F_DOCS, F_NOTE,
    F_WORKS, F_CARGO, F_COUNT
};

static const struct hp_json_field create_spec[] = {
    {"type", HP_JSON_ENUM, .required = true, .choices = hp_application_types},
    /* Required but for a road-occupation permit, which names none. */
    {"plates", HP_JSON_ARRAY, .min = 1, .max = 3000},
    {"zone_ids", HP_JSON_ARRAY, .max = 500},
    {"corridor", HP_JSON_OBJECT, .nullable = true},
    {"valid_from", HP_JSON_STRING, .required = true},
    {"valid_to", HP_JSON_STRING, .required = true},
    {"hours", HP_JSON_STRING, .nullable = true, .min = 1, .max = 1000},
    {"project_id", HP_JSON_UUID, .nullable = true},
    {"documents", HP_JSON_ARRAY, .required = true, .max = 50},
    {"note", HP_JSON_STRING, .nullable = true, .max = 2000},
    {"works", HP_JSON_OBJECT},
    /* Required of an oversize load, refused of the others. */
    {"cargo", HP_JSON_OBJECT, .nullable = true},
    {NULL},
};

static const struct hp_json_field corridor_spec[] = {
    {"route", HP_JSON_OBJECT, .required = true},
    {"width_m", HP_JSON_INT, .required = true, .min = 10, .max = 2000},
    {NULL},
};

static const struct hp_json_field document_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"provided", HP_JSON_BOOL, .required = true},
    {NULL},
};

static void add_str_or_null(cJSON *j, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(j, key, v);
    else
        cJSON_AddNullToObject(j, key);
}

/* The n strings of s as a JSON array, or null when s is NULL. */
static cJSON *strings_or_null(const char *const *s, int n)
{
    cJSON *a = s ? cJSON_CreateStringArray(s, n) : NULL;
    return a ? a : cJSON_CreateNull();
}

static cJSON *documents_or_null(const struct hp_app_document *d, int n)
{
    if (!d)
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", d[i].name);
        cJSON_AddBoolToObject(o, "provided", d[i].provided);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static void add_time_or_null(cJSON *j, const char *key, int64_t us)
{
    if (us)
        hp_api_add_time(j, key, us);
    else
        cJSON_AddNullToObject(j, key);
}

cJSON *hp_api_application_json(const struct hp_application *a,
                               const struct hp_application_history *history)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", a->id);
    cJSON_AddStringToObject(j, "status", a->status);
    cJSON_AddBoolToObject(j, "fast_track", a->fast_track);
    add_time_or_null(j, "due_at", a->due_us);
    cJSON_AddStringToObject(j, "type", a->type);
    cJSON_AddStringToObject(j, "org_id", a->org_id);
    cJSON_AddStringToObject(j, "applicant_id", a->applicant_id);
    cJSON_AddItemToObject(j, "plates", strings_or_null(a->plates, a->nplates));
    cJSON_AddItemToObject(j, "zone_ids", strings_or_null(a->zone_ids, a->nzones));
    if (a->corridor) {
        cJSON *c = cJSON_AddObjectToObject(j, "corridor");
        cJSON_AddItemToObject(c, "route", hp_api_json_or_null(a->corridor));
        cJSON_AddNumberToObject(c, "width_m", a->corridor_width_m);
    } else {
        cJSON_AddNullToObject(j, "corridor");
    }
    cJSON_AddStringToObject(j, "valid_from", a->valid_from);
    cJSON_AddStringToObject(j, "valid_to", a->valid_to);
    add_str_or_null(j, "hours", a->hours);
    add_str_or_null(j, "project_id", a->project_id);
    cJSON_AddItemToObject(j, "documents", documents_or_null(a->documents, a->ndocuments));
    add_str_or_null(j, "note", a->note);
    hp_api_add_time(j, "submitted_at", a->submitted_us);
    add_time_or_null(j, "endorsed_at", a->endorsed_us);
    add_str_or_null(j, "claimed_by", a->claimed_by);
    add_time_or_null(j, "claim_expires_at", a->claim_expires_us);
    add_time_or_null(j, "decided_at", a->decided_us);
    add_str_or_null(j, "decision_reason", a->decision_reason);
    cJSON_AddItemToObject(j, "missing_documents",
                          strings_or_null(a->missing_documents, a->nmissing));
    add_time_or_null(j, "documents_due", a->documents_due_us);
    cJSON_AddStringToObject(j, "kind", a->kind);
    add_str_or_null(j, "pass_code", a->pass_code);
    add_str_or_null(j, "reason", a->reason);
    cJSON_AddItemToObject(j, "works", hp_api_json_or_null(a->works));
    add_str_or_null(j, "roadworks_zone_id", a->roadworks_zone_id);
    cJSON_AddItemToObject(j, "cargo", hp_api_cargo_json(a->cargo));
    if (!history)
        return j;
    cJSON *h = cJSON_AddArrayToObject(j, "history");
    for (int i = 0; i < history->n; i++) {
        const struct hp_application_event *ev = &history->events[i];
        cJSON *e = cJSON_CreateObject();
        hp_api_add_time(e, "at", ev->at_us);
        add_str_or_null(e, "actor", ev->actor_id);
        add_str_or_null(e, "from", ev->from);
        cJSON_AddStringToObject(e, "to", ev->to);
        add_str_or_null(e, "reason", ev->reason);
        cJSON_AddItemToArray(h, e);
    }
    return j;
}

/* The zone ids of array zones (none when it is NULL) into in; false after
 * recording why. */
static bool read_zones(struct hp_request *req, const cJSON *zones,
                       struct hp_application_input *in)
{
    in->zone_ids = hp_arena_calloc(req->arena, (size_t)cJSON_GetArraySize(zones) + 1,
                                   sizeof(*in->zone_ids));
    if (!zones)
        return true;
    bool ok = true;
    int i = 0;
    for (const cJSON *z = zones->child; z; z = z->next, i++) {
        if (!cJSON_IsString(z) || !hp_uuid_valid(z->valuestring)) {
            hp_req_invalid(req, hp_arena_printf(req->arena, "/zone_ids/%d", i),
                           "must be the id of a zone");
            ok = false;
            continue;
        }
        for (const cJSON *e = zones->child; e != z; e = e->next) {
            if (cJSON_IsString(e) && strcasecmp(e->valuestring, z->valuestring) == 0) {
                hp_req_invalid(req, hp_arena_printf(req->arena, "/zone_ids/%d", i),
                               "names a zone already listed");
                ok = false;
                break;
            }
        }
        in->zone_ids[in->nzones++] = z->valuestring;
    }
    return ok;
}

/* The corridor route as clean GeoJSON text and its width; false after
 * recording why under /corridor. */
static bool read_corridor(struct hp_request *req, const cJSON *c, struct hp_application_input *in)
{
    const cJSON *v[2];
    if (!hp_api_read(req, c, corridor_spec, "/corridor", v))
        return false;
    if (!(in->corridor = hp_api_read_geometry(req, v[0], "LineString", "/corridor/route")))
        return false;
    in->width_m = v[1]->valueint;
    return true;
}

/* The validity dates: real, in order, no longer than the type allows. */
static bool read_validity(struct hp_request *req, const cJSON *from, const cJSON *to,
                          const char *type)
{
    struct hp_calendar_date f, t;
    bool ok = true;
    if (from && !hp_calendar_date_parse(from->valuestring, &f)) {
        hp_req_invalid(req, "/valid_from", "must be a real date written YYYY-MM-DD");
        ok = false;
    }
    if (to && !hp_calendar_date_parse(to->valuestring, &t)) {
        hp_req_invalid(req, "/valid_to", "must be a real date written YYYY-MM-DD");
        ok = false;
    }
    if (!ok || !from || !to)
        return false;
    /* A pass for days already gone would lift nothing: refuse it rather
     * than queue it for an officer. */
    if (hp_calendar_date_compare(t, hp_calendar_local_date(NULL, time(NULL))) < 0) {
        hp_req_invalid(req, "/valid_to", "must not be in the past");
        return false;
    }
    int64_t days = hp_calendar_date_to_days(t) - hp_calendar_date_to_days(f) + 1;
    if (days < 1) {
        hp_req_invalid(req, "/valid_to", "must not be before valid_from");
        return false;
    }
    int max = hp_app_max_days(type);
    if (max && days > max) {
        hp_req_invalid(req, "/valid_to", "a %s pass is valid for at most %d days", type, max);
        return false;
    }
    return true;
}

/* The documents of array docs into in; false after recording why. */
static bool read_documents(struct hp_request *req, const cJSON *docs,
                           struct hp_application_input *in)
{
    in->documents = hp_arena_calloc(req->arena, (size_t)cJSON_GetArraySize(docs) + 1,
                                    sizeof(*in->documents));
    bool ok = true;
    int i = 0;
    for (const cJSON *d = docs->child; d; d = d->next, i++) {
        const char *prefix = hp_arena_printf(req->arena, "/documents/%d", i);
        const cJSON *v[2];
        if (!hp_api_read(req, d, document_spec, prefix, v)) {
            ok = false;
            continue;
        }
        for (const cJSON *e = docs->child; e != d; e = e->next) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
            if (cJSON_IsString(n) && strcmp(n->valuestring, v[0]->valuestring) == 0) {
                hp_req_invalid(req, hp_arena_printf(req->arena, "%s/name", prefix),
                               "names a document already listed");
                ok = false;
            }
        }
        in->documents[in->ndocuments++] =
            (struct hp_app_document){v[0]->valuestring, cJSON_IsTrue(v[1])};
    }
    return ok;
}

bool hp_api_application_input(struct hp_request *req, const cJSON *body,
                              struct hp_application_input *in)
{
    const cJSON *v[F_COUNT];
    bool ok = hp_api_read(req, body, create_spec, "", v);
    memset(in, 0, sizeof(*in));
    in->org_id = req->who->org_id;
    in->applicant_id = req->who->user_id;
    in->type = v[F_TYPE] ? v[F_TYPE]->valuestring : NULL;
    if (v[F_PLATES] && !(in->plates = hp_api_read_plates(req, v[F_PLATES], "/plates", &in->nplates)))
        ok = false;
    if (!read_zones(req, v[F_ZONES], in))
        ok = false;
    if (v[F_CORRIDOR] && !read_corridor(req, v[F_CORRIDOR], in))
        ok = false;
    if ((v[F_FROM] || v[F_TO]) && !read_validity(req, v[F_FROM], v[F_TO], in->type))
        ok = false;
    in->valid_from = v[F_FROM] ? v[F_FROM]->valuestring : NULL;
    in->valid_to = v[F_TO] ? v[F_TO]->valuestring : NULL;
    if (v[F_HOURS] && !(in->hours = hp_api_read_hours(req, v[F_HOURS]->valuestring, "/hours")))
        ok = false;
    in->project_id = v[F_PROJECT] ? v[F_PROJECT]->valuestring : NULL;
    if (v[F_DOCS] && !read_documents(req, v[F_DOCS], in))
        ok = false;
    in->note = v[F_NOTE] ? v[F_NOTE]->valuestring : NULL;
    bool works = in->type && strcmp(in->type, "road_occupation") == 0;
    if (works) {
        /* A permit for road works (road_works.c): no plates, no zones. */
        if (!hp_api_read_works(req, v[F_WORKS], v[F_DOCS], in))
            ok = false;
        for (int i = 0; i < F_COUNT; i++)
            if ((i == F_PLATES || i == F_ZONES || i == F_CORRIDOR) && v[i]) {
                hp_req_invalid(req, i == F_PLATES ? "/plates" : i == F_ZONES ? "/zone_ids" : "/corridor",
                               "a road-occupation permit names none: its area is in works");
                ok = false;
            }
        if (req->who->role != HP_ROLE_SITE) {
            hp_req_invalid(req, "/type", "road-occupation permits are filed by a construction site");
            ok = false;
        }
        in->plates = hp_arena_calloc(req->arena, 1, sizeof(*in->plates));
        if (!ok)
            hp_reply_invalid(req);
        return ok;
    }
    if (v[F_WORKS]) {
        hp_req_invalid(req, "/works", "only a road_occupation application has works");
        ok = false;
    }
    const cJSON *cargo = cJSON_GetObjectItemCaseSensitive(body, "cargo");
    if (in->type && strcmp(in->type, "oversize") == 0) {
        /* An oversize load is escorted or not along one road: it needs a
         * corridor and what it measures (docs/contract.md §13). */
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "corridor");
        if (!c || cJSON_IsNull(c)) {
            hp_req_invalid(req, "/corridor", "is required for an oversize load: its route");
            ok = false;
        }
        /* A cargo of the wrong JSON type is already said to be so. */
        bool cargo_typed = v[F_CARGO] || !cargo || cJSON_IsNull(cargo);
        if (!cargo_typed || !hp_api_read_cargo(req, v[F_CARGO], in))
            ok = false;
    } else if (cargo && !cJSON_IsNull(cargo)) {
        hp_req_invalid(req, "/cargo", "only an oversize application has cargo");
        ok = false;
    }
    if (!v[F_PLATES] && !cJSON_GetObjectItemCaseSensitive(body, "plates")) {
        hp_req_invalid(req, "/plates", "is required");
        ok = false;
    }
    /* A pass covers its zones and its corridor: with neither it would lift
     * nothing anywhere. Said last, after what is wrong in the fields. */
    const cJSON *zones = cJSON_GetObjectItemCaseSensitive(body, "zone_ids");
    const cJSON *corridor = cJSON_GetObjectItemCaseSensitive(body, "corridor");
    bool no_zones = !zones || cJSON_IsNull(zones) || (cJSON_IsArray(zones) && !zones->child);
    if (no_zones && (!corridor || cJSON_IsNull(corridor))) {
        hp_req_invalid(req, "/zone_ids", "name at least one zone, or give a corridor");
        ok = false;
    }
    if (!ok)
        hp_reply_invalid(req);
    return ok;
}

struct create_tx {
    struct hp_arena *arena;
    const struct hp_application_input *in;
    struct hp_application_refusal refusal;
    struct hp_application app;
};

static enum hp_db_status create_run(struct hp_db *db, void *ctx)
{
    struct create_tx *t = ctx;
    return hp_applications_create(db, t->arena, t->in, &t->refusal, &t->app);
}

void hp_api_applications_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    struct hp_application_input in;
    if (!body || !hp_api_application_input(req, body, &in))
        return;
    struct create_tx t = {.arena = req->arena, .in = &in};
    enum hp_db_status st = hp_db_tx(req->db, create_run, &t);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (st == HP_DB_NO_ROWS) {
        for (int *i = t.refusal.bad_plates; i && *i >= 0; i++)
            hp_req_invalid(req, hp_arena_printf(req->arena, "/plates/%d", *i),
                           "is not a vehicle of your organisation");
        for (int *i = t.refusal.bad_zones; i && *i >= 0; i++)
            hp_req_invalid(req, hp_arena_printf(req->arena, "/zone_ids/%d", *i),
                           "is not a live zone");
        if (t.refusal.project_missing)
            hp_req_invalid(req, "/project_id", "no project has this id");
        hp_reply_invalid(req);
        return;
    }
    hp_reply_header(req, "Location",
                    hp_arena_printf(req->arena, "/v1/applications/%s", t.app.id));
    hp_reply_json(req, 201, hp_api_application_json(&t.app, NULL));
}

void hp_api_applications_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_uuid_paging(req, &limit, &cursor))
        return;
    const char *status = hp_req_query(req, "status");
    enum hp_app_status s;
    if (status && !hp_app_status_parse(status, &s)) {
        hp_reply_problem(req, 400, "bad-parameter", "status is not an application status");
        return;
    }
    struct hp_application *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_applications_list(req->db, req->arena, hp_api_own_org(req), status, cursor,
                                                limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, hp_api_application_json(&rows[i], NULL));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].id : NULL));
}

/* The application id of the path, or NULL after replying 404. */
static const char *app_id(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no application has this id");
        return NULL;
    }
    return id;
}

void hp_api_applications_get(struct hp_request *req)
{
    const char *id = app_id(req);
    if (!id)
        return;
    struct hp_application a;
    struct hp_application_history history;
    enum hp_db_status st = hp_applications_get(req->db, req->arena, id, hp_api_own_org(req), &a);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no application has this id");
        return;
    }
    if (st == HP_DB_ROWS)
        st = hp_applications_history(req->db, req->arena, id, &history);
    if (st < 0)
        hp_api_db_failed(req, st);
    else
        hp_reply_json(req, 200, hp_api_application_json(&a, &history));
}

struct change_tx {
    struct hp_arena *arena;
    const char *id, *org_id, *actor, *reason;
    bool endorse;
    enum hp_app_change_outcome outcome;
    struct hp_application app;
};

static enum hp_db_status change_run(struct hp_db *db, void *ctx)
{
    struct change_tx *t = ctx;
    if (t->endorse)
        return hp_applications_endorse(db, t->arena, t->id, t->org_id, t->actor, &t->outcome,
                                       &t->app);
    return hp_applications_withdraw(db, t->arena, t->id, t->org_id, t->actor, t->reason,
                                    &t->outcome, &t->app);
}

static void change(struct hp_request *req, bool endorse)
{
    const char *id = app_id(req);
    if (!id)
        return;
    const char *reason = NULL;
    if (!endorse && !hp_api_optional_reason(req, &reason))
        return;
    struct change_tx t = {.arena = req->arena, .id = id, .org_id = req->who->org_id,
                          .actor = req->who->user_id, .reason = reason, .endorse = endorse};
    enum hp_db_status st = hp_db_tx(req->db, change_run, &t);
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (t.outcome == HP_APP_NOT_FOUND)
        hp_reply_problem(req, 404, "not-found", "no application has this id");
    else if (t.outcome == HP_APP_FORBIDDEN)
        hp_reply_problem(req, 403, "forbidden",
                         endorse ? "only the site of the application's project endorses it"
                                 : "only the organisation that filed it withdraws it");
    else if (t.outcome == HP_APP_CONFLICT)
        hp_reply_problem(req, 409, "wrong-status", "the application is %s", t.app.status);
    else
        hp_reply_json(req, 200, hp_api_application_json(&t.app, NULL));
}

void hp_api_applications_withdraw(struct hp_request *req)
{
    change(req, false);
}

void hp_api_applications_endorse(struct hp_request *req)
{
    change(req, true);
}

static const struct hp_json_field supply_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200},
    {NULL},
};

struct supply_tx {
    struct hp_arena *arena;
    const char *id, *org_id, *actor, *name, *today;
    enum hp_supply_outcome outcome;
};

static enum hp_db_status supply_run(struct hp_db *db, void *ctx)
{
    struct supply_tx *t = ctx;
    return hp_passes_supply(db, t->arena, t->id, t->org_id, t->actor, t->name, t->today,
                            &t->outcome);
}

/* POST /v1/applications/{id}/documents: the applicant's organisation marks
 * a missing document supplied; the last one makes provisional passes
 * active. Answers the application as it now is. */
void hp_api_applications_documents(struct hp_request *req)
{
    const char *id = app_id(req);
    if (!id)
        return;
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return;
    if (!hp_api_read(req, body, supply_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    char today[11];
    hp_api_today(today);
    struct supply_tx t = {.arena = req->arena, .id = id, .org_id = req->who->org_id,
                          .actor = req->who->user_id, .name = v[0]->valuestring,
                          .today = today};
    enum hp_db_status st = hp_db_tx(req->db, supply_run, &t);
    struct hp_application a;
    if (st >= 0 && t.outcome == HP_SUPPLY_DONE)
        st = hp_applications_get(req->db, req->arena, id, NULL, &a);
    if (st < 0) {
        hp_api_db_failed(req, st);
    } else if (t.outcome == HP_SUPPLY_NOT_FOUND) {
        hp_reply_problem(req, 404, "not-found", "no application has this id");
    } else if (t.outcome == HP_SUPPLY_NOT_MISSING) {
        hp_req_invalid(req, "/name", "is not a document the decision named as missing");
        hp_reply_invalid(req);
    } else {
        hp_reply_json(req, 200, hp_api_application_json(&a, NULL));
    }
}
