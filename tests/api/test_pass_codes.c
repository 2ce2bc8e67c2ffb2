/* Signed pass codes (docs/contract.md §12, docs/pass-code.md): every approved pass
 * carries one; a real QR round trip (SVG -> rsvg-convert -> zbarimg); online
 * verification of good and bad codes; the signed revocation list and the
 * offline `haulpass verify`; key rotation; the printable permit; the public
 * rate limit. Dates are moved with SQL, never waited for. */
#include "harness.h"
#include "test.h"

#include "haulpass/pass_token.h"
#include "haulpass/signing_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static struct hp_t_who admin, officer, haulier, haulier2;
static char zone[64], tmp[256];

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    admin = hp_t_who_add("Code Police", "police", "admin", "code admin");
    officer = hp_t_who_add("Code Police", "police", "officer", "code officer");
    haulier = hp_t_who_add("Code Haulage", "haulier", "haulier", "code dispatcher");
    haulier2 = hp_t_who_add("Other Code Haulage", "haulier", "haulier", "other dispatcher");
    for (int i = 1; i <= 6; i++) {
        char plate[16];
        snprintf(plate, sizeof(plate), "鲁QP700%d", i);
        hp_t_vehicle_add(haulier.token, plate);
    }
    hp_t_create("/v1/zones", admin.token,
                "{\"name\":\"兰山核心区 Lanshan <core>\",\"geometry\":{\"type\":\"Polygon\","
                "\"coordinates\":[[[118.30,35.00],[118.40,35.00],[118.40,35.10],[118.30,35.10],"
                "[118.30,35.00]]]},\"rules\":[]}",
                zone);
    snprintf(tmp, sizeof(tmp), "%s/pass-codes-%d", getenv("HAULPASS_TEST_LOGS") ?
             getenv("HAULPASS_TEST_LOGS") : "/tmp", (int)getpid());
    hp_t_sh("mkdir -p '%s'", tmp);
}

/* Files an application for plate covering area (a JSON member: the zone
 * or a corridor), claims it as officer and decides it on server s (NULL:
 * the main one); the new pass's code into code ("" when it failed). */
static void issue_over(struct hp_t_server *s, const char *plate, const char *decision,
                       const char *area, char code[32])
{
    code[0] = '\0';
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"type\":\"urban_delivery\",\"plates\":[\"%s\"],\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-31\",\"hours\":\"Mo-Fr 07:00-19:00\",%s,"
             "\"documents\":[{\"name\":\"licence\",\"provided\":false}]}",
             plate, area);
    struct hp_t_resp *r = hp_t_post("/v1/applications", haulier.token, b);
    CHECK_INT(r->status, 201);
    char app[64];
    snprintf(app, sizeof(app), "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    r = s ? hp_t_on(s, "POST", "/v1/queue/claim", officer.token, NULL)
          : hp_t_post("/v1/queue/claim", officer.token, NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "id"), app);
    hp_t_free(r);
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/decision", app);
    r = s ? hp_t_on(s, "POST", path, officer.token, decision)
          : hp_t_post(path, officer.token, decision);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT code FROM passes WHERE application_id = '%s'", app);
    PGresult *q = PQexec(hp_t_db(), sql);
    if (PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1)
        snprintf(code, 32, "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    CHECK(code[0] != '\0');
}

/* issue_over the test zone. */
static void issue(struct hp_t_server *s, const char *plate, const char *decision, char code[32])
{
    char area[128];
    snprintf(area, sizeof(area), "\"zone_ids\":[\"%s\"]", zone);
    issue_over(s, plate, decision, area, code);
}

static const char *approve = "{\"decision\":\"approve\",\"reason\":\"checked\"}";

/* The pass's signed code (static), read as the haulier on server s. */
static const char *signed_code(struct hp_t_server *s, const char *code)
{
    static char out[HP_PASS_TOKEN_BUF];
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s", code);
    struct hp_t_resp *r = s ? hp_t_on(s, "GET", path, haulier.token, NULL)
                            : hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    snprintf(out, sizeof(out), "%s", hp_t_str(r, "signed_code") ? hp_t_str(r, "signed_code") : "");
    hp_t_free(r);
    return out;
}

