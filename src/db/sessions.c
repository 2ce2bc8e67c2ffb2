/* SQL of sign-in: passwords, sessions, wrong passwords by name (sessions.h). */
#include "haulpass/sessions.h"

#include "haulpass/accounts.h"
#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

#include "principal_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDLE "interval '8 hours'"

/* The last use moves at most once a minute, so a busy console does not
 * write on every request. */
static struct hp_sql principal_sql = HP_SQL("session_principal",
    "WITH s AS (SELECT user_id FROM sessions"
    "            WHERE token_hash = decode($1, 'hex')"
    "              AND last_used_at > clock_timestamp() - " IDLE "),"
    "     t AS (UPDATE sessions SET last_used_at = clock_timestamp()"
    "            WHERE token_hash = decode($1, 'hex')"
    "              AND last_used_at > clock_timestamp() - " IDLE
    "              AND last_used_at < clock_timestamp() - interval '1 minute')"
    "SELECT u.id, u.org_id, u.name, o.name, o.kind, u.role"
    "  FROM s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id");

enum hp_db_status hp_sessions_principal(struct hp_db *db, struct hp_arena *arena,
                                        const char *hash_hex, struct hp_principal *out)
{
    PGresult *r;
    const char *params[] = {hash_hex};
    enum hp_db_status st = hp_db_exec(db, arena, &principal_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        hp_accounts_read_principal(r, out); /* the same columns as a machine's */
    return st;
}

static struct hp_sql state_sql = HP_SQL("sign_in_state",
    "SELECT u.id, u.name, u.role, u.org_id, u.password_hash,"
    "       ceil(extract(epoch FROM f.locked_until - clock_timestamp()))::int"
    "  FROM (SELECT $1::text AS name) n"
    "  LEFT JOIN users u ON u.name = n.name"
    "  LEFT JOIN sign_in_failures f ON f.name = n.name"
    "        AND f.locked_until > clock_timestamp()");

enum hp_db_status hp_sessions_sign_in_state(struct hp_db *db, struct hp_arena *arena,
                                            const char *name, struct hp_sign_in *out)
{
    PGresult *r;
    const char *params[] = {name};
    enum hp_db_status st = hp_db_exec(db, arena, &state_sql, 1, params, &r);
    if (st != HP_DB_ROWS)
        return st < 0 ? st : HP_DB_HARD_ERROR;
    out->user_id = hp_db_text(r, 0, 0);
    out->name = hp_db_text(r, 0, 1);
    out->role = hp_db_text(r, 0, 2);
    out->org_id = hp_db_text(r, 0, 3);
    out->password_hash = hp_db_text(r, 0, 4);
    out->locked_for_s = (int)hp_db_int64(r, 0, 5);
    return st;
}

/* The count goes up by one, or starts at one when the last lock has ended;
 * the HP_SIGN_IN_FAILURES-th sets the lock and starts the count afresh. A
 * wrong password while the name is locked (one sent alongside those that
 * locked it) changes nothing and says so. The row is locked by the upsert,
 * so concurrent failures are all counted. */
static struct hp_sql failed_sql = HP_SQL("sign_in_failed",
    "INSERT INTO sign_in_failures AS f (name, failures, last_failed_at)"
    "VALUES ($1, 1, statement_timestamp()) "
    "ON CONFLICT (name) DO UPDATE SET"
    "  failures = CASE WHEN f.locked_until > statement_timestamp() THEN f.failures"
    "                  WHEN f.locked_until <= statement_timestamp() THEN 1"
    "                  WHEN f.failures + 1 >= $2::int THEN 0"
    "                  ELSE f.failures + 1 END,"
    "  locked_until = CASE WHEN f.locked_until > statement_timestamp() THEN f.locked_until"
    "                      WHEN f.locked_until IS NULL AND f.failures + 1 >= $2::int"
    "                      THEN statement_timestamp() + make_interval(secs => $3::int) END,"
    "  last_failed_at = CASE WHEN f.locked_until > statement_timestamp() THEN f.last_failed_at"
    "                        ELSE statement_timestamp() END "
    "RETURNING locked_until > statement_timestamp() AND last_failed_at <> statement_timestamp(),"
    "          ceil(extract(epoch FROM locked_until - statement_timestamp()))::int");

enum hp_db_status hp_sessions_failed(struct hp_db *db, struct hp_arena *arena,
                                     const char *name, int *locked_for_s)
{
    PGresult *r;
    const char *params[] = {name, hp_arena_printf(arena, "%d", HP_SIGN_IN_FAILURES),
                            hp_arena_printf(arena, "%d", HP_SIGN_IN_LOCK_S)};
    enum hp_db_status st = hp_db_exec(db, arena, &failed_sql, 3, params, &r);
    *locked_for_s = st == HP_DB_ROWS && strcmp(PQgetvalue(r, 0, 0), "t") == 0
                        ? (int)hp_db_int64(r, 0, 1)
                        : 0;
    return st;
}

static struct hp_sql open_sql = HP_SQL("session_open",
    "WITH d AS (DELETE FROM sign_in_failures WHERE name = $2"
    "              OR (last_failed_at < clock_timestamp() - interval '1 day'"
    "                  AND coalesce(locked_until < clock_timestamp(), true))),"
    "     e AS (DELETE FROM sessions WHERE last_used_at < clock_timestamp() - " IDLE "),"
    "     s AS (INSERT INTO sessions (token_hash, user_id)"
    "           SELECT decode($1, 'hex'), $3::uuid"
    "            WHERE NOT EXISTS (SELECT 1 FROM sign_in_failures"
    "                               WHERE name = $2 AND locked_until > clock_timestamp())"
    "           RETURNING last_used_at)"
    "SELECT hp_us(last_used_at + " IDLE ") FROM s");

enum hp_db_status hp_sessions_open(struct hp_db *db, struct hp_arena *arena,
                                   const char *user_id, const char *name,
                                   const char *hash_hex, int64_t *expires_us)
{
    PGresult *r;
    const char *params[] = {hash_hex, name, user_id};
    enum hp_db_status st = hp_db_exec(db, arena, &open_sql, 3, params, &r);
    if (st == HP_DB_ROWS)
        *expires_us = hp_db_int64(r, 0, 0);
    return st;
}

static struct hp_sql close_sql = HP_SQL("session_close",
    "DELETE FROM sessions WHERE token_hash = decode($1, 'hex') RETURNING user_id");

enum hp_db_status hp_sessions_close(struct hp_db *db, struct hp_arena *arena,
                                    const char *hash_hex)
{
    PGresult *r;
    const char *params[] = {hash_hex};
    return hp_db_exec(db, arena, &close_sql, 1, params, &r);
}

static struct hp_sql password_sql = HP_SQL("password_set",
    "WITH u AS (UPDATE users SET password_hash = $2 WHERE id = $1::uuid RETURNING id, name),"
    "     s AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u)"
    "            AND ($3::text IS NULL OR token_hash <> decode($3, 'hex'))),"
    "     f AS (DELETE FROM sign_in_failures WHERE name IN (SELECT name FROM u)),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action)"
    "           SELECT $4::uuid, 'user', u.id::text, 'set-password' FROM u)"
    "SELECT id FROM u");

enum hp_db_status hp_sessions_set_password(struct hp_db *db, struct hp_arena *arena,
                                           const char *actor_id, const char *user_id,
                                           const char *password_hash, const char *keep_hex)
{
    PGresult *r;
    const char *params[] = {user_id, password_hash, keep_hex, actor_id};
    return hp_db_exec(db, arena, &password_sql, 4, params, &r);
}
