/* opening_hours as weekly periods (oh_periods.h), pure. */
#include "test.h"

#include "haulpass/oh_periods.h"

#define MO_FR 0x1f
#define TU_SA 0x3e

TEST(plain_daily_hours_with_ph_off_map_to_one_period_and_the_holiday_exception)
{
    struct hp_oh_periods p;
    REQUIRE(hp_oh_periods("07:00-22:00; PH off", &p));
    CHECK_INT(p.n, 1);
    CHECK_INT(p.p[0].days, 0x7f);
    CHECK_INT(p.p[0].start, 7 * 60);
    CHECK_INT(p.p[0].end, 22 * 60);
    CHECK(p.except_ph);
}

TEST(hours_over_midnight_become_two_periods_the_second_on_the_following_days)
{
    struct hp_oh_periods p;
    REQUIRE(hp_oh_periods("Mo-Fr 22:00-06:00", &p));
    CHECK_INT(p.n, 2);
    CHECK_INT(p.p[0].days, MO_FR);
    CHECK_INT(p.p[0].start, 22 * 60);
    CHECK_INT(p.p[0].end, 1440);
    CHECK_INT(p.p[1].days, TU_SA);
    CHECK_INT(p.p[1].start, 0);
    CHECK_INT(p.p[1].end, 6 * 60);
    /* Sunday night spills onto Monday; "Sa-Mo" wraps. */
    REQUIRE(hp_oh_periods("Sa-Mo 23:00-01:00", &p));
    CHECK_INT(p.p[0].days, 0x61);
    CHECK_INT(p.p[1].days, 0x43);
    CHECK(!p.except_ph);
}

TEST(several_rules_and_ranges_joined_by_commas_add_up)
{
    struct hp_oh_periods p;
    REQUIRE(hp_oh_periods("Mo-Fr 07:00-09:00,17:00-19:00, Sa 10:00-12:00", &p));
    CHECK_INT(p.n, 3);
    CHECK_INT(p.p[2].days, 0x20);
    CHECK_INT(p.p[2].start, 600);
    REQUIRE(hp_oh_periods("Su 24/7", &p));
    CHECK_INT(p.p[0].days, 0x40);
    CHECK_INT(p.p[0].end, 1440);
}

TEST(forms_that_do_not_map_exactly_are_refused)
{
    struct hp_oh_periods p;
    CHECK(!hp_oh_periods("Mo-Fr 08:00-18:00; We 10:00-12:00", &p));
    CHECK(!hp_oh_periods("Jan-Mar Mo-Fr 08:00-18:00", &p));
    CHECK(!hp_oh_periods("Mo-Fr,PH 08:00-18:00", &p));
    CHECK(!hp_oh_periods("PH off", &p));
    CHECK(!hp_oh_periods("Mo-Fr 08:00-18:00 off", &p));
}
