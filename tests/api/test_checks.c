/* Route and sighting checks through the API: every shape of route, rules
 * by class, weight and time, passes that lift them and those that do not,
 * bad input, and two instances on one database. */
#include "harness.h"
#include "test.h"

#include "haulpass/api.h"
#include "haulpass/check_feed.h"
#include "haulpass/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer, haulier;
static char zone_a[64], zone_b[64], zone_c[64], zone_p[64];

/* Old Town: a square with a hole; heavy trucks over 12 t on weekday
 * mornings, a construction pass lifts it. */
#define ZONE_A                                                                            \
    "{\"name\":\"Old Town\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["         \
    "[[118.30,35.00],[118.32,35.00],[118.32,35.02],[118.30,35.02],[118.30,35.00]],"     \
    "[[118.305,35.005],[118.305,35.01],[118.31,35.01],[118.31,35.005],[118.305,35.005]]]}," \
    "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],\"min_gross_weight_kg\":12000,"     \
    "\"hours\":\"Mo-Fr 07:00-09:00\",\"liftable_by\":[\"construction\"]}]}"
/* Twin Parks: a multipolygon where nothing over 40 t ever goes. */
#define ZONE_B                                                                            \
    "{\"name\":\"Twin Parks\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["  \
    "[[[118.34,35.00],[118.35,35.00],[118.35,35.01],[118.34,35.01],[118.34,35.00]]],"   \
    "[[[118.36,35.00],[118.37,35.00],[118.37,35.01],[118.36,35.01],[118.36,35.00]]]]},"  \
    "\"rules\":[{\"min_gross_weight_kg\":40000,\"liftable_by\":[]}]}"
/* River: overlaps Old Town; hazmat only, always. */
#define ZONE_C                                                                            \
    "{\"name\":\"River\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["            \
    "[[118.315,35.00],[118.33,35.00],[118.33,35.02],[118.315,35.02],[118.315,35.00]]]}," \
    "\"rules\":[{\"hazmat_only\":true,\"liftable_by\":[\"hazmat\"]}]}"
/* Port: heavy trucks always; construction or urban delivery passes lift it. */
#define ZONE_P                                                                            \
    "{\"name\":\"Port\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["             \
    "[[118.40,35.00],[118.42,35.00],[118.42,35.02],[118.40,35.02],[118.40,35.00]]]},"    \
    "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],"                                   \
    "\"liftable_by\":[\"construction\",\"urban_delivery\"]}]}"

static void zone(const char *body, char id[64])
{
    hp_t_create("/v1/zones", officer.token, body, id);
}

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("Check Police", "police", "officer", "check officer");
    haulier = hp_t_who_add("Check Haulage", "haulier", "haulier", "check dispatcher");
    zone(ZONE_A, zone_a);
    zone(ZONE_B, zone_b);
    zone(ZONE_C, zone_c);
    zone(ZONE_P, zone_p);
}

#define HEAVY "\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":31000}"
#define TUESDAY_0650 "2026-12-01T06:50:00+08:00"

static struct hp_t_resp *route_check(const char *who, const char *coords, const char *depart,
                                     const char *extra)
{
    size_t n = strlen(coords) + 512;
    char *b = malloc(n);
    snprintf(b, n, "{%s,\"route\":{\"type\":\"LineString\",\"coordinates\":[%s]},"
                   "\"depart_at\":\"%s\"}",
             extra ? extra : HEAVY, coords, depart);
    struct hp_t_resp *r = hp_t_post("/v1/checks/route", who ? who : haulier.token, b);
    free(b);
    return r;
}

static const cJSON *item(const struct hp_t_resp *r, const char *list, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, list), i);
}

static int count(const struct hp_t_resp *r, const char *list)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(r->json, list));
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* The number of crossings of zone id in r. */
static int crossings_of(const struct hp_t_resp *r, const char *id)
{
    int n = 0;
    for (int i = 0; i < count(r, "crossings"); i++)
        n += strcmp(str(item(r, "crossings", i), "zone_id"), id) == 0;
    return n;
}

/* PostGIS's length of the route inside zone id, in metres. */
static double postgis_length(const char *id, const char *wkt)
{
    char sql[65536];
    snprintf(sql, sizeof(sql),
             "SELECT ST_Length(ST_Intersection(geom, ST_GeomFromText('%s', 4326))::geography)"
             " * 1000 FROM zones WHERE id = '%s'",
             wkt, id);
    return hp_t_sql_int(sql) / 1000.0;
}

static double length_in(const struct hp_t_resp *r, const char *id)
{
    double sum = 0;
    for (int i = 0; i < count(r, "crossings"); i++) {
        const cJSON *c = item(r, "crossings", i);
        if (strcmp(str(c, "zone_id"), id) == 0)
            sum += num(c, "to_m") - num(c, "from_m");
    }
    return sum;
}

TEST(a_straight_route_crosses_the_holed_zone_twice_the_overlap_once_and_both_parts_of_the_multipolygon)
{
    once();
    struct hp_t_resp *r = route_check(NULL, "[118.29,35.0075],[118.38,35.0075]", "2026-12-05T10:00:00+08:00", NULL);
    REQUIRE(r->status == 200);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    CHECK(num(r->json, "zone_set_version") > 0);
    CHECK_INT(crossings_of(r, zone_a), 2);
    CHECK_INT(crossings_of(r, zone_c), 1);
    CHECK_INT(crossings_of(r, zone_b), 2);
    CHECK_INT(crossings_of(r, zone_p), 0);
    /* In route order, and the lengths are PostGIS's. */
    for (int i = 1; i < count(r, "crossings"); i++)
        CHECK(num(item(r, "crossings", i - 1), "from_m") <= num(item(r, "crossings", i), "from_m"));
    const char *wkt = "LINESTRING(118.29 35.0075,118.38 35.0075)";
    CHECK(fabs(length_in(r, zone_a) - postgis_length(zone_a, wkt)) < 0.01);
    CHECK(fabs(length_in(r, zone_b) - postgis_length(zone_b, wkt)) < 0.01);
    CHECK(fabs(num(r->json, "length_m") -
               hp_t_sql_int("SELECT ST_Length('LINESTRING(118.29 35.0075,118.38 35.0075)'"
                            "::geography) * 1000") / 1000.0) < 0.01);
    /* Times at 30 km/h: 8.33 m a second from the start. */
    const cJSON *first = item(r, "crossings", 0);
    CHECK_STR(str(first, "zone_name"), "Old Town");
    double from = num(first, "from_m");
    CHECK(from > 900 && from < 915);
    CHECK_STR(str(first, "enter_at"), "2026-12-05T10:01:49.536000+08:00");
    hp_t_free(r);
}

TEST(a_route_of_ten_thousand_points_gives_the_same_crossings_as_its_one_segment)
{
    once();
    size_t cap = 10000 * 40;
    char *coords = malloc(cap);
    size_t at = 0;
    for (int i = 0; i < 10000; i++)
        at += (size_t)snprintf(coords + at, cap - at, "%s[%.9f,35.0075]", i ? "," : "",
                               118.29 + 0.09 * i / 9999.0);
    struct hp_t_resp *many = route_check(NULL, coords, "2026-12-05T10:00:00+08:00", NULL);
    struct hp_t_resp *one = route_check(NULL, "[118.29,35.0075],[118.38,35.0075]",
                                        "2026-12-05T10:00:00+08:00", NULL);
    free(coords);
    REQUIRE(many->status == 200 && one->status == 200);
    REQUIRE(count(many, "crossings") == count(one, "crossings"));
    for (int i = 0; i < count(one, "crossings"); i++) {
        CHECK_STR(str(item(many, "crossings", i), "zone_id"), str(item(one, "crossings", i), "zone_id"));
        CHECK(fabs(num(item(many, "crossings", i), "from_m") - num(item(one, "crossings", i), "from_m")) < 0.5);
        CHECK(fabs(num(item(many, "crossings", i), "to_m") - num(item(one, "crossings", i), "to_m")) < 0.5);
    }
    hp_t_free(many);
    hp_t_free(one);
}

