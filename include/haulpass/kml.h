/*
 * KML 2.2 import: zone candidates from the Placemarks of a KML document.
 *
 * Each Placemark with a Polygon, or a MultiGeometry of Polygons, becomes a
 * candidate: its <name>, its geometry as the GeoJSON a client would send
 * (Polygon, or MultiPolygon for a MultiGeometry; 2D, altitudes dropped) and
 * its rule fields from ExtendedData. Any other Placemark is skipped with a
 * reason, and never stops the others. The geometry is not validated here:
 * the zone-creation path runs hp_geojson_to_geos on each candidate, exactly
 * as for a JSON request (ranges, GEOS validity).
 *
 * Placemarks are read where KML puts them: in <kml>, <Document> and <Folder>,
 * nested to any depth; those inside other elements are ignored.
 *
 * Namespaces: elements in the KML 2.2 namespace (http://www.opengis.net/kml/2.2,
 * as default namespace or with any prefix) are read. A document whose root
 * <kml> has no namespace at all is read as KML 2.2 too. Anything else (other
 * namespaces such as gx: or atom:, unknown elements such as Style or LookAt)
 * is ignored.
 *
 * Security: no external entity, DTD or network is ever loaded; a document
 * that declares an entity (<!ENTITY ...>) is refused at once, which stops
 * both XXE and "billion laughs" expansion.
 *
 * Threads: hp_kml_parse may run in many threads at once, sharing one
 * compiled schema. Call hp_kml_global_init (or hp_kml_schema_new) once from
 * the main thread before starting threads.
 */
#ifndef HAULPASS_KML_H
#define HAULPASS_KML_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define HP_KML_MAX_BYTES (16u * 1024u * 1024u)     /* largest document accepted */
#define HP_KML_MAX_PLACEMARKS 10000                 /* per document */
#define HP_KML_MAX_PLACEMARK_VERTICES 100000        /* = HP_GEOJSON_MAX_VERTICES */
#define HP_KML_MAX_TOTAL_VERTICES 500000            /* over all candidates */
#define HP_KML_MAX_NODES 1000000                    /* elements + attributes */

enum hp_kml_status {
    HP_KML_OK = 0,
    HP_KML_MALFORMED,     /* not well-formed XML, or declares entities: answer 400 */
    HP_KML_NOT_KML,       /* well-formed, but the root is not <kml> of KML 2.2: 422 */
    HP_KML_INVALID,       /* breaks kml-subset.xsd outside any Placemark: 422 */
    HP_KML_TOO_LARGE,     /* over one of the HP_KML_MAX_* limits: 413 */
    HP_KML_NO_MEMORY,     /* 500 */
};

/* Why a whole document was refused. `line` is 0 when unknown. */
struct hp_kml_error {
    long line;
    char message[256]; /* e.g. "malformed XML at line 12: Opening and ending tag mismatch: ..." */
};

/*
 * A Placemark that can become a zone. `rule` is a JSON object holding only the
 * ExtendedData fields present (Data/value or SchemaData/SimpleData):
 * "vehicle_classes", "exempt_classes", "liftable_by" as arrays of strings
 * (split at commas, trimmed, empty items dropped), "min_gross_weight_kg" as a
 * number (null when empty) and "hours" as a string (null when empty). Values
 * are not checked against the rule schema here: the zone-creation path does
 * that, as for JSON. Unknown field names are ignored.
 */
struct hp_kml_zone {
    int index;       /* 1-based, in document order, among the Placemarks read */
    long line;       /* line of the <Placemark> */
    char *name;      /* UTF-8, trimmed, never NULL or empty */
    cJSON *geometry; /* {"type": "Polygon"|"MultiPolygon", "coordinates": ...} */
    cJSON *rule;     /* never NULL; {} when there is no ExtendedData */
};

/* A Placemark that was skipped. The API answers {placemark: name or index, reason}. */
struct hp_kml_skip {
    int index;    /* 1-based, in document order, among the Placemarks read */
    long line;    /* line of the problem (or of the <Placemark>) */
    char *name;   /* NULL when the Placemark has no <name> */
    char *reason; /* e.g. "line 14: outer boundary is not closed: ..." */
};

/* Candidates and skips, each in document order. */
struct hp_kml_result {
    struct hp_kml_zone *zones;
    size_t nzones;
    struct hp_kml_skip *skipped;
    size_t nskipped;
};

/* An XSD compiled once, then shared read-only by every thread. */
struct hp_kml_schema;

/* Initialises libxml2. Call once from the main thread before threads start. */
void hp_kml_global_init(void);

/*
 * Compiles an XSD given as text (schemas/kml-subset.xsd, embedded in the
 * binary), without reading any file or the network. Returns a schema the
 * caller frees with hp_kml_schema_free, or NULL with a message in
 * errbuf[errlen] (errbuf may be NULL).
 */
struct hp_kml_schema *hp_kml_schema_new(const char *xsd, size_t len, char *errbuf, size_t errlen);

/* Frees a schema; every hp_kml_parse using it must have returned. Accepts NULL. */
void hp_kml_schema_free(struct hp_kml_schema *schema);

/*
 * Parses a KML document of `len` bytes (at most HP_KML_MAX_BYTES) and, when
 * `schema` is not NULL, validates it. A schema error inside a Placemark skips
 * that Placemark; one outside any Placemark refuses the document.
 * Returns HP_KML_OK and sets *out to a result the caller frees with
 * hp_kml_result_free; otherwise *out is NULL and *err (may be NULL) says why.
 */
enum hp_kml_status hp_kml_parse(const char *data, size_t len, const struct hp_kml_schema *schema,
                                struct hp_kml_result **out, struct hp_kml_error *err);

/* Frees a result and everything in it. Accepts NULL. */
void hp_kml_result_free(struct hp_kml_result *result);

#endif
