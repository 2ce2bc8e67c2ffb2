/* Role names, as the API and the database spell them. */
#include "haulpass/principal.h"

#include <string.h>

static const char *const role_names[] = {"admin", "officer", "haulier", "site"};

enum hp_role hp_role_from_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, role_names[i]) == 0)
            return (enum hp_role)(1 << i);
    return 0;
}

const char *hp_role_name(enum hp_role role)
{
    for (int i = 0; i < 4; i++)
        if (role == (enum hp_role)(1 << i))
            return role_names[i];
    return "unknown";
}
