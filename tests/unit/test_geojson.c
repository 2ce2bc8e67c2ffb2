/* GeoJSON zone geometry: refusals with pointer and message, round trips, WKB. */
#include "test.h"

#include "haulpass/geojson.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

static GEOSContextHandle_t ctx;

int hp_test_setup(void)
{
    ctx = hp_geojson_context_new();
    return ctx ? 0 : 1;
}

void hp_test_teardown(void)
{
    hp_geojson_context_free(ctx);
}

/* Parses `json` and runs it through hp_geojson_to_geos. */
static GEOSGeometry *load(const char *json, struct hp_geo_error *err)
{
    cJSON *j = cJSON_Parse(json);
    GEOSGeometry *g;
    if (!j) {
        snprintf(err->message, sizeof err->message, "test JSON does not parse");
        err->pointer[0] = '\0';
        return NULL;
    }
    g = hp_geojson_to_geos(ctx, j, err);
    cJSON_Delete(j);
    return g;
}

/* Expects `json` to be refused at `pointer` with a message containing `words`. */
static bool refused(const char *json, const char *pointer, const char *words)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load(json, &err);
    bool ok = true;
    if (g) {
        GEOSGeom_destroy_r(ctx, g);
        printf("    accepted: %s\n", json);
        return false;
    }
    if (strcmp(err.pointer, pointer) != 0) {
        printf("    pointer \"%s\", expected \"%s\"\n", err.pointer, pointer);
        ok = false;
    }
    if (!strstr(err.message, words)) {
        printf("    message \"%s\" lacks \"%s\"\n", err.message, words);
        ok = false;
    }
    return ok;
}

#define SQUARE "[[0,0],[10,0],[10,10],[0,10],[0,0]]"
#define HOLE "[[2,2],[2,4],[4,4],[4,2],[2,2]]"

/* ---- accepted shapes ----------------------------------------------------- */

TEST(a_polygon_is_promoted_to_a_valid_multipolygon_of_one)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "]}", &err);
    REQUIRE(g);
    CHECK_INT(GEOSGeomTypeId_r(ctx, g), GEOS_MULTIPOLYGON);
    CHECK_INT(GEOSGetNumGeometries_r(ctx, g), 1);
    CHECK_INT(GEOSisValid_r(ctx, g), 1);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(a_multipolygon_of_two_separate_polygons_is_accepted)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],"
                           "[[[20,20],[30,20],[30,30],[20,20]]]]}",
                           &err);
    REQUIRE(g);
    CHECK_INT(GEOSGetNumGeometries_r(ctx, g), 2);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(a_polygon_with_a_hole_keeps_the_hole)
{
    struct hp_geo_error err;
    double area = 0;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "," HOLE "]}", &err);
    REQUIRE(g);
    CHECK_INT(GEOSGetNumInteriorRings_r(ctx, GEOSGetGeometryN_r(ctx, g, 0)), 1);
    CHECK(GEOSArea_r(ctx, g, &area) == 1 && area == 96.0);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(members_other_than_type_and_coordinates_such_as_bbox_are_ignored)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"bbox\":[0,0,10,10],\"coordinates\":[" SQUARE "]}",
                           &err);
    CHECK(g);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(a_clockwise_outer_ring_is_accepted_and_kept_as_sent)
{
    struct hp_geo_error err;
    const char *in = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0,10],[10,10],[10,0],[0,0]]]}";
    GEOSGeometry *g = load(in, &err);
    cJSON *out;
    char *text;
    REQUIRE(g);
    out = hp_geojson_from_geos(ctx, g, HP_GEOJSON_POLYGON_IF_SINGLE, &err);
    REQUIRE(out);
    text = cJSON_PrintUnformatted(out);
    CHECK_STR(text, in);
    free(text);
    cJSON_Delete(out);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(an_altitude_as_a_third_number_is_accepted_and_dropped)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[[[0,0,5],[10,0,5.5],[10,10,-3],"
                           "[0,10,0],[0,0,7]]]}",
                           &err);
    cJSON *out;
    char *text;
    REQUIRE(g);
    CHECK_INT(GEOSHasZ_r(ctx, g), 0);
    out = hp_geojson_from_geos(ctx, g, HP_GEOJSON_POLYGON_IF_SINGLE, &err);
    REQUIRE(out);
    text = cJSON_PrintUnformatted(out);
    CHECK_STR(text, "{\"type\":\"Polygon\",\"coordinates\":" "[" SQUARE "]}");
    free(text);
    cJSON_Delete(out);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(positions_on_the_range_limits_are_accepted)
{
    struct hp_geo_error err;
    /* By way of 0: an edge from -180 to 180 would cross the antimeridian. */
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90],[0,-90],[180,-90],"
                           "[180,90],[0,90],[-180,90],[-180,-90]]]}",
                           &err);
    CHECK(g);
    GEOSGeom_destroy_r(ctx, g);
}