TEST(a_route_that_starts_and_ends_inside_runs_along_a_boundary_or_touches_a_corner_is_inside_there)
{
    once();
    struct hp_t_resp *r = route_check(NULL, "[118.301,35.015],[118.319,35.015]", TUESDAY_0650 , NULL);
    REQUIRE(r->status == 200);
    REQUIRE(crossings_of(r, zone_a) == 1);
    const cJSON *c = item(r, "crossings", 0);
    CHECK(num(c, "from_m") == 0);
    CHECK(fabs(num(c, "to_m") - num(r->json, "length_m")) < 0.001);
    hp_t_free(r);
    /* Along the bottom edge of Old Town: inside over its 0.01 degrees. */
    r = route_check(NULL, "[118.29,35.0],[118.31,35.0]", TUESDAY_0650, NULL);
    REQUIRE(crossings_of(r, zone_a) == 1);
    c = item(r, "crossings", 0);
    CHECK(fabs(num(c, "to_m") - num(c, "from_m") -
               postgis_length(zone_a, "LINESTRING(118.29 35.0,118.31 35.0)")) < 0.01);
    hp_t_free(r);
    /* Touching the corner (118.30, 35.02): a crossing of no length. */
    r = route_check(NULL, "[118.29,35.03],[118.30,35.02],[118.29,35.04]", TUESDAY_0650, NULL);
    REQUIRE(crossings_of(r, zone_a) == 1);
    c = item(r, "crossings", 0);
    CHECK(num(c, "from_m") == num(c, "to_m"));
    CHECK_STR(str(c, "enter_at"), str(c, "exit_at"));
    hp_t_free(r);
    /* Standing still inside (every position the same): a route of no
     * length, inside at the departure. */
    r = route_check(NULL, "[118.301,35.015],[118.301,35.015]", TUESDAY_0650, NULL);
    REQUIRE(r->status == 200);
    CHECK(num(r->json, "length_m") == 0);
    REQUIRE(crossings_of(r, zone_a) == 1);
    CHECK(num(item(r, "crossings", 0), "to_m") == 0);
    hp_t_free(r);
}

TEST(a_route_that_zigzags_across_an_edge_crosses_once_per_visit)
{
    once();
    struct hp_t_resp *r = route_check(
        NULL, "[118.301,34.99],[118.302,35.001],[118.303,34.99],[118.304,35.001],[118.3045,34.99]",
        TUESDAY_0650, NULL);
    REQUIRE(r->status == 200);
    CHECK_INT(crossings_of(r, zone_a), 2);
    hp_t_free(r);
}

/* The reason of the one violation of the Old Town route on Tuesday 06:50,
 * asked with Accept-Language al (NULL: none), into out. */
static void reason_in(const char *al, char *out, size_t len)
{
    char h[96];
    snprintf(h, sizeof(h), "Accept-Language: %s", al ? al : "");
    const char *headers[] = {h, NULL};
    char body[512];
    snprintf(body, sizeof(body),
             "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":"
             "[[118.25,35.015],[118.31,35.015]]},\"depart_at\":\"%s\"}",
             TUESDAY_0650);
    struct hp_t_resp *r = hp_t_req("POST", "/v1/checks/route", haulier.token, NULL, body,
                                   strlen(body), al ? headers : NULL);
    const char *reason = r->status == 200 && count(r, "violations") == 1
                             ? str(item(r, "violations", 0), "reason")
                             : NULL;
    snprintf(out, len, "%s", reason ? reason : "");
    hp_t_free(r);
}

TEST(a_reason_is_in_chinese_for_a_client_that_prefers_it_and_in_english_otherwise)
{
    once();
    char zh[2048], en[2048], none[2048];
    reason_in("zh-CN,zh;q=0.9,en;q=0.8", zh, sizeof(zh));
    reason_in("en-GB,en;q=0.9,zh;q=0.5", en, sizeof(en));
    reason_in(NULL, none, sizeof(none));
    /* The zone, its rule as the public feed words it, this vehicle, and
     * the instant, in Chinese. */
    CHECK(strstr(zh, "区域“Old Town”") != NULL);
    CHECK(strstr(zh, "12吨以上的重型货车") != NULL);
    CHECK(strstr(zh, "07:00") != NULL);
    CHECK(strstr(zh, "可凭施工通行证通行") != NULL);
    CHECK(strstr(zh, "本车：重型货车，31000千克") != NULL);
    CHECK(strstr(zh, "2026-12-01T07:00:00+08:00 时在限行时段内，且无覆盖此处的有效通行证。") != NULL);
    CHECK(strstr(zh, "zone") == NULL);
    /* English when English is preferred, or nothing is said. */
    CHECK(strstr(en, "zone \"Old Town\" restricts heavy_truck over 12000 kg") != NULL);
    CHECK_STR(none, en);
}

TEST(a_rule_is_violated_only_when_it_applies_and_is_in_force_during_the_crossing)
{
    once();
    /* Tuesday 06:50: Old Town is entered after 07:00 at 30 km/h. */
    struct hp_t_resp *r = route_check(NULL, "[118.25,35.015],[118.31,35.015]", TUESDAY_0650, NULL);
    REQUIRE(r->status == 200);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "allowed")));
    REQUIRE(count(r, "violations") == 1);
    const cJSON *v = item(r, "violations", 0);
    CHECK_STR(str(v, "zone_id"), zone_a);
    CHECK(strstr(str(v, "reason"), "Old Town") != NULL);
    CHECK(strstr(str(v, "reason"), "heavy_truck over 12000 kg") != NULL);
    CHECK(strstr(str(v, "reason"), "Mo-Fr 07:00-09:00") != NULL);
    CHECK(strstr(str(v, "reason"), "construction") != NULL);
    CHECK(strlen(str(v, "rule_id")) == 36);
    hp_t_free(r);
    /* Saturday, or 10:00, or a light vehicle: allowed. */
    r = route_check(NULL, "[118.25,35.015],[118.31,35.015]", "2026-12-05T06:50:00+08:00", NULL);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    hp_t_free(r);
    r = route_check(NULL, "[118.25,35.015],[118.31,35.015]", "2026-12-01T10:00:00+08:00", NULL);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    hp_t_free(r);
    r = route_check(NULL, "[118.25,35.015],[118.31,35.015]", TUESDAY_0650,
                    "\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":12000}");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    hp_t_free(r);
    /* Hazmat in the River, over 40 t in the parks (no pass lifts that). */
    r = route_check(NULL, "[118.32,35.015],[118.345,35.005]", "2026-12-05T10:00:00+08:00",
                    "\"vehicle\":{\"class\":\"hazmat_tanker\",\"gross_weight_kg\":41000,"
                    "\"hazmat\":true}");
    CHECK_INT(count(r, "violations"), 2);
    CHECK(strstr(r->body, "no pass lifts it") != NULL);
    hp_t_free(r);
}

/* Registers a vehicle for the haulier; its plate is "鲁C" + suffix. */
static const char *plate(const char *suffix)
{
    static char p[8][32];
    static int next;
    char *out = p[next++ % 8];
    snprintf(out, 32, "鲁C%s", suffix);
    hp_t_vehicle_add(haulier.token, out);
    return out;
}

/* The current zone_set_version as a sighting answers it. */
static long long version(struct hp_t_server *s)
{
    struct hp_t_resp *r = hp_t_on(s, "POST", "/v1/checks/sightings", officer.token,
                                  "{\"sightings\":[{\"plate\":\"X0\",\"lon\":0,\"lat\":0,"
                                  "\"at\":\"2026-12-01T00:00:00Z\"}]}");
    long long v = r->json ? (long long)num(r->json, "zone_set_version") : -1;
    hp_t_free(r);
    return v;
}

static long long now_ms(void) { return hp_t_now_ms(); }

