/* The limit of HP_WEBHOOKS_MAX (10) webhooks per organisation holds when
 * registrations race: many at once, over two instances, never end with
 * more than ten, and every refusal is a clear 409, never a 500
 * (sql/015_webhooks_per_org_limit.sql). */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

#define RACERS 32
#define LIMIT 10

static struct hp_t_who haulier;
static pthread_barrier_t start_line;

struct racer {
    struct hp_t_server *server;
    int n;
    long status;
    char type[96];
};

static void *race(void *arg)
{
    struct racer *c = arg;
    char body[256];
    snprintf(body, sizeof(body),
             "{\"url\":\"https://receiver.example.org/hook/%d\",\"events\":[\"pass.issued\"]}",
             c->n);
    pthread_barrier_wait(&start_line);
    struct hp_t_resp *r = hp_t_on(c->server, "POST", "/v1/webhooks", haulier.token, body);
    c->status = r->status;
    snprintf(c->type, sizeof(c->type), "%s", hp_t_str(r, "type") ? hp_t_str(r, "type") : "");
    hp_t_free(r);
    return NULL;
}

/* Runs RACERS registrations at once, half on each server; how many got
 * 201 into *created; checks each of the others is the limit's 409. */
static void race_all(struct hp_t_server *second, int *created)
{
    static struct racer racers[RACERS];
    pthread_t t[RACERS];
    pthread_barrier_init(&start_line, NULL, RACERS);
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (struct racer){.server = i % 2 ? second : &hp_t, .n = i};
        pthread_create(&t[i], NULL, race, &racers[i]);
    }
    *created = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(t[i], NULL);
        if (racers[i].status == 201) {
            (*created)++;
        } else if (racers[i].status != 409 ||
                   strcmp(racers[i].type, "urn:haulpass:problem:too-many-webhooks") != 0) {
            hp_test_fail(__FILE__, __LINE__, "a racing registration got %ld %s",
                         racers[i].status, racers[i].type);
        }
    }
    pthread_barrier_destroy(&start_line);
}

static int live_hooks(void)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM webhooks WHERE org_id = '%s' AND deleted_at IS NULL",
             haulier.org);
    return hp_t_sql_int(sql);
}

TEST(thirty_two_registrations_racing_over_two_instances_leave_exactly_ten_webhooks)
{
    haulier = hp_t_who_add("Racing Haulage", "haulier", "haulier", "racing dispatcher");
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, NULL) == 0);
    int created;
    race_all(&second, &created);
    CHECK_INT(created, LIMIT);
    CHECK_INT(live_hooks(), LIMIT);

    /* One deleted frees one place, and only one, however many race for it. */
    struct hp_t_resp *r = hp_t_get("/v1/webhooks", haulier.token);
    REQUIRE(r->status == 200);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 0);
    char path[128];
    snprintf(path, sizeof(path), "/v1/webhooks/%s",
             cJSON_GetStringValue(cJSON_GetObjectItem(first, "id")));
    hp_t_free(r);
    r = hp_t_req("DELETE", path, haulier.token, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    race_all(&second, &created);
    CHECK_INT(created, 1);
    CHECK_INT(live_hooks(), LIMIT);
    CHECK_INT(hp_t_server_stop(&second), 0);
}

TEST(another_organisation_has_its_own_ten)
{
    struct hp_t_who other = hp_t_who_add("Calm Haulage", "haulier", "haulier", "calm dispatcher");
    struct hp_t_resp *r =
        hp_t_post("/v1/webhooks", other.token,
                  "{\"url\":\"https://receiver.example.org/calm\",\"events\":[\"pass.issued\"]}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}
