/*
 * Who is calling: the roles of the service and the principal a bearer token
 * names. A module of its own so that the database layer (which reads
 * principals) and the check snapshot (which caches them) need not know the
 * HTTP layer.
 */
#ifndef HAULPASS_PRINCIPAL_H
#define HAULPASS_PRINCIPAL_H

enum hp_role {
    HP_ROLE_ADMIN = 1 << 0,
    HP_ROLE_OFFICER = 1 << 1,
    HP_ROLE_HAULIER = 1 << 2,
    HP_ROLE_SITE = 1 << 3,
};
#define HP_ROLE_ANY (HP_ROLE_ADMIN | HP_ROLE_OFFICER | HP_ROLE_HAULIER | HP_ROLE_SITE)
#define HP_ROLE_POLICE (HP_ROLE_ADMIN | HP_ROLE_OFFICER)

/* Who is calling, from the bearer token. */
struct hp_principal {
    char user_id[37];
    char org_id[37];
    const char *user_name;
    const char *org_name;
    const char *org_kind; /* "police" | "haulier" | "site" */
    enum hp_role role;
};

/* The role of its name ("admin"…), or 0. */
enum hp_role hp_role_from_name(const char *name);

/* The name of one role; "unknown" for anything else. */
const char *hp_role_name(enum hp_role role);

#endif
