/*
 * The answers of POST /v1/verify already given, so a code checked again
 * (an officer's second scan, a camera at a gate seeing the same truck
 * daily) skips both PostgreSQL and the Ed25519 verification, and is
 * answered on the network thread (docs/contract.md §12).
 *
 * Keyed by SHA-256 of the request's body: the same bytes got this answer.
 * An answer holds while the check snapshot's version is the one it was
 * computed under (every committed write to passes, vehicles, zones, users
 * or the calendar moves it on: sql/008_snapshot_version.sql; a write
 * through this instance makes the next read wait for the reload,
 * include/haulpass/check_feed.h; one through another instance is seen
 * once its notification is, as by checks), on the
 * same local day (expiry is by day), and before an instant of its own
 * (a provisional pass's documents_due). Only answers that say valid are
 * kept: a refusal is cheap to repeat and must follow key changes.
 *
 * Bounded: a fixed table of slots, the newest answer for a slot replacing
 * the older one. Thread-safe (one short lock).
 */
#ifndef HAULPASS_VERIFY_CACHE_H
#define HAULPASS_VERIFY_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct hp_arena;

/* The longest answer kept (a pass naming very many zones is answered by a
 * worker each time). */
#define HP_VERIFY_CACHE_TEXT_MAX 4096

/* The state an answer depends on. */
struct hp_verify_stamp {
    int64_t version;  /* the check snapshot's version before it was computed */
    char day[11];     /* local YYYY-MM-DD */
    int64_t until_us; /* 0, or the instant it stops holding */
};

/* SHA-256 of body, as the cache's key. */
void hp_verify_cache_key(const void *body, size_t len, unsigned char key[32]);

/* Keeps text (len bytes, copied) as the answer for key under stamp;
 * silently drops it when it is too long or memory is short. */
void hp_verify_cache_put(const unsigned char key[32], const struct hp_verify_stamp *stamp,
                         const char *text, size_t len);

/* The answer for key if it holds for version, day and now_us: a copy in
 * arena, its length in *len; NULL otherwise. */
const char *hp_verify_cache_get(const unsigned char key[32], int64_t version, const char *day,
                                int64_t now_us, struct hp_arena *arena, size_t *len);

/* Drops every answer (tests; a key retired through the CLI needs none:
 * only answers for passes still in date are kept). */
void hp_verify_cache_clear(void);

#endif
