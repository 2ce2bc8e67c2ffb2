/* Configuration from HAULPASS_* variables and --flags (docs/contract.md section 1). */
#include "haulpass/config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* A whole number as written: an optional minus and digits, nothing else
 * (strtol alone would also take leading blanks and a plus). */
static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    const char *digits = s[0] == '-' ? s + 1 : s;
    if (*digits < '0' || *digits > '9')
        return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* The text settings, each with its variable, its flag and its default
 * (NULL: unset). An empty variable is unset; an empty flag value unsets the
 * optional ones. */
static const struct text_setting {
    const char *env, *flag, *fallback;
    size_t offset;
    bool optional;
} text_settings[] = {
    {"HAULPASS_DB", "db", "dbname=haulpass", offsetof(struct hp_config, db), false},
    {"HAULPASS_LISTEN", "listen", "127.0.0.1:8080", offsetof(struct hp_config, listen), false},
    {"HAULPASS_TZ", "tz", "Asia/Shanghai", offsetof(struct hp_config, tz), false},
    {"HAULPASS_LOG", "log", "info", offsetof(struct hp_config, log_level), false},
    {"HAULPASS_SIGNING_KEY", "signing-key", NULL, offsetof(struct hp_config, signing_key), false},
    {"HAULPASS_TILE_URL", "tile-url", NULL, offsetof(struct hp_config, tile_url), true},
    {"HAULPASS_DB_DIRECT", "db-direct", NULL, offsetof(struct hp_config, db_direct), true},
    {"HAULPASS_DB_READ", "db-read", NULL, offsetof(struct hp_config, db_read), true},
};

/* The whole-number settings, each with its variable, its flag (NULL: none),
 * its range and its default. One table for both, so a flag can never take a
 * value its variable would refuse. */
static const struct int_setting {
    const char *env, *flag;
    int lo, hi, fallback;
    size_t offset;
} int_settings[] = {
    /* 0: the number of CPUs (hp_config_from_env). */
    {"HAULPASS_THREADS", "threads", 1, 1024, 0, offsetof(struct hp_config, threads)},
    {"HAULPASS_DB_POOL", "db-pool", 1, 1000, 16, offsetof(struct hp_config, db_pool_size)},
    /* 0: 4 a worker, once the pool's size is known (hp_config_db_queue). */
    {"HAULPASS_DB_QUEUE", "db-queue", 1, 100000, 0, offsetof(struct hp_config, db_queue)},
    {"HAULPASS_PUBLIC_RATE", "public-rate", 0, 1000000, 20,
     offsetof(struct hp_config, public_rate)},
    {"HAULPASS_WEBHOOK_TIMEOUT_MS", NULL, 100, 600000, 10000,
     offsetof(struct hp_config, webhook_timeout_ms)},
    {"HAULPASS_WEBHOOK_BACKOFF_MS", NULL, 1, 3600000, 1000,
     offsetof(struct hp_config, webhook_backoff_ms)},
    {"HAULPASS_SNAPSHOT_REST_MS", NULL, 0, 600000, 50,
     offsetof(struct hp_config, snapshot_rest_ms)},
};

/* The switches: unset, empty or 0 is off, 1 is on. */
static const struct bool_setting {
    const char *env;
    size_t offset;
} bool_settings[] = {
    {"HAULPASS_WEBHOOK_PRIVATE", offsetof(struct hp_config, webhook_private)},
    {"HAULPASS_DEBUG_ROUTES", offsetof(struct hp_config, debug_routes)},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Records a bad setting's message in cfg->error for hp_config_check: a
 * mistyped setting stops the service with its name rather than running on
 * a default nobody chose. The environment's first mistake is kept
 * (first); a flag's replaces it, being what the command line just said. */
static void note_error(struct hp_config *cfg, bool first, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note_error(struct hp_config *cfg, bool first, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!first || !cfg->error[0])
        vsnprintf(cfg->error, sizeof(cfg->error), fmt, ap);
    va_end(ap);
}

/* Sets setting s from value, which name (its variable or its flag) gave;
 * false, with the message noted, when value is not in s's range. */
static bool set_int(struct hp_config *cfg, const struct int_setting *s, const char *name,
                    const char *value, bool first)
{
    if (parse_int(value, s->lo, s->hi, (int *)((char *)cfg + s->offset)) == 0)
        return true;
    note_error(cfg, first, "%s must be a whole number from %d to %d, not \"%.40s\"", name,
               s->lo, s->hi, value);
    return false;
}

void hp_config_from_env(struct hp_config *cfg)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(cfg, 0, sizeof(*cfg));
    for (size_t k = 0; k < N_OF(text_settings); k++)
        *(const char **)((char *)cfg + text_settings[k].offset) =
            env_or(text_settings[k].env, text_settings[k].fallback);
    const char *v;
    for (size_t k = 0; k < N_OF(int_settings); k++) {
        const struct int_setting *s = &int_settings[k];
        *(int *)((char *)cfg + s->offset) = s->fallback;
        if ((v = getenv(s->env)) && *v)
            set_int(cfg, s, s->env, v, true);
    }
    if (cfg->threads == 0)
        cfg->threads = cpus > 0 ? (int)cpus : 1;
    for (size_t k = 0; k < N_OF(bool_settings); k++) {
        const struct bool_setting *s = &bool_settings[k];
        v = getenv(s->env);
        *(bool *)((char *)cfg + s->offset) = v && strcmp(v, "1") == 0;
        if (v && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
            note_error(cfg, true, "%s must be 1 (on) or 0 (off), not \"%.40s\"", s->env, v);
    }
}

/* Whether flag (NULL: none) is the n bytes of name. */
static bool flag_is(const char *flag, const char *name, size_t n)
{
    return flag && strlen(flag) == n && strncmp(name, flag, n) == 0;
}

/* The setting named by the n bytes of name: a text (*text) or a number
 * (*number); false when no flag is called that. */
static bool find_flag(const char *name, size_t n, const struct text_setting **text,
                      const struct int_setting **number)
{
    *text = NULL, *number = NULL;
    for (size_t k = 0; k < N_OF(text_settings) && !*text; k++)
        if (flag_is(text_settings[k].flag, name, n))
            *text = &text_settings[k];
    for (size_t k = 0; k < N_OF(int_settings) && !*text && !*number; k++)
        if (flag_is(int_settings[k].flag, name, n))
            *number = &int_settings[k];
    return *text || *number;
}

int hp_config_flag(struct hp_config *cfg, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    arg += 2;
    size_t n = strcspn(arg, "=");
    const struct text_setting *text;
    const struct int_setting *number;
    if (!find_flag(arg, n, &text, &number))
        return 0;
    char flag[32];
    snprintf(flag, sizeof(flag), "--%.*s", (int)n, arg);
    const char *value;
    if (arg[n] == '=') {
        value = arg + n + 1;
    } else if (*i + 1 < argc) {
        value = argv[++*i];
    } else {
        note_error(cfg, false, "%s needs a value", flag);
        return -1;
    }
    if (number)
        return set_int(cfg, number, flag, value, false) ? 1 : -1;
    *(const char **)((char *)cfg + text->offset) = text->optional && !*value ? NULL : value;
    return 1;
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
    if (cfg->error[0]) {
        snprintf(err, (size_t)errlen, "%s", cfg->error);
        return false;
    }
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