/* Waits until server s answers from a snapshot after `after`; the ms it
 * took. Polls for up to HP_T_PATIENCE_MS and fails the test (at the
 * caller's line) when the snapshot never moves. */
#define wait_past(s, after) wait_past_at(__LINE__, (s), (after))
static long long wait_past_at(int line, struct hp_t_server *s, long long after)
{
    long long t0 = now_ms();
    while (version(s) <= after) {
        if (now_ms() - t0 > HP_T_PATIENCE_MS) {
            hp_test_fail(__FILE__, line, "%s never answered from a snapshot after version %lld"
                         " within %d s", s->base, after, HP_T_PATIENCE_MS / 1000);
            break;
        }
        hp_t_sleep_ms(10);
    }
    return now_ms() - t0;
}

/* Both servers answer from the same snapshot version (the same data). */
static bool same_version(struct hp_t_server *a, struct hp_t_server *b)
{
    long long va = version(a), vb = version(b);
    return va > 0 && va == vb;
}

/* Issues a pass straight into the table (the queue is test_queue's
 * business) and waits for the snapshot to carry it. */
static void pass(const char *plate_, const char *code, const char *status, const char *type,
                 const char *zones, const char *from, const char *to, const char *hours,
                 const char *extra_cols, const char *extra_vals)
{
    static char app[64];
    if (!app[0]) {
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO applications (org_id, applicant_id, type, plates, valid_from,"
                 " valid_to, status, due_at) VALUES ('%s', '%s', 'construction', '{X}',"
                 " '2026-12-01', '2026-12-03', 'queued', now()) RETURNING id",
                 haulier.org, haulier.id);
        PGresult *res = PQexec(hp_t_db(), sql);
        REQUIRE(PQresultStatus(res) == PGRES_TUPLES_OK);
        snprintf(app, sizeof(app), "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    long long before = version(&hp_t);
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "INSERT INTO passes (code, application_id, plate, type, zone_ids, valid_from,"
             " valid_to, hours, status, revoke_reason%s) VALUES ('%s', '%s', '%s', '%s', '%s',"
             " '%s', '%s', %s, '%s', %s%s) RETURNING 1",
             extra_cols ? extra_cols : "", code, app, plate_, type, zones, from, to,
             hours ? hours : "NULL", status,
             strcmp(status, "revoked") == 0 ? "'test'" : "NULL", extra_vals ? extra_vals : "");
    CHECK_INT(hp_t_sql_int(sql), 1);
    wait_past(&hp_t, before);
}

/* One sighting of plate_ at (lon, lat, at); the response. */
static struct hp_t_resp *sight(const char *plate_, double lon, double lat, const char *at)
{
    char b[512];
    snprintf(b, sizeof(b), "{\"sightings\":[{\"plate\":\"%s\",\"lon\":%.6f,\"lat\":%.6f,"
                           "\"at\":\"%s\",\"camera_id\":\"cam-7\"}]}", plate_, lon, lat, at);
    return hp_t_post("/v1/checks/sightings", officer.token, b);
}

static const char *sight_status(const char *plate_, const char *at, char code[32])
{
    static char status[32];
    struct hp_t_resp *r = sight(plate_, 118.41, 35.01, at);
    const cJSON *res = item(r, "results", 0);
    snprintf(status, sizeof(status), "%s", str(res, "status"));
    if (code)
        snprintf(code, 32, "%s", str(res, "pass_code"));
    hp_t_free(r);
    return status;
}

#define PORT_ROUTE "[118.39,35.01],[118.43,35.01]"
#define AT_NOON "2026-12-01T12:00:00+08:00"

static const char *route_verdict(const char *plate_, const char *coords, const char *depart)
{
    char extra[128];
    snprintf(extra, sizeof(extra), "\"plate\":\"%s\"", plate_);
    struct hp_t_resp *r = route_check(NULL, coords, depart, extra);
    const char *v = r->status != 200 ? "error"
                    : cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")) ? "allowed"
                                                                            : "violation";
    hp_t_free(r);
    return v;
}

TEST(a_valid_pass_of_a_listed_type_for_the_zone_lifts_the_rule_and_the_sighting_names_it)
{
    once();
    const char *p = plate("P0001");
    char zones[80], code[32];
    snprintf(zones, sizeof(zones), "{%s}", zone_p);
    CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "violation");
    pass(p, "HP-2026-AAAAAAA10", "active", "construction", zones, "2026-12-01", "2026-12-03",
         NULL, NULL, NULL);
    CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "allowed");
    CHECK_STR(sight_status(p, AT_NOON, code), "ok");
    CHECK_STR(code, "HP-2026-AAAAAAA10");
    /* Outside its dates it lifts nothing. */
    CHECK_STR(route_verdict(p, PORT_ROUTE, "2026-12-04T00:30:00+08:00"), "violation");
    CHECK_STR(sight_status(p, "2026-11-30T23:59:59+08:00", NULL), "violation");
}

TEST(revoked_expired_suspended_and_wrong_type_passes_lift_nothing)
{
    once();
    char zones[80];
    snprintf(zones, sizeof(zones), "{%s}", zone_p);
    const char *statuses[] = {"revoked", "expired", "suspended"};
    const char *codes[] = {"HP-2026-AAAAAAA20", "HP-2026-AAAAAAA30", "HP-2026-AAAAAAA40"};
    const char *suffix[] = {"P0002", "P0003", "P0004"};
    for (int i = 0; i < 3; i++) {
        const char *p = plate(suffix[i]);
        pass(p, codes[i], statuses[i], "construction", zones, "2026-12-01", "2026-12-03", NULL,
             NULL, NULL);
        CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "violation");
        CHECK_STR(sight_status(p, AT_NOON, NULL), "violation");
    }
    const char *p = plate("P0005");
    pass(p, "HP-2026-AAAAAAA50", "active", "hazmat", zones, "2026-12-01", "2026-12-03", NULL,
         NULL, NULL);
    CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "violation");
}

static double metrics_gauge(struct hp_t_server *s, const char *name);

/* The bytes of the one result in a sightings answer: between the header
 * and the closing "]}". */
static char *only_result(const char *body)
{
    const char *from = strstr(body, "\"results\":[");
    size_t n = strlen(body);
    if (!from || n < 2 || strcmp(body + n - 2, "]}") != 0)
        return NULL;
    from += strlen("\"results\":[");
    return strndup(from, (size_t)(body + n - 2 - from));
}

/* A batch of a thousand sightings is checked in parts on several threads
 * (src/api/checks.c, parallel.h): its answer is, byte for byte, the
 * results each sighting alone gets, in the order sent, whichever thread
 * checked it; and the helper threads do take parts of it. */
