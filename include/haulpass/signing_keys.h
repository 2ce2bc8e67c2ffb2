/* The deployment's public signing keys in the database (signing_keys
 * table): published by `haulpass keys generate` and by `haulpass serve`
 * for the key it loads, listed at GET /v1/keys, retired by `haulpass keys
 * retire`. Strings are arena memory. */
#ifndef HAULPASS_SIGNING_KEYS_H
#define HAULPASS_SIGNING_KEYS_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

struct hp_signing_key;

struct hp_key_row {
    const char *kid, *public_key; /* 8 hex digits; base64url of 32 bytes */
    int64_t not_before_us, retired_us; /* retired_us 0: in use */
};

/* Records key's public half (nothing when it is known already). */
enum hp_db_status hp_signing_keys_publish(struct hp_db *db, struct hp_arena *arena,
                                          const struct hp_signing_key *key);

/* Every key, oldest first: *n of them, at most max. */
enum hp_db_status hp_signing_keys_list(struct hp_db *db, struct hp_arena *arena,
                                       struct hp_key_row *out, int max, int *n);

/* Retires key kid now; HP_DB_NO_ROWS when there is no such key in use. */
enum hp_db_status hp_signing_keys_retire(struct hp_db *db, struct hp_arena *arena,
                                         const char *kid);

#endif
