/* The calendar: dates, holidays and worked weekend days (调休), working-day
 * arithmetic, decision deadlines (docs/contract.md §7) and the time-zone snapshot. */
#include "haulpass/calendar.h"
#include "test.h"

#include <stdlib.h>
#include <time.h>

static void use_zone(const char *zone)
{
    setenv("TZ", zone, 1);
    tzset();
}

static time_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return timegm(&tm);
}

/* Local instant in Shanghai (UTC+8, no DST since 1991). */
static time_t cst(int y, int mo, int d, int h, int mi)
{
    return utc(y, mo, d, h, mi) - 8 * 3600;
}

static struct hp_calendar_date date(int y, int m, int d)
{
    return (struct hp_calendar_date){y, m, d};
}

/* The 2026 plan announced on 2025-11-04 (docs/contract.md §5). */
static struct hp_calendar *calendar_2026(void)
{
    static const int holidays[][3] = {
        {1, 1, 3}, {2, 15, 23}, {4, 4, 6}, {5, 1, 5}, {6, 19, 21}, {9, 25, 27}, {10, 1, 7},
    };
    static const int workdays[][2] = {{1, 4}, {2, 14}, {2, 28}, {5, 9}, {9, 20}, {10, 10}};
    struct hp_calendar_entry e[64];
    size_t n = 0;
    for (size_t i = 0; i < sizeof workdays / sizeof *workdays; i++)
        e[n++] = (struct hp_calendar_entry){{2026, workdays[i][0], workdays[i][1]},
                                            HP_CALENDAR_WORKDAY};
    for (size_t i = 0; i < sizeof holidays / sizeof *holidays; i++)
        for (int d = holidays[i][1]; d <= holidays[i][2]; d++)
            e[n++] = (struct hp_calendar_entry){{2026, holidays[i][0], d}, HP_CALENDAR_HOLIDAY};
    struct hp_calendar *cal = NULL;
    struct hp_calendar_error err;
    if (hp_calendar_new(e, n, &cal, &err) != HP_CALENDAR_OK) {
        printf("    calendar: %s\n", err.message);
        return NULL;
    }
    return cal;
}

