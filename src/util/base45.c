/* Base45, RFC 9285. */
#include "haulpass/base45.h"

#include <stdint.h>

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static int value_of(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    switch (c) {
    case ' ': return 36;
    case '$': return 37;
    case '%': return 38;
    case '*': return 39;
    case '+': return 40;
    case '-': return 41;
    case '.': return 42;
    case '/': return 43;
    case ':': return 44;
    default: return -1;
    }
}

size_t hp_base45_encoded_len(size_t n)
{
    if (n / 2 > (SIZE_MAX - 3) / 3)
        return 0;
    return n / 2 * 3 + (n % 2) * 2;
}

void hp_base45_encode(const unsigned char *in, size_t n, char *out)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        unsigned v = (unsigned)in[i] * 256 + in[i + 1];
        *out++ = alphabet[v % 45];
        *out++ = alphabet[v / 45 % 45];
        *out++ = alphabet[v / 2025];
    }
    if (i < n) {
        *out++ = alphabet[in[i] % 45];
        *out++ = alphabet[in[i] / 45];
    }
    *out = '\0';
}

ssize_t hp_base45_decode(const char *s, size_t len, unsigned char *out, size_t cap)
{
    if (len % 3 == 1)
        return -1;
    size_t need = len / 3 * 2 + (len % 3 ? 1 : 0);
    if (need > cap)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        int c = value_of(s[i]), d = value_of(s[i + 1]);
        if (c < 0 || d < 0)
            return -1;
        if (i + 2 < len) {
            int e = value_of(s[i + 2]);
            if (e < 0)
                return -1;
            unsigned v = (unsigned)c + (unsigned)d * 45 + (unsigned)e * 2025;
            if (v > 65535)
                return -1;
            out[o++] = (unsigned char)(v >> 8);
            out[o++] = (unsigned char)(v & 255);
        } else {
            unsigned v = (unsigned)c + (unsigned)d * 45;
            if (v > 255)
                return -1;
            out[o++] = (unsigned char)v;
        }
    }
    return (ssize_t)o;
}
