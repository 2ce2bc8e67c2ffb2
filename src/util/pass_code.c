/* Pass codes: random Crockford base32 with a mod-37 check character. */
#include "haulpass/pass_code.h"

#include "haulpass/token.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Crockford's alphabet; the last five are check symbols only. */
static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

static int digit(char c)
{
    const char *p = c ? strchr(symbols, c) : NULL;
    return p ? (int)(p - symbols) : -1;
}

/* The check character of 8 base32 characters: their value mod 37. As 37 is
 * prime and larger than 32, one changed character always changes it. */
static char check_of(const char *body)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 32 + (uint64_t)digit(body[i]);
    return symbols[v % 37];
}

bool hp_pass_code_make(int year, const char *body, char out[HP_PASS_CODE_BUF])
{
    if (year < 1000 || year > 9999 || !body || strlen(body) != 8)
        return false;
    for (int i = 0; i < 8; i++) {
        int d = digit(body[i]);
        if (d < 0 || d >= 32)
            return false;
    }
    snprintf(out, HP_PASS_CODE_BUF, "HP-%04d-%.8s%c", year, body, check_of(body));
    return true;
}

bool hp_pass_code_new(int year, char out[HP_PASS_CODE_BUF])
{
    unsigned char raw[5];
    if (!hp_random_bytes(raw, sizeof(raw)))
        return false;
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof(raw); i++)
        bits = bits << 8 | raw[i];
    char body[9];
    for (int i = 7; i >= 0; i--, bits >>= 5)
        body[i] = symbols[bits & 31];
    body[8] = '\0';
    return hp_pass_code_make(year, body, out);
}

bool hp_pass_code_valid(const char *s)
{
    if (!s || strlen(s) != HP_PASS_CODE_LEN || strncmp(s, "HP-", 3) != 0 || s[7] != '-')
        return false;
    for (int i = 3; i < 7; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    for (int i = 8; i < 16; i++) {
        int d = digit(s[i]);
        if (d < 0 || d >= 32)
            return false;
    }
    return check_of(s + 8) == s[16];
}

bool hp_pass_code_pack(const char *code, int *year, uint64_t *body)
{
    if (!hp_pass_code_valid(code))
        return false;
    *year = (code[3] - '0') * 1000 + (code[4] - '0') * 100 + (code[5] - '0') * 10 + (code[6] - '0');
    uint64_t v = 0;
    for (int i = 8; i < 16; i++)
        v = v << 5 | (uint64_t)digit(code[i]);
    *body = v;
    return true;
}

bool hp_pass_code_unpack(int year, uint64_t body, char out[HP_PASS_CODE_BUF])
{
    if (body >> 40)
        return false;
    char b[9];
    for (int i = 7; i >= 0; i--, body >>= 5)
        b[i] = symbols[body & 31];
    b[8] = '\0';
    return hp_pass_code_make(year, b, out);
}
