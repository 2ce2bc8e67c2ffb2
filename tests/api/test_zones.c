/* Zones and rules through the API: validation, versions, ETags,
 * retirement, GeoJSON export, KML import, audit. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

static char officer[128], haulier[128];

int hp_test_setup(void)
{
    if (hp_t_setup(NULL) != 0)
        return -1;
    const char *t = hp_t_user_add("Zone Police", "police", "officer", "zone officer");
    if (!t)
        return -1;
    snprintf(officer, sizeof(officer), "%s", t);
    t = hp_t_user_add("Zone Haulage", "haulier", "haulier", "zone haulier");
    if (!t)
        return -1;
    snprintf(haulier, sizeof(haulier), "%s", t);
    return 0;
}
void hp_test_teardown(void) { hp_t_teardown(); }

#define SQUARE                                                                         \
    "{\"type\":\"Polygon\",\"coordinates\":[[[118.30512345678902,35.0],[118.4,35.0],"  \
    "[118.4,35.1],[118.3,35.1],[118.30512345678902,35.0]]]}"

static const char *core_zone =
    "{\"name\":\"核心区\",\"geometry\":" SQUARE ",\"rules\":[{\"vehicle_classes\":"
    "[\"medium_truck\",\"heavy_truck\"],\"exempt_classes\":[\"pickup\"],"
    "\"min_gross_weight_kg\":4500,\"hours\":\"07:00-22:00\",\"valid_from\":\"2026-01-01\","
    "\"liftable_by\":[\"urban_delivery\",\"construction\"]}]}";

/* Creates a zone and copies its id into id[37]. */
static struct hp_t_resp *create(const char *body, char id[37])
{
    struct hp_t_resp *r = hp_t_post("/v1/zones", officer, body);
    if (id)
        snprintf(id, 37, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    return r;
}

static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    return cJSON_GetStringValue(cJSON_GetObjectItem(e, "pointer"));
}

static const char *first_message(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    return cJSON_GetStringValue(cJSON_GetObjectItem(e, "message"));
}

TEST(a_zone_is_created_with_its_rules_and_coordinates_come_back_as_sent)
{
    char id[37];
    struct hp_t_resp *r = create(core_zone, id);
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\"");
    CHECK_STR(hp_t_str(r, "name"), "核心区");
    /* On the wire, not through cJSON, whose printing may drop the last bit. */
    CHECK(strstr(r->body, "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[118.30512345678902,35],"
                          "[118.4,35],[118.4,35.1],[118.3,35.1],[118.30512345678902,35]]]}") != NULL);
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    CHECK(cJSON_IsString(cJSON_GetObjectItem(rule, "id")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "hours")), "07:00-22:00");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(rule, "hazmat_only")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(rule, "valid_to")));
    hp_t_free(r);
    char path[128];
    snprintf(path, sizeof(path), "/v1/zones/%s", id);
    r = hp_t_get(path, haulier); /* every role may read */
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "id"), id);
    hp_t_free(r);
}

TEST(hours_are_kept_in_their_canonical_spelling)
{
    char id[37];
    struct hp_t_resp *r = create("{\"name\":\"spaced\",\"geometry\":" SQUARE ",\"rules\":["
                                 "{\"hours\":\"Mo- Fr  07:00 - 09:00 ,16:00-18:00;PH off\"}]}", id);
    CHECK_INT(r->status, 201);
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "hours")),
              "Mo-Fr 07:00-09:00,16:00-18:00; PH off");
    hp_t_free(r);
}

TEST(hauliers_may_not_write_zones)
{
    struct hp_t_resp *r = hp_t_post("/v1/zones", haulier, core_zone);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}

static void expect_refusal(const char *geometry, const char *pointer, const char *message_part)
{
    char body[4096];
    snprintf(body, sizeof(body), "{\"name\":\"x\",\"geometry\":%s}", geometry);
    struct hp_t_resp *r = hp_t_post("/v1/zones", officer, body);
    CHECK_INT(r->status, 422);
    const char *p = first_pointer(r), *m = first_message(r);
    if (!p || strcmp(p, pointer) != 0 || !m || !strstr(m, message_part))
        printf("    %s gave %s\n", geometry, r->body);
    CHECK(p && strcmp(p, pointer) == 0);
    CHECK(m && strstr(m, message_part));
    hp_t_free(r);
}

