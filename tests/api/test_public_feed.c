/* GET /v1/public/restrictions: the restrictions as open data, without an
 * account, from memory, with ETag / Last-Modified revalidation and the
 * public rate. */
#include "harness.h"
#include "test.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer;
static char daytime[64], overnight[64], twin[64];

/* Heavy trucks over 4.5 t by day; a courtyard (a hole) is not in it. */
#define DAYTIME                                                                            \
    "{\"name\":\"Old Town\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["         \
    "[[118.30,35.00],[118.32,35.00],[118.32,35.02],[118.30,35.02],[118.30,35.00]],"        \
    "[[118.305,35.005],[118.306,35.005],[118.306,35.006],[118.305,35.006],"               \
    "[118.305,35.005]]]},"                                                                \
    "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],\"min_gross_weight_kg\":4500,"     \
    "\"hours\":\"07:00-22:00; PH off\",\"liftable_by\":[\"construction\"]}]}"
/* Muck trucks at night, over midnight. */
#define OVERNIGHT                                                                          \
    "{\"name\":\"Ring Road\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["        \
    "[[118.40,35.00],[118.42,35.00],[118.42,35.02],[118.40,35.02],[118.40,35.00]]]},"     \
    "\"rules\":[{\"vehicle_classes\":[\"muck_truck\"],\"hours\":\"Mo-Fr 22:00-06:00\","   \
    "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2026-12-31\"}]}"
/* Two parks: a MultiPolygon. */
#define TWIN                                                                               \
    "{\"name\":\"Twin Parks\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["  \
    "[[[118.34,35.00],[118.35,35.00],[118.35,35.01],[118.34,35.01],[118.34,35.00]]],"   \
    "[[[118.36,35.00],[118.37,35.00],[118.37,35.01],[118.36,35.01],[118.36,35.00]]]]},"  \
    "\"rules\":[{\"min_gross_weight_kg\":40000}]}"

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("Feed Police", "police", "officer", "feed officer");
    hp_t_create("/v1/zones", officer.token, DAYTIME, daytime);
    hp_t_create("/v1/zones", officer.token, OVERNIGHT, overnight);
    hp_t_create("/v1/zones", officer.token, TWIN, twin);
    const char *cal = "{\"days\":[{\"date\":\"2026-10-01\",\"kind\":\"holiday\"}]}";
    hp_t_free(hp_t_req("PUT", "/v1/calendar/2026", hp_t_admin, NULL, cal, strlen(cal), NULL));
}

/* The feature of zone id in the feed r, or NULL. */
static const cJSON *feature(const struct hp_t_resp *r, const char *id)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(r->json, "features"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "id")), id) == 0)
            return f;
    return NULL;
}

static const cJSON *first_rule(const cJSON *f)
{
    return cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(f, "properties"), "rules"), 0);
}

static const char *text_of(const cJSON *rule, const char *lang)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(rule, "text"), lang));
}

TEST(the_feed_needs_no_account_and_lists_every_live_zone_with_its_rules_in_words)
{
    once();
    struct hp_t_resp *r = hp_t_get("/v1/public/restrictions", NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/geo+json");
    CHECK_STR(hp_t_header(r, "Access-Control-Allow-Origin"), "*");
    REQUIRE(r->json);
    CHECK_STR(hp_t_str(r, "type"), "FeatureCollection");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "features")), 3);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(
                  cJSON_GetObjectItem(r->json, "public_holidays"), 0)),
              "2026-10-01");
    const cJSON *f = feature(r, daytime);
    REQUIRE(f);
    const cJSON *p = cJSON_GetObjectItem(f, "properties");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "name")), "Old Town");
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(p, "version")), 1);
    const cJSON *rule = first_rule(f);
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(rule, "min_gross_weight_kg")), 4500);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "hours")), "07:00-22:00; PH off");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(
                  cJSON_GetObjectItem(rule, "vehicle_classes"), 0)),
              "heavy_truck");
    CHECK_STR(text_of(rule, "en"), "heavy trucks over 4.5 t, 07:00–22:00 every day except "
                                   "public holidays; a construction pass lifts it");
    CHECK_STR(text_of(rule, "zh"),
              "4.5吨以上的重型货车，每天07:00–22:00（法定节假日除外）；可凭施工通行证通行");
    /* The courtyard stays a hole; the two parks stay two polygons. */
    const cJSON *g = cJSON_GetObjectItem(f, "geometry");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(g, "type")), "Polygon");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(g, "coordinates")), 2);
    g = cJSON_GetObjectItem(feature(r, twin), "geometry");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(g, "type")), "MultiPolygon");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(g, "coordinates")), 2);
    rule = first_rule(feature(r, overnight));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "valid_to")), "2026-12-31");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(rule, "min_gross_weight_kg")));
    hp_t_free(r);
}

