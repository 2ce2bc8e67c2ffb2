/* Major projects: site organisation, liaison officer, location, roles. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

/* A user: token, user id and organisation id, kept. */
struct who {
    char token[128], id[64], org[64];
};

static struct who user(const char *org, const char *kind, const char *role, const char *name)
{
    struct who w = {"", "", ""};
    const char *t = hp_t_user_add(org, kind, role, name);
    snprintf(w.token, sizeof(w.token), "%s", t ? t : "");
    struct hp_t_resp *r = hp_t_get("/v1/me", w.token);
    snprintf(w.id, sizeof(w.id), "%s", hp_t_str(r, "user.id") ? hp_t_str(r, "user.id") : "");
    snprintf(w.org, sizeof(w.org), "%s", hp_t_str(r, "org.id") ? hp_t_str(r, "org.id") : "");
    hp_t_free(r);
    return w;
}

/* The local date (UTC+8, as HAULPASS_TZ defaults) days from today. */
static const char *date_in(int days)
{
    static char out[4][16];
    static int next;
    time_t t = time(NULL) + (time_t)days * 86400 + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char *o = out[next++ % 4];
    strftime(o, 16, "%Y-%m-%d", &tm);
    return o;
}

static const char *const point = "{\"type\":\"Point\",\"coordinates\":[118.356,35.104]}";

static struct who officer, officer2, admin, site, site2, haulier;

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = user("Test Police", "police", "officer", "officer zhang");
    officer2 = user("Test Police", "police", "officer", "officer liu");
    admin = user("Test Police", "police", "admin", "admin two");
    site = user("Linyi Metro Site", "site", "site", "metro office");
    site2 = user("Linyi Bridge Site", "site", "site", "bridge office");
    haulier = user("Project Haulage", "haulier", "haulier", "project driver");
}

/* A project body; location NULL means the point. */
static char *body(const char *name, const char *site_org, const char *liaison,
                  const char *location, const char *valid_to)
{
    static char b[2048];
    snprintf(b, sizeof(b),
             "{\"name\":\"%s\",\"level\":\"provincial\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":%s,\"valid_to\":\"%s\"}",
             name, site_org, liaison, location ? location : point, valid_to);
    return b;
}

/* Creates a project; returns its id (static buffer) or "". */
static const char *make(const char *name, const char *site_org, const char *liaison)
{
    static char id[64];
    struct hp_t_resp *r =
        hp_t_post("/v1/projects", officer.token, body(name, site_org, liaison, NULL, date_in(30)));
    CHECK_INT(r->status, 201);
    snprintf(id, sizeof(id), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    return id;
}

static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const cJSON *p = cJSON_GetObjectItem(e, "pointer");
    return cJSON_IsString(p) ? p->valuestring : "";
}

static void expect_invalid(const char *b, const char *pointer)
{
    struct hp_t_resp *r = hp_t_post("/v1/projects", officer.token, b);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), pointer);
    if (r->status != 422 || strcmp(first_pointer(r), pointer) != 0)
        printf("    body %s gave %ld %s\n", b, r->status, r->body);
    hp_t_free(r);
}

static struct hp_t_resp *patch(const char *id, const char *token, const char *b,
                               const char *if_match)
{
    char path[128], h[128];
    snprintf(path, sizeof(path), "/v1/projects/%s", id);
    snprintf(h, sizeof(h), "If-Match: %s", if_match ? if_match : "");
    const char *headers[] = {if_match ? h : NULL, NULL};
    return hp_t_req("PATCH", path, token, NULL, b, strlen(b), headers);
}

static struct hp_t_resp *get_project(const char *id, const char *token)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/projects/%s", id);
    return hp_t_get(path, token);
}

