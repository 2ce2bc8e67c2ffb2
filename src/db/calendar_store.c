/* SQL of the calendar. */
#include "haulpass/calendar_store.h"

#include "haulpass/arena.h"
#include "haulpass/audit.h"
#include "haulpass/calendar.h"
#include "haulpass/db_exec.h"

#include <stdlib.h>
#include <string.h>

static struct hp_sql year_json_sql = HP_SQL("calendar_year_json",
    "SELECT coalesce(jsonb_agg(jsonb_build_object('date', day, 'kind', kind, 'name', name)"
    "                          ORDER BY day), '[]')::text"
    "  FROM calendar_days WHERE extract(year FROM day) = $1::int");

static struct hp_sql delete_year_sql = HP_SQL("calendar_delete_year",
    "DELETE FROM calendar_days WHERE extract(year FROM day) = $1::int");

static struct hp_sql insert_days_sql = HP_SQL("calendar_insert_days",
    "INSERT INTO calendar_days (day, kind, name)"
    " SELECT (d->>'date')::date, d->>'kind', d->>'name'"
    "   FROM jsonb_array_elements($1::jsonb) d");

static struct hp_sql year_row_sql = HP_SQL("calendar_year_row",
    "INSERT INTO calendar_years (year, version) VALUES ($1::int, 1) ON CONFLICT DO NOTHING");

/* The row locked by the update: a concurrent replacement of the same year
 * waits, then finds the version moved on. */
static struct hp_sql year_bump_sql = HP_SQL("calendar_year_bump",
    "UPDATE calendar_years SET version = version + 1"
    " WHERE year = $1::int AND ($2::int IS NULL OR version = $2::int) RETURNING version");

enum hp_db_status hp_calendar_store_replace(struct hp_db *db, struct hp_arena *arena,
                                            const char *actor_id, int year,
                                            const char *days_json,
                                            const char *expected_version, int *version)
{
    PGresult *r;
    const char *y = hp_arena_printf(arena, "%d", year);
    const char *p1[] = {y};
    const char *pv[] = {y, expected_version};
    enum hp_db_status st = hp_db_exec(db, arena, &year_row_sql, 1, p1, &r);
    if (st < 0 || (st = hp_db_exec(db, arena, &year_bump_sql, 2, pv, &r)) <= 0) {
        *version = 0;
        return st; /* HP_DB_NO_ROWS: stale */
    }
    *version = atoi(PQgetvalue(r, 0, 0));
    if ((st = hp_db_exec(db, arena, &year_json_sql, 1, p1, &r)) < 0)
        return st;
    const char *before = PQgetvalue(r, 0, 0);
    if ((st = hp_db_exec(db, arena, &delete_year_sql, 1, p1, &r)) < 0)
        return st;
    const char *p2[] = {days_json};
    if ((st = hp_db_exec(db, arena, &insert_days_sql, 1, p2, &r)) < 0)
        return st;
    if ((st = hp_db_exec(db, arena, &year_json_sql, 1, p1, &r)) < 0)
        return st;
    return hp_audit_write(db, arena, actor_id, "calendar", y, "replace", before,
                          PQgetvalue(r, 0, 0));
}

/* In one statement, so the version is that of the days read: one row with
 * no day for a year that lists none. */
static struct hp_sql year_sql = HP_SQL("calendar_year",
    "SELECT coalesce((SELECT version FROM calendar_years WHERE year = $1::int), 1)::text,"
    "       d.day::text, d.kind, d.name"
    "  FROM (SELECT 1) one"
    "  LEFT JOIN calendar_days d ON extract(year FROM d.day) = $1::int ORDER BY d.day");

enum hp_db_status hp_calendar_store_year(struct hp_db *db, struct hp_arena *arena, int year,
                                         int *version, struct hp_calendar_day **days, int *n)
{
    PGresult *r;
    const char *params[] = {hp_arena_printf(arena, "%d", year)};
    enum hp_db_status st = hp_db_exec(db, arena, &year_sql, 1, params, &r);
    *version = 0, *days = NULL, *n = 0;
    if (st < 0)
        return st;
    int rows = PQntuples(r);
    *version = rows ? atoi(PQgetvalue(r, 0, 0)) : 0;
    *days = hp_arena_calloc(arena, (size_t)rows + 1, sizeof(**days));
    for (int i = 0; i < rows; i++)
        if (!PQgetisnull(r, i, 1)) /* not the one row of a year that lists no day */
            (*days)[(*n)++] = (struct hp_calendar_day){
                PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), hp_db_text(r, i, 3)};
    return st;
}

static struct hp_sql all_sql = HP_SQL("calendar_all",
    "SELECT day::text, kind FROM calendar_days ORDER BY day");

enum hp_db_status hp_calendar_store_load(struct hp_db *db, struct hp_arena *arena,
                                         struct hp_calendar **out)
{
    PGresult *r;
    *out = NULL;
    enum hp_db_status st = hp_db_exec(db, arena, &all_sql, 0, NULL, &r);
    if (st < 0)
        return st;
    int n = PQntuples(r);
    struct hp_calendar_entry *e = hp_arena_calloc(arena, (size_t)n + 1, sizeof(*e));
    for (int i = 0; i < n; i++) {
        hp_calendar_date_parse(PQgetvalue(r, i, 0), &e[i].date);
        e[i].kind = strcmp(PQgetvalue(r, i, 1), "holiday") == 0 ? HP_CALENDAR_HOLIDAY
                                                                 : HP_CALENDAR_WORKDAY;
    }
    if (hp_calendar_new(e, (size_t)n, out, NULL) != HP_CALENDAR_OK)
        return HP_DB_HARD_ERROR;
    hp_arena_defer(arena, (void (*)(void *))hp_calendar_free, *out);
    return HP_DB_ROWS;
}