TEST(a_batch_split_across_threads_answers_each_sighting_as_it_alone_would_in_order)
{
    once();
    const char *p = plate("B0001");
    HP_T_EVENTUALLY(hp_t_snapshot_caught_up(&hp_t));
    static const struct {
        const char *plate; /* NULL: the registered truck */
        double lon, lat;
        const char *at;
    } kinds[] = {
        {NULL, 118.41, 35.01, AT_NOON},                  /* Port: a violation */
        {NULL, 118.50, 35.10, AT_NOON},                  /* in no zone */
        {"鲁Z99999", 118.41, 35.01, AT_NOON},            /* unknown, in Port */
        {NULL, 118.301, 35.001, "2026-12-01T07:30:00+08:00"}, /* Old Town's hours */
        {NULL, 118.301, 35.001, AT_NOON},                /* Old Town, out of hours */
        {"!!", 118.32, 35.01, AT_NOON},                  /* no plate; River */
        {NULL, 118.32, 35.01, AT_NOON},                  /* River: hazmat only */
    };
    enum { KINDS = sizeof(kinds) / sizeof(kinds[0]), BATCH = 1000 };
    char *alone[KINDS];
    const char *status[KINDS];
    for (int k = 0; k < KINDS; k++) {
        char b[512];
        snprintf(b, sizeof(b), "{\"sightings\":[{\"plate\":\"%s\",\"lon\":%.6f,\"lat\":%.6f,"
                               "\"at\":\"%s\"}]}", kinds[k].plate ? kinds[k].plate : p,
                 kinds[k].lon, kinds[k].lat, kinds[k].at);
        struct hp_t_resp *r = hp_t_post("/v1/checks/sightings", officer.token, b);
        REQUIRE(r->status == 200);
        status[k] = strstr(r->body, "\"status\":\"violation\"") ? "violation"
                    : strstr(r->body, "\"status\":\"ok\"")      ? "ok"
                                                                : "unknown";
        alone[k] = only_result(r->body);
        REQUIRE(alone[k]);
        hp_t_free(r);
    }
    /* The kinds differ, so a result out of its place would show. */
    CHECK_STR(status[0], "violation");
    CHECK_STR(status[1], "ok");
    CHECK_STR(status[2], "unknown");
    CHECK_STR(status[3], "violation");
    CHECK_STR(status[4], "ok");
    size_t cap = BATCH * 1024, at = 0, want_at = 0;
    char *b = malloc(cap), *want = malloc(cap);
    REQUIRE(b && want);
    at += (size_t)snprintf(b, cap, "{\"sightings\":[");
    for (int i = 0; i < BATCH; i++) {
        int k = i % KINDS;
        at += (size_t)snprintf(b + at, cap - at,
                               "%s{\"plate\":\"%s\",\"lon\":%.6f,\"lat\":%.6f,\"at\":\"%s\"}",
                               i ? "," : "", kinds[k].plate ? kinds[k].plate : p,
                               kinds[k].lon, kinds[k].lat, kinds[k].at);
        want_at += (size_t)snprintf(want + want_at, cap - want_at, "%s%s", i ? "," : "",
                                    alone[k]);
    }
    snprintf(b + at, cap - at, "]}");
    /* Until a helper has taken a part: on one core there is none, and the
     * network thread takes every part. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double helpers = metrics_gauge(&hp_t, "haulpass_batch_helpers");
    /* One fewer than the cores (the harness leaves HAULPASS_THREADS at the
     * number of CPUs), at most 7: src/http/server.c. */
    CHECK(helpers == (cpus > 8 ? 7 : cpus > 1 ? cpus - 1 : 0));
    double helped = metrics_gauge(&hp_t, "haulpass_batch_parts_total{thread=\"helper\"}");
    int batches = 0, same = 0;
    do {
        struct hp_t_resp *r = hp_t_post("/v1/checks/sightings", officer.token, b);
        REQUIRE(r->status == 200);
        char *results = only_result(r->body);
        same += results && strcmp(results, want) == 0;
        free(results);
        hp_t_free(r);
        batches++;
    } while (helpers > 0 && batches < 1000 &&
             metrics_gauge(&hp_t, "haulpass_batch_parts_total{thread=\"helper\"}") == helped);
    CHECK_INT(same, batches);
    if (helpers > 0)
        CHECK(metrics_gauge(&hp_t, "haulpass_batch_parts_total{thread=\"helper\"}") > helped);
    fprintf(stderr, "    %d batch(es) until a helper took a part\n", batches);
    free(b);
    free(want);
    for (int k = 0; k < KINDS; k++)
        free(alone[k]);
}

TEST(a_pass_lifts_only_within_its_hours_and_a_provisional_one_only_before_its_documents_are_due)
{
    once();
    char zones[80];
    snprintf(zones, sizeof(zones), "{%s}", zone_p);
    const char *p = plate("P0006");
    pass(p, "HP-2026-AAAAAAA60", "active", "urban_delivery", zones, "2026-12-01",
         "2026-12-03", "'08:00-10:00'", NULL, NULL);
    CHECK_STR(sight_status(p, "2026-12-01T09:00:00+08:00", NULL), "ok");
    CHECK_STR(sight_status(p, "2026-12-01T10:30:00+08:00", NULL), "violation");
    /* In the port from 09:56:49 to 10:00:28: past the pass's hours. */
    CHECK_STR(route_verdict(p, PORT_ROUTE, "2026-12-01T09:55:00+08:00"), "violation");
    CHECK_STR(route_verdict(p, PORT_ROUTE, "2026-12-01T08:50:00+08:00"), "allowed");
    const char *q = plate("P0007");
    pass(q, "HP-2026-AAAAAAA70", "provisional", "construction", zones, "2026-12-01",
         "2026-12-03", NULL, ", documents_due", ", '2026-12-01T12:00:00+08:00'");
    CHECK_STR(sight_status(q, "2026-12-01T11:59:00+08:00", NULL), "ok");
    CHECK_STR(sight_status(q, "2026-12-01T12:00:00+08:00", NULL), "violation");
}

TEST(a_corridor_pass_lifts_the_rule_on_stretches_inside_its_corridor_only)
{
    once();
    const char *p = plate("P0008");
    pass(p, "HP-2026-AAAAAAA80", "active", "construction", "{}", "2026-12-01", "2026-12-03",
         NULL, ", corridor_route, corridor_width_m",
         ", 'SRID=4326;LINESTRING(118.38 35.01,118.44 35.01)', 100");
    CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "allowed");
    CHECK_STR(route_verdict(p, "[118.39,35.015],[118.43,35.015]", AT_NOON), "violation");
    CHECK_STR(sight_status(p, AT_NOON, NULL), "ok"); /* (118.41, 35.01) is on the line */
    struct hp_t_resp *r = sight(p, 118.41, 35.0106, AT_NOON); /* ~66 m off: outside */
    CHECK_STR(str(item(r, "results", 0), "status"), "violation");
    hp_t_free(r);
}

TEST(a_corridor_along_a_ring_road_is_a_band_around_the_ring_never_the_area_inside_it)
{
    once();
    const char *p = plate("P0011");
    /* A ring whose west and south sides run through the Port zone. */
    pass(p, "HP-2026-AAAAAAB10", "active", "construction", "{}", "2026-12-01", "2026-12-03",
         NULL, ", corridor_route, corridor_width_m",
         ", 'SRID=4326;LINESTRING(118.41 35.005,118.43 35.005,118.43 35.03,118.41 35.03,"
         "118.41 35.005)', 100");
    struct hp_t_resp *r = sight(p, 118.41, 35.008, AT_NOON); /* on the ring, in the Port */
    CHECK_STR(str(item(r, "results", 0), "status"), "ok");
    hp_t_free(r);
    r = sight(p, 118.415, 35.012, AT_NOON); /* inside the ring, ~450 m from the road */
    CHECK_STR(str(item(r, "results", 0), "status"), "violation");
    hp_t_free(r);
}

TEST(instants_outside_1970_to_9999_and_routes_that_would_end_after_it_are_422)
{
    once();
    struct hp_t_resp *r = route_check(officer.token, PORT_ROUTE, "1969-12-31T23:00:00Z", NULL);
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/depart_at\"") != NULL);
    hp_t_free(r);
    /* Half the globe at 5 km/h from the last day of 9999. */
    r = route_check(officer.token, "[-170,0],[0,0],[170,0]", "9999-12-31T00:00:00Z",
                    HEAVY ",\"speed_kmh\":5");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/route\"") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/checks/sightings", officer.token,
                  "{\"sightings\":[{\"plate\":\"X1\",\"lon\":118,\"lat\":35,"
                  "\"at\":\"1900-01-01T00:00:00+08:00\"}]}");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/sightings/0/at\"") != NULL);
    hp_t_free(r);
    /* The last second of 9999 in UTC is already 10000 in local time. */
    r = hp_t_post("/v1/checks/sightings", officer.token,
                  "{\"sightings\":[{\"plate\":\"X1\",\"lon\":118,\"lat\":35,"
                  "\"at\":\"9999-12-31T23:59:59Z\"}]}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = hp_t_post("/v1/checks/sightings", officer.token,
                  "{\"sightings\":[{\"plate\":\"X1\",\"lon\":118,\"lat\":35,"
                  "\"at\":\"9999-12-31T09:59:59Z\"}]}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    /* A route through the Port zone late on the last day: crossing times
     * are written with the year 9999, and one that would cross into the
     * next is refused. */
    r = route_check(officer.token, PORT_ROUTE, "9999-12-31T09:30:00Z", NULL);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, "\"9999-12-31T17:") != NULL);
    CHECK(!strstr(r->body, "\"0000-") && !strstr(r->body, "10000-"));
    hp_t_free(r);
    r = route_check(officer.token, PORT_ROUTE, "9999-12-31T09:59:00Z", NULL);
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/route\"") != NULL);
    hp_t_free(r);
}

