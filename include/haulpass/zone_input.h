/*
 * A zone as a client writes it ({name, geometry, rules}), read and checked:
 * the geometry by GEOS, each rule's fields, its hours compiled by the
 * opening_hours module. Shared by POST/PUT /v1/zones and the KML import.
 */
#ifndef HAULPASS_ZONE_INPUT_H
#define HAULPASS_ZONE_INPUT_H

#include "haulpass/json_body.h"

#include <geos_c.h>
#include <stdbool.h>

#define HP_ZONE_MAX_RULES 50

struct hp_zone_input {
    const char *name;        /* points into the body */
    GEOSGeometry *geom;      /* valid MultiPolygon; the caller destroys it */
    bool sent_as_polygon;
    cJSON *rules;            /* the rules as stored, ids given; cJSON_Delete */
};

/*
 * Reads body into out. existing_rules (may be NULL) are the zone's current
 * rules: a rule may name one of their ids to keep it; otherwise every rule
 * gets a new id. Errors go to on_error with pointers under prefix. Returns
 * true when there was none; on false, out holds nothing to free.
 */
bool hp_zone_input_read(GEOSContextHandle_t geos, const cJSON *body, const cJSON *existing_rules,
                        const char *prefix, struct hp_zone_input *out,
                        hp_json_error_fn on_error, void *ctx);

/* Frees what hp_zone_input_read made; accepts a zeroed input. */
void hp_zone_input_clear(GEOSContextHandle_t geos, struct hp_zone_input *in);

#endif
