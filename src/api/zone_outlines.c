/* GET /v1/zones/outlines?bbox=&tolerance=: what a map of the zones draws. */
#include "haulpass/api.h"

#include "haulpass/reply.h"
#include "haulpass/zone_outlines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void hp_api_zones_outlines(struct hp_request *req)
{
    double bbox[4];
    bool given;
    if (!hp_api_read_bbox(req, true, bbox, &given))
        return;
    if (!given) {
        hp_reply_problem(req, 400, "bad-parameter", "bbox is required: west,south,east,north");
        return;
    }
    if (!hp_api_sweep_lapsed(req)) /* road works past their last day retire */
        return;
    double tolerance = 0;
    const char *t = hp_req_query(req, "tolerance");
    if (t) {
        char *end;
        tolerance = strtod(t, &end);
        if (end == t || *end || !isfinite(tolerance) || tolerance < 0 || tolerance > 0.01) {
            hp_reply_problem(req, 400, "bad-parameter",
                             "tolerance must be a number of degrees from 0 to 0.01");
            return;
        }
    }
    const char *text;
    enum hp_db_status st = hp_zone_outlines_in_bbox(req->db, req->arena, bbox, tolerance, &text);
    if (st != HP_DB_ROWS) {
        hp_api_db_failed(req, st < 0 ? st : HP_DB_HARD_ERROR);
        return;
    }
    hp_reply_copy(req, 200, "application/geo+json", text, strlen(text));
}
