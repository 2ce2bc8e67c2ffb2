/*
 * The database side of the check snapshot: the SQL a load runs and the
 * reading of its rows, and the loader thread's connection (LISTEN, its
 * notifications, waiting for them; on a hot standby, which sends none, the
 * change log of sql/017_snapshot_change_log.sql). The check module (snapshot.h,
 * check_feed.h) gets plain rows through a sink and never sees SQL or a
 * PGresult.
 *
 * A load is one REPEATABLE READ READ ONLY transaction: its first read fixes
 * the view, so the version counts exactly the changes the rows show
 * (sql/008_snapshot_version.sql). Geometry comes as WKB and passes in
 * binary (no text round trip: a million of them).
 */
#ifndef HAULPASS_SNAPSHOT_STORE_H
#define HAULPASS_SNAPSHOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct pg_conn; /* libpq's PGconn */

/* A row of each table a snapshot reads. Strings and bytes point into the
 * result and are valid only during the sink's call. */
struct hp_stored_zone {
    const char *id, *name;
    const unsigned char *wkb; /* its (Multi)Polygon */
    size_t wkb_len;
    const char *rules_json;   /* the rules as stored (a JSON array) */
    int version;              /* the zone's own version */
    time_t updated;           /* its last write */
    time_t zones_changed;     /* the latest write or retirement of any zone */
};

struct hp_stored_vehicle {
    const char *plate, *cls; /* normal form; class name */
    int gross_kg;
    bool hazmat;
    const char *org_id;
};

/* An active or provisional pass: only those may lift a rule. */
struct hp_stored_pass {
    const char *plate, *code, *type;
    bool provisional;
    const char (*zone_ids)[37]; /* lower-case text */
    int nzone_ids;
    const unsigned char *corridor_wkb; /* its route's LineString; NULL: no corridor */
    size_t corridor_len;
    int corridor_width_m;
    int32_t from_day, to_day; /* days since 1970-01-01 */
    const char *hours;        /* NULL: at all hours */
    time_t documents_due;     /* 0: none */
    /* The instants between which this revision lifts rules (0: unbounded):
     * a revision starts when it is made and stops when the next one
     * starts (docs/contract.md §13). */
    time_t starts, ends;
    const char *cargo; /* an oversize load's (JSON object text), or NULL */
};

/* A live escort booking (scheduled or confirmed) not yet over: the plates
 * it leads (a JSON array text, normal form) from starts to ends. */
struct hp_stored_escort {
    const char *id, *plates_json;
    time_t starts, ends;
};

struct hp_stored_user {
    const char *token_hash; /* SHA-256, lower-case hex */
    const char *user_id, *org_id, *user_name, *org_name, *org_kind, *role;
};

struct hp_stored_day {
    const char *date; /* YYYY-MM-DD */
    bool holiday;     /* else a weekend day worked */
};

enum hp_store_table {
    HP_STORE_ZONES,
    HP_STORE_VEHICLES,
    HP_STORE_PASSES,
    HP_STORE_USERS,
    HP_STORE_CALENDAR,
    HP_STORE_ESCORTS, /* only with a sink that takes them */
};

/*
 * Where a load's rows go, in this order: version; then per table begin
 * (how many rows follow), each row, end. A callback returns false to stop
 * the load, having written why into the err given to
 * hp_snapshot_store_read.
 */
struct hp_snapshot_sink {
    void *ctx;
    bool (*version)(void *ctx, int64_t version);
    bool (*begin)(void *ctx, enum hp_store_table table, int nrows);
    bool (*zone)(void *ctx, const struct hp_stored_zone *row);
    bool (*vehicle)(void *ctx, const struct hp_stored_vehicle *row);
    bool (*pass)(void *ctx, const struct hp_stored_pass *row); /* ordered by plate, code */
    bool (*user)(void *ctx, const struct hp_stored_user *row);
    bool (*day)(void *ctx, const struct hp_stored_day *row);
    bool (*end)(void *ctx, enum hp_store_table table);
    bool (*escort)(void *ctx, const struct hp_stored_escort *row); /* NULL: skipped */
};

/*
 * Reads a snapshot over conn into sink, in its own transaction (or in the
 * caller's, when hp_snapshot_store_begin opened one: then the caller ends
 * it): every table, or for a delta only the vehicles and passes of the
 * nplates plates (normal form; none read when nplates is 0) and, when
 * escorts is true, the escort bookings. Returns false with a message in err
 * (the database's, or the sink's) after rolling back its own transaction.
 */
bool hp_snapshot_store_read(struct pg_conn *conn, bool delta, char *const *plates, int nplates,
                            bool escorts, const struct hp_snapshot_sink *sink, char *err,
                            size_t errlen);

/* What a change asks of the snapshot, as a notification or the change log
 * says it (sql/018_escort_delta.sql): the rows of one plate, the escort
 * bookings, or everything. */
