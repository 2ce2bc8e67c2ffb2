/* SQL of the readiness probe and of the debug wait. */
#include "haulpass/db_probe.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

static struct hp_sql ready_sql = HP_SQL("ready", "SELECT 1");

enum hp_db_status hp_db_probe_ready(struct hp_db *db, struct hp_arena *arena)
{
    PGresult *r;
    return hp_db_exec(db, arena, &ready_sql, 0, NULL, &r);
}

static struct hp_sql wait_sql = HP_SQL("debug_wait", "SELECT pg_sleep($1::int / 1000.0)");

enum hp_db_status hp_db_probe_wait(struct hp_db *db, struct hp_arena *arena, int ms)
{
    PGresult *r;
    const char *params[] = {hp_arena_printf(arena, "%d", ms)};
    return hp_db_exec(db, arena, &wait_sql, 1, params, &r);
}
