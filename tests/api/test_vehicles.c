/* Vehicles: registration, plates, visibility, changes, the CSV import. */
#include "harness.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

/* A user's token, kept (hp_t_user_add's buffer is reused). */
static char *user(const char *org, const char *kind, const char *role, const char *name)
{
    const char *t = hp_t_user_add(org, kind, role, name);
    return strdup(t ? t : "");
}

/* The organisation id of a token's user (static buffer per call site use). */
static char *org_of(const char *token)
{
    struct hp_t_resp *r = hp_t_get("/v1/me", token);
    char *id = strdup(hp_t_str(r, "org.id") ? hp_t_str(r, "org.id") : "");
    hp_t_free(r);
    return id;
}

/* A member of obj as a number (-999 when it is not one) or a string ("" when
 * it is not one), so a wrong answer fails a check instead of crashing. */
static long num(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(obj, key);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : -999;
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static struct hp_t_resp *post_vehicle(const char *token, const char *plate, const char *extra)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"plate\":\"%s\",\"class\":\"heavy_truck\",\"gross_weight_kg\":31000%s%s}", plate,
             extra ? "," : "", extra ? extra : "");
    return hp_t_post("/v1/vehicles", token, body);
}

/* Registers a vehicle and checks it was made. */
static void make_vehicle(const char *token, const char *plate)
{
    struct hp_t_resp *r = post_vehicle(token, plate, NULL);
    CHECK_INT(r->status, 201);
    if (r->status != 201)
        printf("    %s: %s\n", plate, r->body);
    hp_t_free(r);
}

static struct hp_t_resp *patch(const char *path, const char *token, const char *body,
                               const char *if_match)
{
    char h[128];
    snprintf(h, sizeof(h), "If-Match: %s", if_match ? if_match : "");
    const char *headers[] = {if_match ? h : NULL, NULL};
    return hp_t_req("PATCH", path, token, NULL, body, strlen(body), headers);
}

static struct hp_t_resp *import_csv(const char *path, const char *token, const char *csv,
                                    size_t len)
{
    return hp_t_req("POST", path, token, "text/csv", csv, len, NULL);
}

/* The first error's pointer of a 422, or "". */
static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const cJSON *p = cJSON_GetObjectItem(e, "pointer");
    return cJSON_IsString(p) ? p->valuestring : "";
}

static void expect_invalid(const char *token, const char *body, const char *pointer)
{
    struct hp_t_resp *r = hp_t_post("/v1/vehicles", token, body);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), pointer);
    if (r->status != 422 || strcmp(first_pointer(r), pointer) != 0)
        printf("    body %s gave %ld %s\n", body, r->status, r->body);
    hp_t_free(r);
}

TEST(a_haulier_registers_a_vehicle_under_its_normalised_plate)
{
    char *t = user("Reg Haulage", "haulier", "haulier", "reg");
    char *org = org_of(t);
    struct hp_t_resp *r = post_vehicle(t, " 鲁q·10001 ", "\"axles\":5,\"length_mm\":16500");
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "plate"), "鲁Q10001");
    CHECK_STR(hp_t_str(r, "org_id"), org);
    CHECK_STR(hp_t_str(r, "class"), "heavy_truck");
    CHECK_INT(num(r->json, "gross_weight_kg"), 31000);
    CHECK_INT(num(r->json, "axles"), 5);
    CHECK_INT(num(r->json, "length_mm"), 16500);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "width_mm")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "hazmat")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "new_energy")));
    CHECK_INT(num(r->json, "version"), 1);
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\"");
    CHECK_STR(hp_t_header(r, "Location"), "/v1/vehicles/%E9%B2%81Q10001");
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles/%E9%B2%81Q10001", t);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "plate"), "鲁Q10001");
    CHECK_STR(hp_t_header(r, "ETag"), "\"1\"");
    hp_t_free(r);
    free(t);
    free(org);
}

TEST(a_plate_taken_is_409_even_when_written_differently)
{
    char *t = user("Dup Haulage", "haulier", "haulier", "dup");
    char *other = user("Dup Other Haulage", "haulier", "haulier", "dup2");
    make_vehicle(t, "鲁Q10002");
    const char *same[] = {"鲁Q10002", "鲁q 10002", "鲁Q·10002", "  鲁Q-100 02 ", "鲁ｑ１０００２"};
    for (int i = 0; i < 5; i++) {
        struct hp_t_resp *r = post_vehicle(i % 2 ? other : t, same[i], NULL);
        CHECK_INT(r->status, 409);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:plate-taken");
        hp_t_free(r);
    }
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = '鲁Q10002'"), 1);
    free(t);
    free(other);
}

