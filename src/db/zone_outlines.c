/* SQL of zone outlines for maps (zone_outlines.h). */
#include "haulpass/zone_outlines.h"

#include "haulpass/arena.h"

static struct hp_sql outlines_sql = HP_SQL("zone_outlines_in_bbox",
    "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg("
    "         json_build_object('type', 'Feature', 'id', id,"
    "           'geometry', ST_AsGeoJSON(CASE WHEN $5::float8 > 0"
    "                                         THEN ST_SimplifyPreserveTopology(geom, $5::float8)"
    "                                         ELSE geom END, 6)::json,"
    "           'properties', json_build_object('name', name, 'version', version, 'rules', rules,"
    "                                             'kind', kind))"
    "         ORDER BY created_at, id), '[]'::json))::text"
    "  FROM zones WHERE retired_at IS NULL"
    "   AND geom && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)");

enum hp_db_status hp_zone_outlines_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                           const double bbox[4], double tolerance,
                                           const char **geojson)
{
    PGresult *r;
    const char *params[5];
    for (int i = 0; i < 4; i++)
        params[i] = hp_arena_printf(arena, "%.9g", bbox[i]);
    params[4] = hp_arena_printf(arena, "%.9g", tolerance);
    enum hp_db_status st = hp_db_exec(db, arena, &outlines_sql, 5, params, &r);
    if (st == HP_DB_ROWS)
        *geojson = PQgetvalue(r, 0, 0);
    return st;
}
