/* The allowed status changes of an application are written twice: in C
 * (src/rules/app_status.c, which the handlers ask) and in the schema
 * (app_transitions in sql/004_applications.sql, which the trigger asks).
 * These tests read the schema's table from a freshly migrated database and
 * hold the two to each other, so neither can change alone. */
#include "harness.h"
#include "test.h"

#include "haulpass/app_status.h"

#include <stdio.h>

int hp_test_setup(void)
{
    return hp_t_setup(NULL);
}

void hp_test_teardown(void)
{
    hp_t_teardown();
}

TEST(every_change_the_schema_allows_is_allowed_in_c)
{
    PGresult *r = PQexec(hp_t_db(), "SELECT from_status, to_status FROM app_transitions");
    REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
    CHECK(PQntuples(r) > 0);
    for (int i = 0; i < PQntuples(r); i++) {
        enum hp_app_status from, to;
        const char *f = PQgetvalue(r, i, 0), *t = PQgetvalue(r, i, 1);
        bool known = hp_app_status_parse(f, &from) && hp_app_status_parse(t, &to);
        if (!known || !hp_app_status_allowed(from, to))
            hp_test_fail(__FILE__, __LINE__, "the schema allows %s -> %s, C does not", f, t);
    }
    PQclear(r);
}

TEST(every_change_c_allows_is_in_the_schema)
{
    for (int f = 0; f < HP_APP_STATUS_COUNT; f++) {
        for (int t = 0; t < HP_APP_STATUS_COUNT; t++) {
            if (!hp_app_status_allowed((enum hp_app_status)f, (enum hp_app_status)t))
                continue;
            const char *params[] = {hp_app_status_name((enum hp_app_status)f),
                                    hp_app_status_name((enum hp_app_status)t)};
            PGresult *r = PQexecParams(hp_t_db(),
                                       "SELECT 1 FROM app_transitions"
                                       " WHERE from_status = $1 AND to_status = $2",
                                       2, NULL, params, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
                hp_test_fail(__FILE__, __LINE__, "C allows %s -> %s, the schema does not",
                             params[0], params[1]);
            PQclear(r);
        }
    }
}

TEST(every_status_c_knows_is_one_the_schema_accepts)
{
    /* The CHECK on the status column lists them; PostgreSQL names a
     * column's CHECK <table>_<column>_check. */
    for (int s = 0; s < HP_APP_STATUS_COUNT; s++) {
        const char *params[] = {hp_app_status_name((enum hp_app_status)s)};
        PGresult *r = PQexecParams(hp_t_db(),
            "SELECT count(*) FROM pg_constraint"
            " WHERE conrelid = 'applications'::regclass"
            " AND conname = 'applications_status_check'"
            " AND pg_get_constraintdef(oid) LIKE '%''' || $1 || '''%'",
            1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQgetvalue(r, 0, 0)[0] == '0')
            hp_test_fail(__FILE__, __LINE__, "the schema does not accept the status %s",
                         params[0]);
        PQclear(r);
    }
}
