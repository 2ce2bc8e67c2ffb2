/* Tokens: 32 bytes from getrandom(2), base64url without padding. */
#include "haulpass/token.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <stdint.h>
#include <time.h>

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Whether c is one of b64url's characters (checked per token character on
 * every request: a comparison, not a search of the alphabet). */
static bool b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

bool hp_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += got;
        n -= (size_t)got;
    }
    return true;
}

bool hp_token_new(char out[HP_TOKEN_LEN + 1])
{
    unsigned char raw[33] = {0}; /* 32 random bytes, one zero pad byte */
    if (!hp_random_bytes(raw, 32))
        return false;
    memcpy(out, "hp_", 3);
    char *o = out + 3;
    /* 32 bytes = 10 groups of 3 and 2 left over: 43 characters. */
    for (int i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        *o++ = b64url[(v >> 18) & 63];
        *o++ = b64url[(v >> 12) & 63];
        *o++ = b64url[(v >> 6) & 63];
        if (i + 3 < 33)
            *o++ = b64url[v & 63];
    }
    out[HP_TOKEN_LEN] = '\0';
    return true;
}

bool hp_token_well_formed(const char *s)
{
    if (strlen(s) != HP_TOKEN_LEN || strncmp(s, "hp_", 3) != 0)
        return false;
    for (const char *p = s + 3; *p; p++)
        if (!b64url_char(*p))
            return false;
    return true;
}

/* OpenSSL 3's one-shot SHA256() looks the algorithm up by name on every
 * call (EVP_Q_digest), which costs three times the hashing itself; every
 * authenticated request hashes its token, so the digest is fetched once. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

/* And each thread keeps one digest context for it, freed when the thread
 * ends: EVP_Digest makes and frees a context per call, which cost more
 * than hashing a token. */
static pthread_key_t sha256_ctx_key;
static bool sha256_ctx_keyed;

static void free_ctx(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

static void fetch_sha256(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha256_ctx_keyed = pthread_key_create(&sha256_ctx_key, free_ctx) == 0;
}

static EVP_MD_CTX *thread_ctx(void)
{
    if (!sha256_ctx_keyed)
        return NULL;
    EVP_MD_CTX *ctx = pthread_getspecific(sha256_ctx_key);
    if (!ctx && (ctx = EVP_MD_CTX_new()) && pthread_setspecific(sha256_ctx_key, ctx) != 0) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

void hp_sha256(const void *data, size_t len, unsigned char out[32])
{
    pthread_once(&sha256_once, fetch_sha256);
    EVP_MD_CTX *ctx = sha256_md ? thread_ctx() : NULL;
    unsigned int n;
    if (ctx && EVP_DigestInit_ex2(ctx, sha256_md, NULL) && EVP_DigestUpdate(ctx, data, len) &&
        EVP_DigestFinal_ex(ctx, out, &n))
        return;
    /* Without memory or a SHA-256 provider the one-shot gives the same
     * bytes the slow way, and when that fails too, a hash left unwritten
     * must never be compared with a token's. */
    if (!SHA256(data, len, out))
        abort(); /* no SHA-256 at all: no token could be checked */
}

void hp_sha256_hex(const char *s, size_t len, char out[HP_SHA256_HEX_LEN + 1])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    hp_sha256(s, len, md);
    /* Every authenticated request hashes its token: no printf per byte. */
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xF];
    }
    out[2 * SHA256_DIGEST_LENGTH] = '\0';
}

/* Request ids need to be unique in practice, not unpredictable: a
 * per-thread splitmix64 seeded once from the kernel spares a getrandom call
 * per request. */
void hp_request_id_new(char out[17])
{
    static _Thread_local uint64_t state;
    static _Thread_local bool seeded;
    if (!seeded) {
        if (!hp_random_bytes(&state, sizeof(state)))
            state = (uint64_t)(uintptr_t)&state ^ (uint64_t)time(NULL);
        seeded = true;
    }
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        out[i] = hex[(z >> (60 - 4 * i)) & 0xF];
    out[16] = '\0';
}

bool hp_uuid_new(char out[37])
{
    unsigned char b[16];
    if (!hp_random_bytes(b, sizeof(b)))
        return false;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return true;
}
