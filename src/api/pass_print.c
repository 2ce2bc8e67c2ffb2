/* GET /v1/passes/{code}/print: the printable permit (permit_page.h), and
 * GET /print.css, its style sheet. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/passes.h"
#include "haulpass/permit_page.h"
#include "haulpass/qr_svg.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SHAPES 64
/* No script, no other origin; the style sheet is ours. */
#define PRINT_CSP "default-src 'none'; style-src 'self'; img-src 'self' data:"

void hp_api_print_css(struct hp_request *req)
{
    hp_reply_header(req, "Cache-Control", "public, max-age=3600");
    hp_reply_static(req, 200, "text/css; charset=utf-8", hp_permit_css, strlen(hp_permit_css));
}

void hp_api_passes_print(struct hp_request *req)
{
    char today[11];
    hp_api_today(today);
    enum hp_db_status st = hp_passes_sweep(req->db, req->arena, today);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    struct hp_pass p;
    if (!hp_api_pass_for_code(req, &p))
        return;
    struct hp_pass_shape *shapes = hp_arena_calloc(req->arena, MAX_SHAPES, sizeof(*shapes));
    struct hp_pass_extent ext;
    int n;
    st = hp_passes_map(req->db, req->arena, p.code, MAX_SHAPES, shapes, &n, &ext);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    struct hp_permit_shape *ps = hp_arena_calloc(req->arena, (size_t)(n ? n : 1), sizeof(*ps));
    for (int i = 0; i < n; i++)
        ps[i] = (struct hp_permit_shape){shapes[i].name, shapes[i].path};
    char issued[HP_TIME_BUF];
    hp_time_format(p.issued_us, issued);
    char *qr = p.signed_code ? hp_qr_svg(p.signed_code, 0, 0, NULL) : NULL;
    struct hp_permit permit = {
        .code = p.code, .signed_code = p.signed_code, .plate = p.plate, .type = p.type,
        .status = p.status, .revision = p.revision, .valid_from = p.valid_from,
        .valid_to = p.valid_to, .hours = p.hours, .issued_at = issued, .qr_svg = qr,
        .shapes = ps, .nshapes = n, .min_x = ext.min_x, .min_y = ext.min_y,
        .width = ext.width, .height = ext.height};
    char *html = hp_permit_page(&permit);
    free(qr);
    if (!html) {
        hp_reply_internal(req, "out of memory drawing the page");
        return;
    }
    hp_reply_header(req, "Content-Security-Policy", PRINT_CSP);
    hp_reply_copy(req, 200, "text/html; charset=utf-8", html, strlen(html));
    free(html);
}
