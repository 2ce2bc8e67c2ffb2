/* Instants as microseconds since the epoch; RFC 3339 in and out. */
#ifndef HAULPASS_TIME_H
#define HAULPASS_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define HP_TIME_BUF 40

/* The last instant the service takes in: 9999-12-31T09:59:59Z, so that
 * written in local time with a four-digit year it stays in 9999 in any
 * zone (offsets reach +14:00). */
#define HP_TIME_LAST_US ((253402300799LL - 14 * 3600) * 1000000)

/* Now, in microseconds since 1970-01-01T00:00:00Z. */
int64_t hp_time_now_us(void);

/* Microseconds of a monotonic clock, for durations. */
int64_t hp_time_mono_us(void);

/* Parses an RFC 3339 date-time that carries an offset ("Z" or +hh:mm);
 * false (and *us untouched) for anything else, impossible dates included. */
bool hp_time_parse(const char *s, int64_t *us);

/* Formats us in the process time zone (HAULPASS_TZ) with its offset, e.g.
 * "2026-11-28T12:15:13+08:00"; fractions of a second only when present. */
void hp_time_format(int64_t us, char out[HP_TIME_BUF]);

#endif
