/* The deployment's Ed25519 signing key: a PEM file (PKCS#8) named by
 * HAULPASS_SIGNING_KEY that only its owner may read, shared by every
 * instance. Its id is the first 4 bytes of SHA-256 of the raw public key,
 * so every instance names it alike without asking anyone. */
#ifndef HAULPASS_SIGNING_KEY_H
#define HAULPASS_SIGNING_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evp_pkey_st;

struct hp_signing_key {
    struct evp_pkey_st *pkey;   /* the private key */
    uint32_t kid;
    char kid_hex[9];            /* kid as 8 lower-case hex digits */
    unsigned char public_key[32];
};

/* Loads the private key of the file at path into key. False with a
 * message in err when the file is missing, readable by its group or the
 * world, not a PEM private key, or not Ed25519. */
bool hp_signing_key_load(const char *path, struct hp_signing_key *key, char *err, size_t errlen);

/* Makes a new key and writes it to path (mode 0600, created; an existing
 * file there is first renamed to path + "." + its key id + ".retired").
 * False with a message in err. */
bool hp_signing_key_generate(const char *path, struct hp_signing_key *key, char *err,
                             size_t errlen);

/* Frees the key's OpenSSL object; accepts an empty key. */
void hp_signing_key_free(struct hp_signing_key *key);

/* The id of a raw public key, and as hex (9 bytes). */
uint32_t hp_signing_key_kid(const unsigned char public_key[32]);
void hp_signing_key_kid_hex(uint32_t kid, char out[9]);
/* Reads 8 hex digits; false otherwise. */
bool hp_signing_key_kid_parse(const char *hex, uint32_t *kid);

/* base64url without padding of n bytes into out (4 * n / 3 + 4 bytes),
 * and back: the number of bytes, or -1 when s is not base64url or out
 * (cap bytes) is too small. */
void hp_base64url_encode(const unsigned char *in, size_t n, char *out);
long hp_base64url_decode(const char *s, unsigned char *out, size_t cap);

#endif