TEST(invalid_geometry_is_422_with_the_reason_and_the_place)
{
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[118.3,35.0],[118.31,35.01],"
                   "[118.31,35.0],[118.3,35.01],[118.3,35.0]]]}",
                   "/geometry/coordinates/0", "Self-intersection at 118.305 35.005");
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
                   "/geometry/coordinates/0", "");
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
                   "/geometry/coordinates/0", "");
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[181,0],[1,1],[0,0]]]}",
                   "/geometry/coordinates/0/1", "");
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,-91],[0,0]]]}",
                   "/geometry/coordinates/0/2", "");
    expect_refusal("{\"type\":\"Point\",\"coordinates\":[0,0]}", "/geometry/type", "");
    expect_refusal("{\"type\":\"Polygon\"}", "/geometry/coordinates", "");
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,\"x\"],[1,1],[0,0]]]}",
                   "/geometry/coordinates/0/1", "");
}

TEST(a_zone_ring_across_the_antimeridian_is_422_at_the_position_after_it)
{
    /* Valid in plain lon/lat, where it would cover every longitude of its band. */
    expect_refusal("{\"type\":\"Polygon\",\"coordinates\":[[[179.9,0],[-179.9,0],"
                   "[-179.9,1],[179.9,1],[179.9,0]]]}",
                   "/geometry/coordinates/0/1", "crosses the antimeridian");
    /* Up to it from one side is a zone like any other. */
    struct hp_t_resp *r = create("{\"name\":\"east edge\",\"geometry\":{\"type\":\"Polygon\","
                                 "\"coordinates\":[[[179.9,0],[180,0],[180,1],[179.9,1],"
                                 "[179.9,0]]]}}",
                                 NULL);
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(a_zone_of_more_than_100000_vertices_is_refused)
{
    /* Short positions keep the body under the 1 MiB limit. */
    static const char *const corners[] = {"[0,0],", "[1,0],", "[1,1],", "[0,1],"};
    size_t n = 100001, cap = n * 8 + 256, at = 0;
    char *body = malloc(cap);
    at += (size_t)snprintf(body, cap, "{\"name\":\"huge\",\"geometry\":{\"type\":\"Polygon\","
                                      "\"coordinates\":[[");
    for (size_t i = 0; i < n - 1; i++)
        at += (size_t)snprintf(body + at, cap - at, "%s", corners[i % 4]);
    at += (size_t)snprintf(body + at, cap - at, "[0,0]]]}}");
    struct hp_t_resp *r = hp_t_post("/v1/zones", officer, body);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/geometry/coordinates");
    hp_t_free(r);
    free(body);
}

TEST(invalid_rules_are_422_with_pointers_and_the_hours_position)
{
    static const struct {
        const char *rule, *pointer, *message;
    } cases[] = {
        {"{\"hours\":\"Mo-Fx 07:00-09:00\"}", "/rules/0/hours", "position 3"},
        {"{\"hours\":\"sunrise-sunset\"}", "/rules/0/hours", "position 0"},
        {"{\"vehicle_classes\":[\"bicycle\"]}", "/rules/0/vehicle_classes/0", "vehicle class"},
        {"{\"vehicle_classes\":[\"pickup\",\"pickup\"]}", "/rules/0/vehicle_classes/1", "twice"},
        {"{\"liftable_by\":[\"annual\"]}", "/rules/0/liftable_by/0", "pass type"},
        {"{\"min_gross_weight_kg\":-1}", "/rules/0/min_gross_weight_kg", ""},
        {"{\"min_gross_weight_kg\":4.5}", "/rules/0/min_gross_weight_kg", "integer"},
        {"{\"valid_from\":\"2026-02-30\"}", "/rules/0/valid_from", "real date"},
        {"{\"valid_from\":\"2026-05-01\",\"valid_to\":\"2026-04-01\"}", "/rules/0/valid_to", "before"},
        {"{\"hazmat_only\":\"yes\"}", "/rules/0/hazmat_only", ""},
        {"{\"speed\":30}", "/rules/0/speed", "not a known field"},
        {"{\"id\":\"123e4567-e89b-12d3-a456-426614174000\"}", "/rules/0/id", "not a rule"},
        {"{\"vehicle_classes\":[\"pickup\",\"heavy_truck\"],\"exempt_classes\":[\"tractor\","
         "\"heavy_truck\"]}", "/rules/0/exempt_classes/1", "restricted and exempt"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[1024];
        snprintf(body, sizeof(body), "{\"name\":\"r\",\"geometry\":" SQUARE ",\"rules\":[%s]}",
                 cases[i].rule);
        struct hp_t_resp *r = hp_t_post("/v1/zones", officer, body);
        CHECK_INT(r->status, 422);
        const char *p = first_pointer(r), *m = first_message(r);
        bool ok = p && strcmp(p, cases[i].pointer) == 0 && m && strstr(m, cases[i].message);
        if (!ok)
            printf("    rule %s gave %s\n", cases[i].rule, r->body);
        CHECK(ok);
        hp_t_free(r);
    }
}

TEST(put_needs_if_match_bumps_the_version_and_a_stale_one_is_412)
{
    char id[37], path[128];
    hp_t_free(create(core_zone, id));
    snprintf(path, sizeof(path), "/v1/zones/%s", id);
    struct hp_t_resp *r = hp_t_req("PUT", path, officer, NULL, core_zone, strlen(core_zone), NULL);
    CHECK_INT(r->status, 428);
    hp_t_free(r);
    /* Keep the rule's id by naming it. */
    r = hp_t_get(path, officer);
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    char rule_id[64], body[2048];
    snprintf(rule_id, sizeof(rule_id), "%s", cJSON_GetStringValue(cJSON_GetObjectItem(rule, "id")));
    hp_t_free(r);
    snprintf(body, sizeof(body),
             "{\"name\":\"核心区 v2\",\"geometry\":" SQUARE ",\"rules\":[{\"id\":\"%s\","
             "\"hours\":\"06:00-23:00\"}]}", rule_id);
    const char *match1[] = {"If-Match: \"1\"", NULL};
    r = hp_t_req("PUT", path, officer, NULL, body, strlen(body), match1);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"2\"");
    CHECK_STR(hp_t_str(r, "name"), "核心区 v2");
    rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "id")), rule_id);
    hp_t_free(r);
    r = hp_t_req("PUT", path, officer, NULL, body, strlen(body), match1);
    CHECK_INT(r->status, 412);
    hp_t_free(r);
    /* If-Match compares strongly: a weak ETag of the current version is no match. */
    const char *weak[] = {"If-Match: W/\"2\"", NULL};
    r = hp_t_req("PUT", path, officer, NULL, body, strlen(body), weak);
    CHECK_INT(r->status, 412);
    hp_t_free(r);
    /* One rule id named twice: the second is the error. */
    char twice[2048];
    snprintf(twice, sizeof(twice),
             "{\"name\":\"核心区 v3\",\"geometry\":" SQUARE ",\"rules\":[{\"id\":\"%s\"},"
             "{\"id\":\"%s\"}]}", rule_id, rule_id);
    const char *match2[] = {"If-Match: \"2\"", NULL};
    r = hp_t_req("PUT", path, officer, NULL, twice, strlen(twice), match2);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/rules/1/id");
    hp_t_free(r);
    const char *junk[] = {"If-Match: nonsense", NULL};
    r = hp_t_req("PUT", path, officer, NULL, body, strlen(body), junk);
    CHECK_INT(r->status, 412);
    hp_t_free(r);
    r = hp_t_req("PUT", "/v1/zones/00000000-0000-4000-8000-000000000000", officer, NULL, body,
                 strlen(body), match1);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_retired_zone_is_kept_with_every_version_and_cannot_change)
{
    char id[37], path[160];
    hp_t_free(create(core_zone, id));
    snprintf(path, sizeof(path), "/v1/zones/%s", id);
    struct hp_t_resp *r = hp_t_req("DELETE", path, officer, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 200);
    CHECK(hp_t_str(r, "retired_at") != NULL);
    hp_t_free(r);
    r = hp_t_req("DELETE", path, officer, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    const char *any[] = {"If-Match: *", NULL};
    r = hp_t_req("PUT", path, officer, NULL, core_zone, strlen(core_zone), any);
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = hp_t_get(path, officer);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/zones/%s/versions", id);
    r = hp_t_get(path, officer);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK_INT(cJSON_GetArraySize(items), 2);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 1), "retired")));
    hp_t_free(r);
    /* Out of the live list, and the database refuses to delete it. */
    r = hp_t_get("/v1/zones?limit=500", officer);
    CHECK(!strstr(r->body, id));
    hp_t_free(r);
    PGresult *res = PQexec(hp_t_db(), "DELETE FROM zones");
    CHECK_STR(PQcmdTuples(res), "0");
    PQclear(res);
}

