/* Declarative reading of JSON request bodies. */
#include "haulpass/json_body.h"

#include "haulpass/arena.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The offset of the first "\u0000" escape in text, or len. cJSON would end
 * the string there and silently drop the rest ("AB\u0000123" read as "AB"),
 * so such text is refused rather than truncated. Backslashes only have a
 * meaning inside strings, so following escapes pair by pair is exact. */
static size_t nul_escape(const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '\\')
            continue;
        if (text[i + 1] == 'u' && i + 5 < len && text[i + 2] == '0' && text[i + 3] == '0' &&
            text[i + 4] == '0' && text[i + 5] == '0')
            return i;
        i++; /* skip the escaped character, a backslash included */
    }
    return len;
}

cJSON *hp_json_parse(const char *text, size_t len, size_t *error_offset)
{
    size_t nul = nul_escape(text, len);
    if (nul < len) {
        *error_offset = nul;
        return NULL;
    }
    const char *end = NULL;
    /* The *WithLengthOpts variant reports the error place per call, unlike
     * cJSON_GetErrorPtr's global, so it is safe across threads. */
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        *error_offset = end ? (size_t)(end - text) : 0;
        return NULL;
    }
    /* Only white space may follow the document. */
    size_t at = (size_t)(end - text);
    while (at < len && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' ||
                        text[at] == '\r'))
        at++;
    if (at < len && text[at] != '\0') {
        cJSON_Delete(doc);
        *error_offset = at;
        return NULL;
    }
    return doc;
}

/* cJSON allocates through process-wide hooks. While this thread parses a
 * request body (hp_json_parse_in) they draw from the request's arena and
 * free nothing; otherwise they are malloc and free. Why: a parsed body is
 * read once and dropped with its request, and freeing its nodes one by
 * one cost a batch of 1,000 sightings about 8 % of its time. cJSON frees
 * during a parse only what that parse allocated (on a syntax error), so
 * a free while the arena is set always meets arena memory. Out of memory,
 * the parse fails as it does on the heap (the arena's non-aborting
 * allocation): a body must not bring the service down. */
static _Thread_local struct hp_arena *parse_arena;

static void *json_alloc(size_t size)
{
    return parse_arena ? hp_arena_try_alloc(parse_arena, size) : malloc(size);
}

static void json_free(void *p)
{
    if (!parse_arena)
        free(p);
}

static void install_hooks(void)
{
    cJSON_Hooks hooks = {.malloc_fn = json_alloc, .free_fn = json_free};
    cJSON_InitHooks(&hooks);
}

void hp_json_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_hooks);
}

cJSON *hp_json_parse_in(struct hp_arena *arena, const char *text, size_t len,
                        size_t *error_offset)
{
    hp_json_init();
    parse_arena = arena;
    cJSON *doc = hp_json_parse(text, len, error_offset);
    parse_arena = NULL;
    return doc;
}

int hp_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (len <= n)
        return 0;
    for (size_t i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0; /* overlong, out of range, or a lone surrogate */
    *cp = c;
    return (int)n + 1;
}

