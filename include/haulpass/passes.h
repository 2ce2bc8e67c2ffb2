/* Passes in the database: one per plate of an approved application
 * (issued by hp_queue_decide), revocation, documents supplied after a
 * provisional approval, and the sweep that suspends and expires them.
 * Strings are arena memory. */
#ifndef HAULPASS_PASSES_H
#define HAULPASS_PASSES_H

#include "haulpass/db.h"

#include <stdbool.h>
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
    int revision;
    const char *signed_code; /* NULL until signed (hp_passes_sign) */
    /* The current revision (docs/contract.md §13): when it started (0:
     * revision 1, at issued_us), who made it and from which amendment
     * application (NULL: revision 1, or an officer's direct amendment),
     * why, and the fields it changed (a JSON array text). */
    int64_t revised_us;
    const char *revised_by, *revision_application_id, *revise_reason, *revise_changes;
    int extensions;          /* revisions that only moved valid_to later */
    const char *holder_org_id; /* the organisation that applied for it */
    bool fast_track;         /* its application's */
    const char *cargo;       /* an oversize load's (JSON object text), or NULL */
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

struct hp_signing_key;

/* Signs the passes without a signed code of application_id (or the pass
 * code; the other NULL) with key, inside the caller's transaction, when
 * key is published and not retired (a retired key signs nothing new).
 * HP_DB_NO_ROWS when nothing was signed (no key, a retired key, nothing
 * unsigned). Reads the passes first: for a pass found unsigned later; the
 * statements that write passes sign with hp_passes_sign_ahead or
 * hp_passes_sign_written. */
enum hp_db_status hp_passes_sign(struct hp_db *db, struct hp_arena *arena,
                                 const struct hp_signing_key *key, const char *application_id,
                                 const char *code);

/* Passes a statement has just written, as it wrote them: n passes that
 * share everything but their code and plate (the passes of one decision,
 * or one new revision). The strings belong to the caller. */
struct hp_passes_written {
    const char *const *codes, *const *plates; /* n of each */
    int n;
    const char *type, *valid_from, *valid_to; /* YYYY-MM-DD */
    const char *const *zone_ids;              /* nzones of them */
    int nzones;
    const char *corridor; /* GeoJSON LineString (ST_AsGeoJSON(…, 15)) or NULL */
    int corridor_width_m;
    const char *hours;    /* or NULL */
    int revision;
    int64_t issued_us;    /* when the revision started (revision 1: issued_at) */
};

/* The codes of passes signed in memory, for the statement that writes
 * them: two JSON arrays of the same length (the pass codes, and their
 * signed codes "HP1:…"), the key's id and its public key (base64url), all
 * arena memory. n is 0 when nothing was signed (no key, no passes). */
struct hp_passes_signed {
    const char *codes_json, *texts_json;
    const char *kid_hex, *public_key;
    int n;
};

/* Signs the passes of w with key in memory, before a statement writes
 * them (passes that do not fit the layout are left out, with a warning).
 * The statement stores them only while the key is not retired, and
 * publishes the key (the foreign key of passes.kid) in the same statement.
 * False when out of memory. */
bool hp_passes_sign_ahead(struct hp_arena *arena, const struct hp_signing_key *key,
                          const struct hp_passes_written *w, struct hp_passes_signed *out);

/* Signs the passes of w with key and stores their codes in one UPDATE,
 * inside the caller's transaction, without reading them back: what
 * hp_passes_sign would sign for them, for a statement that returned what
 * it wrote. HP_DB_NO_ROWS when nothing was signed (no key, a retired key,
 * no passes, a pass already signed). */
enum hp_db_status hp_passes_sign_written(struct hp_db *db, struct hp_arena *arena,
                                         const struct hp_signing_key *key,
                                         const struct hp_passes_written *w);

/* A signing key and a pass as they stand now, for verification. */
struct hp_pass_now {
    const char *public_key;   /* base64url */
    int64_t key_retired_us;   /* 0: in use */
    bool found;               /* the pass exists; the rest only then */
    int revision;
    const char *status;       /* as the sweep would make it today */
    const char *plate, *type, *valid_from, *valid_to, *hours;
    int64_t documents_due_us;
    const char **zone_names;
    int nzone_names;
    bool has_corridor;
};

/* Key kid and pass code (today: local YYYY-MM-DD); HP_DB_NO_ROWS when no
 * key has that id. hours, zone_names and has_corridor are those of the
 * code's printed revision when a later one superseded it. One statement,
 * no write. */
enum hp_db_status hp_passes_verify_lookup(struct hp_db *db, struct hp_arena *arena,
                                          const char *kid, const char *code, int revision,
                                          const char *today, struct hp_pass_now *out);

/* One shape of a pass's map (SVG path data, y pointing down). */
struct hp_pass_shape {
    const char *name; /* the zone's name; NULL for the corridor */
    const char *path;
};

struct hp_pass_extent {
    double min_x, min_y, width, height; /* a view box of every shape */
};

/* The map of pass code: its zones in the pass's order, then its corridor
 * buffered to its width, *n of them (at most max), in units where x is
 * longitude scaled by the cosine of their middle latitude and y is minus
 * the latitude. HP_DB_NO_ROWS when it has neither. */
enum hp_db_status hp_passes_map(struct hp_db *db, struct hp_arena *arena, const char *code,
                                int max, struct hp_pass_shape *out, int *n,
                                struct hp_pass_extent *extent);

struct hp_revocation {
    const char *code, *status; /* revoked or suspended */
    int revision;
    int64_t at_us;
};

/* Up to max passes revoked or suspended at or after since_us, oldest first. */
enum hp_db_status hp_passes_revocations(struct hp_db *db, struct hp_arena *arena,
                                        int64_t since_us, int max,
                                        struct hp_revocation *out, int *n);

#endif
