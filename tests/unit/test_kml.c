/* KML import: namespaces, containers, geometry, ExtendedData, skips, security. */
#include "test.h"

#include "haulpass/geojson.h"
#include "haulpass/kml.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static struct hp_kml_schema *schema;
static GEOSContextHandle_t geos;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

int hp_test_setup(void)
{
    size_t len = 0;
    char msg[256];
    char *xsd = read_file(HP_KML_XSD_PATH, &len);
    hp_kml_global_init();
    if (!xsd) {
        printf("# cannot read %s\n", HP_KML_XSD_PATH);
        return 1;
    }
    schema = hp_kml_schema_new(xsd, len, msg, sizeof msg);
    free(xsd);
    if (!schema) {
        printf("# XSD: %s\n", msg);
        return 1;
    }
    geos = hp_geojson_context_new();
    return geos ? 0 : 1;
}

void hp_test_teardown(void)
{
    hp_kml_schema_free(schema);
    hp_geojson_context_free(geos);
}

static enum hp_kml_status parse_text(const char *kml, struct hp_kml_result **out,
                                     struct hp_kml_error *err)
{
    return hp_kml_parse(kml, strlen(kml), schema, out, err);
}

static enum hp_kml_status parse_file(const char *name, struct hp_kml_result **out,
                                     struct hp_kml_error *err)
{
    char path[512];
    size_t len = 0;
    char *data;
    enum hp_kml_status st;
    snprintf(path, sizeof path, "%s/%s", HP_KML_DATA_DIR, name);
    data = read_file(path, &len);
    if (!data) {
        printf("    cannot read %s\n", path);
        *out = NULL;
        return HP_KML_NO_MEMORY;
    }
    st = hp_kml_parse(data, len, schema, out, err);
    free(data);
    return st;
}

static char *json(const cJSON *j)
{
    return cJSON_PrintUnformatted(j);
}

#define CHECK_JSON(item, text)                                                                     \
    do {                                                                                           \
        char *s_ = json(item);                                                                     \
        CHECK_STR(s_, text);                                                                       \
        free(s_);                                                                                  \
    } while (0)

static const struct hp_kml_zone *zone_named(const struct hp_kml_result *r, const char *name)
{
    for (size_t i = 0; i < r->nzones; i++)
        if (strcmp(r->zones[i].name, name) == 0)
            return &r->zones[i];
    printf("    no zone named %s\n", name);
    return NULL;
}

static const struct hp_kml_skip *skip_named(const struct hp_kml_result *r, const char *name)
{
    for (size_t i = 0; i < r->nskipped; i++)
        if (r->skipped[i].name && strcmp(r->skipped[i].name, name) == 0)
            return &r->skipped[i];
    printf("    no skip named %s\n", name);
    return NULL;
}

#define KML_HEAD "<?xml version=\"1.0\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n"
#define KML_TAIL "</kml>\n"
#define SQUARE_RING "<LinearRing><coordinates>10,50 11,50 11,51 10,51 10,50</coordinates></LinearRing>"
#define SQUARE_POLYGON "<Polygon><outerBoundaryIs>" SQUARE_RING "</outerBoundaryIs></Polygon>"
#define SQUARE_GEOJSON                                                                             \
    "{\"type\":\"Polygon\",\"coordinates\":[[[10,50],[11,50],[11,51],[10,51],[10,50]]]}"

/* ---- the sample documents ------------------------------------------------ */

TEST(a_document_in_the_default_namespace_yields_its_zones_and_skips_in_order)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 4);
    CHECK_INT(r->nskipped, 2);
    if (r->nzones == 4) {
        CHECK_STR(r->zones[0].name, "Old town");
        CHECK_INT(r->zones[0].index, 1);
        CHECK_INT(r->zones[0].line, 11);
        CHECK_STR(r->zones[1].name, "临沂市 货车限行区 & <内环>");
        CHECK_INT(r->zones[1].index, 2);
        CHECK_STR(r->zones[2].name, "Harbour and bridge");
        CHECK_STR(r->zones[3].name, "Ring road");
        CHECK_INT(r->zones[3].index, 6);
    }
    if (r->nskipped == 2) {
        CHECK_INT(r->skipped[0].index, 4);
        CHECK_INT(r->skipped[1].index, 5);
    }
    hp_kml_result_free(r);
}

