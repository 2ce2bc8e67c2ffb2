/* Oversize loads (docs/contract.md §13): the cargo an oversize application
 * declares, and the rule that says whether its passes require a police
 * escort. Pure. */
#ifndef HAULPASS_OVERSIZE_H
#define HAULPASS_OVERSIZE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct hp_cargo {
    int length_mm, width_mm, height_mm, mass_kg;
};

/* The limits beyond which an escort is required: a load wider than 3,000
 * mm, longer than 20,000 mm, higher than 4,200 mm or heavier than 49,000
 * kg (any one of them). */
#define HP_ESCORT_WIDTH_MM 3000
#define HP_ESCORT_LENGTH_MM 20000
#define HP_ESCORT_HEIGHT_MM 4200
#define HP_ESCORT_MASS_KG 49000

bool hp_oversize_escort_required(const struct hp_cargo *c);

/* The cargo of a JSON object {length_mm, width_mm, height_mm, mass_kg}
 * (a missing one reads as 0); false when c is not an object. */
bool hp_cargo_from_json(const cJSON *c, struct hp_cargo *out);

/* Whether stored cargo (JSON object text; NULL: none) requires an escort. */
bool hp_oversize_escort_required_json(const char *cargo);

#endif
