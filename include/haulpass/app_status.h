/* The life of a pass application (docs/contract.md §7): its statuses and the one
 * table of allowed changes. Pure; sql/004_applications.sql holds the same
 * table and a trigger that refuses any other change, and
 * tests/api/test_app_transitions.c holds the two equal. */
#ifndef HAULPASS_APP_STATUS_H
#define HAULPASS_APP_STATUS_H

#include <stdbool.h>

enum hp_app_status {
    HP_APP_AWAITING_ENDORSEMENT,
    HP_APP_QUEUED,
    HP_APP_IN_REVIEW,
    HP_APP_APPROVED,
    HP_APP_APPROVED_PROVISIONAL,
    HP_APP_REJECTED,
    HP_APP_WITHDRAWN,
    HP_APP_STATUS_COUNT,
};

/* The status's name as the API and the schema spell it; NULL when out of range. */
const char *hp_app_status_name(enum hp_app_status s);

/* The status named s; false (and *out untouched) for an unknown name or NULL. */
bool hp_app_status_parse(const char *s, enum hp_app_status *out);

/* Whether an application may go from `from` to `to` (never to itself). */
bool hp_app_status_allowed(enum hp_app_status from, enum hp_app_status to);

/* Whether s is a decision (approved, approved_provisional, rejected) or
 * withdrawn: no change leaves it. */
bool hp_app_status_final(enum hp_app_status s);

/* Working days to a decision for a pass type (docs/contract.md §7), halved (rounded
 * down) for fast track; -1 for an unknown type. */
int hp_app_due_days(const char *type, bool fast_track);

/* The longest validity of a pass type in days, both ends included
 * (temporary 3, the others 90); 0 for an unknown type. */
int hp_app_max_days(const char *type);

#endif
