/*
 * Sign-in: POST /v1/sessions, DELETE /v1/sessions/current,
 * PUT /v1/me/password, POST /v1/users/{id}/password (admin), and a user
 * created with a password (POST /v1/users). scrypt runs before any write,
 * outside a transaction.
 */
#include "haulpass/api.h"

#include "haulpass/accounts.h"
#include "haulpass/arena.h"
#include "haulpass/auth.h"
#include "haulpass/json_body.h"
#include "haulpass/password.h"
#include "haulpass/reply.h"
#include "haulpass/sessions.h"
#include "haulpass/token.h"

#include <stdio.h>
#include <string.h>

static const struct hp_json_field sign_in_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200},
    {"password", HP_JSON_STRING, .required = true, .min = 1, .max = HP_PASSWORD_MAX},
    {NULL},
};

static const struct hp_json_field change_spec[] = {
    {"current", HP_JSON_STRING, .required = true, .min = 1, .max = HP_PASSWORD_MAX},
    {"new", HP_JSON_STRING, .required = true, .min = HP_PASSWORD_MIN, .max = HP_PASSWORD_MAX},
    {NULL},
};

static const struct hp_json_field reset_spec[] = {
    {"password", HP_JSON_STRING, .required = true, .min = HP_PASSWORD_MIN,
     .max = HP_PASSWORD_MAX},
    {NULL},
};

/* 429 with Retry-After for a locked name. */
static void reply_locked(struct hp_request *req, int seconds)
{
    if (seconds < 1)
        seconds = 1;
    hp_reply_header(req, "Retry-After", hp_arena_printf(req->arena, "%d", seconds));
    hp_reply_problem(req, 429, "sign-in-locked",
                     "too many wrong passwords in a row for this name: signing in is locked "
                     "for %d more minute%s",
                     (seconds + 59) / 60, (seconds + 59) / 60 == 1 ? "" : "s");
}

void hp_api_sessions_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[2];
    if (!hp_api_read(req, body, sign_in_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    const char *name = v[0]->valuestring, *password = v[1]->valuestring;
    struct hp_db *db = req->db;
    struct hp_sign_in who;
    enum hp_db_status st = hp_sessions_sign_in_state(db, req->arena, name, &who);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (who.locked_for_s > 0) {
        reply_locked(req, who.locked_for_s);
        return;
    }
    /* Runs scrypt whether or not the name is known, so the time taken
     * tells nothing either. */
    bool right = hp_password_verify(password, strlen(password), who.password_hash);
    if (!right || !who.user_id) {
        int locked_for_s;
        st = hp_sessions_failed(db, req->arena, name, &locked_for_s);
        if (st < 0) {
            hp_api_db_failed(req, st);
            return;
        }
        if (locked_for_s > 0)
            reply_locked(req, locked_for_s);
        else
            hp_reply_problem(req, 401, "wrong-credentials", "the name or the password is wrong");
        return;
    }
    char token[HP_TOKEN_LEN + 1], hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_api_new_token(req, token, hash))
        return;
    int64_t expires_us;
    st = hp_sessions_open(db, req->arena, who.user_id, who.name, hash, &expires_us);
    if (st == HP_DB_NO_ROWS) {
        reply_locked(req, HP_SIGN_IN_LOCK_S);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "token", token);
    hp_api_add_time(j, "expires_at", expires_us);
    cJSON_AddNumberToObject(j, "idle_timeout_s", HP_SESSION_IDLE_S);
    cJSON *user = cJSON_AddObjectToObject(j, "user");
    cJSON_AddStringToObject(user, "id", who.user_id);
    cJSON_AddStringToObject(user, "name", who.name);
    cJSON_AddStringToObject(user, "role", who.role);
    cJSON_AddStringToObject(user, "org_id", who.org_id);
    hp_reply_header(req, "Cache-Control", "no-store");
    hp_reply_json(req, 201, j);
}

void hp_api_sessions_delete_current(struct hp_request *req)
{
    char hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_auth_bearer_hash(req, hash))
        return;
    enum hp_db_status st = hp_sessions_close(req->db, req->arena, hash);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-a-session",
                         "this token is a machine token, not a session: rotate it with "
                         "POST /v1/users/{id}/token instead");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    hp_reply_static(req, 204, NULL, "", 0);
}

void hp_api_me_password(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[2];
    if (!hp_api_read(req, body, change_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    const char *current = v[0]->valuestring, *fresh = v[1]->valuestring;
    struct hp_db *db = req->db;
    struct hp_sign_in me;
    enum hp_db_status st = hp_sessions_sign_in_state(db, req->arena, req->who->user_name, &me);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (me.locked_for_s > 0) {
        reply_locked(req, me.locked_for_s);
        return;
    }
    /* A wrong current password counts towards the lock, so a stolen
     * session cannot be used to guess it. */
    if (!hp_password_verify(current, strlen(current), me.password_hash)) {
        int locked_for_s;
        st = hp_sessions_failed(db, req->arena, req->who->user_name, &locked_for_s);
        if (st < 0) {
            hp_api_db_failed(req, st);
            return;
        }
        if (locked_for_s > 0) {
            reply_locked(req, locked_for_s);
            return;
        }
        hp_reply_problem(req, 403, "wrong-password",
                         me.password_hash ? "the current password is wrong"
                                          : "this user has no password yet: an administrator "
                                            "sets the first one");
        return;
    }
    char stored[HP_PASSWORD_HASH_MAX], hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_api_password_hash(req, fresh, stored) || !hp_auth_bearer_hash(req, hash))
        return;
    st = hp_sessions_set_password(db, req->arena, req->who->user_id, req->who->user_id, stored,
                                  hash);
    if (st != HP_DB_ROWS) {
        hp_api_db_failed(req, st < 0 ? st : HP_DB_HARD_ERROR);
        return;
    }
    hp_reply_static(req, 204, NULL, "", 0);
}

void hp_api_users_password(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no user has this id");
        return;
    }
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[1];
    if (!hp_api_read(req, body, reset_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    char stored[HP_PASSWORD_HASH_MAX];
    if (!hp_api_password_hash(req, v[0]->valuestring, stored))
        return;
    enum hp_db_status st =
        hp_sessions_set_password(req->db, req->arena, req->who->user_id, id, stored, NULL);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no user has this id");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    hp_reply_static(req, 204, NULL, "", 0);
}

struct user_work {
    struct hp_arena *arena;
    const char *actor_id, *org_id, *name, *role, *token_hash, *password_hash;
    struct hp_user *out;
};

static enum hp_db_status create_user(struct hp_db *db, void *ctx)
{
    struct user_work *w = ctx;
    return hp_accounts_user_create(db, w->arena, w->actor_id, w->org_id, w->name, w->role,
                                   w->token_hash, w->password_hash, w->out);
}

enum hp_db_status hp_api_user_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *name,
                                     const char *role, const char *token_hash,
                                     const char *password_hash, struct hp_user *out)
{
    struct user_work w = {arena, actor_id, org_id, name, role, token_hash, password_hash, out};
    return hp_db_tx(db, create_user, &w);
}
