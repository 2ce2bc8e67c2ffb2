/* Settings from the environment and flags: defaults, ranges, and a bad
 * value refused by name instead of replaced by the default. */
#include "test.h"

#include "haulpass/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Starts every test from an environment without HAULPASS_* settings. */
static void clear_settings(void)
{
    for (bool again = true; again;) {
        again = false;
        for (char **e = environ; *e; e++) {
            if (strncmp(*e, "HAULPASS_", 9) != 0)
                continue;
            char name[128];
            size_t n = strcspn(*e, "=");
            snprintf(name, sizeof(name), "%.*s", (int)n, *e);
            unsetenv(name);
            again = true; /* environ changed under us: walk it again */
            break;
        }
    }
}

static bool accepted(const struct hp_config *cfg)
{
    char err[256];
    return hp_config_check(cfg, err, sizeof(err));
}

static bool refused(const struct hp_config *cfg, const char *needle)
{
    char err[256];
    return !hp_config_check(cfg, err, sizeof(err)) && strstr(err, needle) != NULL;
}

TEST(with_nothing_set_the_documented_defaults_apply)
{
    clear_settings();
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    CHECK_INT(cfg.db_pool_size, 16);
    CHECK_INT(hp_config_db_queue(&cfg), 64);
    CHECK_INT(cfg.public_rate, 20);
    CHECK_INT(cfg.webhook_timeout_ms, 10000);
    CHECK_INT(cfg.webhook_backoff_ms, 1000);
    CHECK_INT(cfg.snapshot_rest_ms, 50);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK_INT(cfg.threads, cpus > 0 ? (int)cpus : 1);
    CHECK(!cfg.debug_routes && !cfg.webhook_private);
    CHECK(cfg.tile_url == NULL && cfg.signing_key == NULL && cfg.db_read == NULL);
    CHECK_STR(cfg.listen, "127.0.0.1:8080");
    CHECK(accepted(&cfg));
}

