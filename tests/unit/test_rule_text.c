/* A rule in a sentence, Chinese and English (rule_text.h), pure. */
#include "test.h"

#include "haulpass/opening_hours.h"
#include "haulpass/rule_fields.h"
#include "haulpass/rule_text.h"

#include <stdbool.h>
#include <string.h>

/* The sentence of the stored rule json in lang (static buffer). */
static const char *say(const char *json, enum hp_rule_lang lang)
{
    static char out[1024];
    cJSON *stored = cJSON_Parse(json);
    struct hp_rule r = {0};
    char err[128];
    out[0] = '\0';
    if (stored && hp_rule_compile(stored, &r, err, sizeof(err)))
        hp_rule_text(&r, lang, out, sizeof(out));
    hp_oh_free(r.hours);
    cJSON_Delete(stored);
    return out;
}

#define HEAVY_DAYTIME                                                                      \
    "{\"vehicle_classes\":[\"heavy_truck\"],\"min_gross_weight_kg\":4500,"                 \
    "\"hours\":\"07:00-22:00; PH off\",\"liftable_by\":[]}"

TEST(the_issue_example_reads_as_a_plain_sentence_in_english)
{
    CHECK_STR(say(HEAVY_DAYTIME, HP_RULE_LANG_EN),
              "heavy trucks over 4.5 t, 07:00–22:00 every day except public holidays; "
              "no pass lifts it");
}

TEST(the_issue_example_reads_as_a_plain_sentence_in_chinese)
{
    CHECK_STR(say(HEAVY_DAYTIME, HP_RULE_LANG_ZH),
              "4.5吨以上的重型货车，每天07:00–22:00（法定节假日除外）；不可凭通行证通行");
}

TEST(weekdays_overnight_hours_dates_and_passes_are_named)
{
    const char *j = "{\"vehicle_classes\":[\"muck_truck\",\"concrete_mixer\"],"
                    "\"hours\":\"Mo-Fr 22:00-06:00\",\"valid_from\":\"2026-01-01\","
                    "\"valid_to\":\"2026-03-31\",\"liftable_by\":[\"construction\"]}";
    CHECK_STR(say(j, HP_RULE_LANG_EN),
              "muck trucks and concrete mixers, 22:00–06:00 (into the next day) Monday to "
              "Friday, from 2026-01-01 to 2026-03-31; a construction pass lifts it");
    CHECK_STR(say(j, HP_RULE_LANG_ZH),
              "渣土车和混凝土搅拌车，周一至周五22:00–06:00（至次日），2026-01-01至2026-03-31有效；"
              "可凭施工通行证通行");
}

TEST(a_rule_without_hours_or_classes_holds_for_every_vehicle_at_all_hours)
{
    CHECK_STR(say("{\"hazmat_only\":true,\"exempt_classes\":[\"pickup\"]}", HP_RULE_LANG_EN),
              "vehicles carrying hazardous goods (except pickups), at all hours; no pass "
              "lifts it");
}

TEST(hours_beyond_the_plain_forms_are_quoted_as_written)
{
    const char *j = "{\"hours\":\"Mo-Fr 08:00-18:00; We 10:00-12:00\"}";
    CHECK_STR(say(j, HP_RULE_LANG_EN),
              "vehicles, hours \"Mo-Fr 08:00-18:00; We 10:00-12:00\"; no pass lifts it");
}

TEST(a_sentence_too_long_for_the_buffer_is_cut_and_says_so)
{
    cJSON *stored = cJSON_Parse(HEAVY_DAYTIME);
    struct hp_rule r = {0};
    char err[64], out[16];
    REQUIRE(hp_rule_compile(stored, &r, err, sizeof(err)));
    CHECK(!hp_rule_text(&r, HP_RULE_LANG_EN, out, sizeof(out)));
    CHECK(strlen(out) < sizeof(out));
    hp_oh_free(r.hours);
    cJSON_Delete(stored);
}

/* Whether s is whole UTF-8: no character cut at its end. */
static bool whole_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
        if (!n)
            return false;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

TEST(a_chinese_sentence_cut_at_any_length_ends_on_a_whole_character)
{
    cJSON *stored = cJSON_Parse(HEAVY_DAYTIME);
    struct hp_rule r = {0};
    char err[64];
    REQUIRE(hp_rule_compile(stored, &r, err, sizeof(err)));
    char full[1024];
    REQUIRE(hp_rule_text(&r, HP_RULE_LANG_ZH, full, sizeof(full)));
    /* Every buffer size shorter than the sentence: the public feed must
     * never carry half a character. */
    for (size_t n = 1; n <= strlen(full); n++) {
        char out[1024];
        hp_rule_text(&r, HP_RULE_LANG_ZH, out, n);
        CHECK(strlen(out) < n);
        CHECK(whole_utf8(out));
        CHECK(strncmp(out, full, strlen(out)) == 0);
    }
    hp_oh_free(r.hours);
    cJSON_Delete(stored);
}
