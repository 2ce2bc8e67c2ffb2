/* Statements that ask the database nothing about the permits: whether it
 * answers at all (readiness), and a wait that holds a connection (the
 * benchmark's debug route). */
#ifndef HAULPASS_DB_PROBE_H
#define HAULPASS_DB_PROBE_H

#include "haulpass/db.h"

/* HP_DB_ROWS when the server answers a trivial query on db. */
enum hp_db_status hp_db_probe_ready(struct hp_db *db, struct hp_arena *arena);

/* Sleeps ms milliseconds (0-1000) in the server, holding db. */
enum hp_db_status hp_db_probe_wait(struct hp_db *db, struct hp_arena *arena, int ms);

#endif
