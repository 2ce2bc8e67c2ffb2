/* Pass applications: filing, refusals, endorsement, withdrawal, history,
 * visibility, and the schema's guard on status changes. */
#include "harness.h"
#include "test.h"

#include "haulpass/calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The server reads local time in Asia/Shanghai (HAULPASS_TZ's default);
 * the expected due_at is computed here in the same zone. */
int hp_test_setup(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return hp_t_setup(NULL);
}
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer, officer2, admin, site, site2, haulier, haulier2;
static char project[64], zone[64], retired_zone[64];

static void copy_id(struct hp_t_resp *r, char out[64])
{
    snprintf(out, 64, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
}

/* A corridor, as an oversize load must have (docs/contract.md §13). */
#define CORRIDOR                                                                        \
    "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"         \
    "[118.1,35]]},\"width_m\":10}"

#define SQUARE                                                                          \
    "{\"type\":\"Polygon\",\"coordinates\":[[[118.3,35.0],[118.4,35.0],[118.4,35.1],"   \
    "[118.3,35.1],[118.3,35.0]]]}"

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("App Police", "police", "officer", "officer wang");
    officer2 = hp_t_who_add("App Police", "police", "officer", "officer zhao");
    admin = hp_t_who_add("App Police", "police", "admin", "admin li");
    site = hp_t_who_add("App Metro Site", "site", "site", "metro site office");
    site2 = hp_t_who_add("App Bridge Site", "site", "site", "bridge site office");
    haulier = hp_t_who_add("App Haulage", "haulier", "haulier", "dispatcher chen");
    haulier2 = hp_t_who_add("Other Haulage", "haulier", "haulier", "dispatcher sun");
    hp_t_vehicle_add(haulier.token, "鲁Q10001");
    hp_t_vehicle_add(haulier.token, "鲁Q10002");
    hp_t_vehicle_add(haulier2.token, "鲁Q20001");
    hp_t_vehicle_add(site.token, "鲁Q30001");
    hp_t_project_add(admin.token, site.org, officer.id, project);
    const char *z = "{\"name\":\"核心区\",\"geometry\":" SQUARE ",\"rules\":[]}";
    copy_id(hp_t_post("/v1/zones", officer.token, z), zone);
    copy_id(hp_t_post("/v1/zones", officer.token, z), retired_zone);
    char path[128];
    snprintf(path, sizeof(path), "/v1/zones/%s", retired_zone);
    hp_t_free(hp_t_req("DELETE", path, officer.token, NULL, NULL, 0, NULL));
}

/* An application body: type, plates JSON, and extra members (or ""); for
 * the zone core unless extra names zones or a corridor. */
static const char *body(const char *type, const char *plates, const char *extra)
{
    /* Rotating buffers: a table of cases holds many bodies at once. */
    static char bufs[32][2048];
    static int next;
    char *b = bufs[next++ % 32];
    bool covers = strstr(extra, "\"zone_ids\"") || strstr(extra, "\"corridor\"");
    snprintf(b, sizeof(bufs[0]),
             "{\"type\":\"%s\",\"plates\":%s,\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-02\",\"documents\":[{\"name\":\"licence\","
             "\"provided\":true}]%s%s%s%s%s}",
             type, plates, covers ? "" : ",\"zone_ids\":[\"", covers ? "" : zone,
             covers ? "" : "\"]", *extra ? "," : "", extra);
    return b;
}

static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const cJSON *p = cJSON_GetObjectItem(e, "pointer");
    return cJSON_IsString(p) ? p->valuestring : "";
}

static struct hp_t_resp *on_app(const char *id, const char *action, const char *token)
{
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s%s%s", id, *action ? "/" : "", action);
    return *action ? hp_t_post(path, token, NULL) : hp_t_get(path, token);
}

/* Files an application and copies its id. */
static void file(const struct hp_t_who *w, const char *b, char id[64])
{
    struct hp_t_resp *r = hp_t_post("/v1/applications", w->token, b);
    CHECK_INT(r->status, 201);
    if (r->status != 201)
        printf("    %s gave %ld %s\n", b, r->status, r->body);
    copy_id(r, id);
}

