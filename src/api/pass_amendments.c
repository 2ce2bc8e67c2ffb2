/* /v1/passes/{code}/amendments and /v1/passes/{code}/revisions
 * (docs/contract.md §13). The holder of a pass asks for a change: an
 * application of kind amendment, holding the whole revision it asks for, so
 * the queue, the deadlines and the decision treat it like any other. An
 * officer amends directly. Either way the pass keeps its code and gets the
 * next revision, with a new signed code. */
#include "haulpass/api.h"

#include "haulpass/app.h"
#include "haulpass/applications.h"
#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/pass_amendments.h"
#include "haulpass/passes.h"
#include "haulpass/plate.h"
#include "haulpass/principal.h"
#include "haulpass/reply.h"

#include <string.h>
#include <strings.h>

enum { A_REVISION, A_PLATE, A_ZONES, A_CORRIDOR, A_FROM, A_TO, A_HOURS, A_REASON, A_DOCS,
       A_NOTE, A_COUNT };

static const struct hp_json_field amend_spec[] = {
    {"revision", HP_JSON_INT, .min = 1, .max = 1000000},
    {"plate", HP_JSON_STRING, .min = 1, .max = 64},
    {"zone_ids", HP_JSON_ARRAY, .max = 500},
    {"corridor", HP_JSON_OBJECT, .nullable = true},
    {"valid_from", HP_JSON_STRING},
    {"valid_to", HP_JSON_STRING},
    {"hours", HP_JSON_STRING, .nullable = true, .min = 1, .max = 1000},
    {"reason", HP_JSON_STRING, .required = true, .min = 1, .max = 2000, .trimmed = true},
    {"documents", HP_JSON_ARRAY, .max = 50},
    {"note", HP_JSON_STRING, .nullable = true, .max = 2000},
    {NULL},
};

static void add_copy(cJSON *to, const char *key, const cJSON *v)
{
    cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, true));
}

/* The application body of the revision asked for: the pass as it stands
 * with what v changes, so the checks of POST /v1/applications apply. */
static cJSON *merged_body(const struct hp_pass *p, const cJSON *body, const cJSON **v)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "type", p->type);
    cJSON *plates = cJSON_AddArrayToObject(m, "plates");
    cJSON_AddItemToArray(plates, cJSON_CreateString(v[A_PLATE] ? v[A_PLATE]->valuestring
                                                               : p->plate));
    if (v[A_ZONES])
        add_copy(m, "zone_ids", v[A_ZONES]);
    else
        cJSON_AddItemToObject(m, "zone_ids", cJSON_CreateStringArray(p->zone_ids, p->nzones));
    if (cJSON_GetObjectItemCaseSensitive(body, "corridor")) {
        add_copy(m, "corridor", cJSON_GetObjectItemCaseSensitive(body, "corridor"));
    } else if (p->corridor) {
        cJSON *c = cJSON_AddObjectToObject(m, "corridor");
        cJSON_AddItemToObject(c, "route", hp_api_json_or_null(p->corridor));
        cJSON_AddNumberToObject(c, "width_m", p->corridor_width_m);
    }
    cJSON_AddStringToObject(m, "valid_from", v[A_FROM] ? v[A_FROM]->valuestring : p->valid_from);
    cJSON_AddStringToObject(m, "valid_to", v[A_TO] ? v[A_TO]->valuestring : p->valid_to);
    if (cJSON_GetObjectItemCaseSensitive(body, "hours"))
        add_copy(m, "hours", cJSON_GetObjectItemCaseSensitive(body, "hours"));
    else if (p->hours)
        cJSON_AddStringToObject(m, "hours", p->hours);
    if (v[A_DOCS])
        add_copy(m, "documents", v[A_DOCS]);
    else
        cJSON_AddArrayToObject(m, "documents");
    if (v[A_NOTE])
        add_copy(m, "note", v[A_NOTE]);
    /* An oversize pass's load does not change with its revisions. */
    if (p->cargo)
        cJSON_AddItemToObject(m, "cargo", cJSON_Parse(p->cargo));
    return m;
}