TEST(the_passes_scenario_ends_in_checks_an_approved_pass_lifts_and_a_revoked_one_no_longer)
{
/* Applications are for days to come: the scenario runs in 2030. */
#define SCENARIO_NOON "2030-12-02T12:00:00+08:00"
    once();
    const char *p = plate("P0009");
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"type\":\"construction\",\"plates\":[\"%s\"],\"zone_ids\":[\"%s\"],"
             "\"valid_from\":\"2030-12-01\",\"valid_to\":\"2030-12-03\",\"documents\":[]}",
             p, zone_p);
    struct hp_t_resp *r = hp_t_post("/v1/applications", haulier.token, b);
    REQUIRE(r->status == 201);
    char app[64];
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id"));
    hp_t_free(r);
    CHECK_STR(route_verdict(p, PORT_ROUTE, SCENARIO_NOON), "violation");
    /* Claim until this one comes up; decide the others away. */
    for (int i = 0; i < 50; i++) {
        r = hp_t_post("/v1/queue/claim", officer.token, NULL);
        if (r->status != 200) {
            hp_t_free(r);
            break;
        }
        char id[64], path[128];
        snprintf(id, sizeof(id), "%s", hp_t_str(r, "id"));
        hp_t_free(r);
        snprintf(path, sizeof(path), "/v1/applications/%s/decision", id);
        bool mine = strcmp(id, app) == 0;
        hp_t_free(hp_t_post(path, officer.token,
                            mine ? "{\"decision\":\"approve\",\"reason\":\"ok\"}"
                                 : "{\"decision\":\"reject\",\"reason\":\"not this one\"}"));
        if (mine)
            break;
    }
    /* The decision went through this instance: the next check sees it. */
    CHECK_STR(route_verdict(p, PORT_ROUTE, SCENARIO_NOON), "allowed");
    char path[128], code[32];
    snprintf(path, sizeof(path), "/v1/passes?plate=%s", p);
    r = hp_t_get(path, officer.token);
    snprintf(code, sizeof(code), "%s", str(item(r, "items", 0), "code"));
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    r = hp_t_post(path, officer.token, "{\"reason\":\"seen overloaded\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_STR(route_verdict(p, PORT_ROUTE, SCENARIO_NOON), "violation");
}

TEST(an_unknown_plate_is_404_in_a_route_check_and_unknown_vehicle_in_a_sighting)
{
    once();
    CHECK_STR(route_verdict("鲁Z99999", PORT_ROUTE, AT_NOON), "error");
    struct hp_t_resp *r = sight("鲁Z99999", 118.41, 35.01, AT_NOON);
    CHECK_INT(r->status, 200);
    const cJSON *res = item(r, "results", 0);
    CHECK_STR(str(res, "status"), "unknown_vehicle");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "zone_ids"), 0)),
              zone_p);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(res, "pass_code")));
    hp_t_free(r);
    r = sight("!!", 118.41, 35.01, AT_NOON);
    CHECK_STR(str(item(r, "results", 0), "status"), "unknown_vehicle");
    hp_t_free(r);
}

TEST(another_organisations_plate_is_404_in_its_route_check_as_if_unknown_but_police_see_it)
{
    once();
    const char *p = plate("P0010");
    struct hp_t_who rivals[] = {
        hp_t_who_add("Rival Haulage", "haulier", "haulier", "rival"),
        hp_t_who_add("Rival Site", "site", "site", "rival site office"),
    };
    char extra[128], detail[128];
    snprintf(extra, sizeof(extra), "\"plate\":\"%s\"", p);
    snprintf(detail, sizeof(detail), "no vehicle has plate %s", p);
    struct hp_t_resp *r;
    for (int i = 0; i < 2; i++) {
        /* Word for word what a plate nobody has gets. */
        r = route_check(rivals[i].token, PORT_ROUTE, AT_NOON, extra);
        CHECK_INT(r->status, 404);
        CHECK_STR(str(r->json, "type"), "urn:haulpass:problem:unknown-vehicle");
        CHECK_STR(str(r->json, "detail"), detail);
        hp_t_free(r);
    }
    r = route_check(officer.token, PORT_ROUTE, AT_NOON, extra);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_STR(route_verdict(p, PORT_ROUTE, AT_NOON), "violation");
}

static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    return cJSON_IsString(cJSON_GetObjectItem(e, "pointer"))
               ? cJSON_GetObjectItem(e, "pointer")->valuestring
               : "";
}

static void expect_422(const char *path, const char *token, const char *body, const char *ptr)
{
    struct hp_t_resp *r = hp_t_post(path, token, body);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), ptr);
    hp_t_free(r);
}