TEST(invalid_vehicles_are_422_with_the_pointer_of_the_field)
{
    char *t = user("Bad Haulage", "haulier", "haulier", "bad");
    const char *cls = "\"class\":\"heavy_truck\"", *w = "\"gross_weight_kg\":1000";
    char b[512];
    struct {
        const char *fields, *pointer;
    } cases[] = {
        {"\"plate\":\"\"", "/plate"},
        {"\"plate\":\" · \"", "/plate"},
        {"\"plate\":\"A\"", "/plate"},
        {"\"plate\":\"ABCDEFGHIJKLM\"", "/plate"},
        {"\"plate\":\"А123ВС77\"", "/plate"},
        {"\"plate\":\"أبج1234\"", "/plate"},
        {"\"plate\":\"🚚🚚123\"", "/plate"},
        {"\"plate\":\"AB\\u0001123\"", "/plate"},
        /* Control characters are refused even where they are white space. */
        {"\"plate\":\"鲁Q9\\n0028\"", "/plate"},
        {"\"plate\":\"鲁Q9\\t0028\"", "/plate"},
        {"\"plate\":\"\\r\\n鲁Q90028\"", "/plate"},
        {"\"plate\":\"鲁Q9\\u007f0028\"", "/plate"},
        {"\"plate\":\"鲁Q9\\u00850028\"", "/plate"},
        {"\"plate\":\"鲁Q9\\u009f0028\"", "/plate"},
        {"\"plate\":12345", "/plate"},
        {"\"plate\":null", "/plate"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(b, sizeof(b), "{%s,%s,%s}", cases[i].fields, cls, w);
        expect_invalid(t, b, cases[i].pointer);
    }
    struct {
        const char *fields, *pointer;
    } more[] = {
        {"\"class\":\"bus\",\"gross_weight_kg\":1000", "/class"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":0", "/gross_weight_kg"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":200001", "/gross_weight_kg"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1.5", "/gross_weight_kg"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":\"12\"", "/gross_weight_kg"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1e300", "/gross_weight_kg"},
        {"\"class\":\"heavy_truck\"", "/gross_weight_kg"},
        {"\"gross_weight_kg\":1000", "/class"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"axles\":0", "/axles"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"axles\":21", "/axles"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"length_mm\":999", "/length_mm"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"length_mm\":50001", "/length_mm"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"width_mm\":6001", "/width_mm"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"height_mm\":999", "/height_mm"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"hazmat\":\"yes\"", "/hazmat"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"new_energy\":1", "/new_energy"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"colour\":\"red\"", "/colour"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,\"org_id\":\"x\"", "/org_id"},
        {"\"class\":\"heavy_truck\",\"gross_weight_kg\":1000,"
         "\"org_id\":\"00000000-0000-4000-8000-000000000000\"", "/org_id"},
    };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
        snprintf(b, sizeof(b), "{\"plate\":\"鲁Q19999\",%s}", more[i].fields);
        expect_invalid(t, b, more[i].pointer);
    }
    expect_invalid(t, "{\"class\":\"heavy_truck\",\"gross_weight_kg\":1000}", "/plate");
    expect_invalid(t, "[]", "");
    struct hp_t_resp *r = hp_t_post("/v1/vehicles", t, "{\"plate\":");
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = '鲁Q19999'"), 0);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = '鲁Q90028'"), 0);
    free(t);
}

TEST(a_refused_character_is_named_in_the_message)
{
    char *t = user("Bad Haulage", "haulier", "haulier", "bad characters");
    struct hp_t_resp *r = post_vehicle(t, "ЖB123", NULL);
    CHECK_INT(r->status, 422);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const cJSON *m = cJSON_GetObjectItem(e, "message");
    CHECK(cJSON_IsString(m) && strstr(m->valuestring, "U+0416") != NULL);
    hp_t_free(r);
    free(t);
}

