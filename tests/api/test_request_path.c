/* The path of a request: network threads that never wait on PostgreSQL,
 * database workers behind a bounded queue, and 503 when it is full. Every
 * wait here is on a condition (a lock the test holds, a reply that came),
 * never on a timing. */
#include "harness.h"
#include "test.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

struct call {
    struct hp_t_server *s;
    const char *path;
    long status;
    char type[96];
    char retry_after[16];
    atomic_bool done;
};

static void *call_run(void *arg)
{
    struct call *c = arg;
    struct hp_t_resp *r = hp_t_on(c->s, "GET", c->path, hp_t_admin, NULL);
    c->status = r->status;
    const char *t = hp_t_str(r, "type");
    snprintf(c->type, sizeof(c->type), "%s", t ? t : "");
    const char *ra = hp_t_header(r, "Retry-After");
    snprintf(c->retry_after, sizeof(c->retry_after), "%s", ra ? ra : "");
    hp_t_free(r);
    atomic_store(&c->done, true);
    return NULL;
}

/* Waits (30 s at most) until cond(arg) holds; false if it never did. */
static bool wait_for(bool (*cond)(void *), void *arg)
{
    for (int i = 0; i < 3000; i++) {
        if (cond(arg))
            return true;
        usleep(10000);
    }
    return false;
}

static bool a_backend_waits_on_a_lock(void *arg)
{
    (void)arg;
    return hp_t_sql_int("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()") > 0;
}

static bool one_is_done(void *arg)
{
    struct call *c = arg;
    return atomic_load(&c[0].done) || atomic_load(&c[1].done);
}

TEST(with_every_worker_busy_and_the_queue_full_a_database_request_gets_503_at_once_while_checks_still_answer)
{
    static const char *const env[] = {"HAULPASS_DB_POOL=1", "HAULPASS_DB_QUEUE=1", NULL};
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, env) == 0);
    /* The one worker blocks on a lock this test holds. */
    PGconn *db = PQconnectdb(s.conninfo);
    REQUIRE(PQstatus(db) == CONNECTION_OK);
    PQclear(PQexec(db, "BEGIN"));
    PGresult *lock = PQexec(db, "LOCK TABLE zones IN ACCESS EXCLUSIVE MODE");
    REQUIRE(PQresultStatus(lock) == PGRES_COMMAND_OK);
    PQclear(lock);
    struct call held = {.s = &s, .path = "/v1/zones"};
    pthread_t t0;
    pthread_create(&t0, NULL, call_run, &held);
    CHECK(wait_for(a_backend_waits_on_a_lock, NULL));

    /* Two more: one takes the queue's only place, the other is refused at
     * once; neither can finish otherwise while the lock is held. */
    struct call more[2] = {{.s = &s, .path = "/v1/zones"}, {.s = &s, .path = "/v1/zones"}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, call_run, &more[i]);
    CHECK(wait_for(one_is_done, more));
    int refused = atomic_load(&more[0].done) ? 0 : 1;
    CHECK_INT(more[refused].status, 503);
    CHECK_STR(more[refused].type, "urn:haulpass:problem:overloaded");
    CHECK_STR(more[refused].retry_after, "1");
    CHECK(!atomic_load(&held.done));

    /* The network threads are free: liveness and checks answer from memory. */
    struct hp_t_resp *r = hp_t_on(&s, "GET", "/healthz", NULL, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_on(&s, "POST", "/v1/checks/route", hp_t_admin,
                "{\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":"
                "30000},\"depart_at\":\"2030-01-07T10:00:00+08:00\",\"route\":{\"type\":"
                "\"LineString\",\"coordinates\":[[118.30,35.04],[118.40,35.04]]}}");
    CHECK_INT(r->status, 200);
    if (r->status != 200)
        fprintf(stderr, "%s\n", r->body);
    hp_t_free(r);
    CHECK(!atomic_load(&held.done));

    /* Once the lock goes, the held and the queued requests finish. */
    PQclear(PQexec(db, "COMMIT"));
    pthread_join(t0, NULL);
    CHECK_INT(held.status, 200);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(more[1 - refused].status, 200);
    /* The monitoring saw it. */
    r = hp_t_on(&s, "GET", "/metrics", NULL, NULL);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, "\nhaulpass_http_overloaded_total 1\n") != NULL);
    CHECK(strstr(r->body, "\nhaulpass_db_workers 1\n") != NULL);
    CHECK(strstr(r->body, "\nhaulpass_db_queue_capacity 1\n") != NULL);
    CHECK(strstr(r->body, "\nhaulpass_db_workers_busy 1\n") != NULL); /* itself */
    hp_t_free(r);
    PQfinish(db);
    CHECK_INT(hp_t_server_stop(&s), 0);
}

TEST(a_database_request_refused_on_a_worker_before_its_body_is_read_still_gets_its_answer)
{
    /* The caller is judged on a worker while the client goes on sending
     * 4 MiB; the refusal must reach it, not a reset connection. */
    const char *haulier = hp_t_user_add("Late Haulage", "haulier", "haulier", "Late");
    size_t n = 4u << 20;
    char *big = malloc(n);
    memset(big, ' ', n);
    const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
    for (int i = 0; i < 5; i++) {
        struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import", haulier,
                                       "application/vnd.google-earth.kml+xml", big, n, chunked);
        CHECK_INT(r->status, 403);
        hp_t_free(r);
    }
    free(big);
}
