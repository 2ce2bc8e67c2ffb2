/*
 * Sign-in in the database: passwords, sessions and the count of wrong
 * passwords per name (sql/010_sessions.sql). A session's token is a bearer
 * token like a machine's; only its SHA-256 is stored. Strings in results
 * are arena memory.
 */
#ifndef HAULPASS_SESSIONS_H
#define HAULPASS_SESSIONS_H

#include "haulpass/db.h"
#include "haulpass/principal.h"

#include <stdint.h>

/* A session ends this long after its last use. */
#define HP_SESSION_IDLE_S (8 * 3600)
/* Wrong passwords in a row that lock a name, and for how long. */
#define HP_SIGN_IN_FAILURES 5
#define HP_SIGN_IN_LOCK_S (15 * 60)

/* What a sign-in needs to know of a name. */
struct hp_sign_in {
    const char *user_id;       /* NULL: no user has this name */
    const char *name, *role, *org_id;
    const char *password_hash; /* NULL: no password set */
    int locked_for_s;          /* > 0: the name is locked for that long */
};

/* The caller of a live session whose token hashes to hash_hex, and the
 * session's new end in *expires_us: its last use becomes now (sliding).
 * HP_DB_NO_ROWS when there is no such session or it has expired. */
enum hp_db_status hp_sessions_principal(struct hp_db *db, struct hp_arena *arena,
                                        const char *hash_hex, struct hp_principal *out);

/* The user named name (if any) and whether the name is locked; always one
 * row, so HP_DB_ROWS unless the database failed. */
enum hp_db_status hp_sessions_sign_in_state(struct hp_db *db, struct hp_arena *arena,
                                            const char *name, struct hp_sign_in *out);

/* Counts a wrong password for name (the HP_SIGN_IN_FAILURES-th in a row
 * locks it). *locked_for_s > 0 when the name was locked already (by
 * attempts sent at the same time): then nothing was counted, and the answer
 * must be the lock's, so that it tells nothing of this password. */
enum hp_db_status hp_sessions_failed(struct hp_db *db, struct hp_arena *arena,
                                     const char *name, int *locked_for_s);

/* Opens a session of user_id (whose name is name, whose count of failures
 * ends) with the token hashing to hash_hex; *expires_us is its end. Also
 * drops sessions that have expired, and counts of wrong passwords (of any
 * name, most of them names nobody has) last added to a day ago and not
 * locking anything. HP_DB_NO_ROWS when the name has been
 * locked since its state was read (attempts sent at the same time). */
enum hp_db_status hp_sessions_open(struct hp_db *db, struct hp_arena *arena,
                                   const char *user_id, const char *name,
                                   const char *hash_hex, int64_t *expires_us);

/* Ends the session whose token hashes to hash_hex; HP_DB_NO_ROWS when the
 * token is no session's (a machine token, or one already ended). */
enum hp_db_status hp_sessions_close(struct hp_db *db, struct hp_arena *arena,
                                    const char *hash_hex);

/* Sets the password of user_id to password_hash (stored form, password.h),
 * ends every session of the user but the one whose token hashes to
 * keep_hex (NULL: all), clears the name's failures, and records it in the
 * audit trail as actor_id's (NULL: the command line). HP_DB_NO_ROWS when
 * there is no such user. */
enum hp_db_status hp_sessions_set_password(struct hp_db *db, struct hp_arena *arena,
                                           const char *actor_id, const char *user_id,
                                           const char *password_hash, const char *keep_hex);

#endif
