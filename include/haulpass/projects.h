/* Major projects in the database. Each write appends to the audit trail
 * (entity "project") in the same statement. Strings in results are arena
 * memory. */
#ifndef HAULPASS_PROJECTS_H
#define HAULPASS_PROJECTS_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

struct hp_project {
    const char *id, *name, *level, *site_org_id, *liaison_officer_id;
    const char *location; /* GeoJSON text */
    const char *valid_to; /* YYYY-MM-DD */
    int version;
    int64_t created_us, updated_us;
};

/* Checked fields to write; in a patch NULL leaves a field as it is.
 * location is a GeoJSON Point or Polygon text (altitudes are dropped). */
struct hp_project_input {
    const char *name, *level, *site_org_id, *liaison_officer_id, *location, *valid_to;
};

enum hp_project_outcome {
    HP_PROJECT_DONE,
    HP_PROJECT_BAD_REFS, /* see site_ok and officer_ok */
    HP_PROJECT_MISSING,  /* patch: no such project */
    HP_PROJECT_STALE,    /* patch: If-Match named another version */
};

struct hp_project_result {
    enum hp_project_outcome outcome;
    bool site_ok;    /* site_org_id names an organisation of kind site */
    bool officer_ok; /* liaison_officer_id names a user whose role is officer */
};

/* Creates the project of in (every field given). */
enum hp_db_status hp_projects_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const struct hp_project_input *in,
                                     struct hp_project_result *res, struct hp_project *out);

/* The project with id, of the site organisation site_org_id only unless it
 * is NULL; HP_DB_NO_ROWS when none. */
enum hp_db_status hp_projects_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *site_org_id, struct hp_project *out);

/* Up to limit projects in creation order after the one with id after
 * (NULL: from the first), of site_org_id only unless it is NULL. */
enum hp_db_status hp_projects_list(struct hp_db *db, struct hp_arena *arena,
                                   const char *site_org_id, const char *after, int limit,
                                   struct hp_project *out, int *n);

/* Changes the given fields of project id (site_org_id cannot change) when
 * its version is if_version (as hp_etag_if_match gives it: -1 or 0 any,
 * -2 none). Bumps the version. */
enum hp_db_status hp_projects_patch(struct hp_db *db, struct hp_arena *arena,
                                    const char *actor_id, const char *id,
                                    const struct hp_project_input *in, int if_version,
                                    struct hp_project_result *res, struct hp_project *out);

#endif
