/* The KML import (ops_zones.h), shared by POST /v1/zones/import and
 * `haulpass import-kml`: KML placemarks become zones through the same
 * checks as a JSON zone (zone_input.h). */
#include "haulpass/ops_zones.h"

#include "haulpass/arena.h"
#include "haulpass/embedded.h"
#include "haulpass/geo_context.h"
#include "haulpass/kml.h"
#include "haulpass/log.h"
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
    const struct hp_kml_zone *kml; /* what a dry run's preview draws */
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
        enum hp_zone_outcome outcome;
        struct hp_zone_written w;
        enum hp_db_status st =
            hp_ops_zone_insert(db, im->arena, im->geos, im->actor, &im->c[i].in, &outcome, &w);
        cJSON_Delete(w.json);
        if (st >= 0 && outcome != HP_ZONE_DONE)
            st = HP_DB_HARD_ERROR; /* the geometry could not be written */
        if (st < 0)
            return st;
        cJSON_AddItemToArray(im->created, cJSON_CreateString(w.row.id));
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

/* What a dry run would create, drawable before anything is written (the
 * console draws it on its map): a GeoJSON FeatureCollection, one Feature a
 * zone in would_create's order, properties {index, name, rules} with the
 * rule as the Placemark's ExtendedData read it. The server's own parse, so
 * the preview never disagrees with what the import would write. */
static cJSON *preview(const struct import *im)
{
    cJSON *fc = cJSON_CreateObject();
    cJSON_AddStringToObject(fc, "type", "FeatureCollection");
    cJSON *features = cJSON_AddArrayToObject(fc, "features");
    for (int i = 0; i < im->n; i++) {
        const struct hp_kml_zone *z = im->c[i].kml;
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "type", "Feature");
        cJSON_AddItemToObject(f, "geometry", cJSON_Duplicate(z->geometry, 1));
        cJSON *props = cJSON_AddObjectToObject(f, "properties");
        cJSON_AddNumberToObject(props, "index", z->index);
        cJSON_AddStringToObject(props, "name", z->name);
        cJSON *rules = cJSON_AddArrayToObject(props, "rules");
        if (z->rule->child)
            cJSON_AddItemToArray(rules, cJSON_Duplicate(z->rule, 1));
        cJSON_AddItemToArray(features, f);
    }
    return fc;
}

static enum hp_zones_import_outcome parse_outcome(enum hp_kml_status ks)
{
    switch (ks) {
    case HP_KML_MALFORMED: return HP_ZONES_IMPORT_MALFORMED;
    case HP_KML_TOO_LARGE: return HP_ZONES_IMPORT_TOO_LARGE;
    case HP_KML_NO_MEMORY: return HP_ZONES_IMPORT_NO_MEMORY;
    default: return HP_ZONES_IMPORT_NOT_KML;
    }
}

enum hp_zones_import_outcome hp_ops_zones_import_kml(struct hp_db *db, struct hp_arena *arena,
                                                     const char *actor, const char *data,
                                                     size_t len, bool dry_run, cJSON **answer,
                                                     char *detail, size_t detail_len)
{
    pthread_once(&schema_once, load_schema);
    struct hp_kml_result *res = NULL;
    struct hp_kml_error kerr = {0};
    enum hp_kml_status ks = hp_kml_parse(data, len, schema, &res, &kerr);
    if (ks != HP_KML_OK) {
        snprintf(detail, detail_len, "%s", kerr.message);
        return parse_outcome(ks);
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
            c->kml = z;
            im.n++;
        } else {
            char reason[700];
            snprintf(reason, sizeof(reason), "line %ld: %s", z->line, why.text);
            skip(skipped, NULL, z->name, z->index, reason);
        }
        /* The input keeps pointers into the body: free it with the arena. */
        hp_arena_defer(arena, (void (*)(void *))cJSON_Delete, body);
    }
    enum hp_zones_import_outcome outcome = HP_ZONES_IMPORT_DONE;
    cJSON *created = NULL;
    if (dry_run) {
        created = cJSON_CreateArray();
    } else if (im.n > 0) {
        enum hp_db_status st = db ? hp_db_tx(db, import_tx, &im) : HP_DB_UNAVAILABLE;
        if (st < 0) {
            outcome = st == HP_DB_UNAVAILABLE ? HP_ZONES_IMPORT_UNAVAILABLE
                                              : HP_ZONES_IMPORT_DB_FAILED;
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
    if (outcome != HP_ZONES_IMPORT_DONE) {
        cJSON_Delete(created);
        cJSON_Delete(skipped);
        return outcome;
    }
    *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(*answer, "created", created);
    cJSON_AddItemToObject(*answer, "skipped", skipped);
    cJSON_AddBoolToObject(*answer, "dry_run", dry_run);
    if (dry_run) {
        cJSON *would = cJSON_AddArrayToObject(*answer, "would_create");
        for (int i = 0; i < im.n; i++)
            cJSON_AddItemToArray(would, cJSON_CreateString(im.c[i].name));
        cJSON_AddItemToObject(*answer, "preview", preview(&im));
    }
    return HP_ZONES_IMPORT_DONE;
}

