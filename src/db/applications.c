/* SQL of pass applications. */
#include "haulpass/applications.h"

#include "application_row.h"
#include "haulpass/db_exec.h"
#include "json_arrays.h"

#include "haulpass/app_status.h"
#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/calendar_store.h"
#include "haulpass/time.h"

#include <stdlib.h>
#include <string.h>

/* Who may see an application row a: everyone when $N is NULL, else its
 * organisation and the site of its project. */
#define APP_VISIBLE(n)                                                                  \
    "(" n "::uuid IS NULL OR a.org_id = " n "::uuid OR EXISTS (SELECT 1 FROM projects"  \
    " WHERE id = a.project_id AND site_org_id = " n "::uuid))"

int hp_applications_read(struct hp_arena *arena, const PGresult *r, int row,
                         struct hp_application *a)
{
    int c = 0;
    a->id = PQgetvalue(r, row, c++);
    a->org_id = PQgetvalue(r, row, c++);
    a->applicant_id = PQgetvalue(r, row, c++);
    a->type = PQgetvalue(r, row, c++);
    a->status = PQgetvalue(r, row, c++);
    a->plates = hp_db_json_strings(arena, hp_db_text(r, row, c++), &a->nplates);
    a->zone_ids = hp_db_json_strings(arena, hp_db_text(r, row, c++), &a->nzones);
    a->documents = hp_db_json_documents(arena, hp_db_text(r, row, c++), &a->ndocuments);
    a->missing_documents = hp_db_json_strings(arena, hp_db_text(r, row, c++), &a->nmissing);
    a->corridor = hp_db_text(r, row, c++);
    a->corridor_width_m = PQgetisnull(r, row, c) ? 0 : atoi(PQgetvalue(r, row, c));
    c++;
    a->valid_from = PQgetvalue(r, row, c++);
    a->valid_to = PQgetvalue(r, row, c++);
    a->hours = hp_db_text(r, row, c++);
    a->project_id = hp_db_text(r, row, c++);
    a->note = hp_db_text(r, row, c++);
    a->decision_reason = hp_db_text(r, row, c++);
    a->claimed_by = hp_db_text(r, row, c++);
    a->project_site_org_id = hp_db_text(r, row, c++);
    a->fast_track = strcmp(PQgetvalue(r, row, c++), "t") == 0;
    a->submitted_us = hp_db_int64(r, row, c++);
    a->endorsed_us = hp_db_int64(r, row, c++);
    a->due_us = hp_db_int64(r, row, c++);
    a->claim_expires_us = hp_db_int64(r, row, c++);
    a->decided_us = hp_db_int64(r, row, c++);
    a->documents_due_us = hp_db_int64(r, row, c++);
    a->kind = PQgetvalue(r, row, c++);
    a->pass_code = hp_db_text(r, row, c++);
    a->reason = hp_db_text(r, row, c++);
    a->works = hp_db_text(r, row, c++);
    a->roadworks_zone_id = hp_db_text(r, row, c++);
    a->cargo = hp_db_text(r, row, c++);
    return c;
}

/* due_at for a clock starting at now_us, from the calendar in the
 * database; 0 with HP_DB_HARD_ERROR when the calendar cannot be built. */
static enum hp_db_status due_at(struct hp_db *db, struct hp_arena *arena, const char *type,
                                bool fast_track, int64_t now_us, int64_t *out)
{
    struct hp_calendar *cal;
    enum hp_db_status st = hp_calendar_store_load(db, arena, &cal);
    if (st < 0)
        return st;
    time_t due = hp_calendar_due_at(cal, (time_t)(now_us / 1000000),
                                    hp_app_due_days(type, fast_track));
    if (due == (time_t)-1)
        return HP_DB_HARD_ERROR;
    *out = (int64_t)due * 1000000;
    return HP_DB_ROWS;
}

/* Indexes (0-based, -1 ended) of the rows of r's first column. */
static int *indexes(struct hp_arena *arena, const PGresult *r)
{
    int n = PQntuples(r);
    int *out = hp_arena_calloc(arena, (size_t)n + 1, sizeof(*out));
    for (int i = 0; i < n; i++)
        out[i] = atoi(PQgetvalue(r, i, 0)) - 1;
    out[n] = -1;
    return out;
}

