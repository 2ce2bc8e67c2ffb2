/* The append-only audit trail: who changed what, when, before and after. */
#ifndef HAULPASS_AUDIT_H
#define HAULPASS_AUDIT_H

#include "haulpass/db.h"

#include <stdint.h>

/* Appends one entry; before/after are JSON texts or NULL. Call it inside the
 * transaction that makes the change. */
enum hp_db_status hp_audit_write(struct hp_db *db, struct hp_arena *arena,
                                 const char *actor_id, const char *entity,
                                 const char *entity_id, const char *action,
                                 const char *before, const char *after);

/* One entry of the trail; strings are arena memory. */
struct hp_audit_entry {
    int64_t id, at_us;
    const char *actor_id, *actor_name; /* NULL when no user made the change */
    const char *entity, *entity_id, *action;
    const char *before, *after;        /* JSON texts, or NULL */
};

/* Up to limit entries, oldest first, after the entry with id after (NULL:
 * from the start), optionally only of entity (and entity_id): *n of them
 * in out (room for limit). */
enum hp_db_status hp_audit_list(struct hp_db *db, struct hp_arena *arena,
                                const char *entity, const char *entity_id,
                                const char *after, int limit, struct hp_audit_entry *out,
                                int *n);

#endif
