/* The one table of a rule's fields and compiling a stored rule by it
 * (rule_fields.h), pure. */
#include "test.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"
#include "haulpass/rule_fields.h"
#include "haulpass/vocab.h"

#include <stdint.h>

static int64_t days(int y, int m, int d)
{
    return hp_calendar_date_to_days((struct hp_calendar_date){y, m, d});
}

TEST(a_stored_rule_compiles_each_field_into_its_place)
{
    cJSON *stored = cJSON_Parse(
        "{\"id\":\"0b7c6a52-2f4e-4bb8-9b0e-6a3f3c1d2e4f\","
        "\"vehicle_classes\":[\"heavy_truck\",\"tractor\"],\"exempt_classes\":[\"special\"],"
        "\"min_gross_weight_kg\":12000,\"hazmat_only\":true,\"hours\":\"Mo-Fr 07:00-09:00\","
        "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2026-12-31\","
        "\"liftable_by\":[\"construction\"]}");
    struct hp_rule r = {0};
    char err[128] = "";
    REQUIRE(stored);
    CHECK(hp_rule_compile(stored, &r, err, sizeof(err)));
    CHECK_STR(r.id, "0b7c6a52-2f4e-4bb8-9b0e-6a3f3c1d2e4f");
    CHECK_INT(r.classes, (1u << hp_vocab_index(hp_vehicle_classes, "heavy_truck")) |
                             (1u << hp_vocab_index(hp_vehicle_classes, "tractor")));
    CHECK_INT(r.exempt, 1u << hp_vocab_index(hp_vehicle_classes, "special"));
    CHECK_INT(r.min_gross_kg, 12000);
    CHECK(r.hazmat_only);
    CHECK(r.hours != NULL);
    CHECK_STR(r.hours_text, "Mo-Fr 07:00-09:00");
    CHECK_INT(r.from_day, days(2026, 1, 1));
    CHECK_INT(r.to_day, days(2026, 12, 31));
    CHECK_INT(r.liftable, 1u << hp_vocab_index(hp_pass_types, "construction"));
    hp_oh_free(r.hours);
    cJSON_Delete(stored);
}

TEST(absent_and_null_fields_compile_to_every_class_no_minimum_all_hours_and_open_dates)
{
    cJSON *stored = cJSON_Parse("{\"id\":\"x\",\"min_gross_weight_kg\":null,\"hours\":null}");
    struct hp_rule r;
    char err[128] = "";
    REQUIRE(stored);
    CHECK(hp_rule_compile(stored, &r, err, sizeof(err)));
    CHECK_INT(r.classes, 0);
    CHECK_INT(r.exempt, 0);
    CHECK_INT(r.liftable, 0);
    CHECK_INT(r.min_gross_kg, -1);
    CHECK(!r.hazmat_only);
    CHECK(r.hours == NULL && r.hours_text == NULL);
    CHECK(r.from_day == INT64_MIN && r.to_day == INT64_MAX);
    cJSON_Delete(stored);
}

TEST(stored_hours_that_do_not_compile_are_refused_with_the_text)
{
    cJSON *stored = cJSON_Parse("{\"id\":\"x\",\"hours\":\"Mo-Xx 25:00\"}");
    struct hp_rule r;
    char err[128] = "";
    REQUIRE(stored);
    CHECK(!hp_rule_compile(stored, &r, err, sizeof(err)));
    CHECK_STR(err, "stored hours \"Mo-Xx 25:00\" do not compile");
    cJSON_Delete(stored);
}

TEST(kml_gives_the_five_fields_of_api_section_4_and_no_other)
{
    static const char *const kml[] = {"vehicle_classes", "exempt_classes",
                                      "min_gross_weight_kg", "hours", "liftable_by"};
    int n = 0;
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++)
        n += hp_rule_fields[i].in_kml;
    CHECK_INT(n, 5);
    for (size_t i = 0; i < sizeof(kml) / sizeof(kml[0]); i++) {
        const struct hp_rule_field *f = hp_rule_field_find(kml[i]);
        CHECK(f && f->in_kml);
    }
    CHECK(hp_rule_field_find("hazmat") == NULL);
    CHECK(hp_rule_field_find(NULL) == NULL);
}

TEST(every_word_list_names_its_vocabulary_and_what_a_word_is)
{
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++) {
        const struct hp_rule_field *f = &hp_rule_fields[i];
        if (f->type != HP_RULE_FIELD_WORDS)
            continue;
        CHECK(f->words != NULL && f->word != NULL && f->max > 0);
        int n = 0;
        while (f->words[n])
            n++;
        CHECK(n <= 32); /* one bit each in a uint32_t */
    }
}
