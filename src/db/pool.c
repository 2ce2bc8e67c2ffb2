/*
 * Connection pool. A broken connection is reopened on the next acquire;
 * while the server stays unreachable we answer at once for a second after
 * each failed attempt instead of making every request wait for a timeout.
 */
#include "haulpass/db.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"
#include "haulpass/log.h"
#include "haulpass/time.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_STATEMENTS 512
#define RETRY_AFTER_FAILURE_US 1000000
#define ACQUIRE_WAIT_S 5
#define TX_ATTEMPTS 5

struct hp_db {
    struct hp_db_pool *pool;
    PGconn *conn;
    bool in_use;
    /* Lent out with a connection opened earlier that has run nothing yet:
     * the server may have restarted since, which only a statement shows. */
    bool maybe_stale;
    bool prepared[MAX_STATEMENTS];
    char sqlstate[6];
    char message[512];
    char constraint[64];
};

struct hp_db_pool {
    char *conninfo;
    int size, in_use;
    bool unprepared; /* behind a transaction-mode pooler: no PREPARE */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int64_t last_failure_us;
    struct hp_db *dbs;
};

static atomic_int next_slot = 1;

PGconn *hp_db_connect(const char *conninfo, char *err, int errlen)
{
    /* Later keywords win over what dbname expands to: the encoding is ours
     * to choose, the timeout is the user's. */
    const char *keys[] = {"connect_timeout", "dbname", "client_encoding",
                          "application_name", NULL};
    const char *values[] = {"3", conninfo, "UTF8", "haulpass", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, (size_t)errlen, "%s",
                 conn ? PQerrorMessage(conn) : "out of memory");
        char *nl = strchr(err, '\n');
        if (nl)
            *nl = '\0';
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

struct hp_db_pool *hp_db_pool_new(const char *conninfo, int size)
{
    struct hp_db_pool *pool = calloc(1, sizeof(*pool));
    if (!pool)
        return NULL;
    pool->conninfo = strdup(conninfo);
    pool->dbs = calloc((size_t)size, sizeof(struct hp_db));
    if (!pool->conninfo || !pool->dbs) {
        free(pool->conninfo);
        free(pool->dbs);
        free(pool);
        return NULL;
    }
    pool->size = size;
    for (int i = 0; i < size; i++)
        pool->dbs[i].pool = pool;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->freed, NULL);
    return pool;
}

void hp_db_pool_unprepared(struct hp_db_pool *pool)
{
    pool->unprepared = true;
}

void hp_db_pool_free(struct hp_db_pool *pool)
{
    if (!pool)
        return;
    for (int i = 0; i < pool->size; i++)
        PQfinish(pool->dbs[i].conn);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->freed);
    free(pool->dbs);
    free(pool->conninfo);
    free(pool);
}

void hp_db_pool_usage(struct hp_db_pool *pool, int *in_use, int *size)
{
    pthread_mutex_lock(&pool->lock);
    *in_use = pool->in_use;
    *size = pool->size;
    pthread_mutex_unlock(&pool->lock);
}

static void reset_connection(struct hp_db *db)
{
    PQfinish(db->conn);
    db->conn = NULL;
    memset(db->prepared, 0, sizeof(db->prepared));
}

/* Opens db's connection if it has none; false when the server is away. */
static bool ensure_connected(struct hp_db_pool *pool, struct hp_db *db)
{
    if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
        return true;
    reset_connection(db);
    pthread_mutex_lock(&pool->lock);
    bool recently_failed = pool->last_failure_us &&
        hp_time_mono_us() - pool->last_failure_us < RETRY_AFTER_FAILURE_US;
    pthread_mutex_unlock(&pool->lock);
    if (recently_failed)
        return false;
    char err[512];
    db->conn = hp_db_connect(pool->conninfo, err, sizeof(err));
    pthread_mutex_lock(&pool->lock);
    pool->last_failure_us = db->conn ? 0 : hp_time_mono_us();
    pthread_mutex_unlock(&pool->lock);
    if (!db->conn) {
        hp_log(HP_LOG_WARN, "database unreachable", "error", err, NULL);
        return false;
    }
    return true;
}