TEST(zones_are_listed_as_geojson_feature_collection_on_request)
{
    char id[37];
    hp_t_free(create(core_zone, id));
    const char *h[] = {"Accept: application/geo+json", NULL};
    struct hp_t_resp *r = hp_t_req("GET", "/v1/zones", haulier, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/geo+json");
    CHECK_STR(hp_t_str(r, "type"), "FeatureCollection");
    bool found = false;
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(r->json, "features"))
    {
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(f, "type")), "Feature");
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")), id) == 0) {
            found = true;
            const cJSON *props = cJSON_GetObjectItem(f, "properties");
            CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(props, "name")), "核心区");
            CHECK(cJSON_IsArray(cJSON_GetObjectItem(props, "rules")));
            CHECK(cJSON_IsObject(cJSON_GetObjectItem(f, "geometry")));
        }
    }
    CHECK(found);
    hp_t_free(r);
    r = hp_t_get("/v1/zones?limit=1", haulier);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    CHECK(cJSON_IsString(cJSON_GetObjectItem(r->json, "next_cursor")));
    hp_t_free(r);
    /* Every zone at once: paging parameters are ignored, even bad ones. */
    r = hp_t_req("GET", "/v1/zones?limit=0&cursor=x", haulier, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "type"), "FeatureCollection");
    hp_t_free(r);
    /* Accept is read with its q-values, case-insensitively. */
    const struct {
        const char *accept, *content_type;
    } cases[] = {
        {"Accept: application/GEO+JSON", "application/geo+json"},
        {"Accept: application/json;q=0.1, application/geo+json", "application/geo+json"},
        {"Accept: application/geo+json;q=0.1, application/json", "application/json"},
        {"Accept: application/geo+json;q=0", "application/json"},
        {"Accept: */*", "application/json"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *hh[] = {cases[i].accept, NULL};
        r = hp_t_req("GET", "/v1/zones", haulier, NULL, NULL, 0, hh);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_header(r, "Content-Type"), cases[i].content_type);
        hp_t_free(r);
    }
}

