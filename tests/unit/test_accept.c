/* Accept headers and q-values, pure. */
#include "test.h"

#include "haulpass/accept.h"

#define GEO "application/geo+json"
#define JSON "application/json"

TEST(the_most_specific_range_gives_a_type_its_quality)
{
    CHECK_INT(hp_accept_quality(NULL, GEO), 1000);
    CHECK_INT(hp_accept_quality(GEO, GEO), 1000);
    CHECK_INT(hp_accept_quality("application/GEO+JSON", GEO), 1000);
    CHECK_INT(hp_accept_quality("application/geo+json;q=0.5", GEO), 500);
    CHECK_INT(hp_accept_quality("application/geo+json ; q=0.25", GEO), 250);
    CHECK_INT(hp_accept_quality("*/*;q=0.1, application/*;q=0.3", GEO), 300);
    CHECK_INT(hp_accept_quality("*/*;q=0.1, application/geo+json;q=0", GEO), 0);
    CHECK_INT(hp_accept_quality("text/html", GEO), 0);
    CHECK_INT(hp_accept_quality("application/geo+jsonx", GEO), 0);
    CHECK_INT(hp_accept_quality("application/geo+json;charset=utf-8", GEO), 1000);
}

TEST(geojson_is_chosen_only_when_named_and_liked_at_least_as_much_as_json)
{
    CHECK(hp_accept_prefers(GEO, GEO, JSON));
    CHECK(hp_accept_prefers("application/GEO+JSON", GEO, JSON));
    CHECK(hp_accept_prefers("application/json, application/geo+json", GEO, JSON));
    CHECK(hp_accept_prefers("application/json;q=0.1, application/geo+json", GEO, JSON));
    CHECK(!hp_accept_prefers("application/geo+json;q=0.1, application/json", GEO, JSON));
    CHECK(!hp_accept_prefers("application/geo+json;q=0", GEO, JSON));
    CHECK(!hp_accept_prefers(NULL, GEO, JSON));
    CHECK(!hp_accept_prefers("*/*", GEO, JSON));
    CHECK(!hp_accept_prefers(JSON, GEO, JSON));
    CHECK(!hp_accept_prefers("application/geo+jsonx", GEO, JSON));
}

TEST(a_malformed_q_value_makes_its_range_count_for_nothing)
{
    CHECK_INT(hp_accept_quality("application/geo+json;q=abc", GEO), 0);
    CHECK_INT(hp_accept_quality("application/geo+json;q=abc, */*;q=0.2", GEO), 200);
    CHECK_INT(hp_accept_quality("", GEO), 0);
    CHECK_INT(hp_accept_quality(",,, ;", GEO), 0);
}

