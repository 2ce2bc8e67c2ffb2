/* Idempotency-Key on the POST routes that create. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static char *user(const char *org, const char *kind, const char *role, const char *name)
{
    const char *t = hp_t_user_add(org, kind, role, name);
    return strdup(t ? t : "");
}

static struct hp_t_resp *post_keyed(const char *path, const char *token, const char *key,
                                    const char *content_type, const char *body)
{
    char h[512];
    snprintf(h, sizeof(h), "Idempotency-Key: %s", key);
    const char *headers[] = {h, NULL};
    return hp_t_req("POST", path, token, content_type, body, strlen(body), headers);
}

static const char *vehicle(const char *plate, int kg)
{
    static char b[256];
    snprintf(b, sizeof(b), "{\"plate\":\"%s\",\"class\":\"pickup\",\"gross_weight_kg\":%d}", plate,
             kg);
    return b;
}

static void exec_sql(const char *sql)
{
    PGresult *res = PQexec(hp_t_db(), sql);
    CHECK(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
}

TEST(the_same_key_and_body_replays_the_first_answer_without_creating_twice)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem");
    struct hp_t_resp *a = post_keyed("/v1/vehicles", t, "key-1", NULL, vehicle("ID001", 2000));
    CHECK_INT(a->status, 201);
    CHECK(hp_t_header(a, "Idempotent-Replayed") == NULL);
    char location[128], etag[32];
    snprintf(location, sizeof(location), "%s", hp_t_header(a, "Location"));
    snprintf(etag, sizeof(etag), "%s", hp_t_header(a, "ETag"));
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *b = post_keyed("/v1/vehicles", t, "key-1", NULL, vehicle("ID001", 2000));
        CHECK_INT(b->status, 201);
        CHECK_STR(b->body, a->body);
        CHECK_STR(hp_t_header(b, "Content-Type"), "application/json");
        CHECK_STR(hp_t_header(b, "Location"), location);
        CHECK_STR(hp_t_header(b, "ETag"), etag);
        CHECK_STR(hp_t_header(b, "Idempotent-Replayed"), "true");
        hp_t_free(b);
    }
    hp_t_free(a);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = 'ID001'"), 1);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM audit WHERE entity = 'vehicle'"
                        " AND entity_id = 'ID001'"),
              1);
    free(t);
}

TEST(the_same_key_with_another_body_is_422)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem2");
    struct hp_t_resp *r = post_keyed("/v1/vehicles", t, "key-2", NULL, vehicle("ID002", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    r = post_keyed("/v1/vehicles", t, "key-2", NULL, vehicle("ID002", 2001));
    CHECK_INT(r->status, 422);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:idempotency-key-reused");
    hp_t_free(r);
    r = post_keyed("/v1/vehicles", t, "key-2", NULL, vehicle("ID003", 2000));
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    /* The same body on another creating route is another request too. */
    r = post_keyed("/v1/vehicles/import", t, "key-2", "text/csv",
                   "plate,class,gross_weight_kg\nID003,pickup,2000\n");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = 'ID003'"), 0);
    free(t);
}

TEST(keys_belong_to_one_user)
{
    char *a = user("Idem Haulage", "haulier", "haulier", "idem3");
    char *b = user("Idem Haulage", "haulier", "haulier", "idem4");
    struct hp_t_resp *r = post_keyed("/v1/vehicles", a, "shared", NULL, vehicle("ID004", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    r = post_keyed("/v1/vehicles", b, "shared", NULL, vehicle("ID005", 2000));
    CHECK_INT(r->status, 201);
    CHECK(hp_t_header(r, "Idempotent-Replayed") == NULL);
    hp_t_free(r);
    free(a);
    free(b);
}

TEST(a_first_answer_that_was_an_error_is_replayed_too)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem5");
    struct hp_t_resp *r = post_keyed("/v1/vehicles", t, "bad-1", NULL, vehicle("A", 2000));
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = post_keyed("/v1/vehicles", t, "bad-1", NULL, vehicle("A", 2000));
    CHECK_INT(r->status, 422);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/problem+json");
    CHECK_STR(hp_t_header(r, "Idempotent-Replayed"), "true");
    hp_t_free(r);
    free(t);
}

TEST(a_malformed_key_is_400_and_creates_nothing)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem6");
    char long_key[300];
    memset(long_key, 'k', 256);
    long_key[256] = '\0';
    const char *keys[] = {long_key, "caf\xc3\xa9", "tab\there"};
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = post_keyed("/v1/vehicles", t, keys[i], NULL, vehicle("ID006", 2000));
        CHECK_INT(r->status, 400);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:bad-idempotency-key");
        hp_t_free(r);
    }
    const char *empty[] = {"Idempotency-Key;", NULL}; /* curl's way to send an empty header */
    const char *b = vehicle("ID006", 2000);
    struct hp_t_resp *r = hp_t_req("POST", "/v1/vehicles", t, NULL, b, strlen(b), empty);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = 'ID006'"), 0);
    /* The longest key is fine. */
    long_key[255] = '\0';
    r = post_keyed("/v1/vehicles", t, long_key, NULL, vehicle("ID006", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    free(t);
}

struct race {
    const char *token;
    long status;
};

static void *race_one(void *p)
{
    struct race *r = p;
    struct hp_t_resp *resp =
        post_keyed("/v1/vehicles", r->token, "race-key", NULL,
                   "{\"plate\":\"ID007\",\"class\":\"pickup\",\"gross_weight_kg\":2000}");
    r->status = resp->status;
    hp_t_free(resp);
    return NULL;
}

TEST(concurrent_requests_with_one_key_create_one_vehicle)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem7");
    enum { N = 8 };
    pthread_t threads[N];
    struct race races[N];
    for (int i = 0; i < N; i++) {
        races[i] = (struct race){t, 0};
        pthread_create(&threads[i], NULL, race_one, &races[i]);
    }
    int created = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        CHECK(races[i].status == 201 || races[i].status == 409);
        created += races[i].status == 201;
    }
    CHECK(created >= 1);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = 'ID007'"), 1);
    /* Once the first has answered, every retry gets its answer. */
    race_one(&races[0]);
    CHECK_INT(races[0].status, 201);
    free(t);
}

