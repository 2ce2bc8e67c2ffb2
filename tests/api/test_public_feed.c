/* GET /v1/public/restrictions: the restrictions as open data, without an
 * account, from memory, with ETag / Last-Modified revalidation and the
 * public rate. */
#include "harness.h"
#include "test.h"

#include <brotli/decode.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A public rate no test here reaches (the rate has its own test below). */
int hp_test_setup(void)
{
    static const char *const env[] = {"HAULPASS_PUBLIC_RATE=100000", NULL};
    return hp_t_setup(env);
}
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

/* --- gzip ------------------------------------------------------------- */

/* path with Accept-Encoding ae (NULL: none) and If-None-Match inm (NULL:
 * none). */
static struct hp_t_resp *get_as(const char *path, const char *ae, const char *inm)
{
    char h1[128], h2[128];
    const char *h[3] = {NULL, NULL, NULL};
    int n = 0;
    if (ae) {
        snprintf(h1, sizeof(h1), "Accept-Encoding: %s", ae);
        h[n++] = h1;
    }
    if (inm) {
        snprintf(h2, sizeof(h2), "If-None-Match: %s", inm);
        h[n++] = h2;
    }
    return hp_t_req("GET", path, NULL, NULL, NULL, 0, h);
}

/* The gunzipped body of r (malloc'd, *len bytes), or NULL when it is not
 * one whole gzip stream. */
static char *gunzip(const struct hp_t_resp *r, size_t *len)
{
    z_stream z = {0};
    size_t cap = 64 << 20;
    char *out = malloc(cap);
    if (!out || inflateInit2(&z, 15 + 16) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)r->body;
    z.avail_in = (uInt)r->len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    *len = z.total_out;
    bool whole = rc == Z_STREAM_END && z.avail_in == 0;
    inflateEnd(&z);
    if (!whole) {
        free(out);
        return NULL;
    }
    return out;
}

/* Whether r's gzip body gunzips to exactly plain's body. */
static bool gunzips_to(const struct hp_t_resp *r, const struct hp_t_resp *plain)
{
    size_t n = 0;
    char *text = gunzip(r, &n);
    bool same = text && n == plain->len && memcmp(text, plain->body, n) == 0;
    free(text);
    return same;
}

static const char *const feeds[] = {"/v1/public/restrictions",
                                    "/v1/public/restrictions.datex2.xml"};

TEST(the_gzip_body_gunzips_to_exactly_the_plain_one_with_its_own_etag_in_both_formats)
{
    once();
    for (int i = 0; i < 2; i++) {
        struct hp_t_resp *plain = get_as(feeds[i], NULL, NULL);
        struct hp_t_resp *gz = get_as(feeds[i], "gzip, deflate", NULL);
        CHECK_INT(plain->status, 200);
        CHECK_INT(gz->status, 200);
        CHECK(hp_t_header(plain, "Content-Encoding") == NULL);
        CHECK_STR(hp_t_header(gz, "Content-Encoding"), "gzip");
        CHECK_STR(hp_t_header(plain, "Vary"), "Accept-Encoding");
        CHECK_STR(hp_t_header(gz, "Vary"), "Accept-Encoding");
        char type[96], etag[64];
        snprintf(type, sizeof(type), "%s", hp_t_header(plain, "Content-Type"));
        CHECK_STR(hp_t_header(gz, "Content-Type"), type);
        CHECK(gz->len < plain->len);
        CHECK(gunzips_to(gz, plain));
        /* Two representations, two strong ETags: the plain one and "-gz". */
        snprintf(etag, sizeof(etag), "%s", hp_t_header(plain, "ETag"));
        REQUIRE(strlen(etag) > 2 && etag[0] == '"');
        etag[strlen(etag) - 1] = '\0';
        char want[80];
        snprintf(want, sizeof(want), "%s-gz\"", etag);
        CHECK_STR(hp_t_header(gz, "ETag"), want);
        hp_t_free(plain);
        hp_t_free(gz);
    }
}

