/* SQL of vehicles. */
#include "haulpass/vehicles.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"
#include "haulpass/etag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns read_vehicle reads, of a row named v. */
#define VEHICLE_COLS                                                                    \
    "v.id, v.plate, v.org_id, v.class, v.gross_weight_kg, v.axles, v.length_mm,"       \
    " v.width_mm, v.height_mm, v.hazmat, v.new_energy, v.version, hp_us(v.created_at),"  \
    " hp_us(v.updated_at)"

static int int_or_0(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : atoi(PQgetvalue(r, row, col));
}

/* Reads VEHICLE_COLS starting at column col. */
static void read_vehicle(const PGresult *r, int row, int col, struct hp_vehicle *v)
{
    v->id = PQgetvalue(r, row, col);
    v->plate = PQgetvalue(r, row, col + 1);
    v->org_id = PQgetvalue(r, row, col + 2);
    v->class = PQgetvalue(r, row, col + 3);
    v->gross_weight_kg = int_or_0(r, row, col + 4);
    v->axles = int_or_0(r, row, col + 5);
    v->length_mm = int_or_0(r, row, col + 6);
    v->width_mm = int_or_0(r, row, col + 7);
    v->height_mm = int_or_0(r, row, col + 8);
    v->hazmat = strcmp(PQgetvalue(r, row, col + 9), "t") == 0;
    v->new_energy = strcmp(PQgetvalue(r, row, col + 10), "t") == 0;
    v->version = int_or_0(r, row, col + 11);
    v->created_us = strtoll(PQgetvalue(r, row, col + 12), NULL, 10);
    v->updated_us = strtoll(PQgetvalue(r, row, col + 13), NULL, 10);
}

/* Registers the rows of a JSON array for an organisation that may own
 * vehicles; plates registered already are skipped (ON CONFLICT waits for a
 * concurrent insert of the same plate and then skips it). Rows go in in
 * plate order, so two imports that share plates wait for each other in one
 * order and never deadlock. Always one row at least: whether the
 * organisation is fit, then each vehicle made. */
static struct hp_sql insert_sql = HP_SQL("vehicles_insert",
    "WITH o AS (SELECT id, kind FROM orgs WHERE id = $1::uuid AND kind IN ('haulier', 'site')),"
    "     v AS (INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg, axles,"
    "                                 length_mm, width_mm, height_mm, hazmat, new_energy)"
    "           SELECT o.id, o.kind, r.plate, r.class, r.gross_weight_kg, r.axles, r.length_mm,"
    "                  r.width_mm, r.height_mm, coalesce(r.hazmat, false),"
    "                  coalesce(r.new_energy, false)"
    "             FROM o, jsonb_to_recordset($2::jsonb) AS r(plate text, class text,"
    "                  gross_weight_kg int, axles int, length_mm int, width_mm int,"
    "                  height_mm int, hazmat boolean, new_energy boolean)"
    "            ORDER BY r.plate"
    "           ON CONFLICT (plate) DO NOTHING RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $3::uuid, 'vehicle', v.plate, $4, to_jsonb(v) - 'org_kind' FROM v)"
    "SELECT EXISTS (SELECT 1 FROM o), " VEHICLE_COLS
    "  FROM (SELECT 1) one LEFT JOIN v ON true");

static enum hp_db_status insert(struct hp_db *db, struct hp_arena *arena, const char *actor_id,
                                const char *org_id, const char *rows, const char *action,
                                enum hp_vehicle_outcome *outcome, PGresult **r)
{
    const char *params[] = {org_id, rows, actor_id, action};
    enum hp_db_status st = hp_db_exec(db, arena, &insert_sql, 4, params, r);
    if (st == HP_DB_ROWS)
        *outcome = strcmp(PQgetvalue(*r, 0, 0), "t") == 0 ? HP_VEHICLE_DONE : HP_VEHICLE_BAD_ORG;
    return st;
}

enum hp_db_status hp_vehicles_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id,
                                     const char *fields, enum hp_vehicle_outcome *outcome,
                                     struct hp_vehicle *out)
{
    PGresult *r;
    const char *rows = hp_arena_printf(arena, "[%s]", fields);
    enum hp_db_status st = insert(db, arena, actor_id, org_id, rows, "create", outcome, &r);
    if (st != HP_DB_ROWS || *outcome != HP_VEHICLE_DONE)
        return st;
    if (PQgetisnull(r, 0, 1))
        *outcome = HP_VEHICLE_PLATE_TAKEN;
    else
        read_vehicle(r, 0, 1, out);
    return st;
}

