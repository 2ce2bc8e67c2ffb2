/* Checks on a hot standby (HAULPASS_DB_READ, docs/contract.md section 15).
 * tools/test starts a standby of the test cluster by streaming replication
 * (tools/pg standby-start; HAULPASS_TEST_STANDBY); a second server reads its
 * check snapshot there and writes to the primary. This test stops and
 * starts the standby and the primary itself (HAULPASS_PG_CTL), and leaves
 * both running. */
#include "harness.h"
#include "test.h"

#include "haulpass/snapshot_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static struct hp_t_server rep;
static bool started;
static struct hp_t_who cop, haulier;

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void)
{
    if (started)
        hp_t_server_stop(&rep);
    hp_t_teardown();
}

static char read_env[1200], db_env[1100];

/* The server on the standby, started once. */
static void start_rep(void)
{
    if (started)
        return;
    started = true;
    const char *standby = getenv("HAULPASS_TEST_STANDBY");
    REQUIRE(standby && *standby); /* tools/test sets it; without it this test fails */
    const char *dbname = strstr(hp_t.conninfo, "dbname=");
    REQUIRE(dbname != NULL);
    snprintf(read_env, sizeof(read_env), "HAULPASS_DB_READ=%s %s", standby, dbname);
    snprintf(db_env, sizeof(db_env), "HAULPASS_DB=%s", hp_t.conninfo);
    cop = hp_t_who_add("Replica Police", "police", "officer", "replica officer");
    haulier = hp_t_who_add("Replica Haulage", "haulier", "haulier", "replica dispatcher");
    static const char *env[] = {db_env, read_env, NULL};
    REQUIRE(hp_t_server_start(&rep, env) == 0);
}

/* tools/pg, which tools/test names; without it the commands fail, and so
 * does the test. */
static const char *pg_ctl(void)
{
    const char *c = getenv("HAULPASS_PG_CTL");
    return c && *c ? c : "false";
}

/* A sighting of plate on server s, outside every zone: its status ("ok"
 * for a known vehicle, "unknown_vehicle" otherwise), 0 when the check
 * itself failed. */
static long sighting_status(struct hp_t_server *s, const char *plate, bool *ok)
{
    char body[256];
    snprintf(body, sizeof(body),
             "{\"sightings\":[{\"plate\":\"%s\",\"lon\":118.91,\"lat\":35.51,"
             "\"at\":\"2026-12-01T12:00:00+08:00\"}]}",
             plate);
    struct hp_t_resp *r = hp_t_on(s, "POST", "/v1/checks/sightings", cop.token, body);
    long st = r->status;
    *ok = st == 200 && r->body && strstr(r->body, "\"status\":\"ok\"") != NULL;
    hp_t_free(r);
    return st;
}

static bool known(struct hp_t_server *s, const char *plate)
{
    bool ok;
    sighting_status(s, plate, &ok);
    return ok;
}

/* A vehicle written straight into the primary, as another instance would. */
static void insert_hp_t_sql_ok(const char *plate)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
             " VALUES ('%s', 'haulier', '%s', 'heavy_truck', 31000)",
             haulier.org, plate);
    PGresult *r = PQexec(hp_t_db(), sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        /* The primary was restarted under the kept connection. */
        PQclear(r);
        PQreset(hp_t_db());
        r = PQexec(hp_t_db(), sql);
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "    %s", PQresultErrorMessage(r));
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
    PQclear(r);
}

/* A metric's value in s's /metrics, or -1 when it shows none. */
static double metric(struct hp_t_server *s, const char *name)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/metrics", NULL, NULL);
    char key[128];
    snprintf(key, sizeof(key), "\n%s ", name);
    const char *at = r->body ? strstr(r->body, key) : NULL;
    double v = at ? atof(at + strlen(key)) : -1;
    hp_t_free(r);
    return v;
}

TEST(an_instance_on_the_standby_answers_checks_and_picks_up_a_change_made_in_the_primary)
{
    start_rep();
    bool ok;
    CHECK_INT(sighting_status(&rep, "REPNONE1", &ok), 200);
    CHECK(!ok); /* not a vehicle anyone registered */
    insert_hp_t_sql_ok("REPPRIM1");
    /* Polled every 200 ms on the standby, then a full load: within the
     * bound (a loaded machine's, HP_T_PROMPT_MS), normally well under 2 s. */
    long long t0 = hp_t_now_ms();
    HP_T_EVENTUALLY(known(&rep, "REPPRIM1"));
    long long took = hp_t_now_ms() - t0;
    fprintf(stderr, "    a change made in the primary reached the standby's instance in %lld ms\n",
            took);
    CHECK(took <= HP_T_PROMPT_MS);
}

