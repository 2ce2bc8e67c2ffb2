/* The review queue and passes: claims and leases, decisions by the claim
 * holder, passes issued, revoked, made active, suspended and expired; eight
 * officers draining the queue at once; who may call what. */
#include "harness.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

#define OFFICERS 8

static struct hp_t_who officers[OFFICERS], admin, site, site2, haulier, haulier2;
static char project[64], zone[64];

static void once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (int i = 0; i < OFFICERS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "officer %d", i);
        officers[i] = hp_t_who_add("Queue Police", "police", "officer", name);
    }
    admin = hp_t_who_add("Queue Police", "police", "admin", "queue admin");
    site = hp_t_who_add("Queue Metro Site", "site", "site", "queue site office");
    site2 = hp_t_who_add("Queue Bridge Site", "site", "site", "queue bridge office");
    haulier = hp_t_who_add("Queue Haulage", "haulier", "haulier", "queue dispatcher");
    haulier2 = hp_t_who_add("Queue Other Haulage", "haulier", "haulier", "queue other dispatcher");
    hp_t_vehicle_add(haulier.token, "鲁Q40001");
    hp_t_vehicle_add(haulier.token, "鲁Q40002");
    hp_t_vehicle_add(haulier2.token, "鲁Q50001");
    hp_t_vehicle_add(site.token, "鲁Q60001");
    hp_t_project_add(admin.token, site.org, officers[0].id, project);
    hp_t_create("/v1/zones", admin.token,
                "{\"name\":\"Queue Core\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                "[[[118.3,35],[118.4,35],[118.4,35.1],[118.3,35.1],[118.3,35]]]},\"rules\":[]}",
                zone);
}

/* Files an application; returns its id (static, rotating) or "". */
static const char *file(const struct hp_t_who *w, const char *type, const char *plates,
                        bool with_project, const char *documents)
{
    static char ids[8][64];
    static int next;
    char b[2048];
    /* An oversize load names its corridor and cargo (docs/contract.md §13). */
    bool oversize = strcmp(type, "oversize") == 0;
    snprintf(b, sizeof(b),
             "{\"type\":\"%s\",\"plates\":%s,\"valid_from\":\"2030-12-01\","
             "\"valid_to\":\"2030-12-03\",\"zone_ids\":[\"%s\"],\"documents\":%s%s%s%s%s}",
             type, plates, zone, documents ? documents : "[]",
             with_project ? ",\"project_id\":\"" : "", with_project ? project : "",
             with_project ? "\"" : "",
             oversize ? ",\"corridor\":{\"route\":{\"type\":\"LineString\",\"coordinates\":"
                        "[[118,35],[118.1,35]]},\"width_m\":10},\"cargo\":{\"length_mm\":"
                        "16000,\"width_mm\":2800,\"height_mm\":4000,\"mass_kg\":40000}"
                      : "");
    struct hp_t_resp *r = hp_t_post("/v1/applications", w->token, b);
    CHECK_INT(r->status, 201);
    if (r->status != 201)
        printf("    %s gave %ld %s\n", b, r->status, r->body);
    char *id = ids[next++ % 8];
    snprintf(id, 64, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
    hp_t_free(r);
    return id;
}

static struct hp_t_resp *act(const char *id, const char *action, const char *token,
                             const char *json)
{
    char path[160];
    snprintf(path, sizeof(path), "/v1/applications/%s/%s", id, action);
    return hp_t_post(path, token, json);
}

static struct hp_t_resp *claim(const struct hp_t_who *w)
{
    return hp_t_post("/v1/queue/claim", w->token, NULL);
}

/* Empties the queue: claims and rejects until nothing is left. */
static void drain(void)
{
    for (int i = 0; i < 2000; i++) {
        struct hp_t_resp *r = claim(&admin);
        if (r->status != 200) {
            CHECK_INT(r->status, 204);
            hp_t_free(r);
            return;
        }
        char id[64];
        snprintf(id, sizeof(id), "%s", hp_t_str(r, "id"));
        hp_t_free(r);
        hp_t_free(act(id, "decision", admin.token, "{\"decision\":\"reject\",\"reason\":\"drain\"}"));
    }
}

static const char *first_pointer(const struct hp_t_resp *r)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "errors"), 0);
    const cJSON *p = cJSON_GetObjectItem(e, "pointer");
    return cJSON_IsString(p) ? p->valuestring : "";
}

