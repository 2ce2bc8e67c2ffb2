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

int hp_accept_quality(const char *accept, const char *type)
{
    if (!accept)
        return 1000;
    int best = 0, best_q = 0;
    const char *p = accept;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *r = p;
        while (p < end && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        int s = specificity(r, (size_t)(p - r), type);
        int q = quality(p, end);
        if (s > best && q >= 0)
            best = s, best_q = q;
        p = *end ? end + 1 : end;
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
