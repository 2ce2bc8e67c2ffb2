/* SQL of road works: the zone an approved road-occupation application
 * becomes, its revocation, and its retirement after its last day. */
#include "haulpass/roadworks.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

/* The rule is written as POST /v1/zones stores one (src/api/zone_input.c):
 * every field, classes from the works (none: every class), no lifting. */
static struct hp_sql open_sql = HP_SQL("roadworks_open",
    "WITH z AS (INSERT INTO zones (name, geom, sent_as_polygon, rules, kind, application_id,"
    "                              ends_on)"
    "           SELECT left('占道施工 Road works: ' || coalesce(a.works->>'name',"
    "                       a.valid_from || '..' || a.valid_to), 200),"
    "                  a.works_area, false,"
    "                  jsonb_build_array(jsonb_build_object("
    "                      'id', gen_random_uuid(),"
    "                      'vehicle_classes', coalesce(a.works->'classes', '[]'::jsonb),"
    "                      'exempt_classes', '[]'::jsonb, 'min_gross_weight_kg', NULL,"
    "                      'hazmat_only', false, 'hours', a.hours,"
    "                      'valid_from', to_char(a.valid_from, 'YYYY-MM-DD'),"
    "                      'valid_to', to_char(a.valid_to, 'YYYY-MM-DD'),"
    "                      'liftable_by', '[]'::jsonb)),"
    "                  'roadworks', a.id, a.valid_to"
    "             FROM applications a WHERE a.id = $1::uuid AND a.type = 'road_occupation'"
    "              AND a.status IN ('approved', 'approved_provisional')"
    "           RETURNING *)"
    "INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    " SELECT $2::uuid, 'zone', z.id::text, 'create',"
    "        jsonb_build_object('kind', z.kind, 'application_id', z.application_id,"
    "                           'name', z.name, 'rules', z.rules) FROM z");

enum hp_db_status hp_roadworks_open(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    const char *officer)
{
    PGresult *r;
    const char *params[] = {id, officer};
    return hp_db_exec(db, arena, &open_sql, 2, params, &r);
}

static struct hp_sql revoked_sql = HP_SQL("roadworks_revoked",
    "WITH a AS (SELECT a.id, a.status FROM zones z JOIN applications a ON a.id = z.application_id"
    "            WHERE z.id = $1::uuid AND z.kind = 'roadworks'),"
    "     e AS (INSERT INTO application_events (application_id, actor_id, from_status,"
    "                                           to_status, reason)"
    "           SELECT id, $2::uuid, status, 'revoked', $3 FROM a)"
    "INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    " SELECT $2::uuid, 'application', id::text, 'revoke',"
    "        jsonb_build_object('roadworks_zone_id', $1::text, 'reason', $3) FROM a");

enum hp_db_status hp_roadworks_revoked(struct hp_db *db, struct hp_arena *arena,
                                       const char *zone_id, const char *officer,
                                       const char *reason)
{
    PGresult *r;
    const char *params[] = {zone_id, officer, reason};
    return hp_db_exec(db, arena, &revoked_sql, 3, params, &r);
}

static struct hp_sql sweep_sql = HP_SQL("roadworks_sweep",
    "WITH z AS (UPDATE zones SET version = version + 1, retired_at = clock_timestamp(),"
    "                  updated_at = clock_timestamp(),"
    "                  retire_reason = 'the road works ended on ' || ends_on"
    "            WHERE kind = 'roadworks' AND retired_at IS NULL AND ends_on < $1::date"
    "           RETURNING id, retire_reason)"
    "INSERT INTO audit (entity, entity_id, action, after)"
    " SELECT 'zone', id::text, 'retire', jsonb_build_object('retire_reason', retire_reason)"
    "   FROM z");

enum hp_db_status hp_roadworks_sweep(struct hp_db *db, struct hp_arena *arena, const char *today)
{
    PGresult *r;
    const char *params[] = {today};
    return hp_db_exec(db, arena, &sweep_sql, 1, params, &r);
}
