/* CSV records, decoded in place. */
#include "haulpass/csv.h"

#include <string.h>

void hp_csv_init(struct hp_csv *r, char *data, size_t len)
{
    r->p = data;
    r->end = data + len;
    r->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

/* Consumes a line break at r->p, if there is one; true when there was. */
static bool line_break(struct hp_csv *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
    } else if (r->p < r->end && *r->p == '\n') {
        r->p++;
    } else {
        return false;
    }
    r->line++;
    return true;
}

/* Skips the rest of a malformed record, to its end of line. */
static void skip_line(struct hp_csv *r)
{
    while (r->p < r->end && *r->p != '\r' && *r->p != '\n')
        r->p++;
    line_break(r);
}

/* Reads a quoted field from after its opening quote, writing its text at
 * *w; NULL on success, else why not. */
static const char *quoted(struct hp_csv *r, char **w)
{
    for (;;) {
        if (r->p == r->end)
            return "a quoted field never ends";
        char c = *r->p++;
        if (c == '"') {
            if (r->p < r->end && *r->p == '"') {
                r->p++;
                *(*w)++ = '"';
                continue;
            }
            if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
                return "a quoted field must end at a comma or the end of the line";
            return NULL;
        }
        if (c == '\0')
            return "holds a NUL byte";
        if (c == '\n' || (c == '\r' && !(r->p < r->end && *r->p == '\n')))
            r->line++;
        *(*w)++ = c;
    }
}

/* Reads one field into place; NULL on success, else why not. */
static const char *field(struct hp_csv *r, char **w)
{
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        return quoted(r, w);
    }
    while (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n') {
        if (*r->p == '\0')
            return "holds a NUL byte";
        *(*w)++ = *r->p++;
    }
    return NULL;
}

bool hp_csv_next(struct hp_csv *r, struct hp_csv_record *rec)
{
    rec->line = r->line;
    rec->nfields = 0;
    rec->error = NULL;
    rec->blank = false;
    if (r->p >= r->end)
        return false;
    if (line_break(r)) {
        rec->blank = true;
        return true;
    }
    for (;;) {
        /* The text is written at w, which never runs ahead of r->p. */
        char *start = r->p, *w = r->p;
        const char *why = field(r, &w);
        if (!why && rec->nfields == HP_CSV_MAX_FIELDS)
            why = "has too many fields";
        if (why) {
            rec->error = why;
            skip_line(r);
            return true;
        }
        rec->field[rec->nfields++] = start;
        /* Consume the delimiter before the NUL may overwrite it (w equals
         * r->p when nothing was unescaped). */
        bool comma = r->p < r->end && *r->p == ',';
        if (comma)
            r->p++;
        else
            line_break(r);
        *w = '\0';
        if (!comma)
            return true;
    }
}
