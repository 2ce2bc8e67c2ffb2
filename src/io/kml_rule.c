/*
 * A Placemark's ExtendedData (Data/value or SchemaData/SimpleData) read
 * into the JSON of a rule, field by field as the rule-field table says
 * (rule_fields.h); values are checked by the zone-creation path, as for
 * JSON. Other tools' fields are ignored, but a name that looks like a slip
 * of a rule field's is refused.
 */
#include "kml_internal.h"

#include "haulpass/rule_fields.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* The rule field an ExtendedData name gives, or NULL: only those the
 * table marks as KML's (docs/contract.md §4). */
static const struct hp_rule_field *field_named(const char *name)
{
    const struct hp_rule_field *f = hp_rule_field_find(name);
    return f && f->in_kml ? f : NULL;
}

/* "a, b,,c " -> ["a","b","c"] */
static cJSON *split_list(const char *s)
{
    cJSON *arr = cJSON_CreateArray();
    while (arr && *s) {
        const char *e = strchr(s, ','), *end = e ? e : s + strlen(s), *b = s;
        while (b < end && kml_is_space(*b))
            b++;
        while (end > b && kml_is_space(end[-1]))
            end--;
        if (end > b) {
            char *item = strndup(b, (size_t)(end - b));
            cJSON *str = item ? cJSON_CreateString(item) : NULL;
            free(item);
            if (!str) {
                cJSON_Delete(arr);
                return NULL;
            }
            cJSON_AddItemToArray(arr, str);
        }
        if (!e)
            break;
        s = e + 1;
    }
    return arr;
}

/* The edit distance of a and b (at most 32 bytes each), else a large one. */
static int distance(const char *a, const char *b)
{
    size_t m = strlen(a), n = strlen(b);
    if (m > 32 || n > 32)
        return 99;
    int row[33];
    for (size_t j = 0; j <= n; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= m; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

/* The rule field an unknown ExtendedData name looks like a slip of ("hour",
 * "Liftable-By", "min_gross_weight"), or NULL. Why: other fields (a GIS tool's
 * OBJECTID, a description) are fine to ignore, but a misspelt `hours` would
 * silently make a ban hold round the clock. */
static const char *misspelt_rule_field(const char *name)
{
    char norm[33];
    size_t n = strlen(name);
    if (n > 32)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        char c = name[i];
        norm[i] = c == '-' || c == ' ' ? '_' : (char)tolower((unsigned char)c);
    }
    for (int i = 0; i < HP_RULE_FIELD_COUNT; i++) {
        const char *f = hp_rule_fields[i].name;
        if (!hp_rule_fields[i].in_kml)
            continue;
        size_t shorter = n < strlen(f) ? n : strlen(f);
        if (distance(norm, f) <= 2 || (shorter >= 4 && strncmp(norm, f, shorter) == 0))
            return f; /* a slip, or the field cut short or run on */
    }
    return NULL;
}

/* Adds one field to `rule`. Returns false with *p filled, or with w->status set. */
static bool add_field(struct kml_walk *w, cJSON *rule, const xmlNode *at, const char *name,
                      const char *value, struct kml_problem *p)
{
    const struct hp_rule_field *f = field_named(name);
    cJSON *item = NULL;

    if (!f) {
        const char *meant = misspelt_rule_field(name);
        if (meant) {
            kml_problem(p, kml_line_of(at), "ExtendedData field \"%.40s\" is not a rule field; "
                                    "\"%s\" was perhaps meant", name, meant);
            return false;
        }
        return true; /* another tool's field */
    }
    if (cJSON_GetObjectItemCaseSensitive(rule, name)) {
        kml_problem(p, kml_line_of(at), "ExtendedData gives \"%s\" more than once", name);
        return false;
    }
    switch (f->type) {
    case HP_RULE_FIELD_WORDS:
        item = split_list(value);
        break;
    case HP_RULE_FIELD_HOURS:
    case HP_RULE_FIELD_DATE:
    case HP_RULE_FIELD_FLAG: /* none in KML today; text for the zone path to judge */
        item = *value ? cJSON_CreateString(value) : cJSON_CreateNull();
        break;
    case HP_RULE_FIELD_KG: {
        size_t n = strspn(value, "0123456789");
        if (!*value) {
            item = cJSON_CreateNull();
        } else if (value[n] != '\0' || n > 12) {
            kml_problem(p, kml_line_of(at), "%s \"%.40s\" is not a whole number of kilograms",
                        f->name, value);
            return false;
        } else {
            item = cJSON_CreateNumber(strtod(value, NULL));
        }
        break;
    }
    }
    if (!item) {
        w->status = HP_KML_NO_MEMORY;
        return false;
    }
    cJSON_AddItemToObject(rule, name, item);
    return true;
}

/* Reads one Data or SimpleData into `rule`. */
static bool read_field(struct kml_walk *w, cJSON *rule, const xmlNode *n, const xmlNode *value_node,
                       struct kml_problem *p)
{
    xmlChar *name = xmlGetNoNsProp(n, (const xmlChar *)"name");
    char *value = NULL;
    bool ok;

    if (!name) {
        kml_problem(p, kml_line_of(n), "<%s> has no name attribute", (const char *)n->name);
        return false;
    }
    value = value_node ? kml_trimmed_text(value_node) : strdup("");
    if (!value) {
        w->status = HP_KML_NO_MEMORY;
        xmlFree(name);
        return false;
    }
    ok = add_field(w, rule, n, (const char *)name, value, p);
    free(value);
    xmlFree(name);
    return ok;
}

/* The rule fields of a Placemark's ExtendedData, as a JSON object. */
cJSON *kml_rule_read(struct kml_walk *w, const xmlNode *pm, struct kml_problem *p)
{
    cJSON *rule = cJSON_CreateObject();
    if (!rule) {
        w->status = HP_KML_NO_MEMORY;
        return NULL;
    }
    for (xmlNodePtr ed = pm->children; ed; ed = ed->next) {
        if (!kml_is(ed, "ExtendedData"))
            continue;
        for (xmlNodePtr d = ed->children; d; d = d->next) {
            if (kml_is(d, "Data")) {
                int n;
                xmlNodePtr value = kml_only_child(d, "value", &n);
                if (n > 1) {
                    kml_problem(p, kml_line_of(d), "<Data> has more than one <value>");
                    goto fail;
                }
                if (!read_field(w, rule, d, value, p))
                    goto fail;
            } else if (kml_is(d, "SchemaData")) {
                for (xmlNodePtr sd = d->children; sd; sd = sd->next)
                    if (kml_is(sd, "SimpleData") && !read_field(w, rule, sd, sd, p))
                        goto fail;
            }
        }
    }
    return rule;
fail:
    cJSON_Delete(rule);
    return NULL;
}

