/* Which receiver addresses webhooks may reach (webhook_address.h). */
#include "haulpass/webhook_address.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* An IPv4 address (host order) in a block a.b.c.d/bits. */
static bool in4(uint32_t ip, uint32_t net, int bits)
{
    uint32_t mask = bits ? ~0u << (32 - bits) : 0;
    return (ip & mask) == (net & mask);
}

#define NET(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static bool public4(uint32_t ip)
{
    static const struct {
        uint32_t net;
        int bits;
    } blocked[] = {
        {NET(0, 0, 0, 0), 8},       /* "this network", unspecified */
        {NET(10, 0, 0, 0), 8},      /* private */
        {NET(100, 64, 0, 0), 10},   /* carrier-grade NAT */
        {NET(127, 0, 0, 0), 8},     /* loopback */
        {NET(169, 254, 0, 0), 16},  /* link-local, cloud metadata */
        {NET(172, 16, 0, 0), 12},   /* private */
        {NET(192, 0, 0, 0), 24},    /* IETF protocol assignments */
        {NET(192, 168, 0, 0), 16},  /* private */
        {NET(198, 18, 0, 0), 15},   /* benchmarking */
        {NET(224, 0, 0, 0), 4},     /* multicast */
        {NET(240, 0, 0, 0), 4},     /* reserved, broadcast */
    };
    for (size_t i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++)
        if (in4(ip, blocked[i].net, blocked[i].bits))
            return false;
    return true;
}

bool hp_webhook_address_public(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
        return public4(ntohl(a->sin_addr.s_addr));
    }
    if (addr->sa_family != AF_INET6)
        return false;
    const uint8_t *b = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
    static const uint8_t zeros[12] = {0};
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    /* ::ffff:a.b.c.d and ::a.b.c.d (:: and ::1 among them) are IPv4's. */
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, zeros, 12) == 0)
        return public4(NET(b[12], b[13], b[14], b[15]));
    if ((b[0] & 0xfe) == 0xfc)                  /* fc00::/7 unique local */
        return false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)  /* fe80::/10 link-local */
        return false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)  /* fec0::/10 site-local (old) */
        return false;
    if (b[0] == 0xff)                           /* multicast */
        return false;
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) /* 64:ff9b::/96 NAT64 */
        return public4(NET(b[12], b[13], b[14], b[15]));
    return true;
}
