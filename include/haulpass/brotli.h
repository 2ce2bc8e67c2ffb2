/* Brotli (RFC 7932) of a body rendered once and sent many times, such as
 * the public feed (public_feed.h): about 30 % fewer bytes than its gzip,
 * for seconds of compression, so it is made off the request path. */
#ifndef HAULPASS_BROTLI_H
#define HAULPASS_BROTLI_H

#include <stddef.h>

/* len bytes of data compressed at brotli's best quality (11) with a 4 MiB
 * window; the same data always gives the same bytes. Returns a buffer of
 * *out_len bytes that the caller frees with free(), or NULL when out of
 * memory. */
unsigned char *hp_brotli(const void *data, size_t len, size_t *out_len);

#endif
