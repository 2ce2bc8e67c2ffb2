/* Token buckets per client address (rate_limit.h). */
#include "haulpass/rate_limit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SLOTS 4096 /* a power of two */
#define PROBE 8
#define STRIPES 16

struct slot {
    unsigned char addr[16];
    bool used;
    double tokens;
    int64_t last_us;
};

struct hp_rate_limit {
    double rate, burst;
    pthread_mutex_t locks[STRIPES];
    struct slot slots[SLOTS];
};

struct hp_rate_limit *hp_rate_limit_new(int rate)
{
    if (rate <= 0)
        return NULL;
    struct hp_rate_limit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return NULL;
    rl->rate = rate;
    rl->burst = 5.0 * rate;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&rl->locks[i], NULL);
    return rl;
}

void hp_rate_limit_free(struct hp_rate_limit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&rl->locks[i]);
    free(rl);
}

/* The client's bucket key as 16 bytes: an IPv4 address mapped into IPv6,
 * an IPv6 address's /64; false for other kinds of address. */
static bool key_of(const struct sockaddr *sa, unsigned char out[16])
{
    memset(out, 0, 16);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &in->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        /* One bucket per /64: a host is handed a whole /64, and a bucket
         * per address would give it 2^64 fresh bursts. IPv4 mapped into
         * IPv6 stays one address. */
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(out, mapped, 12) != 0)
            memset(out + 8, 0, 8);
        return true;
    }
    return false;
}

static uint32_t hash(const unsigned char k[16])
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ k[i]) * 16777619u;
    return h;
}

bool hp_rate_limit_take(struct hp_rate_limit *rl, const struct sockaddr *addr, int64_t now_us,
                        int *retry_after_s)
{
    unsigned char k[16];
    if (!rl || !addr || !key_of(addr, k))
        return true;
    /* A group of PROBE slots, all under one stripe's lock. */
    uint32_t base = hash(k) & (SLOTS - 1) & ~(uint32_t)(PROBE - 1);
    pthread_mutex_t *lock = &rl->locks[(base / PROBE) % STRIPES];
    pthread_mutex_lock(lock);
    /* The address's slot, else a free one, else the least recently used. */
    struct slot *s = NULL, *spare = NULL;
    for (uint32_t i = 0; i < PROBE && !s; i++) {
        struct slot *c = &rl->slots[base + i];
        if (c->used && memcmp(c->addr, k, 16) == 0)
            s = c;
        else if (!spare || (spare->used && (!c->used || c->last_us < spare->last_us)))
            spare = c;
    }
    if (!s) {
        s = spare;
        memcpy(s->addr, k, 16);
        s->used = true;
        s->tokens = rl->burst;
        s->last_us = now_us;
    }
    double t = s->tokens + (double)(now_us - s->last_us) / 1e6 * rl->rate;
    if (t > rl->burst)
        t = rl->burst;
    s->last_us = now_us;
    bool ok = t >= 1.0;
    s->tokens = ok ? t - 1.0 : t;
    if (!ok && retry_after_s) {
        int wait = (int)((1.0 - t) / rl->rate + 0.999999);
        *retry_after_s = wait < 1 ? 1 : wait;
    }
    pthread_mutex_unlock(lock);
    return ok;
}
