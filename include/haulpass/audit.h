/* The append-only audit trail: who changed what, when, before and after. */
#ifndef HAULPASS_AUDIT_H
#define HAULPASS_AUDIT_H

#include "haulpass/db.h"

/* Appends one entry; before/after are JSON texts or NULL. Call it inside the
 * transaction that makes the change. */
enum hp_db_status hp_audit_write(struct hp_db *db, struct hp_arena *arena,
                                 const char *actor_id, const char *entity,
                                 const char *entity_id, const char *action,
                                 const char *before, const char *after);

/* Up to limit entries, oldest first, after the entry with id after (NULL:
 * from the start), optionally only of entity (and entity_id). Columns: id,
 * at (µs), actor_id, actor_name, entity, entity_id, action, before, after. */
enum hp_db_status hp_audit_list(struct hp_db *db, struct hp_arena *arena,
                                const char *entity, const char *entity_id,
                                const char *after, int limit, PGresult **res);

#endif
