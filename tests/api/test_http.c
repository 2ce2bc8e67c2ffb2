/* The HTTP core: errors as problem+json, limits, request ids, the access
 * log, draining on SIGTERM, and the command line. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const debug_env[] = {"HAULPASS_DEBUG_ROUTES=1", NULL};

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static void check_problem(struct hp_t_resp *r, int status, const char *type)
{
    CHECK_INT(r->status, status);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/problem+json");
    CHECK_STR(hp_t_str(r, "type"), type);
    CHECK(hp_t_str(r, "title") != NULL);
    CHECK(hp_t_str(r, "detail") != NULL);
    const cJSON *st = cJSON_GetObjectItem(r->json, "status");
    CHECK(cJSON_IsNumber(st) && st->valueint == status);
}

TEST(an_unknown_path_is_404_problem_json)
{
    struct hp_t_resp *r = hp_t_get("/v1/nothing-here", hp_t_admin);
    check_problem(r, 404, "urn:haulpass:problem:not-found");
    hp_t_free(r);
}

TEST(a_wrong_method_is_405_with_allow)
{
    struct hp_t_resp *r = hp_t_req("DELETE", "/v1/orgs", hp_t_admin, NULL, NULL, 0, NULL);
    check_problem(r, 405, "urn:haulpass:problem:method-not-allowed");
    CHECK_STR(hp_t_header(r, "Allow"), "GET, HEAD, POST");
    hp_t_free(r);
    r = hp_t_req("BREW", "/healthz", NULL, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 405);
    hp_t_free(r);
}

TEST(an_unknown_method_is_told_every_method_of_the_path)
{
    struct hp_t_resp *r =
        hp_t_req("OPTIONS", "/v1/zones/00000000-0000-0000-0000-000000000000", hp_t_admin, NULL,
                 NULL, 0, NULL);
    CHECK_INT(r->status, 405);
    CHECK_STR(hp_t_header(r, "Allow"), "GET, HEAD, PUT, DELETE");
    hp_t_free(r);
}

TEST(a_path_that_is_not_utf8_is_400_and_never_echoed)
{
    struct hp_t_resp *r = hp_t_get("/v1/vehicles/%FF%FEab", hp_t_admin);
    check_problem(r, 400, "urn:haulpass:problem:bad-path");
    CHECK(strstr(hp_t_str(r, "detail"), "\xff") == NULL);
    hp_t_free(r);
    /* A plate in another script is UTF-8 and reaches its route. */
    r = hp_t_get("/v1/vehicles/%E9%B2%81Q12345", hp_t_admin);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(the_headers_are_judged_before_the_body_is_read)
{
    /* 10 MiB of KML, chunked (no Content-Length): refused for who sends it,
     * not for its size or content, and never buffered. */
    size_t n = 10u << 20;
    char *big = malloc(n);
    memset(big, ' ', n);
    const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
    const char *kml = "application/vnd.google-earth.kml+xml";
    struct hp_t_resp *r = hp_t_req("POST", "/v1/zones/import", NULL, kml, big, n, chunked);
    check_problem(r, 401, "urn:haulpass:problem:unauthorized");
    hp_t_free(r);
    const char *haulier = hp_t_user_add("Early Haulage", "haulier", "haulier", "Early");
    r = hp_t_req("POST", "/v1/zones/import", haulier, kml, big, n, chunked);
    check_problem(r, 403, "urn:haulpass:problem:forbidden");
    hp_t_free(r);
    r = hp_t_req("POST", "/v1/nowhere", hp_t_admin, kml, big, n, chunked);
    check_problem(r, 404, "urn:haulpass:problem:not-found");
    hp_t_free(r);
    /* Over the limit by Content-Length: 401 still comes first, then 413. */
    size_t over = (16u << 20) + 1;
    char *huge = malloc(over);
    memset(huge, ' ', over);
    r = hp_t_req("POST", "/v1/zones/import", NULL, kml, huge, over, NULL);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    r = hp_t_req("POST", "/v1/zones/import", hp_t_admin, kml, huge, over, NULL);
    CHECK_INT(r->status, 413);
    hp_t_free(r);
    free(huge);
    free(big);
    /* The service still answers. */
    r = hp_t_get("/healthz", NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

TEST(a_body_over_one_mebibyte_is_413)
{
    size_t n = (1u << 20) + 10;
    char *big = malloc(n);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    struct hp_t_resp *r = hp_t_req("POST", "/v1/orgs", hp_t_admin, NULL, big, n, NULL);
    check_problem(r, 413, "urn:haulpass:problem:too-large");
    hp_t_free(r);
    /* Without a Content-Length (chunked), the limit holds as the body arrives. */
    const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
    r = hp_t_req("POST", "/v1/orgs", hp_t_admin, NULL, big, n, chunked);
    CHECK_INT(r->status, 413);
    hp_t_free(r);
    free(big);
    /* Exactly at the limit is read (and then judged on its content). */
    n = 1u << 20;
    big = malloc(n);
    memset(big, ' ', n);
    memcpy(big, "{\"name\":\"Limit\",\"kind\":\"site\"}", 30);
    r = hp_t_req("POST", "/v1/orgs", hp_t_admin, NULL, big, n, NULL);
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    free(big);
}

TEST(a_wrong_content_type_is_415)
{
    const char *body = "{\"name\":\"CT\",\"kind\":\"site\"}";
    struct hp_t_resp *r = hp_t_req("POST", "/v1/orgs", hp_t_admin, "text/plain", body,
                                   strlen(body), NULL);
    check_problem(r, 415, "urn:haulpass:problem:unsupported-media-type");
    hp_t_free(r);
    r = hp_t_req("POST", "/v1/orgs", hp_t_admin, "application/json; charset=utf-8", body,
                 strlen(body), NULL);
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(malformed_json_is_400_naming_the_place)
{
    const char *bodies[] = {"{\"name\":", "not json", "{\"a\":1} trailing", "", "[1,2",
                            "{\"name\":\"\\ud800\"}"};
    for (int i = 0; i < 6; i++) {
        struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, bodies[i]);
        check_problem(r, 400, "urn:haulpass:problem:malformed-json");
        hp_t_free(r);
    }
    /* Deep nesting is refused, never a crash. */
    char *deep = malloc(200002);
    memset(deep, '[', 100000);
    memset(deep + 100000, ']', 100000);
    deep[200000] = '\0';
    struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, deep);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    free(deep);
}

TEST(json_that_is_not_an_object_or_has_wrong_types_is_422)
{
    const char *bodies[] = {"[1]", "42", "\"x\"", "null"};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, bodies[i]);
        check_problem(r, 422, "urn:haulpass:problem:invalid");
        hp_t_free(r);
    }
    struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, "{\"name\":[],\"kind\":1,\"x\":2}");
    CHECK_INT(r->status, 422);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "errors")), 3);
    hp_t_free(r);
    /* Text that is not UTF-8 never reaches the database. */
    const char bad_utf8[] = "{\"name\":\"\xff\xfe\",\"kind\":\"site\"}";
    r = hp_t_req("POST", "/v1/orgs", hp_t_admin, NULL, bad_utf8, sizeof(bad_utf8) - 1, NULL);
    CHECK_INT(r->status, 422);
    hp_t_free(r);
}

