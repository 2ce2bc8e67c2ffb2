/* opening_hours: grammar, semantics (those of the npm reference), errors
 * with their positions, interval queries and the nights clocks change. */
#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"
#include "test.h"

#include <stdlib.h>
#include <time.h>

static void use_zone(const char *zone)
{
    setenv("TZ", zone, 1);
    tzset();
}

/* An instant from UTC fields. */
static time_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return timegm(&tm);
}

/* An instant from local fields, away from clock changes. */
static time_t local(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_isdst = -1};
    return mktime(&tm);
}

/* The 2026 calendar (docs/contract.md §5). Build it after use_zone(). */
static struct hp_calendar *calendar_2026(void)
{
    static const int holidays[][3] = {
        {1, 1, 3}, {2, 15, 23}, {4, 4, 6}, {5, 1, 5}, {6, 19, 21}, {9, 25, 27}, {10, 1, 7},
    };
    static const int workdays[][2] = {{1, 4}, {2, 14}, {2, 28}, {5, 9}, {9, 20}, {10, 10}};
    struct hp_calendar_entry e[64];
    size_t n = 0;
    for (size_t i = 0; i < sizeof holidays / sizeof *holidays; i++)
        for (int d = holidays[i][1]; d <= holidays[i][2]; d++)
            e[n++] = (struct hp_calendar_entry){{2026, holidays[i][0], d}, HP_CALENDAR_HOLIDAY};
    for (size_t i = 0; i < sizeof workdays / sizeof *workdays; i++)
        e[n++] = (struct hp_calendar_entry){{2026, workdays[i][0], workdays[i][1]},
                                            HP_CALENDAR_WORKDAY};
    struct hp_calendar *cal = NULL;
    if (hp_calendar_new(e, n, &cal, NULL) != HP_CALENDAR_OK)
        return NULL;
    return cal;
}

static struct hp_oh *compile(const char *src)
{
    struct hp_oh *oh = NULL;
    struct hp_oh_error err;
    if (hp_oh_compile(src, &oh, &err) != HP_OH_OK)
        printf("    compile \"%s\": %s\n", src, err.message);
    return oh;
}

/* Open at local time y-mo-d h:mi, with the 2026 calendar, in Shanghai? */
static int open_at(const char *src, int y, int mo, int d, int h, int mi)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile(src);
    int r = oh && cal ? hp_oh_is_open(oh, local(y, mo, d, h, mi), cal) : -1;
    hp_oh_free(oh);
    hp_calendar_free(cal);
    return r;
}

/* --- Grammar and semantics ----------------------------------------------- */

TEST(twenty_four_seven_is_always_open)
{
    CHECK_INT(open_at("24/7", 2026, 1, 1, 0, 0), 1);
    CHECK_INT(open_at("24/7", 2026, 7, 4, 23, 59), 1);
}

TEST(a_weekday_range_selects_only_those_days)
{
    /* 2026-01-05 is a Monday. */
    CHECK_INT(open_at("Mo-Fr", 2026, 1, 5, 3, 0), 1);
    CHECK_INT(open_at("Mo-Fr", 2026, 1, 9, 23, 59), 1);
    CHECK_INT(open_at("Mo-Fr", 2026, 1, 10, 12, 0), 0);
    CHECK_INT(open_at("Mo-Fr", 2026, 1, 11, 12, 0), 0);
}

TEST(a_weekday_range_may_wrap_over_the_weekend)
{
    CHECK_INT(open_at("Sa-Mo 10:00-12:00", 2026, 1, 10, 11, 0), 1);
    CHECK_INT(open_at("Sa-Mo 10:00-12:00", 2026, 1, 11, 11, 0), 1);
    CHECK_INT(open_at("Sa-Mo 10:00-12:00", 2026, 1, 12, 11, 0), 1);
    CHECK_INT(open_at("Sa-Mo 10:00-12:00", 2026, 1, 13, 11, 0), 0);
    CHECK_INT(open_at("Sa-Mo 10:00-12:00", 2026, 1, 9, 11, 0), 0);
}