TEST(bad_checks_are_422_with_the_place_of_the_problem_and_sightings_are_for_the_police)
{
    once();
    const char *rc = "/v1/checks/route", *h = haulier.token;
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":[[118.3,35]]},"
                      "\"depart_at\":\"" AT_NOON "\"}", "/route/coordinates");
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.3,95]]},\"depart_at\":\"" AT_NOON "\"}",
               "/route/coordinates/1");
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"Point\",\"coordinates\":[118.3,35]},"
                      "\"depart_at\":\"" AT_NOON "\"}", "/route");
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\",\"speed_kmh\":4}",
               "/speed_kmh");
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\",\"speed_kmh\":121}",
               "/speed_kmh");
    expect_422(rc, h, "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.4,35]]},\"depart_at\":\"2026-12-01T12:00:00\"}",
               "/depart_at");
    expect_422(rc, h, "{\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\"}", "/plate");
    /* The haulier's own plate, but for a control character in it. */
    plate("9001");
    expect_422(rc, h, "{\"plate\":\"鲁C90\\n01\",\"route\":{\"type\":\"LineString\","
                      "\"coordinates\":[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\"}",
               "/plate");
    expect_422(rc, h, "{\"plate\":\"\\t鲁C9001\",\"route\":{\"type\":\"LineString\","
                      "\"coordinates\":[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\"}",
               "/plate");
    expect_422(rc, h, "{\"vehicle\":{\"class\":\"spaceship\",\"gross_weight_kg\":1},"
                      "\"route\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[118.3,35],[118.4,35]]},\"depart_at\":\"" AT_NOON "\"}",
               "/vehicle/class");
    const char *sg = "/v1/checks/sightings", *o = officer.token;
    expect_422(sg, o, "{\"sightings\":[]}", "/sightings");
    expect_422(sg, o, "{\"sightings\":[{\"plate\":\"A1\",\"lon\":181,\"lat\":35,"
                      "\"at\":\"" AT_NOON "\"}]}", "/sightings/0/lon");
    expect_422(sg, o, "{\"sightings\":[{\"plate\":\"A1\",\"lon\":118,\"lat\":35,"
                      "\"at\":\"2026-12-01 12:00\"}]}", "/sightings/0/at");
    size_t cap = 1001 * 90 + 64, at = 0;
    char *b = malloc(cap);
    at += (size_t)snprintf(b, cap, "{\"sightings\":[");
    for (int i = 0; i < 1001; i++)
        at += (size_t)snprintf(b + at, cap - at, "%s{\"plate\":\"A1\",\"lon\":118,\"lat\":35,"
                               "\"at\":\"" AT_NOON "\"}", i ? "," : "");
    snprintf(b + at, cap - at, "]}");
    expect_422(sg, o, b, "/sightings");
    /* A thousand is fine. */
    b[strlen(b) - 2 - strlen(",{\"plate\":\"A1\",\"lon\":118,\"lat\":35,\"at\":\"" AT_NOON "\"}")] = '\0';
    strcat(b, "]}");
    struct hp_t_resp *r = hp_t_post(sg, o, b);
    CHECK_INT(r->status, 200);
    CHECK_INT(count(r, "results"), 1000);
    hp_t_free(r);
    free(b);
    r = hp_t_post(sg, h, "{\"sightings\":[{\"plate\":\"A1\",\"lon\":118,\"lat\":35,"
                         "\"at\":\"" AT_NOON "\"}]}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}

#define LIGHT "\"vehicle\":{\"class\":\"light_truck\",\"gross_weight_kg\":3000}"

/* A tester's find: an 11 km route across the antimeridian was checked the
 * long way round the globe, through a zone 19,000 km away. */
TEST(a_route_across_the_antimeridian_is_422_at_the_position_after_it_and_one_beside_it_is_checked)
{
    once();
    char far[64];
    zone("{\"name\":\"far\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
         "[[[10,0.4],[10.1,0.4],[10.1,0.6],[10,0.6],[10,0.4]]]},"
         "\"rules\":[{\"hours\":null,\"liftable_by\":[]}]}",
         far);
    REQUIRE(far[0]);
    struct hp_t_resp *r =
        route_check(NULL, "[179.95,0.5],[-179.95,0.5]", "2026-12-05T10:00:00+08:00", LIGHT);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/route/coordinates/1");
    CHECK(strstr(r->body, "crosses the antimeridian") != NULL);
    hp_t_free(r);
    /* A later segment is judged as well: the first stays on its side. */
    r = route_check(NULL, "[179.9,0.5],[179.95,0.5],[-179.95,0.5]", "2026-12-05T10:00:00+08:00",
                    LIGHT);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/route/coordinates/2");
    hp_t_free(r);
    /* Up to it on one side is a route like any other, 10 km long. */
    r = route_check(NULL, "[179.9,0.5],[179.99,0.5]", "2026-12-05T10:00:00+08:00", LIGHT);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    CHECK_INT(count(r, "crossings"), 0);
    CHECK(num(r->json, "length_m") > 9900 && num(r->json, "length_m") < 10100);
    hp_t_free(r);
}

/* The service reloads within a second; the bound checked is HP_T_PROMPT_MS,
 * generous for a loaded machine. Versions are compared across the two
 * instances only once both have had the time to reload (polled): each
 * reloads on its own thread, in its own time. */
TEST(a_change_through_one_instance_reaches_another_on_the_same_database_within_a_second)
{
    once();
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, NULL) == 0);
    /* The first may still be reloading after the earlier tests' writes. */
    HP_T_EVENTUALLY(same_version(&hp_t, &second));
    long long v1 = version(&hp_t), v2 = version(&second);
    CHECK(v1 == v2);
    /* A zone made through the first instance. */
    struct hp_t_resp *r = hp_t_post("/v1/zones", officer.token,
        "{\"name\":\"Late Zone\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
        "[[118.50,35.00],[118.51,35.00],[118.51,35.01],[118.50,35.01],[118.50,35.00]]]},"
        "\"rules\":[]}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    CHECK(version(&hp_t) > v1); /* its own next request sees it */
    long long ms = wait_past(&second, v2);
    CHECK(ms < HP_T_PROMPT_MS);
    HP_T_EVENTUALLY(same_version(&second, &hp_t));
    r = hp_t_on(&second, "POST", "/v1/checks/sightings", officer.token,
                "{\"sightings\":[{\"plate\":\"X0\",\"lon\":118.505,\"lat\":35.005,"
                "\"at\":\"" AT_NOON "\"}]}");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(item(r, "results", 0), "zone_ids")), 1);
    hp_t_free(r);
    /* Its listener cut off: what changed meanwhile arrives with the full
     * reload after it reconnects. */
    long long before = version(&second);
    hp_t_sql_int("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                 " WHERE application_name = 'haulpass-checks'"
                 " AND datname = current_database()");
    hp_t_sql_int("UPDATE zones SET name = 'Late Zone 2' WHERE name = 'Late Zone' RETURNING 1");
    CHECK(wait_past(&second, before) < HP_T_PROMPT_MS);
    /* The first reloads on the update's notice, the second on reconnecting:
     * they agree once both have. */
    HP_T_EVENTUALLY(same_version(&second, &hp_t));
    CHECK_INT(hp_t_server_stop(&second), 0);
}

TEST(a_snapshot_read_while_a_write_is_in_flight_and_the_one_after_its_commit_differ_in_version)
{
    once();
    const char *p = plate("P0016");
    /* A write in flight: its rows changed, not yet committed. */
    PGconn *db = PQconnectdb(hp_t.conninfo);
    REQUIRE(PQstatus(db) == CONNECTION_OK);
    PQclear(PQexec(db, "BEGIN"));
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE vehicles SET gross_weight_kg = 3000 WHERE plate = '%s'",
             p);
    PGresult *res = PQexec(db, sql);
    CHECK(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
    /* Meanwhile another change commits, and a snapshot is read without the
     * first. */
    long long v0 = version(&hp_t);
    snprintf(sql, sizeof(sql), "UPDATE zones SET name = name || '.' WHERE id = '%s' RETURNING 1",
             zone_c);
    CHECK_INT(hp_t_sql_int(sql), 1);
    CHECK(wait_past(&hp_t, v0) < HP_T_PROMPT_MS);
    long long v1 = version(&hp_t);
    /* The snapshot with the first write's data must not carry v1 again. */
    PQclear(PQexec(db, "COMMIT"));
    PQfinish(db);
    CHECK(wait_past(&hp_t, v1) < HP_T_PROMPT_MS);
    CHECK(version(&hp_t) > v1);
}

/* The count of snapshot loads of this kind ("full", "delta") in /metrics. */
static long long loads(struct hp_t_server *s, const char *kind)
{
    char want[80];
    snprintf(want, sizeof(want), "haulpass_snapshot_loads_total{kind=\"%s\"} ", kind);
    struct hp_t_resp *r = hp_t_on(s, "GET", "/metrics", NULL, NULL);
    const char *at = r->body ? strstr(r->body, want) : NULL;
    long long n = at ? atoll(at + strlen(want)) : -1;
    hp_t_free(r);
    return n;
}

/* The status of one sighting of plate_ in the Port at noon, asked of s. */
static char *port_status_on(struct hp_t_server *s, const char *plate_)
{
    static char status[32];
    char b[512];
    snprintf(b, sizeof(b), "{\"sightings\":[{\"plate\":\"%s\",\"lon\":118.41,\"lat\":35.01,"
                           "\"at\":\"" AT_NOON "\"}]}", plate_);
    struct hp_t_resp *r = hp_t_on(s, "POST", "/v1/checks/sightings", officer.token, b);
    snprintf(status, sizeof(status), "%s", str(item(r, "results", 0), "status"));
    hp_t_free(r);
    return status;
}

