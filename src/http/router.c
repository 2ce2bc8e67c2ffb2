/* Route matching: "{x}" matches one non-empty segment, the rest literally. */
#include "haulpass/router.h"

#include "haulpass/arena.h"

#include <string.h>

enum hp_method hp_method_from_name(const char *name)
{
    static const struct {
        const char *name;
        enum hp_method m;
    } names[] = {{"GET", HP_GET},     {"HEAD", HP_HEAD},     {"POST", HP_POST},
                 {"PUT", HP_PUT},     {"PATCH", HP_PATCH},   {"DELETE", HP_DELETE}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0)
            return names[i].m;
    return 0;
}

/* Whether pattern matches path; parameters are copied into params. The
 * literal parts are compared a character at a time, so a pattern that
 * differs from the path is left at its first differing character: a
 * request walks the table up to its route, and most patterns part from
 * the path within a few characters of "/v1/". A "{x}" matches one
 * non-empty segment; the route table writes it as a whole segment. */
static bool match(struct hp_arena *arena, const char *pattern, const char *path,
                  const char *params[HP_MAX_PARAMS])
{
    int np = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p == '{') {
            const char *end = strchrnul(s, '/');
            if (end == s || np == HP_MAX_PARAMS)
                return false;
            if (params)
                params[np] = hp_arena_strndup(arena, s, (size_t)(end - s));
            np++;
            p = strchrnul(p, '/');
            s = end;
            continue;
        }
        if (*p != *s)
            return false;
        if (*p == '\0')
            return true;
        p++;
        s++;
    }
}

int hp_router_match(const struct hp_route *table, struct hp_arena *arena,
                    enum hp_method method, const char *path,
                    const char *params[HP_MAX_PARAMS], int *allowed)
{
    *allowed = 0;
    /* HEAD is served by the GET handler; libmicrohttpd drops the body. */
    enum hp_method want = method == HP_HEAD ? HP_GET : method;
    /* Nearly every path and pattern begins "/v1/": compared once here,
     * not once a route. */
    bool v1 = strncmp(path, "/v1/", 4) == 0;
    for (int i = 0; table[i].pattern; i++) {
        const char *p = table[i].pattern, *s = path;
        if (v1 && p[0] == '/' && p[1] == 'v' && p[2] == '1' && p[3] == '/')
            p += 4, s += 4;
        if (!match(arena, p, s, NULL))
            continue;
        if (table[i].method == want) {
            match(arena, p, s, params);
            return i;
        }
        *allowed |= table[i].method;
        if (table[i].method == HP_GET)
            *allowed |= HP_HEAD;
    }
    return -1;
}

const char *hp_router_allow_header(struct hp_arena *arena, int methods)
{
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    char buf[64] = "";
    for (int i = 0; i < 6; i++) {
        if (!(methods & (1 << i)))
            continue;
        if (buf[0])
            strcat(buf, ", ");
        strcat(buf, names[i]);
    }
    return hp_arena_strdup(arena, buf);
}
