/* SQL of major projects. */
#include "haulpass/projects.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"
#include "haulpass/etag.h"

#include <stdlib.h>
#include <string.h>

/* The columns read_project reads, of a row named p. */
#define PROJECT_COLS                                                                    \
    "p.id, p.name, p.level, p.site_org_id, p.liaison_officer_id,"                       \
    " ST_AsGeoJSON(p.location, 15), to_char(p.valid_to, 'YYYY-MM-DD'), p.version,"       \
    " hp_us(p.created_at), hp_us(p.updated_at)"

/* A project row as the audit trail keeps it, location as GeoJSON. */
#define PROJECT_AUDIT(p)                                                                \
    "(to_jsonb(" p ") - 'location' - 'site_org_kind' - 'liaison_role'"                   \
    " || jsonb_build_object('location', ST_AsGeoJSON(" p ".location, 15)::jsonb))"

#define GEOMETRY(param) "ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(" param ")), 4326)"

static void read_project(const PGresult *r, int row, int col, struct hp_project *p)
{
    p->id = PQgetvalue(r, row, col);
    p->name = PQgetvalue(r, row, col + 1);
    p->level = PQgetvalue(r, row, col + 2);
    p->site_org_id = PQgetvalue(r, row, col + 3);
    p->liaison_officer_id = PQgetvalue(r, row, col + 4);
    p->location = PQgetvalue(r, row, col + 5);
    p->valid_to = PQgetvalue(r, row, col + 6);
    p->version = atoi(PQgetvalue(r, row, col + 7));
    p->created_us = strtoll(PQgetvalue(r, row, col + 8), NULL, 10);
    p->updated_us = strtoll(PQgetvalue(r, row, col + 9), NULL, 10);
}

static bool is_true(const PGresult *r, int col)
{
    return strcmp(PQgetvalue(r, 0, col), "t") == 0;
}

/* The references are checked first so that both can be reported; the
 * foreign keys still stand behind the check. */
static struct hp_sql create_sql = HP_SQL("projects_create",
    "WITH chk AS (SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $3::uuid AND kind = 'site')"
    "                    AS site_ok,"
    "                    EXISTS (SELECT 1 FROM users WHERE id = $4::uuid AND role = 'officer')"
    "                    AS officer_ok),"
    "     p AS (INSERT INTO projects (name, level, site_org_id, liaison_officer_id, location,"
    "                                 valid_to)"
    "           SELECT $1, $2, $3::uuid, $4::uuid, " GEOMETRY("$5") ", $6::date"
    "             FROM chk WHERE site_ok AND officer_ok RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $7::uuid, 'project', p.id::text, 'create', " PROJECT_AUDIT("p")
    "             FROM p)"
    "SELECT chk.site_ok, chk.officer_ok, " PROJECT_COLS " FROM chk LEFT JOIN p ON true");

enum hp_db_status hp_projects_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const struct hp_project_input *in,
                                     struct hp_project_result *res, struct hp_project *out)
{
    PGresult *r;
    const char *params[] = {in->name, in->level, in->site_org_id, in->liaison_officer_id,
                            in->location, in->valid_to, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &create_sql, 7, params, &r);
    if (st != HP_DB_ROWS)
        return st;
    res->site_ok = is_true(r, 0);
    res->officer_ok = is_true(r, 1);
    res->outcome = res->site_ok && res->officer_ok ? HP_PROJECT_DONE : HP_PROJECT_BAD_REFS;
    if (res->outcome == HP_PROJECT_DONE)
        read_project(r, 0, 2, out);
    return st;
}

static struct hp_sql get_sql = HP_SQL("projects_get",
    "SELECT " PROJECT_COLS " FROM projects p"
    " WHERE p.id = $1::uuid AND ($2::uuid IS NULL OR p.site_org_id = $2::uuid)");

enum hp_db_status hp_projects_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *site_org_id, struct hp_project *out)
{
    PGresult *r;
    const char *params[] = {id, site_org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        read_project(r, 0, 0, out);
    return st;
}

static struct hp_sql list_sql = HP_SQL("projects_list",
    "SELECT " PROJECT_COLS " FROM projects p"
    " WHERE ($1::uuid IS NULL OR p.site_org_id = $1::uuid)"
    "   AND ($2::uuid IS NULL"
    "        OR (p.created_at, p.id) > (SELECT created_at, id FROM projects WHERE id = $2::uuid))"
    " ORDER BY p.created_at, p.id LIMIT $3::int");

enum hp_db_status hp_projects_list(struct hp_db *db, struct hp_arena *arena,
                                   const char *site_org_id, const char *after, int limit,
                                   struct hp_project *out, int *n)
{
    PGresult *r;
    const char *params[] = {site_org_id, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 3, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_project(r, i, 0, &out[(*n)++]);
    return st;
}

/* Locks the row first, so the version compared, the before image and the
 * update all see the same row. */
static struct hp_sql patch_sql = HP_SQL("projects_patch",
    "WITH cur AS (SELECT * FROM projects WHERE id = $1::uuid FOR UPDATE),"
    "     chk AS (SELECT $5::uuid IS NULL"
    "                    OR EXISTS (SELECT 1 FROM users WHERE id = $5::uuid AND role = 'officer')"
    "                    AS officer_ok),"
    "     upd AS (UPDATE projects p SET"
    "               name = coalesce($3, cur.name), level = coalesce($4, cur.level),"
    "               liaison_officer_id = coalesce($5::uuid, cur.liaison_officer_id),"
    "               location = coalesce(" GEOMETRY("$6") ", cur.location),"
    "               valid_to = coalesce($7::date, cur.valid_to),"
    "               version = cur.version + 1, updated_at = clock_timestamp()"
    "             FROM cur, chk"
    "            WHERE p.id = cur.id AND chk.officer_ok"
    "              AND ($2::int IS NULL OR cur.version = $2::int)"
    "            RETURNING p.*),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "           SELECT $8::uuid, 'project', upd.id::text, 'update', " PROJECT_AUDIT("cur")
    "                  , " PROJECT_AUDIT("upd") " FROM upd, cur)"
    "SELECT p.id IS NOT NULL, chk.officer_ok, " PROJECT_COLS
    "  FROM cur CROSS JOIN chk LEFT JOIN upd p ON true");

enum hp_db_status hp_projects_patch(struct hp_db *db, struct hp_arena *arena,
                                    const char *actor_id, const char *id,
                                    const struct hp_project_input *in, int if_version,
                                    struct hp_project_result *res, struct hp_project *out)
{
    PGresult *r;
    const char *version = hp_etag_sql_version(arena, if_version);
    const char *params[] = {id, version, in->name, in->level, in->liaison_officer_id,
                            in->location, in->valid_to, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &patch_sql, 8, params, &r);
    res->site_ok = true;
    res->officer_ok = true;
    if (st == HP_DB_NO_ROWS)
        res->outcome = HP_PROJECT_MISSING;
    if (st != HP_DB_ROWS)
        return st;
    res->officer_ok = is_true(r, 1);
    if (!res->officer_ok)
        res->outcome = HP_PROJECT_BAD_REFS;
    else if (!is_true(r, 0))
        res->outcome = HP_PROJECT_STALE;
    else {
        res->outcome = HP_PROJECT_DONE;
        read_project(r, 0, 2, out);
    }
    return st;
}
