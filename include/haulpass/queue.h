/* The review queue in the database: claims with a 15-minute lease taken
 * with FOR UPDATE SKIP LOCKED, decisions that issue passes in the same
 * transaction, and the queue's figures. Strings are arena memory. */
#ifndef HAULPASS_QUEUE_H
#define HAULPASS_QUEUE_H

#include "haulpass/applications.h"
#include "haulpass/db.h"

/* Hands officer the next claimable application (queued, or in review with
 * an expired lease) in the order of API.md §7 and holds it 15 minutes;
 * HP_DB_NO_ROWS when there is none. Two callers never get the same one. */
enum hp_db_status hp_queue_claim(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                 struct hp_application *out);

/* Up to limit open applications (queued or in review) in the order officer
 * would claim them. */
enum hp_db_status hp_queue_list(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                int limit, struct hp_application *out, int *n);

/* A checked decision. */
struct hp_decision {
    const char *decision;          /* approve | approve_provisional | reject */
    const char *reason;            /* may be NULL unless reject */
    const char *missing_documents; /* JSON array text, approve_provisional only */
    const char *documents_due_us;  /* µs text, approve_provisional only */
    const char *codes;             /* JSON array of pass codes, one per plate */
};

enum hp_decide_outcome {
    HP_DECIDE_DONE,
    HP_DECIDE_NOT_FOUND,
    HP_DECIDE_NOT_HOLDER,   /* not in review, or the claim is someone else's or expired */
    HP_DECIDE_BAD_DOCUMENT, /* see bad_document */
    HP_DECIDE_FEW_CODES,    /* codes holds fewer codes than the application plates */
};

/* Decides application id for officer, who must hold its live claim;
 * approval issues a pass per plate (codes in order). On
 * HP_DECIDE_BAD_DOCUMENT *bad_document is the index in missing_documents
 * of a name that is not an unprovided document of the application. */
enum hp_db_status hp_queue_decide(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *officer, const struct hp_decision *d,
                                  enum hp_decide_outcome *outcome, int *bad_document,
                                  struct hp_application *out);

/* The number of plates of application id (for the codes to make); 0 when
 * there is no such application. */
enum hp_db_status hp_queue_plate_count(struct hp_db *db, struct hp_arena *arena, const char *id,
                                       int *n);

/* Open and overdue applications: one row (open, overdue). */
enum hp_db_status hp_queue_depth(struct hp_db *db, struct hp_arena *arena, PGresult **totals);

/* Figures: one row (open, overdue), then a result of type, decided,
 * median_hours (or NULL), within_deadline_share (or NULL), per type. */
enum hp_db_status hp_queue_stats(struct hp_db *db, struct hp_arena *arena, PGresult **totals,
                                 PGresult **per_type);

#endif
