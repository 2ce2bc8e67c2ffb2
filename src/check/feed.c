/* The loader thread behind check_feed.h. Generations: `wanted` counts the
 * reasons to reload (notifications, local writes, reconnects), `loaded` is
 * the value of `wanted` when the current snapshot's load began, so a
 * change that lands during a load is never taken as seen.
 *
 * What to load: a notification names a plate for a change to vehicles or
 * passes, the escort bookings for a change to those, or asks for everything
 * (sql/018_escort_delta.sql, read by snapshot_store.c). Plates and bookings
 * only: a delta over the last full snapshot with every plate changed since
 * it, and the bookings once any changed since it (snapshot.h); anything
 * else, a reconnect, or more than MAX_DELTA_PLATES plates: a full load.
 * Because a delta reads everything owed since the base, not just what came
 * last, a booking changed while a plate's delta loads (or the other way
 * round) is read by the next delta at the latest: neither is lost. Before
 * deciding, the loader makes one round trip: PostgreSQL delivers the
 * notifications of every transaction committed before it, so a write this
 * instance has just made is among them. On a hot standby the change log
 * says the same (replica mode, below), read in the transaction the load
 * then reads in. */
#include "haulpass/check_feed.h"

#include "haulpass/arena.h"
#include "haulpass/principal.h"
#include "haulpass/log.h"
#include "haulpass/snapshot.h"
#include "haulpass/snapshot_store.h"
#include "haulpass/time.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define WAIT_FOR_OWN_WRITE_MS 2000
#define RETRY_MS 500
/* Past this many changed plates a full load is as cheap as a delta. */
#define MAX_DELTA_PLATES 10000
/* A delta re-reads every plate changed since the last full load, so deltas
 * grow until the next one. Once a delta costs an eighth of a full load (and
 * more than a blink), a full load follows to start afresh (after the rest
 * below, like any load). */
#define REBASE_SHARE 8
#define REBASE_MIN_MS 50.0
/* After a load the loader rests REST_SHARE times as long as the load
 * took, capped at REST_MAX_MS, and at least the configured rest
 * (hp_check_feed_rest, 50 ms by default), before the next one, unless a
 * check waits for it: a stream of writes (hundreds of decisions a second)
 * then costs at most a load per rest, each taking in every change since
 * the last, instead of a load after every write that nobody reads, taking
 * the cores the writes need (with loads under REST_MAX_MS / REST_SHARE,
 * the loader and its PostgreSQL backend use at most a quarter of a core).
 * A check waiting for a local write (or for the first snapshot) cuts the
 * rest short, so a client still sees its own change at once; other
 * instances' changes wait out the rest, REST_MAX_MS at most by default. */
#define REST_SHARE 3
#define REST_MAX_MS 250
static int rest_min_ms = 50;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t loaded_cond;
    pthread_t thread;
    bool running;
    char *conninfo;
    int wake; /* eventfd: a local write or stop */
    struct hp_snapshot *current;
    long long wanted, loaded, own; /* own: `wanted` after the last local write */
    int waiting; /* checks waiting for a load (hp_check_feed_current) */
    /* The last attempt to load: `wanted` when it began, and whether it
     * failed (or the database could not be reached). Checks stop waiting
     * for a load that has already failed: a stale answer now beats the
     * same answer two seconds later. */
    long long tried;
    bool failing;
    long long full_loads, delta_loads, rebase_loads;
    long long escort_loads; /* deltas that took in a booking change */
    /* Since when a known change waits to be loaded (0: none), and when the
     * load in progress began: what monitoring reads as "behind". */
    long long behind_since_us, load_began_us;
    /* Replica mode (hp_check_feed_start_replica): conninfo is the standby,
     * primary where own writes' WAL positions are asked; the standby's
     * replay lag at the last poll. */
    char *primary;
    bool replica;
    double replica_lag_s;
} feed = {.lock = PTHREAD_MUTEX_INITIALIZER, .loaded_cond = PTHREAD_COND_INITIALIZER,
          .wake = -1};

static void wake_loader(void)
{
    if (feed.wake >= 0) {
        uint64_t one = 1;
        ssize_t ignored = write(feed.wake, &one, sizeof(one));
        (void)ignored;
    }
}

