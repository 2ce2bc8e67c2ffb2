/* PUT/GET /v1/calendar/{year}. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

static char officer[128];

int hp_test_setup(void)
{
    if (hp_t_setup(NULL) != 0)
        return -1;
    const char *t = hp_t_user_add("Cal Police", "police", "officer", "cal officer");
    if (!t)
        return -1;
    snprintf(officer, sizeof(officer), "%s", t);
    return 0;
}
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_resp *put(const char *year, const char *body, const char *token)
{
    char path[64];
    snprintf(path, sizeof(path), "/v1/calendar/%s", year);
    return hp_t_req("PUT", path, token, NULL, body, strlen(body), NULL);
}

TEST(an_admin_replaces_a_year_and_everyone_reads_it_back_in_date_order)
{
    struct hp_t_resp *r = put("2026",
        "{\"days\":[{\"date\":\"2026-02-14\",\"kind\":\"workday\",\"name\":\"春节调休\"},"
        "{\"date\":\"2026-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"},"
        "{\"date\":\"2026-01-03\",\"kind\":\"holiday\"}]}", hp_t_admin);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = put("2026", "{\"days\":[{\"date\":\"2026-10-01\",\"kind\":\"holiday\"},"
                    "{\"date\":\"2026-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"},"
                    "{\"date\":\"2026-02-14\",\"kind\":\"workday\"}]}", hp_t_admin);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_get("/v1/calendar/2026", officer);
    CHECK_INT(r->status, 200);
    const cJSON *days = cJSON_GetObjectItem(r->json, "days");
    CHECK_INT(cJSON_GetArraySize(days), 3); /* replaced, not added */
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(days, 0), "date")),
              "2026-01-01");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(days, 0), "name")),
              "元旦");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(days, 2), "date")),
              "2026-10-01");
    hp_t_free(r);
    r = hp_t_get("/v1/calendar/2027", officer);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "days")), 0);
    hp_t_free(r);
}

static struct hp_t_resp *put_if(const char *year, const char *body, const char *if_match)
{
    char path[64], h[64];
    snprintf(path, sizeof(path), "/v1/calendar/%s", year);
    snprintf(h, sizeof(h), "If-Match: %s", if_match);
    const char *headers[] = {h, NULL};
    return hp_t_req("PUT", path, hp_t_admin, NULL, body, strlen(body), headers);
}

TEST(a_year_carries_an_etag_and_a_stale_if_match_changes_nothing)
{
    struct hp_t_resp *r = hp_t_get("/v1/calendar/2030", officer);
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\""); /* never written */
    hp_t_free(r);
    const char *one = "{\"days\":[{\"date\":\"2030-01-01\",\"kind\":\"holiday\"}]}";
    const char *two = "{\"days\":[{\"date\":\"2030-05-01\",\"kind\":\"holiday\"}]}";
    r = put_if("2030", one, "\"1\"");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"2\"");
    hp_t_free(r);
    /* Two admins read "2"; the first write wins, the second is 412. */
    r = put_if("2030", two, "\"2\"");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"3\"");
    hp_t_free(r);
    r = put_if("2030", one, "\"2\"");
    CHECK_INT(r->status, 412);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:stale");
    hp_t_free(r);
    r = put_if("2030", one, "W/\"3\""); /* weak: compared strongly, no match */
    CHECK_INT(r->status, 412);
    hp_t_free(r);
    r = hp_t_get("/v1/calendar/2030", officer);
    CHECK_STR(hp_t_header(r, "ETag"), "\"3\"");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "days"), 0), "date")),
              "2030-05-01");
    hp_t_free(r);
    /* "*" and no If-Match replace whatever is there. */
    r = put_if("2030", one, "*");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"4\"");
    hp_t_free(r);
    r = put("2030", two, hp_t_admin);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"5\"");
    hp_t_free(r);
    /* A stale write left no trace in the audit trail either. */
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM audit WHERE entity = 'calendar'"
                           " AND entity_id = '2030'"), 4);
}

TEST(only_an_admin_may_write_the_calendar)
{
    struct hp_t_resp *r = put("2026", "{\"days\":[]}", officer);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}

static void expect_422(const char *body, const char *pointer)
{
    struct hp_t_resp *r = put("2026", body, hp_t_admin);
    CHECK_INT(r->status, 422);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(e, "pointer"));
    if (!p || strcmp(p, pointer) != 0)
        printf("    %s gave %s\n", body, r->body);
    CHECK(p && strcmp(p, pointer) == 0);
    hp_t_free(r);
}

TEST(impossible_dates_other_years_duplicates_and_weekday_workdays_are_422)
{
    expect_422("{\"days\":[{\"date\":\"2026-02-30\",\"kind\":\"holiday\"}]}", "/days/0/date");
    expect_422("{\"days\":[{\"date\":\"2026-13-01\",\"kind\":\"holiday\"}]}", "/days/0/date");
    expect_422("{\"days\":[{\"date\":\"26-01-01\",\"kind\":\"holiday\"}]}", "/days/0/date");
    expect_422("{\"days\":[{\"date\":\"2025-12-31\",\"kind\":\"holiday\"}]}", "/days/0/date");
    expect_422("{\"days\":[{\"date\":\"2026-01-01\",\"kind\":\"holiday\"},"
               "{\"date\":\"2026-01-01\",\"kind\":\"holiday\"}]}", "/days/1");
    expect_422("{\"days\":[{\"date\":\"2026-01-05\",\"kind\":\"workday\"}]}", "/days/0");
    expect_422("{\"days\":[{\"date\":\"2026-01-05\",\"kind\":\"feast\"}]}", "/days/0/kind");
    expect_422("{\"days\":[{\"date\":\"2026-01-05\",\"kind\":\"holiday\",\"x\":1}]}", "/days/0/x");
    expect_422("{}", "/days");
}

TEST(a_year_outside_the_calendar_is_404)
{
    const char *bad[] = {"/v1/calendar/1999", "/v1/calendar/2101", "/v1/calendar/20x6",
                         "/v1/calendar/02026"};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_get(bad[i], officer);
        CHECK_INT(r->status, 404);
        hp_t_free(r);
    }
}
