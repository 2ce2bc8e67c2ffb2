/* ETags: a resource's version in quotes. Pure: the database layer and the
 * handlers both use it. */
#include "haulpass/etag.h"

#include "haulpass/arena.h"

#include <stdlib.h>
#include <string.h>

const char *hp_etag_of(struct hp_arena *arena, int version)
{
    return hp_arena_printf(arena, "\"%d\"", version);
}

int hp_etag_if_match(const char *h)
{
    if (!h)
        return -1;
    while (*h == ' ')
        h++;
    if (strcmp(h, "*") == 0)
        return 0;
    /* A weak ETag (W/...) fails too: If-Match compares strongly (RFC 9110
     * 13.1.1), and a list names more than one version, which this service
     * does not take. */
    if (*h != '"' || h[1] < '1' || h[1] > '9')
        return -2;
    char *end;
    long v = strtol(h + 1, &end, 10);
    if (*end != '"' || v > 1000000000)
        return -2;
    for (const char *t = end + 1; *t; t++)
        if (*t != ' ')
            return -2;
    return (int)v;
}

const char *hp_etag_sql_version(struct hp_arena *arena, int if_version)
{
    if (if_version == -2)
        return "0";
    return if_version > 0 ? hp_arena_printf(arena, "%d", if_version) : NULL;
}

bool hp_etag_none_match(const char *inm, const char *etag)
{
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    size_t n = strlen(etag);
    for (const char *p = strstr(inm, etag); p; p = strstr(p + 1, etag))
        if (p > inm && p[-1] == '"' && p[n] == '"')
            return true;
    return false;
}
