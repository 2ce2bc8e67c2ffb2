/* The signed pass code: layout, text and Ed25519 (docs/pass-code.md). */
#include "haulpass/pass_token.h"

#include "haulpass/base45.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numbers are part of the layout: append, never reorder. */
static const char *const type_names[] = {
    NULL, "construction", "urban_delivery", "oversize", "hazmat", "temporary",
    "road_occupation",
};
#define NTYPES ((int)(sizeof(type_names) / sizeof(type_names[0])))

/* The longest text worth decoding: prefix, base45 of the longest layout,
 * and a little blank around it. */
#define TEXT_MAX (HP_PASS_TOKEN_BUF + 64)

const char *hp_pass_token_reason(enum hp_pass_token_status st)
{
    switch (st) {
    case HP_PASS_TOKEN_OK: return "ok";
    case HP_PASS_TOKEN_NOT_OURS: return "not-a-pass-code";
    case HP_PASS_TOKEN_NOT_BASE45: return "not-base45";
    case HP_PASS_TOKEN_TRUNCATED: return "truncated";
    case HP_PASS_TOKEN_TOO_LONG: return "too-long";
    case HP_PASS_TOKEN_BAD_VERSION: return "unknown-version";
    case HP_PASS_TOKEN_MALFORMED: return "malformed";
    }
    return "malformed";
}

int hp_pass_token_type_number(const char *name)
{
    for (int i = 1; name && i < NTYPES; i++)
        if (strcmp(name, type_names[i]) == 0)
            return i;
    return 0;
}

const char *hp_pass_token_type_name(int number)
{
    return number >= 1 && number < NTYPES ? type_names[number] : NULL;
}