TEST(an_officer_creates_a_project_with_its_site_and_liaison_officer)
{
    once();
    const char *to = date_in(90);
    struct hp_t_resp *r = hp_t_post("/v1/projects", officer.token,
                                    body("临沂地铁1号线", site.org, officer.id, NULL, to));
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "name"), "临沂地铁1号线");
    CHECK_STR(hp_t_str(r, "level"), "provincial");
    CHECK_STR(hp_t_str(r, "site_org_id"), site.org);
    CHECK_STR(hp_t_str(r, "liaison_officer_id"), officer.id);
    CHECK_STR(hp_t_str(r, "valid_to"), to);
    CHECK_STR(hp_t_str(r, "location.type"), "Point");
    const cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "location"), "coordinates");
    CHECK(cJSON_GetArraySize(c) == 2 && cJSON_GetArrayItem(c, 0)->valuedouble == 118.356 &&
          cJSON_GetArrayItem(c, 1)->valuedouble == 35.104);
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\"");
    char location[128];
    snprintf(location, sizeof(location), "/v1/projects/%s", hp_t_str(r, "id"));
    CHECK_STR(hp_t_header(r, "Location"), location);
    hp_t_free(r);
    /* An admin may create one too, and an officer may be the liaison of several. */
    r = hp_t_post("/v1/projects", admin.token, body("沂河大桥", site.org, officer.id, NULL, to));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(a_polygon_location_comes_back_as_it_was_sent)
{
    once();
    const char *poly = "{\"type\":\"Polygon\",\"coordinates\":[[[118.3,35.1],[118.31,35.1],"
                       "[118.31,35.11],[118.3,35.11],[118.3,35.1]]]}";
    struct hp_t_resp *r = hp_t_post("/v1/projects", officer.token,
                                    body("Polygon site", site.org, officer.id, poly, date_in(10)));
    CHECK_INT(r->status, 201);
    char *got = cJSON_PrintUnformatted(cJSON_GetObjectItem(r->json, "location"));
    CHECK_STR(got, poly);
    free(got);
    hp_t_free(r);
    /* An altitude is accepted and dropped; other members never reach PostGIS. */
    r = hp_t_post("/v1/projects", officer.token,
                  body("Altitude site", site.org, officer.id,
                       "{\"type\":\"Point\",\"coordinates\":[118.3,35.1,12.5],"
                       "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}}}",
                       date_in(10)));
    CHECK_INT(r->status, 201);
    got = cJSON_PrintUnformatted(cJSON_GetObjectItem(r->json, "location"));
    CHECK_STR(got, "{\"type\":\"Point\",\"coordinates\":[118.3,35.1]}");
    free(got);
    hp_t_free(r);
}

TEST(the_site_must_be_an_organisation_of_kind_site)
{
    once();
    const char *to = date_in(30);
    expect_invalid(body("P", haulier.org, officer.id, NULL, to), "/site_org_id");
    expect_invalid(body("P", officer.org, officer.id, NULL, to), "/site_org_id");
    expect_invalid(body("P", "00000000-0000-4000-8000-000000000000", officer.id, NULL, to),
                   "/site_org_id");
    expect_invalid(body("P", "not-a-uuid", officer.id, NULL, to), "/site_org_id");
}

TEST(the_liaison_must_be_a_user_whose_role_is_officer)
{
    once();
    const char *to = date_in(30);
    expect_invalid(body("P", site.org, admin.id, NULL, to), "/liaison_officer_id");
    expect_invalid(body("P", site.org, haulier.id, NULL, to), "/liaison_officer_id");
    expect_invalid(body("P", site.org, site.id, NULL, to), "/liaison_officer_id");
    expect_invalid(body("P", site.org, "00000000-0000-4000-8000-000000000000", NULL, to),
                   "/liaison_officer_id");
    /* Both wrong: both reported. */
    struct hp_t_resp *r =
        hp_t_post("/v1/projects", officer.token, body("P", haulier.org, haulier.id, NULL, to));
    CHECK_INT(r->status, 422);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "errors")), 2);
    hp_t_free(r);
}

TEST(a_location_that_is_not_a_valid_point_or_polygon_is_422)
{
    once();
    const char *to = date_in(30);
    struct {
        const char *loc, *pointer;
    } cases[] = {
        {"{\"type\":\"LineString\",\"coordinates\":[[118,35],[119,36]]}", "/location/type"},
        {"{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "/location/type"},
        {"{\"coordinates\":[118,35]}", "/location/type"},
        {"{\"type\":\"Point\"}", "/location/coordinates"},
        {"{\"type\":\"Point\",\"coordinates\":[118]}", "/location/coordinates"},
        {"{\"type\":\"Point\",\"coordinates\":[118,35,1,2]}", "/location/coordinates"},
        {"{\"type\":\"Point\",\"coordinates\":[200,35]}", "/location/coordinates/0"},
        {"{\"type\":\"Point\",\"coordinates\":[118,-91]}", "/location/coordinates/1"},
        {"{\"type\":\"Point\",\"coordinates\":[\"118\",35]}", "/location/coordinates/0"},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}",
         "/location"},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", "/location"},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", "/location"},
        {"[118,35]", "/location"},
        {"\"here\"", "/location"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hp_t_resp *r = hp_t_post("/v1/projects", officer.token,
                                        body("P", site.org, officer.id, cases[i].loc, to));
        CHECK_INT(r->status, 422);
        /* Polygons are refused by GEOS at the place it names, under /location. */
        CHECK(strncmp(first_pointer(r), cases[i].pointer, strlen(cases[i].pointer)) == 0);
        if (r->status != 422 || strncmp(first_pointer(r), cases[i].pointer,
                                        strlen(cases[i].pointer)) != 0)
            printf("    %s gave %ld %s\n", cases[i].loc, r->status, r->body);
        hp_t_free(r);
    }
}