static void want_reload(bool own)
{
    pthread_mutex_lock(&feed.lock);
    feed.wanted++;
    if (!feed.behind_since_us)
        feed.behind_since_us = hp_time_now_us();
    if (own)
        feed.own = feed.wanted;
    pthread_mutex_unlock(&feed.lock);
    wake_loader();
}

static bool still_running(void)
{
    pthread_mutex_lock(&feed.lock);
    bool r = feed.running;
    pthread_mutex_unlock(&feed.lock);
    return r;
}

/* Waits for a notification on conn (may be NULL) or the wake fd, at most
 * ms. */
static void wait_for(struct pg_conn *conn, int ms)
{
    if (hp_snapshot_store_wait(conn, feed.wake, ms)) {
        uint64_t n;
        ssize_t ignored = read(feed.wake, &n, sizeof(n));
        (void)ignored;
    }
}

/* The loader thread's own state: what the notifications asked for. */
static struct {
    struct hp_snapshot *base; /* the last full snapshot (a reference) */
    bool full;                /* a full load is owed */
    bool rebase;              /* only because the deltas had grown */
    char **plates;            /* changed since base, deduplicated at load */
    int n, cap;
    int unique;               /* n after the last deduplication */
    bool fresh;               /* plates came since the last load */
    bool escorts;             /* the bookings changed since base */
    bool escorts_fresh;       /* ... since the last load */
} owed;

static void owe_full(void)
{
    owed.full = true;
    owed.rebase = false;
}