#define CHECK_DATE(got, y, m, d)                                                        \
    do {                                                                                \
        struct hp_calendar_date g_ = (got);                                             \
        if (g_.year != (y) || g_.month != (m) || g_.day != (d))                          \
            hp_test_fail(__FILE__, __LINE__, "%s is %04d-%02d-%02d, not %04d-%02d-%02d", \
                         #got, g_.year, g_.month, g_.day, (y), (m), (d));               \
    } while (0)

/* due_at in Shanghai for a submission at local y-mo-d h:mi. */
static time_t due(const struct hp_calendar *cal, int y, int mo, int d, int h, int mi, int n)
{
    return hp_calendar_due_at(cal, cst(y, mo, d, h, mi), n);
}

/* --- Dates ------------------------------------------------------------- */

TEST(a_date_parses_only_as_yyyy_mm_dd)
{
    struct hp_calendar_date d = {0, 0, 0};
    CHECK(hp_calendar_date_parse("2026-02-28", &d));
    CHECK_DATE(d, 2026, 2, 28);
    CHECK(hp_calendar_date_parse("2024-02-29", &d));
    CHECK(hp_calendar_date_parse("2000-02-29", &d));
    CHECK(hp_calendar_date_parse("0001-01-01", &d));
    CHECK(hp_calendar_date_parse("9999-12-31", &d));
    const char *bad[] = {
        "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
        "2026-01-00", "0000-01-01", "2026-1-01",  "2026-01-1",  "2026/01/01", "20260101",
        "2026-01-01x", " 2026-01-01", "2026-01-01T00:00", "", "+026-01-01", "2026-0a-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d = date(1, 2, 3);
        if (hp_calendar_date_parse(bad[i], &d))
            hp_test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
        CHECK_DATE(d, 1, 2, 3); /* untouched */
    }
    CHECK(!hp_calendar_date_parse(NULL, &d));
}

TEST(a_date_formats_back_to_the_same_text)
{
    char buf[11];
    CHECK(hp_calendar_date_format(date(2026, 1, 4), buf));
    CHECK_STR(buf, "2026-01-04");
    CHECK(hp_calendar_date_format(date(33, 12, 31), buf));
    CHECK_STR(buf, "0033-12-31");
    CHECK(!hp_calendar_date_format(date(2026, 2, 30), buf));
    CHECK_STR(buf, "");
    CHECK(!hp_calendar_date_format(date(10000, 1, 1), buf));
}

TEST(day_numbers_count_from_1970_and_go_both_ways)
{
    CHECK_INT(hp_calendar_date_to_days(date(1970, 1, 1)), 0);
    CHECK_INT(hp_calendar_date_to_days(date(2026, 1, 1)), 20454);
    CHECK_INT(hp_calendar_date_to_days(date(1969, 12, 31)), -1);
    CHECK_INT(hp_calendar_date_to_days(date(2000, 3, 1)), 11017);
    /* 0001-01-01 .. 9999-12-31 */
    CHECK_INT(hp_calendar_date_to_days(date(1, 1, 1)), -719162);
    for (int64_t d = -719162; d <= 2932896; d += 997) {
        struct hp_calendar_date x = hp_calendar_date_from_days(d);
        if (hp_calendar_date_to_days(x) != d || !hp_calendar_date_valid(x)) {
            hp_test_fail(__FILE__, __LINE__, "day %lld does not round-trip", (long long)d);
            break;
        }
    }
}

TEST(weekdays_are_iso_numbered)
{
    CHECK_INT(hp_calendar_date_weekday(date(2026, 1, 1)), 4); /* Thursday */
    CHECK_INT(hp_calendar_date_weekday(date(2026, 1, 4)), 7); /* Sunday */
    CHECK_INT(hp_calendar_date_weekday(date(2026, 1, 5)), 1); /* Monday */
    CHECK_INT(hp_calendar_date_weekday(date(1969, 12, 31)), 3);
}

TEST(dates_compare_like_strcmp)
{
    CHECK(hp_calendar_date_compare(date(2026, 1, 1), date(2026, 1, 2)) < 0);
    CHECK(hp_calendar_date_compare(date(2026, 2, 1), date(2026, 1, 31)) > 0);
    CHECK(hp_calendar_date_compare(date(2025, 12, 31), date(2026, 1, 1)) < 0);
    CHECK_INT(hp_calendar_date_compare(date(2026, 1, 1), date(2026, 1, 1)), 0);
}

/* --- Building a calendar ---------------------------------------------- */

static void expect_rejected(const struct hp_calendar_entry *e, size_t n, size_t index,
                            const char *message)
{
    struct hp_calendar *cal = (struct hp_calendar *)&cal; /* must be reset to NULL */
    struct hp_calendar_error err = {0};
    CHECK_INT(hp_calendar_new(e, n, &cal, &err), HP_CALENDAR_INVALID);
    CHECK(cal == NULL);
    CHECK_INT(err.index, index);
    CHECK_STR(err.message, message);
}

TEST(a_calendar_rejects_impossible_dates)
{
    struct hp_calendar_entry e[] = {
        {{2026, 1, 1}, HP_CALENDAR_HOLIDAY},
        {{2026, 2, 30}, HP_CALENDAR_HOLIDAY},
    };
    expect_rejected(e, 2, 1, "2026-02-30 is not a date");
}

TEST(a_calendar_rejects_a_date_listed_twice)
{
    struct hp_calendar_entry e[] = {
        {{2026, 10, 1}, HP_CALENDAR_HOLIDAY},
        {{2026, 1, 1}, HP_CALENDAR_HOLIDAY},
        {{2026, 10, 1}, HP_CALENDAR_HOLIDAY},
    };
    expect_rejected(e, 3, 2, "2026-10-01 is listed twice");
}

TEST(a_calendar_rejects_a_workday_that_is_not_a_weekend_day)
{
    struct hp_calendar_entry e[] = {{{2026, 1, 5}, HP_CALENDAR_WORKDAY}};
    expect_rejected(e, 1, 0, "2026-01-05 is a Monday; only a Saturday or Sunday can be a workday");
}

TEST(a_calendar_rejects_an_unknown_kind)
{
    struct hp_calendar_entry e[] = {{{2026, 1, 3}, (enum hp_calendar_kind)7}};
    expect_rejected(e, 1, 0, "2026-01-03: kind must be holiday or workday");
}

TEST(an_empty_calendar_works_monday_to_friday)
{
    struct hp_calendar *cal = NULL;
    REQUIRE(hp_calendar_new(NULL, 0, &cal, NULL) == HP_CALENDAR_OK);
    CHECK(hp_calendar_is_working_day(cal, date(2026, 1, 1)));
    CHECK(!hp_calendar_is_working_day(cal, date(2026, 1, 4)));
    CHECK(!hp_calendar_is_holiday(cal, date(2026, 1, 1)));
    hp_calendar_free(cal);
    hp_calendar_free(NULL);
    CHECK(hp_calendar_is_working_day(NULL, date(2026, 1, 2)));
    CHECK(!hp_calendar_is_working_day(NULL, date(2026, 1, 3)));
}

/* --- Working days in 2026 -------------------------------------------------- */

TEST(holidays_are_no_working_days_and_worked_weekend_days_are)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK(hp_calendar_is_holiday(cal, date(2026, 1, 1)));
    CHECK(!hp_calendar_is_working_day(cal, date(2026, 1, 1)));
    CHECK(hp_calendar_is_holiday(cal, date(2026, 1, 3))); /* a Saturday holiday */
    CHECK(hp_calendar_is_working_day(cal, date(2026, 1, 4)));  /* Sunday, worked */
    CHECK(!hp_calendar_is_holiday(cal, date(2026, 1, 4)));
    CHECK(hp_calendar_is_working_day(cal, date(2026, 1, 5)));
    CHECK(!hp_calendar_is_working_day(cal, date(2026, 1, 10))); /* plain Saturday */
    CHECK(hp_calendar_is_working_day(cal, date(2026, 2, 14)));  /* Saturday, worked */
    for (int d = 15; d <= 23; d++)
        CHECK(!hp_calendar_is_working_day(cal, date(2026, 2, d)));
    CHECK(hp_calendar_is_working_day(cal, date(2026, 2, 24)));
    CHECK(hp_calendar_is_working_day(cal, date(2026, 2, 28)));
    CHECK(hp_calendar_is_working_day(cal, date(2026, 10, 10)));
    CHECK(!hp_calendar_is_working_day(cal, date(2026, 10, 7)));
    CHECK(!hp_calendar_is_working_day(cal, date(2026, 2, 30))); /* invalid: false */
    hp_calendar_free(cal);
}

