/*
 * Where Idempotency-Key answers are kept (idempotency.h says what the keys
 * mean): claims, stored answers and released keys, in PostgreSQL.
 */
#ifndef HAULPASS_IDEMPOTENCY_STORE_H
#define HAULPASS_IDEMPOTENCY_STORE_H

#include "haulpass/db.h"

#include <stddef.h>

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
