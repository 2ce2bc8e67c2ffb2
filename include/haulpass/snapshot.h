/*
 * The check snapshot: every live zone with its compiled rules, every
 * vehicle and every pass that may lift a rule, read from PostgreSQL at
 * once (one REPEATABLE READ transaction) and then immutable, so checks
 * never touch the database.
 *
 * A delta: after a change to vehicles or passes only, the loader reads just
 * the plates that changed since the last full snapshot (the base) and
 * publishes a snapshot that borrows the base's zones, users and calendar
 * and holds its own vehicles and passes for those plates, tombstones for
 * plates no vehicle carries any more; lookups fall back to the base. Why:
 * a full load of a million vehicles with passes takes seconds, and a pass
 * issued or revoked must reach every instance within one. After a change
 * to escort bookings a delta holds its own bookings too (all of them: they
 * are few), read again by every delta until the next full load, as the
 * plates are.
 *
 * Sharing: a snapshot is reference counted. hp_snapshot_ref/unref may be
 * called from any thread; the last unref frees it. Everything in it is
 * read-only except the prepared geometries, which GEOS 3.11 does not let
 * two threads use at once: hp_prep_acquire hands each caller a prepared
 * copy nobody else holds (see struct hp_prep).
 */
#ifndef HAULPASS_SNAPSHOT_H
#define HAULPASS_SNAPSHOT_H

#include "haulpass/plate.h"
#include "haulpass/route_clip.h"
#include "haulpass/rule_fields.h"

#include <geos_c.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct hp_calendar;
struct hp_oh;
struct pg_conn; /* libpq's PGconn: the loads hand it to snapshot_store.h */

/* Prepared copies of one geometry, made on first use, each held by one
 * thread at a time. Why several: with a thread per connection, one shared
 * copy behind a lock would make every camera wait on the busiest zone. */
#define HP_PREP_COPIES 4
struct hp_prep {
    const GEOSGeometry *geom;
    struct {
        pthread_mutex_t lock;
        const GEOSPreparedGeometry *prepared;
    } copy[HP_PREP_COPIES];
};

struct hp_snap_zone {
    char id[37];
    char *name;
    GEOSGeometry *geom;
    struct hp_prep prep;
    struct hp_area area; /* the same rings as flat arrays, for route_clip */
    struct hp_rule *rules; /* rule_fields.h */
    int nrules;
    int version;           /* the zone's own version (the public feed shows it) */
    time_t updated;        /* its last write */
};

/* A corridor's area, shared by every pass that has the same corridor (the
 * passes of one application do): a million passes must not mean a million
 * buffered polygons. */
struct hp_snap_corridor {
    GEOSGeometry *area;
    struct hp_prep prep;
};

struct hp_snap_pass {
    char code[24];
    int type;            /* index in hp_pass_types */
    bool provisional;    /* lifts only before documents_due */
    time_t documents_due;
    int64_t from_day, to_day;
    time_t starts, ends; /* its revision lifts in [starts, ends); 0: unbounded */
    const struct hp_oh *hours; /* NULL: at all hours; shared, see hours below */
    int *zones;          /* indexes of its zones in the snapshot */
    int nzones;
    struct hp_snap_corridor *corridor; /* NULL: none */
    bool escort_required; /* an oversize load past the limits (oversize.h) */
};

/* A live escort booking (docs/contract.md §13): the plates (normal form)
 * it leads between starts and ends. */
struct hp_snap_escort {
    char id[37];
    time_t starts, ends;
    char (*plates)[HP_PLATE_BUF];
    int nplates;
};

/* The class of a delta's tombstone: the plate's vehicle is gone. */
#define HP_SNAP_GONE (-2)

struct hp_snap_vehicle {
    char plate[HP_PLATE_BUF]; /* normal form; inline: one cache miss less per lookup */
    int cls;             /* index in hp_vehicle_classes (-1 unknown, HP_SNAP_GONE) */
    int gross_kg;
    bool hazmat;
    int first_pass, npasses; /* its passes: passes[first_pass ...] */
    unsigned char org[16]; /* its organisation's UUID: others may not look it up */
};

/* A user as a bearer token finds it, so checks authenticate without the
 * database (see hp_check_feed_principal). */
struct hp_snap_user {
    char token_hash[65]; /* SHA-256, lower-case hex */
    char user_id[37], org_id[37];
    char *user_name, *org_name;
    char org_kind[8];
    char role[8];
};

/* Open addressing over string keys: slot holds index + 1, 0 is empty. */
struct hp_snap_index {
    int *slot;
    size_t mask;
};

