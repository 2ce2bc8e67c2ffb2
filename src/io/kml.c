/*
 * KML 2.2 import with libxml2. One parser context per call (errors are
 * collected through it, never through libxml2's global handlers), safe
 * options only (no entity substitution, no DTD loading, no network), and a
 * SAX hook that stops the parse at the first entity declaration: XXE and
 * entity-expansion bombs never get a chance to run.
 */
#include "haulpass/kml.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#define KML_NS "http://www.opengis.net/kml/2.2"

struct hp_kml_schema {
    xmlSchemaPtr schema;
};

/* ---- small helpers ------------------------------------------------------- */

static void set_err(struct hp_kml_error *err, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(struct hp_kml_error *err, long line, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies libxml2's message without its trailing newline and without the
 * "{http://www.opengis.net/kml/2.2}" in front of each element name. */
static void tidy_message(char *dst, size_t size, const char *src)
{
    size_t n = 0, nslen = strlen("{" KML_NS "}");
    if (!src)
        src = "unknown error";
    while (*src && n + 1 < size) {
        if (strncmp(src, "{" KML_NS "}", nslen) == 0) {
            src += nslen;
            continue;
        }
        dst[n++] = *src == '\n' ? ' ' : *src;
        src++;
    }
    while (n > 0 && is_space(dst[n - 1]))
        n--;
    dst[n] = '\0';
}

static bool is_kml(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, KML_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

/*
 * The line of an element's start tag. libxml2 keeps 16 bits of it in the
 * node; past 65534 the parse hook below keeps the whole number in _private.
 */
static long line_of(const xmlNode *n)
{
    if (!n)
        return 0;
    if (n->type == XML_ELEMENT_NODE && n->line == 65535 && n->_private)
        return (long)(uintptr_t)n->_private;
    return n->line;
}

/* Text of an element (CDATA included), trimmed; NULL when out of memory.
 * The caller frees it with free(). */
static char *trimmed_text(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s, *e;
    char *out;
    if (!raw)
        return strdup("");
    s = (const char *)raw;
    while (is_space(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_space(e[-1]))
        e--;
    out = strndup(s, (size_t)(e - s));
    xmlFree(raw);
    return out;
}

/* ---- global set-up and schema -------------------------------------------- */

void hp_kml_global_init(void)
{
    LIBXML_TEST_VERSION
    xmlInitParser();
}

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
    tidy_message(msg, sizeof msg, e->message);
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

/* ---- parsing XML safely -------------------------------------------------- */

struct xml_state {
    bool have_error;
    bool entity_declared;
    bool too_many_nodes;
    size_t nodes; /* elements and attributes so far */
    long line;
    char message[200];
};

/* The parser context is the SAX user data; its _private holds our state. */
static struct xml_state *state_of(void *ctx)
{
    xmlParserCtxtPtr ctxt = ctx;
    return ctxt ? ctxt->_private : NULL;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct xml_state *st = state_of(ctx);
    if (!st || st->have_error || !e || e->level < XML_ERR_ERROR)
        return;
    st->have_error = true;
    st->line = e->line;
    tidy_message(st->message, sizeof st->message, e->message);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_state *st = state_of(ctx);
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    if (st && !st->entity_declared) {
        st->entity_declared = true;
        st->have_error = true;
        st->line = ctxt->input ? ctxt->input->line : 0;
        snprintf(st->message, sizeof st->message,
                 "the document declares the entity \"%.40s\"; KML with entity declarations "
                 "is not accepted",
                 name ? (const char *)name : "");
    }
    xmlStopParser(ctxt);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
                                    const xmlChar *system_id, const xmlChar *notation)
{
    (void)notation;
    on_entity_decl(ctx, name, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY, public_id, system_id, NULL);
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_state *st = state_of(ctx);

    /* The tree costs ~35 times the text for tiny elements: bound it. */
    if (st && (st->nodes += 1 + (size_t)nb_attributes) > HP_KML_MAX_NODES) {
        st->too_many_nodes = true;
        st->line = ctxt->input ? ctxt->input->line : 0;
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    if (ctxt->node && ctxt->node->line == 65535 && ctxt->input && ctxt->input->line > 0)
        ctxt->node->_private = (void *)(uintptr_t)ctxt->input->line;
}

/* Never resolve anything outside the document. */
static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *public_id,
                                           const xmlChar *system_id)
{
    (void)ctx;
    (void)public_id;
    (void)system_id;
    return NULL;
}

static xmlEntityPtr on_get_parameter_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

/* Parses `data` into a tree, or returns NULL with *status and *err set. */
static xmlDocPtr read_xml(const char *data, size_t len, enum hp_kml_status *status,
                          struct hp_kml_error *err)
{
    /* No NOENT (entity substitution), DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE. */
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                        XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    struct xml_state st = {0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;

    if (!ctxt) {
        *status = HP_KML_NO_MEMORY;
        set_err(err, 0, "out of memory");
        return NULL;
    }
    ctxt->_private = &st;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
    ctxt->sax->resolveEntity = on_resolve_entity;
    ctxt->sax->getParameterEntity = on_get_parameter_entity;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->startElementNs = on_start_element;
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, options);
    if (st.too_many_nodes) {
        *status = HP_KML_TOO_LARGE;
        set_err(err, st.line, "the document holds more than %d elements and attributes (line %ld)",
                HP_KML_MAX_NODES, st.line);
        goto fail;
    }
    if (st.entity_declared) {
        *status = HP_KML_MALFORMED;
        set_err(err, st.line, "refused at line %ld: %s", st.line, st.message);
        goto fail;
    }
    if (!doc || !ctxt->wellFormed || !ctxt->nsWellFormed || st.have_error) {
        *status = HP_KML_MALFORMED;
        if (st.have_error)
            set_err(err, st.line, "malformed XML at line %ld: %s", st.line, st.message);
        else
            set_err(err, 0, "malformed XML");
        goto fail;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
fail:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return NULL;
}

/* A root without namespace: read every element without one as KML 2.2. */
static void adopt_kml_namespace(xmlNodePtr n, xmlNsPtr ns)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!n->ns)
            n->ns = ns;
        adopt_kml_namespace(n->children, ns);
    }
}

/* ---- schema errors, mapped to Placemarks --------------------------------- */

struct schema_error {
    const xmlNode *placemark; /* NULL: outside every Placemark */
    size_t seq;               /* order of report */
    long line;
    char message[200];
};

struct validation {
    struct schema_error *errors; /* the first of each Placemark, sorted by node when done */
    size_t nerrors, cap;
    bool have_doc_error; /* outside every Placemark */
    struct schema_error doc_error;
    bool no_memory;
};

static xmlNodePtr enclosing_placemark(xmlNodePtr n)
{
    for (; n; n = n->parent)
        if (is_kml(n, "Placemark"))
            return n;
    return NULL;
}

static void on_schema_error(void *data, xmlErrorPtr e)
{
    struct validation *v = data;
    xmlNodePtr node, pm;
    struct schema_error *se;

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
            struct schema_error *ne = realloc(v->errors, cap * sizeof *ne);
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
    se->line = node ? line_of(node) : e->line;
    if (se->line <= 0)
        se->line = e->line;
    tidy_message(se->message, sizeof se->message, e->message);
}

static int compare_errors(const void *a, const void *b)
{
    const struct schema_error *x = a, *y = b;
    uintptr_t px = (uintptr_t)x->placemark, py = (uintptr_t)y->placemark;
    if (px != py)
        return px < py ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first schema error inside Placemark `pm`, or NULL. */
static const struct schema_error *schema_error_of(const struct validation *v, const xmlNode *pm)
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

/* ---- coordinates --------------------------------------------------------- */

/* xs:double without INF/NaN: [+-]?(digits(.digits?)?|.digits)([eE][+-]?digits)? */
static bool parse_number(const char *s, size_t n, double *out)
{
    char buf[64];
    size_t i = 0, digits = 0;
    char *end;

    if (n == 0 || n >= sizeof buf)
        return false;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, exp++;
        if (exp == 0)
            return false;
    }
    if (i != n)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, &end); /* the "C" numeric locale is assumed */
    return *end == '\0' && isfinite(*out);
}

struct walk; /* below */

/* What went wrong with a Placemark, and where. */
struct problem {
    long line;
    char reason[240];
};

static void problem(struct problem *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct problem *p, long line, const char *fmt, ...)
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

struct walk {
    struct hp_kml_result *result;
    int placemarks;
    size_t total_vertices;
    size_t placemark_vertices;
    enum hp_kml_status status; /* HP_KML_OK until a document-wide failure */
    struct hp_kml_error *err;
    const struct validation *validation;
};

/*
 * Reads the <coordinates> of a LinearRing as a GeoJSON ring (array of
 * [lon, lat]). Returns NULL and fills *p when they are broken; sets
 * w->status when out of memory.
 */
static cJSON *read_coordinates(struct walk *w, const xmlNode *coords, const char *which,
                               struct problem *p)
{
    long line0 = line_of(coords), line = line0;
    xmlChar *raw = xmlNodeGetContent(coords);
    const char *s = raw ? (const char *)raw : "";
    cJSON *ring = cJSON_CreateArray();
    size_t npos = 0;
    double first[2] = {0, 0}, last[2] = {0, 0};

    if (!ring || !raw) {
        w->status = HP_KML_NO_MEMORY;
        goto fail;
    }
    for (;;) {
        const char *tok, *field;
        double v[3];
        int nv = 0;
        cJSON *pos;

        while (is_space(*s)) {
            if (*s == '\n')
                line++;
            s++;
        }
        if (!*s)
            break;
        tok = s;
        while (*s && !is_space(*s))
            s++;
        /* split "lon,lat[,alt]" at commas */
        field = tok;
        for (;;) {
            const char *comma = memchr(field, ',', (size_t)(s - field));
            const char *fend = comma ? comma : s;
            if (nv == 3 || !parse_number(field, (size_t)(fend - field), &v[nv])) {
                nv = -1;
                break;
            }
            nv++;
            if (!comma)
                break;
            field = comma + 1;
        }
        if (nv < 2) {
            problem(p, line, "%s: \"%.*s%s\" is not \"longitude,latitude\" or "
                             "\"longitude,latitude,altitude\" (finite numbers, no spaces)",
                    which, (int)(s - tok > 40 ? 40 : s - tok), tok, s - tok > 40 ? "..." : "");
            goto fail;
        }
        if (++w->placemark_vertices > HP_KML_MAX_PLACEMARK_VERTICES) {
            problem(p, line, "the Placemark has more than %d positions", HP_KML_MAX_PLACEMARK_VERTICES);
            goto fail;
        }
        if (npos == 0) {
            first[0] = v[0];
            first[1] = v[1];
        }
        last[0] = v[0];
        last[1] = v[1];
        pos = cJSON_CreateDoubleArray(v, 2); /* the altitude, v[2], is dropped */
        if (!pos) {
            w->status = HP_KML_NO_MEMORY;
            goto fail;
        }
        cJSON_AddItemToArray(ring, pos);
        npos++;
    }
    if (npos < 4) {
        problem(p, line0, "%s has %zu positions; a ring needs at least 4, the last repeating the first",
                which, npos);
        goto fail;
    }
    if (first[0] != last[0] || first[1] != last[1]) {
        problem(p, line0, "%s is not closed: its last position (%.15g,%.15g) must repeat its first "
                          "(%.15g,%.15g)",
                which, last[0], last[1], first[0], first[1]);
        goto fail;
    }
    xmlFree(raw);
    return ring;
fail:
    xmlFree(raw);
    cJSON_Delete(ring);
    return NULL;
}

/* The only KML child element called `name` of `parent`; NULL and *count. */
static xmlNodePtr only_child(const xmlNode *parent, const char *name, int *count)
{
    xmlNodePtr found = NULL;
    *count = 0;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (is_kml(c, name) && (*count)++ == 0)
            found = c;
    return found;
}

/* A LinearRing element -> GeoJSON ring. */
static cJSON *read_ring(struct walk *w, const xmlNode *ring, const char *which, struct problem *p)
{
    int n;
    xmlNodePtr coords = only_child(ring, "coordinates", &n);
    if (n != 1) {
        problem(p, line_of(ring), "the LinearRing of the %s has %s <coordinates>", which,
                n == 0 ? "no" : "more than one");
        return NULL;
    }
    return read_coordinates(w, coords, which, p);
}

/* A Polygon element -> GeoJSON Polygon coordinates (array of rings). */
static cJSON *read_polygon(struct walk *w, const xmlNode *poly, struct problem *p)
{
    cJSON *rings = cJSON_CreateArray(), *ring;
    int nouter, nrings, nholes = 0;
    xmlNodePtr outer = only_child(poly, "outerBoundaryIs", &nouter), lr;

    if (!rings) {
        w->status = HP_KML_NO_MEMORY;
        return NULL;
    }
    if (nouter != 1) {
        problem(p, line_of(poly), "the Polygon has %s <outerBoundaryIs>",
                nouter == 0 ? "no" : "more than one");
        goto fail;
    }
    lr = only_child(outer, "LinearRing", &nrings);
    if (nrings != 1) {
        problem(p, line_of(outer), "<outerBoundaryIs> holds %s LinearRing",
                nrings == 0 ? "no" : "more than one");
        goto fail;
    }
    ring = read_ring(w, lr, "outer boundary", p);
    if (!ring)
        goto fail;
    cJSON_AddItemToArray(rings, ring);
    for (xmlNodePtr inner = poly->children; inner; inner = inner->next) {
        if (!is_kml(inner, "innerBoundaryIs"))
            continue;
        nrings = 0;
        /* Several LinearRings in one innerBoundaryIs: each is a hole. */
        for (lr = inner->children; lr; lr = lr->next) {
            char which[48];
            if (!is_kml(lr, "LinearRing"))
                continue;
            nrings++;
            snprintf(which, sizeof which, "inner boundary %d", ++nholes);
            ring = read_ring(w, lr, which, p);
            if (!ring)
                goto fail;
            cJSON_AddItemToArray(rings, ring);
        }
        if (nrings == 0) {
            problem(p, line_of(inner), "<innerBoundaryIs> holds no LinearRing");
            goto fail;
        }
    }
    return rings;
fail:
    cJSON_Delete(rings);
    return NULL;
}

static bool is_geometry(const xmlNode *n)
{
    static const char *const kml_geometries[] = {"Point", "LineString", "LinearRing", "Polygon",
                                                 "MultiGeometry", "Model"};
    if (!n || n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href)
        return false;
    if (strcmp((const char *)n->ns->href, KML_NS) == 0) {
        for (size_t i = 0; i < sizeof kml_geometries / sizeof *kml_geometries; i++)
            if (strcmp((const char *)n->name, kml_geometries[i]) == 0)
                return true;
        return false;
    }
    return strcmp((const char *)n->ns->href, "http://www.google.com/kml/ext/2.2") == 0 &&
           (strcmp((const char *)n->name, "Track") == 0 ||
            strcmp((const char *)n->name, "MultiTrack") == 0);
}

/* Adds the Polygons of a MultiGeometry (nested ones flattened) to `polys`. */
static bool read_multigeometry(struct walk *w, const xmlNode *mg, cJSON *polys, int depth,
                               struct problem *p)
{
    for (xmlNodePtr c = mg->children; c; c = c->next) {
        if (!is_geometry(c))
            continue;
        if (is_kml(c, "Polygon")) {
            cJSON *rings = read_polygon(w, c, p);
            if (!rings)
                return false;
            cJSON_AddItemToArray(polys, rings);
        } else if (is_kml(c, "MultiGeometry") && depth < 32) {
            if (!read_multigeometry(w, c, polys, depth + 1, p))
                return false;
        } else {
            problem(p, line_of(c), "the MultiGeometry holds a %s; only Polygons can be imported",
                    (const char *)c->name);
            return false;
        }
    }
    return true;
}

/* The Placemark's geometry as a GeoJSON object, or NULL with *p filled. */
static cJSON *read_geometry(struct walk *w, const xmlNode *pm, struct problem *p)
{
    xmlNodePtr geom = NULL;
    int ngeom = 0;
    cJSON *obj = NULL, *coords = NULL;
    const char *type;

    for (xmlNodePtr c = pm->children; c; c = c->next)
        if (is_geometry(c) && ngeom++ == 0)
            geom = c;
    if (ngeom == 0) {
        problem(p, line_of(pm), "the Placemark has no geometry; a Polygon or a MultiGeometry "
                                     "of Polygons is needed");
        return NULL;
    }
    if (ngeom > 1) {
        problem(p, line_of(pm), "the Placemark has more than one geometry");
        return NULL;
    }
    if (is_kml(geom, "Polygon")) {
        type = "Polygon";
        coords = read_polygon(w, geom, p);
    } else if (is_kml(geom, "MultiGeometry")) {
        type = "MultiPolygon";
        coords = cJSON_CreateArray();
        if (!coords) {
            w->status = HP_KML_NO_MEMORY;
            return NULL;
        }
        if (!read_multigeometry(w, geom, coords, 0, p)) {
            cJSON_Delete(coords);
            return NULL;
        }
        if (cJSON_GetArraySize(coords) == 0) {
            problem(p, line_of(geom), "the MultiGeometry holds no Polygon");
            cJSON_Delete(coords);
            return NULL;
        }
    } else {
        problem(p, line_of(geom), "the geometry is a %s; only a Polygon or a MultiGeometry of "
                                       "Polygons can be imported",
                (const char *)geom->name);
        return NULL;
    }
    if (!coords)
        return NULL;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "type", type)) {
        w->status = HP_KML_NO_MEMORY;
        cJSON_Delete(obj);
        cJSON_Delete(coords);
        return NULL;
    }
    cJSON_AddItemToObject(obj, "coordinates", coords);
    return obj;
}

