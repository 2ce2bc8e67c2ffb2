/* Geodesic distances and cutting routes by areas, pure. */
#include "test.h"

#include "haulpass/geodesic.h"
#include "haulpass/route_clip.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEAR(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

TEST(geodesic_distances_match_the_known_values_on_wgs84)
{
    NEAR(hp_geodesic_distance(0, 0, 1, 0), 111319.491, 0.001);
    NEAR(hp_geodesic_distance(0, 0, 0, 1), 110574.389, 0.001);
    /* Vincenty's own test line, Flinders Peak to Buninyong. */
    NEAR(hp_geodesic_distance(144.424867889, -37.951033417, 143.926495528, -37.652821139),
         54972.271, 0.01);
    CHECK(hp_geodesic_distance(118.3, 35.1, 118.3, 35.1) == 0);
    /* Short distances take the local plane: 0.01° of latitude at 35° N,
     * as GeographicLib gives it (PostGIS ST_Distance on geography). */
    NEAR(hp_geodesic_distance(118.3, 35.0, 118.3, 35.01), 1109.4067, 0.001);
    /* Either side of the switch to Vincenty at 0.1°, at any bearing and
     * latitude, the two agree to 1e-5 of the distance. */
    for (int lat = -80; lat <= 80; lat += 20)
        for (int deg = 0; deg < 360; deg += 15) {
            double c = cos(deg * M_PI / 180), s = sin(deg * M_PI / 180);
            double in = hp_geodesic_distance(10, lat, 10 + 0.0999 * c, lat + 0.0999 * s);
            double out = hp_geodesic_distance(10, lat, 10 + 0.1001 * c, lat + 0.1001 * s);
            CHECK(fabs(in / out - 0.0999 / 0.1001) < 2e-5);
        }
    /* Nearly antipodal: no convergence, still a sane figure. */
    double d = hp_geodesic_distance(0, 0, 179.7, 0.5);
    CHECK(d > 19.9e6 && d < 20.1e6);
}

/* A square 0..1 with a hole 0.4..0.6, and a second square 2..3. */
static const double square_xy[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0,
                                   0.4, 0.4, 0.4, 0.6, 0.6, 0.6, 0.6, 0.4, 0.4, 0.4,
                                   2, 0, 3, 0, 3, 1, 2, 1, 2, 0};
static const int square_ends[] = {5, 10, 15};
static const struct hp_area area = {square_xy, square_ends, 3, 0, 0, 3, 1};

/* Cuts a route of n positions; returns the count and fills *st. */
static int clip(const double *xy, int n, struct hp_stretch **st, double *cum)
{
    cum[0] = 0;
    for (int i = 1; i < n; i++)
        cum[i] = cum[i - 1] +
                 hp_geodesic_distance(xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1]);
    struct hp_route r = {xy, cum, n};
    return hp_route_clip(&r, &area, st);
}

TEST(a_straight_route_through_a_holed_square_and_a_second_polygon_has_three_stretches)
{
    const double xy[] = {-1, 0.5, 4, 0.5};
    double cum[2];
    struct hp_stretch *st;
    REQUIRE(clip(xy, 2, &st, cum) == 3);
    NEAR(st[0].from_m, hp_geodesic_distance(-1, 0.5, 0, 0.5), 0.01);
    NEAR(st[0].to_m, hp_geodesic_distance(-1, 0.5, 0.4, 0.5), 0.01);
    NEAR(st[1].from_m, hp_geodesic_distance(-1, 0.5, 0.6, 0.5), 0.01);
    NEAR(st[1].to_m, hp_geodesic_distance(-1, 0.5, 1, 0.5), 0.01);
    NEAR(st[2].from_m, hp_geodesic_distance(-1, 0.5, 2, 0.5), 0.01);
    NEAR(st[2].to_m, hp_geodesic_distance(-1, 0.5, 3, 0.5), 0.01);
    free(st);
}

TEST(a_route_that_starts_inside_and_ends_inside_is_inside_from_zero_to_its_length)
{
    const double xy[] = {0.1, 0.1, 0.9, 0.2};
    double cum[2];
    struct hp_stretch *st;
    REQUIRE(clip(xy, 2, &st, cum) == 1);
    CHECK(st[0].from_m == 0);
    NEAR(st[0].to_m, cum[1], 1e-6);
    free(st);
}

TEST(a_route_along_the_boundary_is_inside_and_a_touch_at_a_corner_is_a_point)
{
    const double along[] = {-1, 0, 1.5, 0};
    double cum[3];
    struct hp_stretch *st;
    REQUIRE(clip(along, 2, &st, cum) == 1);
    NEAR(st[0].from_m, hp_geodesic_distance(-1, 0, 0, 0), 0.01);
    NEAR(st[0].to_m, hp_geodesic_distance(-1, 0, 1, 0), 0.01);
    free(st);
    const double touch[] = {0, 2, 1, 1, 1.5, 1.5};
    REQUIRE(clip(touch, 3, &st, cum) == 1);
    CHECK(st[0].from_m == st[0].to_m);
    NEAR(st[0].from_m, cum[1], 1e-6);
    free(st);
}

TEST(a_route_that_leaves_and_comes_back_has_one_stretch_per_visit_in_route_order)
{
    /* In along y = 0.2, out, back in along y = 0.8 the other way, out. */
    const double xy[] = {-1, 0.2, 1.5, 0.2, 1.5, 0.8, -1, 0.8};
    double cum[4];
    struct hp_stretch *st;
    REQUIRE(clip(xy, 4, &st, cum) == 2);
    CHECK(st[0].to_m < st[1].from_m);
    NEAR(st[1].from_m, cum[2] + hp_geodesic_distance(1.5, 0.8, 1, 0.8), 0.01);
    NEAR(st[1].to_m, cum[2] + hp_geodesic_distance(1.5, 0.8, 0, 0.8), 0.01);
    free(st);
}

