/*
 * opening_hours: compile the docs/contract.md §4 subset into a flat table of rules and
 * evaluate it the way the reference implementation (npm opening_hours)
 * does. See include/haulpass/opening_hours.h for the grammar and semantics.
 *
 * The compiled form mirrors the reference's internal rule list: every
 * written rule becomes one internal rule, followed by a "wrapped" rule for
 * the time it spills past midnight, whose date selectors are read 24 hours
 * earlier. Evaluating an instant walks that list backwards: the last rule
 * whose date and time match decides; a resetting rule whose date matches
 * hides everything before it.
 */
#include "haulpass/opening_hours.h"

#include "calendar_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_SECONDS 86400
#define DAY_MINUTES 1440

/* --- Compiled form ------------------------------------------------------ */

enum {
    R_OPEN = 1 << 0,       /* meaning: open (else off/closed) */
    R_WRAPPED = 1 << 1,    /* spill-over of the rule before; dates read 24 h earlier */
    R_RESETS = 1 << 2,     /* replaces earlier rules on the days it matches */
    R_HAS_WD = 1 << 3,     /* has a weekday list (weekdays and/or PH) */
    R_WD_PH = 1 << 4,      /* the weekday list contains PH */
    R_PH_ONLY = 1 << 5,    /* "PH" selector of its own: only on holidays */
    R_HAS_DATE = 1 << 6,   /* any date selector at all */
    R_ADDITIONAL = 1 << 7, /* written after "," */
};

enum {
    OH_ANY_WRAPPED = 1 << 0,
    OH_ANY_PH = 1 << 1,
    OH_ANY_MONTH = 1 << 2,
};

struct oh_rule {
    uint16_t months;  /* bit 0 = January; all set without a month selector */
    uint8_t weekdays; /* bit 0 = Sunday */
    uint8_t flags;
    uint32_t range0;  /* first of its time ranges */
    uint32_t nranges; /* at least one: no times means [0, 1440) */
};

struct oh_range {
    uint16_t from, to; /* minutes of the local day, [from, to), to <= 1440 */
};

struct hp_oh {
    uint32_t nrules, nbounds;
    uint32_t flags;
    const struct oh_rule *rules;
    const struct oh_range *ranges;
    const uint16_t *bounds; /* sorted minutes at which a state may change; bounds[0] = 0 */
    const char *text;
};

/* --- Tokens ------------------------------------------------------------- */

enum tok_kind {
    TK_END,
    TK_SEMI,
    TK_COMMA,
    TK_DASH,
    TK_TIME,    /* value: hours * 60 + minutes, hours 00..99 */
    TK_247,
    TK_WEEKDAY, /* value: 0 = Sunday */
    TK_MONTH,   /* value: 0 = January */
    TK_PH,
    TK_MOD,     /* value: index in modifier_names */
};

struct token {
    enum tok_kind kind;
    int value;
    size_t pos, len;
};

static const char *const weekday_names[7] = {"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"};
static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const modifier_names[3] = {"off", "closed", "open"};

/* Words the reference understands but this subset does not. */
static const char *const unsupported_words[] = {
    "sunrise", "sunset", "dawn", "dusk", "SH", "week", "easter", "unknown",
};

struct parser {
    const char *src;
    size_t len;
    struct token *toks;
    size_t ntok, at;
    struct hp_oh_error *err;

    struct oh_rule *rules;
    size_t nrules;
    struct oh_range *ranges;
    size_t nranges;
    struct oh_range *wraps; /* spill-over ranges of the rule being parsed */
    size_t nwraps;

