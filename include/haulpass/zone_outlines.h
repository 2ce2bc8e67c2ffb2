/* The outlines of live zones inside a map's view, as one GeoJSON
 * FeatureCollection made by PostGIS (ST_AsGeoJSON): what a map draws,
 * light enough for thousands of zones. */
#ifndef HAULPASS_ZONE_OUTLINES_H
#define HAULPASS_ZONE_OUTLINES_H

#include "haulpass/db.h"

/* The FeatureCollection text (arena memory) of the live zones whose
 * bounding box meets bbox ({west, south, east, north}), coordinates to 6
 * decimals, each simplified within tolerance degrees (0: as stored);
 * features {id, geometry, properties: {name, version, rules}} in creation
 * order. */
enum hp_db_status hp_zone_outlines_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                           const double bbox[4], double tolerance,
                                           const char **geojson);

#endif
