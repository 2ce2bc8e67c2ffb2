/* SQL of escort units and escort bookings. */
#include "haulpass/escorts.h"

#include "haulpass/db_exec.h"
#include "json_arrays.h"

#include "haulpass/arena.h"

#include <stdlib.h>
#include <string.h>

#define GEOMETRY(param) "ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(" param ")), 4326)"

/* The columns read_unit reads, of a row named u. */
#define UNIT_COLS                                                                       \
    "u.id, u.name, ST_AsGeoJSON(u.base, 15), u.hours, u.capacity, hp_us(u.created_at)"

#define UNIT_AUDIT(u) "(to_jsonb(" u ") - 'base' || jsonb_build_object('base', ST_AsGeoJSON(" u ".base, 15)::jsonb))"

static void read_unit(const PGresult *r, int row, struct hp_escort_unit *u)
{
    u->id = PQgetvalue(r, row, 0);
    u->name = PQgetvalue(r, row, 1);
    u->base = PQgetvalue(r, row, 2);
    u->hours = PQgetvalue(r, row, 3);
    u->capacity = atoi(PQgetvalue(r, row, 4));
    u->created_us = hp_db_int64(r, row, 5);
    u->base_distance_m = 0;
}

static struct hp_sql unit_create_sql = HP_SQL("escort_units_create",
    "WITH u AS (INSERT INTO escort_units (name, base, hours, capacity)"
    "           VALUES ($1, " GEOMETRY("$2") ", $3, $4::int) RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $5::uuid, 'escort_unit', u.id::text, 'create', " UNIT_AUDIT("u")
    "             FROM u)"
    "SELECT " UNIT_COLS " FROM u");

enum hp_db_status hp_escort_units_create(struct hp_db *db, struct hp_arena *arena,
                                         const char *actor_id, const struct hp_escort_unit *in,
                                         struct hp_escort_unit *out)
{
    PGresult *r;
    const char *params[] = {in->name, in->base, in->hours,
                            hp_arena_printf(arena, "%d", in->capacity), actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &unit_create_sql, 5, params, &r);
    if (st == HP_DB_ROWS)
        read_unit(r, 0, out);
    return st;
}

static struct hp_sql unit_list_sql = HP_SQL("escort_units_list",
    "SELECT " UNIT_COLS " FROM escort_units u"
    " WHERE $1::uuid IS NULL OR (u.created_at, u.id) >"
    "       (SELECT created_at, id FROM escort_units WHERE id = $1::uuid)"
    " ORDER BY u.created_at, u.id LIMIT $2::int");

enum hp_db_status hp_escort_units_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *after, int limit,
                                       struct hp_escort_unit *out, int *n)
{
    PGresult *r;
    const char *params[] = {after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &unit_list_sql, 2, params, &r);
    *n = st >= 0 ? PQntuples(r) : 0;
    for (int i = 0; i < *n; i++)
        read_unit(r, i, &out[i]);
    return st;
}

static struct hp_sql unit_get_sql = HP_SQL("escort_units_get",
    "SELECT " UNIT_COLS " FROM escort_units u WHERE u.id = $1::uuid");

