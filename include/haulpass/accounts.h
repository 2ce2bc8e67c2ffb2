/* Organisations, users and their tokens in the database. Each write also
 * appends to the audit trail in the same statement. actor_id NULL: the
 * command line. Strings in results are arena memory. */
#ifndef HAULPASS_ACCOUNTS_H
#define HAULPASS_ACCOUNTS_H

#include "haulpass/db.h"
#include "haulpass/principal.h"

#include <stdint.h>

struct hp_org {
    const char *id, *name, *kind;
    int64_t created_us;
};

struct hp_user {
    const char *id, *name, *role, *org_id;
    int64_t created_us;
};

/* The caller of a token whose SHA-256 is hash_hex; HP_DB_NO_ROWS when none. */
enum hp_db_status hp_accounts_principal(struct hp_db *db, struct hp_arena *arena,
                                        const char *hash_hex, struct hp_principal *out);

/* A new organisation; HP_DB_HARD_ERROR with SQLSTATE 23505 when the name is taken. */
enum hp_db_status hp_accounts_org_create(struct hp_db *db, struct hp_arena *arena,
                                         const char *actor_id, const char *name,
                                         const char *kind, struct hp_org *out);

/* The organisation of this name; HP_DB_NO_ROWS when none. */
enum hp_db_status hp_accounts_org_by_name(struct hp_db *db, struct hp_arena *arena,
                                          const char *name, struct hp_org *out);

/* The organisation with this id (a UUID); HP_DB_NO_ROWS when none. */
enum hp_db_status hp_accounts_org_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      struct hp_org *out);

/* Up to limit organisations after the one with id after (NULL: from the
 * start), in creation order; *n is how many were stored in out. */
enum hp_db_status hp_accounts_org_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *after, int limit, struct hp_org *out,
                                       int *n);

/* A new user of org_id with the token whose hash is hash_hex and, unless
 * password_hash is NULL, that password (in the caller's transaction: run it
 * under hp_db_tx). HP_DB_NO_ROWS
 * when the organisation does not exist; HP_DB_HARD_ERROR with SQLSTATE 23514
 * (constraint users_role_suits_org) when the role does not suit it. */
enum hp_db_status hp_accounts_user_create(struct hp_db *db, struct hp_arena *arena,
                                          const char *actor_id, const char *org_id,
                                          const char *name, const char *role,
                                          const char *hash_hex, const char *password_hash,
                                          struct hp_user *out);

/* Replaces the token of user_id; HP_DB_NO_ROWS when there is no such user. */
enum hp_db_status hp_accounts_token_rotate(struct hp_db *db, struct hp_arena *arena,
                                           const char *actor_id, const char *user_id,
                                           const char *hash_hex);

/* Up to limit users after the one with id after (NULL: from the start), of
 * org_id (NULL: every organisation), in creation order; *n is how many were
 * stored in out. */
enum hp_db_status hp_accounts_user_list(struct hp_db *db, struct hp_arena *arena,
                                        const char *org_id, const char *after, int limit,
                                        struct hp_user *out, int *n);

#endif