    char *text; /* canonical text being written */
    size_t textlen;
};

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
{
    if (!p->err)
        return;
    char what[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    p->err->pos = pos;
    snprintf(p->err->message, sizeof p->err->message, "%s at position %zu", what, pos);
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool word_is(const char *w, size_t n, const char *name, bool ignore_case)
{
    if (strlen(name) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = w[i], b = name[i];
        if (ignore_case) {
            a = (char)(a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a);
            b = (char)(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
        }
        if (a != b)
            return false;
    }
    return true;
}

/* Quotes at most 20 bytes of a printable token for a message. */
static int shown(size_t len)
{
    return (int)(len > 20 ? 20 : len);
}

static bool lex_word(struct parser *p, size_t pos, size_t n, struct token *t)
{
    const char *w = p->src + pos;
    *t = (struct token){.pos = pos, .len = n};
    for (int i = 0; i < 7; i++)
        if (word_is(w, n, weekday_names[i], false)) {
            t->kind = TK_WEEKDAY;
            t->value = i;
            return true;
        }
    for (int i = 0; i < 12; i++)
        if (word_is(w, n, month_names[i], false)) {
            t->kind = TK_MONTH;
            t->value = i;
            return true;
        }
    if (word_is(w, n, "PH", false)) {
        t->kind = TK_PH;
        return true;
    }
    for (int i = 0; i < 3; i++)
        if (word_is(w, n, modifier_names[i], false)) {
            t->kind = TK_MOD;
            t->value = i; /* index in modifier_names: 2 = open */
            return true;
        }
    for (size_t i = 0; i < sizeof unsupported_words / sizeof *unsupported_words; i++)
        if (word_is(w, n, unsupported_words[i], true)) {
            fail(p, pos, "\"%.*s\" is not supported", shown(n), w);
            return false;
        }
    /* A known word in the wrong case gets a hint. */
    const char *const *lists[3] = {weekday_names, month_names, modifier_names};
    const int counts[3] = {7, 12, 3};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < counts[l]; i++)
            if (word_is(w, n, lists[l][i], true)) {
                fail(p, pos, "unknown word \"%.*s\" (write \"%s\")", shown(n), w, lists[l][i]);
                return false;
            }
    if (word_is(w, n, "PH", true)) {
        fail(p, pos, "unknown word \"%.*s\" (write \"PH\")", shown(n), w);
        return false;
    }
    fail(p, pos, "unexpected \"%.*s\"", shown(n), w);
    return false;
}

static bool lex_number(struct parser *p, size_t pos, struct token *t)
{
    const char *s = p->src + pos;
    size_t left = p->len - pos;
    *t = (struct token){.pos = pos};
    if (left >= 4 && memcmp(s, "24/7", 4) == 0 && (left == 4 || !is_digit(s[4]))) {
        t->kind = TK_247;
        t->len = 4;
        return true;
    }
    if (left >= 5 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':' && is_digit(s[3]) &&
        is_digit(s[4]) && (left == 5 || !is_digit(s[5]))) {
        int minutes = (s[3] - '0') * 10 + (s[4] - '0');
        if (minutes > 59) {
            fail(p, pos + 3, "minutes must be 00 to 59");
            return false;
        }
        t->kind = TK_TIME;
        t->value = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + minutes;
        t->len = 5;
        return true;
    }
    size_t n = 0;
    while (n < left && (is_digit(s[n]) || s[n] == ':'))
        n++;
    fail(p, pos, "expected a time as HH:MM, not \"%.*s\"", shown(n), s);
    return false;
}

static bool lex(struct parser *p)
{
    size_t i = 0;
    while (i < p->len) {
        char c = p->src[i];
        struct token *t = &p->toks[p->ntok];
        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        if (c == ';' || c == ',' || c == '-') {
            *t = (struct token){c == ';' ? TK_SEMI : c == ',' ? TK_COMMA : TK_DASH, 0, i, 1};
        } else if (is_letter(c)) {
            size_t n = 0;
            while (i + n < p->len && is_letter(p->src[i + n]))
                n++;
            if (!lex_word(p, i, n, t))
                return false;
        } else if (is_digit(c)) {
            if (!lex_number(p, i, t))
                return false;
        } else if (c == '"') {
            fail(p, i, "comments (\"...\") are not supported");
            return false;
        } else if (c == '|' && i + 1 < p->len && p->src[i + 1] == '|') {
            fail(p, i, "fallback rules (||) are not supported");
            return false;
        } else if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7f) {
            fail(p, i, "unexpected \"%c\"", c);
            return false;
        } else {
            fail(p, i, "unexpected byte 0x%02X", (unsigned)(unsigned char)c);
            return false;
        }
        i += t->len;
        p->ntok++;
    }
    p->toks[p->ntok++] = (struct token){TK_END, 0, p->len, 0};
    return true;
}

/* --- Parser ------------------------------------------------------------- */

static const struct token *peek(const struct parser *p, size_t ahead)
{
    size_t i = p->at + ahead;
    return &p->toks[i < p->ntok ? i : p->ntok - 1];
}

static void put(struct parser *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p->text + p->textlen, s, n);
    p->textlen += n;
    p->text[p->textlen] = '\0';
}

