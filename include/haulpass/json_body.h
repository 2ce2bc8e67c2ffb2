/*
 * Request bodies, read against a declarative spec (as the Taler exchange
 * does): each field's name, JSON type, whether it is required, and simple
 * bounds. Unknown and duplicate fields are errors, so a typo never passes
 * silently. Every error names its JSON Pointer.
 */
#ifndef HAULPASS_JSON_BODY_H
#define HAULPASS_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hp_json_type {
    HP_JSON_STRING,  /* UTF-8 text, length bounds in characters (min, max) */
    HP_JSON_ENUM,    /* a string out of .choices */
    HP_JSON_INT,     /* an integral number within [min, max] */
    HP_JSON_BOOL,
    HP_JSON_UUID,    /* a string holding a UUID */
    HP_JSON_OBJECT,
    HP_JSON_ARRAY,   /* item count within [min, max] */
    HP_JSON_ANY,     /* checked by the caller */
};

struct hp_json_field {
    const char *name;
    enum hp_json_type type;
    bool required;
    bool nullable;           /* null is accepted (and read as absent) */
    long long min, max;      /* see the type; max 0 means no upper bound */
    bool trimmed;            /* HP_JSON_STRING: no white space at either end
                              * (U+3000 included), so never blank: for names */
    const char *const *choices; /* HP_JSON_ENUM: NULL-terminated */
};

/* One error: pointer (RFC 6901) and message. */
typedef void (*hp_json_error_fn)(void *ctx, const char *pointer, const char *message);

/*
 * Parses text (len bytes) as a JSON document. NULL when it is not JSON;
 * then *error_offset is the byte offset where reading stopped.
 * The caller frees the result with cJSON_Delete.
 */
cJSON *hp_json_parse(const char *text, size_t len, size_t *error_offset);

/*
 * hp_json_parse with the document's memory in arena: valid until the arena
 * is freed, and never given to cJSON_Delete, nor any part of it moved into
 * a tree that is (cJSON_Duplicate or a reference item copies safely).
 */
struct hp_arena;
cJSON *hp_json_parse_in(struct hp_arena *arena, const char *text, size_t len,
                        size_t *error_offset);

/* Installs cJSON's allocation hooks for hp_json_parse_in. Call it before
 * any thread starts: hp_json_parse_in calls it too, but changing the hooks
 * while another thread uses cJSON would be a race. */
void hp_json_init(void);

/*
 * Reads obj against spec (ended by an entry with a NULL name): out[i] is the
 * value of spec[i], or NULL when absent or null. Errors go to on_error with
 * pointers under prefix (e.g. "" or "/rules/0"). Returns true when obj had
 * no error. obj that is not an object is one error at prefix.
 */
bool hp_json_read(const cJSON *obj, const struct hp_json_field *spec, const char *prefix,
                  const cJSON **out, hp_json_error_fn on_error, void *ctx);

/* Whether s is valid UTF-8 without NUL or C0 control characters other than
 * tab, newline and carriage return. */
bool hp_utf8_valid(const char *s, size_t len);

/* Decodes the UTF-8 code point at s (len bytes left) into *cp; returns its
 * length in bytes (1-4), or 0 when the bytes there are not well-formed UTF-8
 * (cut short, overlong, a surrogate, above U+10FFFF) or len is 0. */
int hp_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The number of code points in valid UTF-8 s. */
size_t hp_utf8_length(const char *s);

/* Whether s is a UUID in its canonical text form (any case). */
bool hp_uuid_valid(const char *s);

/* The 16 bytes of UUID s; false when s is not one (hp_uuid_valid). */
bool hp_uuid_bytes(const char *s, unsigned char out[16]);

/* Appends the escaped token (RFC 6901: ~ → ~0, / → ~1) of name to a pointer
 * prefix, into out of size n. */
void hp_json_pointer(char *out, size_t n, const char *prefix, const char *name);

#endif