TEST(a_polygon_with_an_inner_boundary_becomes_a_geojson_polygon_with_a_hole)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    const struct hp_kml_zone *z;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    z = zone_named(r, "Old town");
    if (z)
        CHECK_JSON(z->geometry, "{\"type\":\"Polygon\",\"coordinates\":["
                                "[[118.3,35],[118.32,35],[118.32,35.02],[118.3,35.02],[118.3,35]],"
                                "[[118.305,35.005],[118.305,35.01],[118.31,35.01],[118.31,35.005],"
                                "[118.305,35.005]]]}");
    hp_kml_result_free(r);
}

TEST(data_fields_make_the_rule_with_lists_split_at_commas)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    const struct hp_kml_zone *z;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    z = zone_named(r, "Old town");
    if (z)
        CHECK_JSON(z->rule, "{\"vehicle_classes\":[\"hgv\",\"articulated\"],\"exempt_classes\":[\"bus\"],"
                            "\"min_gross_weight_kg\":7500,\"hours\":\"Mo-Fr 07:00-19:00; PH off\","
                            "\"liftable_by\":[\"annual\",\"single_trip\"]}");
    z = zone_named(r, "Ring road");
    if (z) /* CDATA value; an empty weight is null */
        CHECK_JSON(z->rule, "{\"hours\":\"Mo-Su 22:00-06:00\",\"min_gross_weight_kg\":null}");
    z = zone_named(r, "Harbour and bridge");
    if (z)
        CHECK_JSON(z->rule, "{}");
    hp_kml_result_free(r);
}

TEST(a_cdata_name_in_chinese_and_altitudes_amid_odd_whitespace_are_read)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    const struct hp_kml_zone *z;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    z = zone_named(r, "临沂市 货车限行区 & <内环>");
    if (z)
        CHECK_JSON(z->geometry, "{\"type\":\"Polygon\",\"coordinates\":[[[118.35,35.05],[118.36,35.05],"
                                "[118.36,35.06],[118.35,35.06],[118.35,35.05]]]}");
    hp_kml_result_free(r);
}

TEST(a_multigeometry_of_polygons_nested_or_not_becomes_a_multipolygon)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    const struct hp_kml_zone *z;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    z = zone_named(r, "Harbour and bridge");
    if (z)
        CHECK_JSON(z->geometry, "{\"type\":\"MultiPolygon\",\"coordinates\":["
                                "[[[118.4,35.1],[118.41,35.1],[118.41,35.11],[118.4,35.1]]],"
                                "[[[118.5,35.1],[118.51,35.1],[118.51,35.11],[118.5,35.1]]]]}");
    hp_kml_result_free(r);
}

TEST(a_point_and_an_unclosed_ring_are_skipped_with_reasons_while_the_others_are_kept)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    const struct hp_kml_skip *s;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    s = skip_named(r, "Depot entrance");
    if (s) {
        CHECK(strstr(s->reason, "the geometry is a Point") != NULL);
        CHECK_INT(s->line, 72);
    }
    s = skip_named(r, "Unclosed");
    if (s) {
        CHECK(strstr(s->reason, "line 77: outer boundary is not closed") != NULL);
        CHECK(strstr(s->reason, "(118.6,35.2) must repeat its first (118.6,35.1)") != NULL);
    }
    CHECK(zone_named(r, "Ring road") != NULL); /* after the skipped ones */
    hp_kml_result_free(r);
}

TEST(every_candidate_of_the_sample_passes_the_geojson_validation)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_file("city_zones.kml", &r, &err) == HP_KML_OK);
    for (size_t i = 0; i < r->nzones; i++) {
        struct hp_geo_error gerr;
        GEOSGeometry *g = hp_geojson_to_geos(geos, r->zones[i].geometry, &gerr);
        if (!g)
            printf("    %s: %s %s\n", r->zones[i].name, gerr.pointer, gerr.message);
        CHECK(g != NULL);
        GEOSGeom_destroy_r(geos, g);
    }
    hp_kml_result_free(r);
}

TEST(a_prefixed_kml_namespace_is_read)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_file("prefixed.kml", &r, &err) == HP_KML_OK);
    REQUIRE(r->nzones == 1);
    CHECK_STR(r->zones[0].name, "Prefixed zone");
    CHECK_JSON(r->zones[0].geometry, SQUARE_GEOJSON);
    hp_kml_result_free(r);
}

TEST(a_document_without_namespace_is_read_as_kml_2_2)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_file("no_namespace.kml", &r, &err) == HP_KML_OK);
    REQUIRE(r->nzones == 1);
    CHECK_STR(r->zones[0].name, "Hand-written zone");
    CHECK_JSON(r->zones[0].geometry, SQUARE_GEOJSON);
    hp_kml_result_free(r);
}

