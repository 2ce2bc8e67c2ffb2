/* Declarative body reading: types, bounds, unknown and duplicate fields. */
#include "test.h"

#include "haulpass/arena.h"
#include "haulpass/json_body.h"

#include <pthread.h>
#include <stdlib.h>

static const char *const kinds[] = {"a", "b", NULL};
static const struct hp_json_field spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 5},
    {"kind", HP_JSON_ENUM, .choices = kinds},
    {"n", HP_JSON_INT, .min = 0, .max = 10},
    {"flag", HP_JSON_BOOL},
    {"id", HP_JSON_UUID},
    {"list", HP_JSON_ARRAY, .min = 1, .max = 2},
    {"opt", HP_JSON_STRING, .nullable = true},
    {"label", HP_JSON_STRING, .trimmed = true},
    {NULL},
};

static char errors[2048];
static int nerrors;

static void collect(void *ctx, const char *pointer, const char *message)
{
    (void)ctx;
    size_t n = strlen(errors);
    snprintf(errors + n, sizeof(errors) - n, "%s%s: %s", nerrors ? "; " : "", pointer, message);
    nerrors++;
}

static bool read_text(const char *text)
{
    errors[0] = '\0';
    nerrors = 0;
    size_t at;
    cJSON *doc = hp_json_parse(text, strlen(text), &at);
    if (!doc)
        return false;
    const cJSON *out[10];
    bool ok = hp_json_read(doc, spec, "", out, collect, NULL);
    cJSON_Delete(doc);
    return ok;
}

TEST(a_body_that_fits_the_spec_reads_without_errors)
{
    CHECK(read_text("{\"name\":\"abc\",\"kind\":\"a\",\"n\":10,\"flag\":true,"
                    "\"id\":\"123e4567-e89b-12d3-a456-426614174000\",\"list\":[1],\"opt\":null}"));
    CHECK_INT(nerrors, 0);
}

TEST(each_bad_field_is_reported_with_its_pointer)
{
    CHECK(!read_text("{\"name\":\"toolong\",\"kind\":\"c\",\"n\":11,\"flag\":1,\"id\":\"x\","
                     "\"list\":[],\"zzz\":0}"));
    CHECK_INT(nerrors, 7);
    CHECK(strstr(errors, "/name: must be 1 to 5 characters long") != NULL);
    CHECK(strstr(errors, "/kind: must be one of \"a\", \"b\"") != NULL);
    CHECK(strstr(errors, "/n: must be between 0 and 10") != NULL);
    CHECK(strstr(errors, "/flag: must be true or false") != NULL);
    CHECK(strstr(errors, "/id: must be a UUID") != NULL);
    CHECK(strstr(errors, "/list: must hold 1 to 2 items") != NULL);
    CHECK(strstr(errors, "/zzz: is not a known field") != NULL);
}

TEST(a_missing_or_null_required_field_is_required)
{
    CHECK(!read_text("{}"));
    CHECK_STR(errors, "/name: is required");
    CHECK(!read_text("{\"name\":null}"));
    CHECK_STR(errors, "/name: is required");
}

TEST(integers_must_be_integral_and_safe)
{
    CHECK(!read_text("{\"name\":\"a\",\"n\":1.5}"));
    CHECK(!read_text("{\"name\":\"a\",\"n\":1e300}"));
    CHECK(!read_text("{\"name\":\"a\",\"n\":\"3\"}"));
    CHECK(read_text("{\"name\":\"a\",\"n\":3.0}"));
}

TEST(a_duplicate_field_is_an_error)
{
    CHECK(!read_text("{\"name\":\"a\",\"name\":\"b\"}"));
    CHECK_STR(errors, "/name: appears more than once");
}

TEST(a_trimmed_string_may_not_be_blank_nor_begin_or_end_with_white_space)
{
    const char *refused[] = {"", " ", " a", "a\\t", "\u3000临沂", "临沂\u3000", "\u00a0x",
                             "x\u2029", "\ufeffx"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        char b[128];
        snprintf(b, sizeof(b), "{\"name\":\"a\",\"label\":\"%s\"}", refused[i]);
        CHECK(!read_text(b));
        CHECK_STR(errors, "/label: must not be blank or start or end with white space");
    }
    CHECK(read_text("{\"name\":\"a\",\"label\":\"临沂 \u3000 公安\"}"));
    CHECK(read_text("{\"name\":\"a\",\"label\":\"x\"}"));
    CHECK(read_text("{\"name\":\" a \"}")); /* only where the spec asks */
}

TEST(string_length_counts_characters_not_bytes)
{
    CHECK(read_text("{\"name\":\"临沂市公安\"}"));
    CHECK(!read_text("{\"name\":\"临沂市公安局\"}"));
}

