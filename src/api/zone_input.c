/* Reading a zone from JSON: shape by spec, geometry by GEOS, hours by the
 * opening_hours compiler; the stored rule is the normalised form. */
#include "haulpass/zone_input.h"

#include "haulpass/calendar.h"
#include "haulpass/geojson.h"
#include "haulpass/opening_hours.h"
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

enum { R_ID, R_CLASSES, R_EXEMPT, R_MIN_WEIGHT, R_HAZMAT, R_HOURS, R_FROM, R_TO, R_LIFTABLE };
static const struct hp_json_field rule_spec[] = {
    [R_ID] = {"id", HP_JSON_UUID},
    [R_CLASSES] = {"vehicle_classes", HP_JSON_ARRAY, .max = 10},
    [R_EXEMPT] = {"exempt_classes", HP_JSON_ARRAY, .max = 10},
    [R_MIN_WEIGHT] = {"min_gross_weight_kg", HP_JSON_INT, .nullable = true, .max = 1000000},
    [R_HAZMAT] = {"hazmat_only", HP_JSON_BOOL},
    [R_HOURS] = {"hours", HP_JSON_STRING, .nullable = true, .min = 1, .max = HP_OH_MAX_LEN},
    [R_FROM] = {"valid_from", HP_JSON_STRING, .nullable = true},
    [R_TO] = {"valid_to", HP_JSON_STRING, .nullable = true},
    [R_LIFTABLE] = {"liftable_by", HP_JSON_ARRAY, .max = 5},
    {NULL},
};

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
        char p[192];
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

/* One rule, normalised, or NULL after an error. */
static cJSON *read_rule(struct reader *r, const cJSON *in, const cJSON *existing,
                        const char *pointer)
{
    const cJSON *v[R_LIFTABLE + 1];
    if (!hp_json_read(in, rule_spec, pointer, v, r->on_error, r->ctx)) {
        r->ok = false;
        return NULL;
    }
    char p[192];
    cJSON *out = cJSON_CreateObject();
    char id[37];
    if (v[R_ID]) {
        hp_json_pointer(p, sizeof(p), pointer, "id");
        if (!existing_id(existing, v[R_ID]->valuestring))
            fail(r, p, "%s is not a rule of this zone; leave id out for a new rule",
                 v[R_ID]->valuestring);
        snprintf(id, sizeof(id), "%s", v[R_ID]->valuestring);
    } else if (!hp_uuid_new(id)) {
        fail(r, pointer, "%s", "no randomness for a rule id");
    }
    cJSON_AddStringToObject(out, "id", id);
    hp_json_pointer(p, sizeof(p), pointer, "vehicle_classes");
    cJSON_AddItemToObject(out, "vehicle_classes",
                          word_list(r, v[R_CLASSES], hp_vehicle_classes, p, "vehicle class"));
    hp_json_pointer(p, sizeof(p), pointer, "exempt_classes");
    cJSON *exempt = word_list(r, v[R_EXEMPT], hp_vehicle_classes, p, "vehicle class");
    cJSON_AddItemToObject(out, "exempt_classes", exempt);
    /* A class both named and exempt says two things at once. */
    const cJSON *classes = cJSON_GetObjectItem(out, "vehicle_classes");
    int k = 0;
    for (const cJSON *e = exempt && v[R_EXEMPT] ? v[R_EXEMPT]->child : NULL; e; e = e->next, k++)
        for (const cJSON *c = classes ? classes->child : NULL; c && cJSON_IsString(e); c = c->next)
            if (strcmp(c->valuestring, e->valuestring) == 0) {
                char ep[224];
                snprintf(ep, sizeof(ep), "%s/%d", p, k);
                fail(r, ep, "\"%s\" is in vehicle_classes too; a class cannot be both "
                            "restricted and exempt", e->valuestring);
            }
    if (v[R_MIN_WEIGHT])
        cJSON_AddNumberToObject(out, "min_gross_weight_kg", v[R_MIN_WEIGHT]->valuedouble);
    else
        cJSON_AddNullToObject(out, "min_gross_weight_kg");
    cJSON_AddBoolToObject(out, "hazmat_only", cJSON_IsTrue(v[R_HAZMAT]));
    if (v[R_HOURS]) {
        struct hp_oh *oh = NULL;
        struct hp_oh_error err = {0};
        hp_json_pointer(p, sizeof(p), pointer, "hours");
        if (hp_oh_compile(v[R_HOURS]->valuestring, &oh, &err) != HP_OH_OK)
            fail(r, p, "%s", err.message[0] ? err.message : "is not valid opening_hours");
        /* Stored in its canonical spelling, so equal hours read equal. */
        cJSON_AddStringToObject(out, "hours", oh ? hp_oh_text(oh) : v[R_HOURS]->valuestring);
        hp_oh_free(oh);
    } else {
        cJSON_AddNullToObject(out, "hours");
    }
    struct hp_calendar_date from = {0}, to = {0};
    hp_json_pointer(p, sizeof(p), pointer, "valid_from");
    add_date(r, out, "valid_from", v[R_FROM], p, &from);
    hp_json_pointer(p, sizeof(p), pointer, "valid_to");
    add_date(r, out, "valid_to", v[R_TO], p, &to);
    if (from.year && to.year && hp_calendar_date_compare(from, to) > 0)
        fail(r, p, "%s", "must not be before valid_from");
    hp_json_pointer(p, sizeof(p), pointer, "liftable_by");
    cJSON_AddItemToObject(out, "liftable_by",
                          word_list(r, v[R_LIFTABLE], hp_pass_types, p, "pass type"));
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
