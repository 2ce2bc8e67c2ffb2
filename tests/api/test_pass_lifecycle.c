/* The life of a pass (docs/contract.md §13): amendments as revisions (the
 * holder's through the queue, an officer's directly), what each revision
 * lifts and when, extensions and their limits, concurrent amendments, and
 * the reasons of withdrawals, escort cancellations and zone retirements.
 * Instants are taken from the database, never waited for. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who admin, officer, haulier, haulier2;
static char zone[64], from[16], to[16];

/* Port: heavy trucks always; an urban delivery pass lifts it. */
#define PORT_ZONE                                                                          \
    "{\"name\":\"Lifecycle Port\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["  \
    "[[118.40,35.00],[118.42,35.00],[118.42,35.02],[118.40,35.02],[118.40,35.00]]]},"    \
    "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],"                                   \
    "\"liftable_by\":[\"urban_delivery\"]}]}"

/* The first column of the first row of sql as text (static), "" if none. */
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
    admin = hp_t_who_add("Life Police", "police", "admin", "life admin");
    officer = hp_t_who_add("Life Police", "police", "officer", "life officer");
    haulier = hp_t_who_add("Life Haulage", "haulier", "haulier", "life dispatcher");
    haulier2 = hp_t_who_add("Other Life Haulage", "haulier", "haulier", "other life dispatcher");
    for (int i = 1; i <= 9; i++) {
        char plate[16];
        snprintf(plate, sizeof(plate), "鲁QL800%d", i);
        hp_t_vehicle_add(haulier.token, plate);
    }
    hp_t_vehicle_add(haulier2.token, "鲁QX9001");
    hp_t_create("/v1/zones", officer.token, PORT_ZONE, zone);
    /* Dates around today wherever the service's day begins. */
    snprintf(from, sizeof(from), "%s", sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " - 2, 'YYYY-MM-DD')"));
    snprintf(to, sizeof(to), "%s", sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " + 40, 'YYYY-MM-DD')"));
}

/* Claims the first application in the queue as officer and decides it. */
static void claim_and_decide(const char *app, const char *decision)
{
    struct hp_t_resp *r = hp_t_post("/v1/queue/claim", officer.token, NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "id"), app);
    hp_t_free(r);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    r = hp_t_post(path, officer.token, decision);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

static const char *approve = "{\"decision\":\"approve\",\"reason\":\"checked\"}";

/* Issues an urban delivery (or type) pass for plate over the zone, from
 * `from` to `to`; its code into code. */
static void issue(const char *plate, const char *type, const char *valid_to, char code[32])
{
    char b[1024], app[64];
    snprintf(b, sizeof(b),
             "{\"type\":\"%s\",\"plates\":[\"%s\"],\"valid_from\":\"%s\",\"valid_to\":\"%s\","
             "\"zone_ids\":[\"%s\"],\"documents\":[]}",
             type, plate, from, valid_to, zone);
    hp_t_create("/v1/applications", haulier.token, b, app);
    claim_and_decide(app, approve);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT code FROM passes WHERE application_id = '%s'", app);
    snprintf(code, 32, "%s", sql_text(sql));
    CHECK(code[0] != '\0');
}

static struct hp_t_resp *amend(const char *token, const char *code, const char *body)
{
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/amendments", code);
    return hp_t_post(path, token, body);
}

static struct hp_t_resp *get_pass(const char *code)
{
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s", code);
    return hp_t_get(path, haulier.token);
}

/* The status of a sighting of plate in the zone at instant at. */
static const char *sighting(const char *plate, const char *at)
{
    static char status[32];
    char b[512];
    snprintf(b, sizeof(b), "{\"sightings\":[{\"plate\":\"%s\",\"lon\":118.41,\"lat\":35.01,"
                           "\"at\":\"%s\"}]}", plate, at);
    struct hp_t_resp *r = hp_t_post("/v1/checks/sightings", officer.token, b);
    CHECK_INT(r->status, 200);
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "results"), 0);
    const cJSON *s = cJSON_GetObjectItem(res, "status");
    snprintf(status, sizeof(status), "%s", cJSON_IsString(s) ? s->valuestring : "?");
    hp_t_free(r);
    return status;
}

