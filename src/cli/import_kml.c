/* haulpass import-kml FILE: POST /v1/zones/import from the shell. */
#include "haulpass/cli.h"

#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/kml.h"
#include "haulpass/ops_zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: haulpass import-kml FILE [--dry-run] [--db CONNINFO]\n"
    "Makes a zone of each Placemark of a KML 2.2 file, as POST /v1/zones/import\n"
    "does; prints {created, skipped} as JSON. --dry-run creates nothing.\n";

int hp_cli_import_kml(struct hp_config *cfg, int argc, char **argv)
{
    const char *path = NULL;
    bool dry_run = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = true;
            continue;
        }
        int c = hp_config_flag(cfg, argc, argv, &i);
        if (c == 1)
            continue;
        /* A bad flag's value is not the file ("--threads -" is no path);
         * "-" alone is standard input. */
        if (c < 0 || path || (argv[i][0] == '-' && strcmp(argv[i], "-") != 0)) {
            fputs(usage, stderr);
            return 2;
        }
        path = argv[i];
    }
    if (!path) {
        fputs(usage, stderr);
        return 2;
    }
    size_t len;
    char *data = hp_cli_read_file(path, HP_KML_MAX_BYTES, "16 MiB", &len);
    if (!data)
        return 1;
    hp_kml_global_init();
    struct hp_db_pool *pool = hp_db_pool_new(hp_config_db_direct(cfg), 1);
    struct hp_db *db = pool && !dry_run ? hp_db_acquire(pool) : NULL;
    int rc = 1;
    if (!dry_run && !db) {
        fputs("haulpass: cannot reach the database\n", stderr);
    } else {
        struct hp_arena *arena = hp_arena_new();
        cJSON *answer = NULL;
        char detail[300] = "";
        if (hp_ops_zones_import_kml(db, arena, NULL, data, len, dry_run, &answer, detail,
                                    sizeof(detail)) == HP_ZONES_IMPORT_DONE) {
            char *text = cJSON_Print(answer);
            printf("%s\n", text);
            free(text);
            cJSON_Delete(answer);
            rc = 0;
        } else {
            fprintf(stderr, "haulpass: %s\n", detail);
        }
        hp_arena_free(arena);
    }
    hp_db_release(pool, db);
    hp_db_pool_free(pool);
    free(data);
    return rc;
}
