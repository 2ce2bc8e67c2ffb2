/* The signed pass code's layout, text and signature; pure. */
#include "test.h"

#include "haulpass/base45.h"
#include "haulpass/pass_token.h"
#include "haulpass/signing_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct hp_signing_key key;

static void need_key(void)
{
    if (key.pkey)
        return;
    char path[] = "/tmp/hp-test-key-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    char err[256];
    if (!hp_signing_key_generate(path, &key, err, sizeof(err)))
        fprintf(stderr, "%s\n", err);
    unlink(path);
}

static struct hp_pass_claims claims(const char *plate)
{
    struct hp_pass_claims c = {.revision = 1, .type = "construction",
                               .valid_from = "2026-12-01", .valid_to = "2026-12-31",
                               .issued_s = 1795000000};
    need_key();
    c.kid = key.kid;
    hp_pass_code_make(2026, "7K3M9QXZ", c.code);
    snprintf(c.plate, sizeof(c.plate), "%s", plate);
    const char *zones[] = {"b1e0c6a2-0000-4000-8000-000000000002",
                           "a1e0c6a2-0000-4000-8000-000000000001"};
    hp_pass_token_coverage(zones, 2, NULL, 0, "Mo-Fr 07:00-19:00", c.coverage);
    return c;
}

TEST(a_signed_code_reads_back_as_what_was_signed_and_verifies)
{
    struct hp_pass_claims c = claims("鲁QC3001");
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    CHECK(strncmp(text, "HP1:", 4) == 0);
    struct hp_pass_token t;
    REQUIRE(hp_pass_token_parse(text, strlen(text), &t) == HP_PASS_TOKEN_OK);
    CHECK(t.claims.kid == key.kid);
    CHECK_STR(t.claims.code, c.code);
    CHECK_INT((int)t.claims.revision, 1);
    CHECK_STR(t.claims.plate, "鲁QC3001");
    CHECK_STR(t.claims.type, "construction");
    CHECK_STR(t.claims.valid_from, "2026-12-01");
    CHECK_STR(t.claims.valid_to, "2026-12-31");
    CHECK(memcmp(t.claims.coverage, c.coverage, 8) == 0);
    CHECK(t.claims.issued_s == 1795000000);
    CHECK(hp_pass_token_verify(&t, key.public_key));
}

TEST(the_layout_is_96_bytes_and_the_plate)
{
    struct hp_pass_claims c = claims("鲁QC3001"); /* 9 bytes of UTF-8 */
    unsigned char buf[HP_PASS_TOKEN_MAX_BYTES];
    CHECK_INT((int)hp_pass_token_layout(&c, buf), HP_PASS_TOKEN_FIXED + 9 - HP_PASS_TOKEN_SIG);
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    CHECK_INT((int)strlen(text), 4 + (int)hp_base45_encoded_len(HP_PASS_TOKEN_FIXED + 9));
}

TEST(every_tampered_byte_is_refused)
{
    struct hp_pass_claims c = claims("鲁QC3001");
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    unsigned char raw[HP_PASS_TOKEN_MAX_BYTES];
    ssize_t n = hp_base45_decode(text + 4, strlen(text) - 4, raw, sizeof(raw));
    REQUIRE(n == HP_PASS_TOKEN_FIXED + 9);
    int accepted = 0;
    for (ssize_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            unsigned char bad[HP_PASS_TOKEN_MAX_BYTES];
            memcpy(bad, raw, (size_t)n);
            bad[i] ^= (unsigned char)(1 << bit);
            char t2[HP_PASS_TOKEN_BUF + 8] = "HP1:";
            hp_base45_encode(bad, (size_t)n, t2 + 4);
            struct hp_pass_token t;
            if (hp_pass_token_parse(t2, strlen(t2), &t) == HP_PASS_TOKEN_OK &&
                hp_pass_token_verify(&t, key.public_key))
                accepted++;
        }
    }
    CHECK_INT(accepted, 0);
}

TEST(every_truncation_is_refused)
{
    struct hp_pass_claims c = claims("ABC123");
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    size_t len = strlen(text);
    for (size_t k = 0; k < len; k++) {
        struct hp_pass_token t;
        enum hp_pass_token_status st = hp_pass_token_parse(text, k, &t);
        CHECK(st != HP_PASS_TOKEN_OK);
    }
    struct hp_pass_token t;
    CHECK(hp_pass_token_parse(text, len - 3, &t) == HP_PASS_TOKEN_TRUNCATED);
}

