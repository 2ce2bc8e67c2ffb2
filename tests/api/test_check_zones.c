/* POST /v1/checks/zones: the zones in a box that restrict a vehicle at an
 * instant, for the console's map coloured by vehicle and time. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who officer, haulier, rival;
static char morning[64], hazmat[64], far[64];

#define SQUARE(w, s, e, n)                                                               \
    "{\"type\":\"Polygon\",\"coordinates\":[[[" #w "," #s "],[" #e "," #s "],[" #e "," #n \
    "],[" #w "," #n "],[" #w "," #s "]]]}"

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    officer = hp_t_who_add("Zones Police", "police", "officer", "zones officer");
    haulier = hp_t_who_add("Zones Haulage", "haulier", "haulier", "zones dispatcher");
    rival = hp_t_who_add("Rival Zones Haulage", "haulier", "haulier", "rival dispatcher");
    /* Heavy trucks on weekday mornings only. */
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Morning Zone\",\"geometry\":" SQUARE(118.30, 35.00, 118.32, 35.02)
                ",\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],"
                "\"hours\":\"Mo-Fr 07:00-09:00\",\"liftable_by\":[\"construction\"]}]}",
                morning);
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Hazmat Zone\",\"geometry\":" SQUARE(118.33, 35.00, 118.34, 35.01)
                ",\"rules\":[{\"hazmat_only\":true,\"liftable_by\":[]}]}",
                hazmat);
    /* Far outside the box the tests ask about. */
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Far Zone\",\"geometry\":" SQUARE(119.50, 36.00, 119.52, 36.02)
                ",\"rules\":[{\"liftable_by\":[]}]}",
                far);
    hp_t_vehicle_add(haulier.token, "鲁Z70001");
}

#define BOX "[118.2,34.9,118.5,35.1]"

static struct hp_t_resp *ask(const char *token, const char *who, const char *at, const char *bbox)
{
    char b[512];
    snprintf(b, sizeof(b), "{%s,\"at\":\"%s\",\"bbox\":%s}", who, at, bbox);
    return hp_t_post("/v1/checks/zones", token, b);
}

/* The ids restricting, joined by spaces ("" for none; "error" unless 200). */
static const char *restricting(const char *token, const char *who, const char *at,
                               const char *bbox)
{
    static char out[512];
    struct hp_t_resp *r = ask(token, who, at, bbox);
    out[0] = '\0';
    if (r->status != 200)
        snprintf(out, sizeof(out), "error");
    const cJSON *x, *list = r->status == 200 ? cJSON_GetObjectItem(r->json, "restricting") : NULL;
    cJSON_ArrayForEach(x, list)
    {
        size_t n = strlen(out);
        snprintf(out + n, sizeof(out) - n, "%s%s", n ? " " : "",
                 cJSON_GetStringValue(cJSON_GetObjectItem(x, "zone_id")));
    }
    hp_t_free(r);
    return out;
}

#define HEAVY "\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":31000}"
#define TANKER "\"vehicle\":{\"class\":\"hazmat_tanker\",\"gross_weight_kg\":20000,\"hazmat\":true}"

TEST(a_zone_restricts_a_vehicle_only_at_the_hours_its_rule_is_in_force)
{
    once();
    /* Tuesday 2026-12-01. */
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-01T06:59:59+08:00", BOX), "");
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-01T07:00:00+08:00", BOX), morning);
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-01T08:30:00+08:00", BOX), morning);
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-01T09:00:00+08:00", BOX), "");
    /* Saturday. */
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-05T08:00:00+08:00", BOX), "");
    /* The same instant in another offset is the same instant. */
    CHECK_STR(restricting(haulier.token, HEAVY, "2026-12-01T00:30:00Z", BOX), morning);
}

TEST(a_zone_restricts_only_the_vehicles_its_rules_apply_to_and_reasons_say_why)
{
    once();
    CHECK_STR(restricting(haulier.token, TANKER, "2026-12-01T08:00:00+08:00", BOX), hazmat);
    CHECK_STR(restricting(haulier.token, "\"vehicle\":{\"class\":\"light_truck\","
                                         "\"gross_weight_kg\":3500}",
                          "2026-12-01T08:00:00+08:00", BOX),
              "");
    struct hp_t_resp *r = ask(haulier.token, "\"plate\":\"鲁Z70001\"",
                              "2026-12-01T08:00:00+08:00", BOX);
    CHECK_INT(r->status, 200);
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "restricting"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(x, "zone_name")), "Morning Zone");
    CHECK(cJSON_GetStringValue(cJSON_GetObjectItem(x, "rule_id")) != NULL);
    const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(x, "reason"));
    CHECK(reason && strstr(reason, "Morning Zone"));
    CHECK_STR(hp_t_str(r, "at"), "2026-12-01T08:00:00+08:00");
    hp_t_free(r);
}