enum hp_db_status hp_vehicles_import(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *rows,
                                     enum hp_vehicle_outcome *outcome, const char **plates,
                                     int *n)
{
    PGresult *r;
    enum hp_db_status st = insert(db, arena, actor_id, org_id, rows, "import", outcome, &r);
    *n = 0;
    if (st != HP_DB_ROWS || *outcome != HP_VEHICLE_DONE)
        return st;
    for (int i = 0; i < PQntuples(r); i++)
        if (!PQgetisnull(r, i, 1))
            plates[(*n)++] = PQgetvalue(r, i, 2);
    return st;
}

static struct hp_sql get_sql = HP_SQL("vehicles_get",
    "SELECT " VEHICLE_COLS " FROM vehicles v"
    " WHERE v.plate = $1 AND ($2::uuid IS NULL OR v.org_id = $2::uuid)");

enum hp_db_status hp_vehicles_get(struct hp_db *db, struct hp_arena *arena, const char *plate,
                                  const char *org_id, struct hp_vehicle *out)
{
    PGresult *r;
    const char *params[] = {plate, org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        read_vehicle(r, 0, 0, out);
    return st;
}

static struct hp_sql list_sql = HP_SQL("vehicles_list",
    "SELECT " VEHICLE_COLS " FROM vehicles v"
    " WHERE ($1::uuid IS NULL OR v.org_id = $1::uuid) AND ($2::text IS NULL OR v.plate > $2)"
    " ORDER BY v.plate LIMIT $3::int");

enum hp_db_status hp_vehicles_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                   const char *after, int limit, struct hp_vehicle *out, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 3, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_vehicle(r, i, 0, &out[(*n)++]);
    return st;
}

/* Locks the row first, so the version compared, the before image and the
 * update all see the same row. A present key with null clears an optional
 * column; required ones are never null here (the API checked). */
static struct hp_sql patch_sql = HP_SQL("vehicles_patch",
    "WITH cur AS (SELECT * FROM vehicles"
    "              WHERE plate = $1 AND ($2::uuid IS NULL OR org_id = $2::uuid) FOR UPDATE),"
    "     upd AS (UPDATE vehicles v SET"
    "               class = coalesce($3::jsonb->>'class', cur.class),"
    "               gross_weight_kg = coalesce(($3::jsonb->>'gross_weight_kg')::int,"
    "                                          cur.gross_weight_kg),"
    "               axles = CASE WHEN $3::jsonb ? 'axles' THEN ($3::jsonb->>'axles')::int"
    "                            ELSE cur.axles END,"
    "               length_mm = CASE WHEN $3::jsonb ? 'length_mm'"
    "                                THEN ($3::jsonb->>'length_mm')::int ELSE cur.length_mm END,"
    "               width_mm = CASE WHEN $3::jsonb ? 'width_mm'"
    "                               THEN ($3::jsonb->>'width_mm')::int ELSE cur.width_mm END,"
    "               height_mm = CASE WHEN $3::jsonb ? 'height_mm'"
    "                                THEN ($3::jsonb->>'height_mm')::int ELSE cur.height_mm END,"
    "               hazmat = coalesce(($3::jsonb->>'hazmat')::boolean, cur.hazmat),"
    "               new_energy = coalesce(($3::jsonb->>'new_energy')::boolean, cur.new_energy),"
    "               version = cur.version + 1, updated_at = clock_timestamp()"
    "             FROM cur WHERE v.id = cur.id AND ($4::int IS NULL OR cur.version = $4::int)"
    "             RETURNING v.*),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "           SELECT $5::uuid, 'vehicle', upd.plate, 'update', to_jsonb(cur) - 'org_kind',"
    "                  to_jsonb(upd) - 'org_kind' FROM upd, cur)"
    "SELECT v.id IS NOT NULL, " VEHICLE_COLS " FROM cur LEFT JOIN upd v ON true");

enum hp_db_status hp_vehicles_patch(struct hp_db *db, struct hp_arena *arena,
                                    const char *actor_id, const char *plate, const char *org_id,
                                    const char *patch, int if_version,
                                    enum hp_vehicle_outcome *outcome, struct hp_vehicle *out)
{
    PGresult *r;
    const char *version = hp_etag_sql_version(arena, if_version);
    const char *params[] = {plate, org_id, patch, version, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &patch_sql, 5, params, &r);
    if (st == HP_DB_NO_ROWS)
        *outcome = HP_VEHICLE_MISSING;
    if (st != HP_DB_ROWS)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        *outcome = HP_VEHICLE_STALE;
    } else {
        *outcome = HP_VEHICLE_DONE;
        read_vehicle(r, 0, 1, out);
    }
    return st;
}