TEST(an_impossible_or_past_valid_to_is_422)
{
    once();
    const char *bad[] = {"2026-02-30", "2027-13-01", "2027-6-1", "tomorrow", "",
                         "2027-06-01T00:00:00Z", "0000-01-01", NULL};
    for (int i = 0; bad[i]; i++)
        expect_invalid(body("P", site.org, officer.id, NULL, bad[i]), "/valid_to");
    expect_invalid(body("P", site.org, officer.id, NULL, date_in(-2)), "/valid_to");
    /* Today is fine: the project ends tonight. */
    struct hp_t_resp *r =
        hp_t_post("/v1/projects", officer.token, body("Ends soon", site.org, officer.id, NULL,
                                                      date_in(0)));
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(other_invalid_fields_are_422_with_their_pointer)
{
    once();
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"name\":\"P\",\"level\":\"national\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":%s,\"valid_to\":\"%s\"}",
             site.org, officer.id, point, date_in(5));
    expect_invalid(b, "/level");
    snprintf(b, sizeof(b),
             "{\"name\":\"\",\"level\":\"municipal\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":%s,\"valid_to\":\"%s\"}",
             site.org, officer.id, point, date_in(5));
    expect_invalid(b, "/name");
    /* A name of spaces, ideographic ones included, names nothing. */
    snprintf(b, sizeof(b),
             "{\"name\":\"   \u3000\",\"level\":\"municipal\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":%s,\"valid_to\":\"%s\"}",
             site.org, officer.id, point, date_in(5));
    expect_invalid(b, "/name");
    snprintf(b, sizeof(b),
             "{\"name\":\"P\",\"level\":\"municipal\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":%s,\"valid_to\":\"%s\",\"budget\":1}",
             site.org, officer.id, point, date_in(5));
    expect_invalid(b, "/budget");
    expect_invalid("{}", "/name");
    snprintf(b, sizeof(b), "{\"name\":\"P\",\"level\":\"municipal\",\"site_org_id\":\"%s\"}",
             site.org);
    expect_invalid(b, "/liaison_officer_id");
}

TEST(hauliers_and_sites_may_not_create_or_change_projects)
{
    once();
    const char *id = make("Role project", site.org, officer.id);
    const char *b = body("Mine", site.org, officer.id, NULL, date_in(9));
    const char *tokens[] = {haulier.token, site.token};
    for (int i = 0; i < 2; i++) {
        struct hp_t_resp *r = hp_t_post("/v1/projects", tokens[i], b);
        CHECK_INT(r->status, 403);
        hp_t_free(r);
        r = patch(id, tokens[i], "{\"name\":\"x\"}", NULL);
        CHECK_INT(r->status, 403);
        hp_t_free(r);
    }
    struct hp_t_resp *r = hp_t_post("/v1/projects", NULL, b);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

static int count_items(const struct hp_t_resp *r)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
}

/* Whether the list answer holds the project id. */
static bool lists(const struct hp_t_resp *r, const char *id)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r->json, "items"))
    {
        const cJSON *i = cJSON_GetObjectItem(p, "id");
        if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0)
            return true;
    }
    return false;
}

