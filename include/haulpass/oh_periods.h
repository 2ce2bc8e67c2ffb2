/*
 * opening_hours as weekly periods, for formats that have no opening_hours
 * (DATEX II, docs/open-data.md): the forms that map exactly are rules of
 * "[weekdays] HH:MM-HH:MM[,HH:MM-HH:MM...]" or "[weekdays] 24/7" joined by
 * ", ", optionally ending "; PH off". A time range that crosses midnight
 * becomes two periods, the second on the following days, so no period
 * ends before it starts. Any other form (months, "PH" among the days,
 * ";" rules that override, "off" times) is not mapped. Pure.
 */
#ifndef HAULPASS_OH_PERIODS_H
#define HAULPASS_OH_PERIODS_H

#include <stdbool.h>
#include <stdint.h>

#define HP_OH_MAX_PERIODS 32

struct hp_oh_period {
    uint8_t days;    /* bit 0: Monday ... bit 6: Sunday */
    int start, end;  /* minutes of the day, 0 <= start < end <= 1440 */
};

struct hp_oh_periods {
    struct hp_oh_period p[HP_OH_MAX_PERIODS];
    int n;
    bool except_ph; /* "; PH off": closed on public holidays */
};

/* Maps canonical opening_hours text (hp_oh_text) into *out; false when it
 * is not one of the forms above (or has more periods than fit). */
bool hp_oh_periods(const char *text, struct hp_oh_periods *out);

#endif