TEST(a_code_with_bytes_added_is_too_long)
{
    struct hp_pass_claims c = claims("ABC123");
    char text[HP_PASS_TOKEN_BUF + 8];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    strcat(text, "000");
    struct hp_pass_token t;
    CHECK(hp_pass_token_parse(text, strlen(text), &t) == HP_PASS_TOKEN_TOO_LONG);
}

TEST(garbage_and_other_prefixes_are_refused_with_their_reason)
{
    struct hp_pass_token t;
    CHECK(hp_pass_token_parse("", 0, &t) == HP_PASS_TOKEN_NOT_OURS);
    CHECK(hp_pass_token_parse("HC1:6BFOXN", 10, &t) == HP_PASS_TOKEN_NOT_OURS);
    CHECK(hp_pass_token_parse("HP1:hello", 9, &t) == HP_PASS_TOKEN_NOT_BASE45);
    CHECK(hp_pass_token_parse("HP1:", 4, &t) == HP_PASS_TOKEN_TRUNCATED);
    /* version 2 in the first byte */
    char v2[16] = "HP1:";
    unsigned char two[2] = {2, 0};
    hp_base45_encode(two, 2, v2 + 4);
    CHECK(hp_pass_token_parse(v2, strlen(v2), &t) == HP_PASS_TOKEN_BAD_VERSION);
    CHECK_STR(hp_pass_token_reason(HP_PASS_TOKEN_TRUNCATED), "truncated");
}

