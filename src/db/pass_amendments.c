/* SQL of pass revisions: applying an approved amendment, an officer's
 * direct amendment, and the chain of revisions. The revision itself is
 * hp_pass_revise in sql/012_pass_lifecycle.sql (answering the row it made
 * since sql/016_pass_revise_row.sql), so every path makes it the same way. */
#include "haulpass/pass_amendments.h"

#include "haulpass/db_exec.h"
#include "json_arrays.h"

#include "haulpass/arena.h"

#include <stdlib.h>
#include <string.h>

/* What signing a revision r (a passes row hp_pass_revise answered) needs,
 * for read_revised; all NULL when it answered none. */
#define REVISED_COLS                                                                    \
    " r.code, r.plate, r.type, r.revision, to_char(r.valid_from, 'YYYY-MM-DD'),"         \
    " to_char(r.valid_to, 'YYYY-MM-DD'), to_json(r.zone_ids)::text,"                     \
    " ST_AsGeoJSON(r.corridor_route, 15), r.corridor_width_m, r.hours, hp_us(r.revised_at)"

/* Row 0 of REVISED_COLS in res as one written pass (n 0: no revision). */
static void read_revised(struct hp_arena *arena, const PGresult *res,
                         struct hp_passes_written *w)
{
    *w = (struct hp_passes_written){0};
    if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0))
        return;
    const char **one = hp_arena_calloc(arena, 2, sizeof(*one));
    one[0] = PQgetvalue(res, 0, 0);
    one[1] = PQgetvalue(res, 0, 1);
    *w = (struct hp_passes_written){
        .codes = &one[0], .plates = &one[1], .n = 1,
        .type = PQgetvalue(res, 0, 2),
        .revision = atoi(PQgetvalue(res, 0, 3)),
        .valid_from = PQgetvalue(res, 0, 4),
        .valid_to = PQgetvalue(res, 0, 5),
        .corridor = hp_db_text(res, 0, 7),
        .corridor_width_m = PQgetisnull(res, 0, 8) ? 0 : atoi(PQgetvalue(res, 0, 8)),
        .hours = hp_db_text(res, 0, 9),
        .issued_us = hp_db_int64(res, 0, 10)};
    w->zone_ids = hp_db_json_strings(arena, hp_db_text(res, 0, 6), &w->nzones);
}

/* The function in FROM runs once and answers its row's columns (all NULL
 * when it answers NULL). */
static struct hp_sql approved_sql = HP_SQL("pass_amend_approved",
    "SELECT" REVISED_COLS
    "  FROM applications a,"
    "       hp_pass_revise(a.pass_code, $2::uuid, a.reason, a.id, a.plates[1], a.zone_ids,"
    "                      a.corridor_route, a.corridor_width_m, a.valid_from, a.valid_to,"
    "                      a.hours, CASE a.status WHEN 'approved' THEN 'active'"
    "                                             ELSE 'provisional' END, a.documents_due) r"
    " WHERE a.id = $1::uuid AND a.kind = 'amendment'"
    "   AND a.status IN ('approved', 'approved_provisional')");

enum hp_db_status hp_pass_amend_approved(struct hp_db *db, struct hp_arena *arena,
                                         const char *id, const char *officer,
                                         struct hp_passes_written *revised)
{
    PGresult *r;
    const char *params[] = {id, officer};
    enum hp_db_status st = hp_db_exec(db, arena, &approved_sql, 2, params, &r);
    *revised = (struct hp_passes_written){0};
    if (st == HP_DB_ROWS)
        read_revised(arena, r, revised);
    return st;
}

static struct hp_sql lock_sql = HP_SQL("pass_amend_lock",
    "SELECT revision FROM passes WHERE code = $1 FOR UPDATE");

enum hp_db_status hp_pass_amend_lock(struct hp_db *db, struct hp_arena *arena, const char *code,
                                     int *revision)
{
    PGresult *r;
    const char *params[] = {code};
    enum hp_db_status st = hp_db_exec(db, arena, &lock_sql, 1, params, &r);
    if (revision)
        *revision = st == HP_DB_ROWS ? atoi(PQgetvalue(r, 0, 0)) : 0;
    return st;
}

/* Under the pass's lock; one row: whether it may be amended, whether an
 * amendment of it is open, whether the plate is the holder's, and the
 * first zone ($4, a JSON array) that is not live (1-based, or NULL). */
static struct hp_sql direct_check_sql = HP_SQL("pass_amend_direct_check",
    "WITH p AS (SELECT * FROM passes WHERE code = $1)"
    "SELECT p.status IN ('active', 'provisional', 'suspended'),"
    "       EXISTS (SELECT 1 FROM applications a WHERE a.pass_code = p.code"
    "                 AND a.kind = 'amendment'"
    "                 AND a.status IN ('awaiting_endorsement', 'queued', 'in_review')),"
    "       EXISTS (SELECT 1 FROM vehicles v WHERE v.plate = $3 AND v.org_id = $2::uuid),"
    "       (SELECT min(i) FROM json_array_elements_text($4::json) WITH ORDINALITY u(z, i)"
    "         WHERE NOT EXISTS (SELECT 1 FROM zones WHERE id = u.z::uuid"
    "                             AND retired_at IS NULL)),"
    /* Under the row lock: still the revision the change was merged from? */
    "       $5::int = 0 OR p.revision = $5::int"
    "  FROM p");

static struct hp_sql direct_sql = HP_SQL("pass_amend_direct",
    "SELECT" REVISED_COLS
    "  FROM passes p,"
    "       hp_pass_revise(p.code, $2::uuid, $3, NULL, $4,"
    "                      ARRAY(SELECT json_array_elements_text($5::json)::uuid),"
    "                      ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($6)), 4326), $7::int,"
    "                      $8::date, $9::date, $10, p.status, p.documents_due) r"
    " WHERE p.code = $1");

