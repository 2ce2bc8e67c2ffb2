/* How src/db reads an application row: the columns, and the reader. The
 * SQL stays in src/db; the rest of the service sees struct hp_application
 * only. */
#ifndef HAULPASS_DB_APPLICATION_ROW_H
#define HAULPASS_DB_APPLICATION_ROW_H

#include "haulpass/applications.h"

#include <libpq-fe.h>

/* The columns hp_applications_read reads, of a row named a. */
#define HP_APP_COLS                                                                     \
    "a.id, a.org_id, a.applicant_id, a.type, a.status, to_json(a.plates)::text,"        \
    " to_json(a.zone_ids)::text, a.documents::text, to_json(a.missing_documents)::text," \
    " ST_AsGeoJSON(a.corridor_route, 15), a.corridor_width_m,"                          \
    " to_char(a.valid_from, 'YYYY-MM-DD'), to_char(a.valid_to, 'YYYY-MM-DD'), a.hours,"  \
    " a.project_id, a.note, a.decision_reason, a.claimed_by,"                           \
    " (SELECT site_org_id FROM projects WHERE id = a.project_id), a.fast_track,"        \
    " hp_us(a.submitted_at), hp_us(a.endorsed_at), hp_us(a.due_at),"                    \
    " hp_us(a.claim_expires_at), hp_us(a.decided_at), hp_us(a.documents_due),"          \
    " a.kind, a.pass_code, a.reason, a.works::text,"                                    \
    " (SELECT z.id FROM zones z WHERE z.application_id = a.id), a.cargo::text"

/* Reads the HP_APP_COLS of row into a (pointing into r, and into arena
 * for the arrays); the number of columns read, where a statement's own
 * columns after HP_APP_COLS begin. */
int hp_applications_read(struct hp_arena *arena, const PGresult *r, int row,
                         struct hp_application *a);

#endif