/* The ids of the features of a FeatureCollection for bbox, as "id,id,". */
static void ids_in_bbox(const char *bbox, char *out, size_t n)
{
    char path[160];
    snprintf(path, sizeof(path), "/v1/zones?bbox=%s", bbox);
    const char *h[] = {"Accept: application/geo+json", NULL};
    struct hp_t_resp *r = hp_t_req("GET", path, haulier, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    out[0] = '\0';
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(r->json, "features"))
    {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s,", cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")));
    }
    hp_t_free(r);
}

TEST(bbox_gives_only_the_zones_a_map_view_meets)
{
    char far_id[37], near_id[37], got[4096];
    hp_t_free(create("{\"name\":\"far away\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                     "[[[100.0,20.0],[100.1,20.0],[100.1,20.1],[100.0,20.1],[100.0,20.0]]]},"
                     "\"rules\":[]}", far_id));
    hp_t_free(create("{\"name\":\"near\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                     "[[[118.0,35.0],[118.1,35.0],[118.1,35.1],[118.0,35.1],[118.0,35.0]]]},"
                     "\"rules\":[]}", near_id));
    REQUIRE(far_id[0] && near_id[0]);
    ids_in_bbox("117.9,34.9,118.05,35.05", got, sizeof(got)); /* a corner of "near" */
    CHECK(strstr(got, near_id) != NULL);
    CHECK(strstr(got, far_id) == NULL);
    ids_in_bbox("99,19,101,21", got, sizeof(got));
    CHECK(strstr(got, far_id) != NULL);
    CHECK(strstr(got, near_id) == NULL);
    ids_in_bbox("-180,-90,180,90", got, sizeof(got));
    CHECK(strstr(got, far_id) != NULL && strstr(got, near_id) != NULL);
    ids_in_bbox("0,0,1,1", got, sizeof(got));
    CHECK_STR(got, "");
    const char *bad[] = {"1,2,3", "1,2,3,4,5", "a,b,c,d", "10,0,5,1", "0,10,1,5", "-181,0,0,1",
                         "0,0,1,91", "nan,0,1,1", "1,2,3,4x", ""};
    const char *h[] = {"Accept: application/geo+json", NULL};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[160];
        snprintf(path, sizeof(path), "/v1/zones?bbox=%s", bad[i]);
        struct hp_t_resp *r = hp_t_req("GET", path, haulier, NULL, NULL, 0, h);
        CHECK_INT(r->status, 400);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:bad-parameter");
        hp_t_free(r);
    }
    /* Pages of JSON take no bbox: said, not ignored. */
    struct hp_t_resp *r = hp_t_get("/v1/zones?bbox=0,0,1,1", haulier);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
}

