/* The transaction runner and the pool against a real PostgreSQL: what is
 * retried (serialization failures, deadlocks), how often, and what is not. */
#include "harness.h"
#include "test.h"

#include "haulpass/arena.h"
#include "haulpass/db_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct hp_db_pool *pool;

int hp_test_setup(void)
{
    if (hp_t_setup(NULL) != 0)
        return -1;
    pool = hp_db_pool_new(hp_t.conninfo, 2);
    return pool ? 0 : -1;
}

void hp_test_teardown(void)
{
    hp_db_pool_free(pool);
    hp_t_teardown();
}

struct attempt {
    const char *tag;      /* names this test's rows */
    const char *sqlstate; /* raised on the first `fail_times` attempts */
    int fail_times;
    int calls;
    struct hp_arena *arena;
};

static struct hp_sql raise_sql = HP_SQL("test_raise",
    "DO $$ BEGIN RAISE EXCEPTION 'induced' USING ERRCODE = current_setting('test.code'); END $$");
static struct hp_sql set_code_sql = HP_SQL("test_set_code",
    "SELECT set_config('test.code', $1, true)");
static struct hp_sql insert_sql = HP_SQL("test_insert",
    "INSERT INTO orgs (name, kind) VALUES ($1, 'site')");

static enum hp_db_status body(struct hp_db *db, void *ctx)
{
    struct attempt *a = ctx;
    PGresult *r;
    a->calls++;
    char name[64];
    snprintf(name, sizeof(name), "tx %s %d", a->tag, a->calls);
    const char *p[] = {name};
    enum hp_db_status st = hp_db_exec(db, a->arena, &insert_sql, 1, p, &r);
    if (st < 0 || a->calls > a->fail_times)
        return st;
    const char *code[] = {a->sqlstate};
    st = hp_db_exec(db, a->arena, &set_code_sql, 1, code, &r);
    if (st < 0)
        return st;
    return hp_db_exec(db, a->arena, &raise_sql, 0, NULL, &r);
}

