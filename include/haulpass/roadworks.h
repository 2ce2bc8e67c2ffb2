/*
 * Road works (docs/contract.md §13): an approved road-occupation
 * application becomes a zone of kind roadworks whose one rule closes the
 * road to the works' classes in their dates and hours, liftable by no pass;
 * it retires itself after its last day. The SQL only.
 */
#ifndef HAULPASS_ROADWORKS_H
#define HAULPASS_ROADWORKS_H

#include "haulpass/db.h"

/* After application id (road_occupation) was approved by officer: opens
 * its roadworks zone, audited; HP_DB_NO_ROWS when it is no such
 * application. Inside the caller's transaction. */
enum hp_db_status hp_roadworks_open(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    const char *officer);

/* After officer retired zone_id (DELETE /v1/zones/{id}, or POST
 * /v1/applications/{id}/revoke): when it is a roadworks zone, the permit
 * it came from is revoked with reason (or NULL), in its history (to
 * "revoked"; its status stays the decision's) and the audit trail. Inside
 * the caller's transaction, the retirement's. */
enum hp_db_status hp_roadworks_revoked(struct hp_db *db, struct hp_arena *arena,
                                       const char *zone_id, const char *officer,
                                       const char *reason);

/* Retires the roadworks zones whose last day is before today (local
 * YYYY-MM-DD). Run lazily before zone and pass reads, like the sweep of
 * passes (no background thread). */
enum hp_db_status hp_roadworks_sweep(struct hp_db *db, struct hp_arena *arena, const char *today);

#endif