enum hp_db_status hp_pass_amend_direct(struct hp_db *db, struct hp_arena *arena,
                                       const char *code, const char *holder_org,
                                       const char *actor, const char *reason,
                                       const struct hp_revision_input *in,
                                       enum hp_direct_outcome *outcome, int *bad_zone,
                                       struct hp_passes_written *revised)
{
    PGresult *r;
    *revised = (struct hp_passes_written){0};
    const char *zones = hp_db_json_of_strings(arena, in->zone_ids, in->nzones);
    if (!zones)
        return HP_DB_HARD_ERROR;
    /* The lock alone first: had the check taken it, a holder's amendment
     * committed while the check waited would stay outside the check's
     * snapshot, and this revision would go in under it. */
    *outcome = HP_DIRECT_NOT_AMENDABLE;
    enum hp_db_status st = hp_pass_amend_lock(db, arena, code, NULL);
    if (st != HP_DB_ROWS)
        return st;
    const char *p1[] = {code, holder_org, in->plate, zones,
                        hp_arena_printf(arena, "%d", in->base_revision)};
    if ((st = hp_db_exec(db, arena, &direct_check_sql, 5, p1, &r)) != HP_DB_ROWS)
        return st;
    if (PQgetvalue(r, 0, 0)[0] != 't')
        return st;
    if (PQgetvalue(r, 0, 4)[0] != 't') {
        *outcome = HP_DIRECT_MOVED;
        return st;
    }
    if (PQgetvalue(r, 0, 1)[0] == 't') {
        *outcome = HP_DIRECT_OPEN;
        return st;
    }
    if (PQgetvalue(r, 0, 2)[0] != 't') {
        *outcome = HP_DIRECT_BAD_PLATE;
        return st;
    }
    if (!PQgetisnull(r, 0, 3)) {
        *outcome = HP_DIRECT_BAD_ZONE;
        *bad_zone = atoi(PQgetvalue(r, 0, 3)) - 1;
        return st;
    }
    const char *p2[] = {code, actor, reason, in->plate, zones, in->corridor,
                        in->corridor ? hp_arena_printf(arena, "%d", in->width_m) : NULL,
                        in->valid_from, in->valid_to, in->hours};
    if ((st = hp_db_exec(db, arena, &direct_sql, 10, p2, &r)) != HP_DB_ROWS)
        return st;
    read_revised(arena, r, revised);
    *outcome = revised->n ? HP_DIRECT_DONE : HP_DIRECT_NOT_AMENDABLE;
    return st;
}

/* The superseded revisions, then the current one. */
static struct hp_sql revisions_sql = HP_SQL("pass_revisions",
    "SELECT revision, plate, 'superseded', to_json(zone_ids)::text,"
    "       ST_AsGeoJSON(corridor_route, 15), corridor_width_m,"
    "       to_char(valid_from, 'YYYY-MM-DD'), to_char(valid_to, 'YYYY-MM-DD'), hours,"
    "       signed_code, hp_us(started_at), hp_us(superseded_at), application_id, changed_by,"
    "       reason, to_json(changes)::text"
    "  FROM pass_revisions WHERE code = $1"
    " UNION ALL "
    "SELECT revision, plate, status, to_json(zone_ids)::text,"
    "       ST_AsGeoJSON(corridor_route, 15), corridor_width_m,"
    "       to_char(valid_from, 'YYYY-MM-DD'), to_char(valid_to, 'YYYY-MM-DD'), hours,"
    "       signed_code, hp_us(coalesce(revised_at, issued_at)), NULL,"
    "       coalesce(revision_application_id, CASE WHEN revision = 1 THEN application_id END),"
    "       revised_by, revise_reason, to_json(revise_changes)::text"
    "  FROM passes WHERE code = $1"
    " ORDER BY 1");

enum hp_db_status hp_pass_revisions(struct hp_db *db, struct hp_arena *arena, const char *code,
                                    struct hp_pass_revision **out, int *n)
{
    PGresult *r;
    const char *params[] = {code};
    enum hp_db_status st = hp_db_exec(db, arena, &revisions_sql, 1, params, &r);
    *out = NULL, *n = 0;
    if (st < 0)
        return st;
    int rows = PQntuples(r);
    *out = hp_arena_calloc(arena, (size_t)rows + 1, sizeof(**out));
    for (int i = 0; i < rows; i++)
        (*out)[(*n)++] = (struct hp_pass_revision){
            .revision = atoi(PQgetvalue(r, i, 0)),
            .plate = PQgetvalue(r, i, 1),
            .status = PQgetvalue(r, i, 2),
            .zone_ids = PQgetvalue(r, i, 3),
            .corridor = hp_db_text(r, i, 4),
            .corridor_width_m = PQgetisnull(r, i, 5) ? 0 : atoi(PQgetvalue(r, i, 5)),
            .valid_from = PQgetvalue(r, i, 6),
            .valid_to = PQgetvalue(r, i, 7),
            .hours = hp_db_text(r, i, 8),
            .signed_code = hp_db_text(r, i, 9),
            .started_us = hp_db_int64(r, i, 10),
            .superseded_us = hp_db_int64(r, i, 11),
            .application_id = hp_db_text(r, i, 12),
            .changed_by = hp_db_text(r, i, 13),
            .reason = hp_db_text(r, i, 14),
            .changes = hp_db_text(r, i, 15),
        };
    return st;
}
