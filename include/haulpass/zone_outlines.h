/* The outlines of live zones inside a map's view, as one GeoJSON
 * FeatureCollection made by PostGIS (ST_AsGeoJSON): what a map draws,
 * light enough for thousands of zones. */
#ifndef HAULPASS_ZONE_OUTLINES_H
#define HAULPASS_ZONE_OUTLINES_H

#include "haulpass/db.h"

/* The properties a feature may carry (GET /v1/zones/outlines?fields=). */
enum hp_outline_field {
    HP_OUTLINE_NAME = 1 << 0,
    HP_OUTLINE_VERSION = 1 << 1,
    HP_OUTLINE_RULES = 1 << 2,
    HP_OUTLINE_KIND = 1 << 3,
    HP_OUTLINE_ALL = (1 << 4) - 1,
};

/* The FeatureCollection text (arena memory) of the live zones whose
 * bounding box meets bbox ({west, south, east, north}); features {id,
 * geometry, properties} in creation order, the properties those of
 * fields (hp_outline_field bits). tolerance 0: each outline as stored,
 * coordinates to 6 decimals; above 0: simplified for drawing within
 * tolerance degrees (Douglas-Peucker, a zone smaller than it kept, not
 * dropped) and its coordinates rounded to the decimals that tolerance
 * still sees (hp_outline_decimals). */
enum hp_db_status hp_zone_outlines_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                           const double bbox[4], double tolerance,
                                           unsigned fields, const char **geojson);

/* The decimals a drawing simplified within tolerance degrees needs: the
 * fewest whose rounding (half a unit of the last) stays within half the
 * tolerance; 6 (about 0.1 m) for 0 and anything finer. */
int hp_outline_decimals(double tolerance);

#endif
