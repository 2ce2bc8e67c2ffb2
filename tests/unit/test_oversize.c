/* The escort rule of an oversize load (oversize.h): any one dimension or
 * the mass past its limit requires an escort; on the limit, none. */
#include "test.h"

#include "haulpass/oversize.h"

TEST(a_load_on_every_limit_needs_no_escort)
{
    struct hp_cargo c = {HP_ESCORT_LENGTH_MM, HP_ESCORT_WIDTH_MM, HP_ESCORT_HEIGHT_MM,
                         HP_ESCORT_MASS_KG};
    CHECK(!hp_oversize_escort_required(&c));
}

TEST(any_one_limit_passed_requires_an_escort)
{
    struct hp_cargo base = {20000, 3000, 4200, 49000};
    struct hp_cargo c = base;
    c.length_mm++;
    CHECK(hp_oversize_escort_required(&c));
    c = base, c.width_mm++;
    CHECK(hp_oversize_escort_required(&c));
    c = base, c.height_mm++;
    CHECK(hp_oversize_escort_required(&c));
    c = base, c.mass_kg++;
    CHECK(hp_oversize_escort_required(&c));
}

TEST(stored_cargo_is_read_from_its_json_and_nothing_requires_nothing)
{
    CHECK(hp_oversize_escort_required_json(
        "{\"length_mm\":18000,\"width_mm\":3500,\"height_mm\":4000,\"mass_kg\":40000}"));
    CHECK(!hp_oversize_escort_required_json(
        "{\"length_mm\":18000,\"width_mm\":2500,\"height_mm\":4000,\"mass_kg\":40000}"));
    CHECK(!hp_oversize_escort_required_json(NULL));
    CHECK(!hp_oversize_escort_required_json("[1]"));
    CHECK(!hp_oversize_escort_required_json("not json"));
}
