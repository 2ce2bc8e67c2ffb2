/* Route and sighting checks over a snapshot. GEOS finds the zones (the
 * STRtree) and decides which ones the route or position meets (prepared
 * geometries); route_clip measures the stretches; verdict.c judges the
 * rules. */
#include "haulpass/check.h"

#include "haulpass/geodesic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Not fmin/fmax: those are library calls at -O2 and NaN cannot occur here. */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

struct candidates {
    int *zone;
    int n, cap;
    bool failed;
};

static void add_candidate(int zone, void *arg)
{
    struct candidates *c = arg;
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 16;
        int *z = realloc(c->zone, (size_t)cap * sizeof(*z));
        if (!z) {
            c->failed = true;
            return;
        }
        c->zone = z, c->cap = cap;
    }
    c->zone[c->n++] = zone;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The zones whose boxes meet the box, in index order (so equal inputs give
 * equal answers); false when out of memory. */
static bool zones_near(const struct hp_snapshot *s, GEOSContextHandle_t ctx, double minx,
                       double miny, double maxx, double maxy, struct candidates *c)
{
    hp_snapshot_zones_near(s, ctx, minx, miny, maxx, maxy, add_candidate, c);
    if (c->n > 1)
        qsort(c->zone, (size_t)c->n, sizeof(int), by_int);
    return !c->failed;
}

/* Whether prepared p (of zone or corridor area) meets or covers g: 1 or
 * 0, and -1 when GEOS failed, which a caller must never read as "no". */
static int prepared_test(struct hp_prep *p, GEOSContextHandle_t ctx, const GEOSGeometry *g,
                         bool covers)
{
    int slot;
    const GEOSPreparedGeometry *pg = hp_prep_acquire(p, ctx, &slot);
    if (!pg)
        return -1;
    char r = covers ? GEOSPreparedCovers_r(ctx, pg, g) : GEOSPreparedIntersects_r(ctx, pg, g);
    hp_prep_release(p, slot);
    return r == 1 ? 1 : r == 0 ? 0 : -1;
}

static bool pass_has_zone(const struct hp_snap_pass *p, int zone)
{
    for (int i = 0; i < p->nzones; i++)
        if (p->zones[i] == zone)
            return true;
    return false;
}

/* The vehicle's passes that may lift r where place (a stretch or a point)
 * is: of a type r lists, for the zone or with place in the corridor. */
static int lifting_passes(const struct hp_rule *r, const struct hp_check_vehicle *v,
                          int zone, GEOSContextHandle_t ctx, const GEOSGeometry *place,
                          const struct hp_snap_pass **out)
{
    int n = 0;
    for (int i = 0; i < v->npasses; i++) {
        const struct hp_snap_pass *p = &v->passes[i];
        if (p->type < 0 || !(r->liftable & (1u << p->type)))
            continue;
        /* A corridor GEOS could not test lifts nothing: fail closed. */
        if (pass_has_zone(p, zone) ||
            (p->corridor && place &&
             prepared_test(&p->corridor->prep, ctx, place, true) == 1))
            out[n++] = p;
    }
    return n;
}

static bool add_violation(struct hp_check_violation **list, int *n, struct hp_check_violation v)
{
    struct hp_check_violation *l = realloc(*list, (size_t)(*n + 1) * sizeof(**list));
    if (!l)
        return false;
    *list = l;
    l[(*n)++] = v;
    return true;
}

/* Judges every rule of zone for the vehicle over [a, b] at place. */
static bool judge(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                  const struct hp_check_vehicle *v, int zone, int crossing, double a, double b,
                  const GEOSGeometry *place, const struct hp_snap_pass **scratch,
                  struct hp_check_violation **list, int *n, const struct hp_snap_pass **lifted_by)
{
    const struct hp_snap_zone *z = &s->zones[zone];
    for (int r = 0; r < z->nrules; r++) {
        const struct hp_rule *rule = &z->rules[r];
        if (!hp_check_rule_applies(rule, v))
            continue;
        int np = lifting_passes(rule, v, zone, ctx, place, scratch);
        time_t at;
        const struct hp_snap_pass *lifter;
        /* States change on whole seconds, so the second holding a is as
         * good as a. */
        if (hp_check_rule_violated(rule, scratch, np, (time_t)floor(a), (time_t)floor(b), s->cal,
                                   &at, &lifter)) {
            if (!add_violation(list, n, (struct hp_check_violation){crossing, zone, r, at}))
                return false;
        }
        if (lifter && lifted_by && !*lifted_by)
            *lifted_by = lifter;
    }
    return true;
}