TEST(a_body_sent_to_an_endpoint_that_reads_none_is_422_unless_it_says_nothing)
{
    /* Confirming an escort reads no body (retiring a zone now reads an
     * optional {reason}, docs/contract.md §13). */
    const char *escort = "/v1/escorts/00000000-0000-0000-0000-000000000000/confirm";
    const char *refused[] = {"{\"reason\":\"because\"}", "[]", "x", "null", "{} {\"reason\":1}",
                             "{}x"};
    for (int i = 0; i < 6; i++) {
        struct hp_t_resp *r = hp_t_req("POST", escort, hp_t_admin, NULL, refused[i],
                                       strlen(refused[i]), NULL);
        check_problem(r, 422, "urn:haulpass:problem:invalid");
        const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "pointer")), "");
        hp_t_free(r);
    }
    /* Nothing, blanks or {} reach the handler, which knows no such escort. */
    const char *accepted[] = {"", " \r\n", " { } "};
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = hp_t_req("POST", escort, hp_t_admin, NULL, accepted[i],
                                       strlen(accepted[i]), NULL);
        CHECK_INT(r->status, 404);
        hp_t_free(r);
    }
    struct hp_t_resp *r = hp_t_post("/v1/queue/claim", hp_t_admin, "{\"type\":\"oversize\"}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
}