TEST(adding_working_days_uses_makeup_saturdays_and_skips_the_spring_festival)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 13), 0), 2026, 2, 13);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 13), 1), 2026, 2, 14);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 13), 2), 2026, 2, 24);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 24), -1), 2026, 2, 14);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 24), -2), 2026, 2, 13);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 24), 4), 2026, 2, 28);
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 2, 24), 5), 2026, 3, 2);
    /* n = 0 gives the day itself, even a holiday. */
    CHECK_DATE(hp_calendar_add_working_days(cal, date(2026, 10, 1), 0), 2026, 10, 1);
    hp_calendar_free(cal);
}

TEST(adding_many_working_days_agrees_with_walking_day_by_day)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    struct hp_calendar_date from[] = {date(2025, 12, 20), date(2026, 2, 13), date(2026, 12, 30),
                                      date(2027, 3, 6)};
    for (size_t f = 0; f < sizeof from / sizeof *from; f++) {
        for (int n = -400; n <= 400; n += 7) {
            int64_t day = hp_calendar_date_to_days(from[f]);
            int left = abs(n), step = n < 0 ? -1 : 1;
            while (left > 0) {
                day += step;
                if (hp_calendar_is_working_day(cal, hp_calendar_date_from_days(day)))
                    left--;
            }
            struct hp_calendar_date want = hp_calendar_date_from_days(day);
            struct hp_calendar_date got = hp_calendar_add_working_days(cal, from[f], n);
            if (hp_calendar_date_compare(got, want) != 0) {
                hp_test_fail(__FILE__, __LINE__, "from %d-%d-%d by %d: %d-%d-%d, want %d-%d-%d",
                             from[f].year, from[f].month, from[f].day, n, got.year, got.month,
                             got.day, want.year, want.month, want.day);
                break;
            }
        }
    }
    /* A huge n takes no time and lands on a weekday. */
    struct hp_calendar_date far = hp_calendar_add_working_days(cal, date(2026, 1, 5), 1000000);
    CHECK(hp_calendar_date_weekday(far) <= 5);
    hp_calendar_free(cal);
}

/* --- Deadlines (docs/contract.md §7), Shanghai ------------------------------------- */

TEST(a_submission_before_16_00_on_a_working_day_starts_that_day)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_INT(due(cal, 2026, 1, 5, 10, 0, 0), cst(2026, 1, 5, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 5, 15, 59, 0), cst(2026, 1, 5, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 5, 0, 0, 1), cst(2026, 1, 6, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 5, 10, 0, 3), cst(2026, 1, 8, 18, 0));
    CHECK_DATE(hp_calendar_start_day(cal, cst(2026, 1, 5, 15, 59)), 2026, 1, 5);
    hp_calendar_free(cal);
}