TEST(a_vertex_inside_joins_the_two_segments_into_one_stretch_and_repeats_are_ignored)
{
    const double xy[] = {-1, 0.1, 0.5, 0.1, 0.5, 0.1, 0.5, -1};
    double cum[4];
    struct hp_stretch *st;
    REQUIRE(clip(xy, 4, &st, cum) == 1);
    NEAR(st[0].from_m, hp_geodesic_distance(-1, 0.1, 0, 0.1), 0.01);
    NEAR(st[0].to_m, cum[2] + hp_geodesic_distance(0.5, 0.1, 0.5, 0), 0.01);
    free(st);
}

TEST(a_route_that_misses_the_area_has_no_stretch)
{
    const double xy[] = {-1, -1, -0.5, 2, 1.5, 2};
    double cum[3];
    struct hp_stretch *st;
    CHECK(clip(xy, 3, &st, cum) == 0);
    CHECK(st == NULL);
}

TEST(the_area_covers_its_boundary_and_not_its_holes)
{
    CHECK(hp_area_covers(&area, 0.5, 0.2));
    CHECK(hp_area_covers(&area, 0, 0.5));
    CHECK(hp_area_covers(&area, 0.4, 0.5)); /* the hole's edge is the area's boundary */
    CHECK(!hp_area_covers(&area, 0.5, 0.5));
    CHECK(hp_area_covers(&area, 2.5, 0.5));
    CHECK(!hp_area_covers(&area, 1.5, 0.5));
}

TEST(extracting_a_stretch_gives_its_ends_and_the_route_positions_between)
{
    const double xy[] = {0, 0, 1, 0, 1, 1};
    double cum[3] = {0, 1, 2}, out[8];
    struct hp_route r = {xy, cum, 3};
    int n = hp_route_extract(&r, (struct hp_route_pos){0, 0.5}, (struct hp_route_pos){1, 0.5},
                             out);
    REQUIRE(n == 3);
    CHECK(out[0] == 0.5 && out[1] == 0 && out[2] == 1 && out[3] == 0 && out[4] == 1 &&
          out[5] == 0.5);
}

TEST(a_route_that_never_moves_is_inside_where_it_stands)
{
    const double inside[] = {0.5, 0.2, 0.5, 0.2}, outside[] = {0.5, 0.5, 0.5, 0.5};
    double cum[2];
    struct hp_stretch *st;
    REQUIRE(clip(inside, 2, &st, cum) == 1);
    CHECK(st[0].from_m == 0 && st[0].to_m == 0);
    free(st);
    CHECK(clip(outside, 2, &st, cum) == 0); /* in the hole */
}

/* A star of n points around (cx, cy), radius r0..r1 by turns, as a closed
 * ring appended at xy[2 * at]; returns the new position count. */
static int star(double *xy, int at, int n, double cx, double cy, double r0, double r1)
{
    for (int i = 0; i < n; i++) {
        double a = 2 * M_PI * i / n, r = i % 2 ? r0 : r1;
        xy[2 * (at + i)] = cx + r * cos(a);
        xy[2 * (at + i) + 1] = cy + r * sin(a);
    }
    xy[2 * (at + n)] = xy[2 * at];
    xy[2 * (at + n) + 1] = xy[2 * at + 1];
    return at + n + 1;
}

TEST(run_boxes_change_no_stretch_and_no_containment)
{
    /* Stars of 9 to 120 points with a hole, so runs begin mid-ring and
     * span two rings; routes of up to 40 positions wander through them. */
    srand(7);
    for (int round = 0; round < 300; round++) {
        double xy[2 * 300], box[4 * 40];
        int n = 9 + rand() % 112, ends[2];
        ends[0] = star(xy, 0, n, 0, 0, 0.5, 1);
        ends[1] = star(xy, ends[0], 7 + rand() % 20, 0, 0, 0.1, 0.2);
        struct hp_area a = {xy, ends, 2, -1, -1, 1, 1};
        REQUIRE(hp_area_run_count(&a) <= 40);
        struct hp_area b = a;
        hp_area_run_boxes(&a, box);
        b.run_box = box;
        double route[2 * 40], cum[40];
        int m = 2 + rand() % 39;
        for (int i = 0; i < m; i++) {
            route[2 * i] = (rand() % 2401 - 1200) / 1000.0;
            route[2 * i + 1] = (rand() % 2401 - 1200) / 1000.0;
            cum[i] = i ? cum[i - 1] + hp_geodesic_distance(route[2 * i - 2], route[2 * i - 1],
                                                           route[2 * i], route[2 * i + 1])
                       : 0;
            CHECK(hp_area_covers(&a, route[2 * i], route[2 * i + 1]) ==
                  hp_area_covers(&b, route[2 * i], route[2 * i + 1]));
        }
        struct hp_route r = {route, cum, m};
        struct hp_stretch *sa, *sb;
        int ka = hp_route_clip(&r, &a, &sa), kb = hp_route_clip(&r, &b, &sb);
        CHECK(ka == kb);
        for (int i = 0; i < ka && i < kb; i++)
            CHECK(memcmp(&sa[i], &sb[i], sizeof(*sa)) == 0);
        free(sa);
        free(sb);
    }
}

