/*
 * A tiny test framework: each TEST is a sentence about behaviour, registered
 * at load time and run by tests/test_main.c, which prints one line per test
 * and ends with "# N passed, M failed" (summed by tools/test).
 *
 * CHECK records a failure and goes on; REQUIRE records it and leaves the test.
 */
#ifndef HP_TEST_H
#define HP_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*hp_test_fn)(void);

void hp_test_register(const char *name, hp_test_fn fn);
void hp_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Optional per-binary hooks (weak): run once before and after all tests. */
int hp_test_setup(void);
void hp_test_teardown(void);

#define TEST(name)                                                          \
    static void name(void);                                                 \
    __attribute__((constructor)) static void name##_register(void)          \
    {                                                                       \
        hp_test_register(#name, name);                                      \
    }                                                                       \
    static void name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            hp_test_fail(__FILE__, __LINE__, "%s", #cond);                  \
    } while (0)

#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!(cond)) {                                                      \
            hp_test_fail(__FILE__, __LINE__, "%s", #cond);                  \
            return;                                                         \
        }                                                                   \
    } while (0)

#define CHECK_INT(a, b)                                                     \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_)                                                       \
            hp_test_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", #a, \
                         #b, a_, b_);                                       \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                              \
            hp_test_fail(__FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")", \
                         #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
    } while (0)

#endif