TEST(weekday_lists_combine_single_days_and_ranges)
{
    CHECK_INT(open_at("Mo,We-Th", 2026, 1, 5, 9, 0), 1);
    CHECK_INT(open_at("Mo,We-Th", 2026, 1, 6, 9, 0), 0);
    CHECK_INT(open_at("Mo,We-Th", 2026, 1, 7, 9, 0), 1);
    CHECK_INT(open_at("Mo,We-Th", 2026, 1, 8, 9, 0), 1);
    CHECK_INT(open_at("Mo,We-Th", 2026, 1, 9, 9, 0), 0);
}

TEST(a_time_range_includes_its_start_and_excludes_its_end)
{
    CHECK_INT(open_at("Mo 08:00-12:00", 2026, 1, 5, 7, 59), 0);
    CHECK_INT(open_at("Mo 08:00-12:00", 2026, 1, 5, 8, 0), 1);
    CHECK_INT(open_at("Mo 08:00-12:00", 2026, 1, 5, 11, 59), 1);
    CHECK_INT(open_at("Mo 08:00-12:00", 2026, 1, 5, 12, 0), 0);
}

TEST(several_time_ranges_after_commas_all_apply)
{
    const char *rush = "Mo-Fr 07:00-09:00,16:00-18:00";
    CHECK_INT(open_at(rush, 2026, 1, 6, 8, 0), 1);
    CHECK_INT(open_at(rush, 2026, 1, 6, 12, 0), 0);
    CHECK_INT(open_at(rush, 2026, 1, 6, 17, 0), 1);
    CHECK_INT(open_at(rush, 2026, 1, 10, 8, 0), 0);
}

TEST(a_range_crossing_midnight_spills_into_the_next_day)
{
    /* 2026-01-09 is a Friday. */
    CHECK_INT(open_at("Fr 22:00-06:00", 2026, 1, 9, 21, 59), 0);
    CHECK_INT(open_at("Fr 22:00-06:00", 2026, 1, 9, 23, 0), 1);
    CHECK_INT(open_at("Fr 22:00-06:00", 2026, 1, 10, 5, 59), 1);
    CHECK_INT(open_at("Fr 22:00-06:00", 2026, 1, 10, 6, 0), 0);
    /* Friday morning belongs to Thursday night, which is not selected. */
    CHECK_INT(open_at("Fr 22:00-06:00", 2026, 1, 9, 3, 0), 0);
}

TEST(a_range_written_past_midnight_means_the_same)
{
    CHECK_INT(open_at("Fr 22:00-30:00", 2026, 1, 9, 23, 0), 1);
    CHECK_INT(open_at("Fr 22:00-30:00", 2026, 1, 10, 5, 59), 1);
    CHECK_INT(open_at("Fr 22:00-30:00", 2026, 1, 10, 6, 0), 0);
}

TEST(a_range_may_run_to_48_00)
{
    CHECK_INT(open_at("Mo 00:00-48:00", 2026, 1, 6, 23, 59), 1);
    CHECK_INT(open_at("Mo 00:00-48:00", 2026, 1, 7, 0, 0), 0);
}

TEST(an_end_equal_to_the_start_means_24_hours)
{
    CHECK_INT(open_at("Mo 10:00-10:00", 2026, 1, 5, 9, 59), 0);
    CHECK_INT(open_at("Mo 10:00-10:00", 2026, 1, 6, 9, 59), 1);
    CHECK_INT(open_at("Mo 10:00-10:00", 2026, 1, 6, 10, 0), 0);
}

TEST(ph_selects_the_holidays_of_the_calendar)
{
    CHECK_INT(open_at("PH 10:00-12:00", 2026, 1, 1, 11, 0), 1);
    CHECK_INT(open_at("PH 10:00-12:00", 2026, 2, 18, 11, 0), 1);
    CHECK_INT(open_at("PH 10:00-12:00", 2026, 1, 5, 11, 0), 0);
    /* A worked weekend day is no holiday. */
    CHECK_INT(open_at("PH 10:00-12:00", 2026, 1, 4, 11, 0), 0);
}

TEST(ph_means_nothing_without_a_calendar)
{
    use_zone("Asia/Shanghai");
    struct hp_oh *oh = compile("PH");
    REQUIRE(oh);
    CHECK(!hp_oh_is_open(oh, local(2026, 1, 1, 11, 0), NULL));
    hp_oh_free(oh);
}

