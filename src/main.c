/* haulpass: the commands of docs/contract.md section 1. */
#include "haulpass/app.h"
#include "haulpass/cli.h"
#include "haulpass/check_feed.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/http.h"
#include "haulpass/json_body.h"
#include "haulpass/kml.h"
#include "haulpass/log.h"
#include "haulpass/webhook_deliver.h"
#include "haulpass/migrate.h"
#include "haulpass/arena.h"
#include "haulpass/rate_limit.h"
#include "haulpass/signing_key.h"
#include "haulpass/signing_keys.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: haulpass [--help] [--version] COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  serve        run the HTTP service until SIGTERM or SIGINT\n"
    "  migrate      apply the database migrations this database has not seen\n"
    "  user add     create a user (and its organisation if missing); prints its token\n"
    "  import-kml   make zones of the Placemarks of a KML file\n"
    "  keys         generate, list or retire the keys that sign pass codes\n"
    "  verify       check a signed pass code offline\n"
    "\n"
    "options (each also read from the environment variable in brackets):\n"
    "  --db CONNINFO       libpq connection string or URI [HAULPASS_DB]\n"
    "  --db-direct CONNINFO  the database itself when --db is PgBouncer in\n"
    "                      transaction mode [HAULPASS_DB_DIRECT]\n"
    "  --db-read CONNINFO  a hot standby the checks read from [HAULPASS_DB_READ]\n"
    "  --listen HOST:PORT  address to listen on [HAULPASS_LISTEN]\n"
    "  --tz ZONE           IANA time zone of local dates and hours [HAULPASS_TZ]\n"
    "  --threads N         network threads [HAULPASS_THREADS]\n"
    "  --log LEVEL         debug, info, warn or error [HAULPASS_LOG]\n"
    "  --db-pool N         database connections, a worker each [HAULPASS_DB_POOL]\n"
    "  --db-queue N        requests that may wait for a worker [HAULPASS_DB_QUEUE]\n"
    "  --signing-key FILE  Ed25519 key that signs pass codes [HAULPASS_SIGNING_KEY]\n"
    "  --public-rate N     requests/s per address on public routes, 0: off\n"
    "                      [HAULPASS_PUBLIC_RATE]\n"
    "\n"
    "Run 'haulpass COMMAND --help' for a command's own options.\n";

static int bad_usage(void)
{
    fputs(usage, stderr);
    return 2;
}

/* Reads the configuration flags of a command; returns -1 to go on, else
 * the exit status (0 after --help, 2 after a wrong flag). */
static int read_flags(struct hp_config *cfg, int argc, char **argv, const char *help)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return 0;
        }
        int c = hp_config_flag(cfg, argc, argv, &i);
        if (c != 1) {
            if (c < 0)
                fprintf(stderr, "haulpass: %s\n", cfg->error);
            else
                fprintf(stderr, "haulpass: unknown option %s\n", argv[i]);
            fputs(help, stderr);
            return 2;
        }
    }
    char err[256];
    if (!hp_config_check(cfg, err, sizeof(err))) {
        fprintf(stderr, "haulpass: %s\n", err);
        return 2;
    }
    return -1;
}

static void use_time_zone(const char *tz)
{
    /* Local dates, hours and working days are read in HAULPASS_TZ: the whole
     * process runs in it, so localtime_r answers in it. */
    setenv("TZ", tz, 1);
    tzset();
}

/* Publishes the loaded key's public half, so GET /v1/keys lists it; a
 * database that cannot be reached now is no reason not to start (signing
 * publishes it again). */
static void publish_key(struct hp_app *app)
{
    struct hp_db *db = app->signing_key && app->pool ? hp_db_acquire(app->pool) : NULL;
    if (!db)
        return;
    struct hp_arena *arena = hp_arena_new();
    if (arena && hp_signing_keys_publish(db, arena, app->signing_key) < 0)
        hp_log(HP_LOG_WARN, "signing key not published", "detail", hp_db_message(db), NULL);
    hp_log(HP_LOG_INFO, "signing key", "kid", app->signing_key->kid_hex, NULL);
    hp_arena_free(arena);
    hp_db_release(app->pool, db);
}