TEST(a_vehicle_or_pass_change_reaches_another_instance_as_a_delta_of_its_plate)
{
    once();
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, NULL) == 0);
    long long full0 = loads(&second, "full"), delta0 = loads(&second, "delta");
    CHECK(full0 >= 1);
    /* A vehicle registered through the first instance. */
    long long v = version(&second);
    const char *p = plate("P0013");
    CHECK(wait_past(&second, v) < HP_T_PROMPT_MS);
    CHECK_STR(port_status_on(&second, p), "violation");
    /* A pass for the Port written straight into the table. */
    char zones[80];
    snprintf(zones, sizeof(zones), "{%s}", zone_p);
    v = version(&second);
    pass(p, "HP-2026-AAAAAAB30", "active", "construction", zones, "2026-12-01", "2026-12-03",
         NULL, NULL, NULL);
    CHECK(wait_past(&second, v) < HP_T_PROMPT_MS);
    CHECK_STR(port_status_on(&second, p), "ok");
    /* The vehicle deleted: unknown there too, not left behind in the base. */
    v = version(&second);
    long long v1 = version(&hp_t);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "WITH p AS (DELETE FROM passes WHERE plate = '%s'),"
             " v AS (DELETE FROM vehicles WHERE plate = '%s' RETURNING 1) SELECT count(*) FROM v",
             p, p);
    CHECK_INT(hp_t_sql_int(sql), 1);
    CHECK(wait_past(&second, v) < HP_T_PROMPT_MS);
    CHECK_STR(port_status_on(&second, p), "unknown_vehicle");
    CHECK(wait_past(&hp_t, v1) < HP_T_PROMPT_MS);
    CHECK_STR(sight_status(p, AT_NOON, NULL), "unknown_vehicle"); /* and on the first */
    /* All of that as deltas; a zone change is a full load. */
    CHECK(loads(&second, "full") == full0);
    CHECK(loads(&second, "delta") >= delta0 + 3);
    v = version(&second);
    zone("{\"name\":\"Delta Zone\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
         "[[118.60,35.00],[118.61,35.00],[118.61,35.01],[118.60,35.01],[118.60,35.00]]]},"
         "\"rules\":[]}", (char[64]){0});
    CHECK(wait_past(&second, v) < HP_T_PROMPT_MS);
    CHECK(loads(&second, "full") == full0 + 1);
    CHECK_INT(hp_t_server_stop(&second), 0);
}

/* How many loaders' connections to this test's database (other databases
 * of the cluster have loaders of their own) wait on a lock, other than
 * not_pid, and the lowest pid among them. not_pid: a terminated backend
 * lingers in pg_stat_activity, still waiting, for a moment after
 * pg_terminate_backend. */
static int loaders_waiting(int not_pid, int *pid)
{
    char sql[400];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) * 10000000 + coalesce(min(pid), 0) FROM pg_stat_activity"
             " WHERE application_name = 'haulpass-checks' AND wait_event_type = 'Lock'"
             " AND datname = current_database() AND pid <> %d", not_pid);
    int n = hp_t_sql_int(sql);
    if (n < 0)
        return 0;
    if (pid)
        *pid = n % 10000000;
    return n / 10000000;
}

/* The pid of a loader's connection to this test's database that waits on
 * a lock, other than not_pid; polls for up to HP_T_PATIENCE_MS (a loaded
 * machine may take a while to deliver the notice and start the load), and
 * fails the test and answers 0 when none ever does. */
static int loader_waiting(int not_pid)
{
    int pid = 0;
    HP_T_EVENTUALLY(loaders_waiting(not_pid, &pid) > 0);
    return pid;
}

TEST(once_the_reload_owed_to_its_own_write_has_failed_checks_answer_at_once_from_the_last_snapshot)
{
    once();
    /* Passes held, so the reload after a vehicle is registered blocks (on
     * a connection of its own: hp_t_db's polls pg_stat_activity, which a
     * transaction would freeze). */
    PGconn *db = PQconnectdb(hp_t.conninfo);
    REQUIRE(PQstatus(db) == CONNECTION_OK);
    PQclear(PQexec(db, "BEGIN"));
    PGresult *lock = PQexec(db, "LOCK TABLE passes IN ACCESS EXCLUSIVE MODE");
    CHECK(PQresultStatus(lock) == PGRES_COMMAND_OK);
    PQclear(lock);
    const char *p = plate("P0014");
    int pid = loader_waiting(0);
    CHECK(pid != 0);
    /* The load fails: its connection is cut while it waits. The loader
     * reconnects and starts a full load, which blocks again; cut that one
     * too, since the first may have begun on the trigger's notice before
     * the write was noted (a load from before the write is not enough). */
    for (int i = 0; pid && i < 2; i++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)::int", pid);
        CHECK_INT(hp_t_sql_int(sql), 1);
        pid = loader_waiting(pid);
        CHECK(pid != 0);
    }
    if (pid) {
        /* Not the two seconds (WAIT_FOR_OWN_WRITE_MS) a check waits for a
         * reload still in progress. The bound is those 2 s rather than a
         * tighter one, so that a slow answer on a loaded machine does not
         * fail the test, while an answer that waited still does. */
        long long t0 = now_ms();
        CHECK_STR(sight_status(p, AT_NOON, NULL), "unknown_vehicle");
        CHECK(now_ms() - t0 < 2000);
    }
    /* Let go: the full load brings the vehicle in. */
    PQclear(PQexec(db, "COMMIT"));
    PQfinish(db);
    HP_T_EVENTUALLY(strcmp(sight_status(p, AT_NOON, NULL), "violation") == 0);
}

TEST(a_delta_that_cost_much_of_a_full_load_is_followed_by_a_full_load_that_starts_afresh)
{
    once();
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, NULL) == 0);
    long long full0 = loads(&second, "full"), delta0 = loads(&second, "delta");
    /* Passes held for 300 ms while the second instance reads a delta: the
     * delta costs far more than an eighth of this small database's full
     * load (its plates would be read again by every delta after it). */
    PGconn *db = PQconnectdb(hp_t.conninfo);
    REQUIRE(PQstatus(db) == CONNECTION_OK);
    PQclear(PQexec(db, "BEGIN"));
    PQclear(PQexec(db, "LOCK TABLE passes IN ACCESS EXCLUSIVE MODE"));
    const char *p = plate("P0015");
    /* Both instances' loaders are blocked in their delta (polled: which one
     * gets the notice first, and when, is up to the machine). */
    HP_T_EVENTUALLY(loaders_waiting(0, NULL) >= 2);
    /* Not a wait for anything: the hold that makes the delta expensive. */
    usleep(300000);
    PQclear(PQexec(db, "COMMIT"));
    PQfinish(db);
    HP_T_EVENTUALLY(loads(&second, "full") != full0);
    CHECK(loads(&second, "delta") == delta0 + 1);
    CHECK(loads(&second, "full") == full0 + 1);
    CHECK_STR(port_status_on(&second, p), "violation");
    CHECK_INT(hp_t_server_stop(&second), 0);
}

/* The loader rests after each load (three times as long as it took, 50
 * to 250 ms: src/check/feed.c) unless a check waits for it. So however
 * fast writes come, a server that nobody asks for checks loads at most
 * once per 50 ms, each load taking in every write since the one before.
 * The bound holds on any machine: a slow one only makes the writes, and so
 * the time allowed, longer. */
TEST(writes_nobody_checks_are_loaded_a_few_at_a_time)
{
    once();
    HP_T_EVENTUALLY(hp_t_snapshot_caught_up(&hp_t));
    long long n0 = loads(&hp_t, "full") + loads(&hp_t, "delta"), t0 = now_ms();
    char p[32];
    for (int i = 0; i < 40; i++) {
        snprintf(p, sizeof(p), "鲁CR%04d", i);
        hp_t_vehicle_add(haulier.token, p);
    }
    HP_T_EVENTUALLY(hp_t_snapshot_caught_up(&hp_t));
    long long took = now_ms() - t0, n = loads(&hp_t, "full") + loads(&hp_t, "delta") - n0;
    fprintf(stderr, "    40 vehicles registered and loaded in %lld ms: %lld loads\n", took, n);
    CHECK(n >= 1);
    CHECK(n <= took / 50 + 1);
    CHECK_STR(port_status_on(&hp_t, p), "violation"); /* the last one is in */
}

/* A check waiting for a load owed to a write through its own instance
 * wakes the resting loader: with a rest of a minute
 * (HAULPASS_SNAPSHOT_REST_MS), the check right after each write still
 * sees it, where a loader left resting would have made it wait its 2 s
 * and answer without the write. A change through another instance waits
 * out the rest. */