bool hp_utf8_valid(const char *s, size_t len)
{
    const char *e = s + len;
    while (s < e) {
        uint32_t c;
        int n = hp_utf8_decode(s, (size_t)(e - s), &c);
        if (n == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            return false;
        s += n;
    }
    return true;
}

size_t hp_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool hp_uuid_valid(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

bool hp_uuid_bytes(const char *s, unsigned char out[16])
{
    if (!hp_uuid_valid(s))
        return false;
    for (int i = 0, k = 0; k < 16; k++) {
        if (s[i] == '-')
            i++;
        char pair[3] = {s[i], s[i + 1], '\0'};
        out[k] = (unsigned char)strtoul(pair, NULL, 16);
        i += 2;
    }
    return true;
}

void hp_json_pointer(char *out, size_t n, const char *prefix, const char *name)
{
    size_t at = (size_t)snprintf(out, n, "%s/", prefix);
    for (const char *p = name; *p && at + 3 < n; p++) {
        if (*p == '~' || *p == '/') {
            out[at++] = '~';
            out[at++] = *p == '~' ? '0' : '1';
        } else {
            out[at++] = *p;
        }
    }
    if (at < n)
        out[at] = '\0';
}

static const char *type_name(enum hp_json_type t)
{
    switch (t) {
    case HP_JSON_STRING: return "a string";
    case HP_JSON_ENUM: return "a string";
    case HP_JSON_INT: return "an integer";
    case HP_JSON_BOOL: return "true or false";
    case HP_JSON_UUID: return "a UUID string";
    case HP_JSON_OBJECT: return "an object";
    case HP_JSON_ARRAY: return "an array";
    default: return "a value";
    }
}

static bool white_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Whether valid UTF-8 s (not empty) begins or ends with white space. */
static bool padded(const char *s, size_t n)
{
    uint32_t first, last;
    size_t at = n - 1;
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
        at--;
    return hp_utf8_decode(s, n, &first) <= 0 || white_space(first) ||
           hp_utf8_decode(s + at, n - at, &last) <= 0 || white_space(last);
}

/* A member's place, made into a JSON pointer only when an error about it
 * is reported: a request that is fine formats none. */
struct place {
    const char *prefix, *key;
};

static void report(hp_json_error_fn on_error, void *ctx, struct place at, const char *msg)
{
    char ptr[256];
    hp_json_pointer(ptr, sizeof(ptr), at.prefix, at.key);
    on_error(ctx, ptr, msg);
}

/* Checks one present, non-null value; returns false after reporting. */
static bool check_value(const cJSON *v, const struct hp_json_field *f, struct place where,
                        hp_json_error_fn on_error, void *ctx)
{
    char msg[256];
    switch (f->type) {
    case HP_JSON_STRING:
    case HP_JSON_ENUM:
    case HP_JSON_UUID: {
        if (!cJSON_IsString(v))
            break;
        const char *s = v->valuestring;
        if (!hp_utf8_valid(s, strlen(s))) {
            report(on_error, ctx, where, "must be valid UTF-8 text without control characters");
            return false;
        }
        if (f->type == HP_JSON_UUID) {
            if (hp_uuid_valid(s))
                return true;
            report(on_error, ctx, where, "must be a UUID");
            return false;
        }
        if (f->type == HP_JSON_ENUM) {
            size_t at = (size_t)snprintf(msg, sizeof(msg), "must be one of");
            for (int i = 0; f->choices[i]; i++) {
                if (strcmp(s, f->choices[i]) == 0)
                    return true;
                if (at < sizeof(msg))
                    at += (size_t)snprintf(msg + at, sizeof(msg) - at, "%s \"%s\"",
                                           i ? "," : "", f->choices[i]);
            }
            report(on_error, ctx, where, msg);
            return false;
        }
        size_t n = hp_utf8_length(s);
        if ((long long)n < f->min || (f->max && (long long)n > f->max)) {
            snprintf(msg, sizeof(msg), "must be %lld to %lld characters long", f->min,
                     f->max);
            report(on_error, ctx, where, msg);
            return false;
        }
        /* Names are unique and shown: " Acme" next to "Acme", or a name of
         * spaces, would mislead. */
        if (f->trimmed && (n == 0 || padded(s, strlen(s)))) {
            report(on_error, ctx, where, "must not be blank or start or end with white space");
            return false;
        }
        return true;
    }
    case HP_JSON_INT: {
        if (!cJSON_IsNumber(v))
            break;
        double d = v->valuedouble;
        if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740991.0) {
            report(on_error, ctx, where, "must be an integer");
            return false;
        }
        if (d < (double)f->min || (f->max && d > (double)f->max)) {
            snprintf(msg, sizeof(msg), "must be between %lld and %lld", f->min, f->max);
            report(on_error, ctx, where, msg);
            return false;
        }
        return true;
    }
    case HP_JSON_BOOL:
        if (cJSON_IsBool(v))
            return true;
        break;
    case HP_JSON_OBJECT:
        if (cJSON_IsObject(v))
            return true;
        break;
    case HP_JSON_ARRAY: {
        if (!cJSON_IsArray(v))
            break;
        int n = cJSON_GetArraySize(v);
        if (n < f->min || (f->max && n > f->max)) {
            snprintf(msg, sizeof(msg), "must hold %lld to %lld items", f->min, f->max);
            report(on_error, ctx, where, msg);
            return false;
        }
        return true;
    }
    case HP_JSON_ANY:
        return true;
    }
    snprintf(msg, sizeof(msg), "must be %s", type_name(f->type));
    report(on_error, ctx, where, msg);
    return false;
}

bool hp_json_read(const cJSON *obj, const struct hp_json_field *spec, const char *prefix,
                  const cJSON **out, hp_json_error_fn on_error, void *ctx)
{
    bool ok = true;
    if (!cJSON_IsObject(obj)) {
        on_error(ctx, prefix, "must be a JSON object");
        return false;
    }
    for (int i = 0; spec[i].name; i++)
        out[i] = NULL;
    for (const cJSON *item = obj->child; item; item = item->next) {
        const char *key = item->string ? item->string : "";
        struct place where = {prefix, key};
        int i = 0;
        while (spec[i].name && strcmp(spec[i].name, key) != 0)
            i++;
        if (!spec[i].name) {
            report(on_error, ctx, where, "is not a known field");
            ok = false;
            continue;
        }
        /* A duplicate member would make the meaning depend on the parser. */
        bool seen = false;
        for (const cJSON *prev = obj->child; prev != item; prev = prev->next)
            if (prev->string && strcmp(prev->string, key) == 0)
                seen = true;
        if (seen) {
            report(on_error, ctx, where, "appears more than once");
            ok = false;
            continue;
        }
        if (cJSON_IsNull(item)) {
            if (!spec[i].nullable) {
                report(on_error, ctx, where, spec[i].required ? "is required" : "must not be null");
                ok = false;
            }
            continue;
        }
        if (!check_value(item, &spec[i], where, on_error, ctx)) {
            ok = false;
            continue;
        }
        out[i] = item;
    }
    for (int i = 0; spec[i].name; i++) {
        if (!spec[i].required || out[i])
            continue;
        const cJSON *present = cJSON_GetObjectItemCaseSensitive(obj, spec[i].name);
        if (present && !(cJSON_IsNull(present) && spec[i].nullable))
            continue; /* already reported as wrong */
        report(on_error, ctx, (struct place){prefix, spec[i].name}, "is required");
        ok = false;
    }
    return ok;
}