TEST(a_client_that_refuses_gzip_or_names_no_coding_gets_the_plain_body)
{
    once();
    const char *plain_only[] = {"gzip;q=0", "identity", "gzip;q=0, identity", "gzip;q=0, br;q=0, *",
                                "compress", "", "gzip;q=0.5, identity",
                                "br;q=0.5, gzip;q=0.5, identity"};
    struct hp_t_resp *plain = get_as(feeds[0], NULL, NULL);
    CHECK(plain->json != NULL);
    for (size_t i = 0; i < sizeof(plain_only) / sizeof(plain_only[0]); i++) {
        struct hp_t_resp *r = get_as(feeds[0], plain_only[i], NULL);
        CHECK_INT(r->status, 200);
        if (hp_t_header(r, "Content-Encoding"))
            hp_test_fail(__FILE__, __LINE__, "Accept-Encoding \"%s\" got %s", plain_only[i],
                         hp_t_header(r, "Content-Encoding"));
        CHECK_STR(hp_t_header(r, "Vary"), "Accept-Encoding");
        CHECK_STR(hp_t_header(r, "ETag"), hp_t_header(plain, "ETag"));
        CHECK(r->len == plain->len && memcmp(r->body, plain->body, r->len) == 0);
        hp_t_free(r);
    }
    /* Any other way of taking gzip gets it. */
    const char *takes[] = {"GZIP", "x-gzip", "br;q=0, *", "br;q=0.5, gzip;q=0.8",
                           "identity;q=0.5, gzip"};
    for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
        struct hp_t_resp *r = get_as(feeds[0], takes[i], NULL);
        if (!hp_t_header(r, "Content-Encoding") || !gunzips_to(r, plain))
            hp_test_fail(__FILE__, __LINE__, "Accept-Encoding \"%s\" did not get gzip",
                         takes[i]);
        hp_t_free(r);
    }
    hp_t_free(plain);
}

/* The ETags of path, plain and gzip-coded. */
static void etags_of(const char *path, char plain[64], char gzip[64])
{
    struct hp_t_resp *r = get_as(path, NULL, NULL);
    snprintf(plain, 64, "%s", hp_t_header(r, "ETag") ? hp_t_header(r, "ETag") : "");
    hp_t_free(r);
    r = get_as(path, "gzip", NULL);
    snprintf(gzip, 64, "%s", hp_t_header(r, "ETag") ? hp_t_header(r, "ETag") : "");
    hp_t_free(r);
}

TEST(each_encoding_revalidates_to_304_with_its_own_etag_only)
{
    once();
    for (int i = 0; i < 2; i++) {
        char pe[64], ge[64];
        etags_of(feeds[i], pe, ge);
        struct hp_t_resp *r = get_as(feeds[i], "gzip", ge);
        CHECK_INT(r->status, 304);
        CHECK_INT(r->len, 0);
        CHECK_STR(hp_t_header(r, "ETag"), ge);
        CHECK_STR(hp_t_header(r, "Vary"), "Accept-Encoding");
        hp_t_free(r);
        r = get_as(feeds[i], NULL, pe);
        CHECK_INT(r->status, 304);
        CHECK_STR(hp_t_header(r, "ETag"), pe);
        hp_t_free(r);
        /* The other encoding's ETag names other bytes: the body comes. */
        r = get_as(feeds[i], "gzip", pe);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_header(r, "Content-Encoding"), "gzip");
        hp_t_free(r);
        r = get_as(feeds[i], NULL, ge);
        CHECK_INT(r->status, 200);
        CHECK(hp_t_header(r, "Content-Encoding") == NULL);
        hp_t_free(r);
        /* A cache holding both sends both, and gets its 304 either way. */
        char both[140];
        snprintf(both, sizeof(both), "%s, %s", pe, ge);
        r = get_as(feeds[i], "gzip", both);
        CHECK_INT(r->status, 304);
        CHECK_STR(hp_t_header(r, "ETag"), ge);
        hp_t_free(r);
    }
}

TEST(a_zone_change_gives_new_bodies_and_etags_in_both_encodings)
{
    once();
    for (int i = 0; i < 2; i++) {
        char pe[64], ge[64], id[64], body[512];
        etags_of(feeds[i], pe, ge);
        snprintf(body, sizeof(body),
                 "{\"name\":\"Fish Market %d\",\"geometry\":{\"type\":\"Polygon\","
                 "\"coordinates\":[[[118.6,35.0],[118.61,35.0],[118.61,35.01],[118.6,35.01],"
                 "[118.6,35.0]]]},\"rules\":[{\"hazmat_only\":true}]}",
                 i);
        hp_t_create("/v1/zones", officer.token, body, id);
        struct hp_t_resp *plain = get_as(feeds[i], NULL, pe);
        struct hp_t_resp *gz = get_as(feeds[i], "gzip", ge);
        CHECK_INT(plain->status, 200);
        CHECK_INT(gz->status, 200);
        CHECK(strcmp(hp_t_header(plain, "ETag"), pe) != 0);
        CHECK(strcmp(hp_t_header(gz, "ETag"), ge) != 0);
        CHECK(strstr(plain->body, id) != NULL);
        CHECK(gunzips_to(gz, plain));
        hp_t_free(plain);
        hp_t_free(gz);
    }
}

