/* JSON array columns into C arrays (json_arrays.h). */
#include "json_arrays.h"

#include "haulpass/arena.h"

#include <cjson/cJSON.h>

/* The array of json, deferred to arena; NULL when it is none. */
static const cJSON *parse_array(struct hp_arena *arena, const char *json, int *n)
{
    cJSON *a = json ? hp_arena_defer(arena, (void (*)(void *))cJSON_Delete, cJSON_Parse(json))
                    : NULL;
    *n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    return cJSON_IsArray(a) ? a : NULL;
}

const char **hp_db_json_strings(struct hp_arena *arena, const char *json, int *n)
{
    const cJSON *a = parse_array(arena, json, n);
    if (!a)
        return NULL;
    const char **out = hp_arena_calloc(arena, (size_t)*n + 1, sizeof(*out));
    int i = 0;
    for (const cJSON *s = a->child; s; s = s->next)
        out[i++] = cJSON_IsString(s) ? s->valuestring : "";
    return out;
}

struct hp_app_document *hp_db_json_documents(struct hp_arena *arena, const char *json, int *n)
{
    const cJSON *a = parse_array(arena, json, n);
    if (!a)
        return NULL;
    struct hp_app_document *out = hp_arena_calloc(arena, (size_t)*n + 1, sizeof(*out));
    int i = 0;
    for (const cJSON *d = a->child; d; d = d->next, i++) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(d, "name");
        out[i].name = cJSON_IsString(name) ? name->valuestring : "";
        out[i].provided = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "provided"));
    }
    return out;
}

/* a printed into arena memory, and deleted; NULL when out of memory. */
static const char *print(struct hp_arena *arena, cJSON *a)
{
    char *text = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return hp_arena_defer(arena, cJSON_free, text);
}

const char *hp_db_json_of_strings(struct hp_arena *arena, const char *const *s, int n)
{
    return print(arena, cJSON_CreateStringArray(s, n));
}

const char *hp_db_json_of_documents(struct hp_arena *arena, const struct hp_app_document *d,
                                    int n)
{
    cJSON *a = d ? cJSON_CreateArray() : NULL;
    for (int i = 0; a && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(a, o);
        cJSON_AddStringToObject(o, "name", d[i].name);
        cJSON_AddBoolToObject(o, "provided", d[i].provided);
    }
    return print(arena, a);
}
