/* The one table of a rule's fields, and compiling a stored rule by it. */
#include "haulpass/rule_fields.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"
#include "haulpass/vocab.h"

#include <stdio.h>
#include <string.h>

#define AT(member) offsetof(struct hp_rule, member)

const struct hp_rule_field hp_rule_fields[HP_RULE_FIELD_COUNT] = {
    [HP_RULE_VEHICLE_CLASSES] = {"vehicle_classes", HP_RULE_FIELD_WORDS, hp_vehicle_classes,
                                 "vehicle class", .max = 10, .in_kml = true,
                                 .offset = AT(classes)},
    [HP_RULE_EXEMPT_CLASSES] = {"exempt_classes", HP_RULE_FIELD_WORDS, hp_vehicle_classes,
                                "vehicle class", .max = 10, .in_kml = true,
                                .offset = AT(exempt)},
    [HP_RULE_MIN_GROSS_WEIGHT_KG] = {"min_gross_weight_kg", HP_RULE_FIELD_KG, .max = 1000000,
                                     .in_kml = true, .offset = AT(min_gross_kg)},
    [HP_RULE_HAZMAT_ONLY] = {"hazmat_only", HP_RULE_FIELD_FLAG, .offset = AT(hazmat_only)},
    [HP_RULE_HOURS] = {"hours", HP_RULE_FIELD_HOURS, .max = HP_OH_MAX_LEN, .in_kml = true,
                       .offset = AT(hours)},
    [HP_RULE_VALID_FROM] = {"valid_from", HP_RULE_FIELD_DATE, .offset = AT(from_day)},
    [HP_RULE_VALID_TO] = {"valid_to", HP_RULE_FIELD_DATE, .last_day = true,
                          .offset = AT(to_day)},
    [HP_RULE_LIFTABLE_BY] = {"liftable_by", HP_RULE_FIELD_WORDS, hp_pass_types, "pass type",
                             .max = 5, .in_kml = true, .offset = AT(liftable)},
};

const struct hp_rule_field *hp_rule_field_find(const char *name)
{
    for (int i = 0; name && i < HP_RULE_FIELD_COUNT; i++)
        if (strcmp(hp_rule_fields[i].name, name) == 0)
            return &hp_rule_fields[i];
    return NULL;
}

/* Bit i for each word of list that is vocab[i]; words it does not know
 * are left out (the zone-input path let none in). */
static uint32_t word_bits(const cJSON *list, const char *const *vocab)
{
    uint32_t bits = 0;
    for (const cJSON *w = list ? list->child : NULL; w; w = w->next) {
        int i = cJSON_IsString(w) ? hp_vocab_index(vocab, w->valuestring) : -1;
        if (i >= 0)
            bits |= 1u << i;
    }
    return bits;
}

static int64_t day_of(const cJSON *v, int64_t open)
{
    struct hp_calendar_date d;
    if (!cJSON_IsString(v) || !hp_calendar_date_parse(v->valuestring, &d))
        return open;
    return hp_calendar_date_to_days(d);
}

bool hp_rule_compile(const cJSON *stored, struct hp_rule *out, char *err, size_t errlen)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(stored, "id");
    bool ok = true;

    snprintf(out->id, sizeof(out->id), "%s", cJSON_IsString(id) ? id->valuestring : "");
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++) {
        const struct hp_rule_field *f = &hp_rule_fields[i];
        const cJSON *v = cJSON_GetObjectItem(stored, f->name);
        void *at = (char *)out + f->offset;
        switch (f->type) {
        case HP_RULE_FIELD_WORDS:
            *(uint32_t *)at = word_bits(v, f->words);
            break;
        case HP_RULE_FIELD_KG:
            *(int *)at = cJSON_IsNumber(v) ? v->valueint : -1;
            break;
        case HP_RULE_FIELD_FLAG:
            *(bool *)at = cJSON_IsTrue(v);
            break;
        case HP_RULE_FIELD_HOURS: {
            struct hp_oh **oh = at;
            *oh = NULL;
            if (cJSON_IsString(v) && hp_oh_compile(v->valuestring, oh, NULL) != HP_OH_OK) {
                snprintf(err, errlen, "stored hours \"%s\" do not compile", v->valuestring);
                ok = false;
            }
            out->hours_text = *oh ? hp_oh_text(*oh) : NULL; /* kept beside it */
            break;
        }
        case HP_RULE_FIELD_DATE:
            *(int64_t *)at = day_of(v, f->last_day ? INT64_MAX : INT64_MIN);
            break;
        }
    }
    return ok;
}
