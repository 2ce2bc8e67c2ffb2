/* Tokens, hashes, request ids and RFC 3339 times. */
#include "test.h"

#include "haulpass/time.h"
#include "haulpass/token.h"

#include <stdlib.h>
#include <time.h>

TEST(a_new_token_is_hp_and_43_base64url_characters_and_never_repeats)
{
    char a[HP_TOKEN_LEN + 1], b[HP_TOKEN_LEN + 1];
    CHECK(hp_token_new(a));
    CHECK(hp_token_new(b));
    CHECK_INT(strlen(a), 46);
    CHECK(strncmp(a, "hp_", 3) == 0);
    CHECK(hp_token_well_formed(a));
    CHECK(strcmp(a, b) != 0);
}

TEST(malformed_tokens_are_recognised_without_the_database)
{
    CHECK(!hp_token_well_formed(""));
    CHECK(!hp_token_well_formed("hp_short"));
    CHECK(!hp_token_well_formed("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    CHECK(!hp_token_well_formed("hp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
}

TEST(sha256_matches_the_standard_test_vector)
{
    char hex[HP_SHA256_HEX_LEN + 1];
    hp_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(rfc3339_times_need_an_offset_and_a_real_date)
{
    int64_t us;
    CHECK(hp_time_parse("2026-11-28T12:00:00+08:00", &us));
    CHECK_INT(us, 1795838400LL * 1000000);
    CHECK(hp_time_parse("2026-11-28T04:00:00Z", &us));
    CHECK_INT(us, 1795838400LL * 1000000);
    CHECK(hp_time_parse("2026-11-28T04:00:00.5z", &us));
    CHECK_INT(us, 1795838400LL * 1000000 + 500000);
    CHECK(hp_time_parse("2024-02-29T00:00:00-05:30", &us));
    CHECK(!hp_time_parse("2026-11-28T12:00:00", &us));
    CHECK(!hp_time_parse("2026-02-29T12:00:00Z", &us));
    CHECK(!hp_time_parse("2026-13-01T12:00:00Z", &us));
    CHECK(!hp_time_parse("2026-11-28 12:00:00Z", &us));
    CHECK(!hp_time_parse("2026-11-28T24:00:00Z", &us));
    CHECK(!hp_time_parse("2026-11-28T12:00:00+8:00", &us));
    CHECK(!hp_time_parse("2026-11-28T12:00:00Zjunk", &us));
}

TEST(times_are_written_in_the_service_zone_with_its_offset)
{
    char buf[HP_TIME_BUF];
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    hp_time_format(1795838400LL * 1000000, buf);
    CHECK_STR(buf, "2026-11-28T12:00:00+08:00");
    setenv("TZ", "Europe/London", 1);
    tzset();
    hp_time_format(1795838400LL * 1000000 + 250000, buf);
    CHECK_STR(buf, "2026-11-28T04:00:00.250000+00:00");
    int64_t us;
    CHECK(hp_time_parse("2026-07-01T12:00:00Z", &us));
    hp_time_format(us, buf);
    CHECK_STR(buf, "2026-07-01T13:00:00+01:00");
}
