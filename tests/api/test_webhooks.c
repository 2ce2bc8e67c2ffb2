/* Webhooks: subscriptions of a haulier's own events, delivered from the
 * outbox to a receiver this test runs (libmicrohttpd, a thread per
 * connection) that fails, hangs up, holds and acknowledges on cue: every
 * event arrives, each subject's in order, signed; an acknowledged one is
 * never sent again; and a server killed mid-delivery loses nothing. */
#include "harness.h"
#include "test.h"

#include <microhttpd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* Short timeouts and back-off, so retries and leases run out within a
 * test (the defaults are 10 s and 1 s). */
static const char *const env[] = {"HAULPASS_WEBHOOK_TIMEOUT_MS=1500",
                                  "HAULPASS_WEBHOOK_BACKOFF_MS=50",
                                  "HAULPASS_WEBHOOK_PRIVATE=1", NULL};

int hp_test_setup(void) { return hp_t_setup(env); }

/* --- The receiver ----------------------------------------------------- */

enum cue { ANSWER_OK, ANSWER_500, HANG_UP, HOLD };

struct arrival {
    long long event_id;
    char subject[96], event[48], status[32];
    bool signed_ok;
    bool acked; /* we answered 2xx */
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct MHD_Daemon *daemon;
    int port;
    char secret[128];
    enum cue cues[64]; /* for the next requests, in turn; then ANSWER_OK */
    int ncues, next_cue;
    bool release;      /* lets a held request go */
    int holding;
    struct arrival got[1024];
    int ngot;
} rx = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

struct upload {
    char *data;
    size_t len;
};

/* t=<unix>,v1=<hex> over "<unix>.<body>" with the secret. */
static bool signature_ok(const char *header, const char *body, size_t len)
{
    long long t;
    char hex[80];
    if (!header || sscanf(header, "t=%lld,v1=%79s", &t, hex) != 2)
        return false;
    char *msg = malloc(len + 32);
    int k = sprintf(msg, "%lld.", t);
    memcpy(msg + k, body, len);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    HMAC(EVP_sha256(), rx.secret, (int)strlen(rx.secret), (unsigned char *)msg, (size_t)k + len,
         mac, &maclen);
    free(msg);
    char want[80];
    for (unsigned i = 0; i < maclen; i++)
        sprintf(want + 2 * i, "%02x", mac[i]);
    return maclen == 32 && strcmp(want, hex) == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version;
    struct upload *u = *state;
    if (!u) {
        *state = calloc(1, sizeof(*u));
        return MHD_YES;
    }
    if (*size) {
        u->data = realloc(u->data, u->len + *size + 1);
        memcpy(u->data + u->len, data, *size);
        u->len += *size;
        u->data[u->len] = '\0';
        *size = 0;
        return MHD_YES;
    }
    const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Haulpass-Signature");
    cJSON *body = u->data ? cJSON_Parse(u->data) : NULL;
    pthread_mutex_lock(&rx.mu);
    enum cue cue = rx.next_cue < rx.ncues ? rx.cues[rx.next_cue++] : ANSWER_OK;
    struct arrival *a = rx.ngot < 1024 ? &rx.got[rx.ngot++] : NULL;
    if (a) {
        memset(a, 0, sizeof(*a));
        a->event_id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(body, "id"));
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(body, "subject"));
        const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(body, "event"));
        const char *st = cJSON_GetStringValue(
            cJSON_GetObjectItem(cJSON_GetObjectItem(body, "data"), "status"));
        snprintf(a->subject, sizeof(a->subject), "%s", s ? s : "");
        snprintf(a->event, sizeof(a->event), "%s", e ? e : "");
        snprintf(a->status, sizeof(a->status), "%s", st ? st : "");
        a->signed_ok = u->data && signature_ok(sig, u->data, u->len);
    }
    if (cue == HOLD) {
        rx.holding++;
        pthread_cond_broadcast(&rx.cv);
        while (!rx.release)
            pthread_cond_wait(&rx.cv, &rx.mu);
        rx.holding--;
    }
    if (a && cue != ANSWER_500 && cue != HANG_UP && cue != HOLD)
        a->acked = true;
    pthread_mutex_unlock(&rx.mu);
    cJSON_Delete(body);
    if (cue == HANG_UP || cue == HOLD)
        return MHD_NO; /* closes the connection without an answer */
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, cue == ANSWER_500 ? 500 : 200, r);
    MHD_destroy_response(r);
    return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct upload *u = *state;
    if (u)
        free(u->data);
    free(u);
    *state = NULL;
}

