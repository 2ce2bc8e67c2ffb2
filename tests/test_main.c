/* Runs every registered TEST (or those whose name contains argv[1]). */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#define MAX_TESTS 2048

static struct {
    const char *name;
    hp_test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static int failures_in_current;

void hp_test_register(const char *name, hp_test_fn fn)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        abort();
    }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
}

void hp_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stdout, "    %s:%d: check failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    failures_in_current++;
}

__attribute__((weak)) int hp_test_setup(void) { return 0; }
__attribute__((weak)) void hp_test_teardown(void) {}

static void print_sentence(const char *name)
{
    for (const char *p = name; *p; p++)
        fputc(*p == '_' ? ' ' : *p, stdout);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (hp_test_setup() != 0) {
        printf("not ok - setup\n# 0 passed, 1 failed\n");
        return 1;
    }
    for (int i = 0; i < ntests; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        failures_in_current = 0;
        tests[i].fn();
        fputs(failures_in_current ? "not ok - " : "ok - ", stdout);
        print_sentence(tests[i].name);
        fputc('\n', stdout);
        if (failures_in_current)
            failed++;
        else
            passed++;
    }
    /* Teardown may find faults too (a server that exits non-zero, say). */
    failures_in_current = 0;
    hp_test_teardown();
    if (failures_in_current) {
        printf("not ok - teardown\n");
        failed++;
    }
    printf("# %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
