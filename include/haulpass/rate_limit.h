/* A token bucket per client address for the public routes (route table:
 * .public_rate): rate tokens a second, at most 5 x rate saved up. Thread
 * safe. The table is bounded (addresses beyond it share the oldest slots'
 * places), so a flood of addresses costs no memory. */
#ifndef HAULPASS_RATE_LIMIT_H
#define HAULPASS_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct sockaddr;
struct hp_rate_limit;

/* A limiter of rate requests a second per address; NULL when rate is 0
 * (no limit) or out of memory. */
struct hp_rate_limit *hp_rate_limit_new(int rate);
void hp_rate_limit_free(struct hp_rate_limit *rl);

/* Takes a token for addr at now_us (a monotonic clock). False when its
 * bucket is empty: *retry_after_s is then the whole seconds until a token
 * is back. A NULL limiter or address always allows. */
bool hp_rate_limit_take(struct hp_rate_limit *rl, const struct sockaddr *addr, int64_t now_us,
                        int *retry_after_s);

#endif
