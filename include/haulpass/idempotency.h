/*
 * Idempotency-Key (API.md section 2) for POST routes that create: a route
 * opts in with `idempotent` in the route table (src/api/routes.c). The
 * same user sending the same key with the same request (method, path,
 * query and body, compared by SHA-256) within 24 hours gets the first
 * answer again, status, body, Location and ETag included, and nothing is
 * created twice; another request under the same key is 422.
 *
 * The key's row is inserted in state "running" before the handler runs, so
 * of two concurrent requests with one key only one runs the handler; the
 * other is 409 idempotency-in-progress (with Retry-After) until the first
 * has answered. Answers of 500 and above are not kept: the key is free
 * again, so a retry after a failure runs anew. A "running" row left by a
 * process that died (or whose answer could not be stored) is taken over
 * after 2 minutes.
 *
 * The answer is stored through req->on_reply on the request's database
 * connection just before it is queued, so a handler under a key must reply
 * after its transaction has ended (as hp_db_tx callers do).
 */
#ifndef HAULPASS_IDEMPOTENCY_H
#define HAULPASS_IDEMPOTENCY_H

#include "haulpass/db.h"
#include "haulpass/router.h"

/* Longest key, in characters (printable ASCII). */
#define HP_IDEM_KEY_MAX 255

/* Runs handler for req, under its Idempotency-Key when it has one (else
 * just runs it). Always leaves a reply on req: 400 for a malformed key,
 * 422 for a key reused with another request, 409 while the first request
 * with the key runs, 503 when the database is away. */
void hp_idem_run(struct hp_request *req, hp_handler handler);

/* Whether key is 1 to HP_IDEM_KEY_MAX printable ASCII characters. */
bool hp_idem_key_valid(const char *key);

/* --- Storage (src/db/idempotency.c) ----------------------------------- */

enum hp_idem_state {
    HP_IDEM_CLAIMED,  /* the key is new (or expired): run the request */
    HP_IDEM_DONE,     /* answered before: replay the record */
    HP_IDEM_RUNNING,  /* the first request with the key still runs */
    HP_IDEM_MISMATCH, /* the key was used for another request */
};

/* A kept answer; strings are arena memory. headers is a JSON array of
 * [name, value] pairs. */
struct hp_idem_record {
    int status;
    const char *content_type, *headers, *body;
    size_t body_len;
};

/* Claims key for user_id and the request whose SHA-256 is hash_hex, or
 * tells what holds it (*rec filled for HP_IDEM_DONE). A claim also drops a
 * few keys older than 24 hours. */
enum hp_db_status hp_idem_claim(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                const char *key, const char *hash_hex,
                                enum hp_idem_state *state, struct hp_idem_record *rec);

/* Stores the answer to a claimed key (rec->headers may be NULL). */
enum hp_db_status hp_idem_finish(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                 const char *key, const struct hp_idem_record *rec);

/* Frees a claimed key that got no answer worth keeping. */
enum hp_db_status hp_idem_forget(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                 const char *key);

#endif
