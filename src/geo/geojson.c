/*
 * GeoJSON Polygon/MultiPolygon <-> GEOS. The structure and the numbers are
 * checked here, while walking the JSON, because only here do we know the
 * JSON pointer of a position; whether the shape is valid is decided by GEOS
 * (GEOSisValidDetail), never by hand.
 */
#include "haulpass/geojson.h"

#include "haulpass/antimeridian.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GEOS's words for the last error on this thread (contexts made by
 * hp_geojson_context_new only; other contexts leave it empty). */
static _Thread_local char geos_last_error[200];

static void geos_on_error(const char *message, void *userdata)
{
    (void)userdata;
    snprintf(geos_last_error, sizeof geos_last_error, "%s", message ? message : "");
}

GEOSContextHandle_t hp_geojson_context_new(void)
{
    GEOSContextHandle_t ctx = GEOS_init_r();
    if (!ctx)
        return NULL;
    GEOSContext_setErrorMessageHandler_r(ctx, geos_on_error, NULL);
    GEOSContext_setNoticeMessageHandler_r(ctx, NULL, NULL);
    return ctx;
}

void hp_geojson_context_free(GEOSContextHandle_t ctx)
{
    if (ctx)
        GEOS_finish_r(ctx);
}

/* ---- errors -------------------------------------------------------------- */