static struct hp_t_resp *verify(const char *signed_code)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "code", signed_code);
    char *json = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    struct hp_t_resp *r = hp_t_post("/v1/verify", NULL, json);
    free(json);
    return r;
}

#define RFC3339 "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

TEST(a_plate_swap_makes_revision_two_and_the_old_one_lifts_only_until_it_starts)
{
    once();
    char code[32];
    issue("鲁QL8001", "urban_delivery", to, code);
    struct hp_t_resp *r = get_pass(code);
    CHECK_INT(r->status, 200);
    char first_code[512];
    snprintf(first_code, sizeof(first_code), "%s",
             hp_t_str(r, "signed_code") ? hp_t_str(r, "signed_code") : "");
    hp_t_free(r);
    /* A whole second before the amendment (checks judge whole seconds). */
    char before[40];
    snprintf(before, sizeof(before), "%s",
             sql_text("SELECT to_char(date_trunc('second', clock_timestamp()) AT TIME ZONE 'UTC'"
                      " - interval '1 second', " RFC3339 ")"));
    CHECK_STR(sighting("鲁QL8001", before), "ok");

    r = amend(haulier.token, code,
              "{\"plate\":\"鲁QL8002\",\"reason\":\"鲁QL8001 broke down\",\"revision\":1}");
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "kind"), "amendment");
    CHECK_STR(hp_t_str(r, "pass_code"), code);
    CHECK_STR(hp_t_str(r, "type"), "urban_delivery");
    CHECK_STR(hp_t_str(r, "status"), "queued");
    CHECK(hp_t_str(r, "due_at") != NULL);
    char app[64];
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    /* The pass is unchanged until the amendment is approved. */
    r = get_pass(code);
    CHECK_INT(cJSON_GetObjectItem(r->json, "revision")->valueint, 1);
    hp_t_free(r);
    claim_and_decide(app, approve);

    r = get_pass(code);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetObjectItem(r->json, "revision")->valueint, 2);
    CHECK_STR(hp_t_str(r, "plate"), "鲁QL8002");
    CHECK_STR(hp_t_str(r, "status"), "active");
    CHECK_STR(hp_t_str(r, "revise_reason"), "鲁QL8001 broke down");
    CHECK(hp_t_str(r, "signed_code") && strcmp(hp_t_str(r, "signed_code"), first_code) != 0);
    char second_code[512];
    snprintf(second_code, sizeof(second_code), "%s",
             hp_t_str(r, "signed_code") ? hp_t_str(r, "signed_code") : "");
    hp_t_free(r);

    char sql[256], after[40];
    snprintf(sql, sizeof(sql),
             "SELECT to_char(date_trunc('second', revised_at) AT TIME ZONE 'UTC'"
             " + interval '1 second', " RFC3339 ") FROM passes WHERE code = '%s'", code);
    snprintf(after, sizeof(after), "%s", sql_text(sql));
    /* The old plate is covered before the new revision started, not after;
     * the new plate after, not before. */
    CHECK_STR(sighting("鲁QL8001", before), "ok");
    CHECK_STR(sighting("鲁QL8001", after), "violation");
    CHECK_STR(sighting("鲁QL8002", after), "ok");
    CHECK_STR(sighting("鲁QL8002", before), "violation");

    r = verify(first_code);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "pass.status"), "superseded");
    CHECK_STR(hp_t_str(r, "pass.plate"), "鲁QL8001"); /* as printed, not the new plate */
    hp_t_free(r);
    r = verify(second_code);
    CHECK_STR(hp_t_str(r, "pass.status"), "active");
    hp_t_free(r);
    /* A handheld learns it offline too: the revocation list names revision
     * 1 as superseded (and not revision 2). */
    r = hp_t_get("/v1/passes/revocations", NULL);
    CHECK_INT(r->status, 200);
    int superseded = 0, current = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "code")), code) != 0)
            continue;
        int rev = cJSON_GetObjectItem(it, "revision")->valueint;
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(it, "status"));
        superseded += rev == 1 && strcmp(st, "superseded") == 0;
        current += rev == 2;
    }
    CHECK_INT(superseded, 1);
    CHECK_INT(current, 0);
    hp_t_free(r);

    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/revisions", code);
    r = hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK_INT(cJSON_GetArraySize(items), 2);
    const cJSON *r1 = cJSON_GetArrayItem(items, 0), *r2 = cJSON_GetArrayItem(items, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r1, "status")), "superseded");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r1, "plate")), "鲁QL8001");
    CHECK(cJSON_IsString(cJSON_GetObjectItem(r1, "superseded_at")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "plate")), "鲁QL8002");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "reason")), "鲁QL8001 broke down");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "application_id")), app);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "changed_by")), officer.id);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(r2, "changes"), 0)),
              "plate");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r2, "superseded_at")));
    hp_t_free(r);
    /* Revision 1 is superseded: amending it is refused. */
    r = amend(haulier.token, code, "{\"hours\":\"Mo-Fr 08:00-18:00\",\"reason\":\"x\",\"revision\":1}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "superseded") != NULL);
    hp_t_free(r);
}

