/* Reading a zone from JSON: shape by spec, geometry by GEOS, hours by the
 * opening_hours compiler; the stored rule is the normalised form. */
#include "haulpass/zone_input.h"

#include "haulpass/calendar.h"
#include "haulpass/geojson.h"
#include "haulpass/opening_hours.h"
#include "haulpass/rule_fields.h"
#include "haulpass/token.h"
#include "haulpass/vocab.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct hp_json_field zone_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"geometry", HP_JSON_OBJECT, .required = true},
    {"rules", HP_JSON_ARRAY, .max = HP_ZONE_MAX_RULES},
    {NULL},
};

/* A rule's spec for hp_json_read: its id, then the fields of the one table
 * (rule_fields.h) in their order, so v[1 + HP_RULE_...] is each value. */
static void rule_spec(struct hp_json_field spec[HP_RULE_FIELD_COUNT + 2])
{
    spec[0] = (struct hp_json_field){"id", HP_JSON_UUID};
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++) {
        const struct hp_rule_field *f = &hp_rule_fields[i];
        struct hp_json_field *js = &spec[1 + i];
        switch (f->type) {
        case HP_RULE_FIELD_WORDS:
            *js = (struct hp_json_field){f->name, HP_JSON_ARRAY, .max = f->max};
            break;
        case HP_RULE_FIELD_KG:
            *js = (struct hp_json_field){f->name, HP_JSON_INT, .nullable = true, .max = f->max};
            break;
        case HP_RULE_FIELD_FLAG:
            *js = (struct hp_json_field){f->name, HP_JSON_BOOL};
            break;
        case HP_RULE_FIELD_HOURS:
            *js = (struct hp_json_field){f->name, HP_JSON_STRING, .nullable = true, .min = 1,
                                         .max = f->max};
            break;
        case HP_RULE_FIELD_DATE:
            *js = (struct hp_json_field){f->name, HP_JSON_STRING, .nullable = true};
            break;
        }
    }
    spec[1 + HP_RULE_FIELD_COUNT] = (struct hp_json_field){NULL};
}

struct reader {
    hp_json_error_fn on_error;
    void *ctx;
    bool ok;
};

static void fail(struct reader *r, const char *pointer, const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof(msg), fmt, arg);
    r->on_error(r->ctx, pointer, msg);
    r->ok = false;
}

/* A list of distinct words out of vocab, copied; NULL after an error. */
static cJSON *word_list(struct reader *r, const cJSON *list, const char *const *vocab,
                        const char *pointer, const char *what)
{
    cJSON *out = cJSON_CreateArray();
    int i = 0;
    for (const cJSON *item = list ? list->child : NULL; item; item = item->next, i++) {
        char p[224]; /* pointer (192) and an index */
        snprintf(p, sizeof(p), "%s/%d", pointer, i);
        if (!cJSON_IsString(item) || hp_vocab_index(vocab, item->valuestring) < 0) {
            fail(r, p, "must be a known %s", what);
            continue;
        }
        for (const cJSON *seen = out->child; seen; seen = seen->next)
            if (strcmp(seen->valuestring, item->valuestring) == 0)
                fail(r, p, "\"%s\" is listed twice", item->valuestring);
        cJSON_AddItemToArray(out, cJSON_CreateString(item->valuestring));
    }
    return out;
}

static bool existing_id(const cJSON *rules, const char *id)
{
    for (const cJSON *rule = rules ? rules->child : NULL; rule; rule = rule->next) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(rule, "id");
        if (cJSON_IsString(rid) && strcasecmp(rid->valuestring, id) == 0)
            return true;
    }
    return false;
}

static void add_date(struct reader *r, cJSON *out, const char *key, const cJSON *v,
                     const char *pointer, struct hp_calendar_date *date)
{
    if (!v) {
        cJSON_AddNullToObject(out, key);
        return;
    }
    if (!hp_calendar_date_parse(v->valuestring, date)) {
        fail(r, pointer, "must be a real date written YYYY-MM-DD, not \"%s\"", v->valuestring);
        return;
    }
    cJSON_AddStringToObject(out, key, v->valuestring);
}

/* Opening hours compiled, stored in their canonical spelling so equal
 * hours read equal; null when absent. */
static void add_hours(struct reader *r, cJSON *out, const char *key, const cJSON *v,
                      const char *pointer)
{
    if (!v) {
        cJSON_AddNullToObject(out, key);
        return;
    }
    struct hp_oh *oh = NULL;
    struct hp_oh_error err = {0};
    if (hp_oh_compile(v->valuestring, &oh, &err) != HP_OH_OK)
        fail(r, pointer, "%s", err.message[0] ? err.message : "is not valid opening_hours");
    cJSON_AddStringToObject(out, key, oh ? hp_oh_text(oh) : v->valuestring);
    hp_oh_free(oh);
}

/* A class both named and exempt says two things at once: each such item of
 * exempt (as sent, at pointer) is an error. */
static void refuse_named_exempt(struct reader *r, const cJSON *out, const cJSON *exempt,
                                const char *pointer)
{
    const cJSON *classes = cJSON_GetObjectItem(out, hp_rule_fields[HP_RULE_VEHICLE_CLASSES].name);
    int k = 0;
    for (const cJSON *e = exempt ? exempt->child : NULL; e; e = e->next, k++)
        for (const cJSON *c = classes ? classes->child : NULL; c && cJSON_IsString(e); c = c->next)
            if (strcmp(c->valuestring, e->valuestring) == 0) {
                char ep[224];
                snprintf(ep, sizeof(ep), "%s/%d", pointer, k);
                fail(r, ep, "\"%s\" is in vehicle_classes too; a class cannot be both "
                            "restricted and exempt", e->valuestring);
            }
}

