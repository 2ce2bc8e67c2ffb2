/* Escort scheduling: durations, the earliest feasible start of one unit
 * against its duty hours and bookings, and the choice among units. */
#include "haulpass/calendar.h"
#include "haulpass/escort_schedule.h"
#include "haulpass/opening_hours.h"
#include "test.h"

#include <stdlib.h>
#include <time.h>

#define H 3600
#define M 60
#define T HP_ESCORT_TURNAROUND_S

int hp_test_setup(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return 0;
}

/* 2026-12-01 (a Tuesday) at h:mi local time (UTC+8). */
static time_t at(int h, int mi)
{
    struct tm tm = {.tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_hour = h, .tm_min = mi,
                    .tm_isdst = -1};
    return mktime(&tm);
}

static struct hp_oh *hours(const char *src)
{
    struct hp_oh *oh = NULL;
    CHECK_INT(hp_oh_compile(src, &oh, NULL), HP_OH_OK);
    return oh;
}

TEST(an_escort_lasts_its_drive_at_40_kmh_plus_30_minutes_rounded_up_to_a_minute)
{
    CHECK_INT(hp_escort_duration_s(0), 30 * M);
    CHECK_INT(hp_escort_duration_s(20000), 60 * M);   /* 20 km: 30 min drive */
    CHECK_INT(hp_escort_duration_s(20001), 61 * M);   /* a second more: next minute */
    CHECK_INT(hp_escort_duration_s(40000 * 1.3), 30 * M + 78 * M);
    CHECK_INT(hp_escort_duration_s(-5), 30 * M);
    CHECK(hp_escort_duration_s(1e300) > 0);
}

TEST(a_free_unit_on_duty_starts_at_the_start_of_the_window)
{
    struct hp_oh *oh = hours("24/7");
    time_t s = 0;
    CHECK(hp_escort_earliest(oh, NULL, NULL, 0, at(9, 0), at(17, 0), H, T, &s));
    CHECK_INT(s, at(9, 0));
    hp_oh_free(oh);
}

TEST(a_start_waits_for_duty_and_the_escort_must_end_before_duty_ends)
{
    struct hp_oh *oh = hours("Mo-Fr 08:00-12:00,13:00-18:00");
    time_t s = 0;
    CHECK(hp_escort_earliest(oh, NULL, NULL, 0, at(6, 0), at(20, 0), H, T, &s));
    CHECK_INT(s, at(8, 0));
    /* 11:30 + 1 h runs into the lunch break: the next start is 13:00. */
    CHECK(hp_escort_earliest(oh, NULL, NULL, 0, at(11, 30), at(20, 0), H, T, &s));
    CHECK_INT(s, at(13, 0));
    /* Ending exactly when duty ends is fine; the turnaround may run past it. */
    CHECK(hp_escort_earliest(oh, NULL, NULL, 0, at(17, 0), at(20, 0), H, T, &s));
    CHECK_INT(s, at(17, 0));
    CHECK(!hp_escort_earliest(oh, NULL, NULL, 0, at(17, 1), at(20, 0), H, T, &s));
    hp_oh_free(oh);
}

TEST(a_booking_and_its_turnaround_push_the_next_start_back)
{
    struct hp_oh *oh = hours("24/7");
    /* Busy 09:00-10:30 (escort 09:00-10:00 plus turnaround) and 11:00-12:00. */
    struct hp_escort_busy busy[] = {{at(9, 0), at(10, 30)}, {at(11, 0), at(12, 0)}};
    time_t s = 0;
    CHECK(hp_escort_earliest(oh, NULL, busy, 2, at(9, 0), at(17, 0), H, T, &s));
    /* 10:30 + 1 h + 30 min turnaround would reach into 11:00: wait until 12:00. */
    CHECK_INT(s, at(12, 0));
    /* A 30-minute escort fits in the gap exactly. */
    CHECK(hp_escort_earliest(oh, NULL, busy, 2, at(9, 0), at(17, 0), 30 * M, 0, &s));
    CHECK_INT(s, at(10, 30));
    /* Back to back: a booking that ends where the window starts does not block. */
    CHECK(hp_escort_earliest(oh, NULL, busy, 2, at(10, 30), at(17, 0), 15 * M, 15 * M, &s));
    CHECK_INT(s, at(10, 30));
    hp_oh_free(oh);
}

