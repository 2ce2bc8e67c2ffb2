/*
 * KML geometry to GeoJSON: a Polygon (outer and inner boundaries) becomes a
 * GeoJSON Polygon, a MultiGeometry of Polygons (nested ones flattened) a
 * MultiPolygon; positions are 2D, altitudes dropped. Rings are checked only
 * as far as KML can break them (numbers, count, closure): validity is
 * hp_geojson_to_geos's job, as for a JSON request.
 */
#include "kml_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xs:double without INF/NaN: [+-]?(digits(.digits?)?|.digits)([eE][+-]?digits)? */
static bool parse_number(const char *s, size_t n, double *out)
{
    char buf[64];
    size_t i = 0, digits = 0;
    char *end;

    if (n == 0 || n >= sizeof buf)
        return false;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, exp++;
        if (exp == 0)
            return false;
    }
    if (i != n)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, &end); /* the "C" numeric locale is assumed */
    return *end == '\0' && isfinite(*out);
}


/*
 * Reads the <coordinates> of a LinearRing as a GeoJSON ring (array of
 * [lon, lat]). Returns NULL and fills *p when they are broken; sets
 * w->status when out of memory.
 */
static cJSON *read_coordinates(struct kml_walk *w, const xmlNode *coords, const char *which,
                               struct kml_problem *p)
{
    long line0 = kml_line_of(coords), line = line0;
    xmlChar *raw = xmlNodeGetContent(coords);
    const char *s = raw ? (const char *)raw : "";
    cJSON *ring = cJSON_CreateArray();
    size_t npos = 0;
    double first[2] = {0, 0}, last[2] = {0, 0};

    if (!ring || !raw) {
        w->status = HP_KML_NO_MEMORY;
        goto fail;
    }
    for (;;) {
        const char *tok, *field;
        double v[3];
        int nv = 0;
        cJSON *pos;

        while (kml_is_space(*s)) {
            if (*s == '\n')
                line++;
            s++;
        }
        if (!*s)
            break;
        tok = s;
        while (*s && !kml_is_space(*s))
            s++;
        /* split "lon,lat[,alt]" at commas */
        field = tok;
        for (;;) {
            const char *comma = memchr(field, ',', (size_t)(s - field));
            const char *fend = comma ? comma : s;
            if (nv == 3 || !parse_number(field, (size_t)(fend - field), &v[nv])) {
                nv = -1;
                break;
            }
            nv++;
            if (!comma)
                break;
            field = comma + 1;
        }
        if (nv < 2) {
            kml_problem(p, line, "%s: \"%.*s%s\" is not \"longitude,latitude\" or "
                             "\"longitude,latitude,altitude\" (finite numbers, no spaces)",
                    which, (int)(s - tok > 40 ? 40 : s - tok), tok, s - tok > 40 ? "..." : "");
            goto fail;
        }
        if (++w->placemark_vertices > HP_KML_MAX_PLACEMARK_VERTICES) {
            kml_problem(p, line, "the Placemark has more than %d positions", HP_KML_MAX_PLACEMARK_VERTICES);
            goto fail;
        }
        if (npos == 0) {
            first[0] = v[0];
            first[1] = v[1];
        }
        last[0] = v[0];
        last[1] = v[1];
        pos = cJSON_CreateDoubleArray(v, 2); /* the altitude, v[2], is dropped */
        if (!pos) {
            w->status = HP_KML_NO_MEMORY;
            goto fail;
        }
        cJSON_AddItemToArray(ring, pos);
        npos++;
    }
    if (npos < 4) {
        kml_problem(p, line0, "%s has %zu positions; a ring needs at least 4, the last repeating the first",
                which, npos);
        goto fail;
    }
    if (first[0] != last[0] || first[1] != last[1]) {
        kml_problem(p, line0, "%s is not closed: its last position (%.15g,%.15g) must repeat its first "
                          "(%.15g,%.15g)",
                which, last[0], last[1], first[0], first[1]);
        goto fail;
    }
    xmlFree(raw);
    return ring;
fail:
    xmlFree(raw);
    cJSON_Delete(ring);
    return NULL;
}

/* A LinearRing element -> GeoJSON ring. */
static cJSON *read_ring(struct kml_walk *w, const xmlNode *ring, const char *which, struct kml_problem *p)
{
    int n;
    xmlNodePtr coords = kml_only_child(ring, "coordinates", &n);
    if (n != 1) {
        kml_problem(p, kml_line_of(ring), "the LinearRing of the %s has %s <coordinates>", which,
                n == 0 ? "no" : "more than one");
        return NULL;
    }
    return read_coordinates(w, coords, which, p);
}