TEST(only_the_zones_near_the_box_are_answered)
{
    once();
    const char *everything = "\"vehicle\":{\"class\":\"light_truck\",\"gross_weight_kg\":3500}";
    CHECK_STR(restricting(haulier.token, everything, "2026-12-01T08:00:00+08:00", BOX), "");
    CHECK_STR(restricting(haulier.token, everything, "2026-12-01T08:00:00+08:00",
                          "[119.4,35.9,119.6,36.1]"),
              far);
    /* A box around the hazmat zone alone. */
    CHECK_STR(restricting(haulier.token, TANKER, "2026-12-01T08:00:00+08:00",
                          "[118.335,35.005,118.336,35.006]"),
              hazmat);
}

TEST(another_organisations_plate_is_404_and_bad_input_is_422_at_its_field)
{
    once();
    struct hp_t_resp *r = ask(rival.token, "\"plate\":\"鲁Z70001\"",
                              "2026-12-01T08:00:00+08:00", BOX);
    CHECK_INT(r->status, 404);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:unknown-vehicle");
    hp_t_free(r);
    CHECK_STR(restricting(officer.token, "\"plate\":\"鲁Z70001\"", "2026-12-01T08:00:00+08:00",
                          BOX),
              morning);
    struct {
        const char *body, *pointer;
    } bad[] = {
        {"{" HEAVY ",\"at\":\"2026-12-01 08:00\",\"bbox\":" BOX "}", "/at"},
        {"{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":[1,2,3]}", "/bbox"},
        {"{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":[118.5,34.9,118.2,35.1]}",
         "/bbox"},
        {"{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":[118,95,119,96]}", "/bbox"},
        {"{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":[\"a\",1,2,3]}", "/bbox"},
        {"{\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":" BOX "}", "/plate"},
        {"{\"plate\":\"鲁Z7\\t0001\",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":" BOX "}",
         "/plate"},
        {"{" HEAVY ",\"bbox\":" BOX "}", "/at"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = hp_t_post("/v1/checks/zones", haulier.token, bad[i].body);
        CHECK_INT(r->status, 422);
        const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "pointer")), bad[i].pointer);
        hp_t_free(r);
    }
    r = hp_t_post("/v1/checks/zones", NULL, "{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\","
                                               "\"bbox\":" BOX "}");
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

TEST(without_reasons_each_restricting_zone_is_named_once_by_its_id_only)
{
    once();
    char twice[64];
    /* Two rules, both closing it to heavy trucks at 08:00 on a Tuesday. */
    hp_t_create("/v1/zones", officer.token,
                "{\"name\":\"Twice Zone\",\"geometry\":" SQUARE(120.00, 30.00, 120.01, 30.01)
                ",\"rules\":[{\"vehicle_classes\":[\"heavy_truck\"],\"liftable_by\":[]},"
                "{\"hours\":\"07:00-10:00\",\"liftable_by\":[]}]}",
                twice);
    const char *box = "[119.9,29.9,120.1,30.1]";
    struct hp_t_resp *r = ask(haulier.token, HEAVY, "2026-12-01T08:00:00+08:00", box);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "restricting")), 2);
    hp_t_free(r);
    r = hp_t_post("/v1/checks/zones", haulier.token,
                  "{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":[119.9,29.9,120.1,30.1],"
                  "\"reasons\":false}");
    CHECK_INT(r->status, 200);
    const cJSON *list = cJSON_GetObjectItem(r->json, "restricting");
    CHECK_INT(cJSON_GetArraySize(list), 1);
    const cJSON *x = cJSON_GetArrayItem(list, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(x, "zone_id")), twice);
    CHECK(!cJSON_HasObjectItem(x, "reason") && !cJSON_HasObjectItem(x, "rule_id") &&
          !cJSON_HasObjectItem(x, "zone_name"));
    CHECK_STR(hp_t_str(r, "at"), "2026-12-01T08:00:00+08:00");
    hp_t_free(r);
    /* Outside the hours of both, nothing, with or without reasons. */
    r = hp_t_post("/v1/checks/zones", haulier.token,
                  "{\"vehicle\":{\"class\":\"light_truck\",\"gross_weight_kg\":3500},"
                  "\"at\":\"2026-12-01T12:00:00+08:00\",\"bbox\":[119.9,29.9,120.1,30.1],"
                  "\"reasons\":false}");
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "restricting")), 0);
    hp_t_free(r);
    r = hp_t_post("/v1/checks/zones", haulier.token,
                  "{" HEAVY ",\"at\":\"2026-12-01T08:00:00+08:00\",\"bbox\":" BOX
                  ",\"reasons\":\"no\"}");
    CHECK_INT(r->status, 422);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "pointer")), "/reasons");
    hp_t_free(r);
}