/* A full load no change asks for: the deltas have grown too costly. */
static void owe_rebase(void)
{
    if (!owed.full)
        owed.rebase = true;
    owed.full = true;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the plates and drops repeats. */
static void owed_unique(void)
{
    if (owed.n < 2)
        return;
    qsort(owed.plates, (size_t)owed.n, sizeof(*owed.plates), by_str);
    int m = 1;
    for (int i = 1; i < owed.n; i++) {
        if (strcmp(owed.plates[i], owed.plates[m - 1]) == 0)
            free(owed.plates[i]);
        else
            owed.plates[m++] = owed.plates[i];
    }
    owed.n = m;
}

static void owed_unique_counted(void)
{
    owed_unique();
    owed.unique = owed.n;
    if (owed.n > MAX_DELTA_PLATES)
        owe_full();
}

static void owe_plate(const char *plate)
{
    if (owed.full)
        return; /* the full load to come reads it anyway */
    if (owed.n == owed.cap) {
        int cap = owed.cap ? owed.cap * 2 : 64;
        char **p = realloc(owed.plates, (size_t)cap * sizeof(*p));
        if (!p) {
            owe_full();
            return;
        }
        owed.plates = p, owed.cap = cap;
    }
    if (!(owed.plates[owed.n] = strdup(plate))) {
        owe_full();
        return;
    }
    owed.n++;
    owed.fresh = true;
    /* One plate changed many times is one plate. Sorted again only when
     * the list has doubled since, so repeats near the limit stay cheap. */
    if (owed.n > MAX_DELTA_PLATES && owed.n >= 2 * owed.unique)
        owed_unique_counted();
}

static void owe_escorts(void)
{
    owed.escorts = owed.escorts_fresh = true;
}

static void owed_clear(void)
{
    for (int i = 0; i < owed.n; i++)
        free(owed.plates[i]);
    owed.n = owed.unique = 0;
    owed.full = owed.fresh = owed.rebase = false;
    owed.escorts = owed.escorts_fresh = false;
}

/* One change, from a notification or the change log: owes what it names. */
static void owe_change(void *ctx, enum hp_store_change what, const char *plate)
{
    (void)ctx;
    switch (what) {
    case HP_STORE_CHANGED_PLATE:
        owe_plate(plate);
        break;
    case HP_STORE_CHANGED_ESCORTS:
        owe_escorts();
        break;
    case HP_STORE_CHANGED_ALL:
        owe_full();
        break;
    }
}

static void take_notification(void *ctx, enum hp_store_change what, const char *plate)
{
    owe_change(ctx, what, plate);
    want_reload(false);
}

/* Takes in the notifications that have arrived. */
static void drain(struct pg_conn *conn)
{
    hp_snapshot_store_notifications(conn, take_notification, NULL);
}

static struct pg_conn *listen_on(void)
{
    struct pg_conn *conn = hp_snapshot_store_listen(feed.conninfo);
    if (conn) {
        /* Whatever changed while we were not listening is unknown. */
        owe_full();
        want_reload(false);
    }
    return conn;
}

static void attempt_ended(long long gen, bool failed)
{
    pthread_mutex_lock(&feed.lock);
    feed.tried = gen;
    feed.failing = failed;
    pthread_cond_broadcast(&feed.loaded_cond);
    pthread_mutex_unlock(&feed.lock);
}

/* Brings the snapshot up to what has been asked for by now: a full load,
 * a delta, or nothing when no notification came since the last load (a
 * local write whose notice was already taken in); false when a load
 * failed. */
/* After a load of generation `loaded` (under feed.lock): changes signalled
 * while it ran are at most as old as its start. */
static void caught_up(void)
{
    feed.behind_since_us = feed.loaded < feed.wanted ? feed.load_began_us : 0;
}

/* Replica mode: where the current snapshot's view stood in the change log
 * (sql/017_snapshot_change_log.sql), the standby's stand-in for the
 * notifications. */
static struct hp_store_log_pos log_pos;

/* Replica mode: opens the transaction the load will read in and owes what
 * the log says changed since log_pos, writing the view's own position into
 * *next; false (the transaction ended) when the standby said no. */
static bool read_log(struct pg_conn *conn, struct hp_store_log_pos *next, char *err,
                     size_t errlen)
{
    if (!hp_snapshot_store_begin(conn, err, errlen))
        return false;
    switch (hp_snapshot_store_changes(conn, &log_pos, next, owe_change, NULL, err, errlen)) {
    case HP_STORE_LOG_FAILED:
        hp_snapshot_store_end(conn, false);
        return false;
    case HP_STORE_LOG_UNKNOWN:
        if (log_pos.from)
            hp_log(HP_LOG_INFO, "the change log no longer reaches back: a full load", NULL);
        owe_full();
        break;
    case HP_STORE_LOG_CHANGES:
        break;
    }
    return true;
}

/* Replica mode: ends read_log's transaction; after a load that succeeded,
 * the current snapshot stands at next. */
static void end_log(struct pg_conn *conn, struct hp_store_log_pos *next, bool loaded)
{
    hp_snapshot_store_end(conn, loaded);
    if (loaded) {
        hp_store_log_pos_clear(&log_pos);
        log_pos = *next;
    } else {
        hp_store_log_pos_clear(next);
    }
}

static bool reload(struct pg_conn *conn)
{
    pthread_mutex_lock(&feed.lock);
    long long gen = feed.wanted;
    bool have = feed.current != NULL;
    feed.load_began_us = hp_time_now_us();
    pthread_mutex_unlock(&feed.lock);
    char err[256] = "the database cannot be reached";
    struct hp_store_log_pos next = {0};
    bool up;
    if (feed.replica) {
        up = read_log(conn, &next, err, sizeof(err));
    } else {
        /* The round trip that brings in every committed change's notice. */
        up = hp_snapshot_store_sync(conn);
        if (up)
            drain(conn);
    }
    if (!have || !owed.base)
        owe_full();
    if (!owed.full && owed.fresh)
        owed_unique_counted();
    struct hp_snapshot *s = NULL;
    bool full = owed.full, escorts = owed.escorts_fresh;
    if (up && full) {
        s = hp_snapshot_load(conn, err, sizeof(err));
    } else if (up && (owed.fresh || owed.escorts_fresh)) {
        s = hp_snapshot_load_delta(conn, owed.base, owed.plates, owed.n, owed.escorts, err,
                                   sizeof(err));
    } else if (up) {
        if (feed.replica)
            end_log(conn, &next, true);
        pthread_mutex_lock(&feed.lock);
        feed.loaded = feed.tried = gen;
        feed.failing = false;
        caught_up();
        pthread_cond_broadcast(&feed.loaded_cond);
        pthread_mutex_unlock(&feed.lock);
        return true;
    }
    if (feed.replica && up)
        end_log(conn, &next, s != NULL);
    if (!s) {
        hp_log(HP_LOG_WARN, "check snapshot not loaded", "error", err, NULL);
        attempt_ended(gen, true);
        return false;
    }
    bool rebase = full && owed.rebase;
    if (full) {
        owed_clear();
        hp_snapshot_unref(owed.base);
        owed.base = hp_snapshot_ref(s);
    } else {
        owed.fresh = owed.escorts_fresh = false;
        if (s->load_ms.total > REBASE_MIN_MS &&
            s->load_ms.total * REBASE_SHARE > owed.base->load_ms.total) {
            owe_rebase();
            want_reload(false);
        }
    }
    char ms[32], version[32], zones[32];
    snprintf(ms, sizeof(ms), "%.1f", s->load_ms.total);
    snprintf(version, sizeof(version), "%lld", (long long)s->version);
    snprintf(zones, sizeof(zones), "%d", s->nzones);
    const char *kind = full ? "full" : escorts ? "escorts" : "delta";
    hp_log(HP_LOG_DEBUG, "check snapshot loaded", "kind", kind, "version",
           version, "zones", zones, "ms", ms, NULL);
    pthread_mutex_lock(&feed.lock);
    struct hp_snapshot *old = feed.current;
    feed.current = s;
    feed.loaded = gen;
    feed.tried = gen;
    feed.failing = false;
    caught_up();
    if (full)
        feed.full_loads++;
    else if (escorts)
        feed.escort_loads++;
    else
        feed.delta_loads++;
    if (rebase)
        feed.rebase_loads++;
    pthread_cond_broadcast(&feed.loaded_cond);
    pthread_mutex_unlock(&feed.lock);
    hp_snapshot_unref(old);
    return true;
}

static void *loader(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "hp-snapshot");
    struct pg_conn *conn = NULL;
    long long rest_until_us = 0; /* monotonic; see REST_SHARE */
    while (still_running()) {
        if (!conn && !(conn = listen_on())) {
            pthread_mutex_lock(&feed.lock);
            long long gen = feed.wanted;
            pthread_mutex_unlock(&feed.lock);
            attempt_ended(gen, true);
            wait_for(NULL, RETRY_MS);
            continue;
        }
        pthread_mutex_lock(&feed.lock);
        bool stale = feed.loaded < feed.wanted;
        long long now = hp_time_mono_us();
        int rest_ms = stale && !feed.waiting && now < rest_until_us
                          ? (int)((rest_until_us - now + 999) / 1000)
                          : 0;
        pthread_mutex_unlock(&feed.lock);
        if (rest_ms > 0) {
            /* A notification or a waiting check ends the wait early; the
             * loop then looks again. */
            wait_for(conn, rest_ms);
        } else {
            /* After a failed load, wait a little rather than hammer the
             * database; the connection check below catches a lost server. */
            bool failed = stale && !reload(conn);
            if (stale && !failed) {
                long long end = hp_time_mono_us(), rest = REST_SHARE * (end - now);
                if (rest > REST_MAX_MS * 1000LL)
                    rest = REST_MAX_MS * 1000LL;
                if (rest < rest_min_ms * 1000LL)
                    rest = rest_min_ms * 1000LL;
                rest_until_us = end + rest;
            }
            wait_for(conn, failed ? RETRY_MS : stale ? 0 : 250);
        }
        drain(conn);
        if (!hp_snapshot_store_up(conn)) {
            hp_log(HP_LOG_WARN, "check feed lost its connection", NULL);
            hp_snapshot_store_close(conn);
            conn = NULL;
        }
    }
    hp_snapshot_store_close(conn);
    return NULL;
}

