/*
 * The revisions of a pass (docs/contract.md §13): an approved amendment or
 * an officer's direct amendment makes revision N+1 (sql/012_pass_lifecycle.sql,
 * hp_pass_revise), revision N is kept, superseded. The SQL only; the
 * handlers are in src/api/pass_amendments.c.
 */
#ifndef HAULPASS_PASS_AMENDMENTS_H
#define HAULPASS_PASS_AMENDMENTS_H

#include "haulpass/db.h"
#include "haulpass/passes.h"

#include <stdbool.h>
#include <stdint.h>

/* The constraint that allows one open amendment per pass: a filing that
 * fails on it raced another (or came second) and is answered 409. */
#define HP_ONE_OPEN_AMENDMENT "applications_one_open_amendment"

/* Locks pass code's row until the transaction ends and sets *revision
 * (unless NULL) to its current revision (HP_DB_NO_ROWS: no such pass).
 * Filing an amendment and amending directly both take this lock first, in
 * a statement of its own: the one that comes second waits, and its next
 * statement's snapshot sees what the first committed (an open amendment,
 * or a new revision). */
enum hp_db_status hp_pass_amend_lock(struct hp_db *db, struct hp_arena *arena, const char *code,
                                     int *revision);

/* After application id (an amendment) was approved by officer: makes the
 * next revision of its pass from it, and sets *revised to it (to sign:
 * passes.h hp_passes_sign_written; arena memory); revised->n is 0 when the
 * pass could no longer be amended (revoked or expired meanwhile). */
enum hp_db_status hp_pass_amend_approved(struct hp_db *db, struct hp_arena *arena,
                                         const char *id, const char *officer,
                                         struct hp_passes_written *revised);

/* A revision's content: every field, as the revision will stand. */
struct hp_revision_input {
    const char *plate;
    const char **zone_ids;
    int nzones;
    const char *corridor; /* GeoJSON LineString or NULL */
    int width_m;
    const char *valid_from, *valid_to, *hours;
    /* The revision these fields were merged from: the change applies only
     * while it is still the current one (0: no such check). */
    int base_revision;
};

enum hp_direct_outcome {
    HP_DIRECT_DONE,
    HP_DIRECT_NOT_AMENDABLE, /* revoked or expired */
    HP_DIRECT_OPEN,          /* an amendment application is open */
    HP_DIRECT_MOVED,         /* another revision was made since base_revision */
    HP_DIRECT_BAD_PLATE,     /* not a vehicle of the holder */
    HP_DIRECT_BAD_ZONE,      /* *bad_zone: the first zone not live */
};

/* An officer's amendment of pass code, without an application: checks the
 * plate (a vehicle of holder_org) and the zones, then revises; the new
 * revision keeps the pass's status. On HP_DIRECT_DONE *revised is the new
 * revision, to sign (as hp_pass_amend_approved). */
enum hp_db_status hp_pass_amend_direct(struct hp_db *db, struct hp_arena *arena,
                                       const char *code, const char *holder_org,
                                       const char *actor, const char *reason,
                                       const struct hp_revision_input *in,
                                       enum hp_direct_outcome *outcome, int *bad_zone,
                                       struct hp_passes_written *revised);

/* One revision of a pass, for GET /v1/passes/{code}/revisions. */
struct hp_pass_revision {
    int revision;
    const char *plate, *status; /* status: the current one's, or "superseded" */
    const char *zone_ids;       /* JSON array text */
    const char *corridor;       /* GeoJSON LineString or NULL */
    int corridor_width_m;
    const char *valid_from, *valid_to, *hours, *signed_code;
    int64_t started_us, superseded_us; /* superseded_us 0: current */
    const char *application_id, *changed_by, *reason; /* or NULL */
    const char *changes;        /* JSON array text of field names */
};

/* Every revision of pass code, oldest first, *n of them (arena memory). */
enum hp_db_status hp_pass_revisions(struct hp_db *db, struct hp_arena *arena, const char *code,
                                    struct hp_pass_revision **out, int *n);

#endif
