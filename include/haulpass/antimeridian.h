/*
 * No edge of a geometry read from outside may cross the antimeridian.
 *
 * Zones, routes and corridors are drawn in plain longitude and latitude
 * (GEOS is planar), where the edge from 179.95 to -179.95 runs 359.9° of
 * longitude the long way round the globe; lengths are measured along the
 * ellipsoid, the short way, across ±180. The two would disagree: an 11 km
 * route would cross zones 19,000 km away, and a zone ring would cover every
 * longitude of its band. This is a city service and nothing it serves lies
 * on the antimeridian, so such an edge is refused rather than split. Pure.
 */
#ifndef HAULPASS_ANTIMERIDIAN_H
#define HAULPASS_ANTIMERIDIAN_H

#include <stdbool.h>

/* The refusal, said at the pointer of the edge's second position. */
#define HP_ANTIMERIDIAN_MESSAGE                                                  \
    "the edge from the position before crosses the antimeridian (180° of "      \
    "longitude); split the geometry there or keep to one side"

/*
 * Whether the edge between longitudes lon_a and lon_b (degrees, each in
 * [-180, 180]) crosses the antimeridian: they lie more than 180° apart, so
 * its short way round, the one a length measures, crosses ±180 while its
 * planar form goes the other way. At exactly 180° apart both ways are
 * equally long and the planar one is as good: false. False when either is
 * NaN.
 */
bool hp_antimeridian_crossed(double lon_a, double lon_b);

#endif
