/*
 * Escort scheduling, the pure part: how long an escort takes, and the
 * earliest start at which one unit is on duty for the whole escort and free.
 * No I/O: the database layer hands in a unit's busy intervals and compiled
 * duty hours, the API layer picks among units. Times are seconds since the
 * epoch (time_t), as opening_hours takes them.
 *
 * A booking occupies its unit over [start, end + turnaround): the escort
 * itself (form-up and drive), then the way back to base. Only the escort
 * needs the unit on duty; the turnaround may run past the end of duty.
 */
#ifndef HAULPASS_ESCORT_SCHEDULE_H
#define HAULPASS_ESCORT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct hp_oh;
struct hp_calendar;

#define HP_ESCORT_SPEED_KMH 40
#define HP_ESCORT_FORM_UP_S (30 * 60)
#define HP_ESCORT_TURNAROUND_S (30 * 60)
/* Without a route, the straight line is stretched by this much. */
#define HP_ESCORT_DETOUR 1.3
/* How far past the window the alternatives of a refusal look. */
#define HP_ESCORT_ALTERNATIVE_S (7 * 24 * 3600)
#define HP_ESCORT_MAX_ALTERNATIVES 3

/* A half-open interval [start, end) in which a unit is taken. */
struct hp_escort_busy {
    time_t start, end;
};

/* The seconds an escort over length_m metres takes: the drive at 40 km/h
 * plus the form-up, rounded up to a whole minute so slots read well.
 * length_m must be finite and >= 0 (a negative one counts as 0). */
time_t hp_escort_duration_s(double length_m);

/*
 * The earliest start s in [from, to] such that the unit is on duty (hours,
 * read with cal; NULL: no holidays) at every instant of [s, s + duration)
 * and [s, s + duration + turnaround) overlaps none of busy (n intervals,
 * sorted by start, not overlapping each other). Returns true and sets
 * *start; false when there is none (or to < from, or duration <= 0).
 */
bool hp_escort_earliest(const struct hp_oh *hours, const struct hp_calendar *cal,
                        const struct hp_escort_busy *busy, size_t n, time_t from, time_t to,
                        time_t duration, time_t turnaround, time_t *start);

/* One unit's outcome of a search, for choosing among units. */
struct hp_escort_candidate {
    bool found;
    time_t start;
    double base_distance_m; /* from the unit's base to the escort's origin */
};

/* The index of the candidate with the earliest start, the nearest base on a
 * tie, the lower index after that; -1 when none was found. */
int hp_escort_best(const struct hp_escort_candidate *c, size_t n);

/* Up to max indexes of found candidates into out, earliest start first
 * (ties as hp_escort_best breaks them); returns how many. */
size_t hp_escort_ranked(const struct hp_escort_candidate *c, size_t n, size_t *out, size_t max);

#endif
