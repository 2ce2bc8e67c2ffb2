/* Pass codes and application statuses, pure. */
#include "test.h"

#include "haulpass/app_status.h"
#include "haulpass/pass_code.h"

#include <stdio.h>

TEST(a_new_code_has_the_year_eight_characters_and_a_matching_check)
{
    char code[HP_PASS_CODE_BUF];
    REQUIRE(hp_pass_code_new(2026, code));
    CHECK_INT((int)strlen(code), HP_PASS_CODE_LEN);
    CHECK(strncmp(code, "HP-2026-", 8) == 0);
    CHECK(hp_pass_code_valid(code));
}

TEST(codes_in_a_row_are_not_sequential)
{
    char a[HP_PASS_CODE_BUF], b[HP_PASS_CODE_BUF];
    int close = 0;
    for (int i = 0; i < 200; i++) {
        REQUIRE(hp_pass_code_new(2026, a) && hp_pass_code_new(2026, b));
        CHECK(strcmp(a, b) != 0);
        /* Sequential codes share their first seven random characters. */
        if (strncmp(a + 8, b + 8, 7) == 0)
            close++;
    }
    CHECK(close < 2);
}

TEST(the_check_character_catches_every_single_character_typo)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    char code[HP_PASS_CODE_BUF];
    REQUIRE(hp_pass_code_make(2026, "7K3M9QXZ", code));
    REQUIRE(hp_pass_code_valid(code));
    int caught = 0, tried = 0;
    for (int pos = 8; pos < 16; pos++) {
        for (const char *c = alphabet; *c; c++) {
            if (*c == code[pos])
                continue;
            char typo[HP_PASS_CODE_BUF];
            memcpy(typo, code, sizeof(typo));
            typo[pos] = *c;
            tried++;
            caught += !hp_pass_code_valid(typo);
        }
    }
    CHECK_INT(caught, tried);
}

TEST(the_check_character_catches_a_swap_of_neighbours)
{
    char code[HP_PASS_CODE_BUF];
    REQUIRE(hp_pass_code_make(2026, "AB12CD34", code));
    for (int pos = 8; pos < 15; pos++) {
        char swapped[HP_PASS_CODE_BUF];
        memcpy(swapped, code, sizeof(swapped));
        swapped[pos] = code[pos + 1];
        swapped[pos + 1] = code[pos];
        if (swapped[pos] != swapped[pos + 1])
            CHECK(!hp_pass_code_valid(swapped));
    }
}

TEST(malformed_codes_are_not_valid)
{
    CHECK(!hp_pass_code_valid(NULL));
    CHECK(!hp_pass_code_valid(""));
    CHECK(!hp_pass_code_valid("HP-2026-7K3M9QXZ"));
    CHECK(!hp_pass_code_valid("XX-2026-7K3M9QXZ0"));
    CHECK(!hp_pass_code_valid("HP-2026-7K3M9QXI0")); /* I is not Crockford */
    char code[HP_PASS_CODE_BUF];
    CHECK(!hp_pass_code_make(2026, "7K3M9QX", code));
    CHECK(!hp_pass_code_make(2026, "7K3M9QXU", code));
    CHECK(!hp_pass_code_make(99, "7K3M9QXZ", code));
}

TEST(only_the_transitions_of_the_table_are_allowed)
{
    static const char *const ok[] = {
        "awaiting_endorsement>queued", "awaiting_endorsement>withdrawn", "queued>in_review",
        "queued>withdrawn", "in_review>approved", "in_review>approved_provisional",
        "in_review>rejected",
    };
    int allowed = 0;
    for (int f = 0; f < HP_APP_STATUS_COUNT; f++) {
        for (int t = 0; t < HP_APP_STATUS_COUNT; t++) {
            char pair[64];
            snprintf(pair, sizeof(pair), "%s>%s", hp_app_status_name((enum hp_app_status)f),
                     hp_app_status_name((enum hp_app_status)t));
            bool want = false;
            for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
                want = want || strcmp(ok[i], pair) == 0;
            bool got = hp_app_status_allowed((enum hp_app_status)f, (enum hp_app_status)t);
            CHECK(got == want);
            allowed += got;
        }
    }
    CHECK_INT(allowed, 7);
}

TEST(decisions_and_withdrawal_are_final)
{
    CHECK(hp_app_status_final(HP_APP_APPROVED));
    CHECK(hp_app_status_final(HP_APP_APPROVED_PROVISIONAL));
    CHECK(hp_app_status_final(HP_APP_REJECTED));
    CHECK(hp_app_status_final(HP_APP_WITHDRAWN));
    CHECK(!hp_app_status_final(HP_APP_QUEUED));
    CHECK(!hp_app_status_final(HP_APP_IN_REVIEW));
    CHECK(!hp_app_status_final(HP_APP_AWAITING_ENDORSEMENT));
}

TEST(status_names_parse_back)
{
    for (int s = 0; s < HP_APP_STATUS_COUNT; s++) {
        enum hp_app_status got = HP_APP_STATUS_COUNT;
        CHECK(hp_app_status_parse(hp_app_status_name((enum hp_app_status)s), &got));
        CHECK_INT((int)got, s);
    }
    enum hp_app_status x;
    CHECK(!hp_app_status_parse("approve", &x));
    CHECK(!hp_app_status_parse(NULL, &x));
    CHECK(hp_app_status_name(HP_APP_STATUS_COUNT) == NULL);
}

TEST(fast_track_halves_the_working_days_rounding_down)
{
    CHECK_INT(hp_app_due_days("construction", false), 1);
    CHECK_INT(hp_app_due_days("construction", true), 0);
    CHECK_INT(hp_app_due_days("urban_delivery", false), 3);
    CHECK_INT(hp_app_due_days("urban_delivery", true), 1);
    CHECK_INT(hp_app_due_days("oversize", true), 1);
    CHECK_INT(hp_app_due_days("hazmat", false), 0);
    CHECK_INT(hp_app_due_days("temporary", false), 1);
    CHECK_INT(hp_app_due_days("bicycle", false), -1);
    CHECK_INT(hp_app_max_days("temporary"), 3);
    CHECK_INT(hp_app_max_days("oversize"), 90);
    CHECK_INT(hp_app_max_days("bicycle"), 0);
}
