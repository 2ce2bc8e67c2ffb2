/*
 * Between the files of the KML import (kml.h is its public face):
 *   kml_xml.c       parsing untrusted XML safely, and reading its nodes
 *   kml_schema.c    the XSD: compiled once, errors mapped to Placemarks
 *   kml_geometry.c  Polygon and MultiGeometry -> GeoJSON
 *   kml_rule.c      ExtendedData -> the rule's fields
 *   kml.c           the walk over the Placemarks, and the entry points
 */
#ifndef HAULPASS_KML_INTERNAL_H
#define HAULPASS_KML_INTERNAL_H

#include "haulpass/kml.h"

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#define KML_NS "http://www.opengis.net/kml/2.2"

/* ---- kml_xml.c ---------------------------------------------------------- */

/* Fills *err (may be NULL) with line and message. */
void kml_set_err(struct hp_kml_error *err, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* XML white space (space, tab, newline, carriage return). */
bool kml_is_space(char c);

/* Copies libxml2's message without its trailing newline and without the
 * "{http://www.opengis.net/kml/2.2}" in front of each element name. */
void kml_tidy_message(char *dst, size_t size, const char *src);

/* Whether n is an element of the KML 2.2 namespace called name (any name
 * when name is NULL). */
bool kml_is(const xmlNode *n, const char *name);

/* The line of an element's start tag, past libxml2's 16 bits too. */
long kml_line_of(const xmlNode *n);

/* Text of an element (CDATA included), trimmed; NULL when out of memory.
 * The caller frees it with free(). */
char *kml_trimmed_text(const xmlNode *n);

/* The first KML child element called name of parent (NULL when none), and
 * in *count how many there are. */
xmlNodePtr kml_only_child(const xmlNode *parent, const char *name, int *count);

/*
 * Parses data (1 .. HP_KML_MAX_BYTES bytes) into a tree with safe options
 * only, refusing entity declarations and more than HP_KML_MAX_NODES nodes,
 * and checks that the root is <kml> of KML 2.2 (a root without namespace
 * is read as KML 2.2). Returns the document (xmlFreeDoc) and its root in
 * *root, or NULL with *status and *err set.
 */
xmlDocPtr kml_xml_read(const char *data, size_t len, xmlNodePtr *root,
                       enum hp_kml_status *status, struct hp_kml_error *err);

/* ---- kml_schema.c ------------------------------------------------------- */

struct kml_schema_error {
    const xmlNode *placemark; /* NULL: outside every Placemark */
    size_t seq;               /* order of report */
    long line;
    char message[200];
};

/* The schema errors of one document. */
struct kml_validation {
    struct kml_schema_error *errors; /* the first of each Placemark, sorted by node when done */
    size_t nerrors, cap;
    bool have_doc_error; /* outside every Placemark */
    struct kml_schema_error doc_error;
    bool no_memory;
};

/* Validates doc against schema, keeping in *v the first error of each
 * Placemark (free v->errors). HP_KML_OK, or the status that refuses the
 * whole document with *err set. */
enum hp_kml_status kml_schema_validate(const struct hp_kml_schema *schema, xmlDocPtr doc,
                                       struct kml_validation *v, struct hp_kml_error *err);

/* The first schema error inside Placemark pm, or NULL. */
const struct kml_schema_error *kml_schema_error_of(const struct kml_validation *v,
                                                   const xmlNode *pm);

/* ---- kml.c: the walk ---------------------------------------------------- */

/* What went wrong with a Placemark, and where: it is skipped with this. */
struct kml_problem {
    long line;
    char reason[240];
};

/* Fills *p with "line N: " and the message. */
void kml_problem(struct kml_problem *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct kml_walk {
    struct hp_kml_result *result;
    int placemarks;
    size_t total_vertices;
    size_t placemark_vertices;
    enum hp_kml_status status; /* HP_KML_OK until a document-wide failure */
    struct hp_kml_error *err;
    const struct kml_validation *validation;
};

/* ---- kml_geometry.c, kml_rule.c ----------------------------------------- */

/* The Placemark's geometry as a GeoJSON object; NULL with *p filled when
 * it is broken, or with w->status set when out of memory. */
cJSON *kml_geometry_read(struct kml_walk *w, const xmlNode *pm, struct kml_problem *p);

/* The rule fields of a Placemark's ExtendedData as a JSON object; NULL as
 * kml_geometry_read. */
cJSON *kml_rule_read(struct kml_walk *w, const xmlNode *pm, struct kml_problem *p);

#endif
