/* SQL of zone outlines for maps (zone_outlines.h). */
#include "haulpass/zone_outlines.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

/* ST_Simplify rather than ST_SimplifyPreserveTopology: three times
 * cheaper on 10,000 zones (BENCHMARKS.md, the zones map's first view),
 * and what it may bend (an outline touching itself within the tolerance,
 * under a pixel) no drawing shows; preserveCollapsed keeps a zone smaller than the
 * tolerance on the map. The properties not asked for are taken out of
 * one jsonb object ($7: their names). */
static struct hp_sql outlines_sql = HP_SQL("zone_outlines_in_bbox",
    "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg("
    "         json_build_object('type', 'Feature', 'id', id,"
    "           'geometry', ST_AsGeoJSON(CASE WHEN $5::float8 > 0"
    "                                         THEN ST_Simplify(geom, $5::float8, true)"
    "                                         ELSE geom END, $6::int)::json,"
    "           'properties', jsonb_build_object('name', name, 'version', version, 'rules', rules,"
    "                                              'kind', kind) - $7::text[])"
    "         ORDER BY created_at, id), '[]'::json))::text"
    "  FROM zones WHERE retired_at IS NULL"
    "   AND geom && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)");

int hp_outline_decimals(double tolerance)
{
    int d = 1;
    for (double half = 0.05; d < 6 && half > tolerance / 2; half /= 10)
        d++;
    return tolerance > 0 ? d : 6;
}

enum hp_db_status hp_zone_outlines_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                           const double bbox[4], double tolerance,
                                           unsigned fields, const char **geojson)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {HP_OUTLINE_NAME, "name"}, {HP_OUTLINE_VERSION, "version"},
        {HP_OUTLINE_RULES, "rules"}, {HP_OUTLINE_KIND, "kind"}};
    PGresult *r;
    const char *params[7];
    for (int i = 0; i < 4; i++)
        params[i] = hp_arena_printf(arena, "%.9g", bbox[i]);
    params[4] = hp_arena_printf(arena, "%.9g", tolerance);
    params[5] = hp_arena_printf(arena, "%d", hp_outline_decimals(tolerance));
    const char *drop = "{";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!(fields & names[i].bit))
            drop = hp_arena_printf(arena, "%s%s%s", drop, drop[1] ? "," : "", names[i].name);
    params[6] = hp_arena_printf(arena, "%s}", drop);
    enum hp_db_status st = hp_db_exec(db, arena, &outlines_sql, 7, params, &r);
    if (st == HP_DB_ROWS)
        *geojson = PQgetvalue(r, 0, 0);
    return st;
}