static struct hp_sql bad_plates_sql = HP_SQL("applications_bad_plates",
    "SELECT i FROM json_array_elements_text($2::json) WITH ORDINALITY u(p, i)"
    " WHERE NOT EXISTS (SELECT 1 FROM vehicles WHERE plate = u.p AND org_id = $1::uuid)"
    " ORDER BY i");

static struct hp_sql bad_zones_sql = HP_SQL("applications_bad_zones",
    "SELECT i FROM json_array_elements_text($1::json) WITH ORDINALITY u(z, i)"
    " WHERE NOT EXISTS (SELECT 1 FROM zones WHERE id = u.z::uuid AND retired_at IS NULL)"
    " ORDER BY i");

static struct hp_sql project_sql = HP_SQL("applications_project",
    "SELECT site_org_id FROM projects WHERE id = $1::uuid");

static struct hp_sql insert_sql = HP_SQL("applications_insert",
    "WITH a AS (INSERT INTO applications (org_id, applicant_id, type, plates, zone_ids,"
    "             corridor_route, corridor_width_m, valid_from, valid_to, hours, project_id,"
    "             documents, note, status, fast_track, submitted_at, due_at, kind, pass_code,"
    "             reason, works, works_area, cargo)"
    "           SELECT $1::uuid, $2::uuid, $3,"
    "                  ARRAY(SELECT json_array_elements_text($4::json)),"
    "                  ARRAY(SELECT json_array_elements_text($5::json)::uuid),"
    "                  ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($6)), 4326), $7::int,"
    "                  $8::date, $9::date, $10, $11::uuid, $12::jsonb, $13, $14, $15::bool,"
    "                  to_timestamp($16::bigint / 1e6), to_timestamp($17::bigint / 1e6),"
    "                  CASE WHEN $18::text IS NULL THEN 'new' ELSE 'amendment' END, $18, $19,"
    "                  $20::jsonb, ST_Multi(CASE WHEN $22::int IS NULL"
    "                      THEN ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($21)), 4326)"
    "                      ELSE ST_Buffer(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($21)), 4326)"
    "                                     ::geography, $22::int / 2.0)::geometry END),"
    "                  $23::jsonb"
    "           RETURNING *),"
    "     e AS (INSERT INTO application_events (application_id, at, actor_id, to_status,"
    "                                           reason)"
    "           SELECT id, submitted_at, applicant_id, status, reason FROM a),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "            SELECT $2::uuid, 'application', a.id::text, 'create',"
    "                   to_jsonb(a) - 'corridor_route' FROM a)"
    "SELECT " HP_APP_COLS " FROM a");

enum hp_db_status hp_applications_create(struct hp_db *db, struct hp_arena *arena,
                                         const struct hp_application_input *in,
                                         struct hp_application_refusal *refusal,
                                         struct hp_application *out)
{
    PGresult *r;
    memset(refusal, 0, sizeof(*refusal));
    const char *plates = hp_db_json_of_strings(arena, in->plates, in->nplates);
    const char *zones = hp_db_json_of_strings(arena, in->zone_ids, in->nzones);
    const char *documents = hp_db_json_of_documents(arena, in->documents, in->ndocuments);
    if (!plates || !zones || !documents)
        return HP_DB_HARD_ERROR;
    const char *p1[] = {in->org_id, plates};
    enum hp_db_status st = hp_db_exec(db, arena, &bad_plates_sql, 2, p1, &r);
    if (st < 0)
        return st;
    refusal->bad_plates = indexes(arena, r);
    const char *p2[] = {zones};
    if ((st = hp_db_exec(db, arena, &bad_zones_sql, 1, p2, &r)) < 0)
        return st;
    refusal->bad_zones = indexes(arena, r);
    bool fast = in->fast_track, queued = true;
    /* An amendment keeps its pass's project and fast track. */
    if (in->project_id && !in->pass_code) {
        const char *p3[] = {in->project_id};
        if ((st = hp_db_exec(db, arena, &project_sql, 1, p3, &r)) < 0)
            return st;
        refusal->project_missing = st == HP_DB_NO_ROWS;
        /* Filed by the project's own site: already vouched for. */
        fast = st == HP_DB_ROWS && strcmp(PQgetvalue(r, 0, 0), in->org_id) == 0;
        queued = fast;
    }
    if (refusal->bad_plates[0] >= 0 || refusal->bad_zones[0] >= 0 || refusal->project_missing)
        return HP_DB_NO_ROWS;
    int64_t now = hp_time_now_us(), due = 0;
    if (queued && (st = due_at(db, arena, in->type, fast, now, &due)) < 0)
        return st;
    const char *width = in->width_m ? hp_arena_printf(arena, "%d", in->width_m) : NULL;
    const char *params[] = {
        in->org_id, in->applicant_id, in->type, plates, zones, in->corridor,
        width, in->valid_from, in->valid_to, in->hours, in->project_id, documents,
        in->note, queued ? "queued" : "awaiting_endorsement", fast ? "true" : "false",
        hp_arena_printf(arena, "%lld", (long long)now),
        queued ? hp_arena_printf(arena, "%lld", (long long)due) : NULL,
        in->pass_code, in->reason, in->works, in->works_area,
        in->works_width_m ? hp_arena_printf(arena, "%d", in->works_width_m) : NULL, in->cargo};
    if ((st = hp_db_exec(db, arena, &insert_sql, 23, params, &r)) == HP_DB_ROWS)
        hp_applications_read(arena, r, 0, out);
    return st;
}