static void set_error(struct hp_geo_error *err, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(struct hp_geo_error *err, const char *pointer, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    snprintf(err->pointer, sizeof err->pointer, "%s", pointer);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* Appends GEOS's own message, when there is one, to a generic one. */
static void set_geos_error(struct hp_geo_error *err, const char *what)
{
    if (geos_last_error[0])
        set_error(err, "", "%s: %s", what, geos_last_error);
    else
        set_error(err, "", "%s", what);
}

/*
 * Shortest of %.15g, %.16g, %.17g that reads back as exactly `d` (17
 * significant digits always do). Any number sent with 15 digits or fewer
 * comes back as sent. Assumes the "C" numeric locale, like cJSON.
 */
static void format_double(char *buf, size_t size, double d)
{
    /* Never true; said so that GCC's sanitizer build (-O2, ASan) stops
     * seeing a path with a null buffer here (-Wformat-truncation). */
    if (!buf || size == 0)
        return;
    snprintf(buf, size, "%.15g", d);
    if (strtod(buf, NULL) == d)
        return;
    snprintf(buf, size, "%.16g", d);
    if (strtod(buf, NULL) == d)
        return;
    snprintf(buf, size, "%.17g", d);
}

/* d in millionths of a degree (the feed's rounding), as an integer. */
static long long feed_units(double d)
{
    return llround(d * 1e6);
}

bool hp_geojson_ring_roundable(const double *xy, size_t n)
{
    _Static_assert(HP_GEOJSON_FEED_DECIMALS == 6, "feed_units counts millionths");
    for (size_t i = 1; i < n; i++)
        if (feed_units(xy[2 * i]) == feed_units(xy[2 * i - 2]) &&
            feed_units(xy[2 * i + 1]) == feed_units(xy[2 * i - 1]))
            return false;
    return true;
}

void hp_geojson_coord_text(char *buf, size_t size, double d, bool rounded)
{
    if (!rounded) {
        format_double(buf, size, d);
        return;
    }
    long long u = feed_units(d);
    long long a = u < 0 ? -u : u;
    int k = snprintf(buf, size, "%s%lld.%06lld", u < 0 ? "-" : "", a / 1000000, a % 1000000);
    /* Trailing zeros, then a bare point, go. */
    while (k > 0 && buf[k - 1] == '0')
        buf[--k] = '\0';
    if (k > 0 && buf[k - 1] == '.')
        buf[--k] = '\0';
}

/* ---- reading numbers ----------------------------------------------------- */

/* A JSON number's text: -?digits(.digits)?([eE][+-]?digits)? */
static bool is_json_number_text(const char *s)
{
    if (*s == '-')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

/* A cJSON number, or a cJSON_Raw holding a number (see from_geos). */
static bool json_double(const cJSON *item, double *out)
{
    if (cJSON_IsNumber(item)) {
        *out = item->valuedouble;
        return true;
    }
    if (cJSON_IsRaw(item) && item->valuestring && is_json_number_text(item->valuestring)) {
        *out = strtod(item->valuestring, NULL);
        return true;
    }
    return false;
}

/* ---- GeoJSON -> GEOS ----------------------------------------------------- */

struct reader {
    GEOSContextHandle_t ctx;
    struct hp_geo_error *err;
    char path[128]; /* JSON pointer of the array being read */
    size_t pathlen;
    size_t vertices;
    double *buf; /* x, y pairs of the ring being read */
    size_t bufcap;
};

static size_t path_push(struct reader *r, size_t index)
{
    size_t old = r->pathlen;
    int n = snprintf(r->path + old, sizeof r->path - old, "/%zu", index);
    if (n > 0 && (size_t)n < sizeof r->path - old)
        r->pathlen += (size_t)n;
    return old;
}

static void path_pop(struct reader *r, size_t old)
{
    r->pathlen = old;
    r->path[old] = '\0';
}

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    if (!r->err)
        return;
    snprintf(r->err->pointer, sizeof r->err->pointer, "%s", r->path);
    va_start(ap, fmt);
    vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
    va_end(ap);
}

static const char *const axis_names[] = {"longitude", "latitude", "altitude"};

/* Reads the position at r->path into *x, *y. */
static bool read_position(struct reader *r, const cJSON *pos, double *x, double *y)
{
    double v[3];
    int n = 0;
    const cJSON *item;

    if (!cJSON_IsArray(pos)) {
        fail(r, "a position must be an array of 2 or 3 numbers: longitude, latitude "
                "and an optional altitude");
        return false;
    }
    cJSON_ArrayForEach(item, pos) {
        if (n == 3) {
            fail(r, "a position must hold 2 or 3 numbers (longitude, latitude and an "
                    "optional altitude); this one holds %d",
                 cJSON_GetArraySize(pos));
            return false;
        }
        if (!json_double(item, &v[n])) {
            fail(r, "the %s of a position must be a number", axis_names[n]);
            return false;
        }
        if (!isfinite(v[n])) {
            fail(r, "the %s of a position is not a finite number", axis_names[n]);
            return false;
        }
        n++;
    }
    if (n < 2) {
        fail(r, "a position must hold 2 or 3 numbers (longitude, latitude and an "
                "optional altitude); this one holds %d",
             n);
        return false;
    }
    if (v[0] < -180.0 || v[0] > 180.0) {
        char num[32];
        format_double(num, sizeof num, v[0]);
        fail(r, "longitude %s is outside [-180, 180]", num);
        return false;
    }
    if (v[1] < -90.0 || v[1] > 90.0) {
        char num[32];
        format_double(num, sizeof num, v[1]);
        fail(r, "latitude %s is outside [-90, 90]", num);
        return false;
    }
    *x = v[0]; /* an altitude, v[2], is dropped */
    *y = v[1];
    return true;
}

/* Refuses the edge of the ring in r->buf from position i - 1 to position i
 * (at r->path) when it crosses the antimeridian (antimeridian.h). */
static bool edge_on_one_side(struct reader *r, size_t i)
{
    if (i == 0 || !hp_antimeridian_crossed(r->buf[2 * i - 2], r->buf[2 * i]))
        return true;
    fail(r, "%s", HP_ANTIMERIDIAN_MESSAGE);
    return false;
}

/* Reads the linear ring at r->path. Returns a new LinearRing or NULL. */
static GEOSGeometry *read_ring(struct reader *r, const cJSON *ring)
{
    const cJSON *pos;
    size_t n, i = 0;
    GEOSCoordSequence *seq;
    GEOSGeometry *g;

    if (!cJSON_IsArray(ring)) {
        fail(r, "a linear ring must be an array of positions");
        return NULL;
    }
    n = (size_t)cJSON_GetArraySize(ring);
    if (n < 4) {
        fail(r, "a linear ring needs at least 4 positions (the last repeating the first); "
                "this one has %zu",
             n);
        return NULL;
    }
    if (n > HP_GEOJSON_MAX_VERTICES || r->vertices + n > HP_GEOJSON_MAX_VERTICES) {
        set_error(r->err, "/coordinates", "the geometry has more than %d positions",
                  HP_GEOJSON_MAX_VERTICES);
        return NULL;
    }
    r->vertices += n;
    if (n > r->bufcap) {
        double *nb = realloc(r->buf, n * 2 * sizeof *nb);
        if (!nb) {
            fail(r, "out of memory");
            return NULL;
        }
        r->buf = nb;
        r->bufcap = n;
    }
    cJSON_ArrayForEach(pos, ring) {
        size_t old = path_push(r, i);
        bool ok = read_position(r, pos, &r->buf[2 * i], &r->buf[2 * i + 1]) &&
                  edge_on_one_side(r, i);
        path_pop(r, old);
        if (!ok)
            return NULL;
        i++;
    }
    if (r->buf[0] != r->buf[2 * n - 2] || r->buf[1] != r->buf[2 * n - 1]) {
        char x0[32], y0[32], x1[32], y1[32];
        format_double(x0, sizeof x0, r->buf[0]);
        format_double(y0, sizeof y0, r->buf[1]);
        format_double(x1, sizeof x1, r->buf[2 * n - 2]);
        format_double(y1, sizeof y1, r->buf[2 * n - 1]);
        fail(r, "the ring is not closed: its last position (%s %s) must repeat its first "
                "(%s %s)",
             x1, y1, x0, y0);
        return NULL;
    }
    geos_last_error[0] = '\0';
    seq = GEOSCoordSeq_copyFromBuffer_r(r->ctx, r->buf, (unsigned)n, 0, 0);
    g = seq ? GEOSGeom_createLinearRing_r(r->ctx, seq) : NULL;
    if (!g)
        fail(r, "could not build the ring%s%s", geos_last_error[0] ? ": " : "",
             geos_last_error);
    return g;
}

/* Reads the Polygon coordinates at r->path. Returns a new Polygon or NULL. */
static GEOSGeometry *read_polygon(struct reader *r, const cJSON *rings)
{
    GEOSGeometry *shell = NULL, **holes = NULL, *poly = NULL;
    size_t nrings, nholes = 0, i = 0;
    const cJSON *ring;

    if (!cJSON_IsArray(rings)) {
        fail(r, "a Polygon's coordinates must be an array of linear rings");
        return NULL;
    }
    nrings = (size_t)cJSON_GetArraySize(rings);
    if (nrings == 0) {
        fail(r, "a Polygon needs at least one linear ring (its outer boundary)");
        return NULL;
    }
    if (nrings > 1) {
        holes = calloc(nrings - 1, sizeof *holes);
        if (!holes) {
            fail(r, "out of memory");
            return NULL;
        }
    }
    cJSON_ArrayForEach(ring, rings) {
        size_t old = path_push(r, i);
        GEOSGeometry *g = read_ring(r, ring);
        path_pop(r, old);
        if (!g)
            goto done;
        if (i == 0)
            shell = g;
        else
            holes[nholes++] = g;
        i++;
    }
    geos_last_error[0] = '\0';
    /* Takes the rings, even when it fails (GEOS >= 3.10). */
    poly = GEOSGeom_createPolygon_r(r->ctx, shell, holes, (unsigned)nholes);
    shell = NULL;
    nholes = 0;
    if (!poly)
        fail(r, "could not build the polygon%s%s", geos_last_error[0] ? ": " : "",
             geos_last_error);
done:
    if (shell)
        GEOSGeom_destroy_r(r->ctx, shell);
    for (size_t k = 0; k < nholes; k++)
        GEOSGeom_destroy_r(r->ctx, holes[k]);
    free(holes);
    return poly;
}

/*
 * Where GEOS found the geometry invalid, as a JSON pointer: the position
 * equal to the location if there is one, else the ring passing through it,
 * else the geometry itself.
 */
static void locate(GEOSContextHandle_t ctx, const GEOSGeometry *mp, bool multi, double lx,
                   double ly, char *out, size_t outsize)
{
    int npolys = GEOSGetNumGeometries_r(ctx, mp);
    double best = INFINITY;
    int best_p = -1, best_r = -1;

    snprintf(out, outsize, "%s", "");
    for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < npolys; p++) {
            const GEOSGeometry *poly = GEOSGetGeometryN_r(ctx, mp, p);
            int nholes = GEOSGetNumInteriorRings_r(ctx, poly);
            for (int k = 0; k <= nholes; k++) {
                const GEOSGeometry *ring = k == 0 ? GEOSGetExteriorRing_r(ctx, poly)
                                                  : GEOSGetInteriorRingN_r(ctx, poly, k - 1);
                const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, ring);
                unsigned n = 0;
                double x0 = 0, y0 = 0, x1, y1;
                if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n))
                    continue;
                for (unsigned i = 0; i < n; i++) {
                    if (!GEOSCoordSeq_getXY_r(ctx, seq, i, &x1, &y1))
                        break;
                    if (pass == 0 && x1 == lx && y1 == ly) {
                        if (multi)
                            snprintf(out, outsize, "/coordinates/%d/%d/%u", p, k, i);
                        else
                            snprintf(out, outsize, "/coordinates/%d/%u", k, i);
                        return;
                    }
                    if (pass == 1 && i > 0) {
                        /* distance from the location to segment (x0,y0)-(x1,y1) */
                        double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy, t = 0;
                        if (len2 > 0)
                            t = fmax(0, fmin(1, ((lx - x0) * dx + (ly - y0) * dy) / len2));
                        double d = hypot(lx - (x0 + t * dx), ly - (y0 + t * dy));
                        if (d < best) {
                            best = d;
                            best_p = p;
                            best_r = k;
                        }
                    }
                    x0 = x1;
                    y0 = y1;
                }
            }
        }
    }
    if (best_p >= 0 && best <= 1e-9) {
        if (multi)
            snprintf(out, outsize, "/coordinates/%d/%d", best_p, best_r);
        else
            snprintf(out, outsize, "/coordinates/%d", best_r);
    }
}

