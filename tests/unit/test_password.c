/* scrypt password hashes: stored form, verification, malformed hashes. */
#include "test.h"

#include "haulpass/password.h"

#include <string.h>

TEST(a_password_verifies_against_its_own_hash_and_no_other_password)
{
    char h[HP_PASSWORD_HASH_MAX];
    REQUIRE(hp_password_hash("correct horse", 13, h));
    CHECK(strncmp(h, "scrypt$32768$8$1$", 17) == 0);
    CHECK(hp_password_verify("correct horse", 13, h));
    CHECK(!hp_password_verify("correct hors", 12, h));
    CHECK(!hp_password_verify("Correct horse", 13, h));
    CHECK(!hp_password_verify("", 0, h));
}

TEST(the_same_password_hashes_differently_each_time_because_of_the_salt)
{
    char a[HP_PASSWORD_HASH_MAX], b[HP_PASSWORD_HASH_MAX];
    REQUIRE(hp_password_hash("密码是很长的一句话", strlen("密码是很长的一句话"), a));
    REQUIRE(hp_password_hash("密码是很长的一句话", strlen("密码是很长的一句话"), b));
    CHECK(strcmp(a, b) != 0);
    CHECK(hp_password_verify("密码是很长的一句话", strlen("密码是很长的一句话"), b));
}

TEST(a_missing_or_malformed_or_too_costly_hash_matches_nothing)
{
    const char *bad[] = {
        NULL,
        "",
        "scrypt$",
        "bcrypt$2b$10$abc",
        "scrypt$32768$8$1$AAAA",
        "scrypt$32768$8$1$!!!!$AAAA",
        "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!hp_password_verify("anything at all", 15, bad[i]));
}