/* POST /v1/verify {code: text} on s (NULL: main); the caller frees. */
static struct hp_t_resp *verify_on(struct hp_t_server *s, const char *text)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "code", text);
    char *json = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    struct hp_t_resp *r = s ? hp_t_on(s, "POST", "/v1/verify", NULL, json)
                            : hp_t_post("/v1/verify", NULL, json);
    free(json);
    return r;
}

static bool valid(const struct hp_t_resp *r)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(r->json, "valid"));
}

/* Revokes pass code as the officer; the very next verification of its
 * signed text must say revoked. */
static void revoke_and_see_it(const char *code, const char *text)
{
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    struct hp_t_resp *r = hp_t_post(path, officer.token, "{\"reason\":\"overloaded\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = verify_on(NULL, text);
    CHECK(valid(r));
    CHECK_STR(hp_t_str(r, "pass.status"), "revoked");
    hp_t_free(r);
}

/* Runs sql (a change made behind the service's back, as another instance
 * would), then waits up to 5 s until the main server's check snapshot has
 * seen it: verify answers a code it has answered before from memory until
 * the snapshot moves on (include/haulpass/verify_cache.h). */
static void sql_seen(const char *sql)
{
    hp_t_sql_int(sql);
    /* A snapshot's version: the changes it sees (sql/008_snapshot_version.sql). */
    long long want = hp_t_sql_int("SELECT sum(n) FROM snapshot_changes");
    for (int i = 0; i < 100; i++) {
        struct hp_t_resp *r = hp_t_get("/metrics", NULL);
        const char *at = r->body ? strstr(r->body, "\nhaulpass_zone_snapshot_version ") : NULL;
        long long v = at ? atoll(at + strlen("\nhaulpass_zone_snapshot_version ")) : -1;
        hp_t_free(r);
        if (v >= want)
            return;
        usleep(50000);
    }
    CHECK(!"the snapshot saw the change within 5 s");
}

/* Writes text to file name under tmp; its path (static, rotating). */
static const char *save(const char *name, const char *text, size_t len)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 512, "%s/%s", tmp, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return p;
}

/* Runs `haulpass verify` on text with the saved files; its exit status,
 * its first line of output in line. */
static int cli_verify(const char *text, const char *keys, const char *list, char line[256])
{
    const char *out = save("verify.out", "", 0);
    int rc = hp_t_sh("'%s' verify '%s' --keys '%s' %s%s%s > '%s' 2>&1", getenv("HAULPASS_BIN"),
                     text, keys, list ? "--revocations '" : "", list ? list : "",
                     list ? "'" : "", out);
    line[0] = '\0';
    FILE *f = fopen(out, "r");
    if (f) {
        if (!fgets(line, 256, f))
            line[0] = '\0';
        fclose(f);
    }
    return rc;
}

