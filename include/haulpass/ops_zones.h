/*
 * Zone writes shared by the handlers (src/api/zones.c, zones_import.c) and
 * the command line (src/cli/import_kml.c): create, replace and retire a
 * checked zone (zone_input.h), each audited with the zone as the API shows
 * it, and the KML import. These answer outcomes, never HTTP statuses: the
 * handlers map them to replies, the command line to messages.
 */
#ifndef HAULPASS_OPS_ZONES_H
#define HAULPASS_OPS_ZONES_H

#include "haulpass/db.h"
#include "haulpass/zones.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct hp_zone_input;
typedef struct GEOSContextHandle_HS *GEOSContextHandle_t;

/* The zone as the API shows it and the audit trail keeps it; NULL when
 * its stored geometry cannot be read. The caller frees it (cJSON_Delete). */
cJSON *hp_ops_zone_json(GEOSContextHandle_t geos, const struct hp_zone_row *z);

enum hp_zone_outcome {
    HP_ZONE_DONE,
    HP_ZONE_MISSING,    /* replace, retire: no zone has the id */
    HP_ZONE_RETIRED,    /* replace, retire: a retired zone does not change */
    HP_ZONE_STALE,      /* replace, retire: not at the expected version */
    HP_ZONE_NO_WKB,     /* the geometry could not be written as WKB: nothing written */
};

/* What a write stored: the row, and its JSON (hp_ops_zone_json; NULL when
 * it cannot be read back), which the caller frees. */
struct hp_zone_written {
    struct hp_zone_row row;
    cJSON *json;
};

/* Creates the zone of in inside the caller's transaction, audited as by
 * actor (NULL: no user). On failure out->json is NULL. */
enum hp_db_status hp_ops_zone_insert(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const struct hp_zone_input *in,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out);

/* hp_ops_zone_insert in a transaction of its own (hp_db_tx). */
enum hp_db_status hp_ops_zone_create(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const struct hp_zone_input *in,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out);

/* Writes in as the next version of live zone id, or retires it (in NULL),
 * in a transaction of its own, when it is at expected_version (0: any; a
 * negative one matches none). out->json is set on HP_ZONE_DONE only. */
enum hp_db_status hp_ops_zone_replace(struct hp_db *db, struct hp_arena *arena,
                                      GEOSContextHandle_t geos, const char *actor,
                                      const char *id, int expected_version,
                                      const struct hp_zone_input *in,
                                      enum hp_zone_outcome *outcome,
                                      struct hp_zone_written *out);
enum hp_db_status hp_ops_zone_retire(struct hp_db *db, struct hp_arena *arena,
                                     GEOSContextHandle_t geos, const char *actor,
                                     const char *id, int expected_version, const char *reason,
                                     enum hp_zone_outcome *outcome, struct hp_zone_written *out);

enum hp_zones_import_outcome {
    HP_ZONES_IMPORT_DONE,
    HP_ZONES_IMPORT_MALFORMED,   /* not well-formed XML */
    HP_ZONES_IMPORT_TOO_LARGE,   /* over HP_KML_MAX_BYTES, or too deep or many */
    HP_ZONES_IMPORT_NOT_KML,     /* XML, but not the KML subset */
    HP_ZONES_IMPORT_NO_MEMORY,
    HP_ZONES_IMPORT_UNAVAILABLE, /* the database cannot be reached */
    HP_ZONES_IMPORT_DB_FAILED,   /* the database refused: detail says why */
};

/*
 * Makes a zone of each placemark of the KML document data, through the
 * checks of a JSON zone; a placemark that cannot become one is skipped
 * with its reason, and all that can are created in one transaction, so a
 * failure midway creates none. On HP_ZONES_IMPORT_DONE *answer is
 * {created, skipped, dry_run[, would_create]} (the caller frees it); else
 * detail says what went wrong. A dry run creates nothing; db may then be
 * NULL.
 */
enum hp_zones_import_outcome hp_ops_zones_import_kml(struct hp_db *db, struct hp_arena *arena,
                                                     const char *actor, const char *data,
                                                     size_t len, bool dry_run, cJSON **answer,
                                                     char *detail, size_t detail_len);

#endif