TEST(random_garbage_after_the_prefix_never_parses_as_valid_and_signed)
{
    srand(3);
    char text[300];
    static const char a[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (int round = 0; round < 20000; round++) {
        size_t len = 4 + (size_t)(rand() % 250);
        memcpy(text, "HP1:", 4);
        for (size_t i = 4; i < len; i++)
            text[i] = a[rand() % 45];
        struct hp_pass_token t;
        if (hp_pass_token_parse(text, len, &t) == HP_PASS_TOKEN_OK)
            CHECK(!hp_pass_token_verify(&t, key.public_key));
    }
}

TEST(ten_megabytes_of_text_are_refused_as_too_long)
{
    size_t n = 10u << 20;
    char *big = malloc(n);
    REQUIRE(big);
    memset(big, 'A', n);
    memcpy(big, "HP1:", 4);
    struct hp_pass_token t;
    CHECK(hp_pass_token_parse(big, n, &t) == HP_PASS_TOKEN_TOO_LONG);
    free(big);
}

TEST(another_key_does_not_verify_a_code)
{
    struct hp_pass_claims c = claims("ABC123");
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    struct hp_signing_key other;
    char path[] = "/tmp/hp-test-key2-XXXXXX", err[256];
    close(mkstemp(path));
    unlink(path);
    REQUIRE(hp_signing_key_generate(path, &other, err, sizeof(err)));
    unlink(path);
    struct hp_pass_token t;
    REQUIRE(hp_pass_token_parse(text, strlen(text), &t) == HP_PASS_TOKEN_OK);
    CHECK(!hp_pass_token_verify(&t, other.public_key));
    CHECK(other.kid != key.kid);
    hp_signing_key_free(&other);
}

TEST(fields_out_of_range_are_not_signed)
{
    char text[HP_PASS_TOKEN_BUF];
    struct hp_pass_claims c = claims("ABC123");
    c.type = "balloon";
    CHECK(!hp_pass_token_sign(&c, key.pkey, text));
    c = claims("");
    CHECK(!hp_pass_token_sign(&c, key.pkey, text));
    c = claims("ABC123");
    snprintf(c.valid_to, sizeof(c.valid_to), "2200-01-01");
    CHECK(!hp_pass_token_sign(&c, key.pkey, text));
    c = claims("ABC123");
    c.revision = 0;
    CHECK(!hp_pass_token_sign(&c, key.pkey, text));
    c = claims("ABC123");
    snprintf(c.code, sizeof(c.code), "HP-2026-7K3M9QXZ0");
    CHECK(!hp_pass_token_sign(&c, key.pkey, text));
}

TEST(the_longest_code_fits_a_qr_of_version_10_at_level_q)
{
    /* 36 bytes of plate: the most the layout carries (12 characters of
     * three bytes, the longest plate plate.h lets through). */
    struct hp_pass_claims c = claims("鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁");
    REQUIRE(strlen(c.plate) == 36);
    char text[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    REQUIRE(qr);
    CHECK(qr->version <= 10);
    QRcode_free(qr);
    c = claims("鲁QC3001");
    REQUIRE(hp_pass_token_sign(&c, key.pkey, text));
    qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    REQUIRE(qr);
    printf("# a 9-byte plate: %zu characters, QR version %d at level Q\n", strlen(text),
           qr->version);
    QRcode_free(qr);
}

TEST(dates_convert_to_days_and_back)
{
    CHECK(hp_pass_token_days("1970-01-01") == 0);
    CHECK(hp_pass_token_days("2026-12-02") == 20789);
    CHECK(hp_pass_token_days("2026-02-29") == -1);
    CHECK(hp_pass_token_days("2028-02-29") > 0);
    CHECK(hp_pass_token_days("2026-13-01") == -1);
    char out[11];
    for (long d = 0; d < 65536; d += 7) {
        hp_pass_token_date(d, out);
        if (hp_pass_token_days(out) != d) {
            CHECK(!"date round trip");
            break;
        }
    }
}

TEST(the_coverage_digest_ignores_zone_order_but_not_hours_or_corridor)
{
    const char *a[] = {"x", "y"}, *b[] = {"y", "x"};
    unsigned char d1[8], d2[8], d3[8], d4[8];
    REQUIRE(hp_pass_token_coverage(a, 2, NULL, 0, NULL, d1));
    REQUIRE(hp_pass_token_coverage(b, 2, NULL, 0, NULL, d2));
    REQUIRE(hp_pass_token_coverage(a, 2, NULL, 0, "24/7", d3));
    REQUIRE(hp_pass_token_coverage(a, 2, "{\"type\":\"LineString\"}", 50, NULL, d4));
    CHECK(memcmp(d1, d2, 8) == 0);
    CHECK(memcmp(d1, d3, 8) != 0);
    CHECK(memcmp(d1, d4, 8) != 0);
}

TEST(a_key_file_readable_by_others_is_refused)
{
    char path[] = "/tmp/hp-test-key3-XXXXXX", err[256];
    close(mkstemp(path));
    unlink(path);
    struct hp_signing_key k;
    REQUIRE(hp_signing_key_generate(path, &k, err, sizeof(err)));
    hp_signing_key_free(&k);
    struct stat sb;
    REQUIRE(stat(path, &sb) == 0);
    CHECK_INT((int)(sb.st_mode & 0777), 0600);
    REQUIRE(hp_signing_key_load(path, &k, err, sizeof(err)));
    hp_signing_key_free(&k);
    chmod(path, 0640);
    CHECK(!hp_signing_key_load(path, &k, err, sizeof(err)));
    CHECK(strstr(err, "readable by others") != NULL);
    unlink(path);
}

TEST(an_encrypted_key_file_is_refused_without_asking_for_a_passphrase)
{
    /* Written with a passphrase through OpenSSL itself; loading must fail
     * at once, not wait on a prompt. */
    char path[] = "/tmp/hp-test-key4-XXXXXX", err[256];
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    fchmod(fd, 0600);
    FILE *f = fdopen(fd, "w");
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    REQUIRE(pk != NULL);
    static const char pass[] = "secret";
    CHECK(PEM_write_PrivateKey(f, pk, EVP_aes_256_cbc(), (const unsigned char *)pass,
                               (int)strlen(pass), NULL, NULL) == 1);
    fclose(f);
    EVP_PKEY_free(pk);
    struct hp_signing_key k;
    CHECK(!hp_signing_key_load(path, &k, err, sizeof(err)));
    CHECK(strstr(err, "not an unencrypted PEM private key") != NULL);
    unlink(path);
}

TEST(base64url_round_trips_a_public_key)
{
    need_key();
    char text[64];
    unsigned char back[40];
    hp_base64url_encode(key.public_key, 32, text);
    CHECK_INT((int)strlen(text), 43);
    CHECK(hp_base64url_decode(text, back, sizeof(back)) == 32);
    CHECK(memcmp(back, key.public_key, 32) == 0);
    CHECK(hp_base64url_decode("a+b", back, sizeof(back)) == -1);
}
