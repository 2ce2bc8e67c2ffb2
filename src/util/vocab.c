/* Fixed vocabularies. */
#include "haulpass/vocab.h"

#include <string.h>

const char *const hp_vehicle_classes[] = {
    "light_truck", "medium_truck", "heavy_truck", "tractor",       "pickup",
    "construction", "muck_truck",  "concrete_mixer", "hazmat_tanker", "special",
    NULL,
};

const char *const hp_pass_types[] = {
    "construction", "urban_delivery", "oversize", "hazmat", "temporary", NULL,
};

const char *const hp_application_types[] = {
    "construction", "urban_delivery", "oversize", "hazmat", "temporary", "road_occupation", NULL,
};

int hp_vocab_index(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}
