/* libFuzzer target: the request-body path (parse, then read against a spec
 * with every field type). The server parses bodies into the request's
 * arena (hp_json_parse_in); the same input is parsed on the heap too, and
 * the two must agree: on failing, where reading stopped, and on the
 * document they print. */
#include "haulpass/arena.h"
#include "haulpass/json_body.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"police", "haulier", "site", NULL};
static const struct hp_json_field spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200},
    {"kind", HP_JSON_ENUM, .choices = kinds},
    {"n", HP_JSON_INT, .min = -5, .max = 1000000},
    {"flag", HP_JSON_BOOL},
    {"id", HP_JSON_UUID},
    {"list", HP_JSON_ARRAY, .max = 10},
    {"obj", HP_JSON_OBJECT},
    {"any", HP_JSON_ANY, .nullable = true},
    {NULL},
};

static void ignore(void *ctx, const char *pointer, const char *message)
{
    (void)ctx;
    (void)pointer;
    (void)message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The server hands handlers a NUL-terminated copy. */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t at, at_arena;
    hp_json_init();
    cJSON *doc = hp_json_parse(text, size, &at);
    struct hp_arena *arena = hp_arena_new();
    cJSON *in_arena = hp_json_parse_in(arena, text, size, &at_arena);
    if (!doc != !in_arena || (!doc && at != at_arena))
        abort(); /* the arena and the heap disagree on this input */
    if (doc) {
        char *a = cJSON_PrintUnformatted(doc), *b = cJSON_PrintUnformatted(in_arena);
        if (!a != !b || (a && strcmp(a, b) != 0))
            abort();
        cJSON_free(a);
        cJSON_free(b);
    }
    hp_arena_free(arena);
    if (doc) {
        const cJSON *out[9];
        hp_json_read(doc, spec, "", out, ignore, NULL);
        const cJSON *obj = cJSON_GetObjectItemCaseSensitive(doc, "obj");
        if (obj)
            hp_json_read(obj, spec, "/obj", out, ignore, NULL);
        cJSON_Delete(doc);
    } else if (at > size) {
        abort(); /* the error offset must lie inside the input */
    }
    hp_utf8_valid(text, size);
    free(text);
    return 0;
}