TEST(an_approved_pass_carries_a_signed_code_that_verifies_online)
{
    once();
    char code[32];
    issue(NULL, "鲁QP7001", approve, code);
    /* Stored signed by the decision itself: read before any GET of the
     * pass, which would sign a pass found unsigned. */
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes WHERE code = '%s' AND signed_code IS NOT NULL"
             "   AND kid IS NOT NULL",
             code);
    CHECK_INT(hp_t_sql_int(sql), 1);
    const char *text = signed_code(NULL, code);
    CHECK(strncmp(text, "HP1:", 4) == 0);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM passes WHERE code = '%s' AND signed_code = '%s'",
             code, text);
    CHECK_INT(hp_t_sql_int(sql), 1);
    struct hp_t_resp *r = verify_on(NULL, text);
    CHECK_INT(r->status, 200);
    CHECK(valid(r));
    CHECK_STR(hp_t_str(r, "pass.code"), code);
    CHECK_STR(hp_t_str(r, "pass.plate"), "鲁QP7001");
    CHECK_STR(hp_t_str(r, "pass.type"), "urban_delivery");
    CHECK_STR(hp_t_str(r, "pass.status"), "active");
    CHECK_STR(hp_t_str(r, "pass.valid_to"), "2030-12-31");
    CHECK_STR(hp_t_str(r, "pass.hours"), "Mo-Fr 07:00-19:00");
    const cJSON *names = cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "pass"), "zone_names");
    CHECK(cJSON_GetArraySize(names) == 1 &&
          strcmp(cJSON_GetArrayItem(names, 0)->valuestring, "兰山核心区 Lanshan <core>") == 0);
    /* Nothing a printed pass does not show. */
    const cJSON *p = cJSON_GetObjectItem(r->json, "pass");
    CHECK(!cJSON_GetObjectItem(p, "application_id") && !cJSON_GetObjectItem(p, "zone_ids") &&
          !cJSON_GetObjectItem(p, "revoke_reason"));
    char kid[16];
    snprintf(kid, sizeof(kid), "%s", hp_t_str(r, "kid") ? hp_t_str(r, "kid") : "");
    hp_t_free(r);
    /* The key is listed, without authentication. */
    r = hp_t_get("/v1/keys", NULL);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, kid) != NULL && strstr(r->body, "\"alg\":\"Ed25519\"") != NULL);
    hp_t_free(r);
    /* Signed before it was written, at the instant the decision then
     * stored: the code's instant of issue is the pass's issued_at, which is
     * the application's decided_at. */
    struct hp_pass_token t;
    REQUIRE(hp_pass_token_parse(text, strlen(text), &t) == HP_PASS_TOKEN_OK);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes p JOIN applications a ON a.id = p.application_id"
             " WHERE p.code = '%s' AND p.issued_at = a.decided_at"
             "   AND floor(extract(epoch FROM p.issued_at)) = %lld",
             code, (long long)t.claims.issued_s);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

/* haulpass_pass_signing_seconds_count in /metrics, or -1. */
static long long signings_counted(void)
{
    struct hp_t_resp *r = hp_t_get("/metrics", NULL);
    const char *at = r->body ? strstr(r->body, "\nhaulpass_pass_signing_seconds_count ") : NULL;
    long long n = at ? atoll(at + strlen("\nhaulpass_pass_signing_seconds_count ")) : -1;
    hp_t_free(r);
    return n;
}

TEST(the_time_signing_adds_to_each_decision_is_measured_in_metrics)
{
    once();
    long long before = signings_counted();
    CHECK(before >= 0);
    char code[32];
    hp_t_vehicle_add(haulier.token, "鲁QP7009");
    issue(NULL, "鲁QP7009", approve, code);
    /* One decision, one signing timed (docs/pass-code.md: under 1 ms at p99). */
    CHECK_INT(signings_counted(), before + 1);
}

