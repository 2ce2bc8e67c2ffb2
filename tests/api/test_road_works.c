/* Road-occupation permits (docs/contract.md §13): filed by a site with the
 * works' area, classes and traffic plan; approved, a roadworks zone that
 * route checks report; retired after its last day. The last day is moved
 * with SQL (the dates are data), never waited for. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer, site, haulier;
static char from[16], to[16], depart[40];

static const char *sql_text(const char *sql)
{
    static char out[256];
    out[0] = '\0';
    PGresult *q = PQexec(hp_t_db(), sql);
    if (PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1 && !PQgetisnull(q, 0, 0))
        snprintf(out, sizeof(out), "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    return out;
}

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("Works Police", "police", "officer", "works officer");
    site = hp_t_who_add("Yihe Road Site", "site", "site", "works site");
    haulier = hp_t_who_add("Works Haulage", "haulier", "haulier", "works dispatcher");
    hp_t_vehicle_add(haulier.token, "鲁QW1001");
    snprintf(from, sizeof(from), "%s",
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " - 1, 'YYYY-MM-DD')"));
    snprintf(to, sizeof(to), "%s",
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " + 3, 'YYYY-MM-DD')"));
    snprintf(depart, sizeof(depart), "%s",
             sql_text("SELECT to_char(now() AT TIME ZONE 'UTC' + interval '1 hour',"
                      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
}

#define PLAN "交通组织方案 traffic plan"
#define SQUARE                                                                             \
    "{\"type\":\"Polygon\",\"coordinates\":[[[118.60,35.00],[118.61,35.00],[118.61,35.01]," \
    "[118.60,35.01],[118.60,35.00]]]}"

/* A road-occupation application body with works (a JSON object text). */
static char *body(const char *works)
{
    static char b[2048];
    snprintf(b, sizeof(b),
             "{\"type\":\"road_occupation\",\"valid_from\":\"%s\",\"valid_to\":\"%s\","
             "\"works\":%s,\"documents\":[{\"name\":\"" PLAN "\",\"provided\":true}]}",
             from, to, works);
    return b;
}

static struct hp_t_resp *route_check(const char *vehicle)
{
    char b[512];
    snprintf(b, sizeof(b),
             "{%s,\"route\":{\"type\":\"LineString\",\"coordinates\":[[118.59,35.005],"
             "[118.62,35.005]]},\"depart_at\":\"%s\"}", vehicle, depart);
    return hp_t_post("/v1/checks/route", haulier.token, b);
}

static int crossings(const struct hp_t_resp *r)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "crossings"));
}

TEST(a_road_occupation_permit_is_refused_without_a_site_a_plan_or_a_valid_area)
{
    once();
    struct hp_t_resp *r = hp_t_post("/v1/applications", haulier.token,
                                    body("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\"}"));
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/type\"") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", site.token, body("{\"area\":" SQUARE ",\"plan\":\"other\"}"));
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/works/plan\"") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", site.token,
                  body("{\"area\":{\"type\":\"LineString\",\"coordinates\":[[118.6,35],[118.61,35]]},"
                       "\"plan\":\"" PLAN "\"}"));
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/works/width_m\"") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", site.token,
                  body("{\"area\":{\"type\":\"Polygon\",\"coordinates\":[[[118.6,35],[118.61,35.01],"
                       "[118.61,35],[118.6,35.01],[118.6,35]]]},\"plan\":\"" PLAN "\"}"));
    CHECK_INT(r->status, 422); /* a bow tie */
    CHECK(strstr(r->body, "/works/area") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", site.token,
                  body("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\",\"classes\":[\"tank\"]}"));
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/works/classes/0\"") != NULL);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", site.token, body("null"));
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    /* Works belong to road occupation only. */
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"type\":\"construction\",\"plates\":[\"鲁QW1001\"],\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\",\"corridor\":{\"route\":{\"type\":\"LineString\","
             "\"coordinates\":[[118.6,35],[118.61,35]]},\"width_m\":50},\"documents\":[],"
             "\"works\":{\"area\":" SQUARE ",\"plan\":\"x\"}}", from, to);
    r = hp_t_post("/v1/applications", haulier.token, b);
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/works\"") != NULL);
    hp_t_free(r);
}

/* Whether a heavy truck's route check no longer crosses the road works. */
static bool gone(void)
{
    struct hp_t_resp *r = route_check("\"plate\":\"鲁QW1001\"");
    bool ok = r->status == 200 && crossings(r) == 0 &&
              cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed"));
    hp_t_free(r);
    return ok;
}

