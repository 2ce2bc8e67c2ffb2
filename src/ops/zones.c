/*
 * src/ops/ holds the operations that more than one edge of the service
 * runs: the HTTP handlers (src/api/), the command line (src/cli/) and
 * other handlers. An operation takes plain structs, runs the database
 * calls (src/db/) and the core, and answers an outcome; what that outcome
 * looks like in HTTP is the handler's business.
 *
 * This file: zone writes (ops_zones.h). Each write names its actor for the
 * zone history trigger and audits the zone before and after, as the API
 * shows it.
 */
#include "haulpass/ops_zones.h"

#include "haulpass/arena.h"
#include "haulpass/audit.h"
#include "haulpass/geojson.h"
#include "haulpass/roadworks.h"
#include "haulpass/time.h"
#include "haulpass/zone_input.h"

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

static void add_time(cJSON *j, const char *key, int64_t us)
{
    char b[HP_TIME_BUF];
    hp_time_format(us, b);
    cJSON_AddStringToObject(j, key, b);
}

cJSON *hp_ops_zone_json(GEOSContextHandle_t geos, const struct hp_zone_row *z)
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
    if (z->kind) /* NULL for a version (versions keep no kind) */
        cJSON_AddStringToObject(j, "kind", z->kind);
    cJSON_AddItemToObject(j, "geometry", geometry);
    cJSON_AddItemToObject(j, "rules", ordered_rules(z->rules));
    add_time(j, "created_at", z->created_us);
    add_time(j, "updated_at", z->updated_us);
    if (z->retired_us) {
        add_time(j, "retired_at", z->retired_us);
        /* Only on a retired zone, so live zones read as before. */
        if (z->retire_reason)
            cJSON_AddStringToObject(j, "retire_reason", z->retire_reason);
        else
            cJSON_AddNullToObject(j, "retire_reason");
    } else
        cJSON_AddNullToObject(j, "retired_at");
    return j;
}

static char *json_text(struct hp_arena *arena, cJSON *j)
{
    return j ? hp_arena_defer(arena, free, cJSON_PrintUnformatted(j)) : NULL;
}

struct write {
    struct hp_arena *arena;
    GEOSContextHandle_t geos;
    const char *actor;
    const char *id;                 /* replace and retire */
    const char *reason;             /* retire: why, or NULL */
    int expected_version;           /* 0: any */
    const struct hp_zone_input *in; /* insert and replace */
    const char *wkb_hex;
    char *rules;
    enum hp_zone_outcome outcome;
    struct hp_zone_written out;
};

/* The stored forms of in (WKB, rules text) into w; false when GEOS could
 * not write the WKB. */
static bool prepare(struct write *w, const struct hp_zone_input *in)
{
    w->in = in;
    char *hex = hp_geojson_to_wkb_hex(w->geos, in->geom);
    if (!hex)
        return false;
    w->wkb_hex = hp_arena_defer(w->arena, free, hex);
    w->rules = json_text(w->arena, in->rules);
    return true;
}

/* Audits the write and keeps the zone's JSON for the answer. */
static enum hp_db_status audit(struct hp_db *db, struct write *w, const char *action,
                               const char *before)
{
    cJSON_Delete(w->out.json); /* a retried transaction starts over */
    w->out.json = hp_ops_zone_json(w->geos, &w->out.row);
    return hp_audit_write(db, w->arena, w->actor, "zone", w->out.row.id, action, before,
                          json_text(w->arena, w->out.json));
}

static enum hp_db_status insert_tx(struct hp_db *db, void *ctx)
{
    struct write *w = ctx;
    enum hp_db_status st = hp_zones_set_actor(db, w->arena, w->actor);
    if (st >= 0)
        st = hp_zones_insert(db, w->arena, w->in->name, w->wkb_hex, w->in->sent_as_polygon,
                             w->rules, &w->out.row);
    if (st >= 0)
        st = audit(db, w, "create", NULL);
    return st;
}

/* Locks the zone and checks it may be changed; sets w->outcome and, when
 * it may, *before (the zone's JSON text). */
