/* haulpass behind PgBouncer in transaction mode (HAULPASS_DB_DIRECT,
 * docs/contract.md section 1). tools/test starts the pooler in front of the
 * test cluster with two server connections per database
 * (HAULPASS_TEST_BOUNCER), so the transactions of the service's eight pooled
 * connections keep landing on server connections that did not run their
 * predecessors: a statement prepared by name in one would be missing in the
 * next. The check snapshot's LISTEN goes past the pooler. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct hp_t_server behind;
static bool started;

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void)
{
    if (started)
        hp_t_server_stop(&behind);
    hp_t_teardown();
}

static char pooled[1024], direct[1200], db_env[1100], direct_env[1300];

/* The server behind the pooler, started once. */
static void start_behind(void)
{
    if (started)
        return;
    started = true;
    const char *bouncer = getenv("HAULPASS_TEST_BOUNCER");
    REQUIRE(bouncer && *bouncer); /* tools/test sets it; without it this test fails */
    const char *dbname = strstr(hp_t.conninfo, "dbname=");
    REQUIRE(dbname != NULL);
    snprintf(pooled, sizeof(pooled), "%s %s", bouncer, dbname);
    snprintf(direct, sizeof(direct), "%s", hp_t.conninfo);
    snprintf(db_env, sizeof(db_env), "HAULPASS_DB=%s", pooled);
    snprintf(direct_env, sizeof(direct_env), "HAULPASS_DB_DIRECT=%s", direct);
    static const char *env[] = {db_env, direct_env, "HAULPASS_DB_POOL=8", NULL};
    REQUIRE(hp_t_server_start(&behind, env) == 0);
}

struct worker {
    const char *token;
    int n, failures;
    long last_bad;
};

static void *work(void *p)
{
    struct worker *w = p;
    for (int i = 0; i < 15; i++) {
        char body[160];
        snprintf(body, sizeof(body),
                 "{\"plate\":\"BNC%02d%03d\",\"class\":\"heavy_truck\",\"gross_weight_kg\":25000}",
                 w->n, i);
        struct hp_t_resp *r = hp_t_on(&behind, "POST", "/v1/vehicles", w->token, body);
        if (r->status != 201) {
            w->failures++;
            w->last_bad = r->status;
        }
        hp_t_free(r);
        r = hp_t_on(&behind, "GET", "/v1/vehicles", w->token, NULL);
        if (r->status != 200) {
            w->failures++;
            w->last_bad = r->status;
        }
        hp_t_free(r);
    }
    return NULL;
}

TEST(behind_pgbouncer_in_transaction_mode_concurrent_reads_and_writes_all_succeed)
{
    start_behind();
    struct hp_t_who h = hp_t_who_add("Bouncer Haulage", "haulier", "haulier", "bouncer1");
    enum { N = 8 };
    pthread_t threads[N];
    struct worker workers[N];
    for (int i = 0; i < N; i++) {
        workers[i] = (struct worker){h.token, i, 0, 0};
        pthread_create(&threads[i], NULL, work, &workers[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        if (workers[i].failures)
            fprintf(stderr, "    worker %d: %d failures, last status %ld\n", i,
                    workers[i].failures, workers[i].last_bad);
        CHECK_INT(workers[i].failures, 0);
    }
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate LIKE 'BNC%'"), N * 15);
}

/* Whether the server behind the pooler knows plate and finds it allowed. */
static bool sighted_ok(const char *token, const char *plate)
{
    char body[256];
    snprintf(body, sizeof(body),
             "{\"sightings\":[{\"plate\":\"%s\",\"lon\":118.41,\"lat\":35.01,"
             "\"at\":\"2026-12-01T12:00:00+08:00\"}]}",
             plate);
    struct hp_t_resp *r = hp_t_on(&behind, "POST", "/v1/checks/sightings", token, body);
    bool ok = r->status == 200 && r->body && strstr(r->body, "\"status\":\"ok\"") != NULL;
    hp_t_free(r);
    return ok;
}

TEST(behind_pgbouncer_the_check_snapshot_follows_writes_through_its_direct_listen)
{
    start_behind();
    struct hp_t_who h = hp_t_who_add("Bouncer Haulage 2", "haulier", "haulier", "bouncer2");
    struct hp_t_who cop = hp_t_who_add("Bouncer Police", "police", "officer", "bouncer3");
    struct hp_t_resp *r = hp_t_on(&behind, "POST", "/v1/vehicles", h.token,
                                  "{\"plate\":\"BNCSEEN1\",\"class\":\"pickup\","
                                  "\"gross_weight_kg\":2000}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    /* The write went through the pooler; the snapshot hears of it on its
     * own connection, and the writer's next check waits for it. */
    CHECK(sighted_ok(cop.token, "BNCSEEN1"));
    /* A write made elsewhere (straight into the database) arrives too. */
    PGresult *ins = PQexec(hp_t_db(),
                           "INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
                           " SELECT org_id, org_kind, 'BNCSEEN2', class, gross_weight_kg"
                           " FROM vehicles WHERE plate = 'BNCSEEN1'");
    CHECK(PQresultStatus(ins) == PGRES_COMMAND_OK);
    PQclear(ins);
    HP_T_EVENTUALLY(sighted_ok(cop.token, "BNCSEEN2"));
}

TEST(migrate_takes_its_advisory_lock_past_the_pooler)
{
    start_behind();
    /* Through a transaction-mode pooler a session's advisory lock would be
     * held by whichever server connection ran it; --db-direct avoids it. */
    CHECK_INT(hp_t_sh("%s migrate --db '%s' --db-direct '%s' 2>/dev/null", getenv("HAULPASS_BIN"),
                      pooled, direct),
              0);
}
