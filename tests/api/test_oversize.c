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

/* Books an escort of 鲁OV1001 tomorrow from 09:00 on the corridor; its id
 * into id. */
static void book(char id[64])
{
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"project_id\":\"%s\",\"plates\":[\"鲁OV1001\"],\"origin\":{\"type\":\"Point\","
             "\"coordinates\":[118.0,35.0]},\"destination\":{\"type\":\"Point\",\"coordinates\":"
             "[118.1,35.0]},\"route\":" LINE ",\"earliest_start\":\"%sT09:00:00+08:00\","
             "\"latest_start\":\"%sT09:00:00+08:00\"}", project, day(1), day(1));
    struct hp_t_resp *r = hp_t_post("/v1/escorts", site.token, b);
    CHECK_INT(r->status, 201);
    snprintf(id, 64, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
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
    char id[64];
    book(id);
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

/* This server's snapshot loads of kind ("full", "delta", "escorts") so far
 * (haulpass_snapshot_loads_total); "full" leaves out the full loads made
 * only because the deltas had grown, which no change asked for. */
static double loads(const char *kind)
{
    struct hp_t_resp *r = hp_t_get("/metrics", NULL);
    char key[96];
    snprintf(key, sizeof(key), "\nhaulpass_snapshot_loads_total{kind=\"%s\"} ", kind);
    const char *at = r->body ? strstr(r->body, key) : NULL;
    double n = at ? atof(at + strlen(key)) : -1;
    if (strcmp(kind, "full") == 0) {
        at = r->body ? strstr(r->body, "\nhaulpass_snapshot_rebase_loads_total ") : NULL;
        n -= at ? atof(at + strlen("\nhaulpass_snapshot_rebase_loads_total ")) : 0;
    }
    hp_t_free(r);
    return n;
}


/* A booking's change reaches the checks as a load of the escort bookings
 * alone (sql/018_escort_delta.sql, src/check/feed.c): never a full load of
 * every vehicle and pass. */
TEST(booking_confirming_or_cancelling_an_escort_reloads_only_the_escort_bookings)
{
    once();
    HP_T_EVENTUALLY(hp_t_snapshot_caught_up(&hp_t));
    double full = loads("full"), escorts = loads("escorts");
    REQUIRE(full >= 1 && escorts >= 0);
    char id[64], path[160];
    book(id);
    /* The writer's next check waits for the load its write asked for. */
    CHECK(named("09:35", id));
    CHECK(loads("escorts") >= escorts + 1);
    escorts = loads("escorts");
    snprintf(path, sizeof(path), "/v1/escorts/%s/confirm", id);
    struct hp_t_resp *r = hp_t_post(path, officer.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK(named("09:35", id));
    CHECK(loads("escorts") >= escorts + 1);
    escorts = loads("escorts");
    snprintf(path, sizeof(path), "/v1/escorts/%s/cancel", id);
    r = hp_t_post(path, site.token, "{\"reason\":\"convoy postponed\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK(named("09:35", NULL));
    CHECK(loads("escorts") >= escorts + 1);
    CHECK(loads("full") == full);
    fprintf(stderr, "    full loads %.0f -> %.0f, escort loads -> %.0f\n", full, loads("full"),
            loads("escorts"));
}

/* Whether a route check of plate answers 200 (the snapshot knows it). */
static bool vehicle_known(const char *plate)
{
    struct hp_t_resp *r = check(plate, "09:35");
    bool yes = r->status == 200;
    hp_t_free(r);
    return yes;
}

/* A booking and a plate changed together, in one transaction or one right
 * after the other: each load reads every plate and the bookings changed
 * since the last full load, so whichever load takes in one also takes in
 * the other, or the next does; both arrive, and neither asks for a full
 * load. */
TEST(a_booking_changed_with_a_plate_loses_neither_and_needs_no_full_load)
{
    once();
    HP_T_EVENTUALLY(hp_t_snapshot_caught_up(&hp_t));
    double full = loads("full");
    char sql[1024], id[64] = "";
    snprintf(sql, sizeof(sql),
             "BEGIN;"
             " INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
             "  VALUES ('%s', 'site', '鲁OV1003', 'heavy_truck', 20000);"
             " UPDATE escorts SET status = 'scheduled' WHERE id = (SELECT id FROM escorts"
             "  WHERE project_id = '%s' AND status = 'cancelled' ORDER BY created_at DESC"
             "  LIMIT 1);"
             " COMMIT", site.org, project);
    REQUIRE(hp_t_sql_ok(sql));
    PGresult *q = PQexecParams(hp_t_db(),
                               "SELECT id::text FROM escorts WHERE project_id = $1"
                               " AND status = 'scheduled'",
                               1, NULL, (const char *[]){project}, NULL, NULL, 0);
    if (PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1)
        snprintf(id, sizeof(id), "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    REQUIRE(id[0]);
    HP_T_EVENTUALLY(vehicle_known("鲁OV1003") && named("09:35", id));

    /* Two transactions, one right after the other, in both orders. */
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'cancelled' WHERE id = '%s'", id);
    REQUIRE(hp_t_sql_ok(sql));
    REQUIRE(hp_t_sql_ok("DELETE FROM vehicles WHERE plate = '鲁OV1003'"));
    HP_T_EVENTUALLY(!vehicle_known("鲁OV1003") && named("09:35", NULL));
    snprintf(sql, sizeof(sql),
             "INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
             " VALUES ('%s', 'site', '鲁OV1004', 'heavy_truck', 20000)", site.org);
    REQUIRE(hp_t_sql_ok(sql));
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'scheduled' WHERE id = '%s'", id);
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(vehicle_known("鲁OV1004") && named("09:35", id));
    CHECK(loads("full") == full);
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'cancelled' WHERE id = '%s'", id);
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(named("09:35", NULL));
}

/* In a transaction that changed a booking and, before or after it,
 * something else that needs a full load (an organisation here): what its
 * change log row says, 1 for "everything", 0 for "the bookings only", -1
 * when it wrote none. Rolled back. */
static int logged_full(bool booking_first)
{
    char booking[256], org[256];
    snprintf(booking, sizeof(booking),
             "UPDATE escorts SET updated_at = clock_timestamp() WHERE project_id = '%s'",
             project);
    snprintf(org, sizeof(org), "UPDATE orgs SET name = name WHERE id = '%s'", site.org);
    CHECK(hp_t_sql_ok("BEGIN"));
    CHECK(hp_t_sql_ok(booking_first ? booking : org));
    CHECK(hp_t_sql_ok(booking_first ? org : booking));
    int full = hp_t_sql_int("SELECT (NOT escorts_only)::int FROM snapshot_change_log"
                            " WHERE xact = pg_current_xact_id() AND plate = ''");
    CHECK(hp_t_sql_ok("ROLLBACK"));
    return full;
}

/* A transaction logs '' once (sql/017_snapshot_change_log.sql): a booking
 * changed alongside what needs a full load must not turn that load into
 * one of the bookings alone on a standby, whichever came first. */
TEST(a_transaction_changing_a_booking_and_an_organisation_logs_a_full_load_either_way)
{
    once();
    char sql[256];
    /* The updates below must touch a booking, or they would prove nothing. */
    snprintf(sql, sizeof(sql), "SELECT count(*)::int FROM escorts WHERE project_id = '%s'",
             project);
    REQUIRE(hp_t_sql_int(sql) > 0);
    CHECK_INT(logged_full(true), 1);
    CHECK_INT(logged_full(false), 1);
    snprintf(sql, sizeof(sql),
             "UPDATE escorts SET updated_at = clock_timestamp() WHERE project_id = '%s'",
             project);
    REQUIRE(hp_t_sql_ok("BEGIN"));
    CHECK(hp_t_sql_ok(sql));
    CHECK_INT(hp_t_sql_int("SELECT (NOT escorts_only)::int FROM snapshot_change_log"
                           " WHERE xact = pg_current_xact_id() AND plate = ''"), 0);
    REQUIRE(hp_t_sql_ok("ROLLBACK"));
}
