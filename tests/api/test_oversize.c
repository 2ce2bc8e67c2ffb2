/* Oversize loads (docs/contract.md §13): an oversize application needs a
 * corridor and its cargo; its pass says whether an escort is required; a
 * route check of the plate names the live escort booking that covers the
 * trip in the corridor, or says none does, from the in-memory snapshot
 * (booking, confirmation and cancellation mark it stale). */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer, site;
static char project[64], unit[64];

#define LINE "{\"type\":\"LineString\",\"coordinates\":[[118.0,35.0],[118.1,35.0]]}"
#define WIDE "{\"length_mm\":18000,\"width_mm\":3500,\"height_mm\":4000,\"mass_kg\":45000}"
#define NARROW "{\"length_mm\":12000,\"width_mm\":2500,\"height_mm\":4000,\"mass_kg\":30000}"

/* The local date (Asia/Shanghai, UTC+8 all year) days from today. */
static const char *day(int days)
{
    static char buf[4][16];
    static int next;
    time_t t = time(NULL) + 8 * 3600 + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char *out = buf[next++ % 4];
    strftime(out, 16, "%Y-%m-%d", &tm);
    return out;
}

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("Oversize Police", "police", "officer", "oversize officer");
    site = hp_t_who_add("Oversize Bridge Site", "site", "site", "oversize site office");
    hp_t_vehicle_add(site.token, "鲁OV1001");
    hp_t_vehicle_add(site.token, "鲁OV1002");
    hp_t_project_add(officer.token, site.org, officer.id, project);
    hp_t_create("/v1/escort-units", officer.token,
                "{\"name\":\"oversize unit\",\"base\":{\"type\":\"Point\",\"coordinates\":"
                "[118.0,35.0]},\"hours\":\"24/7\",\"capacity\":1}", unit);
}

/* Files an oversize application for plate with cargo, has an officer
 * approve it and returns the pass answer (the caller frees it). */
static struct hp_t_resp *issue(const char *plate, const char *cargo)
{
    char b[1024], path[160], sql[256];
    snprintf(b, sizeof(b),
             "{\"type\":\"oversize\",\"plates\":[\"%s\"],\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\",\"documents\":[],\"corridor\":{\"route\":" LINE
             ",\"width_m\":50},\"cargo\":%s}", plate, day(1), day(2), cargo);
    struct hp_t_resp *r = hp_t_post("/v1/applications", site.token, b);
    CHECK_INT(r->status, 201);
    char app[64];
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    snprintf(sql, sizeof(sql), "UPDATE applications SET claimed_by = '%s',"
             " claim_expires_at = now() + interval '5 minutes', status = 'in_review'"
             " WHERE id = '%s'", officer.id, app);
    PQclear(PQexec(hp_t_db(), sql));
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    r = hp_t_post(path, officer.token, "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(sql, sizeof(sql), "SELECT code FROM passes WHERE application_id = '%s'", app);
    PGresult *q = PQexec(hp_t_db(), sql);
    snprintf(path, sizeof(path), "/v1/passes/%s",
             PQntuples(q) == 1 ? PQgetvalue(q, 0, 0) : "none");
    PQclear(q);
    return hp_t_get(path, site.token);
}

/* The route check of plate along part of the corridor, leaving at hm local
 * time tomorrow at 40 km/h. */
static struct hp_t_resp *check(const char *plate, const char *hm)
{
    char b[512];
    snprintf(b, sizeof(b),
             "{\"plate\":\"%s\",\"route\":{\"type\":\"LineString\",\"coordinates\":"
             "[[118.02,35.0],[118.04,35.0]]},\"depart_at\":\"%sT%s:00+08:00\",\"speed_kmh\":40}",
             plate, day(1), hm);
    return hp_t_post("/v1/checks/route", site.token, b);
}

static const cJSON *escort(const struct hp_t_resp *r)
{
    return cJSON_GetObjectItem(r->json, "escort");
}

static const char *booking_of(const struct hp_t_resp *r)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(escort(r), "booking_id"));
}

TEST(an_oversize_pass_says_whether_an_escort_is_required)
{
    once();
    struct hp_t_resp *r = issue("鲁OV1001", WIDE);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "escort_required")));
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "cargo"), "width_mm")->valueint,
              3500);
    hp_t_free(r);
    r = issue("鲁OV1002", NARROW);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "escort_required")));
    hp_t_free(r);
    /* Within the limits: no escort, and the answer says so with null. */
    r = check("鲁OV1002", "09:35");
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsNull(escort(r)));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")));
    hp_t_free(r);
}

/* An oversize pass issued before loads were recorded (sql/014_oversize.sql)
 * has no cargo: a revision of it is refused, with why; one that has its
 * cargo is amended, and the amendment keeps the cargo. */
