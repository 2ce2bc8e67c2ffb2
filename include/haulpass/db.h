/*
 * The database: a pool of libpq connections, statements prepared on first
 * use on each connection, and a transaction runner that retries what may be
 * retried. Every call answers a small status, as in GNU Taler's exchange.
 * What the rest of the service sees: the pool, connections as opaque
 * handles, statuses and errors. Statements and their results are src/db's
 * alone (db_exec.h).
 */
#ifndef HAULPASS_DB_H
#define HAULPASS_DB_H

#include <stdbool.h>

struct hp_arena;

enum hp_db_status {
    HP_DB_UNAVAILABLE = -3, /* the server cannot be reached: answer 503 */
    HP_DB_HARD_ERROR = -2,  /* retrying will not help; see hp_db_sqlstate */
    HP_DB_SOFT_ERROR = -1,  /* serialization failure or deadlock: run again */
    HP_DB_NO_ROWS = 0,
    HP_DB_ROWS = 1,         /* at least one row, or a command that succeeded */
};

struct hp_db;
struct hp_db_pool;

/* A pool of up to size connections to conninfo, opened lazily (so the
 * service starts while the database is down). NULL when out of memory. */
struct hp_db_pool *hp_db_pool_new(const char *conninfo, int size);

/* Statements run unnamed (PQexecParams) instead of prepared once per
 * connection: for a pool behind PgBouncer in transaction mode, where the
 * next transaction may get another server connection, which has not seen
 * the PREPARE (HAULPASS_DB_DIRECT, docs/contract.md section 1). Call
 * before the pool is used. */
void hp_db_pool_unprepared(struct hp_db_pool *pool);

/* Closes every connection; accepts NULL. No connection may be in use. */
void hp_db_pool_free(struct hp_db_pool *pool);

/* A connection of the pool, or NULL when the database cannot be reached
 * (or no connection came free within 5 s). Give it back with hp_db_release. */
struct hp_db *hp_db_acquire(struct hp_db_pool *pool);
void hp_db_release(struct hp_db_pool *pool, struct hp_db *db);

/* Connections in use and in all, for /metrics. */
void hp_db_pool_usage(struct hp_db_pool *pool, int *in_use, int *size);

/* The SQLSTATE, message and constraint name of the last failure on db. */
const char *hp_db_sqlstate(const struct hp_db *db);
const char *hp_db_message(const struct hp_db *db);
const char *hp_db_constraint(const struct hp_db *db);

/* fn runs inside BEGIN…COMMIT. A negative status rolls back; HP_DB_SOFT_ERROR
 * (from fn or from COMMIT) runs fn again, at most 5 times in all, so fn
 * must start each run from a clean ctx (reset anything it appends to).
 * fn returning success after one of its statements failed is a bug in fn:
 * the transaction is rolled back and HP_DB_HARD_ERROR returned. */
typedef enum hp_db_status (*hp_db_tx_fn)(struct hp_db *db, void *ctx);
enum hp_db_status hp_db_tx(struct hp_db *db, hp_db_tx_fn fn, void *ctx);

#endif
