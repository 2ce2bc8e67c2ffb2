/* Accounts: organisations, users, tokens, roles, the audit trail. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

/* Creates an org through the API and returns its id (static buffer). */
static const char *make_org(const char *name, const char *kind)
{
    static char id[64];
    char body[256];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"kind\":\"%s\"}", name, kind);
    struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, body);
    snprintf(id, sizeof(id), "%s", r->status == 201 && hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    return id;
}

/* Creates a user through the API; returns its token (static buffer). */
static const char *make_user(const char *org_id, const char *name, const char *role)
{
    static char token[128];
    char body[256];
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"%s\",\"role\":\"%s\"}", org_id,
             name, role);
    struct hp_t_resp *r = hp_t_post("/v1/users", hp_t_admin, body);
    snprintf(token, sizeof(token), "%s",
             r->status == 201 && hp_t_str(r, "token") ? hp_t_str(r, "token") : "");
    hp_t_free(r);
    return token;
}

TEST(me_names_the_user_the_organisation_and_the_role)
{
    struct hp_t_resp *r = hp_t_get("/v1/me", hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "user.name"), "test admin");
    CHECK_STR(hp_t_str(r, "org.name"), "Test Police");
    CHECK_STR(hp_t_str(r, "org.kind"), "police");
    CHECK_STR(hp_t_str(r, "role"), "admin");
    hp_t_free(r);
}

TEST(a_request_without_a_token_or_with_an_unknown_one_is_401)
{
    const char *bad[] = {NULL, "hp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "nonsense", ""};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_get("/v1/me", bad[i]);
        CHECK_INT(r->status, 401);
        CHECK_STR(hp_t_header(r, "Content-Type"), "application/problem+json");
        CHECK(hp_t_header(r, "WWW-Authenticate") != NULL);
        hp_t_free(r);
    }
    const char *basic[] = {"Authorization: Basic YWRtaW46YWRtaW4=", NULL};
    struct hp_t_resp *r = hp_t_req("GET", "/v1/me", NULL, NULL, NULL, 0, basic);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

TEST(a_known_token_with_the_wrong_role_is_403)
{
    const char *org = make_org("Roles Haulage", "haulier");
    const char *token = make_user(org, "driver", "haulier");
    REQUIRE(token[0]);
    char copy[128];
    snprintf(copy, sizeof(copy), "%s", token);
    struct hp_t_resp *r = hp_t_post("/v1/orgs", copy, "{\"name\":\"X\",\"kind\":\"site\"}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_get("/v1/audit", copy);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_get("/v1/me", copy);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "role"), "haulier");
    hp_t_free(r);
}

TEST(an_organisation_is_created_once_and_a_taken_name_is_409)
{
    struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, "{\"name\":\"临沂建工\",\"kind\":\"site\"}");
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "name"), "临沂建工");
    CHECK_STR(hp_t_str(r, "kind"), "site");
    CHECK(hp_t_str(r, "id") != NULL);
    char location[128];
    snprintf(location, sizeof(location), "%s", hp_t_header(r, "Location"));
    CHECK(strstr(location, hp_t_str(r, "id")) != NULL);
    hp_t_free(r);
    /* Location names it. */
    r = hp_t_get(location, hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "name"), "临沂建工");
    hp_t_free(r);
    r = hp_t_get("/v1/orgs/00000000-0000-0000-0000-000000000000", hp_t_admin);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_get("/v1/orgs/not-a-uuid", hp_t_admin);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_post("/v1/orgs", hp_t_admin, "{\"name\":\"临沂建工\",\"kind\":\"haulier\"}");
    CHECK_INT(r->status, 409);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:name-taken");
    hp_t_free(r);
}

static void expect_invalid(const char *path, const char *body, const char *pointer)
{
    struct hp_t_resp *r = hp_t_post(path, hp_t_admin, body);
    CHECK_INT(r->status, 422);
    const cJSON *errors = cJSON_GetObjectItem(r->json, "errors");
    const cJSON *first = cJSON_GetArrayItem(errors, 0);
    const cJSON *p = cJSON_GetObjectItem(first, "pointer");
    CHECK(cJSON_IsString(p) && strcmp(p->valuestring, pointer) == 0);
    if (!cJSON_IsString(p) || strcmp(p->valuestring, pointer) != 0)
        printf("    body %s gave %s\n", body, r->body);
    CHECK(cJSON_IsString(cJSON_GetObjectItem(first, "message")));
    hp_t_free(r);
}