TEST(the_request_id_is_echoed_or_made)
{
    const char *h[] = {"X-Request-Id: trace-123.abc", NULL};
    struct hp_t_resp *r = hp_t_req("GET", "/healthz", NULL, NULL, NULL, 0, h);
    CHECK_STR(hp_t_header(r, "X-Request-Id"), "trace-123.abc");
    hp_t_free(r);
    r = hp_t_get("/healthz", NULL);
    const char *made = hp_t_header(r, "X-Request-Id");
    CHECK(made != NULL && strlen(made) == 16);
    hp_t_free(r);
    const char *junk[] = {"X-Request-Id: <script>", NULL};
    r = hp_t_req("GET", "/healthz", NULL, NULL, NULL, 0, junk);
    CHECK(strcmp(hp_t_header(r, "X-Request-Id"), "<script>") != 0);
    hp_t_free(r);
}

/* How many lines of the server's log contain a (and b, unless NULL). */
static int log_lines_with(const char *a, const char *b)
{
    FILE *f = fopen(hp_t.log, "r");
    char line[8192];
    int n = 0;
    while (f && fgets(line, sizeof(line), f))
        n += strstr(line, a) && (!b || strstr(line, b));
    if (f)
        fclose(f);
    return n;
}

TEST(every_request_writes_one_json_access_log_line)
{
    const char *h[] = {"X-Request-Id: access-log-probe", NULL};
    struct hp_t_resp *r = hp_t_req("GET", "/v1/orgs?limit=3", hp_t_admin, NULL, NULL, 0, h);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    /* The line may be written after the reply has reached us. */
    HP_T_EVENTUALLY(log_lines_with("access-log-probe", NULL) > 0);
    FILE *f = fopen(hp_t.log, "r");
    REQUIRE(f != NULL);
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof(line), f)) {
        if (!strstr(line, "access-log-probe"))
            continue;
        cJSON *j = cJSON_Parse(line);
        CHECK(j != NULL);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "method")), "GET");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "path")), "/v1/orgs");
        CHECK_INT(cJSON_GetObjectItem(j, "status")->valueint, 200);
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "us")));
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "request_id")), "access-log-probe");
        cJSON_Delete(j);
        found++;
    }
    fclose(f);
    CHECK_INT(found, 1);
}

/* The path as the log shows it, from the line of request id rid. */
static char *logged_path(const char *rid, int *status)
{
    /* The line may be written after the reply has reached us. */
    HP_T_EVENTUALLY(log_lines_with(rid, "\"msg\":\"request\"") > 0);
    FILE *f = fopen(hp_t.log, "r");
    char line[8192], *path = NULL;
    while (f && fgets(line, sizeof(line), f)) {
        if (!strstr(line, rid) || !strstr(line, "\"msg\":\"request\""))
            continue;
        cJSON *j = cJSON_Parse(line);
        CHECK(j != NULL);
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(j, "path"));
        free(path);
        path = p ? strdup(p) : NULL;
        *status = j ? cJSON_GetObjectItem(j, "status")->valueint : 0;
        cJSON_Delete(j);
    }
    if (f)
        fclose(f);
    return path;
}

TEST(a_path_with_quotes_backslashes_and_controls_still_logs_one_json_line)
{
    const char *h1[] = {"X-Request-Id: access-log-quotes", NULL};
    struct hp_t_resp *r = hp_t_req("GET", "/v1/a%22b%5Cc%E8%B7%AF", NULL, NULL, NULL, 0, h1);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    int status = 0;
    char *path = logged_path("access-log-quotes", &status);
    CHECK_STR(path, "/v1/a\"b\\c路");
    CHECK_INT(status, 404);
    free(path);
    /* A control character makes the path bad (400, masked), the line
     * still JSON. */
    const char *h2[] = {"X-Request-Id: access-log-control", NULL};
    r = hp_t_req("GET", "/v1/a%01b", NULL, NULL, NULL, 0, h2);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    path = logged_path("access-log-control", &status);
    CHECK(path != NULL);
    CHECK_INT(status, 400);
    free(path);
}