struct hp_snapshot {
    atomic_int refs;
    int64_t version; /* zone_set_version: the committed changes it sees */
    int64_t loaded_us; /* when it was read (µs since the epoch) */
    GEOSContextHandle_t geos; /* made the geometries; freed last */
    struct hp_snap_zone *zones;
    int nzones;
    GEOSSTRtree *tree;   /* over zones; items are zone indexes + 1 */
    struct hp_snap_index by_zone_id;
    struct hp_snap_vehicle *vehicles;
    int nvehicles;
    struct hp_snap_index by_plate;
    struct hp_snap_pass *passes;
    int npasses;
    /* Owned here, pointed to by passes: each distinct corridor and hours
     * text once. */
    struct hp_snap_corridor **corridors;
    int ncorridors;
    struct hp_oh **hours;
    int nhours;
    struct hp_snap_user *users;
    int nusers;
    struct hp_snap_index by_token;
    struct hp_calendar *cal;
    /* The public holidays of cal (days since 1970-01-01, ascending) and the
     * latest write or retirement of any zone: what the public feed shows
     * besides the zones (public_feed.h). */
    int64_t *holidays;
    int nholidays;
    time_t zones_changed;
    /* Escort bookings: a delta's own when own_escorts (it read them after
     * a booking changed), else borrowed from its base like the calendar. */
    struct hp_snap_escort *escorts;
    int nescorts;
    bool own_escorts;
    /* How long the load took, in ms, by part (for logs and benchmarks). */
    struct {
        double zones, vehicles, passes, total;
    } load_ms;
    /* A delta: the full snapshot it borrows zones, tree, zone index, users,
     * token index and calendar from (and holds a reference to). NULL in a
     * full snapshot. */
    struct hp_snapshot *base;
};

/* Reads a snapshot over conn (its own transaction, snapshot_store.h). NULL
 * with a message in err when the database fails or a stored row cannot be
 * read. */
struct hp_snapshot *hp_snapshot_load(struct pg_conn *conn, char *err, size_t errlen);

/* Reads a delta over base (a full snapshot) holding the vehicles and passes
 * of the n plates (normal form) as they are now (none read when n is 0)
 * and, when escorts is true, the escort bookings as they are now (else
 * base's). NULL with a message in err when the database fails, a stored
 * row cannot be read, or base is itself a delta. */
struct hp_snapshot *hp_snapshot_load_delta(struct pg_conn *conn, struct hp_snapshot *base,
                                           char *const *plates, int n, bool escorts,
                                           char *err, size_t errlen);

/* Takes / drops a reference; unref of the last one frees. NULL is fine. */
struct hp_snapshot *hp_snapshot_ref(struct hp_snapshot *s);
void hp_snapshot_unref(struct hp_snapshot *s);

/* The vehicle with this normal-form plate, or NULL. */
const struct hp_snap_vehicle *hp_snapshot_vehicle(const struct hp_snapshot *s,
                                                  const char *plate);

/* The passes of v, a vehicle of s (hp_snapshot_vehicle): v->npasses of
 * them, in the delta or the base that holds v. */
const struct hp_snap_pass *hp_snapshot_passes(const struct hp_snapshot *s,
                                              const struct hp_snap_vehicle *v);

/* The live escort booking leading plate (normal form) over all of [from,
 * to], or NULL (snapshot_escorts.c). A linear scan: bookings are few (a
 * unit leads one convoy at a time). */
const struct hp_snap_escort *hp_snapshot_escort_covering(const struct hp_snapshot *s,
                                                         const char *plate, time_t from,
                                                         time_t to);

/* The user whose token has this SHA-256 (hex), or NULL. */
const struct hp_snap_user *hp_snapshot_user(const struct hp_snapshot *s, const char *token_hash);

/* Calls fn for each zone whose bounding box meets [minx, maxx] x [miny, maxy]. */
void hp_snapshot_zones_near(const struct hp_snapshot *s, GEOSContextHandle_t ctx, double minx,
                            double miny, double maxx, double maxy,
                            void (*fn)(int zone, void *arg), void *arg);

/* A prepared copy of p->geom for the calling thread alone (ctx is its
 * GEOS context); give it back with hp_prep_release(p, slot). NULL when
 * GEOS failed (the copy is then released already). */
const GEOSPreparedGeometry *hp_prep_acquire(struct hp_prep *p, GEOSContextHandle_t ctx,
                                            int *slot);
void hp_prep_release(struct hp_prep *p, int slot);

#endif