TEST(its_own_write_is_seen_by_its_next_check_at_once)
{
    start_rep();
    /* The write goes to the primary; the loader waits until the standby has
     * replayed past it, and the writer's next check waits for that load. */
    for (int i = 0; i < 3; i++) {
        char plate[16];
        snprintf(plate, sizeof(plate), "REPOWN%d", i);
        CHECK_INT(hp_t_vehicle_add_on(&rep, haulier.token, plate), 201);
        CHECK(known(&rep, plate));
    }
}

TEST(metrics_show_the_replica_lag_on_the_standby_instance_only)
{
    start_rep();
    double lag = metric(&rep, "haulpass_replica_lag_seconds");
    fprintf(stderr, "    haulpass_replica_lag_seconds %.3f\n", lag);
    CHECK(lag >= 0);
    CHECK(metric(&hp_t, "haulpass_replica_lag_seconds") < 0);
    CHECK(metric(&rep, "haulpass_zone_snapshot_feed_up") == 1);
}

/* The answers of s to the same sightings and route, with its
 * zone_set_version in *version; the bodies in out (freed by the caller). */
static void answers(struct hp_t_server *s, long long *version, char **sightings, char **route)
{
    struct hp_t_resp *r = hp_t_on(
        s, "POST", "/v1/checks/sightings", cop.token,
        "{\"sightings\":[{\"plate\":\"REPSAME1\",\"lon\":118.41,\"lat\":35.01,"
        "\"at\":\"2026-12-01T12:00:00+08:00\"},{\"plate\":\"REPSAME1\",\"lon\":118.91,"
        "\"lat\":35.51,\"at\":\"2026-12-01T12:00:00+08:00\"},{\"plate\":\"REPNONE2\","
        "\"lon\":118.41,\"lat\":35.01,\"at\":\"2026-12-01T12:00:00+08:00\"},{\"plate\":"
        "\"REPDELTA1\",\"lon\":118.51,\"lat\":35.01,\"at\":\"2026-12-01T12:00:00+08:00\"}]}");
    const cJSON *v = r->json ? cJSON_GetObjectItem(r->json, "zone_set_version") : NULL;
    *version = cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
    *sightings = strdup(r->status == 200 && r->body ? r->body : "failed");
    hp_t_free(r);
    r = hp_t_on(s, "POST", "/v1/checks/route", haulier.token,
                "{\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":31000},"
                "\"route\":{\"type\":\"LineString\",\"coordinates\":[[118.39,35.01],"
                "[118.43,35.01]]},\"depart_at\":\"2026-12-01T06:50:00+08:00\"}");
    *route = strdup(r->status == 200 && r->body ? r->body : "failed");
    hp_t_free(r);
}

static bool same_version(void)
{
    long long a, b;
    char *s1, *r1, *s2, *r2;
    answers(&hp_t, &a, &s1, &r1);
    answers(&rep, &b, &s2, &r2);
    free(s1), free(r1), free(s2), free(r2);
    return a == b && a > 0;
}

/* Waits until both instances stand at one version, then compares their
 * answers; the sightings' must name zone (NULL: any). */
static void same_answers(const char *zone)
{
    HP_T_EVENTUALLY(same_version());
    long long a, b;
    char *s1, *r1, *s2, *r2;
    answers(&hp_t, &a, &s1, &r1);
    answers(&rep, &b, &s2, &r2);
    if (a == b) { /* a write elsewhere in between would move one of them */
        CHECK_STR(s2, s1);
        CHECK_STR(r2, r1);
        CHECK(!zone || strstr(s1, zone) != NULL);
    }
    free(s1), free(r1), free(s2), free(r2);
}

TEST(two_instances_one_on_the_primary_one_on_the_standby_give_the_same_answers_for_one_version)
{
    start_rep();
    char zone[64];
    hp_t_create("/v1/zones", cop.token,
                "{\"name\":\"Replica Port\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.40,35.00],[118.42,35.00],[118.42,35.02],[118.40,35.02],[118.40,35.00]]]},"
                "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],\"liftable_by\":[]}]}",
                zone);
    hp_t_vehicle_add(haulier.token, "REPSAME1");
    same_answers(zone);
}