struct hp_db *hp_db_acquire(struct hp_db_pool *pool)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ACQUIRE_WAIT_S;
    struct hp_db *db = NULL;
    pthread_mutex_lock(&pool->lock);
    while (pool->in_use == pool->size) {
        if (pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline) != 0 &&
            pool->in_use == pool->size) {
            pthread_mutex_unlock(&pool->lock);
            hp_log(HP_LOG_WARN, "no database connection came free", NULL);
            return NULL;
        }
    }
    /* Prefer a connection that is already open. */
    for (int i = 0; i < pool->size; i++) {
        struct hp_db *d = &pool->dbs[i];
        if (!d->in_use && (!db || (d->conn && !db->conn)))
            db = d;
    }
    db->in_use = true;
    db->maybe_stale = db->conn != NULL;
    pool->in_use++;
    pthread_mutex_unlock(&pool->lock);
    if (!ensure_connected(pool, db)) {
        hp_db_release(pool, db);
        return NULL;
    }
    return db;
}

void hp_db_release(struct hp_db_pool *pool, struct hp_db *db)
{
    if (!db)
        return;
    /* A connection left inside a transaction (a bug or a lost server) must
     * not carry that state to the next user. */
    if (db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        reset_connection(db);
    pthread_mutex_lock(&pool->lock);
    db->in_use = false;
    pool->in_use--;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}

static enum hp_db_status classify(struct hp_db *db, PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
    snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
    snprintf(db->message, sizeof(db->message), "%s",
             msg ? msg : PQerrorMessage(db->conn));
    snprintf(db->constraint, sizeof(db->constraint), "%s", constraint ? constraint : "");
    if (PQstatus(db->conn) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0) {
        reset_connection(db);
        return HP_DB_UNAVAILABLE;
    }
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return HP_DB_SOFT_ERROR;
    return HP_DB_HARD_ERROR;
}

static int slot_of(struct hp_sql *sql)
{
    int slot = atomic_load(&sql->slot);
    if (slot)
        return slot;
    int fresh = atomic_fetch_add(&next_slot, 1);
    if (fresh >= MAX_STATEMENTS) {
        hp_log(HP_LOG_ERROR, "more statements than MAX_STATEMENTS", NULL);
        abort();
    }
    int expected = 0;
    if (atomic_compare_exchange_strong(&sql->slot, &expected, fresh))
        return fresh;
    return expected; /* another thread won; its slot stands */
}

/* Prepares sql on db's connection the first time it runs there; false,
 * with *st, when PostgreSQL refuses. */
static bool prepare_once(struct hp_db *db, struct hp_sql *sql, enum hp_db_status *st)
{
    int slot = slot_of(sql);
    if (db->prepared[slot])
        return true;
    PGresult *p = PQprepare(db->conn, sql->name, sql->text, 0, NULL);
    if (PQresultStatus(p) != PGRES_COMMAND_OK) {
        *st = classify(db, p);
        if (*st == HP_DB_HARD_ERROR)
            hp_log(HP_LOG_ERROR, "prepare failed", "statement", sql->name, "error", db->message,
                   NULL);
        PQclear(p);
        return false;
    }
    PQclear(p);
    db->prepared[slot] = true;
    return true;
}

static enum hp_db_status exec_once(struct hp_db *db, struct hp_arena *arena, struct hp_sql *sql,
                                   int nparams, const char *const *params, PGresult **res)
{
    *res = NULL;
    if (!db->conn)
        return HP_DB_UNAVAILABLE;
    PGresult *r;
    if (db->pool->unprepared) {
        r = PQexecParams(db->conn, sql->text, nparams, NULL, params, NULL, NULL, 0);
    } else {
        enum hp_db_status st;
        if (!prepare_once(db, sql, &st))
            return st;
        r = PQexecPrepared(db->conn, sql->name, nparams, params, NULL, NULL, 0);
    }
    ExecStatusType rs = PQresultStatus(r);
    if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
        enum hp_db_status st = classify(db, r);
        PQclear(r);
        return st;
    }
    *res = arena ? hp_arena_defer(arena, (void (*)(void *))PQclear, r) : r;
    if (rs == PGRES_TUPLES_OK)
        return PQntuples(r) > 0 ? HP_DB_ROWS : HP_DB_NO_ROWS;
    /* INSERT/UPDATE/DELETE without RETURNING: rows affected. */
    const char *n = PQcmdTuples(r);
    return (n[0] == '\0' || strcmp(n, "0") != 0) ? HP_DB_ROWS : HP_DB_NO_ROWS;
}

