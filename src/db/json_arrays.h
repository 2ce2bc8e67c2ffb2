/* Arrays that pass between the statements of src/db and C as JSON text
 * (to_json of a text[], a jsonb array, a json parameter): read into C
 * arrays and written from them here, so that no caller outside src/db
 * sees the text. Internal to src/db. */
#ifndef HAULPASS_DB_JSON_ARRAYS_H
#define HAULPASS_DB_JSON_ARRAYS_H

#include "haulpass/applications.h"

struct hp_arena;

/* The strings of a JSON array text, in arena memory (freed with it), *n of
 * them; NULL with *n 0 when json is NULL (SQL NULL) or no array of
 * strings. */
const char **hp_db_json_strings(struct hp_arena *arena, const char *json, int *n);

/* The n strings of s as a JSON array text, for a statement's parameter
 * (read there with json_array_elements_text); arena memory, NULL when out
 * of memory. */
const char *hp_db_json_of_strings(struct hp_arena *arena, const char *const *s, int n);

/* The n documents of d as a JSON array text of {name, provided}, as
 * hp_db_json_of_strings. */
const char *hp_db_json_of_documents(struct hp_arena *arena, const struct hp_app_document *d,
                                    int n);

/* The documents ({name, provided}) of a JSON array text, as
 * hp_db_json_strings. */
struct hp_app_document *hp_db_json_documents(struct hp_arena *arena, const char *json, int *n);

#endif