/* due_at by docs/contract.md §7 for a submission at t, on the 2026 calendar below. */
static time_t expected_due(time_t t, int n)
{
    static const struct hp_calendar_entry e[] = {
        {{2026, 12, 2}, HP_CALENDAR_HOLIDAY},
        {{2026, 12, 5}, HP_CALENDAR_WORKDAY},
    };
    struct hp_calendar *cal;
    if (hp_calendar_new(e, 2, &cal, NULL) != HP_CALENDAR_OK)
        return 0;
    time_t due = hp_calendar_due_at(cal, t, n);
    hp_calendar_free(cal);
    return due;
}

static time_t parse_time(const char *s)
{
    struct tm tm = {0};
    int oh = 0, om = 0;
    char sign = '+';
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d%c%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &sign, &oh, &om) != 9)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm) - (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
}

TEST(an_application_without_a_project_is_queued_with_a_due_at_from_the_calendar)
{
    once();
    struct hp_t_resp *r = hp_t_req(
        "PUT", "/v1/calendar/2026", hp_t_admin, NULL,
        "{\"days\":[{\"date\":\"2026-12-02\",\"kind\":\"holiday\"},"
        "{\"date\":\"2026-12-05\",\"kind\":\"workday\"}]}",
        strlen("{\"days\":[{\"date\":\"2026-12-02\",\"kind\":\"holiday\"},"
               "{\"date\":\"2026-12-05\",\"kind\":\"workday\"}]}"),
        NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    time_t before = time(NULL);
    r = hp_t_post("/v1/applications", haulier.token,
                  body("urban_delivery", "[\"鲁Q·10001\",\"鲁Q10002\"]", "\"note\":\"沂河\""));
    time_t after = time(NULL);
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "status"), "queued");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "fast_track")));
    time_t due = parse_time(hp_t_str(r, "due_at"));
    CHECK(due == expected_due(before, 3) || due == expected_due(after, 3));
    if (due != expected_due(before, 3) && due != expected_due(after, 3))
        printf("    due_at %s, expected %lld\n", hp_t_str(r, "due_at"),
               (long long)expected_due(before, 3));
    CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "plates"), 0)->valuestring,
              "鲁Q10001");
    char id[64];
    copy_id(r, id);
    r = on_app(id, "", haulier.token);
    CHECK_INT(r->status, 200);
    const cJSON *h = cJSON_GetObjectItem(r->json, "history");
    CHECK_INT(cJSON_GetArraySize(h), 1);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "from")));
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "to")->valuestring, "queued");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "actor")->valuestring, haulier.id);
    hp_t_free(r);
}

TEST(hazmat_is_due_the_same_working_day_and_fast_track_halves_construction_to_zero)
{
    once();
    time_t before = time(NULL);
    struct hp_t_resp *r =
        hp_t_post("/v1/applications", haulier.token, body("hazmat", "[\"鲁Q10001\"]", ""));
    time_t after = time(NULL);
    CHECK_INT(r->status, 201);
    time_t due = parse_time(hp_t_str(r, "due_at"));
    CHECK(due == expected_due(before, 0) || due == expected_due(after, 0));
    hp_t_free(r);
    char b[512];
    snprintf(b, sizeof(b), "\"project_id\":\"%s\"", project);
    before = time(NULL);
    r = hp_t_post("/v1/applications", site.token, body("construction", "[\"鲁Q30001\"]", b));
    after = time(NULL);
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "status"), "queued");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "fast_track")));
    due = parse_time(hp_t_str(r, "due_at"));
    CHECK(due == expected_due(before, 0) || due == expected_due(after, 0));
    hp_t_free(r);
}

