/* gzip of rendered bodies: what gunzip gives back is what went in, and the
 * same input always gives the same bytes (one ETag per body). */
#include "test.h"

#include "haulpass/gzip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* gunzip of data into a new buffer of *len bytes, or NULL. */
static char *gunzip(const unsigned char *data, size_t n, size_t *len)
{
    z_stream z = {0};
    size_t cap = 1 << 20;
    char *out = malloc(cap);
    if (!out || inflateInit2(&z, 15 + 16) != Z_OK)
        return NULL;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    *len = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

TEST(a_gzipped_body_gunzips_to_itself_and_is_smaller_when_it_repeats)
{
    size_t n = 0, cap = 200000;
    char *text = malloc(cap);
    while (n + 40 < cap)
        n += (size_t)snprintf(text + n, cap - n, "[118.%06zu,35.%06zu],", n % 999983,
                              (n * 7) % 999979);
    size_t zlen = 0, back = 0;
    unsigned char *z = hp_gzip(text, n, &zlen);
    REQUIRE(z);
    CHECK(zlen < n / 2);
    CHECK(z[0] == 0x1f && z[1] == 0x8b); /* the gzip magic */
    char *plain = gunzip(z, zlen, &back);
    REQUIRE(plain);
    CHECK(back == n && memcmp(plain, text, n) == 0);
    /* Deterministic: no time or name in the header. */
    size_t zlen2 = 0;
    unsigned char *z2 = hp_gzip(text, n, &zlen2);
    CHECK(z2 && zlen2 == zlen && memcmp(z, z2, zlen) == 0);
    free(z2);
    free(plain);
    free(z);
    free(text);
}

TEST(an_empty_body_gzips_to_a_valid_empty_stream)
{
    size_t zlen = 0, back = 1;
    unsigned char *z = hp_gzip("", 0, &zlen);
    REQUIRE(z);
    char *plain = gunzip(z, zlen, &back);
    CHECK(plain && back == 0);
    free(plain);
    free(z);
}
