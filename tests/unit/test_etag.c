/* If-Match header values, pure. */
#include "test.h"

#include "haulpass/etag.h"

TEST(if_match_names_the_version_of_one_of_our_etags)
{
    CHECK_INT(hp_etag_if_match("\"3\""), 3);
    CHECK_INT(hp_etag_if_match("  \"12\"  "), 12);
    CHECK_INT(hp_etag_if_match("W/\"7\""), -2); /* If-Match compares strongly */
}

TEST(if_match_star_and_no_header_are_told_apart)
{
    CHECK_INT(hp_etag_if_match("*"), 0);
    CHECK_INT(hp_etag_if_match(NULL), -1);
}

TEST(any_other_if_match_matches_nothing)
{
    const char *bad[] = {"3", "\"\"", "\"0\"", "\"-1\"", "\"3", "\"3\"x", "\"abc\"",
                         "\"99999999999\"", "", "\"3\", \"4\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT(hp_etag_if_match(bad[i]), -2);
}
