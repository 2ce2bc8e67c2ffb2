/* The per-request arena: zeroed, aligned memory that outlives nothing. */
#include "haulpass/arena.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int ran;
static void count(void *p)
{
    (void)p;
    ran++;
}

TEST(allocations_are_zeroed_aligned_and_distinct_across_many_blocks)
{
    struct hp_arena *a = hp_arena_new();
    REQUIRE(a != NULL);
    unsigned char *prev = NULL;
    for (int i = 0; i < 5000; i++) {
        size_t n = (size_t)(i % 97) + 1;
        unsigned char *p = hp_arena_alloc(a, n);
        CHECK(((uintptr_t)p & 15) == 0);
        for (size_t k = 0; k < n; k++)
            CHECK(p[k] == 0);
        memset(p, 0xAB, n); /* would corrupt a neighbour if blocks overlapped */
        CHECK(p != prev);
        prev = p;
    }
    hp_arena_free(a);
}

TEST(a_large_allocation_keeps_the_current_block_in_use)
{
    struct hp_arena *a = hp_arena_new();
    char *s1 = hp_arena_strdup(a, "before");
    char *big = hp_arena_alloc(a, 1u << 20);
    memset(big, 'x', 1u << 20);
    char *s2 = hp_arena_strdup(a, "after");
    CHECK_STR(s1, "before");
    CHECK_STR(s2, "after");
    CHECK(big[(1u << 20) - 1] == 'x');
    hp_arena_free(a);
}

TEST(deferred_frees_run_once_when_the_arena_is_freed_and_null_is_accepted)
{
    ran = 0;
    struct hp_arena *a = hp_arena_new();
    static int token;
    hp_arena_defer(a, count, &token);
    hp_arena_defer(a, count, &token);
    CHECK(hp_arena_defer(a, count, NULL) == NULL);
    CHECK_INT(ran, 0);
    hp_arena_free(a);
    CHECK_INT(ran, 2);
    hp_arena_free(NULL);
}

TEST(printf_longer_than_its_small_buffer_is_kept_whole)
{
    struct hp_arena *a = hp_arena_new();
    char *s = hp_arena_printf(a, "%0500d|%s", 7, "end");
    CHECK_INT((int)strlen(s), 504);
    CHECK_STR(s + 500, "|end");
    hp_arena_free(a);
}

/* What a request's input sizes fails that request, not the process: the
 * sizes no block can hold answer NULL (and the arena goes on serving). */
TEST(an_allocation_that_cannot_be_made_is_null_from_try_alloc)
{
    struct hp_arena *a = hp_arena_new();
    CHECK(hp_arena_try_alloc(a, SIZE_MAX) == NULL);      /* rounding overflows */
    CHECK(hp_arena_try_alloc(a, SIZE_MAX - 16) == NULL); /* no block that large */
    char *p = hp_arena_try_alloc(a, 100);
    REQUIRE(p != NULL);
    CHECK(((uintptr_t)p & 15) == 0);
    memset(p, 'y', 100);
    CHECK_STR(hp_arena_strdup(a, "still serving"), "still serving");
    CHECK(p[99] == 'y');
    hp_arena_free(a);
}
