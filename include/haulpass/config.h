/* Service configuration: the environment, overridden by flags of the same name. */
#ifndef HAULPASS_CONFIG_H
#define HAULPASS_CONFIG_H

#include <stdbool.h>

struct hp_config {
    const char *db;         /* HAULPASS_DB: libpq conninfo or URI */
    const char *db_direct;  /* HAULPASS_DB_DIRECT: the database itself when
                             * HAULPASS_DB is a transaction-mode pooler; NULL: none */
    const char *db_read;    /* HAULPASS_DB_READ: a hot standby the check snapshot
                             * loads from; NULL: the primary */
    const char *listen;     /* HAULPASS_LISTEN: host:port */
    const char *tz;         /* HAULPASS_TZ: IANA zone name */
    int threads;            /* HAULPASS_THREADS: network threads */
    const char *log_level;  /* HAULPASS_LOG */
    int db_pool_size;       /* HAULPASS_DB_POOL: connections, one worker each */
    int db_queue;           /* HAULPASS_DB_QUEUE: waiting requests; 0: see below */
    bool debug_routes;      /* HAULPASS_DEBUG_ROUTES=1 enables /debug/... */
    const char *signing_key; /* HAULPASS_SIGNING_KEY: private key file, or NULL */
    int public_rate;        /* HAULPASS_PUBLIC_RATE: requests/s per address on
                             * public routes, burst 5x; 0: no limit */
    const char *tile_url;   /* HAULPASS_TILE_URL: the console map's own tile
                             * server ("https://host/{z}/{x}/{y}.png"); NULL: none */
    int webhook_timeout_ms; /* HAULPASS_WEBHOOK_TIMEOUT_MS: one delivery's bound */
    bool webhook_private;   /* HAULPASS_WEBHOOK_PRIVATE=1: receivers on loopback or
                             * private networks are allowed (tests, an intranet) */
    int webhook_backoff_ms; /* HAULPASS_WEBHOOK_BACKOFF_MS: the first retry's wait,
                             * doubled each time up to an hour, for a day */
    int snapshot_rest_ms;   /* HAULPASS_SNAPSHOT_REST_MS: the check snapshot's
                             * loader's least rest between loads (check_feed.h) */
    char error[160];        /* a bad setting, "" when none: written by
                             * hp_config_from_env (the first bad variable)
                             * and hp_config_flag (the bad flag), read by
                             * hp_config_check */
};

/* Fills cfg from the environment and the defaults of docs/contract.md section 1.
 * A number out of its range or not a number keeps the default, and a
 * switch other than 1 or 0 reads as off; either is reported by
 * hp_config_check, even when a flag later gives the same setting. */
void hp_config_from_env(struct hp_config *cfg);

/* Applies "--name value" (or "--name=value") for a configuration flag.
 * Returns 1 when argv[*i] was such a flag (and advances *i past its value),
 * 0 when it is not a configuration flag, -1 when its value is missing or bad
 * (a bad one is reported by hp_config_check too). */
int hp_config_flag(struct hp_config *cfg, int argc, char **argv, int *i);

/* Checks the values, and that every setting read was well formed; on
 * failure returns false with a message in err naming the setting. */
bool hp_config_check(const struct hp_config *cfg, char *err, int errlen);

/* Requests that may wait for a database worker (HAULPASS_DB_QUEUE, by
 * default 4 a worker); past that they are refused with 503. */
int hp_config_db_queue(const struct hp_config *cfg);

/* Where session-scoped work goes (LISTEN for the check snapshot,
 * migrations and their advisory lock, the one-shot commands): past any
 * pooler when HAULPASS_DB_DIRECT names the database itself, else
 * HAULPASS_DB. */
const char *hp_config_db_direct(const struct hp_config *cfg);

/* Splits cfg->listen into host and port; false when malformed. */
bool hp_config_listen_addr(const char *listen, char *host, int hostlen, int *port);

#endif
