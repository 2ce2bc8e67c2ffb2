/*
 * OpenStreetMap opening_hours, the subset of docs/contract.md §4, with the semantics of
 * the reference implementation (npm package opening_hours 3.15.0; the
 * differential test in tests/diff checks it).
 *
 * Grammar (strict: canonical spelling and case, whitespace between tokens
 * optional, any run of spaces/tabs allowed where the canonical text has one):
 *
 *   hours     = rule { ( ";" | "," ) rule }
 *   rule      = [ months ] [ "PH" ] [ weekdays ] [ times ] [ modifier ]   -- not all empty
 *   months    = month [ "-" month ] { "," month [ "-" month ] }          -- Jan..Dec; Dec-Feb wraps
 *   weekdays  = day { "," day }
 *   day       = "PH" | weekday [ "-" weekday ]                           -- Mo..Su; Sa-Mo wraps
 *   times     = "24/7" | range { "," range }
 *   range     = HH:MM "-" HH:MM    -- start 00:00..23:59, end up to 48:00; an end at or
 *                                     before the start means the next day
 *   modifier  = "off" | "closed" | "open"
 *
 * A lone "PH" directly before the weekdays ("PH Mo-Fr") means a public holiday
 * that is also one of those weekdays; "PH" inside the list ("Mo-Fr,PH") means
 * either. A "," starts an additional rule only after a time range or a
 * modifier ("Mo-Fr 08:00-12:00, Sa 10:00-12:00"); after a selector it
 * continues the list.
 *
 * Semantics (those of the reference): a rule applies on the days its
 * selectors match (no selector: every day), at the times listed (none: the
 * whole day); time past midnight is a separate spill-over onto the next day.
 * Of the rules that apply at an instant, the last one written decides open
 * or closed; nothing applies: closed. But a rule after ";" that opens (not
 * off/closed) and has a date selector replaces everything before it on the
 * days it selects, spill-over included: "Mo-Fr 08:00-18:00; We 10:00-12:00"
 * is open 10-12 only on Wednesdays. So does a ";" rule without a date
 * selector that follows another one without ("10:00-12:00; 14:00-16:00" is
 * open 14-16 only), while after a rule with one it merely adds
 * ("Mo 10:00-12:00; 14:00-16:00" is also open 10-12 on Mondays). A ","
 * rule always adds; an "off" rule with times closes only those times
 * ("Mo-Fr 08:00-18:00; We 12:00-13:00 off"). "PH" means a holiday in the
 * calendar.
 *
 * Not supported, although the reference accepts them: lower-case or other
 * spellings, comments ("..."), sunrise/sunset, SH, week numbers, years,
 * month days (Dec 25), nth weekdays (Mo[1]), open ends (+), fallback (||),
 * the "unknown" modifier, empty rules (";;" or a trailing ";"), and selectors
 * out of the order above. They are errors, like anything else.
 *
 * Time is the local wall clock of the process time zone, read through the
 * calendar (see calendar.h). As in the reference, the spill-over of a day is
 * matched by asking whether "24 hours earlier" was a selected day; on the
 * night after clocks go forward that looks two calendar days back for one
 * hour. We keep that so both agree.
 *
 * Compiled expressions are immutable: share them between threads freely.
 */
#ifndef HAULPASS_OPENING_HOURS_H
#define HAULPASS_OPENING_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct hp_calendar;
struct hp_oh;

/* Longest accepted source, in bytes. */
#define HP_OH_MAX_LEN 4096

enum hp_oh_status {
    HP_OH_OK = 0,
    HP_OH_SYNTAX = 1, /* the text is not in the grammar; see the error */
    HP_OH_NOMEM = 2,
};

struct hp_oh_error {
    size_t pos;        /* 0-based byte offset of the offending token */
    char message[128]; /* e.g. "unexpected \"Xy\" at position 6" (also 0-based) */
};

/*
 * Compiles NUL-terminated src. On success returns HP_OH_OK and *out is a new
 * compiled form the caller frees with hp_oh_free(). On failure *out is NULL
 * and err (if not NULL) says where and why: HP_OH_SYNTAX, or HP_OH_NOMEM.
 */
enum hp_oh_status hp_oh_compile(const char *src, struct hp_oh **out, struct hp_oh_error *err);

/* Frees a compiled form; NULL is fine. */
void hp_oh_free(struct hp_oh *oh);

/* The canonical text ("Mo-Fr 08:00-12:00, Sa 10:00-12:00; PH off"), owned by
 * oh; compiling it gives the same rules. Store this one. */
const char *hp_oh_text(const struct hp_oh *oh);

/* Open at instant t? cal gives holidays and local time (NULL: no holidays). */
bool hp_oh_is_open(const struct hp_oh *oh, time_t t, const struct hp_calendar *cal);

/*
 * The first instant in (t, limit] at which hp_oh_is_open() differs from its
 * value at t: returns true and sets *change. Returns false when the state
 * holds through limit (or limit <= t). Cost grows with the number of rule
 * boundaries between t and the change, a handful per day.
 */
bool hp_oh_next_change(const struct hp_oh *oh, time_t t, time_t limit,
                       const struct hp_calendar *cal, time_t *change);

/* Open at any instant of [a, b] (both included)? False when b < a. */
bool hp_oh_open_during(const struct hp_oh *oh, time_t a, time_t b,
                       const struct hp_calendar *cal);

#endif
