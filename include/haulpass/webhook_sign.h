/*
 * The signature of a webhook delivery (docs/webhooks.md): HMAC-SHA256 with
 * the webhook's secret over "<unix time>.<body>", sent as
 *   X-Haulpass-Signature: t=<unix time>,v1=<lower-case hex>
 * so a receiver can tell the body is ours and refuse an old one replayed.
 * Pure.
 */
#ifndef HAULPASS_WEBHOOK_SIGN_H
#define HAULPASS_WEBHOOK_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define HP_WEBHOOK_SIG_BUF 96

/* Writes the header's value for body at unix time t into out. */
void hp_webhook_sign(const char *secret, int64_t t, const char *body, size_t len,
                     char out[HP_WEBHOOK_SIG_BUF]);

#endif
