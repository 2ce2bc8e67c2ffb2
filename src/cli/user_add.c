/* haulpass user add: the way in for the first administrator. */
#include "haulpass/cli.h"

#include "haulpass/accounts.h"
#include "haulpass/arena.h"
#include "haulpass/config.h"
#include "haulpass/db.h"
#include "haulpass/json_body.h"
#include "haulpass/password.h"
#include "haulpass/sessions.h"
#include "haulpass/token.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: haulpass user add --org NAME --kind police|haulier|site\n"
    "                         --role admin|officer|haulier|site --name NAME\n"
    "                         [--password-file FILE] [--db CONNINFO]\n"
    "Creates the organisation if missing, then the user; prints the new bearer\n"
    "token alone on stdout. --password-file gives the user a password to sign in\n"
    "with: the first line of FILE (\"-\": standard input), 10 to 200 characters.\n";

struct args {
    const char *org, *kind, *role, *name, *password_file;
};

/* Returns -1 to go on, else the exit status. */
static int parse(struct hp_config *cfg, int argc, char **argv, struct args *a)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        int c = hp_config_flag(cfg, argc, argv, &i);
        if (c == 1)
            continue;
        const char **slot = NULL;
        if (strcmp(argv[i], "--org") == 0)
            slot = &a->org;
        else if (strcmp(argv[i], "--kind") == 0)
            slot = &a->kind;
        else if (strcmp(argv[i], "--role") == 0)
            slot = &a->role;
        else if (strcmp(argv[i], "--name") == 0)
            slot = &a->name;
        else if (strcmp(argv[i], "--password-file") == 0)
            slot = &a->password_file;
        if (c < 0 || !slot || i + 1 >= argc) {
            fputs(usage, stderr);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!a->org || !a->kind || !a->role || !a->name) {
        fputs(usage, stderr);
        return 2;
    }
    return -1;
}

struct work {
    struct hp_arena *arena;
    struct args *a;
    const char *hash;
    const char *password_hash; /* NULL: no password */
    char message[256];
};

static enum hp_db_status create(struct hp_db *db, void *ctx)
{
    struct work *w = ctx;
    struct hp_org org;
    enum hp_db_status st = hp_accounts_org_by_name(db, w->arena, w->a->org, &org);
    if (st == HP_DB_NO_ROWS)
        st = hp_accounts_org_create(db, w->arena, NULL, w->a->org, w->a->kind, &org);
    if (st < 0)
        return st;
    if (strcmp(org.kind, w->a->kind) != 0) {
        snprintf(w->message, sizeof(w->message), "the organisation \"%s\" is of kind %s, not %s",
                 org.name, org.kind, w->a->kind);
        return HP_DB_HARD_ERROR;
    }
    struct hp_user user;
    return hp_accounts_user_create(db, w->arena, NULL, org.id, w->a->name, w->a->role, w->hash,
                                   w->password_hash, &user);
}

/* The first line of path ("-": standard input) hashed into out; false
 * after saying why on stderr. */
static bool read_password(const char *path, char out[HP_PASSWORD_HASH_MAX])
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "haulpass: cannot read %s\n", path);
        return false;
    }
    char line[4 * HP_PASSWORD_MAX + 2] = "";
    bool got = fgets(line, sizeof(line), f) != NULL;
    if (f != stdin)
        fclose(f);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    size_t chars = got && hp_utf8_valid(line, n) ? hp_utf8_length(line) : 0;
    bool ok = chars >= HP_PASSWORD_MIN && chars <= HP_PASSWORD_MAX;
    if (!ok)
        fprintf(stderr, "haulpass: the password (first line of %s) must be %d to %d characters "
                        "of UTF-8\n", path, HP_PASSWORD_MIN, HP_PASSWORD_MAX);
    else if (!(ok = hp_password_hash(line, n, out)))
        fputs("haulpass: scrypt failed\n", stderr);
    memset(line, 0, sizeof(line));
    return ok;
}

int hp_cli_user_add(struct hp_config *cfg, int argc, char **argv)
{
    struct args a = {0};
    int rc = parse(cfg, argc, argv, &a);
    if (rc >= 0)
        return rc;
    char token[HP_TOKEN_LEN + 1], hash[HP_SHA256_HEX_LEN + 1];
    if (!hp_token_new(token)) {
        fputs("haulpass: the kernel gave no randomness\n", stderr);
        return 1;
    }
    hp_sha256_hex(token, strlen(token), hash);
    char password[HP_PASSWORD_HASH_MAX];
    if (a.password_file && !read_password(a.password_file, password))
        return 1;
    struct hp_db_pool *pool = hp_db_pool_new(hp_config_db_direct(cfg), 1);
    struct hp_db *db = pool ? hp_db_acquire(pool) : NULL;
    if (!db) {
        fputs("haulpass: cannot reach the database\n", stderr);
        hp_db_pool_free(pool);
        return 1;
    }
    struct work w = {.arena = hp_arena_new(), .a = &a, .hash = hash,
                     .password_hash = a.password_file ? password : NULL};
    enum hp_db_status st = hp_db_tx(db, create, &w);
    if (st < 0) {
        const char *why = w.message[0] ? w.message : hp_db_message(db);
        if (strcmp(hp_db_constraint(db), "users_role_suits_org") == 0)
            why = "the role does not suit the organisation (police: admin or officer; "
                  "haulier: haulier; site: site)";
        else if (strcmp(hp_db_constraint(db), "users_name_key") == 0)
            why = "a user of this name exists already (names are unique: they sign in)";
        fprintf(stderr, "haulpass: %s\n", why);
        rc = 1;
    } else {
        printf("%s\n", token);
        rc = 0;
    }
    hp_arena_free(w.arena);
    hp_db_release(pool, db);
    hp_db_pool_free(pool);
    return rc;
}
