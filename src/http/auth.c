/* Bearer tokens: the SHA-256 of the token finds the user; the token itself
 * is never stored, so a copy of the database grants nothing. */
#include "haulpass/auth.h"

#include "haulpass/accounts.h"
#include "haulpass/arena.h"
#include "haulpass/check_feed.h"
#include "haulpass/db.h"
#include "haulpass/reply.h"
#include "haulpass/router.h"
#include "haulpass/sessions.h"
#include "haulpass/token.h"

#include <string.h>
#include <strings.h>

static bool unauthorized(struct hp_request *req, const char *detail)
{
    hp_reply_header(req, "WWW-Authenticate", "Bearer realm=\"haulpass\"");
    hp_reply_problem(req, 401, "unauthorized", "%s", detail);
    return false;
}

/* The caller is who: may its role do this? */
static bool authorised(struct hp_request *req, const struct hp_principal *who, int roles)
{
    req->who = who;
    if (!(who->role & roles)) {
        hp_reply_problem(req, 403, "forbidden", "the role %s may not do this",
                         hp_role_name(who->role));
        return false;
    }
    return true;
}

/* The SHA-256 (hex) of the bearer token into hash; false after replying
 * 401 when there is no well-formed one. */
static bool token_hash(struct hp_request *req, char hash[HP_SHA256_HEX_LEN + 1])
{
    const char *h = hp_req_header(req, "Authorization");
    if (!h)
        return unauthorized(req, "an Authorization: Bearer token is required");
    if (strncasecmp(h, "Bearer ", 7) != 0)
        return unauthorized(req, "the Authorization header must be \"Bearer TOKEN\"");
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    if (!hp_token_well_formed(token))
        return unauthorized(req, "the token is not valid");
    hp_sha256_hex(token, strlen(token), hash);
    return true;
}

bool hp_auth_bearer_hash(struct hp_request *req, char *hash)
{
    return token_hash(req, hash);
}

enum hp_auth_outcome hp_auth_in_memory(struct hp_request *req, int roles)
{
    char hash[HP_SHA256_HEX_LEN + 1];
    if (!token_hash(req, hash))
        return HP_AUTH_REPLIED;
    struct hp_principal *who = hp_arena_alloc(req->arena, sizeof(*who));
    if (!hp_check_feed_principal(hash, req->arena, who))
        return HP_AUTH_ASK_DB;
    return authorised(req, who, roles) ? HP_AUTH_OK : HP_AUTH_REPLIED;
}

bool hp_auth_require(struct hp_request *req, int roles)
{
    char hash[HP_SHA256_HEX_LEN + 1];
    if (!token_hash(req, hash))
        return false;
    struct hp_principal *who = hp_arena_alloc(req->arena, sizeof(*who));
    if (req->route && req->route->snapshot_auth &&
        hp_check_feed_principal(hash, req->arena, who))
        return authorised(req, who, roles);
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return false;
    }
    enum hp_db_status st = hp_accounts_principal(db, req->arena, hash, who);
    if (st == HP_DB_NO_ROWS) /* not a machine's token: a signed-in user's? */
        st = hp_sessions_principal(db, req->arena, hash, who);
    if (st == HP_DB_NO_ROWS)
        return unauthorized(req, "the token is not valid");
    if (st < 0) {
        if (st == HP_DB_UNAVAILABLE)
            hp_reply_unavailable(req);
        else
            hp_reply_internal(req, hp_db_message(db));
        return false;
    }
    return authorised(req, who, roles);
}
