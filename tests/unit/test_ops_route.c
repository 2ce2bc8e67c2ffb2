/* The positions of a route as the route check reads them (ops_route.h). */
#include "test.h"

#include "haulpass/ops_route.h"

#include <stdlib.h>

/* The problems reported, "pointer: message; …". */
struct problems {
    char text[4096];
    int n;
};

static void collect(void *ctx, const char *pointer, const char *message)
{
    struct problems *p = ctx;
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof(p->text) - len, "%s%s: %s", p->n ? "; " : "", pointer,
             message);
    p->n++;
}

/* The positions of the route of JSON text, or NULL with the problems in p. */
static double *positions(const char *text, int *n, struct problems *p)
{
    cJSON *route = cJSON_Parse(text);
    memset(p, 0, sizeof(*p));
    double *xy = hp_ops_route_positions(route, n, collect, p);
    cJSON_Delete(route);
    return xy;
}

TEST(a_linestring_gives_its_positions_in_order_a_height_ignored)
{
    struct problems p;
    int n = 0;
    double *xy = positions("{\"type\":\"LineString\",\"coordinates\":"
                           "[[118.3,35.04],[118.4,35.05,12.5],[180,-90]]}",
                           &n, &p);
    REQUIRE(xy != NULL);
    CHECK_INT(n, 3);
    CHECK_INT(p.n, 0);
    CHECK(xy[0] == 118.3 && xy[1] == 35.04);
    CHECK(xy[2] == 118.4 && xy[3] == 35.05);
    CHECK(xy[4] == 180 && xy[5] == -90);
    free(xy);
}

TEST(a_route_that_is_no_linestring_is_refused_with_one_problem)
{
    struct problems p;
    int n = 0;
    CHECK(positions("{\"type\":\"Point\",\"coordinates\":[118.3,35.04]}", &n, &p) == NULL);
    CHECK_STR(p.text, ": must be a GeoJSON LineString");
    CHECK(positions("[[118.3,35.04],[118.4,35.05]]", &n, &p) == NULL);
    CHECK_STR(p.text, ": must be a GeoJSON LineString");
}

TEST(a_route_of_one_position_is_refused_at_its_coordinates)
{
    struct problems p;
    int n = 0;
    CHECK(positions("{\"type\":\"LineString\",\"coordinates\":[[118.3,35.04]]}", &n, &p) ==
          NULL);
    CHECK_STR(p.text, "/coordinates: must hold 2 to 100000 positions");
}

TEST(each_bad_position_is_reported_with_its_pointer)
{
    struct problems p;
    int n = 0;
    CHECK(positions("{\"type\":\"LineString\",\"coordinates\":"
                    "[[118.3,35.04],[181,35],[118,91],[\"x\",1],[1]]}",
                    &n, &p) == NULL);
    CHECK_STR(p.text, "/coordinates/1: longitude must be between -180 and 180; "
                      "/coordinates/2: latitude must be between -90 and 90; "
                      "/coordinates/3: must be a position: [longitude, latitude] in finite "
                      "numbers; "
                      "/coordinates/4: must be a position: [longitude, latitude] in finite "
                      "numbers");
}

TEST(each_segment_across_the_antimeridian_is_refused_at_its_second_position)
{
    struct problems p;
    int n = 0;
    CHECK(positions("{\"type\":\"LineString\",\"coordinates\":"
                    "[[179.95,0.5],[-179.95,0.5],[-179.9,0.5],[179.9,0.5]]}",
                    &n, &p) == NULL);
    CHECK_INT(p.n, 2);
    CHECK(strstr(p.text, "/coordinates/1: the edge from the position before crosses the "
                         "antimeridian") == p.text);
    CHECK(strstr(p.text, "; /coordinates/3: the edge from the position before crosses the "
                         "antimeridian") != NULL);
}

TEST(a_route_along_the_antimeridian_on_one_side_is_read)
{
    struct problems p;
    int n = 0;
    double *xy = positions("{\"type\":\"LineString\",\"coordinates\":"
                           "[[179.9,0.5],[179.99,0.5],[180,0.6]]}",
                           &n, &p);
    REQUIRE(xy != NULL);
    CHECK_INT(n, 3);
    CHECK_INT(p.n, 0);
    free(xy);
}

TEST(at_most_twenty_bad_positions_are_reported)
{
    char text[4096] = "{\"type\":\"LineString\",\"coordinates\":[[0,0]";
    for (int i = 0; i < 50; i++)
        strcat(text, ",[200,0]");
    strcat(text, "]}");
    struct problems p;
    int n = 0;
    CHECK(positions(text, &n, &p) == NULL);
    CHECK_INT(p.n, 20);
}
