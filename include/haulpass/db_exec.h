/*
 * Statements and their results, for src/db alone (and the tests of the
 * database layer): the rest of the service calls the functions of src/db,
 * which take and answer structs (db.h and the module headers), and never
 * sees SQL or a PGresult. tools/check-layers fails when a file elsewhere
 * includes this header or libpq's.
 */
#ifndef HAULPASS_DB_EXEC_H
#define HAULPASS_DB_EXEC_H

#include "haulpass/db.h"

#include <libpq-fe.h>
#include <stdatomic.h>

/* A statement; declare one static per query, it is prepared lazily. */
struct hp_sql {
    const char *name; /* unique, for logs and PREPARE */
    const char *text; /* $1, $2… parameters, all passed as text */
    atomic_int slot;  /* assigned on first use; 0 means not yet */
};
#define HP_SQL(n, t) {.name = (n), .text = (t)}

/* Runs sql with nparams text parameters (NULL elements are SQL NULL).
 * On HP_DB_ROWS / HP_DB_NO_ROWS, *res holds the result, owned by arena
 * (freed with it). On failure *res is NULL and the error is kept on db. */
enum hp_db_status hp_db_exec(struct hp_db *db, struct hp_arena *arena, struct hp_sql *sql,
                             int nparams, const char *const *params, PGresult **res);

/* Column col of row in r as text, or NULL when SQL NULL. */
const char *hp_db_text(const PGresult *r, int row, int col);
/* Column col of row in r as a 64-bit integer (µs, say); 0 when SQL NULL. */
long long hp_db_int64(const PGresult *r, int row, int col);

/* Opens one connection outside any pool (commands, migrations); NULL with
 * a message in err when it cannot. */
PGconn *hp_db_connect(const char *conninfo, char *err, int errlen);

#endif