TEST(ph_in_a_weekday_list_adds_the_holidays)
{
    /* 2026-01-03 is a Saturday and a holiday; 2026-01-10 a plain Saturday. */
    CHECK_INT(open_at("Mo-Fr,PH 08:00-12:00", 2026, 1, 3, 9, 0), 1);
    CHECK_INT(open_at("Mo-Fr,PH 08:00-12:00", 2026, 1, 10, 9, 0), 0);
    CHECK_INT(open_at("PH,Mo-Fr 08:00-12:00", 2026, 1, 3, 9, 0), 1);
    CHECK_INT(open_at("Mo-Fr,PH 08:00-12:00", 2026, 1, 6, 9, 0), 1);
}

TEST(ph_before_weekdays_means_a_holiday_on_one_of_those_days)
{
    CHECK_INT(open_at("PH Mo-Fr 08:00-12:00", 2026, 1, 2, 9, 0), 1);
    CHECK_INT(open_at("PH Mo-Fr 08:00-12:00", 2026, 1, 3, 9, 0), 0);
    CHECK_INT(open_at("PH Mo-Fr 08:00-12:00", 2026, 1, 6, 9, 0), 0);
}

TEST(ph_off_closes_the_holidays_earlier_rules_opened)
{
    const char *s = "Mo-Fr 08:00-18:00; PH off";
    CHECK_INT(open_at(s, 2026, 1, 1, 9, 0), 0);
    CHECK_INT(open_at(s, 2026, 10, 6, 9, 0), 0);
    CHECK_INT(open_at(s, 2026, 1, 5, 9, 0), 1);
}

TEST(a_month_selects_all_of_its_days)
{
    const char *s = "Dec Mo-Fr 08:00-18:00";
    CHECK_INT(open_at(s, 2026, 12, 1, 9, 0), 1);
    CHECK_INT(open_at(s, 2026, 12, 5, 9, 0), 0);
    CHECK_INT(open_at(s, 2026, 11, 30, 9, 0), 0);
    CHECK_INT(open_at("Dec 08:00-18:00", 2026, 12, 5, 9, 0), 1);
}

TEST(month_ranges_may_wrap_over_the_new_year_and_combine_in_lists)
{
    CHECK_INT(open_at("Dec-Feb", 2026, 1, 15, 9, 0), 1);
    CHECK_INT(open_at("Dec-Feb", 2026, 12, 15, 9, 0), 1);
    CHECK_INT(open_at("Dec-Feb", 2026, 3, 1, 9, 0), 0);
    CHECK_INT(open_at("Jan,Mar-Apr", 2026, 2, 10, 9, 0), 0);
    CHECK_INT(open_at("Jan,Mar-Apr", 2026, 4, 30, 9, 0), 1);
}

TEST(a_later_rule_replaces_earlier_ones_on_its_days)
{
    const char *s = "Mo-Fr 08:00-18:00; We 10:00-12:00";
    CHECK_INT(open_at(s, 2026, 1, 7, 9, 0), 0);
    CHECK_INT(open_at(s, 2026, 1, 7, 11, 0), 1);
    CHECK_INT(open_at(s, 2026, 1, 6, 9, 0), 1);
}

TEST(a_later_rule_replaces_the_spill_over_from_the_day_before)
{
    CHECK_INT(open_at("Mo 22:00-06:00; Tu 10:00-12:00", 2026, 1, 6, 3, 0), 0);
    /* The other way round the spill-over comes later, so it stays. */
    CHECK_INT(open_at("Tu 10:00-12:00; Mo 22:00-06:00", 2026, 1, 6, 3, 0), 1);
}

TEST(an_additional_rule_after_a_comma_adds_to_earlier_ones)
{
    CHECK_INT(open_at("Mo-Fr 08:00-12:00, We 14:00-16:00", 2026, 1, 7, 9, 0), 1);
    CHECK_INT(open_at("Mo-Fr 08:00-12:00, We 14:00-16:00", 2026, 1, 7, 15, 0), 1);
    CHECK_INT(open_at("Mo-Fr 08:00-12:00; We 14:00-16:00", 2026, 1, 7, 9, 0), 0);
}