static void put_time(struct parser *p, int minutes)
{
    char buf[8];
    snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60 % 100, minutes % 60);
    put(p, buf);
}

/* Describes the token for "unexpected ..." messages. */
static void fail_unexpected(struct parser *p, const struct token *t, const char *hint)
{
    if (t->kind == TK_END)
        fail(p, t->pos, "unexpected end%s", hint);
    else
        fail(p, t->pos, "unexpected \"%.*s\"%s", shown(t->len), p->src + t->pos, hint);
}

/* month [ "-" month ] { "," month [ "-" month ] } */
static bool parse_months(struct parser *p, uint16_t *mask)
{
    *mask = 0;
    for (;;) {
        const struct token *t = peek(p, 0);
        int from = t->value, to = from;
        put(p, month_names[from]);
        p->at++;
        if (peek(p, 0)->kind == TK_DASH) {
            const struct token *e = peek(p, 1);
            if (e->kind != TK_MONTH) {
                fail(p, e->pos, "expected a month after \"-\"");
                return false;
            }
            to = e->value;
            put(p, "-");
            put(p, month_names[to]);
            p->at += 2;
        }
        for (int m = from;; m = (m + 1) % 12) { /* Dec-Feb wraps over the new year */
            *mask = (uint16_t)(*mask | 1u << m);
            if (m == to)
                break;
        }
        if (peek(p, 0)->kind != TK_COMMA)
            return true;
        if (peek(p, 1)->kind != TK_MONTH) {
            fail(p, peek(p, 1)->pos, "expected a month after \",\"");
            return false;
        }
        put(p, ",");
        p->at++;
    }
}

/* day { "," day }, day = "PH" | weekday [ "-" weekday ] */
static bool parse_weekdays(struct parser *p, uint8_t *mask, bool *ph)
{
    *mask = 0;
    *ph = false;
    for (;;) {
        const struct token *t = peek(p, 0);
        if (t->kind == TK_PH) {
            *ph = true;
            put(p, "PH");
            p->at++;
        } else {
            int from = t->value, to = from;
            put(p, weekday_names[from]);
            p->at++;
            if (peek(p, 0)->kind == TK_DASH) {
                const struct token *e = peek(p, 1);
                if (e->kind != TK_WEEKDAY) {
                    fail(p, e->pos, "expected a weekday after \"-\"");
                    return false;
                }
                to = e->value;
                put(p, "-");
                put(p, weekday_names[to]);
                p->at += 2;
            }
            for (int d = from;; d = (d + 1) % 7) { /* Sa-Mo wraps over the week end */
                *mask = (uint8_t)(*mask | 1u << d);
                if (d == to)
                    break;
            }
        }
        if (peek(p, 0)->kind != TK_COMMA)
            return true;
        const struct token *n = peek(p, 1);
        if (n->kind != TK_WEEKDAY && n->kind != TK_PH) {
            fail(p, n->pos, "expected a weekday or PH after \",\" (\";\" separates rules)");
            return false;
        }
        put(p, ",");
        p->at++;
    }
}

static void add_range(struct parser *p, int from, int to)
{
    p->ranges[p->nranges++] = (struct oh_range){(uint16_t)from, (uint16_t)to};
}

