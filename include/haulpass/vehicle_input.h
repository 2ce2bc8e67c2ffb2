/*
 * A vehicle as a client writes it, read and checked: the body of
 * POST /v1/vehicles, of PATCH /v1/vehicles/{plate}, and each row of the CSV
 * import (turned into a JSON object first), so all three hold one set of
 * rules. Bounds: gross_weight_kg 1-200000, axles 1-20, length_mm
 * 1000-50000, width_mm and height_mm 1000-6000.
 */
#ifndef HAULPASS_VEHICLE_INPUT_H
#define HAULPASS_VEHICLE_INPUT_H

#include "haulpass/json_body.h"

enum hp_vehicle_input_mode {
    HP_VEHICLE_INPUT_CREATE, /* plate, class, gross_weight_kg required; org_id allowed */
    HP_VEHICLE_INPUT_PATCH,  /* every field optional; null clears a size or count */
};

/* The i-th field a vehicle is written with (from 0), or NULL past the last:
 * the columns a CSV import may name. The first HP_VEHICLE_INPUT_REQUIRED
 * (plate, class, gross_weight_kg) are required. */
const char *hp_vehicle_input_field(int i);
#define HP_VEHICLE_INPUT_REQUIRED 3

/* The type a field of hp_vehicle_input_field is read as. */
enum hp_json_type hp_vehicle_input_type(const char *field);

/*
 * Reads obj as mode says. Returns a new object of the checked fields (the
 * plate in its normal form; numbers integral; in PATCH mode a cleared
 * field is null; org_id left out), the caller's to cJSON_Delete; or NULL
 * after reporting every error to on_error with pointers under prefix.
 */
cJSON *hp_vehicle_input_read(const cJSON *obj, enum hp_vehicle_input_mode mode,
                             const char *prefix, hp_json_error_fn on_error, void *ctx);

/*
 * The organisation a vehicle is registered for, from the caller and the
 * org_id it asked for (NULL: none): hauliers and sites register for their
 * own organisation only; officers and admins must name one. NULL with *why
 * (static text) when the request cannot be served.
 */
struct hp_principal;
const char *hp_vehicle_input_owner(const struct hp_principal *who, const char *asked,
                                   const char **why);

#endif