TEST(accept_encoding_gives_a_coding_the_quality_of_its_entry_then_of_the_star)
{
    CHECK_INT(hp_accept_coding_quality("gzip", "gzip"), 1000);
    CHECK_INT(hp_accept_coding_quality("GZIP;q=0.5", "gzip"), 500);
    CHECK_INT(hp_accept_coding_quality("x-gzip", "gzip"), 1000);
    CHECK_INT(hp_accept_coding_quality("br, gzip ; q=0.8, deflate", "gzip"), 800);
    CHECK_INT(hp_accept_coding_quality("gzip;q=0", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("gzip;q=0.000", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("*;q=0.3", "gzip"), 300);
    /* The entry naming the coding wins over the star, either order. */
    CHECK_INT(hp_accept_coding_quality("gzip;q=0, *", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("*, gzip;q=0", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("br", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("gzipx", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality("", "gzip"), 0);
    CHECK_INT(hp_accept_coding_quality(NULL, "gzip"), 0);
    /* Identity is acceptable unless refused by name or by the star. */
    CHECK_INT(hp_accept_coding_quality("gzip", "identity"), 1000);
    CHECK_INT(hp_accept_coding_quality("gzip, identity;q=0", "identity"), 0);
    CHECK_INT(hp_accept_coding_quality("gzip, *;q=0", "identity"), 0);
    CHECK_INT(hp_accept_coding_quality(NULL, "identity"), 1000);
    CHECK_INT(hp_accept_coding_quality("gzip;q=abc", "gzip"), 0);
}

TEST(gzip_is_sent_only_to_a_client_that_takes_it_at_least_as_well_as_identity)
{
    CHECK(hp_accept_takes_gzip("gzip"));
    CHECK(hp_accept_takes_gzip("gzip, deflate, br"));
    CHECK(hp_accept_takes_gzip("*"));
    CHECK(hp_accept_takes_gzip("br, gzip;q=0.8"));
    CHECK(hp_accept_takes_gzip("gzip;q=0.5, identity;q=0.5"));
    CHECK(!hp_accept_takes_gzip(NULL));
    CHECK(!hp_accept_takes_gzip(""));
    CHECK(!hp_accept_takes_gzip("identity"));
    CHECK(!hp_accept_takes_gzip("gzip;q=0"));
    CHECK(!hp_accept_takes_gzip("gzip;q=0, identity"));
    CHECK(!hp_accept_takes_gzip("gzip;q=0, *"));
    CHECK(!hp_accept_takes_gzip("gzip;q=0.5, identity"));
    CHECK(!hp_accept_takes_gzip("br"));
}

TEST(of_the_codings_offered_the_client_s_favourite_is_picked_and_ours_on_a_tie)
{
    static const char *const both[] = {"br", "gzip"};
    static const char *const gzip_only[] = {"gzip"};
    /* Ours first on a tie, as browsers send them all at q=1. */
    CHECK_STR(hp_accept_pick_coding("gzip, deflate, br", both, 2), "br");
    CHECK_STR(hp_accept_pick_coding("*", both, 2), "br");
    CHECK_STR(hp_accept_pick_coding("BR", both, 2), "br");
    /* The client's own order by quality wins over ours. */
    CHECK_STR(hp_accept_pick_coding("br;q=0.5, gzip", both, 2), "gzip");
    CHECK_STR(hp_accept_pick_coding("br;q=0.5, gzip;q=0.8", both, 2), "gzip");
    CHECK_STR(hp_accept_pick_coding("br;q=0, *", both, 2), "gzip");
    CHECK_STR(hp_accept_pick_coding("x-gzip", both, 2), "gzip");
    /* Not offered, refused, or below identity: the body as it is. */
    CHECK(hp_accept_pick_coding("br", gzip_only, 1) == NULL);
    CHECK(hp_accept_pick_coding("br;q=0, gzip;q=0", both, 2) == NULL);
    CHECK(hp_accept_pick_coding("br;q=0.5, identity", both, 2) == NULL);
    CHECK(hp_accept_pick_coding("identity", both, 2) == NULL);
    CHECK(hp_accept_pick_coding("", both, 2) == NULL);
    CHECK(hp_accept_pick_coding(NULL, both, 2) == NULL);
    CHECK(hp_accept_pick_coding("gzip", both, 0) == NULL);
    /* A malformed q-value counts for nothing, the other entry stands. */
    CHECK_STR(hp_accept_pick_coding("br;q=x, gzip", both, 2), "gzip");
}

TEST(the_language_a_client_prefers_among_ours_is_picked_english_by_default)
{
    static const char *const ours[] = {"en", "zh"};
    CHECK_STR(hp_accept_pick_language("zh-CN,zh;q=0.9,en;q=0.8", ours, 2), "zh");
    CHECK_STR(hp_accept_pick_language("zh", ours, 2), "zh");
    CHECK_STR(hp_accept_pick_language("ZH-Hans-CN", ours, 2), "zh");
    CHECK_STR(hp_accept_pick_language("en-US,en;q=0.9,zh-CN;q=0.8", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("fr, zh;q=0.5", ours, 2), "zh");
    /* Ours on a tie, and when nothing of ours is named, or no header. */
    CHECK_STR(hp_accept_pick_language("zh, en", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("*", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("fr-FR, de", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language(NULL, ours, 2), "en");
    /* A tag that only begins like ours, a refusal, a malformed q-value. */
    CHECK_STR(hp_accept_pick_language("zhx", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("zh;q=0, *", ours, 2), "en");
    CHECK_STR(hp_accept_pick_language("en;q=0, *;q=0.5", ours, 2), "zh");
    CHECK_STR(hp_accept_pick_language("en;q=x, zh;q=0.1", ours, 2), "zh");
    CHECK(hp_accept_pick_language("zh", ours, 0) == NULL);
}
