/*
 * The checks of docs/contract.md §8 over a snapshot: pure (no database, no HTTP),
 * plain structs in and out. Times are seconds since the epoch (double
 * where a vehicle's position makes them fractional).
 *
 * A rule is violated on a crossing when it applies to the vehicle and, at
 * some instant of [enter, exit], it is in force (local date inside its
 * dates, its hours open) and no pass lifts it: a pass of a type the rule
 * lists in liftable_by, covering the stretch (its zone listed, or the
 * stretch inside its corridor), active or provisional and then only before
 * its documents_due, with the instant inside its dates and hours. The
 * state only changes at rule and pass boundaries, so the check walks those
 * instants (hp_oh_next_change) instead of sampling.
 */
#ifndef HAULPASS_CHECK_H
#define HAULPASS_CHECK_H

#include "haulpass/route_clip.h"
#include "haulpass/rule_text.h"
#include "haulpass/snapshot.h"

#include <stddef.h>

struct hp_check_vehicle {
    int cls;          /* index in hp_vehicle_classes */
    int gross_kg;
    bool hazmat;
    const struct hp_snap_pass *passes; /* NULL/0 for a vehicle given by its traits */
    int npasses;
};

struct hp_check_crossing {
    int zone;               /* index in the snapshot */
    struct hp_stretch stretch;
    double enter_s, exit_s;
};

struct hp_check_violation {
    int crossing;           /* index in crossings; -1 for a sighting */
    int zone, rule;         /* indexes in the snapshot */
    time_t at;              /* the first instant in force and not lifted */
};

struct hp_route_check {
    double length_m, arrive_s;
    struct hp_check_crossing *crossings;
    int ncrossings;
    struct hp_check_violation *violations;
    int nviolations;
};

struct hp_sighting_check {
    int *zones;             /* the zones holding the position */
    int nzones;
    struct hp_check_violation *violations;
    int nviolations;
    const struct hp_snap_pass *lifted_by; /* a pass that lifted a rule here, or NULL */
};

/* Whether rule r applies to a vehicle of these traits (docs/contract.md §4). */
bool hp_check_rule_applies(const struct hp_rule *r, const struct hp_check_vehicle *v);

/*
 * The first instant of [a, b] at which r is in force and none of the n
 * passes lifts it (the passes are already known to be of a type r lists
 * and to cover the place): true with *at. False when there is none; then,
 * or before *at, *lifter is a pass that lifted r at an instant it was in
 * force (NULL when none had to). A crossing of more than 100,000 rule and
 * pass boundaries counts as violated where the count ran out.
 */
bool hp_check_rule_violated(const struct hp_rule *r, const struct hp_snap_pass *const *passes,
                            int n, time_t a, time_t b, const struct hp_calendar *cal, time_t *at,
                            const struct hp_snap_pass **lifter);

/* Checks a route of n lon/lat positions (n >= 2) driven at speed_mps from
 * depart_s. ctx is the calling thread's GEOS context. false when out of
 * memory or GEOS failed (never an answer with a zone left out). Free out
 * with hp_route_check_free. */
bool hp_check_route(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                    const struct hp_check_vehicle *v, const double *xy, int n, double depart_s,
                    double speed_mps, struct hp_route_check *out);
void hp_route_check_free(struct hp_route_check *c);

/* Checks a vehicle seen at (lon, lat) at instant at. false when out of
 * memory or GEOS failed. Free out with hp_sighting_check_free. */
bool hp_check_sighting(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                       const struct hp_check_vehicle *v, double lon, double lat, time_t at,
                       struct hp_sighting_check *out);
void hp_sighting_check_free(struct hp_sighting_check *c);

/* The zones whose bounding boxes meet [minx, maxx] x [miny, maxy] that
 * restrict vehicle v at instant at: one violation (crossing -1) for each
 * rule of theirs that applies to v, is in force then and is not lifted by
 * a pass naming the zone. A corridor pass does not lift a whole zone (it
 * lifts only along the corridor, which the route check judges), so a zone
 * it crosses still counts. For the map of zones coloured for a vehicle.
 * false when out of memory; free *out (malloc'd) either way. */
bool hp_check_zones_at(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                       const struct hp_check_vehicle *v, double minx, double miny, double maxx,
                       double maxy, time_t at, struct hp_check_violation **out, int *n);

/* A sentence for the haulier, in English or Chinese: which zone, which
 * rule, why it applies to this vehicle, when it is in force, and the
 * instant it was broken (when, formatted by the caller). */
void hp_check_reason(const struct hp_snap_zone *z, const struct hp_rule *r,
                     const struct hp_check_vehicle *v, const char *when, enum hp_rule_lang lang,
                     char *out, size_t len);

#endif