/* Fills r->err from GEOS's validity verdict. Returns true when valid. */
static bool check_valid(struct reader *r, const GEOSGeometry *mp, bool multi)
{
    char *reason = NULL;
    GEOSGeometry *location = NULL;
    char valid;
    bool ok = false;

    geos_last_error[0] = '\0';
    valid = GEOSisValidDetail_r(r->ctx, mp, 0, &reason, &location);
    if (valid == 1) {
        ok = true;
    } else if (valid == 0) {
        double x, y;
        if (location && GEOSGeomGetX_r(r->ctx, location, &x) && GEOSGeomGetY_r(r->ctx, location, &y)) {
            char xs[32], ys[32];
            format_double(xs, sizeof xs, x);
            format_double(ys, sizeof ys, y);
            locate(r->ctx, mp, multi, x, y, r->path, sizeof r->path);
            fail(r, "%s at %s %s", reason ? reason : "Invalid geometry", xs, ys);
        } else {
            r->path[0] = '\0';
            fail(r, "%s", reason ? reason : "Invalid geometry");
        }
    } else {
        r->path[0] = '\0';
        fail(r, "the geometry could not be checked%s%s", geos_last_error[0] ? ": " : "",
             geos_last_error);
    }
    if (reason)
        GEOSFree_r(r->ctx, reason);
    if (location)
        GEOSGeom_destroy_r(r->ctx, location);
    return ok;
}

