/* The review queue in the database: claims with a 15-minute lease taken
 * with FOR UPDATE SKIP LOCKED, decisions that issue passes in the same
 * transaction, and the queue's figures. Strings are arena memory. */
#ifndef HAULPASS_QUEUE_H
#define HAULPASS_QUEUE_H

#include "haulpass/applications.h"
#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

/* Hands officer the next claimable application (queued, or in review with
 * an expired lease) in the order of docs/contract.md §7 and holds it 15 minutes;
 * HP_DB_NO_ROWS when there is none. Two callers never get the same one. */
enum hp_db_status hp_queue_claim(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                 struct hp_application *out);

/* Up to limit open applications (queued or in review) in the order officer
 * would claim them. */
enum hp_db_status hp_queue_list(struct hp_db *db, struct hp_arena *arena, const char *officer,
                                int limit, struct hp_application *out, int *n);

struct hp_signing_key;

enum hp_decision_kind {
    HP_DECISION_APPROVE,
    HP_DECISION_APPROVE_PROVISIONAL,
    HP_DECISION_REJECT,
};

/* A checked decision; the caller owns the strings. */
struct hp_decision {
    enum hp_decision_kind kind;
    const char *reason;                   /* may be NULL unless a rejection */
    const char *const *missing_documents; /* provisional approval only, */
    int nmissing;                         /* at least one */
    int64_t documents_due_us;             /* provisional approval only; else 0 */
};

enum hp_decide_outcome {
    HP_DECIDE_DONE,
    HP_DECIDE_NOT_FOUND,
    HP_DECIDE_NOT_HOLDER,   /* not in review, or the claim is someone else's or expired */
    HP_DECIDE_BAD_DOCUMENT, /* see bad_document */
    HP_DECIDE_EXTENSION_LIMIT, /* approving the amendment would extend its pass a third time */
};

/* Decides application id for officer, who must hold its live claim, inside
 * the caller's transaction. The row is locked first; an approval then makes
 * one pass code per plate (of this year, pass_code.h) and issues the
 * passes, each with its code signed by key (signed before they are
 * written, passes.h hp_passes_sign_ahead; an amendment's revision once it
 * is written, hp_passes_sign_written; none when key is NULL or retired). On HP_DECIDE_BAD_DOCUMENT *bad_document is the index in
 * missing_documents of a name that is not, once, an unprovided document
 * of the application. HP_DB_HARD_ERROR when no randomness could be had for
 * the codes. */
enum hp_db_status hp_queue_decide(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *officer, const struct hp_decision *d,
                                  const struct hp_signing_key *key,
                                  enum hp_decide_outcome *outcome, int *bad_document,
                                  struct hp_application *out);

/* Open applications (queued or in review), and of those the overdue. */
struct hp_queue_depth {
    int open, overdue;
};

/* The figures of one application type. */
struct hp_queue_type_stats {
    const char *type; /* arena memory */
    int decided;
    bool has_median, has_share; /* false: nothing decided to count */
    double median_hours;        /* from submission (or endorsement) to decision */
    double within_deadline_share;
};

/* Every application type, in the order of docs/contract.md, road_occupation
 * (§13) last. */
#define HP_QUEUE_TYPES 6

enum hp_db_status hp_queue_depth(struct hp_db *db, struct hp_arena *arena,
                                 struct hp_queue_depth *out);

/* The depth, and the figures of each type: *n of them in per_type. */
enum hp_db_status hp_queue_stats(struct hp_db *db, struct hp_arena *arena,
                                 struct hp_queue_depth *totals,
                                 struct hp_queue_type_stats per_type[HP_QUEUE_TYPES], int *n);

#endif
