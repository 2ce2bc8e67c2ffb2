/*
 * Whether an oversize trip is escorted (docs/contract.md §13): when the
 * vehicle holds a pass in force at departure that requires an escort, the
 * live escort booking that leads its plate over the whole time the trip
 * spends in the pass's corridor, or none. Pure, from the snapshot.
 */
#ifndef HAULPASS_CHECK_ESCORT_H
#define HAULPASS_CHECK_ESCORT_H

#include "haulpass/snapshot.h"

struct hp_escort_need {
    bool required;        /* a pass in force requires an escort */
    char pass_code[24];   /* that pass */
    char booking_id[37];  /* the booking covering the trip; "" when none does */
    double from_s, to_s;  /* the time the booking must cover */
};

/* The need of the trip of plate (normal form) holding the passes of v
 * along n positions xy from depart_s to arrive_s at speed_mps. The time in
 * the corridor is measured at the route's positions: from the first one
 * inside it to the last; a route that has none inside (or a pass without
 * a corridor) needs the whole trip covered. false when GEOS failed. */
bool hp_check_escort(const struct hp_snapshot *s, GEOSContextHandle_t ctx, const char *plate,
                     const struct hp_snap_pass *passes, int npasses, const double *xy, int n,
                     double depart_s, double arrive_s, double speed_mps,
                     struct hp_escort_need *out);

#endif
