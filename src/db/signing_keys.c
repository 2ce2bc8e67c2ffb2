/* SQL of the signing keys. */
#include "haulpass/signing_keys.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"
#include "haulpass/signing_key.h"

static struct hp_sql publish_sql = HP_SQL("signing_keys_publish",
    "INSERT INTO signing_keys (kid, public_key) VALUES ($1, $2) ON CONFLICT DO NOTHING");

enum hp_db_status hp_signing_keys_publish(struct hp_db *db, struct hp_arena *arena,
                                          const struct hp_signing_key *key)
{
    char pub[64];
    hp_base64url_encode(key->public_key, 32, pub);
    const char *params[] = {key->kid_hex, pub};
    PGresult *r;
    return hp_db_exec(db, arena, &publish_sql, 2, params, &r);
}

static struct hp_sql list_sql = HP_SQL("signing_keys_list",
    "SELECT kid, public_key, hp_us(not_before), hp_us(retired_at) FROM signing_keys"
    " ORDER BY not_before, kid LIMIT $1::int");

enum hp_db_status hp_signing_keys_list(struct hp_db *db, struct hp_arena *arena,
                                       struct hp_key_row *out, int max, int *n)
{
    const char *params[] = {hp_arena_printf(arena, "%d", max)};
    PGresult *r;
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 1, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < max; i++) {
        struct hp_key_row *k = &out[(*n)++];
        k->kid = PQgetvalue(r, i, 0);
        k->public_key = PQgetvalue(r, i, 1);
        k->not_before_us = hp_db_int64(r, i, 2);
        k->retired_us = hp_db_int64(r, i, 3);
    }
    return st;
}

static struct hp_sql retire_sql = HP_SQL("signing_keys_retire",
    "UPDATE signing_keys SET retired_at = clock_timestamp()"
    " WHERE kid = $1 AND retired_at IS NULL RETURNING kid");

enum hp_db_status hp_signing_keys_retire(struct hp_db *db, struct hp_arena *arena,
                                         const char *kid)
{
    const char *params[] = {kid};
    PGresult *r;
    return hp_db_exec(db, arena, &retire_sql, 1, params, &r);
}