TEST(a_check_after_a_write_wakes_the_resting_loader_and_sees_the_write)
{
    once();
    const char *env[] = {"HAULPASS_SNAPSHOT_REST_MS=60000", NULL};
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, env) == 0);
    char p[32];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "鲁CW%04d", i);
        CHECK_INT(hp_t_vehicle_add_on(&second, haulier.token, p), 201);
        long long t0 = now_ms();
        CHECK_STR(port_status_on(&second, p), "violation");
        fprintf(stderr, "    the check after write %d answered in %lld ms\n", i, now_ms() - t0);
    }
    /* Registered through the first instance: the second, resting for a
     * minute after its last load, does not load it until asked by a write
     * of its own, which takes it in too. */
    hp_t_vehicle_add(haulier.token, "鲁CW0100");
    CHECK_STR(port_status_on(&second, "鲁CW0100"), "unknown_vehicle");
    CHECK_INT(hp_t_vehicle_add_on(&second, haulier.token, "鲁CW0101"), 201);
    CHECK_STR(port_status_on(&second, "鲁CW0101"), "violation");
    CHECK_STR(port_status_on(&second, "鲁CW0100"), "violation");
    CHECK_INT(hp_t_server_stop(&second), 0);
}

TEST(a_delta_is_read_over_a_full_snapshot_only)
{
    once();
    char err[256];
    struct hp_snapshot *full = hp_snapshot_load(hp_t_db(), err, sizeof(err));
    REQUIRE(full != NULL);
    char *plates[] = {"鲁C00001"};
    struct hp_snapshot *delta = hp_snapshot_load_delta(hp_t_db(), full, plates, 1, false, err,
                                                       sizeof(err));
    CHECK(delta != NULL);
    /* Lookups fall back one level only: a delta over a delta is refused. */
    struct hp_snapshot *twice = hp_snapshot_load_delta(hp_t_db(), delta, plates, 1, false, err,
                                                       sizeof(err));
    CHECK(twice == NULL);
    CHECK(strstr(err, "full snapshot") != NULL);
    hp_snapshot_unref(delta);
    hp_snapshot_unref(full);
}

/* The snapshot's version in /metrics, or -1 when it shows none. */
static long long metrics_version(struct hp_t_server *s)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/metrics", NULL, NULL);
    const char *at = r->body ? strstr(r->body, "\nhaulpass_zone_snapshot_version ") : NULL;
    long long v = at ? atoll(at + strlen("\nhaulpass_zone_snapshot_version ")) : -1;
    hp_t_free(r);
    return v;
}

static long readyz_status(struct hp_t_server *s)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/readyz", NULL, NULL);
    long st = r->status;
    hp_t_free(r);
    return st;
}

TEST(until_its_first_snapshot_is_loaded_a_server_is_not_ready_and_checks_answer_503)
{
    once();
    /* Hold the zones table so that a new instance cannot read its snapshot. */
    PGconn *db = hp_t_db();
    PQclear(PQexec(db, "BEGIN"));
    PGresult *lock = PQexec(db, "LOCK TABLE zones IN ACCESS EXCLUSIVE MODE");
    CHECK(PQresultStatus(lock) == PGRES_COMMAND_OK);
    PQclear(lock);
    struct hp_t_server second;
    REQUIRE(hp_t_server_start_unready(&second, NULL) == 0);
    struct hp_t_resp *r = hp_t_on(&second, "GET", "/readyz", NULL, NULL);
    CHECK_INT(r->status, 503);
    CHECK(strstr(r->body, "zones-not-loaded") != NULL);
    CHECK(hp_t_header(r, "Retry-After") != NULL);
    hp_t_free(r);
    CHECK(metrics_version(&second) == -1);
    r = hp_t_on(&second, "POST", "/v1/checks/route", officer.token,
                "{" HEAVY ",\"route\":{\"type\":\"LineString\",\"coordinates\":" "[" PORT_ROUTE
                "]},\"depart_at\":\"" TUESDAY_0650 "\"}");
    CHECK_INT(r->status, 503);
    CHECK(strstr(r->body, "checks-unavailable") != NULL);
    hp_t_free(r);
    /* Let go: it loads, is ready, and /metrics names the version it answers with. */
    PQclear(PQexec(db, "COMMIT"));
    HP_T_EVENTUALLY(readyz_status(&second) == 200);
    CHECK(metrics_version(&second) == version(&second));
    CHECK(metrics_version(&second) > 0);
    CHECK_INT(hp_t_server_stop(&second), 0);
}

/* A gauge in /metrics ("NAME VALUE" at the start of a line), or -1. */
static double metrics_gauge(struct hp_t_server *s, const char *name)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/metrics", NULL, NULL);
    char key[128];
    snprintf(key, sizeof(key), "\n%s ", name);
    const char *at = r->body ? strstr(r->body, key) : NULL;
    double v = at ? atof(at + strlen(key)) : -1;
    hp_t_free(r);
    return v;
}

TEST(metrics_say_how_long_a_known_change_has_waited_to_reach_the_snapshot)
{
    once();
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, NULL) == 0);
    HP_T_EVENTUALLY(metrics_gauge(&second, "haulpass_zone_snapshot_behind_seconds") == 0);
    CHECK(metrics_gauge(&second, "haulpass_zone_snapshot_feed_up") == 1);
    /* Hold the zones table, then announce a change: the reload it starts
     * waits on the lock, and the gauge counts the wait. */
    PGconn *db = hp_t_db();
    PQclear(PQexec(db, "BEGIN"));
    PGresult *lock = PQexec(db, "LOCK TABLE zones IN ACCESS EXCLUSIVE MODE");
    CHECK(PQresultStatus(lock) == PGRES_COMMAND_OK);
    PQclear(lock);
    PGconn *other = PQconnectdb(hp_t.conninfo);
    REQUIRE(PQstatus(other) == CONNECTION_OK);
    PQclear(PQexec(other, "NOTIFY haulpass_snapshot"));
    PQfinish(other);
    HP_T_EVENTUALLY(metrics_gauge(&second, "haulpass_zone_snapshot_behind_seconds") > 0.2);
    /* Let go: the load ends and nothing waits any more. */
    PQclear(PQexec(db, "COMMIT"));
    HP_T_EVENTUALLY(metrics_gauge(&second, "haulpass_zone_snapshot_behind_seconds") == 0);
    CHECK(metrics_gauge(&second, "haulpass_zone_snapshot_feed_up") == 1);
    CHECK_INT(hp_t_server_stop(&second), 0);
}

TEST(another_module_gets_the_route_check_json_for_a_linestring_a_plate_and_a_departure)
{
    once();
    const char *p = plate("P0010");
    /* In this process, as escort bookings would call it inside the server. */
    REQUIRE(hp_check_feed_start(hp_t.conninfo));
    cJSON *route = cJSON_Parse("{\"type\":\"LineString\",\"coordinates\":" "[" PORT_ROUTE "]}");
    int64_t depart = (int64_t)1764561600 * 1000000; /* 2025-12-01T04:00:00Z, a Monday noon */
    cJSON *answer = NULL;
    CHECK_INT(hp_api_check_route_json(route, p, depart, 30, &answer), 200);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(answer, "allowed")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(answer, "crossings")), 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "crossings"), 0), "zone_id")),
              zone_p);
    cJSON_Delete(answer);
    CHECK_INT(hp_api_check_route_json(route, "鲁Z99999", depart, 30, &answer), 404);
    CHECK_INT(hp_api_check_route_json(route, p, depart, 200, &answer), 422);
    cJSON *point = cJSON_Parse("{\"type\":\"Point\",\"coordinates\":[118.4,35.0]}");
    CHECK_INT(hp_api_check_route_json(point, p, depart, 30, &answer), 422);
    CHECK(answer == NULL);
    cJSON_Delete(point);
    cJSON_Delete(route);
    hp_check_feed_stop();
}