static GEOSGeometry *line_of(GEOSContextHandle_t ctx, const double *xy, int n)
{
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy, (unsigned)n, 0, 0);
    return seq ? GEOSGeom_createLineString_r(ctx, seq) : NULL;
}

/* The stretch as a geometry (a point when it has no length), for corridors. */
static GEOSGeometry *stretch_geom(GEOSContextHandle_t ctx, const struct hp_route *r,
                                  const struct hp_stretch *st)
{
    double *xy = malloc((size_t)(st->to.seg - st->from.seg + 2) * 2 * sizeof(double));
    if (!xy)
        return NULL;
    int n = hp_route_extract(r, st->from, st->to, xy);
    GEOSGeometry *g = st->to_m > st->from_m ? line_of(ctx, xy, n)
                                             : GEOSGeom_createPointFromXY_r(ctx, xy[0], xy[1]);
    free(xy);
    return g;
}

static int by_position(const void *a, const void *b)
{
    const struct hp_check_crossing *x = a, *y = b;
    if (x->stretch.from_m != y->stretch.from_m)
        return x->stretch.from_m < y->stretch.from_m ? -1 : 1;
    return (x->zone > y->zone) - (x->zone < y->zone);
}

static bool has_corridor(const struct hp_check_vehicle *v)
{
    for (int i = 0; i < v->npasses; i++)
        if (v->passes[i].corridor)
            return true;
    return false;
}

/* Above this many positions the prepared geometry (an indexed test) rules
 * out a zone the route misses faster than cutting the route by it; below
 * it, building GEOS's chains of the route for every zone costs more than
 * the cut, whose segment boxes already skip what is far away. */
#define PREPARED_FILTER_POSITIONS 64

/* The crossings of route with the candidate zones the route meets. */
static bool find_crossings(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                           const struct hp_route *route, const GEOSGeometry *line,
                           const struct candidates *c, struct hp_route_check *out)
{
    int cap = 0;
    for (int i = 0; i < c->n; i++) {
        struct hp_snap_zone *z = &s->zones[c->zone[i]];
        int meets = line ? prepared_test(&z->prep, ctx, line, false) : 1;
        if (meets < 0)
            return false;
        if (!meets)
            continue;
        struct hp_stretch *st;
        int k = hp_route_clip(route, &z->area, &st);
        if (k < 0)
            return false;
        if (k == 0) {
            free(st);
            continue;
        }
        struct hp_check_crossing *cr = out->crossings;
        if (out->ncrossings + k > cap) {
            /* Most candidates are not crossed; the rest grow the list by
             * doubling, not one realloc per zone. */
            cap = MAX(2 * cap, out->ncrossings + k + 8);
            cr = realloc(out->crossings, (size_t)cap * sizeof(*cr));
        }
        if (!cr) {
            free(st);
            return false;
        }
        out->crossings = cr;
        for (int j = 0; j < k; j++)
            cr[out->ncrossings++] = (struct hp_check_crossing){.zone = c->zone[i], .stretch = st[j]};
        free(st);
    }
    return true;
}