/* A %00 in the path used to end it early: "/v1/calendar/2027%00garbage"
 * answered for 2027, and a PUT wrote 2027. */
TEST(a_nul_in_the_path_is_400_never_the_path_cut_short)
{
    const char *gets[] = {"/v1/calendar/2027%00garbage", "/v1/me%00junk", "/v1/orgs%00",
                          "/v1/zones/00000000-0000-4000-8000-000000000000%00junk",
                          "/v1/passes/HP1%00junk/revisions", "/%00", "/healthz%00x"};
    for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
        struct hp_t_resp *r = hp_t_get(gets[i], hp_t_admin);
        check_problem(r, 400, "urn:haulpass:problem:bad-path");
        if (r->status != 400)
            printf("    %s gave %ld\n", gets[i], r->status);
        hp_t_free(r);
    }
    const char *days = "{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"holiday\"}]}";
    const char *h[] = {"X-Request-Id: nul-in-the-path", NULL};
    struct hp_t_resp *r =
        hp_t_req("PUT", "/v1/calendar/2027%00zzz", hp_t_admin, NULL, days, strlen(days), h);
    check_problem(r, 400, "urn:haulpass:problem:bad-path");
    hp_t_free(r);
    r = hp_t_get("/v1/calendar/2027", hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\""); /* never written */
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM audit WHERE entity = 'calendar'"), 0);
    /* The log shows the whole path, the NUL masked. */
    int status = 0;
    char *path = logged_path("nul-in-the-path", &status);
    CHECK_STR(path, "/v1/calendar/2027?zzz");
    CHECK_INT(status, 400);
    free(path);
    /* In a query parameter it is 400 bad-parameter, as it was. */
    r = hp_t_get("/v1/orgs?limit=1%00", hp_t_admin);
    check_problem(r, 400, "urn:haulpass:problem:bad-parameter");
    hp_t_free(r);
    r = hp_t_get("/v1/orgs?x%00y=1", hp_t_admin);
    check_problem(r, 400, "urn:haulpass:problem:bad-parameter");
    hp_t_free(r);
    /* Other escapes still decode. */
    r = hp_t_get("/v1/or%67s?limit=%31", hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    hp_t_free(r);
}

/* A request with a header line of its own making, sent as it is. */
static struct hp_t_resp *raw_get(const char *target, const char *header, size_t header_len)
{
    char req[1024];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", target);
    memcpy(req + n, header, header_len);
    n += (int)header_len;
    n += snprintf(req + n, sizeof(req) - (size_t)n, "Connection: close\r\n\r\n");
    return hp_t_raw(req, (size_t)n);
}

#define RAW(s) s, sizeof(s) - 1

TEST(header_lines_of_every_lawful_shape_are_read)
{
    /* Empty values, tabs, trailing blanks and bare LFs. */
    struct hp_t_resp *r =
        hp_t_raw(RAW("GET /healthz HTTP/1.1\nHost: x\nX-Empty:\r\nX-Tab:\tv\t\r\n"
                     "X-Blank: v  \r\nConnection: close\n\n"));
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

/* RFC 9112 section 3.2.2: a server must accept the absolute form. */
TEST(an_absolute_form_target_is_routed_by_its_path)
{
    char line[256];
    int n = snprintf(line, sizeof(line), "Authorization: Bearer %s\r\n", hp_t_admin);
    struct hp_t_resp *r = raw_get("http://evil.example/v1/me", line, (size_t)n);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/json");
    CHECK_STR(hp_t_str(r, "role"), "admin");
    hp_t_free(r);
    r = raw_get("HTTPS://user@evil.example:8443/v1/orgs?limit=1", line, (size_t)n);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
    hp_t_free(r);
    r = raw_get("http://evil.example/v1/nothing-here", line, (size_t)n);
    check_problem(r, 404, "urn:haulpass:problem:not-found");
    hp_t_free(r);
    r = raw_get("http://evil.example/v1/me", "", 0);
    check_problem(r, 401, "urn:haulpass:problem:unauthorized");
    hp_t_free(r);
    /* No path at all is "/". */
    r = raw_get("http://evil.example", "", 0);
    CHECK_INT(r->status, 200);
    const char *ct = hp_t_header(r, "Content-Type");
    CHECK(ct && strncmp(ct, "text/html", 9) == 0);
    hp_t_free(r);
    /* Neither a path nor an http(s) URI: 400, never the console's page. */
    const char *targets[] = {"*", "v1/me", "ftp://evil.example/v1/me", "evil.example:80"};
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        r = raw_get(targets[i], line, (size_t)n);
        check_problem(r, 400, "urn:haulpass:problem:bad-path");
        hp_t_free(r);
    }
}