TEST(the_qr_svg_rasterised_and_scanned_by_zbarimg_gives_back_the_code)
{
    once();
    char code[32];
    issue(NULL, "鲁QP7002", approve, code);
    char text[HP_PASS_TOKEN_BUF];
    snprintf(text, sizeof(text), "%s", signed_code(NULL, code));
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/qr.svg", code);
    struct hp_t_resp *r = hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    CHECK(strncmp(hp_t_header(r, "Content-Type"), "image/svg+xml", 13) == 0);
    const char *svg = save("qr.svg", r->body, r->len);
    hp_t_free(r);
    char png[600], out[600];
    snprintf(png, sizeof(png), "%s/qr.png", tmp);
    snprintf(out, sizeof(out), "%s/qr.txt", tmp);
    REQUIRE(hp_t_sh("rsvg-convert -w 600 -b white -o '%s' '%s'", png, svg) == 0);
    REQUIRE(hp_t_sh("zbarimg --raw -q '%s' > '%s' 2>/dev/null", png, out) == 0);
    char scanned[HP_PASS_TOKEN_BUF + 8] = "";
    FILE *f = fopen(out, "r");
    REQUIRE(f);
    if (!fgets(scanned, sizeof(scanned), f))
        scanned[0] = '\0';
    fclose(f);
    scanned[strcspn(scanned, "\n")] = '\0';
    CHECK_STR(scanned, text);
    r = verify_on(NULL, scanned);
    CHECK(valid(r));
    CHECK_STR(hp_t_str(r, "pass.code"), code);
    hp_t_free(r);
    /* The same access as the pass: none without a token, 404 to others. */
    r = hp_t_get(path, NULL);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
    r = hp_t_get(path, haulier2.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

/* The reason a code cut short must get. Which one depends on where the cut
 * falls in the signature's characters: the reader drops blanks at the ends
 * (a space is a base45 character too), then a lone character left over is
 * not base45, two are a one-byte group only when they stand for at most
 * 255 (RFC 9285), and whole groups decode to a layout that is too short. */
static const char *cut_reason(const char *cut)
{
    static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    size_t n = strlen(cut);
    while (n > 4 && cut[n - 1] == ' ')
        n--;
    size_t rest = (n - 4) % 3;
    if (rest == 1)
        return "not-base45";
    if (rest == 2) {
        int v = (int)(strchr(b45, cut[n - 2]) - b45) + 45 * (int)(strchr(b45, cut[n - 1]) - b45);
        return v <= 255 ? "truncated" : "not-base45";
    }
    return "truncated";
}

/* Reason of a refused verification. */
static void refused(const char *text, const char *reason)
{
    struct hp_t_resp *r = verify_on(NULL, text);
    CHECK_INT(r->status, 200);
    CHECK(!valid(r));
    CHECK_STR(hp_t_str(r, "reason"), reason);
    if (!hp_t_str(r, "reason") || strcmp(hp_t_str(r, "reason"), reason) != 0)
        printf("    %.60s... gave %s\n", text, r->body);
    hp_t_free(r);
}

TEST(every_bad_code_gets_a_clear_answer_and_never_an_error)
{
    once();
    char code[32];
    issue(NULL, "鲁QP7003", approve, code);
    char text[HP_PASS_TOKEN_BUF + 8];
    snprintf(text, sizeof(text), "%s", signed_code(NULL, code));
    size_t len = strlen(text);
    /* A changed character in the signed part. */
    char bad[HP_PASS_TOKEN_BUF + 8];
    snprintf(bad, sizeof(bad), "%s", text);
    bad[30] = bad[30] == '0' ? '1' : '0';
    struct hp_t_resp *r = verify_on(NULL, bad);
    CHECK_INT(r->status, 200);
    CHECK(!valid(r));
    hp_t_free(r);
    /* Truncated: whole groups of three characters, and one character. */
    snprintf(bad, sizeof(bad), "%.*s", (int)(4 + (len - 4) / 3 * 3 - 3), text);
    refused(bad, cut_reason(bad));
    snprintf(bad, sizeof(bad), "%.*s", (int)(4 + (len - 4) / 3 * 3 - 2), text);
    refused(bad, cut_reason(bad));
    refused("hello", "not-a-pass-code");
    refused("", "not-a-pass-code");
    refused("HP1:hello world", "not-base45");
    /* Another deployment's code: the same layout, a key we never had. */
    struct hp_signing_key other;
    char err[256], kpath[512];
    snprintf(kpath, sizeof(kpath), "%s/other-deployment.pem", tmp);
    unlink(kpath);
    REQUIRE(hp_signing_key_generate(kpath, &other, err, sizeof(err)));
    struct hp_pass_token t;
    REQUIRE(hp_pass_token_parse(text, len, &t) == HP_PASS_TOKEN_OK);
    t.claims.kid = other.kid;
    REQUIRE(hp_pass_token_sign(&t.claims, other.pkey, bad));
    refused(bad, "unknown-key");
    /* Our key id with another key's signature. */
    struct hp_signing_key ours;
    REQUIRE(hp_signing_key_load(getenv("HAULPASS_SIGNING_KEY"), &ours, err, sizeof(err)));
    t.claims.kid = ours.kid;
    REQUIRE(hp_pass_token_sign(&t.claims, other.pkey, bad));
    refused(bad, "bad-signature");
    /* Our key, a pass this database never issued. */
    hp_pass_code_make(2030, "ZZZZZZZZ", t.claims.code);
    REQUIRE(hp_pass_token_sign(&t.claims, ours.pkey, bad));
    refused(bad, "unknown-pass");
    hp_signing_key_free(&other);
    hp_signing_key_free(&ours);
    /* Not {code: string}: 422. */
    const char *bodies[] = {"{}", "{\"code\":5}", "{\"code\":\"x\",\"more\":1}", "[]"};
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        r = hp_t_post("/v1/verify", NULL, bodies[i]);
        CHECK_INT(r->status, 422);
        hp_t_free(r);
    }
    /* 10 MB of text: 413, and the service goes on. */
    size_t n = 10u << 20;
    char *big = malloc(n + 32);
    REQUIRE(big);
    memcpy(big, "{\"code\":\"HP1:", 13);
    memset(big + 13, 'A', n - 15);
    memcpy(big + n - 2, "\"}", 2);
    r = hp_t_req("POST", "/v1/verify", NULL, "application/json", big, n, NULL);
    CHECK_INT(r->status, 413);
    hp_t_free(r);
    /* Just under the body limit, a string far too long to be a code. */
    size_t m = 1000000;
    memcpy(big + m - 2, "\"}", 2);
    r = hp_t_req("POST", "/v1/verify", NULL, "application/json", big, m, NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "reason"), "too-long");
    hp_t_free(r);
    free(big);
    r = verify_on(NULL, text);
    CHECK(valid(r));
    hp_t_free(r);
}

