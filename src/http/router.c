/* Route matching: segment by segment, "{x}" matches one non-empty segment. */
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

/* Whether pattern matches path; parameters are copied into params. */
static bool match(struct hp_arena *arena, const char *pattern, const char *path,
                  const char *params[HP_MAX_PARAMS])
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pend = strchrnul(p, '/'), *send = strchrnul(s, '/');
        if (*p == '{') {
            if (send == s || np == HP_MAX_PARAMS)
                return false;
            if (params)
                params[np] = hp_arena_strndup(arena, s, (size_t)(send - s));
            np++;
        } else if (pend - p != send - s || memcmp(p, s, (size_t)(pend - p)) != 0) {
            return false;
        }
        p = pend;
        s = send;
    }
    return *p == '\0' && *s == '\0';
}

int hp_router_match(const struct hp_route *table, struct hp_arena *arena,
                    enum hp_method method, const char *path,
                    const char *params[HP_MAX_PARAMS], int *allowed)
{
    *allowed = 0;
    /* HEAD is served by the GET handler; libmicrohttpd drops the body. */
    enum hp_method want = method == HP_HEAD ? HP_GET : method;
    for (int i = 0; table[i].pattern; i++) {
        if (!match(arena, table[i].pattern, path, NULL))
            continue;
        if (table[i].method == want) {
            match(arena, table[i].pattern, path, params);
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