TEST(every_refusal_names_its_pointer)
{
    once();
    char with_zone[256], with_retired[256], no_project[256];
    snprintf(with_zone, sizeof(with_zone), "\"zone_ids\":[\"%s\",\"%s\"]", zone,
             "00000000-0000-4000-8000-000000000000");
    snprintf(with_retired, sizeof(with_retired), "\"zone_ids\":[\"%s\"]", retired_zone);
    /* The same zone twice, the second in capitals. */
    char twice[256];
    snprintf(twice, sizeof(twice), "\"zone_ids\":[\"%s\",\"%s\"]", zone, zone);
    for (char *c = strrchr(twice, '[') + 40; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    snprintf(no_project, sizeof(no_project), "\"project_id\":\"%s\"",
             "00000000-0000-4000-8000-000000000000");
    struct {
        const char *body, *pointer;
    } cases[] = {
        {body("urban_delivery", "[]", ""), "/plates"},
        {body("urban_delivery", "[\"鲁Q20001\"]", ""), "/plates/0"},
        {body("urban_delivery", "[\"鲁Q10001\",\"鲁Q99999\"]", ""), "/plates/1"},
        {body("urban_delivery", "[\"鲁Q10001\",\"鲁Q10001\"]", ""), "/plates/1"},
        {body("urban_delivery", "[\"!!\"]", ""), "/plates/0"},
        /* The caller's 鲁Q10001, but for the control character in it. */
        {body("urban_delivery", "[\"鲁Q1\\n0001\"]", ""), "/plates/0"},
        {body("urban_delivery", "[\"鲁Q10001\\t\"]", ""), "/plates/0"},
        {body("bicycle", "[\"鲁Q10001\"]", ""), "/type"},
        {body("urban_delivery", "[\"鲁Q10001\"]", with_zone), "/zone_ids/1"},
        {body("urban_delivery", "[\"鲁Q10001\"]", with_retired), "/zone_ids/0"},
        {body("urban_delivery", "[\"鲁Q10001\"]", twice), "/zone_ids/1"},
        {body("urban_delivery", "[\"鲁Q10001\"]", "\"zone_ids\":[]"), "/zone_ids"},
        {body("urban_delivery", "[\"鲁Q10001\"]", "\"corridor\":null"), "/zone_ids"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"
              "[118,35,7]]},\"width_m\":50}"),
         "/corridor/route/coordinates"},
        {body("urban_delivery", "[\"鲁Q10001\"]", "\"zone_ids\":[\"x\"]"), "/zone_ids/0"},
        {body("urban_delivery", "[\"鲁Q10001\"]", no_project), "/project_id"},
        {body("urban_delivery", "[\"鲁Q10001\"]", "\"hours\":\"Mo-Xy 25:00\""), "/hours"},
        {body("urban_delivery", "[\"鲁Q10001\"]", "\"colour\":\"red\""), "/colour"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"
              "[118.1,35]]},\"width_m\":9}"),
         "/corridor/width_m"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"
              "[118.1,35]]},\"width_m\":2001}"),
         "/corridor/width_m"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35]]},"
              "\"width_m\":50}"),
         "/corridor/route/coordinates"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"
              "[181,35]]},\"width_m\":50}"),
         "/corridor/route/coordinates/1/0"},
        {body("urban_delivery", "[\"鲁Q10001\"]",
              "\"corridor\":{\"route\":{\"type\":\"Point\",\"coordinates\":[118,35]},"
              "\"width_m\":50}"),
         "/corridor/route/type"},
        {"{\"type\":\"urban_delivery\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-05\","
         "\"valid_to\":\"2030-12-04\",\"documents\":[]}",
         "/valid_to"},
        {"{\"type\":\"urban_delivery\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2020-01-01\","
         "\"valid_to\":\"2020-01-02\",\"documents\":[]}",
         "/valid_to"},
        {"{\"type\":\"temporary\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-04\",\"documents\":[]}",
         "/valid_to"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2031-03-01\",\"documents\":[]}",
         "/valid_to"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-02-30\","
         "\"valid_to\":\"2030-03-01\",\"documents\":[]}",
         "/valid_from"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[{\"name\":\"a\"}]}",
         "/documents/0/provided"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\"}",
         "/documents"},
        /* An oversize load needs its corridor and its cargo (§13). */
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[],"
         "\"cargo\":{\"length_mm\":18000,\"width_mm\":3500,\"height_mm\":4000,\"mass_kg\":60000}}",
         "/corridor"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[]," CORRIDOR "}",
         "/cargo"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[]," CORRIDOR ",\"cargo\":null}",
         "/cargo"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[]," CORRIDOR ","
         "\"cargo\":{\"length_mm\":18000,\"width_mm\":0,\"height_mm\":4000,\"mass_kg\":60000}}",
         "/cargo/width_mm"},
        {"{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[]," CORRIDOR ","
         "\"cargo\":{\"length_mm\":18000,\"width_mm\":3000,\"height_mm\":4000}}",
         "/cargo/mass_kg"},
        {"{\"type\":\"construction\",\"plates\":[\"鲁Q10001\"],\"valid_from\":\"2030-12-01\","
         "\"valid_to\":\"2030-12-01\",\"documents\":[]," CORRIDOR ","
         "\"cargo\":{\"length_mm\":18000,\"width_mm\":3000,\"height_mm\":4000,\"mass_kg\":1}}",
         "/cargo"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hp_t_resp *r = hp_t_post("/v1/applications", haulier.token, cases[i].body);
        CHECK_INT(r->status, 422);
        CHECK_STR(first_pointer(r), cases[i].pointer);
        if (r->status != 422 || strcmp(first_pointer(r), cases[i].pointer) != 0)
            printf("    case %zu gave %ld %s\n", i, r->status, r->body);
        hp_t_free(r);
    }
    /* Limits hold on their edge: temporary 3 days and 90 for the others. */
    char id[64];
    char b[512];
    snprintf(b, sizeof(b),
             "{\"type\":\"temporary\",\"plates\":[\"鲁Q10001\"],\"valid_from\":"
             "\"2030-12-01\",\"valid_to\":\"2030-12-03\",\"documents\":[],"
             "\"zone_ids\":[\"%s\"]}", zone);
    file(&haulier, b, id);
    file(&haulier, "{\"type\":\"oversize\",\"plates\":[\"鲁Q10001\"],\"valid_from\":"
                   "\"2030-12-01\",\"valid_to\":\"2031-02-28\",\"documents\":[],"
                   "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":[[118,35],"
                   "[118.1,35]]},\"width_m\":10},\"hours\":\"Mo-Fr 22:00-06:00\","
                   "\"cargo\":{\"length_mm\":18000,\"width_mm\":2900,\"height_mm\":4000,"
                   "\"mass_kg\":40000}}", id);
}

