/* The webhook deliverer (webhook_deliver.h): a libcurl multi handle kept
 * full from the outbox. */
#include "haulpass/webhook_deliver.h"

#include "haulpass/log.h"
#include "haulpass/time.h"
#include "haulpass/webhook_address.h"
#include "haulpass/webhook_outbox.h"
#include "haulpass/webhook_sign.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOK_MS 500 /* between looks at the outbox when nothing wakes us */

struct slot {
    CURL *easy;
    struct curl_slist *headers;
    struct hp_outbox_item item;
    char error[CURL_ERROR_SIZE];
    bool refused; /* the receiver's address is not a public one */
};

static struct {
    pthread_t thread;
    bool running;
    atomic_bool stop;
    char *conninfo;
    int timeout_ms, backoff_ms, lease_s;
    bool allow_private; /* HAULPASS_WEBHOOK_PRIVATE=1: tests, an intranet */
    CURLM *multi;
} d;

/* Every connection a delivery opens, after DNS: a receiver on the
 * service's own network is refused (webhook_address.h). */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct slot *s = clientp;
    (void)purpose;
    if (!d.allow_private && !hp_webhook_address_public(&a->addr)) {
        s->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *cls)
{
    (void)p, (void)cls;
    return size * n;
}

static void slot_clear(struct slot *s)
{
    if (s->easy) {
        curl_multi_remove_handle(d.multi, s->easy);
        curl_easy_cleanup(s->easy);
    }
    curl_slist_free_all(s->headers);
    hp_outbox_item_clear(&s->item);
    s->easy = NULL;
    s->headers = NULL;
}

static bool header(struct slot *s, const char *fmt, const char *value)
{
    char line[256];
    snprintf(line, sizeof(line), fmt, value);
    struct curl_slist *l = curl_slist_append(s->headers, line);
    if (l)
        s->headers = l;
    return l != NULL;
}

/* Starts the request of s->item; false when it could not be made (it is
 * then recorded as failed, to be tried again). */
static bool start(struct slot *s)
{
    char sig[HP_WEBHOOK_SIG_BUF], id[24];
    size_t len = strlen(s->item.body);
    hp_webhook_sign(s->item.secret, hp_time_now_us() / 1000000, s->item.body, len, sig);
    snprintf(id, sizeof(id), "%lld", (long long)s->item.id);
    s->error[0] = '\0';
    s->refused = false;
    bool ok = (s->easy = curl_easy_init()) && header(s, "%s", "Content-Type: application/json") &&
              header(s, "X-Haulpass-Event: %s", s->item.event) &&
              header(s, "X-Haulpass-Delivery: %s", id) &&
              header(s, "X-Haulpass-Signature: %s", sig) && header(s, "%s", "Expect:");
    if (ok) {
        CURL *e = s->easy;
        curl_easy_setopt(e, CURLOPT_URL, s->item.url);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->item.body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)d.timeout_ms);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)d.timeout_ms);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->error);
        curl_easy_setopt(e, CURLOPT_USERAGENT, "haulpass-webhooks/" HP_VERSION);
        curl_easy_setopt(e, CURLOPT_PRIVATE, s);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, s);
        curl_easy_setopt(e, CURLOPT_PROXY, ""); /* no proxy from the environment: we check the peer */
        ok = curl_multi_add_handle(d.multi, e) == CURLM_OK;
    }
    return ok;
}

/* Records how the request of s went and frees the slot. */
static void finish(struct pg_conn *conn, struct slot *s, CURLcode rc)
{
    long status = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    bool delivered = rc == CURLE_OK && status >= 200 && status < 300;
    char why[CURL_ERROR_SIZE + 32];
    if (rc != CURLE_OK && s->refused)
        snprintf(why, sizeof(why), "refused: the receiver's address is not a public one");
    else if (rc != CURLE_OK)
        snprintf(why, sizeof(why), "%s", s->error[0] ? s->error : curl_easy_strerror(rc));
    else
        snprintf(why, sizeof(why), "the receiver answered %ld", status);
    if (!hp_outbox_record(conn, s->item.id, delivered, (int)status, delivered ? NULL : why,
                          d.backoff_ms))
        hp_log(HP_LOG_WARN, "webhook delivery not recorded; it goes out again after its lease",
               "error", hp_outbox_error(conn), NULL);
    slot_clear(s);
}

