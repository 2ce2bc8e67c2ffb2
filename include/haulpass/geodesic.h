/* Distances along the WGS 84 ellipsoid, as PostGIS computes them for
 * geography (use_spheroid = true). Pure. */
#ifndef HAULPASS_GEODESIC_H
#define HAULPASS_GEODESIC_H

/* The geodesic distance in metres between two lon/lat positions (degrees).
 * Vincenty's inverse formula, which agrees with GeographicLib (PostGIS) to
 * well under a millimetre; for positions less than 0.1° apart in both
 * latitude and longitude, the ellipsoid's local plane (within 1e-5 of the
 * distance); for the nearly antipodal pairs where Vincenty does not
 * converge, a spherical estimate (no route of this service gets there). */
double hp_geodesic_distance(double lon1, double lat1, double lon2, double lat2);

#endif
