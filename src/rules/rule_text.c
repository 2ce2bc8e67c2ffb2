/* A rule in words (rule_text.h). The words of each language sit in one
 * table per language, so the two sentences are built by the same code. */
#include "haulpass/rule_text.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"
#include "haulpass/rule_fields.h"
#include "haulpass/vocab.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct words {
    const char *classes[10];     /* in hp_vehicle_classes order */
    const char *passes[5];       /* in hp_pass_types order */
    const char *days[7];         /* Mo..Su */
    const char *vehicles, *and_, *list_sep, *or_;
    const char *over_fmt;        /* weight in t */
    const char *hazmat_fmt;      /* %s: the vehicles */
    const char *except_fmt;      /* %s: the exempt classes */
    const char *all_hours, *every_day, *day_to, *next_day, *except_ph, *holidays;
    const char *from_to_fmt, *from_fmt, *until_fmt;
    const char *lift_fmt, *no_lift, *clause_sep, *hours_fmt;
};

static const struct words en = {
    {"light trucks", "medium trucks", "heavy trucks", "tractor units", "pickups",
     "construction vehicles", "muck trucks", "concrete mixers", "hazardous-goods tankers",
     "special vehicles"},
    {"construction", "urban delivery", "oversize", "hazardous goods", "temporary"},
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
    "vehicles", " and ", ", ", " or ",
    "%s over %s t", "%s carrying hazardous goods", "%s (except %s)",
    "at all hours", "every day", " to ", " (into the next day)", " except public holidays",
    "public holidays",
    ", from %s to %s", ", from %s", ", until %s",
    "; a %s pass lifts it", "; no pass lifts it", ", ", "hours \"%s\"",
};

static const struct words zh = {
    {"轻型货车", "中型货车", "重型货车", "牵引车", "皮卡", "工程车辆", "渣土车", "混凝土搅拌车",
     "危险品罐车", "专用车辆"},
    {"施工", "城市配送", "超限", "危险品", "临时"},
    {"周一", "周二", "周三", "周四", "周五", "周六", "周日"},
    "车辆", "和", "、", "或",
    "%2$s吨以上的%1$s", "载危险货物的%s", "%s（%s除外）",
    "全天", "每天", "至", "（至次日）", "（法定节假日除外）", "法定节假日",
    "，%s至%s有效", "，%s起有效", "，至%s有效",
    "；可凭%s通行证通行", "；不可凭通行证通行", "，", "时段“%s”",
};

/* An output buffer that remembers being cut. */
struct out {
    char *p;
    size_t n, len;
    bool cut;
};

/* The bytes of the UTF-8 character whose lead byte is c. */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->cut)
        return; /* nothing after a cut: the text stays a prefix */
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->n - o->len;
    int k = vsnprintf(o->p + o->len, room, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= room) {
        o->cut = true;
        o->len = o->n ? o->n - 1 : 0;
        /* Never end inside a UTF-8 character (the Chinese sentence): back
         * up over continuation bytes and the lead byte they follow. */
        size_t end = o->len;
        while (end > 0 && ((unsigned char)o->p[end - 1] & 0xC0) == 0x80)
            end--;
        if (end > 0 && ((unsigned char)o->p[end - 1] & 0x80))
            end--;
        /* ...unless that character was whole: keep it. */
        if (end < o->len && end + utf8_len((unsigned char)o->p[end]) == o->len)
            end = o->len;
        o->len = end;
        if (o->n)
            o->p[o->len] = '\0';
    } else {
        o->len += (size_t)k;
    }
}

/* The words of the set bits of mask ("a, b and c"). */
static void put_list(struct out *o, const struct words *w, uint32_t mask,
                     const char *const *names, int count, const char *last_sep)
{
    int n = 0, total = 0;
    for (int i = 0; i < count; i++)
        total += (mask >> i) & 1;
    for (int i = 0; i < count; i++) {
        if (!((mask >> i) & 1))
            continue;
        if (n > 0)
            put(o, "%s", n == total - 1 ? last_sep : w->list_sep);
        put(o, "%s", names[i]);
        n++;
    }
}