TEST(a_revoked_pass_is_revoked_online_in_the_next_list_and_offline)
{
    once();
    char code[32];
    issue(NULL, "鲁QP7004", approve, code);
    char text[HP_PASS_TOKEN_BUF];
    snprintf(text, sizeof(text), "%s", signed_code(NULL, code));
    struct hp_t_resp *r = hp_t_get("/v1/keys", NULL);
    const char *keys = save("keys.json", r->body, r->len);
    char keys_path[512];
    snprintf(keys_path, sizeof(keys_path), "%s", keys);
    hp_t_free(r);
    r = hp_t_get("/v1/passes/revocations", NULL);
    CHECK_INT(r->status, 200);
    char since[64];
    snprintf(since, sizeof(since), "%s", hp_t_str(r, "as_of"));
    char before_path[512];
    snprintf(before_path, sizeof(before_path), "%s", save("before.json", r->body, r->len));
    hp_t_free(r);
    char line[256];
    CHECK_INT(cli_verify(text, keys_path, before_path, line), 0);
    CHECK(strncmp(line, "valid", 5) == 0);
    revoke_and_see_it(code, text);
    /* The list since the last one, the '+' of its offset URL-encoded. */
    char enc[160] = "/v1/passes/revocations?since=";
    size_t o = strlen(enc);
    for (const char *c = since; *c && o + 4 < sizeof(enc); c++)
        o += (size_t)(*c == '+' ? snprintf(enc + o, sizeof(enc) - o, "%%2B")
                                : snprintf(enc + o, sizeof(enc) - o, "%c", *c));
    r = hp_t_get(enc, NULL);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, code) != NULL);
    CHECK(hp_t_str(r, "signature") != NULL);
    const char *list = save("after.json", r->body, r->len);
    char list_path[512];
    snprintf(list_path, sizeof(list_path), "%s", list);
    hp_t_free(r);
    CHECK_INT(cli_verify(text, keys_path, list_path, line), 1);
    CHECK(strncmp(line, "invalid: revoked", 16) == 0);
    /* A list whose signature does not hold is not believed. */
    hp_t_sh("sed -i 's/\"revoked\"/\"active\"/' '%s'", list_path);
    CHECK_INT(cli_verify(text, keys_path, list_path, line), 2);
    /* Offline, a tampered code is refused with its reason. */
    char bad[HP_PASS_TOKEN_BUF];
    snprintf(bad, sizeof(bad), "%.*s", (int)(4 + (strlen(text) - 4) / 3 * 3 - 3), text);
    CHECK_INT(cli_verify(bad, keys_path, NULL, line), 1);
    CHECK_STR(line, "invalid: truncated\n");
}

