/* SQL of the audit trail. */
#include "haulpass/audit.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

static struct hp_sql audit_write_sql = HP_SQL("audit_write",
    "INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    " VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::jsonb)");

enum hp_db_status hp_audit_write(struct hp_db *db, struct hp_arena *arena,
                                 const char *actor_id, const char *entity,
                                 const char *entity_id, const char *action,
                                 const char *before, const char *after)
{
    PGresult *r;
    const char *params[] = {actor_id, entity, entity_id, action, before, after};
    return hp_db_exec(db, arena, &audit_write_sql, 6, params, &r);
}

static struct hp_sql audit_list_sql = HP_SQL("audit_list",
    "SELECT a.id, hp_us(a.at), a.actor_id, u.name, a.entity, a.entity_id, a.action,"
    "       a.before, a.after"
    "  FROM audit a LEFT JOIN users u ON u.id = a.actor_id"
    " WHERE ($1::text IS NULL OR a.entity = $1)"
    "   AND ($2::text IS NULL OR a.entity_id = $2)"
    "   AND ($3::bigint IS NULL OR a.id > $3::bigint)"
    " ORDER BY a.id LIMIT $4::int");

enum hp_db_status hp_audit_list(struct hp_db *db, struct hp_arena *arena,
                                const char *entity, const char *entity_id,
                                const char *after, int limit, struct hp_audit_entry *out,
                                int *n)
{
    PGresult *r;
    const char *params[] = {entity, entity_id, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &audit_list_sql, 4, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++) {
        out[(*n)++] = (struct hp_audit_entry){
            .id = hp_db_int64(r, i, 0), .at_us = hp_db_int64(r, i, 1),
            .actor_id = hp_db_text(r, i, 2), .actor_name = hp_db_text(r, i, 3),
            .entity = PQgetvalue(r, i, 4), .entity_id = PQgetvalue(r, i, 5),
            .action = PQgetvalue(r, i, 6), .before = hp_db_text(r, i, 7),
            .after = hp_db_text(r, i, 8)};
    }
    return st;
}