/* ---- refusals: structure ------------------------------------------------- */

TEST(a_geometry_that_is_not_an_object_is_refused_at_the_geometry)
{
    CHECK(refused("[1,2]", "", "must be a JSON object"));
}

TEST(a_missing_type_is_refused_at_type)
{
    CHECK(refused("{\"coordinates\":[" SQUARE "]}", "/type", "\"type\" is missing"));
}

TEST(a_type_that_is_not_a_string_is_refused_at_type)
{
    CHECK(refused("{\"type\":7,\"coordinates\":[" SQUARE "]}", "/type", "must be a string"));
}

TEST(a_linestring_is_refused_at_type_naming_the_type)
{
    CHECK(refused("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", "/type",
                  "must be a Polygon or a MultiPolygon, not LineString"));
}

TEST(a_feature_instead_of_a_geometry_is_refused_at_type)
{
    CHECK(refused("{\"type\":\"Feature\",\"geometry\":null}", "/type", "not Feature"));
}

TEST(the_type_names_are_case_sensitive)
{
    CHECK(refused("{\"type\":\"polygon\",\"coordinates\":[" SQUARE "]}", "/type", "not polygon"));
}

TEST(missing_coordinates_are_refused_at_coordinates)
{
    CHECK(refused("{\"type\":\"Polygon\"}", "/coordinates", "\"coordinates\" is missing"));
}

TEST(polygon_coordinates_that_are_not_an_array_are_refused)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":\"0 0 1 1\"}", "/coordinates",
                  "must be an array of linear rings"));
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":null}", "/coordinates",
                  "must be an array of linear rings"));
}

TEST(multipolygon_coordinates_that_are_not_an_array_are_refused)
{
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":{}}", "/coordinates",
                  "must be an array of polygons"));
}

TEST(a_polygon_without_rings_is_refused)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[]}", "/coordinates",
                  "at least one linear ring"));
}

TEST(a_multipolygon_without_polygons_is_refused)
{
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "/coordinates",
                  "at least one polygon"));
}

TEST(a_ring_that_is_not_an_array_is_refused_at_the_ring)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE ",5]}", "/coordinates/1",
                  "must be an array of positions"));
}

TEST(a_ring_of_three_positions_is_refused_at_the_ring)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", "/coordinates/0",
                  "at least 4 positions"));
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", "/coordinates/0",
                  "this one has 3"));
}

TEST(an_empty_ring_is_refused_at_the_ring)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[]]}", "/coordinates/0",
                  "at least 4 positions"));
}

TEST(an_unclosed_ring_is_refused_at_the_ring_with_both_ends)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,1]]]}",
                  "/coordinates/0", "not closed: its last position (0 1) must repeat its first (0 0)"));
}

TEST(an_unclosed_hole_of_the_second_polygon_is_refused_at_that_hole)
{
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],[[[20,20],[30,20],[30,30],"
                  "[20,20]],[[21,21],[22,21],[22,22],[21,22]]]]}",
                  "/coordinates/1/1", "not closed"));
}

/* ---- refusals: positions ------------------------------------------------- */

TEST(a_position_that_is_not_an_array_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],\"10,10\",[0,10],[0,0]]]}",
                  "/coordinates/0/2", "must be an array of 2 or 3 numbers"));
}

TEST(a_position_of_one_number_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10],[0,10],[0,0]]]}",
                  "/coordinates/0/2", "this one holds 1"));
}

TEST(a_position_of_four_numbers_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10,0,1],[0,10],[0,0]]]}",
                  "/coordinates/0/2", "this one holds 4"));
}

TEST(a_string_latitude_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,\"0\"],[10,10],[0,10],[0,0]]]}",
                  "/coordinates/0/1", "latitude of a position must be a number"));
}