/* --- brotli -------------------------------------------------------------- */

/* Whether path, asked with Accept-Encoding ae, comes brotli-coded now. */
static bool comes_as_br(const char *path, const char *ae)
{
    struct hp_t_resp *r = get_as(path, ae, NULL);
    const char *ce = hp_t_header(r, "Content-Encoding");
    bool br = r->status == 200 && ce && strcmp(ce, "br") == 0;
    hp_t_free(r);
    return br;
}

/* Whether r's brotli body decodes to exactly plain's body. */
static bool unbrotlis_to(const struct hp_t_resp *r, const struct hp_t_resp *plain)
{
    size_t n = plain->len + 1;
    uint8_t *text = malloc(n);
    bool same = text &&
                BrotliDecoderDecompress(r->len, (const uint8_t *)r->body, &n, text) ==
                    BROTLI_DECODER_RESULT_SUCCESS &&
                n == plain->len && memcmp(text, plain->body, n) == 0;
    free(text);
    return same;
}

TEST(brotli_comes_once_made_decodes_to_the_plain_body_and_has_its_own_etag)
{
    once();
    for (int i = 0; i < 2; i++) {
        /* Made by a thread of its own after the body: gzip until then. */
        HP_T_EVENTUALLY(comes_as_br(feeds[i], "gzip, deflate, br"));
        struct hp_t_resp *plain = get_as(feeds[i], NULL, NULL);
        struct hp_t_resp *gz = get_as(feeds[i], "gzip", NULL);
        struct hp_t_resp *br = get_as(feeds[i], "gzip, deflate, br", NULL);
        CHECK_INT(br->status, 200);
        CHECK_STR(hp_t_header(br, "Content-Encoding"), "br");
        CHECK_STR(hp_t_header(br, "Vary"), "Accept-Encoding");
        char type[96];
        snprintf(type, sizeof(type), "%s", hp_t_header(plain, "Content-Type"));
        CHECK_STR(hp_t_header(br, "Content-Type"), type);
        CHECK(unbrotlis_to(br, plain));
        CHECK(br->len < gz->len);
        /* Its own strong ETag, "-br"; a 304 for it, the body for another. */
        char etag[64], want[80];
        snprintf(etag, sizeof(etag), "%s", hp_t_header(plain, "ETag"));
        REQUIRE(strlen(etag) > 2);
        etag[strlen(etag) - 1] = '\0';
        snprintf(want, sizeof(want), "%s-br\"", etag);
        CHECK_STR(hp_t_header(br, "ETag"), want);
        struct hp_t_resp *r = get_as(feeds[i], "br", want);
        CHECK_INT(r->status, 304);
        CHECK_STR(hp_t_header(r, "ETag"), want);
        hp_t_free(r);
        r = get_as(feeds[i], "br", hp_t_header(gz, "ETag"));
        CHECK_INT(r->status, 200);
        CHECK(unbrotlis_to(r, plain));
        hp_t_free(r);
        r = get_as(feeds[i], "gzip", want);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_header(r, "Content-Encoding"), "gzip");
        hp_t_free(r);
        /* The client's order wins over ours. */
        r = get_as(feeds[i], "br;q=0.5, gzip", NULL);
        CHECK_STR(hp_t_header(r, "Content-Encoding"), "gzip");
        hp_t_free(r);
        hp_t_free(plain);
        hp_t_free(gz);
        hp_t_free(br);
    }
}

/* The times new_br saw the brotli body it was told is old. */
static int old_br_seen;

/* Whether the feed comes brotli-coded with an ETag other than old; counts
 * in old_br_seen each time it comes with old. */
