/* libFuzzer target: the request-body path (parse, then read against a spec
 * with every field type). */
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
    size_t at;
    cJSON *doc = hp_json_parse(text, size, &at);
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
