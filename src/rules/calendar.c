/*
 * The service calendar: holidays, worked weekend days, working-day arithmetic
 * and a snapshot of the local time zone. See include/haulpass/calendar.h.
 */
#include "haulpass/calendar.h"

#include "calendar_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_SECONDS 86400

struct hp_calendar {
    size_t n;
    int64_t *days;  /* sorted, unique */
    uint8_t *kinds; /* enum hp_calendar_kind per day */

    /* Zone snapshot: offset zone_off[i] holds from zone_at[i] to the next
     * start, the last one until zone_end; outside [zone_at[0], zone_end) ask
     * localtime_r(). nzone == 0: no snapshot. */
    size_t nzone;
    int64_t *zone_at;
    int32_t *zone_off;
    int64_t zone_end;
};

/* --- Dates ------------------------------------------------------------- */

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

bool hp_calendar_date_valid(struct hp_calendar_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

/* days_from_civil (H. Hinnant), in 64 bits so any int year works. */
int64_t hp_calendar_date_to_days(struct hp_calendar_date d)
{
    int64_t y = (int64_t)d.year - (d.month <= 2);
    int64_t m = d.month;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct hp_calendar_date hp_calendar_date_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (struct hp_calendar_date){(int)y, (int)m, (int)d};
}

int hp_calendar_date_weekday(struct hp_calendar_date d)
{
    int w = hp_cal_weekday0(hp_calendar_date_to_days(d));
    return w == 0 ? 7 : w;
}

int hp_calendar_date_compare(struct hp_calendar_date a, struct hp_calendar_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool hp_calendar_date_parse(const char *s, struct hp_calendar_date *out)
{
    if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    struct hp_calendar_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
    if (!hp_calendar_date_valid(d))
        return false;
    *out = d;
    return true;
}

bool hp_calendar_date_format(struct hp_calendar_date d, char out[11])
{
    if (!hp_calendar_date_valid(d)) {
        out[0] = '\0';
        return false;
    }
    snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
    return true;
}

/* --- Time zone --------------------------------------------------------- */

static int32_t probe_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return (int32_t)tm.tm_gmtoff;
}

int32_t hp_cal_offset(const struct hp_calendar *cal, int64_t t)
{
    if (!cal || cal->nzone == 0 || t < cal->zone_at[0] || t >= cal->zone_end)
        return probe_offset(t);
    size_t lo = 0, hi = cal->nzone; /* zone_at[lo] <= t < zone_at[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->zone_at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return cal->zone_off[lo];
}

int64_t hp_cal_transition(const struct hp_calendar *cal, int64_t lo, int64_t hi, int32_t off)
{
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (hp_cal_offset(cal, mid) == off)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

int32_t hp_calendar_utc_offset(const struct hp_calendar *cal, time_t t)
{
    return hp_cal_offset(cal, hp_cal_clamp((int64_t)t));
}

/* Offsets from `from` to `to`, probed weekly; each change is bisected to the
 * second. Returns false on allocation failure. */
static bool snapshot_zone(struct hp_calendar *cal, int64_t from, int64_t to)
{
    size_t cap = 16, n = 0;
    int64_t *at = malloc(cap * sizeof *at);
    int32_t *off = malloc(cap * sizeof *off);
    if (!at || !off)
        goto fail;

    int64_t t = from;
    int32_t cur = probe_offset(t);
    at[n] = t;
    off[n++] = cur;
    while (t < to) {
        int64_t next = t + 7 * DAY_SECONDS < to ? t + 7 * DAY_SECONDS : to;
        if (probe_offset(next) == cur) {
            t = next;
            continue;
        }
        int64_t lo = t, hi = next;
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (probe_offset(mid) == cur)
                lo = mid;
            else
                hi = mid;
        }
        if (n == cap) {
            cap *= 2;
            int64_t *nat = realloc(at, cap * sizeof *at);
            if (!nat)
                goto fail;
            at = nat;
            int32_t *noff = realloc(off, cap * sizeof *off);
            if (!noff)
                goto fail;
            off = noff;
        }
        /* Continue from the change itself, so a second change inside the
         * same week is found too. */
        t = hi;
        cur = probe_offset(hi);
        at[n] = hi;
        off[n++] = cur;
    }
    cal->zone_at = at;
    cal->zone_off = off;
    cal->nzone = n;
    cal->zone_end = to;
    return true;
fail:
    free(at);
    free(off);
    return false;
}

/* Local wall-clock seconds (since 1970-01-01 local) to an instant, with the
 * JavaScript Date rules described in the header. */
static int64_t local_to_instant(const struct hp_calendar *cal, int64_t local)
{
    /* No zone is more than 14 h from UTC, so the offsets in force around the
     * wanted instant are among the offsets 14 h either side of it. */
    int32_t before = hp_cal_offset(cal, hp_cal_clamp(local - 14 * 3600 - 14 * 3600));
    int32_t after = hp_cal_offset(cal, hp_cal_clamp(local + 14 * 3600 + 14 * 3600));
    int32_t cand[2] = {before, after};
    bool found = false;
    int64_t best = 0;
    for (int i = 0; i < 2; i++) {
        int64_t t = local - cand[i];
        if (hp_cal_offset(cal, hp_cal_clamp(t)) == cand[i] && (!found || t < best)) {
            best = t;
            found = true;
        }
    }
    if (found)
        return best;
    /* In a gap: read with the offset before the change. */
    return local - before;
}

/* --- Calendar ---------------------------------------------------------- */

static int kind_at(const struct hp_calendar *cal, int64_t day)
{
    if (!cal || cal->n == 0 || day < cal->days[0] || day > cal->days[cal->n - 1])
        return 0;
    size_t lo = 0, hi = cal->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cal->n && cal->days[lo] == day ? cal->kinds[lo] : 0;
}

bool hp_cal_holiday_on(const struct hp_calendar *cal, int64_t day)
{
    return kind_at(cal, day) == HP_CALENDAR_HOLIDAY;
}

static bool working_day(const struct hp_calendar *cal, int64_t day)
{
    switch (kind_at(cal, day)) {
    case HP_CALENDAR_HOLIDAY:
        return false;
    case HP_CALENDAR_WORKDAY:
        return true;
    default: {
        int w = hp_cal_weekday0(day);
        return w >= 1 && w <= 5;
    }
    }
}

struct order {
    int64_t day;
    size_t index;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void set_error(struct hp_calendar_error *err, size_t index, const char *msg)
{
    if (!err)
        return;
    err->index = index;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static const char *const weekday_names[8] = {"", "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday", "Sunday"};

enum hp_calendar_status hp_calendar_new(const struct hp_calendar_entry *entries, size_t n,
                                        struct hp_calendar **out,
                                        struct hp_calendar_error *err)
{
    enum hp_calendar_status status = HP_CALENDAR_NOMEM;
    struct order *order = NULL;
    struct hp_calendar *cal = calloc(1, sizeof *cal);
    *out = NULL;
    if (!cal)
        goto done;

    for (size_t i = 0; i < n; i++) {
        const struct hp_calendar_entry *e = &entries[i];
        char msg[96], date[11];
        if (!hp_calendar_date_valid(e->date)) {
            snprintf(msg, sizeof msg, "%04d-%02d-%02d is not a date", e->date.year,
                     e->date.month, e->date.day);
            set_error(err, i, msg);
            status = HP_CALENDAR_INVALID;
            goto done;
        }
        hp_calendar_date_format(e->date, date);
        if (e->kind != HP_CALENDAR_HOLIDAY && e->kind != HP_CALENDAR_WORKDAY) {
            snprintf(msg, sizeof msg, "%s: kind must be holiday or workday", date);
            set_error(err, i, msg);
            status = HP_CALENDAR_INVALID;
            goto done;
        }
        int w = hp_calendar_date_weekday(e->date);
        if (e->kind == HP_CALENDAR_WORKDAY && w <= 5) {
            snprintf(msg, sizeof msg,
                     "%s is a %s; only a Saturday or Sunday can be a workday", date,
                     weekday_names[w]);
            set_error(err, i, msg);
            status = HP_CALENDAR_INVALID;
            goto done;
        }
    }

    if (n > 0) {
        if (n > SIZE_MAX / sizeof *order)
            goto done;
        order = malloc(n * sizeof *order);
        cal->days = malloc(n * sizeof *cal->days);
        cal->kinds = malloc(n);
        if (!order || !cal->days || !cal->kinds)
            goto done;
        for (size_t i = 0; i < n; i++)
            order[i] = (struct order){hp_calendar_date_to_days(entries[i].date), i};
        qsort(order, n, sizeof *order, order_cmp);
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && order[i].day == order[i - 1].day) {
                char msg[96], date[11];
                hp_calendar_date_format(entries[order[i].index].date, date);
                snprintf(msg, sizeof msg, "%s is listed twice", date);
                set_error(err, order[i].index, msg);
                status = HP_CALENDAR_INVALID;
                goto done;
            }
            cal->days[i] = order[i].day;
            cal->kinds[i] = (uint8_t)entries[order[i].index].kind;
        }
        cal->n = n;

        /* Snapshot the zone for the covered years and one either side. */
        if (!hp_calendar_cover_years(cal, hp_calendar_date_from_days(cal->days[0]).year - 1,
                                     hp_calendar_date_from_days(cal->days[n - 1]).year + 1))
            goto done;
    }

    *out = cal;
    cal = NULL;
    status = HP_CALENDAR_OK;
done:
    if (status == HP_CALENDAR_NOMEM)
        set_error(err, 0, "out of memory");
    free(order);
    hp_calendar_free(cal);
    return status;
}

/* A day of margin either side keeps the edges clear of any offset. */
bool hp_calendar_cover_years(struct hp_calendar *cal, int first, int last)
{
    if (first < 1)
        first = 1;
    if (last > 9998)
        last = 9998;
    int64_t from = hp_calendar_date_to_days((struct hp_calendar_date){first, 1, 1}) *
                       DAY_SECONDS - DAY_SECONDS;
    int64_t to = hp_calendar_date_to_days((struct hp_calendar_date){last + 1, 1, 1}) *
                     DAY_SECONDS + DAY_SECONDS;
    if (cal->nzone > 0) { /* keep what is covered already */
        from = cal->zone_at[0] < from ? cal->zone_at[0] : from;
        to = cal->zone_end > to ? cal->zone_end : to;
    }
    int64_t *at = cal->zone_at;
    int32_t *off = cal->zone_off;
    size_t n = cal->nzone;
    if (!snapshot_zone(cal, hp_cal_clamp(from), hp_cal_clamp(to)))
        return false; /* the old snapshot is still in place */
    if (n > 0) {
        free(at);
        free(off);
    }
    return true;
}

void hp_calendar_free(struct hp_calendar *cal)
{
    if (!cal)
        return;
    free(cal->days);
    free(cal->kinds);
    free(cal->zone_at);
    free(cal->zone_off);
    free(cal);
}

bool hp_calendar_is_holiday(const struct hp_calendar *cal, struct hp_calendar_date date)
{
    return hp_calendar_date_valid(date) && hp_cal_holiday_on(cal, hp_calendar_date_to_days(date));
}

bool hp_calendar_is_working_day(const struct hp_calendar *cal, struct hp_calendar_date date)
{
    return hp_calendar_date_valid(date) && working_day(cal, hp_calendar_date_to_days(date));
}

struct hp_calendar_date hp_calendar_add_working_days(const struct hp_calendar *cal,
                                                     struct hp_calendar_date from, int n)
{
    if (!hp_calendar_date_valid(from) || n == 0)
        return from;
    int64_t day = hp_calendar_date_to_days(from);
    int step = n > 0 ? 1 : -1;
    int64_t left = n > 0 ? (int64_t)n : -(int64_t)n;
    bool entries = cal && cal->n > 0;
    while (left > 0) {
        /* Past the last entry (or before the first, going back) every week
         * has exactly five working days: skip whole weeks, keeping at least
         * one working day to walk so we land on a working day. */
        bool clear = !entries || (step > 0 ? day > cal->days[cal->n - 1] : day < cal->days[0]);
        if (clear && left > 5) {
            int64_t weeks = (left - 1) / 5;
            day += step * weeks * 7;
            left -= weeks * 5;
        }
        day += step;
        if (working_day(cal, day))
            left--;
    }
    return hp_calendar_date_from_days(day);
}

/* Local day number and minute of day of t. */
static void local_day(const struct hp_calendar *cal, time_t t, int64_t *day, int *minute)
{
    int64_t c = hp_cal_clamp((int64_t)t);
    int64_t local = c + hp_cal_offset(cal, c);
    *day = hp_cal_floor_div(local, DAY_SECONDS);
    *minute = (int)((local - *day * DAY_SECONDS) / 60);
}

struct hp_calendar_date hp_calendar_local_date(const struct hp_calendar *cal, time_t t)
{
    int64_t day;
    int minute;
    local_day(cal, t, &day, &minute);
    return hp_calendar_date_from_days(day);
}

struct hp_calendar_date hp_calendar_start_day(const struct hp_calendar *cal, time_t submitted_at)
{
    int64_t day;
    int minute;
    local_day(cal, submitted_at, &day, &minute);
    struct hp_calendar_date d = hp_calendar_date_from_days(day);
    if (working_day(cal, day) && minute < HP_CALENDAR_CUTOFF_MINUTE)
        return d;
    return hp_calendar_add_working_days(cal, d, 1);
}

time_t hp_calendar_local_time(const struct hp_calendar *cal, struct hp_calendar_date date,
                              int minute_of_day)
{
    if (!hp_calendar_date_valid(date) || minute_of_day < 0 || minute_of_day > 1440)
        return (time_t)-1;
    int64_t local = hp_calendar_date_to_days(date) * DAY_SECONDS + (int64_t)minute_of_day * 60;
    return (time_t)local_to_instant(cal, local);
}

time_t hp_calendar_due_at(const struct hp_calendar *cal, time_t submitted_at, int n_working_days)
{
    struct hp_calendar_date start = hp_calendar_start_day(cal, submitted_at);
    struct hp_calendar_date due =
        hp_calendar_add_working_days(cal, start, n_working_days > 0 ? n_working_days : 0);
    return hp_calendar_local_time(cal, due, HP_CALENDAR_DUE_MINUTE);
}