TEST(off_with_times_closes_only_those_times)
{
    const char *s = "Mo-Fr 08:00-18:00; We 12:00-13:00 off";
    CHECK_INT(open_at(s, 2026, 1, 7, 11, 0), 1);
    CHECK_INT(open_at(s, 2026, 1, 7, 12, 30), 0);
    CHECK_INT(open_at(s, 2026, 1, 7, 13, 0), 1);
}

TEST(closed_means_off_and_open_means_open)
{
    CHECK_INT(open_at("24/7; Mo closed", 2026, 1, 5, 9, 0), 0);
    CHECK_INT(open_at("24/7; Mo closed", 2026, 1, 6, 9, 0), 1);
    CHECK_INT(open_at("Mo open", 2026, 1, 5, 9, 0), 1);
    CHECK_INT(open_at("off", 2026, 1, 5, 9, 0), 0);
}

TEST(a_rule_without_selectors_after_one_with_selectors_only_adds)
{
    /* The reference's rule: such a rule does not replace. */
    CHECK_INT(open_at("Mo 10:00-12:00; 14:00-16:00", 2026, 1, 5, 11, 0), 1);
    CHECK_INT(open_at("Mo 10:00-12:00; 14:00-16:00", 2026, 1, 6, 15, 0), 1);
    /* ...but one without selectors after another such one replaces it. */
    CHECK_INT(open_at("10:00-12:00; 14:00-16:00", 2026, 1, 5, 11, 0), 0);
    CHECK_INT(open_at("10:00-12:00; 14:00-16:00", 2026, 1, 5, 15, 0), 1);
}

TEST(a_final_off_closes_everything)
{
    CHECK_INT(open_at("Mo-Fr 08:00-18:00; off", 2026, 1, 5, 9, 0), 0);
}

TEST(the_canonical_text_normalises_spacing_and_means_the_same)
{
    struct hp_oh *oh = compile("Mo-Fr  08:00-12:00 ,Sa 10:00-11:00;PH\toff");
    REQUIRE(oh);
    CHECK_STR(hp_oh_text(oh), "Mo-Fr 08:00-12:00, Sa 10:00-11:00; PH off");
    struct hp_oh *again = compile(hp_oh_text(oh));
    REQUIRE(again);
    CHECK_STR(hp_oh_text(again), hp_oh_text(oh));
    hp_oh_free(again);
    hp_oh_free(oh);

    oh = compile("Dec-Feb PH Sa-Mo,PH 22:00-30:00,01:00-02:00 closed");
    REQUIRE(oh);
    CHECK_STR(hp_oh_text(oh), "Dec-Feb PH Sa-Mo,PH 22:00-30:00,01:00-02:00 closed");
    hp_oh_free(oh);
    hp_oh_free(NULL);
}

/* --- Errors ------------------------------------------------------------ */

static void expect_error(const char *src, size_t pos, const char *message)
{
    struct hp_oh *oh = (struct hp_oh *)&oh; /* must be reset to NULL */
    struct hp_oh_error err = {0};
    int status = hp_oh_compile(src, &oh, &err);
    CHECK_INT(status, HP_OH_SYNTAX);
    CHECK(oh == NULL);
    CHECK_INT(err.pos, pos);
    if (message)
        CHECK_STR(err.message, message);
    if (status == HP_OH_SYNTAX && err.pos != pos)
        printf("    for \"%s\": %s\n", src, err.message);
}

TEST(an_unknown_word_is_an_error_at_its_position)
{
    expect_error("Mo-Fr Xy", 6, "unexpected \"Xy\" at position 6");
}

TEST(an_empty_text_or_rule_is_an_error)
{
    expect_error("", 0, "empty opening_hours at position 0");
    expect_error("   ", 0, NULL);
    expect_error(NULL, 0, NULL);
    expect_error("Mo;", 3, "empty rule at position 3");
    expect_error(";Mo", 0, NULL);
    expect_error("Mo;;Tu", 3, NULL);
    expect_error("Mo 10:00-12:00,", 15, NULL);
}

TEST(a_time_must_be_two_digits_colon_two_digits)
{
    expect_error("Mo-Fr 8:00-12:00", 6, "expected a time as HH:MM, not \"8:00\" at position 6");
    expect_error("Dec 25", 4, NULL);
    expect_error("2026 Jan", 0, NULL);
    expect_error("Mo 10:61-11:00", 6, "minutes must be 00 to 59 at position 6");
}

