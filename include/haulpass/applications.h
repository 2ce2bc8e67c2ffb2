/* Pass applications in the database. Every status change appends to
 * application_events and to the audit trail (entity "application") in the
 * same statement. Strings in results are arena memory. */
#ifndef HAULPASS_APPLICATIONS_H
#define HAULPASS_APPLICATIONS_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

/* A document an application lists, and whether it has been provided. */
struct hp_app_document {
    const char *name;
    bool provided;
};

struct hp_application {
    const char *id, *org_id, *applicant_id, *type, *status;
    const char **plates;               /* nplates of them, in normal form */
    const char **zone_ids;             /* nzones of them */
    struct hp_app_document *documents; /* ndocuments of them */
    const char **missing_documents;    /* nmissing of them; NULL until decided */
    int nplates, nzones, ndocuments, nmissing;
    const char *corridor;       /* GeoJSON LineString or NULL */
    int corridor_width_m;
    const char *valid_from, *valid_to; /* YYYY-MM-DD */
    const char *hours, *project_id, *note, *decision_reason, *claimed_by; /* or NULL */
    const char *project_site_org_id; /* NULL without a project */
    bool fast_track;
    const char *kind;      /* "new" or "amendment" */
    const char *pass_code, *reason; /* an amendment's pass and why; else NULL */
    const char *works;           /* road_occupation: JSON object text; else NULL */
    const char *roadworks_zone_id; /* the zone an approved one became; else NULL */
    const char *cargo;           /* oversize: JSON object text; else NULL */
    int64_t submitted_us, endorsed_us, due_us, claim_expires_us, decided_us,
        documents_due_us; /* 0: none */
};

/* Checked input of POST /v1/applications; plates in normal form. */
struct hp_application_input {
    const char *org_id, *applicant_id, *type;
    const char **plates;               /* nplates of them */
    const char **zone_ids;             /* nzones of them, UUIDs */
    struct hp_app_document *documents; /* ndocuments of them */
    int nplates, nzones, ndocuments;
    const char *corridor;  /* GeoJSON LineString or NULL */
    int width_m;           /* 0 without a corridor */
    const char *valid_from, *valid_to, *hours, *project_id, *note;
    /* An amendment of pass_code, with its reason: it keeps the pass's
     * project and fast_track (set by the caller) and enters the queue. */
    const char *pass_code, *reason;
    bool fast_track;
    /* A road-occupation permit's works: what was sent (JSON object text),
     * its area (GeoJSON Polygon or LineString) and, for a line, its width. */
    const char *works, *works_area;
    int works_width_m;
    /* An oversize application's cargo (docs/contract.md §13): what was
     * sent, {length_mm, width_mm, height_mm, mass_kg} as JSON object text;
     * NULL for the other types. */
    const char *cargo;
};

/* What create found wrong: indexes (-1 ended) of plates not the org's and
 * of zones unknown or retired, and whether the project exists. */
struct hp_application_refusal {
    int *bad_plates, *bad_zones;
    bool project_missing;
};

/* Creates the application of in inside one transaction: checks plates,
 * zones and project; computes fast track and, when it enters the queue at
 * once, due_at from the calendar in the database. HP_DB_NO_ROWS with
 * refusal filled when something was wrong. */
enum hp_db_status hp_applications_create(struct hp_db *db, struct hp_arena *arena,
                                         const struct hp_application_input *in,
                                         struct hp_application_refusal *refusal,
                                         struct hp_application *out);

/* The application id as seen by org_id (NULL: every one; else the org's
 * own, and for a site those naming its projects); HP_DB_NO_ROWS when none. */
enum hp_db_status hp_applications_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      const char *org_id, struct hp_application *out);

/* One change of an application's status. */
struct hp_application_event {
    int64_t at_us;
    const char *actor_id, *from, *reason; /* or NULL */
    const char *to;
};

struct hp_application_history {
    struct hp_application_event *events; /* arena memory */
    int n;
};

/* Its history, oldest first. */
enum hp_db_status hp_applications_history(struct hp_db *db, struct hp_arena *arena,
                                          const char *id, struct hp_application_history *out);

/* Up to limit applications in submission order after the one with id
 * after, visible to org_id as in get, of status only unless NULL. */
enum hp_db_status hp_applications_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *org_id, const char *status,
                                       const char *after, int limit,
                                       struct hp_application *out, int *n);

enum hp_app_change_outcome {
    HP_APP_CHANGED,
    HP_APP_NOT_FOUND,  /* none the caller may see */
    HP_APP_FORBIDDEN,  /* visible, but the caller may not make this change */
    HP_APP_CONFLICT,   /* the status does not allow the change */
};

/* Withdraws application id of org_id for actor (awaiting endorsement or
 * queued only). */
enum hp_db_status hp_applications_withdraw(struct hp_db *db, struct hp_arena *arena,
                                           const char *id, const char *org_id,
                                           const char *actor, const char *reason,
                                           enum hp_app_change_outcome *outcome,
                                           struct hp_application *out);

/* Endorses application id for actor of site organisation org_id, which
 * must be the site of the application's project: it enters the queue on
 * the fast track, due_at counted from now. */
enum hp_db_status hp_applications_endorse(struct hp_db *db, struct hp_arena *arena,
                                          const char *id, const char *org_id,
                                          const char *actor, enum hp_app_change_outcome *outcome,
                                          struct hp_application *out);

#endif