static bool same_zones(const struct hp_pass *p, const struct hp_application_input *in)
{
    if (p->nzones != in->nzones)
        return false;
    for (int i = 0; i < in->nzones; i++)
        if (strcasecmp(p->zone_ids[i], in->zone_ids[i]) != 0)
            return false;
    return true;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether in changes anything of p (a corridor sent counts as a change:
 * its text cannot be compared with the stored one). */
static bool changes_something(const struct hp_pass *p, const cJSON *body,
                              const struct hp_application_input *in)
{
    return strcmp(in->plates[0], p->plate) != 0 || !same_zones(p, in) ||
           cJSON_GetObjectItemCaseSensitive(body, "corridor") ||
           strcmp(in->valid_from, p->valid_from) != 0 || strcmp(in->valid_to, p->valid_to) != 0 ||
           !same_text(in->hours, p->hours);
}

/* The refusals that depend on the pass as it stands; false after
 * replying. An amendment that moves valid_to later is an extension. */
static bool amendable(struct hp_request *req, const struct hp_pass *p, const cJSON **v,
                      const struct hp_application_input *in)
{
    if (strcmp(p->status, "revoked") == 0 || strcmp(p->status, "expired") == 0) {
        hp_reply_problem(req, 409, "pass-not-amendable", "the pass is %s: it cannot be amended",
                         p->status);
        return false;
    }
    if (v[A_REVISION] && v[A_REVISION]->valueint != p->revision) {
        hp_reply_problem(req, 409, "superseded",
                         "revision %d of this pass is superseded by revision %d: amend that one",
                         v[A_REVISION]->valueint, p->revision);
        return false;
    }
    if (strcmp(in->valid_to, p->valid_to) > 0) {
        if (strcmp(p->type, "temporary") == 0) {
            hp_req_invalid(req, "/valid_to", "a temporary pass cannot be extended");
            hp_reply_invalid(req);
            return false;
        }
        if (p->extensions >= 2) {
            hp_reply_problem(req, 409, "extension-limit",
                             "this pass was extended twice already, the most allowed");
            return false;
        }
    }
    return true;
}

/* The pass has another revision than the one the change was merged from. */
static void reply_moved(struct hp_request *req)
{
    hp_reply_problem(req, 409, "superseded",
                     "the pass was amended meanwhile: read it again and amend the new revision");
}

struct file_tx {
    struct hp_arena *arena;
    const struct hp_application_input *in;
    int base_revision; /* the pass's revision the fields were merged from */
    bool moved;        /* the pass has another revision now */
    struct hp_application_refusal refusal;
    struct hp_application app;
};

/* The amendment carries every field of the pass as it will stand, merged
 * from the revision read before this transaction. Under the pass's lock,
 * it goes in only while that revision is still the current one: an
 * officer's direct amendment committed in between would otherwise be
 * undone when this one is approved. */
static enum hp_db_status file_run(struct hp_db *db, void *ctx)
{
    struct file_tx *t = ctx;
    int revision;
    enum hp_db_status st = hp_pass_amend_lock(db, t->arena, t->in->pass_code, &revision);
    if (st < 0)
        return st;
    if ((t->moved = st != HP_DB_ROWS || revision != t->base_revision))
        return HP_DB_NO_ROWS;
    return hp_applications_create(db, t->arena, t->in, &t->refusal, &t->app);
}

static void reply_refused_zones(struct hp_request *req, const int *bad)
{
    for (const int *i = bad; i && *i >= 0; i++)
        hp_req_invalid(req, hp_arena_printf(req->arena, "/zone_ids/%d", *i), "is not a live zone");
}

/* The holder's amendment: an application in the queue. */
static void file_amendment(struct hp_request *req, const struct hp_pass *p,
                           struct hp_application_input *in)
{
    in->pass_code = p->code;
    in->project_id = p->project_id;
    in->fast_track = p->fast_track;
    struct file_tx t = {.arena = req->arena, .in = in, .base_revision = p->revision};
    enum hp_db_status st = hp_db_tx(req->db, file_run, &t);
    if (st == HP_DB_HARD_ERROR && hp_db_constraint(req->db) &&
        strcmp(hp_db_constraint(req->db), HP_ONE_OPEN_AMENDMENT) == 0) {
        hp_reply_problem(req, 409, "amendment-open",
                         "an amendment of this pass is already open: wait for its decision, or "
                         "withdraw it");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (t.moved) {
        reply_moved(req);
        return;
    }
    if (st == HP_DB_NO_ROWS) {
        if (t.refusal.bad_plates && t.refusal.bad_plates[0] >= 0)
            hp_req_invalid(req, "/plate", "is not a vehicle of the pass's holder");
        reply_refused_zones(req, t.refusal.bad_zones);
        hp_reply_invalid(req);
        return;
    }
    hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/applications/%s", t.app.id));
    hp_reply_json(req, 201, hp_api_application_json(&t.app, NULL));
}

struct direct_tx {
    struct hp_arena *arena;
    const struct hp_signing_key *key;
    const char *code, *holder, *actor, *reason;
    const struct hp_revision_input *in;
    enum hp_direct_outcome outcome;
    int bad_zone;
};

static enum hp_db_status direct_run(struct hp_db *db, void *ctx)
{
    struct direct_tx *t = ctx;
    struct hp_passes_written revised;
    enum hp_db_status st = hp_pass_amend_direct(db, t->arena, t->code, t->holder, t->actor,
                                                t->reason, t->in, &t->outcome, &t->bad_zone,
                                                &revised);
    if (st < 0 || t->outcome != HP_DIRECT_DONE)
        return st;
    /* The new revision's code, signed in the same transaction. */
    enum hp_db_status signed_st = hp_passes_sign_written(db, t->arena, t->key, &revised);
    return signed_st < 0 ? signed_st : st;
}

/* An officer's amendment: the next revision at once. */
static void amend_directly(struct hp_request *req, struct hp_pass *p,
                           const struct hp_application_input *in)
{
    struct hp_revision_input r = {
        .plate = in->plates[0], .zone_ids = in->zone_ids, .nzones = in->nzones,
        .corridor = in->corridor, .width_m = in->width_m, .valid_from = in->valid_from,
        .valid_to = in->valid_to, .hours = in->hours, .base_revision = p->revision};
    struct direct_tx t = {.arena = req->arena, .key = req->app->signing_key, .code = p->code,
                          .holder = p->holder_org_id, .actor = req->who->user_id,
                          .reason = in->reason, .in = &r};
    enum hp_db_status st = hp_db_tx(req->db, direct_run, &t);
    if (st < 0) {
        hp_api_db_failed(req, st);
    } else if (t.outcome == HP_DIRECT_NOT_AMENDABLE) {
        hp_reply_problem(req, 409, "pass-not-amendable", "the pass cannot be amended now");
    } else if (t.outcome == HP_DIRECT_MOVED) {
        reply_moved(req);
    } else if (t.outcome == HP_DIRECT_OPEN) {
        hp_reply_problem(req, 409, "amendment-open",
                         "an amendment of this pass is open: decide it first");
    } else if (t.outcome == HP_DIRECT_BAD_PLATE) {
        hp_req_invalid(req, "/plate", "is not a vehicle of the pass's holder");
        hp_reply_invalid(req);
    } else if (t.outcome == HP_DIRECT_BAD_ZONE) {
        hp_req_invalid(req, hp_arena_printf(req->arena, "/zone_ids/%d", t.bad_zone),
                       "is not a live zone");
        hp_reply_invalid(req);
    } else if (hp_passes_get(req->db, req->arena, p->code, NULL, p) != HP_DB_ROWS) {
        hp_reply_internal(req, "the amended pass could not be read back");
    } else {
        hp_reply_json(req, 200, hp_api_pass_json(p));
    }
}

void hp_api_passes_amend(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    const cJSON *v[A_COUNT];
    if (!body)
        return;
    bool ok = hp_api_read(req, body, amend_spec, "", v);
    char plate[HP_PLATE_BUF];
    if (v[A_PLATE] && hp_plate_normalise(v[A_PLATE]->valuestring, plate, NULL) != HP_PLATE_OK) {
        hp_req_invalid(req, "/plate", "is not a plate");
        ok = false;
    }
    if (!ok) {
        hp_reply_invalid(req);
        return;
    }
    struct hp_pass p;
    if (!hp_api_sweep_lapsed(req) || !hp_api_pass_for_code(req, &p))
        return;
    bool police = (req->who->role & HP_ROLE_POLICE) != 0;
    if (!police && strcmp(p.holder_org_id, req->who->org_id) != 0) {
        hp_reply_problem(req, 403, "forbidden",
                         "only the organisation that applied for the pass amends it");
        return;
    }
    /* A revision is reviewed under today's rules, and an oversize review
     * needs the load (whether an escort is required, which booking covers
     * a trip): a pass issued before loads were recorded (sql/014) cannot
     * say, and its revision would not either. It runs out as issued. */
    if (strcmp(p.type, "oversize") == 0 && !p.cargo) {
        hp_reply_problem(req, 409, "pass-not-amendable",
                         "this oversize pass was issued before loads were recorded: it has no "
                         "cargo, which a revision needs; apply for a new pass with the load's "
                         "dimensions and mass");
        return;
    }
    cJSON *m = merged_body(&p, body, v);
    hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete, m);
    struct hp_application_input in;
    if (!hp_api_application_input(req, m, &in))
        return;
    in.reason = v[A_REASON]->valuestring;
    if (!changes_something(&p, body, &in)) {
        hp_req_invalid(req, "", "the amendment changes nothing of the pass");
        hp_reply_invalid(req);
        return;
    }
    if (!amendable(req, &p, v, &in))
        return;
    if (police)
        amend_directly(req, &p, &in);
    else
        file_amendment(req, &p, &in);
}

static cJSON *revision_json(const struct hp_pass_revision *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "revision", r->revision);
    cJSON_AddStringToObject(j, "status", r->status);
    cJSON_AddItemToObject(j, "signed_code", r->signed_code ? cJSON_CreateString(r->signed_code)
                                                           : cJSON_CreateNull());
    cJSON_AddStringToObject(j, "plate", r->plate);
    cJSON_AddItemToObject(j, "zone_ids", hp_api_json_or_null(r->zone_ids));
    if (r->corridor) {
        cJSON *c = cJSON_AddObjectToObject(j, "corridor");
        cJSON_AddItemToObject(c, "route", hp_api_json_or_null(r->corridor));
        cJSON_AddNumberToObject(c, "width_m", r->corridor_width_m);
    } else {
        cJSON_AddNullToObject(j, "corridor");
    }
    cJSON_AddStringToObject(j, "valid_from", r->valid_from);
    cJSON_AddStringToObject(j, "valid_to", r->valid_to);
    cJSON_AddItemToObject(j, "hours", r->hours ? cJSON_CreateString(r->hours) : cJSON_CreateNull());
    hp_api_add_time(j, "started_at", r->started_us);
    if (r->superseded_us)
        hp_api_add_time(j, "superseded_at", r->superseded_us);
    else
        cJSON_AddNullToObject(j, "superseded_at");
    const char *texts[][2] = {{"application_id", r->application_id},
                              {"changed_by", r->changed_by},
                              {"reason", r->reason}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        cJSON_AddItemToObject(j, texts[i][0], texts[i][1] ? cJSON_CreateString(texts[i][1])
                                                          : cJSON_CreateNull());
    cJSON_AddItemToObject(j, "changes", hp_api_json_or_null(r->changes));
    return j;
}

void hp_api_passes_revisions(struct hp_request *req)
{
    struct hp_pass p;
    if (!hp_api_sweep_lapsed(req) || !hp_api_pass_for_code(req, &p))
        return;
    struct hp_pass_revision *revs;
    int n;
    enum hp_db_status st = hp_pass_revisions(req->db, req->arena, p.code, &revs, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(items, revision_json(&revs[i]));
    hp_reply_json(req, 200, hp_api_page(items, NULL));
}