TEST(plates_in_other_scripts_in_the_path_are_404_never_500)
{
    char *t = user("Path Haulage", "haulier", "haulier", "path");
    /* A path that is not UTF-8 at all is 400 bad-path before any route. */
    const struct {
        const char *path;
        long status;
    } cases[] = {{"/v1/vehicles/%D0%90123%D0%92%D0%A177", 404},
                 {"/v1/vehicles/%F0%9F%9A%9A", 404},
                 {"/v1/vehicles/%FF%FE", 400},
                 {"/v1/vehicles/%00AB", 400},
                 {"/v1/vehicles/A", 404},
                 {"/v1/vehicles/%20%20", 404},
                 {"/v1/vehicles/import", 404}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hp_t_resp *r = hp_t_get(cases[i].path, t);
        CHECK_INT(r->status, cases[i].status);
        hp_t_free(r);
        r = patch(cases[i].path, t, "{\"axles\":3}", NULL);
        CHECK_INT(r->status, cases[i].status);
        hp_t_free(r);
    }
    free(t);
}

TEST(the_plate_in_the_path_is_normalised_too)
{
    char *t = user("Norm Haulage", "haulier", "haulier", "norm");
    make_vehicle(t, "鲁Q10003");
    const char *paths[] = {"/v1/vehicles/%E9%B2%81q%C2%B710003", "/v1/vehicles/%E9%B2%81Q%2010003",
                           "/v1/vehicles/%E9%B2%81Q-10003"};
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = hp_t_get(paths[i], t);
        CHECK_INT(r->status, 200);
        CHECK_STR(hp_t_str(r, "plate"), "鲁Q10003");
        hp_t_free(r);
    }
    /* A control character is no separator, here either. */
    const char *controls[] = {"/v1/vehicles/%E9%B2%81Q%0910003", "/v1/vehicles/%E9%B2%81Q%0A10003",
                              "/v1/vehicles/%E9%B2%81Q10003%0D%0A"};
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = hp_t_get(controls[i], t);
        CHECK_INT(r->status, 404);
        hp_t_free(r);
    }
    free(t);
}

TEST(another_organisations_vehicle_is_404_to_hauliers_and_sites)
{
    char *a = user("Own Haulage", "haulier", "haulier", "own");
    char *b = user("Rival Haulage", "haulier", "haulier", "rival");
    char *site = user("Rival Site", "site", "site", "site office");
    char *officer = user("Test Police", "police", "officer", "officer wang");
    make_vehicle(a, "鲁Q10004");
    const char *path = "/v1/vehicles/%E9%B2%81Q10004";
    const char *outsiders[] = {b, site};
    for (int i = 0; i < 2; i++) {
        struct hp_t_resp *r = hp_t_get(path, outsiders[i]);
        CHECK_INT(r->status, 404);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:not-found");
        hp_t_free(r);
        r = patch(path, outsiders[i], "{\"axles\":3}", NULL);
        CHECK_INT(r->status, 404);
        hp_t_free(r);
    }
    /* The answer for someone else's vehicle is the answer for none at all. */
    struct hp_t_resp *r = hp_t_get("/v1/vehicles/%E9%B2%81Q99998", b);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_get(path, officer);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = hp_t_get(path, hp_t_admin);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT (axles IS NULL)::int FROM vehicles WHERE plate = '鲁Q10004'"), 1);
    free(a);
    free(b);
    free(site);
    free(officer);
}

/* The plates of a list answer, joined by spaces (static buffer). */
static const char *plates_of(const struct hp_t_resp *r)
{
    static char out[4096];
    out[0] = '\0';
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(r->json, "items"))
    {
        if (out[0])
            strcat(out, " ");
        strcat(out, str(v, "plate"));
    }
    return out;
}

TEST(an_organisation_lists_its_own_vehicles_and_officers_list_all)
{
    char *a = user("List A Haulage", "haulier", "haulier", "la");
    char *b = user("List B Site", "site", "site", "lb");
    char *officer = user("Test Police", "police", "officer", "officer list");
    char *org_a = org_of(a), *org_b = org_of(b);
    make_vehicle(a, "LA001");
    make_vehicle(a, "LA002");
    make_vehicle(b, "LB001");
    struct hp_t_resp *r = hp_t_get("/v1/vehicles", a);
    CHECK_INT(r->status, 200);
    CHECK_STR(plates_of(r), "LA001 LA002");
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles", b);
    CHECK_STR(plates_of(r), "LB001");
    hp_t_free(r);
    char path[128];
    snprintf(path, sizeof(path), "/v1/vehicles?org_id=%s", org_b);
    r = hp_t_get(path, a); /* another's fleet: nothing */
    CHECK_INT(r->status, 200);
    CHECK_STR(plates_of(r), "");
    hp_t_free(r);
    r = hp_t_get(path, officer);
    CHECK_STR(plates_of(r), "LB001");
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles?limit=500", officer);
    CHECK(strstr(plates_of(r), "LA001 LA002 LB001") != NULL);
    hp_t_free(r);
    free(a);
    free(b);
    free(officer);
    free(org_a);
    free(org_b);
}

