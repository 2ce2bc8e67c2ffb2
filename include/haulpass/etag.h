/* ETags of versioned resources ("\"3\"" for version 3) and If-Match. */
#ifndef HAULPASS_ETAG_H
#define HAULPASS_ETAG_H

#include <stdbool.h>

struct hp_arena;

/* The ETag of version, in arena memory. */
const char *hp_etag_of(struct hp_arena *arena, int version);

/*
 * The version an If-Match header value names: > 0 for one of our ETags, 0
 * for "*", -1 when there is no header (NULL), -2 for anything else (a weak
 * ETag, a list), which can match no version. Pure.
 */
int hp_etag_if_match(const char *header);

/* The expected version of a conditional write as an SQL parameter for
 * "($n::int IS NULL OR version = $n::int)": NULL (any) for -1 and 0, "0"
 * (which no row has) for -2, else the version; arena memory. */
const char *hp_etag_sql_version(struct hp_arena *arena, int if_version);

/* Whether an If-None-Match header value (NULL: none) names etag (given
 * without quotes), or is "*": the client's copy is current (304). Weak
 * and strong forms both match (RFC 9110 13.1.2 compares weakly). Pure. */
bool hp_etag_none_match(const char *header, const char *etag);

#endif
