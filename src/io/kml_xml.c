/*
 * Parsing untrusted XML with libxml2. One parser context per call (errors are
 * collected through it, never through libxml2's global handlers), safe
 * options only (no entity substitution, no DTD loading, no network), and a
 * SAX hook that stops the parse at the first entity declaration: XXE and
 * entity-expansion bombs never get a chance to run. The tree is bounded too
 * (HP_KML_MAX_NODES). Also the small readers of its nodes the other files
 * share.
 */
#include "kml_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

void kml_set_err(struct hp_kml_error *err, long line, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

bool kml_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies libxml2's message without its trailing newline and without the
 * "{http://www.opengis.net/kml/2.2}" in front of each element name. */
void kml_tidy_message(char *dst, size_t size, const char *src)
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
    while (n > 0 && kml_is_space(dst[n - 1]))
        n--;
    dst[n] = '\0';
}

bool kml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, KML_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

/*
 * The line of an element's start tag. libxml2 keeps 16 bits of it in the
 * node; past 65534 the parse hook below keeps the whole number in _private.
 */
long kml_line_of(const xmlNode *n)
{
    if (!n)
        return 0;
    if (n->type == XML_ELEMENT_NODE && n->line == 65535 && n->_private)
        return (long)(uintptr_t)n->_private;
    return n->line;
}

/* Text of an element (CDATA included), trimmed; NULL when out of memory.
 * The caller frees it with free(). */
char *kml_trimmed_text(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s, *e;
    char *out;
    if (!raw)
        return strdup("");
    s = (const char *)raw;
    while (kml_is_space(*s))
        s++;
    e = s + strlen(s);
    while (e > s && kml_is_space(e[-1]))
        e--;
    out = strndup(s, (size_t)(e - s));
    xmlFree(raw);
    return out;
}

/* The only KML child element called `name` of `parent`; NULL and *count. */
xmlNodePtr kml_only_child(const xmlNode *parent, const char *name, int *count)
{
    xmlNodePtr found = NULL;
    *count = 0;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (kml_is(c, name) && (*count)++ == 0)
            found = c;
    return found;
}

void hp_kml_global_init(void)
{
    LIBXML_TEST_VERSION
    xmlInitParser();
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
    kml_tidy_message(st->message, sizeof st->message, e->message);
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
        kml_set_err(err, 0, "out of memory");
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
        kml_set_err(err, st.line, "the document holds more than %d elements and attributes (line %ld)",
                HP_KML_MAX_NODES, st.line);
        goto fail;
    }
    if (st.entity_declared) {
        *status = HP_KML_MALFORMED;
        kml_set_err(err, st.line, "refused at line %ld: %s", st.line, st.message);
        goto fail;
    }
    if (!doc || !ctxt->wellFormed || !ctxt->nsWellFormed || st.have_error) {
        *status = HP_KML_MALFORMED;
        if (st.have_error)
            kml_set_err(err, st.line, "malformed XML at line %ld: %s", st.line, st.message);
        else
            kml_set_err(err, 0, "malformed XML");
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


xmlDocPtr kml_xml_read(const char *data, size_t len, xmlNodePtr *root,
                       enum hp_kml_status *status, struct hp_kml_error *err)
{
    xmlDocPtr doc = read_xml(data, len, status, err);
    xmlNodePtr r;

    if (!doc)
        return NULL;
    r = xmlDocGetRootElement(doc);
    if (!r || strcmp((const char *)r->name, "kml") != 0 ||
        (r->ns && (!r->ns->href || strcmp((const char *)r->ns->href, KML_NS) != 0))) {
        *status = HP_KML_NOT_KML;
        kml_set_err(err, r ? kml_line_of(r) : 0,
                    "not a KML 2.2 document: the root element is <%.40s>%s%.80s%s; expected <kml "
                    "xmlns=\"" KML_NS "\">",
                    r ? (const char *)r->name : "", r && r->ns ? " in namespace \"" : "",
                    r && r->ns && r->ns->href ? (const char *)r->ns->href : "",
                    r && r->ns ? "\"" : "");
        goto fail;
    }
    if (!r->ns) {
        xmlNsPtr ns = xmlNewNs(r, (const xmlChar *)KML_NS, NULL);
        if (!ns) {
            *status = HP_KML_NO_MEMORY;
            kml_set_err(err, 0, "out of memory");
            goto fail;
        }
        r->ns = ns;
        adopt_kml_namespace(r->children, ns);
    }
    *root = r;
    return doc;
fail:
    xmlFreeDoc(doc);
    return NULL;
}
