/*
 * The route check of docs/contract.md §8 as an operation (see src/ops/zones.c for
 * what src/ops/ is): shared by POST /v1/checks/route (src/api/checks.c),
 * its JSON form for other modules (hp_api_check_route_json) and the escort
 * booking, which checks its convoy's route. Answers plain structs from the
 * in-memory snapshot; no database call, no HTTP.
 */
#ifndef HAULPASS_OPS_ROUTE_H
#define HAULPASS_OPS_ROUTE_H

#include "haulpass/check.h"
#include "haulpass/check_escort.h"

#include <cjson/cJSON.h>
#include <stdint.h>

struct hp_arena;
struct hp_escort;

/* Reports a problem of a route: pointer is the JSON pointer below the
 * route ("" or "/coordinates/3"). */
typedef void (*hp_ops_route_bad_fn)(void *ctx, const char *pointer, const char *message);

/* The positions of a GeoJSON LineString (2 to 100,000 of them, in range,
 * no segment across the antimeridian) as lon, lat pairs in a malloc'd
 * array of 2 * *n doubles (the caller frees it); NULL after reporting each
 * problem through bad(ctx, …). */
double *hp_ops_route_positions(const cJSON *route, int *n, hp_ops_route_bad_fn bad, void *ctx);

/* A vehicle of s (hp_snapshot_vehicle) as the checks take it: its traits
 * and its passes. */
struct hp_check_vehicle hp_ops_check_vehicle(const struct hp_snapshot *s,
                                             const struct hp_snap_vehicle *v);

enum hp_route_outcome {
    HP_ROUTE_CHECKED,
    HP_ROUTE_NO_VEHICLE, /* no vehicle has the plate, or org does not hold it */
    HP_ROUTE_TOO_LATE,   /* it would arrive after HP_TIME_LAST_US */
    HP_ROUTE_FAILED,     /* out of memory, or GEOS failed: never a partial answer */
};

/* A route checked: the vehicle as checked and the check (the snapshot's
 * indexes refer to the snapshot it was checked on). */
struct hp_route_answer {
    struct hp_check_vehicle vehicle;
    struct hp_route_check check;
    struct hp_escort_need escort; /* of a vehicle given by its plate only */
};

/*
 * Checks the route of n positions xy (hp_ops_route_positions) on snapshot
 * s, departing at depart_us and driven at speed_kmh, for the vehicle with
 * plate (normal form, plate.h) when org (its 16 bytes; NULL: any) holds it,
 * or for the vehicle of traits given when plate is NULL. On
 * HP_ROUTE_CHECKED free out with hp_ops_route_free.
 */
enum hp_route_outcome hp_ops_route_check(const struct hp_snapshot *s, const char *plate,
                                         const unsigned char *org,
                                         const struct hp_check_vehicle *given, const double *xy,
                                         int n, int64_t depart_us, double speed_kmh,
                                         struct hp_route_answer *out);
void hp_ops_route_free(struct hp_route_answer *a);

/*
 * The route check (docs/contract.md §8) of e's route (the given one, or the straight
 * line) for its whole convoy, driving off at 40 km/h once formed up (start
 * + 30 min), as stored with the booking: each plate is checked on the same
 * snapshot; the crossings are the route's, the same for every plate;
 * `allowed` holds only when every plate may drive it; the violations of
 * all plates are listed, each naming its `plate`. JSON text in arena, or
 * NULL when it cannot be answered (no snapshot loaded yet, a plate not yet
 * in it): never a guess.
 */
char *hp_ops_escort_route_check(struct hp_arena *arena, const struct hp_escort *e);

#endif
