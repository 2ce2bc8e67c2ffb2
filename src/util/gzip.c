/* gzip with zlib (gzip.h); zlib is in the process already, through
 * libxml2 and libcurl. */
#include "haulpass/gzip.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

unsigned char *hp_gzip(const void *data, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (len > UINT_MAX)
        return NULL; /* one deflate call takes at most a uInt */
    /* 15 + 16: a 32 KiB window with the gzip header and trailer. */
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    unsigned char *out = malloc(cap);
    int rc = Z_MEM_ERROR;
    if (out) {
        z.next_in = (Bytef *)data;
        z.avail_in = (uInt)len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        rc = deflate(&z, Z_FINISH);
    }
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}
