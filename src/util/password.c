/* scrypt password hashes (password.h). */
#include "haulpass/password.h"

#include "haulpass/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s a run on one core: the
 * cost OWASP suggests for scrypt; a sign-in runs it once. */
#define COST_N 32768u
#define COST_R 8u
#define COST_P 1u
#define SALT_LEN 16
#define KEY_LEN 32
/* What a stored hash may ask for: more than this is refused (a hash
 * written by a later, costlier version would raise these). */
#define MAX_MEM (64u << 20)

static bool derive(const char *password, size_t len, const unsigned char *salt, size_t salt_len,
                   unsigned long long n, unsigned long long r, unsigned long long p,
                   unsigned char key[KEY_LEN])
{
    return EVP_PBE_scrypt(password, len, salt, salt_len, n, r, p, MAX_MEM, key, KEY_LEN) == 1;
}

bool hp_password_hash(const char *password, size_t len, char out[HP_PASSWORD_HASH_MAX])
{
    unsigned char salt[SALT_LEN], key[KEY_LEN];
    if (!hp_random_bytes(salt, sizeof(salt)) ||
        !derive(password, len, salt, sizeof(salt), COST_N, COST_R, COST_P, key))
        return false;
    char salt64[4 * ((SALT_LEN + 2) / 3) + 1], key64[4 * ((KEY_LEN + 2) / 3) + 1];
    EVP_EncodeBlock((unsigned char *)salt64, salt, SALT_LEN);
    EVP_EncodeBlock((unsigned char *)key64, key, KEY_LEN);
    OPENSSL_cleanse(key, sizeof(key));
    int n = snprintf(out, HP_PASSWORD_HASH_MAX, "scrypt$%u$%u$%u$%s$%s", COST_N, COST_R, COST_P,
                     salt64, key64);
    return n > 0 && n < HP_PASSWORD_HASH_MAX;
}

/* Decodes base64 text of up to max bytes into out; the byte count, or -1. */
static int decode64(const char *text, size_t text_len, unsigned char *out, size_t max)
{
    if (text_len == 0 || text_len % 4 != 0 || text_len / 4 * 3 > max + 2)
        return -1;
    unsigned char buf[64];
    if (text_len / 4 * 3 > sizeof(buf))
        return -1;
    int n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)text_len);
    if (n < 0)
        return -1;
    /* EVP_DecodeBlock counts the padding as zero bytes. */
    if (text[text_len - 1] == '=')
        n--;
    if (text[text_len - 2] == '=')
        n--;
    if ((size_t)n > max)
        return -1;
    memcpy(out, buf, (size_t)n);
    return n;
}

/* Reads "scrypt$N$r$p$salt$key"; false when malformed or too costly. */
static bool parse(const char *s, unsigned long long *n, unsigned long long *r,
                  unsigned long long *p, unsigned char salt[SALT_LEN * 2], int *salt_len,
                  unsigned char key[KEY_LEN])
{
    if (!s || strncmp(s, "scrypt$", 7) != 0)
        return false;
    char *end;
    s += 7;
    *n = strtoull(s, &end, 10);
    if (end == s || *end != '$')
        return false;
    s = end + 1;
    *r = strtoull(s, &end, 10);
    if (end == s || *end != '$')
        return false;
    s = end + 1;
    *p = strtoull(s, &end, 10);
    if (end == s || *end != '$')
        return false;
    s = end + 1;
    /* N a power of two from 2^10 to 2^20; r × p within reason. */
    if (*n < 1024 || *n > (1u << 20) || (*n & (*n - 1)) || *r < 1 || *r > 32 || *p < 1 ||
        *p > 16 || 128ull * *r * *n > MAX_MEM)
        return false;
    const char *dollar = strchr(s, '$');
    if (!dollar)
        return false;
    *salt_len = decode64(s, (size_t)(dollar - s), salt, SALT_LEN * 2);
    if (*salt_len < 8)
        return false;
    s = dollar + 1;
    return decode64(s, strlen(s), key, KEY_LEN) == KEY_LEN;
}

bool hp_password_verify(const char *password, size_t len, const char *stored)
{
    unsigned long long n, r, p;
    unsigned char salt[SALT_LEN * 2], key[KEY_LEN], got[KEY_LEN];
    int salt_len;
    bool well_formed = parse(stored, &n, &r, &p, salt, &salt_len, key);
    if (!well_formed) {
        /* Spend the same time on a hash that cannot match. */
        static const unsigned char dummy_salt[SALT_LEN] = "haulpass-nobody";
        memcpy(salt, dummy_salt, SALT_LEN);
        salt_len = SALT_LEN;
        n = COST_N, r = COST_R, p = COST_P;
        memset(key, 0, sizeof(key));
    }
    if (!derive(password, len, salt, (size_t)salt_len, n, r, p, got))
        return false;
    bool same = CRYPTO_memcmp(got, key, KEY_LEN) == 0;
    OPENSSL_cleanse(got, sizeof(got));
    return well_formed && same;
}
