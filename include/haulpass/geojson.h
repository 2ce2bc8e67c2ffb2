/*
 * GeoJSON zone geometry <-> GEOS, validated by GEOS.
 *
 * Threads: every function takes a GEOS context handle. A handle may be used
 * by one thread at a time, so give each worker thread its own (from
 * hp_geojson_context_new or GEOS_init_r); geometries must only be used with
 * the handle that made them.
 *
 * Coordinates are longitude, latitude in WGS 84 (EPSG:4326), as in RFC 7946.
 * A position may carry a third number (altitude): it must be a finite number
 * and is dropped. Positions of four or more numbers are refused.
 */
#ifndef HAULPASS_GEOJSON_H
#define HAULPASS_GEOJSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <geos_c.h>

/* Most positions a zone geometry may hold, closing positions included. */
#define HP_GEOJSON_MAX_VERTICES 100000

/*
 * Where and why a geometry was refused. `pointer` is a JSON pointer relative
 * to the geometry object ("" is the object itself, "/coordinates/0/3" the
 * fourth position of the first ring); the API layer prefixes "/geometry".
 * `message` is a sentence for the user, e.g. "Self-intersection at 118.305
 * 35.005". Both are always NUL-terminated.
 */
struct hp_geo_error {
    char pointer[128];
    char message[256];
};

/* Output options for hp_geojson_from_geos and hp_geojson_from_wkb. */
enum hp_geojson_flags {
    HP_GEOJSON_DEFAULT = 0,
    /* Write a MultiPolygon of exactly one polygon as a Polygon. */
    HP_GEOJSON_POLYGON_IF_SINGLE = 1 << 0,
    /* Coordinates rounded to HP_GEOJSON_FEED_DECIMALS places, for the
     * public feed (hp_geojson_ring_roundable says when a ring is kept
     * exact instead). */
    HP_GEOJSON_FEED_PRECISION = 1 << 1,
};

/*
 * Decimal places of the coordinates in the public feed (GeoJSON and DATEX
 * II). RFC 7946 §11.2 suggests 6: a millionth of a degree is at most
 * 0.11 m, so rounding moves a vertex by at most 0.056 m in latitude and as
 * much in longitude (less away from the equator), under 8 cm in all: an
 * order of magnitude below the metre a restriction's edge needs to be
 * right to, and far below what a truck's satellite position resolves; and
 * it drops the up to 11 digits of noise a computed or imported coordinate
 * carries. 7 places (1 cm) would cost a digit per number for nothing a
 * consumer can use. The authenticated zone API keeps every digit
 * (docs/open-data.md).
 */
#define HP_GEOJSON_FEED_DECIMALS 6

/*
 * Whether rounding the n positions xy (x, y pairs) to
 * HP_GEOJSON_FEED_DECIMALS places keeps every two consecutive positions
 * apart. When it would not (vertices a few centimetres apart), the ring is
 * written exactly instead: merging them could leave a ring of fewer than
 * four positions, or one that crosses itself. Pure.
 */
bool hp_geojson_ring_roundable(const double *xy, size_t n);

/*
 * Writes coordinate d into buf (at least 32 bytes): rounded to
 * HP_GEOJSON_FEED_DECIMALS places without trailing zeros ("118.3",
 * "35.012345", never "-0") when rounded, else the shortest text that reads
 * back as exactly d. Pure.
 */
void hp_geojson_coord_text(char *buf, size_t size, double d, bool rounded);

/*
 * A new GEOS context whose error messages are kept per thread, so the errors
 * of hp_geojson_* carry GEOS's own words. Returns NULL when out of memory.
 * The caller frees it with hp_geojson_context_free, after destroying every
 * geometry made with it.
 */
GEOSContextHandle_t hp_geojson_context_new(void);

/* Frees a context from hp_geojson_context_new. Accepts NULL. */
void hp_geojson_context_free(GEOSContextHandle_t ctx);

/*
 * Reads a GeoJSON geometry object ({"type": "Polygon"|"MultiPolygon",
 * "coordinates": ...}; other members such as "bbox" are ignored) and
 * validates it: structure, positions of 2 or 3 finite numbers, longitude in
 * [-180, 180], latitude in [-90, 90], no edge across the antimeridian
 * (antimeridian.h; refused at the edge's second position), rings of at
 * least 4 positions whose first and last positions are equal, at most
 * HP_GEOJSON_MAX_VERTICES positions, then GEOS validity (GEOSisValidDetail:
 * self-intersection, holes outside their shell, overlapping polygons, ...).
 * Ring orientation is not checked and is kept as sent.
 *
 * Returns a new valid MultiPolygon (a Polygon is promoted to a MultiPolygon of
 * one), owned by the caller: GEOSGeom_destroy_r(ctx, g). On refusal returns
 * NULL and fills *err (err may be NULL). Coordinate members may be cJSON
 * numbers or the numeric cJSON_Raw nodes hp_geojson_from_geos writes.
 * `geometry` is only read.
 */
GEOSGeometry *hp_geojson_to_geos(GEOSContextHandle_t ctx, const cJSON *geometry,
                                 struct hp_geo_error *err);

/*
 * Writes a Polygon or MultiPolygon as a GeoJSON geometry object, 2D.
 * Each coordinate is a cJSON_Raw node holding the shortest decimal text that
 * reads back as the very same double (cJSON's own printing of numbers may
 * lose the last bit), so the coordinates a client sent come back as sent.
 * Returns a new object owned by the caller (cJSON_Delete), or NULL with *err
 * filled when the geometry is of another type, holds a non-finite
 * coordinate, or memory runs out. `g` is only read.
 */
cJSON *hp_geojson_from_geos(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                            unsigned flags, struct hp_geo_error *err);

/*
 * Reads WKB or PostGIS EWKB (an SRID is accepted and ignored): binary when
 * `hex` is false; otherwise hex text, upper or lower case, with or without
 * PostgreSQL's "\x" bytea prefix (`len` counts the characters; a trailing
 * NUL is not needed). Returns a new geometry owned by the caller
 * (GEOSGeom_destroy_r), or NULL with *err filled when it cannot be read.
 */
GEOSGeometry *hp_geojson_wkb_read(GEOSContextHandle_t ctx, const void *wkb, size_t len,
                                  bool hex, struct hp_geo_error *err);

/*
 * hp_geojson_wkb_read followed by hp_geojson_from_geos: PostGIS output
 * (ST_AsBinary or a geometry column) straight to GeoJSON. Returns a new
 * object owned by the caller (cJSON_Delete), or NULL with *err filled.
 */
cJSON *hp_geojson_from_wkb(GEOSContextHandle_t ctx, const void *wkb, size_t len, bool hex,
                           unsigned flags, struct hp_geo_error *err);

/*
 * Writes `g` as 2D little-endian WKB without SRID, for a binary-format libpq
 * parameter used as ST_GeomFromWKB($1, 4326). Returns a buffer of *len bytes
 * that the caller frees with free(), or NULL (out of memory, or a GEOS
 * error).
 */
unsigned char *hp_geojson_to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry *g, size_t *len);

/*
 * The same WKB as upper-case hex text, NUL-terminated, for a text-format
 * libpq parameter: ST_GeomFromWKB(decode($1, 'hex'), 4326), or $1::geometry
 * with ST_SetSRID. Returns a string that the caller frees with free(), or
 * NULL (out of memory, or a GEOS error).
 */
char *hp_geojson_to_wkb_hex(GEOSContextHandle_t ctx, const GEOSGeometry *g);

#endif
