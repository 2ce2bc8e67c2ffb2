/* Base45 (RFC 9285), pure. */
#include "test.h"

#include "haulpass/base45.h"

#include <stdlib.h>
#include <string.h>

static void encodes(const char *in, const char *want)
{
    char out[64];
    CHECK_INT((int)hp_base45_encoded_len(strlen(in)), (int)strlen(want));
    hp_base45_encode((const unsigned char *)in, strlen(in), out);
    CHECK_STR(out, want);
}

TEST(the_examples_of_rfc_9285_encode_as_the_rfc_says)
{
    encodes("AB", "BB8");
    encodes("Hello!!", "%69 VD92EX0");
    encodes("base-45", "UJCLQE7W581");
    encodes("", "");
}

TEST(the_rfc_example_ietf_decodes)
{
    unsigned char out[16];
    ssize_t n = hp_base45_decode("QED8WEX0", 8, out, sizeof(out));
    REQUIRE(n == 5);
    CHECK(memcmp(out, "ietf!", 5) == 0);
}

TEST(every_byte_string_of_up_to_three_bytes_round_trips)
{
    unsigned char in[3], back[3];
    char text[8];
    for (unsigned v = 0; v < 1u << 16; v++) {
        in[0] = (unsigned char)(v >> 8);
        in[1] = (unsigned char)v;
        in[2] = (unsigned char)(v * 7);
        for (size_t n = 1; n <= 3; n++) {
            hp_base45_encode(in, n, text);
            ssize_t got = hp_base45_decode(text, strlen(text), back, sizeof(back));
            if (got != (ssize_t)n || memcmp(in, back, n) != 0) {
                CHECK(!"round trip");
                return;
            }
        }
    }
}

TEST(random_bytes_of_every_length_up_to_300_round_trip)
{
    unsigned char in[300], back[300];
    char text[460];
    srand(7);
    for (size_t n = 0; n <= sizeof(in); n++) {
        for (size_t i = 0; i < n; i++)
            in[i] = (unsigned char)rand();
        hp_base45_encode(in, n, text);
        CHECK_INT((int)strlen(text), (int)hp_base45_encoded_len(n));
        CHECK_INT((int)hp_base45_decode(text, strlen(text), back, sizeof(back)), (int)n);
        CHECK(memcmp(in, back, n) == 0);
    }
}

TEST(characters_outside_the_alphabet_are_refused)
{
    unsigned char out[16];
    CHECK(hp_base45_decode("bb8", 3, out, sizeof(out)) == -1);  /* lower case */
    CHECK(hp_base45_decode("BB#", 3, out, sizeof(out)) == -1);
    CHECK(hp_base45_decode("B\0" "8", 3, out, sizeof(out)) == -1);
    CHECK(hp_base45_decode("BB\xc3", 3, out, sizeof(out)) == -1);
}

TEST(a_length_of_one_modulo_three_is_refused)
{
    unsigned char out[16];
    CHECK(hp_base45_decode("B", 1, out, sizeof(out)) == -1);
    CHECK(hp_base45_decode("BB8B", 4, out, sizeof(out)) == -1);
}

TEST(triples_above_65535_and_pairs_above_255_are_refused)
{
    unsigned char out[16];
    /* ":::" is 44 + 44*45 + 44*2025 = 91124; "GGW" is 65535 exactly. */
    CHECK(hp_base45_decode(":::", 3, out, sizeof(out)) == -1);
    CHECK(hp_base45_decode("FGW", 3, out, sizeof(out)) == 2);
    CHECK(hp_base45_decode("GGW", 3, out, sizeof(out)) == -1);
    /* "U5" is 30 + 5*45 = 255; "V5" 256. */
    CHECK(hp_base45_decode("U5", 2, out, sizeof(out)) == 1 && out[0] == 255);
    CHECK(hp_base45_decode("V5", 2, out, sizeof(out)) == -1);
}

TEST(an_output_buffer_too_small_is_refused_not_overrun)
{
    unsigned char out[2];
    CHECK(hp_base45_decode("UJCLQE7W581", 11, out, sizeof(out)) == -1);
    CHECK(hp_base45_decode("BB8", 3, out, sizeof(out)) == 2);
}

TEST(a_huge_input_is_refused_by_its_size_without_reading_it_all)
{
    size_t n = 10u << 20;
    char *big = malloc(n);
    REQUIRE(big);
    memset(big, 'A', n);
    unsigned char out[64];
    CHECK(hp_base45_decode(big, n - 1, out, sizeof(out)) == -1);
    free(big);
}