TEST(a_null_altitude_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0,null],[10,10],[0,10],[0,0]]]}",
                  "/coordinates/0/1", "altitude of a position must be a number"));
}

TEST(a_longitude_outside_minus_180_to_180_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[190.5,10],[0,0]]]}",
                  "/coordinates/0/3", "longitude 190.5 is outside [-180, 180]"));
}

TEST(a_latitude_outside_minus_90_to_90_is_refused_at_the_position)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,-90.000001],[10,10],[0,10],[0,0]]]}",
                  "/coordinates/0/1", "latitude -90.000001 is outside [-90, 90]"));
}

TEST(swapped_latitude_and_longitude_are_caught_by_the_latitude_range)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[35,118],[35,119],[36,119],[35,118]]]}",
                  "/coordinates/0/0", "latitude 118 is outside"));
}

TEST(a_bad_position_in_a_multipolygon_is_pointed_to_with_three_indices)
{
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],[" SQUARE ","
                  "[[2,2],[2,4],[4,400],[4,2],[2,2]]]]}",
                  "/coordinates/1/1/2", "latitude 400 is outside"));
}

TEST(a_ring_across_the_antimeridian_is_refused_at_the_position_after_the_crossing)
{
    /* Valid in the plane, where it covers every longitude of its band. */
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[179.9,0],[-179.9,0],[-179.9,1],"
                  "[179.9,1],[179.9,0]]]}",
                  "/coordinates/0/1", "crosses the antimeridian"));
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],"
                  "[[[170,0],[175,0],[175,1],[-175,1],[170,0]]]]}",
                  "/coordinates/1/0/3", "crosses the antimeridian"));
    /* The closing edge counts too. */
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[-179.9,0],[-179.8,0],[-179.8,1],"
                  "[179.9,1],[-179.9,0]]]}",
                  "/coordinates/0/3", "crosses the antimeridian"));
}

TEST(a_ring_that_reaches_the_antimeridian_from_one_side_is_accepted)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[[[179.9,0],[180,0],[180,1],"
                           "[179.9,1],[179.9,0]]]}",
                           &err);
    CHECK(g);
    if (g)
        GEOSGeom_destroy_r(ctx, g);
}

TEST(a_number_too_large_for_a_double_is_refused_as_not_finite)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1e999,0],[10,10],[0,10],[0,0]]]}",
                  "/coordinates/0/1", "longitude of a position is not a finite number"));
}

TEST(more_than_100000_positions_are_refused)
{
    /* 3 rings of 40,000 positions: the third crosses the limit. */
    cJSON *geo = cJSON_CreateObject(), *rings = cJSON_CreateArray();
    struct hp_geo_error err;
    GEOSGeometry *g;
    cJSON_AddStringToObject(geo, "type", "Polygon");
    cJSON_AddItemToObject(geo, "coordinates", rings);
    for (int r = 0; r < 3; r++) {
        cJSON *ring = cJSON_CreateArray();
        for (int i = 0; i < 40000; i++) {
            double a = 2 * M_PI * (i % 39999) / 39999.0, rad = 10.0 / (r + 1);
            double xy[2] = {rad * cos(a), rad * sin(a)};
            cJSON_AddItemToArray(ring, cJSON_CreateDoubleArray(xy, 2));
        }
        cJSON_AddItemToArray(rings, ring);
    }
    g = hp_geojson_to_geos(ctx, geo, &err);
    CHECK(g == NULL);
    CHECK_STR(err.pointer, "/coordinates");
    CHECK(strstr(err.message, "more than 100000 positions") != NULL);
    GEOSGeom_destroy_r(ctx, g);
    cJSON_Delete(geo);
}

/* ---- refusals: GEOS validity --------------------------------------------- */

TEST(a_self_intersecting_bow_tie_is_refused_with_the_reason_and_the_place)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[[[118.3,35],[118.31,35.01],"
                           "[118.31,35],[118.3,35.01],[118.3,35]]]}",
                           &err);
    REQUIRE(g == NULL);
    CHECK(strncmp(err.message, "Self-intersection at 118.305 35.005", 35) == 0);
    CHECK_STR(err.pointer, "/coordinates/0");
}

