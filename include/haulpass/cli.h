/* Commands other than serve and migrate. */
#ifndef HAULPASS_CLI_H
#define HAULPASS_CLI_H

#include <stddef.h>

struct hp_config;

/* haulpass user add --org NAME --kind K --role R --name NAME: prints the
 * new token alone on stdout. Returns the exit status (2: usage). */
int hp_cli_user_add(struct hp_config *cfg, int argc, char **argv);

/* haulpass import-kml FILE [--dry-run]: prints {created, skipped}. Returns
 * the exit status (1: the file or the database failed; 2: usage). */
int hp_cli_import_kml(struct hp_config *cfg, int argc, char **argv);

/* The whole file at path ("-": standard input), NUL-terminated, at most
 * max bytes (max_text names that size in the message); NULL with a
 * message on stderr. The caller frees it; *len is its length. */
char *hp_cli_read_file(const char *path, size_t max, const char *max_text, size_t *len);

/* haulpass keys generate|list|retire KID (signing keys). Returns the exit
 * status (1: the database or the key file failed; 2: usage). */
int hp_cli_keys(struct hp_config *cfg, int argc, char **argv);

/* haulpass verify CODE --keys FILE [--revocations FILE]: 0 when the code
 * is valid, 1 when not (printing why), 2 on usage or unreadable files. */
int hp_cli_verify(struct hp_config *cfg, int argc, char **argv);

#endif
