/* How src/db reads a principal from a row (accounts.c, sessions.c). */
#ifndef HAULPASS_DB_PRINCIPAL_ROW_H
#define HAULPASS_DB_PRINCIPAL_ROW_H

#include "haulpass/db_exec.h"
#include "haulpass/principal.h"

/* Fills out from the first row of a result whose columns are user id,
 * org id, user name, org name, org kind and role (strings stay r's). */
void hp_accounts_read_principal(const PGresult *r, struct hp_principal *out);

#endif
