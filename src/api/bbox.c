/* ?bbox= on lists: the area a map shows, as RFC 7946 orders it. */
#include "haulpass/api.h"

#include "haulpass/reply.h"

#include <math.h>
#include <stdlib.h>

bool hp_api_bbox_valid(const double b[4])
{
    for (int i = 0; i < 4; i++)
        if (!isfinite(b[i]) || fabs(b[i]) > (i % 2 ? 90 : 180))
            return false;
    return b[0] <= b[2] && b[1] <= b[3];
}

bool hp_api_read_bbox(struct hp_request *req, bool allowed, double bbox[4], bool *given)
{
    const char *v = hp_req_query(req, "bbox");
    *given = v != NULL;
    if (!v)
        return true;
    if (!allowed) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "bbox needs Accept: application/geo+json (a FeatureCollection)");
        return false;
    }
    const char *p = v;
    for (int i = 0; i < 4; i++) {
        char *end;
        bbox[i] = strtod(p, &end);
        if (end == p || !isfinite(bbox[i]) || *end != (i < 3 ? ',' : '\0'))
            goto bad;
        p = end + 1;
    }
    if (!hp_api_bbox_valid(bbox))
        goto bad;
    return true;
bad:
    hp_reply_problem(req, 400, "bad-parameter",
                     "bbox must be west,south,east,north in degrees (west <= east, south <= "
                     "north, within -180..180 and -90..90)");
    return false;
}
