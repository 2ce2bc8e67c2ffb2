/* Lookup in the table that tools/embed.py generates. */
#include "haulpass/embedded.h"

#include <string.h>

const struct hp_embedded_file *hp_embedded_find(const char *name)
{
    for (const struct hp_embedded_file *f = hp_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