TEST(schemadata_simpledata_fields_make_the_rule_too)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_file("schema_data.kml", &r, &err) == HP_KML_OK);
    REQUIRE(r->nzones == 1);
    CHECK_JSON(r->zones[0].rule, "{\"vehicle_classes\":[\"hgv\"],\"min_gross_weight_kg\":12000,"
                                 "\"hours\":\"Mo-Sa 06:00-22:00\",\"liftable_by\":[]}");
    hp_kml_result_free(r);
}

/* ---- namespaces and roots ------------------------------------------------ */

TEST(another_namespace_on_the_root_is_refused_as_not_kml)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text("<kml xmlns=\"http://earth.google.com/kml/2.1\"><Placemark/></kml>", &r, &err),
              HP_KML_NOT_KML);
    CHECK(r == NULL);
    CHECK(strstr(err.message, "not a KML 2.2 document") != NULL);
    CHECK(strstr(err.message, "http://earth.google.com/kml/2.1") != NULL);
}

TEST(a_root_other_than_kml_is_refused_as_not_kml)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text("<gpx><trk/></gpx>", &r, &err), HP_KML_NOT_KML);
    CHECK(strstr(err.message, "the root element is <gpx>") != NULL);
}

TEST(placemarks_in_another_namespace_or_unknown_containers_are_ignored)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Document><x:Placemark xmlns:x=\"urn:x\"><x:name>Foreign</x:name>"
                       "</x:Placemark><Placemark><name>Kept</name>" SQUARE_POLYGON "</Placemark>"
                       "</Document>" KML_TAIL,
                       &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    CHECK_INT(r->nskipped, 0);
    hp_kml_result_free(r);
}

TEST(an_empty_document_yields_no_zones_and_no_skips)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Document/>" KML_TAIL, &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 0);
    CHECK_INT(r->nskipped, 0);
    hp_kml_result_free(r);
}

/* ---- geometry details ---------------------------------------------------- */

static void expect_skip(const char *kml, const char *words)
{
    struct hp_kml_result *r = NULL;
    struct hp_kml_error err;
    enum hp_kml_status st = parse_text(kml, &r, &err);
    if (st != HP_KML_OK)
        printf("    status %d: %s\n", st, err.message);
    REQUIRE(st == HP_KML_OK);
    CHECK_INT(r->nzones, 0);
    CHECK_INT(r->nskipped, 1);
    if (r->nskipped == 1 && !strstr(r->skipped[0].reason, words)) {
        printf("    reason \"%s\" lacks \"%s\"\n", r->skipped[0].reason, words);
        CHECK(false);
    }
    hp_kml_result_free(r);
}

static cJSON *only_geometry(const char *kml)
{
    struct hp_kml_result *r = NULL;
    struct hp_kml_error err;
    cJSON *g = NULL;
    if (parse_text(kml, &r, &err) == HP_KML_OK && r->nzones == 1) {
        g = r->zones[0].geometry;
        r->zones[0].geometry = NULL;
    } else if (r && r->nskipped) {
        printf("    skipped: %s\n", r->skipped[0].reason);
    }
    hp_kml_result_free(r);
    return g;
}

TEST(a_misspelt_rule_field_skips_its_placemark_while_other_tools_fields_are_ignored)
{
    const char *slips[][2] = {{"hour", "\"hours\" was perhaps meant"},
                              {"Hours", "\"hours\" was perhaps meant"},
                              {"liftable-by", "\"liftable_by\""},
                              {"vehicle_class", "\"vehicle_classes\""},
                              {"min_gross_weight", "\"min_gross_weight_kg\""}};
    for (size_t i = 0; i < sizeof(slips) / sizeof(slips[0]); i++) {
        char kml[1024];
        snprintf(kml, sizeof(kml),
                 KML_HEAD "<Placemark><name>z</name><ExtendedData><Data name=\"%s\">"
                 "<value>07:00-09:00</value></Data></ExtendedData>" SQUARE_POLYGON
                 "</Placemark>" KML_TAIL, slips[i][0]);
        expect_skip(kml, slips[i][1]);
    }
    struct hp_kml_result *r = NULL;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Placemark><name>z</name><ExtendedData>"
                       "<Data name=\"OBJECTID\"><value>17</value></Data>"
                       "<Data name=\"description\"><value>from the GIS</value></Data>"
                       "<Data name=\"hours\"><value>07:00-09:00</value></Data>"
                       "</ExtendedData>" SQUARE_POLYGON "</Placemark>" KML_TAIL,
                       &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    CHECK_INT(r->nskipped, 0);
    if (r->nzones == 1)
        CHECK_JSON(r->zones[0].rule, "{\"hours\":\"07:00-09:00\"}");
    hp_kml_result_free(r);
}