/* Days from civil and back (H. Hinnant's algorithms), proleptic Gregorian. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

long hp_pass_token_days(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    long y = atol(s);
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    return days_from_civil(y, m, d);
}

void hp_pass_token_date(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    int yy = (int)(y % 10000);
    out[0] = (char)('0' + yy / 1000), out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10), out[3] = (char)('0' + yy % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool hp_pass_token_coverage(const char *const *zone_ids, int nzones, const char *corridor,
                            int width_m, const char *hours,
                            unsigned char out[HP_PASS_TOKEN_COVERAGE])
{
    const char **sorted = calloc((size_t)(nzones > 0 ? nzones : 1), sizeof(*sorted));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = sorted && md && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    if (ok) {
        for (int i = 0; i < nzones; i++)
            sorted[i] = zone_ids[i];
        qsort(sorted, (size_t)nzones, sizeof(*sorted), compare_strings);
        ok = EVP_DigestUpdate(md, "zones:", 6);
        for (int i = 0; ok && i < nzones; i++)
            ok = (!i || EVP_DigestUpdate(md, ",", 1)) &&
                 EVP_DigestUpdate(md, sorted[i], strlen(sorted[i]));
        ok = ok && EVP_DigestUpdate(md, "\ncorridor:", 10);
        if (ok && corridor) {
            char w[24];
            int n = snprintf(w, sizeof(w), "%d:", width_m);
            ok = EVP_DigestUpdate(md, w, (size_t)n) &&
                 EVP_DigestUpdate(md, corridor, strlen(corridor));
        }
        ok = ok && EVP_DigestUpdate(md, "\nhours:", 7) &&
             (!hours || EVP_DigestUpdate(md, hours, strlen(hours)));
        unsigned char digest[SHA256_DIGEST_LENGTH];
        unsigned dlen = 0;
        ok = ok && EVP_DigestFinal_ex(md, digest, &dlen);
        if (ok)
            memcpy(out, digest, HP_PASS_TOKEN_COVERAGE);
    }
    EVP_MD_CTX_free(md);
    free(sorted);
    return ok;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t hp_pass_token_layout(const struct hp_pass_claims *c, unsigned char *out)
{
    int year;
    uint64_t body;
    size_t plen = strlen(c->plate);
    int type = hp_pass_token_type_number(c->type);
    long from = hp_pass_token_days(c->valid_from), to = hp_pass_token_days(c->valid_to);
    if (!hp_pass_code_pack(c->code, &year, &body) || plen == 0 ||
        plen > HP_PASS_TOKEN_PLATE_MAX || !type || from < 0 || from > 65535 || to < 0 ||
        to > 65535 || c->revision < 1 || c->revision > 65535 || c->issued_s < 0 ||
        c->issued_s > (int64_t)UINT32_MAX)
        return 0;
    unsigned char *p = out;
    *p++ = HP_PASS_TOKEN_VERSION;
    put32(p, c->kid), p += 4;
    put16(p, (unsigned)year), p += 2;
    for (int i = 4; i >= 0; i--)
        *p++ = (unsigned char)(body >> (8 * i));
    put16(p, c->revision), p += 2;
    *p++ = (unsigned char)plen;
    memcpy(p, c->plate, plen), p += plen;
    *p++ = (unsigned char)type;
    put16(p, (unsigned)from), p += 2;
    put16(p, (unsigned)to), p += 2;
    memcpy(p, c->coverage, HP_PASS_TOKEN_COVERAGE), p += HP_PASS_TOKEN_COVERAGE;
    put32(p, (uint32_t)c->issued_s), p += 4;
    return (size_t)(p - out);
}

bool hp_ed25519_sign(struct evp_pkey_st *key, const void *msg, size_t len,
                     unsigned char sig[HP_PASS_TOKEN_SIG])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t siglen = HP_PASS_TOKEN_SIG;
    bool ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestSign(md, sig, &siglen, msg, len) == 1 && siglen == HP_PASS_TOKEN_SIG;
    EVP_MD_CTX_free(md);
    return ok;
}

bool hp_ed25519_verify(const unsigned char public_key[32], const void *msg, size_t len,
                       const unsigned char sig[HP_PASS_TOKEN_SIG])
{
    EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public_key, 32);
    EVP_MD_CTX *md = pk ? EVP_MD_CTX_new() : NULL;
    bool ok = md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1 &&
              EVP_DigestVerify(md, sig, HP_PASS_TOKEN_SIG, msg, len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pk);
    return ok;
}

bool hp_pass_token_sign(const struct hp_pass_claims *c, struct evp_pkey_st *key, char *out)
{
    unsigned char buf[HP_PASS_TOKEN_MAX_BYTES];
    size_t n = hp_pass_token_layout(c, buf);
    if (!n || !hp_ed25519_sign(key, buf, n, buf + n))
        return false;
    memcpy(out, HP_PASS_TOKEN_PREFIX, 4);
    hp_base45_encode(buf, n + HP_PASS_TOKEN_SIG, out + 4);
    return true;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum hp_pass_token_status hp_pass_token_parse(const char *text, size_t len,
                                              struct hp_pass_token *out)
{
    memset(out, 0, sizeof(*out));
    /* Blanks around: a scanner or a paste may add a newline. A space is a
     * base45 character, so only the outer ones of the whole text go. */
    while (len && blank(*text))
        text++, len--;
    while (len && blank(text[len - 1]))
        len--;
    if (len < 4 || memcmp(text, HP_PASS_TOKEN_PREFIX, 4) != 0)
        return HP_PASS_TOKEN_NOT_OURS;
    if (len > TEXT_MAX)
        return HP_PASS_TOKEN_TOO_LONG;
    unsigned char buf[TEXT_MAX];
    ssize_t n = hp_base45_decode(text + 4, len - 4, buf, sizeof(buf));
    if (n < 0)
        return HP_PASS_TOKEN_NOT_BASE45;
    if (n < 1)
        return HP_PASS_TOKEN_TRUNCATED;
    if (buf[0] != HP_PASS_TOKEN_VERSION)
        return HP_PASS_TOKEN_BAD_VERSION;
    if (n < 15)
        return HP_PASS_TOKEN_TRUNCATED;
    size_t plen = buf[14];
    size_t want = HP_PASS_TOKEN_FIXED + plen;
    if ((size_t)n < want)
        return HP_PASS_TOKEN_TRUNCATED;
    if ((size_t)n > want || plen > HP_PASS_TOKEN_PLATE_MAX)
        return plen > HP_PASS_TOKEN_PLATE_MAX ? HP_PASS_TOKEN_MALFORMED : HP_PASS_TOKEN_TOO_LONG;
    struct hp_pass_claims *c = &out->claims;
    const unsigned char *p = buf + 1;
    c->kid = get32(p), p += 4;
    int year = (int)get16(p);
    p += 2;
    uint64_t body = 0;
    for (int i = 0; i < 5; i++)
        body = body << 8 | *p++;
    c->revision = get16(p), p += 2;
    p++; /* plate length, read above */
    memcpy(c->plate, p, plen), p += plen;
    c->plate[plen] = '\0';
    c->type = hp_pass_token_type_name(*p++);
    long from = (long)get16(p), to = (long)get16(p + 2);
    p += 4;
    memcpy(c->coverage, p, HP_PASS_TOKEN_COVERAGE), p += HP_PASS_TOKEN_COVERAGE;
    c->issued_s = get32(p), p += 4;
    if (!hp_pass_code_unpack(year, body, c->code) || !c->type || c->revision == 0 ||
        plen == 0 || memchr(c->plate, '\0', plen) || from > to)
        return HP_PASS_TOKEN_MALFORMED;
    hp_pass_token_date(from, c->valid_from);
    hp_pass_token_date(to, c->valid_to);
    out->signed_len = (size_t)(p - buf);
    memcpy(out->signed_bytes, buf, out->signed_len);
    memcpy(out->sig, p, HP_PASS_TOKEN_SIG);
    return HP_PASS_TOKEN_OK;
}

bool hp_pass_token_verify(const struct hp_pass_token *t, const unsigned char public_key[32])
{
    return hp_ed25519_verify(public_key, t->signed_bytes, t->signed_len, t->sig);
}

char *hp_revocations_text(const char *as_of, const char *since,
                          const struct hp_revocation_entry *items, int n, size_t *len)
{
    size_t cap = 64 + strlen(as_of) + strlen(since);
    for (int i = 0; i < n; i++)
        cap += strlen(items[i].code) + strlen(items[i].status) + strlen(items[i].at) + 16;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t at = (size_t)snprintf(s, cap, "haulpass-revocations-v1\n%s\n%s\n", as_of, since);
    for (int i = 0; i < n && at < cap; i++)
        at += (size_t)snprintf(s + at, cap - at, "%s %d %s %s\n", items[i].code,
                               items[i].revision, items[i].status, items[i].at);
    *len = at;
    return s;
}