TEST(a_submission_at_or_after_16_00_starts_the_next_working_day)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_INT(due(cal, 2026, 1, 5, 16, 0, 0), cst(2026, 1, 6, 18, 0));
    CHECK_INT(hp_calendar_due_at(cal, cst(2026, 1, 5, 16, 0) - 1, 0), cst(2026, 1, 5, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 5, 23, 59, 1), cst(2026, 1, 7, 18, 0));
    /* Friday evening: Monday. */
    CHECK_INT(due(cal, 2026, 1, 9, 17, 0, 0), cst(2026, 1, 12, 18, 0));
    hp_calendar_free(cal);
}

TEST(a_submission_on_a_holiday_starts_the_next_working_day_even_a_makeup_sunday)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    /* New Year's Day (Thu); Jan 2-3 holidays; Sunday Jan 4 is worked. */
    CHECK_DATE(hp_calendar_start_day(cal, cst(2026, 1, 1, 9, 0)), 2026, 1, 4);
    CHECK_INT(due(cal, 2026, 1, 1, 9, 0, 0), cst(2026, 1, 4, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 1, 9, 0, 1), cst(2026, 1, 5, 18, 0));
    /* National Day week: Sep 30 after 16:00, Oct 1-7 off, Oct 10 (Sat) worked. */
    CHECK_INT(due(cal, 2026, 9, 30, 17, 0, 0), cst(2026, 10, 8, 18, 0));
    CHECK_INT(due(cal, 2026, 9, 30, 17, 0, 2), cst(2026, 10, 10, 18, 0));
    CHECK_INT(due(cal, 2026, 9, 30, 17, 0, 3), cst(2026, 10, 12, 18, 0));
    CHECK_INT(due(cal, 2026, 10, 3, 12, 0, 0), cst(2026, 10, 8, 18, 0));
    hp_calendar_free(cal);
}

TEST(a_submission_on_a_weekend_starts_monday_unless_the_weekend_day_is_worked)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_INT(due(cal, 2026, 1, 10, 9, 0, 0), cst(2026, 1, 12, 18, 0));
    CHECK_INT(due(cal, 2026, 1, 11, 9, 0, 1), cst(2026, 1, 13, 18, 0));
    /* Saturday Sep 19 is off, Sunday Sep 20 is worked. */
    CHECK_INT(due(cal, 2026, 9, 19, 9, 0, 0), cst(2026, 9, 20, 18, 0));
    /* On the worked Saturday itself, before 16:00: that day. */
    CHECK_INT(due(cal, 2026, 2, 14, 9, 0, 0), cst(2026, 2, 14, 18, 0));
    CHECK_INT(due(cal, 2026, 5, 9, 15, 0, 0), cst(2026, 5, 9, 18, 0));
    hp_calendar_free(cal);
}

TEST(the_spring_festival_week_pushes_deadlines_past_it)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    /* Friday Feb 13 after 16:00: start Saturday Feb 14 (worked). */
    CHECK_INT(due(cal, 2026, 2, 13, 17, 0, 0), cst(2026, 2, 14, 18, 0));
    CHECK_INT(due(cal, 2026, 2, 13, 17, 0, 1), cst(2026, 2, 24, 18, 0));
    /* In the middle of the festival: start Tuesday Feb 24. */
    CHECK_INT(due(cal, 2026, 2, 18, 10, 0, 0), cst(2026, 2, 24, 18, 0));
    CHECK_INT(due(cal, 2026, 2, 18, 10, 0, 3), cst(2026, 2, 27, 18, 0));
    CHECK_INT(due(cal, 2026, 2, 18, 10, 0, 4), cst(2026, 2, 28, 18, 0)); /* worked Saturday */
    CHECK_INT(due(cal, 2026, 2, 18, 10, 0, 5), cst(2026, 3, 2, 18, 0));
    hp_calendar_free(cal);
}

TEST(each_application_type_gets_its_deadline_and_fast_track_half_of_it)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    /* Thursday Apr 30 10:00; May 1-5 off, Saturday May 9 worked. The caller
     * halves for fast track: 3 -> 1, 1 -> 0, 0 -> 0. */
    time_t t = cst(2026, 4, 30, 10, 0);
    CHECK_INT(hp_calendar_due_at(cal, t, 0), cst(2026, 4, 30, 18, 0)); /* hazmat */
    CHECK_INT(hp_calendar_due_at(cal, t, 1), cst(2026, 5, 6, 18, 0));  /* construction, temporary */
    CHECK_INT(hp_calendar_due_at(cal, t, 3), cst(2026, 5, 8, 18, 0));  /* urban_delivery, oversize */
    CHECK_INT(hp_calendar_due_at(cal, t, 3 / 2), cst(2026, 5, 6, 18, 0));
    CHECK_INT(hp_calendar_due_at(cal, t, 4), cst(2026, 5, 9, 18, 0));
    hp_calendar_free(cal);
}

