/* Whether an oversize load needs a police escort (oversize.h). The limits
 * are those past which a load no longer fits one lane, passes under the
 * city's lowest gantries or stays within the heaviest ordinary
 * articulated vehicle (49 t): past any of them the police lead it. */
#include "haulpass/oversize.h"

bool hp_oversize_escort_required(const struct hp_cargo *c)
{
    return c->width_mm > HP_ESCORT_WIDTH_MM || c->length_mm > HP_ESCORT_LENGTH_MM ||
           c->height_mm > HP_ESCORT_HEIGHT_MM || c->mass_kg > HP_ESCORT_MASS_KG;
}

static int field(const cJSON *c, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, name);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

bool hp_cargo_from_json(const cJSON *c, struct hp_cargo *out)
{
    if (!cJSON_IsObject(c))
        return false;
    *out = (struct hp_cargo){field(c, "length_mm"), field(c, "width_mm"), field(c, "height_mm"),
                             field(c, "mass_kg")};
    return true;
}

bool hp_oversize_escort_required_json(const char *cargo)
{
    cJSON *c = cargo ? cJSON_Parse(cargo) : NULL;
    struct hp_cargo k;
    bool required = hp_cargo_from_json(c, &k) && hp_oversize_escort_required(&k);
    cJSON_Delete(c);
    return required;
}