GEOSGeometry *hp_geojson_to_geos(GEOSContextHandle_t ctx, const cJSON *geometry,
                                 struct hp_geo_error *err)
{
    struct reader r = {.ctx = ctx, .err = err};
    const cJSON *type, *coords, *item;
    GEOSGeometry **polys = NULL, *mp = NULL;
    size_t npolys = 0, i = 0;
    bool multi;

    if (err)
        err->pointer[0] = err->message[0] = '\0';
    if (!ctx) {
        fail(&r, "no GEOS context");
        return NULL;
    }
    if (!cJSON_IsObject(geometry)) {
        fail(&r, "a geometry must be a JSON object with \"type\" and \"coordinates\"");
        return NULL;
    }
    type = cJSON_GetObjectItemCaseSensitive(geometry, "type");
    if (!type) {
        set_error(err, "/type", "the member \"type\" is missing");
        return NULL;
    }
    if (!cJSON_IsString(type) || !type->valuestring) {
        set_error(err, "/type", "\"type\" must be a string");
        return NULL;
    }
    if (strcmp(type->valuestring, "Polygon") == 0) {
        multi = false;
    } else if (strcmp(type->valuestring, "MultiPolygon") == 0) {
        multi = true;
    } else {
        set_error(err, "/type", "a zone geometry must be a Polygon or a MultiPolygon, not %.40s%s",
                  type->valuestring, strlen(type->valuestring) > 40 ? "..." : "");
        return NULL;
    }
    coords = cJSON_GetObjectItemCaseSensitive(geometry, "coordinates");
    snprintf(r.path, sizeof r.path, "/coordinates");
    r.pathlen = strlen(r.path);
    if (!coords) {
        fail(&r, "the member \"coordinates\" is missing");
        return NULL;
    }