TEST(a_corridor_across_the_antimeridian_is_422_at_the_position_after_it)
{
    once();
    struct hp_t_resp *r = hp_t_post(
        "/v1/applications", haulier.token,
        body("urban_delivery", "[\"鲁Q10001\"]",
             "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":"
             "[[179.9,0.5],[179.99,0.5],[-179.99,0.5]]},\"width_m\":50}"));
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/corridor/route/coordinates/2");
    CHECK(strstr(r->body, "crosses the antimeridian") != NULL);
    hp_t_free(r);
}

TEST(an_application_naming_a_project_waits_for_that_sites_endorsement)
{
    once();
    char b[512], id[64];
    snprintf(b, sizeof(b), "\"project_id\":\"%s\"", project);
    struct hp_t_resp *r =
        hp_t_post("/v1/applications", haulier.token, body("construction", "[\"鲁Q10002\"]", b));
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "status"), "awaiting_endorsement");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "due_at")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "fast_track")));
    copy_id(r, id);
    /* Another site cannot see it; a haulier or officer may not endorse. */
    r = on_app(id, "endorse", site2.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = on_app(id, "endorse", haulier.token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = on_app(id, "endorse", officer.token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    /* The project's site sees it, and endorses it into the fast track. */
    r = on_app(id, "", site.token);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = on_app(id, "endorse", site.token);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "queued");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "fast_track")));
    CHECK(hp_t_str(r, "due_at") != NULL);
    CHECK(hp_t_str(r, "endorsed_at") != NULL);
    hp_t_free(r);
    r = on_app(id, "endorse", site.token);
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = on_app(id, "", haulier.token);
    const cJSON *h = cJSON_GetObjectItem(r->json, "history");
    CHECK_INT(cJSON_GetArraySize(h), 2);
    const cJSON *e = cJSON_GetArrayItem(h, 1);
    CHECK_STR(cJSON_GetObjectItem(e, "from")->valuestring, "awaiting_endorsement");
    CHECK_STR(cJSON_GetObjectItem(e, "to")->valuestring, "queued");
    CHECK_STR(cJSON_GetObjectItem(e, "actor")->valuestring, site.id);
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE entity = 'application' AND entity_id = '%s'", id);
    CHECK_INT(hp_t_sql_int(sql), 2);
}

