/*
 * Fuzz target for opening_hours: compiles arbitrary bytes; when they compile,
 * evaluates a few instants and checks properties that must always hold:
 * the canonical text compiles to the same text and the same answers, and
 * next_change/open_during agree with is_open. Runs in Europe/London so that
 * clock changes are exercised. A broken property aborts.
 */
#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hp_calendar *cal;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("TZ", "Europe/London", 1);
    tzset();
    struct hp_calendar_entry e[] = {
        {{2026, 1, 1}, HP_CALENDAR_HOLIDAY},  {{2026, 1, 2}, HP_CALENDAR_HOLIDAY},
        {{2026, 1, 3}, HP_CALENDAR_HOLIDAY},  {{2026, 1, 4}, HP_CALENDAR_WORKDAY},
        {{2026, 3, 28}, HP_CALENDAR_HOLIDAY}, {{2026, 3, 30}, HP_CALENDAR_HOLIDAY},
        {{2026, 10, 1}, HP_CALENDAR_HOLIDAY}, {{2026, 10, 25}, HP_CALENDAR_HOLIDAY},
    };
    if (hp_calendar_new(e, sizeof e / sizeof *e, &cal, NULL) != HP_CALENDAR_OK)
        abort();
    return 0;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > HP_OH_MAX_LEN + 16)
        return 0;
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    struct hp_oh *oh = NULL, *again = NULL;
    struct hp_oh_error err;
    if (hp_oh_compile(src, &oh, &err) != HP_OH_OK) {
        if (oh || err.pos > size)
            abort();
        free(src);
        return 0;
    }
    if (hp_oh_compile(hp_oh_text(oh), &again, &err) != HP_OH_OK ||
        strcmp(hp_oh_text(oh), hp_oh_text(again)) != 0)
        abort();

    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    /* Around the 2026 clock changes, and anywhere in 2025-2027. */
    const time_t fixed[] = {1774745940, 1774746000, 1774829700, 1761440400, 1761442200,
                            1792890000, 1792893600};
    for (int i = 0; i < 10; i++) {
        time_t t = i < 7 ? fixed[i] : (time_t)(1735689600 + mix(h + (uint64_t)i) % 94608000);
        bool open = hp_oh_is_open(oh, t, cal);
        if (open != hp_oh_is_open(again, t, cal))
            abort();
        time_t limit = t + 3 * 86400, c;
        if (hp_oh_next_change(oh, t, limit, cal, &c)) {
            if (c <= t || c > limit || hp_oh_is_open(oh, c, cal) == open ||
                hp_oh_is_open(oh, c - 1, cal) != open)
                abort();
            if (!open && !hp_oh_open_during(oh, t, c, cal))
                abort();
            if (!open && hp_oh_open_during(oh, t, c - 1, cal))
                abort();
        } else if (!open && hp_oh_open_during(oh, t, limit, cal)) {
            abort();
        }
        (void)hp_oh_is_open(oh, t, NULL);
    }
    hp_oh_free(again);
    hp_oh_free(oh);
    free(src);
    return 0;
}
