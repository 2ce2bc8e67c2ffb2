/* gzip (RFC 1952) of a body rendered once and sent many times, such as the
 * public feed (public_feed.h). */
#ifndef HAULPASS_GZIP_H
#define HAULPASS_GZIP_H

#include <stddef.h>

/* len bytes of data gzip-compressed at zlib's default level (paid once
 * per rendering, while the readers of that body wait), with no file name
 * and a zero modification time, so
 * the same data always gives the same bytes. Returns a buffer of *out_len
 * bytes that the caller frees with free(), or NULL when out of memory. */
unsigned char *hp_gzip(const void *data, size_t len, size_t *out_len);

#endif
