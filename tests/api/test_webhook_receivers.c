/* A webhook aimed at the service's own network is refused at delivery
 * (webhook_address.h, docs/webhooks.md): a haulier must not be able to
 * make the service talk to 127.0.0.1 and read the answers in the delivery
 * log. This server runs without HAULPASS_WEBHOOK_PRIVATE, unlike
 * test_webhooks'. */
#include "harness.h"
#include "test.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const env[] = {"HAULPASS_WEBHOOK_TIMEOUT_MS=1500",
                                  "HAULPASS_WEBHOOK_BACKOFF_MS=50", NULL};

int hp_test_setup(void) { return hp_t_setup(env); }
void hp_test_teardown(void) { hp_t_teardown(); }

/* A listener on loopback that only counts the connections it gets. */
static struct {
    int fd, port;
    atomic_int accepted;
} lis;

static void *count_connections(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(lis.fd, NULL, NULL);
        if (c < 0)
            return NULL;
        atomic_fetch_add(&lis.accepted, 1);
        close(c);
    }
}

static void listen_on_loopback(void)
{
    lis.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    REQUIRE(bind(lis.fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lis.fd, 16) == 0);
    REQUIRE(getsockname(lis.fd, (struct sockaddr *)&a, &len) == 0);
    lis.port = ntohs(a.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, count_connections, NULL);
    pthread_detach(t);
}

/* The last error of the webhook's first delivery ("" while none). */
static const char *last_error(const char *token, const char *hook)
{
    static char out[256];
    char path[128];
    snprintf(path, sizeof(path), "/v1/webhooks/%s/deliveries", hook);
    struct hp_t_resp *r = hp_t_get(path, token);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 0);
    const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(first, "last_error"));
    snprintf(out, sizeof(out), "%s", e ? e : "");
    hp_t_free(r);
    return out;
}

TEST(a_receiver_on_loopback_is_refused_and_never_contacted)
{
    listen_on_loopback();
    struct hp_t_who officer = hp_t_who_add("Receiver Police", "police", "officer", "rx officer");
    struct hp_t_who haulier = hp_t_who_add("Receiver Haulage", "haulier", "haulier", "rx haulier");
    hp_t_vehicle_add(haulier.token, "鲁H30001");
    char zone[64], hook[64], app[64], b[512];
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Rx Zone\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.3,35.0],[118.4,35.0],[118.4,35.1],[118.3,35.1],[118.3,35.0]]]},"
                "\"rules\":[]}",
                zone);
    snprintf(b, sizeof(b),
             "{\"url\":\"http://127.0.0.1:%d/hook\",\"events\":[\"application.status_changed\"]}",
             lis.port);
    hp_t_create("/v1/webhooks", haulier.token, b, hook);
    snprintf(b, sizeof(b),
             "{\"type\":\"urban_delivery\",\"plates\":[\"鲁H30001\"],\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-02\",\"zone_ids\":[\"%s\"],"
             "\"documents\":[{\"name\":\"licence\",\"provided\":true}]}",
             zone);
    hp_t_create("/v1/applications", haulier.token, b, app);
    /* The delivery is tried, refused before connecting, and says why. */
    HP_T_EVENTUALLY(strstr(last_error(haulier.token, hook), "not a public") != NULL);
    CHECK_INT(atomic_load(&lis.accepted), 0);
}
