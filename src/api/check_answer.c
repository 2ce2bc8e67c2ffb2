/* Check answers as JSON text; see check_answer.h for why not cJSON. The
 * output is what cJSON would print for the same members. */
#include "haulpass/check_answer.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hp_text_free(struct hp_text *t)
{
    free(t->p);
    t->p = NULL;
    t->len = t->cap = 0;
}

bool hp_text_reserve(struct hp_text *t, size_t more)
{
    if (t->failed)
        return false;
    if (t->len + more + 1 <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + more + 1)
        cap *= 2;
    char *p = realloc(t->p, cap);
    if (!p) {
        t->failed = true;
        return false;
    }
    t->p = p, t->cap = cap;
    return true;
}

static void put(struct hp_text *t, const char *s, size_t n)
{
    if (!hp_text_reserve(t, n))
        return;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void puts_(struct hp_text *t, const char *s)
{
    put(t, s, strlen(s));
}

void hp_text_append(struct hp_text *t, const struct hp_text *part)
{
    if (part->failed)
        t->failed = true;
    else if (part->len)
        put(t, part->p, part->len);
}

/* Whether byte c goes into a JSON string as it is: not a control
 * character, a quote or a backslash. */
static inline bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

/* Whether any of the 8 bytes of x is not plain_byte: the classic tests
 * for a byte below n and a zero byte, done on all 8 at once (a byte of
 * UTF-8 above 0x7F never trips them). A borrow may flag a plain byte
 * next to one that is not, which only sends that byte the slow way. */
static inline bool any_escape8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    return (((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
            ((backslash - ones) & ~backslash)) & highs;
}

/* A JSON string: quotes, and escapes for quotes, backslashes and controls
 * (the text is valid UTF-8 already: it came through the API). Room for the
 * worst case (every byte a \u00XX) is made once, so the scan writes
 * straight into the buffer, eight plain bytes at a time: an answer is
 * mostly zone names, ids and reason sentences, and this loop was a tenth
 * of a check. */
static void str(struct hp_text *t, const char *s)
{
    size_t n = strlen(s);
    if (!hp_text_reserve(t, 6 * n + 2))
        return;
    char *o = t->p + t->len;
    *o++ = '"';
    const unsigned char *c = (const unsigned char *)s, *end = c + n;
    while (c < end) {
        uint64_t x;
        while (end - c >= 8 && (memcpy(&x, c, 8), !any_escape8(x))) {
            memcpy(o, &x, 8);
            o += 8, c += 8;
        }
        if (c == end)
            break;
        unsigned char b = *c++;
        if (plain_byte(b)) {
            *o++ = (char)b;
        } else if (b == '"' || b == '\\') {
            *o++ = '\\';
            *o++ = (char)b;
        } else {
            static const char hex[] = "0123456789abcdef";
            memcpy(o, "\\u00", 4);
            o[4] = hex[b >> 4];
            o[5] = hex[b & 0xF];
            o += 6;
        }
    }
    *o++ = '"';
    *o = '\0';
    t->len = (size_t)(o - t->p);
}

/* Metres to the millimetre, without trailing zeros (as cJSON prints
 * such a number), in integers: printf of doubles was a tenth of a check. */
static void metres(struct hp_text *t, double m)
{
    long long mm = llround(m * 1000);
    unsigned long long whole = (unsigned long long)(mm < 0 ? -mm : mm) / 1000;
    char b[32], rev[24];
    int n = 0, k = 0;
    if (mm < 0)
        b[n++] = '-';
    do
        rev[k++] = (char)('0' + whole % 10);
    while ((whole /= 10) > 0);
    while (k > 0)
        b[n++] = rev[--k];
    int frac = (int)((mm < 0 ? -mm : mm) % 1000);
    if (frac) {
        b[n++] = '.';
        b[n++] = (char)('0' + frac / 100);
        b[n++] = (char)('0' + frac / 10 % 10);
        b[n++] = (char)('0' + frac % 10);
        while (b[n - 1] == '0')
            n--;
    }
    put(t, b, (size_t)n);
}

static void digits(char *out, long v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* An instant as hp_time_format writes it (local time with its offset,
 * microseconds only when present), to the millisecond, through the
 * snapshot's calendar: a table lookup instead of localtime_r. Returns the
 * length written into b (no NUL). */
static int format_instant(const struct hp_snapshot *s, double secs, char b[40])
{
    int64_t us = llround(secs * 1000) * 1000;
    int64_t whole = us / 1000000, frac = us % 1000000;
    if (frac < 0)
        frac += 1000000, whole--;
    int32_t off = hp_calendar_utc_offset(s->cal, (time_t)whole);
    int64_t local = whole + off, days = local / 86400, sod = local % 86400;
    if (sod < 0)
        sod += 86400, days--;
    /* An answer's instants fall on a day or two: the date of the last one
     * written on this thread is kept, digits and all. */
    static _Thread_local int64_t last_days = INT64_MIN;
    static _Thread_local char last_date[10];
    if (days != last_days) {
        struct hp_calendar_date d = hp_calendar_date_from_days(days);
        digits(last_date, d.year, 4), last_date[4] = '-', digits(last_date + 5, d.month, 2);
        last_date[7] = '-', digits(last_date + 8, d.day, 2);
        last_days = days;
    }
    memcpy(b, last_date, 10);
    b[10] = 'T', digits(b + 11, (long)(sod / 3600), 2), b[13] = ':';
    digits(b + 14, (long)(sod / 60 % 60), 2), b[16] = ':', digits(b + 17, (long)(sod % 60), 2);
    int n = 19;
    if (frac) {
        b[n++] = '.';
        digits(b + n, (long)frac, 6);
        n += 6;
    }
    b[n++] = off < 0 ? '-' : '+';
    long a = off < 0 ? -off : off;
    digits(b + n, a / 3600, 2), b[n + 2] = ':', digits(b + n + 3, a / 60 % 60, 2);
    return n + 5;
}

static void instant(struct hp_text *t, const struct hp_snapshot *s, double secs)
{
    char b[40];
    int n = format_instant(s, secs, b);
    put(t, "\"", 1);
    put(t, b, (size_t)n);
    put(t, "\"", 1);
}

/* ,"rule_id":…,"reason":… of a violation. */
static void rule_and_reason(struct hp_text *t, const struct hp_snapshot *s,
                            const struct hp_check_vehicle *v, const struct hp_check_violation *x)
{
    puts_(t, ",\"rule_id\":");
    str(t, s->zones[x->zone].rules[x->rule].id);
    put(t, ",", 1);
    /* Room for the longest reason: a rule's hours (up to HP_OH_MAX_LEN), a
     * zone name of 200 characters (800 bytes) and the fixed words, so the
     * instant at the end, the point of the sentence, is never cut off. */
    char r[HP_OH_MAX_LEN + 2048], when[40];
    when[format_instant(s, (double)x->at, when)] = '\0';
    const struct hp_snap_zone *z = &s->zones[x->zone];
    hp_check_reason(z, &z->rules[x->rule], v, when, t->lang, r, sizeof(r));
    puts_(t, "\"reason\":");
    str(t, r);
}

/* zone_id, (zone_name,) from_m, to_m, enter_at, exit_at of a crossing. */
static void stretch(struct hp_text *t, const struct hp_snapshot *s,
                    const struct hp_check_crossing *x, bool with_name)
{
    puts_(t, "\"zone_id\":");
    str(t, s->zones[x->zone].id);
    if (with_name) {
        puts_(t, ",\"zone_name\":");
        str(t, s->zones[x->zone].name);
    }
    puts_(t, ",\"from_m\":");
    metres(t, x->stretch.from_m);
    puts_(t, ",\"to_m\":");
    metres(t, x->stretch.to_m);
    puts_(t, ",\"enter_at\":");
    instant(t, s, x->enter_s);
    puts_(t, ",\"exit_at\":");
    instant(t, s, x->exit_s);
}

/* The members of a route answer up to the opening of its violations. */
static void route_head(struct hp_text *t, const struct hp_snapshot *s,
                       const struct hp_route_check *c, bool allowed)
{
    char b[64];
    puts_(t, allowed ? "{\"allowed\":true" : "{\"allowed\":false");
    snprintf(b, sizeof(b), ",\"zone_set_version\":%lld,\"length_m\":", (long long)s->version);
    puts_(t, b);
    metres(t, c->length_m);
    puts_(t, ",\"arrive_at\":");
    instant(t, s, c->arrive_s);
    puts_(t, ",\"crossings\":[");
    for (int i = 0; i < c->ncrossings; i++) {
        puts_(t, i ? ",{" : "{");
        stretch(t, s, &c->crossings[i], true);
        puts_(t, "}");
    }
    puts_(t, "],\"violations\":[");
}

/* The violations of c by vehicle v, each naming plate unless it is NULL;
 * *first: none has been written yet. */
static void route_violations(struct hp_text *t, const struct hp_snapshot *s,
                             const struct hp_check_vehicle *v, const struct hp_route_check *c,
                             const char *plate, bool *first)
{
    for (int i = 0; i < c->nviolations; i++) {
        const struct hp_check_violation *x = &c->violations[i];
        puts_(t, *first ? "{" : ",{");
        *first = false;
        stretch(t, s, &c->crossings[x->crossing], false);
        rule_and_reason(t, s, v, x);
        if (plate) {
            puts_(t, ",\"plate\":");
            str(t, plate);
        }
        puts_(t, "}");
    }
}

/* "escort": what an oversize trip needs and the booking that covers it
 * (docs/contract.md §13), or null when no pass in force requires one. */
static void route_escort(struct hp_text *t, const struct hp_snapshot *s,
                         const struct hp_escort_need *e)
{
    puts_(t, ",\"escort\":");
    if (!e || !e->required) {
        puts_(t, "null");
        return;
    }
    puts_(t, "{\"required\":true,\"pass_code\":");
    str(t, e->pass_code);
    puts_(t, ",\"booking_id\":");
    if (e->booking_id[0])
        str(t, e->booking_id);
    else
        puts_(t, "null");
    puts_(t, ",\"from\":");
    instant(t, s, e->from_s);
    puts_(t, ",\"to\":");
    instant(t, s, e->to_s);
    puts_(t, ",\"reason\":");
    if (e->booking_id[0]) {
        puts_(t, "null");
    } else {
        char why[256];
        snprintf(why, sizeof(why),
                 "pass %s requires a police escort (an oversize load past the limits) and no "
                 "scheduled or confirmed escort booking of this plate covers the trip in its "
                 "corridor",
                 e->pass_code);
        str(t, why);
    }
    puts_(t, "}");
}

void hp_check_answer_route(struct hp_text *t, const struct hp_snapshot *s,
                           const struct hp_check_vehicle *v, const struct hp_route_check *c,
                           const struct hp_escort_need *escort)
{
    bool first = true;
    bool unescorted = escort && escort->required && !escort->booking_id[0];
    route_head(t, s, c, c->nviolations == 0 && !unescorted);
    route_violations(t, s, v, c, NULL, &first);
    puts_(t, "]");
    route_escort(t, s, escort);
    puts_(t, "}");
}

void hp_check_answer_convoy(struct hp_text *t, const struct hp_snapshot *s, int n,
                            const char *const *plates, const struct hp_check_vehicle *v,
                            const struct hp_route_check *c)
{
    bool allowed = true, first = true;
    for (int i = 0; i < n; i++)
        allowed = allowed && c[i].nviolations == 0;
    route_head(t, s, &c[0], allowed);
    for (int i = 0; i < n; i++)
        route_violations(t, s, &v[i], &c[i], plates[i], &first);
    puts_(t, "]}");
}

void hp_check_answer_sightings_begin(struct hp_text *t, const struct hp_snapshot *s)
{
    char b[64];
    snprintf(b, sizeof(b), "{\"zone_set_version\":%lld,\"results\":[", (long long)s->version);
    puts_(t, b);
}

void hp_check_answer_sighting(struct hp_text *t, const struct hp_snapshot *s,
                              const struct hp_check_vehicle *v,
                              const struct hp_sighting_check *c, bool first)
{
    puts_(t, first ? "{\"status\":" : ",{\"status\":");
    puts_(t, !v ? "\"unknown_vehicle\"" : c->nviolations ? "\"violation\"" : "\"ok\"");
    puts_(t, ",\"zone_ids\":[");
    for (int i = 0; i < c->nzones; i++) {
        if (i)
            put(t, ",", 1);
        str(t, s->zones[c->zones[i]].id);
    }
    puts_(t, "],\"violations\":[");
    for (int i = 0; v && i < c->nviolations; i++) {
        const struct hp_check_violation *x = &c->violations[i];
        puts_(t, i ? ",{" : "{");
        puts_(t, "\"zone_id\":");
        str(t, s->zones[x->zone].id);
        rule_and_reason(t, s, v, x);
        puts_(t, "}");
    }
    puts_(t, "],\"pass_code\":");
    if (v && c->lifted_by)
        str(t, c->lifted_by->code);
    else
        puts_(t, "null");
    puts_(t, "}");
}

void hp_check_answer_sightings_end(struct hp_text *t)
{
    puts_(t, "]}");
}

void hp_check_answer_zones(struct hp_text *t, const struct hp_snapshot *s,
                           const struct hp_check_vehicle *v, time_t at,
                           const struct hp_check_violation *x, int n, bool reasons)
{
    char b[64];
    snprintf(b, sizeof(b), "{\"zone_set_version\":%lld,\"at\":", (long long)s->version);
    puts_(t, b);
    instant(t, s, (double)at);
    puts_(t, ",\"restricting\":[");
    for (int i = 0; i < n; i++) {
        if (!reasons && i && x[i].zone == x[i - 1].zone)
            continue; /* the zone's next rule: said once */
        puts_(t, i ? ",{" : "{");
        puts_(t, "\"zone_id\":");
        str(t, s->zones[x[i].zone].id);
        if (!reasons) {
            puts_(t, "}");
            continue;
        }
        puts_(t, ",\"zone_name\":");
        str(t, s->zones[x[i].zone].name);
        rule_and_reason(t, s, v, &x[i]);
        puts_(t, "}");
    }
    puts_(t, "]}");
}
