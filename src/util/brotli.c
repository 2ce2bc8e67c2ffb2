/* Brotli with libbrotlienc (brotli.h). */
#include "haulpass/brotli.h"

#include <brotli/encode.h>
#include <stdlib.h>

unsigned char *hp_brotli(const void *data, size_t len, size_t *out_len)
{
    size_t cap = BrotliEncoderMaxCompressedSize(len);
    unsigned char *out = cap ? malloc(cap) : NULL;
    if (!out)
        return NULL;
    *out_len = cap;
    /* Text mode: the feeds are JSON and XML. */
    if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, 22, BROTLI_MODE_TEXT, len, data, out_len,
                               out)) {
        free(out);
        return NULL;
    }
    return out;
}
