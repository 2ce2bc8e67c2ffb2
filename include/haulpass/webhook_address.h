/*
 * Where a webhook may be delivered: a receiver's address must be a public
 * one, so that a haulier cannot point the service at its own network
 * (PostgreSQL on 127.0.0.1, a cloud's metadata on 169.254.169.254, a
 * printer on 192.168.x.x) and read the answers back from the delivery log.
 * Checked on the address a connection is about to use, after DNS, so a name
 * that resolves to a private address is refused too (docs/webhooks.md).
 */
#ifndef HAULPASS_WEBHOOK_ADDRESS_H
#define HAULPASS_WEBHOOK_ADDRESS_H

#include <stdbool.h>

struct sockaddr;

/* Whether addr (AF_INET or AF_INET6) is a public unicast address: not
 * loopback, private, link-local, carrier-grade NAT, unspecified, multicast,
 * reserved, or an IPv4-mapped or -compatible form of one of those. */
bool hp_webhook_address_public(const struct sockaddr *addr);

#endif