TEST(a_code_checked_again_gets_the_same_answer_and_a_revocation_is_seen_at_once)
{
    once();
    hp_t_vehicle_add(haulier.token, "鲁QP7010");
    char code[32];
    issue(NULL, "鲁QP7010", approve, code);
    char text[HP_PASS_TOKEN_BUF];
    snprintf(text, sizeof(text), "%s", signed_code(NULL, code));
    /* The second answer comes from memory: byte for byte the first. */
    struct hp_t_resp *a = verify_on(NULL, text), *b = verify_on(NULL, text);
    CHECK_INT(b->status, 200);
    CHECK(valid(b));
    CHECK_STR(hp_t_str(b, "pass.status"), "active");
    CHECK_STR(b->body, a->body);
    hp_t_free(a);
    hp_t_free(b);
    /* The same code in another body (blanks around it): the same answer. */
    char body[HP_PASS_TOKEN_BUF + 64];
    snprintf(body, sizeof(body), "{ \"code\" : \" %s\\n\" }", text);
    a = hp_t_post("/v1/verify", NULL, body);
    CHECK_STR(hp_t_str(a, "pass.status"), "active");
    CHECK_STR(hp_t_str(a, "pass.code"), code);
    hp_t_free(a);
    /* Revoked: the very next check says so, though the code was answered
     * from memory a moment ago. */
    revoke_and_see_it(code, text);
    /* A tampered code is refused each time, never from a kept answer. */
    char bad[HP_PASS_TOKEN_BUF];
    snprintf(bad, sizeof(bad), "%s", text);
    size_t at = strlen(bad) - 10;
    bad[at] = bad[at] == 'A' ? 'B' : 'A';
    for (int i = 0; i < 2; i++) {
        a = verify_on(NULL, bad);
        CHECK(!valid(a));
        CHECK_STR(hp_t_str(a, "reason"), "bad-signature");
        hp_t_free(a);
    }
}

TEST(a_suspended_provisional_pass_and_an_expired_one_say_so)
{
    once();
    char code[32];
    char decision[256];
    snprintf(decision, sizeof(decision),
             "{\"decision\":\"approve_provisional\",\"reason\":\"licence to follow\","
             "\"missing_documents\":[\"licence\"],\"documents_due\":\"2030-11-30T18:00:00+08:00\"}");
    issue(NULL, "鲁QP7005", decision, code);
    char text[HP_PASS_TOKEN_BUF];
    snprintf(text, sizeof(text), "%s", signed_code(NULL, code));
    struct hp_t_resp *r = verify_on(NULL, text);
    CHECK_STR(hp_t_str(r, "pass.status"), "provisional");
    CHECK(hp_t_str(r, "pass.documents_due") != NULL);
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE passes SET documents_due = now() - interval '1 hour' WHERE code = '%s'", code);
    sql_seen(sql);
    r = verify_on(NULL, text);
    CHECK_STR(hp_t_str(r, "pass.status"), "suspended");
    hp_t_free(r);
    /* The next list names it once the sweep has made it suspended. */
    r = hp_t_get("/v1/passes/revocations", NULL);
    CHECK(strstr(r->body, code) != NULL && strstr(r->body, "\"suspended\"") != NULL);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "UPDATE passes SET valid_from = " HP_T_LOCAL_TODAY " - 30,"
             " valid_to = " HP_T_LOCAL_TODAY " - 1,"
             " status = 'active' WHERE code = '%s'", code);
    sql_seen(sql);
    r = verify_on(NULL, text);
    CHECK(valid(r));
    CHECK_STR(hp_t_str(r, "pass.status"), "expired");
    hp_t_free(r);
}