TEST(head_answers_like_get_without_a_body)
{
    struct hp_t_resp *r = hp_t_req("HEAD", "/healthz", NULL, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 200);
    CHECK_INT(r->len, 0);
    hp_t_free(r);
}

TEST(debug_routes_are_off_unless_enabled)
{
    struct hp_t_resp *r = hp_t_get("/debug/db-wait?ms=1", NULL);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

/* A request that holds a database connection for ms on s; its status. */
struct slow {
    struct hp_t_server *s;
    int ms;
    long status;
};

static void *slow_request(void *arg)
{
    struct slow *sl = arg;
    char path[64];
    snprintf(path, sizeof(path), "/debug/db-wait?ms=%d", sl->ms);
    struct hp_t_resp *r = hp_t_on(sl->s, "GET", path, NULL, NULL);
    sl->status = r->status;
    hp_t_free(r);
    return NULL;
}

/* How many requests of this test's servers are in pg_sleep now. */
static int sleeps_running(void)
{
    return hp_t_sql_int("SELECT count(*)::int FROM pg_stat_activity"
                        " WHERE datname = current_database() AND state = 'active'"
                        " AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
}

TEST(sigterm_drains_the_request_in_flight_then_exits_0)
{
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, debug_env) == 0);
    struct slow sl = {&s, 1000, 0};
    pthread_t t;
    pthread_create(&t, NULL, slow_request, &sl);
    /* Wait until the request is waiting on the database (its pg_sleep is
     * running), however long a loaded machine takes to get it there. */
    HP_T_EVENTUALLY(sleeps_running() > 0);
    int rc = hp_t_server_stop(&s);
    pthread_join(t, NULL);
    CHECK_INT(rc, 0);
    CHECK_INT(sl.status, 200);
}

static bool new_connection_gets_no_answer(struct hp_t_server *s)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/healthz", NULL, NULL);
    bool turned_away = r->status == 0;
    hp_t_free(r);
    return turned_away;
}

/* Once SIGTERM has come, a new connection is closed unanswered (the
 * accept policy in src/http/server.c) while the request in flight still
 * finishes; libmicrohttpd's own quiescing could abort the process. */
TEST(during_the_drain_a_new_connection_is_turned_away_and_the_request_in_flight_finishes)
{
    struct hp_t_server s = {0};
    REQUIRE(hp_t_server_start(&s, debug_env) == 0);
    /* Past the longest wait /debug/db-wait allows: 400, not held. */
    struct hp_t_resp *r = hp_t_on(&s, "GET", "/debug/db-wait?ms=8001", NULL, NULL);
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    struct slow sl = {&s, 5000, 0};
    pthread_t t;
    pthread_create(&t, NULL, slow_request, &sl);
    HP_T_EVENTUALLY(sleeps_running() > 0);
    kill(s.pid, SIGTERM);
    HP_T_EVENTUALLY(new_connection_gets_no_answer(&s));
    CHECK(sleeps_running() > 0); /* turned away during the drain, not after the exit */
    int rc = hp_t_server_stop(&s);
    pthread_join(t, NULL);
    CHECK_INT(rc, 0);
    CHECK_INT(sl.status, 200);
}

/* Whether a thread of process pid is named name (/proc/PID/task/TID/comm). */
static bool has_thread(pid_t pid, const char *name)
{
    return hp_t_sh("grep -qx '%s' /proc/%d/task/*/comm", name, (int)pid) == 0;
}

TEST(the_server_threads_are_named_for_their_jobs)
{
    /* An operator's top -H or perf tells the database workers, the
     * snapshot loader and the webhook deliverer apart. */
    CHECK(has_thread(hp_t.pid, "hp-db-worker"));
    CHECK(has_thread(hp_t.pid, "hp-snapshot"));
    CHECK(has_thread(hp_t.pid, "hp-webhooks"));
    CHECK(!has_thread(hp_t.pid, "no-such-thread"));
}