TEST(a_site_sees_only_its_own_projects)
{
    once();
    char mine[64], theirs[64];
    snprintf(mine, sizeof(mine), "%s", make("Site A project", site.org, officer.id));
    snprintf(theirs, sizeof(theirs), "%s", make("Site B project", site2.org, officer.id));
    struct hp_t_resp *r = hp_t_get("/v1/projects?limit=500", site.token);
    CHECK_INT(r->status, 200);
    CHECK(lists(r, mine));
    CHECK(!lists(r, theirs));
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r->json, "items"))
    {
        const cJSON *s = cJSON_GetObjectItem(p, "site_org_id");
        CHECK(cJSON_IsString(s) && strcmp(s->valuestring, site.org) == 0);
    }
    hp_t_free(r);
    r = get_project(mine, site.token);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "liaison_officer_id"), officer.id);
    hp_t_free(r);
    r = get_project(theirs, site.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_haulier_sees_every_project_by_name_only)
{
    once();
    char id[64];
    snprintf(id, sizeof(id), "%s", make("Named project", site2.org, officer2.id));
    struct hp_t_resp *r = hp_t_get("/v1/projects?limit=500", haulier.token);
    CHECK_INT(r->status, 200);
    CHECK(lists(r, id));
    hp_t_free(r);
    r = get_project(id, haulier.token);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "name"), "Named project");
    CHECK_STR(hp_t_str(r, "level"), "provincial");
    CHECK(hp_t_str(r, "valid_to") != NULL);
    CHECK(cJSON_GetObjectItem(r->json, "liaison_officer_id") == NULL);
    CHECK(cJSON_GetObjectItem(r->json, "site_org_id") == NULL);
    CHECK(cJSON_GetObjectItem(r->json, "location") == NULL);
    hp_t_free(r);
}

TEST(officers_list_every_project_page_by_page)
{
    once();
    for (int i = 0; i < 3; i++)
        make("Paged project", site.org, officer.id);
    char path[256] = "/v1/projects?limit=2";
    int total = 0, pages = 0;
    for (; pages < 100; pages++) {
        struct hp_t_resp *r = hp_t_get(path, officer.token);
        CHECK_INT(r->status, 200);
        total += count_items(r);
        const char *next = hp_t_str(r, "next_cursor");
        if (!next) {
            hp_t_free(r);
            break;
        }
        snprintf(path, sizeof(path), "/v1/projects?limit=2&cursor=%s", next);
        hp_t_free(r);
    }
    CHECK_INT(total, hp_t_sql_int("SELECT count(*) FROM projects"));
    struct hp_t_resp *r = hp_t_get("/v1/projects?cursor=nonsense", officer.token);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    r = get_project("nonsense", officer.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = get_project("00000000-0000-4000-8000-000000000000", officer.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_patch_changes_the_liaison_officer_and_the_end_date)
{
    once();
    char id[64];
    snprintf(id, sizeof(id), "%s", make("Patched project", site.org, officer.id));
    char b[256];
    const char *to = date_in(200);
    snprintf(b, sizeof(b), "{\"liaison_officer_id\":\"%s\",\"valid_to\":\"%s\"}", officer2.id, to);
    struct hp_t_resp *r = patch(id, officer.token, b, "\"1\"");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "liaison_officer_id"), officer2.id);
    CHECK_STR(hp_t_str(r, "valid_to"), to);
    CHECK_STR(hp_t_str(r, "name"), "Patched project");
    CHECK_STR(hp_t_header(r, "ETag"), "\"2\"");
    hp_t_free(r);
    r = patch(id, admin.token,
              "{\"location\":{\"type\":\"Polygon\",\"coordinates\":[[[118,35],[118.1,35],"
              "[118.1,35.1],[118,35]]]},\"level\":\"municipal\"}",
              NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "location.type"), "Polygon");
    CHECK_STR(hp_t_str(r, "level"), "municipal");
    hp_t_free(r);
}