/* The passes of plate, as a response (the caller frees). */
static struct hp_t_resp *passes_of(const char *plate, const char *token)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/passes?plate=%s", plate);
    return hp_t_get(path, token);
}

static const char *pass_str(const struct hp_t_resp *r, int i, const char *key)
{
    const cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), i);
    const cJSON *v = cJSON_GetObjectItem(p, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

TEST(haulier_applies_site_endorses_liaison_claims_approves_and_an_officer_revokes)
{
    once();
    drain();
    /* Something ordinary is already waiting; the liaison's project goes first. */
    file(&haulier2, "urban_delivery", "[\"鲁Q50001\"]", false, NULL);
    const char *id = file(&haulier, "construction", "[\"鲁Q40001\",\"鲁Q40002\"]", true, NULL);
    char app[64];
    snprintf(app, sizeof(app), "%s", id);
    struct hp_t_resp *r = act(app, "endorse", site.token, NULL);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "queued");
    hp_t_free(r);
    r = hp_t_get("/v1/queue", officers[0].token);
    CHECK_INT(r->status, 200);
    CHECK_STR(pass_str(r, 0, "id"), app);
    hp_t_free(r);
    r = claim(&officers[0]);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "id"), app);
    CHECK_STR(hp_t_str(r, "status"), "in_review");
    CHECK_STR(hp_t_str(r, "claimed_by"), officers[0].id);
    hp_t_free(r);
    /* Another officer may not decide it. */
    r = act(app, "decision", officers[1].token, "{\"decision\":\"approve\",\"reason\":\"ok\"}");
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = act(app, "decision", officers[0].token, "{\"decision\":\"approve\",\"reason\":\"ok\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "approved");
    hp_t_free(r);
    /* One pass per plate, with the application's terms. */
    r = passes_of("鲁Q40001", haulier.token);
    CHECK_INT(r->status, 200);
    REQUIRE(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")) == 1);
    char code[32];
    snprintf(code, sizeof(code), "%s", pass_str(r, 0, "code"));
    CHECK(strncmp(code, "HP-", 3) == 0 && strlen(code) == 17);
    CHECK_STR(pass_str(r, 0, "status"), "active");
    CHECK_STR(pass_str(r, 0, "type"), "construction");
    CHECK_STR(pass_str(r, 0, "application_id"), app);
    CHECK_STR(pass_str(r, 0, "project_id"), project);
    CHECK_STR(pass_str(r, 0, "valid_to"), "2030-12-03");
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM passes WHERE application_id = '%s'", app);
    CHECK_INT(hp_t_sql_int(sql), 2);
    /* Another haulier cannot see it; an officer can. */
    char path[128];
    snprintf(path, sizeof(path), "/v1/passes/%s", code);
    r = hp_t_get(path, haulier2.token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    /* The officer revokes each pass, with a reason. */
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    r = hp_t_post(path, officers[1].token, "{\"reason\":\" \"}");
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/reason");
    hp_t_free(r);
    r = hp_t_post(path, officers[1].token, "{}");
    CHECK_INT(r->status, 422);
    hp_t_free(r);
    r = hp_t_post(path, haulier.token, "{\"reason\":\"mine\"}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = hp_t_post(path, officers[1].token, "{\"reason\":\"overloaded at the checkpoint\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "revoked");
    CHECK_STR(hp_t_str(r, "revoke_reason"), "overloaded at the checkpoint");
    hp_t_free(r);
    r = hp_t_post(path, officers[1].token, "{\"reason\":\"again\"}");
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = passes_of("鲁Q40002", officers[1].token);
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", pass_str(r, 0, "code"));
    hp_t_free(r);
    r = hp_t_post(path, officers[1].token, "{\"reason\":\"project suspended\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes WHERE application_id = '%s' AND status = 'revoked'",
             app);
    CHECK_INT(hp_t_sql_int(sql), 2);
    /* History: filed, endorsed, claimed, approved; all in the audit trail. */
    snprintf(path, sizeof(path), "/v1/applications/%s", app);
    r = hp_t_get(path, haulier.token);
    const cJSON *h = cJSON_GetObjectItem(r->json, "history");
    CHECK_INT(cJSON_GetArraySize(h), 4);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 3), "to")->valuestring, "approved");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 3), "actor")->valuestring,
              officers[0].id);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE entity = 'pass' AND action = 'revoke'");
    CHECK(hp_t_sql_int(sql) >= 2);
    drain();
}

