/* Reading a vehicle's fields; see vehicle_input.h. */
#include "haulpass/vehicle_input.h"

#include "haulpass/http.h"
#include "haulpass/plate.h"
#include "haulpass/vocab.h"

#include <stdio.h>
#include <string.h>

/* Field order matters: out[] of hp_json_read follows it. */
enum { F_PLATE, F_CLASS, F_WEIGHT, F_AXLES, F_LENGTH, F_WIDTH, F_HEIGHT, F_HAZMAT, F_NEW_ENERGY,
       F_ORG, F_COUNT };

#define SIZE_FIELDS                                                                     \
    {"axles", HP_JSON_INT, .nullable = true, .min = 1, .max = 20},                      \
    {"length_mm", HP_JSON_INT, .nullable = true, .min = 1000, .max = 50000},             \
    {"width_mm", HP_JSON_INT, .nullable = true, .min = 1000, .max = 6000},               \
    {"height_mm", HP_JSON_INT, .nullable = true, .min = 1000, .max = 6000},              \
    {"hazmat", HP_JSON_BOOL},                                                           \
    {"new_energy", HP_JSON_BOOL}

static const struct hp_json_field create_spec[] = {
    {"plate", HP_JSON_STRING, .required = true, .min = 1, .max = 64},
    {"class", HP_JSON_ENUM, .required = true, .choices = hp_vehicle_classes},
    {"gross_weight_kg", HP_JSON_INT, .required = true, .min = 1, .max = 200000},
    SIZE_FIELDS,
    {"org_id", HP_JSON_UUID},
    {NULL},
};

/* PATCH: plate and org_id are read only to say they cannot change. */
static const struct hp_json_field patch_spec[] = {
    {"plate", HP_JSON_ANY, .nullable = true},
    {"class", HP_JSON_ENUM, .choices = hp_vehicle_classes},
    {"gross_weight_kg", HP_JSON_INT, .min = 1, .max = 200000},
    SIZE_FIELDS,
    {"org_id", HP_JSON_ANY, .nullable = true},
    {NULL},
};

const char *hp_vehicle_input_field(int i)
{
    return i >= 0 && i < F_ORG ? create_spec[i].name : NULL;
}

enum hp_json_type hp_vehicle_input_type(const char *field)
{
    for (int i = 0; create_spec[i].name; i++)
        if (strcmp(create_spec[i].name, field) == 0)
            return create_spec[i].type;
    return HP_JSON_ANY;
}

static void copy_field(cJSON *out, const cJSON *obj, const char *name, const cJSON *v,
                       bool patch)
{
    if (v && cJSON_IsNumber(v))
        cJSON_AddNumberToObject(out, name, (double)(long long)v->valuedouble);
    else if (v && cJSON_IsBool(v))
        cJSON_AddBoolToObject(out, name, cJSON_IsTrue(v));
    else if (v && cJSON_IsString(v))
        cJSON_AddStringToObject(out, name, v->valuestring);
    else if (patch && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, name)))
        cJSON_AddNullToObject(out, name);
}

cJSON *hp_vehicle_input_read(const cJSON *obj, enum hp_vehicle_input_mode mode,
                             const char *prefix, hp_json_error_fn on_error, void *ctx)
{
    bool patch = mode == HP_VEHICLE_INPUT_PATCH;
    const struct hp_json_field *spec = patch ? patch_spec : create_spec;
    const cJSON *v[F_COUNT];
    bool ok = hp_json_read(obj, spec, prefix, v, on_error, ctx);
    char ptr[256];
    char plate[HP_PLATE_BUF] = "";
    if (patch) {
        /* Present even as null, these are errors of their own. */
        if (cJSON_GetObjectItemCaseSensitive(obj, "plate")) {
            hp_json_pointer(ptr, sizeof(ptr), prefix, "plate");
            on_error(ctx, ptr, "cannot be changed; register the vehicle under its new plate");
            ok = false;
        }
        if (cJSON_GetObjectItemCaseSensitive(obj, "org_id")) {
            hp_json_pointer(ptr, sizeof(ptr), prefix, "org_id");
            on_error(ctx, ptr, "cannot be changed");
            ok = false;
        }
    }
    if (!patch && v[F_PLATE]) {
        uint32_t bad = 0;
        enum hp_plate_status st = hp_plate_normalise(v[F_PLATE]->valuestring, plate, &bad);
        if (st != HP_PLATE_OK) {
            char msg[256];
            if (st == HP_PLATE_BAD_CHAR)
                snprintf(msg, sizeof(msg), "%s; U+%04X is not one", hp_plate_message(st),
                         (unsigned)bad);
            else
                snprintf(msg, sizeof(msg), "%s", hp_plate_message(st));
            hp_json_pointer(ptr, sizeof(ptr), prefix, "plate");
            on_error(ctx, ptr, msg);
            ok = false;
        }
    }
    if (!ok)
        return NULL;
    cJSON *out = cJSON_CreateObject();
    if (!patch)
        cJSON_AddStringToObject(out, "plate", plate);
    for (int f = F_CLASS; f < F_ORG; f++)
        copy_field(out, obj, spec[f].name, v[f], patch);
    return out;
}

const char *hp_vehicle_input_owner(const struct hp_principal *who, const char *asked,
                                   const char **why)
{
    if (who->role & HP_ROLE_POLICE) {
        if (!asked)
            *why = "is required when an officer or admin registers vehicles: name the "
                   "haulier or site that owns them";
        return asked;
    }
    if (asked && strcmp(asked, who->org_id) != 0) {
        *why = "must be your own organisation's id, or left out";
        return NULL;
    }
    return who->org_id;
}