/* The standby instance's loads of each kind so far
 * (haulpass_snapshot_loads_total); "full" leaves out the full loads made
 * only because the deltas had grown (a slow delta on a busy machine),
 * which no change asked for. */
static double loads(const char *kind)
{
    char name[96];
    snprintf(name, sizeof(name), "haulpass_snapshot_loads_total{kind=\"%s\"}", kind);
    double n = metric(&rep, name);
    if (strcmp(kind, "full") == 0)
        n -= metric(&rep, "haulpass_snapshot_rebase_loads_total");
    return n;
}

/* The status of a sighting of plate in the Replica Gate zone at noon. */
static bool gate_status_is(const char *plate, const char *want)
{
    char body[256];
    snprintf(body, sizeof(body),
             "{\"sightings\":[{\"plate\":\"%s\",\"lon\":118.51,\"lat\":35.01,"
             "\"at\":\"2026-12-01T12:00:00+08:00\"}]}",
             plate);
    struct hp_t_resp *r = hp_t_on(&rep, "POST", "/v1/checks/sightings", cop.token, body);
    char key[64];
    snprintf(key, sizeof(key), "\"status\":\"%s\"", want);
    bool yes = r->status == 200 && r->body && strstr(r->body, key) != NULL;
    hp_t_free(r);
    return yes;
}

TEST(vehicle_and_pass_changes_in_the_primary_reach_the_standby_instance_as_deltas_not_full_loads)
{
    start_rep();
    char zone[64], sql[1024];
    hp_t_create("/v1/zones", cop.token,
                "{\"name\":\"Replica Gate\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                "[[118.50,35.00],[118.52,35.00],[118.52,35.02],[118.50,35.02],[118.50,35.00]]]},"
                "\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],"
                "\"liftable_by\":[\"construction\"]}]}",
                zone);
    insert_hp_t_sql_ok("REPDELTA1");
    HP_T_EVENTUALLY(gate_status_is("REPDELTA1", "violation"));
    double full = loads("full"), delta = loads("delta");
    REQUIRE(full >= 1 && delta >= 0);

    /* A vehicle changed, a pass issued and revoked, a vehicle removed:
     * each is one plate, and each reaches the standby instance as a delta. */
    insert_hp_t_sql_ok("REPDELTA2");
    long long t0 = hp_t_now_ms();
    HP_T_EVENTUALLY(known(&rep, "REPDELTA2"));
    long long took = hp_t_now_ms() - t0;
    fprintf(stderr, "    a new vehicle reached the standby's instance in %lld ms\n", took);
    CHECK(took <= HP_T_PROMPT_MS);
    snprintf(sql, sizeof(sql),
             "INSERT INTO applications (org_id, applicant_id, type, plates, valid_from,"
             " valid_to, status, due_at) VALUES ('%s', '%s', 'construction', '{REPDELTA1}',"
             " '2026-12-01', '2026-12-03', 'queued', now())",
             haulier.org, haulier.id);
    REQUIRE(hp_t_sql_ok(sql));
    snprintf(sql, sizeof(sql),
             "INSERT INTO passes (code, application_id, plate, type, zone_ids, valid_from,"
             " valid_to, status) SELECT 'HP-2026-REPDE7TA0', id, 'REPDELTA1', 'construction',"
             " '{%s}', '2026-12-01', '2026-12-03', 'active' FROM applications"
             " WHERE plates = '{REPDELTA1}'",
             zone);
    t0 = hp_t_now_ms();
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(gate_status_is("REPDELTA1", "ok"));
    took = hp_t_now_ms() - t0;
    fprintf(stderr, "    a pass issued reached the standby's instance in %lld ms\n", took);
    CHECK(took <= HP_T_PROMPT_MS);
    REQUIRE(hp_t_sql_ok("UPDATE passes SET status = 'revoked', revoke_reason = 'test'"
                       " WHERE code = 'HP-2026-REPDE7TA0'"));
    HP_T_EVENTUALLY(gate_status_is("REPDELTA1", "violation"));
    REQUIRE(hp_t_sql_ok("DELETE FROM vehicles WHERE plate = 'REPDELTA2'"));
    HP_T_EVENTUALLY(!known(&rep, "REPDELTA2"));
    CHECK(loads("full") == full);
    CHECK(loads("delta") >= delta + 4);
    /* The primary's instance took the same changes from its notifications:
     * one version, one answer. */
    same_answers(NULL);
    fprintf(stderr, "    full loads %.0f -> %.0f, deltas %.0f -> %.0f\n", full, loads("full"),
            delta, loads("delta"));
}

