/* Sign-in: sessions, passwords, the lock after wrong passwords, sliding
 * expiry, sign-out, password changes, and a session token on ordinary
 * routes. Time is moved by SQL that ages the stored timestamps: no sleeps. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

/* An organisation of kind (made once per name); its id in a static buffer. */
static const char *org_of(const char *name, const char *kind)
{
    static char id[64];
    char body[256];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"kind\":\"%s\"}", name, kind);
    struct hp_t_resp *r = hp_t_post("/v1/orgs", hp_t_admin, body);
    const char *got = hp_t_str(r, "id");
    snprintf(id, sizeof(id), "%s", got ? got : "");
    hp_t_free(r);
    if (!id[0]) {
        char sql[256];
        snprintf(sql, sizeof(sql), "SELECT id FROM orgs WHERE name = '%s'", name);
        PGresult *q = PQexec(hp_t_db(), sql);
        if (PQntuples(q) == 1)
            snprintf(id, sizeof(id), "%s", PQgetvalue(q, 0, 0));
        PQclear(q);
    }
    return id;
}

/* A haulier user with a password, made through POST /v1/users; its id. */
static void haulier_with_password(const char *name, const char *password, char id[64])
{
    char body[512];
    snprintf(body, sizeof(body),
             "{\"org_id\":\"%s\",\"name\":\"%s\",\"role\":\"haulier\",\"password\":\"%s\"}",
             org_of("Session Haulage", "haulier"), name, password);
    struct hp_t_resp *r = hp_t_post("/v1/users", hp_t_admin, body);
    CHECK_INT(r->status, 201);
    snprintf(id, 64, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
}

/* POST /v1/sessions; the response (free it). */
static struct hp_t_resp *sign_in(const char *name, const char *password)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
    return hp_t_post("/v1/sessions", NULL, body);
}

/* A session token for name (static buffer per call). */
static const char *session_of(const char *name, const char *password)
{
    static char token[128];
    struct hp_t_resp *r = sign_in(name, password);
    const char *t = r->status == 201 ? hp_t_str(r, "token") : NULL;
    snprintf(token, sizeof(token), "%s", t ? t : "");
    hp_t_free(r);
    return token;
}

TEST(the_right_password_opens_a_session_whose_token_works_on_ordinary_routes)
{
    char id[64];
    haulier_with_password("signin-ok", "a long passphrase", id);
    struct hp_t_resp *r = sign_in("signin-ok", "a long passphrase");
    CHECK_INT(r->status, 201);
    CHECK_STR(hp_t_str(r, "user.name"), "signin-ok");
    CHECK_STR(hp_t_str(r, "user.role"), "haulier");
    CHECK_STR(hp_t_str(r, "user.id"), id);
    CHECK(hp_t_str(r, "expires_at") != NULL);
    CHECK_STR(hp_t_header(r, "Cache-Control"), "no-store");
    char token[128];
    snprintf(token, sizeof(token), "%s", hp_t_str(r, "token") ? hp_t_str(r, "token") : "");
    hp_t_free(r);
    REQUIRE(token[0]);
    r = hp_t_get("/v1/me", token);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "user.name"), "signin-ok");
    hp_t_free(r);
    /* A write, and a check answered from memory (whose caller the
     * snapshot does not know: a session is asked of the database). */
    r = hp_t_post("/v1/vehicles", token,
                  "{\"plate\":\"鲁Q5E551\",\"class\":\"heavy_truck\",\"gross_weight_kg\":31000}");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    r = hp_t_post("/v1/checks/route", token,
                  "{\"plate\":\"鲁Q5E551\",\"depart_at\":\"2026-12-01T10:00:00+08:00\","
                  "\"route\":{\"type\":\"LineString\",\"coordinates\":[[118.3,35.0],[118.31,35.0]]}}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    /* A haulier's session has a haulier's rights, no more. */
    r = hp_t_get("/v1/orgs", token);
    CHECK_INT(r->status, 403);
    hp_t_free(r);
}

