/* Accept headers: media ranges with q-values (RFC 9110 12.5.1). */
#include "haulpass/accept.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* How closely range [r, r + n) matches type: 3 type/subtype, 2 type/ *,
 * 1 * / *, 0 not at all. */
static int specificity(const char *r, size_t n, const char *type)
{
    if (n == 3 && strncmp(r, "*/*", 3) == 0)
        return 1;
    const char *slash = strchr(type, '/');
    size_t main_len = (size_t)(slash - type);
    if (n == main_len + 2 && strncasecmp(r, type, main_len + 1) == 0 && r[n - 1] == '*')
        return 2;
    return n == strlen(type) && strncasecmp(r, type, n) == 0 ? 3 : 0;
}

/* The q parameter of [p, end), in thousandths; 1000 when absent, -1 when
 * it is not a q-value. */
static int quality(const char *p, const char *end)
{
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
            p++;
        const char *param = p;
        while (p < end && *p != ';')
            p++;
        if (p - param >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            const char *v = param + 2;
            if (v < p && *v == '1') {
                return 1000;
            } else if (v < p && *v == '0') {
                int q = 0, digits = 0;
                if (v + 1 < p && v[1] == '.')
                    for (const char *d = v + 2; d < p && digits < 3 &&
                                                isdigit((unsigned char)*d); d++, digits++)
                        q = q * 10 + (*d - '0');
                for (; digits < 3; digits++)
                    q *= 10;
                return q;
            }
            return -1;
        }
    }
    return 1000;
}

/* The next entry of a comma-separated header list at *p: its name (a media
 * range or a coding) as [*name, *name + *n) and its q-value (-1 when
 * malformed); false at the end of the list. */
static bool next_entry(const char **p, const char **name, size_t *n, int *q)
{
    if (!**p)
        return false;
    const char *s = *p, *end = strchr(s, ',');
    if (!end)
        end = s + strlen(s);
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    *name = s;
    while (s < end && *s != ';' && *s != ' ' && *s != '\t')
        s++;
    *n = (size_t)(s - *name);
    *q = quality(s, end);
    *p = *end ? end + 1 : end;
    return true;
}

int hp_accept_quality(const char *accept, const char *type)
{
    if (!accept)
        return 1000;
    int best = 0, best_q = 0, q;
    const char *p = accept, *r;
    size_t n;
    while (next_entry(&p, &r, &n, &q)) {
        int s = specificity(r, n, type);
        if (s > best && q >= 0)
            best = s, best_q = q;
    }
    return best ? best_q : 0;
}

/* Whether accept names type itself (not through a wildcard). */
static bool names(const char *accept, const char *type)
{
    size_t n = strlen(type);
    for (const char *p = accept; (p = strcasestr(p, type)); p += n) {
        bool starts = p == accept || p[-1] == ',' || p[-1] == ' ' || p[-1] == '\t';
        char after = p[n];
        if (starts && (after == '\0' || after == ',' || after == ';' || after == ' ' ||
                       after == '\t'))
            return true;
    }
    return false;
}

bool hp_accept_prefers(const char *accept, const char *special, const char *usual)
{
    if (!accept || !names(accept, special))
        return false;
    int q = hp_accept_quality(accept, special);
    return q > 0 && q >= hp_accept_quality(accept, usual);
}

/* Whether [r, r + n) names coding: equal ignoring case, "x-gzip" being
 * "gzip" (RFC 9110 8.4.1.3). */
static bool is_coding(const char *r, size_t n, const char *coding)
{
    if (n == strlen(coding) && strncasecmp(r, coding, n) == 0)
        return true;
    return strcasecmp(coding, "gzip") == 0 && n == 6 && strncasecmp(r, "x-gzip", 6) == 0;
}

/* The quality in header of the entry naming name (as names says), else
 * of "*"; -1 when there is neither. Accept-Encoding and Accept-Language
 * read alike. */
static int listed_quality_by(const char *header, const char *name,
                             bool (*names)(const char *r, size_t n, const char *name))
{
    int named = -1, star = -1, q;
    const char *p = header, *r;
    size_t n;
    while (next_entry(&p, &r, &n, &q)) {
        if (q >= 0 && names(r, n, name))
            named = q > named ? q : named;
        else if (q >= 0 && n == 1 && *r == '*')
            star = q;
    }
    return named >= 0 ? named : star;
}

static int listed_quality(const char *accept_encoding, const char *coding)
{
    return listed_quality_by(accept_encoding, coding, is_coding);
}

int hp_accept_coding_quality(const char *accept_encoding, const char *coding)
{
    int q = accept_encoding ? listed_quality(accept_encoding, coding) : -1;
    if (q >= 0)
        return q;
    /* Unlisted: identity stays acceptable, any other coding is not. */
    return strcasecmp(coding, "identity") == 0 ? 1000 : 0;
}

bool hp_accept_takes_gzip(const char *accept_encoding)
{
    static const char *const gzip[] = {"gzip"};
    return hp_accept_pick_coding(accept_encoding, gzip, 1) != NULL;
}

const char *hp_accept_pick_coding(const char *accept_encoding, const char *const *offered,
                                  int n)
{
    if (!accept_encoding)
        return NULL;
    /* Identity competes only when the client gave it a quality: "br;q=0.5,
     * gzip;q=0.8" still prefers gzip to no coding at all. */
    int identity = listed_quality(accept_encoding, "identity"), best_q = 0;
    const char *best = NULL;
    for (int i = 0; i < n; i++) {
        int q = listed_quality(accept_encoding, offered[i]);
        if (q > best_q && q >= identity) {
            best = offered[i];
            best_q = q;
        }
    }
    return best;
}

/* Whether language range [r, r + n) names language tag lang. */
static bool names_language(const char *r, size_t n, const char *lang)
{
    size_t k = strlen(lang);
    return n >= k && strncasecmp(r, lang, k) == 0 && (n == k || r[k] == '-');
}

const char *hp_accept_pick_language(const char *accept_language, const char *const *offered,
                                    int n)
{
    if (n <= 0)
        return NULL;
    const char *best = offered[0];
    int best_q = 0;
    for (int i = 0; accept_language && i < n; i++) {
        int q = listed_quality_by(accept_language, offered[i], names_language);
        if (q > best_q) {
            best = offered[i];
            best_q = q;
        }
    }
    return best;
}