TEST(the_list_pages_through_plates_in_order)
{
    char *t = user("Page Haulage", "haulier", "haulier", "page");
    const char *plates[] = {"PG005", "PG001", "PG004", "PG002", "PG003"};
    for (int i = 0; i < 5; i++)
        make_vehicle(t, plates[i]);
    char path[256] = "/v1/vehicles?limit=2", seen[256] = "";
    for (int page = 0; page < 4; page++) {
        struct hp_t_resp *r = hp_t_get(path, t);
        CHECK_INT(r->status, 200);
        if (seen[0] && plates_of(r)[0])
            strcat(seen, " ");
        strcat(seen, plates_of(r));
        const char *next = hp_t_str(r, "next_cursor");
        if (!next) {
            CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "next_cursor")));
            hp_t_free(r);
            break;
        }
        snprintf(path, sizeof(path), "/v1/vehicles?limit=2&cursor=%s", next);
        hp_t_free(r);
    }
    CHECK_STR(seen, "PG001 PG002 PG003 PG004 PG005");
    const char *bad[] = {"/v1/vehicles?limit=0", "/v1/vehicles?limit=501",
                         "/v1/vehicles?cursor=%FF", "/v1/vehicles?org_id=nope"};
    for (int i = 0; i < 4; i++) {
        struct hp_t_resp *r = hp_t_get(bad[i], t);
        CHECK_INT(r->status, 400);
        hp_t_free(r);
    }
    free(t);
}

TEST(officers_register_vehicles_for_a_named_haulier_or_site_only)
{
    char *officer = user("Test Police", "police", "officer", "officer reg");
    char *h = user("Officer Reg Haulage", "haulier", "haulier", "orh");
    char *org = org_of(h), *police = org_of(officer);
    struct hp_t_resp *r = post_vehicle(officer, "OF001", NULL);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/org_id");
    hp_t_free(r);
    char extra[128];
    snprintf(extra, sizeof(extra), "\"org_id\":\"%s\"", police);
    r = post_vehicle(officer, "OF001", extra);
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/org_id");
    hp_t_free(r);
    r = post_vehicle(officer, "OF001", "\"org_id\":\"00000000-0000-4000-8000-000000000000\"");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    snprintf(extra, sizeof(extra), "\"org_id\":\"%s\"", org);
    r = post_vehicle(officer, "OF001", extra);
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "org_id"), org);
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles/OF001", h);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    /* A haulier may name its own organisation. */
    r = post_vehicle(h, "OF002", extra);
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    free(officer);
    free(h);
    free(org);
    free(police);
}

TEST(a_site_registers_and_reads_its_own_trucks)
{
    char *site = user("Truck Site", "site", "site", "site trucks");
    struct hp_t_resp *r = post_vehicle(site, "鲁Q10005", "\"hazmat\":true,\"new_energy\":true");
    CHECK_INT(r->status, 201);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "hazmat")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "new_energy")));
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles", site);
    CHECK_STR(plates_of(r), "鲁Q10005");
    hp_t_free(r);
    free(site);
}

TEST(a_patch_changes_the_fields_it_names_and_null_clears_optional_ones)
{
    char *t = user("Patch Haulage", "haulier", "haulier", "patch");
    struct hp_t_resp *r = post_vehicle(t, "PA001", "\"axles\":4,\"height_mm\":3900");
    hp_t_free(r);
    r = patch("/v1/vehicles/pa001", t,
              "{\"axles\":null,\"gross_weight_kg\":32000,\"hazmat\":true,\"class\":\"tractor\"}",
              NULL);
    CHECK_INT(r->status, 200);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "axles")));
    CHECK_INT(num(r->json, "height_mm"), 3900);
    CHECK_INT(num(r->json, "gross_weight_kg"), 32000);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "hazmat")));
    CHECK_STR(hp_t_str(r, "class"), "tractor");
    CHECK_INT(num(r->json, "version"), 2);
    CHECK_STR(hp_t_header(r, "ETag"), "\"2\"");
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles/PA001", t);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r->json, "axles")));
    CHECK_STR(hp_t_str(r, "class"), "tractor");
    hp_t_free(r);
    free(t);
}