TEST(a_wrong_password_and_an_unknown_name_get_the_same_401)
{
    char id[64];
    haulier_with_password("signin-wrong", "the right password", id);
    struct hp_t_resp *a = sign_in("signin-wrong", "not the password");
    struct hp_t_resp *b = sign_in("nobody-by-this-name", "not the password");
    CHECK_INT(a->status, 401);
    CHECK_INT(b->status, 401);
    CHECK_STR(hp_t_str(a, "type"), "urn:haulpass:problem:wrong-credentials");
    CHECK_STR(hp_t_str(a, "detail"), hp_t_str(b, "detail"));
    hp_t_free(a);
    hp_t_free(b);
    /* A user made without a password cannot sign in with any. */
    hp_t_user_add("Session Haulage", "haulier", "haulier", "token-only");
    a = sign_in("token-only", "");
    CHECK_INT(a->status, 422);
    hp_t_free(a);
    a = sign_in("token-only", "whatever it is");
    CHECK_INT(a->status, 401);
    hp_t_free(a);
}

TEST(five_wrong_passwords_in_a_row_lock_the_name_for_15_minutes_even_for_the_right_one)
{
    char id[64];
    haulier_with_password("signin-lock", "the right password", id);
    for (int i = 0; i < 5; i++) {
        struct hp_t_resp *r = sign_in("signin-lock", "wrong guess");
        CHECK_INT(r->status, 401);
        hp_t_free(r);
    }
    struct hp_t_resp *r = sign_in("signin-lock", "the right password");
    CHECK_INT(r->status, 429);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:sign-in-locked");
    const char *ra = hp_t_header(r, "Retry-After");
    CHECK(ra && atoi(ra) > 14 * 60 && atoi(ra) <= 15 * 60);
    hp_t_free(r);
    /* Other names are not locked. */
    haulier_with_password("signin-other", "another password", id);
    r = sign_in("signin-other", "another password");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    /* Fifteen minutes later (the lock moved into the past) it opens. */
    CHECK(hp_t_sql_ok("UPDATE sign_in_failures SET locked_until = now() - interval '1 second'"
                   " WHERE name = 'signin-lock'"));
    r = sign_in("signin-lock", "the right password");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    /* ... and a right password starts the count afresh. */
    for (int i = 0; i < 4; i++) {
        r = sign_in("signin-lock", "wrong guess");
        CHECK_INT(r->status, 401);
        hp_t_free(r);
    }
    r = sign_in("signin-lock", "the right password");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(an_unknown_name_locks_too_so_a_lock_tells_nothing_of_who_exists)
{
    for (int i = 0; i < 5; i++) {
        struct hp_t_resp *r = sign_in("ghost", "wrong guess");
        CHECK_INT(r->status, 401);
        hp_t_free(r);
    }
    struct hp_t_resp *r = sign_in("ghost", "wrong guess");
    CHECK_INT(r->status, 429);
    hp_t_free(r);
}

TEST(a_session_ends_after_8_hours_without_use_and_each_use_moves_the_end)
{
    char id[64];
    haulier_with_password("signin-idle", "the right password", id);
    char token[128];
    snprintf(token, sizeof(token), "%s", session_of("signin-idle", "the right password"));
    REQUIRE(token[0]);
    char sql[512];
    /* Used 7 h 59 min ago: still alive, and this use makes it new again. */
    snprintf(sql, sizeof(sql),
             "UPDATE sessions SET last_used_at = now() - interval '7 hours 59 minutes'"
             " WHERE user_id = '%s'", id);
    CHECK(hp_t_sql_ok(sql));
    struct hp_t_resp *r = hp_t_get("/v1/me", token);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM sessions WHERE user_id = '%s'"
             "   AND last_used_at > now() - interval '1 minute'", id);
    CHECK_INT(hp_t_sql_int(sql), 1);
    /* Unused for 8 h 1 min: over. */
    snprintf(sql, sizeof(sql),
             "UPDATE sessions SET last_used_at = now() - interval '8 hours 1 minute'"
             " WHERE user_id = '%s'", id);
    CHECK(hp_t_sql_ok(sql));
    r = hp_t_get("/v1/me", token);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

TEST(signing_out_ends_the_session_and_a_machine_token_is_no_session)
{
    char id[64];
    haulier_with_password("signin-out", "the right password", id);
    char token[128];
    snprintf(token, sizeof(token), "%s", session_of("signin-out", "the right password"));
    REQUIRE(token[0]);
    struct hp_t_resp *r = hp_t_req("DELETE", "/v1/sessions/current", token, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    r = hp_t_get("/v1/me", token);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    r = hp_t_req("DELETE", "/v1/sessions/current", hp_t_admin, NULL, NULL, 0, NULL);
    CHECK_INT(r->status, 404);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:not-a-session");
    hp_t_free(r);
    r = hp_t_get("/v1/me", hp_t_admin);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

TEST(a_user_changes_their_own_password_and_other_sessions_end)
{
    char id[64];
    haulier_with_password("signin-change", "the old password", id);
    char mine[128], other[128];
    snprintf(mine, sizeof(mine), "%s", session_of("signin-change", "the old password"));
    snprintf(other, sizeof(other), "%s", session_of("signin-change", "the old password"));
    REQUIRE(mine[0] && other[0]);
    const char *wrong = "{\"current\":\"not it\",\"new\":\"a brand new one\"}";
    struct hp_t_resp *r = hp_t_req("PUT", "/v1/me/password", mine, NULL, wrong, strlen(wrong), NULL);
    CHECK_INT(r->status, 403);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:wrong-password");
    hp_t_free(r);
    const char *too_short = "{\"current\":\"the old password\",\"new\":\"short\"}";
    r = hp_t_req("PUT", "/v1/me/password", mine, NULL, too_short, strlen(too_short), NULL);
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    const char *ok = "{\"current\":\"the old password\",\"new\":\"a brand new one\"}";
    r = hp_t_req("PUT", "/v1/me/password", mine, NULL, ok, strlen(ok), NULL);
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    r = hp_t_get("/v1/me", mine);
    CHECK_INT(r->status, 200); /* the session that changed it goes on */
    hp_t_free(r);
    r = hp_t_get("/v1/me", other);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    r = sign_in("signin-change", "the old password");
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    r = sign_in("signin-change", "a brand new one");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
}

TEST(an_admin_sets_a_password_and_the_command_line_takes_one_from_a_file)
{
    struct hp_t_who w = hp_t_who_add("CLI Site", "site", "site", "site-cli");
    REQUIRE(w.id[0]);
    char path[96], body[128];
    snprintf(path, sizeof(path), "/v1/users/%s/password", w.id);
    struct hp_t_resp *r = hp_t_post(path, w.token, "{\"password\":\"set by an admin\"}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_post(path, hp_t_admin, "{\"password\":\"set by an admin\"}");
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    r = sign_in("site-cli", "set by an admin");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    snprintf(body, sizeof(body), "{\"password\":\"x\"}");
    r = hp_t_post("/v1/users/00000000-0000-4000-8000-000000000000/password", hp_t_admin,
                  "{\"password\":\"long enough here\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_post(path, hp_t_admin, body);
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    /* haulpass user add --password-file -: the first line of stdin. */
    CHECK_INT(hp_t_sh("printf 'from standard input\\n' | \"%s\" user add --org 'CLI Site' "
                      "--kind site --role site --name site-stdin --password-file - "
                      "--db '%s' >/dev/null",
                      getenv("HAULPASS_BIN"), hp_t.conninfo),
              0);
    r = sign_in("site-stdin", "from standard input");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    CHECK(hp_t_sh("printf 'short\\n' | \"%s\" user add --org 'CLI Site' --kind site --role site "
                  "--name site-short --password-file - --db '%s' >/dev/null 2>&1",
                  getenv("HAULPASS_BIN"), hp_t.conninfo) != 0);
}

TEST(a_name_is_unique_since_it_is_the_sign_in_name)
{
    char id[64];
    haulier_with_password("signin-unique", "the right password", id);
    char body[512];
    snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"name\":\"signin-unique\",\"role\":\"haulier\"}",
             org_of("Session Haulage", "haulier"));
    struct hp_t_resp *r = hp_t_post("/v1/users", hp_t_admin, body);
    CHECK_INT(r->status, 409);
    CHECK_STR(hp_t_str(r, "type"), "urn:haulpass:problem:name-taken");
    hp_t_free(r);
}

TEST(bad_sign_in_bodies_are_refused_without_a_crash)
{
    const char *bad[] = {
        "", "{", "[]", "null", "{\"name\":1,\"password\":2}", "{\"name\":\"a\"}",
        "{\"name\":\"a\",\"password\":\"b\",\"extra\":true}",
        "{\"name\":\"\xe4\xb8\",\"password\":\"b\"}",
        "{\"name\":\"名字\",\"password\":\"密码\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct hp_t_resp *r = hp_t_req("POST", "/v1/sessions", NULL, NULL, bad[i], strlen(bad[i]), NULL);
        CHECK(r->status == 400 || r->status == 422 || r->status == 401);
        hp_t_free(r);
    }
    /* A password of 100,000 characters: refused by its bound, not hashed. */
    size_t n = 100000;
    char *big = malloc(n + 64);
    REQUIRE(big);
    int k = snprintf(big, n + 64, "{\"name\":\"a\",\"password\":\"");
    memset(big + k, 'x', n);
    snprintf(big + k + n, 64, "\"}");
    struct hp_t_resp *r = hp_t_req("POST", "/v1/sessions", NULL, NULL, big, strlen(big), NULL);
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    free(big);
}

struct guess {
    const char *password;
    long status;
};

static void *guess_one(void *p)
{
    struct guess *g = p;
    struct hp_t_resp *r = sign_in("signin-burst", g->password);
    g->status = r->status;
    hp_t_free(r);
    return NULL;
}

TEST(a_burst_of_guesses_sent_at_once_gets_no_further_than_five)
{
    char id[64];
    haulier_with_password("signin-burst", "the right password", id);
    enum { N = 12 };
    struct guess g[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        /* The right password is the last sent: by then the name is locked. */
        g[i] = (struct guess){i == N - 1 ? "the right password" : "wrong guess", 0};
        pthread_create(&t[i], NULL, guess_one, &g[i]);
        if (i == N - 2) {
            for (int k = 0; k <= i; k++)
                pthread_join(t[k], NULL);
        }
    }
    pthread_join(t[N - 1], NULL);
    int wrong = 0, locked = 0;
    for (int i = 0; i < N - 1; i++) {
        wrong += g[i].status == 401;
        locked += g[i].status == 429;
    }
    CHECK_INT(wrong, 5);
    CHECK_INT(locked, N - 1 - 5);
    CHECK_INT(g[N - 1].status, 429);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                           " WHERE u.name = 'signin-burst'"),
              0);
}

TEST(setting_a_password_does_not_make_the_check_snapshot_reload)
{
    char id[64];
    haulier_with_password("signin-snapshot", "the first password", id);
    int before = hp_t_sql_int("SELECT coalesce(sum(n), 0)::int FROM snapshot_changes");
    char path[96];
    snprintf(path, sizeof(path), "/v1/users/%s/password", id);
    struct hp_t_resp *r = hp_t_post(path, hp_t_admin, "{\"password\":\"the second password\"}");
    CHECK_INT(r->status, 204);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT coalesce(sum(n), 0)::int FROM snapshot_changes"), before);
    /* A token rotation still does: the snapshot knows tokens. */
    snprintf(path, sizeof(path), "/v1/users/%s/token", id);
    r = hp_t_post(path, hp_t_admin, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK(hp_t_sql_int("SELECT coalesce(sum(n), 0)::int FROM snapshot_changes") > before);
}

TEST(a_count_of_wrong_passwords_left_for_a_day_is_forgotten)
{
    char id[64];
    haulier_with_password("signin-forget", "the right password", id);
    for (int i = 0; i < 3; i++) {
        struct hp_t_resp *r = sign_in("stranger-forget", "wrong guess");
        CHECK_INT(r->status, 401);
        hp_t_free(r);
    }
    CHECK(hp_t_sql_ok("UPDATE sign_in_failures SET last_failed_at = now() - interval '25 hours'"
                   " WHERE name = 'stranger-forget'"));
    struct hp_t_resp *r = sign_in("signin-forget", "the right password");
    CHECK_INT(r->status, 201);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM sign_in_failures WHERE name = 'stranger-forget'"), 0);
}