TEST(outlines_give_a_map_the_zones_in_view_light)
{
    char id[37];
    hp_t_free(create("{\"name\":\"<b>outlined</b>\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                     "[[[117.5,34.5],[117.6123456789,34.5],[117.6,34.6],[117.5,34.6],[117.5,34.5]]]},"
                     "\"rules\":[]}", id));
    REQUIRE(id[0]);
    struct hp_t_resp *r = hp_t_get("/v1/zones/outlines?bbox=117.4,34.4,117.55,34.55", haulier);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/geo+json");
    CHECK_STR(hp_t_str(r, "type"), "FeatureCollection");
    const cJSON *features = cJSON_GetObjectItem(r->json, "features");
    CHECK_INT(cJSON_GetArraySize(features), 1);
    const cJSON *f = cJSON_GetArrayItem(features, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")), id);
    const cJSON *props = cJSON_GetObjectItem(f, "properties");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(props, "name")), "<b>outlined</b>");
    CHECK(cJSON_IsArray(cJSON_GetObjectItem(props, "rules")));
    CHECK(r->body && strstr(r->body, "117.612346") != NULL); /* 6 decimals */
    hp_t_free(r);
    r = hp_t_get("/v1/zones/outlines?bbox=117.4,34.4,117.55,34.55&tolerance=0.001", haulier);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_get("/v1/zones/outlines?bbox=0,0,1,1", haulier);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "features")), 0);
    hp_t_free(r);
    const char *bad[] = {"/v1/zones/outlines", "/v1/zones/outlines?bbox=1,2,3",
                         "/v1/zones/outlines?bbox=0,0,1,1&tolerance=-1",
                         "/v1/zones/outlines?bbox=0,0,1,1&tolerance=1",
                         "/v1/zones/outlines?bbox=0,0,1,1&tolerance=x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = hp_t_get(bad[i], haulier);
        CHECK_INT(r->status, 400);
        hp_t_free(r);
    }
    r = hp_t_get("/v1/zones/outlines?bbox=0,0,1,1", NULL);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