TEST(an_officer_amends_directly_with_a_reason_and_the_holder_sees_who_and_why)
{
    once();
    char code[32];
    issue("鲁QL8003", "urban_delivery", to, code);
    struct hp_t_resp *r = get_pass(code);
    char first_code[512];
    snprintf(first_code, sizeof(first_code), "%s",
             hp_t_str(r, "signed_code") ? hp_t_str(r, "signed_code") : "");
    hp_t_free(r);
    r = amend(officer.token, code, "{\"hours\":\"Mo-Fr 06:00-20:00\"}");
    CHECK_INT(r->status, 422); /* the reason is required */
    CHECK(strstr(r->body, "/reason") != NULL);
    hp_t_free(r);
    r = amend(officer.token, code,
              "{\"hours\":\"Mo-Fr 06:00-20:00\",\"reason\":\"the route is closed for works\"}");
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetObjectItem(r->json, "revision")->valueint, 2);
    CHECK_STR(hp_t_str(r, "hours"), "Mo-Fr 06:00-20:00");
    CHECK(hp_t_str(r, "signed_code") != NULL);
    char second_code[512];
    snprintf(second_code, sizeof(second_code), "%s",
             hp_t_str(r, "signed_code") ? hp_t_str(r, "signed_code") : "");
    hp_t_free(r);
    /* The old printout says what it said: no hours (all day), not the new
     * revision's; the new one says its hours. */
    r = verify(first_code);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "pass.status"), "superseded");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "pass"), "hours")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "pass"),
                                                     "zone_names")), 1);
    hp_t_free(r);
    r = verify(second_code);
    CHECK_STR(hp_t_str(r, "pass.status"), "active");
    CHECK_STR(hp_t_str(r, "pass.hours"), "Mo-Fr 06:00-20:00");
    hp_t_free(r);
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/revisions", code);
    r = hp_t_get(path, haulier.token);
    const cJSON *r2 = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "changed_by")), officer.id);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r2, "application_id")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "reason")),
              "the route is closed for works");
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE entity = 'pass' AND entity_id = '%s'"
             " AND action = 'amend' AND after->>'reason' = 'the route is closed for works'",
             code);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

/* Sets what `set` says on pass code by SQL; how many rows it changed. */
static int update_pass(const char *code, const char *set)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "WITH u AS (UPDATE passes SET %s WHERE code = '%s' RETURNING 1)"
             " SELECT count(*)::int FROM u", set, code);
    return hp_t_sql_int(sql);
}

/* Signing writes a pass's signed_code and kid, which checks do not read:
 * such an update logs no change for the check snapshot (sql/019), while
 * any other change of the pass still does. */
TEST(an_update_of_the_signature_alone_moves_no_check_snapshot_and_a_real_change_does)
{
    once();
    hp_t_vehicle_add(haulier.token, "鲁QL8019");
    char code[32];
    issue("鲁QL8019", "urban_delivery", to, code);
    const char *logged =
        "SELECT count(*)::int FROM snapshot_change_log WHERE plate = '鲁QL8019'";
    int before = hp_t_sql_int(logged);
    CHECK(before >= 1); /* the issue itself */
    CHECK_INT(update_pass(code, "signed_code = signed_code || 'x'"), 1);
    CHECK_INT(update_pass(code, "signed_code = left(signed_code, -1)"), 1);
    CHECK_INT(hp_t_sql_int(logged), before);
    CHECK_INT(update_pass(code, "hours = 'Mo-Fr 07:00-19:00'"), 1);
    CHECK_INT(hp_t_sql_int(logged), before + 1);
    /* A corridor moved, by 1e-13 degrees too, is a change. */
    CHECK_INT(update_pass(code, "corridor_route ="
                                " 'SRID=4326;LINESTRING(118.3 35.05, 118.31 35.05)'::geometry"),
              1);
    CHECK_INT(hp_t_sql_int(logged), before + 2);
    CHECK_INT(update_pass(code, "corridor_route = 'SRID=4326;LINESTRING(118.3 35.05,"
                                " 118.3100000000001 35.05)'::geometry"),
              1);
    CHECK_INT(hp_t_sql_int(logged), before + 3);
}