TEST(utf8_validation_refuses_overlong_surrogates_and_controls)
{
    CHECK(hp_utf8_valid("abc \xe4\xb8\xb4", 7));
    CHECK(!hp_utf8_valid("\xc0\xaf", 2));         /* overlong "/" */
    CHECK(!hp_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
    CHECK(!hp_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    CHECK(!hp_utf8_valid("a\x01", 2));
    CHECK(!hp_utf8_valid("\xe4\xb8", 2));         /* cut short */
}

TEST(pointers_escape_tilde_and_slash)
{
    char p[64];
    hp_json_pointer(p, sizeof(p), "/rules/0", "a/b~c");
    CHECK_STR(p, "/rules/0/a~1b~0c");
}

TEST(parse_errors_give_the_offset_and_trailing_text_is_refused)
{
    size_t at = 99;
    CHECK(hp_json_parse("{\"a\":", 5, &at) == NULL);
    CHECK(at <= 5);
    CHECK(hp_json_parse("{} {}", 5, &at) == NULL);
    CHECK_INT(at, 3);
    cJSON *ok = hp_json_parse("{}  \n", 5, &at);
    CHECK(ok != NULL);
    cJSON_Delete(ok);
}

TEST(an_escaped_nul_is_refused_rather_than_truncating_the_string)
{
    size_t at = 0;
    const char *nul_text = "{\"plate\":\"AB\\u0000123\"}";
    CHECK(hp_json_parse(nul_text, strlen(nul_text), &at) == NULL);
    CHECK_INT(at, 12);
    const char *escaped = "{\"p\":\"a\\\\u0000\"}"; /* a backslash, then u0000 */
    cJSON *ok = hp_json_parse(escaped, strlen(escaped), &at);
    CHECK(ok != NULL);
    cJSON_Delete(ok);
}

/* The same text parsed on the heap and in an arena: both parse or neither,
 * at the same offset, into equal trees. */
static void same_in_arena(const char *text)
{
    struct hp_arena *arena = hp_arena_new();
    size_t at_heap = 0, at_arena = 0;
    cJSON *heap = hp_json_parse(text, strlen(text), &at_heap);
    cJSON *in = hp_json_parse_in(arena, text, strlen(text), &at_arena);
    CHECK((heap == NULL) == (in == NULL));
    if (!heap)
        CHECK_INT(at_arena, at_heap);
    else
        CHECK(cJSON_Compare(heap, in, true));
    cJSON_Delete(heap);
    hp_arena_free(arena); /* the arena's tree goes here, and only here */
}

TEST(a_body_parsed_in_an_arena_reads_as_one_parsed_on_the_heap)
{
    same_in_arena("{\"sightings\":[{\"plate\":\"京A12345\",\"lon\":118.4,\"lat\":35.1,"
                  "\"at\":\"2026-12-01T08:30:00+08:00\"}],\"n\":null,\"t\":true}");
    same_in_arena("[[[[1,2,[3]]]],{\"a\":{\"b\":{\"c\":\"\\u00e9\"}}}]");
    same_in_arena("{}");
    /* Failures half-way: cJSON frees what it had built, which is arena
     * memory (a free() of it would be caught by the sanitizer build). */
    same_in_arena("{\"a\":[1,2,{\"b\":\"x");
    same_in_arena("{\"a\":[1,2,{\"b\":\"\\u12");
    same_in_arena("{\"a\":{\"b\":[true,false,nul]}}");
    same_in_arena("{\"a\":1} {\"b\":2}");
    same_in_arena("{\"p\":\"AB\\u0000123\"}");
}

TEST(after_a_parse_in_an_arena_cjson_allocates_on_the_heap_again)
{
    struct hp_arena *arena = hp_arena_new();
    size_t at;
    cJSON *in = hp_json_parse_in(arena, "{\"a\":[1,2,3]}", 13, &at);
    CHECK(in != NULL);
    /* A tree made now outlives the arena: it must be heap memory. */
    cJSON *kept = cJSON_CreateObject();
    cJSON_AddItemToObject(kept, "copy", cJSON_Duplicate(cJSON_GetObjectItem(in, "a"), true));
    hp_arena_free(arena);
    char *text = cJSON_PrintUnformatted(kept);
    CHECK_STR(text, "{\"copy\":[1,2,3]}");
    cJSON_free(text);
    cJSON_Delete(kept);
}

/* Threads parsing in arenas of their own while another builds and frees
 * trees on the heap: the arena is the parsing thread's alone. */
static void *parse_many(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < 2000; i++) {
        struct hp_arena *arena = hp_arena_new();
        size_t at;
        cJSON *d = hp_json_parse_in(arena, "{\"x\":[1,{\"y\":\"z\"}]}", 21, &at);
        if (!d || !cJSON_IsArray(cJSON_GetObjectItem(d, "x")))
            (*failures)++;
        hp_arena_free(arena);
    }
    return NULL;
}

static void *build_many(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < 2000; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "k", "v");
        char *t = cJSON_PrintUnformatted(o);
        if (!t || strcmp(t, "{\"k\":\"v\"}") != 0)
            (*failures)++;
        cJSON_free(t);
        cJSON_Delete(o);
    }
    return NULL;
}

TEST(parses_in_arenas_on_several_threads_leave_other_threads_on_the_heap)
{
    hp_json_init();
    pthread_t t[3];
    int failures[3] = {0, 0, 0};
    CHECK(pthread_create(&t[0], NULL, parse_many, &failures[0]) == 0);
    CHECK(pthread_create(&t[1], NULL, parse_many, &failures[1]) == 0);
    CHECK(pthread_create(&t[2], NULL, build_many, &failures[2]) == 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(failures[0] + failures[1] + failures[2], 0);
}