TEST(a_hole_outside_its_shell_is_refused)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE ",[[20,20],[20,24],[24,24],[24,20],"
                  "[20,20]]]}",
                  "/coordinates/1/0", "Hole lies outside shell at 20 20"));
}

TEST(overlapping_polygons_of_a_multipolygon_are_refused_at_the_ring_crossed)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],"
                           "[[[5,5],[15,5],[15,15],[5,15],[5,5]]]]}",
                           &err);
    REQUIRE(g == NULL);
    CHECK(strstr(err.message, "Self-intersection at") != NULL);
    CHECK(strncmp(err.pointer, "/coordinates/", 13) == 0);
}

TEST(a_polygon_nested_inside_another_of_the_same_multipolygon_is_refused)
{
    CHECK(refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "],[" HOLE "]]}",
                  "/coordinates/1/0/0", "Nested shells at 2 2"));
}

TEST(a_ring_whose_positions_are_all_equal_is_refused)
{
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[1,1],[1,1],[1,1]]]}",
                  "/coordinates/0/0", "Too few points in geometry component at 1 1"));
}

TEST(a_hole_that_cuts_the_polygon_in_two_is_refused)
{
    /* The hole touches the shell at two points: the interior is disconnected. */
    CHECK(refused("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE ",[[5,0],[6,5],[5,10],[4,5],[5,0]]]}",
                  "/coordinates/1/2", "Interior is disconnected at 5 10"));
}

/* ---- round trips --------------------------------------------------------- */

/* to_geos -> from_geos -> text -> parse: each number read back must be the
 * same double as the one sent. */
static bool same_numbers(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!same_numbers(x, y))
                return false;
        return !x && !y;
    }
    return cJSON_IsNumber(a) && cJSON_IsNumber(b) &&
           memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) == 0;
}

static char *round_trip_text(const char *in, unsigned flags)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load(in, &err);
    cJSON *out;
    char *text;
    if (!g) {
        printf("    refused: %s %s\n", err.pointer, err.message);
        return NULL;
    }
    out = hp_geojson_from_geos(ctx, g, flags, &err);
    GEOSGeom_destroy_r(ctx, g);
    if (!out)
        return NULL;
    text = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    return text;
}

TEST(coordinates_come_back_exactly_as_sent)
{
    const char *in = "{\"type\":\"Polygon\",\"coordinates\":[[[118.3051234567891,35.1],"
                     "[118.4,35.1],[118.4,35.2],[118.30512345678901,35.2],"
                     "[118.3051234567891,35.1]]]}";
    /* Already the shortest text of each double, so it comes back verbatim. */
    const char *shortest = "{\"type\":\"Polygon\",\"coordinates\":[[[118.3051234567891,35.1],"
                           "[118.4,35.1],[118.4,35.2],[118.305123456789,35.2],"
                           "[118.3051234567891,35.1]]]}";
    char *text = round_trip_text(in, HP_GEOJSON_POLYGON_IF_SINGLE);
    cJSON *a = cJSON_Parse(in), *b = text ? cJSON_Parse(text) : NULL;
    REQUIRE(text && b);
    /* 118.30512345678901 and 118.305123456789 are the same double. */
    CHECK_STR(text, shortest);
    CHECK(same_numbers(cJSON_GetObjectItem(a, "coordinates"), cJSON_GetObjectItem(b, "coordinates")));
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(text);
}

TEST(a_coordinate_that_cjson_would_print_one_bit_off_comes_back_exactly)
{
    /* cJSON_Print writes 118.30512345678902 as 118.305123456789, another double. */
    const char *in = "{\"type\":\"Polygon\",\"coordinates\":[[[118.30512345678902,35.1],"
                     "[118.4,35.1],[118.4,35.2],[118.30512345678902,35.1]]]}";
    char *text = round_trip_text(in, HP_GEOJSON_POLYGON_IF_SINGLE);
    cJSON *a = cJSON_Parse(in), *b = text ? cJSON_Parse(text) : NULL;
    char *cjson_own = cJSON_PrintUnformatted(a);
    REQUIRE(text && b);
    CHECK_STR(text, in);
    CHECK(same_numbers(cJSON_GetObjectItem(a, "coordinates"), cJSON_GetObjectItem(b, "coordinates")));
    CHECK(strstr(cjson_own, "118.30512345678902") == NULL); /* why Raw nodes are needed */
    free(cjson_own);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(text);
}

