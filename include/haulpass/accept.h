/* Content negotiation: which of two media types an Accept header prefers. */
#ifndef HAULPASS_ACCEPT_H
#define HAULPASS_ACCEPT_H

#include <stdbool.h>

/*
 * The quality (0 to 1000, q-values in thousandths) that the Accept header
 * value accept gives the media type `type` (e.g. "application/geo+json"):
 * that of the most specific media range matching it (type/subtype, then
 * type/ *, then * / *), compared case-insensitively, as RFC 9110 12.5.1
 * says; 1000 when there is no header (NULL), 0 when nothing matches.
 * Parameters other than q are ignored. Pure.
 */
int hp_accept_quality(const char *accept, const char *type);

/* Whether accept asks for `special` over `usual`: it names special itself
 * (a wildcard alone never picks it) with a quality above 0 and at least
 * that of usual. Pure. */
bool hp_accept_prefers(const char *accept, const char *special, const char *usual);

#endif
