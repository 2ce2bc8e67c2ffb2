/* SQL of organisations, users and tokens. */
#include "haulpass/accounts.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"
#include "haulpass/principal.h"
#include "haulpass/sessions.h"

#include "principal_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct hp_sql principal_sql = HP_SQL("principal",
    "SELECT u.id, u.org_id, u.name, o.name, o.kind, u.role"
    "  FROM users u JOIN orgs o ON o.id = u.org_id"
    " WHERE u.token_hash = decode($1, 'hex')");

void hp_accounts_read_principal(const PGresult *r, struct hp_principal *out)
{
    snprintf(out->user_id, sizeof(out->user_id), "%s", PQgetvalue(r, 0, 0));
    snprintf(out->org_id, sizeof(out->org_id), "%s", PQgetvalue(r, 0, 1));
    out->user_name = PQgetvalue(r, 0, 2);
    out->org_name = PQgetvalue(r, 0, 3);
    out->org_kind = PQgetvalue(r, 0, 4);
    out->role = hp_role_from_name(PQgetvalue(r, 0, 5));
}

enum hp_db_status hp_accounts_principal(struct hp_db *db, struct hp_arena *arena,
                                        const char *hash_hex, struct hp_principal *out)
{
    PGresult *r;
    const char *params[] = {hash_hex};
    enum hp_db_status st = hp_db_exec(db, arena, &principal_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        hp_accounts_read_principal(r, out);
    return st;
}

static void read_org(PGresult *r, int row, struct hp_org *o)
{
    o->id = PQgetvalue(r, row, 0);
    o->name = PQgetvalue(r, row, 1);
    o->kind = PQgetvalue(r, row, 2);
    o->created_us = strtoll(PQgetvalue(r, row, 3), NULL, 10);
}

static struct hp_sql org_create_sql = HP_SQL("org_create",
    "WITH o AS (INSERT INTO orgs (name, kind) VALUES ($1, $2) RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $3::uuid, 'org', o.id::text, 'create',"
    "                  jsonb_build_object('id', o.id, 'name', o.name, 'kind', o.kind) FROM o)"
    "SELECT id, name, kind, hp_us(created_at) FROM o");

enum hp_db_status hp_accounts_org_create(struct hp_db *db, struct hp_arena *arena,
                                         const char *actor_id, const char *name,
                                         const char *kind, struct hp_org *out)
{
    PGresult *r;
    const char *params[] = {name, kind, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &org_create_sql, 3, params, &r);
    if (st == HP_DB_ROWS)
        read_org(r, 0, out);
    return st;
}

static struct hp_sql org_by_name_sql = HP_SQL("org_by_name",
    "SELECT id, name, kind, hp_us(created_at) FROM orgs WHERE name = $1");

enum hp_db_status hp_accounts_org_by_name(struct hp_db *db, struct hp_arena *arena,
                                          const char *name, struct hp_org *out)
{
    PGresult *r;
    const char *params[] = {name};
    enum hp_db_status st = hp_db_exec(db, arena, &org_by_name_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        read_org(r, 0, out);
    return st;
}

static struct hp_sql org_get_sql = HP_SQL("org_get",
    "SELECT id, name, kind, hp_us(created_at) FROM orgs WHERE id = $1::uuid");

enum hp_db_status hp_accounts_org_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      struct hp_org *out)
{
    PGresult *r;
    const char *params[] = {id};
    enum hp_db_status st = hp_db_exec(db, arena, &org_get_sql, 1, params, &r);
    if (st == HP_DB_ROWS)
        read_org(r, 0, out);
    return st;
}

static struct hp_sql org_list_sql = HP_SQL("org_list",
    "SELECT id, name, kind, hp_us(created_at) FROM orgs"
    " WHERE $1::uuid IS NULL"
    "    OR (created_at, id) > (SELECT created_at, id FROM orgs WHERE id = $1::uuid)"
    " ORDER BY created_at, id LIMIT $2::int");

enum hp_db_status hp_accounts_org_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *after, int limit, struct hp_org *out,
                                       int *n)
{
    PGresult *r;
    const char *params[] = {after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &org_list_sql, 2, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_org(r, i, &out[(*n)++]);
    return st;
}

static struct hp_sql user_create_sql = HP_SQL("user_create",
    "WITH u AS (INSERT INTO users (org_id, org_kind, name, role, token_hash)"
    "           SELECT o.id, o.kind, $2, $3, decode($4, 'hex') FROM orgs o"
    "            WHERE o.id = $1::uuid RETURNING *),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    "           SELECT $5::uuid, 'user', u.id::text, 'create',"
    "                  jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role,"
    "                                     'org_id', u.org_id) FROM u)"
    "SELECT id, name, role, org_id, hp_us(created_at) FROM u");

enum hp_db_status hp_accounts_user_create(struct hp_db *db, struct hp_arena *arena,
                                          const char *actor_id, const char *org_id,
                                          const char *name, const char *role,
                                          const char *hash_hex, const char *password_hash,
                                          struct hp_user *out)
{
    PGresult *r;
    const char *params[] = {org_id, name, role, hash_hex, actor_id};
    enum hp_db_status st = hp_db_exec(db, arena, &user_create_sql, 5, params, &r);
    if (st == HP_DB_ROWS && password_hash) {
        /* Set as any password is (audited), in the caller's transaction. */
        char id[37];
        snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
        enum hp_db_status pw = hp_sessions_set_password(db, arena, actor_id, id, password_hash, NULL);
        if (pw != HP_DB_ROWS)
            return pw == HP_DB_NO_ROWS ? HP_DB_HARD_ERROR : pw;
    }
    if (st == HP_DB_ROWS) {
        out->id = PQgetvalue(r, 0, 0);
        out->name = PQgetvalue(r, 0, 1);
        out->role = PQgetvalue(r, 0, 2);
        out->org_id = PQgetvalue(r, 0, 3);
        out->created_us = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
    }
    return st;
}

static struct hp_sql token_rotate_sql = HP_SQL("token_rotate",
    "WITH u AS (UPDATE users SET token_hash = decode($2, 'hex')"
    "            WHERE id = $1::uuid RETURNING id),"
    "     a AS (INSERT INTO audit (actor_id, entity, entity_id, action)"
    "           SELECT $3::uuid, 'user', u.id::text, 'rotate-token' FROM u)"
    "SELECT id FROM u");

enum hp_db_status hp_accounts_token_rotate(struct hp_db *db, struct hp_arena *arena,
                                           const char *actor_id, const char *user_id,
                                           const char *hash_hex)
{
    PGresult *r;
    const char *params[] = {user_id, hash_hex, actor_id};
    return hp_db_exec(db, arena, &token_rotate_sql, 3, params, &r);
}

static struct hp_sql user_list_sql = HP_SQL("user_list",
    "SELECT id, name, role, org_id, hp_us(created_at) FROM users"
    " WHERE ($1::uuid IS NULL OR org_id = $1::uuid)"
    "   AND ($2::uuid IS NULL"
    "    OR (created_at, id) > (SELECT created_at, id FROM users WHERE id = $2::uuid))"
    " ORDER BY created_at, id LIMIT $3::int");

enum hp_db_status hp_accounts_user_list(struct hp_db *db, struct hp_arena *arena,
                                        const char *org_id, const char *after, int limit,
                                        struct hp_user *out, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &user_list_sql, 3, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++) {
        struct hp_user *u = &out[(*n)++];
        u->id = PQgetvalue(r, i, 0);
        u->name = PQgetvalue(r, i, 1);
        u->role = PQgetvalue(r, i, 2);
        u->org_id = PQgetvalue(r, i, 3);
        u->created_us = strtoll(PQgetvalue(r, i, 4), NULL, 10);
    }
    return st;
}