TEST(amendments_are_refused_for_other_holders_foreign_plates_no_change_and_dead_passes)
{
    once();
    char code[32];
    issue("鲁QL8004", "urban_delivery", to, code);
    struct hp_t_resp *r = amend(haulier2.token, code, "{\"plate\":\"鲁QX9001\",\"reason\":\"mine\"}");
    CHECK_INT(r->status, 404); /* not visible to another haulier */
    hp_t_free(r);
    r = amend(haulier.token, code, "{\"plate\":\"鲁QX9001\",\"reason\":\"borrowed truck\"}");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/plate\"") != NULL);
    hp_t_free(r);
    r = amend(officer.token, code, "{\"plate\":\"鲁QX9001\",\"reason\":\"borrowed truck\"}");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "\"/plate\"") != NULL);
    hp_t_free(r);
    r = amend(haulier.token, code, "{\"plate\":\"鲁QL8004\",\"reason\":\"same\"}");
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "changes nothing") != NULL);
    hp_t_free(r);
    r = amend(haulier.token, code, "{\"plate\":\"鲁QL8005\",\"reason\":\"x\",\"colour\":\"red\"}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    r = hp_t_post(path, officer.token, "{\"reason\":\"forged documents\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = amend(haulier.token, code, "{\"plate\":\"鲁QL8005\",\"reason\":\"too late\"}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "pass-not-amendable") != NULL);
    hp_t_free(r);
    r = amend(haulier.token, "HP-2026-00000000X", "{\"plate\":\"鲁QL8005\",\"reason\":\"x\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_pass_is_extended_at_most_twice_and_never_beyond_its_types_longest_validity)
{
    once();
    char code[32];
    issue("鲁QL8006", "urban_delivery", to, code);
    char b[256];
    for (int i = 0; i < 3; i++) {
        snprintf(b, sizeof(b),
                 "{\"valid_to\":\"%s\",\"reason\":\"the project slipped\"}",
                 sql_text(i == 0   ? "SELECT to_char(" HP_T_LOCAL_TODAY " + 41, 'YYYY-MM-DD')"
                          : i == 1 ? "SELECT to_char(" HP_T_LOCAL_TODAY " + 42, 'YYYY-MM-DD')"
                                   : "SELECT to_char(" HP_T_LOCAL_TODAY " + 43, 'YYYY-MM-DD')"));
        struct hp_t_resp *r = amend(officer.token, code, b);
        CHECK_INT(r->status, i < 2 ? 200 : 409);
        if (i < 2)
            CHECK_INT(cJSON_GetObjectItem(r->json, "extensions")->valueint, i + 1);
        else
            CHECK(strstr(r->body, "extension-limit") != NULL);
        hp_t_free(r);
    }
    /* Moving valid_to earlier is no extension. */
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"reason\":\"done early\"}",
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " + 30, 'YYYY-MM-DD')"));
    struct hp_t_resp *r = amend(officer.token, code, b);
    CHECK_INT(r->status, 200);
    hp_t_free(r);

    issue("鲁QL8007", "urban_delivery", to, code);
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"reason\":\"much longer\"}",
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " + 120, 'YYYY-MM-DD')"));
    r = amend(haulier.token, code, b);
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "at most 90 days") != NULL);
    hp_t_free(r);

    char tmp_to[16];
    snprintf(tmp_to, sizeof(tmp_to), "%s", sql_text("SELECT to_char(" HP_T_LOCAL_TODAY ", 'YYYY-MM-DD')"));
    /* A temporary pass of 3 days from `from` (two days ago) to today. */
    issue("鲁QL8008", "temporary", tmp_to, code);
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"valid_from\":\"%s\",\"reason\":\"one more day\"}",
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " + 1, 'YYYY-MM-DD')"),
             sql_text("SELECT to_char(" HP_T_LOCAL_TODAY " - 1, 'YYYY-MM-DD')"));
    r = amend(haulier.token, code, b);
    CHECK_INT(r->status, 422);
    CHECK(strstr(r->body, "cannot be extended") != NULL);
    hp_t_free(r);
}

