/* Files the commands read whole (cli.h). */
#include "haulpass/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hp_cli_read_file(const char *path, size_t max, const char *max_text, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "haulpass: cannot open %s\n", path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > max) {
            fprintf(stderr, "haulpass: %s is larger than %s\n", path, max_text);
            free(buf);
            buf = NULL;
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, (cap *= 2) + 1);
            if (!nb) {
                fprintf(stderr, "haulpass: out of memory reading %s\n", path);
                free(buf);
            }
            buf = nb;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}