/* range { "," range }, range = HH:MM "-" HH:MM. Stops before a "," that
 * does not start another range: that one separates an additional rule. */
static bool parse_times(struct parser *p)
{
    for (;;) {
        const struct token *s = peek(p, 0);
        if (peek(p, 1)->kind != TK_DASH) {
            fail(p, peek(p, 1)->pos, "expected \"-\" and an end time after \"%.5s\"",
                 p->src + s->pos);
            return false;
        }
        const struct token *e = peek(p, 2);
        if (e->kind != TK_TIME) {
            fail(p, e->pos, "expected an end time HH:MM after \"-\"");
            return false;
        }
        int from = s->value, to = e->value;
        if (from >= DAY_MINUTES) {
            fail(p, s->pos, "a time range must start before 24:00");
            return false;
        }
        if (to > 2 * DAY_MINUTES) {
            fail(p, e->pos, "a time range must end by 48:00");
            return false;
        }
        /* As in the reference: an end at or before the start is on the next day. */
        if (to <= from)
            to += DAY_MINUTES;
        add_range(p, from, to < DAY_MINUTES ? to : DAY_MINUTES);
        if (to > DAY_MINUTES)
            p->wraps[p->nwraps++] = (struct oh_range){0, (uint16_t)(to - DAY_MINUTES)};
        put_time(p, s->value);
        put(p, "-");
        put_time(p, e->value);
        p->at += 3;
        if (peek(p, 0)->kind != TK_COMMA || peek(p, 1)->kind != TK_TIME)
            return true;
        put(p, ",");
        p->at++;
    }
}

/* One written rule: [months] ["PH"] [weekdays] [times] [modifier]. Sets
 * *may_add when a "," may follow (after times or a modifier). */
static bool parse_rule(struct parser *p, bool additional, bool *may_add)
{
    struct oh_rule r = {.months = 0xFFF, .weekdays = 0, .flags = R_OPEN};
    size_t start = p->at;
    bool spaced = false; /* a part was written: the next one needs a space */
    *may_add = false;
    if (additional)
        r.flags |= R_ADDITIONAL;
    p->nwraps = 0;

    if (peek(p, 0)->kind == TK_MONTH) {
        if (!parse_months(p, &r.months))
            return false;
        r.flags |= R_HAS_DATE;
        spaced = true;
    }
    if (peek(p, 0)->kind == TK_PH && peek(p, 1)->kind != TK_COMMA) {
        if (spaced)
            put(p, " ");
        put(p, "PH");
        p->at++;
        r.flags |= R_PH_ONLY | R_HAS_DATE;
        spaced = true;
    }
    if (peek(p, 0)->kind == TK_WEEKDAY || peek(p, 0)->kind == TK_PH) {
        bool ph;
        if (spaced)
            put(p, " ");
        if (!parse_weekdays(p, &r.weekdays, &ph))
            return false;
        r.flags |= R_HAS_WD | R_HAS_DATE | (ph ? R_WD_PH : 0);
        spaced = true;
    }

    r.range0 = (uint32_t)p->nranges;
    if (peek(p, 0)->kind == TK_TIME) {
        if (spaced)
            put(p, " ");
        if (!parse_times(p))
            return false;
        spaced = true;
        *may_add = true;
    } else {
        if (peek(p, 0)->kind == TK_247) {
            if (spaced)
                put(p, " ");
            put(p, "24/7");
            p->at++;
            spaced = true;
        }
        add_range(p, 0, DAY_MINUTES); /* no times, or 24/7: the whole day */
    }
    r.nranges = (uint32_t)(p->nranges - r.range0);

    if (peek(p, 0)->kind == TK_MOD) {
        if (spaced)
            put(p, " ");
        /* "closed" stays as written, like the reference's prettifier does. */
        put(p, modifier_names[peek(p, 0)->value]);
        if (peek(p, 0)->value != 2)
            r.flags &= (uint8_t)~R_OPEN;
        p->at++;
        *may_add = true;
    }

    if (p->at == start) {
        const struct token *t = peek(p, 0);
        if (t->kind == TK_SEMI || t->kind == TK_COMMA || t->kind == TK_END)
            fail(p, t->pos, "empty rule");
        else
            fail_unexpected(p, t, "");
        return false;
    }
    enum tok_kind next = peek(p, 0)->kind;
    if (next != TK_END && next != TK_SEMI && next != TK_COMMA) {
        const char *hint = "";
        if (next == TK_MONTH || next == TK_WEEKDAY || next == TK_PH)
            hint = " (write months, then PH and weekdays, then times, then off)";
        fail_unexpected(p, peek(p, 0), hint);
        return false;
    }

    p->rules[p->nrules++] = r;
    if (p->nwraps > 0) {
        struct oh_rule w = r;
        w.flags = (uint8_t)((r.flags & ~R_ADDITIONAL) | R_WRAPPED);
        w.range0 = (uint32_t)p->nranges;
        w.nranges = (uint32_t)p->nwraps;
        memcpy(p->ranges + p->nranges, p->wraps, p->nwraps * sizeof *p->wraps);
        p->nranges += p->nwraps;
        p->rules[p->nrules++] = w;
    }
    return true;
}