static void *run(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "hp-webhooks");
    static struct slot slots[HP_DELIVER_IN_FLIGHT];
    struct hp_outbox_item claimed[HP_DELIVER_IN_FLIGHT];
    struct pg_conn *conn = NULL;
    int64_t next_look = 0;
    while (!atomic_load(&d.stop)) {
        if (!hp_outbox_alive(conn)) {
            /* In flight or not, what was claimed comes back after its
             * lease: drop it all with the connection. */
            for (int i = 0; i < HP_DELIVER_IN_FLIGHT; i++)
                slot_clear(&slots[i]);
            hp_outbox_close(conn);
            if (!(conn = hp_outbox_listen(d.conninfo))) {
                curl_multi_poll(d.multi, NULL, 0, 1000, NULL);
                continue;
            }
            next_look = 0;
        }
        int free_slots = 0;
        for (int i = 0; i < HP_DELIVER_IN_FLIGHT; i++)
            free_slots += slots[i].easy == NULL;
        int64_t now = hp_time_mono_us();
        if (free_slots > 0 && now >= next_look) {
            int n = 0;
            char err[256];
            if (!hp_outbox_claim(conn, free_slots, d.lease_s, claimed, &n, err, sizeof(err)))
                hp_log(HP_LOG_WARN, "webhook outbox not read", "error", err, NULL);
            for (int i = 0, k = 0; i < n; i++) {
                while (slots[k].easy)
                    k++;
                slots[k].item = claimed[i];
                if (!start(&slots[k]))
                    finish(conn, &slots[k], CURLE_OUT_OF_MEMORY);
            }
            /* A full claim may have left more behind: look again at once. */
            next_look = n == free_slots ? now : now + LOOK_MS * 1000;
        }
        int running;
        curl_multi_perform(d.multi, &running);
        int left;
        for (CURLMsg *m; (m = curl_multi_info_read(d.multi, &left));) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct slot *s;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            finish(conn, s, m->data.result);
        }
        struct curl_waitfd pg = {.fd = hp_outbox_socket(conn), .events = CURL_WAIT_POLLIN};
        int64_t wait_ms = (next_look - hp_time_mono_us()) / 1000;
        if (wait_ms > 100 || free_slots == 0)
            wait_ms = 100;
        curl_multi_poll(d.multi, &pg, 1, wait_ms > 0 ? (int)wait_ms : 0, NULL);
        if (hp_outbox_notified(conn))
            next_look = 0;
    }
    for (int i = 0; i < HP_DELIVER_IN_FLIGHT; i++)
        slot_clear(&slots[i]);
    hp_outbox_close(conn);
    return NULL;
}

bool hp_webhook_deliver_start(const char *conninfo, int timeout_ms, int backoff_ms,
                              bool allow_private)
{
    if (d.running)
        return true;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    d.conninfo = strdup(conninfo);
    d.timeout_ms = timeout_ms;
    d.backoff_ms = backoff_ms;
    d.allow_private = allow_private;
    /* Longer than any request may take, so a live instance is never
     * overtaken by another one sending the same delivery. */
    d.lease_s = 2 * timeout_ms / 1000 + 5;
    d.multi = curl_multi_init();
    atomic_store(&d.stop, false);
    if (!d.conninfo || !d.multi || pthread_create(&d.thread, NULL, run, NULL) != 0) {
        curl_multi_cleanup(d.multi);
        free(d.conninfo);
        return false;
    }
    d.running = true;
    return true;
}

void hp_webhook_deliver_stop(void)
{
    if (!d.running)
        return;
    atomic_store(&d.stop, true);
    curl_multi_wakeup(d.multi);
    pthread_join(d.thread, NULL);
    curl_multi_cleanup(d.multi);
    free(d.conninfo);
    d.running = false;
}