TEST(a_patch_refuses_bad_fields_with_their_pointer)
{
    char *t = user("Patch Haulage", "haulier", "haulier", "patch2");
    make_vehicle(t, "PA002");
    struct {
        const char *body, *pointer;
    } cases[] = {
        {"{\"plate\":\"PA003\"}", "/plate"},
        {"{\"org_id\":\"00000000-0000-4000-8000-000000000000\"}", "/org_id"},
        {"{\"class\":null}", "/class"},
        {"{\"gross_weight_kg\":null}", "/gross_weight_kg"},
        {"{\"hazmat\":null}", "/hazmat"},
        {"{\"gross_weight_kg\":0}", "/gross_weight_kg"},
        {"{\"axles\":\"3\"}", "/axles"},
        {"{\"colour\":\"red\"}", "/colour"},
        {"[1]", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hp_t_resp *r = patch("/v1/vehicles/PA002", t, cases[i].body, NULL);
        CHECK_INT(r->status, 422);
        CHECK_STR(first_pointer(r), cases[i].pointer);
        hp_t_free(r);
    }
    struct hp_t_resp *r = hp_t_get("/v1/vehicles/PA002", t);
    CHECK_INT(num(r->json, "version"), 1);
    hp_t_free(r);
    free(t);
}

TEST(a_stale_if_match_is_412_and_the_current_one_succeeds)
{
    char *t = user("Etag Haulage", "haulier", "haulier", "etag");
    make_vehicle(t, "ET001");
    struct hp_t_resp *r = patch("/v1/vehicles/ET001", t, "{\"axles\":3}", "\"1\"");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_header(r, "ETag"), "\"2\"");
    hp_t_free(r);
    const char *stale[] = {"\"1\"", "\"3\"", "garbage", "W/\"9\""};
    for (int i = 0; i < 4; i++) {
        r = patch("/v1/vehicles/ET001", t, "{\"axles\":4}", stale[i]);
        CHECK_INT(r->status, 412);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:stale");
        hp_t_free(r);
    }
    r = patch("/v1/vehicles/ET001", t, "{\"axles\":5}", "*");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = patch("/v1/vehicles/ET001", t, "{\"axles\":6}", "\"3\"");
    CHECK_INT(r->status, 200);
    CHECK_INT(num(r->json, "axles"), 6);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT version FROM vehicles WHERE plate = 'ET001'"), 4);
    free(t);
}

TEST(every_vehicle_write_is_in_the_audit_trail_with_before_and_after)
{
    char *t = user("Audit Haulage", "haulier", "haulier", "auditor");
    make_vehicle(t, "AU001");
    struct hp_t_resp *r = patch("/v1/vehicles/AU001", t, "{\"axles\":3}", NULL);
    hp_t_free(r);
    r = hp_t_get("/v1/audit?entity=vehicle&id=AU001", hp_t_admin);
    CHECK_INT(r->status, 200);
    const cJSON *items = cJSON_GetObjectItem(r->json, "items");
    REQUIRE(cJSON_GetArraySize(items) == 2);
    const cJSON *c = cJSON_GetArrayItem(items, 0), *u = cJSON_GetArrayItem(items, 1);
    CHECK_STR(str(c, "action"), "create");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(c, "before")));
    CHECK_STR(str(cJSON_GetObjectItem(c, "after"), "plate"), "AU001");
    CHECK_STR(str(cJSON_GetObjectItem(c, "actor"), "name"), "auditor");
    CHECK_STR(str(u, "action"), "update");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(u, "before"), "axles")));
    CHECK_INT(num(cJSON_GetObjectItem(u, "after"), "axles"), 3);
    hp_t_free(r);
    free(t);
}

/* The created plates and error rows of an import answer, as
 * "created: A B | errors: 3 5" (static buffer). */
static const char *summary(const struct hp_t_resp *r)
{
    static char out[2048];
    snprintf(out, sizeof(out), "created:");
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(r->json, "created"))
    {
        strcat(out, " ");
        strcat(out, cJSON_IsString(v) ? v->valuestring : "?");
    }
    strcat(out, " | errors:");
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(r->json, "errors"))
    {
        char n[16];
        snprintf(n, sizeof(n), " %ld", num(v, "row"));
        strcat(out, n);
    }
    return out;
}

/* The message of the error of row, or "". */
static const char *row_message(const struct hp_t_resp *r, int row)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(r->json, "errors"))
    {
        if (num(v, "row") == row)
            return str(v, "message");
    }
    return "";
}