static bool new_br(const char *old)
{
    struct hp_t_resp *r = get_as(feeds[0], "br", NULL);
    const char *ce = hp_t_header(r, "Content-Encoding");
    bool br = ce && strcmp(ce, "br") == 0;
    bool stale = br && strcmp(hp_t_header(r, "ETag"), old) == 0;
    old_br_seen += stale;
    hp_t_free(r);
    return br && !stale;
}

/* Whether the plain feed names zone id now. */
static bool feed_names(const char *id)
{
    struct hp_t_resp *r = get_as(feeds[0], NULL, NULL);
    bool named = r->status == 200 && r->body && strstr(r->body, id) != NULL;
    hp_t_free(r);
    return named;
}

TEST(a_zone_change_gives_a_new_brotli_body_and_never_the_old_one)
{
    once();
    HP_T_EVENTUALLY(comes_as_br(feeds[0], "br"));
    struct hp_t_resp *before = get_as(feeds[0], "br", NULL);
    char id[64], old_etag[80];
    snprintf(old_etag, sizeof(old_etag), "%s", hp_t_header(before, "ETag"));
    hp_t_free(before);
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Brotli Quay\",\"geometry\":{\"type\":\"Polygon\","
                "\"coordinates\":[[[118.62,35.0],[118.63,35.0],[118.63,35.01],[118.62,35.01],"
                "[118.62,35.0]]]},\"rules\":[{\"hazmat_only\":true}]}",
                id);
    /* Once the feed shows the new zone, never the old brotli: the body as
     * it is meanwhile (to a client taking only br), then the new brotli. */
    HP_T_EVENTUALLY(feed_names(id));
    old_br_seen = 0;
    HP_T_EVENTUALLY(new_br(old_etag));
    CHECK_INT(old_br_seen, 0);
    struct hp_t_resp *plain = get_as(feeds[0], NULL, NULL);
    struct hp_t_resp *after = get_as(feeds[0], "br", NULL);
    REQUIRE(strstr(plain->body, id) != NULL);
    char etag[80];
    snprintf(etag, sizeof(etag), "%.*s-br\"", (int)strlen(hp_t_header(plain, "ETag")) - 1,
             hp_t_header(plain, "ETag"));
    CHECK_STR(hp_t_header(after, "ETag"), etag);
    CHECK(strcmp(etag, old_etag) != 0);
    CHECK(unbrotlis_to(after, plain));
    hp_t_free(after);
    hp_t_free(plain);
}

/* --- precision ---------------------------------------------------------- */

/* Metres between two positions a few centimetres apart (equirectangular). */
static double metres(double lon1, double lat1, double lon2, double lat2)
{
    double k = 6371008.8 * M_PI / 180;
    double dx = (lon2 - lon1) * cos(lat1 * M_PI / 180) * k, dy = (lat2 - lat1) * k;
    return sqrt(dx * dx + dy * dy);
}

TEST(a_vertex_is_published_to_six_decimals_within_ten_centimetres_and_kept_exact)
{
    once();
    /* A vertex with 12 decimals, and a ring whose two vertices lie 3 mm
     * apart, which rounding would merge: that one stays exact. */
    char fine[64], close[64];
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Fine Lines\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.123456789012,35.987654321098],[118.13,35.98],[118.13,35.99],"
                "[118.12,35.99],[118.123456789012,35.987654321098]]]},\"rules\":[]}",
                fine);
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Close Call\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.7,35.0],[118.71,35.0],[118.71,35.01],[118.71000001,35.01000003],"
                "[118.7,35.01],[118.7,35.0]]]},\"rules\":[]}",
                close);
    struct hp_t_resp *r = hp_t_get("/v1/public/restrictions", NULL);
    REQUIRE(r->json);
    const cJSON *ring = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(feature(r, fine), "geometry"), "coordinates"), 0);
    const cJSON *v = cJSON_GetArrayItem(ring, 0);
    REQUIRE(v);
    double lon = cJSON_GetArrayItem(v, 0)->valuedouble, lat = cJSON_GetArrayItem(v, 1)->valuedouble;
    CHECK(metres(118.123456789012, 35.987654321098, lon, lat) < 0.1);
    CHECK(fabs(lon - 118.123457) < 1e-9 && fabs(lat - 35.987654) < 1e-9);
    /* And the text says so: six places, no trailing zeros ("118.13"). */
    char *text = cJSON_PrintUnformatted(ring);
    CHECK(strstr(text, "[118.123457,35.987654]") && strstr(text, "[118.13,35.98]"));
    free(text);
    ring = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(feature(r, close), "geometry"), "coordinates"), 0);
    CHECK_INT(cJSON_GetArraySize(ring), 6);
    CHECK(cJSON_GetArrayItem(cJSON_GetArrayItem(ring, 3), 0)->valuedouble == 118.71000001);
    hp_t_free(r);
    /* The DATEX posList rounds the same way, latitude first. */
    r = hp_t_get("/v1/public/restrictions.datex2.xml", NULL);
    REQUIRE(r->body);
    CHECK(strstr(r->body, "35.987654 118.123457") != NULL);
    CHECK(strstr(r->body, "35.01000003 118.71000001") != NULL);
    hp_t_free(r);
    /* The zone API, which editors use, keeps every digit. */
    char path[128];
    snprintf(path, sizeof(path), "/v1/zones/%s", fine);
    r = hp_t_get(path, officer.token);
    CHECK(r->body && strstr(r->body, "118.123456789012") != NULL);
    hp_t_free(r);
}