TEST(tabs_newlines_and_runs_of_spaces_between_tuples_are_all_whitespace)
{
    cJSON *g = only_geometry(KML_HEAD "<Placemark><name>w</name><Polygon><outerBoundaryIs><LinearRing>"
                             "<coordinates>\r\n\t10,50\t\t11,50\n\n   11,51 \r\n10,51\t10,50\n"
                             "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>" KML_TAIL);
    REQUIRE(g);
    CHECK_JSON(g, SQUARE_GEOJSON);
    cJSON_Delete(g);
}

TEST(altitudes_are_dropped_even_when_only_some_tuples_have_one)
{
    cJSON *g = only_geometry(KML_HEAD "<Placemark><name>a</name><Polygon><outerBoundaryIs><LinearRing>"
                             "<coordinates>10,50,100 11,50 11,51,-5.5 10,51,0 10,50,7</coordinates>"
                             "</LinearRing></outerBoundaryIs></Polygon></Placemark>" KML_TAIL);
    REQUIRE(g);
    CHECK_JSON(g, SQUARE_GEOJSON);
    cJSON_Delete(g);
}

TEST(coordinates_keep_every_digit_sent)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Placemark><name>p</name><Polygon><outerBoundaryIs><LinearRing>"
                       "<coordinates>118.30512345678902,35.1 118.4,35.1 118.4,35.2 "
                       "118.30512345678902,35.1</coordinates></LinearRing></outerBoundaryIs>"
                       "</Polygon></Placemark>" KML_TAIL,
                       &r, &err) == HP_KML_OK);
    REQUIRE(r->nzones == 1);
    {
        const cJSON *pos = r->zones[0].geometry->child->next->child->child->child;
        CHECK(pos->valuedouble == 118.30512345678902);
        CHECK(pos->next->valuedouble == 35.1);
    }
    hp_kml_result_free(r);
}

TEST(several_inner_boundaries_and_several_rings_in_one_are_all_holes)
{
    cJSON *g = only_geometry(
        KML_HEAD "<Placemark><name>h</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                 "0,0 10,0 10,10 0,10 0,0</coordinates></LinearRing></outerBoundaryIs>"
                 "<innerBoundaryIs><LinearRing><coordinates>1,1 2,1 2,2 1,1</coordinates></LinearRing>"
                 "</innerBoundaryIs><innerBoundaryIs><LinearRing><coordinates>3,3 4,3 4,4 3,3"
                 "</coordinates></LinearRing><LinearRing><coordinates>5,5 6,5 6,6 5,5</coordinates>"
                 "</LinearRing></innerBoundaryIs></Polygon></Placemark>" KML_TAIL);
    REQUIRE(g);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(g, "coordinates")), 4);
    cJSON_Delete(g);
}

TEST(a_placemark_without_geometry_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name></Placemark>" KML_TAIL, "has no geometry");
}

TEST(a_placemark_with_two_geometries_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name>" SQUARE_POLYGON SQUARE_POLYGON "</Placemark>" KML_TAIL,
                "more than one geometry");
}

TEST(a_linestring_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><LineString><coordinates>0,0 1,1</coordinates>"
                         "</LineString></Placemark>" KML_TAIL,
                "the geometry is a LineString");
}

TEST(a_multigeometry_holding_a_point_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><MultiGeometry>" SQUARE_POLYGON
                         "<Point><coordinates>0,0</coordinates></Point></MultiGeometry></Placemark>" KML_TAIL,
                "the MultiGeometry holds a Point");
}

TEST(an_empty_multigeometry_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><MultiGeometry/></Placemark>" KML_TAIL,
                "holds no Polygon");
}

TEST(a_polygon_without_outer_boundary_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon/></Placemark>" KML_TAIL,
                "the Polygon has no <outerBoundaryIs>");
}

TEST(a_ring_without_coordinates_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing/>"
                         "</outerBoundaryIs></Polygon></Placemark>" KML_TAIL,
                "has no <coordinates>");
}

TEST(broken_coordinates_are_skipped_naming_the_tuple_and_its_line)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>\n"
                         "10,50 11,50\n11;51 10,51 10,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "line 5: outer boundary: \"11;51\" is not \"longitude,latitude\"");
}

TEST(a_space_after_a_comma_breaks_the_tuple_and_skips_the_placemark)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         "10, 50 11,50 11,51 10,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "\"10,\" is not");
}