TEST(an_import_registers_the_good_rows_and_reports_each_bad_one)
{
    char *t = user("Import Haulage", "haulier", "haulier", "importer");
    make_vehicle(t, "鲁Q20004");
    static const char csv[] =
        "\xEF\xBB\xBF" "gross_weight_kg, Plate ,class,hazmat,axles\r\n" /* line 1 */
        "31000,\"鲁Q·20001\",heavy_truck,yes,5\r\n"                    /* 2: good */
        "0,鲁Q20002,heavy_truck,,\r\n"                                 /* 3: weight */
        "\r\n"                                                         /* 4: blank */
        "18000,鲁q 20001,muck_truck,no,\r\n"                           /* 5: repeat of 2 */
        "12000,鲁Q20004,pickup,,\r\n"                                  /* 6: registered */
        "4500,\"鲁Q20005\",\"light_truck, extra\",,\r\n"                /* 7: class */
        ",,,,\r\n"                                                     /* 8: empty cells */
        "2500,鲁Q20006,pickup,TRUE,2\r\n"                              /* 9: good */
        "2500,АБ123,pickup,,\r\n"                                      /* 10: script */
        "2500,鲁Q20007,pickup,,2,extra\r\n"                            /* 11: fields */
        "abc,鲁Q20008,pickup,maybe,\r\n"                               /* 12: two errors */
        "\"2600\",\"鲁Q\n20009\",pickup,,\r\n"                         /* 13-14: newline */
        "2600,鲁Q\t20010,pickup,,\r\n"                                /* 15: tab */
        "\"2600\",\"鲁Q\n\",pickup,,\r\n"                              /* 16-17: newline */
        "2700,鲁Q20011,pickup,,\r\n";                                 /* 18: good */
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, csv, sizeof(csv) - 1);
    CHECK_INT(r->status, 200);
    CHECK_STR(summary(r),
              "created: 鲁Q20001 鲁Q20006 鲁Q20011 | errors: 3 5 6 7 10 11 12 13 15 16");
    CHECK(strstr(row_message(r, 3), "gross_weight_kg") != NULL);
    CHECK(strstr(row_message(r, 5), "row 2") != NULL);
    CHECK(strstr(row_message(r, 6), "registered already") != NULL);
    CHECK(strstr(row_message(r, 7), "class") != NULL);
    CHECK(strstr(row_message(r, 10), "plate") != NULL);
    CHECK(strstr(row_message(r, 12), "gross_weight_kg") != NULL);
    CHECK(strstr(row_message(r, 12), "hazmat") != NULL);
    const int control_rows[] = {13, 15, 16};
    for (int i = 0; i < 3; i++) {
        CHECK(strstr(row_message(r, control_rows[i]), "plate") != NULL);
        CHECK(strstr(row_message(r, control_rows[i]), "control characters") != NULL);
    }
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles/%E9%B2%81Q20001", t);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "hazmat")));
    CHECK_INT(num(r->json, "axles"), 5);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM audit WHERE entity = 'vehicle' AND action = 'import'"
                        " AND entity_id IN ('鲁Q20001', '鲁Q20006', '鲁Q20011')"),
              3);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate IN ('鲁Q20009', '鲁Q20010')"),
              0);
    free(t);
}

TEST(a_row_that_cannot_be_read_stops_only_itself)
{
    char *t = user("Import Haulage", "haulier", "haulier", "importer2");
    static const char csv[] = "plate,class,gross_weight_kg\n"
                              "IM001,pickup,2000\n"
                              "\"IM002\"x,pickup,2000\n"
                              "IM003,pickup,2000\n"
                              "\"IM004,pickup,2000\n"
                              "IM005,pickup,2000\n";
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, csv, sizeof(csv) - 1);
    CHECK_INT(r->status, 200);
    CHECK_STR(summary(r), "created: IM001 IM003 | errors: 3 5");
    hp_t_free(r);
    free(t);
}

TEST(an_import_header_must_name_known_fields_and_the_required_ones)
{
    char *t = user("Import Haulage", "haulier", "haulier", "importer3");
    const char *bad[] = {"plate,class,gross_weight_kg,colour\nIH001,pickup,2000,red\n",
                         "plate,class\nIH001,pickup\n",
                         "plate,plate,class,gross_weight_kg\n",
                         "plate,class,gross_weight_kg,org_id\n",
                         "",
                         "\n\n",
                         "\"plate,class\n"};
    for (int i = 0; i < 7; i++) {
        struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, bad[i], strlen(bad[i]));
        CHECK_INT(r->status, 422);
        CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:invalid");
        hp_t_free(r);
    }
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate = 'IH001'"), 0);
    /* A header alone imports nothing. */
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, "plate,class,gross_weight_kg\n", 28);
    CHECK_INT(r->status, 200);
    CHECK_STR(summary(r), "created: | errors:");
    hp_t_free(r);
    free(t);
}

