/*
 * The console's files, built from web/ and embedded at build time by
 * tools/build_console.py: "/" (index.html) and the fingerprinted bundles
 * under /assets/. Static data, alive for the whole process.
 */
#ifndef HAULPASS_CONSOLE_ASSETS_H
#define HAULPASS_CONSOLE_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

struct hp_console_asset {
    const char *path;         /* "/", "/assets/app.3f2a9c0d1e2b.js" */
    const char *content_type;
    const unsigned char *data;
    size_t size;
    const unsigned char *gzip; /* NULL when gzip would not be smaller */
    size_t gzip_size;
    const char *etag;         /* hex digest of data, without quotes */
    bool immutable;           /* fingerprinted: its path changes with its content */
};

/* Ended by an entry whose path is NULL. */
extern const struct hp_console_asset hp_console_assets[];

#endif