TEST(a_client_with_the_current_etag_or_date_gets_304_without_a_body)
{
    once();
    struct hp_t_resp *r = hp_t_get("/v1/public/restrictions", NULL);
    char etag[64], modified[64];
    REQUIRE(hp_t_header(r, "ETag") && hp_t_header(r, "Last-Modified"));
    snprintf(etag, sizeof(etag), "%s", hp_t_header(r, "ETag"));
    snprintf(modified, sizeof(modified), "%s", hp_t_header(r, "Last-Modified"));
    CHECK_STR(hp_t_header(r, "Cache-Control"), "public, no-cache");
    hp_t_free(r);
    char inm[96], ims[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    const char *h1[] = {inm, NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h1);
    CHECK_INT(r->status, 304);
    CHECK_INT(r->len, 0);
    CHECK_STR(hp_t_header(r, "ETag"), etag);
    hp_t_free(r);
    snprintf(ims, sizeof(ims), "If-Modified-Since: %s", modified);
    const char *h2[] = {ims, NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h2);
    CHECK_INT(r->status, 304);
    hp_t_free(r);
    /* Another ETag, or an earlier date, gets the body. */
    const char *h3[] = {"If-None-Match: \"g-1\"", NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h3);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    const char *h4[] = {"If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT", NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h4);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

/* --- DATEX II ------------------------------------------------------- */

/* Whether text validates against our schema of the DATEX II subset
 * (schemas/datex2/README.md: the official one could not be had). */
static bool datex_valid(const char *text, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/datex2/subset-d2Payload.xsd", getenv("HAULPASS_SCHEMAS"));
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
    xmlDocPtr doc = xmlReadMemory(text, (int)len, "datex2.xml", NULL, XML_PARSE_NONET);
    bool ok = vc && doc && xmlSchemaValidateDoc(vc, doc) == 0;
    xmlFreeDoc(doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return ok;
}

static xmlDocPtr datex_doc;

/* The string value of XPath expr (printf form) over the document. */
static const char *xpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *xpath(const char *fmt, ...)
{
    static char out[4096];
    char expr[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof(expr), fmt, ap);
    va_end(ap);
    xmlXPathContextPtr c = xmlXPathNewContext(datex_doc);
    xmlXPathRegisterNs(c, BAD_CAST "tro", BAD_CAST "http://datex2.eu/schema/3/trafficRegulation");
    xmlXPathRegisterNs(c, BAD_CAST "com", BAD_CAST "http://datex2.eu/schema/3/common");
    xmlXPathRegisterNs(c, BAD_CAST "loc", BAD_CAST "http://datex2.eu/schema/3/locationReferencing");
    xmlXPathRegisterNs(c, BAD_CAST "xsi", BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    xmlChar *v = o ? xmlXPathCastToString(o) : NULL;
    snprintf(out, sizeof(out), "%s", v ? (const char *)v : "");
    xmlFree(v);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return out;
}

#define ORDER "//tro:trafficRegulationOrder[@id='%s']"
#define VALIDITY "//tro:conditions[@xsi:type='tro:ValidityCondition']/tro:validity/com:validityTimeSpecification"

TEST(the_datex_document_validates_against_the_subset_schema_and_says_what_the_rules_say)
{
    once();
    struct hp_t_resp *r = hp_t_get("/v1/public/restrictions.datex2.xml", NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/xml; charset=utf-8");
    REQUIRE(r->body);
    CHECK(datex_valid(r->body, r->len));
    datex_doc = xmlReadMemory(r->body, (int)r->len, "datex2.xml", NULL, XML_PARSE_NONET);
    REQUIRE(datex_doc);
    CHECK_STR(xpath("count(//tro:trafficRegulationOrder)"), "3");
    CHECK_STR(xpath("string(" ORDER "/@version)", daytime), "1");
    /* Above 4.5 t, said as such. */
    CHECK_STR(xpath("string(" ORDER "//com:grossWeightCharacteristic/com:comparisonOperator)",
                    daytime), "greaterThan");
    CHECK_STR(xpath("string(" ORDER "//com:grossVehicleWeight)", daytime), "4.5");
    CHECK_STR(xpath("string(" ORDER "//com:vehicleType)", daytime), "lorry");
    /* 07:00-22:00 every day, except the holiday from the calendar. */
    CHECK_STR(xpath("count(" ORDER VALIDITY "/com:validPeriod)", daytime), "1");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod//com:startTimeOfPeriod)", daytime),
              "07:00:00");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:exceptionPeriod/com:startOfPeriod)", daytime),
              "2026-10-01T00:00:00+08:00");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:exceptionPeriod/com:endOfPeriod)", daytime),
              "2026-10-02T00:00:00+08:00");
    /* 22:00-06:00 Monday to Friday: two periods, the second the next morning. */
    CHECK_STR(xpath("count(" ORDER VALIDITY "/com:validPeriod)", overnight), "2");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod[1]//com:endTimeOfPeriod)",
                    overnight), "23:59:59");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod[2]//com:startTimeOfPeriod)",
                    overnight), "00:00:00");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod[2]//com:endTimeOfPeriod)",
                    overnight), "06:00:00");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod[2]//com:applicableDay[1])",
                    overnight), "tuesday");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:validPeriod[2]//com:applicableDay[5])",
                    overnight), "saturday");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:overallStartTime)", overnight),
              "2026-01-01T00:00:00+08:00");
    CHECK_STR(xpath("string(" ORDER VALIDITY "/com:overallEndTime)", overnight),
              "2027-01-01T00:00:00+08:00");
    /* The courtyard is a hole; the two parks are two polygons. */
    CHECK_STR(xpath("count(" ORDER "//loc:gmlPolygon/loc:interior)", daytime), "1");
    CHECK_STR(xpath("count(" ORDER "//loc:gmlPolygon)", twin), "2");
    CHECK(strncmp(xpath("string(" ORDER "//loc:exterior/loc:posList)", overnight), "35 118.4", 8) == 0);
    xmlFreeDoc(datex_doc);
    datex_doc = NULL;
    /* The validation has teeth: a rule "above" something is not DATEX. */
    char *bad = strstr(r->body, "greaterThan");
    REQUIRE(bad);
    memcpy(bad, "greaterThen", 11);
    CHECK(!datex_valid(r->body, r->len));
    hp_t_free(r);
}