TEST(a_tuple_of_four_numbers_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         "10,50,0,1 11,50 11,51 10,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "\"10,50,0,1\" is not");
}

TEST(nan_and_infinity_are_not_numbers_in_coordinates)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         "nan,50 11,50 11,51 nan,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "\"nan,50\" is not");
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         "1e999,50 11,50 11,51 1e999,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "\"1e999,50\" is not");
}

TEST(a_ring_of_three_positions_is_skipped)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         "10,50 11,50 10,50</coordinates></LinearRing></outerBoundaryIs>"
                         "</Polygon></Placemark>" KML_TAIL,
                "outer boundary has 3 positions; a ring needs at least 4");
}

TEST(an_unclosed_inner_boundary_is_skipped_naming_it)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name><Polygon><outerBoundaryIs>" SQUARE_RING
                         "</outerBoundaryIs><innerBoundaryIs><LinearRing><coordinates>10.2,50.2 10.4,50.2 "
                         "10.4,50.4 10.2,50.4</coordinates></LinearRing></innerBoundaryIs></Polygon>"
                         "</Placemark>" KML_TAIL,
                "inner boundary 1 is not closed");
}

TEST(a_placemark_without_a_name_is_skipped_and_known_by_its_index)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Document><Placemark><name>one</name>" SQUARE_POLYGON "</Placemark>"
                       "<Placemark><name>  </name>" SQUARE_POLYGON "</Placemark></Document>" KML_TAIL,
                       &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    REQUIRE(r->nskipped == 1);
    CHECK(r->skipped[0].name == NULL);
    CHECK_INT(r->skipped[0].index, 2);
    CHECK(strstr(r->skipped[0].reason, "has no <name>") != NULL);
    hp_kml_result_free(r);
}

TEST(a_placemark_over_100000_positions_is_skipped)
{
    size_t cap = 100002 * 8 + 1024, n = 0;
    char *kml = malloc(cap);
    struct hp_kml_result *r;
    struct hp_kml_error err;
    n += (size_t)snprintf(kml + n, cap - n, KML_HEAD "<Placemark><name>big</name><Polygon><outerBoundaryIs>"
                                              "<LinearRing><coordinates>");
    for (int i = 0; i < 100001; i++)
        n += (size_t)snprintf(kml + n, cap - n, "%d,1 ", i % 100);
    n += (size_t)snprintf(kml + n, cap - n, "0,1</coordinates></LinearRing></outerBoundaryIs></Polygon>"
                                            "</Placemark>" KML_TAIL);
    REQUIRE(parse_text(kml, &r, &err) == HP_KML_OK);
    CHECK_INT(r->nskipped, 1);
    if (r->nskipped == 1)
        CHECK(strstr(r->skipped[0].reason, "more than 100000 positions") != NULL);
    hp_kml_result_free(r);
    free(kml);
}

/* ---- ExtendedData details ------------------------------------------------ */

TEST(a_rule_field_given_twice_skips_the_placemark)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name>" SQUARE_POLYGON "<ExtendedData>"
                         "<Data name=\"hours\"><value>24/7</value></Data><SchemaData>"
                         "<SimpleData name=\"hours\">Mo-Fr 08:00-18:00</SimpleData></SchemaData>"
                         "</ExtendedData></Placemark>" KML_TAIL,
                "gives \"hours\" more than once");
}

TEST(a_weight_that_is_not_a_whole_number_skips_the_placemark)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name>" SQUARE_POLYGON "<ExtendedData>"
                         "<Data name=\"min_gross_weight_kg\"><value>7.5 t</value></Data>"
                         "</ExtendedData></Placemark>" KML_TAIL,
                "min_gross_weight_kg \"7.5 t\" is not a whole number of kilograms");
}

TEST(a_data_without_a_name_breaks_the_schema_and_skips_the_placemark)
{
    expect_skip(KML_HEAD "<Placemark><name>n</name>" SQUARE_POLYGON "<ExtendedData>"
                         "<Data><value>x</value></Data></ExtendedData></Placemark>" KML_TAIL,
                "The attribute 'name' is required but missing");
}

/* ---- the schema ---------------------------------------------------------- */

TEST(an_unknown_kml_element_inside_a_polygon_skips_only_that_placemark)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text(KML_HEAD "<Document>\n<Placemark><name>good</name>" SQUARE_POLYGON "</Placemark>\n"
                       "<Placemark><name>bad</name><Polygon><outerBoundaryIs>" SQUARE_RING
                       "</outerBoundaryIs>\n<name>oops</name></Polygon></Placemark>\n"
                       "</Document>" KML_TAIL,
                       &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    REQUIRE(r->nskipped == 1);
    CHECK_STR(r->skipped[0].name, "bad");
    CHECK_INT(r->skipped[0].line, 6);
    CHECK(strstr(r->skipped[0].reason, "line 6: Element 'name': This element is not expected") != NULL);
    hp_kml_result_free(r);
}