static void rx_start(void)
{
    rx.daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                                 0, NULL, NULL, on_request, NULL, MHD_OPTION_NOTIFY_COMPLETED,
                                 on_done, NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *i = rx.daemon ? MHD_get_daemon_info(rx.daemon,
                                                                     MHD_DAEMON_INFO_BIND_PORT)
                                              : NULL;
    rx.port = i ? i->port : 0;
}

void hp_test_teardown(void)
{
    pthread_mutex_lock(&rx.mu);
    rx.release = true;
    pthread_cond_broadcast(&rx.cv);
    pthread_mutex_unlock(&rx.mu);
    if (rx.daemon)
        MHD_stop_daemon(rx.daemon);
    hp_t_teardown();
}

static void cue(const enum cue *cues, int n)
{
    pthread_mutex_lock(&rx.mu);
    for (int i = 0; i < n; i++)
        rx.cues[rx.ncues++] = cues[i];
    pthread_mutex_unlock(&rx.mu);
}

/* How many arrivals of event_id were acknowledged. */
static int acks_of(long long event_id)
{
    int n = 0;
    pthread_mutex_lock(&rx.mu);
    for (int i = 0; i < rx.ngot; i++)
        n += rx.got[i].event_id == event_id && rx.got[i].acked;
    pthread_mutex_unlock(&rx.mu);
    return n;
}

static int holding(void)
{
    pthread_mutex_lock(&rx.mu);
    int n = rx.holding;
    pthread_mutex_unlock(&rx.mu);
    return n;
}

/* --- The service side ------------------------------------------------- */

static struct hp_t_who officer, haulier, other;
static char zone[64], hook[64];

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    rx_start();
    officer = hp_t_who_add("Hook Police", "police", "officer", "hook officer");
    haulier = hp_t_who_add("Hook Haulage", "haulier", "haulier", "hook dispatcher");
    other = hp_t_who_add("Other Hook Haulage", "haulier", "haulier", "other dispatcher");
    hp_t_vehicle_add(haulier.token, "鲁H10001");
    hp_t_vehicle_add(other.token, "鲁H20001");
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Hook Zone\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.3,35.0],[118.4,35.0],[118.4,35.1],[118.3,35.1],[118.3,35.0]]]},"
                "\"rules\":[]}",
                zone);
    char b[512];
    snprintf(b, sizeof(b),
             "{\"url\":\"http://127.0.0.1:%d/hook\",\"events\":[\"application.status_changed\","
             "\"pass.issued\",\"pass.amended\",\"pass.revoked\"]}",
             rx.port);
    struct hp_t_resp *r = hp_t_post("/v1/webhooks", haulier.token, b);
    CHECK_INT(r->status, 201);
    snprintf(hook, sizeof(hook), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    snprintf(rx.secret, sizeof(rx.secret), "%s", hp_t_str(r, "secret") ? hp_t_str(r, "secret") : "");
    hp_t_free(r);
}

/* Files an application of who for plate; its id into id. */
static void file(const struct hp_t_who *who, const char *plate, char id[64])
{
    char b[512];
    snprintf(b, sizeof(b),
             "{\"type\":\"urban_delivery\",\"plates\":[\"%s\"],\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-02\",\"zone_ids\":[\"%s\"],"
             "\"documents\":[{\"name\":\"licence\",\"provided\":true}]}",
             plate, zone);
    hp_t_create("/v1/applications", who->token, b, id);
}

static void withdraw(const char *id)
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", id);
    struct hp_t_resp *r = hp_t_post(path, haulier.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

/* The ids of the events written for subject, oldest first (up to 16). */
static int events_of(const char *subject, long long ids[16])
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT id FROM webhook_events WHERE subject = '%s' ORDER BY id",
             subject);
    PGresult *r = PQexec(hp_t_db(), sql);
    int n = 0;
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r) && n < 16; i++)
        ids[n++] = atoll(PQgetvalue(r, i, 0));
    PQclear(r);
    return n;
}

/* No arrival of an event of subject came before every earlier event of it
 * had been acknowledged. */
static bool in_order(const char *subject)
{
    bool ok = true;
    pthread_mutex_lock(&rx.mu);
    for (int i = 0; i < rx.ngot; i++) {
        if (strcmp(rx.got[i].subject, subject) != 0)
            continue;
        for (int j = 0; j < rx.ngot; j++) {
            if (strcmp(rx.got[j].subject, subject) != 0 ||
                rx.got[j].event_id >= rx.got[i].event_id)
                continue;
            bool acked_before = false;
            for (int k = 0; k < i; k++)
                acked_before |= rx.got[k].event_id == rx.got[j].event_id && rx.got[k].acked;
            ok &= acked_before;
        }
    }
    pthread_mutex_unlock(&rx.mu);
    return ok;
}

