/* The printable permit (GET /v1/passes/{code}/print): an A4 HTML page in
 * Chinese and English with the QR code, the pass's fields and a small map
 * of its zones or corridor, every text of the pass escaped. Styles come
 * from GET /print.css, so the page needs no inline style or script
 * (Content-Security-Policy: default-src 'none'; style-src 'self'). Pure. */
#ifndef HAULPASS_PERMIT_PAGE_H
#define HAULPASS_PERMIT_PAGE_H

#include <stddef.h>

/* One shape of the map: SVG path data in the map's units. */
struct hp_permit_shape {
    const char *name; /* a zone's name; NULL for the corridor */
    const char *path;
};

struct hp_permit {
    const char *code, *signed_code, *plate, *type, *status;
    int revision;
    const char *valid_from, *valid_to, *hours; /* hours NULL: at any hour */
    const char *issued_at;                     /* RFC 3339 */
    const char *qr_svg;                        /* an <svg> element (qr_svg.h) */
    const struct hp_permit_shape *shapes;
    int nshapes;
    double min_x, min_y, width, height;        /* the map's view box */
};

/* The page, malloc'd (the caller frees it); NULL when out of memory. */
char *hp_permit_page(const struct hp_permit *p);

/* The page's style sheet (static). */
extern const char hp_permit_css[];

/* Writes s into out (cap bytes, NUL-terminated) escaped for HTML text and
 * attribute values (& < > " '); returns the length written, or
 * (size_t)-1 when it does not fit. */
size_t hp_html_escape(const char *s, char *out, size_t cap);

#endif