static struct hp_sql get_sql = HP_SQL("applications_get",
    "SELECT " HP_APP_COLS " FROM applications a WHERE a.id = $1::uuid AND " APP_VISIBLE("$2"));

enum hp_db_status hp_applications_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      const char *org_id, struct hp_application *out)
{
    PGresult *r;
    const char *params[] = {id, org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        hp_applications_read(arena, r, 0, out);
    return st;
}

static struct hp_sql history_sql = HP_SQL("applications_history",
    "SELECT hp_us(at), actor_id, from_status, to_status, reason FROM application_events"
    " WHERE application_id = $1::uuid ORDER BY id");

enum hp_db_status hp_applications_history(struct hp_db *db, struct hp_arena *arena,
                                          const char *id, struct hp_application_history *out)
{
    PGresult *r;
    const char *params[] = {id};
    enum hp_db_status st = hp_db_exec(db, arena, &history_sql, 1, params, &r);
    *out = (struct hp_application_history){0};
    if (st < 0)
        return st;
    int rows = PQntuples(r);
    out->events = hp_arena_calloc(arena, (size_t)rows + 1, sizeof(*out->events));
    for (int i = 0; i < rows; i++)
        out->events[out->n++] = (struct hp_application_event){
            .at_us = hp_db_int64(r, i, 0), .actor_id = hp_db_text(r, i, 1),
            .from = hp_db_text(r, i, 2), .to = PQgetvalue(r, i, 3),
            .reason = hp_db_text(r, i, 4)};
    return st;
}

static struct hp_sql list_sql = HP_SQL("applications_list",
    "SELECT " HP_APP_COLS " FROM applications a"
    " WHERE " APP_VISIBLE("$1") " AND ($2::text IS NULL OR a.status = $2)"
    "   AND ($3::uuid IS NULL OR (a.submitted_at, a.id)"
    "        > (SELECT submitted_at, id FROM applications WHERE id = $3::uuid))"
    " ORDER BY a.submitted_at, a.id LIMIT $4::int");

enum hp_db_status hp_applications_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *org_id, const char *status,
                                       const char *after, int limit,
                                       struct hp_application *out, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, status, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 4, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        hp_applications_read(arena, r, i, &out[(*n)++]);
    return st;
}

static struct hp_sql lock_sql = HP_SQL("applications_lock",
    "SELECT " HP_APP_COLS " FROM applications a WHERE a.id = $1::uuid AND " APP_VISIBLE("$2")
    " FOR UPDATE OF a");

/* One status change of a locked row, with its event and audit entry. $5
 * (µs or NULL) sets due_at, $6 marks an endorsement. */
