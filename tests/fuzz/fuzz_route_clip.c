/*
 * Fuzz target for cutting routes by areas: the bytes become a route and
 * rings (valid or not) on a grid of whole degrees, where arithmetic is
 * exact, so edges coincide, routes run along boundaries, pass through
 * vertices and double back: the cases floating-point geometry gets wrong.
 * Properties that must hold: no crash; stretches in route order, within
 * the route, not overlapping; a stretch that begins at a route position
 * begins inside the (closed) area; the same answers with the area's run
 * boxes as without them. A broken property aborts.
 */
#include "haulpass/geodesic.h"
#include "haulpass/route_clip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GRID 1.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    /* First byte: positions of the route (2..33); then rings of 4..19. */
    int n = 2 + data[0] % 32;
    size_t at = 1;
    if (size < at + 2 * (size_t)n)
        return 0;
    double xy[2 * 33], cum[33];
    for (int i = 0; i < n; i++, at += 2) {
        xy[2 * i] = (data[at] % 16) * GRID;
        xy[2 * i + 1] = (data[at + 1] % 16) * GRID;
        cum[i] = i ? cum[i - 1] + hp_geodesic_distance(xy[2 * i - 2], xy[2 * i - 1], xy[2 * i],
                                                       xy[2 * i + 1])
                   : 0;
    }
    double ring_xy[2 * 64];
    int ends[8], nrings = 0, np = 0;
    while (at < size && nrings < 8) {
        int k = 3 + data[at++] % 12; /* positions before closing */
        if (np + k + 1 > 64 || at + 2 * (size_t)k > size)
            break;
        int start = np;
        for (int i = 0; i < k; i++, at += 2) {
            ring_xy[2 * np] = (data[at] % 16) * GRID;
            ring_xy[2 * np + 1] = (data[at + 1] % 16) * GRID;
            np++;
        }
        ring_xy[2 * np] = ring_xy[2 * start];
        ring_xy[2 * np + 1] = ring_xy[2 * start + 1];
        ends[nrings++] = ++np;
    }
    if (nrings == 0)
        return 0;
    struct hp_area a = {ring_xy, ends, nrings, 1e9, 1e9, -1e9, -1e9};
    for (int i = 0; i < np; i++) {
        a.minx = ring_xy[2 * i] < a.minx ? ring_xy[2 * i] : a.minx;
        a.maxx = ring_xy[2 * i] > a.maxx ? ring_xy[2 * i] : a.maxx;
        a.miny = ring_xy[2 * i + 1] < a.miny ? ring_xy[2 * i + 1] : a.miny;
        a.maxy = ring_xy[2 * i + 1] > a.maxy ? ring_xy[2 * i + 1] : a.maxy;
    }
    struct hp_route r = {xy, cum, n};
    struct hp_stretch *st;
    int k = hp_route_clip(&r, &a, &st);
    if (k < 0)
        abort();
    double last = -1;
    for (int i = 0; i < k; i++) {
        if (st[i].from_m > st[i].to_m + 1e-6 || st[i].from_m < last - 1e-6 ||
            st[i].to_m > cum[n - 1] + 1e-6 || st[i].from.seg > st[i].to.seg)
            abort();
        last = st[i].to_m;
        /* Only at route positions: an interpolated one may be a rounding
         * away from the boundary it lies on. */
        const double *p = &xy[2 * st[i].from.seg];
        if (st[i].from.t == 0 && !hp_area_covers(&a, p[0], p[1]))
            abort();
    }
    /* The run boxes only skip work: bit for bit the same stretches. */
    double boxes[4 * 64];
    struct hp_area boxed = a;
    hp_area_run_boxes(&a, boxes);
    boxed.run_box = boxes;
    struct hp_stretch *sb;
    if (hp_route_clip(&r, &boxed, &sb) != k)
        abort();
    for (int i = 0; i < k; i++)
        if (memcmp(&st[i], &sb[i], sizeof(*st)) != 0)
            abort();
    for (int i = 0; i < n; i++)
        if (hp_area_covers(&a, xy[2 * i], xy[2 * i + 1]) !=
            hp_area_covers(&boxed, xy[2 * i], xy[2 * i + 1]))
            abort();
    free(sb);
    free(st);
    return 0;
}