/* --- replica mode ---------------------------------------------------------
 * A hot standby delivers no notifications, so the loader polls it every
 * REPLICA_POLL_MS for the replicated change counter (which is the version a
 * snapshot read now would carry) and its replay lag; when the counter
 * moved it reads the replicated change log for the plates, and loads them
 * as a delta like the notifications' (a full load when the log says so or
 * no longer reaches back). After a write through this instance it first
 * asks the primary for its WAL position and waits until the standby has
 * replayed past it, so that the reload the writer's next check waits for
 * holds the write; the primary gets PRIMARY_WAIT_MS for each step, no more
 * (checks answer from the standby while it is away). */
#define REPLICA_POLL_MS 200
#define REPLAY_POLL_MS 10
#define PRIMARY_WAIT_MS 300

/* The primary, for WAL positions only: opened on the first own write,
 * dropped when it fails (and tried again at the next). */
static struct pg_conn *primary_conn;

/* Waits, at most WAIT_FOR_OWN_WRITE_MS, until the standby has replayed
 * the primary's WAL as of now; gives up at once when the primary cannot be
 * asked (a check must not wait on a primary that is away: it answers from
 * what the standby has). */
static void replay_own_write(struct pg_conn *standby)
{
    char lsn[64];
    bool asked = false;
    /* Twice: a connection kept from before a restart of the primary fails
     * once before a new one works. */
    for (int i = 0; i < 2 && !asked; i++) {
        if (!primary_conn &&
            !(primary_conn = hp_snapshot_store_open_within(feed.primary, PRIMARY_WAIT_MS)))
            return;
        if (!(asked = hp_snapshot_store_wal_lsn(primary_conn, lsn, sizeof(lsn), PRIMARY_WAIT_MS))) {
            hp_snapshot_store_close(primary_conn);
            primary_conn = NULL;
        }
    }
    if (!asked)
        return;
    long long until = hp_time_now_us() + WAIT_FOR_OWN_WRITE_MS * 1000LL;
    while (hp_snapshot_store_replayed(standby, lsn) == 0 && hp_time_now_us() < until &&
           still_running())
        usleep(REPLAY_POLL_MS * 1000);
}