TEST(an_approved_permit_is_a_roadworks_zone_route_checks_report_until_its_last_day)
{
    once();
    struct hp_t_resp *r = hp_t_post(
        "/v1/applications", site.token,
        body("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\",\"classes\":[\"heavy_truck\"],"
             "\"name\":\"沂河路 Yihe Road water main\"}"));
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "type"), "road_occupation");
    CHECK_STR(hp_t_str(r, "status"), "queued");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "plates")), 0);
    char app[64];
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    /* Five working days: due no earlier than five days after filing. */
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT (due_at - submitted_at >= interval '5 days')::int"
                               " FROM applications WHERE id = '%s'", app);
    CHECK_INT(hp_t_sql_int(sql), 1);

    r = route_check("\"plate\":\"鲁QW1001\"");
    CHECK_INT(r->status, 200);
    CHECK_INT(crossings(r), 0);
    hp_t_free(r);

    r = hp_t_post("/v1/queue/claim", officer.token, NULL);
    CHECK_STR(hp_t_str(r, "id"), app);
    hp_t_free(r);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    r = hp_t_post(path, officer.token, "{\"decision\":\"approve\",\"reason\":\"plan sound\"}");
    CHECK_INT(r->status, 200);
    CHECK(hp_t_str(r, "roadworks_zone_id") != NULL);
    char zone[64];
    snprintf(zone, sizeof(zone), "%s",
             hp_t_str(r, "roadworks_zone_id") ? hp_t_str(r, "roadworks_zone_id") : "");
    hp_t_free(r);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM passes WHERE application_id = '%s'", app);
    CHECK_INT(hp_t_sql_int(sql), 0);
    /* The queue's figures count road-occupation permits like the others. */
    r = hp_t_get("/v1/queue/stats", officer.token);
    const cJSON *works = cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "per_type"),
                                             "road_occupation");
    CHECK(cJSON_GetObjectItem(works, "decided") &&
          cJSON_GetObjectItem(works, "decided")->valueint >= 1);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(works, "median_hours_to_decision")));
    hp_t_free(r);

    snprintf(path, sizeof(path), "/v1/zones/%s", zone);
    r = hp_t_get(path, haulier.token); /* everyone sees road works */
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "kind"), "roadworks");
    CHECK(hp_t_str(r, "name") && strstr(hp_t_str(r, "name"), "Yihe Road water main"));
    const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "rules"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(rule, "vehicle_classes"), 0)),
              "heavy_truck");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "valid_to")), to);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(rule, "liftable_by")), 0);
    hp_t_free(r);

    r = route_check("\"plate\":\"鲁QW1001\"");
    CHECK_INT(r->status, 200);
    CHECK_INT(crossings(r), 1);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "allowed")));
    CHECK(strstr(r->body, "Yihe Road water main") != NULL);
    hp_t_free(r);
    r = route_check("\"vehicle\":{\"class\":\"light_truck\",\"gross_weight_kg\":3000}");
    CHECK_INT(crossings(r), 1);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    hp_t_free(r);

    /* Its last day passes: the next read retires it, and checks no longer
     * see it. */
    snprintf(sql, sizeof(sql),
             "UPDATE zones SET ends_on = " HP_T_LOCAL_TODAY " - 2 WHERE id = '%s'", zone);
    PQclear(PQexec(hp_t_db(), sql));
    r = hp_t_get("/v1/zones", haulier.token);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_get(path, haulier.token);
    CHECK(hp_t_str(r, "retired_at") != NULL);
    CHECK(hp_t_str(r, "retire_reason") && strstr(hp_t_str(r, "retire_reason"), "ended"));
    hp_t_free(r);
    /* The retirement reaches the checks by notification (a read is no
     * write the caller's next check waits for). */
    HP_T_EVENTUALLY(gone());
}

/* The last entry of application app's history: its to and reason into
 * the buffers ("" when none). */
static void last_event(const char *app, char to_status[32], char reason[128])
{
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s", app);
    struct hp_t_resp *r = hp_t_get(path, officer.token);
    const cJSON *h = cJSON_GetObjectItem(r->json, "history");
    const cJSON *e = cJSON_GetArrayItem(h, cJSON_GetArraySize(h) - 1);
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(e, "to"));
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(e, "reason"));
    snprintf(to_status, 32, "%s", t ? t : "");
    snprintf(reason, 128, "%s", why ? why : "");
    hp_t_free(r);
}

/* Files a permit for works (JSON text) and has an officer approve it: its
 * id into app and its roadworks zone's into zone ("" when that failed). */
static void approved_permit(const char *works, char app[64], char zone[64])
{
    zone[0] = '\0';
    hp_t_create("/v1/applications", site.token, body(works), app);
    struct hp_t_resp *r = hp_t_post("/v1/queue/claim", officer.token, NULL);
    CHECK_STR(hp_t_str(r, "id"), app);
    hp_t_free(r);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    r = hp_t_post(path, officer.token, "{\"decision\":\"approve\",\"reason\":\"urgent\"}");
    CHECK_INT(r->status, 200);
    const char *z = hp_t_str(r, "roadworks_zone_id");
    snprintf(zone, 64, "%s", z ? z : "");
    hp_t_free(r);
}

