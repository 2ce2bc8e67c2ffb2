/*
 * A per-request arena: every allocation of one unit of work (a request, a
 * command) is freed at once by hp_arena_free. Objects that own memory of
 * their own (cJSON trees, PGresults) are handed to hp_arena_defer, which
 * runs their free function at the same moment, last deferred first.
 */
#ifndef HAULPASS_ARENA_H
#define HAULPASS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct hp_arena;

/* A new, empty arena, or NULL when out of memory. */
struct hp_arena *hp_arena_new(void);

/* Frees every allocation and runs every deferred free; accepts NULL. */
void hp_arena_free(struct hp_arena *arena);

/* size bytes aligned for any type, zeroed; aborts when out of memory
 * (a request cannot continue without memory, and the process is better
 * restarted than limping on). */
void *hp_arena_alloc(struct hp_arena *arena, size_t size);

/* size bytes aligned for any type, not zeroed; NULL when out of memory.
 * For memory a client's input sizes (a request body's parse tree), whose
 * failure must fail that request only. */
void *hp_arena_try_alloc(struct hp_arena *arena, size_t size);

/* n objects of size bytes each; aborts on overflow or out of memory. */
void *hp_arena_calloc(struct hp_arena *arena, size_t n, size_t size);

/* A copy of s (NULL gives NULL), and of the first n bytes of s. */
char *hp_arena_strdup(struct hp_arena *arena, const char *s);
char *hp_arena_strndup(struct hp_arena *arena, const char *s, size_t n);

/* printf into arena memory. */
char *hp_arena_printf(struct hp_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *hp_arena_vprintf(struct hp_arena *arena, const char *fmt, va_list ap);

/* Runs fn(ptr) when the arena is freed; ptr may be NULL (then nothing runs).
 * Returns ptr, so a call can wrap the allocation that it owns. */
void *hp_arena_defer(struct hp_arena *arena, void (*fn)(void *), void *ptr);

#endif
