/* The CSV reader, pure. */
#include "test.h"

#include "haulpass/csv.h"

#include <stdlib.h>

/* Reads text; each record as "line:f1|f2|..." (or "line:!error",
 * "line:blank") joined by "\n", in static storage. */
static const char *read_all(const char *text, size_t len)
{
    static char out[4096];
    char *buf = malloc(len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    struct hp_csv r;
    struct hp_csv_record rec;
    hp_csv_init(&r, buf, len);
    size_t at = 0;
    out[0] = '\0';
    while (hp_csv_next(&r, &rec)) {
        at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%d:", at ? "\n" : "", rec.line);
        if (rec.error)
            at += (size_t)snprintf(out + at, sizeof(out) - at, "!%s", rec.error);
        else if (rec.blank)
            at += (size_t)snprintf(out + at, sizeof(out) - at, "blank");
        for (int i = 0; !rec.error && i < rec.nfields; i++)
            at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%s", i ? "|" : "",
                                   rec.field[i]);
    }
    free(buf);
    return out;
}
#define READ(s) read_all((s), sizeof(s) - 1)

TEST(plain_records_split_at_commas_and_line_ends)
{
    CHECK_STR(READ("a,b,c\n1,2,3\n"), "1:a|b|c\n2:1|2|3");
    CHECK_STR(READ("a,b\r\n1,2\r\n"), "1:a|b\n2:1|2");
    CHECK_STR(READ("a,b\r1,2"), "1:a|b\n2:1|2");
}

TEST(the_last_record_needs_no_line_break)
{
    CHECK_STR(READ("a,b\n1,2"), "1:a|b\n2:1|2");
    CHECK_STR(READ("x"), "1:x");
}

TEST(empty_fields_are_kept_also_at_the_end_of_a_record)
{
    CHECK_STR(READ(",a,,b,\n"), "1:|a||b|");
    CHECK_STR(READ("a,"), "1:a|");
}

TEST(quoted_fields_hold_commas_quotes_and_line_breaks)
{
    CHECK_STR(READ("\"a,b\",\"say \"\"hi\"\"\"\n"), "1:a,b|say \"hi\"");
    CHECK_STR(READ("\"two\nlines\",x\r\nnext,y\n"), "1:two\nlines|x\n3:next|y");
    CHECK_STR(READ("\"\",\"\"\n"), "1:|");
    CHECK_STR(READ("\"end\""), "1:end");
}

TEST(a_byte_order_mark_at_the_start_is_skipped)
{
    CHECK_STR(READ("\xEF\xBB\xBFplate,class\n"), "1:plate|class");
    CHECK_STR(READ("a\n\xEF\xBB\xBF" "b\n"), "1:a\n2:\xEF\xBB\xBF" "b");
}

TEST(empty_lines_are_reported_as_blank_and_counted)
{
    CHECK_STR(READ("a\n\n\r\nb\n"), "1:a\n2:blank\n3:blank\n4:b");
}

TEST(a_quote_inside_an_unquoted_field_is_text)
{
    CHECK_STR(READ("ab\"c,d\n"), "1:ab\"c|d");
}

TEST(a_malformed_record_is_an_error_and_reading_goes_on)
{
    CHECK_STR(READ("\"ab\"c,d\nok,1\n"),
              "1:!a quoted field must end at a comma or the end of the line\n2:ok|1");
    CHECK_STR(READ("a\n\"never ends,\nb\n"), "1:a\n2:!a quoted field never ends");
    CHECK_STR(READ("a\0b,c\nd\n"), "1:!holds a NUL byte\n2:d");
    CHECK_STR(READ("\"a\0\"\nd\n"), "1:!holds a NUL byte\n2:d");
}

TEST(more_fields_than_the_reader_holds_is_an_error)
{
    char many[200] = "";
    for (int i = 0; i < HP_CSV_MAX_FIELDS; i++)
        strcat(many, "x,");
    strcat(many, "y\nnext\n");
    CHECK_STR(read_all(many, strlen(many)), "1:!has too many fields\n2:next");
}

TEST(nothing_at_all_has_no_records)
{
    CHECK_STR(READ(""), "");
    CHECK_STR(READ("\xEF\xBB\xBF"), "");
}