TEST(markup_inside_a_name_is_refused_by_the_schema)
{
    expect_skip(KML_HEAD "<Placemark><name>a <b>bold</b> name</name>" SQUARE_POLYGON "</Placemark>" KML_TAIL,
                "Element 'name'");
}

TEST(a_schema_error_outside_any_placemark_refuses_the_document_with_its_line)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text(KML_HEAD "<Document>\n<name><b/></name>\n</Document>" KML_TAIL, &r, &err),
              HP_KML_INVALID);
    CHECK(r == NULL);
    CHECK_INT(err.line, 4);
    CHECK(strstr(err.message, "does not follow the KML subset at line 4: Element 'name'") != NULL);
}

TEST(without_a_schema_the_parser_still_reads_and_skips_on_its_own)
{
    const char *kml = KML_HEAD "<Placemark><name>ok</name>" SQUARE_POLYGON "</Placemark>"
                               "<Placemark><name>x</name><Polygon><outerBoundaryIs/></Polygon></Placemark>" KML_TAIL;
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(hp_kml_parse(kml, strlen(kml), NULL, &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    CHECK_INT(r->nskipped, 1);
    hp_kml_result_free(r);
}

TEST(a_broken_xsd_is_refused_with_a_message)
{
    char msg[256];
    const char *xsd = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>";
    CHECK(hp_kml_schema_new(xsd, strlen(xsd), msg, sizeof msg) == NULL);
    CHECK(msg[0] != '\0');
    CHECK(hp_kml_schema_new("<nope", 5, msg, sizeof msg) == NULL);
    CHECK(msg[0] != '\0');
    hp_kml_schema_free(NULL);
}

/* ---- malformed input and attacks ----------------------------------------- */

TEST(malformed_xml_is_refused_naming_its_line)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_file("malformed.kml", &r, &err), HP_KML_MALFORMED);
    CHECK(r == NULL);
    CHECK_INT(err.line, 12);
    CHECK(strncmp(err.message, "malformed XML at line 12: Opening and ending tag mismatch", 57) == 0);
}

TEST(an_undeclared_namespace_prefix_is_malformed)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text("<kml:kml><kml:Placemark/></kml:kml>", &r, &err), HP_KML_MALFORMED);
    CHECK(strstr(err.message, "line 1") != NULL);
}

TEST(empty_and_non_xml_input_is_malformed)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(hp_kml_parse("", 0, schema, &r, &err), HP_KML_MALFORMED);
    CHECK_INT(parse_text("{\"type\":\"Polygon\"}", &r, &err), HP_KML_MALFORMED);
    CHECK(strstr(err.message, "malformed XML at line 1") != NULL);
    CHECK_INT(parse_text("\x01\x02\xff", &r, &err), HP_KML_MALFORMED);
}

TEST(an_external_entity_is_never_loaded_and_the_document_is_refused)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_file("xxe.kml", &r, &err), HP_KML_MALFORMED);
    CHECK(r == NULL);
    CHECK(strstr(err.message, "declares the entity \"x\"") != NULL);
    CHECK(strstr(err.message, "root:") == NULL);
    CHECK_INT(err.line, 3);
}

TEST(a_parameter_entity_pointing_to_the_network_is_refused)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text("<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY % p SYSTEM "
                         "\"http://127.0.0.1:9/x.dtd\"> %p;]><kml xmlns=\"http://www.opengis.net/kml/2.2\"/>",
                         &r, &err),
              HP_KML_MALFORMED);
    CHECK(strstr(err.message, "declares the entity \"p\"") != NULL);
}

TEST(an_unparsed_entity_declaration_is_refused_too)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(parse_text("<?xml version=\"1.0\"?><!DOCTYPE kml [<!NOTATION gif SYSTEM \"image/gif\">"
                         "<!ENTITY pic SYSTEM \"file:///etc/hostname\" NDATA gif>]>"
                         "<kml xmlns=\"http://www.opengis.net/kml/2.2\"/>",
                         &r, &err),
              HP_KML_MALFORMED);
    CHECK(strstr(err.message, "declares the entity \"pic\"") != NULL);
}

