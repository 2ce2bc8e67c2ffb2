/*
 * hp_oh_eval: the C side of tests/diff/run_opening_hours.sh. Reads commands
 * from stdin, one a line, and answers each on one stdout line:
 *
 *   H YYYY-MM-DD        add a public holiday to the calendar being built
 *   W YYYY-MM-DD        add a worked weekend day
 *   C                   build the calendar from the lines so far -> "OK" | "ERR msg"
 *   E <expression>      compile -> "OK\t<canonical text>" | "ERR\t<pos>\t<message>"
 *   Q t1 t2 ...         is_open of the last compiled expression -> "0110..."
 *   N t limit           next_change -> instant | "-"
 *   O a b               open_during -> "0" | "1"
 *
 * Instants are Unix seconds; local time is the process TZ. Q/N/O after a
 * failed E answer "-".
 */
#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    struct hp_calendar_entry *entries = NULL;
    size_t nentries = 0, cap = 0;
    struct hp_calendar *cal = NULL;
    struct hp_oh *oh = NULL;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t n;

    tzset();
    while ((n = getline(&line, &linecap, stdin)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char cmd = line[0];
        char *arg = n > 1 ? line + 2 : line + n;
        if (cmd == 'H' || cmd == 'W') {
            struct hp_calendar_entry e = {.kind = cmd == 'H' ? HP_CALENDAR_HOLIDAY
                                                              : HP_CALENDAR_WORKDAY};
            if (!hp_calendar_date_parse(arg, &e.date)) {
                fprintf(stderr, "bad date %s\n", arg);
                return 2;
            }
            if (nentries == cap) {
                cap = cap ? 2 * cap : 64;
                entries = realloc(entries, cap * sizeof *entries);
                if (!entries)
                    return 2;
            }
            entries[nentries++] = e;
        } else if (cmd == 'C') {
            struct hp_calendar_error err;
            hp_calendar_free(cal);
            cal = NULL;
            if (hp_calendar_new(entries, nentries, &cal, &err) == HP_CALENDAR_OK)
                puts("OK");
            else
                printf("ERR %s\n", err.message);
        } else if (cmd == 'E') {
            struct hp_oh_error err;
            hp_oh_free(oh);
            oh = NULL;
            if (hp_oh_compile(arg, &oh, &err) == HP_OH_OK)
                printf("OK\t%s\n", hp_oh_text(oh));
            else
                printf("ERR\t%zu\t%s\n", err.pos, err.message);
        } else if (cmd == 'Q') {
            char *p = arg, *end;
            if (!oh) {
                puts("-");
                continue;
            }
            for (;;) {
                long long t = strtoll(p, &end, 10);
                if (end == p)
                    break;
                putchar(hp_oh_is_open(oh, (time_t)t, cal) ? '1' : '0');
                p = end;
            }
            putchar('\n');
        } else if (cmd == 'N' || cmd == 'O') {
            char *end;
            long long a = strtoll(arg, &end, 10);
            long long b = strtoll(end, NULL, 10);
            time_t change;
            if (!oh)
                puts("-");
            else if (cmd == 'O')
                puts(hp_oh_open_during(oh, (time_t)a, (time_t)b, cal) ? "1" : "0");
            else if (hp_oh_next_change(oh, (time_t)a, (time_t)b, cal, &change))
                printf("%lld\n", (long long)change);
            else
                puts("-");
        } else {
            fprintf(stderr, "unknown command: %s\n", line);
            return 2;
        }
    }
    free(line);
    free(entries);
    hp_oh_free(oh);
    hp_calendar_free(cal);
    return 0;
}
