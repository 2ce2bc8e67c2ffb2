/* SQL of passes. */
#include "haulpass/passes.h"

#include "json_arrays.h"

#include "haulpass/arena.h"

#include <stdlib.h>
#include <string.h>

#define PASS_COLS                                                                       \
    "p.code, p.plate, p.type, p.status, p.application_id, to_json(p.zone_ids)::text,"   \
    " ST_AsGeoJSON(p.corridor_route, 15), p.corridor_width_m,"                          \
    " to_char(p.valid_from, 'YYYY-MM-DD'), to_char(p.valid_to, 'YYYY-MM-DD'), p.hours,"  \
    " p.project_id, p.revoke_reason, hp_us(p.issued_at), hp_us(p.documents_due),"       \
    " hp_us(p.revoked_at)"

/* Who sees pass p: all when $N is NULL, else the organisation that applied
 * for it or that owns the vehicle now. */
#define PASS_VISIBLE(n)                                                                 \
    "(" n "::uuid IS NULL"                                                               \
    " OR EXISTS (SELECT 1 FROM applications a WHERE a.id = p.application_id"            \
    "             AND a.org_id = " n "::uuid)"                                           \
    " OR EXISTS (SELECT 1 FROM vehicles v WHERE v.plate = p.plate"                      \
    "             AND v.org_id = " n "::uuid))"

static void read_pass(struct hp_arena *arena, const PGresult *r, int row, struct hp_pass *p)
{
    p->code = PQgetvalue(r, row, 0);
    p->plate = PQgetvalue(r, row, 1);
    p->type = PQgetvalue(r, row, 2);
    p->status = PQgetvalue(r, row, 3);
    p->application_id = PQgetvalue(r, row, 4);
    p->zone_ids = hp_db_json_strings(arena, hp_db_text(r, row, 5), &p->nzones);
    p->corridor = hp_db_text(r, row, 6);
    p->corridor_width_m = PQgetisnull(r, row, 7) ? 0 : atoi(PQgetvalue(r, row, 7));
    p->valid_from = PQgetvalue(r, row, 8);
    p->valid_to = PQgetvalue(r, row, 9);
    p->hours = hp_db_text(r, row, 10);
    p->project_id = hp_db_text(r, row, 11);
    p->revoke_reason = hp_db_text(r, row, 12);
    p->issued_us = hp_db_int64(r, row, 13);
    p->documents_due_us = hp_db_int64(r, row, 14);
    p->revoked_us = hp_db_int64(r, row, 15);
}

static struct hp_sql sweep_sql = HP_SQL("passes_sweep",
    "UPDATE passes SET status = CASE WHEN valid_to < $1::date THEN 'expired'"
    "                                ELSE 'suspended' END"
    " WHERE (status = 'provisional' AND documents_due <= clock_timestamp())"
    "    OR (status IN ('active', 'provisional', 'suspended') AND valid_to < $1::date)");

enum hp_db_status hp_passes_sweep(struct hp_db *db, struct hp_arena *arena, const char *today)
{
    PGresult *r;
    const char *params[] = {today};
    return hp_db_exec(db, arena, &sweep_sql, 1, params, &r);
}

static struct hp_sql list_sql = HP_SQL("passes_list",
    "SELECT " PASS_COLS " FROM passes p"
    " WHERE " PASS_VISIBLE("$1") " AND ($2::text IS NULL OR p.plate = $2)"
    "   AND ($3::text IS NULL OR (p.issued_at, p.code)"
    "        > (SELECT issued_at, code FROM passes WHERE code = $3))"
    " ORDER BY p.issued_at, p.code LIMIT $4::int");

enum hp_db_status hp_passes_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                 const char *plate, const char *after, int limit,
                                 struct hp_pass *out, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, plate, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 4, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_pass(arena, r, i, &out[(*n)++]);
    return st;
}

static struct hp_sql get_sql = HP_SQL("passes_get",
    "SELECT " PASS_COLS " FROM passes p WHERE p.code = $1 AND " PASS_VISIBLE("$2"));