TEST(a_second_server_cannot_take_a_port_in_use)
{
    CHECK(hp_t_sh("timeout 5 %s serve --db \"%s\" --listen 127.0.0.1:%d 2>/dev/null",
                  getenv("HAULPASS_BIN"), hp_t.conninfo, hp_t.port) != 0);
}

TEST(the_command_line_prints_usage_and_exits_0_or_2)
{
    const char *bin = getenv("HAULPASS_BIN");
    CHECK_INT(hp_t_sh("%s --help | grep -q 'usage: haulpass'", bin), 0);
    CHECK_INT(hp_t_sh("%s --version | grep -q '^haulpass '", bin), 0);
    CHECK_INT(hp_t_sh("%s serve --help | grep -q 'usage: haulpass serve'", bin), 0);
    CHECK_INT(hp_t_sh("%s migrate --help >/dev/null", bin), 0);
    CHECK_INT(hp_t_sh("%s user add --help | grep -q -- '--org'", bin), 0);
    CHECK_INT(hp_t_sh("%s --bogus 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s serve --bogus 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s serve --bogus 2>&1 >/dev/null | grep -q usage", bin), 0);
    CHECK_INT(hp_t_sh("%s serve --threads 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s serve --tz Mars/Olympus 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s serve --listen nowhere 2>/dev/null", bin), 2);
    /* A mistyped setting stops the service by name, before it listens. */
    CHECK_INT(hp_t_sh("HAULPASS_DB_POOL=sixteen timeout 5 %s serve 2>&1 >/dev/null"
                      " | grep -q 'HAULPASS_DB_POOL must be a whole number'", bin), 0);
    CHECK_INT(hp_t_sh("HAULPASS_DB_POOL=sixteen timeout 5 %s serve 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("timeout 5 %s serve --db-pool 0 2>&1 >/dev/null"
                      " | grep -q -- '--db-pool must'", bin), 0);
    CHECK_INT(hp_t_sh("timeout 5 %s serve --threads 2>&1 >/dev/null"
                      " | grep -q -- '--threads needs a value'", bin), 0);
    /* A database nobody has, should a regression let it run. */
    CHECK_INT(hp_t_sh("HAULPASS_DEBUG_ROUTES=yes timeout 5 %s migrate"
                      " --db 'host=/nonexistent dbname=none' 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s user add --org x 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s frobnicate 2>/dev/null", bin), 2);
    CHECK_INT(hp_t_sh("%s 2>/dev/null", bin), 2);
}

TEST(migrate_is_safe_twice_and_from_two_processes_at_once)
{
    PGconn *db = hp_t_db();
    char name[64];
    snprintf(name, sizeof(name), "hp_test_migrate_%d", (int)getpid());
    char sql[256];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", name);
    PQclear(PQexec(db, sql));
    /* The test database's conninfo with the other dbname (last keyword wins). */
    char ci[1200];
    snprintf(ci, sizeof(ci), "%s dbname='%s'", hp_t.conninfo, name);
    const char *bin = getenv("HAULPASS_BIN");
    CHECK_INT(hp_t_sh("(%s migrate --db \"%s\" 2>/dev/null & %s migrate --db \"%s\" 2>/dev/null & "
                      "wait %%1 && wait %%2)", bin, ci, bin, ci), 0);
    CHECK_INT(hp_t_sh("%s migrate --db \"%s\" 2>&1 | grep -q '0 migrations applied'", bin, ci), 0);
    PGconn *m = PQconnectdb(ci);
    PGresult *r = PQexec(m, "SELECT count(*), count(DISTINCT name) FROM schema_migrations");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        CHECK_STR(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
    PQclear(r);
    r = PQexec(m, "SELECT extname FROM pg_extension WHERE extname IN ('postgis', 'btree_gist')");
    CHECK_INT(PQntuples(r), 2);
    PQclear(r);
    PQfinish(m);
    snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", name);
    PQclear(PQexec(db, sql));
    CHECK_INT(hp_t_sh("%s migrate --db 'host=/nonexistent dbname=x' 2>/dev/null", bin), 1);
}