/* One poll of the standby: notes its lag and asks for a load when its
 * counter differs from the current snapshot's version; false when the
 * standby did not answer. */
static bool poll_standby(struct pg_conn *conn)
{
    int64_t version;
    double lag;
    if (!hp_snapshot_store_replica_poll(conn, &version, &lag))
        return false;
    pthread_mutex_lock(&feed.lock);
    feed.replica_lag_s = lag;
    bool moved = feed.current && feed.current->version != version && feed.loaded >= feed.wanted;
    bool own = feed.loaded < feed.own;
    pthread_mutex_unlock(&feed.lock);
    if (moved)
        want_reload(false);
    if (own)
        replay_own_write(conn);
    return true;
}

static void *replica_loader(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "hp-snapshot");
    struct pg_conn *conn = NULL;
    while (still_running()) {
        if (!conn) {
            if ((conn = hp_snapshot_store_open(feed.conninfo))) {
                /* A (re)connect: the log says what changed meanwhile. */
                want_reload(false);
            } else {
                pthread_mutex_lock(&feed.lock);
                long long gen = feed.wanted;
                pthread_mutex_unlock(&feed.lock);
                attempt_ended(gen, true);
                wait_for(NULL, RETRY_MS);
                continue;
            }
        }
        bool failed = !poll_standby(conn);
        if (!failed) {
            pthread_mutex_lock(&feed.lock);
            bool stale = feed.loaded < feed.wanted;
            pthread_mutex_unlock(&feed.lock);
            failed = stale && !reload(conn);
        } else {
            pthread_mutex_lock(&feed.lock);
            long long gen = feed.wanted;
            pthread_mutex_unlock(&feed.lock);
            attempt_ended(gen, true);
        }
        if (!hp_snapshot_store_up(conn)) {
            hp_log(HP_LOG_WARN, "check feed lost its connection to the standby", NULL);
            hp_snapshot_store_close(conn);
            conn = NULL;
        }
        /* The wake fd cuts the wait short after a write through here. */
        wait_for(NULL, failed ? RETRY_MS : REPLICA_POLL_MS);
    }
    hp_snapshot_store_close(conn);
    hp_snapshot_store_close(primary_conn);
    primary_conn = NULL;
    return NULL;
}

