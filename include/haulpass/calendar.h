/*
 * The service calendar: public holidays, weekend days worked instead (调休),
 * working-day arithmetic and the local time zone in which dates are read.
 *
 * A calendar is built once from dated entries (the database layer loads them)
 * and is immutable afterwards, so one calendar may be shared by any number of
 * threads. Pure: no I/O, no mutable globals.
 *
 * Local time is the process time zone (TZ), which the service sets once at
 * start (setenv("TZ", HAULPASS_TZ) + tzset()). When a calendar is built it
 * snapshots that zone's UTC offsets for the years its entries cover, plus one
 * year either side, so local-time conversion for those years is a table lookup
 * instead of localtime_r(); outside them it falls back to localtime_r().
 * Build calendars after the zone is set; a later change of TZ is not seen by
 * the snapshot. The snapshot probes the zone weekly and bisects to the second,
 * so two offset changes less than a week apart that cancel out are missed (no
 * zone has such a pair in the years this service deals with).
 *
 * Every function taking a calendar also accepts NULL: no holidays, no worked
 * weekend days (Monday to Friday work), local time from localtime_r().
 */
#ifndef HAULPASS_CALENDAR_H
#define HAULPASS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A civil (proleptic Gregorian) date: year 1..9999, month 1..12, day 1..31. */
struct hp_calendar_date {
    int year;
    int month;
    int day;
};

enum hp_calendar_kind {
    HP_CALENDAR_HOLIDAY = 1, /* public holiday: PH, not a working day */
    HP_CALENDAR_WORKDAY = 2, /* a Saturday or Sunday worked instead */
};

struct hp_calendar_entry {
    struct hp_calendar_date date;
    enum hp_calendar_kind kind;
};

enum hp_calendar_status {
    HP_CALENDAR_OK = 0,
    HP_CALENDAR_INVALID = 1, /* an entry is wrong; see the error */
    HP_CALENDAR_NOMEM = 2,
};

struct hp_calendar_error {
    size_t index;       /* the offending entry */
    char message[96];   /* e.g. "2026-01-05 is a Monday; only a Saturday or Sunday can be a workday" */
};

struct hp_calendar;

/* The latest local time of day (minutes) at which a submission still starts
 * the clock on the same working day, and the time of day of every due_at. */
#define HP_CALENDAR_CUTOFF_MINUTE (16 * 60)
#define HP_CALENDAR_DUE_MINUTE (18 * 60)

/*
 * Builds a calendar from n entries in any order (entries may be NULL when n is
 * 0). Rejects an invalid date, an unknown kind, a date listed twice and a
 * workday that is not a Saturday or Sunday: returns HP_CALENDAR_INVALID with
 * err (if not NULL) naming the entry; HP_CALENDAR_NOMEM on allocation failure.
 * On success *out is a new calendar the caller frees with hp_calendar_free();
 * the entries are copied, the caller keeps ownership of its array.
 */
enum hp_calendar_status hp_calendar_new(const struct hp_calendar_entry *entries, size_t n,
                                        struct hp_calendar **out,
                                        struct hp_calendar_error *err);

/* Also snapshots the time zone for the years first..last (a calendar
 * with few or no entries would otherwise read local time through
 * localtime_r, which re-reads TZ on every call). Call it before sharing
 * cal. False when out of memory (cal is unchanged). */
bool hp_calendar_cover_years(struct hp_calendar *cal, int first, int last);

/* Frees a calendar; NULL is fine. */
void hp_calendar_free(struct hp_calendar *cal);

/* True when the date is a public holiday (PH). False for invalid dates. */
bool hp_calendar_is_holiday(const struct hp_calendar *cal, struct hp_calendar_date date);

/* True when people work that day: a worked weekend day, or Monday to Friday
 * and not a holiday. False for invalid dates. */
bool hp_calendar_is_working_day(const struct hp_calendar *cal, struct hp_calendar_date date);

/*
 * The n-th working day after `from` (n > 0), before it (n < 0), or `from`
 * itself (n == 0, whatever kind of day it is). `from` must be valid (an
 * invalid one is returned unchanged). Fast for any n: beyond the last entry
 * whole weeks are skipped arithmetically.
 */
struct hp_calendar_date hp_calendar_add_working_days(const struct hp_calendar *cal,
                                                     struct hp_calendar_date from, int n);

/*
 * docs/contract.md §7: the day a decision clock starts for a submission at instant t:
 * the local day of t when that is a working day and t is before 16:00 local,
 * else the next working day.
 */
struct hp_calendar_date hp_calendar_start_day(const struct hp_calendar *cal, time_t submitted_at);

/*
 * docs/contract.md §7: 18:00 local on the n-th working day after the start day of
 * submitted_at (n == 0: the start day itself). A negative n counts as 0.
 * The caller halves n for fast track. (time_t)-1 only if the day falls
 * after 9999-12-31.
 */
time_t hp_calendar_due_at(const struct hp_calendar *cal, time_t submitted_at,
                          int n_working_days);

/* The local date of instant t. */
struct hp_calendar_date hp_calendar_local_date(const struct hp_calendar *cal, time_t t);

/*
 * The instant at which the local wall clock shows `date` at `minute_of_day`
 * (0..1440; 1440 is the next midnight). Like JavaScript's Date: a time that
 * occurs twice (clocks going back) gives the earlier instant; a time that
 * does not occur (clocks going forward) is read with the offset in force
 * before the change, so it lands just after it. An invalid date or minute
 * gives (time_t)-1.
 */
time_t hp_calendar_local_time(const struct hp_calendar *cal, struct hp_calendar_date date,
                              int minute_of_day);

/* The offset of local time from UTC at instant t, in seconds east. */
int32_t hp_calendar_utc_offset(const struct hp_calendar *cal, time_t t);

/* --- Dates ------------------------------------------------------------- */

/* True for a real date with year 1..9999 (2026-02-30 is not). */
bool hp_calendar_date_valid(struct hp_calendar_date date);

/*
 * Parses exactly "YYYY-MM-DD" (NUL-terminated, nothing before or after) into
 * *out. Returns false, leaving *out untouched, for anything else, including
 * impossible dates such as 2026-02-30 and year 0000.
 */
bool hp_calendar_date_parse(const char *s, struct hp_calendar_date *out);

/* Writes "YYYY-MM-DD" and a NUL into out. Returns false (out = "") for an
 * invalid date. */
bool hp_calendar_date_format(struct hp_calendar_date date, char out[11]);

/* Days since 1970-01-01 (negative before), and back. Any year works here,
 * validity is not checked. */
int64_t hp_calendar_date_to_days(struct hp_calendar_date date);
struct hp_calendar_date hp_calendar_date_from_days(int64_t days);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int hp_calendar_date_weekday(struct hp_calendar_date date);

/* <0, 0, >0 like strcmp. */
int hp_calendar_date_compare(struct hp_calendar_date a, struct hp_calendar_date b);

#endif
