/* Service configuration: the environment, overridden by flags of the same name. */
#ifndef HAULPASS_CONFIG_H
#define HAULPASS_CONFIG_H

#include <stdbool.h>

enum hp_http_mode {
    HP_HTTP_THREAD_PER_CONNECTION, /* default: a slow handler stalls nobody */
    HP_HTTP_THREAD_POOL,           /* HAULPASS_THREADS epoll workers */
};

struct hp_config {
    const char *db;         /* HAULPASS_DB: libpq conninfo or URI */
    const char *listen;     /* HAULPASS_LISTEN: host:port */
    const char *tz;         /* HAULPASS_TZ: IANA zone name */
    int threads;            /* HAULPASS_THREADS */
    const char *log_level;  /* HAULPASS_LOG */
    enum hp_http_mode http_mode; /* HAULPASS_HTTP_MODE: threads | pool */
    int db_pool_size;       /* HAULPASS_DB_POOL */
    bool debug_routes;      /* HAULPASS_DEBUG_ROUTES=1 enables /debug/... */
};

/* Fills cfg from the environment and the defaults of API.md section 1. */
void hp_config_from_env(struct hp_config *cfg);

/* Applies "--name value" (or "--name=value") for a configuration flag.
 * Returns 1 when argv[*i] was such a flag (and advances *i past its value),
 * 0 when it is not a configuration flag, -1 when its value is missing or bad. */
int hp_config_flag(struct hp_config *cfg, int argc, char **argv, int *i);

/* Checks the values; on failure returns false with a message in err. */
bool hp_config_check(const struct hp_config *cfg, char *err, int errlen);

/* Splits cfg->listen into host and port; false when malformed. */
bool hp_config_listen_addr(const char *listen, char *host, int hostlen, int *port);

#endif