static int serve(struct hp_config *cfg, int argc, char **argv)
{
    static const char help[] =
        "usage: haulpass serve [--db C] [--listen H:P] [--tz Z] [--threads N] [--log L]\n"
        "                      [--db-pool N] [--db-queue N] [--db-direct C] [--db-read C]\n"
        "Runs the HTTP service until SIGTERM or SIGINT, then drains in-flight\n"
        "requests (at most 10 s) and exits 0.\n";
    int rc = read_flags(cfg, argc, argv, help);
    if (rc >= 0)
        return rc;
    use_time_zone(cfg->tz);
    hp_log_set_level(cfg->log_level);
    hp_kml_global_init(); /* libxml2 wants this before threads start */

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct hp_app app = {.cfg = cfg};
    static struct hp_signing_key key;
    if (cfg->signing_key) {
        char err[512];
        if (!hp_signing_key_load(cfg->signing_key, &key, err, sizeof(err))) {
            hp_log(HP_LOG_ERROR, "signing key refused", "detail", err, NULL);
            return 1;
        }
        app.signing_key = &key;
    } else {
        hp_log(HP_LOG_WARN, "no HAULPASS_SIGNING_KEY: passes are issued without a signed code",
               NULL);
    }
    app.public_rate = hp_rate_limit_new(cfg->public_rate);
    app.pool = hp_db_pool_new(cfg->db, cfg->db_pool_size);
    /* With a direct connection string, HAULPASS_DB is a pooler in
     * transaction mode: no statement may outlive its transaction. */
    if (app.pool && cfg->db_direct)
        hp_db_pool_unprepared(app.pool);
    /* One standby connection a worker at most, for the public reads. */
    if (cfg->db_read)
        app.read_pool = hp_db_pool_new(cfg->db_read, cfg->db_pool_size);
    publish_key(&app);
    /* The check snapshot loads in the background: the service answers
     * /healthz at once, checks as soon as the database has answered. With a
     * standby to read, the snapshot comes from it and the primary is asked
     * only where its own writes stand (check_feed.h). The snapshot's loader
     * and the webhook deliverer LISTEN, so they connect past any pooler. */
    hp_check_feed_rest(cfg->snapshot_rest_ms);
    bool feed = cfg->db_read ? hp_check_feed_start_replica(cfg->db_read, hp_config_db_direct(cfg))
                             : hp_check_feed_start(hp_config_db_direct(cfg));
    if (!app.pool || (cfg->db_read && !app.read_pool) || !feed || !hp_server_start(&app) ||
        !hp_webhook_deliver_start(hp_config_db_direct(cfg), cfg->webhook_timeout_ms,
                                  cfg->webhook_backoff_ms, cfg->webhook_private)) {
        hp_check_feed_stop();
        hp_db_pool_free(app.pool);
        hp_db_pool_free(app.read_pool);
        hp_rate_limit_free(app.public_rate);
        hp_signing_key_free(&key);
        return 1;
    }
    int sig = 0;
    sigwait(&stop, &sig);
    hp_log(HP_LOG_INFO, "stopping", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
    if (!hp_server_stop(&app, 10000)) {
        /* Workers still hold requests; the process ends with them. */
        hp_log_flush();
        hp_log(HP_LOG_INFO, "stopped", NULL);
        _exit(0);
    }
    hp_webhook_deliver_stop();
    hp_check_feed_stop();
    hp_db_pool_free(app.pool);
    hp_db_pool_free(app.read_pool);
    hp_rate_limit_free(app.public_rate);
    hp_signing_key_free(&key);
    hp_log_flush();
    hp_log(HP_LOG_INFO, "stopped", NULL);
    return 0;
}

static int migrate(struct hp_config *cfg, int argc, char **argv)
{
    static const char help[] =
        "usage: haulpass migrate [--db CONNINFO]\n"
        "Applies the migrations this database has not seen, in name order, each in\n"
        "one transaction; safe to run twice and from two processes at once.\n";
    int rc = read_flags(cfg, argc, argv, help);
    if (rc >= 0)
        return rc;
    hp_log_set_level(cfg->log_level);
    int applied = 0;
    char err[1024];
    if (!hp_migrate(hp_config_db_direct(cfg), &applied, err, sizeof(err))) {
        fprintf(stderr, "haulpass: migration failed: %s\n", err);
        return 1;
    }
    fprintf(stderr, "haulpass: %d migration%s applied\n", applied, applied == 1 ? "" : "s");
    return 0;
}

int main(int argc, char **argv)
{
    hp_json_init(); /* before any thread */
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    if (argc < 2)
        return bad_usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("haulpass %s\n", HP_VERSION);
        return 0;
    }
    if (strcmp(cmd, "serve") == 0)
        return serve(&cfg, argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return migrate(&cfg, argc - 2, argv + 2);
    if (strcmp(cmd, "keys") == 0)
        return hp_cli_keys(&cfg, argc - 2, argv + 2);
    if (strcmp(cmd, "verify") == 0)
        return hp_cli_verify(&cfg, argc - 2, argv + 2);
    if (strcmp(cmd, "import-kml") == 0)
        return hp_cli_import_kml(&cfg, argc - 2, argv + 2);
    if (strcmp(cmd, "user") == 0) {
        if (argc >= 3 && strcmp(argv[2], "add") == 0)
            return hp_cli_user_add(&cfg, argc - 3, argv + 3);
        if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs("usage: haulpass user add --help\n", stdout);
            return 0;
        }
        return bad_usage();
    }
    return bad_usage();
}
