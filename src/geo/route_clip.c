/* Cutting a route by an area's rings; see route_clip.h for why by hand. */
#include "haulpass/route_clip.h"

#include "haulpass/geodesic.h"

#include <math.h>
#include <stdlib.h>

/* Parameters a hair outside [0, 1] still count: a route through a ring's
 * vertex must not slip between the two edges that meet there. */
#define SLACK 1e-12

/* Not fmin/fmax: those are library calls at -O2, and coordinates are finite. */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

struct cut {
    double t;
    bool boundary; /* the route meets the boundary here */
};

/* Cuts of one segment and the parts of it that run along the boundary. */
struct cuts {
    struct cut *c;
    int n, cap;
    double (*along)[2];
    int nalong, cap_along;
};

static bool push_cut(struct cuts *s, double t, bool boundary)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        struct cut *c = realloc(s->c, (size_t)cap * sizeof(*c));
        if (!c)
            return false;
        s->c = c, s->cap = cap;
    }
    s->c[s->n++] = (struct cut){t < 0 ? 0 : t > 1 ? 1 : t, boundary};
    return true;
}

static bool push_along(struct cuts *s, double lo, double hi)
{
    if (s->nalong == s->cap_along) {
        int cap = s->cap_along ? s->cap_along * 2 : 4;
        double(*a)[2] = realloc(s->along, (size_t)cap * sizeof(*a));
        if (!a)
            return false;
        s->along = a, s->cap_along = cap;
    }
    s->along[s->nalong][0] = lo;
    s->along[s->nalong++][1] = hi;
    return true;
}

/* Sorts cuts by t. A segment has a handful (its two ends and where it
 * meets a ring), for which insertion sort beats glibc's qsort, a merge
 * sort that may allocate. */
static void sort_cuts(struct cut *c, int n)
{
    for (int i = 1; i < n; i++) {
        struct cut x = c[i];
        int j = i;
        for (; j > 0 && c[j - 1].t > x.t; j--)
            c[j] = c[j - 1];
        c[j] = x;
    }
}

int hp_area_run_count(const struct hp_area *a)
{
    int npos = a->nrings ? a->ring_end[a->nrings - 1] : 0;
    return npos > 1 ? (npos - 2) / HP_AREA_RUN + 1 : 0;
}

void hp_area_run_boxes(const struct hp_area *a, double *box)
{
    int runs = hp_area_run_count(a), npos = a->nrings ? a->ring_end[a->nrings - 1] : 0;
    for (int k = 0; k < runs; k++) {
        double *b = &box[4 * k];
        int first = k * HP_AREA_RUN, last = MIN(first + HP_AREA_RUN, npos - 1);
        b[0] = b[2] = a->xy[2 * first];
        b[1] = b[3] = a->xy[2 * first + 1];
        for (int i = first + 1; i <= last; i++) {
            b[0] = MIN(b[0], a->xy[2 * i]), b[2] = MAX(b[2], a->xy[2 * i]);
            b[1] = MIN(b[1], a->xy[2 * i + 1]), b[3] = MAX(b[3], a->xy[2 * i + 1]);
        }
    }
}

/* The box of the run edge i starts, or NULL when i starts none (or a has
 * no boxes). A run may begin in the middle of a ring: its first edge in
 * the ring counts as a start too. */
static inline const double *run_box_at(const struct hp_area *a, int i, int ring_start)
{
    return a->run_box && (i == ring_start || i % HP_AREA_RUN == 0)
               ? &a->run_box[4 * (i / HP_AREA_RUN)]
               : NULL;
}

/* Where a loop over the edges of ring [.., end) resumes (less one, for its
 * i++) after skipping the rest of the run that holds edge i. */
static inline int run_last(int i, int end)
{
    return MIN((i / HP_AREA_RUN + 1) * HP_AREA_RUN, end - 1) - 1;
}

