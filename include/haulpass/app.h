/* What every handler shares: configuration, the database pool, the server. */
#ifndef HAULPASS_APP_H
#define HAULPASS_APP_H

#include <stdatomic.h>

struct hp_config;
struct hp_db_pool;
struct MHD_Daemon;
struct hp_workers;
struct hp_signing_key;
struct hp_rate_limit;

struct hp_app {
    const struct hp_config *cfg;
    struct hp_db_pool *pool;
    /* HAULPASS_DB_READ's standby, for the public reads of pass codes
     * (hp_route.reads_standby); NULL: everything uses pool. */
    struct hp_db_pool *read_pool;
    struct MHD_Daemon *daemon;
    struct hp_workers *workers; /* run the requests that need the database */
    /* HAULPASS_SIGNING_KEY's key, NULL when none is configured (passes are
     * then issued without a signed code, and signed when first read once
     * a key is). */
    const struct hp_signing_key *signing_key;
    struct hp_rate_limit *public_rate; /* public routes; NULL: no limit */
    atomic_int in_flight; /* requests begun and not yet completed */
    atomic_bool stopping; /* draining: new requests are not handed off */
    atomic_llong overloaded; /* requests refused with 503: every worker busy */
};

#endif
