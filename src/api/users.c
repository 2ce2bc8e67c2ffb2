/* POST /v1/users, GET /v1/users, POST /v1/users/{id}/token (admin); GET /v1/me
 * (anyone). */
#include "haulpass/api.h"

#include "haulpass/accounts.h"
#include "haulpass/auth.h"
#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/password.h"
#include "haulpass/reply.h"
#include "haulpass/token.h"

#include <string.h>

static const char *const roles[] = {"admin", "officer", "haulier", "site", NULL};

static const struct hp_json_field user_spec[] = {
    {"org_id", HP_JSON_UUID, .required = true},
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"role", HP_JSON_ENUM, .required = true, .choices = roles},
    {"password", HP_JSON_STRING, .min = HP_PASSWORD_MIN, .max = HP_PASSWORD_MAX},
    {NULL},
};

void hp_api_users_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[4];
    if (!hp_api_read(req, body, user_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    char token[HP_TOKEN_LEN + 1], hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_api_new_token(req, token, hash))
        return;
    char password[HP_PASSWORD_HASH_MAX];
    if (v[3] && !hp_api_password_hash(req, v[3]->valuestring, password))
        return;
    struct hp_user user;
    enum hp_db_status st =
        hp_api_user_create(req->db, req->arena, req->who->user_id, v[0]->valuestring,
                           v[1]->valuestring, v[2]->valuestring, hash, v[3] ? password : NULL,
                           &user);
    if (st == HP_DB_NO_ROWS) {
        hp_req_invalid(req, "/org_id", "no organisation has this id");
        hp_reply_invalid(req);
        return;
    }
    if (st == HP_DB_HARD_ERROR && strcmp(hp_db_constraint(req->db), "users_role_suits_org") == 0) {
        hp_req_invalid(req, "/role",
                       "must suit the organisation: admin or officer in police, haulier in "
                       "a haulier, site in a site");
        hp_reply_invalid(req);
        return;
    }
    if (st == HP_DB_HARD_ERROR && strcmp(hp_db_constraint(req->db), "users_name_key") == 0) {
        hp_reply_problem(req, 409, "name-taken", "a user named \"%s\" exists already: a "
                         "user's name is the sign-in name, unique across the service",
                         v[1]->valuestring);
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", user.id);
    cJSON_AddStringToObject(j, "name", user.name);
    cJSON_AddStringToObject(j, "role", user.role);
    cJSON_AddStringToObject(j, "org_id", user.org_id);
    hp_api_add_time(j, "created_at", user.created_us);
    cJSON_AddStringToObject(j, "token", token);
    hp_reply_header(req, "Cache-Control", "no-store");
    hp_reply_json(req, 201, j);
}

static cJSON *user_json(const struct hp_user *u)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", u->id);
    cJSON_AddStringToObject(j, "name", u->name);
    cJSON_AddStringToObject(j, "role", u->role);
    cJSON_AddStringToObject(j, "org_id", u->org_id);
    hp_api_add_time(j, "created_at", u->created_us);
    return j;
}

/* The users, of one organisation with ?org_id=, so an administrator can
 * find the one whose password or token to reset. Never a token or a hash. */
void hp_api_users_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    const char *org = hp_req_query(req, "org_id");
    if (org && !hp_uuid_valid(org)) {
        hp_reply_problem(req, 400, "bad-parameter", "org_id must be an id");
        return;
    }
    if (!hp_api_uuid_paging(req, &limit, &cursor))
        return;
    /* One more than asked tells whether another page follows. */
    struct hp_user *users = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*users));
    int n;
    enum hp_db_status st = hp_accounts_user_list(req->db, req->arena, org, cursor, limit + 1,
                                                 users, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, user_json(&users[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? users[limit - 1].id : NULL));
}

void hp_api_users_rotate_token(struct hp_request *req)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no user has this id");
        return;
    }
    char token[HP_TOKEN_LEN + 1], hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_api_new_token(req, token, hash))
        return;
    enum hp_db_status st = hp_accounts_token_rotate(req->db, req->arena, req->who->user_id, id, hash);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no user has this id");
        return;
    }
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "token", token);
    hp_reply_header(req, "Cache-Control", "no-store");
    hp_reply_json(req, 200, j);
}

void hp_api_me(struct hp_request *req)
{
    const struct hp_principal *who = req->who;
    cJSON *j = cJSON_CreateObject();
    cJSON *user = cJSON_AddObjectToObject(j, "user");
    cJSON_AddStringToObject(user, "id", who->user_id);
    cJSON_AddStringToObject(user, "name", who->user_name);
    cJSON *org = cJSON_AddObjectToObject(j, "org");
    cJSON_AddStringToObject(org, "id", who->org_id);
    cJSON_AddStringToObject(org, "name", who->org_name);
    cJSON_AddStringToObject(org, "kind", who->org_kind);
    cJSON_AddStringToObject(j, "role", hp_role_name(who->role));
    hp_reply_json(req, 200, j);
}