/* A Polygon element -> GeoJSON Polygon coordinates (array of rings). */
static cJSON *read_polygon(struct kml_walk *w, const xmlNode *poly, struct kml_problem *p)
{
    cJSON *rings = cJSON_CreateArray(), *ring;
    int nouter, nrings, nholes = 0;
    xmlNodePtr outer = kml_only_child(poly, "outerBoundaryIs", &nouter), lr;

    if (!rings) {
        w->status = HP_KML_NO_MEMORY;
        return NULL;
    }
    if (nouter != 1) {
        kml_problem(p, kml_line_of(poly), "the Polygon has %s <outerBoundaryIs>",
                nouter == 0 ? "no" : "more than one");
        goto fail;
    }
    lr = kml_only_child(outer, "LinearRing", &nrings);
    if (nrings != 1) {
        kml_problem(p, kml_line_of(outer), "<outerBoundaryIs> holds %s LinearRing",
                nrings == 0 ? "no" : "more than one");
        goto fail;
    }
    ring = read_ring(w, lr, "outer boundary", p);
    if (!ring)
        goto fail;
    cJSON_AddItemToArray(rings, ring);
    for (xmlNodePtr inner = poly->children; inner; inner = inner->next) {
        if (!kml_is(inner, "innerBoundaryIs"))
            continue;
        nrings = 0;
        /* Several LinearRings in one innerBoundaryIs: each is a hole. */
        for (lr = inner->children; lr; lr = lr->next) {
            char which[48];
            if (!kml_is(lr, "LinearRing"))
                continue;
            nrings++;
            snprintf(which, sizeof which, "inner boundary %d", ++nholes);
            ring = read_ring(w, lr, which, p);
            if (!ring)
                goto fail;
            cJSON_AddItemToArray(rings, ring);
        }
        if (nrings == 0) {
            kml_problem(p, kml_line_of(inner), "<innerBoundaryIs> holds no LinearRing");
            goto fail;
        }
    }
    return rings;
fail:
    cJSON_Delete(rings);
    return NULL;
}

static bool is_geometry(const xmlNode *n)
{
    static const char *const kml_geometries[] = {"Point", "LineString", "LinearRing", "Polygon",
                                                 "MultiGeometry", "Model"};
    if (!n || n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href)
        return false;
    if (strcmp((const char *)n->ns->href, KML_NS) == 0) {
        for (size_t i = 0; i < sizeof kml_geometries / sizeof *kml_geometries; i++)
            if (strcmp((const char *)n->name, kml_geometries[i]) == 0)
                return true;
        return false;
    }
    return strcmp((const char *)n->ns->href, "http://www.google.com/kml/ext/2.2") == 0 &&
           (strcmp((const char *)n->name, "Track") == 0 ||
            strcmp((const char *)n->name, "MultiTrack") == 0);
}

/* Adds the Polygons of a MultiGeometry (nested ones flattened) to `polys`. */
static bool read_multigeometry(struct kml_walk *w, const xmlNode *mg, cJSON *polys, int depth,
                               struct kml_problem *p)
{
    for (xmlNodePtr c = mg->children; c; c = c->next) {
        if (!is_geometry(c))
            continue;
        if (kml_is(c, "Polygon")) {
            cJSON *rings = read_polygon(w, c, p);
            if (!rings)
                return false;
            cJSON_AddItemToArray(polys, rings);
        } else if (kml_is(c, "MultiGeometry") && depth < 32) {
            if (!read_multigeometry(w, c, polys, depth + 1, p))
                return false;
        } else {
            kml_problem(p, kml_line_of(c), "the MultiGeometry holds a %s; only Polygons can be imported",
                    (const char *)c->name);
            return false;
        }
    }
    return true;
}

/* The Placemark's geometry as a GeoJSON object, or NULL with *p filled. */
cJSON *kml_geometry_read(struct kml_walk *w, const xmlNode *pm, struct kml_problem *p)
{
    xmlNodePtr geom = NULL;
    int ngeom = 0;
    cJSON *obj = NULL, *coords = NULL;
    const char *type;

    for (xmlNodePtr c = pm->children; c; c = c->next)
        if (is_geometry(c) && ngeom++ == 0)
            geom = c;
    if (ngeom == 0) {
        kml_problem(p, kml_line_of(pm), "the Placemark has no geometry; a Polygon or a MultiGeometry "
                                     "of Polygons is needed");
        return NULL;
    }
    if (ngeom > 1) {
        kml_problem(p, kml_line_of(pm), "the Placemark has more than one geometry");
        return NULL;
    }
    if (kml_is(geom, "Polygon")) {
        type = "Polygon";
        coords = read_polygon(w, geom, p);
    } else if (kml_is(geom, "MultiGeometry")) {
        type = "MultiPolygon";
        coords = cJSON_CreateArray();
        if (!coords) {
            w->status = HP_KML_NO_MEMORY;
            return NULL;
        }
        if (!read_multigeometry(w, geom, coords, 0, p)) {
            cJSON_Delete(coords);
            return NULL;
        }
        if (cJSON_GetArraySize(coords) == 0) {
            kml_problem(p, kml_line_of(geom), "the MultiGeometry holds no Polygon");
            cJSON_Delete(coords);
            return NULL;
        }
    } else {
        kml_problem(p, kml_line_of(geom), "the geometry is a %s; only a Polygon or a MultiGeometry of "
                                       "Polygons can be imported",
                (const char *)geom->name);
        return NULL;
    }
    if (!coords)
        return NULL;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "type", type)) {
        w->status = HP_KML_NO_MEMORY;
        cJSON_Delete(obj);
        cJSON_Delete(coords);
        return NULL;
    }
    cJSON_AddItemToObject(obj, "coordinates", coords);
    return obj;
}