/* A decision and a filing, each on a thread of its own. */
struct extension_racer {
    const char *code, *app, *valid_to;
    long status;
    char id[64];
    atomic_bool done; /* read by the main thread while this one runs */
};

static void *decide_race(void *arg)
{
    struct extension_racer *x = arg;
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", x->app);
    struct hp_t_resp *r = hp_t_post(path, officer.token, approve);
    x->status = r->status;
    hp_t_free(r);
    x->done = true;
    return NULL;
}

static void *file_extension_race(void *arg)
{
    struct extension_racer *x = arg;
    char b[256];
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"reason\":\"slipped again\"}", x->valid_to);
    struct hp_t_resp *r = amend(haulier.token, x->code, b);
    x->status = r->status;
    snprintf(x->id, sizeof(x->id), "%s", r->status == 201 ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    x->done = true;
    return NULL;
}

static int lock_waiters(void)
{
    return hp_t_sql_int("SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'");
}

/* The holder files a second extension while the first is being approved:
 * the filing reads the pass at one extension, the approval commits the
 * second, and the filing goes in. Its approval must be a clear 409, not
 * the schema's CHECK (at most two) answered 500. The test holds the
 * signing key's row so that the first approval waits (at signing, after
 * it approved, before it commits) inside that window. */
TEST(an_extension_filed_while_another_is_approved_is_refused_at_its_approval_not_a_500)
{
    once();
    char code[32], days[3][16];
    for (int i = 0; i < 3; i++) {
        char sql[96];
        snprintf(sql, sizeof(sql), "SELECT to_char(" HP_T_LOCAL_TODAY " + %d, 'YYYY-MM-DD')",
                 41 + i);
        snprintf(days[i], sizeof(days[i]), "%s", sql_text(sql));
    }
    issue("鲁QL8004", "urban_delivery", to, code);
    char b[256];
    snprintf(b, sizeof(b), "{\"valid_to\":\"%s\",\"reason\":\"police: works\"}", days[0]);
    struct hp_t_resp *r = amend(officer.token, code, b);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    struct extension_racer first = {.code = code, .valid_to = days[1]};
    file_extension_race(&first);
    REQUIRE(first.status == 201);
    first.app = first.id;
    r = hp_t_post("/v1/queue/claim", officer.token, NULL);
    CHECK_STR(hp_t_str(r, "id"), first.id);
    hp_t_free(r);

    PGconn *holder = PQconnectdb(hp_t.conninfo);
    REQUIRE(PQstatus(holder) == CONNECTION_OK);
    PQclear(PQexec(holder, "BEGIN"));
    PGresult *q = PQexec(holder, "SELECT kid FROM signing_keys FOR UPDATE");
    CHECK(PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) > 0);
    PQclear(q);
    struct extension_racer second = {.code = code, .valid_to = days[2]};
    pthread_t th[2];
    pthread_create(&th[0], NULL, decide_race, &first);
    HP_T_EVENTUALLY(lock_waiters() >= 1);
    pthread_create(&th[1], NULL, file_extension_race, &second);
    /* The filing either waits for the first approval or is refused. */
    HP_T_EVENTUALLY(second.done || lock_waiters() >= 2);
    PQclear(PQexec(holder, "COMMIT"));
    PQfinish(holder);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    CHECK_INT(first.status, 200);
    CHECK(second.status == 201 || second.status == 409);
    if (second.status == 201) {
        r = hp_t_post("/v1/queue/claim", officer.token, NULL);
        CHECK_STR(hp_t_str(r, "id"), second.id);
        hp_t_free(r);
        char path[160];
        snprintf(path, sizeof(path), "/v1/applications/%s/decision", second.id);
        r = hp_t_post(path, officer.token, approve);
        CHECK_INT(r->status, 409);
        CHECK(strstr(r->body, "extension-limit") != NULL);
        hp_t_free(r);
        /* Rejected, it leaves the queue as the tests after this expect. */
        r = hp_t_post(path, officer.token,
                      "{\"decision\":\"reject\",\"reason\":\"extended twice already\"}");
        CHECK_INT(r->status, 200);
        hp_t_free(r);
    }
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT extensions FROM passes WHERE code = '%s'", code);
    CHECK_INT(hp_t_sql_int(sql), 2);
}

