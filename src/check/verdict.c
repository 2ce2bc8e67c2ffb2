/* Whether a rule applies to a vehicle, and when in an interval it is in
 * force and not lifted. Pure. */
#include "haulpass/check.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"
#include "haulpass/vocab.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NEVER ((time_t)INT64_MAX)
/* Enough for a crossing of weeks at a handful of boundaries a day; a
 * crossing with more is judged violated from where the steps ran out. */
#define MAX_STEPS 100000

bool hp_check_rule_applies(const struct hp_rule *r, const struct hp_check_vehicle *v)
{
    uint32_t bit = v->cls >= 0 ? 1u << v->cls : 0;
    if (r->classes && !(r->classes & bit))
        return false;
    if (r->exempt & bit)
        return false;
    if (r->min_gross_kg >= 0 && v->gross_kg <= r->min_gross_kg)
        return false;
    return !r->hazmat_only || v->hazmat;
}

/* The instant local day `day` begins. */
static time_t day_start(const struct hp_calendar *cal, int64_t day)
{
    return hp_calendar_local_time(cal, hp_calendar_date_from_days(day), 0);
}

static bool in_days(const struct hp_calendar *cal, int64_t from, int64_t to, time_t t)
{
    if (from == INT64_MIN && to == INT64_MAX)
        return true;
    int64_t d = hp_calendar_date_to_days(hp_calendar_local_date(cal, t));
    return from <= d && d <= to;
}

/* The first instant after t at which being inside from..to changes. */
static time_t days_change(const struct hp_calendar *cal, int64_t from, int64_t to, time_t t)
{
    time_t s;
    if (from != INT64_MIN && (s = day_start(cal, from)) > t)
        return s;
    if (to != INT64_MAX && (s = day_start(cal, to + 1)) > t)
        return s;
    return NEVER;
}

static time_t hours_change(const struct hp_oh *oh, time_t t, time_t b,
                           const struct hp_calendar *cal)
{
    time_t c;
    return oh && hp_oh_next_change(oh, t, b, cal, &c) ? c : NEVER;
}

static bool rule_in_force(const struct hp_rule *r, time_t t, const struct hp_calendar *cal)
{
    return in_days(cal, r->from_day, r->to_day, t) && (!r->hours || hp_oh_is_open(r->hours, t, cal));
}

static bool pass_valid(const struct hp_snap_pass *p, time_t t, const struct hp_calendar *cal)
{
    if (p->provisional && t >= p->documents_due)
        return false;
    if ((p->starts && t < p->starts) || (p->ends && t >= p->ends))
        return false;
    return in_days(cal, p->from_day, p->to_day, t) && (!p->hours || hp_oh_is_open(p->hours, t, cal));
}

static time_t min_t(time_t a, time_t b)
{
    return a < b ? a : b;
}

bool hp_check_rule_violated(const struct hp_rule *r, const struct hp_snap_pass *const *passes,
                            int n, time_t a, time_t b, const struct hp_calendar *cal, time_t *at,
                            const struct hp_snap_pass **lifter)
{
    *lifter = NULL;
    time_t t = a;
    for (int step = 0; step < MAX_STEPS && t <= b; step++) {
        if (rule_in_force(r, t, cal)) {
            const struct hp_snap_pass *by = NULL;
            for (int i = 0; i < n && !by; i++)
                if (pass_valid(passes[i], t, cal))
                    by = passes[i];
            if (!by) {
                *at = t;
                return true;
            }
            if (!*lifter)
                *lifter = by;
        }
        /* Nothing changes before the next boundary of the rule or a pass. */
        time_t next = min_t(days_change(cal, r->from_day, r->to_day, t),
                            hours_change(r->hours, t, b, cal));
        for (int i = 0; i < n; i++) {
            const struct hp_snap_pass *p = passes[i];
            next = min_t(next, days_change(cal, p->from_day, p->to_day, t));
            next = min_t(next, hours_change(p->hours, t, b, cal));
            if (p->provisional && p->documents_due > t)
                next = min_t(next, p->documents_due);
            if (p->starts > t)
                next = min_t(next, p->starts);
            if (p->ends > t)
                next = min_t(next, p->ends);
        }
        t = next;
    }
    /* Out of steps inside [a, b]: fail closed. A rule the service could not
     * clear is reported for an officer to look at, never waved through. */
    if (t <= b) {
        *at = t;
        return true;
    }
    return false;
}

