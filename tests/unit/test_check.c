/* Rules applying to vehicles and the instants they are broken, pure. */
#include "test.h"

#include "haulpass/calendar.h"
#include "haulpass/check.h"
#include "haulpass/opening_hours.h"
#include "haulpass/time.h"
#include "haulpass/vocab.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static time_t at(const char *s)
{
    int64_t us = 0;
    hp_time_parse(s, &us);
    return (time_t)(us / 1000000);
}

static struct hp_rule rule(const char *hours)
{
    struct hp_rule r = {.min_gross_kg = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    if (hours)
        hp_oh_compile(hours, &r.hours, NULL);
    r.hours_text = r.hours ? hp_oh_text(r.hours) : NULL;
    r.liftable = 1u << hp_vocab_index(hp_pass_types, "construction");
    return r;
}

TEST(a_rule_applies_by_class_exemption_weight_above_the_minimum_and_hazmat)
{
    struct hp_rule r = rule(NULL);
    int heavy = hp_vocab_index(hp_vehicle_classes, "heavy_truck");
    int pickup = hp_vocab_index(hp_vehicle_classes, "pickup");
    struct hp_check_vehicle v = {heavy, 18000, false};
    CHECK(hp_check_rule_applies(&r, &v));
    r.classes = 1u << pickup;
    CHECK(!hp_check_rule_applies(&r, &v));
    r.classes = 0;
    r.exempt = 1u << heavy;
    CHECK(!hp_check_rule_applies(&r, &v));
    r.exempt = 0;
    r.min_gross_kg = 18000;
    CHECK(!hp_check_rule_applies(&r, &v)); /* above the minimum, not at it */
    r.min_gross_kg = 17999;
    CHECK(hp_check_rule_applies(&r, &v));
    r.hazmat_only = true;
    CHECK(!hp_check_rule_applies(&r, &v));
    v.hazmat = true;
    CHECK(hp_check_rule_applies(&r, &v));
}

TEST(a_rule_is_broken_at_the_first_open_instant_of_the_crossing)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    struct hp_rule r = rule("Mo-Fr 07:00-09:00");
    time_t when;
    const struct hp_snap_pass *lifter;
    /* 2026-12-01 is a Tuesday. */
    CHECK(!hp_check_rule_violated(&r, NULL, 0, at("2026-12-01T05:00:00+08:00"),
                                  at("2026-12-01T06:59:59+08:00"), NULL, &when, &lifter));
    REQUIRE(hp_check_rule_violated(&r, NULL, 0, at("2026-12-01T06:30:00+08:00"),
                                   at("2026-12-01T07:30:00+08:00"), NULL, &when, &lifter));
    CHECK(when == at("2026-12-01T07:00:00+08:00"));
    r.from_day = 20424; /* 2025-12-02: the dates hold */
    r.to_day = 20787;   /* 2026-11-30: they do not */
    CHECK(!hp_check_rule_violated(&r, NULL, 0, at("2026-12-01T06:30:00+08:00"),
                                  at("2026-12-01T07:30:00+08:00"), NULL, &when, &lifter));
    hp_oh_free(r.hours);
}

TEST(a_pass_lifts_the_rule_only_while_it_is_valid_and_a_provisional_one_only_before_its_due)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    struct hp_rule r = rule(NULL);
    struct hp_snap_pass p = {.code = "HP-TEST", .from_day = INT64_MIN, .to_day = INT64_MAX};
    struct hp_oh *hours;
    REQUIRE(hp_oh_compile("08:00-10:00", &hours, NULL) == HP_OH_OK);
    p.hours = hours;
    const struct hp_snap_pass *passes[] = {&p};
    time_t when;
    const struct hp_snap_pass *lifter;
    CHECK(!hp_check_rule_violated(&r, passes, 1, at("2026-12-01T08:00:00+08:00"),
                                  at("2026-12-01T09:59:59+08:00"), NULL, &when, &lifter));
    CHECK(lifter == &p);
    REQUIRE(hp_check_rule_violated(&r, passes, 1, at("2026-12-01T09:00:00+08:00"),
                                   at("2026-12-01T10:30:00+08:00"), NULL, &when, &lifter));
    CHECK(when == at("2026-12-01T10:00:00+08:00"));
    p.provisional = true;
    p.documents_due = at("2026-12-01T09:00:00+08:00");
    REQUIRE(hp_check_rule_violated(&r, passes, 1, at("2026-12-01T08:30:00+08:00"),
                                   at("2026-12-01T09:30:00+08:00"), NULL, &when, &lifter));
    CHECK(when == p.documents_due);
    hp_oh_free(hours);
}

TEST(a_calendar_without_entries_covers_the_years_asked_with_the_offsets_of_localtime)
{
    setenv("TZ", "Europe/London", 1);
    tzset();
    struct hp_calendar *cal;
    REQUIRE(hp_calendar_new(NULL, 0, &cal, NULL) == HP_CALENDAR_OK);
    REQUIRE(hp_calendar_cover_years(cal, 2025, 2027));
    /* Summer and winter time, and either side of the change in March. */
    const char *instants[] = {"2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z",
                              "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z"};
    for (int i = 0; i < 4; i++) {
        time_t t = at(instants[i]);
        struct tm tm;
        localtime_r(&t, &tm);
        CHECK_INT(hp_calendar_utc_offset(cal, t), tm.tm_gmtoff);
    }
    hp_calendar_free(cal);
}