TEST(a_time_range_must_start_before_24_00_and_end_by_48_00)
{
    expect_error("24:00-26:00", 0, "a time range must start before 24:00 at position 0");
    expect_error("22:00-48:01", 6, "a time range must end by 48:00 at position 6");
    expect_error("Mo 10:00-99:00", 9, NULL);
}

TEST(an_incomplete_range_is_an_error_where_it_stops)
{
    expect_error("Mo 10:00", 8, NULL);
    expect_error("Mo 10:00 off", 9, NULL);
    expect_error("Mo 10:00-", 9, "expected an end time HH:MM after \"-\" at position 9");
    expect_error("Mo-", 3, "expected a weekday after \"-\" at position 3");
    expect_error("Jan-Mo", 4, "expected a month after \"-\" at position 4");
}

TEST(a_comma_after_a_selector_must_continue_its_list)
{
    expect_error("Mo,Jan", 3, NULL);
    expect_error("Jan, Mo", 5, "expected a month after \",\" at position 5");
    expect_error("Mo-Fr, 10:00-12:00", 7, NULL);
    expect_error("24/7, Mo off", 4, NULL);
}

TEST(selectors_out_of_order_are_an_error_with_a_hint)
{
    expect_error("10:00-12:00 Mo", 12,
                 "unexpected \"Mo\" (write months, then PH and weekdays, then times, then off) "
                 "at position 12");
    expect_error("Mo-Fr Jan", 6, NULL);
    expect_error("Mo 10:00-12:00 off off", 19, NULL);
    expect_error("24/7 10:00-12:00", 5, NULL);
}

TEST(other_spellings_the_reference_accepts_are_errors)
{
    expect_error("mo 10:00-12:00", 0, "unknown word \"mo\" (write \"Mo\") at position 0");
    expect_error("Mo OFF", 3, NULL);
    expect_error("ph", 0, NULL);
    expect_error("Mo-Fr sunrise-sunset", 6, "\"sunrise\" is not supported at position 6");
    expect_error("SH off", 0, NULL);
    expect_error("week 01-53", 0, NULL);
    expect_error("Mo \"by appointment\"", 3, NULL);
    expect_error("Mo 10:00-12:00 || off", 15, NULL);
    expect_error("Mo 10:00+", 8, NULL);
    expect_error("Mo[1] 10:00-12:00", 2, NULL);
    expect_error("Mo 10:00-12:00 unknown", 15, NULL);
}

TEST(a_stray_byte_is_an_error_at_its_position)
{
    expect_error("Mo\xff", 2, "unexpected byte 0xFF at position 2");
    expect_error("Mo\n", 2, NULL);
    expect_error("Mo 10:00\xe2\x80\x93" "12:00", 8, NULL); /* an en dash */
}

TEST(a_text_longer_than_the_limit_is_an_error)
{
    char *s = malloc(HP_OH_MAX_LEN + 2);
    REQUIRE(s);
    for (size_t i = 0; i <= HP_OH_MAX_LEN; i++)
        s[i] = ' ';
    s[0] = 'M';
    s[1] = 'o';
    s[HP_OH_MAX_LEN + 1] = '\0';
    expect_error(s, HP_OH_MAX_LEN, NULL);
    s[HP_OH_MAX_LEN] = '\0'; /* exactly at the limit is fine */
    struct hp_oh *oh = compile(s);
    CHECK(oh != NULL);
    hp_oh_free(oh);
    free(s);
}

/* --- Interval queries -------------------------------------------------- */