TEST(outlines_carry_only_the_fields_asked_and_fewer_decimals_when_simplified)
{
    char id[37];
    /* A circle of 64 corners, 0.01 degrees across, and one far smaller
     * than the tolerance below, which must stay on the map. */
    char geo[4096] = "{\"type\":\"Polygon\",\"coordinates\":[[";
    for (int i = 0; i <= 64; i++) {
        double a = (i % 64) * 6.283185307179586 / 64;
        char p[64];
        snprintf(p, sizeof(p), "%s[%.7f,%.7f]", i ? "," : "", 116.5 + 0.005 * cos(a),
                 33.5 + 0.005 * sin(a));
        strcat(geo, p);
    }
    strcat(geo, "]]}");
    char body[4400];
    snprintf(body, sizeof(body), "{\"name\":\"round\",\"geometry\":%s,\"rules\":[]}", geo);
    hp_t_free(create(body, id));
    REQUIRE(id[0]);
    hp_t_free(create("{\"name\":\"speck\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                     "[[[116.53,33.53],[116.53001,33.53],[116.53001,33.53001],[116.53,33.53]]]},"
                     "\"rules\":[]}", id));
    REQUIRE(id[0]);
    const char *box = "/v1/zones/outlines?bbox=116.4,33.4,116.6,33.6";
    struct hp_t_resp *r = hp_t_get(box, haulier);
    CHECK_INT(r->status, 200);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "features"), 0);
    const cJSON *ring = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "geometry"), "coordinates"), 0);
    if (cJSON_IsArray(cJSON_GetArrayItem(cJSON_GetArrayItem(ring, 0), 0)))
        ring = cJSON_GetArrayItem(ring, 0); /* a MultiPolygon's first polygon */
    int full = cJSON_GetArraySize(ring);
    CHECK(full >= 65);
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "properties"), "rules") != NULL);
    hp_t_free(r);

    char path[200];
    snprintf(path, sizeof(path), "%s&tolerance=0.0005&fields=name,kind", box);
    r = hp_t_get(path, haulier);
    CHECK_INT(r->status, 200);
    const cJSON *features = cJSON_GetObjectItem(r->json, "features");
    CHECK_INT(cJSON_GetArraySize(features), 2); /* the speck is kept */
    f = cJSON_GetArrayItem(features, 0);
    const cJSON *props = cJSON_GetObjectItem(f, "properties");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(props, "name")), "round");
    CHECK(cJSON_HasObjectItem(props, "kind"));
    CHECK(!cJSON_HasObjectItem(props, "rules"));
    CHECK(!cJSON_HasObjectItem(props, "version"));
    ring = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "geometry"), "coordinates"), 0);
    if (cJSON_IsArray(cJSON_GetArrayItem(cJSON_GetArrayItem(ring, 0), 0)))
        ring = cJSON_GetArrayItem(ring, 0);
    int simple = cJSON_GetArraySize(ring);
    CHECK(simple >= 4 && simple < full / 2);
    /* 0.0005 degrees keeps 4 decimals: no coordinate has a fifth. */
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetArrayItem(ring, 1), 0);
    CHECK(fabs(x->valuedouble * 1e4 - round(x->valuedouble * 1e4)) < 1e-6);
    f = cJSON_GetArrayItem(features, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "properties"), "name")), "speck");
    CHECK(cJSON_IsObject(cJSON_GetObjectItem(f, "geometry")));
    hp_t_free(r);

    const char *bad[] = {"&fields=", "&fields=name,,kind", "&fields=name,geometry", "&fields=NAME"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", box, bad[i]);
        r = hp_t_get(path, haulier);
        CHECK_INT(r->status, 400);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:bad-parameter");
        hp_t_free(r);
    }
}