    if (!multi) {
        GEOSGeometry *poly = read_polygon(&r, coords);
        if (!poly)
            goto done;
        polys = malloc(sizeof *polys);
        if (!polys) {
            GEOSGeom_destroy_r(ctx, poly);
            fail(&r, "out of memory");
            goto done;
        }
        polys[npolys++] = poly;
    } else {
        size_t n;
        if (!cJSON_IsArray(coords)) {
            fail(&r, "a MultiPolygon's coordinates must be an array of polygons, each an "
                     "array of linear rings");
            goto done;
        }
        n = (size_t)cJSON_GetArraySize(coords);
        if (n == 0) {
            fail(&r, "a MultiPolygon needs at least one polygon");
            goto done;
        }
        polys = calloc(n, sizeof *polys);
        if (!polys) {
            fail(&r, "out of memory");
            goto done;
        }
        cJSON_ArrayForEach(item, coords) {
            size_t old = path_push(&r, i);
            GEOSGeometry *poly = read_polygon(&r, item);
            path_pop(&r, old);
            if (!poly)
                goto done;
            polys[npolys++] = poly;
            i++;
        }
    }

    geos_last_error[0] = '\0';
    /* Takes the polygons, even when it fails (GEOS >= 3.10). */
    mp = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polys, (unsigned)npolys);
    npolys = 0;
    if (!mp) {
        r.path[0] = '\0';
        fail(&r, "could not build the geometry%s%s", geos_last_error[0] ? ": " : "",
             geos_last_error);
        goto done;
    }
    if (!check_valid(&r, mp, multi)) {
        GEOSGeom_destroy_r(ctx, mp);
        mp = NULL;
    }
done:
    for (size_t k = 0; k < npolys; k++)
        GEOSGeom_destroy_r(ctx, polys[k]);
    free(polys);
    free(r.buf);
    return mp;
}

/* ---- GEOS -> GeoJSON ----------------------------------------------------- */

struct writer {
    GEOSContextHandle_t ctx;
    bool feed; /* HP_GEOJSON_FEED_PRECISION */
    struct hp_geo_error *err;
    double *buf;
    size_t bufcap;
};

