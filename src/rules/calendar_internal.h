/*
 * What opening_hours.c needs from the calendar beyond the public header:
 * day numbers instead of date structs, because evaluation is on the hot path.
 */
#ifndef HP_RULES_CALENDAR_INTERNAL_H
#define HP_RULES_CALENDAR_INTERNAL_H

#include "haulpass/calendar.h"

/* Instants are clamped to years 1..9999 so that day arithmetic and
 * localtime_r() never overflow. */
#define HP_CAL_T_MIN ((int64_t)-62135596800)  /* 0001-01-01T00:00:00Z */
#define HP_CAL_T_MAX ((int64_t)253402300799)  /* 9999-12-31T23:59:59Z */

static inline int64_t hp_cal_clamp(int64_t t)
{
    return t < HP_CAL_T_MIN ? HP_CAL_T_MIN : t > HP_CAL_T_MAX ? HP_CAL_T_MAX : t;
}

/* Offset east of UTC in seconds at t (t already clamped). */
int32_t hp_cal_offset(const struct hp_calendar *cal, int64_t t);

/* The first instant in (lo, hi] whose offset differs from `off`, found by
 * bisection; the caller has seen that hi's offset differs. */
int64_t hp_cal_transition(const struct hp_calendar *cal, int64_t lo, int64_t hi, int32_t off);

/* True when day (days since 1970-01-01) is a public holiday. */
bool hp_cal_holiday_on(const struct hp_calendar *cal, int64_t day);

/* floor(a / b) for b > 0. */
static inline int64_t hp_cal_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Weekday of a day number: 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
static inline int hp_cal_weekday0(int64_t day)
{
    int64_t w = (day + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Month 0..11 of a day number (civil_from_days, H. Hinnant). */
static inline int hp_cal_month0(int64_t day)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return (int)(mp < 10 ? mp + 2 : mp - 10);
}

#endif