TEST(every_zone_write_is_in_the_audit_trail)
{
    char id[37], path[160];
    hp_t_free(create(core_zone, id));
    snprintf(path, sizeof(path), "/v1/zones/%s", id);
    hp_t_free(hp_t_req("DELETE", path, officer, NULL, NULL, 0, NULL));
    snprintf(path, sizeof(path), "/v1/audit?entity=zone&id=%s", id);
    struct hp_t_resp *r = hp_t_get(path, officer);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK_INT(cJSON_GetArraySize(items), 2);
    const cJSON *retire = cJSON_GetArrayItem(items, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(retire, "action")), "retire");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(retire, "before"), "retired_at")));
    CHECK(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(retire, "after"), "retired_at")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(retire, "actor"), "name")),
              "zone officer");
    hp_t_free(r);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *s = malloc(*len + 1);
    *len = fread(s, 1, *len, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

static const char *const kml_type = "application/vnd.google-earth.kml+xml";

static int count_zones(void)
{
    PGresult *res = PQexec(hp_t_db(), "SELECT count(*) FROM zones");
    int n = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

TEST(kml_import_creates_the_good_placemarks_and_skips_the_bad_with_reasons)
{
    size_t len;
    char *kml = read_file(HP_TEST_DATA "/kml/import_api.kml", &len);
    REQUIRE(kml != NULL);
    int before = count_zones();
    struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import?dry_run=true", officer, kml_type,
                                   kml, len, NULL);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "created")), 0);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "would_create")), 2);
    CHECK_INT(count_zones(), before);
    /* The preview: a Feature a zone to be, in would_create's order, drawable. */
    const cJSON *preview = cJSON_GetObjectItem(r->json, "preview");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(preview, "type")), "FeatureCollection");
    const cJSON *features = cJSON_GetObjectItem(preview, "features");
    REQUIRE(cJSON_GetArraySize(features) == 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *f = cJSON_GetArrayItem(features, i);
        const cJSON *g = cJSON_GetObjectItem(f, "geometry");
        CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(g, "type")), "Polygon") != NULL);
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(g, "coordinates")) > 0);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "properties"), "name")),
                  cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "would_create"), i)));
    }
    hp_t_free(r);

    r = hp_t_req("POST", "/v1/zones/import", officer, kml_type, kml, len, NULL);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_GetObjectItem(r->json, "preview") == NULL); /* dry runs only */
    const cJSON *created = cJSON_GetObjectItem(r->json, "created");
    const cJSON *skipped = cJSON_GetObjectItem(r->json, "skipped");
    CHECK_INT(cJSON_GetArraySize(created), 2);
    CHECK_INT(cJSON_GetArraySize(skipped), 3);
    CHECK_INT(count_zones(), before + 2);
    const cJSON *s;
    int seen = 0;
    cJSON_ArrayForEach(s, skipped)
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(s, "placemark"));
        const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(s, "reason"));
        REQUIRE(name && reason);
        if (strcmp(name, "Bow tie") == 0)
            seen += strstr(reason, "Self-intersection") != NULL;
        else if (strcmp(name, "Bad hours") == 0)
            seen += strstr(reason, "/rules/0/hours") != NULL;
        else if (strcmp(name, "A point") == 0)
            seen++;
    }
    CHECK_INT(seen, 3);
    /* The first created zone carries its name and the rule of its ExtendedData. */
    char path[128];
    snprintf(path, sizeof(path), "/v1/zones/%s", cJSON_GetArrayItem(created, 0)->valuestring);
    hp_t_free(r);
    r = hp_t_get(path, officer);
    CHECK_STR(hp_t_str(r, "name"), "核心区 Core");
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    CHECK_INT(cJSON_GetObjectItem(rule, "min_gross_weight_kg")->valueint, 4500);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(rule, "liftable_by")), 2);
    const cJSON *geometry = cJSON_GetObjectItem(r->json, "geometry");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(geometry, "type")), "Polygon");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(geometry, "coordinates")), 2); /* and a hole */
    hp_t_free(r);
    free(kml);
}