TEST(a_doctype_without_entities_is_tolerated)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    REQUIRE(parse_text("<?xml version=\"1.0\"?><!DOCTYPE kml SYSTEM \"http://127.0.0.1:9/kml.dtd\">"
                       "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Placemark><name>d</name>" SQUARE_POLYGON
                       "</Placemark></kml>",
                       &r, &err) == HP_KML_OK);
    CHECK_INT(r->nzones, 1);
    hp_kml_result_free(r);
}

TEST(a_billion_laughs_document_is_refused_in_well_under_a_second)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    struct timespec t0, t1;
    double ms;
    /* This thread's CPU time: an expansion would burn it, while time spent
     * waiting for a core on a loaded machine does not count. */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    CHECK_INT(parse_file("billion_laughs.kml", &r, &err), HP_KML_MALFORMED);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("    # billion laughs refused in %.3f ms: %s\n", ms, err.message);
    CHECK(r == NULL);
    CHECK(ms < 1000.0);
    CHECK(strstr(err.message, "declares the entity \"lol\"") != NULL);
}

TEST(a_document_over_16_mib_is_refused_before_parsing)
{
    struct hp_kml_result *r;
    struct hp_kml_error err;
    CHECK_INT(hp_kml_parse("<", (size_t)HP_KML_MAX_BYTES + 1, schema, &r, &err), HP_KML_TOO_LARGE);
    CHECK(r == NULL);
}