/* Before the next test, which leaves an application in the queue. */
TEST(an_officer_revokes_a_permit_and_its_road_works_leave_checks_at_once)
{
    once();
    char app[64], zone[64], path[160], to_status[32], reason[128];
    /* Not yet approved: nothing to revoke. */
    hp_t_create("/v1/applications", site.token,
                body("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\"}"), app);
    snprintf(path, sizeof(path), "/v1/applications/%s/revoke", app);
    struct hp_t_resp *r = hp_t_post(path, officer.token, "{\"reason\":\"too early\"}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "wrong-status") != NULL);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", app);
    r = hp_t_post(path, site.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);

    approved_permit("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\",\"classes\":[\"heavy_truck\"],"
                    "\"name\":\"Yihe Road gas leak\"}",
                    app, zone);
    REQUIRE(zone[0]);
    snprintf(path, sizeof(path), "/v1/applications/%s/revoke", app);
    r = route_check("\"plate\":\"鲁QW1001\"");
    CHECK_INT(crossings(r), 1);
    hp_t_free(r);

    /* Who may, and what is asked: an officer, with a reason. */
    r = hp_t_post(path, site.token, "{\"reason\":\"we are done\"}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_post(path, officer.token, "{}");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "/reason") != NULL);
    hp_t_free(r);
    r = hp_t_post(path, officer.token, "{\"reason\":\" \"}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = hp_t_post("/v1/applications/00000000-0000-4000-8000-000000000000/revoke",
                  officer.token, "{\"reason\":\"x\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_post("/v1/applications/not-an-id/revoke", officer.token, "{\"reason\":\"x\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);

    r = hp_t_post(path, officer.token, "{\"reason\":\"the works were stopped by the district\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "approved"); /* the decision stands; its works end */
    hp_t_free(r);
    /* The very next check no longer sees the works. */
    CHECK(gone());
    last_event(app, to_status, reason);
    CHECK_STR(to_status, "revoked");
    CHECK_STR(reason, "the works were stopped by the district");
    char sql[320];
    snprintf(sql, sizeof(sql),
             "SELECT (retired_at IS NOT NULL AND retire_reason = "
             "'the works were stopped by the district')::int FROM zones WHERE id = '%s'", zone);
    CHECK_INT(hp_t_sql_int(sql), 1);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE entity = 'application' AND entity_id = '%s'"
             "   AND action = 'revoke' AND after->>'roadworks_zone_id' = '%s'", app, zone);
    CHECK_INT(hp_t_sql_int(sql), 1);
    /* Once is all. */
    r = hp_t_post(path, officer.token, "{\"reason\":\"again\"}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "already-ended") != NULL);
    hp_t_free(r);
}

/* Retiring the road works' zone is the same revocation. */
TEST(retiring_a_roadworks_zone_revokes_its_permit_in_the_permits_history)
{
    once();
    char app[64], zone[64], path[160], to_status[32], reason[128];
    approved_permit("{\"area\":" SQUARE ",\"plan\":\"" PLAN "\"}", app, zone);
    REQUIRE(zone[0]);
    snprintf(path, sizeof(path), "/v1/zones/%s", zone);
    struct hp_t_resp *    r = hp_t_req("DELETE", path, officer.token, NULL, "{\"reason\":\"flooded\"}", 20, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    last_event(app, to_status, reason);
    CHECK_STR(to_status, "revoked");
    CHECK_STR(reason, "flooded");
    /* Another type's permit is a pass, revoked where passes are. */
    char b[1024], other[64];
    snprintf(b, sizeof(b),
             "{\"type\":\"construction\",\"plates\":[\"鲁QW1001\"],\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\",\"corridor\":{\"route\":{\"type\":\"LineString\","
             "\"coordinates\":[[118.6,35],[118.61,35]]},\"width_m\":50},\"documents\":[]}",
             from, to);
    hp_t_create("/v1/applications", haulier.token, b, other);
    snprintf(path, sizeof(path), "/v1/applications/%s/revoke", other);
    r = hp_t_post(path, officer.token, "{\"reason\":\"x\"}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "not-revocable") != NULL);
    hp_t_free(r);
}

TEST(a_line_and_a_width_make_a_band_of_road_works)
{
    once();
    struct hp_t_resp *r = hp_t_post(
        "/v1/applications", site.token,
        body("{\"area\":{\"type\":\"LineString\",\"coordinates\":[[118.70,35.00],[118.71,35.00]]},"
             "\"width_m\":20,\"plan\":\"" PLAN "\"}"));
    CHECK_INT(r->status, 201);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT round(ST_Area(works_area::geography) / (ST_Length(ST_MakeLine("
             "ST_MakePoint(118.70, 35), ST_MakePoint(118.71, 35))::geography) * 20) * 10)::int"
             " FROM applications WHERE id = '%s'", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    /* The band's area is about its length times its width (round ends add
     * a little). */
    int tenths = hp_t_sql_int(sql);
    CHECK(tenths >= 10 && tenths <= 11);
    hp_t_free(r);
}