static int day_index(const char *s)
{
    static const char *const abbr[] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
    for (int i = 0; i < 7; i++)
        if (strncmp(s, abbr[i], 2) == 0)
            return i;
    return -1;
}

/* "Mo-Fr" / "Sa,Su" / "Mo-We,PH" in words; false when it is not a plain
 * list of weekdays and ranges. */
static bool put_days(struct out *o, const struct words *w, const char *s, size_t len)
{
    struct out tmp = *o;
    int items = 0;
    for (size_t i = 0; i < len; items++) {
        if (items > 0 && s[i++] != ',')
            return false;
        if (items > 0)
            put(&tmp, "%s", w->list_sep);
        if (i + 2 <= len && strncmp(s + i, "PH", 2) == 0) {
            put(&tmp, "%s", w->holidays);
            i += 2;
            continue;
        }
        int a = i + 2 <= len ? day_index(s + i) : -1;
        if (a < 0)
            return false;
        i += 2;
        if (i < len && s[i] == '-') {
            int b = i + 3 <= len ? day_index(s + i + 1) : -1;
            if (b < 0)
                return false;
            i += 3;
            put(&tmp, "%s%s%s", w->days[a], w->day_to, w->days[b]);
        } else {
            put(&tmp, "%s", w->days[a]);
        }
    }
    *o = tmp;
    return true;
}

