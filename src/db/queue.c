/* SQL of the review queue. */
#include "haulpass/queue.h"

#include "application_row.h"
#include "haulpass/db_exec.h"
#include "json_arrays.h"

#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/metrics.h"
#include "haulpass/pass_amendments.h"
#include "haulpass/pass_code.h"
#include "haulpass/passes.h"
#include "haulpass/roadworks.h"
#include "haulpass/time.h"

#include <stdio.h>
#include <time.h>

#include <stdlib.h>
#include <string.h>

/* Claim order for officer $1 (docs/contract.md §7): fast track of the caller's own
 * projects, then fast track, then the earliest due_at, then the earliest
 * submission; the id breaks the last ties so the order is total. */
#define CLAIM_ORDER                                                                     \
    " ORDER BY coalesce(a.fast_track AND EXISTS (SELECT 1 FROM projects p"              \
    "          WHERE p.id = a.project_id AND p.liaison_officer_id = $1::uuid), false) DESC," \
    "          a.fast_track DESC, a.due_at, a.submitted_at, a.id"

/* Claims the first claimable row nobody else is claiming right now: SKIP
 * LOCKED passes over rows another transaction holds, so two officers never
 * get the same one. The lease is 15 minutes; an expired one is claimable.
 * The order of CLAIM_ORDER in two steps, each an index walk that stops at
 * the first row it locks (no sort of the whole queue): the caller's own
 * projects' fast track (applications_open_project), and only when that
 * finds none, everything open (applications_open). */
#define CLAIMABLE                                                                       \
    " a.status IN ('queued', 'in_review')"                                              \
    " AND (a.status = 'queued' OR a.claim_expires_at <= clock_timestamp())"
static struct hp_sql claim_sql = HP_SQL("queue_claim",
    "WITH own AS (SELECT a.id, a.status FROM applications a"
    "              WHERE" CLAIMABLE " AND a.fast_track"
    "                AND a.project_id IN (SELECT p.id FROM projects p"
    "                                      WHERE p.liaison_officer_id = $1::uuid)"
    "              ORDER BY a.due_at, a.submitted_at, a.id"
    "              LIMIT 1 FOR UPDATE OF a SKIP LOCKED),"
    "     rest AS (SELECT a.id, a.status FROM applications a"
    "               WHERE NOT EXISTS (SELECT 1 FROM own) AND" CLAIMABLE
    "               ORDER BY a.fast_track DESC, a.due_at, a.submitted_at, a.id"
    "               LIMIT 1 FOR UPDATE OF a SKIP LOCKED),"
    "     c AS (SELECT * FROM own UNION ALL SELECT * FROM rest),"
    "     u AS (UPDATE applications a SET status = 'in_review', claimed_by = $1::uuid,"
    "             claim_expires_at = clock_timestamp() + interval '15 minutes',"
    "             version = a.version + 1"
    "             FROM c WHERE a.id = c.id RETURNING a.*, c.status AS old_status),"
    "     e AS (INSERT INTO application_events (application_id, actor_id, from_status,"
    "                                           to_status, reason)"
    "           SELECT id, $1::uuid, old_status, 'in_review',"
    "                  CASE WHEN old_status = 'in_review' THEN 'claimed after an expired claim'"
    "                       ELSE 'claimed' END FROM u),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "            SELECT $1::uuid, 'application', u.id::text, 'claim',"
    "                   to_jsonb(u) - 'corridor_route' - 'old_status' FROM u)"
    "SELECT " HP_APP_COLS " FROM u a");

