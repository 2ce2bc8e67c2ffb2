/* Idempotency-Key around a route's handler; see idempotency.h. */
#include "haulpass/idempotency.h"
#include "haulpass/idempotency_store.h"

#include "haulpass/arena.h"
#include "haulpass/log.h"
#include "haulpass/reply.h"
#include "haulpass/token.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

bool hp_idem_key_valid(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > HP_IDEM_KEY_MAX)
        return false;
    for (; *key; key++)
        if (*key < 0x20 || *key > 0x7E)
            return false;
    return true;
}

struct hash_input {
    struct hp_arena *arena;
    char *text;
};

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *name,
                                     const char *value)
{
    (void)kind;
    struct hash_input *h = cls;
    h->text = hp_arena_printf(h->arena, "%s%s=%s&", h->text, name, value ? value : "");
    return MHD_YES;
}

/* The SHA-256 of what makes two requests the same: method, path, query
 * arguments in order, and the body. */
static void request_hash(struct hp_request *req, char out[HP_SHA256_HEX_LEN + 1])
{
    struct hash_input h = {req->arena, ""};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &h);
    char *head = hp_arena_printf(req->arena, "%s %s?%s\n", req->method_name, req->path, h.text);
    size_t hn = strlen(head);
    char *all = hp_arena_alloc(req->arena, hn + req->body_len + 1);
    memcpy(all, head, hn);
    if (req->body_len)
        memcpy(all + hn, req->body, req->body_len);
    hp_sha256_hex(all, hn + req->body_len, out);
}

/* The answer as kept: a bearer token in it (POST /v1/users) becomes null,
 * since tokens are never stored in plain text. A replay answers
 * `"token": null`; a caller who lost the first answer rotates the token. */
static const char *without_token(struct hp_request *req, const char *body, size_t *len)
{
    if (!body || !memmem(body, *len, "\"token\"", 7))
        return body;
    cJSON *j = cJSON_ParseWithLength(body, *len);
    const char *kept = body;
    if (!j || cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "token"))) {
        char *text = NULL;
        if (j && cJSON_ReplaceItemInObjectCaseSensitive(j, "token", cJSON_CreateNull()))
            text = cJSON_PrintUnformatted(j);
        /* Out of memory: keep less rather than the token. */
        kept = hp_arena_strdup(req->arena, text ? text : "{\"token\":null}");
        *len = strlen(kept);
        cJSON_free(text);
    }
    cJSON_Delete(j);
    return kept;
}

/* Keeps the answer before it is sent, so a retry that follows it at once
 * finds it; answers of 500 and above free the key instead. */
static void keep_reply(struct hp_request *req, int status, const char *content_type,
                       const char *body, size_t len)
{
    const char *key = hp_req_header(req, "Idempotency-Key");
    struct hp_db *db = req->db; /* held since the claim; never wait for another here */
    if (!db)
        return; /* the row stays "running" and is taken over in 2 minutes */
    enum hp_db_status st;
    if (status >= 500) {
        st = hp_idem_forget(db, req->arena, req->who->user_id, key);
    } else {
        cJSON *headers = cJSON_CreateArray();
        for (int i = 0; i < req->nextra; i++) {
            const char *name = req->extra_headers[i][0];
            if (strcasecmp(name, "Location") != 0 && strcasecmp(name, "ETag") != 0)
                continue;
            cJSON *pair = cJSON_CreateArray();
            cJSON_AddItemToArray(pair, cJSON_CreateString(name));
            cJSON_AddItemToArray(pair, cJSON_CreateString(req->extra_headers[i][1]));
            cJSON_AddItemToArray(headers, pair);
        }
        char *text = cJSON_PrintUnformatted(headers);
        cJSON_Delete(headers);
        body = without_token(req, body, &len);
        struct hp_idem_record rec = {
            .status = status, .content_type = content_type,
            .headers = text ? hp_arena_strdup(req->arena, text) : NULL,
            .body = body, .body_len = len,
        };
        cJSON_free(text);
        st = hp_idem_finish(db, req->arena, req->who->user_id, key, &rec);
    }
    if (st < 0)
        hp_log(HP_LOG_WARN, "idempotency record not updated", "detail", hp_db_message(db),
               "request_id", req->request_id, NULL);
}

/* Answers again what was answered first. */
static void replay(struct hp_request *req, const struct hp_idem_record *rec)
{
    cJSON *headers = rec->headers ? cJSON_Parse(rec->headers) : NULL;
    const cJSON *pair;
    cJSON_ArrayForEach(pair, headers) {
        const cJSON *name = cJSON_GetArrayItem(pair, 0), *value = cJSON_GetArrayItem(pair, 1);
        if (cJSON_IsString(name) && cJSON_IsString(value))
            hp_reply_header(req, hp_arena_strdup(req->arena, name->valuestring),
                            hp_arena_strdup(req->arena, value->valuestring));
    }
    cJSON_Delete(headers);
    hp_reply_header(req, "Idempotent-Replayed", "true");
    hp_reply_copy(req, rec->status, rec->content_type, rec->body, rec->body_len);
}

void hp_idem_run(struct hp_request *req, hp_handler handler)
{
    const char *key = hp_req_header(req, "Idempotency-Key");
    if (!key) {
        handler(req);
        return;
    }
    if (!hp_idem_key_valid(key)) {
        hp_reply_problem(req, 400, "bad-idempotency-key",
                         "Idempotency-Key must be 1 to %d printable ASCII characters",
                         HP_IDEM_KEY_MAX);
        return;
    }
    char hash[HP_SHA256_HEX_LEN + 1];
    request_hash(req, hash);
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    enum hp_idem_state state;
    struct hp_idem_record rec;
    enum hp_db_status st =
        hp_idem_claim(db, req->arena, req->who->user_id, key, hash, &state, &rec);
    if (st < 0) {
        if (st == HP_DB_UNAVAILABLE)
            hp_reply_unavailable(req);
        else
            hp_reply_internal(req, hp_db_message(db));
        return;
    }
    switch (state) {
    case HP_IDEM_DONE:
        replay(req, &rec);
        return;
    case HP_IDEM_MISMATCH:
        hp_reply_problem(req, 422, "idempotency-key-reused",
                         "this Idempotency-Key was used for another request in the last 24 "
                         "hours; use a new key for a new request");
        return;
    case HP_IDEM_RUNNING:
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 409, "idempotency-in-progress",
                         "a request with this Idempotency-Key is still being answered");
        return;
    case HP_IDEM_CLAIMED:
        break;
    }
    req->on_reply = keep_reply;
    handler(req);
    if (!req->status) /* here, while the key's connection is still held */
        hp_reply_internal(req, "handler returned without a reply");
    req->on_reply = NULL;
}