TEST(a_key_older_than_24_hours_may_be_used_for_a_new_request)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem8");
    struct hp_t_resp *r = post_keyed("/v1/vehicles", t, "old-key", NULL, vehicle("ID008", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    exec_sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
             " WHERE key = 'old-key'");
    r = post_keyed("/v1/vehicles", t, "old-key", NULL, vehicle("ID009", 2000));
    CHECK_INT(r->status, 201);
    CHECK(hp_t_header(r, "Idempotent-Replayed") == NULL);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate IN ('ID008', 'ID009')"), 2);
    /* Other expired keys are swept away as new ones come. */
    exec_sql("UPDATE idempotency_keys SET created_at = now() - interval '30 hours'"
             " WHERE key <> 'old-key'");
    r = post_keyed("/v1/vehicles", t, "sweeper", NULL, vehicle("ID010", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM idempotency_keys"
                        " WHERE created_at < now() - interval '24 hours'"),
              0);
    free(t);
}

TEST(a_key_still_running_is_409_until_it_is_abandoned)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem9");
    struct hp_t_resp *me = hp_t_get("/v1/me", t);
    char sql[512];
    /* The hash of the very request sent below: method, path?query, body. */
    snprintf(sql, sizeof(sql),
             "INSERT INTO idempotency_keys (user_id, key, request_hash)"
             " VALUES ('%s', 'running-key', sha256(convert_to('POST /v1/vehicles?' || E'\\n'"
             " || '%s', 'UTF8')))",
             hp_t_str(me, "user.id"), vehicle("ID011", 2000));
    exec_sql(sql);
    hp_t_free(me);
    struct hp_t_resp *r =
        post_keyed("/v1/vehicles", t, "running-key", NULL, vehicle("ID011", 2000));
    CHECK_INT(r->status, 409);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:idempotency-in-progress");
    CHECK(hp_t_header(r, "Retry-After") != NULL);
    hp_t_free(r);
    /* Another request under the running key is refused as such. */
    r = post_keyed("/v1/vehicles", t, "running-key", NULL, vehicle("ID011", 2001));
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    /* Left behind by a process that died: taken over after 2 minutes. */
    exec_sql("UPDATE idempotency_keys SET created_at = now() - interval '3 minutes'"
             " WHERE key = 'running-key'");
    r = post_keyed("/v1/vehicles", t, "running-key", NULL, vehicle("ID011", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    free(t);
}

TEST(imports_and_projects_honour_keys_too)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem10");
    const char *csv = "plate,class,gross_weight_kg\nID012,pickup,2000\nID013,pickup,2000\n";
    struct hp_t_resp *a = post_keyed("/v1/vehicles/import", t, "imp", "text/csv", csv);
    struct hp_t_resp *b = post_keyed("/v1/vehicles/import", t, "imp", "text/csv", csv);
    CHECK_INT(a->status, 200);
    CHECK_INT(b->status, 200);
    CHECK_STR(b->body, a->body); /* not "registered already" the second time */
    CHECK_STR(hp_t_header(b, "Idempotent-Replayed"), "true");
    hp_t_free(a);
    hp_t_free(b);

    const char *officer_token = hp_t_user_add("Test Police", "police", "officer", "idem officer");
    char officer[128];
    snprintf(officer, sizeof(officer), "%s", officer_token ? officer_token : "");
    hp_t_user_add("Idem Site", "site", "site", "idem site");
    struct hp_t_resp *me = hp_t_get("/v1/me", officer);
    char body[1024];
    PGresult *site = PQexec(hp_t_db(), "SELECT id FROM orgs WHERE name = 'Idem Site'");
    snprintf(body, sizeof(body),
             "{\"name\":\"Idem project\",\"level\":\"municipal\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":{\"type\":\"Point\","
             "\"coordinates\":[118,35]},\"valid_to\":\"2099-12-31\"}",
             PQgetvalue(site, 0, 0), hp_t_str(me, "user.id"));
    PQclear(site);
    hp_t_free(me);
    a = post_keyed("/v1/projects", officer, "proj", NULL, body);
    b = post_keyed("/v1/projects", officer, "proj", NULL, body);
    CHECK_INT(a->status, 201);
    CHECK_INT(b->status, 201);
    CHECK_STR(hp_t_str(b, "id"), hp_t_str(a, "id"));
    hp_t_free(a);
    hp_t_free(b);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM projects WHERE name = 'Idem project'"), 1);
    free(t);
}

TEST(organisations_users_zones_and_kml_imports_honour_keys_too)
{
    char *admin = user("Test Police", "police", "admin", "idem admin");
    char *officer = user("Test Police", "police", "officer", "idem officer 2");
    /* An organisation: replayed, not "name taken". */
    const char *org = "{\"name\":\"Idem Keyed Org\",\"kind\":\"haulier\"}";
    struct hp_t_resp *a = post_keyed("/v1/orgs", admin, "org", NULL, org);
    struct hp_t_resp *b = post_keyed("/v1/orgs", admin, "org", NULL, org);
    CHECK_INT(a->status, 201);
    CHECK_INT(b->status, 201);
    CHECK_STR(b->body, a->body);
    char org_id[64];
    snprintf(org_id, sizeof(org_id), "%s", hp_t_str(a, "id"));
    hp_t_free(a);
    hp_t_free(b);
    /* A user: one made; the replay shows no token, since none is stored. */
    char body[256];
    snprintf(body, sizeof(body),
             "{\"org_id\":\"%s\",\"name\":\"keyed\",\"role\":\"haulier\"}", org_id);
    a = post_keyed("/v1/users", admin, "user", NULL, body);
    b = post_keyed("/v1/users", admin, "user", NULL, body);
    CHECK_INT(a->status, 201);
    CHECK_INT(b->status, 201);
    CHECK_STR(hp_t_str(b, "id"), hp_t_str(a, "id"));
    CHECK(hp_t_str(a, "token") != NULL);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(b->json, "token")));
    CHECK_STR(hp_t_header(b, "Idempotent-Replayed"), "true");
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM idempotency_keys WHERE strpos(body, '%s') > 0",
             hp_t_str(a, "token"));
    CHECK_INT(hp_t_sql_int(sql), 0);
    hp_t_free(a);
    hp_t_free(b);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM users WHERE org_id = '%s'", org_id);
    CHECK_INT(hp_t_sql_int(sql), 1);
    /* A zone and a KML import: each made once. */
    const char *zone = "{\"name\":\"Idem Keyed Zone\",\"geometry\":{\"type\":\"Polygon\","
                       "\"coordinates\":[[[118.3,35],[118.31,35],[118.31,35.01],[118.3,35]]]},"
                       "\"rules\":[]}";
    a = post_keyed("/v1/zones", officer, "zone", NULL, zone);
    b = post_keyed("/v1/zones", officer, "zone", NULL, zone);
    CHECK_INT(a->status, 201);
    CHECK_STR(b->body, a->body);
    hp_t_free(a);
    hp_t_free(b);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM zones WHERE name = 'Idem Keyed Zone'"), 1);
    const char *kml =
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Placemark><name>Idem Keyed KML</name>"
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>118.4,35 118.41,35 118.41,35.01 "
        "118.4,35</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>";
    const char *kml_type = "application/vnd.google-earth.kml+xml";
    a = post_keyed("/v1/zones/import", officer, "kml", kml_type, kml);
    b = post_keyed("/v1/zones/import", officer, "kml", kml_type, kml);
    CHECK_INT(a->status, 200);
    CHECK_INT(b->status, a->status);
    CHECK_STR(b->body, a->body);
    hp_t_free(a);
    hp_t_free(b);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM zones WHERE name = 'Idem Keyed KML'"), 1);
    free(admin);
    free(officer);
}

TEST(requests_without_a_key_and_other_routes_keep_no_record)
{
    char *t = user("Idem Haulage", "haulier", "haulier", "idem11");
    int before = hp_t_sql_int("SELECT count(*) FROM idempotency_keys");
    struct hp_t_resp *r = hp_t_post("/v1/vehicles", t, vehicle("ID014", 2000));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    /* Not a creating POST: the header is ignored. */
    const char *h[] = {"Idempotency-Key: ignored", NULL};
    r = hp_t_req("GET", "/v1/vehicles/ID014", t, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_req("PATCH", "/v1/vehicles/ID014", t, NULL, "{\"axles\":2}", 11, h);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM idempotency_keys"), before);
    /* A 401 or 403 happens before the key is looked at. */
    r = post_keyed("/v1/projects", t, "forbidden", NULL, "{}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM idempotency_keys WHERE key = 'forbidden'"), 0);
    free(t);
}