TEST(a_kml_placemark_across_the_antimeridian_is_skipped_with_the_line_and_the_place)
{
    static const char kml[] =
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n"
        "<Placemark><name>Date line</name><Polygon><outerBoundaryIs><LinearRing>\n"
        "<coordinates>179.9,0 -179.9,0 -179.9,1 179.9,1 179.9,0</coordinates>\n"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
        "<Placemark><name>East edge</name><Polygon><outerBoundaryIs><LinearRing>\n"
        "<coordinates>179.9,0 180,0 180,1 179.9,1 179.9,0</coordinates>\n"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
        "</Document></kml>\n";
    struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import?dry_run=true", officer, kml_type,
                                   kml, strlen(kml), NULL);
    CHECK_INT(r->status, 200);
    const cJSON *skipped = cJSON_GetObjectItem(r->json, "skipped");
    REQUIRE(cJSON_GetArraySize(skipped) == 1);
    const cJSON *s = cJSON_GetArrayItem(skipped, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(s, "placemark")), "Date line");
    const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(s, "reason"));
    CHECK(reason && strstr(reason, "line 2: /geometry/coordinates/0/1: ") == reason &&
          strstr(reason, "crosses the antimeridian"));
    const cJSON *would = cJSON_GetObjectItem(r->json, "would_create");
    CHECK_INT(cJSON_GetArraySize(would), 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(would, 0)), "East edge");
    hp_t_free(r);
}

TEST(malformed_or_hostile_kml_is_refused_quickly)
{
    const char *broken = "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n</kml>";
    struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import", officer, kml_type, broken,
                                   strlen(broken), NULL);
    CHECK_INT(r->status, 400);
    CHECK(hp_t_str(r, "detail") && strstr(hp_t_str(r, "detail"), "line 3"));
    hp_t_free(r);
    size_t len;
    char *bomb = read_file(HP_TEST_DATA "/kml/billion_laughs.kml", &len);
    REQUIRE(bomb != NULL);
    r = hp_t_req("POST", "/v1/zones/import", officer, kml_type, bomb, len, NULL);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    free(bomb);
    char *xxe = read_file(HP_TEST_DATA "/kml/xxe.kml", &len);
    REQUIRE(xxe != NULL);
    r = hp_t_req("POST", "/v1/zones/import", officer, kml_type, xxe, len, NULL);
    CHECK_INT(r->status, 400);
    CHECK(!strstr(r->body, "root:"));
    hp_t_free(r);
    free(xxe);
    r = hp_t_req("POST", "/v1/zones/import", officer, "application/json", "{}", 2, NULL);
    CHECK_INT(r->status, 415);
    hp_t_free(r);
    const char *json_root = "<notkml/>";
    r = hp_t_req("POST", "/v1/zones/import", officer, kml_type, json_root, strlen(json_root), NULL);
    CHECK_INT(r->status, 422);
    hp_t_free(r);
}

TEST(import_kml_on_the_command_line_does_the_same)
{
    const char *bin = getenv("HAULPASS_BIN");
    int before = count_zones();
    CHECK_INT(hp_t_sh("%s import-kml --dry-run %s/kml/import_api.kml | grep -q '\"would_create\"'",
                      bin, HP_TEST_DATA), 0);
    CHECK_INT(count_zones(), before);
    CHECK_INT(hp_t_sh("%s import-kml --db \"%s\" %s/kml/import_api.kml >/dev/null", bin,
                      hp_t.conninfo, HP_TEST_DATA), 0);
    CHECK_INT(count_zones(), before + 2);
    CHECK_INT(hp_t_sh("%s import-kml --db \"%s\" %s/kml/malformed.kml 2>/dev/null", bin,
                      hp_t.conninfo, HP_TEST_DATA), 1);
    CHECK_INT(hp_t_sh("%s import-kml 2>/dev/null", bin), 2);
    /* A rejected flag's value is not taken for the file (standard input). */
    CHECK_INT(hp_t_sh("%s import-kml --dry-run --threads - </dev/null 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s import-kml --dry-run - <%s/kml/import_api.kml | grep -q would_create",
                      bin, HP_TEST_DATA), 0);
    CHECK_INT(hp_t_sh("%s import-kml /no/such/file.kml 2>/dev/null", bin), 1);
}
