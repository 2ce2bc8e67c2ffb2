/*
 * The signed pass code ("HP1:" + base45 of a fixed binary layout, signed
 * with Ed25519), docs/pass-code.md byte by byte. Pure: the layout, its
 * text, the coverage digest, and signing and checking with OpenSSL's EVP;
 * keys come from signing_key.h, their validity from the database.
 */
#ifndef HAULPASS_PASS_TOKEN_H
#define HAULPASS_PASS_TOKEN_H

#include "haulpass/pass_code.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HP_PASS_TOKEN_PREFIX "HP1:"
#define HP_PASS_TOKEN_VERSION 1
#define HP_PASS_TOKEN_PLATE_MAX 36 /* bytes of UTF-8: 12 characters, as plate.h allows */
#define HP_PASS_TOKEN_COVERAGE 8   /* bytes of the coverage digest */
#define HP_PASS_TOKEN_SIG 64
/* The fixed part of the layout; the plate's bytes come on top. */
#define HP_PASS_TOKEN_FIXED 96
#define HP_PASS_TOKEN_MAX_BYTES (HP_PASS_TOKEN_FIXED + HP_PASS_TOKEN_PLATE_MAX)
/* "HP1:" + base45 of the longest layout + NUL. */
#define HP_PASS_TOKEN_BUF (4 + HP_PASS_TOKEN_MAX_BYTES / 2 * 3 + 2 + 1)

struct evp_pkey_st;

/* What a code says. */
struct hp_pass_claims {
    uint32_t kid;                  /* the signing key's id (signing_key.h) */
    char code[HP_PASS_CODE_BUF];   /* HP-YYYY-XXXXXXXXC */
    unsigned revision;             /* 1..65535 */
    char plate[HP_PASS_TOKEN_PLATE_MAX + 1]; /* normalised, UTF-8 */
    const char *type;              /* a static name (hp_pass_token_type_name) */
    char valid_from[11], valid_to[11]; /* YYYY-MM-DD, 1970-01-01..2149-06-06 */
    unsigned char coverage[HP_PASS_TOKEN_COVERAGE];
    int64_t issued_s;              /* seconds since the epoch, 0..2^32-1 */
};

/* Why a text is not a code we could have made (before any key is asked). */
enum hp_pass_token_status {
    HP_PASS_TOKEN_OK,
    HP_PASS_TOKEN_NOT_OURS,   /* no "HP1:" prefix: not a haulpass code */
    HP_PASS_TOKEN_NOT_BASE45, /* the text after the prefix is not base45 */
    HP_PASS_TOKEN_TRUNCATED,  /* shorter than its layout */
    HP_PASS_TOKEN_TOO_LONG,   /* longer than its layout */
    HP_PASS_TOKEN_BAD_VERSION, /* a layout version this build does not know */
    HP_PASS_TOKEN_MALFORMED,  /* a field out of its range */
};

/* A short stable word for a status ("truncated", ...), as the API's
 * reason. */
const char *hp_pass_token_reason(enum hp_pass_token_status st);

/* The type's number in the layout (1..), or 0 for a name it does not
 * know; the name of a number, or NULL. */
int hp_pass_token_type_number(const char *name);
const char *hp_pass_token_type_name(int number);

/* Days since 1970-01-01 of a YYYY-MM-DD date, -1 when it is not one; and
 * back (out: 11 bytes). */
long hp_pass_token_days(const char *date);
void hp_pass_token_date(long days, char out[11]);

/* The coverage digest: the first 8 bytes of SHA-256 of the text
 * "zones:" + the zone ids sorted bytewise and joined by "," + "\ncorridor:"
 * + (width_m + ":" + the route's GeoJSON, or nothing) + "\nhours:" + (hours,
 * or nothing). False when out of memory. */
bool hp_pass_token_coverage(const char *const *zone_ids, int nzones, const char *corridor,
                            int width_m, const char *hours,
                            unsigned char out[HP_PASS_TOKEN_COVERAGE]);

/* The unsigned layout of c in out (HP_PASS_TOKEN_MAX_BYTES); its length,
 * or 0 when a field is out of range (code not valid, plate empty or too
 * long, unknown type, dates out of range, revision 0). */
size_t hp_pass_token_layout(const struct hp_pass_claims *c, unsigned char *out);

/* Signs c with key (an Ed25519 private key) and writes the text into out
 * (HP_PASS_TOKEN_BUF bytes). False when a field is out of range or OpenSSL
 * fails. */
bool hp_pass_token_sign(const struct hp_pass_claims *c, struct evp_pkey_st *key, char *out);

/* A code read but not yet checked: its claims, the bytes signed and the
 * signature. */
struct hp_pass_token {
    struct hp_pass_claims claims;
    unsigned char signed_bytes[HP_PASS_TOKEN_MAX_BYTES];
    size_t signed_len;
    unsigned char sig[HP_PASS_TOKEN_SIG];
};

/* Reads the len bytes of text (need not be NUL-terminated; surrounding
 * blanks are allowed) into out. Any length is safe: a text far longer
 * than a code is refused before it is decoded. */
enum hp_pass_token_status hp_pass_token_parse(const char *text, size_t len,
                                              struct hp_pass_token *out);

/* Whether t's signature holds under the raw 32-byte Ed25519 public key. */
bool hp_pass_token_verify(const struct hp_pass_token *t, const unsigned char public_key[32]);

/* Ed25519 of any message, for the revocation list: sign with key into
 * sig, or check sig under a raw public key. */
bool hp_ed25519_sign(struct evp_pkey_st *key, const void *msg, size_t len,
                     unsigned char sig[HP_PASS_TOKEN_SIG]);
bool hp_ed25519_verify(const unsigned char public_key[32], const void *msg, size_t len,
                       const unsigned char sig[HP_PASS_TOKEN_SIG]);

/* One entry of a revocation list, as its JSON shows it. */
struct hp_revocation_entry {
    const char *code, *status, *at; /* at: RFC 3339 as in the JSON */
    int revision;
};

/* The text a revocation list's signature covers (docs/pass-code.md):
 * "haulpass-revocations-v1\n" + as_of + "\n" + since + "\n", then a line
 * "code revision status at\n" per entry in list order. malloc'd (the
 * caller frees it), *len its length; NULL when out of memory. */
char *hp_revocations_text(const char *as_of, const char *since,
                          const struct hp_revocation_entry *items, int n, size_t *len);

#endif