bool hp_check_route(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                    const struct hp_check_vehicle *v, const double *xy, int n, double depart_s,
                    double speed_mps, struct hp_route_check *out)
{
    memset(out, 0, sizeof(*out));
    double *cum = malloc((size_t)n * sizeof(double));
    const struct hp_snap_pass **scratch = malloc(((size_t)v->npasses + 1) * sizeof(*scratch));
    struct candidates c = {0};
    GEOSGeometry *line = n > PREPARED_FILTER_POSITIONS ? line_of(ctx, xy, n) : NULL;
    bool ok = cum && scratch && (line || n <= PREPARED_FILTER_POSITIONS);
    double minx = xy[0], maxx = xy[0], miny = xy[1], maxy = xy[1];
    for (int i = 0; ok && i < n; i++) {
        cum[i] = i ? cum[i - 1] + hp_geodesic_distance(xy[2 * i - 2], xy[2 * i - 1], xy[2 * i],
                                                       xy[2 * i + 1])
                   : 0;
        minx = MIN(minx, xy[2 * i]), maxx = MAX(maxx, xy[2 * i]);
        miny = MIN(miny, xy[2 * i + 1]), maxy = MAX(maxy, xy[2 * i + 1]);
    }
    struct hp_route route = {xy, cum, n};
    if (ok) {
        out->length_m = cum[n - 1];
        out->arrive_s = depart_s + out->length_m / speed_mps;
        ok = zones_near(s, ctx, minx, miny, maxx, maxy, &c) &&
             find_crossings(s, ctx, &route, line, &c, out);
    }
    if (ok && out->ncrossings > 1)
        qsort(out->crossings, (size_t)out->ncrossings, sizeof(*out->crossings), by_position);
    bool corridors = ok && has_corridor(v);
    for (int i = 0; ok && i < out->ncrossings; i++) {
        struct hp_check_crossing *cr = &out->crossings[i];
        cr->enter_s = depart_s + cr->stretch.from_m / speed_mps;
        cr->exit_s = depart_s + cr->stretch.to_m / speed_mps;
        GEOSGeometry *place = corridors ? stretch_geom(ctx, &route, &cr->stretch) : NULL;
        ok = (!corridors || place) && judge(s, ctx, v, cr->zone, i, cr->enter_s, cr->exit_s,
                                            place, scratch, &out->violations,
                                            &out->nviolations, NULL);
        GEOSGeom_destroy_r(ctx, place);
    }
    GEOSGeom_destroy_r(ctx, line);
    free(c.zone);
    free(scratch);
    free(cum);
    if (!ok)
        hp_route_check_free(out);
    return ok;
}

void hp_route_check_free(struct hp_route_check *c)
{
    free(c->crossings);
    free(c->violations);
    memset(c, 0, sizeof(*c));
}

bool hp_check_sighting(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                       const struct hp_check_vehicle *v, double lon, double lat, time_t at,
                       struct hp_sighting_check *out)
{
    memset(out, 0, sizeof(*out));
    struct candidates c = {0};
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx, lon, lat);
    const struct hp_snap_pass **scratch = malloc(((size_t)v->npasses + 1) * sizeof(*scratch));
    bool ok = pt && scratch && zones_near(s, ctx, lon, lat, lon, lat, &c);
    out->zones = ok ? malloc(((size_t)c.n + 1) * sizeof(int)) : NULL;
    ok = ok && out->zones;
    for (int i = 0; ok && i < c.n; i++) {
        int inside = prepared_test(&s->zones[c.zone[i]].prep, ctx, pt, false);
        ok = inside >= 0;
        if (inside != 1)
            continue;
        out->zones[out->nzones++] = c.zone[i];
        ok = judge(s, ctx, v, c.zone[i], -1, (double)at, (double)at, pt, scratch,
                   &out->violations, &out->nviolations, &out->lifted_by);
    }
    GEOSGeom_destroy_r(ctx, pt);
    free(c.zone);
    free(scratch);
    if (!ok)
        hp_sighting_check_free(out);
    return ok;
}

void hp_sighting_check_free(struct hp_sighting_check *c)
{
    free(c->zones);
    free(c->violations);
    memset(c, 0, sizeof(*c));
}

bool hp_check_zones_at(const struct hp_snapshot *s, GEOSContextHandle_t ctx,
                       const struct hp_check_vehicle *v, double minx, double miny, double maxx,
                       double maxy, time_t at, struct hp_check_violation **out, int *n)
{
    *out = NULL;
    *n = 0;
    struct candidates c = {0};
    const struct hp_snap_pass **scratch = malloc(((size_t)v->npasses + 1) * sizeof(*scratch));
    bool ok = scratch && zones_near(s, ctx, minx, miny, maxx, maxy, &c);
    /* No place: only the passes naming the zone are asked (lifting_passes). */
    for (int i = 0; ok && i < c.n; i++)
        ok = judge(s, ctx, v, c.zone[i], -1, (double)at, (double)at, NULL, scratch, out, n,
                   NULL);
    free(c.zone);
    free(scratch);
    return ok;
}