TEST(numbers_within_their_range_are_taken)
{
    clear_settings();
    setenv("HAULPASS_DB_POOL", "1000", 1);
    setenv("HAULPASS_PUBLIC_RATE", "0", 1);
    setenv("HAULPASS_SNAPSHOT_REST_MS", "0", 1);
    setenv("HAULPASS_THREADS", "3", 1);
    setenv("HAULPASS_WEBHOOK_TIMEOUT_MS", "100", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    CHECK_INT(cfg.db_pool_size, 1000);
    CHECK_INT(hp_config_db_queue(&cfg), 4000);
    CHECK_INT(cfg.public_rate, 0);
    CHECK_INT(cfg.snapshot_rest_ms, 0);
    CHECK_INT(cfg.threads, 3);
    CHECK_INT(cfg.webhook_timeout_ms, 100);
    CHECK(accepted(&cfg));
}

TEST(a_malformed_or_out_of_range_number_is_refused_by_name)
{
    static const struct {
        const char *name, *value;
    } bad[] = {
        {"HAULPASS_DB_POOL", "abc"},       {"HAULPASS_DB_POOL", "0"},
        {"HAULPASS_DB_POOL", "1001"},      {"HAULPASS_DB_POOL", "16x"},
        {"HAULPASS_DB_POOL", "1e3"},       {"HAULPASS_THREADS", "0"},
        {"HAULPASS_THREADS", "-2"},        {"HAULPASS_DB_QUEUE", "0"},
        {"HAULPASS_PUBLIC_RATE", "-1"},    {"HAULPASS_WEBHOOK_TIMEOUT_MS", "99"},
        {"HAULPASS_WEBHOOK_BACKOFF_MS", "0"},
        {"HAULPASS_SNAPSHOT_REST_MS", "99999999999999999999"},
        {"HAULPASS_SNAPSHOT_REST_MS", "fifty"},
        {"HAULPASS_DB_POOL", " 8"},        {"HAULPASS_DB_POOL", "+8"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        clear_settings();
        setenv(bad[i].name, bad[i].value, 1);
        struct hp_config cfg;
        hp_config_from_env(&cfg);
        char quoted[64];
        snprintf(quoted, sizeof(quoted), "\"%s\"", bad[i].value);
        if (!refused(&cfg, bad[i].name) || !refused(&cfg, quoted)) {
            fprintf(stderr, "    %s=%s was not refused by name\n", bad[i].name, bad[i].value);
            CHECK(false);
        }
    }
}

TEST(an_empty_variable_counts_as_unset)
{
    clear_settings();
    setenv("HAULPASS_DB_POOL", "", 1);
    setenv("HAULPASS_DEBUG_ROUTES", "", 1);
    setenv("HAULPASS_TILE_URL", "", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    CHECK_INT(cfg.db_pool_size, 16);
    CHECK(!cfg.debug_routes);
    CHECK(cfg.tile_url == NULL);
    CHECK(accepted(&cfg));
}

TEST(a_switch_is_1_or_0_and_nothing_else)
{
    clear_settings();
    setenv("HAULPASS_DEBUG_ROUTES", "1", 1);
    setenv("HAULPASS_WEBHOOK_PRIVATE", "0", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    CHECK(cfg.debug_routes);
    CHECK(!cfg.webhook_private);
    CHECK(accepted(&cfg));
    /* "yes" or "true" would have read as off before: a deployment meaning
     * on would have run with the switch off without a word. */
    setenv("HAULPASS_WEBHOOK_PRIVATE", "yes", 1);
    hp_config_from_env(&cfg);
    CHECK(!cfg.webhook_private);
    CHECK(refused(&cfg, "HAULPASS_WEBHOOK_PRIVATE"));
}

TEST(the_first_bad_setting_is_the_one_named)
{
    clear_settings();
    setenv("HAULPASS_DB_POOL", "many", 1);
    setenv("HAULPASS_PUBLIC_RATE", "lots", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    /* The table's order: the pool comes before the rate. */
    CHECK(refused(&cfg, "HAULPASS_DB_POOL"));
    CHECK(!refused(&cfg, "HAULPASS_PUBLIC_RATE"));
}

TEST(flags_take_numbers_in_the_same_ranges_as_their_variables)
{
    clear_settings();
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    char *argv[] = {"--db-pool", "8", "--public-rate=0", "--threads", "2000", "--db-queue"};
    int i = 0;
    CHECK_INT(hp_config_flag(&cfg, 6, argv, &i), 1);
    CHECK_INT(i, 1);
    CHECK_INT(cfg.db_pool_size, 8);
    i = 2;
    CHECK_INT(hp_config_flag(&cfg, 6, argv, &i), 1);
    CHECK_INT(cfg.public_rate, 0);
    CHECK(accepted(&cfg));
    i = 3;
    CHECK_INT(hp_config_flag(&cfg, 6, argv, &i), -1);
    CHECK(refused(&cfg, "--threads"));
    i = 5; /* no value follows */
    CHECK_INT(hp_config_flag(&cfg, 6, argv, &i), -1);
    CHECK(refused(&cfg, "--db-queue needs a value"));
}

TEST(a_bad_variable_stops_the_service_even_when_a_flag_gives_the_setting)
{
    clear_settings();
    setenv("HAULPASS_THREADS", "lots", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    char *argv[] = {"--threads", "4"};
    int i = 0;
    CHECK_INT(hp_config_flag(&cfg, 2, argv, &i), 1);
    CHECK_INT(cfg.threads, 4);
    CHECK(refused(&cfg, "HAULPASS_THREADS"));
}

TEST(text_flags_set_their_setting_and_an_empty_optional_one_unsets_it)
{
    clear_settings();
    setenv("HAULPASS_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png", 1);
    struct hp_config cfg;
    hp_config_from_env(&cfg);
    char *argv[] = {"--listen=0.0.0.0:9000", "--tile-url=", "--dbx", "x", "plain"};
    int i = 0;
    CHECK_INT(hp_config_flag(&cfg, 5, argv, &i), 1);
    CHECK_STR(cfg.listen, "0.0.0.0:9000");
    i = 1;
    CHECK_INT(hp_config_flag(&cfg, 5, argv, &i), 1);
    CHECK(cfg.tile_url == NULL);
    i = 2; /* a longer name that starts like a flag is not that flag */
    CHECK_INT(hp_config_flag(&cfg, 5, argv, &i), 0);
    i = 4;
    CHECK_INT(hp_config_flag(&cfg, 5, argv, &i), 0);
}
