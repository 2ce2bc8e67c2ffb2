/* Base45 (RFC 9285): bytes as text of the QR code's alphanumeric mode.
 * Two bytes become three characters, a last odd byte two. Pure. */
#ifndef HAULPASS_BASE45_H
#define HAULPASS_BASE45_H

#include <stddef.h>
#include <sys/types.h>

/* Characters of the base45 text of n bytes (not counting a NUL); 0 when
 * that would overflow a size_t. */
size_t hp_base45_encoded_len(size_t n);

/* Writes the base45 text of the n bytes of in, NUL-terminated, to out,
 * which holds hp_base45_encoded_len(n) + 1 bytes. */
void hp_base45_encode(const unsigned char *in, size_t n, char *out);

/* Decodes the len characters of s into out (cap bytes). Returns the number
 * of bytes written, or -1 when s is not base45 (a character outside the
 * alphabet, a length of 1 modulo 3, a triple above 65535 or a pair above
 * 255: RFC 9285 §4.2) or when out is too small. Never reads past len. */
ssize_t hp_base45_decode(const char *s, size_t len, unsigned char *out, size_t cap);

#endif
