/*
 * The KML subset's XSD (schemas/kml-subset.xsd): compiled once from text,
 * then shared read-only by every thread. A document's schema errors are
 * mapped to the Placemarks they fall in, so one broken Placemark is skipped
 * while an error outside every Placemark refuses the document.
 */
#include "kml_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

struct hp_kml_schema {
    xmlSchemaPtr schema;
};

struct schema_compile {
    char *buf;
    size_t size;
    bool have;
};

static void on_schema_compile_error(void *data, xmlErrorPtr e)
{
    struct schema_compile *sc = data;
    if (!sc->buf || sc->have || !e || e->level < XML_ERR_ERROR)
        return;
    sc->have = true;
    char msg[200];
    kml_tidy_message(msg, sizeof msg, e->message);
    snprintf(sc->buf, sc->size, "XSD line %d: %s", e->line, msg);
}

struct hp_kml_schema *hp_kml_schema_new(const char *xsd, size_t len, char *errbuf, size_t errlen)
{
    struct schema_compile sc = {.buf = errlen ? errbuf : NULL, .size = errlen};
    xmlSchemaParserCtxtPtr pctxt;
    xmlStructuredErrorFunc old_handler;
    void *old_data;
    struct hp_kml_schema *s;

    hp_kml_global_init();
    if (sc.buf)
        sc.buf[0] = '\0';
    if (!xsd || len == 0 || len > INT32_MAX) {
        if (sc.buf)
            snprintf(sc.buf, sc.size, "no XSD text");
        return NULL;
    }
    s = calloc(1, sizeof *s);
    pctxt = s ? xmlSchemaNewMemParserCtxt(xsd, (int)len) : NULL;
    if (!pctxt) {
        if (sc.buf)
            snprintf(sc.buf, sc.size, "out of memory");
        free(s);
        return NULL;
    }
    xmlSchemaSetParserStructuredErrors(pctxt, on_schema_compile_error, &sc);
    /* The XML parser inside reports through this thread's handler. */
    old_handler = xmlStructuredError;
    old_data = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&sc, on_schema_compile_error);
    s->schema = xmlSchemaParse(pctxt);
    xmlSetStructuredErrorFunc(old_data, old_handler);
    xmlSchemaFreeParserCtxt(pctxt);
    if (!s->schema) {
        if (sc.buf && !sc.have)
            snprintf(sc.buf, sc.size, "the XSD could not be compiled");
        free(s);
        return NULL;
    }
    return s;
}

void hp_kml_schema_free(struct hp_kml_schema *schema)
{
    if (!schema)
        return;
    xmlSchemaFree(schema->schema);
    free(schema);
}


/* ---- schema errors, mapped to Placemarks --------------------------------- */

static xmlNodePtr enclosing_placemark(xmlNodePtr n)
{
    for (; n; n = n->parent)
        if (kml_is(n, "Placemark"))
            return n;
    return NULL;
}

static void on_schema_error(void *data, xmlErrorPtr e)
{
    struct kml_validation *v = data;
    xmlNodePtr node, pm;
    struct kml_schema_error *se;

    if (!e || e->level < XML_ERR_ERROR)
        return;
    node = e->node;
    if (node && node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    pm = node ? enclosing_placemark(node) : NULL;
    if (pm) {
        /* Errors come in document order: keep the first of each Placemark. */
        if (v->nerrors > 0 && v->errors[v->nerrors - 1].placemark == pm)
            return;
        if (v->nerrors == v->cap) {
            size_t cap = v->cap ? v->cap * 2 : 16;
            struct kml_schema_error *ne = realloc(v->errors, cap * sizeof *ne);
            if (!ne) {
                v->no_memory = true;
                return;
            }
            v->errors = ne;
            v->cap = cap;
        }
        se = &v->errors[v->nerrors];
        se->seq = v->nerrors++;
        se->placemark = pm;
    } else {
        if (v->have_doc_error)
            return;
        v->have_doc_error = true;
        se = &v->doc_error;
        se->placemark = NULL;
    }
    se->line = node ? kml_line_of(node) : e->line;
    if (se->line <= 0)
        se->line = e->line;
    kml_tidy_message(se->message, sizeof se->message, e->message);
}

static int compare_errors(const void *a, const void *b)
{
    const struct kml_schema_error *x = a, *y = b;
    uintptr_t px = (uintptr_t)x->placemark, py = (uintptr_t)y->placemark;
    if (px != py)
        return px < py ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first schema error inside Placemark `pm`, or NULL. */
const struct kml_schema_error *kml_schema_error_of(const struct kml_validation *v, const xmlNode *pm)
{
    size_t lo = 0, hi = v->nerrors;
    while (lo < hi) { /* first entry whose placemark >= pm */
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)v->errors[mid].placemark < (uintptr_t)pm)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->nerrors && v->errors[lo].placemark == pm ? &v->errors[lo] : NULL;
}


enum hp_kml_status kml_schema_validate(const struct hp_kml_schema *schema, xmlDocPtr doc,
                                       struct kml_validation *v, struct hp_kml_error *err)
{
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema->schema);
    int rc;

    if (!vctxt) {
        kml_set_err(err, 0, "out of memory");
        return HP_KML_NO_MEMORY;
    }
    xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, v);
    rc = xmlSchemaValidateDoc(vctxt, doc);
    xmlSchemaFreeValidCtxt(vctxt);
    if (v->no_memory) {
        kml_set_err(err, 0, "out of memory");
        return HP_KML_NO_MEMORY;
    }
    if (v->have_doc_error) {
        kml_set_err(err, v->doc_error.line,
                    "the document does not follow the KML subset at line %ld: %s",
                    v->doc_error.line, v->doc_error.message);
        return HP_KML_INVALID;
    }
    if (v->nerrors > 1)
        qsort(v->errors, v->nerrors, sizeof *v->errors, compare_errors);
    if (rc < 0) {
        kml_set_err(err, 0, "the document could not be validated against the KML subset");
        return HP_KML_INVALID;
    }
    return HP_KML_OK;
}
