/* The signature header of a webhook delivery (webhook_sign.h). */
#include "haulpass/webhook_sign.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void hp_webhook_sign(const char *secret, int64_t t, const char *body, size_t len,
                     char out[HP_WEBHOOK_SIG_BUF])
{
    char stamp[24];
    int k = snprintf(stamp, sizeof(stamp), "%lld.", (long long)t);
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t maclen = 0;
    EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    /* Stamp and body hashed in turn: no joined copy of the body. */
    if (!ctx || !EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) ||
        !EVP_MAC_update(ctx, (const unsigned char *)stamp, (size_t)k) ||
        !EVP_MAC_update(ctx, (const unsigned char *)body, len) ||
        !EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)))
        maclen = 0; /* an empty v1 matches nothing: the receiver refuses it */
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(hmac);
    int at = snprintf(out, HP_WEBHOOK_SIG_BUF, "t=%lld,v1=", (long long)t);
    for (size_t i = 0; i < maclen && at + 2 < HP_WEBHOOK_SIG_BUF; i++)
        at += snprintf(out + at, (size_t)(HP_WEBHOOK_SIG_BUF - at), "%02x", mac[i]);
}