struct officer_racer {
    const char *code, *body;
    long status;
};

static void *officer_race(void *arg)
{
    struct officer_racer *x = arg;
    struct hp_t_resp *r = amend(officer.token, x->code, x->body);
    x->status = r->status;
    hp_t_free(r);
    return NULL;
}

/* Before the tests that leave an amendment open: issue() claims the
 * oldest application in the queue. */
TEST(two_officers_amending_one_pass_at_once_never_lose_a_change)
{
    once();
    char code[32];
    issue("鲁QL8006", "urban_delivery", to, code);
    /* Each changes another field of revision 1 (which has no hours: NULL
     * until the first change). Either the second is told
     * the pass moved on (409 superseded), or it ran on revision 2 and the
     * pass carries both changes: never the second undoing the first. */
    struct officer_racer racers[2] = {
        {code, "{\"hours\":\"Mo-Fr 06:00-20:00\",\"reason\":\"works on the ring road\"}", 0},
        {code, "{\"plate\":\"鲁QL8008\",\"reason\":\"the truck broke down\"}", 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, officer_race, &racers[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    CHECK(racers[0].status == 200 || racers[1].status == 200);
    CHECK(racers[0].status != 500 && racers[1].status != 500);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(hours = 'Mo-Fr 06:00-20:00', false)::int"
             "       + (plate = '鲁QL8008')::int"
             "  FROM passes WHERE code = '%s'",
             code);
    int changes = hp_t_sql_int(sql);
    if (racers[0].status == 200 && racers[1].status == 200)
        CHECK_INT(changes, 2);
    else
        CHECK((racers[0].status == 409 || racers[1].status == 409) && changes == 1);
}

/* A holder's amendment and an officer's direct one, each in a thread. */
struct amend_racer {
    const char *token, *code, *body;
    long status;
    char type[64];    /* the problem type of a refusal */
    atomic_bool done; /* read by the main thread while this one runs */
};

static void *amend_race(void *arg)
{
    struct amend_racer *x = arg;
    struct hp_t_resp *r = amend(x->token, x->code, x->body);
    x->status = r->status;
    snprintf(x->type, sizeof(x->type), "%s", hp_t_str(r, "type") ? hp_t_str(r, "type") : "");
    hp_t_free(r);
    x->done = true;
    return NULL;
}

/* A connection of the test's own holding a lock of sql in an open
 * transaction. */
static PGconn *hold(const char *sql)
{
    PGconn *c = PQconnectdb(hp_t.conninfo);
    CHECK(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "BEGIN"));
    PGresult *q = PQexec(c, sql);
    CHECK(PQresultStatus(q) == PGRES_COMMAND_OK || PQresultStatus(q) == PGRES_TUPLES_OK);
    PQclear(q);
    return c;
}

/* What the holder and the officer ask of the same pass in the races below. */
static const char *holder_swap = "{\"plate\":\"鲁QL8007\",\"reason\":\"the truck broke down\"}";
static const char *police_hours = "{\"hours\":\"Mo-Fr 06:00-20:00\",\"reason\":\"works nearby\"}";

/* Issues a new pass (its code into code) and races first against second
 * amending it: holds lock_sql, starts first, waits until it waits on that
 * lock, starts second and waits until second answered or waits too; then
 * lets the lock go, and both finish. Afterwards no amendment of the pass
 * is left open: issue() claims the oldest application in the queue. */
static void race_amendments(const char *lock_sql, struct amend_racer *first,
                            struct amend_racer *second, char code[32])
{
    issue("鲁QL8005", "urban_delivery", to, code);
    first->code = second->code = code;
    PGconn *lock = hold(lock_sql);
    pthread_t th[2];
    pthread_create(&th[0], NULL, amend_race, first);
    HP_T_EVENTUALLY(lock_waiters() >= 1);
    pthread_create(&th[1], NULL, amend_race, second);
    HP_T_EVENTUALLY(second->done || lock_waiters() >= 2);
    PQclear(PQexec(lock, "COMMIT"));
    PQfinish(lock);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    char sql[256], path[160];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM applications WHERE pass_code = '%s'"
             " AND status IN ('awaiting_endorsement', 'queued', 'in_review')", code);
    const char *id = sql_text(sql);
    if (!id[0])
        return;
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", id);
    hp_t_free(hp_t_post(path, haulier.token, "{\"reason\":\"the race is over\"}"));
}

