/* haulpass verify CODE --keys FILE [--revocations FILE]: checks a pass
 * code offline, against a saved GET /v1/keys and, when given, a saved
 * revocation list (docs/pass-code.md). Exit 0: valid; 1: not. */
#include "haulpass/cli.h"

#include "haulpass/config.h"
#include "haulpass/json_body.h"
#include "haulpass/pass_token.h"
#include "haulpass/signing_key.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: haulpass verify CODE --keys FILE [--revocations FILE] [--tz ZONE]\n"
    "Checks a signed pass code (HP1:...) offline: its signature against the keys\n"
    "saved from GET /v1/keys, its dates, and, with --revocations, the list saved\n"
    "from GET /v1/passes/revocations. Exit 0 when valid, 1 when not (it says why).\n";

/* The JSON of a file (at most 64 MiB), or NULL with a message. */
static cJSON *read_json(const char *path)
{
    size_t n;
    char *buf = hp_cli_read_file(path, 64u << 20, "64 MiB", &n);
    cJSON *j = buf ? cJSON_ParseWithLength(buf, n) : NULL;
    if (buf && !j)
        fprintf(stderr, "haulpass: %s is not JSON\n", path);
    free(buf);
    return j;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The key of kid in the saved keys: its public key into pub, and whether
 * it is retired; false when there is none. */
static bool find_key(const cJSON *keys, const char *kid, unsigned char pub[32], bool *retired)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(keys, "keys"))
    {
        const char *id = str(k, "kid"), *pk = str(k, "public_key");
        if (id && pk && strcmp(id, kid) == 0 && hp_base64url_decode(pk, pub, 32) == 32) {
            *retired = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(k, "retired_at"));
            return true;
        }
    }
    return false;
}

static int invalid(const char *why)
{
    printf("invalid: %s\n", why);
    return 1;
}

/* Checks the revocation list's signature; prints why not. */
static bool list_signed(const cJSON *list, const cJSON *keys)
{
    const char *as_of = str(list, "as_of"), *since = str(list, "since"),
               *kid = str(list, "kid"), *sig = str(list, "signature");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
    unsigned char pub[32], raw[HP_PASS_TOKEN_SIG + 4];
    bool retired;
    if (!as_of || !since || !kid || !sig || !cJSON_IsArray(items) ||
        !find_key(keys, kid, pub, &retired) ||
        hp_base64url_decode(sig, raw, sizeof(raw)) != HP_PASS_TOKEN_SIG) {
        fputs("haulpass: the revocation list is not one signed by a key in --keys\n", stderr);
        return false;
    }
    int n = cJSON_GetArraySize(items), i = 0;
    struct hp_revocation_entry *e = calloc((size_t)(n ? n : 1), sizeof(*e));
    if (!e) {
        fputs("haulpass: out of memory reading the revocation list\n", stderr);
        return false;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        const cJSON *rev = cJSON_GetObjectItemCaseSensitive(it, "revision");
        e[i] = (struct hp_revocation_entry){str(it, "code"), str(it, "status"), str(it, "at"),
                                            cJSON_IsNumber(rev) ? rev->valueint : 0};
        if (!e[i].code || !e[i].status || !e[i].at) {
            free(e);
            fputs("haulpass: the revocation list is malformed\n", stderr);
            return false;
        }
        i++;
    }
    size_t len;
    char *text = hp_revocations_text(as_of, since, e, n, &len);
    bool ok = text && hp_ed25519_verify(pub, text, len, raw);
    free(text);
    free(e);
    if (!ok)
        fputs("haulpass: the revocation list's signature does not hold\n", stderr);
    return ok;
}

int hp_cli_verify(struct hp_config *cfg, int argc, char **argv)
{
    const char *code = NULL, *keys_path = NULL, *list_path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return 0;
        }
        if ((strcmp(argv[i], "--keys") == 0 || strcmp(argv[i], "--revocations") == 0) &&
            i + 1 < argc) {
            *(argv[i][2] == 'k' ? &keys_path : &list_path) = argv[i + 1];
            i++;
            continue;
        }
        int f = hp_config_flag(cfg, argc, argv, &i);
        if (f == 1)
            continue;
        if (f == 0 && !code && (argv[i][0] != '-' || !argv[i][1])) {
            code = argv[i];
            continue;
        }
        fputs(help, stderr);
        return 2;
    }
    if (!code || !keys_path) {
        fputs(help, stderr);
        return 2;
    }
    setenv("TZ", cfg->tz, 1);
    tzset();
    cJSON *keys = read_json(keys_path);
    cJSON *list = list_path ? read_json(list_path) : NULL;
    if (!keys || (list_path && !list)) {
        cJSON_Delete(keys);
        cJSON_Delete(list);
        return 2;
    }
    int rc;
    struct hp_pass_token t;
    enum hp_pass_token_status st = hp_pass_token_parse(code, strlen(code), &t);
    char kid[9];
    unsigned char pub[32];
    bool retired = false;
    char today[11];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    if (st != HP_PASS_TOKEN_OK) {
        rc = invalid(hp_pass_token_reason(st));
        goto done;
    }
    hp_signing_key_kid_hex(t.claims.kid, kid);
    if (!find_key(keys, kid, pub, &retired)) {
        rc = invalid("unknown-key (not a key of this deployment)");
        goto done;
    }
    if (!hp_pass_token_verify(&t, pub)) {
        rc = invalid("bad-signature");
        goto done;
    }
    if (strcmp(t.claims.valid_to, today) < 0) {
        rc = invalid(retired ? "key-retired (and the pass expired)" : "expired");
        goto done;
    }
    if (list && !list_signed(list, keys)) {
        rc = 2;
        goto done;
    }
    const cJSON *it, *items = list ? cJSON_GetObjectItemCaseSensitive(list, "items") : NULL;
    cJSON_ArrayForEach(it, items)
    {
        const char *c = str(it, "code");
        const cJSON *rev = cJSON_GetObjectItemCaseSensitive(it, "revision");
        if (c && strcmp(c, t.claims.code) == 0 && cJSON_IsNumber(rev) &&
            rev->valueint >= (int)t.claims.revision) {
            printf("invalid: %s at %s\n", str(it, "status") ? str(it, "status") : "revoked",
                   str(it, "at") ? str(it, "at") : "?");
            rc = 1;
            goto done;
        }
    }
    printf("valid: signature holds (key %s)%s; status as of %s\n", kid,
           retired ? ", a retired key" : "", list ? str(list, "as_of") : "the code alone");
    printf("  pass %s revision %u, plate %s, %s, %s to %s\n", t.claims.code, t.claims.revision,
           t.claims.plate, t.claims.type, t.claims.valid_from, t.claims.valid_to);
    rc = 0;
    if (strcmp(t.claims.valid_from, today) > 0)
        printf("  not valid before %s\n", t.claims.valid_from);
done:
    cJSON_Delete(keys);
    cJSON_Delete(list);
    return rc;
}
