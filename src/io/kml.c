/*
 * KML 2.2 import: the walk over a document's Placemarks (in <kml>,
 * <Document> and <Folder>, nested to any depth), each one a zone candidate
 * or a skip with its reason. The XML itself is read in kml_xml.c, checked
 * in kml_schema.c; geometry and rule fields in kml_geometry.c and
 * kml_rule.c.
 */
#include "kml_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kml_problem(struct kml_problem *p, long line, const char *fmt, ...)
{
    va_list ap;
    int n;
    p->line = line;
    n = snprintf(p->reason, sizeof p->reason, "line %ld: ", line);
    if (n < 0 || (size_t)n >= sizeof p->reason)
        n = 0;
    va_start(ap, fmt);
    vsnprintf(p->reason + n, sizeof p->reason - (size_t)n, fmt, ap);
    va_end(ap);
}


/* ---- Placemarks ---------------------------------------------------------- */

/* `arr` with room for element n (capacity doubles at powers of two), or NULL
 * when out of memory (`arr` is then left as it was). */
static void *grow(void *arr, size_t n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0)
        return realloc(arr, (n ? n * 2 : 8) * size);
    return arr;
}

static void add_skip(struct kml_walk *w, int index, char *name, const struct kml_problem *p)
{
    struct hp_kml_result *r = w->result;
    char *reason = strdup(p->reason);
    struct hp_kml_skip *s, *more = reason ? grow(r->skipped, r->nskipped, sizeof *r->skipped) : NULL;

    if (!more) {
        free(reason);
        free(name);
        w->status = HP_KML_NO_MEMORY;
        return;
    }
    r->skipped = more;
    s = &r->skipped[r->nskipped++];
    s->index = index;
    s->line = p->line;
    s->name = name;
    s->reason = reason;
}

static void read_placemark(struct kml_walk *w, xmlNodePtr pm)
{
    int index = ++w->placemarks, nnames;
    long line = kml_line_of(pm);
    xmlNodePtr name_node = kml_only_child(pm, "name", &nnames);
    char *name = NULL;
    cJSON *geometry = NULL, *rule = NULL;
    struct kml_problem p = {0};
    const struct kml_schema_error *se;
    struct hp_kml_zone *z;

    if (index > HP_KML_MAX_PLACEMARKS) {
        w->status = HP_KML_TOO_LARGE;
        kml_set_err(w->err, line, "the document holds more than %d Placemarks", HP_KML_MAX_PLACEMARKS);
        return;
    }
    if (name_node) {
        name = kml_trimmed_text(name_node);
        if (!name) {
            w->status = HP_KML_NO_MEMORY;
            return;
        }
        if (!*name) {
            free(name);
            name = NULL;
        }
    }
    se = kml_schema_error_of(w->validation, pm);
    if (se) {
        kml_problem(&p, se->line, "%s", se->message);
        goto skip;
    }
    w->placemark_vertices = 0;
    geometry = kml_geometry_read(w, pm, &p);
    if (!geometry)
        goto skip;
    if (!name) {
        kml_problem(&p, line, "the Placemark has no <name>; a zone needs one");
        goto skip;
    }
    rule = kml_rule_read(w, pm, &p);
    if (!rule)
        goto skip;
    w->total_vertices += w->placemark_vertices;
    if (w->total_vertices > HP_KML_MAX_TOTAL_VERTICES) {
        w->status = HP_KML_TOO_LARGE;
        kml_set_err(w->err, line, "the document holds more than %d positions in all",
                HP_KML_MAX_TOTAL_VERTICES);
        goto fail;
    }
    z = grow(w->result->zones, w->result->nzones, sizeof *w->result->zones);
    if (!z) {
        w->status = HP_KML_NO_MEMORY;
        goto fail;
    }
    w->result->zones = z;
    z = &w->result->zones[w->result->nzones++];
    z->index = index;
    z->line = line;
    z->name = name;
    z->geometry = geometry;
    z->rule = rule;
    return;
skip:
    cJSON_Delete(geometry);
    if (w->status != HP_KML_OK) { /* out of memory, not the Placemark's fault */
        free(name);
        return;
    }
    add_skip(w, index, name, &p);
    return;
fail:
    cJSON_Delete(geometry);
    cJSON_Delete(rule);
    free(name);
}

/* Visits the Placemarks of kml, Document and Folder elements, in order. */
static void walk_features(struct kml_walk *w, xmlNodePtr parent)
{
    for (xmlNodePtr c = parent->children; c && w->status == HP_KML_OK; c = c->next) {
        if (kml_is(c, "Placemark"))
            read_placemark(w, c);
        else if (kml_is(c, "Document") || kml_is(c, "Folder"))
            walk_features(w, c);
    }
}


/* ---- entry points -------------------------------------------------------- */

void hp_kml_result_free(struct hp_kml_result *result)
{
    if (!result)
        return;
    for (size_t i = 0; i < result->nzones; i++) {
        free(result->zones[i].name);
        cJSON_Delete(result->zones[i].geometry);
        cJSON_Delete(result->zones[i].rule);
    }
    for (size_t i = 0; i < result->nskipped; i++) {
        free(result->skipped[i].name);
        free(result->skipped[i].reason);
    }
    free(result->zones);
    free(result->skipped);
    free(result);
}

enum hp_kml_status hp_kml_parse(const char *data, size_t len, const struct hp_kml_schema *schema,
                                struct hp_kml_result **out, struct hp_kml_error *err)
{
    enum hp_kml_status status = HP_KML_OK;
    struct kml_validation v = {0};
    struct kml_walk w = {0};
    xmlDocPtr doc = NULL;
    xmlNodePtr root;

    if (err) {
        err->line = 0;
        err->message[0] = '\0';
    }
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0)) {
        kml_set_err(err, 0, "no output given");
        return HP_KML_NO_MEMORY;
    }
    if (len > HP_KML_MAX_BYTES) {
        kml_set_err(err, 0, "the document is larger than %u bytes", HP_KML_MAX_BYTES);
        return HP_KML_TOO_LARGE;
    }
    if (len == 0) {
        kml_set_err(err, 0, "malformed XML at line 1: the document is empty");
        return HP_KML_MALFORMED;
    }
    doc = kml_xml_read(data, len, &root, &status, err);
    if (!doc)
        return status;
    if (schema && (status = kml_schema_validate(schema, doc, &v, err)) != HP_KML_OK)
        goto done;

    w.result = calloc(1, sizeof *w.result);
    if (!w.result) {
        status = HP_KML_NO_MEMORY;
        kml_set_err(err, 0, "out of memory");
        goto done;
    }
    w.err = err;
    w.validation = &v;
    walk_features(&w, root);
    status = w.status;
    if (status == HP_KML_NO_MEMORY)
        kml_set_err(err, 0, "out of memory");
    if (status != HP_KML_OK) {
        hp_kml_result_free(w.result);
        goto done;
    }
    *out = w.result;
done:
    free(v.errors);
    xmlFreeDoc(doc);
    return status;
}

