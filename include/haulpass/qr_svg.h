/* A QR code as SVG, from libqrencode's modules: level Q, the mode of each
 * stretch chosen by libqrencode (a pass code is alphanumeric throughout).
 * Pure. */
#ifndef HAULPASS_QR_SVG_H
#define HAULPASS_QR_SVG_H

#include <stddef.h>

/* The SVG document (or, with standalone 0, an <svg> element to place in
 * HTML) of text's QR code, one unit a module with a 4-module quiet zone,
 * drawn size units wide (0: the module count). malloc'd, the caller frees
 * it; NULL when text does not fit a QR code or out of memory. *version is
 * the QR version used. */
char *hp_qr_svg(const char *text, int standalone, int size, int *version);

#endif
