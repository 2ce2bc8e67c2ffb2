/* QR codes as SVG (qr_svg.h). */
#include "haulpass/qr_svg.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hp_qr_svg(const char *text, int standalone, int size, int *version)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    if (!qr)
        return NULL;
    int w = qr->width, total = w + 8;
    /* One path of 1x1 squares, merged along rows: "M x y h n v1 h-n z". */
    size_t cap = 512 + (size_t)w * (size_t)w * 24;
    char *out = malloc(cap);
    if (!out) {
        QRcode_free(qr);
        return NULL;
    }
    size_t at = (size_t)snprintf(
        out, cap,
        "%s<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
        "height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
        standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "", total, total,
        size ? size : total * 4, size ? size : total * 4, total, total);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w; x++) {
            if (!(qr->data[y * w + x] & 1))
                continue;
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            at += (size_t)snprintf(out + at, cap - at, "M%d %dh%dv1h-%dz", x + 4, y + 4, run,
                                   run);
            x += run - 1;
        }
    }
    snprintf(out + at, cap - at, "\"/></svg>\n");
    if (version)
        *version = qr->version;
    QRcode_free(qr);
    return out;
}
