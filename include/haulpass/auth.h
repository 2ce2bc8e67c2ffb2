/* Bearer-token authentication and role checks. */
#ifndef HAULPASS_AUTH_H
#define HAULPASS_AUTH_H

#include "haulpass/http.h"

/* Sets req->who from the Authorization header and checks that its role is
 * one of roles. Returns false after replying 401 (no or unknown token),
 * 403 (wrong role) or 503 (database away). */
bool hp_auth_require(struct hp_request *req, int roles);

/* The SHA-256 (hex) of the request's bearer token into hash; false after
 * replying 401 when there is no well-formed one. hash holds
 * HP_SHA256_HEX_LEN + 1 bytes (token.h). */
bool hp_auth_bearer_hash(struct hp_request *req, char *hash);

/* The same without the database, for a network thread: the caller as the
 * check snapshot knows it. HP_AUTH_ASK_DB when the snapshot does not know
 * the token (it may be newer): then call hp_auth_require on a worker. */
enum hp_auth_outcome {
    HP_AUTH_OK,      /* req->who is set and may call */
    HP_AUTH_REPLIED, /* 401 or 403 made */
    HP_AUTH_ASK_DB,
};
enum hp_auth_outcome hp_auth_in_memory(struct hp_request *req, int roles);

#endif