static enum hp_db_status lock_current(struct hp_db *db, struct write *w, char **before)
{
    struct hp_zone_row cur;
    w->outcome = HP_ZONE_DONE;
    enum hp_db_status st = hp_zones_set_actor(db, w->arena, w->actor);
    if (st >= 0)
        st = hp_zones_get(db, w->arena, w->id, true, &cur);
    if (st == HP_DB_NO_ROWS)
        w->outcome = HP_ZONE_MISSING;
    else if (st >= 0 && cur.retired_us)
        w->outcome = HP_ZONE_RETIRED;
    else if (st >= 0 && w->expected_version && cur.version != w->expected_version)
        w->outcome = HP_ZONE_STALE;
    if (st >= 0 && w->outcome == HP_ZONE_DONE) {
        cJSON *j = hp_ops_zone_json(w->geos, &cur);
        *before = json_text(w->arena, j);
        cJSON_Delete(j);
        w->out.row = cur;
    }
    return st;
}

/* Writes w->in as the next version of the zone, or retires it when there
 * is no w->in. */
static enum hp_db_status change_tx(struct hp_db *db, void *ctx)
{
    struct write *w = ctx;
    char *before = NULL;
    enum hp_db_status st = lock_current(db, w, &before);
    if (st < 0 || w->outcome != HP_ZONE_DONE)
        return st;
    if (w->in)
        st = hp_zones_update(db, w->arena, w->id, w->in->name, w->wkb_hex,
                             w->in->sent_as_polygon, w->rules, &w->out.row);
    else
        st = hp_zones_retire(db, w->arena, w->id, w->reason, &w->out.row);
    /* Retiring road works revokes the permit they came from. */
    if (st >= 0 && !w->in && w->out.row.kind && strcmp(w->out.row.kind, "roadworks") == 0)
        st = hp_roadworks_revoked(db, w->arena, w->id, w->actor, w->reason);
    if (st >= 0)
        st = audit(db, w, w->in ? "update" : "retire", before);
    return st;
}

/* Runs fn on w (in its own transaction when own_tx) and hands over what
 * it wrote; the JSON only when the write was done. */
static enum hp_db_status run(struct hp_db *db, struct write *w, hp_db_tx_fn fn, bool own_tx,
                             enum hp_zone_outcome *outcome, struct hp_zone_written *out)
{
    enum hp_db_status st = own_tx ? hp_db_tx(db, fn, w) : fn(db, w);
    if (st < 0 || w->outcome != HP_ZONE_DONE) {
        cJSON_Delete(w->out.json);
        w->out.json = NULL;
    }
    *outcome = w->outcome;
    *out = w->out;
    return st;
}

static enum hp_db_status write_new(struct hp_db *db, struct hp_arena *arena,
                                   GEOSContextHandle_t geos, const char *actor,
                                   const struct hp_zone_input *in, bool own_tx,
                                   enum hp_zone_outcome *outcome, struct hp_zone_written *out)
{
    struct write w = {.arena = arena, .geos = geos, .actor = actor};
    *out = (struct hp_zone_written){0};
    if (!prepare(&w, in)) {
        *outcome = HP_ZONE_NO_WKB;
        return HP_DB_NO_ROWS;
    }
    return run(db, &w, insert_tx, own_tx, outcome, out);
}

enum hp_db_status hp_ops_zone_insert(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const struct hp_zone_input *in,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out)
{
    return write_new(db, arena, geos, actor, in, false, outcome, out);
}

enum hp_db_status hp_ops_zone_create(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const struct hp_zone_input *in,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out)
{
    return write_new(db, arena, geos, actor, in, true, outcome, out);
}

enum hp_db_status hp_ops_zone_replace(struct hp_db *db, struct hp_arena *arena,
                                      GEOSContextHandle_t geos, const char *actor,
                                      const char *id, int expected_version,
                                      const struct hp_zone_input *in,
                                      enum hp_zone_outcome *outcome,
                                      struct hp_zone_written *out)
{
    struct write w = {.arena = arena, .geos = geos, .actor = actor, .id = id,
                      .expected_version = expected_version};
    *out = (struct hp_zone_written){0};
    if (!prepare(&w, in)) {
        *outcome = HP_ZONE_NO_WKB;
        return HP_DB_NO_ROWS;
    }
    return run(db, &w, change_tx, true, outcome, out);
}

enum hp_db_status hp_ops_zone_retire(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const char *id, int expected_version, const char *reason,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out)
{
    struct write w = {.arena = arena, .geos = geos, .actor = actor, .id = id,
                      .expected_version = expected_version, .reason = reason};
    *out = (struct hp_zone_written){0};
    return run(db, &w, change_tx, true, outcome, out);
}