/* --- escort bookings on the standby -------------------------------------
 * An oversize pass that requires an escort, issued through the primary's
 * instance as in test_oversize.c; its route checks on the standby instance
 * name the booking that covers the trip. */
static struct hp_t_who site;
static char project[64];

#define CORRIDOR "{\"type\":\"LineString\",\"coordinates\":[[118.0,35.0],[118.1,35.0]]}"

/* Tomorrow's local date (Asia/Shanghai, UTC+8 all year). */
static const char *tomorrow(void)
{
    static char buf[16];
    time_t t = time(NULL) + 8 * 3600 + 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
    return buf;
}

static void issue_oversize_pass(const char *plate)
{
    site = hp_t_who_add("Replica Bridge Site", "site", "site", "replica site office");
    hp_t_vehicle_add(site.token, plate);
    hp_t_project_add(cop.token, site.org, cop.id, project);
    char unit[64], b[1024], app[64], sql[256], path[160];
    hp_t_create("/v1/escort-units", cop.token,
                "{\"name\":\"replica unit\",\"base\":{\"type\":\"Point\",\"coordinates\":"
                "[118.0,35.0]},\"hours\":\"24/7\",\"capacity\":1}", unit);
    snprintf(b, sizeof(b),
             "{\"type\":\"oversize\",\"plates\":[\"%s\"],\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\",\"documents\":[],\"corridor\":{\"route\":" CORRIDOR
             ",\"width_m\":50},\"cargo\":{\"length_mm\":18000,\"width_mm\":3500,"
             "\"height_mm\":4000,\"mass_kg\":45000}}", plate, tomorrow(), tomorrow());
    hp_t_create("/v1/applications", site.token, b, app);
    snprintf(sql, sizeof(sql), "UPDATE applications SET claimed_by = '%s',"
             " claim_expires_at = now() + interval '5 minutes', status = 'in_review'"
             " WHERE id = '%s'", cop.id, app);
    REQUIRE(hp_t_sql_ok(sql));
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    struct hp_t_resp *r = hp_t_post(path, cop.token, "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

/* The route check of plate on the standby instance, along the corridor
 * tomorrow from 09:35 at 40 km/h: whether it needs an escort and names
 * booking (NULL: none). */
static bool rep_names(const char *plate, const char *booking)
{
    char b[512];
    snprintf(b, sizeof(b),
             "{\"plate\":\"%s\",\"route\":{\"type\":\"LineString\",\"coordinates\":"
             "[[118.02,35.0],[118.04,35.0]]},\"depart_at\":\"%sT09:35:00+08:00\","
             "\"speed_kmh\":40}", plate, tomorrow());
    struct hp_t_resp *r = hp_t_on(&rep, "POST", "/v1/checks/route", site.token, b);
    const cJSON *e = r->json ? cJSON_GetObjectItem(r->json, "escort") : NULL;
    const char *got = cJSON_GetStringValue(cJSON_GetObjectItem(e, "booking_id"));
    bool yes = r->status == 200 && cJSON_IsTrue(cJSON_GetObjectItem(e, "required")) &&
               (booking ? got && strcmp(got, booking) == 0 : got == NULL);
    hp_t_free(r);
    return yes;
}

/* Whether no change the standby instance knows of waits to be loaded. */
static bool rep_settled(void)
{
    return metric(&rep, "haulpass_zone_snapshot_behind_seconds") == 0;
}

TEST(escort_bookings_changed_reach_the_standby_instance_as_escort_loads_not_full_loads)
{
    start_rep();
    issue_oversize_pass("REPOV1");
    HP_T_EVENTUALLY(rep_names("REPOV1", NULL));
    HP_T_EVENTUALLY(rep_settled());
    double full = loads("full"), escorts = loads("escorts");
    REQUIRE(full >= 1 && escorts >= 0);

    /* Booked through the standby instance (the write goes to the primary):
     * its next check waits until the standby has replayed the booking. */
    char b[1024], id[64] = "", path[160];
    snprintf(b, sizeof(b),
             "{\"project_id\":\"%s\",\"plates\":[\"REPOV1\"],\"origin\":{\"type\":\"Point\","
             "\"coordinates\":[118.0,35.0]},\"destination\":{\"type\":\"Point\",\"coordinates\":"
             "[118.1,35.0]},\"route\":" CORRIDOR ",\"earliest_start\":\"%sT09:00:00+08:00\","
             "\"latest_start\":\"%sT09:00:00+08:00\"}", project, tomorrow(), tomorrow());
    struct hp_t_resp *r = hp_t_on(&rep, "POST", "/v1/escorts", site.token, b);
    CHECK_INT(r->status, 201);
    snprintf(id, sizeof(id), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    REQUIRE(id[0]);
    CHECK(rep_names("REPOV1", id));
    CHECK(loads("escorts") >= escorts + 1);
    escorts = loads("escorts");

    /* Confirmed through the primary's instance: the standby's learns it from
     * the change log. */
    snprintf(path, sizeof(path), "/v1/escorts/%s/confirm", id);
    r = hp_t_post(path, cop.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    HP_T_EVENTUALLY(loads("escorts") >= escorts + 1);
    CHECK(rep_names("REPOV1", id));
    escorts = loads("escorts");

    /* Cancelled in the primary, past any instance. */
    char sql[512];
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'cancelled' WHERE id = '%s'", id);
    long long t0 = hp_t_now_ms();
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(rep_names("REPOV1", NULL));
    fprintf(stderr, "    a cancelled booking reached the standby's instance in %lld ms\n",
            hp_t_now_ms() - t0);
    CHECK(loads("escorts") >= escorts + 1);
    CHECK(loads("full") == full);
    fprintf(stderr, "    full loads %.0f -> %.0f, escort loads -> %.0f\n", full, loads("full"),
            loads("escorts"));

    /* A booking and a plate changed in one transaction, then one right
     * after the other: both reach the instance, and neither as a full load. */
    snprintf(sql, sizeof(sql),
             "BEGIN; UPDATE escorts SET status = 'scheduled' WHERE id = '%s';"
             " INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
             " VALUES ('%s', 'site', 'REPOV2', 'heavy_truck', 20000); COMMIT", id, site.org);
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(known(&rep, "REPOV2") && rep_names("REPOV1", id));
    REQUIRE(hp_t_sql_ok("DELETE FROM vehicles WHERE plate = 'REPOV2'"));
    snprintf(sql, sizeof(sql), "UPDATE escorts SET status = 'cancelled' WHERE id = '%s'", id);
    REQUIRE(hp_t_sql_ok(sql));
    HP_T_EVENTUALLY(!known(&rep, "REPOV2") && rep_names("REPOV1", NULL));
    CHECK(loads("full") == full);
}

TEST(a_change_log_pruned_past_the_standby_instance_makes_it_load_in_full_and_catch_up)
{
    start_rep();
    REQUIRE(known(&rep, "REPOWN0"));
    CHECK_INT(hp_t_sh("%s standby-stop >/dev/null 2>&1", pg_ctl()), 0);
    HP_T_EVENTUALLY(metric(&rep, "haulpass_zone_snapshot_feed_up") == 0);
    double full = loads("full");
    /* Written and pruned while the instance could not read the log. */
    insert_hp_t_sql_ok("REPPRUNED1");
    CHECK(hp_t_sql_int("SELECT snapshot_change_log_prune('0')::int") > 0);
    CHECK(hp_t_sql_int("SELECT count(*)::int FROM snapshot_change_log"
                       " WHERE plate = 'REPPRUNED1'") == 0);
    CHECK_INT(hp_t_sh("%s standby-start >/dev/null 2>&1", pg_ctl()), 0);
    HP_T_EVENTUALLY(known(&rep, "REPPRUNED1"));
    CHECK(loads("full") >= full + 1);
    /* And deltas again from there. */
    double delta = loads("delta");
    full = loads("full");
    insert_hp_t_sql_ok("REPPRUNED2");
    HP_T_EVENTUALLY(known(&rep, "REPPRUNED2"));
    CHECK(loads("full") == full);
    CHECK(loads("delta") >= delta + 1);
}

/* A "primary" that takes connections and never answers: a hung or
 * black-holed host, which a refused connection is not. */
TEST(the_standby_instance_gives_up_on_a_primary_that_does_not_answer_within_a_second)
{
    char dir[] = "/tmp/hp-silent-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/.s.PGSQL.5999", dir);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    REQUIRE(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(fd, 8) == 0);
    char conninfo[128];
    snprintf(conninfo, sizeof(conninfo), "host=%s port=5999 user=nobody dbname=x", dir);
    long long t0 = hp_t_now_ms();
    struct pg_conn *c = hp_snapshot_store_open_within(conninfo, 300);
    long long took = hp_t_now_ms() - t0;
    fprintf(stderr, "    gave up on the silent primary after %lld ms\n", took);
    CHECK(c == NULL);
    /* libpq's connect_timeout (3 s, per address) is what it waited before. */
    CHECK(took < 1000);
    hp_snapshot_store_close(c);
    close(fd);
    unlink(a.sun_path);
    rmdir(dir);
}

TEST(it_survives_the_standby_restarting)
{
    start_rep();
    CHECK_INT(hp_t_sh("%s standby-stop >/dev/null 2>&1", pg_ctl()), 0);
    /* Checks go on from the snapshot while the standby is away. */
    bool ok;
    CHECK_INT(sighting_status(&rep, "REPOWN0", &ok), 200);
    CHECK(ok);
    HP_T_EVENTUALLY(metric(&rep, "haulpass_zone_snapshot_feed_up") == 0);
    CHECK_INT(sighting_status(&rep, "REPOWN0", &ok), 200);
    insert_hp_t_sql_ok("REPBACK1");
    CHECK_INT(hp_t_sh("%s standby-start >/dev/null 2>&1", pg_ctl()), 0);
    /* It reconnects by itself and loads what it missed. */
    HP_T_EVENTUALLY(known(&rep, "REPBACK1"));
    HP_T_EVENTUALLY(metric(&rep, "haulpass_zone_snapshot_feed_up") == 1);
}

static long status_of(struct hp_t_server *s, const char *path)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", path, NULL, NULL);
    long st = r->status;
    hp_t_free(r);
    return st;
}

TEST(with_the_primary_away_it_answers_checks_and_pass_code_reads_refuses_writes_and_says_so_in_readyz)
{
    start_rep();
    REQUIRE(known(&rep, "REPOWN1"));
    REQUIRE(hp_t_sh("%s stop >/dev/null 2>&1", pg_ctl()) == 0);
    bool ok;
    CHECK_INT(sighting_status(&rep, "REPOWN1", &ok), 200);
    CHECK(ok);
    struct hp_t_resp *r = hp_t_on(&rep, "POST", "/v1/vehicles", haulier.token,
                                  "{\"plate\":\"REPDOWN1\",\"class\":\"pickup\","
                                  "\"gross_weight_kg\":2000}");
    CHECK_INT(r->status, 503);
    hp_t_free(r);
    r = hp_t_on(&rep, "GET", "/readyz", NULL, NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "checks"), "ready");
    CHECK_STR(hp_t_str(r, "writes"), "unavailable");
    hp_t_free(r);
    /* The public reads of pass codes go to the standby there: a roadside
     * verification does not need the primary. */
    CHECK_INT(status_of(&rep, "/v1/keys"), 200);
    CHECK_INT(status_of(&hp_t, "/v1/keys"), 503);
    /* The instance on the primary has no snapshot source left: not ready. */
    CHECK_INT(status_of(&hp_t, "/readyz"), 503);
    /* Still checks a while later (the snapshot does not expire). */
    CHECK(metric(&rep, "haulpass_db_up") == 0);
    CHECK_INT(sighting_status(&rep, "REPOWN1", &ok), 200);
    CHECK(ok);

    /* The tests after this one need the primary. */
    REQUIRE(hp_t_sh("%s start >/dev/null 2>&1", pg_ctl()) == 0);
    HP_T_EVENTUALLY(status_of(&rep, "/readyz") == 200 && status_of(&hp_t, "/readyz") == 200);
    /* The standby streams again only when its WAL receiver has retried
     * (every 5 s by default): until then no own write can be replayed. */
    insert_hp_t_sql_ok("REPUP0");
    HP_T_EVENTUALLY(known(&rep, "REPUP0"));
    r = hp_t_on(&rep, "POST", "/v1/vehicles", haulier.token,
                "{\"plate\":\"REPUP1\",\"class\":\"pickup\",\"gross_weight_kg\":2000}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    CHECK(known(&rep, "REPUP1"));
}
