/* The signing key file (signing_key.h). */
#include "haulpass/signing_key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint32_t hp_signing_key_kid(const unsigned char public_key[32])
{
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(public_key, 32, d);
    return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

void hp_signing_key_kid_hex(uint32_t kid, char out[9])
{
    snprintf(out, 9, "%08x", (unsigned)kid);
}

bool hp_signing_key_kid_parse(const char *hex, uint32_t *kid)
{
    if (!hex || strlen(hex) != 8)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        char c = hex[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *kid = v;
    return true;
}

/* Fills key's public part from its private key. */
static bool fill(struct hp_signing_key *key, char *err, size_t errlen)
{
    size_t n = 32;
    if (EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_ED25519 ||
        EVP_PKEY_get_raw_public_key(key->pkey, key->public_key, &n) != 1 || n != 32) {
        snprintf(err, errlen, "the key is not an Ed25519 private key");
        return false;
    }
    key->kid = hp_signing_key_kid(key->public_key);
    hp_signing_key_kid_hex(key->kid, key->kid_hex);
    return true;
}

/* pem_password_cb: there is no passphrase to give. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

bool hp_signing_key_load(const char *path, struct hp_signing_key *key, char *err, size_t errlen)
{
    memset(key, 0, sizeof(*key));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return false;
    }
    if (sb.st_mode & 077) {
        snprintf(err, errlen, "%s: readable by others (mode %03o); chmod 600 it", path,
                 (unsigned)(sb.st_mode & 0777));
        close(fd);
        return false;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    /* No passphrase callback: OpenSSL's default would ask on a terminal and
     * hold the service's start; an encrypted key is refused instead. */
    key->pkey = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
    fclose(f);
    if (!key->pkey) {
        snprintf(err, errlen, "%s: not an unencrypted PEM private key", path);
        return false;
    }
    if (!fill(key, err, errlen)) {
        hp_signing_key_free(key);
        return false;
    }
    return true;
}

bool hp_signing_key_generate(const char *path, struct hp_signing_key *key, char *err,
                             size_t errlen)
{
    memset(key, 0, sizeof(*key));
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &key->pkey) != 1) {
        EVP_PKEY_CTX_free(ctx);
        snprintf(err, errlen, "OpenSSL could not make an Ed25519 key");
        return false;
    }
    EVP_PKEY_CTX_free(ctx);
    if (!fill(key, err, errlen))
        goto fail;
    struct hp_signing_key old;
    char olderr[8];
    if (access(path, F_OK) == 0) {
        char moved[4096];
        bool known = hp_signing_key_load(path, &old, olderr, sizeof(olderr));
        snprintf(moved, sizeof(moved), "%s.%s.retired", path, known ? old.kid_hex : "unknown");
        hp_signing_key_free(&old);
        if (rename(path, moved) != 0) {
            snprintf(err, errlen, "%s: cannot move it aside: %s", path, strerror(errno));
            goto fail;
        }
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    bool ok = PEM_write_PrivateKey(f, key->pkey, NULL, NULL, 0, NULL, NULL) == 1;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        snprintf(err, errlen, "%s: could not write the key", path);
        unlink(path);
        goto fail;
    }
    return true;
fail:
    hp_signing_key_free(key);
    return false;
}

void hp_signing_key_free(struct hp_signing_key *key)
{
    if (key && key->pkey) {
        EVP_PKEY_free(key->pkey);
        key->pkey = NULL;
    }
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void hp_base64url_encode(const unsigned char *in, size_t n, char *out)
{
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        *out++ = b64url[v >> 18];
        *out++ = b64url[v >> 12 & 63];
        *out++ = b64url[v >> 6 & 63];
        *out++ = b64url[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        *out++ = b64url[v >> 18];
        *out++ = b64url[v >> 12 & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        *out++ = b64url[v >> 18];
        *out++ = b64url[v >> 12 & 63];
        *out++ = b64url[v >> 6 & 63];
    }
    *out = '\0';
}

long hp_base64url_decode(const char *s, unsigned char *out, size_t cap)
{
    size_t o = 0;
    unsigned v = 0;
    int bits = 0;
    for (; *s; s++) {
        const char *p = strchr(b64url, *s);
        if (!p)
            return -1;
        v = v << 6 | (unsigned)(p - b64url);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return -1;
            out[o++] = (unsigned char)(v >> bits);
        }
    }
    return (long)o;
}
