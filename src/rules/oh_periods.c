/* opening_hours as weekly periods (oh_periods.h). */
#include "haulpass/oh_periods.h"

#include <stdio.h>
#include <string.h>

#define EVERY_DAY 0x7f

static int weekday(const char *s)
{
    static const char abbr[] = "MoTuWeThFrSaSu";
    for (int i = 0; i < 7; i++)
        if (s[0] == abbr[2 * i] && s[1] == abbr[2 * i + 1])
            return i;
    return -1;
}

/* "Mo-Fr,Su" into a mask; Sa-Mo wraps. 0 when it is not such a list. */
static uint8_t days_of(const char *s, size_t len)
{
    uint8_t mask = 0;
    for (size_t i = 0; i < len;) {
        if (mask && s[i++] != ',')
            return 0;
        int a = i + 2 <= len ? weekday(s + i) : -1, b = a;
        if (a < 0)
            return 0;
        i += 2;
        if (i < len && s[i] == '-') {
            b = i + 3 <= len ? weekday(s + i + 1) : -1;
            if (b < 0)
                return 0;
            i += 3;
        }
        for (int d = a;; d = (d + 1) % 7) {
            mask |= (uint8_t)(1u << d);
            if (d == b)
                break;
        }
    }
    return mask;
}

/* The days after those of mask (Sunday's next day is Monday). */
static uint8_t next_days(uint8_t mask)
{
    return (uint8_t)(((mask << 1) | (mask >> 6)) & EVERY_DAY);
}

static bool add(struct hp_oh_periods *out, uint8_t days, int start, int end)
{
    if (out->n == HP_OH_MAX_PERIODS)
        return false;
    out->p[out->n++] = (struct hp_oh_period){days, start, end};
    return true;
}

/* "07:00-22:00,23:00-01:00" on days; false when it is not that. */
static bool times_of(struct hp_oh_periods *out, uint8_t days, const char *s, size_t len)
{
    if (len == 4 && strncmp(s, "24/7", 4) == 0)
        return add(out, days, 0, 1440);
    for (size_t i = 0; i < len;) {
        int h1, m1, h2, m2, used = 0;
        if (i > 0 && s[i++] != ',')
            return false;
        if (sscanf(s + i, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || used != 11)
            return false;
        i += 11;
        int a = h1 * 60 + m1, b = h2 * 60 + m2;
        if (b <= a && b < 1440)
            b += 1440; /* an end at or before the start: the next day */
        if (b <= 1440) {
            if (!add(out, days, a, b))
                return false;
        } else if (!add(out, days, a, 1440) || !add(out, next_days(days), 0, b - 1440)) {
            return false;
        }
    }
    return true;
}

bool hp_oh_periods(const char *text, struct hp_oh_periods *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = strlen(text);
    static const char ph_off[] = "; PH off";
    size_t k = sizeof(ph_off) - 1;
    if (len > k && strcmp(text + len - k, ph_off) == 0) {
        out->except_ph = true;
        len -= k;
    }
    if (memchr(text, ';', len))
        return false;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && !(text[end] == ',' && end + 1 < len && text[end + 1] == ' '))
            end++;
        const char *rule = text + i, *sp = memchr(rule, ' ', end - i);
        uint8_t days = sp ? days_of(rule, (size_t)(sp - rule)) : EVERY_DAY;
        const char *times = sp ? sp + 1 : rule;
        if (!days || !times_of(out, days, times, (size_t)(text + end - times)))
            return false;
        i = end < len ? end + 2 : len;
    }
    return out->n > 0;
}
