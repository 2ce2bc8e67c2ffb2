/* The answers of POST /v1/verify already given (include/haulpass/verify_cache.h). */
#include "haulpass/verify_cache.h"

#include "haulpass/arena.h"
#include "haulpass/token.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* 4096 codes: a city's officers check far fewer distinct passes between
 * two writes to passes, which empty the cache in effect anyway. */
#define SLOTS 4096

struct slot {
    unsigned char key[32];
    struct hp_verify_stamp stamp;
    char *text; /* malloc'd; NULL: empty */
    size_t len;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *slot_of(const unsigned char key[32])
{
    unsigned idx = (unsigned)key[0] << 8 | key[1];
    return &slots[idx % SLOTS];
}

void hp_verify_cache_key(const void *body, size_t len, unsigned char key[32])
{
    hp_sha256(body, len, key);
}

void hp_verify_cache_put(const unsigned char key[32], const struct hp_verify_stamp *stamp,
                         const char *text, size_t len)
{
    if (len > HP_VERIFY_CACHE_TEXT_MAX)
        return;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    struct slot *s = slot_of(key);
    pthread_mutex_lock(&lock);
    char *old = s->text;
    memcpy(s->key, key, 32);
    s->stamp = *stamp;
    s->text = copy;
    s->len = len;
    pthread_mutex_unlock(&lock);
    free(old);
}

const char *hp_verify_cache_get(const unsigned char key[32], int64_t version, const char *day,
                                int64_t now_us, struct hp_arena *arena, size_t *len)
{
    struct slot *s = slot_of(key);
    char *out = NULL;
    pthread_mutex_lock(&lock);
    bool holds = s->text && memcmp(s->key, key, 32) == 0 && s->stamp.version == version &&
                 strcmp(s->stamp.day, day) == 0 &&
                 (!s->stamp.until_us || now_us < s->stamp.until_us);
    if (holds && (out = hp_arena_alloc(arena, s->len + 1)) != NULL) {
        memcpy(out, s->text, s->len);
        out[s->len] = '\0';
        *len = s->len;
    }
    pthread_mutex_unlock(&lock);
    return out;
}

void hp_verify_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        free(slots[i].text);
        slots[i].text = NULL;
    }
    pthread_mutex_unlock(&lock);
}
