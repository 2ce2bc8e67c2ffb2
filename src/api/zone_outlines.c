/* GET /v1/zones/outlines?bbox=&tolerance=&fields=: what a map of the zones
 * draws. */
#include "haulpass/api.h"

#include "haulpass/reply.h"
#include "haulpass/zone_outlines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ?fields=name,kind: the properties asked for (hp_outline_field bits), all
 * without it; false, the problem said, for an empty list or another name. */
static bool read_fields(struct hp_request *req, unsigned *fields)
{
    static const struct { const char *name; unsigned bit; } known[] = {
        {"name", HP_OUTLINE_NAME}, {"version", HP_OUTLINE_VERSION},
        {"rules", HP_OUTLINE_RULES}, {"kind", HP_OUTLINE_KIND}};
    const char *s = hp_req_query(req, "fields");
    *fields = s ? 0 : HP_OUTLINE_ALL;
    while (s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            if (strlen(known[i].name) == n && strncmp(s, known[i].name, n) == 0)
                bit = known[i].bit;
        if (!bit) {
            hp_reply_problem(req, 400, "bad-parameter",
                             "fields must be a comma-separated list of name, version, rules, kind");
            return false;
        }
        *fields |= bit;
        s = end ? end + 1 : NULL;
    }
    return true;
}

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
    unsigned fields;
    if (!read_fields(req, &fields))
        return;
    if (!hp_api_sweep_lapsed(req)) /* road works past their last day retire */
        return;
    const char *text;
    enum hp_db_status st = hp_zone_outlines_in_bbox(req->db, req->arena, bbox, tolerance, fields,
                                                    &text);
    if (st != HP_DB_ROWS) {
        hp_api_db_failed(req, st < 0 ? st : HP_DB_HARD_ERROR);
        return;
    }
    hp_reply_copy(req, 200, "application/geo+json", text, strlen(text));
}