TEST(a_rejection_needs_a_reason_and_issues_no_pass)
{
    once();
    drain();
    char app[64];
    snprintf(app, sizeof(app), "%s", file(&haulier2, "hazmat", "[\"鲁Q50001\"]", false, NULL));
    struct hp_t_resp *r = claim(&officers[2]);
    CHECK_STR(hp_t_str(r, "id"), app);
    hp_t_free(r);
    static const char *const bad[][2] = {
        {"{\"decision\":\"reject\"}", "/reason"},
        {"{\"decision\":\"reject\",\"reason\":\"  \"}", "/reason"},
        {"{\"decision\":\"maybe\",\"reason\":\"x\"}", "/decision"},
        {"{\"decision\":\"approve_provisional\",\"reason\":\"x\","
         "\"documents_due\":\"2099-01-01T00:00:00+08:00\"}",
         "/missing_documents"},
        {"{\"decision\":\"approve_provisional\",\"missing_documents\":[\"x\"]}",
         "/documents_due"},
        {"{\"decision\":\"approve\",\"missing_documents\":[\"x\"]}", "/missing_documents"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = act(app, "decision", officers[2].token, bad[i][0]);
        CHECK_INT(r->status, 422);
        CHECK_STR(first_pointer(r), bad[i][1]);
        hp_t_free(r);
    }
    r = act(app, "decision", officers[2].token,
            "{\"decision\":\"reject\",\"reason\":\"no hazmat licence\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "rejected");
    CHECK_STR(hp_t_str(r, "decision_reason"), "no hazmat licence");
    hp_t_free(r);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM passes WHERE application_id = '%s'", app);
    CHECK_INT(hp_t_sql_int(sql), 0);
    /* Decided: no one decides it again. */
    r = act(app, "decision", officers[2].token, "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = act("00000000-0000-4000-8000-000000000000", "decision", officers[2].token,
            "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);
}

TEST(a_held_claim_is_not_given_to_another_officer_until_its_lease_expires)
{
    once();
    drain();
    char app[64];
    snprintf(app, sizeof(app), "%s", file(&haulier, "oversize", "[\"鲁Q40001\"]", false, NULL));
    struct hp_t_resp *r = claim(&officers[3]);
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    r = claim(&officers[4]);
    CHECK_INT(r->status, 204);
    CHECK_INT((int)r->len, 0);
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE applications SET claim_expires_at = now() - interval '1 minute'"
             " WHERE id = '%s'", app);
    PQclear(PQexec(hp_t_db(), sql));
    r = claim(&officers[4]);
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "id"), app);
    CHECK_STR(hp_t_str(r, "claimed_by"), officers[4].id);
    hp_t_free(r);
    /* The first officer's lease is gone: only the new holder decides. */
    r = act(app, "decision", officers[3].token, "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = act(app, "decision", officers[4].token, "{\"decision\":\"approve\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

TEST(a_provisional_approval_becomes_active_when_the_documents_arrive)
{
    once();
    drain();
    char app[64];
    snprintf(app, sizeof(app), "%s",
             file(&haulier, "oversize", "[\"鲁Q40002\"]", false,
                  "[{\"name\":\"licence\",\"provided\":true},"
                  "{\"name\":\"route survey\",\"provided\":false},"
                  "{\"name\":\"insurance\",\"provided\":false}]"));
    hp_t_free(claim(&officers[5]));
    struct hp_t_resp *r = act(app, "decision", officers[5].token,
                              "{\"decision\":\"approve_provisional\",\"reason\":\"容缺受理\","
                              "\"missing_documents\":[\"route survey\",\"licence\"],"
                              "\"documents_due\":\"2099-01-01T00:00:00+08:00\"}");
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/missing_documents/1");
    hp_t_free(r);
    /* Past, and (written back in local time) in the year 10000. */
    const char *bad_due[] = {"2020-01-01T00:00:00+08:00", "9999-12-31T23:00:00Z"};
    for (int i = 0; i < 2; i++) {
        char b[256];
        snprintf(b, sizeof(b),
                 "{\"decision\":\"approve_provisional\",\"reason\":\"容缺受理\","
                 "\"missing_documents\":[\"route survey\",\"insurance\"],"
                 "\"documents_due\":\"%s\"}", bad_due[i]);
        r = act(app, "decision", officers[5].token, b);
        CHECK_INT(r->status, 422);
        CHECK_STR(first_pointer(r), "/documents_due");
        hp_t_free(r);
    }
    r = act(app, "decision", officers[5].token,
            "{\"decision\":\"approve_provisional\",\"reason\":\"容缺受理\","
            "\"missing_documents\":[\"route survey\",\"insurance\"],"
            "\"documents_due\":\"2099-01-01T00:00:00+08:00\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(hp_t_str(r, "status"), "approved_provisional");
    hp_t_free(r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes WHERE application_id = '%s' AND status = '%%s'", app);
    char q[300];
    snprintf(q, sizeof(q), sql, "provisional");
    CHECK_INT(hp_t_sql_int(q), 1);
    r = act(app, "documents", haulier.token, "{\"name\":\"licence\"}");
    CHECK_INT(r->status, 422);
    CHECK_STR(first_pointer(r), "/name");
    hp_t_free(r);
    r = act(app, "documents", haulier2.token, "{\"name\":\"insurance\"}");
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = act(app, "documents", officers[5].token, "{\"name\":\"insurance\"}");
    CHECK_INT(r->status, 403);
    hp_t_free(r);
    r = act(app, "documents", haulier.token, "{\"name\":\"insurance\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    CHECK_INT(hp_t_sql_int(q), 1);
    r = act(app, "documents", haulier.token, "{\"name\":\"route survey\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(q, sizeof(q), sql, "active");
    CHECK_INT(hp_t_sql_int(q), 1);
}

/* An urban delivery application for plates, approved provisionally with
 * the permit missing until 2099; its id in app. */
static void approved_provisionally(const char *plates, char app[64])
{
    once();
    drain();
    snprintf(app, 64, "%s",
             file(&haulier, "urban_delivery", plates, false,
                  "[{\"name\":\"permit\",\"provided\":false}]"));
    hp_t_free(claim(&officers[6]));
    struct hp_t_resp *r = act(app, "decision", officers[6].token,
                              "{\"decision\":\"approve_provisional\",\"reason\":\"容缺受理\","
                              "\"missing_documents\":[\"permit\"],"
                              "\"documents_due\":\"2099-01-01T00:00:00Z\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
}

TEST(a_provisional_pass_past_its_documents_due_is_suspended_and_one_past_valid_to_expires)
{
    char app[64];
    approved_provisionally("[\"鲁Q40001\",\"鲁Q40002\"]", app);
    char sql[300];
    snprintf(sql, sizeof(sql),
             "UPDATE passes SET documents_due = now() - interval '1 second'"
             " WHERE application_id = '%s' AND plate = '鲁Q40001'", app);
    PQclear(PQexec(hp_t_db(), sql));
    struct hp_t_resp *r;
    snprintf(sql, sizeof(sql),
             "UPDATE passes SET valid_from = '2020-01-01', valid_to = '2020-01-02'"
             " WHERE application_id = '%s' AND plate = '鲁Q40002'", app);
    PQclear(PQexec(hp_t_db(), sql));
    r = passes_of("鲁Q40001", haulier.token);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
    bool suspended = false;
    for (int i = 0; i < n; i++)
        suspended = suspended || (strcmp(pass_str(r, i, "application_id"), app) == 0 &&
                                  strcmp(pass_str(r, i, "status"), "suspended") == 0);
    CHECK(suspended);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM passes WHERE application_id = '%s' AND plate = '鲁Q40002'"
             " AND status = 'expired'", app);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

TEST(documents_supplied_after_documents_due_leave_the_passes_suspended)
{
    char app[64];
    approved_provisionally("[\"鲁Q40001\"]", app);
    char sql[300];
    snprintf(sql, sizeof(sql),
             "UPDATE passes SET documents_due = now() - interval '1 second'"
             " WHERE application_id = '%s'", app);
    PQclear(PQexec(hp_t_db(), sql));
    /* No read in between, so no sweep has run: the late document itself
     * must not turn the provisional pass active. */
    struct hp_t_resp *r = act(app, "documents", haulier.token, "{\"name\":\"permit\"}");
    CHECK_INT(r->status, 200);
    hp_t_free(r);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FILTER (WHERE status = 'suspended') * 10"
             "       + count(*) FILTER (WHERE status = 'active')"
             "  FROM passes WHERE application_id = '%s'", app);
    CHECK_INT(hp_t_sql_int(sql), 10);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE entity = 'pass' AND action = 'suspend'"
             "   AND entity_id IN (SELECT code FROM passes WHERE application_id = '%s')", app);
    CHECK_INT(hp_t_sql_int(sql), 1);
}

struct drainer {
    const struct hp_t_who *officer;
    char ids[400][40];
    bool fast[400];
    int n;
};

static void *drain_as(void *arg)
{
    struct drainer *d = arg;
    for (;;) {
        struct hp_t_resp *r = claim(d->officer);
        if (r->status != 200 || d->n >= 400) {
            hp_t_free(r);
            return NULL;
        }
        snprintf(d->ids[d->n], 40, "%s", hp_t_str(r, "id") ? hp_t_str(r, "id") : "");
        d->fast[d->n] = cJSON_IsTrue(cJSON_GetObjectItem(r->json, "fast_track"));
        hp_t_free(r);
        char path[128];
        snprintf(path, sizeof(path), "/v1/applications/%s/decision", d->ids[d->n]);
        r = hp_t_post(path, d->officer->token, "{\"decision\":\"reject\",\"reason\":\"load\"}");
        if (r->status != 200)
            d->ids[d->n][0] = '\0';
        hp_t_free(r);
        d->n++;
    }
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

TEST(eight_officers_drain_300_applications_each_claimed_once_fast_track_first)
{
    once();
    drain();
    for (int i = 0; i < 300; i++) {
        if (i % 3 == 0)
            file(&site, "construction", "[\"鲁Q60001\"]", true, NULL);
        else
            file(&haulier, "temporary", "[\"鲁Q40001\"]", false, NULL);
    }
    static struct drainer d[OFFICERS];
    pthread_t t[OFFICERS];
    for (int i = 0; i < OFFICERS; i++) {
        d[i].officer = &officers[i];
        d[i].n = 0;
        pthread_create(&t[i], NULL, drain_as, &d[i]);
    }
    for (int i = 0; i < OFFICERS; i++)
        pthread_join(t[i], NULL);
    static char all[400][40];
    int total = 0;
    bool ordered = true;
    for (int i = 0; i < OFFICERS; i++) {
        bool seen_slow = false;
        for (int k = 0; k < d[i].n && total < 400; k++) {
            /* Once an officer is handed a normal one, no fast track is left. */
            ordered = ordered && !(seen_slow && d[i].fast[k]);
            seen_slow = seen_slow || !d[i].fast[k];
            memcpy(all[total++], d[i].ids[k], 40);
        }
    }
    CHECK(ordered);
    CHECK_INT(total, 300);
    qsort(all, (size_t)total, sizeof(all[0]), compare_ids);
    int dup = 0, blank = 0;
    for (int i = 0; i < total; i++) {
        dup += i > 0 && strcmp(all[i], all[i - 1]) == 0;
        blank += all[i][0] == '\0';
    }
    CHECK_INT(dup, 0);
    CHECK_INT(blank, 0);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM applications"
                           " WHERE status IN ('queued', 'in_review')"), 0);
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM application_events WHERE to_status = 'in_review'"
                           " AND reason = 'claimed' AND application_id IN (SELECT id FROM"
                           " applications WHERE decision_reason = 'load')"), 300);
}

TEST(the_queue_stats_count_open_overdue_and_decisions_per_type)
{
    once();
    drain();
    /* One decision of a temporary pass, within its deadline. */
    file(&haulier, "temporary", "[\"鲁Q40001\"]", false, NULL);
    drain();
    char app[64];
    snprintf(app, sizeof(app), "%s", file(&haulier, "urban_delivery", "[\"鲁Q40001\"]", false,
                                          NULL));
    char sql[200];
    snprintf(sql, sizeof(sql),
             "UPDATE applications SET due_at = now() - interval '1 hour' WHERE id = '%s'", app);
    PQclear(PQexec(hp_t_db(), sql));
    struct hp_t_resp *r = hp_t_get("/v1/queue/stats", officers[7].token);
    CHECK_INT(r->status, 200);
    CHECK_INT(cJSON_GetObjectItem(r->json, "open")->valueint, 1);
    CHECK_INT(cJSON_GetObjectItem(r->json, "overdue")->valueint, 1);
    const cJSON *t =
        cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "per_type"), "temporary");
    CHECK(cJSON_GetObjectItem(t, "decided")->valueint >= 1);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(t, "median_hours_to_decision")));
    const cJSON *share = cJSON_GetObjectItem(t, "share_within_deadline");
    CHECK(cJSON_IsNumber(share) && share->valuedouble == 1.0);
    hp_t_free(r);
    /* The same figures as gauges for the monitoring. */
    r = hp_t_get("/metrics", NULL);
    CHECK(strstr(r->body, "\nhaulpass_queue_depth 1\n") != NULL);
    CHECK(strstr(r->body, "\nhaulpass_queue_overdue 1\n") != NULL);
    hp_t_free(r);
    drain();
}

