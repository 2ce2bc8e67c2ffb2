/* libFuzzer target: reading a signed pass code (POST /v1/verify and
 * `haulpass verify` take any text), with the invariants verification
 * relies on: nothing but a well-formed layout parses, a parsed code lays
 * out again into the very bytes that were signed, and checking a signature
 * of any bytes under a fixed key neither crashes nor leaks. */
#include "haulpass/base45.h"
#include "haulpass/pass_token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A fixed public key (RFC 8032's test 1). */
    static const unsigned char pub[32] = {
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
        0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
    struct hp_pass_token t;
    enum hp_pass_token_status st = hp_pass_token_parse((const char *)data, size, &t);
    if (st == HP_PASS_TOKEN_OK) {
        unsigned char again[HP_PASS_TOKEN_MAX_BYTES];
        size_t n = hp_pass_token_layout(&t.claims, again);
        if (n != t.signed_len || memcmp(again, t.signed_bytes, n) != 0)
            abort(); /* what is shown is what was signed */
        hp_pass_token_verify(&t, pub); /* any answer, no crash */
    }
    /* base45 alone: decoding never writes past the buffer it is given. */
    unsigned char out[64];
    ssize_t got = hp_base45_decode((const char *)data, size, out, sizeof(out));
    if (got > (ssize_t)sizeof(out))
        abort();
    if (got >= 0) {
        char *text = malloc(hp_base45_encoded_len((size_t)got) + 1);
        hp_base45_encode(out, (size_t)got, text);
        /* Base45 has one text per byte string: it comes back as it was. */
        if (strlen(text) != size || memcmp(text, data, size) != 0)
            abort();
        free(text);
    }
    return 0;
}
