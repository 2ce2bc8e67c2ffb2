/* The antimeridian rule: which edges cross ±180 of longitude. */
#include "test.h"

#include "haulpass/antimeridian.h"

#include <math.h>

TEST(an_edge_from_just_east_to_just_west_of_180_crosses)
{
    CHECK(hp_antimeridian_crossed(179.95, -179.95));
    CHECK(hp_antimeridian_crossed(-179.95, 179.95)); /* either way round */
    CHECK(hp_antimeridian_crossed(179.9, -179.9));
}

TEST(an_edge_that_runs_along_180_on_one_side_does_not_cross)
{
    CHECK(!hp_antimeridian_crossed(179.9, 179.99));
    CHECK(!hp_antimeridian_crossed(-179.99, -179.9));
    CHECK(!hp_antimeridian_crossed(179.9, 180));
    CHECK(!hp_antimeridian_crossed(-180, -179.9));
}

TEST(a_city_edge_and_one_across_the_prime_meridian_do_not_cross)
{
    CHECK(!hp_antimeridian_crossed(118.30, 118.42));
    CHECK(!hp_antimeridian_crossed(-0.1, 0.1));
    CHECK(!hp_antimeridian_crossed(118.3, 118.3));
}

TEST(more_than_180_degrees_apart_crosses_and_exactly_180_does_not)
{
    CHECK(!hp_antimeridian_crossed(-90, 90));
    CHECK(!hp_antimeridian_crossed(0, 180));
    CHECK(!hp_antimeridian_crossed(-180, 0));
    CHECK(hp_antimeridian_crossed(-90, 90.000001));
    CHECK(hp_antimeridian_crossed(0.5, -179.6));
}

TEST(the_two_spellings_of_the_antimeridian_are_an_edge_across_it)
{
    /* The same meridian, but 360° apart in the plane GEOS draws in. */
    CHECK(hp_antimeridian_crossed(-180, 180));
    CHECK(hp_antimeridian_crossed(180, -180));
}

TEST(a_nan_longitude_is_not_taken_for_a_crossing)
{
    CHECK(!hp_antimeridian_crossed(NAN, 10));
    CHECK(!hp_antimeridian_crossed(10, NAN));
}
