/* Pass codes, pure. */
#include "test.h"

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