TEST(a_multipolygon_with_holes_comes_back_as_sent)
{
    const char *in = "{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "," HOLE "],"
                     "[[[-20.25,-20.125],[-30,-20],[-30,-30.5],[-20.25,-20.125]]]]}";
    char *text = round_trip_text(in, HP_GEOJSON_DEFAULT);
    CHECK_STR(text, in);
    free(text);
}

TEST(a_polygon_comes_back_as_a_multipolygon_unless_asked_for_a_polygon)
{
    char *multi = round_trip_text("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "]}", HP_GEOJSON_DEFAULT);
    char *single =
        round_trip_text("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "]}", HP_GEOJSON_POLYGON_IF_SINGLE);
    CHECK_STR(multi, "{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE "]]}");
    CHECK_STR(single, "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "]}");
    free(multi);
    free(single);
}

TEST(the_output_of_from_geos_is_accepted_again_by_to_geos)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "," HOLE "]}", &err), *g2;
    cJSON *out;
    REQUIRE(g);
    out = hp_geojson_from_geos(ctx, g, HP_GEOJSON_DEFAULT, &err);
    REQUIRE(out);
    g2 = hp_geojson_to_geos(ctx, out, &err);
    CHECK(g2 && GEOSEqualsExact_r(ctx, g, g2, 0) == 1);
    GEOSGeom_destroy_r(ctx, g);
    GEOSGeom_destroy_r(ctx, g2);
    cJSON_Delete(out);
}

TEST(from_geos_refuses_a_point)
{
    struct hp_geo_error err;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx, 1, 2);
    cJSON *out = hp_geojson_from_geos(ctx, pt, 0, &err);
    CHECK(out == NULL);
    CHECK(strstr(err.message, "must be a Polygon or a MultiPolygon") != NULL);
    GEOSGeom_destroy_r(ctx, pt);
}

/* ---- WKB ----------------------------------------------------------------- */

TEST(binary_wkb_round_trips_to_the_same_geojson)
{
    const char *in = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[118.30512345678902,35.1],"
                     "[118.4,35.1],[118.4,35.2],[118.30512345678902,35.1]]]]}";
    struct hp_geo_error err;
    GEOSGeometry *g = load(in, &err);
    size_t len = 0;
    unsigned char *wkb;
    cJSON *out;
    char *text;
    REQUIRE(g);
    wkb = hp_geojson_to_wkb(ctx, g, &len);
    REQUIRE(wkb);
    CHECK_INT(len, 1 + 4 + 4 + (1 + 4 + 4 + 4 + 4 * 16)); /* 2D multipolygon, one ring of 4 */
    CHECK_INT(wkb[0], 1);                                 /* little endian */
    out = hp_geojson_from_wkb(ctx, wkb, len, false, 0, &err);
    REQUIRE(out);
    text = cJSON_PrintUnformatted(out);
    CHECK_STR(text, in);
    free(text);
    cJSON_Delete(out);
    free(wkb);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(hex_wkb_round_trips_with_or_without_the_bytea_prefix)
{
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "," HOLE "]}", &err);
    char *hex, *bytea;
    cJSON *a, *b;
    REQUIRE(g);
    hex = hp_geojson_to_wkb_hex(ctx, g);
    REQUIRE(hex);
    CHECK(strncmp(hex, "0106000000", 10) == 0);
    bytea = malloc(strlen(hex) + 3);
    strcpy(bytea, "\\x");
    for (size_t i = 0; hex[i]; i++) /* PostgreSQL writes bytea in lower case */
        bytea[i + 2] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] - 'A' + 'a' : hex[i]);
    bytea[strlen(hex) + 2] = '\0';
    a = hp_geojson_from_wkb(ctx, hex, strlen(hex), true, HP_GEOJSON_POLYGON_IF_SINGLE, &err);
    b = hp_geojson_from_wkb(ctx, bytea, strlen(bytea), true, HP_GEOJSON_POLYGON_IF_SINGLE, &err);
    REQUIRE(a && b);
    CHECK(cJSON_Compare(a, b, true));
    {
        char *text = cJSON_PrintUnformatted(a);
        CHECK_STR(text, "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "," HOLE "]}");
        free(text);
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(hex);
    free(bytea);
    GEOSGeom_destroy_r(ctx, g);
}

