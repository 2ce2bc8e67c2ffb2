/*
 * Keeps the current check snapshot: one loader thread with its own libpq
 * connection LISTENs on channel "haulpass_snapshot" (the triggers of
 * sql/005_checks.sql NOTIFY it on every change of zones, vehicles, passes,
 * users, organisations or the calendar, and sql/018_escort_delta.sql of
 * escort bookings, whoever makes it) and reloads: only the plates and
 * escort bookings that changed when nothing else did (a delta), else in
 * full. After a (re)connect it reloads in full, since notifications sent
 * while it was away are lost. A write through this instance
 * (hp_check_feed_mark_stale, called before its reply is sent) makes the
 * next check wait for the reload, so a client always sees its own change.
 * Between loads the loader rests (three times as long as the last load
 * took, 50 to 250 ms by default) unless a check waits for one: a stream
 * of writes is taken in at most a load per rest.
 */
#ifndef HAULPASS_CHECK_FEED_H
#define HAULPASS_CHECK_FEED_H

#include <stdbool.h>

struct hp_snapshot;

/* The least rest between two loads, in ms (HAULPASS_SNAPSHOT_REST_MS;
 * 50 by default): the rest is three times the last load's duration, at
 * most 250 ms, but never less than this. Call before starting. */
void hp_check_feed_rest(int ms);

/* Starts the loader thread for conninfo; false when it cannot start. The
 * first snapshot arrives as soon as the database answers. */
bool hp_check_feed_start(const char *conninfo);

/* The same for an instance whose checks read a hot standby (standby:
 * HAULPASS_DB_READ), which delivers no notifications: the loader polls it
 * every 200 ms for the replicated change counter and, when it moved, loads
 * what the replicated change log (sql/017_snapshot_change_log.sql) names,
 * as a delta or in full, as above. After a write through this instance it
 * asks primary for its WAL position and waits (at most 2 s) until the
 * standby has replayed past it before reloading, so the writer still sees
 * its own change. */
bool hp_check_feed_start_replica(const char *standby, const char *primary);

/* Stops the loader and drops the current snapshot. */
void hp_check_feed_stop(void);

/* A reference to the current snapshot (hp_snapshot_unref it), waiting up
 * to 2 s for the first load or a reload owed to a write through this
 * instance, unless an attempt at it has failed already; NULL when no
 * snapshot could be loaded yet (answer 503). */
struct hp_snapshot *hp_check_feed_current(void);

/* What readiness and metrics show of the current snapshot, without
 * waiting; false when none is loaded yet. */
struct hp_check_feed_status {
    long long version;  /* its zone_set_version */
    long long loaded_us; /* when it was read (µs since the epoch) */
    int zones;
    long long full_loads, delta_loads; /* since the start */
    /* The deltas that took in a changed escort booking (not counted in
     * delta_loads, which counts those of plates alone). */
    long long escort_loads;
    /* The full loads made only because the deltas had grown (counted in
     * full_loads too): no change asked for them. */
    long long rebase_loads;
    /* Since when a change known to this instance waits to be loaded (µs
     * since the epoch; 0: none), and whether the last load, or the
     * connection to the database, worked. Age alone means nothing: a quiet
     * city keeps an old snapshot that is still exact. */
    long long behind_since_us;
    bool up;
    /* Loaded from a hot standby (HAULPASS_DB_READ), whose replay was this
     * many seconds behind the primary at the last poll. */
    bool replica;
    double replica_lag_s;
};
bool hp_check_feed_status(struct hp_check_feed_status *out);

/* Fills who (strings in arena) for the user whose token has this SHA-256
 * from the current snapshot; false when the snapshot does not know it
 * (then ask the database: the user may be newer than the snapshot). Why:
 * a camera's sighting must not wait on PostgreSQL to learn who sent it. A
 * token replaced through another instance keeps working here until the
 * notification arrives (within a second). */
struct hp_arena;
struct hp_principal;
bool hp_check_feed_principal(const char *token_hash, struct hp_arena *arena,
                             struct hp_principal *who);

/* Marks the snapshot stale after a write that succeeded on something the
 * checks read (the route table says which: hp_route.stales_snapshot), so
 * the next check waits for the reload. */
void hp_check_feed_mark_stale(void);

#endif
