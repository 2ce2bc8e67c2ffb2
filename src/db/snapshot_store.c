/* The SQL of the check snapshot and the reading of its rows (see
 * snapshot_store.h); the loader thread's LISTEN connection. */
#include "haulpass/snapshot_store.h"

#include "haulpass/db.h"
#include "haulpass/db_exec.h"
#include "haulpass/time.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHANNEL "haulpass_snapshot"

struct reader {
    PGconn *conn;
    const struct hp_snapshot_sink *sink;
    char *err;
    size_t errlen;
    const char *plates_param; /* a delta's plates as a text[] literal, for $1 */
    /* A pass's zone ids, reused from row to row. */
    char (*zone_ids)[37];
    int zone_cap;
};

static bool fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* Runs sql (with the delta's plates as $1 when it names them); binary asks
 * for binary results (WKB). NULL after fail(). */
static PGresult *query(struct reader *r, const char *sql, bool binary)
{
    const char *params[] = {r->plates_param};
    int n = r->plates_param && strstr(sql, "$1") ? 1 : 0;
    PGresult *res = PQexecParams(r->conn, sql, n, NULL, params, NULL, NULL, binary ? 1 : 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fail(r, "%s", PQresultErrorMessage(res));
        PQclear(res);
        return NULL;
    }
    return res;
}

static bool command(struct reader *r, const char *sql)
{
    PGresult *res = query(r, sql, false);
    PQclear(res);
    return res != NULL;
}

/* Runs sql, tells the sink how many rows came, hands each to row() and
 * then says the table has ended; false after a failure of any. */
static bool read_table(struct reader *r, enum hp_store_table table, const char *sql, bool binary,
                       bool (*row)(struct reader *r, const PGresult *res, int i))
{
    PGresult *res = query(r, sql, binary);
    if (!res)
        return false;
    bool ok = r->sink->begin(r->sink->ctx, table, PQntuples(res));
    for (int i = 0; ok && i < PQntuples(res); i++)
        ok = row(r, res, i);
    PQclear(res);
    return ok && r->sink->end(r->sink->ctx, table);
}

/* Integers of binary results are big-endian. */
static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static int64_t be64(const char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

#define ZONES_SQL                                                                        \
    "SELECT id::text, name, ST_AsBinary(geom), rules::text, version,"                   \
    " extract(epoch FROM updated_at)::int8,"                                              \
    " (SELECT extract(epoch FROM max(greatest(updated_at, retired_at)))::int8 FROM zones)" \
    " FROM zones"                                                                         \
    " WHERE retired_at IS NULL ORDER BY id"

static bool zone_row(struct reader *r, const PGresult *res, int i)
{
    struct hp_stored_zone z = {
        .id = PQgetvalue(res, i, 0),
        .name = PQgetvalue(res, i, 1),
        .wkb = (const unsigned char *)PQgetvalue(res, i, 2),
        .wkb_len = (size_t)PQgetlength(res, i, 2),
        .rules_json = PQgetvalue(res, i, 3),
        /* Binary columns: int4, int8 epoch seconds. */
        .version = (int)be32(PQgetvalue(res, i, 4)),
        .updated = (time_t)be64(PQgetvalue(res, i, 5)),
        .zones_changed = (time_t)be64(PQgetvalue(res, i, 6)),
    };
    return r->sink->zone(r->sink->ctx, &z);
}

#define VEHICLES_SQL(where)                                                              \
    "SELECT plate, class, gross_weight_kg, hazmat, org_id FROM vehicles" where

static bool vehicle_row(struct reader *r, const PGresult *res, int i)
{
    struct hp_stored_vehicle v = {
        .plate = PQgetvalue(res, i, 0),
        .cls = PQgetvalue(res, i, 1),
        .gross_kg = atoi(PQgetvalue(res, i, 2)),
        .hazmat = PQgetvalue(res, i, 3)[0] == 't',
        .org_id = PQgetvalue(res, i, 4),
    };
    return r->sink->vehicle(r->sink->ctx, &v);
}

/* A uuid[] in PostgreSQL's binary array format (ndim, has-null flag,
 * element type, then size and lower bound per dimension, then length and
 * bytes per element) as text ids into r->zone_ids; the count, or -1 when
 * out of memory. Read in binary because turning a million arrays into
 * text took PostgreSQL half a second. */
static int read_uuid_array(struct reader *r, const char *arr, int len)
{
    int n = len >= 20 && be32(arr) == 1 ? (int)be32(arr + 12) : 0, got = 0;
    if (n > r->zone_cap) {
        void *more = realloc(r->zone_ids, (size_t)n * sizeof(*r->zone_ids));
        if (!more)
            return -1;
        r->zone_ids = more;
        r->zone_cap = n;
    }
    const char *e = arr + 20, *end = arr + len;
    for (int i = 0; i < n && e + 4 <= end; i++) {
        int32_t el = (int32_t)be32(e);
        e += 4;
        if (el != 16 || e + 16 > end)
            break; /* NULL or not a uuid: the schema allows neither */
        static const char hex[] = "0123456789abcdef";
        char *id = r->zone_ids[got++];
        for (int k = 0, at = 0; k < 16; k++) {
            if (k == 4 || k == 6 || k == 8 || k == 10)
                id[at++] = '-';
            id[at++] = hex[(unsigned char)e[k] >> 4];
            id[at++] = hex[(unsigned char)e[k] & 15];
        }
        id[36] = '\0';
        e += 16;
    }
    return got;
}

/* Only passes that may still lift a rule: active or provisional; with
 * each its revision's start (revision 1 lifts from its first day, as it
 * always did), and the superseded revisions of the last week with their
 * end (the instant the next revision started), so a check of an instant
 * before an amendment finds the revision then in force. Checks judge whole
 * seconds: both instants are rounded up alike, so the revisions of a pass
 * neither overlap nor leave a gap. */
#define PASS_FIELDS                                                                      \
    "SELECT plate, code, type, status, zone_ids, ST_AsBinary(corridor_route),"          \
    " corridor_width_m, valid_from - DATE '1970-01-01', valid_to - DATE '1970-01-01',"   \
    " hours, extract(epoch FROM documents_due)::int8,"
#define PASSES_SQL(and)                                                                   \
    PASS_FIELDS " ceil(extract(epoch FROM revised_at))::int8, NULL::int8, cargo::text"  \
    " FROM passes WHERE status IN ('active', 'provisional')" and                         \
    " UNION ALL " PASS_FIELDS                                                            \
    " ceil(extract(epoch FROM CASE WHEN revision > 1 THEN started_at END))::int8,"       \
    " ceil(extract(epoch FROM superseded_at))::int8,"                                   \
    " (SELECT p.cargo::text FROM passes p WHERE p.code = pass_revisions.code)"          \
    " FROM pass_revisions"                                                              \
    " WHERE status IN ('active', 'provisional') AND valid_to >= current_date - 7" and    \
    " ORDER BY 1, 2"

static bool pass_row(struct reader *r, const PGresult *res, int i)
{
    int nzones = read_uuid_array(r, PQgetvalue(res, i, 4), PQgetlength(res, i, 4));
    bool corridor = !PQgetisnull(res, i, 5);
    /* Binary columns: dates as days since 1970-01-01, like
     * hp_calendar_date_to_days; documents_due as epoch seconds. */
    struct hp_stored_pass p = {
        .plate = PQgetvalue(res, i, 0),
        .code = PQgetvalue(res, i, 1),
        .type = PQgetvalue(res, i, 2),
        .provisional = strcmp(PQgetvalue(res, i, 3), "provisional") == 0,
        .zone_ids = (const char(*)[37])r->zone_ids,
        .nzone_ids = nzones,
        .corridor_wkb = corridor ? (const unsigned char *)PQgetvalue(res, i, 5) : NULL,
        .corridor_len = corridor ? (size_t)PQgetlength(res, i, 5) : 0,
        /* A corridor without a width (the passes table does not tie the
         * two together) reads as width 0 rather than past the value. */
        .corridor_width_m = corridor && PQgetlength(res, i, 6) == 4
                                ? (int32_t)be32(PQgetvalue(res, i, 6))
                                : 0,
        .from_day = (int32_t)be32(PQgetvalue(res, i, 7)),
        .to_day = (int32_t)be32(PQgetvalue(res, i, 8)),
        .hours = PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9),
        .documents_due = PQgetisnull(res, i, 10) ? 0 : (time_t)be64(PQgetvalue(res, i, 10)),
        .starts = PQgetisnull(res, i, 11) ? 0 : (time_t)be64(PQgetvalue(res, i, 11)),
        .ends = PQgetisnull(res, i, 12) ? 0 : (time_t)be64(PQgetvalue(res, i, 12)),
        .cargo = PQgetisnull(res, i, 13) ? NULL : PQgetvalue(res, i, 13),
    };
    return nzones >= 0 ? r->sink->pass(r->sink->ctx, &p) : fail(r, "out of memory");
}

#define USERS_SQL                                                                        \
    "SELECT encode(u.token_hash, 'hex'), u.id::text, o.id::text, u.name, o.name, o.kind,"  \
    " u.role FROM users u JOIN orgs o ON o.id = u.org_id"

static bool user_row(struct reader *r, const PGresult *res, int i)
{
    struct hp_stored_user u = {
        .token_hash = PQgetvalue(res, i, 0),
        .user_id = PQgetvalue(res, i, 1),
        .org_id = PQgetvalue(res, i, 2),
        .user_name = PQgetvalue(res, i, 3),
        .org_name = PQgetvalue(res, i, 4),
        .org_kind = PQgetvalue(res, i, 5),
        .role = PQgetvalue(res, i, 6),
    };
    return r->sink->user(r->sink->ctx, &u);
}

/* The escort bookings that may still cover a trip (docs/contract.md §13):
 * live, and not over for more than a day (a check may ask about the recent
 * past). */
#define ESCORTS_SQL                                                                      \
    "SELECT id::text, array_to_json(plates)::text, extract(epoch FROM starts_at)::int8,"  \
    " ceil(extract(epoch FROM ends_at))::int8 FROM escorts"                              \
    " WHERE status IN ('scheduled', 'confirmed') AND ends_at > now() - interval '1 day'"

static bool escort_row(struct reader *r, const PGresult *res, int i)
{
    struct hp_stored_escort e = {
        .id = PQgetvalue(res, i, 0),
        .plates_json = PQgetvalue(res, i, 1),
        .starts = (time_t)atoll(PQgetvalue(res, i, 2)),
        .ends = (time_t)atoll(PQgetvalue(res, i, 3)),
    };
    return r->sink->escort(r->sink->ctx, &e);
}

#define CALENDAR_SQL "SELECT day::text, kind FROM calendar_days"

static bool day_row(struct reader *r, const PGresult *res, int i)
{
    struct hp_stored_day d = {
        .date = PQgetvalue(res, i, 0),
        .holiday = strcmp(PQgetvalue(res, i, 1), "holiday") == 0,
    };
    return r->sink->day(r->sink->ctx, &d);
}

/* plates as a text[] literal: {"a","b"} with quotes and backslashes
 * escaped. NULL when out of memory. */
static char *text_array(char *const *plates, int n)
{
    size_t len = 3;
    for (int i = 0; i < n; i++)
        len += 2 * strlen(plates[i]) + 3;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    *o++ = '{';
    for (int i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '"';
        for (const char *c = plates[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *o++ = '\\';
            *o++ = *c;
        }
        *o++ = '"';
    }
    *o++ = '}';
    *o = '\0';
    return out;
}

#define BEGIN_SQL "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

bool hp_snapshot_store_read(struct pg_conn *conn, bool delta, char *const *plates, int nplates,
                            bool escorts, const struct hp_snapshot_sink *sink, char *err,
                            size_t errlen)
{
    struct reader r = {conn, sink, err, errlen};
    char *param = delta ? text_array(plates, nplates) : NULL;
    if (delta && !param)
        return fail(&r, "out of memory");
    r.plates_param = param;
    /* In the caller's transaction when it opened one (a standby's delta
     * reads the change log and the rows in one view). */
    bool own = PQtransactionStatus(conn) != PQTRANS_INTRANS;
    bool ok = !own || command(&r, BEGIN_SQL);
    /* The first read fixes the transaction's view, so the version counts
     * exactly the changes this snapshot sees (sql/008_snapshot_version.sql). */
    PGresult *v = ok ? query(&r, "SELECT sum(n)::text FROM snapshot_changes", false) : NULL;
    ok = v && sink->version(sink->ctx, PQntuples(v) == 1 ? atoll(PQgetvalue(v, 0, 0)) : 0);
    PQclear(v);
    /* A delta of the escort bookings alone reads no vehicle or pass: none
     * of them changed. */
    bool rows = !delta || nplates > 0;
    ok = ok && (delta || read_table(&r, HP_STORE_ZONES, ZONES_SQL, true, zone_row)) &&
         (!rows ||
          (read_table(&r, HP_STORE_VEHICLES,
                      delta ? VEHICLES_SQL(" WHERE plate = ANY($1::text[])") : VEHICLES_SQL(""),
                      false, vehicle_row) &&
           read_table(&r, HP_STORE_PASSES,
                      delta ? PASSES_SQL(" AND plate = ANY($1::text[])") : PASSES_SQL(""), true,
                      pass_row))) &&
         (delta || (read_table(&r, HP_STORE_USERS, USERS_SQL, false, user_row) &&
                    read_table(&r, HP_STORE_CALENDAR, CALENDAR_SQL, false, day_row))) &&
         ((delta && !escorts) || !sink->escort ||
          read_table(&r, HP_STORE_ESCORTS, ESCORTS_SQL, false, escort_row));
    if (ok && own)
        ok = command(&r, "COMMIT");
    else if (!ok && own)
        PQclear(PQexec(conn, "ROLLBACK"));
    free(r.zone_ids);
    free(param);
    return ok;
}

struct pg_conn *hp_snapshot_store_listen(const char *conninfo)
{
    char err[256];
    PGconn *conn = hp_db_connect(conninfo, err, sizeof(err));
    if (!conn)
        return NULL;
    if (PQstatus(conn) == CONNECTION_OK) {
        /* Named, so an operator (or a test) can tell it from the pool. */
        PQclear(PQexec(conn, "SET application_name = 'haulpass-checks'"));
        PGresult *res = PQexec(conn, "LISTEN " CHANNEL);
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (ok)
            return conn;
    }
    PQfinish(conn);
    return NULL;
}

struct pg_conn *hp_snapshot_store_open(const char *conninfo)
{
    char err[256];
    PGconn *conn = hp_db_connect(conninfo, err, sizeof(err));
    if (conn)
        PQclear(PQexec(conn, "SET application_name = 'haulpass-checks'"));
    return conn;
}

/* The first row's columns of sql as text into out (NULL for a NULL); false
 * when it fails or has no row. */
static bool one_row(PGconn *conn, const char *sql, const char *param, int ncols, char **out,
                    size_t len)
{
    PGresult *res = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
              PQnfields(res) == ncols;
    for (int i = 0; ok && i < ncols; i++)
        snprintf(out[i], len, "%s", PQgetisnull(res, 0, i) ? "" : PQgetvalue(res, 0, i));
    PQclear(res);
    return ok;
}

bool hp_snapshot_store_replica_poll(struct pg_conn *conn, int64_t *version, double *lag_s)
{
    /* The lag is 0 when the standby has replayed all it received: else the
     * age of the last transaction it replayed, which in a quiet city grows
     * although nothing is missing. */
    static const char sql[] =
        "SELECT (SELECT sum(n) FROM snapshot_changes)::text,"
        " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
        " ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8::text";
    char v[32], lag[32], *cols[] = {v, lag};
    if (!one_row(conn, sql, NULL, 2, cols, sizeof(v)))
        return false;
    *version = atoll(v);
    *lag_s = *lag ? atof(lag) : 0.0;
    return true;
}

int hp_snapshot_store_replayed(struct pg_conn *standby, const char *lsn)
{
    char yes[8], *cols[] = {yes};
    if (!one_row(standby, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn, 1, cols,
                 sizeof(yes)))
        return -1;
    return yes[0] == 't';
}

bool hp_snapshot_store_begin(struct pg_conn *conn, char *err, size_t errlen)
{
    struct reader r = {.conn = conn, .err = err, .errlen = errlen};
    return command(&r, BEGIN_SQL);
}

bool hp_snapshot_store_end(struct pg_conn *conn, bool commit)
{
    PGresult *res = PQexec(conn, commit ? "COMMIT" : "ROLLBACK");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok && commit;
}

void hp_store_log_pos_clear(struct hp_store_log_pos *pos)
{
    free(pos->seen);
    *pos = (struct hp_store_log_pos){0};
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Appends xact to pos->seen unless it is the last one there (rows come
 * ordered by transaction); false when out of memory. */
static bool seen_add(struct hp_store_log_pos *pos, uint64_t xact, int *cap)
{
    if (pos->nseen && pos->seen[pos->nseen - 1] == xact)
        return true;
    if (pos->nseen == *cap) {
        int more = *cap ? *cap * 2 : 16;
        uint64_t *p = realloc(pos->seen, (size_t)more * sizeof(*p));
        if (!p)
            return false;
        pos->seen = p, *cap = more;
    }
    pos->seen[pos->nseen++] = xact;
    return true;
}

/* A log row's change: its plate, or for '' everything unless the row is
 * marked escorts_only (sql/018_escort_delta.sql). */
static enum hp_store_change logged_as(const char *plate, const char *escorts_only)
{
    if (*plate)
        return HP_STORE_CHANGED_PLATE;
    return escorts_only[0] == 't' ? HP_STORE_CHANGED_ESCORTS : HP_STORE_CHANGED_ALL;
}

enum hp_store_log_result hp_snapshot_store_changes(struct pg_conn *conn,
                                                   const struct hp_store_log_pos *since,
                                                   struct hp_store_log_pos *now,
                                                   hp_store_change_fn *fn, void *ctx, char *err,
                                                   size_t errlen)
{
    struct reader r = {.conn = conn, .err = err, .errlen = errlen};
    hp_store_log_pos_clear(now);
    /* The oldest transaction running in this view: every row of an older
     * one is visible now, and so was at the next read, whatever its commit
     * order; and what was pruned. */
    PGresult *res = query(&r,
                          "SELECT pg_snapshot_xmin(pg_current_snapshot())::text,"
                          " (SELECT upto FROM snapshot_change_log_pruned)::text",
                          false);
    if (!res)
        return HP_STORE_LOG_FAILED;
    bool got = PQntuples(res) == 1 && !PQgetisnull(res, 0, 1);
    uint64_t xmin = got ? strtoull(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    uint64_t pruned = got ? strtoull(PQgetvalue(res, 0, 1), NULL, 10) : 0;
    PQclear(res);
    if (!got) {
        fail(&r, "the change log cannot be read");
        return HP_STORE_LOG_FAILED;
    }
    /* Known when since's rows are all still there, and this view is not
     * older than since's (a standby of another cluster, or restored). */
    bool known = since->from && pruned < since->from && xmin >= since->from;
    char from[24];
    snprintf(from, sizeof(from), "%llu", (unsigned long long)(known ? since->from : xmin));
    const char *params[] = {from};
    res = PQexecParams(conn,
                       "SELECT xact::text, plate, escorts_only FROM snapshot_change_log"
                       " WHERE xact >= $1::xid8 ORDER BY xact",
                       1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fail(&r, "%s", PQresultErrorMessage(res));
        PQclear(res);
        return HP_STORE_LOG_FAILED;
    }
    int cap = 0;
    bool ok = true;
    for (int i = 0; ok && i < PQntuples(res); i++) {
        uint64_t xact = strtoull(PQgetvalue(res, i, 0), NULL, 10);
        const char *plate = PQgetvalue(res, i, 1);
        if (known && !(since->nseen && bsearch(&xact, since->seen, (size_t)since->nseen,
                                               sizeof(xact), by_u64)))
            fn(ctx, logged_as(plate, PQgetvalue(res, i, 2)), *plate ? plate : NULL);
        if (xact >= xmin)
            ok = seen_add(now, xact, &cap);
    }
    PQclear(res);
    now->from = xmin;
    if (!ok) {
        hp_store_log_pos_clear(now);
        fail(&r, "out of memory");
        return HP_STORE_LOG_FAILED;
    }
    return known ? HP_STORE_LOG_CHANGES : HP_STORE_LOG_UNKNOWN;
}

static long long mono_ms(void)
{
    return hp_time_mono_us() / 1000;
}

/* Waits until conn's socket is ready for events or the deadline passes;
 * false on the latter (or an error). */
static bool ready_by(PGconn *conn, short events, long long deadline_ms)
{
    long long left = deadline_ms - mono_ms();
    struct pollfd p = {.fd = PQsocket(conn), .events = events};
    return left > 0 && p.fd >= 0 && poll(&p, 1, (int)left) > 0;
}

struct pg_conn *hp_snapshot_store_open_within(const char *conninfo, int timeout_ms)
{
    /* As hp_db_connect, without blocking: libpq's connect_timeout counts
     * whole seconds per address, twice that for localhost's two. */
    const char *keys[] = {"dbname", "client_encoding", "application_name", NULL};
    const char *values[] = {conninfo, "UTF8", "haulpass-checks", NULL};
    PGconn *conn = PQconnectStartParams(keys, values, 1);
    long long deadline = mono_ms() + timeout_ms;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (conn && PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_FAILED) {
        if (st == PGRES_POLLING_OK)
            return conn;
        if (!ready_by(conn, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline))
            break;
        st = PQconnectPoll(conn);
    }
    PQfinish(conn);
    return NULL;
}

bool hp_snapshot_store_wal_lsn(struct pg_conn *primary, char *lsn, size_t len,
                                      int timeout_ms)
{
    long long deadline = mono_ms() + timeout_ms;
    /* The insert position, not the write position: with synchronous_commit
     * off a commit may still sit in the WAL buffers, past the latter. */
    if (!PQsendQuery(primary, "SELECT pg_current_wal_insert_lsn()::text"))
        return false;
    while (PQisBusy(primary))
        if (!ready_by(primary, POLLIN, deadline) || !PQconsumeInput(primary))
            return false;
    bool ok = false;
    PGresult *res;
    while ((res = PQgetResult(primary))) {
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
            snprintf(lsn, len, "%s", PQgetvalue(res, 0, 0));
            ok = *lsn != '\0';
        }
        PQclear(res);
    }
    return ok;
}

void hp_snapshot_store_close(struct pg_conn *conn)
{
    PQfinish(conn);
}

bool hp_snapshot_store_up(struct pg_conn *conn)
{
    return PQstatus(conn) == CONNECTION_OK;
}

bool hp_snapshot_store_sync(struct pg_conn *conn)
{
    PGresult *res = PQexec(conn, "SELECT 1");
    bool up = PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    return up;
}

void hp_snapshot_store_notifications(struct pg_conn *conn, hp_store_change_fn *fn, void *ctx)
{
    PQconsumeInput(conn);
    PGnotify *n;
    while ((n = PQnotifies(conn))) {
        /* The payloads of checks_changed() (sql/018_escort_delta.sql). */
        const char *p = n->extra;
        if (strncmp(p, "plate ", 6) == 0 && p[6])
            fn(ctx, HP_STORE_CHANGED_PLATE, p + 6);
        else if (strcmp(p, "escorts") == 0)
            fn(ctx, HP_STORE_CHANGED_ESCORTS, NULL);
        else
            fn(ctx, HP_STORE_CHANGED_ALL, NULL);
        PQfreemem(n);
    }
}

bool hp_snapshot_store_wait(struct pg_conn *conn, int wake_fd, int ms)
{
    struct pollfd p[2] = {{.fd = wake_fd, .events = POLLIN},
                          {.fd = conn ? PQsocket(conn) : -1, .events = POLLIN}};
    return poll(p, conn ? 2 : 1, ms) > 0 && (p[0].revents & POLLIN);
}