static struct hp_sql change_sql = HP_SQL("applications_change",
    "WITH u AS (UPDATE applications SET status = $3, version = version + 1,"
    "             due_at = coalesce(to_timestamp($5::bigint / 1e6), due_at),"
    "             fast_track = fast_track OR $6::bool,"
    "             endorsed_at = CASE WHEN $6::bool THEN clock_timestamp() END,"
    "             endorsed_by = CASE WHEN $6::bool THEN $4::uuid END"
    "            WHERE id = $1::uuid AND status = $2 RETURNING *),"
    "     e AS (INSERT INTO application_events (application_id, actor_id, from_status,"
    "                                           to_status, reason)"
    "           SELECT id, $4::uuid, $2, $3, $7 FROM u),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "            SELECT $4::uuid, 'application', u.id::text, $3, to_jsonb(u) - 'corridor_route'"
    "                   || jsonb_build_object('reason', $7::text) FROM u)"
    "SELECT " HP_APP_COLS " FROM u a");

static enum hp_db_status change(struct hp_db *db, struct hp_arena *arena,
                                const struct hp_application *cur, const char *to,
                                const char *actor, int64_t due_us, bool endorse,
                                const char *reason, struct hp_application *out)
{
    PGresult *r;
    const char *params[] = {cur->id, cur->status, to, actor,
                            due_us ? hp_arena_printf(arena, "%lld", (long long)due_us) : NULL,
                            endorse ? "true" : "false", reason};
    enum hp_db_status st = hp_db_exec(db, arena, &change_sql, 7, params, &r);
    if (st == HP_DB_ROWS)
        hp_applications_read(arena, r, 0, out);
    return st == HP_DB_NO_ROWS ? HP_DB_SOFT_ERROR : st;
}

/* Locks id as org_id sees it; HP_DB_NO_ROWS when it cannot. */
static enum hp_db_status lock(struct hp_db *db, struct hp_arena *arena, const char *id,
                              const char *org_id, struct hp_application *cur)
{
    PGresult *r;
    const char *params[] = {id, org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &lock_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        hp_applications_read(arena, r, 0, cur);
    return st;
}

static bool may_become(const char *from, enum hp_app_status to)
{
    enum hp_app_status f;
    return hp_app_status_parse(from, &f) && hp_app_status_allowed(f, to);
}

enum hp_db_status hp_applications_withdraw(struct hp_db *db, struct hp_arena *arena,
                                           const char *id, const char *org_id,
                                           const char *actor, const char *reason,
                                           enum hp_app_change_outcome *outcome,
                                           struct hp_application *out)
{
    struct hp_application cur;
    enum hp_db_status st = lock(db, arena, id, org_id, &cur);
    *outcome = HP_APP_NOT_FOUND;
    if (st != HP_DB_ROWS)
        return st;
    /* A project's site sees the application but does not own it. */
    if (strcmp(cur.org_id, org_id) != 0) {
        *outcome = HP_APP_FORBIDDEN;
        return st;
    }
    if (!may_become(cur.status, HP_APP_WITHDRAWN)) {
        *outcome = HP_APP_CONFLICT;
        *out = cur;
        return st;
    }
    *outcome = HP_APP_CHANGED;
    return change(db, arena, &cur, "withdrawn", actor, 0, false, reason, out);
}

enum hp_db_status hp_applications_endorse(struct hp_db *db, struct hp_arena *arena,
                                          const char *id, const char *org_id,
                                          const char *actor, enum hp_app_change_outcome *outcome,
                                          struct hp_application *out)
{
    struct hp_application cur;
    enum hp_db_status st = lock(db, arena, id, org_id, &cur);
    *outcome = HP_APP_NOT_FOUND;
    if (st != HP_DB_ROWS)
        return st;
    if (!cur.project_site_org_id || strcmp(cur.project_site_org_id, org_id) != 0) {
        *outcome = HP_APP_FORBIDDEN;
        return st;
    }
    if (!may_become(cur.status, HP_APP_QUEUED)) {
        *outcome = HP_APP_CONFLICT;
        *out = cur;
        return st;
    }
    int64_t due;
    if ((st = due_at(db, arena, cur.type, true, hp_time_now_us(), &due)) < 0)
        return st;
    *outcome = HP_APP_CHANGED;
    return change(db, arena, &cur, "queued", actor, due, true, "endorsed", out);
}
