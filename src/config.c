/* Configuration from HAULPASS_* variables and --flags (docs/contract.md section 1). */
#include "haulpass/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

void hp_config_from_env(struct hp_config *cfg)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(cfg, 0, sizeof(*cfg));
    cfg->db = env_or("HAULPASS_DB", "dbname=haulpass");
    cfg->db_direct = env_or("HAULPASS_DB_DIRECT", NULL);
    cfg->db_read = env_or("HAULPASS_DB_READ", NULL);
    cfg->listen = env_or("HAULPASS_LISTEN", "127.0.0.1:8080");
    cfg->tz = env_or("HAULPASS_TZ", "Asia/Shanghai");
    cfg->log_level = env_or("HAULPASS_LOG", "info");
    cfg->threads = cpus > 0 ? (int)cpus : 1;
    cfg->db_pool_size = 16;
    cfg->db_queue = 0; /* 4 a worker, once the pool's size is known */
    const char *v;
    if ((v = getenv("HAULPASS_THREADS")) && *v)
        parse_int(v, 1, 1024, &cfg->threads);
    if ((v = getenv("HAULPASS_DB_POOL")) && *v)
        parse_int(v, 1, 1000, &cfg->db_pool_size);
    if ((v = getenv("HAULPASS_DB_QUEUE")) && *v)
        parse_int(v, 1, 100000, &cfg->db_queue);
    cfg->signing_key = env_or("HAULPASS_SIGNING_KEY", NULL);
    cfg->public_rate = 20;
    if ((v = getenv("HAULPASS_PUBLIC_RATE")) && *v)
        parse_int(v, 0, 1000000, &cfg->public_rate);
    cfg->webhook_timeout_ms = 10000;
    if ((v = getenv("HAULPASS_WEBHOOK_TIMEOUT_MS")) && *v)
        parse_int(v, 100, 600000, &cfg->webhook_timeout_ms);
    v = getenv("HAULPASS_WEBHOOK_PRIVATE");
    cfg->webhook_private = v && strcmp(v, "1") == 0;
    cfg->webhook_backoff_ms = 1000;
    if ((v = getenv("HAULPASS_WEBHOOK_BACKOFF_MS")) && *v)
        parse_int(v, 1, 3600000, &cfg->webhook_backoff_ms);
    cfg->snapshot_rest_ms = 50;
    if ((v = getenv("HAULPASS_SNAPSHOT_REST_MS")) && *v)
        parse_int(v, 0, 600000, &cfg->snapshot_rest_ms);
    v = getenv("HAULPASS_TILE_URL");
    cfg->tile_url = v && *v ? v : NULL;
    v = getenv("HAULPASS_DEBUG_ROUTES");
    cfg->debug_routes = v && strcmp(v, "1") == 0;
}

int hp_config_flag(struct hp_config *cfg, int argc, char **argv, int *i)
{
    static const char *const names[] = {"db", "listen", "tz", "threads", "log",
                                        "db-pool", "db-queue", "signing-key",
                                        "public-rate", "tile-url", "db-direct", "db-read",
                                        NULL};
    const char *arg = argv[*i];
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    arg += 2;
    for (int k = 0; names[k]; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(arg, names[k], n) != 0 || (arg[n] != '\0' && arg[n] != '='))
            continue;
        const char *value;
        if (arg[n] == '=') {
            value = arg + n + 1;
        } else {
            if (*i + 1 >= argc)
                return -1;
            value = argv[++*i];
        }
        switch (k) {
        case 0: cfg->db = value; return 1;
        case 1: cfg->listen = value; return 1;
        case 2: cfg->tz = value; return 1;
        case 3: return parse_int(value, 1, 1024, &cfg->threads) ? -1 : 1;
        case 4: cfg->log_level = value; return 1;
        case 5: return parse_int(value, 1, 1000, &cfg->db_pool_size) ? -1 : 1;
        case 6: return parse_int(value, 1, 100000, &cfg->db_queue) ? -1 : 1;
        case 7: cfg->signing_key = value; return 1;
        case 8: return parse_int(value, 0, 1000000, &cfg->public_rate) ? -1 : 1;
        case 9: cfg->tile_url = *value ? value : NULL; return 1;
        case 10: cfg->db_direct = *value ? value : NULL; return 1;
        default: cfg->db_read = *value ? value : NULL; return 1;
        }
    }
    return 0;
}

bool hp_config_listen_addr(const char *listen, char *host, int hostlen, int *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || colon - listen >= hostlen)
        return false;
    if (parse_int(colon + 1, 0, 65535, port) != 0)
        return false;
    const char *h = listen;
    size_t n = (size_t)(colon - listen);
    if (h[0] == '[' && n >= 2 && h[n - 1] == ']') { /* [::1]:8080 */
        h++;
        n -= 2;
    }
    memcpy(host, h, n);
    host[n] = '\0';
    return true;
}

const char *hp_config_db_direct(const struct hp_config *cfg)
{
    return cfg->db_direct ? cfg->db_direct : cfg->db;
}

int hp_config_db_queue(const struct hp_config *cfg)
{
    return cfg->db_queue > 0 ? cfg->db_queue : 4 * cfg->db_pool_size;
}

bool hp_config_check(const struct hp_config *cfg, char *err, int errlen)
{
    char host[256];
    int port;
    if (!hp_config_listen_addr(cfg->listen, host, sizeof(host), &port)) {
        snprintf(err, (size_t)errlen, "HAULPASS_LISTEN must be host:port, not \"%s\"", cfg->listen);
        return false;
    }
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(cfg->log_level, levels[i]) == 0)
            goto tz;
    snprintf(err, (size_t)errlen, "HAULPASS_LOG must be debug, info, warn or error");
    return false;
tz:;
    /* An unknown zone would silently read as UTC; refuse it instead. */
    char path[512];
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", cfg->tz);
    if (strstr(cfg->tz, "..") || access(path, R_OK) != 0) {
        snprintf(err, (size_t)errlen, "HAULPASS_TZ \"%s\" is not a known IANA time zone", cfg->tz);
        return false;
    }
    /* It ends up in the console's Content-Security-Policy: no characters
     * that could end a directive or a source there. */
    if (cfg->tile_url && ((strncmp(cfg->tile_url, "https://", 8) != 0 &&
                           strncmp(cfg->tile_url, "http://", 7) != 0) ||
                          strpbrk(cfg->tile_url, " \t\r\n;,'\"\\<>") ||
                          strlen(cfg->tile_url) > 500)) {
        snprintf(err, (size_t)errlen,
                 "HAULPASS_TILE_URL must be an http(s) URL such as "
                 "https://tiles.example.org/{z}/{x}/{y}.png");
        return false;
    }
    return true;
}
