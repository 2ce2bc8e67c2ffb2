/* Which receiver addresses webhooks may reach (webhook_address.h). */
#include "test.h"

#include "haulpass/webhook_address.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static bool public(const char *text)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, text, &a4->sin_addr) == 1)
        a4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1)
        a6->sin6_family = AF_INET6;
    else
        return true; /* fails the CHECK below loudly */
    return hp_webhook_address_public((struct sockaddr *)&ss);
}

TEST(the_service_s_own_network_is_refused)
{
    static const char *const inside[] = {
        "127.0.0.1", "127.1.2.3", "10.0.0.5", "172.16.0.1", "172.31.255.254", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
        "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.1.2.3", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe"};
    for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
        if (public(inside[i]))
            fprintf(stderr, "    %s taken as public\n", inside[i]);
        CHECK(!public(inside[i]));
    }
}

TEST(public_receivers_are_reachable)
{
    static const char *const outside[] = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255",
                                          "100.128.0.1", "203.0.113.9", "2400:cb00::1",
                                          "::ffff:8.8.4.4", "2a00:1450:4001::200e"};
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        if (!public(outside[i]))
            fprintf(stderr, "    %s taken as private\n", outside[i]);
        CHECK(public(outside[i]));
    }
}
