/*
 * bench_opening_hours: nanoseconds per evaluation of a few typical
 * expressions, with the 2026 calendar, in the zone given as argv[1]
 * (default Asia/Shanghai). Not run by the tests.
 */
#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static const char *const holidays[] = {
    "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
    "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03",
    "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
    "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
    "2026-10-05", "2026-10-06", "2026-10-07",
};
static const char *const workdays[] = {
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

int main(int argc, char **argv)
{
    const char *zone = argc > 1 ? argv[1] : "Asia/Shanghai";
    setenv("TZ", zone, 1);
    tzset();

    enum { NH = sizeof holidays / sizeof *holidays, NW = sizeof workdays / sizeof *workdays };
    struct hp_calendar_entry entries[NH + NW];
    for (int i = 0; i < NH + NW; i++) {
        entries[i].kind = i < NH ? HP_CALENDAR_HOLIDAY : HP_CALENDAR_WORKDAY;
        hp_calendar_date_parse(i < NH ? holidays[i] : workdays[i - NH], &entries[i].date);
    }
    struct hp_calendar *cal;
    double t0 = now_ns();
    if (hp_calendar_new(entries, NH + NW, &cal, NULL) != HP_CALENDAR_OK)
        return 1;
    printf("%s: hp_calendar_new (zone snapshot) %.0f us\n", zone, (now_ns() - t0) / 1e3);

    static const char *const exprs[] = {
        "24/7",
        "Mo-Fr 07:00-09:00,16:00-18:00",
        "Mo-Fr 07:00-09:00,17:00-19:00; PH off",
        "Mo-Fr,PH 22:00-06:00; Sa 20:00-30:00; Dec Mo-Fr 08:00-18:00",
        "Jan-Mar,Nov-Dec Mo-Fr 06:00-22:00; Apr-Oct Mo-Sa 05:00-23:00, Su 10:00-12:00; PH off",
    };
    const time_t base = 1767225600; /* 2026-01-01T00:00:00Z */
    const int n = 2000000;
    for (size_t e = 0; e < sizeof exprs / sizeof *exprs; e++) {
        struct hp_oh *oh;
        if (hp_oh_compile(exprs[e], &oh, NULL) != HP_OH_OK)
            return 1;
        long open = 0;
        t0 = now_ns();
        for (int i = 0; i < n; i++)
            open += hp_oh_is_open(oh, base + (time_t)i * 15797 % 31536000, cal);
        double is_open_ns = (now_ns() - t0) / n;

        const int m = 20000;
        long changes = 0;
        t0 = now_ns();
        for (int i = 0; i < m; i++) {
            time_t c, t = base + (time_t)i * 15797 % 31536000;
            changes += hp_oh_next_change(oh, t, t + 7 * 86400, cal, &c);
        }
        double next_ns = (now_ns() - t0) / m;
        printf("%-88s is_open %6.1f ns   next_change(7 days) %7.1f ns   (%ld open, %ld changes)\n",
               exprs[e], is_open_ns, next_ns, open, changes);
        hp_oh_free(oh);
    }

    struct hp_oh *oh;
    hp_oh_compile("Mo-Fr 07:00-09:00,16:00-18:00", &oh, NULL);
    long open = 0;
    t0 = now_ns();
    for (int i = 0; i < n; i++)
        open += hp_oh_is_open(oh, base + (time_t)i * 15797 % 31536000, NULL);
    printf("%-88s is_open %6.1f ns   (no calendar: localtime_r path, %ld open)\n",
           "Mo-Fr 07:00-09:00,16:00-18:00", (now_ns() - t0) / n, open);
    hp_oh_free(oh);
    hp_calendar_free(cal);
    return 0;
}