TEST(the_printable_permit_shows_the_pass_under_a_strict_csp)
{
    once();
    char code[32];
    issue(NULL, "鲁QP7003", approve, code);
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/print", code);
    struct hp_t_resp *r = hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    CHECK(strncmp(hp_t_header(r, "Content-Type"), "text/html", 9) == 0);
    const char *csp = hp_t_header(r, "Content-Security-Policy");
    CHECK(csp && strstr(csp, "default-src 'none'") && !strstr(csp, "unsafe-inline"));
    CHECK(strstr(r->body, "鲁QP7003") != NULL);
    CHECK(strstr(r->body, code) != NULL);
    CHECK(strstr(r->body, "兰山核心区 Lanshan &lt;core&gt;") != NULL);
    CHECK(strstr(r->body, "<core>") == NULL);
    CHECK(strstr(r->body, "class=\"map\"") != NULL && strstr(r->body, "class=\"zone\"") != NULL);
    CHECK(strstr(r->body, "aria-label=\"QR code\"") != NULL);
    CHECK(strstr(r->body, "<script") == NULL && strstr(r->body, "style=") == NULL);
    save("permit.html", r->body, r->len);
    hp_t_free(r);
    r = hp_t_get("/print.css", NULL);
    CHECK_INT(r->status, 200);
    CHECK(strncmp(hp_t_header(r, "Content-Type"), "text/css", 8) == 0);
    hp_t_free(r);
    r = hp_t_get(path, haulier2.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_corridor_pass_prints_its_corridor_on_the_map_and_verifies)
{
    once();
    char code[32];
    issue_over(NULL, "鲁QP7004", approve,
               "\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":"
               "[[118.31,35.01],[118.35,35.04],[118.39,35.08]]},\"width_m\":200}",
               code);
    char path[96];
    snprintf(path, sizeof(path), "/v1/passes/%s/print", code);
    struct hp_t_resp *r = hp_t_get(path, haulier.token);
    CHECK_INT(r->status, 200);
    CHECK(strstr(r->body, "class=\"corridor\"") != NULL);
    CHECK(strstr(r->body, "class=\"zone\"") == NULL);
    CHECK(strstr(r->body, "通行走廊") != NULL);
    hp_t_free(r);
    r = verify_on(NULL, signed_code(NULL, code));
    CHECK(valid(r));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "pass"), "corridor")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "pass"),
                                                     "zone_names")), 0);
    hp_t_free(r);
}

TEST(after_a_key_rotation_old_codes_verify_and_new_passes_use_the_new_key)
{
    once();
    char old_code[32];
    issue(NULL, "鲁QP7006", approve, old_code);
    char old_text[HP_PASS_TOKEN_BUF];
    snprintf(old_text, sizeof(old_text), "%s", signed_code(NULL, old_code));
    struct hp_signing_key old_key;
    char err[256];
    REQUIRE(hp_signing_key_load(getenv("HAULPASS_SIGNING_KEY"), &old_key, err, sizeof(err)));
    /* A new key file, generated and published by the command line; the old
     * key retired. */
    char new_path[512], env_key[600];
    snprintf(new_path, sizeof(new_path), "%s/rotated.pem", tmp);
    unlink(new_path);
    CHECK_INT(hp_t_sh("HAULPASS_SIGNING_KEY='%s' '%s' keys generate --db '%s' > /dev/null",
                      new_path, getenv("HAULPASS_BIN"), hp_t.conninfo), 0);
    CHECK_INT(hp_t_sh("'%s' keys retire %s --db '%s'", getenv("HAULPASS_BIN"), old_key.kid_hex,
                      hp_t.conninfo), 0);
    CHECK(hp_t_sh("'%s' keys retire %s --db '%s' 2>/dev/null", getenv("HAULPASS_BIN"),
                  old_key.kid_hex, hp_t.conninfo) != 0);
    snprintf(env_key, sizeof(env_key), "HAULPASS_SIGNING_KEY=%s", new_path);
    const char *env[] = {env_key, NULL};
    struct hp_t_server s2 = {0};
    REQUIRE(hp_t_server_start(&s2, env) == 0);
    struct hp_t_resp *r = hp_t_on(&s2, "GET", "/v1/keys", NULL, NULL);
    CHECK(strstr(r->body, "\"retired_at\":\"") != NULL);
    hp_t_free(r);
    /* The old code still verifies; its key is retired. */
    r = verify_on(&s2, old_text);
    CHECK(valid(r));
    CHECK_STR(hp_t_str(r, "kid"), old_key.kid_hex);
    CHECK_STR(hp_t_str(r, "pass.status"), "active");
    hp_t_free(r);
    /* The retired key signs nothing new: a decision on the old server
     * leaves its pass unsigned, and the new server signs it when read. */
    char mid_code[32];
    issue(NULL, "鲁QP7001", approve, mid_code);
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes WHERE code = '%s' AND signed_code IS NULL", mid_code);
    CHECK_INT(hp_t_sql_int(sql), 1);
    const char *mid = signed_code(&s2, mid_code);
    struct hp_pass_token t;
    REQUIRE(hp_pass_token_parse(mid, strlen(mid), &t) == HP_PASS_TOKEN_OK);
    CHECK(t.claims.kid != old_key.kid);
    /* A new decision on the new server: the new key. */
    char new_code[32];
    issue(&s2, "鲁QP7002", approve, new_code);
    const char *nt = signed_code(&s2, new_code);
    REQUIRE(hp_pass_token_parse(nt, strlen(nt), &t) == HP_PASS_TOKEN_OK);
    CHECK(t.claims.kid != old_key.kid);
    r = verify_on(&s2, nt);
    CHECK(valid(r));
    hp_t_free(r);
    /* A code of the retired key whose pass has expired is refused: signed
     * here with the old key and an earlier valid_to. */
    REQUIRE(hp_pass_token_parse(old_text, strlen(old_text), &t) == HP_PASS_TOKEN_OK);
    snprintf(t.claims.valid_from, sizeof(t.claims.valid_from), "2020-01-01");
    snprintf(t.claims.valid_to, sizeof(t.claims.valid_to), "2020-01-31");
    char expired[HP_PASS_TOKEN_BUF];
    REQUIRE(hp_pass_token_sign(&t.claims, old_key.pkey, expired));
    r = verify_on(&s2, expired);
    CHECK(!valid(r));
    CHECK_STR(hp_t_str(r, "reason"), "key-retired");
    hp_t_free(r);
    hp_signing_key_free(&old_key);
    CHECK_INT(hp_t_server_stop(&s2), 0);
}