bool hp_area_covers(const struct hp_area *a, double x, double y)
{
    if (x < a->minx || x > a->maxx || y < a->miny || y > a->maxy)
        return false;
    bool inside = false;
    int start = 0;
    for (int r = 0; r < a->nrings; start = a->ring_end[r++]) {
        for (int i = start; i + 1 < a->ring_end[r]; i++) {
            /* A run wholly above or below y has no edge that crosses the
             * ray or holds the point. */
            const double *b = run_box_at(a, i, start);
            if (b && (y < b[1] || y > b[3])) {
                i = run_last(i, a->ring_end[r]);
                continue;
            }
            double ax = a->xy[2 * i], ay = a->xy[2 * i + 1];
            double bx = a->xy[2 * i + 2], by = a->xy[2 * i + 3];
            double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
            if (cross == 0 && MIN(ax, bx) <= x && x <= MAX(ax, bx) && MIN(ay, by) <= y &&
                y <= MAX(ay, by))
                return true; /* on the boundary */
            /* Even-odd over every ring: holes and the parts of a
             * multipolygon need no bookkeeping of their own. */
            if ((ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay))
                inside = !inside;
        }
    }
    return inside;
}

/* Where segment p→q meets the rings of a: appends cuts and along-parts. */
static bool cut_segment(const struct hp_area *a, const double *p, const double *q,
                        struct cuts *s)
{
    double rx = q[0] - p[0], ry = q[1] - p[1], rr = rx * rx + ry * ry;
    double sminx = MIN(p[0], q[0]), smaxx = MAX(p[0], q[0]);
    double sminy = MIN(p[1], q[1]), smaxy = MAX(p[1], q[1]);
    int start = 0;
    for (int r = 0; r < a->nrings; start = a->ring_end[r++]) {
        for (int i = start; i + 1 < a->ring_end[r]; i++) {
            /* The run's box holds its edges' boxes: what misses it misses
             * every edge below, by the same test. */
            const double *b = run_box_at(a, i, start);
            if (b && (b[2] < sminx || b[0] > smaxx || b[3] < sminy || b[1] > smaxy)) {
                i = run_last(i, a->ring_end[r]);
                continue;
            }
            const double *e0 = &a->xy[2 * i], *e1 = &a->xy[2 * i + 2];
            if (MAX(e0[0], e1[0]) < sminx || MIN(e0[0], e1[0]) > smaxx ||
                MAX(e0[1], e1[1]) < sminy || MIN(e0[1], e1[1]) > smaxy)
                continue;
            double sx = e1[0] - e0[0], sy = e1[1] - e0[1];
            double wx = e0[0] - p[0], wy = e0[1] - p[1];
            double den = rx * sy - ry * sx;
            if (den != 0) {
                double t = (wx * sy - wy * sx) / den, u = (wx * ry - wy * rx) / den;
                if (t >= -SLACK && t <= 1 + SLACK && u >= -SLACK && u <= 1 + SLACK &&
                    !push_cut(s, t, true))
                    return false;
            } else if (wx * ry - wy * rx == 0 && rr > 0) {
                /* Collinear: the segment runs along this edge where the
                 * two overlap. */
                double t0 = (wx * rx + wy * ry) / rr;
                double t1 = ((e1[0] - p[0]) * rx + (e1[1] - p[1]) * ry) / rr;
                double lo = MAX(0, MIN(t0, t1)), hi = MIN(1, MAX(t0, t1));
                if (lo <= hi && !(push_cut(s, lo, true) && push_cut(s, hi, true) &&
                                  push_along(s, lo, hi)))
                    return false;
            }
        }
    }
    return true;
}

static bool along_boundary(const struct cuts *s, double lo, double hi)
{
    for (int i = 0; i < s->nalong; i++)
        if (s->along[i][0] <= lo && hi <= s->along[i][1])
            return true;
    return false;
}

double hp_route_distance_at(const struct hp_route *r, struct hp_route_pos pos)
{
    if (pos.t <= 0)
        return r->cum_m[pos.seg];
    if (pos.t >= 1)
        return r->cum_m[pos.seg + 1];
    const double *p = &r->xy[2 * pos.seg], *q = p + 2;
    return r->cum_m[pos.seg] + hp_geodesic_distance(p[0], p[1], p[0] + pos.t * (q[0] - p[0]),
                                                     p[1] + pos.t * (q[1] - p[1]));
}

struct walk {
    const struct hp_route *r;
    bool open;
    struct hp_stretch cur;
    struct hp_stretch *out;
    int n, cap;
};

static void reach(struct walk *w, int seg, double t)
{
    if (!w->open) {
        w->open = true;
        w->cur.from = (struct hp_route_pos){seg, t};
    }
    w->cur.to = (struct hp_route_pos){seg, t};
}