static bool start(const char *conninfo, void *(*run)(void *))
{
    feed.conninfo = strdup(conninfo);
    feed.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!feed.conninfo || feed.wake < 0)
        return false;
    feed.running = true;
    if (pthread_create(&feed.thread, NULL, run, NULL) != 0) {
        feed.running = false;
        return false;
    }
    return true;
}

void hp_check_feed_rest(int ms)
{
    rest_min_ms = ms < 0 ? 0 : ms;
}

bool hp_check_feed_start(const char *conninfo)
{
    return start(conninfo, loader);
}

bool hp_check_feed_start_replica(const char *standby, const char *primary)
{
    feed.replica = true;
    feed.primary = strdup(primary);
    return feed.primary && start(standby, replica_loader);
}

void hp_check_feed_stop(void)
{
    pthread_mutex_lock(&feed.lock);
    bool was = feed.running;
    feed.running = false;
    pthread_mutex_unlock(&feed.lock);
    if (was) {
        want_reload(false);
        pthread_join(feed.thread, NULL);
    }
    hp_snapshot_unref(feed.current);
    feed.current = NULL;
    owed_clear();
    free(owed.plates);
    owed.plates = NULL;
    owed.cap = 0;
    hp_snapshot_unref(owed.base);
    owed.base = NULL;
    hp_store_log_pos_clear(&log_pos);
    if (feed.wake >= 0)
        close(feed.wake);
    feed.wake = -1;
    free(feed.conninfo);
    feed.conninfo = NULL;
    free(feed.primary);
    feed.primary = NULL;
    feed.replica = false;
}

/* Whether a check should wait for a load (feed.lock held): the first
 * snapshot, or one owed to a local write, while no attempt at it failed. */
static bool must_wait(void)
{
    if (!feed.current)
        return !feed.failing;
    return feed.loaded < feed.own && !(feed.failing && feed.tried >= feed.own);
}

struct hp_snapshot *hp_check_feed_current(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_FOR_OWN_WRITE_MS / 1000;
    pthread_mutex_lock(&feed.lock);
    if (feed.running && must_wait()) {
        /* The first to wait wakes a resting loader (REST_SHARE). */
        if (feed.waiting++ == 0)
            wake_loader();
        while (feed.running && must_wait())
            if (pthread_cond_timedwait(&feed.loaded_cond, &feed.lock, &until) == ETIMEDOUT)
                break;
        feed.waiting--;
    }
    struct hp_snapshot *s = hp_snapshot_ref(feed.current);
    pthread_mutex_unlock(&feed.lock);
    return s;
}

bool hp_check_feed_status(struct hp_check_feed_status *out)
{
    pthread_mutex_lock(&feed.lock);
    const struct hp_snapshot *s = feed.current;
    if (s)
        *out = (struct hp_check_feed_status){s->version, s->loaded_us, s->nzones,
                                             feed.full_loads, feed.delta_loads,
                                             feed.escort_loads, feed.rebase_loads,
                                             feed.behind_since_us, !feed.failing,
                                             feed.replica, feed.replica_lag_s};
    pthread_mutex_unlock(&feed.lock);
    return s != NULL;
}

bool hp_check_feed_principal(const char *token_hash, struct hp_arena *arena,
                             struct hp_principal *who)
{
    struct hp_snapshot *s = hp_check_feed_current();
    const struct hp_snap_user *u = s ? hp_snapshot_user(s, token_hash) : NULL;
    if (u) {
        /* Ids are UUIDs, which fit: copied without printf, per check. */
        memcpy(who->user_id, u->user_id, sizeof(who->user_id));
        memcpy(who->org_id, u->org_id, sizeof(who->org_id));
        who->user_id[sizeof(who->user_id) - 1] = who->org_id[sizeof(who->org_id) - 1] = '\0';
        who->user_name = hp_arena_strdup(arena, u->user_name);
        who->org_name = hp_arena_strdup(arena, u->org_name);
        who->org_kind = hp_arena_strdup(arena, u->org_kind);
        who->role = hp_role_from_name(u->role);
    }
    hp_snapshot_unref(s);
    return u != NULL;
}

void hp_check_feed_mark_stale(void)
{
    want_reload(true);
}