static int count_orgs(const char *prefix)
{
    const char *p[] = {prefix};
    PGresult *r = PQexecParams(hp_t_db(), "SELECT count(*) FROM orgs WHERE starts_with(name, $1)",
                               1, NULL, p, NULL, NULL, 0);
    int n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoi(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return n;
}

TEST(a_serialization_failure_is_retried_and_only_the_last_attempt_commits)
{
    struct attempt a = {"serial", "40001", 2, 0, hp_arena_new()};
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    CHECK_INT(hp_db_tx(db, body, &a), HP_DB_ROWS);
    CHECK_INT(a.calls, 3);
    CHECK_INT(count_orgs("tx serial"), 1);
    hp_db_release(pool, db);
    hp_arena_free(a.arena);
}

TEST(a_deadlock_is_retried)
{
    struct attempt a = {"deadlock", "40P01", 1, 0, hp_arena_new()};
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    CHECK_INT(hp_db_tx(db, body, &a), HP_DB_ROWS);
    CHECK_INT(a.calls, 2);
    hp_db_release(pool, db);
    hp_arena_free(a.arena);
}

TEST(retries_are_bounded_and_a_lasting_conflict_is_reported_as_soft)
{
    struct attempt a = {"bounded", "40001", 1000, 0, hp_arena_new()};
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    CHECK_INT(hp_db_tx(db, body, &a), HP_DB_SOFT_ERROR);
    CHECK_INT(a.calls, 5);
    CHECK_INT(count_orgs("tx bounded"), 0);
    hp_db_release(pool, db);
    hp_arena_free(a.arena);
}

TEST(a_hard_error_is_not_retried_and_rolls_back)
{
    struct attempt a = {"hard", "23505", 1000, 0, hp_arena_new()};
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    CHECK_INT(hp_db_tx(db, body, &a), HP_DB_HARD_ERROR);
    CHECK_INT(a.calls, 1);
    CHECK_STR(hp_db_sqlstate(db), "23505");
    CHECK_INT(count_orgs("tx hard"), 0);
    hp_db_release(pool, db);
    hp_arena_free(a.arena);
}

/* A callback that swallows a failed statement and reports success. */
static enum hp_db_status swallow(struct hp_db *db, void *ctx)
{
    struct attempt *a = ctx;
    PGresult *r;
    a->calls++;
    const char *p[] = {"tx swallowed"};
    if (hp_db_exec(db, a->arena, &insert_sql, 1, p, &r) < 0)
        return HP_DB_HARD_ERROR;
    const char *code[] = {"23505"};
    if (hp_db_exec(db, a->arena, &set_code_sql, 1, code, &r) < 0)
        return HP_DB_HARD_ERROR;
    (void)hp_db_exec(db, a->arena, &raise_sql, 0, NULL, &r);
    return HP_DB_ROWS;
}

TEST(success_after_a_failed_statement_is_reported_as_a_hard_error)
{
    struct attempt a = {"swallow", NULL, 0, 0, hp_arena_new()};
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    CHECK_INT(hp_db_tx(db, swallow, &a), HP_DB_HARD_ERROR);
    CHECK_INT(a.calls, 1);
    CHECK_INT(count_orgs("tx swallowed"), 0);
    /* The connection is usable again: not left in the aborted transaction. */
    static struct hp_sql one_sql = HP_SQL("test_one", "SELECT 1");
    PGresult *r;
    CHECK_INT(hp_db_exec(db, a.arena, &one_sql, 0, NULL, &r), HP_DB_ROWS);
    hp_db_release(pool, db);
    hp_arena_free(a.arena);
}

TEST(a_connection_given_back_inside_a_transaction_is_not_lent_out_in_it)
{
    struct hp_arena *arena = hp_arena_new();
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    static struct hp_sql begin_sql = HP_SQL("test_begin", "BEGIN");
    PGresult *r;
    CHECK(hp_db_exec(db, arena, &begin_sql, 0, NULL, &r) >= 0);
    const char *p[] = {"left open"};
    CHECK(hp_db_exec(db, arena, &insert_sql, 1, p, &r) >= 0);
    hp_db_release(pool, db);
    /* Both connections of the pool, neither inside that transaction. */
    struct hp_db *a = hp_db_acquire(pool), *b = hp_db_acquire(pool);
    REQUIRE(a && b);
    static struct hp_sql state_sql = HP_SQL("test_state", "SELECT count(*) FROM orgs WHERE name = 'left open'");
    struct hp_db *both[] = {a, b};
    for (int i = 0; i < 2; i++) {
        enum hp_db_status st = hp_db_exec(both[i], arena, &state_sql, 0, NULL, &r);
        if (st != HP_DB_ROWS)
            printf("    %s\n", hp_db_message(both[i]));
        REQUIRE(st == HP_DB_ROWS);
        CHECK_STR(PQgetvalue(r, 0, 0), "0");
    }
    hp_db_release(pool, a);
    hp_db_release(pool, b);
    hp_arena_free(arena);
}

TEST(statements_are_prepared_once_per_connection_and_parameterised)
{
    struct hp_arena *arena = hp_arena_new();
    struct hp_db *db = hp_db_acquire(pool);
    REQUIRE(db != NULL);
    const char *p[] = {"x'); DROP TABLE orgs; --"};
    PGresult *r;
    CHECK(hp_db_exec(db, arena, &insert_sql, 1, p, &r) == HP_DB_ROWS);
    CHECK(hp_db_exec(db, arena, &insert_sql, 1, p, &r) == HP_DB_HARD_ERROR); /* unique name */
    CHECK_STR(hp_db_sqlstate(db), "23505");
    CHECK_STR(hp_db_constraint(db), "orgs_name_key");
    static struct hp_sql prepared_sql = HP_SQL("test_prepared",
        "SELECT count(*) FROM pg_prepared_statements WHERE name = 'test_insert'");
    CHECK(hp_db_exec(db, arena, &prepared_sql, 0, NULL, &r) == HP_DB_ROWS);
    CHECK_STR(PQgetvalue(r, 0, 0), "1");
    CHECK_INT(count_orgs("x'); DROP"), 1);
    hp_db_release(pool, db);
    hp_arena_free(arena);
}

/* hp_us (sql/020_hp_us_inlined.sql), how instants travel to the C side:
 * the microseconds since the epoch whatever the session's time zone, and
 * inlined into the statement that calls it, never run as a function of its
 * own (which parses its body again in every statement). */
TEST(hp_us_is_the_epoch_in_microseconds_in_every_time_zone_and_is_inlined)
{
    static const char *zones[] = {"UTC", "Asia/Shanghai", "America/New_York", "Pacific/Chatham"};
    for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++) {
        char sql[900];
        snprintf(sql, sizeof(sql),
                 "SET TIME ZONE '%s';"
                 " SELECT count(*) FILTER (WHERE hp_us(t) <> (extract(epoch FROM t) * 1000000)::bigint)"
                 "        + count(*) FILTER (WHERE hp_us(t) <> u) FROM (VALUES"
                 " ('1970-01-01 00:00:00+00'::timestamptz, 0::bigint),"
                 " ('1969-12-31 23:59:59.999999+00', -1),"
                 " ('2026-12-03 08:00:00.000001+08', 1796256000000001),"
                 " ('2026-11-01 01:30:00-04', 1793511000000000),"
                 " ('9999-12-31 23:59:59.999999+00', 253402300799999999)) v(t, u)",
                 zones[i]);
        CHECK_INT(hp_t_sql_int(sql), 0);
    }
    CHECK(hp_t_sql_ok("RESET TIME ZONE"));
    /* A call that ran as a function would be counted by track_functions. */
    CHECK_INT(hp_t_sql_int("SET LOCAL track_functions = 'all';"
                           " SELECT sum(hp_us(now() + i * interval '1 s')) FROM generate_series(1, 10) i;"
                           " SELECT coalesce(pg_stat_get_xact_function_calls("
                           "'hp_us(timestamptz)'::regprocedure), 0)"),
              0);
}
