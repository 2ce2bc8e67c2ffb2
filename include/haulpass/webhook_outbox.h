/*
 * The delivery side of the webhook outbox (sql/013_open_data.sql): claiming
 * due deliveries and recording how they went, over the deliverer's own
 * connection. A claim leases its rows (next_at moves past the lease), so
 * another instance skips them (FOR UPDATE SKIP LOCKED while claiming, the
 * lease after); a delivery whose instance died is claimed again when its
 * lease runs out. Only the oldest pending delivery of a (webhook,
 * subject) is ever due, so each subject's events arrive in order.
 */
#ifndef HAULPASS_WEBHOOK_OUTBOX_H
#define HAULPASS_WEBHOOK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pg_conn;

struct hp_outbox_item {
    int64_t id;        /* the delivery's */
    char *url, *secret, *event, *body; /* malloc'd; hp_outbox_item_clear frees */
};

/* Claims up to max due deliveries for lease_s seconds into out; *n how
 * many. False with a message in err when the database failed. */
bool hp_outbox_claim(struct pg_conn *conn, int max, int lease_s, struct hp_outbox_item *out,
                     int *n, char *err, size_t errlen);

/* Records an attempt: delivered (a 2xx), or failed with http_status (0:
 * no answer) and error, to be tried again after backoff_ms doubled per
 * earlier attempt (at most an hour), or given up a day after the event. */
bool hp_outbox_record(struct pg_conn *conn, int64_t id, bool delivered, int http_status,
                      const char *error, int backoff_ms);

void hp_outbox_item_clear(struct hp_outbox_item *it);

/* The deliverer's own connection, named haulpass-webhooks and LISTENing
 * for new deliveries (webhook_emit in sql/013_open_data.sql notifies);
 * NULL when the database cannot be reached. */
struct pg_conn *hp_outbox_listen(const char *conninfo);

/* Whether conn (NULL is fine) is still connected. */
bool hp_outbox_alive(struct pg_conn *conn);

/* The socket to wait on for notifications. */
int hp_outbox_socket(struct pg_conn *conn);

/* Whether a notification came since the last call (all are consumed). */
bool hp_outbox_notified(struct pg_conn *conn);

/* The connection's last error message. */
const char *hp_outbox_error(struct pg_conn *conn);

/* Closes conn; NULL is fine. */
void hp_outbox_close(struct pg_conn *conn);

#endif