TEST(next_change_finds_the_next_opening_and_closing)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("Mo-Fr 07:00-09:00,16:00-18:00; PH off");
    REQUIRE(oh && cal);
    time_t c;
    CHECK(hp_oh_next_change(oh, local(2026, 1, 5, 8, 0), local(2026, 1, 12, 0, 0), cal, &c));
    CHECK_INT(c, local(2026, 1, 5, 9, 0));
    CHECK(hp_oh_next_change(oh, local(2026, 1, 5, 9, 0), local(2026, 1, 12, 0, 0), cal, &c));
    CHECK_INT(c, local(2026, 1, 5, 16, 0));
    /* From a Friday evening, over the weekend. */
    CHECK(hp_oh_next_change(oh, local(2026, 1, 9, 18, 0), local(2026, 1, 19, 0, 0), cal, &c));
    CHECK_INT(c, local(2026, 1, 12, 7, 0));
    /* Over the new-year holidays: Dec 31 evening to Jan 5. */
    CHECK(hp_oh_next_change(oh, local(2025, 12, 31, 18, 0), local(2026, 1, 19, 0, 0), cal, &c));
    CHECK_INT(c, local(2026, 1, 5, 7, 0));
    /* Nothing before the limit. */
    CHECK(!hp_oh_next_change(oh, local(2026, 1, 9, 18, 0), local(2026, 1, 12, 7, 0) - 1, cal, &c));
    CHECK(!hp_oh_next_change(oh, local(2026, 1, 9, 18, 0), local(2026, 1, 9, 18, 0), cal, &c));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(next_change_never_comes_for_24_7)
{
    struct hp_oh *oh = compile("24/7");
    REQUIRE(oh);
    time_t c;
    CHECK(!hp_oh_next_change(oh, 0, 400 * 86400, NULL, &c));
    hp_oh_free(oh);
}

TEST(open_during_sees_an_opening_anywhere_in_the_interval)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("Mo-Fr 07:00-09:00,16:00-18:00");
    REQUIRE(oh && cal);
    CHECK(hp_oh_open_during(oh, local(2026, 1, 5, 10, 0), local(2026, 1, 5, 16, 0), cal));
    CHECK(!hp_oh_open_during(oh, local(2026, 1, 5, 10, 0), local(2026, 1, 5, 16, 0) - 1, cal));
    CHECK(hp_oh_open_during(oh, local(2026, 1, 5, 8, 0), local(2026, 1, 5, 8, 0), cal));
    CHECK(!hp_oh_open_during(oh, local(2026, 1, 5, 12, 0), local(2026, 1, 5, 12, 0), cal));
    CHECK(!hp_oh_open_during(oh, local(2026, 1, 9, 18, 0), local(2026, 1, 12, 6, 59), cal));
    CHECK(!hp_oh_open_during(oh, local(2026, 1, 5, 8, 0), local(2026, 1, 5, 7, 0), cal));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(instants_far_outside_the_calendar_years_still_evaluate)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("Mo-Fr 22:00-06:00");
    REQUIRE(oh && cal);
    /* 2100-01-04 is a Monday. */
    CHECK(hp_oh_is_open(oh, local(2100, 1, 4, 23, 0), cal));
    CHECK(!hp_oh_is_open(oh, local(2100, 1, 4, 21, 0), cal));
    hp_oh_is_open(oh, (time_t)INT64_MIN, cal);
    hp_oh_is_open(oh, (time_t)INT64_MAX, cal);
    time_t c;
    CHECK(!hp_oh_next_change(oh, (time_t)INT64_MAX - 5, (time_t)INT64_MAX, cal, &c));
    /* Clamped to year 1: must just terminate. */
    (void)hp_oh_next_change(oh, (time_t)INT64_MIN, (time_t)INT64_MIN + 10 * 86400, cal, &c);
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

/* --- Clocks changing (Europe/London, as the reference does) -------------- */