/* ---- ExtendedData -------------------------------------------------------- */

enum field_kind { FIELD_LIST, FIELD_WEIGHT, FIELD_TEXT };

static const struct {
    const char *name;
    enum field_kind kind;
} rule_fields[] = {
    {"vehicle_classes", FIELD_LIST},  {"exempt_classes", FIELD_LIST},
    {"min_gross_weight_kg", FIELD_WEIGHT}, {"hours", FIELD_TEXT},
    {"liftable_by", FIELD_LIST},
};

/* "a, b,,c " -> ["a","b","c"] */
static cJSON *split_list(const char *s)
{
    cJSON *arr = cJSON_CreateArray();
    while (arr && *s) {
        const char *e = strchr(s, ','), *end = e ? e : s + strlen(s), *b = s;
        while (b < end && is_space(*b))
            b++;
        while (end > b && is_space(end[-1]))
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
    for (size_t i = 0; i < sizeof rule_fields / sizeof *rule_fields; i++) {
        const char *f = rule_fields[i].name;
        size_t shorter = n < strlen(f) ? n : strlen(f);
        if (distance(norm, f) <= 2 || (shorter >= 4 && strncmp(norm, f, shorter) == 0))
            return f; /* a slip, or the field cut short or run on */
    }
    return NULL;
}

/* Adds one field to `rule`. Returns false with *p filled, or with w->status set. */
static bool add_field(struct walk *w, cJSON *rule, const xmlNode *at, const char *name,
                      const char *value, struct problem *p)
{
    size_t i;
    cJSON *item = NULL;

    for (i = 0; i < sizeof rule_fields / sizeof *rule_fields; i++)
        if (strcmp(name, rule_fields[i].name) == 0)
            break;
    if (i == sizeof rule_fields / sizeof *rule_fields) {
        const char *meant = misspelt_rule_field(name);
        if (meant) {
            problem(p, line_of(at), "ExtendedData field \"%.40s\" is not a rule field; "
                                    "\"%s\" was perhaps meant", name, meant);
            return false;
        }
        return true; /* another tool's field */
    }
    if (cJSON_GetObjectItemCaseSensitive(rule, name)) {
        problem(p, line_of(at), "ExtendedData gives \"%s\" more than once", name);
        return false;
    }
    switch (rule_fields[i].kind) {
    case FIELD_LIST:
        item = split_list(value);
        break;
    case FIELD_TEXT:
        item = *value ? cJSON_CreateString(value) : cJSON_CreateNull();
        break;
    case FIELD_WEIGHT: {
        size_t n = strspn(value, "0123456789");
        if (!*value) {
            item = cJSON_CreateNull();
        } else if (value[n] != '\0' || n > 12) {
            problem(p, line_of(at), "min_gross_weight_kg \"%.40s\" is not a whole number of "
                                         "kilograms",
                    value);
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
static bool read_field(struct walk *w, cJSON *rule, const xmlNode *n, const xmlNode *value_node,
                       struct problem *p)
{
    xmlChar *name = xmlGetNoNsProp(n, (const xmlChar *)"name");
    char *value = NULL;
    bool ok;

    if (!name) {
        problem(p, line_of(n), "<%s> has no name attribute", (const char *)n->name);
        return false;
    }
    value = value_node ? trimmed_text(value_node) : strdup("");
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
static cJSON *read_rule(struct walk *w, const xmlNode *pm, struct problem *p)
{
    cJSON *rule = cJSON_CreateObject();
    if (!rule) {
        w->status = HP_KML_NO_MEMORY;
        return NULL;
    }
    for (xmlNodePtr ed = pm->children; ed; ed = ed->next) {
        if (!is_kml(ed, "ExtendedData"))
            continue;
        for (xmlNodePtr d = ed->children; d; d = d->next) {
            if (is_kml(d, "Data")) {
                int n;
                xmlNodePtr value = only_child(d, "value", &n);
                if (n > 1) {
                    problem(p, line_of(d), "<Data> has more than one <value>");
                    goto fail;
                }
                if (!read_field(w, rule, d, value, p))
                    goto fail;
            } else if (is_kml(d, "SchemaData")) {
                for (xmlNodePtr sd = d->children; sd; sd = sd->next)
                    if (is_kml(sd, "SimpleData") && !read_field(w, rule, sd, sd, p))
                        goto fail;
            }
        }
    }
    return rule;
fail:
    cJSON_Delete(rule);
    return NULL;
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

static void add_skip(struct walk *w, int index, char *name, const struct problem *p)
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

static void read_placemark(struct walk *w, xmlNodePtr pm)
{
    int index = ++w->placemarks, nnames;
    long line = line_of(pm);
    xmlNodePtr name_node = only_child(pm, "name", &nnames);
    char *name = NULL;
    cJSON *geometry = NULL, *rule = NULL;
    struct problem p = {0};
    const struct schema_error *se;
    struct hp_kml_zone *z;

    if (index > HP_KML_MAX_PLACEMARKS) {
        w->status = HP_KML_TOO_LARGE;
        set_err(w->err, line, "the document holds more than %d Placemarks", HP_KML_MAX_PLACEMARKS);
        return;
    }
    if (name_node) {
        name = trimmed_text(name_node);
        if (!name) {
            w->status = HP_KML_NO_MEMORY;
            return;
        }
        if (!*name) {
            free(name);
            name = NULL;
        }
    }
    se = schema_error_of(w->validation, pm);
    if (se) {
        problem(&p, se->line, "%s", se->message);
        goto skip;
    }
    w->placemark_vertices = 0;
    geometry = read_geometry(w, pm, &p);
    if (!geometry)
        goto skip;
    if (!name) {
        problem(&p, line, "the Placemark has no <name>; a zone needs one");
        goto skip;
    }
    rule = read_rule(w, pm, &p);
    if (!rule)
        goto skip;
    w->total_vertices += w->placemark_vertices;
    if (w->total_vertices > HP_KML_MAX_TOTAL_VERTICES) {
        w->status = HP_KML_TOO_LARGE;
        set_err(w->err, line, "the document holds more than %d positions in all",
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
static void walk_features(struct walk *w, xmlNodePtr parent)
{
    for (xmlNodePtr c = parent->children; c && w->status == HP_KML_OK; c = c->next) {
        if (is_kml(c, "Placemark"))
            read_placemark(w, c);
        else if (is_kml(c, "Document") || is_kml(c, "Folder"))
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
    struct validation v = {0};
    struct walk w = {0};
    xmlDocPtr doc = NULL;
    xmlNodePtr root;

    if (err) {
        err->line = 0;
        err->message[0] = '\0';
    }
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0)) {
        set_err(err, 0, "no output given");
        return HP_KML_NO_MEMORY;
    }
    if (len > HP_KML_MAX_BYTES) {
        set_err(err, 0, "the document is larger than %u bytes", HP_KML_MAX_BYTES);
        return HP_KML_TOO_LARGE;
    }
    if (len == 0) {
        set_err(err, 0, "malformed XML at line 1: the document is empty");
        return HP_KML_MALFORMED;
    }
    doc = read_xml(data, len, &status, err);
    if (!doc)
        return status;

    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "kml") != 0 ||
        (root->ns && (!root->ns->href || strcmp((const char *)root->ns->href, KML_NS) != 0))) {
        status = HP_KML_NOT_KML;
        set_err(err, root ? line_of(root) : 0,
                "not a KML 2.2 document: the root element is <%.40s>%s%.80s%s; expected <kml "
                "xmlns=\"" KML_NS "\">",
                root ? (const char *)root->name : "", root && root->ns ? " in namespace \"" : "",
                root && root->ns && root->ns->href ? (const char *)root->ns->href : "",
                root && root->ns ? "\"" : "");
        goto done;
    }
    if (!root->ns) {
        xmlNsPtr ns = xmlNewNs(root, (const xmlChar *)KML_NS, NULL);
        if (!ns) {
            status = HP_KML_NO_MEMORY;
            set_err(err, 0, "out of memory");
            goto done;
        }
        root->ns = ns;
        adopt_kml_namespace(root->children, ns);
    }

    if (schema) {
        xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema->schema);
        int rc;
        if (!vctxt) {
            status = HP_KML_NO_MEMORY;
            set_err(err, 0, "out of memory");
            goto done;
        }
        xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, &v);
        rc = xmlSchemaValidateDoc(vctxt, doc);
        xmlSchemaFreeValidCtxt(vctxt);
        if (v.no_memory) {
            status = HP_KML_NO_MEMORY;
            set_err(err, 0, "out of memory");
            goto done;
        }
        if (v.have_doc_error) {
            status = HP_KML_INVALID;
            set_err(err, v.doc_error.line, "the document does not follow the KML subset at line %ld: %s",
                    v.doc_error.line, v.doc_error.message);
            goto done;
        }
        if (v.nerrors > 1)
            qsort(v.errors, v.nerrors, sizeof *v.errors, compare_errors);
        if (rc < 0) {
            status = HP_KML_INVALID;
            set_err(err, 0, "the document could not be validated against the KML subset");
            goto done;
        }
    }

    w.result = calloc(1, sizeof *w.result);
    if (!w.result) {
        status = HP_KML_NO_MEMORY;
        set_err(err, 0, "out of memory");
        goto done;
    }
    w.err = err;
    w.validation = &v;
    walk_features(&w, root);
    status = w.status;
    if (status == HP_KML_NO_MEMORY)
        set_err(err, 0, "out of memory");
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