/* A CSV of n rows of plates PREFIX00001…, in memory to free. */
static char *many_rows(const char *prefix, int n, size_t *len)
{
    char *csv = malloc((size_t)n * 40 + 64);
    if (!csv)
        abort();
    size_t at = (size_t)sprintf(csv, "plate,class,gross_weight_kg\n");
    for (int i = 1; i <= n; i++)
        at += (size_t)sprintf(csv + at, "%s%05d,pickup,2000\n", prefix, i);
    *len = at;
    return csv;
}

TEST(an_import_of_5000_rows_registers_them_all)
{
    char *t = user("Big Haulage", "haulier", "haulier", "big");
    size_t len;
    char *csv = many_rows("BG", 5000, &len);
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, csv, len);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "created")), 5000);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "errors")), 0);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate LIKE 'BG%'"), 5000);
    free(csv);
    free(t);
}

TEST(an_import_of_more_than_5000_rows_is_413_and_registers_nothing)
{
    char *t = user("Huge Haulage", "haulier", "haulier", "huge");
    size_t len;
    char *csv = many_rows("HG", 5001, &len);
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", t, csv, len);
    CHECK_INT(r->status, 413);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:too-many-rows");
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM vehicles WHERE plate LIKE 'HG%'"), 0);
    free(csv);
    free(t);
}

TEST(an_import_that_is_not_csv_is_415)
{
    char *t = user("Import Haulage", "haulier", "haulier", "importer4");
    const char *csv = "plate,class,gross_weight_kg\nCT001,pickup,2000\n";
    struct hp_t_resp *r =
        hp_t_req("POST", "/v1/vehicles/import", t, "application/json", csv, strlen(csv), NULL);
    CHECK_INT(r->status, 415);
    hp_t_free(r);
    r = hp_t_req("POST", "/v1/vehicles/import", t, "text/csv; charset=utf-8", csv, strlen(csv),
                 NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(summary(r), "created: CT001 | errors:");
    hp_t_free(r);
    free(t);
}

TEST(officers_import_for_the_organisation_named_in_the_query)
{
    char *officer = user("Test Police", "police", "officer", "officer import");
    char *h = user("Officer Import Haulage", "haulier", "haulier", "oih");
    char *org = org_of(h);
    const char *csv = "plate,class,gross_weight_kg\nOI001,pickup,2000\n";
    struct hp_t_resp *r = import_csv("/v1/vehicles/import", officer, csv, strlen(csv));
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    r = import_csv("/v1/vehicles/import?org_id=bad", officer, csv, strlen(csv));
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    char path[128];
    snprintf(path, sizeof(path), "/v1/vehicles/import?org_id=%s", org);
    r = import_csv(path, officer, csv, strlen(csv));
    CHECK_INT(r->status, 200);
    CHECK_STR(summary(r), "created: OI001 | errors:");
    hp_t_free(r);
    r = hp_t_get("/v1/vehicles/OI001", h);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    /* A haulier cannot import into another organisation. */
    char *other = user("Other Import Haulage", "haulier", "haulier", "other importer");
    r = import_csv(path, other, csv, strlen(csv));
    CHECK_INT(r->status, 400);
    hp_t_free(r);
    free(other);
    free(officer);
    free(h);
    free(org);
}

TEST(the_database_refuses_a_plate_that_is_not_normal)
{
    PGresult *res = PQexec(hp_t_db(),
                           "INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
                           " SELECT id, kind, 'lu q 1', 'pickup', 1 FROM orgs"
                           "  WHERE kind = 'haulier' LIMIT 1");
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
    res = PQexec(hp_t_db(),
                 "INSERT INTO vehicles (org_id, org_kind, plate, class, gross_weight_kg)"
                 " SELECT id, kind, 'POLICE1', 'pickup', 1 FROM orgs WHERE kind = 'police'"
                 " LIMIT 1");
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR);
    PQclear(res);
}

