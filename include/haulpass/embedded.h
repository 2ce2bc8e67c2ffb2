/* Files compiled into the binary at build time (tools/embed.py). */
#ifndef HAULPASS_EMBEDDED_H
#define HAULPASS_EMBEDDED_H

#include <stddef.h>

struct hp_embedded_file {
    const char *name; /* base name, e.g. "001_foundation.sql" */
    const char *data; /* NUL-terminated */
    size_t size;      /* without the NUL */
};

/* Sorted as listed in meson.build; ends with an entry whose name is NULL. */
extern const struct hp_embedded_file hp_embedded_files[];

/* The embedded file of this base name, or NULL. */
const struct hp_embedded_file *hp_embedded_find(const char *name);

#endif