/* The holder's amendment carries every field of the pass as it read it. An
 * officer's direct amendment that went in while the filing was on its way
 * would be undone when the amendment is approved. Here the filing holds
 * the pass and waits (the test holds the applications table) while the
 * officer amends: the officer must wait for it and be told an amendment
 * is open. */
TEST(an_officer_amending_while_the_holder_files_waits_and_is_told_the_amendment_is_open)
{
    once();
    char code[32], sql[256];
    struct amend_racer holder = {haulier.token, NULL, holder_swap};
    struct amend_racer police = {officer.token, NULL, police_hours};
    race_amendments("LOCK TABLE applications IN SHARE MODE", &holder, &police, code);
    CHECK_INT(holder.status, 201);
    CHECK_INT(police.status, 409);
    CHECK_STR(police.type, "urn:haulpass:problem:amendment-open");
    snprintf(sql, sizeof(sql), "SELECT revision FROM passes WHERE code = '%s'", code);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

/* The other order: the officer's revision is on its way (the test holds
 * the revisions table) when the holder reads the pass and files. The
 * filing must wait for it and be told the pass moved on, not go in with
 * the fields of the revision before. */
TEST(a_holder_filing_while_an_officer_amends_waits_and_is_told_the_pass_moved_on)
{
    once();
    char code[32], sql[256];
    struct amend_racer police = {officer.token, NULL, police_hours};
    struct amend_racer holder = {haulier.token, NULL, holder_swap};
    race_amendments("LOCK TABLE pass_revisions IN SHARE MODE", &police, &holder, code);
    CHECK_INT(police.status, 200);
    CHECK_INT(holder.status, 409);
    CHECK_STR(holder.type, "urn:haulpass:problem:superseded");
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM applications WHERE pass_code = '%s' AND kind = 'amendment'",
             code);
    CHECK_INT(hp_t_sql_int(sql), 0);
}

struct racer {
    const char *code;
    const char *plate;
    long status;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    char b[256];
    snprintf(b, sizeof(b), "{\"plate\":\"%s\",\"reason\":\"racing\"}", x->plate);
    struct hp_t_resp *r = amend(haulier.token, x->code, b);
    x->status = r->status;
    hp_t_free(r);
    return NULL;
}

