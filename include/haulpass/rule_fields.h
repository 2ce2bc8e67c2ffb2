/*
 * The fields of a zone's rule (docs/contract.md §4) in one table: each one's name,
 * type, limits, and where its compiled value goes in struct hp_rule. Every
 * reader of a rule goes by it: a client's JSON (api/zone_input.c), KML
 * ExtendedData (io/kml_rule.c) and the stored JSON a check snapshot
 * compiles (check/snapshot_load.c), so a field is added in one place.
 * Pure: no I/O.
 */
#ifndef HAULPASS_RULE_FIELDS_H
#define HAULPASS_RULE_FIELDS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hp_oh;

enum hp_rule_field_type {
    HP_RULE_FIELD_WORDS, /* distinct words of a vocabulary; [] (absent): every / none */
    HP_RULE_FIELD_KG,    /* a whole number of kilograms, or null */
    HP_RULE_FIELD_FLAG,  /* true or false (absent: false) */
    HP_RULE_FIELD_HOURS, /* opening_hours text, or null: at all hours */
    HP_RULE_FIELD_DATE,  /* a local date YYYY-MM-DD, or null: open */
};

/* The fields in the order a stored rule lists them (after its id). */
enum hp_rule_field_id {
    HP_RULE_VEHICLE_CLASSES,
    HP_RULE_EXEMPT_CLASSES,
    HP_RULE_MIN_GROSS_WEIGHT_KG,
    HP_RULE_HAZMAT_ONLY,
    HP_RULE_HOURS,
    HP_RULE_VALID_FROM,
    HP_RULE_VALID_TO,
    HP_RULE_LIFTABLE_BY,
    HP_RULE_FIELD_COUNT,
};

struct hp_rule_field {
    const char *name;
    enum hp_rule_field_type type;
    const char *const *words; /* WORDS: the vocabulary (vocab.h) */
    const char *word;         /* WORDS: what one word is, for messages */
    long long max;            /* WORDS: most words; KG: heaviest; HOURS: longest text */
    bool in_kml;              /* KML ExtendedData may give it (docs/contract.md §4) */
    bool last_day;            /* DATE: null means open at the end, not the start */
    size_t offset;            /* where the compiled value goes in struct hp_rule:
                               * WORDS uint32_t bits, KG int (-1: none), FLAG
                               * bool, HOURS struct hp_oh *, DATE int64_t days */
};

extern const struct hp_rule_field hp_rule_fields[HP_RULE_FIELD_COUNT];

/* A rule compiled for checks. Days count from 1970-01-01 (local dates). */
struct hp_rule {
    char id[37];
    uint32_t classes;   /* bit i: hp_vehicle_classes[i]; 0 means every class */
    uint32_t exempt;
    int min_gross_kg;   /* -1: no minimum */
    bool hazmat_only;
    struct hp_oh *hours; /* NULL: at all hours */
    const char *hours_text;
    int64_t from_day, to_day; /* INT64_MIN / INT64_MAX when open */
    uint32_t liftable;  /* bit i: hp_pass_types[i]; 0: no pass lifts it */
};

/* The field called name, or NULL. */
const struct hp_rule_field *hp_rule_field_find(const char *name);

/*
 * Compiles a rule as stored (the JSON hp_zone_input_read made) into *out.
 * Returns false with a message in err[errlen] when its hours do not
 * compile; *out's hours, if any, are then set still, for the caller to
 * free with hp_oh_free as on success.
 */
bool hp_rule_compile(const cJSON *stored, struct hp_rule *out, char *err, size_t errlen);

#endif
