/* POST /v1/zones/import and `haulpass import-kml`: KML placemarks become
 * zones through the same checks as a JSON zone; a placemark that cannot
 * become one is skipped with its reason, and all that can are created in
 * one transaction, so a failure midway creates none. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/embedded.h"
#include "haulpass/geo_context.h"
#include "haulpass/kml.h"
#include "haulpass/log.h"
#include "haulpass/reply.h"
#include "haulpass/zone_input.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct hp_kml_schema *schema;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void load_schema(void)
{
    const struct hp_embedded_file *f = hp_embedded_find("kml-subset.xsd");
    char err[256] = "";
    schema = f ? hp_kml_schema_new(f->data, f->size, err, sizeof(err)) : NULL;
    if (!schema)
        hp_log(HP_LOG_ERROR, "kml schema not loaded", "error", err, NULL);
}

struct reasons {
    char text[600];
};

static void add_reason(void *ctx, const char *pointer, const char *message)
{
    struct reasons *r = ctx;
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof(r->text) - n, "%s%s: %s", n ? "; " : "",
             pointer[0] ? pointer : "/", message);
}

struct candidate {
    struct hp_zone_input in;
    const char *name;
};

struct import {
    struct hp_arena *arena;
    GEOSContextHandle_t geos;
    const char *actor;
    struct candidate *c;
    int n;
    cJSON *created;
};

static enum hp_db_status import_tx(struct hp_db *db, void *ctx)
{
    struct import *im = ctx;
    cJSON_Delete(im->created); /* a retried transaction starts over */
    im->created = cJSON_CreateArray();
    for (int i = 0; i < im->n; i++) {
        char *id;
        enum hp_db_status st =
            hp_api_zone_insert(db, im->arena, im->geos, im->actor, &im->c[i].in, &id);
        if (st < 0)
            return st;
        cJSON_AddItemToArray(im->created, cJSON_CreateString(id));
    }
    return HP_DB_ROWS;
}

static void skip(cJSON *skipped, const struct hp_kml_skip *s, const char *name, int index,
                 const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    if (name)
        cJSON_AddStringToObject(o, "placemark", name);
    else
        cJSON_AddNumberToObject(o, "placemark", s ? s->index : index);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddItemToArray(skipped, o);
}

int hp_api_zones_import_kml(struct hp_db *db, struct hp_arena *arena, const char *actor,
                            const char *data, size_t len, bool dry_run, cJSON **answer,
                            char *detail, size_t detail_len)
{
    pthread_once(&schema_once, load_schema);
    struct hp_kml_result *res = NULL;
    struct hp_kml_error kerr = {0};
    enum hp_kml_status ks = hp_kml_parse(data, len, schema, &res, &kerr);
    if (ks != HP_KML_OK) {
        snprintf(detail, detail_len, "%s", kerr.message);
        return ks == HP_KML_MALFORMED ? 400 : ks == HP_KML_TOO_LARGE ? 413
               : ks == HP_KML_NO_MEMORY ? 500 : 422;
    }
    hp_arena_defer(arena, (void (*)(void *))hp_kml_result_free, res);
    GEOSContextHandle_t geos = hp_geo_thread_context();
    cJSON *skipped = cJSON_CreateArray();
    for (size_t i = 0; i < res->nskipped; i++)
        skip(skipped, &res->skipped[i], res->skipped[i].name, 0, res->skipped[i].reason);
    struct import im = {.arena = arena, .geos = geos, .actor = actor,
                        .c = hp_arena_calloc(arena, res->nzones + 1, sizeof(struct candidate))};
    for (size_t i = 0; i < res->nzones; i++) {
        const struct hp_kml_zone *z = &res->zones[i];
        cJSON *body = cJSON_CreateObject();
        cJSON_AddStringToObject(body, "name", z->name);
        cJSON_AddItemReferenceToObject(body, "geometry", z->geometry);
        cJSON *rules = cJSON_AddArrayToObject(body, "rules");
        /* A placemark without rule fields is a zone without rules (it
         * restricts nothing yet), never a ban on everything. */
        if (z->rule->child)
            cJSON_AddItemReferenceToArray(rules, z->rule);
        struct reasons why = {""};
        struct candidate *c = &im.c[im.n];
        if (hp_zone_input_read(geos, body, NULL, "", &c->in, add_reason, &why)) {
            c->name = z->name;
            im.n++;
        } else {
            char reason[700];
            snprintf(reason, sizeof(reason), "line %ld: %s", z->line, why.text);
            skip(skipped, NULL, z->name, z->index, reason);
        }
        /* The input keeps pointers into the body: free it with the arena. */
        hp_arena_defer(arena, (void (*)(void *))cJSON_Delete, body);
    }
    int status = 200;
    cJSON *created = NULL;
    if (dry_run) {
        created = cJSON_CreateArray();
    } else if (im.n > 0) {
        enum hp_db_status st = db ? hp_db_tx(db, import_tx, &im) : HP_DB_UNAVAILABLE;
        if (st < 0) {
            status = st == HP_DB_UNAVAILABLE ? 503 : 500;
            snprintf(detail, detail_len, "%s",
                     st == HP_DB_UNAVAILABLE ? "the database cannot be reached"
                                             : hp_db_message(db));
        }
        created = im.created;
        im.created = NULL;
    } else {
        created = cJSON_CreateArray();
    }
    for (int i = 0; i < im.n; i++)
        hp_zone_input_clear(geos, &im.c[i].in);
    if (status != 200) {
        cJSON_Delete(created);
        cJSON_Delete(skipped);
        return status;
    }
    *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(*answer, "created", created);
    cJSON_AddItemToObject(*answer, "skipped", skipped);
    cJSON_AddBoolToObject(*answer, "dry_run", dry_run);
    if (dry_run) {
        cJSON *would = cJSON_AddArrayToObject(*answer, "would_create");
        for (int i = 0; i < im.n; i++)
            cJSON_AddItemToArray(would, cJSON_CreateString(im.c[i].name));
    }
    return 200;
}

void hp_api_zones_import(struct hp_request *req)
{
    const char *dry = hp_req_query(req, "dry_run");
    if (dry && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
        hp_reply_problem(req, 400, "bad-parameter", "dry_run must be true or false");
        return;
    }
    bool dry_run = dry && strcmp(dry, "true") == 0;
    if (!req->body || !req->body_len) {
        hp_reply_problem(req, 400, "malformed-kml", "a KML document is required");
        return;
    }
    struct hp_db *db = dry_run ? NULL : req->db;
    cJSON *answer = NULL;
    char detail[300] = "";
    int status = hp_api_zones_import_kml(db, req->arena, req->who->user_id, req->body,
                                         req->body_len, dry_run, &answer, detail,
                                         sizeof(detail));
    switch (status) {
    case 200: hp_reply_json(req, 200, answer); break;
    case 400: hp_reply_problem(req, 400, "malformed-kml", "%s", detail); break;
    case 413: hp_reply_problem(req, 413, "too-large", "%s", detail); break;
    case 422: hp_reply_problem(req, 422, "not-kml", "%s", detail); break;
    case 503: hp_reply_unavailable(req); break;
    default: hp_reply_internal(req, detail); break;
    }
}
