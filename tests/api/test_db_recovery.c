/* The database going away under a running service, and coming back. This
 * stops and starts the test cluster itself (HAULPASS_PG_CTL). */
#include "harness.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static long me_status(void)
{
    struct hp_t_resp *r = hp_t_get("/v1/me", hp_t_admin);
    long st = r->status;
    hp_t_free(r);
    return st;
}

/* haulpass_zone_snapshot_feed_up in /metrics, or -1 when it shows none. */
static int feed_up(void)
{
    struct hp_t_resp *r = hp_t_get("/metrics", NULL);
    const char *at = r->body ? strstr(r->body, "\nhaulpass_zone_snapshot_feed_up ") : NULL;
    int v = at ? atoi(at + strlen("\nhaulpass_zone_snapshot_feed_up ")) : -1;
    hp_t_free(r);
    return v;
}

TEST(while_the_database_is_down_requests_get_503_and_the_service_recovers_alone)
{
    const char *pg_ctl = getenv("HAULPASS_PG_CTL");
    REQUIRE(pg_ctl && *pg_ctl); /* tools/test sets it; without it this test fails */
    struct hp_t_resp *r = hp_t_get("/v1/me", hp_t_admin);
    REQUIRE(r->status == 200);
    hp_t_free(r);

    REQUIRE(hp_t_sh("%s stop >/dev/null 2>&1", pg_ctl) == 0);
    r = hp_t_get("/v1/me", hp_t_admin);
    CHECK_INT(r->status, 503);
    CHECK(hp_t_header(r, "Retry-After") != NULL);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:database-unavailable");
    hp_t_free(r);
    r = hp_t_get("/readyz", NULL);
    CHECK_INT(r->status, 503);
    CHECK(hp_t_header(r, "Retry-After") != NULL);
    hp_t_free(r);
    r = hp_t_get("/healthz", NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_post("/v1/orgs", hp_t_admin, "{\"name\":\"While down\",\"kind\":\"site\"}");
    CHECK_INT(r->status, 503);
    hp_t_free(r);
    /* Monitoring still answers, and sees the database and the snapshot's
     * feed cut off (the checks go on). */
    HP_T_EVENTUALLY(feed_up() == 0);
    r = hp_t_get("/metrics", NULL);
    CHECK_INT(r->status, 200);
    CHECK(r->body && strstr(r->body, "\nhaulpass_db_up 0\n") != NULL);
    hp_t_free(r);

    REQUIRE(hp_t_sh("%s start >/dev/null 2>&1", pg_ctl) == 0);
    /* It recovers by itself: polled, with patience (PostgreSQL and the
     * service's reconnection take their time on a loaded machine). */
    HP_T_EVENTUALLY(me_status() == 200);
    r = hp_t_get("/readyz", NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_post("/v1/orgs", hp_t_admin, "{\"name\":\"After\",\"kind\":\"site\"}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    HP_T_EVENTUALLY(feed_up() == 1);
    r = hp_t_get("/metrics", NULL);
    CHECK(r->body && strstr(r->body, "\nhaulpass_db_up 1\n") != NULL);
    hp_t_free(r);
}

TEST(after_a_restart_the_first_request_on_a_pooled_connection_succeeds)
{
    const char *pg_ctl = getenv("HAULPASS_PG_CTL");
    REQUIRE(pg_ctl && *pg_ctl);
    struct hp_t_resp *r = hp_t_get("/v1/me", hp_t_admin);
    REQUIRE(r->status == 200); /* the pool now holds an open connection */
    hp_t_free(r);
    /* Nothing reaches the service while PostgreSQL is down, so its open
     * connections are dead but do not know it yet. */
    REQUIRE(hp_t_sh("%s stop >/dev/null 2>&1 && %s start >/dev/null 2>&1", pg_ctl, pg_ctl) == 0);
    for (int i = 0; i < 5; i++) {
        r = hp_t_get("/v1/me", hp_t_admin);
        CHECK_INT(r->status, 200);
        hp_t_free(r);
    }
}