static cJSON *write_ring(struct writer *w, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(w->ctx, ring);
    unsigned n = 0;
    cJSON *arr;

    if (!seq || !GEOSCoordSeq_getSize_r(w->ctx, seq, &n)) {
        set_geos_error(w->err, "could not read a ring");
        return NULL;
    }
    if (n > w->bufcap) {
        double *nb = realloc(w->buf, (size_t)n * 2 * sizeof *nb);
        if (!nb) {
            set_error(w->err, "", "out of memory");
            return NULL;
        }
        w->buf = nb;
        w->bufcap = n;
    }
    if (n > 0 && !GEOSCoordSeq_copyToBuffer_r(w->ctx, seq, w->buf, 0, 0)) {
        set_geos_error(w->err, "could not read a ring");
        return NULL;
    }
    bool rounded = w->feed && hp_geojson_ring_roundable(w->buf, n);
    arr = cJSON_CreateArray();
    if (!arr)
        goto oom;
    for (unsigned i = 0; i < n; i++) {
        cJSON *pos = cJSON_CreateArray();
        if (!pos)
            goto oom;
        cJSON_AddItemToArray(arr, pos);
        for (int k = 0; k < 2; k++) {
            double d = w->buf[2 * (size_t)i + (size_t)k];
            char num[32];
            cJSON *v;
            if (!isfinite(d)) {
                set_error(w->err, "", "the geometry holds a coordinate that is not a finite number");
                cJSON_Delete(arr);
                return NULL;
            }
            hp_geojson_coord_text(num, sizeof num, d, rounded);
            v = cJSON_CreateRaw(num);
            if (!v)
                goto oom;
            cJSON_AddItemToArray(pos, v);
        }
    }
    return arr;
oom:
    set_error(w->err, "", "out of memory");
    cJSON_Delete(arr);
    return NULL;
}

static cJSON *write_polygon(struct writer *w, const GEOSGeometry *poly)
{
    int nholes = GEOSGetNumInteriorRings_r(w->ctx, poly);
    cJSON *rings = cJSON_CreateArray();

    if (!rings) {
        set_error(w->err, "", "out of memory");
        return NULL;
    }
    if (GEOSisEmpty_r(w->ctx, poly) == 1)
        return rings;
    for (int k = 0; k <= nholes; k++) {
        const GEOSGeometry *ring = k == 0 ? GEOSGetExteriorRing_r(w->ctx, poly)
                                          : GEOSGetInteriorRingN_r(w->ctx, poly, k - 1);
        cJSON *r = ring ? write_ring(w, ring) : NULL;
        if (!r) {
            if (!ring)
                set_geos_error(w->err, "could not read a ring");
            cJSON_Delete(rings);
            return NULL;
        }
        cJSON_AddItemToArray(rings, r);
    }
    return rings;
}

cJSON *hp_geojson_from_geos(GEOSContextHandle_t ctx, const GEOSGeometry *g, unsigned flags,
                            struct hp_geo_error *err)
{
    struct writer w = {.ctx = ctx, .err = err, .feed = flags & HP_GEOJSON_FEED_PRECISION};
    cJSON *obj = NULL, *coords = NULL;
    int type;

    if (err)
        err->pointer[0] = err->message[0] = '\0';
    if (!ctx || !g) {
        set_error(err, "", "no geometry");
        return NULL;
    }
    geos_last_error[0] = '\0';
    type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_MULTIPOLYGON && (flags & HP_GEOJSON_POLYGON_IF_SINGLE) &&
        GEOSGetNumGeometries_r(ctx, g) == 1) {
        g = GEOSGetGeometryN_r(ctx, g, 0);
        type = GEOS_POLYGON;
    }
    if (type == GEOS_POLYGON) {
        coords = write_polygon(&w, g);
    } else if (type == GEOS_MULTIPOLYGON) {
        int n = GEOSGetNumGeometries_r(ctx, g);
        coords = cJSON_CreateArray();
        if (!coords) {
            set_error(err, "", "out of memory");
            goto done;
        }
        for (int i = 0; i < n; i++) {
            cJSON *p = write_polygon(&w, GEOSGetGeometryN_r(ctx, g, i));
            if (!p) {
                cJSON_Delete(coords);
                coords = NULL;
                goto done;
            }
            cJSON_AddItemToArray(coords, p);
        }
    } else {
        set_error(err, "", "a zone geometry must be a Polygon or a MultiPolygon (GEOS type %d)",
                  type);
        goto done;
    }
    if (!coords)
        goto done;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "type", type == GEOS_POLYGON ? "Polygon" : "MultiPolygon")) {
        set_error(err, "", "out of memory");
        cJSON_Delete(obj);
        cJSON_Delete(coords);
        obj = NULL;
        goto done;
    }
    cJSON_AddItemToObject(obj, "coordinates", coords);
