/* Per-request arena: a chain of blocks plus a list of deferred frees. */
#include "haulpass/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 8192
#define ALIGN 16

struct block {
    struct block *next;
    size_t used, size;
    _Alignas(ALIGN) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *ptr;
};

struct hp_arena {
    struct block *blocks;
    struct deferred *deferred;
    /* The first block lives in the same allocation as the arena: most
     * requests never need a second, so they cost one malloc, not two. */
    struct block *first;
};

/* Where the first block starts, past the arena, aligned for it. */
#define FIRST_OFFSET ((sizeof(struct hp_arena) + _Alignof(struct block) - 1) & \
                      ~(_Alignof(struct block) - 1))

#define FIRST_BLOCK_SIZE 4096

static void out_of_memory(void)
{
    fputs("{\"level\":\"error\",\"msg\":\"out of memory\"}\n", stderr);
    abort();
}

struct hp_arena *hp_arena_new(void)
{
    struct hp_arena *a = malloc(FIRST_OFFSET + sizeof(struct block) + FIRST_BLOCK_SIZE);
    if (!a)
        return NULL;
    a->deferred = NULL;
    a->first = (struct block *)((unsigned char *)a + FIRST_OFFSET);
    a->first->next = NULL;
    a->first->used = 0;
    a->first->size = FIRST_BLOCK_SIZE;
    a->blocks = a->first;
    return a;
}

void hp_arena_free(struct hp_arena *arena)
{
    if (!arena)
        return;
    for (struct deferred *d = arena->deferred; d;) {
        struct deferred *next = d->next;
        d->fn(d->ptr);
        d = next; /* the node itself lives in a block */
    }
    for (struct block *b = arena->blocks; b;) {
        struct block *next = b->next;
        if (b != arena->first)
            free(b);
        b = next;
    }
    free(arena);
}

void *hp_arena_try_alloc(struct hp_arena *arena, size_t size)
{
    size_t rounded = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded < size)
        return NULL;
    struct block *b = arena->blocks;
    if (!b || b->size - b->used < rounded) {
        size_t cap = rounded > BLOCK_SIZE ? rounded : BLOCK_SIZE;
        if (cap > SIZE_MAX - sizeof(struct block))
            return NULL;
        struct block *nb = malloc(sizeof(struct block) + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->size = cap;
        /* A large one-off allocation goes behind the current block so the
         * current block's free space is not wasted. */
        if (b && rounded > BLOCK_SIZE) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            arena->blocks = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    return p;
}

void *hp_arena_alloc(struct hp_arena *arena, size_t size)
{
    void *p = hp_arena_try_alloc(arena, size);
    if (!p)
        out_of_memory();
    memset(p, 0, size);
    return p;
}

void *hp_arena_calloc(struct hp_arena *arena, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    return hp_arena_alloc(arena, n * size);
}

char *hp_arena_strndup(struct hp_arena *arena, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = hp_arena_alloc(arena, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hp_arena_strdup(struct hp_arena *arena, const char *s)
{
    return s ? hp_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *hp_arena_vprintf(struct hp_arena *arena, const char *fmt, va_list ap)
{
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0)
        out_of_memory();
    char *p = hp_arena_alloc(arena, (size_t)n + 1);
    if ((size_t)n < sizeof(small))
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *hp_arena_printf(struct hp_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = hp_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return p;
}

void *hp_arena_defer(struct hp_arena *arena, void (*fn)(void *), void *ptr)
{
    if (!ptr)
        return NULL;
    struct deferred *d = hp_arena_alloc(arena, sizeof(*d));
    d->fn = fn;
    d->ptr = ptr;
    d->next = arena->deferred;
    arena->deferred = d;
    return ptr;
}
