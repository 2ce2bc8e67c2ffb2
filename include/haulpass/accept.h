/* Content negotiation: which of two media types an Accept header prefers,
 * which content coding Accept-Encoding takes, and which language
 * Accept-Language prefers. */
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

/*
 * The quality (0 to 1000) that an Accept-Encoding header value gives
 * coding ("gzip", "identity"), as RFC 9110 12.5.3 says: that of the entry
 * naming it ("x-gzip" counts as "gzip"), else that of "*", else 1000 for
 * identity and 0 for any other coding. No header (NULL): identity only.
 * Entries with a malformed q-value count for nothing. Pure.
 */
int hp_accept_coding_quality(const char *accept_encoding, const char *coding);

/* Whether a response may be sent gzip-coded: there is a header, it gives
 * gzip a quality above 0, and at least the quality it gives identity by
 * name or by "*" ("gzip;q=0", "gzip;q=0.5, identity", "identity", "" and
 * no header all say no; "br, gzip;q=0.8" says yes). Pure. */
bool hp_accept_takes_gzip(const char *accept_encoding);

/* Of the n codings offered (in the order the server prefers them), the one
 * accept_encoding gives the highest quality above 0 and at least the
 * quality it gives identity by name or by "*" (as hp_accept_takes_gzip
 * says for gzip); the earlier one on a tie. NULL: send the body as it is.
 * Pure. */
const char *hp_accept_pick_coding(const char *accept_encoding, const char *const *offered,
                                  int n);

/* Of the n languages offered (primary tags, such as "en" and "zh", the
 * default first), the one an Accept-Language header value gives the
 * highest quality above 0 (RFC 9110 12.5.4, basic filtering: a range
 * names a language when it is its tag or begins with the tag and "-", so
 * "zh-CN" names "zh"; "*" names any not named otherwise); the earlier one
 * on a tie, and the first when the header names none of them or there is
 * no header. Pure. */
const char *hp_accept_pick_language(const char *accept_language, const char *const *offered,
                                    int n);

#endif