/* One rule, normalised, or NULL after an error. Its fields are read in the
 * table's order, which is also the order of the errors. */
static cJSON *read_rule(struct reader *r, const cJSON *in, const cJSON *existing,
                        const char *pointer)
{
    struct hp_json_field spec[HP_RULE_FIELD_COUNT + 2];
    const cJSON *v[HP_RULE_FIELD_COUNT + 1];
    rule_spec(spec);
    if (!hp_json_read(in, spec, pointer, v, r->on_error, r->ctx)) {
        r->ok = false;
        return NULL;
    }
    char p[192];
    cJSON *out = cJSON_CreateObject();
    char id[37];
    if (v[0]) {
        hp_json_pointer(p, sizeof(p), pointer, "id");
        if (!existing_id(existing, v[0]->valuestring))
            fail(r, p, "%s is not a rule of this zone; leave id out for a new rule",
                 v[0]->valuestring);
        snprintf(id, sizeof(id), "%s", v[0]->valuestring);
    } else if (!hp_uuid_new(id)) {
        fail(r, pointer, "%s", "no randomness for a rule id");
    }
    cJSON_AddStringToObject(out, "id", id);
    struct hp_calendar_date dates[HP_RULE_FIELD_COUNT] = {{0}};
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++) {
        const struct hp_rule_field *f = &hp_rule_fields[i];
        const cJSON *value = v[1 + i];
        hp_json_pointer(p, sizeof(p), pointer, f->name);
        switch (f->type) {
        case HP_RULE_FIELD_WORDS: {
            cJSON *words = word_list(r, value, f->words, p, f->word);
            cJSON_AddItemToObject(out, f->name, words);
            if (i == HP_RULE_EXEMPT_CLASSES && words)
                refuse_named_exempt(r, out, value, p);
            break;
        }
        case HP_RULE_FIELD_KG:
            if (value)
                cJSON_AddNumberToObject(out, f->name, value->valuedouble);
            else
                cJSON_AddNullToObject(out, f->name);
            break;
        case HP_RULE_FIELD_FLAG:
            cJSON_AddBoolToObject(out, f->name, cJSON_IsTrue(value));
            break;
        case HP_RULE_FIELD_HOURS:
            add_hours(r, out, f->name, value, p);
            break;
        case HP_RULE_FIELD_DATE: {
            add_date(r, out, f->name, value, p, &dates[i]);
            const struct hp_calendar_date from = dates[HP_RULE_VALID_FROM];
            if (i == HP_RULE_VALID_TO && from.year && dates[i].year &&
                hp_calendar_date_compare(from, dates[i]) > 0)
                fail(r, p, "%s", "must not be before valid_from");
            break;
        }
        }
    }
    return out;
}

bool hp_zone_input_read(GEOSContextHandle_t geos, const cJSON *body, const cJSON *existing_rules,
                        const char *prefix, struct hp_zone_input *out,
                        hp_json_error_fn on_error, void *ctx)
{
    struct reader r = {on_error, ctx, true};
    memset(out, 0, sizeof(*out));
    const cJSON *v[3];
    if (!hp_json_read(body, zone_spec, prefix, v, on_error, ctx))
        r.ok = false;
    char p[192];
    if (v[1]) {
        struct hp_geo_error gerr;
        out->geom = hp_geojson_to_geos(geos, v[1], &gerr);
        if (!out->geom) {
            snprintf(p, sizeof(p), "%s/geometry%s", prefix, gerr.pointer);
            fail(&r, p, "%s", gerr.message);
        }
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(v[1], "type");
        out->sent_as_polygon = cJSON_IsString(type) && strcmp(type->valuestring, "Polygon") == 0;
    }
    out->rules = cJSON_CreateArray();
    int i = 0;
    for (const cJSON *rule = v[2] ? v[2]->child : NULL; rule; rule = rule->next, i++) {
        snprintf(p, sizeof(p), "%s/rules/%d", prefix, i);
        cJSON *norm = read_rule(&r, rule, existing_rules, p);
        if (norm)
            cJSON_AddItemToArray(out->rules, norm);
    }
    /* Two rules naming one kept id would make it ambiguous: the second is
     * the error. Rules are read in order and all of them or none kept. */
    int j = 0;
    for (const cJSON *b = r.ok ? out->rules->child : NULL; b; b = b->next, j++)
        for (const cJSON *a = out->rules->child; a != b; a = a->next)
            if (strcmp(cJSON_GetObjectItem(a, "id")->valuestring,
                       cJSON_GetObjectItem(b, "id")->valuestring) == 0) {
                snprintf(p, sizeof(p), "%s/rules/%d/id", prefix, j);
                fail(&r, p, "the rule id %s is used by an earlier rule too",
                     cJSON_GetObjectItem(b, "id")->valuestring);
                break;
            }
    if (!r.ok) {
        hp_zone_input_clear(geos, out);
        return false;
    }
    out->name = v[0]->valuestring;
    return true;
}

void hp_zone_input_clear(GEOSContextHandle_t geos, struct hp_zone_input *in)
{
    if (in->geom)
        GEOSGeom_destroy_r(geos, in->geom);
    cJSON_Delete(in->rules);
    memset(in, 0, sizeof(*in));
}