TEST(an_oversize_pass_without_its_load_is_not_amended_one_with_it_is)
{
    once();
    struct hp_t_resp *r = issue("鲁OV1002", NARROW);
    char code[32], path[96], sql[256], b[256];
    snprintf(code, sizeof(code), "%s", hp_t_str(r, "code") ? hp_t_str(r, "code") : "");
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/passes/%s/amendments", code);
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"reason\":\"the bridge slipped\"}", day(3));
    r = hp_t_post(path, site.token, b);
    CHECK_INT(r->status, 201);
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "cargo"), "mass_kg")->valueint,
              30000);
    char withdraw[160];
    snprintf(withdraw, sizeof(withdraw), "/v1/applications/%s/withdraw",
             hp_t_str(r, "id") ? hp_t_str(r, "id") : "none");
    hp_t_free(r);
    r = hp_t_post(withdraw, site.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);

    snprintf(sql, sizeof(sql), "UPDATE passes SET cargo = NULL WHERE code = '%s'", code);
    PQclear(PQexec(hp_t_db(), sql));
    r = hp_t_post(path, site.token, b);
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "pass-not-amendable") && strstr(r->body, "before loads were recorded"));
    hp_t_free(r);
}

/* Whether the check of 鲁OV1001 at hm names booking (NULL: none). */
static bool named(const char *hm, const char *booking)
{
    struct hp_t_resp *r = check("鲁OV1001", hm);
    const char *b = booking_of(r);
    bool ok = r->status == 200 && cJSON_IsTrue(cJSON_GetObjectItem(escort(r), "required")) &&
              (booking ? b && strcmp(b, booking) == 0 : b == NULL) &&
              cJSON_IsBool(cJSON_GetObjectItem(r->json, "allowed")) &&
              cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allowed")) == (booking != NULL);
    hp_t_free(r);
    return ok;
}

TEST(a_route_check_names_the_escort_booking_that_covers_the_trip_or_says_none_does)
{
    once();
    /* The pass of the first test requires an escort; none is booked. */
    struct hp_t_resp *r = check("鲁OV1001", "09:35");
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "allowed")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(escort(r), "required")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(escort(r), "booking_id")));
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(escort(r), "reason"));
    CHECK(why && strstr(why, "escort"));
    hp_t_free(r);

    /* Booked from 09:00 along the corridor: the convoy drives off at 09:30
     * and arrives about 09:44. */
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"project_id\":\"%s\",\"plates\":[\"鲁OV1001\"],\"origin\":{\"type\":\"Point\","
             "\"coordinates\":[118.0,35.0]},\"destination\":{\"type\":\"Point\",\"coordinates\":"
             "[118.1,35.0]},\"route\":" LINE ",\"earliest_start\":\"%sT09:00:00+08:00\","
             "\"latest_start\":\"%sT09:00:00+08:00\"}", project, day(1), day(1));
    r = hp_t_post("/v1/escorts", site.token, b);
    CHECK_INT(r->status, 201);
    char id[64];
    snprintf(id, sizeof(id), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    CHECK(named("09:35", id));
    r = check("鲁OV1001", "09:35");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(escort(r), "reason")));
    hp_t_free(r);
    /* A trip outside the booking's window is not covered by it. */
    CHECK(named("15:00", NULL));
    /* Confirmed, still covered; cancelled, no longer. */
    char path[160];
    snprintf(path, sizeof(path), "/v1/escorts/%s/confirm", id);
    r = hp_t_post(path, officer.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK(named("09:35", id));
    snprintf(path, sizeof(path), "/v1/escorts/%s/cancel", id);
    r = hp_t_post(path, site.token, "{\"reason\":\"crane late\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK(named("09:35", NULL));
}

TEST(an_escort_written_past_the_api_reaches_the_checks_through_the_notification)
{
    once();
    /* Not through a route that marks the snapshot stale: only the trigger
     * of sql/014_oversize.sql and the LISTEN of the checks can tell them. */
    char sql[512], id[64] = "";
    snprintf(sql, sizeof(sql),
             "INSERT INTO escorts (project_id, unit_id, booked_by, plates, origin, destination,"
             " route, route_given, length_m, starts_at, ends_at, free_at)"
             " SELECT project_id, unit_id, booked_by, plates, origin, destination, route,"
             " route_given, length_m, starts_at, ends_at, free_at FROM escorts"
             " WHERE project_id = '%s' AND status = 'cancelled' LIMIT 1 RETURNING id", project);
    PGresult *q = PQexec(hp_t_db(), sql);
    if (PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1)
        snprintf(id, sizeof(id), "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    REQUIRE(id[0]);
    HP_T_EVENTUALLY(named("09:35", id));
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'cancelled' WHERE id = '%s'", id);
    PQclear(PQexec(hp_t_db(), sql));
    HP_T_EVENTUALLY(named("09:35", NULL));
}
