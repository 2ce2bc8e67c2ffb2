/* SQL of the audit trail. */
#include "haulpass/audit.h"

#include "haulpass/arena.h"

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
                                const char *after, int limit, PGresult **res)
{
    const char *params[] = {entity, entity_id, after, hp_arena_printf(arena, "%d", limit)};
    return hp_db_exec(db, arena, &audit_list_sql, 4, params, res);
}