TEST(the_datex_document_has_its_own_etag_and_answers_304_to_it)
{
    once();
    struct hp_t_resp *g = hp_t_get("/v1/public/restrictions", NULL);
    struct hp_t_resp *d = hp_t_get("/v1/public/restrictions.datex2.xml", NULL);
    REQUIRE(hp_t_header(g, "ETag") && hp_t_header(d, "ETag"));
    char etag[64], inm[96];
    snprintf(etag, sizeof(etag), "%s", hp_t_header(d, "ETag"));
    CHECK(strcmp(etag, hp_t_header(g, "ETag")) != 0);
    hp_t_free(g);
    hp_t_free(d);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    const char *h[] = {inm, NULL};
    d = hp_t_req("GET", "/v1/public/restrictions.datex2.xml", NULL, NULL, NULL, 0, h);
    CHECK_INT(d->status, 304);
    hp_t_free(d);
}

TEST(a_zone_change_gives_a_new_etag_and_a_retired_zone_leaves_the_feed)
{
    once();
    char id[64];
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Market\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.50,35.00],[118.51,35.00],[118.51,35.01],[118.50,35.01],"
                "[118.50,35.00]]]},\"rules\":[{\"hazmat_only\":true}]}",
                id);
    struct hp_t_resp *r = hp_t_get("/v1/public/restrictions", NULL);
    char etag[64], modified[64];
    snprintf(etag, sizeof(etag), "%s", hp_t_header(r, "ETag"));
    snprintf(modified, sizeof(modified), "%s", hp_t_header(r, "Last-Modified"));
    CHECK(feature(r, id) != NULL);
    hp_t_free(r);
    char path[128];
    snprintf(path, sizeof(path), "/v1/zones/%s", id);
    r = hp_t_req("DELETE", path, officer.token, NULL, NULL, 0, NULL);
    CHECK(r->status == 200 || r->status == 204);
    hp_t_free(r);
    /* This instance marked its snapshot stale before answering the
     * DELETE, so the very next read shows it. */
    char inm[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    const char *h[] = {inm, NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    CHECK(strcmp(hp_t_header(r, "ETag"), etag) != 0);
    CHECK(r->json && feature(r, id) == NULL);
    CHECK(r->json && feature(r, daytime) != NULL);
    hp_t_free(r);
    /* A client revalidating by date alone gets the new feed too: the
     * retirement moved Last-Modified, even within the same second. */
    char ims[128];
    snprintf(ims, sizeof(ims), "If-Modified-Since: %s", modified);
    const char *h2[] = {ims, NULL};
    r = hp_t_req("GET", "/v1/public/restrictions", NULL, NULL, NULL, 0, h2);
    CHECK_INT(r->status, 200);
    CHECK(r->json && feature(r, id) == NULL);
    hp_t_free(r);
}

TEST(the_feed_is_rate_limited_per_address_like_verify)
{
    once();
    const char *env[] = {"HAULPASS_PUBLIC_RATE=1", NULL};
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, env) == 0);
    int ok = 0, limited = 0;
    for (int i = 0; i < 12; i++) {
        struct hp_t_resp *r = hp_t_on(&s, "GET", "/v1/public/restrictions", NULL, NULL);
        ok += r->status == 200;
        limited += r->status == 429 && hp_t_header(r, "Retry-After") != NULL;
        hp_t_free(r);
    }
    CHECK(ok >= 5 && ok <= 7);
    CHECK(limited >= 5);
    CHECK_INT(hp_t_server_stop(&s), 0);
}