TEST(a_patch_refuses_bad_fields_and_stale_versions)
{
    once();
    char id[64];
    snprintf(id, sizeof(id), "%s", make("Guarded project", site.org, officer.id));
    char b[256];
    struct {
        const char *body, *pointer;
    } cases[] = {
        {"{\"site_org_id\":\"00000000-0000-4000-8000-000000000000\"}", "/site_org_id"},
        {"{\"name\":null}", "/name"},
        {"{\"valid_to\":\"2026-02-30\"}", "/valid_to"},
        {"{\"location\":{\"type\":\"Point\",\"coordinates\":[181,0]}}",
         "/location/coordinates/0"},
        {"{\"owner\":1}", "/owner"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hp_t_resp *r = patch(id, officer.token, cases[i].body, NULL);
        CHECK_INT(r->status, 422);
        CHECK_STR(first_pointer(r), cases[i].pointer);
        hp_t_free(r);
    }
    snprintf(b, sizeof(b), "{\"liaison_officer_id\":\"%s\"}", admin.id);
    struct hp_t_resp *r = patch(id, officer.token, b, NULL);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/liaison_officer_id");
    hp_t_free(r);
    r = patch(id, officer.token, "{\"name\":\"Renamed\"}", "\"7\"");
    CHECK_INT(r->status, 412);
    hp_t_free(r);
    r = patch("00000000-0000-4000-8000-000000000000", officer.token, "{\"name\":\"x\"}", NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = patch("nonsense", officer.token, "{\"name\":\"x\"}", NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = get_project(id, officer.token);
    CHECK_STR(hp_t_str(r, "name"), "Guarded project");
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\"");
    hp_t_free(r);
}

TEST(project_writes_are_in_the_audit_trail)
{
    once();
    char id[64];
    snprintf(id, sizeof(id), "%s", make("Audited project", site.org, officer.id));
    struct hp_t_resp *r = patch(id, officer.token, "{\"name\":\"Audited again\"}", NULL);
    hp_t_free(r);
    char path[160];
    snprintf(path, sizeof(path), "/v1/audit?entity=project&id=%s", id);
    r = hp_t_get(path, hp_t_admin);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    REQUIRE(cJSON_GetArraySize(items) == 2);
    const cJSON *c = cJSON_GetArrayItem(items, 0), *u = cJSON_GetArrayItem(items, 1);
    CHECK_STR(cJSON_GetObjectItem(c, "action")->valuestring, "create");
    const cJSON *after = cJSON_GetObjectItem(c, "after");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(after, "location"), "type")->valuestring,
              "Point");
    CHECK(cJSON_GetObjectItem(after, "site_org_kind") == NULL);
    CHECK_STR(cJSON_GetObjectItem(u, "action")->valuestring, "update");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(u, "before"), "name")->valuestring,
              "Audited project");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(u, "after"), "name")->valuestring,
              "Audited again");
    hp_t_free(r);
}

TEST(the_database_keeps_the_liaison_an_officer)
{
    once();
    /* Not through the API: the schema itself refuses a non-officer liaison. */
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO projects (name, level, site_org_id, liaison_officer_id, location,"
             " valid_to) VALUES ('x', 'municipal', '%s', '%s',"
             " ST_SetSRID(ST_MakePoint(118, 35), 4326), " HP_T_LOCAL_TODAY ")",
             site.org, admin.id);
    PGresult *res = PQexec(hp_t_db(), sql);
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
}

TEST(who_may_call_each_project_endpoint)
{
    once();
    char id[64], b[1024];
    snprintf(id, sizeof(id), "%s", make("Role table project", site.org, officer.id));
    const struct who *roles[] = {&admin, &officer, &haulier, &site, &site2};
    static const char *const names[] = {"admin", "officer", "haulier", "site", "site2"};
    /* site owns the project; site2 is another site. Hauliers see every
     * project by name (to name one in an application), sites their own. */
    struct {
        const char *what;
        int want[5];
    } rows[] = {
        {"POST /v1/projects", {201, 201, 403, 403, 403}},
        {"GET /v1/projects", {200, 200, 200, 200, 200}},
        {"GET /v1/projects/{id}", {200, 200, 200, 200, 404}},
        {"PATCH /v1/projects/{id}", {200, 200, 403, 403, 403}},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (int k = 0; k < 5; k++) {
            struct hp_t_resp *r;
            if (i == 0) {
                snprintf(b, sizeof(b), "Role table %zu %d", i, k);
                r = hp_t_post("/v1/projects", roles[k]->token,
                              body(b, site.org, officer.id, NULL, date_in(9)));
            } else if (i == 1) {
                r = hp_t_get("/v1/projects", roles[k]->token);
            } else if (i == 2) {
                r = get_project(id, roles[k]->token);
            } else {
                snprintf(b, sizeof(b), "{\"valid_to\":\"%s\"}", date_in(40 + k));
                r = patch(id, roles[k]->token, b, NULL);
            }
            CHECK_INT(r->status, rows[i].want[k]);
            if (r->status != rows[i].want[k])
                printf("    %s by %s gave %ld\n", rows[i].what, names[k], r->status);
            hp_t_free(r);
        }
    }
    /* No token: 401 before anything else. */
    struct hp_t_resp *anon[] = {hp_t_get("/v1/projects", NULL), get_project(id, NULL),
                                patch(id, NULL, "{\"level\":\"municipal\"}", NULL)};
    for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++) {
        CHECK_INT(anon[i]->status, 401);
        hp_t_free(anon[i]);
    }
}
