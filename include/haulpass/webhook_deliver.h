/*
 * The webhook deliverer of `haulpass serve` (docs/webhooks.md): one thread
 * with its own database connection that claims due deliveries from the
 * outbox (webhook_outbox.h) and sends them with libcurl, up to
 * HP_DELIVER_IN_FLIGHT at once, each bounded by the timeout, so a receiver
 * that is slow, fails or hangs up holds one slot for at most the timeout
 * and never the others. It wakes on the outbox's notification, and looks
 * twice a second anyway (a retry whose back-off has run out notifies
 * nobody). At least once: a delivery whose instance dies mid-way is sent
 * again when its lease runs out.
 */
#ifndef HAULPASS_WEBHOOK_DELIVER_H
#define HAULPASS_WEBHOOK_DELIVER_H

#include <stdbool.h>

#define HP_DELIVER_IN_FLIGHT 64

/* Starts the thread; false when it cannot. timeout_ms bounds one request
 * (connecting included); backoff_ms is the first retry's wait;
 * allow_private lets receivers on loopback and private networks through
 * (webhook_address.h refuses them otherwise). */
bool hp_webhook_deliver_start(const char *conninfo, int timeout_ms, int backoff_ms,
                              bool allow_private);

/* Stops it; what it was sending goes out again after its lease. */
void hp_webhook_deliver_stop(void);

#endif
