/* Application statuses and their allowed changes, pure (app_status.h). The
 * same table in the schema is compared with this one by
 * tests/api/test_app_transitions.c. */
#include "test.h"

#include "haulpass/app_status.h"

#include <stdio.h>

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
