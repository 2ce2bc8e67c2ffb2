/*
 * Webhooks in the database (sql/013_open_data.sql, docs/webhooks.md): an
 * organisation's subscriptions and the log of their deliveries. The events
 * themselves are written by triggers in the transaction of each change;
 * sending them is webhook_deliver.h's. Strings in results are arena memory.
 */
#ifndef HAULPASS_WEBHOOKS_H
#define HAULPASS_WEBHOOKS_H

#include "haulpass/db.h"

#include <stdint.h>

struct hp_webhook {
    const char *id, *org_id, *url;
    const char **events;
    int nevents;
    const char *secret; /* only from hp_webhooks_create */
    int64_t created_us;
};

/* One delivery of one event to one webhook, as its owner may read it. */
struct hp_webhook_delivery {
    int64_t id, event_id;
    const char *event, *subject, *status; /* status: pending, delivered, failed */
    int attempts;
    int last_status;  /* the receiver's HTTP status; 0: none (not tried, or no answer) */
    const char *last_error; /* NULL: none */
    int64_t occurred_us, next_us, last_attempt_us, delivered_us; /* 0: none */
};

/* An organisation's live webhooks at most: each event goes to each.
 * sql/015_webhooks_per_org_limit.sql enforces it, under the organisation's
 * row lock, so concurrent registrations cannot pass it together. */
#define HP_WEBHOOKS_MAX 10

/* Subscribes org to events (n names, checked by the caller) at url.
 * HP_DB_NO_ROWS when org already has HP_WEBHOOKS_MAX live webhooks. */
enum hp_db_status hp_webhooks_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *url,
                                     const char *const *events, int n, const char *secret,
                                     struct hp_webhook *out);

/* The live webhooks of org, oldest first, at most max. */
enum hp_db_status hp_webhooks_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                   struct hp_webhook *out, int max, int *n);

/* Deletes webhook id of org: nothing more is sent to it, including what is
 * pending. HP_DB_NO_ROWS when org has no such live webhook. */
enum hp_db_status hp_webhooks_delete(struct hp_db *db, struct hp_arena *arena, const char *id,
                                     const char *org_id);

/* The latest limit deliveries of webhook id of org, newest first;
 * HP_DB_NO_ROWS when org has no such webhook (deleted ones keep their log). */
enum hp_db_status hp_webhooks_deliveries(struct hp_db *db, struct hp_arena *arena,
                                         const char *id, const char *org_id, int limit,
                                         struct hp_webhook_delivery *out, int *n);

#endif