TEST(a_key_file_others_may_read_stops_the_service_at_start)
{
    once();
    char path[512], env_key[600];
    snprintf(path, sizeof(path), "%s/open.pem", tmp);
    unlink(path);
    CHECK_INT(hp_t_sh("cp '%s' '%s' && chmod 644 '%s'", getenv("HAULPASS_SIGNING_KEY"), path,
                      path), 0);
    snprintf(env_key, sizeof(env_key), "HAULPASS_SIGNING_KEY=%s", path);
    const char *env[] = {env_key, NULL};
    struct hp_t_server s = {0};
    CHECK(hp_t_server_start_unready(&s, env) != 0);
    CHECK_INT(hp_t_sh("grep -q 'readable by others' '%s'", s.log), 0);
    if (s.pid)
        hp_t_server_stop(&s);
}

TEST(public_routes_are_rate_limited_per_address_with_retry_after)
{
    once();
    const char *env[] = {"HAULPASS_PUBLIC_RATE=1", NULL};
    struct hp_t_server s3 = {0};
    REQUIRE(hp_t_server_start(&s3, env) == 0);
    int ok = 0, limited = 0;
    char retry[16] = "";
    for (int i = 0; i < 12; i++) {
        struct hp_t_resp *r = hp_t_on(&s3, "POST", "/v1/verify", NULL, "{\"code\":\"x\"}");
        if (r->status == 200)
            ok++;
        if (r->status == 429) {
            limited++;
            snprintf(retry, sizeof(retry), "%s", hp_t_header(r, "Retry-After") ?
                     hp_t_header(r, "Retry-After") : "");
        }
        hp_t_free(r);
    }
    /* A burst of 5 (a few more may have come back in the time it took). */
    CHECK(ok >= 5 && ok <= 7);
    CHECK(limited >= 5);
    CHECK(atoi(retry) >= 1);
    /* Authenticated routes are not limited. */
    struct hp_t_resp *r = hp_t_on(&s3, "GET", "/v1/me", haulier.token, NULL);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_INT(hp_t_server_stop(&s3), 0);
}
