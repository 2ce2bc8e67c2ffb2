/* The JSON of check answers (check_answer.h), written from check structs
 * over a snapshot made by hand: no GEOS, no database. */
#include "test.h"

#include "haulpass/calendar.h"
#include "haulpass/check_answer.h"
#include "haulpass/vocab.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* One zone with one rule at all hours, in a snapshot of version 7. */
static struct hp_rule the_rule = {.id = "11111111-1111-1111-1111-111111111111",
                                       .min_gross_kg = -1,
                                       .from_day = INT64_MIN,
                                       .to_day = INT64_MAX};
static struct hp_snap_zone the_zone = {.id = "22222222-2222-2222-2222-222222222222",
                                       .name = "Core",
                                       .rules = &the_rule,
                                       .nrules = 1};

static void make_snapshot(struct hp_snapshot *s)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    memset(s, 0, sizeof(*s));
    s->version = 7;
    s->zones = &the_zone;
    s->nzones = 1;
    hp_calendar_new(NULL, 0, &s->cal, NULL);
}

/* A route of 1234.5 m crossing the zone once; broken there when broken. */
static struct hp_check_crossing crossing = {.zone = 0,
                                            .stretch = {.from_m = 100, .to_m = 600.25},
                                            .enter_s = 1764554400, /* 2025-12-01T10:00+08 */
                                            .exit_s = 1764554460};
static struct hp_check_violation violation = {.crossing = 0, .zone = 0, .rule = 0,
                                              .at = 1764554400};

static struct hp_route_check check(bool broken)
{
    return (struct hp_route_check){.length_m = 1234.5, .arrive_s = 1764554500,
                                   .crossings = &crossing, .ncrossings = 1,
                                   .violations = broken ? &violation : NULL,
                                   .nviolations = broken ? 1 : 0};
}

static cJSON *parsed(struct hp_text *t)
{
    cJSON *j = t->failed ? NULL : cJSON_Parse(t->p);
    hp_text_free(t);
    return j;
}

TEST(a_convoy_answer_has_the_route_once_and_each_plates_violations_naming_the_plate)
{
    struct hp_snapshot s;
    make_snapshot(&s);
    int heavy = hp_vocab_index(hp_vehicle_classes, "heavy_truck");
    struct hp_check_vehicle v[3] = {{heavy, 30000, false}, {heavy, 20000, false},
                                    {heavy, 40000, false}};
    struct hp_route_check c[3] = {check(true), check(false), check(true)};
    const char *plates[3] = {"鲁Q00001", "鲁Q00002", "鲁Q00003"};
    struct hp_text t = {0};
    hp_check_answer_convoy(&t, &s, 3, plates, v, c);
    cJSON *j = parsed(&t);
    REQUIRE(j != NULL);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(j, "allowed")));
    CHECK_INT(cJSON_GetObjectItem(j, "zone_set_version")->valueint, 7);
    CHECK(cJSON_GetObjectItem(j, "length_m")->valuedouble == 1234.5);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "crossings")), 1);
    const cJSON *vs = cJSON_GetObjectItem(j, "violations");
    REQUIRE(cJSON_GetArraySize(vs) == 2);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(vs, 0), "plate")->valuestring, plates[0]);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(vs, 1), "plate")->valuestring, plates[2]);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(vs, 1), "rule_id")->valuestring,
              the_rule.id);
    cJSON_Delete(j);
    hp_calendar_free(s.cal);
}

TEST(a_convoy_whose_every_vehicle_may_drive_is_allowed)
{
    struct hp_snapshot s;
    make_snapshot(&s);
    struct hp_check_vehicle v[2] = {{0, 1000, false}, {0, 1000, false}};
    struct hp_route_check c[2] = {check(false), check(false)};
    const char *plates[2] = {"A1", "A2"};
    struct hp_text t = {0};
    hp_check_answer_convoy(&t, &s, 2, plates, v, c);
    cJSON *j = parsed(&t);
    REQUIRE(j != NULL);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(j, "allowed")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "violations")), 0);
    cJSON_Delete(j);
    hp_calendar_free(s.cal);
}

TEST(a_convoy_of_one_answers_as_its_route_check_with_the_plate_named)
{
    struct hp_snapshot s;
    make_snapshot(&s);
    struct hp_check_vehicle v = {0, 1000, false};
    struct hp_route_check c = check(true);
    const char *plate = "A1";
    struct hp_text one = {0}, convoy = {0};
    hp_check_answer_route(&one, &s, &v, &c, NULL);
    hp_check_answer_convoy(&convoy, &s, 1, &plate, &v, &c);
    cJSON *a = parsed(&one), *b = parsed(&convoy);
    REQUIRE(a && b);
    /* Only a plate's route check says what its oversize load needs. */
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(a, "escort")));
    cJSON_DeleteItemFromObject(a, "escort");
    cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "violations"), 0),
                               "plate");
    CHECK(cJSON_Compare(a, b, true));
    cJSON_Delete(a);
    cJSON_Delete(b);
    hp_calendar_free(s.cal);
}

/* Zone names are written eight plain bytes at a time: a character to
 * escape (or a multi-byte one) at every place of names of every length up
 * to past two such blocks comes back from a JSON parser as it went in. */
TEST(zone_names_with_quotes_controls_and_utf8_anywhere_come_back_as_they_were)
{
    struct hp_snapshot s;
    make_snapshot(&s);
    static const char *const odd[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "é", "鲁", "\"\\"};
    char *saved = the_zone.name;
    char name[64];
    int checked = 0;
    for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
        for (int len = 0; len <= 20; len++) {
            for (int at = 0; at <= len; at++) {
                int n = 0;
                for (int i = 0; i < len; i++) {
                    if (i == at)
                        n += snprintf(name + n, sizeof(name) - (size_t)n, "%s", odd[k]);
                    name[n++] = (char)('a' + i % 26);
                }
                if (at == len)
                    n += snprintf(name + n, sizeof(name) - (size_t)n, "%s", odd[k]);
                name[n] = '\0';
                the_zone.name = name;
                struct hp_check_vehicle v = {0, 1000, false};
                struct hp_route_check c = check(false);
                const char *plate = "A1";
                struct hp_text t = {0};
                hp_check_answer_convoy(&t, &s, 1, &plate, &v, &c);
                cJSON *j = parsed(&t);
                REQUIRE(j != NULL);
                const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "crossings"), 0);
                CHECK_STR(cJSON_GetObjectItem(x, "zone_name")->valuestring, name);
                cJSON_Delete(j);
                checked++;
            }
        }
    }
    the_zone.name = saved;
    CHECK_INT(checked, 9 * (21 * 22 / 2)); /* lengths 0 to 20, every place */
    hp_calendar_free(s.cal);
}