TEST(every_event_arrives_once_in_order_and_signed_through_failures_and_hang_ups)
{
    once();
    /* The first two requests fail (a 500, then a hang-up): retried. */
    enum cue c[] = {ANSWER_500, HANG_UP};
    cue(c, 2);
    char apps[3][64], subject[3][96];
    const char *plates[] = {"鲁H10001", "鲁H10001", "鲁H10001"};
    for (int i = 0; i < 3; i++) {
        file(&haulier, plates[i], apps[i]);
        snprintf(subject[i], sizeof(subject[i]), "application:%s", apps[i]);
    }
    for (int i = 0; i < 3; i++)
        withdraw(apps[i]);
    /* Another organisation's events are not ours. */
    char theirs[64];
    file(&other, "鲁H20001", theirs);
    for (int i = 0; i < 3; i++) {
        long long ids[16];
        int n = events_of(subject[i], ids);
        CHECK_INT(n, 2); /* queued, then withdrawn */
        for (int k = 0; k < n; k++)
            HP_T_EVENTUALLY(acks_of(ids[k]) >= 1);
        for (int k = 0; k < n; k++)
            CHECK_INT(acks_of(ids[k]), 1);
        CHECK(in_order(subject[i]));
    }
    pthread_mutex_lock(&rx.mu);
    int signed_ok = 0, failed_tries = 0;
    for (int i = 0; i < rx.ngot; i++) {
        signed_ok += rx.got[i].signed_ok;
        failed_tries += !rx.got[i].acked;
        CHECK(strstr(rx.got[i].subject, theirs) == NULL);
    }
    CHECK_INT(signed_ok, rx.ngot);
    CHECK_INT(failed_tries, 2);
    pthread_mutex_unlock(&rx.mu);
}