enum hp_store_change {
    HP_STORE_CHANGED_PLATE,
    HP_STORE_CHANGED_ESCORTS,
    HP_STORE_CHANGED_ALL,
};

/* Called with each change; plate is set for HP_STORE_CHANGED_PLATE only
 * (else NULL) and valid during the call. */
typedef void hp_store_change_fn(void *ctx, enum hp_store_change what, const char *plate);

/* Opens the loader's connection, named haulpass-checks so an operator can
 * tell it from the pool, and LISTENs on the snapshot's channel; NULL when
 * the database cannot be reached. Close it with hp_snapshot_store_close. */
struct pg_conn *hp_snapshot_store_listen(const char *conninfo);

/* A hot standby (HAULPASS_DB_READ) delivers no notifications: the loader
 * opens a plain connection to it and polls. NULL when it cannot be
 * reached. */
struct pg_conn *hp_snapshot_store_open(const char *conninfo);

/* On a standby: the version its snapshot would have now (the replicated
 * change counter, sql/008_snapshot_version.sql) and how far its replay is
 * behind the primary in seconds (0 when it has replayed all it received).
 * False when the standby did not answer, or is no standby. */
bool hp_snapshot_store_replica_poll(struct pg_conn *conn, int64_t *version, double *lag_s);


/* On a standby: 1 when it has replayed up to lsn, 0 when not yet, -1 when
 * it did not answer. */
int hp_snapshot_store_replayed(struct pg_conn *standby, const char *lsn);

/* Opens a REPEATABLE READ READ ONLY transaction on conn, for
 * hp_snapshot_store_changes and hp_snapshot_store_read to share one view;
 * false with a message in err. */
bool hp_snapshot_store_begin(struct pg_conn *conn, char *err, size_t errlen);

/* Ends the transaction hp_snapshot_store_begin opened: commits when commit
 * is true, else rolls back; false when the commit failed. */
bool hp_snapshot_store_end(struct pg_conn *conn, bool commit);

/*
 * Where a reader of the change log (sql/017_snapshot_change_log.sql)
 * stands: the oldest transaction still running at its last read (0: never
 * read), and the transactions from that one on whose rows it has seen,
 * ascending. Owned by whoever holds it; hp_store_log_pos_clear frees it.
 */
struct hp_store_log_pos {
    uint64_t from;
    uint64_t *seen;
    int nseen;
};

void hp_store_log_pos_clear(struct hp_store_log_pos *pos);

enum hp_store_log_result {
    HP_STORE_LOG_FAILED,  /* the database said no: message in err */
    HP_STORE_LOG_CHANGES, /* fn was called with every plate changed since `since` */
    HP_STORE_LOG_UNKNOWN, /* the log no longer goes back to `since` (pruned, a
                             first read, another cluster): load in full */
};

/*
 * In the transaction hp_snapshot_store_begin opened: calls fn with each
 * change logged since `since`, each at least once, and writes into *now
 * (emptied first) the position this transaction's view stands at. Works on
 * a standby.
 */
enum hp_store_log_result hp_snapshot_store_changes(struct pg_conn *conn,
                                                   const struct hp_store_log_pos *since,
                                                   struct hp_store_log_pos *now,
                                                   hp_store_change_fn *fn, void *ctx, char *err,
                                                   size_t errlen);

/* Like hp_snapshot_store_open, giving up after timeout_ms (libpq's own
 * connect_timeout counts in whole seconds, per address tried): for the
 * primary, which an instance on a standby must never wait on. */
struct pg_conn *hp_snapshot_store_open_within(const char *conninfo, int timeout_ms);

/* On the primary: where its WAL ends now, as text ("0/3000148"): past
 * every commit made so far; false when it did not answer within
 * timeout_ms (then close the connection: a reply may still come). */
bool hp_snapshot_store_wal_lsn(struct pg_conn *primary, char *lsn, size_t len,
                               int timeout_ms);

/* Closes conn; accepts NULL. */
void hp_snapshot_store_close(struct pg_conn *conn);

/* Whether conn is still connected. */
bool hp_snapshot_store_up(struct pg_conn *conn);

/* One round trip: PostgreSQL delivers the notifications of every
 * transaction committed before it. False when the server did not answer. */
bool hp_snapshot_store_sync(struct pg_conn *conn);

/* Calls fn with each change a notification that has arrived announces
 * (its payload: "plate <plate>" for a change to vehicles or passes,
 * "escorts" for one to escort bookings, anything else asks for
 * everything). */
void hp_snapshot_store_notifications(struct pg_conn *conn, hp_store_change_fn *fn, void *ctx);

/* Waits up to ms for a notification on conn (NULL: none to wait for) or
 * for wake_fd to become readable; true when wake_fd did. */
bool hp_snapshot_store_wait(struct pg_conn *conn, int wake_fd, int ms);

#endif