TEST(a_16_mib_document_of_many_placemarks_is_parsed)
{
    /* Close to the size limit: 10,000 Placemarks padded to ~1.6 KiB each. */
    size_t cap = HP_KML_MAX_BYTES, n = 0;
    char *kml = malloc(cap);
    char pad[1200];
    struct hp_kml_result *r;
    struct hp_kml_error err;
    struct timespec t0, t1;
    enum hp_kml_status st;
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    n += (size_t)snprintf(kml + n, cap - n, KML_HEAD "<Document>\n");
    for (int i = 0; i < HP_KML_MAX_PLACEMARKS; i++)
        n += (size_t)snprintf(kml + n, cap - n,
                              "<Placemark><name>z%d</name><description>%s</description>" SQUARE_POLYGON
                              "</Placemark>\n",
                              i, pad);
    n += (size_t)snprintf(kml + n, cap - n, "</Document>" KML_TAIL);
    REQUIRE(n < cap - 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = hp_kml_parse(kml, n, schema, &r, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("    # %.1f MiB, %d Placemarks parsed and validated in %.0f ms\n", (double)n / 1048576.0,
           HP_KML_MAX_PLACEMARKS,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    REQUIRE(st == HP_KML_OK);
    CHECK_INT(r->nzones, HP_KML_MAX_PLACEMARKS);
    hp_kml_result_free(r);
    free(kml);
}

TEST(a_million_tiny_elements_are_refused_as_too_large_before_the_tree_grows)
{
    size_t n = 0, cap = 1000001 * 4 + 256;
    char *kml = malloc(cap);
    struct hp_kml_result *r;
    struct hp_kml_error err;
    n += (size_t)snprintf(kml, cap, KML_HEAD "<Document><Style>");
    for (int i = 0; i < 1000000; i++, n += 4)
        memcpy(kml + n, "<a/>", 4);
    n += (size_t)snprintf(kml + n, cap - n, "</Style></Document>" KML_TAIL);
    CHECK_INT(hp_kml_parse(kml, n, schema, &r, &err), HP_KML_TOO_LARGE);
    CHECK(strstr(err.message, "more than 1000000 elements and attributes") != NULL);
    free(kml);
}

TEST(more_than_10000_placemarks_are_refused_as_too_large)
{
    size_t cap = 10100 * 40, n = 0;
    char *kml = malloc(cap);
    struct hp_kml_result *r;
    struct hp_kml_error err;
    n += (size_t)snprintf(kml + n, cap - n, KML_HEAD);
    for (int i = 0; i <= HP_KML_MAX_PLACEMARKS; i++)
        n += (size_t)snprintf(kml + n, cap - n, "<Placemark/>");
    n += (size_t)snprintf(kml + n, cap - n, KML_TAIL);
    CHECK_INT(hp_kml_parse(kml, n, schema, &r, &err), HP_KML_TOO_LARGE);
    CHECK(strstr(err.message, "more than 10000 Placemarks") != NULL);
    free(kml);
}

TEST(more_than_500000_positions_in_all_are_refused_as_too_large)
{
    size_t cap = 6 * (99999 * 5 + 256) + 256, n = 0;
    char *kml = malloc(cap);
    struct hp_kml_result *r;
    struct hp_kml_error err;
    n += (size_t)snprintf(kml + n, cap - n, KML_HEAD "<Document>");
    for (int p = 0; p < 6; p++) { /* 6 x 99,999 positions, each Placemark under its own limit */
        n += (size_t)snprintf(kml + n, cap - n, "<Placemark><name>p%d</name><Polygon><outerBoundaryIs>"
                                                "<LinearRing><coordinates>", p);
        for (int i = 0; i < 99998; i++)
            n += (size_t)snprintf(kml + n, cap - n, "%d,1 ", i % 10);
        n += (size_t)snprintf(kml + n, cap - n, "0,1</coordinates></LinearRing></outerBoundaryIs>"
                                                "</Polygon></Placemark>");
    }
    n += (size_t)snprintf(kml + n, cap - n, "</Document>" KML_TAIL);
    CHECK_INT(hp_kml_parse(kml, n, schema, &r, &err), HP_KML_TOO_LARGE);
    CHECK(strstr(err.message, "more than 500000 positions in all") != NULL);
    free(kml);
}

/* Many threads share the compiled schema; each has its own GEOS context. */
static void *parse_in_thread(void *arg)
{
    const char *kml = arg;
    GEOSContextHandle_t ctx = hp_geojson_context_new();
    long bad = 0;
    for (int i = 0; i < 40; i++) {
        struct hp_kml_result *r;
        struct hp_kml_error err;
        if (hp_kml_parse(kml, strlen(kml), schema, &r, &err) != HP_KML_OK) {
            bad++;
            continue;
        }
        bad += r->nzones != 4 || r->nskipped != 2;
        for (size_t z = 0; z < r->nzones; z++) {
            struct hp_geo_error gerr;
            GEOSGeometry *g = hp_geojson_to_geos(ctx, r->zones[z].geometry, &gerr);
            bad += g == NULL;
            GEOSGeom_destroy_r(ctx, g);
        }
        hp_kml_result_free(r);
        /* and a malformed one, whose error must not leak into the others */
        bad += hp_kml_parse("<kml><a></b></kml>", 18, schema, &r, &err) != HP_KML_MALFORMED;
    }
    hp_geojson_context_free(ctx);
    return (void *)bad;
}

TEST(parsing_in_eight_threads_at_once_gives_the_same_results)
{
    char path[512];
    size_t len;
    char *kml;
    pthread_t t[8];
    snprintf(path, sizeof path, "%s/city_zones.kml", HP_KML_DATA_DIR);
    kml = read_file(path, &len);
    REQUIRE(kml);
    for (int i = 0; i < 8; i++)
        REQUIRE(pthread_create(&t[i], NULL, parse_in_thread, kml) == 0);
    for (int i = 0; i < 8; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        CHECK_INT((long)bad, 0);
    }
    free(kml);
}

TEST(result_free_accepts_null)
{
    hp_kml_result_free(NULL);
}

TEST(line_numbers_past_65535_are_reported_exactly)
{
    size_t cap = 70000 * 2 + 4096, n = 0;
    char *kml = malloc(cap);
    struct hp_kml_result *r;
    struct hp_kml_error err;
    n += (size_t)snprintf(kml + n, cap - n, KML_HEAD "<Document>");
    for (int i = 0; i < 70000; i++) /* lines 3 to 70002 */
        kml[n++] = '\n';
    /* line 70003 */
    n += (size_t)snprintf(kml + n, cap - n,
                          "<Placemark><name>far</name><Polygon><outerBoundaryIs>" SQUARE_RING
                          "</outerBoundaryIs>\n<bogus/></Polygon></Placemark>\n"
                          "<Placemark><name>farther</name><Polygon><outerBoundaryIs><LinearRing>"
                          "<coordinates>\n1,1 2,2 1,1</coordinates></LinearRing></outerBoundaryIs>"
                          "</Polygon></Placemark></Document>" KML_TAIL);
    REQUIRE(parse_text(kml, &r, &err) == HP_KML_OK);
    REQUIRE(r->nskipped == 2);
    CHECK_INT(r->skipped[0].line, 70004);
    CHECK(strstr(r->skipped[0].reason, "line 70004: Element 'bogus'") != NULL);
    CHECK_INT(r->skipped[1].line, 70005);
    CHECK(strstr(r->skipped[1].reason, "line 70005: outer boundary has 3 positions") != NULL);
    hp_kml_result_free(r);
    kml[n - 20] = '<'; /* break the end tag */
    CHECK_INT(hp_kml_parse(kml, n, schema, &r, &err), HP_KML_MALFORMED);
    CHECK(err.line > 70000);
    free(kml);
}
