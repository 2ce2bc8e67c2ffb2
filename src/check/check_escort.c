/* Which escort booking leads an oversize trip (check_escort.h). */
#include "haulpass/check_escort.h"

#include "haulpass/calendar.h"
#include "haulpass/geodesic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The first pass requiring an escort that is in force at instant t. */
static const struct hp_snap_pass *escorted_pass(const struct hp_snapshot *s,
                                                const struct hp_snap_pass *passes, int n, time_t t)
{
    int64_t day = hp_calendar_date_to_days(hp_calendar_local_date(s->cal, t));
    for (int i = 0; i < n; i++) {
        const struct hp_snap_pass *p = &passes[i];
        if (p->escort_required && day >= p->from_day && day <= p->to_day &&
            (!p->starts || p->starts <= t) && (!p->ends || t < p->ends))
            return p;
    }
    return NULL;
}

/* 1 when the corridor holds (x, y), 0 when not, -1 when GEOS failed. */
static int corridor_holds(struct hp_snap_corridor *c, GEOSContextHandle_t ctx, double x, double y)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx, x, y);
    int slot;
    const GEOSPreparedGeometry *pg = pt ? hp_prep_acquire(&c->prep, ctx, &slot) : NULL;
    char r = pg ? GEOSPreparedCovers_r(ctx, pg, pt) : 2;
    if (pg)
        hp_prep_release(&c->prep, slot);
    if (pt)
        GEOSGeom_destroy_r(ctx, pt);
    return r == 1 ? 1 : r == 0 ? 0 : -1;
}

bool hp_check_escort(const struct hp_snapshot *s, GEOSContextHandle_t ctx, const char *plate,
                     const struct hp_snap_pass *passes, int npasses, const double *xy, int n,
                     double depart_s, double arrive_s, double speed_mps,
                     struct hp_escort_need *out)
{
    memset(out, 0, sizeof(*out));
    const struct hp_snap_pass *p = escorted_pass(s, passes, npasses, (time_t)floor(depart_s));
    if (!p)
        return true;
    out->required = true;
    snprintf(out->pass_code, sizeof(out->pass_code), "%s", p->code);
    out->from_s = depart_s, out->to_s = arrive_s;
    double first = -1, last = -1, cum = 0;
    for (int i = 0; p->corridor && i < n; i++) {
        if (i)
            cum += hp_geodesic_distance(xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1]);
        int in = corridor_holds(p->corridor, ctx, xy[2 * i], xy[2 * i + 1]);
        if (in < 0)
            return false;
        if (in) {
            if (first < 0)
                first = cum;
            last = cum;
        }
    }
    if (first >= 0) {
        out->from_s = depart_s + first / speed_mps;
        out->to_s = depart_s + last / speed_mps;
    }
    const struct hp_snap_escort *e = hp_snapshot_escort_covering(
        s, plate, (time_t)floor(out->from_s), (time_t)ceil(out->to_s));
    if (e)
        snprintf(out->booking_id, sizeof(out->booking_id), "%s", e->id);
    return true;
}