TEST(in_london_a_rule_from_01_30_opens_when_the_clocks_jump_past_it)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("01:30-03:00");
    REQUIRE(oh && cal);
    /* 2026-03-29 01:00 GMT becomes 02:00 BST: 01:30 never shows. */
    CHECK(!hp_oh_is_open(oh, utc(2026, 3, 29, 1, 0) - 1, cal));
    CHECK(hp_oh_is_open(oh, utc(2026, 3, 29, 1, 0), cal));
    CHECK(hp_oh_is_open(oh, utc(2026, 3, 29, 1, 59), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 3, 29, 2, 0), cal));
    time_t c;
    CHECK(hp_oh_next_change(oh, utc(2026, 3, 29, 0, 30), utc(2026, 3, 30, 0, 0), cal, &c));
    CHECK_INT(c, utc(2026, 3, 29, 1, 0));
    CHECK(hp_oh_next_change(oh, c, utc(2026, 3, 30, 0, 0), cal, &c));
    CHECK_INT(c, utc(2026, 3, 29, 2, 0));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(in_london_a_rule_at_01_30_opens_twice_when_the_clocks_go_back)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("01:30-02:00");
    REQUIRE(oh && cal);
    /* 2026-10-25: 01:00-02:00 BST is 00:00-01:00 UTC, then 01:00-02:00 GMT. */
    CHECK(hp_oh_is_open(oh, utc(2026, 10, 25, 0, 45), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 10, 25, 1, 15), cal));
    CHECK(hp_oh_is_open(oh, utc(2026, 10, 25, 1, 45), cal));
    time_t c;
    const time_t end = utc(2026, 10, 26, 0, 0);
    CHECK(hp_oh_next_change(oh, utc(2026, 10, 25, 0, 0), end, cal, &c));
    CHECK_INT(c, utc(2026, 10, 25, 0, 30));
    CHECK(hp_oh_next_change(oh, c, end, cal, &c));
    CHECK_INT(c, utc(2026, 10, 25, 1, 0));
    CHECK(hp_oh_next_change(oh, c, end, cal, &c));
    CHECK_INT(c, utc(2026, 10, 25, 1, 30));
    CHECK(hp_oh_next_change(oh, c, end, cal, &c));
    CHECK_INT(c, utc(2026, 10, 25, 2, 0));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(in_london_spill_over_looks_24_hours_back_like_the_reference)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *sat = compile("Sa 22:00-02:00");
    struct hp_oh *sun = compile("Su 22:00-02:00");
    REQUIRE(sat && sun && cal);
    /* Monday 2026-03-30 00:30 BST: 24 hours earlier was Saturday 23:30 GMT,
     * so the reference (and we) read Saturday's spill-over there, and
     * Sunday's only from 01:00 BST. */
    time_t mon0030 = utc(2026, 3, 29, 23, 30);
    CHECK(hp_oh_is_open(sat, mon0030, cal));
    CHECK(!hp_oh_is_open(sun, mon0030, cal));
    CHECK(hp_oh_is_open(sun, utc(2026, 3, 30, 0, 30), cal));
    time_t c;
    CHECK(hp_oh_next_change(sun, mon0030, utc(2026, 3, 31, 0, 0), cal, &c));
    CHECK_INT(c, utc(2026, 3, 30, 0, 0));
    /* On an ordinary Monday the spill-over is Sunday's. */
    CHECK(hp_oh_is_open(sun, utc(2026, 4, 5, 23, 30), cal));
    CHECK(!hp_oh_is_open(sat, utc(2026, 4, 5, 23, 30), cal));
    hp_oh_free(sat);
    hp_oh_free(sun);
    hp_calendar_free(cal);
}

TEST(in_london_summer_hours_are_read_on_the_local_clock)
{
    use_zone("Europe/London");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("Mo-Fr 08:00-18:00");
    REQUIRE(oh && cal);
    /* 2026-07-01 is a Wednesday; 07:30 UTC is 08:30 BST. */
    CHECK(hp_oh_is_open(oh, utc(2026, 7, 1, 7, 30), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 7, 1, 6, 59), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 7, 1, 17, 0), cal));
    /* ...and in winter on GMT. */
    CHECK(hp_oh_is_open(oh, utc(2026, 1, 7, 8, 0), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 1, 7, 7, 59), cal));
    /* Without a calendar (localtime_r) the answers are the same. */
    CHECK(hp_oh_is_open(oh, utc(2026, 7, 1, 7, 30), NULL));
    CHECK(!hp_oh_is_open(oh, utc(2026, 7, 1, 6, 59), NULL));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}

TEST(in_shanghai_hours_are_read_at_utc_plus_8)
{
    use_zone("Asia/Shanghai");
    struct hp_calendar *cal = calendar_2026();
    struct hp_oh *oh = compile("Mo-Fr 08:00-18:00");
    REQUIRE(oh && cal);
    CHECK(hp_oh_is_open(oh, utc(2026, 1, 5, 0, 0), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 1, 4, 23, 59), cal));
    CHECK(!hp_oh_is_open(oh, utc(2026, 1, 5, 10, 0), cal));
    hp_oh_free(oh);
    hp_calendar_free(cal);
}