TEST(postgis_ewkb_with_srid_4326_is_read)
{
    /* SELECT ST_SetSRID('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'::geometry, 4326) */
    const char *ewkb = "0106000020E6100000010000000103000000010000000400000000000000000000000000"
                       "000000000000000000000000F03F0000000000000000000000000000F03F000000000000"
                       "F03F00000000000000000000000000000000";
    struct hp_geo_error err;
    cJSON *out = hp_geojson_from_wkb(ctx, ewkb, strlen(ewkb), true, 0, &err);
    char *text;
    REQUIRE(out);
    text = cJSON_PrintUnformatted(out);
    CHECK_STR(text, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}");
    free(text);
    cJSON_Delete(out);
}

TEST(truncated_wkb_is_refused_with_a_message)
{
    struct hp_geo_error err;
    const unsigned char wkb[] = {1, 6, 0, 0, 0, 1, 0};
    CHECK(hp_geojson_from_wkb(ctx, wkb, sizeof wkb, false, 0, &err) == NULL);
    CHECK(strstr(err.message, "could not read the WKB") != NULL);
    CHECK(hp_geojson_from_wkb(ctx, "01ZZ", 4, true, 0, &err) == NULL);
    CHECK(hp_geojson_wkb_read(ctx, "", 0, true, &err) == NULL);
}

/* ---- size and speed ------------------------------------------------------ */

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A circle of n positions (n - 1 distinct, then the first again) as text,
 * rounded to `decimals` places (0: full double precision). */
static char *circle_json(int n, int decimals)
{
    cJSON *geo = cJSON_CreateObject(), *rings = cJSON_CreateArray(), *ring = cJSON_CreateArray();
    char *text;
    cJSON_AddStringToObject(geo, "type", "Polygon");
    cJSON_AddItemToObject(geo, "coordinates", rings);
    cJSON_AddItemToArray(rings, ring);
    for (int i = 0; i < n; i++) {
        double a = 2 * M_PI * (i % (n - 1)) / (n - 1);
        double xy[2] = {118.3 + 0.05 * cos(a), 35.0 + 0.04 * sin(a)};
        if (decimals > 0) {
            double scale = pow(10, decimals);
            xy[0] = round(xy[0] * scale) / scale;
            xy[1] = round(xy[1] * scale) / scale;
        }
        cJSON_AddItemToArray(ring, cJSON_CreateDoubleArray(xy, 2));
    }
    text = cJSON_PrintUnformatted(geo);
    cJSON_Delete(geo);
    return text;
}

/* Converts a circle of n positions both ways and prints how long each step
 * took. Only that it works is asserted: a time bound in a test fails on a
 * loaded machine, so the speed goal (10,000 vertices well under 100 ms) is
 * measured by tools/bench (case zone_create_10k), side by side with a
 * reference, not here. */
static void time_polygon(int n, int decimals)
{
    char *in = circle_json(n, decimals), *wkb_hex;
    struct timespec t0;
    struct hp_geo_error err;
    double parse_ms, validate_ms, out_ms, wkb_ms;
    cJSON *j, *out;
    GEOSGeometry *g;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    j = cJSON_Parse(in);
    parse_ms = ms_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    g = hp_geojson_to_geos(ctx, j, &err);
    validate_ms = ms_since(&t0);
    if (!g)
        printf("    refused: %s %s\n", err.pointer, err.message);
    REQUIRE(g);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    out = hp_geojson_from_geos(ctx, g, 0, &err);
    out_ms = ms_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    wkb_hex = hp_geojson_to_wkb_hex(ctx, g);
    wkb_ms = ms_since(&t0);
    printf("    # %d vertices (%s): cJSON_Parse %.2f ms, to_geos+validate %.2f ms, from_geos %.2f ms, "
           "wkb hex %.2f ms\n",
           n, decimals ? "7 decimals" : "full precision", parse_ms, validate_ms, out_ms, wkb_ms);
    CHECK(out && wkb_hex);
    free(wkb_hex);
    cJSON_Delete(out);
    GEOSGeom_destroy_r(ctx, g);
    cJSON_Delete(j);
    free(in);
}

TEST(a_polygon_of_10000_vertices_is_validated_and_converted_both_ways)
{
    time_polygon(10000, 7); /* GPS-like coordinates */
    time_polygon(10000, 0); /* every coordinate needs 16-17 digits: the worst case */
}