/* "07:00-22:00,23:00-01:00" in words; false for anything else. */
static bool put_times(struct out *o, const struct words *w, const char *s, size_t len)
{
    struct out tmp = *o;
    for (size_t i = 0; i < len;) {
        int h1, m1, h2, m2, used = 0;
        if (i > 0 && s[i++] != ',')
            return false;
        if (i > 0 && s[i - 1] == ',')
            put(&tmp, "%s", w->list_sep);
        if (sscanf(s + i, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || used != 11)
            return false;
        i += 11;
        put(&tmp, "%02d:%02d–%02d:%02d%s", h1, m1, h2 % 24, m2,
            h2 * 60 + m2 <= h1 * 60 + m1 || h2 >= 24 ? w->next_day : "");
    }
    *o = tmp;
    return true;
}

static bool put_days_or_every(struct out *o, const struct words *w, const char *days,
                              size_t n)
{
    if (days)
        return put_days(o, w, days, n);
    put(o, "%s", w->every_day);
    return true;
}

/* One rule of the hours: "[days ]times" or "[days ]24/7". In Chinese the
 * days come first ("周一至周五07:00–09:00"), in English after the times
 * ("07:00–09:00 Monday to Friday"). */
static bool put_one(struct out *o, const struct words *w, bool zh_order, const char *s,
                    size_t len)
{
    const char *sp = memchr(s, ' ', len);
    const char *days = sp ? s : NULL, *times = sp ? sp + 1 : s;
    size_t ndays = sp ? (size_t)(sp - s) : 0, ntimes = len - (size_t)(times - s);
    bool always = ntimes == 4 && strncmp(times, "24/7", 4) == 0;
    struct out tmp = *o;
    if (zh_order && !put_days_or_every(&tmp, w, days, ndays))
        return false;
    if (always)
        put(&tmp, "%s", zh_order ? "" : w->all_hours);
    else if (!put_times(&tmp, w, times, ntimes))
        return false;
    if (!zh_order) {
        put(&tmp, " ");
        if (!put_days_or_every(&tmp, w, days, ndays))
            return false;
    }
    *o = tmp;
    return true;
}

/* The hours in words when they are rules of "[days ]times" joined by
 * ", ", optionally ending "; PH off"; else quoted. */
static void put_hours(struct out *o, const struct words *w, bool zh_order, const char *text)
{
    size_t len = strlen(text);
    static const char ph_off[] = "; PH off";
    bool except_ph = len > sizeof(ph_off) - 1 &&
                     strcmp(text + len - (sizeof(ph_off) - 1), ph_off) == 0;
    if (except_ph)
        len -= sizeof(ph_off) - 1;
    struct out tmp = *o;
    bool ok = memchr(text, ';', len) == NULL;
    for (size_t i = 0; ok && i < len;) {
        /* A rule ends at ", " followed by a letter (the next rule's days). */
        size_t end = i;
        while (end < len && !(text[end] == ',' && end + 2 < len && text[end + 1] == ' '))
            end++;
        if (i > 0)
            put(&tmp, "%s", w->list_sep);
        ok = put_one(&tmp, w, zh_order, text + i, end - i);
        i = end < len ? end + 2 : len;
    }
    if (ok) {
        if (except_ph)
            put(&tmp, "%s", w->except_ph);
        *o = tmp;
    } else {
        put(o, w->hours_fmt, text);
    }
}

static void put_date(char out[11], int64_t day)
{
    hp_calendar_date_format(hp_calendar_date_from_days(day), out);
}

bool hp_rule_text(const struct hp_rule *r, enum hp_rule_lang lang, char *buf, size_t buflen)
{
    const struct words *w = lang == HP_RULE_LANG_ZH ? &zh : &en;
    bool zh_order = lang == HP_RULE_LANG_ZH;
    struct out o = {buf, buflen, 0, false};
    if (buflen)
        buf[0] = '\0';
    char who[768], tmp[768];
    struct out c = {who, sizeof(who), 0, false};
    who[0] = '\0';
    if (r->classes)
        put_list(&c, w, r->classes, w->classes, 10, w->and_);
    else
        put(&c, "%s", w->vehicles);
    if (r->hazmat_only) {
        snprintf(tmp, sizeof(tmp), w->hazmat_fmt, who);
        snprintf(who, sizeof(who), "%s", tmp);
    }
    if (r->min_gross_kg >= 0) {
        char t[32];
        snprintf(t, sizeof(t), "%g", r->min_gross_kg / 1000.0);
        snprintf(tmp, sizeof(tmp), w->over_fmt, who, t);
        snprintf(who, sizeof(who), "%s", tmp);
    }
    if (r->exempt) {
        char ex[512];
        struct out e = {ex, sizeof(ex), 0, false};
        ex[0] = '\0';
        put_list(&e, w, r->exempt, w->classes, 10, w->and_);
        snprintf(tmp, sizeof(tmp), w->except_fmt, who, ex);
        snprintf(who, sizeof(who), "%s", tmp);
    }
    put(&o, "%s%s", who, w->clause_sep);
    if (r->hours)
        put_hours(&o, w, zh_order, hp_oh_text(r->hours));
    else
        put(&o, "%s", w->all_hours);
    char from[11], to[11];
    bool has_from = r->from_day != INT64_MIN, has_to = r->to_day != INT64_MAX;
    if (has_from)
        put_date(from, r->from_day);
    if (has_to)
        put_date(to, r->to_day);
    if (has_from && has_to)
        put(&o, w->from_to_fmt, from, to);
    else if (has_from)
        put(&o, w->from_fmt, from);
    else if (has_to)
        put(&o, w->until_fmt, to);
    if (r->liftable) {
        char lift[256];
        struct out l = {lift, sizeof(lift), 0, false};
        lift[0] = '\0';
        put_list(&l, w, r->liftable, w->passes, 5, w->or_);
        put(&o, w->lift_fmt, lift);
    } else {
        put(&o, "%s", w->no_lift);
    }
    return !o.cut;
}

const char *hp_rule_text_class(int i, enum hp_rule_lang lang)
{
    if (i < 0 || i >= 10)
        return NULL;
    return (lang == HP_RULE_LANG_ZH ? &zh : &en)->classes[i];
}
