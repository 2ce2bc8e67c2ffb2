/* Plate normalisation, pure. */
#include "test.h"

#include "haulpass/plate.h"

/* The normal form of in, or the status name when it is refused. */
static const char *norm(const char *in)
{
    static char out[HP_PLATE_BUF];
    static const char *const names[] = {"ok", "not-text", "bad-char", "empty", "too-short",
                                        "too-long"};
    enum hp_plate_status st = hp_plate_normalise(in, out, NULL);
    return st == HP_PLATE_OK ? out : names[st];
}

TEST(a_chinese_plate_loses_its_middle_dot)
{
    CHECK_STR(norm("鲁Q·12345"), "鲁Q12345");
    CHECK_STR(norm("鲁Q12345"), "鲁Q12345");
}

TEST(spaces_are_trimmed_and_removed_and_letters_are_upper_cased)
{
    CHECK_STR(norm("  lu q 12345 "), "LUQ12345");
    CHECK_STR(norm("\u3000鲁 q\u3000123\u00a045\u2003"), "鲁Q12345");
}

/* Tab, newline and the other control characters are refused, not removed
 * as white space: "鲁Q9\n0028" is no spelling of 鲁Q90028. */
TEST(a_control_character_anywhere_makes_it_no_plate_white_space_or_not)
{
    CHECK_STR(norm("鲁Q9\n0028"), "not-text");
    CHECK_STR(norm("鲁Q9\t0028"), "not-text");
    CHECK_STR(norm("\t鲁Q90028"), "not-text");
    CHECK_STR(norm("鲁Q90028\r\n"), "not-text");
    CHECK_STR(norm("鲁Q9\v0028"), "not-text");
    CHECK_STR(norm("鲁Q9\f0028"), "not-text");
    CHECK_STR(norm("鲁Q9\x1f" "0028"), "not-text");
    CHECK_STR(norm("鲁Q9\x7f" "0028"), "not-text");
    CHECK_STR(norm("鲁Q9\xc2\x80" "0028"), "not-text"); /* U+0080, C1's first */
    CHECK_STR(norm("鲁Q9\xc2\x85" "0028"), "not-text"); /* NEL: C1, and white space */
    CHECK_STR(norm("鲁Q9\xc2\x9f" "0028"), "not-text"); /* U+009F, C1's last */
    /* Past C1: a no-break space is removed, U+00A1 is no plate character. */
    CHECK_STR(norm("鲁Q9\u00a0" "0028"), "鲁Q90028");
    CHECK_STR(norm("鲁Q9\u00a1" "0028"), "bad-char");
}

TEST(look_alike_middle_dots_and_hyphens_are_separators_too)
{
    CHECK_STR(norm("鲁Q\u30fb12345"), "鲁Q12345");
    CHECK_STR(norm("鲁Q\u2022123\uff6545"), "鲁Q12345");
    CHECK_STR(norm("鲁Q-12345"), "鲁Q12345");
    CHECK_STR(norm("B-MW\u2010123"), "BMW123");
}

TEST(full_width_letters_and_digits_become_ascii)
{
    CHECK_STR(norm("鲁ｑ１２３４５"), "鲁Q12345");
    CHECK_STR(norm("ＡＢ９"), "AB9");
}

TEST(new_energy_and_special_suffix_plates_are_valid)
{
    CHECK_STR(norm("鲁QD12345"), "鲁QD12345");
    CHECK_STR(norm("鲁Q1234学"), "鲁Q1234学");
    CHECK_STR(norm("粤Z1234港"), "粤Z1234港");
    CHECK_STR(norm("使014578"), "使014578");
}

TEST(plates_in_other_scripts_are_refused_not_mangled)
{
    CHECK_STR(norm("А123ВС77"), "bad-char");   /* Cyrillic */
    CHECK_STR(norm("أ ب ج 1234"), "bad-char"); /* Arabic */
    CHECK_STR(norm("ΑΒΓ123"), "bad-char");     /* Greek */
    CHECK_STR(norm("🚚123"), "bad-char");      /* emoji */
    CHECK_STR(norm("서울12가3456"), "bad-char"); /* Hangul */
    CHECK_STR(norm("ÄB123"), "bad-char");
    CHECK_STR(norm("AB_123"), "bad-char");
    CHECK_STR(norm("AB'; DROP TABLE vehicles;--"), "bad-char");
}

TEST(the_refused_code_point_is_reported)
{
    char out[HP_PLATE_BUF];
    uint32_t bad = 0;
    CHECK_INT(hp_plate_normalise("AB\xd0\x96" "12", out, &bad), HP_PLATE_BAD_CHAR);
    CHECK_INT(bad, 0x416);
    CHECK_STR(out, "");
}

TEST(a_refused_plate_leaves_an_empty_output_whatever_came_before)
{
    char out[HP_PLATE_BUF];
    CHECK_INT(hp_plate_normalise("ABCDEF\xff", out, NULL), HP_PLATE_NOT_TEXT);
    CHECK_STR(out, "");
    CHECK_INT(hp_plate_normalise("ABCDEF\x01", out, NULL), HP_PLATE_NOT_TEXT);
    CHECK_STR(out, "");
    CHECK_INT(hp_plate_normalise("ABCDEFGHIJKLMN", out, NULL), HP_PLATE_TOO_LONG);
    CHECK_STR(out, "");
}

TEST(control_characters_and_broken_utf8_are_not_text)
{
    CHECK_STR(norm("AB\x01" "123"), "not-text");
    CHECK_STR(norm("AB\x7f" "123"), "not-text");
    CHECK_STR(norm("AB\xc2\x85" "123"), "not-text"); /* C1 NEL */
    CHECK_STR(norm("AB\xff" "123"), "not-text");
    CHECK_STR(norm("AB\xe9\xb2"), "not-text");        /* cut short */
    CHECK_STR(norm("AB\xc0\xaf"), "not-text");        /* overlong */
    CHECK_STR(norm("AB\xed\xa0\x80"), "not-text");    /* surrogate */
    CHECK_STR(norm("🚚\xff"), "not-text");            /* the worse fault wins */
}

TEST(nothing_left_after_normalising_is_empty)
{
    CHECK_STR(norm(""), "empty");
    CHECK_STR(norm("   "), "empty");
    CHECK_STR(norm(" · - "), "empty");
}

TEST(plates_are_two_to_twelve_characters_separators_not_counted)
{
    CHECK_STR(norm("A"), "too-short");
    CHECK_STR(norm(" 鲁 "), "too-short");
    CHECK_STR(norm("AB"), "AB");
    CHECK_STR(norm("鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁"), "鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁");
    CHECK_STR(norm("ABCDEF-GHIJKL"), "ABCDEFGHIJKL");
    CHECK_STR(norm("ABCDEFGHIJKLM"), "too-long");
    CHECK_STR(norm("鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁鲁"), "too-long");
}

TEST(a_very_long_input_is_refused_without_overflow)
{
    static char big[100001];
    memset(big, 'A', sizeof(big) - 1);
    CHECK_STR(norm(big), "too-long");
    memset(big, ' ', sizeof(big) - 1);
    big[500] = 'X';
    big[90000] = 'Y';
    CHECK_STR(norm(big), "XY");
}

TEST(every_status_has_a_message)
{
    for (int st = HP_PLATE_OK; st <= HP_PLATE_TOO_LONG; st++)
        CHECK(hp_plate_message((enum hp_plate_status)st)[0] != '\0');
}
