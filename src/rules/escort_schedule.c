/* Escort scheduling: duration and the earliest feasible start of one unit. */
#include "haulpass/escort_schedule.h"

#include "haulpass/opening_hours.h"

#include <math.h>

time_t hp_escort_duration_s(double length_m)
{
    if (!(length_m > 0))
        length_m = 0;
    /* Capped far above any real drive so the arithmetic cannot overflow. */
    if (length_m > 1e8)
        length_m = 1e8;
    double drive = length_m * 3600.0 / (HP_ESCORT_SPEED_KMH * 1000.0);
    time_t s = (time_t)ceil(drive) + HP_ESCORT_FORM_UP_S;
    return (s + 59) / 60 * 60;
}

/* The loop moves t forward at every step (to the next duty change or the end
 * of a busy interval), so it ends; the bound is a guard against a bug, not
 * a limit real data reaches. */
#define MAX_STEPS 1000000

bool hp_escort_earliest(const struct hp_oh *hours, const struct hp_calendar *cal,
                        const struct hp_escort_busy *busy, size_t n, time_t from, time_t to,
                        time_t duration, time_t turnaround, time_t *start)
{
    if (to < from || duration <= 0 || turnaround < 0)
        return false;
    time_t t = from;
    size_t i = 0;
    for (int step = 0; step < MAX_STEPS && t <= to; step++) {
        if (!hp_oh_is_open(hours, t, cal)) {
            time_t opens;
            if (!hp_oh_next_change(hours, t, to, cal, &opens))
                return false;
            t = opens;
            continue;
        }
        /* Open at t: it must stay open through the escort's last second. */
        time_t closes;
        if (hp_oh_next_change(hours, t, t + duration - 1, cal, &closes)) {
            t = closes;
            continue;
        }
        while (i < n && busy[i].end <= t)
            i++;
        if (i < n && busy[i].start < t + duration + turnaround) {
            t = busy[i].end;
            continue;
        }
        *start = t;
        return true;
    }
    return false;
}

/* Whether candidate a comes before b: earlier start, then nearer base. */
static bool before(const struct hp_escort_candidate *a, const struct hp_escort_candidate *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    return a->base_distance_m < b->base_distance_m;
}

int hp_escort_best(const struct hp_escort_candidate *c, size_t n)
{
    size_t best;
    return hp_escort_ranked(c, n, &best, 1) == 1 ? (int)best : -1;
}

size_t hp_escort_ranked(const struct hp_escort_candidate *c, size_t n, size_t *out, size_t max)
{
    /* Insertion into a short sorted list: max is a handful. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].found)
            continue;
        size_t at = k;
        while (at > 0 && before(&c[i], &c[out[at - 1]]))
            at--;
        if (at >= max)
            continue;
        for (size_t j = (k < max ? k : max - 1); j > at; j--)
            out[j] = out[j - 1];
        out[at] = i;
        if (k < max)
            k++;
    }
    return k;
}
