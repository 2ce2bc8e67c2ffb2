/* Route matching, pure. */
#include "test.h"

#include "haulpass/arena.h"
#include "haulpass/router.h"

static void h(struct hp_request *req) { (void)req; }

static const struct hp_route table[] = {
    {HP_GET, "/v1/users", h, 0, HP_BODY_NONE},
    {HP_POST, "/v1/users", h, 0, HP_BODY_JSON},
    {HP_POST, "/v1/users/{id}/token", h, 0, HP_BODY_NONE},
    {HP_GET, "/v1/zones/{id}", h, 0, HP_BODY_NONE},
    {HP_PUT, "/v1/zones/{id}", h, 0, HP_BODY_JSON},
    {HP_GET, "/v1/a/{x}/b/{y}", h, 0, HP_BODY_NONE},
    {0, NULL, NULL, 0, 0},
};

TEST(a_literal_path_matches_its_method)
{
    struct hp_arena *a = hp_arena_new();
    const char *p[HP_MAX_PARAMS];
    int allowed;
    CHECK_INT(hp_router_match(table, a, HP_GET, "/v1/users", p, &allowed), 0);
    CHECK_INT(hp_router_match(table, a, HP_POST, "/v1/users", p, &allowed), 1);
    hp_arena_free(a);
}

TEST(parameters_are_captured_in_pattern_order)
{
    struct hp_arena *a = hp_arena_new();
    const char *p[HP_MAX_PARAMS];
    int allowed;
    CHECK_INT(hp_router_match(table, a, HP_POST, "/v1/users/abc-1/token", p, &allowed), 2);
    CHECK_STR(p[0], "abc-1");
    CHECK_INT(hp_router_match(table, a, HP_GET, "/v1/a/1/b/2", p, &allowed), 5);
    CHECK_STR(p[0], "1");
    CHECK_STR(p[1], "2");
    hp_arena_free(a);
}

TEST(a_known_path_with_another_method_reports_the_allowed_ones)
{
    struct hp_arena *a = hp_arena_new();
    const char *p[HP_MAX_PARAMS];
    int allowed;
    CHECK_INT(hp_router_match(table, a, HP_DELETE, "/v1/zones/7", p, &allowed), -1);
    CHECK_INT(allowed, HP_GET | HP_HEAD | HP_PUT);
    CHECK_STR(hp_router_allow_header(a, allowed), "GET, HEAD, PUT");
    hp_arena_free(a);
}

TEST(head_is_served_by_the_get_route)
{
    struct hp_arena *a = hp_arena_new();
    const char *p[HP_MAX_PARAMS];
    int allowed;
    CHECK_INT(hp_router_match(table, a, HP_HEAD, "/v1/zones/9", p, &allowed), 3);
    hp_arena_free(a);
}

TEST(unknown_paths_empty_parameters_and_trailing_slashes_do_not_match)
{
    struct hp_arena *a = hp_arena_new();
    const char *p[HP_MAX_PARAMS];
    int allowed;
    const char *paths[] = {"/v1/nope", "/v1/zones/", "/v1/zones", "/v1/users/",
                           "/v1/users//token", "/v1/zones/1/x", "", "v1/users", "/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        CHECK_INT(hp_router_match(table, a, HP_GET, paths[i], p, &allowed), -1);
        CHECK_INT(allowed, 0);
    }
    hp_arena_free(a);
}

TEST(method_names_map_to_methods_and_unknown_ones_to_zero)
{
    CHECK_INT(hp_method_from_name("GET"), HP_GET);
    CHECK_INT(hp_method_from_name("DELETE"), HP_DELETE);
    CHECK_INT(hp_method_from_name("get"), 0);
    CHECK_INT(hp_method_from_name("BREW"), 0);
}