TEST(of_two_concurrent_amendments_of_one_pass_one_is_filed_and_the_other_is_409)
{
    once();
    char code[32];
    issue("鲁QL8009", "urban_delivery", to, code);
    struct racer racers[2] = {{code, "鲁QL8001", 0}, {code, "鲁QL8002", 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, race, &racers[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    CHECK((racers[0].status == 201 && racers[1].status == 409) ||
          (racers[0].status == 409 && racers[1].status == 201));
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM applications WHERE pass_code = '%s' AND kind = 'amendment'",
             code);
    CHECK_INT(hp_t_sql_int(sql), 1);
    /* Withdrawn, with a reason, the way is open for the next one. */
    snprintf(sql, sizeof(sql), "SELECT id FROM applications WHERE pass_code = '%s'", code);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", sql_text(sql));
    struct hp_t_resp *r = hp_t_post(path, haulier.token, "{\"reason\":\"the truck was mended\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = amend(haulier.token, code, "{\"plate\":\"鲁QL8003\",\"reason\":\"another try\"}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    /* The officer may not amend past the open amendment. */
    r = amend(officer.token, code, "{\"hours\":\"Mo-Fr 06:00-20:00\",\"reason\":\"police\"}");
    CHECK_INT(r->status, 409);
    CHECK(strstr(r->body, "amendment-open") != NULL);
    hp_t_free(r);
}

TEST(withdrawing_cancelling_and_retiring_keep_an_optional_reason)
{
    once();
    char app[64], b[512];
    snprintf(b, sizeof(b),
             "{\"type\":\"urban_delivery\",\"plates\":[\"鲁QL8005\"],\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\",\"zone_ids\":[\"%s\"],\"documents\":[]}", from, to, zone);
    hp_t_create("/v1/applications", haulier.token, b, app);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", app);
    struct hp_t_resp *r = hp_t_post(path, haulier.token, "{\"reason\":42}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = hp_t_post(path, haulier.token, "{\"reason\":\"filed for the wrong week\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/applications/%s", app);
    r = hp_t_get(path, haulier.token);
    const cJSON *h = cJSON_GetObjectItem(r->json, "history");
    const cJSON *last = cJSON_GetArrayItem(h, cJSON_GetArraySize(h) - 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(last, "to")), "withdrawn");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(last, "reason")),
              "filed for the wrong week");
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE entity_id = '%s'"
                               " AND after->>'reason' = 'filed for the wrong week'", app);
    CHECK_INT(hp_t_sql_int(sql), 1);

    /* Without a body, as before. */
    char zid[64];
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Short-lived\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.50,35.00],[118.51,35.00],[118.51,35.01],[118.50,35.01],[118.50,35.00]]]}}",
                zid);
    char zid2[64];
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Also short-lived\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.52,35.00],[118.53,35.00],[118.53,35.01],[118.52,35.01],[118.52,35.00]]]}}",
                zid2);
    snprintf(path, sizeof(path), "/v1/zones/%s", zid);
    r = hp_t_req("DELETE", path, officer.token, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/zones/%s", zid2);
    const char *body = "{\"reason\":\"the bridge reopened\"}";
    r = hp_t_req("DELETE", path, officer.token, NULL, body, strlen(body), NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "retire_reason"), "the bridge reopened");
    hp_t_free(r);
    snprintf(path, sizeof(path), "/v1/zones/%s/versions", zid2);
    r = hp_t_get(path, haulier.token);
    const cJSON *v2 = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(v2, "reason")), "the bridge reopened");
    hp_t_free(r);
    /* A body of another type is still 415. */
    snprintf(path, sizeof(path), "/v1/applications/%s/withdraw", app);
    r = hp_t_req("POST", path, haulier.token, "text/plain", "why", 3, NULL);
    CHECK_INT(r->status, 415);
    hp_t_free(r);
}

TEST(cancelling_an_escort_keeps_its_reason_on_the_booking_and_in_the_audit_trail)
{
    once();
    struct hp_t_who site = hp_t_who_add("Life Site", "site", "site", "life site office");
    hp_t_vehicle_add(site.token, "鲁QS7001");
    char project[64], unit[64], escort[64], b[1024];
    hp_t_project_add(officer.token, site.org, officer.id, project);
    hp_t_create("/v1/escort-units", officer.token,
                "{\"name\":\"Life unit\",\"base\":{\"type\":\"Point\",\"coordinates\":[118.35,35.0]},"
                "\"hours\":\"24/7\",\"capacity\":3}", unit);
    snprintf(b, sizeof(b),
             "{\"project_id\":\"%s\",\"plates\":[\"鲁QS7001\"],"
             "\"origin\":{\"type\":\"Point\",\"coordinates\":[118.35,35.0]},"
             "\"destination\":{\"type\":\"Point\",\"coordinates\":[118.35,35.1]},"
             "\"earliest_start\":\"%s\",\"latest_start\":\"%s\"}", project,
             sql_text("SELECT to_char(now() AT TIME ZONE 'UTC' + interval '1 day',"
                      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"),
             sql_text("SELECT to_char(now() AT TIME ZONE 'UTC' + interval '3 days',"
                      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
    hp_t_create("/v1/escorts", site.token, b, escort);
    char path[160];
    snprintf(path, sizeof(path), "/v1/escorts/%s/cancel", escort);
    struct hp_t_resp *r = hp_t_post(path, site.token, "{\"reason\":\"the crane is late\",\"x\":1}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = hp_t_post(path, site.token, "{\"reason\":\"the crane is late\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "cancelled");
    CHECK_STR(hp_t_str(r, "cancel_reason"), "the crane is late");
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE entity = 'escort'"
                               " AND entity_id = '%s' AND after->>'cancel_reason' = 'the crane is late'",
             escort);
    CHECK_INT(hp_t_sql_int(sql), 1);
}