TEST(invalid_organisations_are_422_with_the_pointer_of_the_field)
{
    expect_invalid("/v1/orgs", "{\"name\":\"A\",\"kind\":\"army\"}", "/kind");
    expect_invalid("/v1/orgs", "{\"name\":\"\",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":42,\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\"A\",\"kind\":\"site\",\"knd\":\"x\"}", "/knd");
    expect_invalid("/v1/orgs", "{\"name\":\"A\",\"name\":\"B\",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":null,\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\"a/b~c\",\"kind\":\"site\",\"a/b~c\":1}", "/a~1b~0c");
    /* Blank, or padded so as to sit next to a taken name. */
    expect_invalid("/v1/orgs", "{\"name\":\"   \",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\" Acme\",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\"Acme\\t\",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\"\u3000临沂建工\",\"kind\":\"site\"}", "/name");
    expect_invalid("/v1/orgs", "{\"name\":\"临沂建工\u3000\",\"kind\":\"site\"}", "/name");
}

TEST(a_new_user_gets_a_token_shown_once_that_works)
{
    const char *org = make_org("Token Haulage", "haulier");
    char body[256];
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"王师傅\",\"role\":\"haulier\"}", org);
    struct hp_t_resp *r = hp_t_post("/v1/users", hp_t_admin, body);
    CHECK_INT(r->status, 201);
    const char *token = hp_t_str(r, "token");
    REQUIRE(token != NULL);
    CHECK_STR(hp_t_str(r, "org_id"), org);
    CHECK_STR(hp_t_str(r, "role"), "haulier");
    struct hp_t_resp *me = hp_t_get("/v1/me", token);
    CHECK_INT(me->status, 200);
    CHECK_STR(hp_t_str(me, "user.name"), "王师傅");
    CHECK_STR(hp_t_str(me, "org.id"), org);
    hp_t_free(me);
    hp_t_free(r);
}

TEST(a_role_that_does_not_suit_the_organisation_is_422)
{
    const char *hauler = make_org("Suit Haulage", "haulier");
    char body[256];
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"x\",\"role\":\"officer\"}", hauler);
    expect_invalid("/v1/users", body, "/role");
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"x\",\"role\":\"admin\"}", hauler);
    expect_invalid("/v1/users", body, "/role");
    expect_invalid("/v1/users",
                   "{\"org_id\":\"00000000-0000-4000-8000-000000000000\",\"name\":\"x\",\"role\":\"site\"}",
                   "/org_id");
    expect_invalid("/v1/users", "{\"org_id\":\"not-a-uuid\",\"name\":\"x\",\"role\":\"site\"}",
                   "/org_id");
}

TEST(rotating_a_token_stops_the_old_one_and_the_new_one_works)
{
    const char *org = make_org("Rotate Site", "site");
    char body[256];
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"gate\",\"role\":\"site\"}", org);
    struct hp_t_resp *r = hp_t_post("/v1/users", hp_t_admin, body);
    REQUIRE(r->status == 201);
    char old[128], path[128];
    snprintf(old, sizeof(old), "%s", hp_t_str(r, "token"));
    snprintf(path, sizeof(path), "/v1/users/%s/token", hp_t_str(r, "id"));
    hp_t_free(r);
    r = hp_t_post(path, hp_t_admin, NULL);
    CHECK_INT(r->status, 200);
    const char *fresh = hp_t_str(r, "token");
    REQUIRE(fresh != NULL);
    CHECK(strcmp(fresh, old) != 0);
    struct hp_t_resp *me = hp_t_get("/v1/me", old);
    CHECK_INT(me->status, 401);
    hp_t_free(me);
    me = hp_t_get("/v1/me", fresh);
    CHECK_INT(me->status, 200);
    hp_t_free(me);
    hp_t_free(r);
    r = hp_t_post("/v1/users/00000000-0000-4000-8000-000000000000/token", hp_t_admin, NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_post("/v1/users/42/token", hp_t_admin, NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(tokens_are_stored_only_as_their_sha256)
{
    const char *org = make_org("Hash Haulage", "haulier");
    char token[128];
    snprintf(token, sizeof(token), "%s", make_user(org, "hash", "haulier"));
    REQUIRE(token[0]);
    const char *params[] = {token};
    PGresult *res = PQexecParams(hp_t_db(),
        "SELECT count(*) FROM users WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
        1, NULL, params, NULL, NULL, 0);
    CHECK_STR(PQgetvalue(res, 0, 0), "1");
    PQclear(res);
    /* No column of any table holds the token text. */
    res = PQexecParams(hp_t_db(),
        "SELECT count(*) FROM users u WHERE strpos(u::text, $1) > 0"
        " OR strpos(encode(u.token_hash, 'escape'), $1) > 0",
        1, NULL, params, NULL, NULL, 0);
    CHECK_STR(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
    res = PQexecParams(hp_t_db(), "SELECT count(*) FROM audit a WHERE strpos(a::text, $1) > 0",
                       1, NULL, params, NULL, NULL, 0);
    CHECK_STR(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
}

TEST(organisations_are_listed_in_pages_with_a_cursor)
{
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Page Org %d", i);
        make_org(name, "haulier");
    }
    int seen = 0;
    char path[256] = "/v1/orgs?limit=2";
    for (int pages = 0; pages < 50; pages++) {
        struct hp_t_resp *r = hp_t_get(path, hp_t_admin);
        REQUIRE(r->status == 200);
        const cJSON *items = cJSON_GetObjectItem(r->json, "items");
        CHECK(cJSON_GetArraySize(items) <= 2);
        seen += cJSON_GetArraySize(items);
        const cJSON *next = cJSON_GetObjectItem(r->json, "next_cursor");
        REQUIRE(next != NULL);
        if (cJSON_IsNull(next)) {
            hp_t_free(r);
            break;
        }
        snprintf(path, sizeof(path), "/v1/orgs?limit=2&cursor=%s", next->valuestring);
        hp_t_free(r);
    }
    PGresult *res = PQexec(hp_t_db(), "SELECT count(*) FROM orgs");
    CHECK_INT(seen, atoi(PQgetvalue(res, 0, 0)));
    PQclear(res);
    const char *bad[] = {"/v1/orgs?limit=0", "/v1/orgs?limit=501", "/v1/orgs?limit=x",
                         "/v1/orgs?cursor=zzz"};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_get(bad[i], hp_t_admin);
        CHECK_INT(r->status, 400);
        hp_t_free(r);
    }
}

TEST(the_audit_trail_records_who_created_what_and_cannot_be_changed)
{
    const char *org = make_org("Audit Haulage", "haulier");
    char path[256], id[64];
    snprintf(id, sizeof(id), "%s", org);
    snprintf(path, sizeof(path), "/v1/audit?entity=org&id=%s", id);
    struct hp_t_resp *r = hp_t_get(path, hp_t_admin);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK_INT(cJSON_GetArraySize(items), 1);
    const cJSON *e = cJSON_GetArrayItem(items, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "action")), "create");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "actor"), "name")),
              "test admin");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "after"), "name")),
              "Audit Haulage");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(e, "before")));
    hp_t_free(r);
    PGresult *res = PQexec(hp_t_db(), "UPDATE audit SET action = 'forged'");
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
    res = PQexec(hp_t_db(), "DELETE FROM audit");
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
}

