/* Bearer-token authentication and role checks. */
#ifndef HAULPASS_AUTH_H
#define HAULPASS_AUTH_H

#include "haulpass/http.h"

/* Sets req->who from the Authorization header and checks that its role is
 * one of roles. Returns false after replying 401 (no or unknown token),
 * 403 (wrong role) or 503 (database away). */
bool hp_auth_require(struct hp_request *req, int roles);

#endif
