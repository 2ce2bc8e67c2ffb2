/* The path of a request: network threads that never wait on PostgreSQL,
 * database workers behind a bounded queue, and 503 when it is full. Every
 * wait here is on a condition (a lock the test holds, a reply that came),
 * never on a timing. */
#include "harness.h"
#include "test.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
     * 4 MiB; the refusal must reach it, not a reset connection. ("Expect:"
     * stops curl from waiting for "100 Continue": the body comes at once.) */
    const char *haulier = hp_t_user_add("Late Haulage", "haulier", "haulier", "Late");
    size_t n = 4u << 20;
    char *big = malloc(n);
    memset(big, ' ', n);
    const char *chunked[] = {"Transfer-Encoding: chunked", "Expect:", NULL};
    for (int i = 0; i < 5; i++) {
        struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import", haulier,
                                       "application/vnd.google-earth.kml+xml", big, n, chunked);
        CHECK_INT(r->status, 403);
        hp_t_free(r);
    }
    free(big);
}

/* Sends head, a request's header block, on a new connection to the test's
 * server and answers the status of the first response that comes back (0
 * when none came within 10 s or the connection closed). */
static int status_after(const char *head)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)hp_t.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        write(fd, head, strlen(head)) != (ssize_t)strlen(head)) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char line[128];
    size_t n = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (n < 12 && poll(&p, 1, 10000) == 1) {
        ssize_t k = read(fd, line + n, sizeof(line) - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    line[n] = '\0';
    int status = 0;
    return sscanf(line, "HTTP/1.1 %3d", &status) == 1 ? status : 0;
}

TEST(a_client_that_waits_for_100_continue_is_refused_before_it_sends_the_body)
{
    /* Judged on a worker (a database route): without a token, and with one
     * but a body over the limit. The client has sent the headers only and
     * waits; the refusal must come instead of "100 Continue". */
    char head[512], auth[128];
    const char *form = "POST /v1/zones HTTP/1.1\r\nHost: x\r\n%s"
                       "Content-Type: application/json\r\nContent-Length: %d\r\n"
                       "Expect: 100-continue\r\n\r\n";
    snprintf(head, sizeof(head), form, "", 2000);
    CHECK_INT(status_after(head), 401);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", hp_t_admin);
    snprintf(head, sizeof(head), form, auth, 2000000);
    CHECK_INT(status_after(head), 413);
    /* Accepted, it is asked for its body, as before. */
    snprintf(head, sizeof(head), form, auth, 2000);
    CHECK_INT(status_after(head), 100);
}

/* A client on one kept-alive connection, asking until told to stop or
 * until the server has gone. */
struct keeper {
    struct hp_t_server *s;
    atomic_int done;    /* requests answered */
    atomic_int odd;     /* answers other than 200 and 503 stopping */
    atomic_bool stop;
};

static size_t drop(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static void *keep_asking(void *arg)
{
    struct keeper *k = arg;
    CURL *c = curl_easy_init();
    char url[128], auth[128];
    snprintf(url, sizeof(url), "%s/v1/me", k->s->base);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", hp_t_admin);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    while (!atomic_load(&k->stop)) {
        if (curl_easy_perform(c) != CURLE_OK)
            break; /* the server has closed or gone: done */
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200 && status != 503)
            atomic_fetch_add(&k->odd, 1);
        atomic_fetch_add(&k->done, 1);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static bool each_asked_twenty_times(void *arg)
{
    struct keeper *k = arg;
    for (int i = 0; i < 4; i++)
        if (atomic_load(&k[i].done) < 20)
            return false;
    return true;
}

TEST(sigterm_while_kept_alive_clients_keep_asking_drains_and_exits_0)
{
    /* Requests keep arriving on open connections after the listening
     * socket closes: none may be suspended once the drain has begun. */
    static const char *const env[] = {"HAULPASS_DB_POOL=2", NULL};
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, env) == 0);
    struct keeper k[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        k[i] = (struct keeper){.s = &s};
        pthread_create(&t[i], NULL, keep_asking, &k[i]);
    }
    CHECK(wait_for(each_asked_twenty_times, k));
    CHECK_INT(hp_t_server_stop(&s), 0);
    for (int i = 0; i < 4; i++) {
        atomic_store(&k[i].stop, true);
        pthread_join(t[i], NULL);
        CHECK_INT(atomic_load(&k[i].odd), 0);
    }
}
