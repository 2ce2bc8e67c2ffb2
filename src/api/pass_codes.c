/* Pass codes (docs/contract.md §12, docs/pass-code.md): the public keys, online
 * verification, the signed revocation list, and a pass's QR code. The
 * first three are public and rate-limited per address (route table). */
#include "haulpass/api.h"

#include "haulpass/app.h"
#include "haulpass/arena.h"
#include "haulpass/check_feed.h"
#include "haulpass/json_body.h"
#include "haulpass/pass_code.h"
#include "haulpass/pass_token.h"
#include "haulpass/passes.h"
#include "haulpass/qr_svg.h"
#include "haulpass/reply.h"
#include "haulpass/signing_key.h"
#include "haulpass/signing_keys.h"
#include "haulpass/snapshot.h"
#include "haulpass/time.h"
#include "haulpass/verify_cache.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 1000
#define MAX_REVOCATIONS 10000

void hp_api_keys_list(struct hp_request *req)
{
    struct hp_key_row *rows = hp_arena_calloc(req->arena, MAX_KEYS, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_signing_keys_list(req->db, req->arena, rows, MAX_KEYS, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *out = cJSON_CreateObject(), *keys = cJSON_AddArrayToObject(out, "keys");
    for (int i = 0; i < n; i++) {
        cJSON *k = cJSON_CreateObject();
        cJSON_AddStringToObject(k, "kid", rows[i].kid);
        cJSON_AddStringToObject(k, "alg", "Ed25519");
        cJSON_AddStringToObject(k, "public_key", rows[i].public_key);
        hp_api_add_time(k, "not_before", rows[i].not_before_us);
        if (rows[i].retired_us)
            hp_api_add_time(k, "retired_at", rows[i].retired_us);
        else
            cJSON_AddNullToObject(k, "retired_at");
        cJSON_AddItemToArray(keys, k);
    }
    hp_reply_header(req, "Cache-Control", "public, max-age=300");
    hp_reply_json(req, 200, out);
}

static const struct hp_json_field verify_spec[] = {
    {"code", HP_JSON_STRING, .required = true},
    {NULL},
};

/* {valid: false, reason, kid?}. */
static void refuse(struct hp_request *req, const char *reason, const char *kid)
{
    cJSON *out = cJSON_CreateObject();
    cJSON_AddFalseToObject(out, "valid");
    cJSON_AddStringToObject(out, "reason", reason);
    if (kid)
        cJSON_AddStringToObject(out, "kid", kid);
    hp_reply_json(req, 200, out);
}

/* An answer given before to the same body, while nothing it depends on
 * has changed (include/haulpass/verify_cache.h): on the network thread,
 * no database, no Ed25519. Leaves any other request to hp_api_verify. */
void hp_api_verify_from_memory(struct hp_request *req)
{
    if (!req->body || !req->body_len)
        return;
    unsigned char key[32];
    hp_verify_cache_key(req->body, req->body_len, key);
    /* Waits for a reload owed to a write through this instance (a
     * revocation just committed), like a check. */
    struct hp_snapshot *snap = hp_check_feed_current();
    if (!snap)
        return;
    char today[11];
    hp_api_today(today);
    size_t len = 0;
    const char *text =
        hp_verify_cache_get(key, snap->version, today, hp_time_now_us(), req->arena, &len);
    hp_snapshot_unref(snap);
    if (text)
        hp_reply_copy(req, 200, "application/json", text, len);
}

void hp_api_verify(struct hp_request *req)
{
    /* The snapshot's version before anything is read: an answer kept under
     * it is at least as new as what that snapshot saw. */
    struct hp_check_feed_status feed;
    bool cacheable = hp_check_feed_status(&feed);
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return;
    if (!hp_api_read(req, body, verify_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    const char *text = v[0]->valuestring;
    struct hp_pass_token *t = hp_arena_alloc(req->arena, sizeof(*t));
    enum hp_pass_token_status ts = hp_pass_token_parse(text, strlen(text), t);
    if (ts != HP_PASS_TOKEN_OK) {
        refuse(req, hp_pass_token_reason(ts), NULL);
        return;
    }
    const struct hp_pass_claims *c = &t->claims;
    char kid[9], today[11];
    hp_signing_key_kid_hex(c->kid, kid);
    hp_api_today(today);
    struct hp_pass_now now;
    enum hp_db_status st = hp_passes_verify_lookup(req->db, req->arena, kid, c->code,
                                                     (int)c->revision, today, &now);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    unsigned char pub[32];
    if (st == HP_DB_NO_ROWS || hp_base64url_decode(now.public_key, pub, sizeof(pub)) != 32) {
        refuse(req, "unknown-key", kid);
        return;
    }
    if (!hp_pass_token_verify(t, pub)) {
        refuse(req, "bad-signature", kid);
        return;
    }
    if (now.key_retired_us && strcmp(c->valid_to, today) < 0) {
        refuse(req, "key-retired", kid);
        return;
    }
    if (!now.found) {
        /* Signed by our key yet unknown here: a database restored from
         * before it was issued. Say so rather than vouch for it. */
        refuse(req, "unknown-pass", kid);
        return;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddTrueToObject(out, "valid");
    cJSON_AddStringToObject(out, "kid", kid);
    cJSON *p = cJSON_AddObjectToObject(out, "pass");
    cJSON_AddStringToObject(p, "code", c->code);
    cJSON_AddNumberToObject(p, "revision", c->revision);
    /* A superseded revision's code says what it said when printed: the
     * current plate and dates are the next revision's, not its bearer's
     * (docs/contract.md §13); its hours, zones and corridor the query took
     * from that revision. */
    bool superseded = now.revision > (int)c->revision;
    cJSON_AddStringToObject(p, "plate", superseded ? c->plate : now.plate);
    cJSON_AddStringToObject(p, "type", now.type);
    cJSON_AddStringToObject(p, "valid_from", superseded ? c->valid_from : now.valid_from);
    cJSON_AddStringToObject(p, "valid_to", superseded ? c->valid_to : now.valid_to);
    if (now.hours)
        cJSON_AddStringToObject(p, "hours", now.hours);
    else
        cJSON_AddNullToObject(p, "hours");
    cJSON *names = now.zone_names ? cJSON_CreateStringArray(now.zone_names, now.nzone_names)
                                  : NULL;
    cJSON_AddItemToObject(p, "zone_names", names ? names : cJSON_CreateArray());
    cJSON_AddBoolToObject(p, "corridor", now.has_corridor);
    cJSON_AddStringToObject(p, "status", superseded ? "superseded" : now.status);
    bool provisional = !superseded && strcmp(now.status, "provisional") == 0;
    if (provisional && now.documents_due_us)
        hp_api_add_time(p, "documents_due", now.documents_due_us);
    char *answer = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    if (!answer) {
        hp_reply_internal(req, "out of memory printing JSON");
        return;
    }
    /* Kept only while in date: past valid_to, a retired key (changed with
     * no write the snapshot sees) would make it key-retired. Tagged with
     * the snapshot's version read before the query: the database is never
     * behind it, the standby included (an instance with HAULPASS_DB_READ
     * loads its snapshot from that standby, which only moves forward), so
     * an answer is dropped no later than the change it misses. */
    if (cacheable && strcmp(now.valid_to, today) >= 0 && strcmp(c->valid_to, today) >= 0) {
        struct hp_verify_stamp stamp = {.version = feed.version,
                                        .until_us = provisional ? now.documents_due_us : 0};
        memcpy(stamp.day, today, sizeof(stamp.day));
        unsigned char key[32];
        hp_verify_cache_key(req->body, req->body_len, key);
        hp_verify_cache_put(key, &stamp, answer, strlen(answer));
    }
    hp_reply_copy(req, 200, "application/json", answer, strlen(answer));
    free(answer);
}

#define AS_OF_MARGIN_US (60 * 1000000LL)

void hp_api_passes_revocations(struct hp_request *req)
{
    const char *since_text = hp_req_query(req, "since");
    int64_t since = 0;
    if (since_text && !hp_time_parse(since_text, &since)) {
        hp_reply_problem(req, 400, "bad-parameter", "since is not an RFC 3339 instant");
        return;
    }
    char today[11];
    hp_api_today(today);
    /* A revocation is stamped inside its transaction and may commit just
     * after this list is read: as_of stays a minute behind, so the next
     * list, asked for since as_of, repeats the last minute rather than
     * missing such a one (a repeat is harmless: items are code, revision). */
    int64_t as_of = hp_time_now_us() - AS_OF_MARGIN_US;
    enum hp_db_status st = hp_passes_sweep(req->db, req->arena, today);
    struct hp_revocation *rows =
        hp_arena_calloc(req->arena, MAX_REVOCATIONS, sizeof(*rows));
    int n = 0;
    if (st >= 0)
        st = hp_passes_revocations(req->db, req->arena, since, MAX_REVOCATIONS, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    char as_of_s[HP_TIME_BUF], since_s[HP_TIME_BUF];
    hp_time_format(as_of, as_of_s);
    hp_time_format(since, since_s);
    struct hp_revocation_entry *e = hp_arena_calloc(req->arena, (size_t)(n ? n : 1), sizeof(*e));
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "as_of", as_of_s);
    cJSON_AddStringToObject(out, "since", since_s);
    cJSON *items = cJSON_AddArrayToObject(out, "items");
    for (int i = 0; i < n; i++) {
        char *at = hp_arena_alloc(req->arena, HP_TIME_BUF);
        hp_time_format(rows[i].at_us, at);
        e[i] = (struct hp_revocation_entry){rows[i].code, rows[i].status, at, rows[i].revision};
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "code", rows[i].code);
        cJSON_AddNumberToObject(it, "revision", rows[i].revision);
        cJSON_AddStringToObject(it, "status", rows[i].status);
        cJSON_AddStringToObject(it, "at", at);
        cJSON_AddItemToArray(items, it);
    }
    /* A full page may have more after it: ask again from its last "at". */
    cJSON_AddBoolToObject(out, "complete", n < MAX_REVOCATIONS);
    const struct hp_signing_key *key = req->app->signing_key;
    size_t len;
    char *text = key ? hp_revocations_text(as_of_s, since_s, e, n, &len) : NULL;
    unsigned char sig[HP_PASS_TOKEN_SIG];
    if (text && hp_ed25519_sign(key->pkey, text, len, sig)) {
        char b64[100];
        hp_base64url_encode(sig, sizeof(sig), b64);
        cJSON_AddStringToObject(out, "kid", key->kid_hex);
        cJSON_AddStringToObject(out, "signature", b64);
    } else {
        cJSON_AddNullToObject(out, "kid");
        cJSON_AddNullToObject(out, "signature");
    }
    free(text);
    hp_reply_json(req, 200, out);
}

/* The pass of the path as the caller may see it, signed if it was not
 * yet; false after replying. */
bool hp_api_pass_for_code(struct hp_request *req, struct hp_pass *p)
{
    const char *code = req->params[0];
    if (!hp_pass_code_valid(code)) {
        hp_reply_problem(req, 404, "not-found", "no pass has this code");
        return false;
    }
    enum hp_db_status st = hp_passes_get(req->db, req->arena, code, hp_api_own_org(req), p);
    if (st == HP_DB_ROWS && !p->signed_code && req->app->signing_key) {
        st = hp_passes_sign(req->db, req->arena, req->app->signing_key, NULL, code);
        if (st >= 0)
            st = hp_passes_get(req->db, req->arena, code, hp_api_own_org(req), p);
    }
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no pass has this code");
        return false;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return false;
    }
    return true;
}

void hp_api_passes_qr(struct hp_request *req)
{
    struct hp_pass p;
    if (!hp_api_pass_for_code(req, &p))
        return;
    if (!p.signed_code) {
        hp_reply_problem(req, 409, "not-signed",
                         "this pass has no signed code yet: the service has no signing key in use");
        return;
    }
    char *svg = hp_qr_svg(p.signed_code, 1, 0, NULL);
    if (!svg) {
        hp_reply_internal(req, "the QR code could not be drawn");
        return;
    }
    hp_reply_copy(req, 200, "image/svg+xml", svg, strlen(svg));
    free(svg);
}