TEST(no_start_is_found_when_the_window_is_full_or_empty)
{
    struct hp_oh *oh = hours("24/7");
    struct hp_escort_busy busy[] = {{at(8, 0), at(18, 0)}};
    time_t s = 0;
    CHECK(!hp_escort_earliest(oh, NULL, busy, 1, at(9, 0), at(17, 0), H, T, &s));
    /* The latest start itself is allowed. */
    CHECK(hp_escort_earliest(oh, NULL, busy, 1, at(9, 0), at(18, 0), H, T, &s));
    CHECK_INT(s, at(18, 0));
    CHECK(!hp_escort_earliest(oh, NULL, NULL, 0, at(9, 0), at(8, 0), H, T, &s));
    CHECK(!hp_escort_earliest(oh, NULL, NULL, 0, at(9, 0), at(10, 0), 0, T, &s));
    struct hp_oh *never = hours("Sa-Su 08:00-18:00");
    CHECK(!hp_escort_earliest(never, NULL, NULL, 0, at(0, 0), at(23, 0), H, T, &s));
    hp_oh_free(never);
    hp_oh_free(oh);
}

TEST(public_holidays_in_duty_hours_follow_the_calendar)
{
    struct hp_calendar_entry e[] = {{{2026, 12, 1}, HP_CALENDAR_HOLIDAY}};
    struct hp_calendar *cal = NULL;
    REQUIRE(hp_calendar_new(e, 1, &cal, NULL) == HP_CALENDAR_OK);
    struct hp_oh *oh = hours("08:00-18:00; PH off");
    time_t s = 0;
    CHECK(hp_escort_earliest(oh, cal, NULL, 0, at(6, 0), at(6, 0) + 48 * H, H, T, &s));
    CHECK_INT(s, at(8, 0) + 24 * H); /* the holiday is skipped */
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(a_day_of_back_to_back_bookings_is_searched_in_one_pass)
{
    struct hp_oh *oh = hours("24/7");
    enum { N = 2000 };
    static struct hp_escort_busy busy[N];
    for (int i = 0; i < N; i++) /* 5 minutes taken of every 10 */
        busy[i] = (struct hp_escort_busy){at(0, 0) + i * 10 * M, at(0, 0) + i * 10 * M + 5 * M};
    time_t s = 0;
    CHECK(hp_escort_earliest(oh, NULL, busy, N, at(0, 0), at(0, 0) + 30 * 24 * H, H, T, &s));
    CHECK_INT(s, at(0, 0) + (N - 1) * 10 * M + 5 * M);
    hp_oh_free(oh);
}

TEST(the_earliest_start_wins_and_the_nearest_base_breaks_a_tie)
{
    struct hp_escort_candidate c[] = {
        {true, 1000, 900.0}, {false, 10, 1.0}, {true, 1000, 100.0}, {true, 500, 5000.0},
        {true, 2000, 1.0},
    };
    CHECK_INT(hp_escort_best(c, 5), 3);
    CHECK_INT(hp_escort_best(c, 3), 2);
    CHECK_INT(hp_escort_best(c, 2), 0);
    CHECK_INT(hp_escort_best(c + 1, 1), -1);
    size_t out[3];
    CHECK_INT(hp_escort_ranked(c, 5, out, 3), 3);
    CHECK_INT(out[0], 3);
    CHECK_INT(out[1], 2);
    CHECK_INT(out[2], 0);
    CHECK_INT(hp_escort_ranked(c, 5, out, 1), 1);
    CHECK_INT(out[0], 3);
    CHECK_INT(hp_escort_ranked(c, 0, out, 3), 0);
}