static bool close_stretch(struct walk *w)
{
    if (!w->open)
        return true;
    w->open = false;
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 4;
        struct hp_stretch *o = realloc(w->out, (size_t)cap * sizeof(*o));
        if (!o)
            return false;
        w->out = o, w->cap = cap;
    }
    w->cur.from_m = hp_route_distance_at(w->r, w->cur.from);
    w->cur.to_m = hp_route_distance_at(w->r, w->cur.to);
    w->out[w->n++] = w->cur;
    return true;
}

/* Walks segment seg through its sorted cuts: boundary points and inside
 * pieces extend the open stretch, an outside piece closes it. */
static bool walk_segment(struct walk *w, const struct hp_area *a, int seg, struct cuts *s)
{
    const double *p = &w->r->xy[2 * seg], *q = p + 2;
    for (int k = 0; k < s->n; k++) {
        if (s->c[k].boundary)
            reach(w, seg, s->c[k].t);
        if (k + 1 == s->n || !(s->c[k + 1].t > s->c[k].t))
            continue;
        double lo = s->c[k].t, hi = s->c[k + 1].t, mid = (lo + hi) / 2;
        if (along_boundary(s, lo, hi) ||
            hp_area_covers(a, p[0] + mid * (q[0] - p[0]), p[1] + mid * (q[1] - p[1]))) {
            reach(w, seg, lo);
            reach(w, seg, hi);
        } else if (!close_stretch(w)) {
            return false;
        }
    }
    return true;
}

int hp_route_clip(const struct hp_route *r, const struct hp_area *a, struct hp_stretch **out)
{
    struct walk w = {.r = r};
    struct cuts s = {0};
    bool ok = true;
    for (int i = 0; ok && i + 1 < r->n; i++) {
        const double *p = &r->xy[2 * i], *q = p + 2;
        if (p[0] == q[0] && p[1] == q[1])
            continue; /* a repeated position: nothing happens on it */
        if (MAX(p[0], q[0]) < a->minx || MIN(p[0], q[0]) > a->maxx ||
            MAX(p[1], q[1]) < a->miny || MIN(p[1], q[1]) > a->maxy) {
            ok = close_stretch(&w);
            continue;
        }
        s.n = s.nalong = 0;
        ok = push_cut(&s, 0, false) && push_cut(&s, 1, false) && cut_segment(a, p, q, &s);
        if (!ok)
            break;
        sort_cuts(s.c, s.n);
        /* Merge equal parameters, keeping the boundary mark. */
        int m = 0;
        for (int k = 0; k < s.n; k++) {
            if (m > 0 && s.c[m - 1].t == s.c[k].t)
                s.c[m - 1].boundary |= s.c[k].boundary;
            else
                s.c[m++] = s.c[k];
        }
        s.n = m;
        ok = walk_segment(&w, a, i, &s);
    }
    /* A route that never moves (every position the same) has no segment
     * to cut; it is inside wherever its one place is, like a point. */
    if (ok && w.n == 0 && !w.open && r->cum_m[r->n - 1] == 0 &&
        hp_area_covers(a, r->xy[0], r->xy[1]))
        reach(&w, 0, 0);
    ok = ok && close_stretch(&w);
    free(s.c);
    free(s.along);
    if (!ok) {
        free(w.out);
        *out = NULL;
        return -1;
    }
    *out = w.out;
    return w.n;
}

int hp_route_extract(const struct hp_route *r, struct hp_route_pos from, struct hp_route_pos to,
                     double *xy)
{
    int n = 0;
    const double *p = &r->xy[2 * from.seg], *q = p + 2;
    xy[n * 2] = p[0] + from.t * (q[0] - p[0]);
    xy[n++ * 2 + 1] = p[1] + from.t * (q[1] - p[1]);
    for (int i = from.seg + 1; i <= to.seg; i++) {
        xy[n * 2] = r->xy[2 * i];
        xy[n++ * 2 + 1] = r->xy[2 * i + 1];
    }
    p = &r->xy[2 * to.seg], q = p + 2;
    xy[n * 2] = p[0] + to.t * (q[0] - p[0]);
    xy[n++ * 2 + 1] = p[1] + to.t * (q[1] - p[1]);
    return n;
}
