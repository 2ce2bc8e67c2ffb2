/* SQL of zones. Geometry travels as hex WKB both ways, so the doubles a
 * client sent are the doubles PostGIS keeps. */
#include "haulpass/zones.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONE_COLUMNS                                                              \
    "id, version, name, encode(ST_AsBinary(geom), 'hex'), sent_as_polygon,"       \
    " rules::text, hp_us(created_at), hp_us(updated_at), coalesce(hp_us(retired_at), 0),"       \
    " retire_reason, kind"

static void read_row(PGresult *r, int i, struct hp_zone_row *z)
{
    z->id = PQgetvalue(r, i, 0);
    z->version = atoi(PQgetvalue(r, i, 1));
    z->name = PQgetvalue(r, i, 2);
    z->wkb_hex = PQgetvalue(r, i, 3);
    z->sent_as_polygon = PQgetvalue(r, i, 4)[0] == 't';
    z->rules = PQgetvalue(r, i, 5);
    z->created_us = strtoll(PQgetvalue(r, i, 6), NULL, 10);
    z->updated_us = strtoll(PQgetvalue(r, i, 7), NULL, 10);
    z->retired_us = strtoll(PQgetvalue(r, i, 8), NULL, 10);
    z->retire_reason = hp_db_text(r, i, 9);
    z->kind = PQgetvalue(r, i, 10);
}

static enum hp_db_status one(struct hp_db *db, struct hp_arena *arena, struct hp_sql *sql,
                             int n, const char *const *params, struct hp_zone_row *out)
{
    PGresult *r;
    enum hp_db_status st = hp_db_exec(db, arena, sql, n, params, &r);
    if (st == HP_DB_ROWS)
        read_row(r, 0, out);
    return st;
}

static struct hp_sql set_actor_sql = HP_SQL("zones_set_actor",
    "SELECT set_config('haulpass.actor', coalesce($1::text, ''), true)");

enum hp_db_status hp_zones_set_actor(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id)
{
    PGresult *r;
    const char *params[] = {actor_id};
    return hp_db_exec(db, arena, &set_actor_sql, 1, params, &r);
}

static struct hp_sql insert_sql = HP_SQL("zones_insert",
    "INSERT INTO zones (name, geom, sent_as_polygon, rules)"
    " VALUES ($1, ST_SetSRID(ST_GeomFromWKB(decode($2, 'hex')), 4326), $3::boolean, $4::jsonb)"
    " RETURNING " ZONE_COLUMNS);

enum hp_db_status hp_zones_insert(struct hp_db *db, struct hp_arena *arena, const char *name,
                                  const char *wkb_hex, bool sent_as_polygon, const char *rules,
                                  struct hp_zone_row *out)
{
    const char *params[] = {name, wkb_hex, sent_as_polygon ? "true" : "false", rules};
    return one(db, arena, &insert_sql, 4, params, out);
}

static struct hp_sql get_sql = HP_SQL("zones_get",
    "SELECT " ZONE_COLUMNS " FROM zones WHERE id = $1::uuid");
static struct hp_sql get_locked_sql = HP_SQL("zones_get_locked",
    "SELECT " ZONE_COLUMNS " FROM zones WHERE id = $1::uuid FOR UPDATE");

enum hp_db_status hp_zones_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                               bool for_update, struct hp_zone_row *out)
{
    const char *params[] = {id};
    return one(db, arena, for_update ? &get_locked_sql : &get_sql, 1, params, out);
}

static struct hp_sql update_sql = HP_SQL("zones_update",
    "UPDATE zones SET version = version + 1, name = $2,"
    "       geom = ST_SetSRID(ST_GeomFromWKB(decode($3, 'hex')), 4326),"
    "       sent_as_polygon = $4::boolean, rules = $5::jsonb, updated_at = clock_timestamp()"
    " WHERE id = $1::uuid AND retired_at IS NULL"
    " RETURNING " ZONE_COLUMNS);

enum hp_db_status hp_zones_update(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *name, const char *wkb_hex, bool sent_as_polygon,
                                  const char *rules, struct hp_zone_row *out)
{
    const char *params[] = {id, name, wkb_hex, sent_as_polygon ? "true" : "false", rules};
    return one(db, arena, &update_sql, 5, params, out);
}

static struct hp_sql retire_sql = HP_SQL("zones_retire",
    "UPDATE zones SET version = version + 1, retired_at = clock_timestamp(),"
    "       updated_at = clock_timestamp(), retire_reason = $2"
    " WHERE id = $1::uuid AND retired_at IS NULL"
    " RETURNING " ZONE_COLUMNS);

