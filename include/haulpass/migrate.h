/* Schema migrations: the embedded sql/NNN_*.sql files, in name order. */
#ifndef HAULPASS_MIGRATE_H
#define HAULPASS_MIGRATE_H

#include <stdbool.h>

/* Applies every migration conninfo's database has not seen, each in one
 * transaction, recorded in schema_migrations; an advisory lock makes two
 * concurrent runs safe. *applied counts the new ones. False with a message
 * in err when one fails (it, and those after it, are not applied). */
bool hp_migrate(const char *conninfo, int *applied, char *err, int errlen);

#endif
