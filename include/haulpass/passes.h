/* Passes in the database: one per plate of an approved application
 * (issued by hp_queue_decide), revocation, documents supplied after a
 * provisional approval, and the sweep that suspends and expires them.
 * Strings are arena memory. */
#ifndef HAULPASS_PASSES_H
#define HAULPASS_PASSES_H

#include "haulpass/db.h"

#include <stdint.h>

struct hp_pass {
    const char *code, *plate, *type, *status, *application_id;
    const char **zone_ids;  /* nzones of them */
    int nzones;
    const char *corridor;   /* GeoJSON LineString or NULL */
    int corridor_width_m;
    const char *valid_from, *valid_to; /* YYYY-MM-DD */
    const char *hours, *project_id, *revoke_reason; /* or NULL */
    int64_t issued_us, documents_due_us, revoked_us; /* 0: none */
};

/* Marks provisional passes whose documents_due has passed suspended, and
 * passes whose valid_to is before today (local YYYY-MM-DD) expired. Run
 * lazily before pass reads and claims (no background thread). */
enum hp_db_status hp_passes_sweep(struct hp_db *db, struct hp_arena *arena, const char *today);

/* Up to limit passes in issue order after the one with code after, of
 * plate only unless NULL, visible to org_id (NULL: all; else passes of its
 * applications or its vehicles). */
enum hp_db_status hp_passes_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                 const char *plate, const char *after, int limit,
                                 struct hp_pass *out, int *n);

/* The pass code as org_id sees it (see list); HP_DB_NO_ROWS when none. */
enum hp_db_status hp_passes_get(struct hp_db *db, struct hp_arena *arena, const char *code,
                                const char *org_id, struct hp_pass *out);

/* Revokes pass code (active, provisional or suspended) for actor with
 * reason, audited. HP_DB_NO_ROWS when there is no such pass; *changed is
 * false when its status does not allow it (out is then the pass as is). */
enum hp_db_status hp_passes_revoke(struct hp_db *db, struct hp_arena *arena, const char *code,
                                   const char *actor, const char *reason, bool *changed,
                                   struct hp_pass *out);

enum hp_supply_outcome {
    HP_SUPPLY_DONE,
    HP_SUPPLY_NOT_FOUND,   /* not an application of org_id */
    HP_SUPPLY_NOT_MISSING, /* name is not a missing document of it */
};

/* Marks document name of application id (of org_id) provided, audited as
 * actor's. When every missing document is then provided, the
 * application's provisional passes become active (or, when today, a local
 * YYYY-MM-DD, is past their valid_to or their documents_due has passed,
 * expired or suspended, as the sweep would have made them). */
enum hp_db_status hp_passes_supply(struct hp_db *db, struct hp_arena *arena, const char *id,
                                   const char *org_id, const char *actor, const char *name,
                                   const char *today,
                                   enum hp_supply_outcome *outcome);

#endif