/* A sentence being written into a fixed buffer, cut short when full.
 * Plain copies rather than printf: a route through a dense city writes
 * dozens of these per answer. */
struct sentence {
    char *out;
    size_t len, at;
};

static void add(struct sentence *s, const char *text)
{
    size_t n = strlen(text);
    if (s->at + 1 >= s->len)
        return;
    if (n > s->len - s->at - 1)
        n = s->len - s->at - 1;
    memcpy(s->out + s->at, text, n);
    s->at += n;
    s->out[s->at] = '\0';
}

static void add_int(struct sentence *s, int v)
{
    char b[16];
    int at = (int)sizeof(b) - 1;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    b[at] = '\0';
    do
        b[--at] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0)
        b[--at] = '-';
    add(s, b + at);
}

static void add_words(struct sentence *s, uint32_t bits, const char *const *vocab,
                      const char *join)
{
    bool first = true;
    for (int i = 0; vocab[i]; i++)
        if (bits & (1u << i)) {
            if (!first)
                add(s, join);
            add(s, vocab[i]);
            first = false;
        }
}

static void add_day(struct sentence *s, const char *what, int64_t day)
{
    char d[11];
    hp_calendar_date_format(hp_calendar_date_from_days(day), d);
    add(s, what);
    add(s, d);
}

/* The Chinese sentence: the zone, its rule as the public feed words it
 * (rule_text.h: vehicles, weight, hours, dates, which pass lifts it), this
 * vehicle, and the instant. */
static void reason_zh(struct sentence *s, const struct hp_snap_zone *z, const struct hp_rule *r,
                      const struct hp_check_vehicle *v, const char *when)
{
    char rule[HP_OH_MAX_LEN + 1024]; /* the hours may be quoted whole */
    hp_rule_text(r, HP_RULE_LANG_ZH, rule, sizeof(rule));
    add(s, "区域“");
    add(s, z->name);
    add(s, "”：");
    add(s, rule);
    add(s, "。本车：");
    const char *cls = v->cls >= 0 ? hp_rule_text_class(v->cls, HP_RULE_LANG_ZH) : NULL;
    add(s, cls ? cls : "车型不明");
    add(s, "，");
    add_int(s, v->gross_kg);
    add(s, v->hazmat ? "千克，载危险货物。" : "千克。");
    add(s, when);
    add(s, r->liftable ? " 时在限行时段内，且无覆盖此处的有效通行证。" : " 时在限行时段内。");
}

void hp_check_reason(const struct hp_snap_zone *z, const struct hp_rule *r,
                     const struct hp_check_vehicle *v, const char *when, enum hp_rule_lang lang,
                     char *out, size_t len)
{
    struct sentence s = {out, len, 0};
    out[0] = '\0';
    if (lang == HP_RULE_LANG_ZH) {
        reason_zh(&s, z, r, v, when);
        return;
    }
    add(&s, "zone \"");
    add(&s, z->name);
    add(&s, "\" restricts ");
    if (r->classes)
        add_words(&s, r->classes, hp_vehicle_classes, ", ");
    else
        add(&s, "every vehicle class");
    if (r->exempt) {
        add(&s, " except ");
        add_words(&s, r->exempt, hp_vehicle_classes, ", ");
    }
    if (r->min_gross_kg >= 0) {
        add(&s, " over ");
        add_int(&s, r->min_gross_kg);
        add(&s, " kg");
    }
    if (r->hazmat_only)
        add(&s, " carrying hazardous goods");
    add(&s, " (this vehicle: ");
    add(&s, v->cls >= 0 ? hp_vehicle_classes[v->cls] : "unknown class");
    add(&s, ", ");
    add_int(&s, v->gross_kg);
    add(&s, v->hazmat ? " kg, hazmat)" : " kg)");
    add(&s, "; in force ");
    add(&s, r->hours_text ? r->hours_text : "at all hours");
    if (r->from_day != INT64_MIN)
        add_day(&s, " from ", r->from_day);
    if (r->to_day != INT64_MAX)
        add_day(&s, " until ", r->to_day);
    add(&s, "; in force at ");
    add(&s, when);
    if (r->liftable) {
        add(&s, " and no valid pass of type ");
        add_words(&s, r->liftable, hp_pass_types, " or ");
        add(&s, " covers this place then");
    } else {
        add(&s, "; no pass lifts it");
    }
}