TEST(a_pass_issued_amended_and_then_revoked_arrives_as_three_events_in_that_order)
{
    once();
    char app[64], path[160];
    file(&haulier, "鲁H10001", app);
    /* The queue hands out the oldest first: reject the others' before it. */
    struct hp_t_resp *r;
    for (int i = 0; i < 10; i++) {
        r = hp_t_post("/v1/queue/claim", officer.token, NULL);
        CHECK_INT(r->status, 200);
        bool mine = hp_t_str(r, "id") && strcmp(hp_t_str(r, "id"), app) == 0;
        snprintf(path, sizeof(path), "/v1/applications/%s/decision",
                 hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
        hp_t_free(r);
        r = hp_t_post(path, officer.token,
                      mine ? "{\"decision\":\"approve\",\"reason\":\"checked\"}"
                           : "{\"decision\":\"reject\",\"reason\":\"not this one\"}");
        CHECK_INT(r->status, 200);
        hp_t_free(r);
        if (mine)
            break;
    }
    char sql[256], code[32] = "";
    snprintf(sql, sizeof(sql), "SELECT code FROM passes WHERE application_id = '%s'", app);
    PGresult *q = PQexec(hp_t_db(), sql);
    if (PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1)
        snprintf(code, sizeof(code), "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    REQUIRE(code[0]);
    /* An officer moves its hours: a new revision (docs/contract.md §13). */
    snprintf(path, sizeof(path), "/v1/passes/%s/amendments", code);
    r = hp_t_post(path, officer.token,
                  "{\"hours\":\"Mo-Fr 06:00-20:00\",\"reason\":\"the route is closed for works\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    r = hp_t_post(path, officer.token, "{\"reason\":\"overloaded\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    char subject[96];
    snprintf(subject, sizeof(subject), "pass:%s", code);
    long long ids[16];
    REQUIRE(events_of(subject, ids) == 3);
    HP_T_EVENTUALLY(acks_of(ids[0]) == 1 && acks_of(ids[1]) == 1 && acks_of(ids[2]) == 1);
    CHECK(in_order(subject));
    static const char *const expected[] = {"pass.issued", "pass.amended", "pass.revoked"};
    pthread_mutex_lock(&rx.mu);
    int seen = 0;
    for (int i = 0; i < rx.ngot; i++) {
        if (strcmp(rx.got[i].subject, subject) != 0)
            continue;
        CHECK_STR(rx.got[i].event, expected[seen < 3 ? seen : 2]);
        seen++;
    }
    CHECK_INT(seen, 3);
    pthread_mutex_unlock(&rx.mu);
}

TEST(a_sites_escort_booked_confirmed_and_cancelled_arrives_as_three_events_in_order)
{
    once();
    struct hp_t_who site = hp_t_who_add("Hook Site", "site", "site", "hook site office");
    hp_t_vehicle_add(site.token, "鲁H30001");
    char project[64], unit[64], site_hook[64], escort[64], b[1024], path[160];
    hp_t_project_add(officer.token, site.org, officer.id, project);
    hp_t_create("/v1/escort-units", officer.token,
                "{\"name\":\"hook unit\",\"base\":{\"type\":\"Point\",\"coordinates\":"
                "[118.36,35.0]},\"hours\":\"24/7\",\"capacity\":2}",
                unit);
    snprintf(b, sizeof(b),
             "{\"url\":\"http://127.0.0.1:%d/site\",\"events\":[\"escort.scheduled\","
             "\"escort.changed\",\"escort.cancelled\"]}",
             rx.port);
    hp_t_create("/v1/webhooks", site.token, b, site_hook);
    REQUIRE(site_hook[0]);
    /* A week ahead, so the escort cannot have started by the confirmation. */
    time_t t = time(NULL) + 8 * 3600 + 7 * 86400;
    struct tm tm;
    char d[16];
    gmtime_r(&t, &tm);
    strftime(d, sizeof(d), "%Y-%m-%d", &tm);
    snprintf(b, sizeof(b),
             "{\"project_id\":\"%s\",\"plates\":[\"鲁H30001\"],"
             "\"origin\":{\"type\":\"Point\",\"coordinates\":[118.35,35.0]},"
             "\"destination\":{\"type\":\"Point\",\"coordinates\":[118.35,35.1]},"
             "\"earliest_start\":\"%sT09:00:00+08:00\",\"latest_start\":\"%sT17:00:00+08:00\"}",
             project, d, d);
    hp_t_create("/v1/escorts", site.token, b, escort);
    REQUIRE(escort[0]);
    snprintf(path, sizeof(path), "/v1/escorts/%s/confirm", escort);
    struct hp_t_resp *r = hp_t_post(path, officer.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/escorts/%s/cancel", escort);
    r = hp_t_post(path, site.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    char subject[96];
    snprintf(subject, sizeof(subject), "escort:%s", escort);
    long long ids[16];
    REQUIRE(events_of(subject, ids) == 3);
    HP_T_EVENTUALLY(acks_of(ids[0]) == 1 && acks_of(ids[1]) == 1 && acks_of(ids[2]) == 1);
    CHECK(in_order(subject));
    const char *want[] = {"escort.scheduled", "escort.changed", "escort.cancelled"};
    pthread_mutex_lock(&rx.mu);
    int seen = 0;
    for (int i = 0; i < rx.ngot; i++)
        if (strcmp(rx.got[i].subject, subject) == 0 && seen < 3)
            CHECK_STR(rx.got[i].event, want[seen++]);
    CHECK_INT(seen, 3);
    pthread_mutex_unlock(&rx.mu);
}

TEST(the_owner_reads_the_delivery_log_and_no_one_else_does)
{
    once();
    char app[64], path[160];
    file(&haulier, "鲁H10001", app);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM webhook_deliveries d JOIN webhook_events e"
             " ON e.id = d.event_id WHERE e.subject = 'application:%s'"
             " AND d.status = 'delivered'",
             app);
    HP_T_EVENTUALLY(hp_t_sql_int(sql) == 1);
    snprintf(path, sizeof(path), "/v1/webhooks/%s/deliveries", hook);
    struct hp_t_resp *r = hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 0);
    REQUIRE(first);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "status")), "delivered");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "event")),
              "application.status_changed");
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(first, "last_status")), 200);
    /* The log keeps the failed tries of the first test: a 500 and a hang-up. */
    bool saw_retry = false;
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(r->json, "items"))
        saw_retry |= cJSON_GetNumberValue(cJSON_GetObjectItem(d, "attempts")) >= 2;
    CHECK(saw_retry);
    hp_t_free(r);
    r = hp_t_get(path, other.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_get("/v1/webhooks", other.token);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
    hp_t_free(r);
    r = hp_t_get("/v1/webhooks", haulier.token);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    CHECK(hp_t_str(r, "items.0.secret") == NULL);
    hp_t_free(r);
}

