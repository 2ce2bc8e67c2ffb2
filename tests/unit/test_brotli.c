/* Brotli of rendered bodies: what the decoder gives back is what went in,
 * smaller than its gzip, and the same input always gives the same bytes
 * (one ETag per body). */
#include "test.h"

#include "haulpass/brotli.h"
#include "haulpass/gzip.h"

#include <brotli/decode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n bytes of coordinates as a feed writes them, in a new buffer. */
static char *coordinates(size_t cap, size_t *n)
{
    char *text = malloc(cap);
    *n = 0;
    while (text && *n + 40 < cap)
        *n += (size_t)snprintf(text + *n, cap - *n, "[118.%06zu,35.%06zu],", *n % 999983,
                               (*n * 7) % 999979);
    return text;
}

TEST(a_brotli_body_decodes_to_itself_smaller_than_its_gzip_and_always_the_same)
{
    size_t n = 0;
    char *text = coordinates(200000, &n);
    REQUIRE(text);
    size_t blen = 0, zlen = 0;
    unsigned char *b = hp_brotli(text, n, &blen);
    unsigned char *z = hp_gzip(text, n, &zlen);
    REQUIRE(b && z);
    CHECK(blen < zlen);
    char *back = malloc(n + 1);
    size_t back_len = n + 1;
    REQUIRE(back);
    CHECK(BrotliDecoderDecompress(blen, b, &back_len, (uint8_t *)back) ==
          BROTLI_DECODER_RESULT_SUCCESS);
    CHECK(back_len == n && memcmp(back, text, n) == 0);
    size_t blen2 = 0;
    unsigned char *b2 = hp_brotli(text, n, &blen2);
    CHECK(b2 && blen2 == blen && memcmp(b, b2, blen) == 0);
    free(b2);
    free(back);
    free(z);
    free(b);
    free(text);
}

TEST(an_empty_body_gives_a_valid_empty_stream)
{
    size_t blen = 0, back_len = 1;
    unsigned char *b = hp_brotli("", 0, &blen);
    REQUIRE(b);
    char back[1];
    CHECK(BrotliDecoderDecompress(blen, b, &back_len, (uint8_t *)back) ==
          BROTLI_DECODER_RESULT_SUCCESS);
    CHECK(back_len == 0);
    free(b);
}
