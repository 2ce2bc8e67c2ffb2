/* Operations: health, readiness, metrics, and the OpenAPI document, which
 * must list exactly the routes of the route table. */
#include "harness.h"
#include "test.h"

#include "haulpass/router.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

TEST(healthz_and_readyz_answer_200_while_the_database_is_up)
{
    struct hp_t_resp *r = hp_t_get("/healthz", NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "ok");
    hp_t_free(r);
    r = hp_t_get("/readyz", NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

TEST(metrics_count_requests_by_route_and_status_in_prometheus_text)
{
    hp_t_free(hp_t_get("/v1/me", hp_t_admin));
    hp_t_free(hp_t_get("/v1/me", NULL));
    hp_t_free(hp_t_get("/v1/no-such-thing", NULL));
    struct hp_t_resp *r = hp_t_get("/metrics", NULL);
    CHECK_INT(r->status, 200);
    CHECK(strncmp(hp_t_header(r, "Content-Type"), "text/plain; version=0.0.4", 25) == 0);
    CHECK(strstr(r->body, "haulpass_http_requests_total{method=\"GET\",route=\"/v1/me\",status=\"200\"} 1\n") != NULL);
    CHECK(strstr(r->body, "route=\"/v1/me\",status=\"401\"} 1\n") != NULL);
    CHECK(strstr(r->body, "route=\"unmatched\",status=\"404\"} 1\n") != NULL);
    CHECK(strstr(r->body, "# TYPE haulpass_http_request_duration_seconds histogram") != NULL);
    CHECK(strstr(r->body, "haulpass_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/me\"} 2\n") != NULL);
    CHECK(strstr(r->body, "haulpass_db_pool_connections_max ") != NULL);
    CHECK(strstr(r->body, "haulpass_http_requests_in_flight 1\n") != NULL);
    hp_t_free(r);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static char *openapi_file(void)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/openapi.yaml", getenv("HAULPASS_SCHEMAS"));
    return read_file(path);
}

TEST(the_openapi_document_is_served_as_it_is_in_schemas)
{
    char *want = openapi_file();
    REQUIRE(want != NULL);
    struct hp_t_resp *r = hp_t_get("/openapi.yaml", NULL);
    CHECK_INT(r->status, 200);
    CHECK(r->len == strlen(want) && memcmp(r->body, want, r->len) == 0);
    hp_t_free(r);
    free(want);
}

/* "METHOD /path" pairs of the OpenAPI paths section: a path is a line
 * "  /x:" and its operations the lines "    get:" below it. */
static int openapi_operations(const char *doc, char ops[][160], int max)
{
    int n = 0;
    bool in_paths = false;
    char path[128] = "";
    for (const char *line = doc; *line;) {
        const char *end = strchrnul(line, '\n');
        int len = (int)(end - line);
        if (len >= 6 && strncmp(line, "paths:", 6) == 0) {
            in_paths = true;
        } else if (len > 0 && !isspace((unsigned char)line[0])) {
            in_paths = false;
        } else if (in_paths && len > 3 && strncmp(line, "  /", 3) == 0) {
            snprintf(path, sizeof(path), "%.*s", len - 3, line + 2); /* drop ":" */
        } else if (in_paths && len > 5 && strncmp(line, "    ", 4) == 0 && line[4] != ' ') {
            static const char *const methods[] = {"get", "post", "put", "patch", "delete"};
            for (int m = 0; m < 5; m++) {
                size_t ml = strlen(methods[m]);
                if (strncmp(line + 4, methods[m], ml) == 0 && line[4 + ml] == ':' && n < max) {
                    char upper[8];
                    for (size_t k = 0; k <= ml; k++)
                        upper[k] = (char)toupper((unsigned char)methods[m][k]);
                    snprintf(ops[n++], 160, "%s %s", upper, path);
                }
            }
        }
        line = *end ? end + 1 : end;
    }
    return n;
}

/* "METHOD /pattern" of route i. */
static void route_op(int i, char out[160])
{
    const char *m = hp_routes[i].method == HP_GET     ? "GET"
                    : hp_routes[i].method == HP_POST  ? "POST"
                    : hp_routes[i].method == HP_PUT   ? "PUT"
                    : hp_routes[i].method == HP_PATCH ? "PATCH"
                                                      : "DELETE";
    snprintf(out, 160, "%s %s", m, hp_routes[i].pattern);
}

TEST(every_route_is_in_the_openapi_document_and_the_other_way_round)
{
    char *doc = openapi_file();
    REQUIRE(doc != NULL);
    static char ops[512][160];
    int n = openapi_operations(doc, ops, 512);
    CHECK(n > 0);
    int routes = 0;
    char op[160];
    for (int i = 0; hp_routes[i].pattern; i++, routes++) {
        route_op(i, op);
        bool found = false;
        for (int k = 0; k < n; k++)
            found = found || strcmp(ops[k], op) == 0;
        if (!found)
            printf("    missing from openapi.yaml: %s\n", op);
        CHECK(found);
    }
    for (int k = 0; k < n; k++) {
        bool found = false;
        for (int i = 0; hp_routes[i].pattern; i++) {
            route_op(i, op);
            found = found || strcmp(ops[k], op) == 0;
        }
        if (!found)
            printf("    in openapi.yaml but not routed: %s\n", ops[k]);
        CHECK(found);
    }
    CHECK_INT(n, routes);
    free(doc);
}
