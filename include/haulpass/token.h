/* Bearer tokens and request ids: kernel randomness, SHA-256 at rest. */
#ifndef HAULPASS_TOKEN_H
#define HAULPASS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/* "hp_" + 43 base64url characters (256 random bits) + NUL. */
#define HP_TOKEN_LEN 46
#define HP_SHA256_HEX_LEN 64

/* Fills buf with n random bytes from the kernel (getrandom); false on failure. */
bool hp_random_bytes(void *buf, size_t n);

/* A new token in out[HP_TOKEN_LEN + 1]; false when the kernel gave no randomness. */
bool hp_token_new(char out[HP_TOKEN_LEN + 1]);

/* SHA-256 of data (32 bytes into out). */
void hp_sha256(const void *data, size_t len, unsigned char out[32]);

/* The lower-case hex SHA-256 of s, in out[HP_SHA256_HEX_LEN + 1]; this is
 * what the database keeps instead of the token. */
void hp_sha256_hex(const char *s, size_t len, char out[HP_SHA256_HEX_LEN + 1]);

/* Whether s looks like a token we issued (length and alphabet); cheap, so
 * junk never reaches the database. */
bool hp_token_well_formed(const char *s);

/* A request id: 16 random hex characters in out[17]. */
void hp_request_id_new(char out[17]);

/* A random (version 4) UUID in out[37]; false when the kernel gave no randomness. */
bool hp_uuid_new(char out[37]);

#endif
