/*
 * Idempotency-Key (docs/contract.md section 2) for POST routes that create: a route
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

#endif