/* --- ?bbox= ------------------------------------------------------------- */

TEST(a_bbox_gives_only_the_zones_that_meet_it_and_revalidates_with_the_feeds_etag)
{
    once();
    struct hp_t_resp *all = get_as(feeds[0], NULL, NULL);
    /* Around Old Town only. */
    struct hp_t_resp *r =
        get_as("/v1/public/restrictions?bbox=118.29,34.99,118.33,35.03", "br, gzip", NULL);
    CHECK_INT(r->status, 200);
    REQUIRE(r->json);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "features")), 1);
    CHECK(feature(r, daytime) != NULL);
    CHECK(cJSON_GetObjectItem(r->json, "public_holidays") != NULL);
    /* Rendered for the request: plain, with the feed's (plain) ETag. */
    CHECK(hp_t_header(r, "Content-Encoding") == NULL);
    CHECK_STR(hp_t_header(r, "ETag"), hp_t_header(all, "ETag"));
    char etag[64];
    snprintf(etag, sizeof(etag), "%s", hp_t_header(r, "ETag"));
    hp_t_free(r);
    r = get_as("/v1/public/restrictions?bbox=118.29,34.99,118.33,35.03", NULL, etag);
    CHECK_INT(r->status, 304);
    CHECK_STR(hp_t_header(r, "ETag"), etag);
    hp_t_free(r);
    /* An ETag of another version is no reason to skip the rendering. */
    r = get_as("/v1/public/restrictions?bbox=118.29,34.99,118.33,35.03", NULL, "\"g-0\"");
    CHECK_INT(r->status, 200);
    CHECK(r->json && cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "features")) == 1);
    hp_t_free(r);
    /* A box that touches no zone: an empty collection, still GeoJSON. */
    r = hp_t_get("/v1/public/restrictions?bbox=0,0,1,1", NULL);
    CHECK_INT(r->status, 200);
    CHECK(r->json && cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "features")) == 0);
    hp_t_free(r);
    /* A box around every zone is the whole feed, gzip included. */
    r = hp_t_get("/v1/public/restrictions?bbox=-180,-90,180,90", NULL);
    CHECK(r->len == all->len && memcmp(r->body, all->body, r->len) == 0);
    hp_t_free(r);
    r = get_as("/v1/public/restrictions?bbox=-180,-90,180,90", "gzip", NULL);
    CHECK(gunzips_to(r, all));
    hp_t_free(r);
    hp_t_free(all);
}

TEST(a_bad_bbox_is_refused_with_400_and_datex_refuses_any_bbox)
{
    once();
    const char *bad[] = {"/v1/public/restrictions?bbox=1,2,3",
                         "/v1/public/restrictions?bbox=118.4,35,118.3,35.1",
                         "/v1/public/restrictions?bbox=0,-91,1,1",
                         "/v1/public/restrictions?bbox=a,b,c,d",
                         "/v1/public/restrictions.datex2.xml?bbox=118.29,34.99,118.33,35.03"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct hp_t_resp *r = hp_t_get(bad[i], NULL);
        CHECK_INT(r->status, 400);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:bad-parameter");
        hp_t_free(r);
    }
}
