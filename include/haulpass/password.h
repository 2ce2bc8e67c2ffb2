/*
 * Passwords at rest: scrypt (RFC 7914, OpenSSL 3's EVP_PBE_scrypt) with a
 * random 16-byte salt per password, stored as
 * "scrypt$N$r$p$<salt base64>$<key base64>" so the cost can rise later
 * without breaking stored hashes. Pure apart from the kernel's randomness.
 */
#ifndef HAULPASS_PASSWORD_H
#define HAULPASS_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Room for a stored hash, NUL included. */
#define HP_PASSWORD_HASH_MAX 160
/* Bounds on a new password, in characters (docs/contract.md §11: at least 10). */
#define HP_PASSWORD_MIN 10
#define HP_PASSWORD_MAX 200

/* The stored form of password (len bytes) in out; false when the kernel
 * gave no randomness or scrypt failed (out of memory). */
bool hp_password_hash(const char *password, size_t len, char out[HP_PASSWORD_HASH_MAX]);

/* Whether password matches stored (compared in constant time). A stored
 * hash that is NULL, malformed or of a cost outside sane bounds matches
 * nothing, but still costs one scrypt run, so the time taken does not tell
 * a user without a password from one with a wrong password. */
bool hp_password_verify(const char *password, size_t len, const char *stored);

#endif