TEST(a_negative_number_of_working_days_counts_as_zero)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_INT(due(cal, 2026, 1, 5, 10, 0, -3), cst(2026, 1, 5, 18, 0));
    hp_calendar_free(cal);
}

TEST(without_a_calendar_deadlines_count_monday_to_friday)
{
    use_zone("Asia/Shanghai");
    CHECK_INT(due(NULL, 2026, 1, 1, 9, 0, 0), cst(2026, 1, 1, 18, 0));
    CHECK_INT(due(NULL, 2026, 1, 9, 17, 0, 1), cst(2026, 1, 13, 18, 0));
}

/* --- Local time -------------------------------------------------------- */

TEST(deadlines_in_london_are_18_00_on_the_local_clock_across_the_clock_change)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    /* Friday Mar 27 17:00 GMT: start Monday Mar 30 (BST), due Tuesday 18:00 BST. */
    CHECK_INT(hp_calendar_due_at(cal, utc(2026, 3, 27, 17, 0), 1), utc(2026, 3, 31, 17, 0));
    /* Friday Oct 23 15:59 BST (14:59 UTC): same day. */
    CHECK_INT(hp_calendar_due_at(cal, utc(2026, 10, 23, 14, 59), 0), utc(2026, 10, 23, 17, 0));
    /* ...16:00 BST is 15:00 UTC: Monday Oct 26, 18:00 GMT. */
    CHECK_INT(hp_calendar_due_at(cal, utc(2026, 10, 23, 15, 0), 0), utc(2026, 10, 26, 18, 0));
    hp_calendar_free(cal);
}

TEST(local_times_that_occur_twice_or_never_follow_javascript)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    /* 01:30 on 2026-03-29 does not exist: read on GMT, it is 02:30 BST. */
    CHECK_INT(hp_calendar_local_time(cal, date(2026, 3, 29), 90), utc(2026, 3, 29, 1, 30));
    /* 01:30 on 2026-10-25 happens twice: the first (BST) one. */
    CHECK_INT(hp_calendar_local_time(cal, date(2026, 10, 25), 90), utc(2026, 10, 25, 0, 30));
    CHECK_INT(hp_calendar_local_time(cal, date(2026, 10, 25), 1440), utc(2026, 10, 26, 0, 0));
    /* The same without a calendar (localtime_r). */
    CHECK_INT(hp_calendar_local_time(NULL, date(2026, 3, 29), 90), utc(2026, 3, 29, 1, 30));
    CHECK_INT(hp_calendar_local_time(NULL, date(2026, 10, 25), 90), utc(2026, 10, 25, 0, 30));
    CHECK_INT(hp_calendar_local_time(cal, date(2026, 2, 30), 0), -1);
    CHECK_INT(hp_calendar_local_time(cal, date(2026, 2, 3), 1441), -1);
    hp_calendar_free(cal);
}

TEST(the_local_date_is_read_in_the_process_zone)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    CHECK_DATE(hp_calendar_local_date(cal, utc(2026, 1, 1, 15, 59)), 2026, 1, 1);
    CHECK_DATE(hp_calendar_local_date(cal, utc(2026, 1, 1, 16, 0)), 2026, 1, 2);
    CHECK_INT(hp_calendar_utc_offset(cal, utc(2026, 7, 1, 0, 0)), 8 * 3600);
    hp_calendar_free(cal);
}

/* The snapshot must agree with localtime_r() at every instant it covers. */
static void check_snapshot(const char *zone)
{
    use_zone(zone);
    struct hp_calendar *cal = calendar_2026();
    REQUIRE(cal);
    int bad = 0;
    for (time_t t = utc(2024, 12, 25, 0, 0); t < utc(2028, 1, 10, 0, 0) && bad < 3; t += 1800 + 7) {
        struct tm tm;
        localtime_r(&t, &tm);
        if (hp_calendar_utc_offset(cal, t) != tm.tm_gmtoff) {
            hp_test_fail(__FILE__, __LINE__, "%s at %lld: %d, localtime_r %ld", zone,
                         (long long)t, (int)hp_calendar_utc_offset(cal, t), (long)tm.tm_gmtoff);
            bad++;
        }
    }
    hp_calendar_free(cal);
}

TEST(the_zone_snapshot_agrees_with_localtime_r)
{
    check_snapshot("Asia/Shanghai");
    check_snapshot("Europe/London");
    check_snapshot("Australia/Lord_Howe"); /* half-hour DST */
    check_snapshot("America/Santiago");
    check_snapshot("Africa/Casablanca"); /* DST suspended for Ramadan */
    check_snapshot("UTC");
    use_zone("Asia/Shanghai");
}
