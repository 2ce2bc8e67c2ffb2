/*
 * A CSV reader (RFC 4180, read leniently): fields separated by commas,
 * records by CRLF, LF or a lone CR; a field in double quotes may hold
 * commas, line breaks and "" for a quote. A UTF-8 byte order mark at the
 * start is skipped. A quote inside an unquoted field is kept as text.
 *
 * The reader decodes in place: it rewrites the caller's buffer, and the
 * fields it gives are NUL-terminated strings inside it, valid until the
 * buffer goes. No allocation, so it cannot fail for want of memory. Pure.
 */
#ifndef HAULPASS_CSV_H
#define HAULPASS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define HP_CSV_MAX_FIELDS 32

struct hp_csv {
    char *p, *end; /* what is left to read */
    int line;      /* line of p, from 1 */
};

struct hp_csv_record {
    int line;     /* the line on which the record starts, from 1 */
    int nfields;  /* at most HP_CSV_MAX_FIELDS */
    const char *field[HP_CSV_MAX_FIELDS];
    const char *error; /* NULL, or why the record cannot be read (static text) */
    bool blank;   /* an empty line: no text at all */
};

/* Starts reading the len bytes at data; data[len] must be writable too
 * (a NUL-terminated buffer, as request bodies are): the last field's NUL
 * goes there. */
void hp_csv_init(struct hp_csv *r, char *data, size_t len);

/*
 * Reads the next record into rec; false at the end of the data. A malformed
 * record (a quoted field that never ends or is followed by text, a NUL byte,
 * more than HP_CSV_MAX_FIELDS fields) comes back with rec->error set, and
 * reading goes on after it.
 */
bool hp_csv_next(struct hp_csv *r, struct hp_csv_record *rec);

#endif