TEST(a_polygon_of_exactly_100000_vertices_is_accepted)
{
    time_polygon(100000, 0);
}

TEST(a_null_context_or_geometry_is_refused_without_crashing)
{
    struct hp_geo_error err;
    cJSON *j = cJSON_Parse("{\"type\":\"Polygon\",\"coordinates\":[" SQUARE "]}");
    CHECK(hp_geojson_to_geos(NULL, j, &err) == NULL);
    CHECK(hp_geojson_to_geos(ctx, NULL, &err) == NULL);
    {
        GEOSGeometry *g = hp_geojson_to_geos(ctx, j, NULL); /* err may be NULL */
        CHECK(g != NULL);
        GEOSGeom_destroy_r(ctx, g);
    }
    CHECK(hp_geojson_from_geos(ctx, NULL, 0, &err) == NULL);
    CHECK(hp_geojson_to_wkb(ctx, NULL, NULL) == NULL);
    hp_geojson_context_free(NULL);
    cJSON_Delete(j);
}

/* ---- the public feed's rounding ------------------------------------------ */

TEST(feed_coordinates_are_rounded_to_six_places_without_trailing_zeros)
{
    char b[32];
    hp_geojson_coord_text(b, sizeof b, 118.123456789012, true);
    CHECK_STR(b, "118.123457");
    hp_geojson_coord_text(b, sizeof b, 35.0, true);
    CHECK_STR(b, "35");
    hp_geojson_coord_text(b, sizeof b, 118.3, true);
    CHECK_STR(b, "118.3");
    hp_geojson_coord_text(b, sizeof b, -0.0000004, true);
    CHECK_STR(b, "0");
    hp_geojson_coord_text(b, sizeof b, -0.0000006, true);
    CHECK_STR(b, "-0.000001");
    hp_geojson_coord_text(b, sizeof b, -179.9999996, true);
    CHECK_STR(b, "-180");
    hp_geojson_coord_text(b, sizeof b, 0.1 + 0.2, false);
    CHECK_STR(b, "0.30000000000000004");
}

TEST(a_rounded_vertex_stays_within_ten_centimetres_of_the_exact_one)
{
    /* 6 places: at most half a millionth of a degree on each axis, which
     * is 5.6 cm of latitude, so under 8 cm however the two combine. */
    srand(17);
    for (int i = 0; i < 10000; i++) {
        double lon = -180 + 360.0 * rand() / RAND_MAX, lat = -89 + 178.0 * rand() / RAND_MAX;
        char x[32], y[32];
        hp_geojson_coord_text(x, sizeof x, lon, true);
        hp_geojson_coord_text(y, sizeof y, lat, true);
        double k = 6371008.8 * M_PI / 180;
        double dx = (strtod(x, NULL) - lon) * cos(lat * M_PI / 180) * k;
        double dy = (strtod(y, NULL) - lat) * k;
        if (sqrt(dx * dx + dy * dy) > 0.08)
            hp_test_fail(__FILE__, __LINE__, "%.12f %.12f came back as %s %s", lon, lat, x, y);
    }
}

TEST(a_ring_whose_vertices_rounding_would_merge_is_not_rounded)
{
    const double apart[] = {0, 0, 0.00001, 0, 0.00001, 0.00001, 0, 0};
    const double close[] = {0, 0, 0.00001, 0, 0.0000101, 0.0000002, 0, 0.00001, 0, 0};
    CHECK(hp_geojson_ring_roundable(apart, 4));
    CHECK(!hp_geojson_ring_roundable(close, 5));
    /* Written out, the close ring keeps its every digit. */
    struct hp_geo_error err;
    GEOSGeometry *g = load("{\"type\":\"Polygon\",\"coordinates\":[[[118.7,35],[118.71,35],"
                           "[118.71,35.01],[118.71000001,35.01000003],[118.7,35.01],"
                           "[118.7,35]]]}",
                           &err);
    REQUIRE(g);
    cJSON *out = hp_geojson_from_geos(ctx, g, HP_GEOJSON_FEED_PRECISION, &err);
    char *text = cJSON_PrintUnformatted(out);
    CHECK(text && strstr(text, "[118.71000001,35.01000003]"));
    free(text);
    cJSON_Delete(out);
    GEOSGeom_destroy_r(ctx, g);
}