done:
    free(w.buf);
    return obj;
}

/* ---- WKB ----------------------------------------------------------------- */

GEOSGeometry *hp_geojson_wkb_read(GEOSContextHandle_t ctx, const void *wkb, size_t len, bool hex,
                                  struct hp_geo_error *err)
{
    GEOSWKBReader *reader;
    GEOSGeometry *g;
    const unsigned char *p = wkb;

    if (err)
        err->pointer[0] = err->message[0] = '\0';
    if (!ctx || !wkb || len == 0) {
        set_error(err, "", "no WKB to read");
        return NULL;
    }
    if (hex && len >= 2 && p[0] == '\\' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        len -= 2;
    }
    geos_last_error[0] = '\0';
    reader = GEOSWKBReader_create_r(ctx);
    if (!reader) {
        set_geos_error(err, "could not read the WKB");
        return NULL;
    }
    g = hex ? GEOSWKBReader_readHEX_r(ctx, reader, p, len)
            : GEOSWKBReader_read_r(ctx, reader, p, len);
    GEOSWKBReader_destroy_r(ctx, reader);
    if (!g)
        set_geos_error(err, "could not read the WKB");
    return g;
}

cJSON *hp_geojson_from_wkb(GEOSContextHandle_t ctx, const void *wkb, size_t len, bool hex,
                           unsigned flags, struct hp_geo_error *err)
{
    GEOSGeometry *g = hp_geojson_wkb_read(ctx, wkb, len, hex, err);
    cJSON *obj;

    if (!g)
        return NULL;
    obj = hp_geojson_from_geos(ctx, g, flags, err);
    GEOSGeom_destroy_r(ctx, g);
    return obj;
}

/* WKB (or its hex text) as GEOS writes it; the caller GEOSFree_r()s it. */
static unsigned char *wkb_write(GEOSContextHandle_t ctx, const GEOSGeometry *g, bool hex,
                                size_t *len)
{
    GEOSWKBWriter *writer;
    unsigned char *out;

    if (!ctx || !g)
        return NULL;
    writer = GEOSWKBWriter_create_r(ctx);
    if (!writer)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(ctx, writer, 2);
    GEOSWKBWriter_setByteOrder_r(ctx, writer, GEOS_WKB_NDR);
    GEOSWKBWriter_setIncludeSRID_r(ctx, writer, 0);
    out = hex ? GEOSWKBWriter_writeHEX_r(ctx, writer, g, len)
              : GEOSWKBWriter_write_r(ctx, writer, g, len);
    GEOSWKBWriter_destroy_r(ctx, writer);
    return out;
}

unsigned char *hp_geojson_to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry *g, size_t *len)
{
    size_t n = 0;
    unsigned char *wkb = wkb_write(ctx, g, false, &n), *copy = NULL;

    if (!wkb)
        return NULL;
    copy = malloc(n ? n : 1);
    if (copy) {
        memcpy(copy, wkb, n);
        if (len)
            *len = n;
    }
    GEOSFree_r(ctx, wkb);
    return copy;
}

char *hp_geojson_to_wkb_hex(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    size_t n = 0;
    unsigned char *hex = wkb_write(ctx, g, true, &n);
    char *copy;

    if (!hex)
        return NULL;
    copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, hex, n);
        copy[n] = '\0';
    }
    GEOSFree_r(ctx, hex);
    return copy;
}