TEST(who_may_call_each_queue_and_pass_endpoint)
{
    once();
    drain();
    char app[64], code[32] = "", path[160];
    snprintf(app, sizeof(app), "%s", file(&haulier, "urban_delivery", "[\"鲁Q40001\"]", false,
                                          NULL));
    const struct hp_t_who *roles[] = {&admin, &officers[0], &haulier, &haulier2, &site, &site2};
    int want_claim[] = {200, 204, 403, 403, 403, 403};
    for (int k = 0; k < 6; k++) {
        struct hp_t_resp *r = claim(roles[k]);
        CHECK_INT(r->status, want_claim[k]);
        hp_t_free(r);
    }
    /* The admin holds it: nobody else decides it, and it issues a pass. */
    int want_decide[] = {200, 409, 403, 403, 403, 403};
    for (int k = 5; k >= 0; k--) {
        struct hp_t_resp *r = act(app, "decision", roles[k]->token, "{\"decision\":\"approve\"}");
        CHECK_INT(r->status, want_decide[k]);
        hp_t_free(r);
    }
    struct hp_t_resp *r = passes_of("鲁Q40001", officers[0].token);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
    for (int i = 0; i < n; i++)
        if (strcmp(pass_str(r, i, "application_id"), app) == 0)
            snprintf(code, sizeof(code), "%s", pass_str(r, i, "code"));
    hp_t_free(r);
    REQUIRE(code[0]);
    int want_get_pass[] = {200, 200, 200, 404, 404, 404};
    int want_list[] = {200, 200, 200, 200, 200, 200};
    int want_queue[] = {200, 200, 403, 403, 403, 403};
    for (int k = 0; k < 6; k++) {
        snprintf(path, sizeof(path), "/v1/passes/%s", code);
        r = hp_t_get(path, roles[k]->token);
        CHECK_INT(r->status, want_get_pass[k]);
        hp_t_free(r);
        r = hp_t_get("/v1/passes", roles[k]->token);
        CHECK_INT(r->status, want_list[k]);
        hp_t_free(r);
        r = hp_t_get("/v1/queue", roles[k]->token);
        CHECK_INT(r->status, want_queue[k]);
        hp_t_free(r);
        r = hp_t_get("/v1/queue/stats", roles[k]->token);
        CHECK_INT(r->status, want_queue[k]);
        hp_t_free(r);
    }
    /* haulier2 lists passes but sees none of haulier's. */
    r = passes_of("鲁Q40001", haulier2.token);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
    hp_t_free(r);
    int want_revoke[] = {0, 200, 403, 403, 403, 403};
    for (int k = 5; k >= 1; k--) {
        snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
        r = hp_t_post(path, roles[k]->token, "{\"reason\":\"role test\"}");
        CHECK_INT(r->status, want_revoke[k]);
        hp_t_free(r);
    }
    snprintf(path, sizeof(path), "/v1/passes/%s/revoke", code);
    r = hp_t_post(path, admin.token, "{\"reason\":\"role test\"}");
    CHECK_INT(r->status, 409);
    hp_t_free(r);
    r = hp_t_get("/v1/passes/HP-2026-00000000X", officers[0].token);
    CHECK_INT(r->status, 404);
    hp_t_free(r);
    r = hp_t_post("/v1/queue/claim", NULL, NULL);
    CHECK_INT(r->status, 401);
    hp_t_free(r);
}

/* sql/021_applications_vacuum.sql: claims and decisions leave dead entries
 * near the head of the index the claim walks, so the table is vacuumed
 * after 1,000 rows and a hundredth of it are dead, not autovacuum's
 * default fifth. */
TEST(applications_are_vacuumed_after_1000_rows_and_a_hundredth_are_dead)
{
    CHECK_INT(hp_t_sql_int("SELECT count(*) FROM pg_class, unnest(reloptions) o"
                           " WHERE oid = 'applications'::regclass"
                           "   AND o IN ('autovacuum_vacuum_scale_factor=0.01',"
                           "             'autovacuum_vacuum_threshold=1000')"),
              2);
}