enum hp_db_status hp_passes_get(struct hp_db *db, struct hp_arena *arena, const char *code,
                                const char *org_id, struct hp_pass *out)
{
    PGresult *r;
    const char *params[] = {code, org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        read_pass(arena, r, 0, out);
    return st;
}

/* One row (the pass exists) saying whether it was revoked now. */
static struct hp_sql revoke_sql = HP_SQL("passes_revoke",
    "WITH cur AS (SELECT * FROM passes WHERE code = $1 FOR UPDATE),"
    "     u AS (UPDATE passes p SET status = 'revoked', revoked_at = clock_timestamp(),"
    "             revoked_by = $2::uuid, revoke_reason = $3"
    "             FROM cur WHERE p.code = cur.code"
    "              AND cur.status IN ('active', 'provisional', 'suspended')"
    "           RETURNING p.*),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "            SELECT $2::uuid, 'pass', u.code, 'revoke',"
    "                   to_jsonb(cur) - 'corridor_route', to_jsonb(u) - 'corridor_route'"
    "              FROM u, cur)"
    "SELECT EXISTS (SELECT 1 FROM u) FROM cur");

enum hp_db_status hp_passes_revoke(struct hp_db *db, struct hp_arena *arena, const char *code,
                                   const char *actor, const char *reason, bool *changed,
                                   struct hp_pass *out)
{
    PGresult *r;
    const char *params[] = {code, actor, reason};
    enum hp_db_status st = hp_db_exec(db, arena, &revoke_sql, 3, params, &r);
    *changed = st == HP_DB_ROWS && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    if (st != HP_DB_ROWS)
        return st;
    return hp_passes_get(db, arena, code, NULL, out);
}

/* Marks the document provided when it is one of the missing ones; one
 * row: whether it was, and whether all missing ones are now provided. */
static struct hp_sql supply_sql = HP_SQL("passes_supply",
    "WITH cur AS (SELECT * FROM applications WHERE id = $1::uuid AND org_id = $2::uuid"
    "               FOR UPDATE),"
    "     ok AS (SELECT cur.id FROM cur WHERE $4 = ANY (cur.missing_documents)),"
    "     u AS (UPDATE applications a SET version = a.version + 1, documents ="
    "             (SELECT jsonb_agg(CASE WHEN d->>'name' = $4"
    "                                    THEN jsonb_set(d, '{provided}', 'true') ELSE d END"
    "                               ORDER BY n)"
    "                FROM jsonb_array_elements(a.documents) WITH ORDINALITY x(d, n))"
    "             FROM ok WHERE a.id = ok.id RETURNING a.*),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "            SELECT $3::uuid, 'application', u.id::text, 'supply-document',"
    "                   jsonb_build_object('documents', cur.documents),"
    "                   jsonb_build_object('documents', u.documents) FROM u, cur)"
    "SELECT EXISTS (SELECT 1 FROM ok),"
    "       coalesce((SELECT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(u.documents) d"
    "                                     WHERE d->>'name' = ANY (u.missing_documents)"
    "                                       AND NOT (d->>'provided')::boolean) FROM u), false)"
    "  FROM cur");

/* The provisional passes of an application whose documents are all in:
 * active when the documents came in time; suspended when they came after
 * documents_due, expired after valid_to (what the sweep would have made
 * them: a late document must not bring a pass back, only a new decision
 * may). */
static struct hp_sql activate_sql = HP_SQL("passes_activate",
    "WITH u AS (UPDATE passes SET status = CASE WHEN valid_to < $3::date THEN 'expired'"
    "                                           WHEN documents_due <= clock_timestamp()"
    "                                           THEN 'suspended' ELSE 'active' END"
    "            WHERE application_id = $1::uuid AND status = 'provisional'"
    "            RETURNING code, status)"
    "INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    " SELECT $2::uuid, 'pass', code,"
    "        CASE status WHEN 'active' THEN 'activate' WHEN 'expired' THEN 'expire'"
    "                    ELSE 'suspend' END,"
    "        jsonb_build_object('status', status)"
    "   FROM u");

enum hp_db_status hp_passes_supply(struct hp_db *db, struct hp_arena *arena, const char *id,
                                   const char *org_id, const char *actor, const char *name,
                                   const char *today, enum hp_supply_outcome *outcome)
{
    PGresult *r;
    const char *params[] = {id, org_id, actor, name};
    enum hp_db_status st = hp_db_exec(db, arena, &supply_sql, 4, params, &r);
    *outcome = HP_SUPPLY_NOT_FOUND;
    if (st != HP_DB_ROWS)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        *outcome = HP_SUPPLY_NOT_MISSING;
        return st;
    }
    *outcome = HP_SUPPLY_DONE;
    if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        return st;
    const char *p2[] = {id, actor, today};
    st = hp_db_exec(db, arena, &activate_sql, 3, p2, &r);
    return st < 0 ? st : HP_DB_ROWS;
}