/*
 * After PostgreSQL restarts, every idle pooled connection is dead but
 * looks open until used. The first statement after acquire may therefore
 * reconnect and run once more: nothing ran on the old connection, so no
 * transaction state is lost. Later failures are reported as they are.
 */
static bool reconnected_after_stale(struct hp_db *db, enum hp_db_status st)
{
    bool stale = db->maybe_stale;
    db->maybe_stale = false;
    return st == HP_DB_UNAVAILABLE && stale && ensure_connected(db->pool, db);
}

enum hp_db_status hp_db_exec(struct hp_db *db, struct hp_arena *arena, struct hp_sql *sql,
                             int nparams, const char *const *params, PGresult **res)
{
    enum hp_db_status st = exec_once(db, arena, sql, nparams, params, res);
    if (reconnected_after_stale(db, st))
        st = exec_once(db, arena, sql, nparams, params, res);
    return st;
}

const char *hp_db_sqlstate(const struct hp_db *db) { return db->sqlstate; }
const char *hp_db_message(const struct hp_db *db) { return db->message; }
const char *hp_db_constraint(const struct hp_db *db) { return db->constraint; }

static enum hp_db_status simple_once(struct hp_db *db, const char *command)
{
    PGresult *r = PQexec(db->conn, command);
    enum hp_db_status st =
        PQresultStatus(r) == PGRES_COMMAND_OK ? HP_DB_ROWS : classify(db, r);
    PQclear(r);
    return st;
}

static enum hp_db_status simple(struct hp_db *db, const char *command)
{
    enum hp_db_status st = simple_once(db, command);
    if (reconnected_after_stale(db, st))
        st = simple_once(db, command);
    return st;
}

enum hp_db_status hp_db_tx(struct hp_db *db, hp_db_tx_fn fn, void *ctx)
{
    enum hp_db_status st = HP_DB_SOFT_ERROR;
    for (int attempt = 0; attempt < TX_ATTEMPTS && st == HP_DB_SOFT_ERROR; attempt++) {
        if (attempt > 0)
            usleep((useconds_t)(1000 * attempt + rand() % 1000)); /* spread retries */
        if (!db->conn)
            return HP_DB_UNAVAILABLE;
        st = simple(db, "BEGIN");
        if (st < 0)
            return st;
        st = fn(db, ctx);
        if (st >= 0 && db->conn && PQtransactionStatus(db->conn) == PQTRANS_INERROR) {
            /* fn went on after a failed statement: COMMIT would only roll
             * back, and its caller would think its writes were kept. */
            hp_log(HP_LOG_ERROR, "transaction ended after a failed statement", "sqlstate",
                   hp_db_sqlstate(db), "detail", hp_db_message(db), NULL);
            st = HP_DB_HARD_ERROR;
        }
        if (st >= 0) {
            enum hp_db_status c = simple(db, "COMMIT");
            if (c < 0)
                st = c;
        } else if (db->conn) {
            PQclear(PQexec(db->conn, "ROLLBACK"));
        }
    }
    return st;
}

const char *hp_db_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

long long hp_db_int64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}
