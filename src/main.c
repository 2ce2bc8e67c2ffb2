/* haulpass: the commands of docs/contract.md section 1. */
#include "haulpass/app.h"
#include "haulpass/cli.h"
#include "haulpass/check_feed.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/http.h"
#include "haulpass/kml.h"
#include "haulpass/log.h"
#include "haulpass/migrate.h"

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
    "\n"
    "options (each also read from the environment variable in brackets):\n"
    "  --db CONNINFO       libpq connection string or URI [HAULPASS_DB]\n"
    "  --listen HOST:PORT  address to listen on [HAULPASS_LISTEN]\n"
    "  --tz ZONE           IANA time zone of local dates and hours [HAULPASS_TZ]\n"
    "  --threads N         network threads [HAULPASS_THREADS]\n"
    "  --log LEVEL         debug, info, warn or error [HAULPASS_LOG]\n"
    "  --db-pool N         database connections, a worker each [HAULPASS_DB_POOL]\n"
    "  --db-queue N        requests that may wait for a worker [HAULPASS_DB_QUEUE]\n"
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
        if (hp_config_flag(cfg, argc, argv, &i) != 1) {
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

static int serve(struct hp_config *cfg, int argc, char **argv)
{
    static const char help[] =
        "usage: haulpass serve [--db C] [--listen H:P] [--tz Z] [--threads N] [--log L]\n"
        "                      [--db-pool N] [--db-queue N]\n"
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
    app.pool = hp_db_pool_new(cfg->db, cfg->db_pool_size);
    /* The check snapshot loads in the background: the service answers
     * /healthz at once, checks as soon as the database has answered. */
    if (!app.pool || !hp_check_feed_start(cfg->db) || !hp_server_start(&app)) {
        hp_check_feed_stop();
        hp_db_pool_free(app.pool);
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
    hp_check_feed_stop();
    hp_db_pool_free(app.pool);
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
    if (!hp_migrate(cfg->db, &applied, err, sizeof(err))) {
        fprintf(stderr, "haulpass: migration failed: %s\n", err);
        return 1;
    }
    fprintf(stderr, "haulpass: %d migration%s applied\n", applied, applied == 1 ? "" : "s");
    return 0;
}

int main(int argc, char **argv)
{
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
