/*
 * The stretches of a route inside an area, in route order, with their
 * positions along the route in metres along the ground. Pure: plain arrays
 * in, a malloc'd array out.
 *
 * Why by hand and not GEOSIntersection: the overlay dissolves linework, so
 * a route that comes back over the same road inside a zone loses the second
 * visit, and its output pieces carry no position along the route (project
 * them back and a route that crosses itself lands on the wrong pass). Here
 * each segment is cut where it meets the area's rings and each piece is
 * classified by its midpoint: the same planar lon/lat geometry as PostGIS's
 * geometry type (the differential test compares the two), and the area is
 * closed, so running along or touching the boundary is inside.
 */
#ifndef HAULPASS_ROUTE_CLIP_H
#define HAULPASS_ROUTE_CLIP_H

#include <stdbool.h>

/* An area: rings of lon/lat pairs (each closed: first position repeated
 * last), shells and holes of one or more polygons alike, as a valid
 * (Multi)Polygon has them, and its bounding box. */
struct hp_area {
    const double *xy;     /* lon, lat, lon, lat, ... */
    const int *ring_end;  /* ring r is positions [ring_end[r-1], ring_end[r]) */
    int nrings;
    double minx, miny, maxx, maxy;
    /* NULL, or the boxes of runs of HP_AREA_RUN edges (hp_area_run_boxes):
     * a route segment far from a run skips its edges with one test. */
    const double *run_box;
};

/* Run k boxes positions [k * HP_AREA_RUN, (k + 1) * HP_AREA_RUN], so every
 * edge starting in it, whichever ring it belongs to. */
#define HP_AREA_RUN 8

/* How many runs a has (4 doubles each in run_box). */
int hp_area_run_count(const struct hp_area *a);

/* Fills box (4 * hp_area_run_count(a) doubles: minx, miny, maxx, maxy of
 * each run) from a's positions. Answers with and without them are equal;
 * they only make them cheaper. */
void hp_area_run_boxes(const struct hp_area *a, double *box);

/* A route: n positions and the geodesic distance from the first one to
 * each (cum_m[0] = 0). */
struct hp_route {
    const double *xy;
    const double *cum_m;
    int n;
};

/* A place on a route: segment seg (from position seg to seg + 1), at
 * fraction t of it. */
struct hp_route_pos {
    int seg;
    double t;
};

struct hp_stretch {
    struct hp_route_pos from, to;
    double from_m, to_m; /* equal when the route only touches the area */
};

/* Whether the area holds (lon, lat), its boundary included. */
bool hp_area_covers(const struct hp_area *a, double x, double y);

/* The stretches of r inside a, in route order, into *out (malloc'd, the
 * caller frees; NULL when there are none). Returns their number, or -1
 * when out of memory. */
int hp_route_clip(const struct hp_route *r, const struct hp_area *a, struct hp_stretch **out);

/* The geodesic distance from the start of r to pos. */
double hp_route_distance_at(const struct hp_route *r, struct hp_route_pos pos);

/* The positions of r between from and to (ends included, interpolated);
 * writes at most to.seg - from.seg + 2 positions into xy and returns their
 * number. */
int hp_route_extract(const struct hp_route *r, struct hp_route_pos from, struct hp_route_pos to,
                     double *xy);

#endif