static bool parse(struct parser *p)
{
    bool additional = false;
    for (;;) {
        bool may_add;
        if (!parse_rule(p, additional, &may_add))
            return false;
        const struct token *t = peek(p, 0);
        if (t->kind == TK_END)
            return true;
        if (t->kind == TK_COMMA && !may_add) {
            /* Only after 24/7: lists consume their own commas. */
            fail_unexpected(p, t, " (\";\" separates rules)");
            return false;
        }
        additional = t->kind == TK_COMMA;
        put(p, additional ? ", " : "; ");
        p->at++;
    }
}

/* The reference's rule that a later rule replaces earlier ones on its days:
 * only a ";" rule that opens, and that has a date selector or follows an
 * internal rule without one. */
static void mark_resets(struct oh_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t f = rules[i].flags;
        bool dated = f & R_HAS_DATE;
        bool prev_undated = i > 0 && !(rules[i - 1].flags & R_HAS_DATE);
        if (!(f & (R_WRAPPED | R_ADDITIONAL)) && (f & R_OPEN) && (dated || prev_undated))
            rules[i].flags |= R_RESETS;
    }
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void set_nomem(struct hp_oh_error *err)
{
    if (err) {
        err->pos = 0;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
}

enum hp_oh_status hp_oh_compile(const char *src, struct hp_oh **out, struct hp_oh_error *err)
{
    enum hp_oh_status status = HP_OH_SYNTAX;
    struct parser p = {.src = src, .err = err};
    struct hp_oh *oh = NULL;
    uint16_t *bounds = NULL;
    *out = NULL;

    p.len = src ? strnlen(src, HP_OH_MAX_LEN + 1) : 0;
    if (p.len > HP_OH_MAX_LEN) {
        fail(&p, HP_OH_MAX_LEN, "longer than %d bytes", HP_OH_MAX_LEN);
        return HP_OH_SYNTAX;
    }
    /* Every token is at least one byte, and yields at most two internal
     * rules and two ranges; the canonical text adds at most one space per
     * token. So these bounds never overflow. */
    size_t cap = p.len + 2;
    p.toks = malloc(cap * sizeof *p.toks);
    p.rules = malloc(2 * cap * sizeof *p.rules);
    p.ranges = malloc(2 * cap * sizeof *p.ranges);
    p.wraps = malloc(cap * sizeof *p.wraps);
    p.text = malloc(3 * cap);
    if (!p.toks || !p.rules || !p.ranges || !p.wraps || !p.text) {
        status = HP_OH_NOMEM;
        set_nomem(err);
        goto done;
    }
    p.text[0] = '\0';

    if (!lex(&p))
        goto done;
    if (p.ntok == 1) {
        fail(&p, 0, "empty opening_hours");
        goto done;
    }
    if (!parse(&p))
        goto done;
    mark_resets(p.rules, p.nrules);

    /* Minutes at which some range starts or ends: the only places, besides
     * midnight and offset changes, where the state can change. */
    bounds = malloc((2 * p.nranges + 1) * sizeof *bounds);
    if (!bounds) {
        status = HP_OH_NOMEM;
        set_nomem(err);
        goto done;
    }
    size_t nb = 0;
    bounds[nb++] = 0;
    uint32_t flags = 0;
    for (size_t i = 0; i < p.nrules; i++) {
        const struct oh_rule *r = &p.rules[i];
        if (r->flags & R_WRAPPED)
            flags |= OH_ANY_WRAPPED;
        if (r->flags & (R_WD_PH | R_PH_ONLY))
            flags |= OH_ANY_PH;
        if (r->months != 0xFFF)
            flags |= OH_ANY_MONTH;
        for (uint32_t k = 0; k < r->nranges; k++) {
            const struct oh_range *g = &p.ranges[r->range0 + k];
            if (g->from > 0)
                bounds[nb++] = g->from;
            if (g->to < DAY_MINUTES)
                bounds[nb++] = g->to;
        }
    }
    qsort(bounds, nb, sizeof *bounds, cmp_u16);
    size_t nuniq = 0;
    for (size_t i = 0; i < nb; i++)
        if (nuniq == 0 || bounds[nuniq - 1] != bounds[i])
            bounds[nuniq++] = bounds[i];

    size_t size_rules = p.nrules * sizeof *p.rules;
    size_t size_ranges = p.nranges * sizeof *p.ranges;
    size_t size_bounds = nuniq * sizeof *bounds;
    char *block = malloc(sizeof *oh + size_rules + size_ranges + size_bounds + p.textlen + 1);
    if (!block) {
        status = HP_OH_NOMEM;
        set_nomem(err);
        goto done;
    }
    oh = (struct hp_oh *)(void *)block;
    char *q = block + sizeof *oh;
    memcpy(q, p.rules, size_rules);
    oh->rules = (const struct oh_rule *)(void *)q;
    q += size_rules;
    memcpy(q, p.ranges, size_ranges);
    oh->ranges = (const struct oh_range *)(void *)q;
    q += size_ranges;
    memcpy(q, bounds, size_bounds);
    oh->bounds = (const uint16_t *)(void *)q;
    q += size_bounds;
    memcpy(q, p.text, p.textlen + 1);
    oh->text = q;
    oh->nrules = (uint32_t)p.nrules;
    oh->nbounds = (uint32_t)nuniq;
    oh->flags = flags;

    *out = oh;
    status = HP_OH_OK;
done:
    free(p.toks);
    free(p.rules);
    free(p.ranges);
    free(p.wraps);
    free(p.text);
    free(bounds);
    return status;
}

void hp_oh_free(struct hp_oh *oh)
{
    free(oh);
}

const char *hp_oh_text(const struct hp_oh *oh)
{
    return oh->text;
}

/* --- Evaluation --------------------------------------------------------- */

struct day_info {
    int month; /* 0 = January */
    int wday;  /* 0 = Sunday */
    bool ph;
};

static void day_info(const struct hp_oh *oh, const struct hp_calendar *cal, int64_t day,
                     struct day_info *d)
{
    d->wday = hp_cal_weekday0(day);
    d->month = (oh->flags & OH_ANY_MONTH) ? hp_cal_month0(day) : 0;
    d->ph = (oh->flags & OH_ANY_PH) && cal && hp_cal_holiday_on(cal, day);
}

static bool day_matches(const struct oh_rule *r, const struct day_info *d)
{
    if (!(r->months >> d->month & 1))
        return false;
    if ((r->flags & R_PH_ONLY) && !d->ph)
        return false;
    if ((r->flags & R_HAS_WD) && !((r->weekdays >> d->wday & 1) || ((r->flags & R_WD_PH) && d->ph)))
        return false;
    return true;
}

/* t must be clamped. */
static bool state_at(const struct hp_oh *oh, int64_t t, const struct hp_calendar *cal)
{
    struct day_info today, earlier;
    int64_t local = t + hp_cal_offset(cal, t);
    int64_t day = hp_cal_floor_div(local, DAY_SECONDS);
    int minute = (int)((local - day * DAY_SECONDS) / 60);
    day_info(oh, cal, day, &today);
    if (oh->flags & OH_ANY_WRAPPED) {
        /* The reference shifts the date 24 hours back, not one calendar day. */
        int64_t t2 = hp_cal_clamp(t - DAY_SECONDS);
        int64_t local2 = t2 + hp_cal_offset(cal, t2);
        day_info(oh, cal, hp_cal_floor_div(local2, DAY_SECONDS), &earlier);
    }
    for (uint32_t i = oh->nrules; i-- > 0;) {
        const struct oh_rule *r = &oh->rules[i];
        if (!day_matches(r, (r->flags & R_WRAPPED) ? &earlier : &today))
            continue;
        const struct oh_range *g = oh->ranges + r->range0;
        for (uint32_t k = 0; k < r->nranges; k++)
            if (minute >= g[k].from && minute < g[k].to)
                return r->flags & R_OPEN;
        if (r->flags & R_RESETS)
            return false;
    }
    return false;
}

bool hp_oh_is_open(const struct hp_oh *oh, time_t t, const struct hp_calendar *cal)
{
    return state_at(oh, hp_cal_clamp((int64_t)t), cal);
}

/* The first instant after cur at which the local clock reaches one of the
 * minutes in bounds (bounds[0] = 0, so midnight always counts) or the UTC
 * offset changes. */
static int64_t boundary_after(const struct hp_calendar *cal, int64_t cur, const uint16_t *bounds,
                              uint32_t nbounds)
{
    int32_t off = hp_cal_offset(cal, cur);
    int64_t local = cur + off;
    int64_t day = hp_cal_floor_div(local, DAY_SECONDS);
    int64_t sec = local - day * DAY_SECONDS;
    /* First bound strictly after sec. */
    uint32_t lo = 0, hi = nbounds;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if ((int64_t)bounds[mid] * 60 <= sec)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t next = lo < nbounds ? day * DAY_SECONDS + (int64_t)bounds[lo] * 60
                                : (day + 1) * DAY_SECONDS;
    int64_t u = next - off;
    if (u <= HP_CAL_T_MAX && hp_cal_offset(cal, u) != off)
        u = hp_cal_transition(cal, cur, u, off);
    return u;
}

bool hp_oh_next_change(const struct hp_oh *oh, time_t t, time_t limit,
                       const struct hp_calendar *cal, time_t *change)
{
    static const uint16_t midnight[1] = {0};
    int64_t cur = hp_cal_clamp((int64_t)t), lim = hp_cal_clamp((int64_t)limit);
    if (lim <= cur)
        return false;
    bool initial = state_at(oh, cur, cal);
    for (;;) {
        int64_t u = boundary_after(cal, cur, oh->bounds, oh->nbounds);
        if (oh->flags & OH_ANY_WRAPPED) {
            /* Spill-over rules read the day 24 hours earlier, which changes
             * 24 hours after each day start. */
            int64_t back = hp_cal_clamp(cur - DAY_SECONDS);
            int64_t u2 = boundary_after(cal, back, midnight, 1) + DAY_SECONDS;
            if (u2 > cur && u2 < u)
                u = u2;
        }
        if (u > lim)
            return false;
        if (state_at(oh, u, cal) != initial) {
            *change = (time_t)u;
            return true;
        }
        cur = u;
    }
}

bool hp_oh_open_during(const struct hp_oh *oh, time_t a, time_t b, const struct hp_calendar *cal)
{
    if (b < a)
        return false;
    if (hp_oh_is_open(oh, a, cal))
        return true;
    time_t change;
    return hp_oh_next_change(oh, a, b, cal, &change);
}
