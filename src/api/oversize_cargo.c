/* The cargo of an oversize application (docs/contract.md §13): its length,
 * width and height in millimetres and its mass in kilograms, from which its
 * passes say whether a police escort is required (src/rules/oversize.c). */
#include "haulpass/api.h"

#include "haulpass/applications.h"
#include "haulpass/arena.h"
#include "haulpass/json_body.h"
#include "haulpass/oversize.h"
#include "haulpass/reply.h"

#include <stdlib.h>

enum { C_LENGTH, C_WIDTH, C_HEIGHT, C_MASS, C_COUNT };

/* Bounds a road vehicle can have at all: a load outside them is a typo. */
static const struct hp_json_field cargo_spec[] = {
    {"length_mm", HP_JSON_INT, .required = true, .min = 1, .max = 100000},
    {"width_mm", HP_JSON_INT, .required = true, .min = 1, .max = 20000},
    {"height_mm", HP_JSON_INT, .required = true, .min = 1, .max = 20000},
    {"mass_kg", HP_JSON_INT, .required = true, .min = 1, .max = 2000000},
    {NULL},
};

bool hp_api_read_cargo(struct hp_request *req, const cJSON *cargo,
                       struct hp_application_input *in)
{
    const cJSON *v[C_COUNT];
    if (!cargo || cJSON_IsNull(cargo)) {
        hp_req_invalid(req, "/cargo", "is required for an oversize load: its length_mm, "
                                      "width_mm, height_mm and mass_kg");
        return false;
    }
    if (!hp_api_read(req, cargo, cargo_spec, "/cargo", v))
        return false;
    /* Stored as read: four whole numbers, nothing else the caller sent. */
    in->cargo = hp_arena_printf(req->arena,
                                "{\"length_mm\":%d,\"width_mm\":%d,\"height_mm\":%d,\"mass_kg\":%d}",
                                v[C_LENGTH]->valueint, v[C_WIDTH]->valueint,
                                v[C_HEIGHT]->valueint, v[C_MASS]->valueint);
    return true;
}

cJSON *hp_api_cargo_json(const char *cargo)
{
    cJSON *c = cargo ? cJSON_Parse(cargo) : NULL;
    struct hp_cargo k;
    if (!hp_cargo_from_json(c, &k)) {
        cJSON_Delete(c);
        return cJSON_CreateNull();
    }
    cJSON_AddBoolToObject(c, "escort_required", hp_oversize_escort_required(&k));
    return c;
}
