/* The antimeridian rule (antimeridian.h). */
#include "haulpass/antimeridian.h"

#include <math.h>

bool hp_antimeridian_crossed(double lon_a, double lon_b)
{
    return fabs(lon_b - lon_a) > 180.0;
}