TEST(the_owner_withdraws_before_review_and_only_then)
{
    once();
    char b[512], id[64], waiting[64];
    file(&haulier, body("urban_delivery", "[\"鲁Q10001\"]", ""), id);
    struct hp_t_resp *r = on_app(id, "withdraw", haulier2.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = on_app(id, "withdraw", officer.token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = on_app(id, "withdraw", haulier.token);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "withdrawn");
    hp_t_free(r);
    r = on_app(id, "withdraw", haulier.token);
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    /* Awaiting endorsement: the owner may withdraw, the project's site may not. */
    snprintf(b, sizeof(b), "\"project_id\":\"%s\"", project);
    file(&haulier, body("construction", "[\"鲁Q10001\"]", b), waiting);
    r = on_app(waiting, "withdraw", site.token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = on_app(waiting, "withdraw", haulier.token);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = on_app(waiting, "endorse", site.token);
    CHECK_INT(r->status, 409);
    hp_t_free(r);
}

TEST(the_schema_refuses_a_status_change_outside_the_table)
{
    once();
    char id[64], sql[256];
    file(&haulier, body("urban_delivery", "[\"鲁Q10001\"]", ""), id);
    static const char *const bad[] = {"approved", "rejected", "awaiting_endorsement"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof(sql), "UPDATE applications SET status = '%s' WHERE id = '%s'",
                 bad[i], id);
        PGresult *res = PQexec(hp_t_db(), sql);
        CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
        PQclear(res);
    }
    PGresult *res = PQexec(hp_t_db(), "DELETE FROM app_transitions");
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM applications WHERE id = '%s'"
                               " AND status = 'queued'", id);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

TEST(an_organisation_sees_only_its_own_and_officers_see_all)
{
    once();
    char id[64];
    file(&haulier2, body("urban_delivery", "[\"鲁Q20001\"]", ""), id);
    struct hp_t_resp *r = on_app(id, "", haulier.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = on_app(id, "", officer.token);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = on_app("not-a-uuid", "", officer.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_get("/v1/applications?limit=500", haulier2.token);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    hp_t_free(r);
    r = hp_t_get("/v1/applications?status=withdrawn", haulier.token);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK(cJSON_GetArraySize(items) >= 1);
    for (const cJSON *i = items->child; i; i = i->next)
        CHECK_STR(cJSON_GetObjectItem(i, "status")->valuestring, "withdrawn");
    hp_t_free(r);
    r = hp_t_get("/v1/applications?status=lost", haulier.token);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    /* Paging walks every application once. */
    int seen = 0;
    char path[256] = "/v1/applications?limit=2";
    for (int pages = 0; pages < 100; pages++) {
        r = hp_t_get(path, officer.token);
        REQUIRE(r->status == 200);
        seen += cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
        const char *next = hp_t_str(r, "next_cursor");
        if (!next) {
            hp_t_free(r);
            break;
        }
        snprintf(path, sizeof(path), "/v1/applications?limit=2&cursor=%s", next);
        hp_t_free(r);
    }
    CHECK_INT(seen, hp_t_sql_int("SELECT count(*) FROM applications"));
}

TEST(the_same_idempotency_key_files_once)
{
    once();
    const char *b = body("urban_delivery", "[\"鲁Q10002\"]", "");
    const char *h[] = {"Idempotency-Key: app-once-1", NULL};
    int n = hp_t_sql_int("SELECT count(*) FROM applications");
    struct hp_t_resp *r1 = hp_t_req("POST", "/v1/applications", haulier.token, NULL, b,
                                    strlen(b), h);
    struct hp_t_resp *r2 = hp_t_req("POST", "/v1/applications", haulier.token, NULL, b,
                                    strlen(b), h);
    CHECK_INT(r1->status, 201);
    CHECK_INT(r2->status, 201);
    CHECK_STR(hp_t_str(r1, "id"), hp_t_str(r2, "id"));
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM applications"), n + 1);
    hp_t_free(r1);
    hp_t_free(r2);
}

TEST(who_may_call_each_application_endpoint)
{
    once();
    char mine[64], other[64], b[512];
    file(&haulier, body("urban_delivery", "[\"鲁Q10001\"]", ""), mine);
    snprintf(b, sizeof(b), "\"project_id\":\"%s\"", project);
    file(&haulier2, body("construction", "[\"鲁Q20001\"]", b), other);
    const struct hp_t_who *roles[] = {&admin, &officer, &haulier, &haulier2, &site, &site2};
    static const char *const names[] = {"admin", "officer", "haulier", "haulier2", "site",
                                        "site2"};
    /* The expected status for each role, in the order of roles; rows run
     * in order, so the last endorsement finds the application withdrawn. */
    struct {
        const char *method, *action, *id;
        int want[6];
    } rows[] = {
        {"GET", "", mine, {200, 200, 200, 404, 404, 404}},
        {"GET", "", other, {200, 200, 404, 200, 200, 404}},
        {"POST", "endorse", mine, {403, 403, 403, 403, 404, 404}},
        {"POST", "withdraw", other, {403, 403, 404, 200, 403, 404}},
        {"POST", "endorse", other, {403, 403, 403, 403, 409, 404}},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (int k = 0; k < 6; k++) {
            struct hp_t_resp *r = on_app(rows[i].id, rows[i].action, roles[k]->token);
            CHECK_INT(r->status, rows[i].want[k]);
            if (r->status != rows[i].want[k])
                printf("    %s %s by %s gave %ld\n", rows[i].method, rows[i].action, names[k],
                       r->status);
            hp_t_free(r);
        }
    }
    struct hp_t_resp *r;
    const char *fb = body("urban_delivery", "[\"鲁Q10001\"]", "");
    r = hp_t_post("/v1/applications", officer.token, fb);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", admin.token, fb);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_post("/v1/applications", NULL, fb);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    for (int k = 0; k < 6; k++) {
        r = hp_t_get("/v1/applications", roles[k]->token);
        CHECK_INT(r->status, 200);
        hp_t_free(r);
    }
}

TEST(who_may_file_supply_documents_and_decide_with_own_and_other_plates)
{
    once();
    char mine[64], site_own[64];
    file(&haulier, body("urban_delivery", "[\"鲁Q10002\"]", ""), mine);
    file(&site, body("temporary", "[\"鲁Q30001\"]", ""), site_own);
    const struct hp_t_who *roles[] = {&admin, &officer, &haulier, &haulier2, &site, &site2};
    static const char *const names[] = {"admin", "officer", "haulier", "haulier2", "site",
                                        "site2"};
    /* Filing with the haulier's plate, then with each caller's own plate
     * (police have none); a document for an application not waiting for
     * one; a decision without holding the claim; the site's own filing. */
    struct {
        const char *what;
        int want[6];
    } rows[] = {
        {"POST /v1/applications with the haulier's plate", {403, 403, 201, 422, 422, 422}},
        {"POST /v1/applications with own plates", {403, 403, 201, 201, 201, 422}},
        {"POST documents", {403, 403, 422, 404, 404, 404}},
        {"POST decision", {409, 409, 403, 403, 403, 403}},
        {"GET the site's own application", {200, 200, 404, 404, 200, 404}},
    };
    static const char *const own_plates[] = {"", "", "[\"鲁Q10001\"]", "[\"鲁Q20001\"]",
                                             "[\"鲁Q30001\"]", "[\"鲁Q10001\"]"};
    char path[160];
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (int k = 0; k < 6; k++) {
            struct hp_t_resp *r;
            if (i == 0) {
                r = hp_t_post("/v1/applications", roles[k]->token,
                              body("temporary", "[\"鲁Q10001\"]", ""));
            } else if (i == 1) {
                /* site2 has no vehicle: its "own" plate is the haulier's, so
                 * it is refused; police may not file at all. */
                r = hp_t_post("/v1/applications", roles[k]->token,
                              body("temporary", *own_plates[k] ? own_plates[k] : "[\"鲁Q10001\"]",
                                   ""));
            } else if (i == 2) {
                snprintf(path, sizeof(path), "/v1/applications/%s/documents", mine);
                r = hp_t_post(path, roles[k]->token, "{\"name\":\"licence\"}");
            } else if (i == 3) {
                snprintf(path, sizeof(path), "/v1/applications/%s/decision", mine);
                r = hp_t_post(path, roles[k]->token,
                              "{\"decision\":\"reject\",\"reason\":\"role table\"}");
            } else {
                r = on_app(site_own, "", roles[k]->token);
            }
            CHECK_INT(r->status, rows[i].want[k]);
            if (r->status != rows[i].want[k])
                printf("    %s by %s gave %ld %s\n", rows[i].what, names[k], r->status, r->body);
            hp_t_free(r);
        }
    }
}