enum hp_db_status hp_zones_retire(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *reason, struct hp_zone_row *out)
{
    const char *params[] = {id, reason};
    return one(db, arena, &retire_sql, 2, params, out);
}

static struct hp_sql list_sql = HP_SQL("zones_list",
    "SELECT " ZONE_COLUMNS " FROM zones"
    " WHERE ($3::boolean OR retired_at IS NULL)"
    "   AND ($1::uuid IS NULL"
    "        OR (created_at, id) > (SELECT created_at, id FROM zones WHERE id = $1::uuid))"
    " ORDER BY created_at, id LIMIT $2::int");

enum hp_db_status hp_zones_list(struct hp_db *db, struct hp_arena *arena, const char *after,
                                int limit, bool include_retired, struct hp_zone_row *out,
                                int *n)
{
    PGresult *r;
    const char *params[] = {after, hp_arena_printf(arena, "%d", limit),
                            include_retired ? "true" : "false"};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 3, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_row(r, i, &out[(*n)++]);
    return st;
}

static struct hp_sql all_live_sql = HP_SQL("zones_all_live",
    "SELECT " ZONE_COLUMNS " FROM zones WHERE retired_at IS NULL ORDER BY created_at, id");

enum hp_db_status hp_zones_all_live(struct hp_db *db, struct hp_arena *arena,
                                    struct hp_zone_row **rows, int *n)
{
    PGresult *r;
    enum hp_db_status st = hp_db_exec(db, arena, &all_live_sql, 0, NULL, &r);
    *n = 0;
    *rows = NULL;
    if (st < 0)
        return st;
    *n = PQntuples(r);
    *rows = hp_arena_calloc(arena, (size_t)*n + 1, sizeof(**rows));
    for (int i = 0; i < *n; i++)
        read_row(r, i, &(*rows)[i]);
    return st;
}

static struct hp_sql in_bbox_sql = HP_SQL("zones_live_in_bbox",
    "SELECT " ZONE_COLUMNS " FROM zones WHERE retired_at IS NULL"
    "   AND geom && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)"
    " ORDER BY created_at, id");

enum hp_db_status hp_zones_live_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                        const double bbox[4], struct hp_zone_row **rows, int *n)
{
    PGresult *r;
    const char *params[4];
    for (int i = 0; i < 4; i++)
        params[i] = hp_arena_printf(arena, "%.9g", bbox[i]);
    enum hp_db_status st = hp_db_exec(db, arena, &in_bbox_sql, 4, params, &r);
    *n = 0;
    *rows = NULL;
    if (st < 0)
        return st;
    *n = PQntuples(r);
    *rows = hp_arena_calloc(arena, (size_t)*n + 1, sizeof(**rows));
    for (int i = 0; i < *n; i++)
        read_row(r, i, &(*rows)[i]);
    return st;
}

static struct hp_sql versions_sql = HP_SQL("zones_versions",
    "SELECT version, name, encode(ST_AsBinary(geom), 'hex'), sent_as_polygon, rules::text,"
    "       hp_us(written_at), written_by, retired, reason"
    "  FROM zone_versions WHERE zone_id = $1::uuid ORDER BY version");

enum hp_db_status hp_zones_versions(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    struct hp_zone_version **out, int *n)
{
    PGresult *r;
    const char *params[] = {id};
    enum hp_db_status st = hp_db_exec(db, arena, &versions_sql, 1, params, &r);
    *out = NULL, *n = 0;
    if (st < 0)
        return st;
    int rows = PQntuples(r);
    *out = hp_arena_calloc(arena, (size_t)rows + 1, sizeof(**out));
    for (int i = 0; i < rows; i++)
        (*out)[(*n)++] = (struct hp_zone_version){
            .zone = {.id = id,
                     .version = atoi(PQgetvalue(r, i, 0)),
                     .name = PQgetvalue(r, i, 1),
                     .wkb_hex = PQgetvalue(r, i, 2),
                     .sent_as_polygon = PQgetvalue(r, i, 3)[0] == 't',
                     .rules = PQgetvalue(r, i, 4)},
            .written_us = hp_db_int64(r, i, 5),
            .written_by = hp_db_text(r, i, 6),
            .retired = PQgetvalue(r, i, 7)[0] == 't',
            .reason = hp_db_text(r, i, 8)};
    return st;
}
