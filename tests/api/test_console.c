/* The console as the service serves it: the page at / and at the page's
 * own paths, fingerprinted bundles, caching, gzip, and the security
 * headers; GET /v1/console-config. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static void check_security_headers(const struct hp_t_resp *r)
{
    CHECK_STR(hp_t_header(r, "Content-Security-Policy"), CSP);
    CHECK_STR(hp_t_header(r, "X-Content-Type-Options"), "nosniff");
    CHECK_STR(hp_t_header(r, "Referrer-Policy"), "no-referrer");
}

/* The path of the first asset of index.html ending in ext (static buffer). */
static const char *asset_path(const char *ext)
{
    static char path[128];
    path[0] = '\0';
    struct hp_t_resp *r = hp_t_get("/", NULL);
    for (const char *p = r->body ? strstr(r->body, "/assets/") : NULL; p; p = strstr(p + 1, "/assets/")) {
        size_t n = strcspn(p, "\"");
        if (n > strlen(ext) && n < sizeof(path) && strncmp(p + n - strlen(ext), ext, strlen(ext)) == 0) {
            memcpy(path, p, n);
            path[n] = '\0';
            break;
        }
    }
    hp_t_free(r);
    return path;
}

TEST(the_page_is_served_at_the_root_with_a_strict_content_security_policy)
{
    struct hp_t_resp *r = hp_t_get("/", NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Type"), "text/html; charset=utf-8");
    CHECK_STR(hp_t_header(r, "Cache-Control"), "no-cache");
    CHECK(hp_t_header(r, "ETag") != NULL);
    check_security_headers(r);
    CHECK(r->body && strstr(r->body, "<script type=\"module\" src=\"/assets/app.") != NULL);
    /* No inline script or style: every <script> names its source. */
    CHECK(r->body && strstr(r->body, "<script>") == NULL && strstr(r->body, "<style") == NULL);
    hp_t_free(r);
}

TEST(the_pages_own_paths_answer_the_page_and_unknown_api_paths_stay_404)
{
    const char *pages[] = {"/haulier/fleet", "/officer/queue", "/applications/123", "/x"};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_get(pages[i], NULL);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_header(r, "Content-Type"), "text/html; charset=utf-8");
        check_security_headers(r);
        hp_t_free(r);
    }
    const char *api[] = {"/v1/nothing", "/v1", "/v1/zones/x/y/z"};
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = hp_t_get(api[i], NULL);
        CHECK_INT(r->status, 404);
        CHECK_STR(hp_t_header(r, "Content-Type"), "application/problem+json");
        hp_t_free(r);
    }
    /* A stale bundle's name is not the page (a script tag would run it). */
    struct hp_t_resp *r = hp_t_get("/assets/app.000000000000.js", NULL);
    CHECK_INT(r->status, 404);
    CHECK_STR(hp_t_header(r, "Content-Type"), "application/problem+json");
    hp_t_free(r);
    r = hp_t_post("/haulier/fleet", NULL, "{}");
    CHECK(r->status == 404 || r->status == 405);
    hp_t_free(r);
}

TEST(fingerprinted_bundles_are_immutable_for_a_year_with_an_etag)
{
    const char *exts[] = {".js", ".css"};
    const char *types[] = {"text/javascript; charset=utf-8", "text/css; charset=utf-8"};
    for (int i = 0; i < 2; i++) {
        char path[128];
        snprintf(path, sizeof(path), "%s", asset_path(exts[i]));
        REQUIRE(path[0]);
        struct hp_t_resp *r = hp_t_get(path, NULL);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_header(r, "Content-Type"), types[i]);
        CHECK_STR(hp_t_header(r, "Cache-Control"), "public, max-age=31536000, immutable");
        CHECK_STR(hp_t_header(r, "Vary"), "Accept-Encoding");
        CHECK(hp_t_header(r, "Content-Encoding") == NULL);
        check_security_headers(r);
        char etag[128];
        snprintf(etag, sizeof(etag), "If-None-Match: %s", hp_t_header(r, "ETag"));
        CHECK(r->len > 1000);
        hp_t_free(r);
        const char *h[] = {etag, NULL};
        r = hp_t_req("GET", path, NULL, NULL, NULL, 0, h);
        CHECK_INT(r->status, 304);
        CHECK_INT(r->len, 0);
        hp_t_free(r);
    }
}

TEST(gzip_is_sent_only_to_a_client_that_takes_it)
{
    char path[128];
    snprintf(path, sizeof(path), "%s", asset_path(".js"));
    REQUIRE(path[0]);
    struct hp_t_resp *plain = hp_t_get(path, NULL);
    const char *gz[] = {"Accept-Encoding: br, gzip;q=0.8", NULL};
    struct hp_t_resp *r = hp_t_req("GET", path, NULL, NULL, NULL, 0, gz);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "Content-Encoding"), "gzip");
    CHECK_STR(hp_t_header(r, "Vary"), "Accept-Encoding");
    CHECK(r->len > 2 && (unsigned char)r->body[0] == 0x1f && (unsigned char)r->body[1] == 0x8b);
    CHECK(r->len < plain->len);
    char etag[128];
    snprintf(etag, sizeof(etag), "%s", hp_t_header(r, "ETag"));
    CHECK(strcmp(etag, hp_t_header(plain, "ETag")) != 0);
    hp_t_free(r);
    const char *refused[] = {"Accept-Encoding: gzip;q=0, identity", NULL};
    r = hp_t_req("GET", path, NULL, NULL, NULL, 0, refused);
    CHECK_INT(r->status, 200);
    CHECK(hp_t_header(r, "Content-Encoding") == NULL);
    CHECK_INT(r->len, plain->len);
    hp_t_free(r);
    hp_t_free(plain);
}

TEST(console_config_names_no_tile_server_unless_one_is_configured)
{
    struct hp_t_resp *r = hp_t_get("/v1/console-config", NULL);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "tile_url")));
    hp_t_free(r);
    const char *env[] = {"HAULPASS_TILE_URL=https://tiles.example.org:8443/osm/{z}/{x}/{y}.png",
                         NULL};
    struct hp_t_server second;
    REQUIRE(hp_t_server_start(&second, env) == 0);
    r = hp_t_on(&second, "GET", "/v1/console-config", NULL, NULL);
    CHECK_STR(hp_t_str(r, "tile_url"), "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png");
    hp_t_free(r);
    r = hp_t_on(&second, "GET", "/", NULL, NULL);
    const char *csp = hp_t_header(r, "Content-Security-Policy");
    CHECK(csp && strstr(csp, "img-src 'self' data: https://tiles.example.org:8443;") != NULL);
    hp_t_free(r);
    CHECK_INT(hp_t_server_stop(&second), 0);
}