enum hp_db_status hp_queue_claim(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                 struct hp_application *out)
{
    PGresult *r;
    const char *params[] = {officer};
    enum hp_db_status st = hp_db_exec(db, arena, &claim_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        hp_applications_read(arena, r, 0, out);
    return st;
}

static struct hp_sql list_sql = HP_SQL("queue_list",
    "SELECT " HP_APP_COLS " FROM applications a WHERE a.status IN ('queued', 'in_review')"
    CLAIM_ORDER " LIMIT $2::int");

enum hp_db_status hp_queue_list(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                int limit, struct hp_application *out, int *n)
{
    PGresult *r;
    const char *params[] = {officer, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 2, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        hp_applications_read(arena, r, i, &out[(*n)++]);
    return st;
}

/* Locks the row and answers it as it stands, then whether $2 holds a live
 * claim on it, the first missing document ($3) that is not an unprovided
 * document of it, whether approving it would extend its pass a third
 * time, and the instant of the decision. An amendment's pass
 * is locked too: another amendment approved or filed in a race (the check
 * at filing reads the pass unlocked) cannot move its extensions between
 * this check and the revision. */
static struct hp_sql lock_sql = HP_SQL("queue_decide_lock",
    "SELECT " HP_APP_COLS ","
    "       a.status = 'in_review' AND a.claimed_by = $2::uuid"
    "       AND a.claim_expires_at > clock_timestamp(),"
    "       (SELECT m.i FROM json_array_elements_text(coalesce($3, '[]')::json)"
    "                        WITH ORDINALITY m(name, i)"
    "         WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(a.documents) d"
    "                            WHERE d->>'name' = m.name"
    "                              AND NOT (d->>'provided')::boolean)"
    "            OR (SELECT count(*) FROM json_array_elements_text($3::json) o(name)"
    "                 WHERE o.name = m.name) > 1"
    "         ORDER BY m.i LIMIT 1),"
    "       coalesce(a.valid_to > p.valid_to AND p.extensions >= 2, false),"
    "       hp_us(clock_timestamp())"
    "  FROM applications a"
    "  LEFT JOIN LATERAL (SELECT valid_to, extensions FROM passes"
    "                      WHERE code = a.pass_code FOR UPDATE) p ON true"
    " WHERE a.id = $1::uuid FOR UPDATE OF a");

/* The decision at instant $8, its event and audit entry, and on approval
 * one pass per plate ($7: their codes), all in one statement; it answers
 * the application and how many passes it stored signed. The passes
 * carry their signed codes ($9: the codes signed, $10: the signed texts)
 * unless key $11 was retired meanwhile (by another instance); the key is
 * published on the way ($12: its public key) in case the database was
 * away when the service started: the foreign key is checked at the end of
 * the statement, after the insert. */
static struct hp_sql decide_sql = HP_SQL("queue_decide",
    "WITH k AS (INSERT INTO signing_keys (kid, public_key)"
    "           SELECT $11::text, $12::text WHERE $11 IS NOT NULL ON CONFLICT DO NOTHING),"
    "     u AS (UPDATE applications a SET"
    "             status = CASE $3 WHEN 'approve' THEN 'approved'"
    "                              WHEN 'approve_provisional' THEN 'approved_provisional'"
    "                              ELSE 'rejected' END,"
    "             decided_at = to_timestamp($8::bigint / 1e6), decided_by = $2::uuid,"
    "             decision_reason = $4,"
    "             missing_documents = ARRAY(SELECT json_array_elements_text($5::json)),"
    "             documents_due = to_timestamp($6::bigint / 1e6),"
    "             version = a.version + 1"
    "            WHERE a.id = $1::uuid RETURNING a.*),"
    "     e AS (INSERT INTO application_events (application_id, actor_id, from_status,"
    "                                           to_status, reason)"
    "           SELECT id, $2::uuid, 'in_review', status, $4 FROM u),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "            SELECT $2::uuid, 'application', u.id::text, 'decide',"
    "                   to_jsonb(u) - 'corridor_route' FROM u),"
    /* Issued at the instant of the decision: every field they are signed
     * with is the application's, as the lock read it (hp_queue_decide). */
    "     p AS (INSERT INTO passes (code, application_id, plate, type, zone_ids,"
    "             corridor_route, corridor_width_m, valid_from, valid_to, hours, project_id,"
    "             status, documents_due, cargo, issued_at, signed_code, kid)"
    "           SELECT c.code, u.id, u.plates[c.i], u.type, u.zone_ids, u.corridor_route,"
    "                  u.corridor_width_m, u.valid_from, u.valid_to, u.hours, u.project_id,"
    "                  CASE u.status WHEN 'approved' THEN 'active' ELSE 'provisional' END,"
    "                  u.documents_due, u.cargo, u.decided_at, s.text,"
    "                  CASE WHEN s.text IS NOT NULL THEN $11::text END"
    "             FROM u, json_array_elements_text($7::json) WITH ORDINALITY c(code, i)"
    "             LEFT JOIN unnest(ARRAY(SELECT json_array_elements_text($9::json)),"
    "                              ARRAY(SELECT json_array_elements_text($10::json))) s(code, text)"
    "                    ON s.code = c.code"
    "                   AND NOT EXISTS (SELECT 1 FROM signing_keys r"
    "                                    WHERE r.kid = $11 AND r.retired_at IS NOT NULL)"
    "            WHERE u.status IN ('approved', 'approved_provisional') AND u.kind = 'new'"
    "              AND c.i <= cardinality(u.plates)"
    "           RETURNING code, signed_code IS NOT NULL AS signed),"
    "     pa AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "            SELECT $2::uuid, 'pass', p.code, 'issue', jsonb_build_object('code', p.code)"
    "              FROM p)"
    "SELECT " HP_APP_COLS ", (SELECT count(*) FROM p WHERE p.signed) FROM u a");

static const char *const decision_names[] = {
    [HP_DECISION_APPROVE] = "approve",
    [HP_DECISION_APPROVE_PROVISIONAL] = "approve_provisional",
    [HP_DECISION_REJECT] = "reject",
};

/* n new pass codes of this year into codes (arena memory) and as a JSON
 * array into *json; false when no randomness could be had. */
static bool new_codes(struct hp_arena *arena, int n, const char ***codes, const char **json)
{
    int year = hp_calendar_local_date(NULL, time(NULL)).year;
    *codes = hp_arena_calloc(arena, (size_t)n + 1, sizeof(**codes));
    for (int i = 0; i < n; i++) {
        char *code = hp_arena_alloc(arena, HP_PASS_CODE_BUF);
        if (!hp_pass_code_new(year, code))
            return false;
        (*codes)[i] = code;
    }
    *json = hp_db_json_of_strings(arena, *codes, n);
    return *json != NULL;
}

/* The passes approving the new application a at issued_us issues (one per
 * plate, codes[i] for plates[i]): what they are signed with is all in a as
 * the lock read it, which the decision does not change, so they are
 * signed before the statement writes them. */
static struct hp_passes_written issued_passes(const struct hp_application *a,
                                              const char *const *codes, int64_t issued_us)
{
    return (struct hp_passes_written){
        .codes = codes, .plates = a->plates, .n = a->nplates, .type = a->type,
        .valid_from = a->valid_from, .valid_to = a->valid_to, .zone_ids = a->zone_ids,
        .nzones = a->nzones, .corridor = a->corridor, .corridor_width_m = a->corridor_width_m,
        .hours = a->hours, .revision = 1, .issued_us = issued_us};
}

enum hp_db_status hp_queue_decide(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *officer, const struct hp_decision *d,
                                  const struct hp_signing_key *key,
                                  enum hp_decide_outcome *outcome, int *bad_document,
                                  struct hp_application *out)
{
    PGresult *r;
    const char *missing =
        d->nmissing ? hp_db_json_of_strings(arena, d->missing_documents, d->nmissing) : NULL;
    *outcome = HP_DECIDE_NOT_FOUND;
    if (d->nmissing && !missing)
        return HP_DB_HARD_ERROR;
    const char *lock_params[] = {id, officer, missing};
    enum hp_db_status st = hp_db_exec(db, arena, &lock_sql, 3, lock_params, &r);
    if (st != HP_DB_ROWS)
        return st;
    struct hp_application locked;
    int c = hp_applications_read(arena, r, 0, &locked);
    if (strcmp(PQgetvalue(r, 0, c), "t") != 0) {
        *outcome = HP_DECIDE_NOT_HOLDER;
        return st;
    }
    if (!PQgetisnull(r, 0, c + 1)) {
        *outcome = HP_DECIDE_BAD_DOCUMENT;
        *bad_document = atoi(PQgetvalue(r, 0, c + 1)) - 1;
        return st;
    }
    if (d->kind != HP_DECISION_REJECT && strcmp(PQgetvalue(r, 0, c + 2), "t") == 0) {
        *outcome = HP_DECIDE_EXTENSION_LIMIT;
        return st;
    }
    int64_t decided_us = hp_db_int64(r, 0, c + 3);
    /* The codes are made under the row lock, from the plates it holds, and
     * a new application's passes signed before the statement writes them:
     * signing adds the signatures in memory, timed here for
     * haulpass_pass_signing_seconds, and two columns to the statement's
     * insert, not a statement of its own. */
    const char **codes = NULL, *codes_json = "[]";
    struct hp_passes_signed sig = {0};
    int64_t signing_us = 0;
    if (d->kind != HP_DECISION_REJECT) {
        if (!new_codes(arena, locked.nplates, &codes, &codes_json))
            return HP_DB_HARD_ERROR;
        int64_t t0 = hp_time_now_us();
        struct hp_passes_written issued = issued_passes(&locked, codes, decided_us);
        if (strcmp(locked.kind, "new") == 0 && !hp_passes_sign_ahead(arena, key, &issued, &sig))
            return HP_DB_HARD_ERROR;
        signing_us = hp_time_now_us() - t0;
    }
    const char *params[] = {id,
                            officer,
                            decision_names[d->kind],
                            d->reason,
                            missing,
                            d->documents_due_us
                                ? hp_arena_printf(arena, "%lld", (long long)d->documents_due_us)
                                : NULL,
                            codes_json,
                            hp_arena_printf(arena, "%lld", (long long)decided_us),
                            sig.codes_json,
                            sig.texts_json,
                            sig.kid_hex,
                            sig.public_key};
    if ((st = hp_db_exec(db, arena, &decide_sql, 12, params, &r)) != HP_DB_ROWS)
        return st;
    *outcome = HP_DECIDE_DONE;
    int stored = atoi(PQgetvalue(r, 0, hp_applications_read(arena, r, 0, out)));
    if (d->kind == HP_DECISION_REJECT)
        return HP_DB_ROWS;
    /* Timed when it stored something, as for an amendment below: not
     * when the key was retired meanwhile. */
    if (stored > 0)
        hp_metrics_signing(signing_us);
    /* An approved amendment makes the next revision of its pass, which
     * needs a code of its own: signed once written, from the revision the
     * statement answers, with one UPDATE (timed the same way). */
    if (strcmp(out->kind, "amendment") == 0) {
        struct hp_passes_written revised;
        if ((st = hp_pass_amend_approved(db, arena, id, officer, &revised)) < 0)
            return st;
        int64_t t0 = hp_time_now_us();
        enum hp_db_status signed_st = hp_passes_sign_written(db, arena, key, &revised);
        if (signed_st < 0)
            return signed_st;
        if (signed_st == HP_DB_ROWS)
            hp_metrics_signing(hp_time_now_us() - t0);
    }
    /* An approved road-occupation permit is a roadworks zone. */
    if (strcmp(out->type, "road_occupation") == 0 &&
        ((st = hp_roadworks_open(db, arena, id, officer)) < 0 ||
         (st = hp_applications_get(db, arena, id, NULL, out)) < 0))
        return st;
    return HP_DB_ROWS;
}

static struct hp_sql totals_sql = HP_SQL("queue_totals",
    "SELECT count(*), count(*) FILTER (WHERE due_at < clock_timestamp())"
    "  FROM applications WHERE status IN ('queued', 'in_review')");

/* Hours to a decision count from when the clock started: the endorsement
 * for endorsed applications, else the submission (as due_at does). */
static struct hp_sql per_type_sql = HP_SQL("queue_per_type",
    "SELECT t.type, count(a.id),"
    "       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
    "           a.decided_at - coalesce(a.endorsed_at, a.submitted_at)) / 3600),"
    "       avg((a.decided_at <= a.due_at)::int)"
    "  FROM unnest(ARRAY['construction', 'urban_delivery', 'oversize', 'hazmat',"
    "                    'temporary', 'road_occupation']) WITH ORDINALITY t(type, n)"
    "  LEFT JOIN applications a ON a.type = t.type AND a.decided_at IS NOT NULL"
    " GROUP BY t.type, t.n ORDER BY t.n");

enum hp_db_status hp_queue_depth(struct hp_db *db, struct hp_arena *arena,
                                 struct hp_queue_depth *out)
{
    PGresult *r;
    enum hp_db_status st = hp_db_exec(db, arena, &totals_sql, 0, NULL, &r);
    *out = (struct hp_queue_depth){0};
    if (st == HP_DB_ROWS)
        *out = (struct hp_queue_depth){atoi(PQgetvalue(r, 0, 0)), atoi(PQgetvalue(r, 0, 1))};
    return st;
}

enum hp_db_status hp_queue_stats(struct hp_db *db, struct hp_arena *arena,
                                 struct hp_queue_depth *totals,
                                 struct hp_queue_type_stats per_type[HP_QUEUE_TYPES], int *n)
{
    PGresult *r;
    *n = 0;
    enum hp_db_status st = hp_queue_depth(db, arena, totals);
    if (st < 0 || (st = hp_db_exec(db, arena, &per_type_sql, 0, NULL, &r)) < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < HP_QUEUE_TYPES; i++) {
        struct hp_queue_type_stats *t = &per_type[(*n)++];
        t->type = PQgetvalue(r, i, 0);
        t->decided = atoi(PQgetvalue(r, i, 1));
        t->has_median = !PQgetisnull(r, i, 2);
        t->median_hours = t->has_median ? strtod(PQgetvalue(r, i, 2), NULL) : 0;
        t->has_share = !PQgetisnull(r, i, 3);
        t->within_deadline_share = t->has_share ? strtod(PQgetvalue(r, i, 3), NULL) : 0;
    }
    return st;
}