TEST(who_may_call_each_vehicle_endpoint)
{
    char *admin = user("Test Police", "police", "admin", "role admin");
    char *officer = user("Test Police", "police", "officer", "role officer");
    char *h = user("Role Haulage", "haulier", "haulier", "role haulier");
    char *h2 = user("Role Rival Haulage", "haulier", "haulier", "role rival");
    char *s = user("Role Site", "site", "site", "role site");
    char *s2 = user("Role Rival Site", "site", "site", "role rival site");
    char *org = org_of(h);
    const char *roles[] = {admin, officer, h, h2, s, s2};
    static const char *const names[] = {"admin", "officer", "haulier", "haulier2", "site",
                                        "site2"};
    make_vehicle(h, "RT001");  /* the haulier's */
    make_vehicle(s, "RT002");  /* the site's */
    char named[128], import_named[160];
    snprintf(named, sizeof(named), "\"org_id\":\"%s\"", org);
    snprintf(import_named, sizeof(import_named), "/v1/vehicles/import?org_id=%s", org);
    /* Officers and admins name the owner; hauliers and sites register for
     * their own organisation only; a vehicle of another organisation is 404
     * to hauliers and sites, as if there were none. */
    struct {
        const char *what;
        int want[6];
    } rows[] = {
        {"POST /v1/vehicles", {422, 422, 201, 201, 201, 201}},
        {"POST /v1/vehicles naming the haulier", {201, 201, 201, 422, 422, 422}},
        {"POST /v1/vehicles/import", {400, 400, 200, 200, 200, 200}},
        {"POST /v1/vehicles/import naming the haulier", {200, 200, 200, 400, 400, 400}},
        {"GET /v1/vehicles", {200, 200, 200, 200, 200, 200}},
        {"GET the haulier's vehicle", {200, 200, 200, 404, 404, 404}},
        {"GET the site's vehicle", {200, 200, 404, 404, 200, 404}},
        {"PATCH the haulier's vehicle", {200, 200, 200, 404, 404, 404}},
        {"PATCH the site's vehicle", {200, 200, 404, 404, 200, 404}},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (int k = 0; k < 6; k++) {
            char plate[32], csv[96];
            snprintf(plate, sizeof(plate), "RT%zu%d", i, k);
            snprintf(csv, sizeof(csv), "plate,class,gross_weight_kg\nRT%zu%d,pickup,2000\n", i, k);
            struct hp_t_resp *r;
            switch (i) {
            case 0: r = post_vehicle(roles[k], plate, NULL); break;
            case 1: r = post_vehicle(roles[k], plate, named); break;
            case 2: r = import_csv("/v1/vehicles/import", roles[k], csv, strlen(csv)); break;
            case 3: r = import_csv(import_named, roles[k], csv, strlen(csv)); break;
            case 4: r = hp_t_get("/v1/vehicles", roles[k]); break;
            case 5: r = hp_t_get("/v1/vehicles/RT001", roles[k]); break;
            case 6: r = hp_t_get("/v1/vehicles/RT002", roles[k]); break;
            case 7: r = patch("/v1/vehicles/RT001", roles[k], "{\"axles\":3}", NULL); break;
            default: r = patch("/v1/vehicles/RT002", roles[k], "{\"axles\":3}", NULL); break;
            }
            CHECK_INT(r->status, rows[i].want[k]);
            if (r->status != rows[i].want[k])
                printf("    %s by %s gave %ld %s\n", rows[i].what, names[k], r->status, r->body);
            /* An import answers 200 even when a row fails: its row must not. */
            if ((i == 2 || i == 3) && r->status == 200)
                CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "errors")), 0);
            hp_t_free(r);
        }
    }
    /* No token: 401 before anything else. */
    const char *csv = "plate,class,gross_weight_kg\nRT999,pickup,2000\n";
    struct hp_t_resp *anon[] = {hp_t_get("/v1/vehicles", NULL),
                                hp_t_get("/v1/vehicles/RT001", NULL),
                                import_csv("/v1/vehicles/import", NULL, csv, strlen(csv)),
                                post_vehicle(NULL, "RT998", NULL)};
    for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++) {
        CHECK_INT(anon[i]->status, 401);
        hp_t_free(anon[i]);
    }
    /* Each organisation lists only its own: the rival haulier none of the haulier's. */
    struct hp_t_resp *r = hp_t_get("/v1/vehicles?limit=500", h2);
    CHECK(strstr(plates_of(r), "RT001") == NULL);
    hp_t_free(r);
    for (int k = 0; k < 6; k++)
        free((char *)roles[k]);
    free(org);
}
