/* haulpass migrate: the embedded migrations under an advisory lock. */
#include "haulpass/migrate.h"

#include "haulpass/db.h"
#include "haulpass/db_exec.h"
#include "haulpass/embedded.h"
#include "haulpass/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any constant will do; both runs must pick the same one. */
#define MIGRATE_LOCK "7305917720171338"

static bool run(PGconn *conn, const char *sql, char *err, int errlen)
{
    PGresult *r = PQexec(conn, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(err, (size_t)errlen, "%s", PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    const struct hp_embedded_file *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static bool is_migration(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".sql") == 0;
}

static bool already_applied(PGconn *conn, const char *name, bool *applied, char *err,
                            int errlen)
{
    const char *params[] = {name};
    PGresult *r = PQexecParams(conn, "SELECT 1 FROM schema_migrations WHERE name = $1", 1,
                               NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (ok)
        *applied = PQntuples(r) > 0;
    else
        snprintf(err, (size_t)errlen, "%s", PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

static bool apply(PGconn *conn, const struct hp_embedded_file *f, char *err, int errlen)
{
    if (!run(conn, "BEGIN", err, errlen))
        return false;
    const char *params[] = {f->name};
    PGresult *r = NULL;
    bool ok = run(conn, f->data, err, errlen);
    if (ok) {
        r = PQexecParams(conn, "INSERT INTO schema_migrations (name) VALUES ($1)", 1, NULL,
                         params, NULL, NULL, 0);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            snprintf(err, (size_t)errlen, "%s", PQresultErrorMessage(r));
        PQclear(r);
    }
    if (ok)
        ok = run(conn, "COMMIT", err, errlen);
    if (!ok) {
        char rollback_err[8];
        run(conn, "ROLLBACK", rollback_err, sizeof(rollback_err));
    }
    return ok;
}

bool hp_migrate(const char *conninfo, int *applied, char *err, int errlen)
{
    *applied = 0;
    PGconn *conn = hp_db_connect(conninfo, err, errlen);
    if (!conn)
        return false;
    const struct hp_embedded_file *files[256];
    size_t n = 0;
    for (const struct hp_embedded_file *f = hp_embedded_files; f->name; f++)
        if (is_migration(f->name) && n < sizeof(files) / sizeof(files[0]))
            files[n++] = f;
    qsort(files, n, sizeof(files[0]), by_name);

    bool ok = run(conn, "SET client_min_messages = warning", err, errlen) &&
              run(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", err, errlen) &&
              run(conn,
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " name text PRIMARY KEY,"
                  " applied_at timestamptz NOT NULL DEFAULT now())",
                  err, errlen);
    for (size_t i = 0; ok && i < n; i++) {
        bool done = false;
        ok = already_applied(conn, files[i]->name, &done, err, errlen);
        if (!ok || done)
            continue;
        ok = apply(conn, files[i], err, errlen);
        if (ok) {
            (*applied)++;
            hp_log(HP_LOG_INFO, "migration applied", "name", files[i]->name, NULL);
        } else {
            char msg[1024];
            snprintf(msg, sizeof(msg), "%s: %s", files[i]->name, err);
            snprintf(err, (size_t)errlen, "%s", msg);
        }
    }
    PQfinish(conn); /* ends the session and with it the advisory lock */
    return ok;
}