enum hp_db_status hp_escort_units_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      struct hp_escort_unit *out)
{
    PGresult *r;
    const char *params[] = {id};
    enum hp_db_status st = hp_db_exec(db, arena, &unit_get_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        read_unit(r, 0, out);
    return st;
}

static struct hp_sql units_near_sql = HP_SQL("escort_units_near",
    "SELECT " UNIT_COLS ", ST_Distance(u.base::geography, " GEOMETRY("$1") "::geography)"
    "  FROM escort_units u WHERE u.capacity >= $2::int ORDER BY 7, u.id");

enum hp_db_status hp_escort_units_near(struct hp_db *db, struct hp_arena *arena,
                                       const char *origin, int vehicles,
                                       struct hp_escort_unit **out, int *n)
{
    PGresult *r;
    const char *params[] = {origin, hp_arena_printf(arena, "%d", vehicles)};
    enum hp_db_status st = hp_db_exec(db, arena, &units_near_sql, 2, params, &r);
    *n = st >= 0 ? PQntuples(r) : 0;
    *out = hp_arena_calloc(arena, (size_t)*n + 1, sizeof(**out));
    for (int i = 0; i < *n; i++) {
        read_unit(r, i, &(*out)[i]);
        (*out)[i].base_distance_m = strtod(PQgetvalue(r, i, 6), NULL);
    }
    return st;
}

/* Whole seconds, rounded outwards: a busy interval never shrinks. */
static struct hp_sql busy_sql = HP_SQL("escorts_busy",
    "SELECT unit_id, floor(hp_us(lower(busy)) / 1e6)::bigint,"
    "       ceil(hp_us(upper(busy)) / 1e6)::bigint"
    "  FROM escorts"
    " WHERE status IN ('scheduled', 'confirmed')"
    "   AND busy && tstzrange(to_timestamp($1::bigint / 1e6), to_timestamp($2::bigint / 1e6))"
    " ORDER BY unit_id, lower(busy)");

enum hp_db_status hp_escorts_busy(struct hp_db *db, struct hp_arena *arena, int64_t from_us,
                                  int64_t to_us, struct hp_escort_busy_span **out, int *n)
{
    PGresult *r;
    const char *params[] = {hp_arena_printf(arena, "%lld", (long long)from_us),
                            hp_arena_printf(arena, "%lld", (long long)to_us)};
    enum hp_db_status st = hp_db_exec(db, arena, &busy_sql, 2, params, &r);
    *out = NULL, *n = 0;
    if (st < 0)
        return st;
    int rows = PQntuples(r);
    *out = hp_arena_calloc(arena, (size_t)rows + 1, sizeof(**out));
    for (int i = 0; i < rows; i++)
        (*out)[(*n)++] = (struct hp_escort_busy_span){PQgetvalue(r, i, 0), hp_db_int64(r, i, 1),
                                                      hp_db_int64(r, i, 2)};
    return st;
}

/* The columns read_escort reads, of a row named e. */
#define ESCORT_COLS                                                                      \
    "e.id, e.project_id, e.unit_id, e.booked_by, e.status, array_to_json(e.plates),"     \
    " ST_AsGeoJSON(e.origin, 15), ST_AsGeoJSON(e.destination, 15),"                      \
    " ST_AsGeoJSON(e.route, 15), e.cargo::text, e.route_given, e.length_m,"              \
    " e.route_check::text, hp_us(e.starts_at), hp_us(e.ends_at), hp_us(e.free_at),"      \
    " hp_us(e.created_at), hp_us(e.updated_at), e.cancel_reason"

/* A booking as the audit trail keeps it: geometry as GeoJSON. */
#define ESCORT_AUDIT(e)                                                                  \
    "(to_jsonb(" e ") - 'origin' - 'destination' - 'route' - 'busy' - 'route_check'"     \
    " || jsonb_build_object('origin', ST_AsGeoJSON(" e ".origin, 15)::jsonb,"            \
    "                       'destination', ST_AsGeoJSON(" e ".destination, 15)::jsonb,"  \
    "                       'route', ST_AsGeoJSON(" e ".route, 15)::jsonb))"

/* Reads the ESCORT_COLS of row that begin at column c. */
static void read_escort(struct hp_arena *arena, const PGresult *r, int row, int c,
                        struct hp_escort *e)
{
    e->id = PQgetvalue(r, row, c++);
    e->project_id = PQgetvalue(r, row, c++);
    e->unit_id = PQgetvalue(r, row, c++);
    e->booked_by = PQgetvalue(r, row, c++);
    e->status = PQgetvalue(r, row, c++);
    e->plates = hp_db_json_strings(arena, hp_db_text(r, row, c++), &e->nplates);
    e->origin = PQgetvalue(r, row, c++);
    e->destination = PQgetvalue(r, row, c++);
    e->route = PQgetvalue(r, row, c++);
    e->cargo = hp_db_text(r, row, c++);
    e->route_given = strcmp(PQgetvalue(r, row, c++), "t") == 0;
    e->length_m = strtod(PQgetvalue(r, row, c++), NULL);
    e->route_check = hp_db_text(r, row, c++);
    e->start_us = hp_db_int64(r, row, c++);
    e->end_us = hp_db_int64(r, row, c++);
    e->free_us = hp_db_int64(r, row, c++);
    e->created_us = hp_db_int64(r, row, c++);
    e->updated_us = hp_db_int64(r, row, c++);
    e->cancel_reason = hp_db_text(r, row, c++);
}

/* Plates are reported only for a project the caller may book for, so a
 * site learns nothing of another site's fleet. */
static struct hp_sql check_sql = HP_SQL("escorts_check",
    "WITH p AS (SELECT site_org_id FROM projects"
    "            WHERE id = $1::uuid AND ($2::uuid IS NULL OR site_org_id = $2::uuid)),"
    "     g AS (SELECT COALESCE(" GEOMETRY("$6") ","
    "                           ST_MakeLine(" GEOMETRY("$4") ", " GEOMETRY("$5") ")) AS route)"
    "SELECT EXISTS (SELECT 1 FROM p),"
    "       ARRAY(SELECT i - 1 FROM json_array_elements_text($3::json) WITH ORDINALITY u(pl, i)"
    "              WHERE EXISTS (SELECT 1 FROM p) AND NOT EXISTS (SELECT 1 FROM vehicles v, p"
    "                    WHERE v.plate = u.pl AND v.org_id = p.site_org_id)"
    "              ORDER BY i)::text,"
    "       ST_Length(g.route::geography), ST_AsGeoJSON(g.route, 15),"
    "       ST_Distance(ST_StartPoint(g.route)::geography, " GEOMETRY("$4") "::geography),"
    "       ST_Distance(ST_EndPoint(g.route)::geography, " GEOMETRY("$5") "::geography)"
    "  FROM g");

/* "{0,2}" → {0, 2, -1} in arena memory. */
static int *int_array(struct hp_arena *arena, const char *text)
{
    size_t n = 1;
    for (const char *s = text; *s; s++)
        n += *s == ',';
    int *out = hp_arena_calloc(arena, n + 1, sizeof(*out));
    size_t k = 0;
    for (const char *s = text; *s && k < n; s++)
        if (*s >= '0' && *s <= '9') {
            char *end;
            out[k++] = (int)strtol(s, &end, 10);
            s = end - 1;
        }
    out[k] = -1;
    return out;
}

enum hp_db_status hp_escorts_check(struct hp_db *db, struct hp_arena *arena,
                                   const struct hp_escort_request *in,
                                   struct hp_escort_refs *out)
{
    PGresult *r;
    const char *plates = hp_db_json_of_strings(arena, in->plates, in->nplates);
    if (!plates)
        return HP_DB_HARD_ERROR;
    const char *params[] = {in->project_id, in->site_org_id, plates,
                            in->origin, in->destination, in->route};
    enum hp_db_status st = hp_db_exec(db, arena, &check_sql, 6, params, &r);
    if (st != HP_DB_ROWS)
        return st < 0 ? st : HP_DB_HARD_ERROR;
    out->project_found = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    out->bad_plates = int_array(arena, PQgetvalue(r, 0, 1));
    out->length_m = strtod(PQgetvalue(r, 0, 2), NULL);
    out->route = PQgetvalue(r, 0, 3);
    out->start_gap_m = strtod(PQgetvalue(r, 0, 4), NULL);
    out->end_gap_m = strtod(PQgetvalue(r, 0, 5), NULL);
    return st;
}

/* Bookings of one unit take its lock before inserting, for the rest of
 * their transaction. Why: two transactions inserting overlapping rows under
 * an exclusion constraint each wait for the other's outcome, a deadlock
 * that PostgreSQL breaks only after deadlock_timeout (1 s); with dozens of
 * bookings racing for one slot those seconds pile up. Queued on the lock,
 * the loser's insert meets the winner's committed row and fails at once
 * with 23P01. The constraint stays what guarantees no double booking. The
 * two-key form (this class, the unit) never meets migrate's one-key lock. */
#define ESCORT_UNIT_LOCK_CLASS "6"
static struct hp_sql lock_unit_sql = HP_SQL("escorts_lock_unit",
    "SELECT pg_advisory_xact_lock(" ESCORT_UNIT_LOCK_CLASS ", hashtext($1))");

static struct hp_sql insert_sql = HP_SQL("escorts_insert",
    "WITH e AS (INSERT INTO escorts (project_id, unit_id, booked_by, plates, origin,"
    "             destination, route, route_given, length_m, cargo, route_check, starts_at,"
    "             ends_at, free_at)"
    "           VALUES ($1::uuid, $2::uuid, $3::uuid,"
    "                   ARRAY(SELECT json_array_elements_text($4::json)),"
    "                   " GEOMETRY("$5") ", " GEOMETRY("$6") ", " GEOMETRY("$7") ","
    "                   $8::bool, $9::float8, $10::jsonb, $14::jsonb,"
    "                   to_timestamp($11::bigint / 1e6), to_timestamp($12::bigint / 1e6),"
    "                   to_timestamp($13::bigint / 1e6))"
    "           RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $3::uuid, 'escort', e.id::text, 'create', " ESCORT_AUDIT("e")
    "             FROM e)"
    "SELECT " ESCORT_COLS " FROM e");

enum hp_db_status hp_escorts_insert(struct hp_db *db, struct hp_arena *arena,
                                    const struct hp_escort *in, struct hp_escort *out)
{
    PGresult *r;
    const char *plates = hp_db_json_of_strings(arena, in->plates, in->nplates);
    if (!plates)
        return HP_DB_HARD_ERROR;
    const char *params[] = {
        in->project_id, in->unit_id, in->booked_by, plates, in->origin, in->destination,
        in->route, in->route_given ? "true" : "false",
        hp_arena_printf(arena, "%.17g", in->length_m), in->cargo,
        hp_arena_printf(arena, "%lld", (long long)in->start_us),
        hp_arena_printf(arena, "%lld", (long long)in->end_us),
        hp_arena_printf(arena, "%lld", (long long)in->free_us), in->route_check};
    enum hp_db_status st = hp_db_exec(db, arena, &lock_unit_sql, 1, params + 1, &r);
    if (st >= 0)
        st = hp_db_exec(db, arena, &insert_sql, 14, params, &r);
    /* Another booking took the slot after our search saw it free. */
    if (st == HP_DB_HARD_ERROR && strcmp(hp_db_sqlstate(db), "23P01") == 0)
        return HP_DB_SOFT_ERROR;
    if (st == HP_DB_ROWS)
        read_escort(arena, r, 0, 0, out);
    return st;
}

/* Whether booking e is visible to organisation $N (NULL: everyone). */
#define ESCORT_VISIBLE(n)                                                                \
    "(" n "::uuid IS NULL OR EXISTS (SELECT 1 FROM projects p"                           \
    " WHERE p.id = e.project_id AND p.site_org_id = " n "::uuid))"

static struct hp_sql get_sql = HP_SQL("escorts_get",
    "SELECT " ESCORT_COLS " FROM escorts e WHERE e.id = $1::uuid AND " ESCORT_VISIBLE("$2"));

enum hp_db_status hp_escorts_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                 const char *site_org_id, struct hp_escort *out)
{
    PGresult *r;
    const char *params[] = {id, site_org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        read_escort(arena, r, 0, 0, out);
    return st;
}

static struct hp_sql list_sql = HP_SQL("escorts_list",
    "SELECT " ESCORT_COLS " FROM escorts e"
    " WHERE " ESCORT_VISIBLE("$1")
    "   AND ($2::uuid IS NULL OR e.unit_id = $2::uuid)"
    "   AND ($3::uuid IS NULL OR e.project_id = $3::uuid)"
    "   AND ($4::bigint IS NULL OR e.ends_at > to_timestamp($4::bigint / 1e6))"
    "   AND ($5::bigint IS NULL OR e.starts_at < to_timestamp($5::bigint / 1e6))"
    "   AND (NOT $6::bool OR e.status IN ('scheduled', 'confirmed'))"
    "   AND ($7::bigint IS NULL OR (hp_us(e.starts_at), e.id) > ($7::bigint, $8::uuid))"
    " ORDER BY e.starts_at, e.id LIMIT $9::int");

static const char *us_or_null(struct hp_arena *arena, int64_t us)
{
    return us ? hp_arena_printf(arena, "%lld", (long long)us) : NULL;
}

enum hp_db_status hp_escorts_list(struct hp_db *db, struct hp_arena *arena,
                                  const struct hp_escort_filter *f, int limit,
                                  struct hp_escort *out, int *n)
{
    PGresult *r;
    const char *params[] = {f->site_org_id, f->unit_id, f->project_id,
                            us_or_null(arena, f->from_us), us_or_null(arena, f->to_us),
                            f->live_only ? "true" : "false", f->after_start_us, f->after_id,
                            hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 9, params, &r);
    *n = st >= 0 ? PQntuples(r) : 0;
    for (int i = 0; i < *n; i++)
        read_escort(arena, r, i, 0, &out[i]);
    return st;
}

/* The first column says whether the change was made, the second whether
 * the status allowed it; the row is the booking after it, or as it stands
 * when it was not made. */
static struct hp_sql change_sql = HP_SQL("escorts_change",
    "WITH old AS (SELECT e.* FROM escorts e WHERE e.id = $1::uuid AND " ESCORT_VISIBLE("$2")
    "              FOR UPDATE),"
    "     new AS (UPDATE escorts e SET status = $6, updated_at = clock_timestamp(),"
    "                cancel_reason = CASE WHEN $6 = 'cancelled' THEN $8 ELSE e.cancel_reason END"
    "              FROM old"
    "              WHERE e.id = old.id AND old.status = ANY ($5::text[])"
    "                AND (NOT $7::boolean OR old.starts_at <= clock_timestamp())"
    "              RETURNING e.*),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "           SELECT $3::uuid, 'escort', new.id::text, $4, " ESCORT_AUDIT("old") ", "
    ESCORT_AUDIT("new") " FROM new, old)"
    "SELECT true, true, " ESCORT_COLS " FROM new e"
    " UNION ALL SELECT false, e.status = ANY ($5::text[]), " ESCORT_COLS " FROM old e"
    "  WHERE NOT EXISTS (SELECT 1 FROM new)");

enum hp_db_status hp_escorts_change(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    const char *site_org_id, const char *actor,
                                    const struct hp_escort_move *m, const char *reason,
                                    enum hp_escort_change_outcome *outcome,
                                    struct hp_escort *out)
{
    PGresult *r;
    const char *params[] = {id,   site_org_id, actor, m->action, m->from,
                            m->to, m->after_start ? "true" : "false", reason};
    enum hp_db_status st = hp_db_exec(db, arena, &change_sql, 8, params, &r);
    *outcome = HP_ESCORT_NOT_FOUND;
    if (st != HP_DB_ROWS)
        return st;
    *outcome = strcmp(PQgetvalue(r, 0, 0), "t") == 0   ? HP_ESCORT_CHANGED
               : strcmp(PQgetvalue(r, 0, 1), "t") == 0 ? HP_ESCORT_NOT_STARTED
                                                       : HP_ESCORT_WRONG_STATUS;
    read_escort(arena, r, 0, 2, out);
    return st;
}