TEST(an_officer_may_read_the_audit_trail)
{
    const char *police = make_org("Audit Police", "police");
    char token[128];
    snprintf(token, sizeof(token), "%s", make_user(police, "officer", "officer"));
    struct hp_t_resp *r = hp_t_get("/v1/audit?limit=1", token);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    hp_t_free(r);
    r = hp_t_get("/v1/orgs", token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    /* What no client may send: a query that is not UTF-8, a cursor past
     * 64 bits. A clear 400, never a 500. */
    const char *bad[] = {"/v1/audit?entity=%FF", "/v1/audit?id=%C0%80", "/v1/audit?entity=a%00b",
                         "/v1/audit?cursor=9223372036854775808", "/v1/orgs?x%FF=1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = hp_t_get(bad[i], i == 4 ? hp_t_admin : token);
        CHECK_INT(r->status, 400);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:bad-parameter");
        hp_t_free(r);
    }
}

TEST(user_add_on_the_command_line_refuses_a_role_that_does_not_suit)
{
    CHECK(hp_t_user_add("CLI Haulage", "haulier", "officer", "x") == NULL);
    CHECK(hp_t_user_add("CLI Haulage", "haulier", "haulier", "x") != NULL);
    /* The same organisation name with another kind is refused. */
    CHECK(hp_t_user_add("CLI Haulage", "site", "site", "y") == NULL);
}

TEST(users_are_listed_by_organisation_without_tokens_and_only_to_an_admin)
{
    char org[64];
    snprintf(org, sizeof(org), "%s", make_org("Listed Haulier", "haulier"));
    const char *token = make_user(org, "listed one", "haulier");
    make_user(org, "listed two", "haulier");
    char path[160];
    snprintf(path, sizeof(path), "/v1/users?org_id=%s", org);
    struct hp_t_resp *r = hp_t_get(path, hp_t_admin);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    CHECK_INT(cJSON_GetArraySize(items), 2);
    const cJSON *first = cJSON_GetArrayItem(items, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "name")), "listed one");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "role")), "haulier");
    CHECK(cJSON_GetObjectItem(first, "token") == NULL);
    CHECK(strstr(r->body, "hp_") == NULL);
    hp_t_free(r);
    /* Every organisation without the filter: the admin is there too. */
    r = hp_t_get("/v1/users?limit=500", hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, "test admin") != NULL);
    hp_t_free(r);
    r = hp_t_get("/v1/users?org_id=nope", hp_t_admin);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    r = hp_t_get("/v1/users", token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}
