/* haulpass keys generate|list|retire KID. */
#include "haulpass/cli.h"

#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/signing_key.h"
#include "haulpass/signing_keys.h"
#include "haulpass/time.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: haulpass keys generate [--db C] [--signing-key FILE]\n"
    "       haulpass keys list [--db C]\n"
    "       haulpass keys retire KID [--db C]\n"
    "generate: makes an Ed25519 key in FILE [HAULPASS_SIGNING_KEY] (mode 0600; an\n"
    "  existing key is moved aside to FILE.KID.retired) and publishes it; prints its id.\n"
    "list: every published key: id, public key, in use since, retired at.\n"
    "retire: the key signs nothing from now on; its passes verify until they expire.\n";

int hp_cli_keys(struct hp_config *cfg, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(help, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    const char *verb = argv[0], *kid = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return 0;
        }
        int f = hp_config_flag(cfg, argc, argv, &i);
        if (f == 1)
            continue;
        if (f == 0 && argv[i][0] != '-' && !kid && strcmp(verb, "retire") == 0) {
            kid = argv[i];
            continue;
        }
        fputs(help, stderr);
        return 2;
    }
    if (strcmp(verb, "generate") != 0 && strcmp(verb, "list") != 0 &&
        !(strcmp(verb, "retire") == 0 && kid)) {
        fputs(help, stderr);
        return 2;
    }
    uint32_t k;
    if (kid && !hp_signing_key_kid_parse(kid, &k)) {
        fprintf(stderr, "haulpass: %s is not a key id (8 lower-case hex digits)\n", kid);
        return 2;
    }
    if (strcmp(verb, "generate") == 0 && !cfg->signing_key) {
        fputs("haulpass: name the key file with HAULPASS_SIGNING_KEY or --signing-key\n", stderr);
        return 2;
    }
    struct hp_db_pool *pool = hp_db_pool_new(hp_config_db_direct(cfg), 1);
    struct hp_db *db = pool ? hp_db_acquire(pool) : NULL;
    if (!db) {
        fputs("haulpass: cannot reach the database\n", stderr);
        hp_db_pool_free(pool);
        return 1;
    }
    struct hp_arena *arena = hp_arena_new();
    int rc = 0;
    char err[512];
    if (strcmp(verb, "generate") == 0) {
        struct hp_signing_key key;
        if (!hp_signing_key_generate(cfg->signing_key, &key, err, sizeof(err))) {
            fprintf(stderr, "haulpass: %s\n", err);
            rc = 1;
        } else if (hp_signing_keys_publish(db, arena, &key) < 0) {
            fprintf(stderr, "haulpass: the key was written but not published: %s\n",
                    hp_db_message(db));
            rc = 1;
        } else {
            printf("%s\n", key.kid_hex);
        }
        hp_signing_key_free(&key);
    } else if (strcmp(verb, "list") == 0) {
        struct hp_key_row rows[256];
        int n;
        if (hp_signing_keys_list(db, arena, rows, 256, &n) < 0) {
            fprintf(stderr, "haulpass: %s\n", hp_db_message(db));
            rc = 1;
        }
        for (int i = 0; i < n; i++) {
            char since[HP_TIME_BUF], retired[HP_TIME_BUF] = "in use";
            hp_time_format(rows[i].not_before_us, since);
            if (rows[i].retired_us)
                hp_time_format(rows[i].retired_us, retired);
            printf("%s  %s  since %s  %s%s\n", rows[i].kid, rows[i].public_key, since,
                   rows[i].retired_us ? "retired " : "", retired);
        }
    } else {
        enum hp_db_status st = hp_signing_keys_retire(db, arena, kid);
        if (st == HP_DB_NO_ROWS) {
            fprintf(stderr, "haulpass: no key %s in use\n", kid);
            rc = 1;
        } else if (st < 0) {
            fprintf(stderr, "haulpass: %s\n", hp_db_message(db));
            rc = 1;
        }
    }
    hp_arena_free(arena);
    hp_db_release(pool, db);
    hp_db_pool_free(pool);
    return rc;
}
