/* Token buckets per client address. */
#include "test.h"

#include "haulpass/rate_limit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static struct sockaddr_in addr(const char *ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

TEST(a_burst_of_five_times_the_rate_passes_then_the_next_waits)
{
    struct hp_rate_limit *rl = hp_rate_limit_new(2);
    REQUIRE(rl);
    struct sockaddr_in a = addr("192.0.2.1");
    int ok = 0, retry = 0;
    for (int i = 0; i < 20; i++)
        ok += hp_rate_limit_take(rl, (struct sockaddr *)&a, 1000000, &retry);
    CHECK_INT(ok, 10);
    CHECK_INT(retry, 1);
    /* Half a second later, one more token at 2 a second. */
    CHECK(hp_rate_limit_take(rl, (struct sockaddr *)&a, 1500000, &retry));
    CHECK(!hp_rate_limit_take(rl, (struct sockaddr *)&a, 1500000, &retry));
    hp_rate_limit_free(rl);
}

TEST(addresses_have_buckets_of_their_own)
{
    struct hp_rate_limit *rl = hp_rate_limit_new(1);
    struct sockaddr_in a = addr("192.0.2.1"), b = addr("192.0.2.2");
    int retry;
    for (int i = 0; i < 5; i++)
        CHECK(hp_rate_limit_take(rl, (struct sockaddr *)&a, 0, &retry));
    CHECK(!hp_rate_limit_take(rl, (struct sockaddr *)&a, 0, &retry));
    CHECK(hp_rate_limit_take(rl, (struct sockaddr *)&b, 0, &retry));
    hp_rate_limit_free(rl);
}

TEST(a_slow_client_waits_the_seconds_its_next_token_takes)
{
    struct hp_rate_limit *rl = hp_rate_limit_new(1);
    struct sockaddr_in a = addr("198.51.100.7");
    int retry = 0;
    while (hp_rate_limit_take(rl, (struct sockaddr *)&a, 0, &retry))
        ;
    CHECK_INT(retry, 1);
    hp_rate_limit_free(rl);
}

TEST(rate_zero_is_no_limiter_and_allows_everything)
{
    CHECK(hp_rate_limit_new(0) == NULL);
    struct sockaddr_in a = addr("192.0.2.9");
    CHECK(hp_rate_limit_take(NULL, (struct sockaddr *)&a, 0, NULL));
}

TEST(a_flood_of_addresses_uses_no_more_memory_and_still_limits_the_latest)
{
    struct hp_rate_limit *rl = hp_rate_limit_new(1);
    int retry;
    for (unsigned i = 0; i < 100000; i++) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a000000 + i)};
        hp_rate_limit_take(rl, (struct sockaddr *)&a, 0, &retry);
    }
    struct sockaddr_in a = addr("203.0.113.5");
    int ok = 0;
    for (int i = 0; i < 10; i++)
        ok += hp_rate_limit_take(rl, (struct sockaddr *)&a, 0, &retry);
    CHECK_INT(ok, 5);
    hp_rate_limit_free(rl);
}
