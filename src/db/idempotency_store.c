/* SQL of the Idempotency-Key record. */
#include "haulpass/idempotency_store.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

#include <stdlib.h>
#include <string.h>

/* One statement: take the key when it is free (new, older than 24 hours, or
 * left "running" by a process that died), else read what holds it. The
 * second SELECT reads the statement's snapshot, which may predate a row
 * that a concurrent request committed meanwhile: then no row comes back
 * and the caller asks again. */
static struct hp_sql claim_sql = HP_SQL("idem_claim",
    "WITH ins AS ("
    "  INSERT INTO idempotency_keys AS k (user_id, key, request_hash)"
    "  VALUES ($1::uuid, $2, decode($3, 'hex'))"
    "  ON CONFLICT (user_id, key) DO UPDATE"
    "     SET request_hash = EXCLUDED.request_hash, state = 'running', status = NULL,"
    "         content_type = NULL, headers = NULL, body = NULL, created_at = clock_timestamp()"
    "   WHERE k.created_at < clock_timestamp() - interval '24 hours'"
    "      OR (k.state = 'running' AND k.created_at < clock_timestamp() - interval '2 minutes')"
    "  RETURNING 1)"
    "SELECT 'claimed', NULL::int, NULL, NULL, NULL FROM ins "
    "UNION ALL "
    "SELECT CASE WHEN k.request_hash <> decode($3, 'hex') THEN 'mismatch' ELSE k.state END,"
    "       k.status, k.content_type, k.headers::text, k.body"
    "  FROM idempotency_keys k"
    " WHERE NOT EXISTS (SELECT 1 FROM ins) AND k.user_id = $1::uuid AND k.key = $2");

static struct hp_sql purge_sql = HP_SQL("idem_purge",
    "DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY ("
    "  SELECT ctid FROM idempotency_keys"
    "   WHERE created_at < clock_timestamp() - interval '24 hours' LIMIT 100))");

enum hp_db_status hp_idem_claim(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                const char *key, const char *hash_hex,
                                enum hp_idem_state *state, struct hp_idem_record *rec)
{
    const char *params[] = {user_id, key, hash_hex};
    PGresult *r;
    enum hp_db_status st = HP_DB_NO_ROWS;
    for (int attempt = 0; attempt < 3 && st == HP_DB_NO_ROWS; attempt++)
        st = hp_db_exec(db, arena, &claim_sql, 3, params, &r);
    if (st == HP_DB_NO_ROWS) /* taken and dropped again and again: busy */
        *state = HP_IDEM_RUNNING;
    if (st != HP_DB_ROWS)
        return st;
    const char *what = PQgetvalue(r, 0, 0);
    memset(rec, 0, sizeof(*rec));
    if (strcmp(what, "claimed") == 0) {
        *state = HP_IDEM_CLAIMED;
        PGresult *ignored;
        hp_db_exec(db, arena, &purge_sql, 0, NULL, &ignored); /* best effort */
    } else if (strcmp(what, "mismatch") == 0) {
        *state = HP_IDEM_MISMATCH;
    } else if (strcmp(what, "running") == 0) {
        *state = HP_IDEM_RUNNING;
    } else {
        *state = HP_IDEM_DONE;
        rec->status = atoi(PQgetvalue(r, 0, 1));
        rec->content_type = PQgetisnull(r, 0, 2) ? NULL : PQgetvalue(r, 0, 2);
        rec->headers = PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3);
        rec->body = PQgetvalue(r, 0, 4);
        rec->body_len = (size_t)PQgetlength(r, 0, 4);
    }
    return HP_DB_ROWS;
}

static struct hp_sql finish_sql = HP_SQL("idem_finish",
    "UPDATE idempotency_keys"
    "   SET state = 'done', status = $3::int, content_type = $4, headers = $5::jsonb, body = $6"
    " WHERE user_id = $1::uuid AND key = $2");

enum hp_db_status hp_idem_finish(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                 const char *key, const struct hp_idem_record *rec)
{
    const char *params[] = {user_id, key, hp_arena_printf(arena, "%d", rec->status),
                            rec->content_type, rec->headers,
                            hp_arena_strndup(arena, rec->body, rec->body_len)};
    PGresult *r;
    return hp_db_exec(db, arena, &finish_sql, 6, params, &r);
}

static struct hp_sql forget_sql = HP_SQL("idem_forget",
    "DELETE FROM idempotency_keys WHERE user_id = $1::uuid AND key = $2 AND state = 'running'");

enum hp_db_status hp_idem_forget(struct hp_db *db, struct hp_arena *arena, const char *user_id,
                                 const char *key)
{
    const char *params[] = {user_id, key};
    PGresult *r;
    return hp_db_exec(db, arena, &forget_sql, 2, params, &r);
}