TEST(bad_subscriptions_are_refused_with_422_and_police_cannot_subscribe)
{
    once();
    const char *bad[] = {
        "{\"url\":\"ftp://example.org/x\",\"events\":[\"pass.issued\"]}",
        "{\"url\":\"http://example.org/x y\",\"events\":[\"pass.issued\"]}",
        "{\"url\":\"https:///x\",\"events\":[\"pass.issued\"]}",
        "{\"url\":\"https://example.org/x\",\"events\":[]}",
        "{\"url\":\"https://example.org/x\",\"events\":[\"pass.exploded\"]}",
        "{\"url\":\"https://example.org/x\",\"events\":[\"pass.issued\",\"pass.issued\"]}",
        "{\"events\":[\"pass.issued\"]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct hp_t_resp *r = hp_t_post("/v1/webhooks", other.token, bad[i]);
        CHECK_INT(r->status, 422);
        hp_t_free(r);
    }
    struct hp_t_resp *r = hp_t_post("/v1/webhooks", officer.token,
                                    "{\"url\":\"https://example.org/x\",\"events\":[\"pass.issued\"]}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}

TEST(a_deleted_webhook_gets_nothing_more)
{
    once();
    char b[256], id[64], path[128];
    snprintf(b, sizeof(b),
             "{\"url\":\"http://127.0.0.1:%d/other\",\"events\":[\"application.status_changed\"]}",
             rx.port);
    hp_t_create("/v1/webhooks", other.token, b, id);
    snprintf(path, sizeof(path), "/v1/webhooks/%s", id);
    struct hp_t_resp *r = hp_t_req("DELETE", path, other.token, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    r = hp_t_req("DELETE", path, other.token, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    char app[64];
    file(&other, "鲁H20001", app);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '%s'", id);
    CHECK_INT(hp_t_sql_int(sql), 0);
}

TEST(two_instances_deliver_side_by_side_and_never_send_one_event_twice)
{
    once();
    struct hp_t_server s2 = {0};
    REQUIRE(hp_t_server_start(&s2, env) == 0);
    pthread_mutex_lock(&rx.mu);
    int before = rx.ngot;
    pthread_mutex_unlock(&rx.mu);
    char apps[12][64];
    for (int i = 0; i < 12; i++)
        file(&haulier, "鲁H10001", apps[i]);
    for (int i = 0; i < 12; i++) {
        char subject[128];
        long long ids[16];
        snprintf(subject, sizeof(subject), "application:%.64s", apps[i]);
        REQUIRE(events_of(subject, ids) == 1);
        HP_T_EVENTUALLY(acks_of(ids[0]) >= 1);
    }
    /* Every request since is one of these twelve events, each once. */
    pthread_mutex_lock(&rx.mu);
    CHECK_INT(rx.ngot - before, 12);
    for (int i = before; i < rx.ngot; i++)
        for (int j = before; j < i; j++)
            CHECK(rx.got[i].event_id != rx.got[j].event_id);
    pthread_mutex_unlock(&rx.mu);
    CHECK_INT(hp_t_server_stop(&s2), 0);
}

TEST(a_server_killed_mid_delivery_loses_nothing_and_its_successor_delivers_it)
{
    once();
    /* A second server on the same database; the main one is stopped so
     * the one killed is the only deliverer. */
    REQUIRE(hp_t_server_stop(&hp_t) == 0);
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, env) == 0);
    enum cue c[] = {HOLD};
    cue(c, 1);
    char app[64];
    char b[512];
    snprintf(b, sizeof(b),
             "{\"type\":\"urban_delivery\",\"plates\":[\"鲁H10001\"],\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-02\",\"zone_ids\":[\"%s\"],"
             "\"documents\":[{\"name\":\"licence\",\"provided\":true}]}",
             zone);
    struct hp_t_resp *r = hp_t_on(&s, "POST", "/v1/applications", haulier.token, b);
    CHECK_INT(r->status, 201);
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    /* The event is on its way: the receiver holds it. Kill the sender. */
    HP_T_EVENTUALLY(holding() == 1);
    kill(s.pid, SIGKILL);
    waitpid(s.pid, NULL, 0);
    pthread_mutex_lock(&rx.mu);
    rx.release = true;
    pthread_cond_broadcast(&rx.cv);
    pthread_mutex_unlock(&rx.mu);
    /* Its successor sends it once its lease has run out. */
    REQUIRE(hp_t_server_start(&hp_t, env) == 0);
    char subject[96];
    snprintf(subject, sizeof(subject), "application:%s", app);
    long long ids[16];
    REQUIRE(events_of(subject, ids) == 1);
    HP_T_EVENTUALLY(acks_of(ids[0]) == 1);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT attempts FROM webhook_deliveries WHERE event_id = %lld", ids[0]);
    CHECK_INT(hp_t_sql_int(sql), 2);
}
